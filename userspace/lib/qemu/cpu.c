// SPDX-License-Identifier: GPL-2.0
/* Host CPU phys-bits and vendor, and the doctor's memory summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "qemu/binary.h"
#include "qemu/cpu.h"
#include "qemu/size.h"

static void set_vendor(struct host_cpu *cpu, const char *id)
{
	snprintf(cpu->vendor_id, sizeof(cpu->vendor_id), "%s", id);
	/* target/i386/cpu.h IS_AMD_CPU(): only "AuthenticAMD" counts. */
	cpu->vendor = strcmp(id, "AuthenticAMD") ? QEMU_VENDOR_INTEL :
						    QEMU_VENDOR_AMD;
}

static bool read_cpuid(struct host_cpu *cpu)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;
	char id[13];

	if (!__get_cpuid(0, &a, &b, &c, &d))
		return false;
	memcpy(id, &b, 4);
	memcpy(id + 4, &d, 4);
	memcpy(id + 8, &c, 4);
	id[12] = '\0';
	if (!__get_cpuid(0x80000000, &a, &b, &c, &d) || a < 0x80000008)
		return false;
	__get_cpuid(0x80000008, &a, &b, &c, &d);
	if (!(a & 0xff))
		return false;
	cpu->phys_bits = a & 0xff;
	set_vendor(cpu, id);
	cpu->source = HOST_CPU_CPUID;
	return true;
#else
	(void)cpu;
	return false;
#endif
}

bool host_cpu_parse_cpuinfo(const char *text, struct host_cpu *cpu)
{
	const char *p;
	unsigned bits = 0;
	char id[16] = "";

	p = strstr(text, "\nvendor_id");
	if (!p && !strncmp(text, "vendor_id", 9))
		p = text - 1;
	if (p && (p = strchr(p + 1, ':')))
		sscanf(p + 1, " %15s", id);
	p = strstr(text, "address sizes");
	if (p && (p = strchr(p, ':')))
		if (sscanf(p + 1, " %u bits physical", &bits) != 1)
			bits = 0;
	if (!bits)
		return false;
	cpu->phys_bits = bits;
	set_vendor(cpu, id);
	cpu->source = HOST_CPU_PROC;
	return true;
}

static bool read_proc(struct host_cpu *cpu)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char *text;
	size_t n;
	bool ok;

	if (!f)
		return false;
	text = malloc(65537);
	if (!text) {
		fclose(f);
		return false;
	}
	/* The first processor's block is enough. */
	n = fread(text, 1, 65536, f);
	text[n] = '\0';
	fclose(f);
	ok = host_cpu_parse_cpuinfo(text, cpu);
	free(text);
	return ok;
}

bool host_cpu_read(struct host_cpu *cpu)
{
	memset(cpu, 0, sizeof(*cpu));
	return read_cpuid(cpu) || read_proc(cpu);
}

bool host_mem_summary(uint64_t ram, unsigned slots,
		      struct host_mem_summary *s)
{
	struct qemu_mem_config c = { 0 };
	char *qemu;

	memset(s, 0, sizeof(*s));
	if (!host_cpu_read(&s->cpu))
		return false;
	s->qemu_version = QEMU_MODEL_NEWEST;
	qemu = qemu_find_binary(QEMU_X86_BINARY);
	if (qemu && qemu_binary_version(qemu, &s->qemu_version))
		s->qemu_found = true;
	free(qemu);
	if (s->qemu_version > QEMU_MODEL_NEWEST)
		s->qemu_version = QEMU_MODEL_NEWEST;

	c.qemu_version = s->qemu_version;
	c.machine = QEMU_MACHINE_Q35;
	c.machine_version = s->qemu_version;
	c.vendor = s->cpu.vendor;
	c.lm = true;
	c.phys_bits = s->cpu.phys_bits;
	if (c.phys_bits < QEMU_MIN_PHYS_BITS)
		c.phys_bits = QEMU_MIN_PHYS_BITS;
	if (c.phys_bits > QEMU_MAX_PHYS_BITS)
		c.phys_bits = QEMU_MAX_PHYS_BITS;
	c.ram = ram;
	c.slots = slots;
	c.pci_hole64_size = qemu_default_hole64(c.machine);
	s->ram = ram;
	s->slots = slots;
	s->address_limit = (1ULL << c.phys_bits) - 1;
	s->max_maxmem = qemu_mem_max_maxmem(&c);
	return true;
}
