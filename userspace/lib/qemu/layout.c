// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 guest physical memory layout of QEMU's pc (i440FX) and q35
 * machines, as QEMU computes it at start-up, and the phys-bits check of
 * QEMU 7.1 and later. See Documentation/qemu-memory.rst for the picture.
 *
 * Every rule below names the QEMU function it follows and the upstream
 * commit or release that introduced it. "Binary" is the QEMU release that
 * runs; "machine type" is the versioned -machine (pc-q35-7.0 on a 7.2
 * binary keeps the 7.0 compat flags). Checked against qemu-system-x86_64
 * 7.2 by tests/qemu_sweep.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu/layout.h"
#include "qemu/size.h"

#define ROUND_UP(x, a)		(((x) + (a) - 1) / (a) * (a))
#define PAGE_SIZE		4096ULL	/* TARGET_PAGE_SIZE */

/* hw/i386/pc.c: the AMD HyperTransport range below 1 TiB (8504f129450b). */
#define AMD_HT_START		0xfd00000000ULL
#define AMD_ABOVE_1TB_START	(1ULL << 40)

/* hw/pci-host/q35.c Q35_PCI_HOST_HOLE64_SIZE_DEFAULT, hw/pci-host/i440fx.c
 * I440FX_PCI_HOST_HOLE64_SIZE_DEFAULT; no machine-type compat changes them. */
uint64_t qemu_default_hole64(enum qemu_machine machine)
{
	return machine == QEMU_MACHINE_Q35 ? 32 * GiB : 2 * GiB;
}

/*
 * Per-machine-type compat flags of PCMachineClass that change the layout,
 * set in the pc_*_X_Y_machine_options() functions of hw/i386/pc_piix.c and
 * hw/i386/pc_q35.c.
 */
struct mt_flags {
	bool has_reserved_memory;	/* false for pc-i440fx <= 2.0 */
	bool gigabyte_align;		/* false for pc-i440fx <= 1.7 */
	bool enforce_aligned_dimm;	/* false for pc-i440fx <= 2.1 */
	bool broken_reserved_end;	/* true for pc-*-2.4 and older */
	bool enforce_amd_1tb_hole;	/* false for pc-*-7.0 and older */
	bool broken_32bit_check;	/* true for pc-*-8.1 and older */
};

static struct mt_flags mt_flags(unsigned mt)
{
	struct mt_flags f = {
		.has_reserved_memory = mt >= QEMU_VER(2, 1),
		.gigabyte_align = mt >= QEMU_VER(2, 0),
		.enforce_aligned_dimm = mt >= QEMU_VER(2, 2),
		.broken_reserved_end = mt <= QEMU_VER(2, 4),
		.enforce_amd_1tb_hole = mt >= QEMU_VER(7, 1),
		.broken_32bit_check = mt <= QEMU_VER(8, 1),
	};
	return f;
}

bool qemu_parse_version(const char *s, unsigned *ver)
{
	unsigned long major, minor;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	major = strtoul(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return false;
	minor = strtoul(end + 1, &end, 10);
	if (*end == '.') {
		if (end[1] < '0' || end[1] > '9')
			return false;
		strtoul(end + 1, &end, 10);
	}
	if (*end || major < 1 || major > 99 || minor > 99)
		return false;
	*ver = QEMU_VER(major, minor);
	return true;
}

bool qemu_parse_vendor(const char *s, enum qemu_cpu_vendor *vendor)
{
	if (!strcmp(s, "intel"))
		*vendor = QEMU_VENDOR_INTEL;
	else if (!strcmp(s, "amd"))
		*vendor = QEMU_VENDOR_AMD;
	else
		return false;
	return true;
}

bool qemu_parse_machine(const char *s, unsigned qemu_version,
			enum qemu_machine *machine, unsigned *machine_version,
			char *err, size_t errlen)
{
	const char *v;
	unsigned ver;

	if (!strcmp(s, "pc") || !strcmp(s, "q35")) {
		/* The aliases point at the newest versioned type. */
		*machine = s[0] == 'q' ? QEMU_MACHINE_Q35 : QEMU_MACHINE_PC;
		*machine_version = qemu_version;
		return true;
	}
	if (!strncmp(s, "pc-q35-", 7)) {
		*machine = QEMU_MACHINE_Q35;
		v = s + 7;
	} else if (!strncmp(s, "pc-i440fx-", 10)) {
		*machine = QEMU_MACHINE_PC;
		v = s + 10;
	} else {
		snprintf(err, errlen, "unknown machine type '%s' (expected pc, "
			 "q35, pc-i440fx-X.Y or pc-q35-X.Y)", s);
		return false;
	}
	if (!qemu_parse_version(v, &ver)) {
		snprintf(err, errlen, "bad version in machine type '%s'", s);
		return false;
	}
	/* The oldest types of the 7.x binaries: pc-i440fx-1.4, pc-q35-2.4
	 * (memory hotplug itself begins with pc-i440fx-2.1). */
	if (ver < (*machine == QEMU_MACHINE_Q35 ? QEMU_VER(2, 4) :
		   QEMU_VER(1, 4))) {
		snprintf(err, errlen, "machine type '%s' is older than the "
			 "model covers (pc-i440fx-1.4, pc-q35-2.4)", s);
		return false;
	}
	if (ver > qemu_version) {
		snprintf(err, errlen, "machine type '%s' does not exist in "
			 "QEMU %u.%u", s, QEMU_VER_MAJOR(qemu_version),
			 QEMU_VER_MINOR(qemu_version));
		return false;
	}
	*machine_version = ver;
	return true;
}

void qemu_machine_name(enum qemu_machine machine, unsigned version,
		       char *buf, size_t len)
{
	snprintf(buf, len, "%s-%u.%u",
		 machine == QEMU_MACHINE_Q35 ? "pc-q35" : "pc-i440fx",
		 QEMU_VER_MAJOR(version), QEMU_VER_MINOR(version));
}

/* vl.c parse_memory_options() rounds -m up to 8 KiB. */
static uint64_t ram_rounded(const struct qemu_mem_config *c)
{
	return ROUND_UP(c->ram, 8192);
}

static uint64_t maxmem_of(const struct qemu_mem_config *c)
{
	return c->maxmem ? c->maxmem : ram_rounded(c);
}

bool qemu_mem_validate(const struct qemu_mem_config *c, char *err,
		       size_t errlen)
{
	uint64_t ram = ram_rounded(c), maxmem = maxmem_of(c);
	char a[32], b[32];

	if (!c->ram) {
		snprintf(err, errlen, "ram size must not be 0");
		return false;
	}
	if (c->ram > QEMU_MODEL_MAX_SIZE || maxmem > QEMU_MODEL_MAX_SIZE ||
	    c->pci_hole64_size > QEMU_MODEL_MAX_SIZE ||
	    c->cxl_fmw_size > QEMU_MODEL_MAX_SIZE) {
		snprintf(err, errlen, "sizes above 1E are beyond any x86 "
			 "address space");
		return false;
	}
	/* vl.c parse_memory_options(): the maxmem checks. */
	if (maxmem < ram) {
		qemu_size_str(maxmem, a, sizeof(a));
		qemu_size_str(ram, b, sizeof(b));
		snprintf(err, errlen, "maxmem %s is smaller than the ram size "
			 "%s", a, b);
		return false;
	}
	if (c->maxmem && c->slots && maxmem == ram) {
		snprintf(err, errlen, "slots=%u needs maxmem larger than the "
			 "ram size", c->slots);
		return false;
	}
	/* hw/i386/pc.c pc_memory_init(): ACPI_MAX_RAM_SLOTS */
	if (c->slots > QEMU_MAX_RAM_SLOTS) {
		snprintf(err, errlen, "%u slots: QEMU supports at most %u",
			 c->slots, QEMU_MAX_RAM_SLOTS);
		return false;
	}
	/* target/i386/cpu.c x86_cpu_realizefn(): phys-bits is 32..52 for
	 * 64-bit CPUs; 32-bit CPUs get 32, or 36 with PSE36 (or PAE since
	 * 8.2, d83005424774). */
	if (c->lm && (c->phys_bits < QEMU_MIN_PHYS_BITS ||
		      c->phys_bits > QEMU_MAX_PHYS_BITS)) {
		snprintf(err, errlen, "phys-bits %u is outside %u..%u",
			 c->phys_bits, QEMU_MIN_PHYS_BITS, QEMU_MAX_PHYS_BITS);
		return false;
	}
	if (!c->lm && c->phys_bits != 32 && c->phys_bits != 36) {
		snprintf(err, errlen, "phys-bits %u: a 32-bit CPU has 32, or "
			 "36 with PAE/PSE36", c->phys_bits);
		return false;
	}
	if (c->qemu_version < QEMU_MODEL_OLDEST) {
		snprintf(err, errlen, "QEMU %u.%u is older than the model "
			 "covers", QEMU_VER_MAJOR(c->qemu_version),
			 QEMU_VER_MINOR(c->qemu_version));
		return false;
	}
	if (c->machine_version > c->qemu_version) {
		snprintf(err, errlen, "the machine type is newer than QEMU");
		return false;
	}
	if (c->cxl_fmw_size && !c->cxl) {
		snprintf(err, errlen, "CXL windows need cxl=on");
		return false;
	}
	if (c->cxl && c->qemu_version < QEMU_VER(7, 1)) {
		snprintf(err, errlen, "CXL needs QEMU 7.1 or later");
		return false;
	}
	return true;
}

/*
 * hw/i386/pc_q35.c pc_q35_init() and hw/i386/pc_piix.c pc_init1(): how
 * much RAM stays below 4 GiB (unchanged from 2.x to 10.2).
 */
static void split_ram(const struct qemu_mem_config *c, uint64_t ram,
		      struct qemu_mem_layout *l)
{
	uint64_t lowmem;

	if (c->machine == QEMU_MACHINE_Q35) {
		/* Keep the 0xb0000000 MMCONFIG window free unless the guest
		 * has that much RAM; then only 2 GiB stay low. */
		lowmem = ram >= 0xb0000000ULL ? 0x80000000ULL : 0xb0000000ULL;
	} else {
		/* max-ram-below-4g defaults to 3.5 GiB; with gigabyte_align
		 * a guest that large keeps only 3 GiB low. */
		lowmem = 0xe0000000ULL;
		if (ram >= lowmem && mt_flags(c->machine_version).gigabyte_align)
			lowmem = 0xc0000000ULL;
	}
	if (ram >= lowmem) {
		l->below_4g = lowmem;
		l->above_4g = ram - lowmem;
	} else {
		l->below_4g = ram;
		l->above_4g = 0;
	}
}

/*
 * Fill in everything that depends on where RAM above 4G starts: the
 * device memory region, CXL, the 64-bit PCI hole, and the address QEMU
 * checks. @check_version is the QEMU release whose pc_max_used_gpa()
 * applies (at least 7.1).
 */
static void place_above(const struct qemu_mem_config *c, unsigned check_ver,
			uint64_t start, struct qemu_mem_layout *l)
{
	struct mt_flags f = mt_flags(c->machine_version);
	uint64_t above_end, h;

	l->above_4g_start = start;
	/* pc_above_4g_end() (5ff62e2afedf, 7.1); SGX EPC not modelled */
	above_end = start + l->above_4g;

	/*
	 * pc_get_device_memory_range() (8288a8286d00, 7.1; the same numbers
	 * as pc_memory_init() before): the region begins at the next GiB
	 * after RAM and gets 1 GiB per slot for DIMM alignment when
	 * enforce_aligned_dimm (unconditional since 516871f00238, 9.1).
	 * It exists when has_reserved_memory && ram_size < maxram_size.
	 */
	l->device_mem = f.has_reserved_memory && l->ram < l->maxmem;
	l->device_mem_base = ROUND_UP(above_end, GiB);
	l->device_mem_size = l->maxmem - l->ram;
	if (f.enforce_aligned_dimm)
		l->device_mem_size += (uint64_t)c->slots * GiB;
	if (!l->device_mem) {
		l->device_mem_base = 0;
		l->device_mem_size = 0;
	}

	/*
	 * pc_get_cxl_range_start()/_end() (55668e409bca, 42bed0712725, 7.1):
	 * a 1 MiB register block after device memory, then the fixed
	 * windows from the next 256 MiB. Until 8.2 the start took the device
	 * memory range whenever the machine has_reserved_memory, even with
	 * maxmem == ram (4076bc86a3af changed that); 10.1 (584f722eb3ab)
	 * dropped the 256 MiB round-up.
	 */
	l->cxl = c->cxl;
	if (c->cxl) {
		if (l->device_mem)
			l->cxl_base = l->device_mem_base + l->device_mem_size;
		else if (c->qemu_version < QEMU_VER(8, 2))
			l->cxl_base = ROUND_UP(above_end, GiB);
		else
			l->cxl_base = above_end;
		l->cxl_end = l->cxl_base + MiB;
		if (c->cxl_fmw_size) {
			if (c->qemu_version < QEMU_VER(10, 1))
				l->cxl_end = ROUND_UP(l->cxl_end, 256 * MiB);
			l->cxl_end += c->cxl_fmw_size;
		}
	}

	/*
	 * pc_pci_hole64_start(): after CXL, else after device memory (only
	 * its base for pc-*-2.4 and older, broken_reserved_end), else after
	 * RAM; rounded up to 1 GiB.
	 */
	if (c->cxl)
		h = l->cxl_end;
	else if (l->device_mem)
		h = l->device_mem_base +
		    (f.broken_reserved_end ? 0 : l->device_mem_size);
	else
		h = above_end;
	l->hole64_start = ROUND_UP(h, GiB);
	l->hole64_size = c->pci_hole64_size;
	l->hole64 = c->lm;

	/*
	 * pc_max_used_gpa() (1caab5cf86bd, 7.1). Up to 8.1 a CPU with
	 * phys-bits <= 32 was taken to be 32-bit and always passed, and any
	 * other one was charged the 64-bit hole. Since cf0386509ece (8.2)
	 * long mode decides; 32-bit CPUs are charged the end of device
	 * memory, or of RAM, but keep the old pass on pc-*-8.1 and older
	 * (broken_32bit_mem_addr_check).
	 */
	if (check_ver < QEMU_VER(8, 2)) {
		if (c->phys_bits <= 32)
			l->max_used_gpa = l->address_limit;
		else
			l->max_used_gpa = l->hole64_start + c->pci_hole64_size - 1;
	} else if (c->lm) {
		l->max_used_gpa = l->hole64_start + c->pci_hole64_size - 1;
	} else if (f.broken_32bit_check) {
		l->max_used_gpa = l->address_limit;
	} else if (l->device_mem) {
		l->max_used_gpa = l->device_mem_base + l->device_mem_size - 1;
	} else {
		l->max_used_gpa = above_end - 1;
	}
}

static void layout(const struct qemu_mem_config *c, bool enforce,
		   struct qemu_mem_layout *l)
{
	unsigned check_ver = c->qemu_version;
	struct mt_flags f = mt_flags(c->machine_version);

	memset(l, 0, sizeof(*l));
	l->ram = ram_rounded(c);
	l->maxmem = maxmem_of(c);
	l->address_limit = (1ULL << c->phys_bits) - 1;
	l->checked = c->qemu_version >= QEMU_VER(7, 1);
	/* Before 7.1 QEMU did not check; for the "largest addressable"
	 * answer apply the first release that does. */
	if (!l->checked && enforce)
		check_ver = QEMU_VER(7, 1);
	split_ram(c, l->ram, l);

	/* x86_machine_initfn(): above_4g_mem_start = 4 GiB (4ab4c33014b4) */
	place_above(c, check_ver, 4 * GiB, l);

	/*
	 * pc_memory_init() (8504f129450b, b3e6982b4154; 7.1): with an AMD
	 * vCPU and machine type >= 7.1, when the highest address would reach
	 * the HyperTransport range at 1012 GiB, all RAM above 4G moves to
	 * 1 TiB, whatever phys-bits is. The check below then sees the moved
	 * layout.
	 */
	l->amd_ht_hole = check_ver >= QEMU_VER(7, 1) &&
			 c->vendor == QEMU_VENDOR_AMD && f.enforce_amd_1tb_hole;
	if (l->amd_ht_hole && l->max_used_gpa >= AMD_HT_START) {
		place_above(c, check_ver, AMD_ABOVE_1TB_START, l);
		l->amd_relocated = true;
	}

	/*
	 * pc_memory_init() (7.1 .. 10.x): the phys-bits check comes first;
	 * then machine types without has_reserved_memory refuse slots and
	 * maxmem ("-memory 'slots|maxmem'" is not supported by: ...); then,
	 * only with device memory, the page alignment of maxmem.
	 */
	l->verdict = QEMU_MEM_STARTS;
	if ((l->checked || enforce) && l->max_used_gpa > l->address_limit)
		l->verdict = QEMU_MEM_PHYS_BITS_TOO_LOW;
	else if (!f.has_reserved_memory && (c->slots || l->maxmem > l->ram))
		l->verdict = QEMU_MEM_NO_HOTPLUG;
	else if (l->device_mem && l->maxmem % PAGE_SIZE)
		l->verdict = QEMU_MEM_MAXMEM_UNALIGNED;
}

void qemu_mem_layout(const struct qemu_mem_config *c,
		     struct qemu_mem_layout *l)
{
	layout(c, false, l);
}

bool qemu_mem_fits(const struct qemu_mem_config *c)
{
	struct qemu_mem_layout l;

	layout(c, false, &l);
	return l.verdict == QEMU_MEM_STARTS;
}

static bool fits_enforced(const struct qemu_mem_config *c, uint64_t maxmem)
{
	struct qemu_mem_config t = *c;
	struct qemu_mem_layout l;

	t.maxmem = maxmem;
	layout(&t, true, &l);
	return l.verdict == QEMU_MEM_STARTS;
}

/*
 * The highest address grows with maxmem, and the AMD relocation only ever
 * moves it up, so "fits" holds for every maxmem up to a limit: bisect for
 * it in 4 KiB steps.
 */
uint64_t qemu_mem_max_maxmem(const struct qemu_mem_config *c)
{
	uint64_t ram = ram_rounded(c);
	uint64_t lo = ram + PAGE_SIZE;		/* fits, once checked */
	uint64_t hi = ram + (1ULL << (QEMU_MAX_PHYS_BITS + 1)); /* never */

	if (!fits_enforced(c, lo))
		return 0;
	if (fits_enforced(c, hi))
		return QEMU_MEM_UNLIMITED;
	while (hi - lo > PAGE_SIZE) {
		uint64_t mid = lo + (hi - lo) / 2 / PAGE_SIZE * PAGE_SIZE;

		if (fits_enforced(c, mid))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}
