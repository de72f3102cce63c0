/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host CPU tells a VM about itself: physical address bits and
 * vendor. With KVM and "-cpu host" (what Incus and libvirt's host-passthrough
 * use) QEMU gives the guest the host's phys-bits.
 */
#ifndef SECTOREMU_HOST_CPU_H
#define SECTOREMU_HOST_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "qemu/layout.h"

enum host_cpu_source {
	HOST_CPU_CPUID,		/* CPUID leaves 0 and 0x80000008 */
	HOST_CPU_PROC,		/* /proc/cpuinfo */
};

struct host_cpu {
	unsigned phys_bits;
	char vendor_id[16];		/* "GenuineIntel", "AuthenticAMD" */
	enum qemu_cpu_vendor vendor;	/* as QEMU classifies it */
	enum host_cpu_source source;
};

/*
 * Read the host CPU: CPUID leaf 0x80000008 EAX[7:0] for phys-bits and leaf
 * 0 for the vendor; where CPUID is unavailable (not x86, or the leaf is
 * missing), the "address sizes" and "vendor_id" lines of /proc/cpuinfo.
 * Returns false when neither gives phys-bits.
 */
bool host_cpu_read(struct host_cpu *cpu);

/* Parse /proc/cpuinfo text (exposed for tests). */
bool host_cpu_parse_cpuinfo(const char *text, struct host_cpu *cpu);

/*
 * For "sectoremu doctor": the host's phys-bits and vendor, the QEMU found
 * on PATH (its version, or the newest modelled when there is none), and
 * the largest maxmem a default VM (q35, @ram bytes of RAM, @slots slots,
 * -cpu host) can have here. Returns false when the host CPU cannot be read.
 */
struct host_mem_summary {
	struct host_cpu cpu;
	bool qemu_found;
	unsigned qemu_version;
	uint64_t ram;
	unsigned slots;
	uint64_t address_limit;
	uint64_t max_maxmem;	/* 0: none; QEMU_MEM_UNLIMITED: no limit */
};

bool host_mem_summary(uint64_t ram, unsigned slots,
		      struct host_mem_summary *s);

#endif
