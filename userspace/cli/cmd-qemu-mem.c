// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu qemu-mem: will QEMU start with this -m size,slots,maxmem on
 * this CPU, and what are the largest maxmem values that do? A thin layer
 * over the model in qemu_layout.c.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "qemu/binary.h"
#include "qemu/cpu.h"
#include "qemu/layout.h"
#include "qemu/size.h"

#define TABLE_SLOTS	32

struct opts {
	struct qemu_mem_config c;
	const char *machine;
	const char *version_source;	/* "option", "PATH", "model" */
	const char *bits_source;	/* "option", "CPUID", ... */
	const char *vendor_source;
	bool json;
};

static void usage(FILE *out)
{
	fprintf(out,
"Usage: %s qemu-mem --ram SIZE [options]\n"
"\n"
"Say whether QEMU starts with '-m SIZE,slots=N,maxmem=MAX' on a CPU with the\n"
"given phys-bits, the layout it builds, and the largest maxmem that fits.\n"
"\n"
"  --ram SIZE              the -m size (a bare number is MiB, as for -m)\n"
"  --slots N               memory slots (default 0, as QEMU; at most 256)\n"
"  --maxmem SIZE           judge this maxmem (a bare number is bytes)\n"
"  --machine TYPE          pc, q35, pc-i440fx-X.Y, pc-q35-X.Y (default q35)\n"
"  --qemu-version X.Y      QEMU release (default: %s on PATH,\n"
"                          else %u.%u, the newest modelled)\n"
"  --phys-bits N           guest phys-bits, 32..52 (default: the host's)\n"
"  --cpu-vendor intel|amd  vCPU vendor (default: the host's)\n"
"  --32bit                 a 32-bit CPU model: no 64-bit PCI hole; phys-bits\n"
"                          32, or 36 with PAE/PSE36 (the default)\n"
"  --pci-hole64-size SIZE  host bridge pci-hole64-size (default 32G for q35,\n"
"                          2G for pc)\n"
"  --cxl                   -machine cxl=on\n"
"  --cxl-fmw SIZE          a CXL fixed memory window (repeatable; implies --cxl)\n"
"  --json                  print one JSON object\n"
"  --incus[=VERSION]       what Incus writes instead: see --incus --help\n"
"\n"
"Sizes take QEMU's suffixes K, M, G, T, P, E and fractions such as 59.5G.\n"
"Exit status: 0 when the judged maxmem fits (or none was given), 1 when QEMU\n"
"would refuse it, 2 for bad input.\n",
		prog, QEMU_X86_BINARY, QEMU_VER_MAJOR(QEMU_MODEL_NEWEST),
		QEMU_VER_MINOR(QEMU_MODEL_NEWEST));
}

static bool parse_size_opt(const char *name, const char *val, char dflt,
			   uint64_t *out)
{
	int ret = dflt == 'M' ? qemu_parse_ram_size(val, out) :
				qemu_strtosz(val, dflt, out);

	if (ret == -ERANGE) {
		errmsg("%s '%s': too large", name, val);
		return false;
	}
	if (ret) {
		errmsg("%s '%s': not a size (a number with an optional "
		       "K, M, G, T, P or E suffix, e.g. 59.5G)", name, val);
		return false;
	}
	return true;
}

/* Fill in what was not given from the QEMU on PATH and the host CPU. */
static bool apply_defaults(struct opts *o, bool have_version, bool have_bits,
			   bool have_vendor)
{
	struct host_cpu cpu;
	bool have_cpu = false;
	char err[160];

	if (!have_version) {
		char *qemu = qemu_find_binary(QEMU_X86_BINARY);
		unsigned v;

		o->c.qemu_version = QEMU_MODEL_NEWEST;
		o->version_source = "model";
		if (qemu && qemu_binary_version(qemu, &v)) {
			o->version_source = "PATH";
			if (v > QEMU_MODEL_NEWEST)
				errmsg("warning: %s is QEMU %u.%u, newer than the "
				       "model; using the rules of %u.%u",
				       qemu, QEMU_VER_MAJOR(v), QEMU_VER_MINOR(v),
				       QEMU_VER_MAJOR(QEMU_MODEL_NEWEST),
				       QEMU_VER_MINOR(QEMU_MODEL_NEWEST));
			else
				o->c.qemu_version = v;
		}
		free(qemu);
		if (o->c.qemu_version < QEMU_MODEL_OLDEST) {
			errmsg("QEMU on PATH is older than %u.%u; pass "
			       "--qemu-version", QEMU_VER_MAJOR(QEMU_MODEL_OLDEST),
			       QEMU_VER_MINOR(QEMU_MODEL_OLDEST));
			return false;
		}
	}
	if (!qemu_parse_machine(o->machine, o->c.qemu_version, &o->c.machine,
				&o->c.machine_version, err, sizeof(err))) {
		errmsg("--machine: %s", err);
		return false;
	}
	if (!o->c.pci_hole64_size)
		o->c.pci_hole64_size = qemu_default_hole64(o->c.machine);

	if (!have_bits || !have_vendor)
		have_cpu = host_cpu_read(&cpu);
	if (!have_vendor) {
		o->c.vendor = have_cpu ? cpu.vendor : QEMU_VENDOR_INTEL;
		o->vendor_source = have_cpu ? "host" : "default";
	}
	if (!have_bits && !o->c.lm) {
		o->c.phys_bits = 36;
		o->bits_source = "32-bit CPU with PAE/PSE36";
	} else if (!have_bits) {
		if (!have_cpu) {
			errmsg("cannot read the host's phys-bits (CPUID or "
			       "/proc/cpuinfo); pass --phys-bits");
			return false;
		}
		o->c.phys_bits = cpu.phys_bits;
		o->bits_source = cpu.source == HOST_CPU_CPUID ?
				 "host CPUID 0x80000008" : "host /proc/cpuinfo";
		if (o->c.phys_bits > QEMU_MAX_PHYS_BITS)
			o->c.phys_bits = QEMU_MAX_PHYS_BITS;
	}
	return true;
}

/* The options given, for apply_defaults(). */
struct given {
	bool ram, version, bits, vendor;
};

enum { O_RAM = 256, O_SLOTS, O_MAXMEM, O_MACHINE, O_VERSION, O_BITS,
       O_VENDOR, O_32BIT, O_HOLE64, O_CXL, O_CXL_FMW, O_JSON };
static const struct option lopts[] = {
	{ "ram", required_argument, NULL, O_RAM },
	{ "slots", required_argument, NULL, O_SLOTS },
	{ "maxmem", required_argument, NULL, O_MAXMEM },
	{ "machine", required_argument, NULL, O_MACHINE },
	{ "qemu-version", required_argument, NULL, O_VERSION },
	{ "phys-bits", required_argument, NULL, O_BITS },
	{ "cpu-vendor", required_argument, NULL, O_VENDOR },
	{ "32bit", no_argument, NULL, O_32BIT },
	{ "pci-hole64-size", required_argument, NULL, O_HOLE64 },
	{ "cxl", no_argument, NULL, O_CXL },
	{ "cxl-fmw", required_argument, NULL, O_CXL_FMW },
	{ "json", no_argument, NULL, O_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* One option into @o; false after a message. */
static bool one_opt(struct opts *o, int opt, const char *arg, struct given *g)
{
	uint64_t v;

	switch (opt) {
	case O_RAM:
		if (!parse_size_opt("--ram", arg, 'M', &o->c.ram))
			return false;
		g->ram = true;
		break;
	case O_SLOTS:
		if (!parse_u64(arg, &v) || v > QEMU_MAX_RAM_SLOTS) {
			errmsg("--slots '%s': expected 0..%u (QEMU's "
			       "limit)", arg, QEMU_MAX_RAM_SLOTS);
			return false;
		}
		o->c.slots = v;
		break;
	case O_MAXMEM:
		if (!parse_size_opt("--maxmem", arg, 'B', &o->c.maxmem))
			return false;
		if (!o->c.maxmem) {
			errmsg("--maxmem '%s': must not be 0", arg);
			return false;
		}
		break;
	case O_MACHINE:
		o->machine = arg;
		break;
	case O_VERSION:
		if (!qemu_parse_version(arg, &o->c.qemu_version)) {
			errmsg("--qemu-version '%s': expected X.Y", arg);
			return false;
		}
		if (o->c.qemu_version < QEMU_MODEL_OLDEST ||
		    o->c.qemu_version > QEMU_MODEL_NEWEST) {
			errmsg("--qemu-version '%s': the model covers QEMU "
			       "%u.%u to %u.%u", arg,
			       QEMU_VER_MAJOR(QEMU_MODEL_OLDEST),
			       QEMU_VER_MINOR(QEMU_MODEL_OLDEST),
			       QEMU_VER_MAJOR(QEMU_MODEL_NEWEST),
			       QEMU_VER_MINOR(QEMU_MODEL_NEWEST));
			return false;
		}
		g->version = true;
		break;
	case O_BITS:
		if (!parse_u64(arg, &v) || v < QEMU_MIN_PHYS_BITS ||
		    v > QEMU_MAX_PHYS_BITS) {
			errmsg("--phys-bits '%s': expected %u..%u", arg,
			       QEMU_MIN_PHYS_BITS, QEMU_MAX_PHYS_BITS);
			return false;
		}
		o->c.phys_bits = v;
		g->bits = true;
		break;
	case O_VENDOR:
		if (!qemu_parse_vendor(arg, &o->c.vendor)) {
			errmsg("--cpu-vendor '%s': expected intel or amd",
			       arg);
			return false;
		}
		g->vendor = true;
		break;
	case O_32BIT:
		o->c.lm = false;
		break;
	case O_HOLE64:
		if (!parse_size_opt("--pci-hole64-size", arg, 'B',
				    &o->c.pci_hole64_size))
			return false;
		if (!o->c.pci_hole64_size) {
			/* 0 is a valid QEMU value; keep it distinct
			 * from "not given". */
			errmsg("--pci-hole64-size 0 is not modelled; "
			       "use at least 4K");
			return false;
		}
		break;
	case O_CXL_FMW:
		if (!parse_size_opt("--cxl-fmw", arg, 'B', &v))
			return false;
		if (!v || v % (256 * MiB)) {
			errmsg("--cxl-fmw '%s': a CXL window is a "
			       "non-zero multiple of 256M", arg);
			return false;
		}
		o->c.cxl_fmw_size += v;
		/* fall through */
	case O_CXL:
		o->c.cxl = true;
		break;
	case O_JSON:
		o->json = true;
		break;
	}
	return true;
}

/* What the options say together, and the defaults; false after a message. */
static bool finish_args(struct opts *o, const struct given *g)
{
	char err[160];

	if (!g->ram) {
		errmsg("qemu-mem: --ram SIZE is required");
		return false;
	}
	if (!apply_defaults(o, g->version, g->bits, g->vendor))
		return false;
	if (!qemu_mem_validate(&o->c, err, sizeof(err))) {
		errmsg("qemu-mem: %s", err);
		return false;
	}
	return true;
}

/* false with *@rc the exit status (after --help, or a usage error). */
static bool parse_args(int argc, char **argv, struct opts *o, int *rc)
{
	struct given g = { 0 };
	int opt;

	memset(o, 0, sizeof(*o));
	o->c.lm = true;
	o->machine = "q35";
	o->version_source = o->bits_source = o->vendor_source = "option";
	*rc = EXIT_USAGE;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			*rc = EXIT_OK;
			return false;
		}
		if (opt == '?' || opt == ':') {
			if (optopt && optopt < 256)
				errmsg("qemu-mem: unknown option '-%c'", optopt);
			else
				errmsg("qemu-mem: unknown option '%s' or "
				       "missing value", argv[optind - 1]);
			errtryhelp();
			return false;
		}
		if (!one_opt(o, opt, optarg, &g)) {
			errtryhelp();
			return false;
		}
	}
	if (optind < argc) {
		usage_error("qemu-mem: unexpected argument '%s'", argv[optind]);
		return false;
	}
	if (!finish_args(o, &g)) {
		errtryhelp();
		return false;
	}
	return true;
}

/* QEMU's own refusal text, as printed by pc_memory_init(). */
static void refusal_text(const struct qemu_mem_layout *l,
			 const struct qemu_mem_config *c, char *buf, size_t len)
{
	char mname[48];

	qemu_machine_name(c->machine, c->machine_version, mname,
			  sizeof(mname));
	if (l->verdict == QEMU_MEM_PHYS_BITS_TOO_LOW)
		snprintf(buf, len, "Address space limit 0x%" PRIx64 " < 0x%"
			 PRIx64 " phys-bits too low (%u)", l->address_limit,
			 l->max_used_gpa, c->phys_bits);
	else if (l->verdict == QEMU_MEM_NO_HOTPLUG)
		snprintf(buf, len, "\"-memory 'slots|maxmem'\" is not "
			 "supported by: %s", mname);
	else if (l->verdict == QEMU_MEM_MAXMEM_UNALIGNED)
		snprintf(buf, len, "maximum memory size must by aligned to "
			 "multiple of 4096 bytes");
	else
		buf[0] = '\0';
}

static const char *max_status(uint64_t m)
{
	return !m ? "none-fits" : m == QEMU_MEM_UNLIMITED ? "unlimited" :
							    "bounded";
}

static void fmt_max(uint64_t m, char *buf, size_t len)
{
	if (!m)
		snprintf(buf, len, "none");
	else if (m == QEMU_MEM_UNLIMITED)
		snprintf(buf, len, "no limit");
	else
		qemu_size_str(m, buf, len);
}

struct snippets {
	bool valid;
	char qemu[128];
	char incus[256];
	char libvirt[256];
};

static void make_snippets(const struct qemu_mem_config *c, uint64_t maxmem,
			  struct snippets *s)
{
	char r[32], m[32];
	uint64_t ram = (c->ram + 8191) / 8192 * 8192;

	s->valid = maxmem && maxmem != QEMU_MEM_UNLIMITED;
	if (!s->valid)
		return;
	qemu_size_str(ram, r, sizeof(r));
	qemu_size_str(maxmem, m, sizeof(m));
	snprintf(s->qemu, sizeof(s->qemu), "-m size=%s,slots=%u,maxmem=%s",
		 r, c->slots, m);
	snprintf(s->incus, sizeof(s->incus),
		 "raw.qemu.conf: |-\n  [memory]\n  size = \"%s\"\n"
		 "  slots = \"%u\"\n  maxmem = \"%s\"", r, c->slots, m);
	/* libvirt needs a guest NUMA cell (<cpu><numa>) for memory hotplug
	 * on x86, and writes slots/maxMemory into -m. */
	if (c->slots)
		snprintf(s->libvirt, sizeof(s->libvirt),
			 "<maxMemory slots='%u' unit='KiB'>%" PRIu64
			 "</maxMemory>\n<memory unit='KiB'>%" PRIu64
			 "</memory>\n<!-- and a <cpu><numa><cell .../></numa>"
			 "</cpu> for hotplug -->", c->slots, maxmem / KiB,
			 ram / KiB);
	else
		snprintf(s->libvirt, sizeof(s->libvirt),
			 "<maxMemory unit='KiB'>%" PRIu64 "</maxMemory>\n"
			 "<memory unit='KiB'>%" PRIu64 "</memory>",
			 maxmem / KiB, ram / KiB);
}

static void print_indented(const char *title, const char *text)
{
	const char *nl;

	printf("%s\n", title);
	for (; (nl = strchr(text, '\n')); text = nl + 1)
		printf("  %.*s\n", (int)(nl - text), text);
	printf("  %s\n", text);
}

static void print_range(const char *what, uint64_t start, uint64_t size)
{
	char h[32];

	size_human(size, h, sizeof(h));
	if (size)
		printf("  %-18s 0x%012" PRIx64 " - 0x%012" PRIx64 "  %s\n",
		       what, start, start + size - 1, h);
	else
		printf("  %-18s none\n", what);
}

static void print_human(const struct opts *o, const struct qemu_mem_layout *l,
			bool base_fits, uint64_t max, const uint64_t *table,
			const struct snippets *s)
{
	const struct qemu_mem_config *c = &o->c;
	char mname[48], a[32], b[32], refusal[160];
	int i;

	qemu_machine_name(c->machine, c->machine_version, mname, sizeof(mname));
	printf("QEMU %u.%u (%s), machine %s\n", QEMU_VER_MAJOR(c->qemu_version),
	       QEMU_VER_MINOR(c->qemu_version),
	       !strcmp(o->version_source, "PATH") ? QEMU_X86_BINARY " on PATH" :
	       !strcmp(o->version_source, "model") ? "no QEMU on PATH: newest "
						     "modelled" : "--qemu-version",
	       mname);
	printf("CPU: %s, %s, phys-bits %u (%s)\n",
	       c->vendor == QEMU_VENDOR_AMD ? "AMD" : "Intel",
	       c->lm ? "64-bit" : "32-bit", c->phys_bits, o->bits_source);
	size_human(l->address_limit + 1, a, sizeof(a));
	printf("Address limit: 0x%" PRIx64 " (%s)\n", l->address_limit, a);
	if (!l->checked)
		printf("Note: QEMU before 7.1 does not check phys-bits; it "
		       "starts with any maxmem,\nbut the guest cannot use "
		       "memory above the limit.\n");

	qemu_size_str(l->ram, a, sizeof(a));
	qemu_size_str(l->maxmem, b, sizeof(b));
	printf("\nLayout for -m %s,slots=%u,maxmem=%s%s:\n", a, c->slots, b,
	       c->maxmem ? "" : " (largest maxmem, or none)");
	print_range("RAM below 4G", 0, l->below_4g);
	print_range(l->amd_relocated ? "RAM above 4G (1T)" : "RAM above 4G",
		    l->above_4g_start, l->above_4g);
	if (l->device_mem) {
		print_range("device memory", l->device_mem_base,
			    l->device_mem_size);
		size_human(l->maxmem - l->ram, a, sizeof(a));
		printf("  %-18s (maxmem - ram = %s, plus 1 GiB per slot x %u)\n",
		       "", a, c->slots);
	} else {
		printf("  %-18s none (maxmem = ram)\n", "device memory");
	}
	if (l->cxl)
		print_range("CXL", l->cxl_base, l->cxl_end - l->cxl_base);
	if (l->hole64)
		print_range("64-bit PCI hole", l->hole64_start, l->hole64_size);
	else
		printf("  %-18s none (32-bit CPU)\n", "64-bit PCI hole");
	if (l->amd_ht_hole)
		printf("  %-18s 0x00fd00000000 - 0x00ffffffffff  (AMD HyperTransport%s)\n",
		       "reserved", l->amd_relocated ?
		       ", RAM above 4G moved to 1 TiB" : "");
	printf("  %-18s 0x%" PRIx64 "\n", "max used GPA", l->max_used_gpa);

	if (c->maxmem) {
		refusal_text(l, c, refusal, sizeof(refusal));
		if (l->verdict == QEMU_MEM_STARTS)
			printf("\nfits: yes (QEMU starts)\n");
		else
			printf("\nfits: no (QEMU refuses: %s)\n", refusal);
	}

	if (!base_fits) {
		qemu_size_str(l->ram, a, sizeof(a));
		printf("\nWithout hotplug (-m %s alone) QEMU refuses to start"
		       ".\n", a);
	}
	fmt_max(max, a, sizeof(a));
	printf("\nLargest maxmem with %u slot%s: %s", c->slots,
	       c->slots == 1 ? "" : "s", a);
	if (max && max != QEMU_MEM_UNLIMITED)
		printf(" (%" PRIu64 " bytes)", max);
	if (max == QEMU_MEM_UNLIMITED)
		printf("\n  (QEMU does not count device memory here: %s)",
		       c->lm ? "phys-bits 32 skips the check before 8.2, "
		       "and pc-*-2.4 and older end the 64-bit hole at the "
		       "device memory base" :
		       "32-bit CPU on a pc-*-8.1 or older machine type");
	printf("\n\nLargest maxmem by slots:\n");
	for (i = 0; i < TABLE_SLOTS; i++) {
		fmt_max(table[i], a, sizeof(a));
		printf("  %2d: %-10s%s", i + 1, a, i % 4 == 3 ? "\n" : "");
	}

	if (s->valid) {
		print_indented("\nQEMU:", s->qemu);
		print_indented("Incus (instance config):", s->incus);
		print_indented("libvirt (domain XML):", s->libvirt);
	}
}

static void print_json(const struct opts *o, const struct qemu_mem_layout *l,
		       bool base_fits, uint64_t max, const uint64_t *table,
		       const struct snippets *s)
{
	const struct qemu_mem_config *c = &o->c;
	char buf[160];
	struct json j;
	int i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	snprintf(buf, sizeof(buf), "%u.%u", QEMU_VER_MAJOR(c->qemu_version),
		 QEMU_VER_MINOR(c->qemu_version));
	json_string(&j, "qemu_version", buf);
	json_string(&j, "qemu_version_source", o->version_source);
	qemu_machine_name(c->machine, c->machine_version, buf, sizeof(buf));
	json_string(&j, "machine", buf);
	json_string(&j, "cpu_vendor",
		    c->vendor == QEMU_VENDOR_AMD ? "amd" : "intel");
	json_bool(&j, "cpu_64bit", c->lm);
	json_u64(&j, "phys_bits", c->phys_bits);
	json_string(&j, "phys_bits_source", o->bits_source);
	json_u64(&j, "ram", l->ram);
	json_u64(&j, "slots", c->slots);
	if (c->maxmem)
		json_u64(&j, "maxmem", c->maxmem);
	json_u64(&j, "pci_hole64_size", c->pci_hole64_size);
	json_u64(&j, "address_limit", l->address_limit);
	json_bool(&j, "checked", l->checked);

	json_u64(&j, "layout_maxmem", l->maxmem);
	json_u64(&j, "below_4g", l->below_4g);
	json_u64(&j, "above_4g", l->above_4g);
	json_u64(&j, "above_4g_start", l->above_4g_start);
	json_bool(&j, "amd_ht_hole", l->amd_ht_hole);
	json_bool(&j, "amd_relocated", l->amd_relocated);
	if (l->device_mem) {
		json_u64(&j, "device_memory_base", l->device_mem_base);
		json_u64(&j, "device_memory_size", l->device_mem_size);
	} else {
		json_null(&j, "device_memory_base");
		json_u64(&j, "device_memory_size", 0);
	}
	if (l->cxl) {
		json_u64(&j, "cxl_base", l->cxl_base);
		json_u64(&j, "cxl_end", l->cxl_end);
	}
	if (l->hole64) {
		json_u64(&j, "pci_hole64_start", l->hole64_start);
	} else {
		json_null(&j, "pci_hole64_start");
	}
	json_u64(&j, "layout_max_used_gpa", l->max_used_gpa);
	json_bool(&j, "fits_without_hotplug", base_fits);
	if (c->maxmem) {
		json_u64(&j, "max_used_gpa", l->max_used_gpa);
		json_bool(&j, "fits", l->verdict == QEMU_MEM_STARTS);
		refusal_text(l, c, buf, sizeof(buf));
		if (buf[0])
			json_string(&j, "qemu_error", buf);
		else
			json_null(&j, "qemu_error");
	}
	if (max && max != QEMU_MEM_UNLIMITED)
		json_u64(&j, "max_maxmem", max);
	else
		json_null(&j, "max_maxmem");
	json_string(&j, "max_maxmem_status", max_status(max));
	json_array_begin(&j, "by_slots");
	for (i = 0; i < TABLE_SLOTS; i++) {
		json_object_begin(&j, NULL);
		json_u64(&j, "slots", i + 1);
		if (table[i] && table[i] != QEMU_MEM_UNLIMITED)
			json_u64(&j, "max_maxmem", table[i]);
		else
			json_null(&j, "max_maxmem");
		json_object_end(&j);
	}
	json_array_end(&j);
	if (s->valid) {
		json_object_begin(&j, "snippets");
		json_string(&j, "qemu", s->qemu);
		json_string(&j, "incus", s->incus);
		json_string(&j, "libvirt", s->libvirt);
		json_object_end(&j);
	}
	json_object_end(&j);
	json_finish(&j);
}

int cmd_qemu_mem(int argc, char **argv)
{
	uint64_t table[TABLE_SLOTS], max;
	struct qemu_mem_layout l;
	struct qemu_mem_config t;
	struct snippets s;
	bool base_fits;
	struct opts o;
	int i, rc;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strncmp(argv[i], "--incus", 7) &&
		    (!argv[i][7] || argv[i][7] == '='))
			return cmd_qemu_mem_incus(argc, argv);
	if (!parse_args(argc, argv, &o, &rc))
		return rc;

	max = qemu_mem_max_maxmem(&o.c);
	t = o.c;
	for (i = 0; i < TABLE_SLOTS; i++) {
		t.slots = i + 1;
		table[i] = qemu_mem_max_maxmem(&t);
	}

	/* Without a maxmem to judge, show the layout at the largest one. */
	t = o.c;
	if (!t.maxmem && max && max != QEMU_MEM_UNLIMITED)
		t.maxmem = max;
	qemu_mem_layout(&t, &l);

	/* -m alone, no slots and no maxmem */
	t = o.c;
	t.maxmem = 0;
	t.slots = 0;
	base_fits = qemu_mem_fits(&t);

	make_snippets(&o.c, o.c.maxmem && l.verdict == QEMU_MEM_STARTS ?
			    o.c.maxmem : max, &s);
	if (o.json)
		print_json(&o, &l, base_fits, max, table, &s);
	else
		print_human(&o, &l, base_fits, max, table, &s);

	if (o.c.maxmem && l.verdict != QEMU_MEM_STARTS)
		return EXIT_FAIL;
	return EXIT_OK;
}
