// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu qemu-mem --incus[=VERSION]: the memory options a release of
 * Incus writes for a VM on this host, whether QEMU starts with them, and
 * the limits.memory.hotplug (or raw.qemu.conf) that fits. A thin layer
 * over qemu_incus.c; the host facts are read here.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qemu/cpu.h"
#include "json.h"
#include "qemu/binary.h"
#include "qemu/incus.h"
#include "qemu/layout.h"
#include "qemu/size.h"

struct iopts {
	struct incus_input in;
	const char *version_source, *bits_source, *mem_source, *qemu_source;
	bool json;
};

static void usage(FILE *out)
{
	fprintf(out,
"Usage: %s qemu-mem --incus[=VERSION] [options]\n"
"\n"
"Show the [memory] options the given Incus release writes for a VM with\n"
"this limits.memory on this host, whether QEMU starts with them, and the\n"
"largest limits.memory.hotplug (6.0.5+, 6.15+) or raw.qemu.conf maxmem\n"
"(6.12 to 6.14) that it does start with.\n"
"\n"
"  --incus[=VERSION]            Incus release, 6.0.0 to %u.%u (default %u.%u)\n"
"  --limits-memory VALUE        limits.memory as Incus takes it: 4GiB, 4GB,\n"
"                               4294967296, 50%% (default Incus's 1GiB)\n"
"  --limits-memory-hotplug VAL  limits.memory.hotplug: true, false or a size\n"
"  --clustered                  the server is a cluster member\n"
"  --incus-cpu host|kvm64|other the -cpu Incus picks (default host; kvm64 in\n"
"                               a cluster for live-migratable VMs, other for\n"
"                               a cluster group baseline)\n"
"  --phys-bits N                the host's phys-bits (default: this host's)\n"
"  --host-mem SIZE              the host's memory as Incus reads it (default:\n"
"                               /proc/meminfo MemTotal kB x 1000, as Incus)\n"
"  --guest-phys-bits N          the vCPU's phys-bits (default: the host's for\n"
"                               -cpu host, else QEMU's 40)\n"
"  --cpu-vendor intel|amd       vCPU vendor (default: the host's)\n"
"  --qemu-version X.Y           QEMU release (default: %s on PATH)\n"
"  --json                       print one JSON object\n"
"\n"
"Sizes for --host-mem take QEMU's suffixes (K, M, G, ...). Exit status: 0\n"
"when QEMU starts with what Incus writes, 1 when QEMU or Incus refuses it,\n"
"2 for bad input.\n",
		prog, INCUS_VER_MAJOR(INCUS_MODEL_NEWEST),
		INCUS_VER_MINOR(INCUS_MODEL_NEWEST),
		INCUS_VER_MAJOR(INCUS_MODEL_NEWEST),
		INCUS_VER_MINOR(INCUS_MODEL_NEWEST), QEMU_X86_BINARY);
}

/* /proc/meminfo "MemTotal:" in kB; 0 when unreadable. */
static uint64_t memtotal_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	unsigned long long kb = 0;
	char line[128];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static bool parse_bits(const char *name, const char *val, unsigned *out)
{
	uint64_t v;

	if (!parse_u64(val, &v) || v < QEMU_MIN_PHYS_BITS ||
	    v > QEMU_MAX_PHYS_BITS) {
		errmsg("%s '%s': expected %u..%u", name, val,
		       QEMU_MIN_PHYS_BITS, QEMU_MAX_PHYS_BITS);
		return false;
	}
	*out = v;
	return true;
}

static bool host_defaults(struct iopts *o, bool have_bits, bool have_vendor,
			  bool have_mem, bool have_qemu)
{
	struct host_cpu cpu;
	bool have_cpu = false;

	if (!have_qemu) {
		char *qemu = qemu_find_binary(QEMU_X86_BINARY);
		unsigned v = 0;

		o->in.qemu_version = QEMU_MODEL_NEWEST;
		o->qemu_source = "model";
		if (qemu && qemu_binary_version(qemu, &v) &&
		    v >= QEMU_MODEL_OLDEST && v <= QEMU_MODEL_NEWEST) {
			o->in.qemu_version = v;
			o->qemu_source = "PATH";
		}
		free(qemu);
	}
	if (!have_bits || !have_vendor)
		have_cpu = host_cpu_read(&cpu);
	if (!have_vendor)
		o->in.vendor = have_cpu && o->in.cpu == INCUS_CPU_HOST ?
			       cpu.vendor : QEMU_VENDOR_INTEL;
	if (!have_bits) {
		if (!have_cpu) {
			errmsg("cannot read the host's phys-bits; pass "
			       "--phys-bits");
			return false;
		}
		o->in.host_phys_bits = cpu.phys_bits > QEMU_MAX_PHYS_BITS ?
				       QEMU_MAX_PHYS_BITS : cpu.phys_bits;
		o->bits_source = "host";
	}
	if (!have_mem) {
		uint64_t kb = memtotal_kb();

		if (!kb) {
			errmsg("cannot read MemTotal from /proc/meminfo; pass "
			       "--host-mem");
			return false;
		}
		o->in.host_mem = incus_host_mem_from_memtotal_kb(kb);
		o->mem_source = "/proc/meminfo MemTotal kB x 1000";
	}
	return true;
}

static bool parse_args(int argc, char **argv, struct iopts *o, int *rc)
{
	enum { O_INCUS = 256, O_LM, O_HOTPLUG, O_CLUSTERED, O_CPU, O_BITS,
	       O_HOSTMEM, O_GBITS, O_VENDOR, O_QEMU, O_JSON };
	static const struct option lopts[] = {
		{ "incus", optional_argument, NULL, O_INCUS },
		{ "limits-memory", required_argument, NULL, O_LM },
		{ "limits-memory-hotplug", required_argument, NULL, O_HOTPLUG },
		{ "clustered", no_argument, NULL, O_CLUSTERED },
		{ "incus-cpu", required_argument, NULL, O_CPU },
		{ "phys-bits", required_argument, NULL, O_BITS },
		{ "host-mem", required_argument, NULL, O_HOSTMEM },
		{ "guest-phys-bits", required_argument, NULL, O_GBITS },
		{ "cpu-vendor", required_argument, NULL, O_VENDOR },
		{ "qemu-version", required_argument, NULL, O_QEMU },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool have_bits = false, have_vendor = false, have_mem = false;
	bool have_qemu = false;
	enum incus_rules rules;
	int opt, ret;

	memset(o, 0, sizeof(*o));
	o->in.incus_version = INCUS_MODEL_NEWEST;
	o->version_source = "default";
	o->bits_source = o->mem_source = o->qemu_source = "option";
	*rc = EXIT_USAGE;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (opt) {
		case O_INCUS:
			if (!optarg)
				break;
			if (incus_parse_version(optarg, &o->in.incus_version) ||
			    incus_rules_of(o->in.incus_version, &rules)) {
				errmsg("--incus=%s: expected an Incus release "
				       "6.0.0 to %u.%u", optarg,
				       INCUS_VER_MAJOR(INCUS_MODEL_NEWEST),
				       INCUS_VER_MINOR(INCUS_MODEL_NEWEST));
				return false;
			}
			o->version_source = "option";
			break;
		case O_LM:
			o->in.limits_memory = optarg;
			break;
		case O_HOTPLUG:
			o->in.hotplug = optarg;
			break;
		case O_CLUSTERED:
			o->in.clustered = true;
			break;
		case O_CPU:
			if (!strcmp(optarg, "host"))
				o->in.cpu = INCUS_CPU_HOST;
			else if (!strcmp(optarg, "kvm64"))
				o->in.cpu = INCUS_CPU_KVM64;
			else if (!strcmp(optarg, "other"))
				o->in.cpu = INCUS_CPU_OTHER;
			else {
				errmsg("--incus-cpu '%s': expected host, kvm64 "
				       "or other", optarg);
				return false;
			}
			break;
		case O_BITS:
			if (!parse_bits("--phys-bits", optarg,
					&o->in.host_phys_bits))
				return false;
			have_bits = true;
			break;
		case O_GBITS:
			if (!parse_bits("--guest-phys-bits", optarg,
					&o->in.guest_phys_bits))
				return false;
			break;
		case O_HOSTMEM:
			ret = qemu_strtosz(optarg, 'B', &o->in.host_mem);
			if (ret || !o->in.host_mem ||
			    o->in.host_mem > QEMU_MODEL_MAX_SIZE) {
				errmsg("--host-mem '%s': not a size between 1 "
				       "byte and 1E", optarg);
				return false;
			}
			have_mem = true;
			break;
		case O_VENDOR:
			if (!qemu_parse_vendor(optarg, &o->in.vendor)) {
				errmsg("--cpu-vendor '%s': expected intel or "
				       "amd", optarg);
				return false;
			}
			have_vendor = true;
			break;
		case O_QEMU:
			if (!qemu_parse_version(optarg, &o->in.qemu_version) ||
			    o->in.qemu_version < QEMU_MODEL_OLDEST ||
			    o->in.qemu_version > QEMU_MODEL_NEWEST) {
				errmsg("--qemu-version '%s': expected X.Y, %u.%u "
				       "to %u.%u", optarg,
				       QEMU_VER_MAJOR(QEMU_MODEL_OLDEST),
				       QEMU_VER_MINOR(QEMU_MODEL_OLDEST),
				       QEMU_VER_MAJOR(QEMU_MODEL_NEWEST),
				       QEMU_VER_MINOR(QEMU_MODEL_NEWEST));
				return false;
			}
			have_qemu = true;
			break;
		case O_JSON:
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			*rc = EXIT_OK;
			return false;
		default:
			if (optopt && optopt < 256)
				errmsg("qemu-mem --incus: unknown option '-%c'",
				       optopt);
			else
				errmsg("qemu-mem --incus: unknown option '%s' "
				       "or missing value (the qemu-mem options "
				       "--ram, --slots, --maxmem, --machine do "
				       "not apply: Incus sets them)",
				       argv[optind - 1]);
			usage(stderr);
			return false;
		}
	}
	if (optind < argc) {
		errmsg("qemu-mem --incus: unexpected argument '%s'",
		       argv[optind]);
		return false;
	}
	return host_defaults(o, have_bits, have_vendor, have_mem, have_qemu);
}

static const char *rule_text(enum incus_max_rule rule)
{
	switch (rule) {
	case INCUS_MAX_NONE:		return "none (no hotplug before 6.12)";
	case INCUS_MAX_HOST_MEM:	return "the host's total memory";
	case INCUS_MAX_PHYS_BITS:	return "2^(phys-bits - 1)";
	case INCUS_MAX_CAP_1T:		return "2^(phys-bits - 1) capped at 1 TiB";
	case INCUS_MAX_HOTPLUG_KEY:	return "limits.memory.hotplug";
	case INCUS_MAX_RAISED:		return "raised to limits.memory";
	case INCUS_MAX_DISABLED:	break;
	}
	return "hotplug off (= limits.memory)";
}

static const char *rule_key(enum incus_max_rule rule)
{
	static const char *const k[] = {
		[INCUS_MAX_NONE] = "none", [INCUS_MAX_HOST_MEM] = "host-memory",
		[INCUS_MAX_PHYS_BITS] = "phys-bits",
		[INCUS_MAX_CAP_1T] = "cap-1tib",
		[INCUS_MAX_HOTPLUG_KEY] = "hotplug-key",
		[INCUS_MAX_RAISED] = "limits-memory",
		[INCUS_MAX_DISABLED] = "disabled",
	};
	return k[rule];
}

static const char *fix_key(enum incus_fix fix)
{
	static const char *const k[] = {
		[INCUS_FIX_HOTPLUG_KEY] = "limits.memory.hotplug",
		[INCUS_FIX_HOTPLUG_OFF] = "limits.memory.hotplug=false",
		[INCUS_FIX_RAW_QEMU_CONF] = "raw.qemu.conf",
		[INCUS_FIX_NONE] = "none",
		[INCUS_FIX_IMPOSSIBLE] = "impossible",
	};
	return k[fix];
}

static const char *cpu_name(enum incus_cpu cpu)
{
	return cpu == INCUS_CPU_HOST ? "host" : cpu == INCUS_CPU_KVM64 ?
	       "kvm64" : "other";
}

/* QEMU's refusal, as it prints it; "" when it starts. */
static void qemu_error(const struct incus_result *r, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!r->valid)
		snprintf(buf, len, "%s", r->invalid);
	else if (r->layout.verdict == QEMU_MEM_PHYS_BITS_TOO_LOW)
		snprintf(buf, len, "Address space limit 0x%" PRIx64 " < 0x%"
			 PRIx64 " phys-bits too low (%u)",
			 r->layout.address_limit, r->layout.max_used_gpa,
			 r->qemu.phys_bits);
	else if (!r->accepted)
		snprintf(buf, len, "refused");
}

static void print_human(const struct iopts *o, const struct incus_result *r)
{
	const struct incus_input *in = &o->in;
	char mname[48], h[32], err[200];
	const char *nl, *t;

	printf("Incus %u.%u.%u (memory code of %s), %s, -cpu %s\n",
	       INCUS_VER_MAJOR(in->incus_version),
	       INCUS_VER_MINOR(in->incus_version),
	       INCUS_VER_MICRO(in->incus_version), incus_rules_name(r->rules),
	       in->clustered ? "clustered" : "standalone", cpu_name(in->cpu));
	size_human(in->host_mem, h, sizeof(h));
	printf("Host: phys-bits %u (%s), memory %" PRIu64 " bytes, %s (%s)\n",
	       in->host_phys_bits, o->bits_source, in->host_mem, h,
	       o->mem_source);
	qemu_machine_name(r->qemu.machine, r->qemu.machine_version, mname,
			  sizeof(mname));
	printf("QEMU %u.%u (%s), machine %s, guest phys-bits %u\n",
	       QEMU_VER_MAJOR(in->qemu_version),
	       QEMU_VER_MINOR(in->qemu_version), o->qemu_source, mname,
	       r->qemu.phys_bits);

	printf("\nIncus writes (qemu.conf):\n  [memory]\n  size = \"%" PRIu64
	       "M\"\n", r->size_mib);
	if (r->slots)
		printf("  slots = \"%u\"\n", r->slots);
	if (r->has_maxmem)
		printf("  maxmem = \"%" PRIu64 "M\"\n", r->maxmem_mib);
	printf("  (maxmem: %s", rule_text(r->max_rule));
	if (r->max_rule == INCUS_MAX_PHYS_BITS ||
	    r->max_rule == INCUS_MAX_CAP_1T)
		printf("; 2^%u", r->hotplug_bits - 1);
	printf(")\n");

	qemu_error(r, err, sizeof(err));
	if (r->accepted)
		printf("\nQEMU starts: max used GPA 0x%" PRIx64 " <= 0x%" PRIx64
		       "\n", r->layout.max_used_gpa, r->layout.address_limit);
	else
		printf("\nQEMU refuses: %s\n", err);
	if (r->valid && !r->layout.checked)
		printf("  (QEMU before 7.1 does not check phys-bits)\n");

	if (r->max_fit_mib)
		printf("\nLargest maxmem that starts with %u slots: %" PRIu64
		       "M\n", r->rules == INCUS_RULES_HOST_MEM16 ? 16 : 8,
		       r->max_fit_mib);
	switch (r->fix) {
	case INCUS_FIX_NONE:
		printf("\nNothing to set: this release writes no hotplug "
		       "options.\n");
		return;
	case INCUS_FIX_IMPOSSIBLE:
		printf("\nNo setting helps: QEMU refuses even -m %" PRIu64
		       "M alone here; lower limits.memory.\n", r->size_mib);
		return;
	case INCUS_FIX_HOTPLUG_KEY:
	case INCUS_FIX_HOTPLUG_OFF:
		printf("\n%s:\n  incus config set INSTANCE %s\n",
		       r->accepted ? "The largest that fits" : "Fix",
		       r->fix_text);
		return;
	case INCUS_FIX_RAW_QEMU_CONF:
		break;
	}
	printf("\n%s (this release has no limits.memory.hotplug):\n"
	       "  raw.qemu.conf: |-\n",
	       r->accepted ? "The largest that fits" : "Fix");
	t = strchr(r->fix_text, '=') + 1;
	for (; (nl = strchr(t, '\n')); t = nl + 1)
		printf("    %.*s\n", (int)(nl - t), t);
	printf("    %s\n", t);
}

static void print_json(const struct iopts *o, const struct incus_result *r)
{
	const struct incus_input *in = &o->in;
	char buf[200];
	struct json j;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	snprintf(buf, sizeof(buf), "%u.%u.%u",
		 INCUS_VER_MAJOR(in->incus_version),
		 INCUS_VER_MINOR(in->incus_version),
		 INCUS_VER_MICRO(in->incus_version));
	json_string(&j, "incus_version", buf);
	json_string(&j, "incus_rules", incus_rules_name(r->rules));
	json_bool(&j, "clustered", in->clustered);
	json_string(&j, "incus_cpu", cpu_name(in->cpu));
	json_u64(&j, "host_phys_bits", in->host_phys_bits);
	json_string(&j, "host_phys_bits_source", o->bits_source);
	json_u64(&j, "host_mem", in->host_mem);
	json_string(&j, "host_mem_source", o->mem_source);
	snprintf(buf, sizeof(buf), "%u.%u", QEMU_VER_MAJOR(in->qemu_version),
		 QEMU_VER_MINOR(in->qemu_version));
	json_string(&j, "qemu_version", buf);
	json_string(&j, "qemu_version_source", o->qemu_source);
	qemu_machine_name(r->qemu.machine, r->qemu.machine_version, buf,
			  sizeof(buf));
	json_string(&j, "machine", buf);
	json_string(&j, "cpu_vendor",
		    in->vendor == QEMU_VENDOR_AMD ? "amd" : "intel");
	json_u64(&j, "guest_phys_bits", r->qemu.phys_bits);
	json_string(&j, "limits_memory",
		    in->limits_memory ? in->limits_memory : "1GiB");
	if (in->hotplug)
		json_string(&j, "limits_memory_hotplug", in->hotplug);
	else
		json_null(&j, "limits_memory_hotplug");
	json_u64(&j, "size_mib", r->size_mib);
	if (r->slots)
		json_u64(&j, "slots", r->slots);
	else
		json_null(&j, "slots");
	if (r->has_maxmem)
		json_u64(&j, "maxmem_mib", r->maxmem_mib);
	else
		json_null(&j, "maxmem_mib");
	json_string(&j, "maxmem_rule", rule_key(r->max_rule));
	json_bool(&j, "accepted", r->accepted);
	qemu_error(r, buf, sizeof(buf));
	if (buf[0])
		json_string(&j, "qemu_error", buf);
	else
		json_null(&j, "qemu_error");
	json_u64(&j, "address_limit", r->layout.address_limit);
	if (r->valid)
		json_u64(&j, "max_used_gpa", r->layout.max_used_gpa);
	else
		json_null(&j, "max_used_gpa");
	json_bool(&j, "fits_without_hotplug", r->base_fits);
	if (r->max_fit_mib)
		json_u64(&j, "max_fit_maxmem_mib", r->max_fit_mib);
	else
		json_null(&j, "max_fit_maxmem_mib");
	json_string(&j, "fix", fix_key(r->fix));
	if (r->fix_text[0])
		json_string(&j, "fix_config", r->fix_text);
	else
		json_null(&j, "fix_config");
	json_object_end(&j);
	json_finish(&j);
}

int cmd_qemu_mem_incus(int argc, char **argv)
{
	struct incus_result r;
	struct iopts o;
	int rc, ret;

	if (!parse_args(argc, argv, &o, &rc))
		return rc;
	ret = incus_model(&o.in, &r);
	if (ret == -EINVAL && r.incus_error[0]) {
		/* Incus refuses the instance config: QEMU never runs. */
		errmsg("qemu-mem --incus: Incus refuses this configuration: %s",
		       r.incus_error);
		return EXIT_USAGE;
	}
	if (ret) {
		errmsg("qemu-mem --incus: %s", strerror(-ret));
		return EXIT_USAGE;
	}
	if (o.json)
		print_json(&o, &r);
	else
		print_human(&o, &r);
	return r.accepted ? EXIT_OK : EXIT_FAIL;
}
