/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model of how QEMU's x86 pc and q35 machines lay out guest physical
 * memory, and of the check QEMU 7.1 and later make at start-up:
 *
 *	qemu-system-x86_64: Address space limit 0xfffffffff < 0x103fffffff
 *	phys-bits too low (36)
 *
 * Pure computation, no I/O: the caller states the QEMU version, machine
 * type, CPU and memory options, and gets back the layout QEMU builds and
 * whether it starts. qemu_layout.c cites the QEMU code each rule models.
 */
#ifndef SECTOREMU_QEMU_LAYOUT_H
#define SECTOREMU_QEMU_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A QEMU release or machine-type version X.Y as one comparable number. */
#define QEMU_VER(major, minor)	((major) * 100 + (minor))
#define QEMU_VER_MAJOR(v)	((v) / 100)
#define QEMU_VER_MINOR(v)	((v) % 100)

/* The range of QEMU releases whose code the model follows. */
#define QEMU_MODEL_OLDEST	QEMU_VER(2, 0)
#define QEMU_MODEL_NEWEST	QEMU_VER(10, 2)

/* Limits QEMU itself enforces. */
#define QEMU_MAX_RAM_SLOTS	256	/* ACPI_MAX_RAM_SLOTS */
#define QEMU_MIN_PHYS_BITS	32
#define QEMU_MAX_PHYS_BITS	52	/* TARGET_PHYS_ADDR_SPACE_BITS */
#define QEMU_TCG_PHYS_BITS	40	/* TCG_PHYS_ADDR_BITS, the default */
/* Sizes above this are refused as input: no x86 CPU addresses them. */
#define QEMU_MODEL_MAX_SIZE	(UINT64_C(1) << 60)

enum qemu_machine {
	QEMU_MACHINE_PC,	/* pc, pc-i440fx-X.Y */
	QEMU_MACHINE_Q35,	/* q35, pc-q35-X.Y */
};

/* Only "AuthenticAMD" matters to QEMU (IS_AMD_CPU()); any other vendor
 * behaves as Intel does. */
enum qemu_cpu_vendor {
	QEMU_VENDOR_INTEL,
	QEMU_VENDOR_AMD,
};

struct qemu_mem_config {
	unsigned qemu_version;		/* the binary, QEMU_VER(7, 2) */
	enum qemu_machine machine;
	unsigned machine_version;	/* pc-q35-X.Y; aliases: newest */
	enum qemu_cpu_vendor vendor;
	bool lm;			/* 64-bit CPU (long mode) */
	unsigned phys_bits;
	uint64_t ram;			/* -m size, bytes */
	uint64_t maxmem;		/* 0: not given, same as ram */
	unsigned slots;
	uint64_t pci_hole64_size;	/* bytes; see qemu_default_hole64() */
	bool cxl;			/* -machine cxl=on */
	uint64_t cxl_fmw_size;		/* sum of the cxl-fmw.N.size windows */
};

enum qemu_mem_verdict {
	QEMU_MEM_STARTS,
	QEMU_MEM_PHYS_BITS_TOO_LOW,	/* the address space check fails */
	QEMU_MEM_NO_HOTPLUG,		/* the machine type has no hotplug */
	QEMU_MEM_MAXMEM_UNALIGNED,	/* maxmem not a multiple of 4 KiB */
};

struct qemu_mem_layout {
	uint64_t ram;			/* -m after QEMU's 8 KiB round-up */
	uint64_t maxmem;
	uint64_t below_4g;		/* RAM mapped at 0 */
	uint64_t above_4g;		/* RAM mapped at above_4g_start */
	uint64_t above_4g_start;	/* 4 GiB, or 1 TiB when relocated */
	bool amd_ht_hole;		/* the AMD 1 TiB hole rule applies */
	bool amd_relocated;		/* RAM above 4G moved to 1 TiB */
	bool device_mem;		/* hotplug region exists (maxmem > ram) */
	uint64_t device_mem_base;
	uint64_t device_mem_size;
	bool cxl;
	uint64_t cxl_base;		/* CXL host register block */
	uint64_t cxl_end;		/* end of CXL windows */
	bool hole64;			/* 64-bit PCI hole counted (64-bit CPU) */
	uint64_t hole64_start;
	uint64_t hole64_size;
	bool checked;			/* this QEMU checks phys-bits (>= 7.1) */
	uint64_t max_used_gpa;		/* what QEMU compares, inclusive */
	uint64_t address_limit;		/* 2^phys-bits - 1 */
	enum qemu_mem_verdict verdict;
};

/* Default pci-hole64-size of the machine's host bridge. */
uint64_t qemu_default_hole64(enum qemu_machine machine);

/* Parse "X.Y" or "X.Y.Z" (micro ignored) into QEMU_VER(X, Y). */
bool qemu_parse_version(const char *s, unsigned *ver);
/* "intel" or "amd", as --cpu-vendor takes it. */
bool qemu_parse_vendor(const char *s, enum qemu_cpu_vendor *vendor);

/*
 * Parse a -machine value: pc, q35, pc-i440fx-X.Y, pc-q35-X.Y (pc-q35-4.0.1
 * too). The aliases resolve to the newest machine type of @qemu_version.
 * On error, @err says why.
 */
bool qemu_parse_machine(const char *s, unsigned qemu_version,
			enum qemu_machine *machine, unsigned *machine_version,
			char *err, size_t errlen);

/* "pc-q35-7.2" */
void qemu_machine_name(enum qemu_machine machine, unsigned version,
		       char *buf, size_t len);

/*
 * Check a configuration for the mistakes QEMU refuses as bad options
 * before it looks at the address space: maxmem below ram, slots without
 * room, more than 256 slots, phys-bits out of range. Returns false and
 * explains in @err.
 */
bool qemu_mem_validate(const struct qemu_mem_config *c, char *err,
		       size_t errlen);

/* The layout QEMU builds for a validated configuration, and its verdict. */
void qemu_mem_layout(const struct qemu_mem_config *c,
		     struct qemu_mem_layout *l);

/* Shorthand: does QEMU start with this configuration? */
bool qemu_mem_fits(const struct qemu_mem_config *c);

/*
 * The largest page-aligned maxmem with c->slots slots (c->maxmem is
 * ignored) whose layout fits in c->phys_bits, 0 when no maxmem above ram
 * does, QEMU_MEM_UNLIMITED when phys-bits sets no limit (32-bit CPUs on
 * the machine types that skip the check). For QEMU older than 7.1, which
 * does not check, this is the largest maxmem that passes the check of 7.1.
 */
#define QEMU_MEM_UNLIMITED	UINT64_MAX
uint64_t qemu_mem_max_maxmem(const struct qemu_mem_config *c);

#endif
