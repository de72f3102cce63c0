// SPDX-License-Identifier: GPL-2.0
/*
 * What Incus writes into "[memory]" of a VM's qemu.conf, by release, and
 * whether QEMU starts with it; see qemu_incus.h.
 *
 * Read from the lxc/incus repository. The function that computes the
 * memory options is addCPUMemoryConfig() in
 * internal/server/instance/drivers/driver_qemu.go up to v6.23.0 (and in the
 * 6.0 LTS branch), memoryTopology() in driver_qemu_machine.go from v7.0.0
 * (0c0a3ddfb4 moved it); the section itself is qemuMemory() in
 * driver_qemu_templates.go. Line numbers below are at the tag named.
 *
 *   c39593e76b 2025-04-16  memory hotplug: slots 16, maxmem 1T     v6.12.0
 *   f08cd000dc 2025-04-24  maxmem = host total memory             v6.12.0
 *   773e8916da 2025-04-29  no slots key when maxmem == size       v6.13.0
 *   9bc50ad857 2025-05-02  slots 16 -> 8 (issue #2003)            v6.13.0
 *   00feeff0ce 2025-06-23  maxmem = 2^(phys-bits - 1)             v6.14.0
 *   6c2e26e1dc 2025-06-24  ... capped at 1 TiB                    v6.14.0
 *   577c86e701 2025-06-30  standalone: maxmem = host total memory v6.15.0
 *                          (issue #2234)
 *   60c8f084a7 2025-07-01  phys-bits not detected: keep 39        v6.15.0
 *   e438e1693b 2025-07-23  limits.memory.hotplug (85cdb34a2b adds v6.15.0
 *                          the key and its validator)
 *
 * The 6.0 LTS branch has no hotplug up to v6.0.4; v6.0.5 carries the code
 * of v6.15.0 byte for byte (addCPUMemoryConfig and qemuMemory are equal).
 * From v6.15.0 to v7.3.0 the computation does not change for an x86 Linux
 * guest: de2eb6854e (v6.22.0) only replays a recorded base/max on a
 * stateful start or live migration, fabc6632c5 (v6.23.0) turns hotplug off
 * for FreeBSD guests, 99e0d89fe1 (v7.1.0) rewrites the 1 TiB cap with
 * min().
 *
 * Nothing else Incus passes moves QEMU's layout: the machine is "q35"
 * (qemuMachineType(), driver_qemu_templates.go:71 at v6.15.0), no
 * pci-hole64-size, no cxl; the memory backend objects (hugepages, NUMA)
 * have the same size as -m. The only q35-pcihost property Incus sets is
 * x-pci-hole64-fix=off for Windows XP/2003 guests, which QEMU's check does
 * not read.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qemu/incus.h"
#include "qemu/size.h"

int incus_parse_version(const char *s, unsigned *ver)
{
	unsigned long part[3] = { 0, 0, 0 };
	int n = 0;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	if (*s == 'v')
		s++;
	for (;;) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		part[n] = strtoul(s, &end, 10);
		if (part[n] > 99)
			return -EINVAL;
		n++;
		s = end;
		if (!*s)
			break;
		if (*s != '.' || n == 3)
			return -EINVAL;
		s++;
	}
	if (n < 2)
		return -EINVAL;
	*ver = INCUS_VER(part[0], part[1], part[2]);
	return 0;
}

int incus_rules_of(unsigned ver, enum incus_rules *rules)
{
	if (ver < INCUS_MODEL_OLDEST || ver >= INCUS_VER(INCUS_VER_MAJOR(
	    INCUS_MODEL_NEWEST), INCUS_VER_MINOR(INCUS_MODEL_NEWEST) + 1, 0))
		return -ERANGE;
	/* 6.0 LTS: v6.0.4 has the code of v6.11.0, v6.0.5 that of v6.15.0 */
	if (ver < INCUS_VER(6, 1, 0))
		*rules = ver >= INCUS_VER(6, 0, 5) ? INCUS_RULES_HOTPLUG_KEY :
						     INCUS_RULES_NO_HOTPLUG;
	else if (ver < INCUS_VER(6, 12, 0))
		*rules = INCUS_RULES_NO_HOTPLUG;
	else if (ver < INCUS_VER(6, 13, 0))
		*rules = INCUS_RULES_HOST_MEM16;
	else if (ver < INCUS_VER(6, 14, 0))
		*rules = INCUS_RULES_HOST_MEM8;
	else if (ver < INCUS_VER(6, 15, 0))
		*rules = INCUS_RULES_PHYS_BITS;
	else
		*rules = INCUS_RULES_HOTPLUG_KEY;
	return 0;
}

const char *incus_rules_name(enum incus_rules rules)
{
	switch (rules) {
	case INCUS_RULES_NO_HOTPLUG:	return "6.0.0-6.0.4, 6.1-6.11";
	case INCUS_RULES_HOST_MEM16:	return "6.12";
	case INCUS_RULES_HOST_MEM8:	return "6.13";
	case INCUS_RULES_PHYS_BITS:	return "6.14";
	case INCUS_RULES_HOTPLUG_KEY:	break;
	}
	return "6.0.5+, 6.15+";
}

/* shared/units/units.go ParseByteSizeString() (v6.15.0:23): digits, then a
 * suffix looked up as is; strconv.ParseInt on the digits; handleOverflow()
 * refuses a product that wraps int64. */
int incus_parse_size(const char *s, uint64_t *out)
{
	static const struct { const char *sfx; uint64_t mult; } tab[] = {
		{ "", 1 }, { "B", 1 }, { " bytes", 1 },
		{ "kB", 1000ULL }, { "MB", 1000000ULL },
		{ "GB", 1000000000ULL }, { "TB", 1000000000000ULL },
		{ "PB", 1000000000000000ULL }, { "EB", 1000000000000000000ULL },
		{ "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 },
		{ "GiB", 1ULL << 30 }, { "TiB", 1ULL << 40 },
		{ "PiB", 1ULL << 50 }, { "EiB", 1ULL << 60 },
	};
	uint64_t v = 0;
	const char *p = s;
	size_t i;

	if (!s || !*s)
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == s)
		return -EINVAL;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(p, tab[i].sfx))
			continue;
		if (v && tab[i].mult > 1 && v > (uint64_t)INT64_MAX / tab[i].mult)
			return -ERANGE;
		*out = v * tab[i].mult;
		return 0;
	}
	return -EINVAL;
}

/* internal/server/instance/drivers/util.go ParseMemoryStr() (v6.15.0:102) */
int incus_parse_memory(const char *s, uint64_t host_mem, uint64_t *out)
{
	size_t n = s ? strlen(s) : 0;

	if (n > 1 && s[n - 1] == '%') {
		uint64_t pct = 0;
		size_t i;

		for (i = 0; i < n - 1; i++) {
			if (s[i] < '0' || s[i] > '9' || pct > 1000000)
				return -EINVAL;
			pct = pct * 10 + (uint64_t)(s[i] - '0');
		}
		*out = host_mem / 100 * pct;
		return 0;
	}
	return incus_parse_size(s, out);
}

/* shared/util/boolean.go IsTrue() / IsFalse(): case-insensitive. */
static bool incus_is_true(const char *v)
{
	return !strcasecmp(v, "true") || !strcmp(v, "1") ||
	       !strcasecmp(v, "yes") || !strcasecmp(v, "on");
}

static bool incus_is_false(const char *v)
{
	return !strcasecmp(v, "false") || !strcmp(v, "0") ||
	       !strcasecmp(v, "no") || !strcasecmp(v, "off");
}

/* 2^(bits - 1): "Reduce the maximum by one bit to allow QEMU some
 * headroom" (00feeff0ce; driver_qemu.go:4194 at v6.14.0, :4218 at
 * v6.15.0, driver_qemu_machine.go:492 at v7.3.0). */
static uint64_t half_space(unsigned bits)
{
	return UINT64_C(1) << (bits - 1);
}

/* The maxmem of the phys-bits rule (v6.14 and v6.15+ clustered). */
static int phys_bits_max(enum incus_rules rules, const struct incus_input *in,
			 struct incus_result *r)
{
	/* "kvm64 has a limit of 39 bits ... so just limit everyone to 39
	 * bits", cpuPhysBits := uint64(39). */
	unsigned bits = 39, low = in->host_phys_bits;

	if (rules == INCUS_RULES_PHYS_BITS) {
		/* 00feeff0ce (v6.14.0 driver_qemu.go:4185-4191):
		 *   if host && low > 0 { bits = low }
		 *   else if low < bits { bits = low }
		 * With no "address sizes" (low == 0) bits becomes 0 and the
		 * decrement wraps: not a case the model takes. */
		if (!low) {
			snprintf(r->incus_error, sizeof(r->incus_error),
				 "Incus 6.14 with no detected phys-bits is "
				 "not modelled");
			return -EINVAL;
		}
		if (in->cpu == INCUS_CPU_HOST || low < bits)
			bits = low;
	} else {
		/* 60c8f084a7 (v6.15.0 driver_qemu.go:4213): "If a physical
		 * address size was detected, either align it with the VM (CPU
		 * passthrough) or use it as an upper bound." */
		if (low && (in->cpu == INCUS_CPU_HOST || low < bits))
			bits = low;
	}
	if (bits < 2 || bits > 62) {
		snprintf(r->incus_error, sizeof(r->incus_error),
			 "phys-bits %u out of range", bits);
		return -EINVAL;
	}
	r->hotplug_bits = bits;
	r->max_bytes = half_space(bits);
	r->max_rule = INCUS_MAX_PHYS_BITS;
	/* 6c2e26e1dc "Cap to 1TB" (v6.14.0 driver_qemu.go:4200, v6.15.0
	 * :4224; min() since 99e0d89fe1, driver_qemu_machine.go:496 at
	 * v7.3.0). */
	if (r->max_bytes > TiB) {
		r->max_bytes = TiB;
		r->max_rule = INCUS_MAX_CAP_1T;
	}
	return 0;
}

/* maxMemoryBytes, per release. */
static int incus_max(enum incus_rules rules, const struct incus_input *in,
		     struct incus_result *r)
{
	const char *hp = in->hotplug ? in->hotplug : "";
	bool hotplug_cpu = in->cpu == INCUS_CPU_HOST ||
			   in->cpu == INCUS_CPU_KVM64;
	int ret;

	switch (rules) {
	case INCUS_RULES_NO_HOTPLUG:
		/* v6.11.0 qemuMemory(): only "size" */
		r->max_rule = INCUS_MAX_NONE;
		r->max_bytes = r->mem_bytes;
		return 0;
	case INCUS_RULES_HOST_MEM16:
	case INCUS_RULES_HOST_MEM8:
		/* f08cd000dc: maxMemoryBytes := linux.DeviceTotalMemory()
		 * for every CPU model (v6.12.0 driver_qemu.go:3999, v6.13.0
		 * :4160). */
		r->max_bytes = in->host_mem;
		r->max_rule = INCUS_MAX_HOST_MEM;
		break;
	case INCUS_RULES_PHYS_BITS:
	case INCUS_RULES_HOTPLUG_KEY:
		/* e438e1693b (v6.15.0 driver_qemu.go:4180-4196):
		 * memoryHotplugEnabled := !util.IsFalse(key); a value that is
		 * neither true nor empty is a size, which must not be below
		 * limits.memory. The key is validated as a bool or a size
		 * (85cdb34a2b, internal/instance/config.go). */
		if (rules == INCUS_RULES_HOTPLUG_KEY && *hp &&
		    !incus_is_false(hp) && !incus_is_true(hp)) {
			uint64_t v;

			if (incus_parse_size(hp, &v)) {
				snprintf(r->incus_error, sizeof(r->incus_error),
					 "Invalid value for limits.memory."
					 "hotplug: %s", hp);
				return -EINVAL;
			}
			if (hotplug_cpu && v < r->mem_bytes) {
				snprintf(r->incus_error, sizeof(r->incus_error),
					 "'limits.memory.hotplug' value should "
					 "be greater than or equal to "
					 "'limits.memory'");
				return -EINVAL;
			}
			if (hotplug_cpu && v) {
				r->max_bytes = v;
				r->max_rule = INCUS_MAX_HOTPLUG_KEY;
				break;
			}
		}
		/* 00feeff0ce: only "host" and "kvm64" get hotplug; "Other
		 * types we don't know so just don't allow hotplug." */
		if (!hotplug_cpu || (rules == INCUS_RULES_HOTPLUG_KEY &&
				     incus_is_false(hp))) {
			/* "Prevent memory hotplug." */
			r->max_bytes = r->mem_bytes;
			r->max_rule = INCUS_MAX_DISABLED;
			return 0;
		}
		ret = phys_bits_max(rules, in, r);
		if (ret)
			return ret;
		if (rules == INCUS_RULES_HOTPLUG_KEY && !in->clustered) {
			/* 577c86e701 (v6.15.0 driver_qemu.go:4229-4236): "On
			 * standalone systems, further cap to the system's
			 * total memory": it replaces the phys-bits value,
			 * whichever is larger, so it is no cap at all when
			 * the host has more memory than 2^(bits-1). */
			r->max_bytes = in->host_mem;
			r->max_rule = INCUS_MAX_HOST_MEM;
		}
		break;
	}
	/* "Allow the user to go past any expected limit." (f08cd000dc;
	 * v6.15.0 driver_qemu.go:4240) */
	if (r->max_bytes < r->mem_bytes) {
		r->max_bytes = r->mem_bytes;
		r->max_rule = INCUS_MAX_RAISED;
	}
	return 0;
}

/* The QEMU configuration for a given size/slots/maxmem in MiB. */
static void qemu_config(const struct incus_input *in, const struct incus_result *r,
			uint64_t maxmem_mib, unsigned slots,
			struct qemu_mem_config *c)
{
	memset(c, 0, sizeof(*c));
	c->qemu_version = in->qemu_version;
	/* "q35": the newest pc-q35-X.Y of that QEMU */
	c->machine = QEMU_MACHINE_Q35;
	c->machine_version = in->qemu_version;
	c->vendor = in->vendor;
	c->lm = true;
	c->phys_bits = in->guest_phys_bits ? in->guest_phys_bits :
		       in->cpu == INCUS_CPU_HOST ? in->host_phys_bits :
						   INCUS_KVM64_GUEST_PHYS_BITS;
	c->ram = r->size_mib * MiB;
	c->maxmem = maxmem_mib * MiB;
	c->slots = slots;
	c->pci_hole64_size = qemu_default_hole64(QEMU_MACHINE_Q35);
}

static void set_fix(const struct incus_input *in, struct incus_result *r)
{
	unsigned slots = r->rules == INCUS_RULES_HOST_MEM16 ? 16 : 8;
	struct qemu_mem_config c;
	uint64_t m;

	/* The largest maxmem that starts with the slots Incus writes. */
	qemu_config(in, r, 0, slots, &c);
	m = qemu_mem_max_maxmem(&c);
	if (m == QEMU_MEM_UNLIMITED)
		m = QEMU_MODEL_MAX_SIZE;
	r->max_fit_mib = m / MiB > r->size_mib ? m / MiB : 0;
	r->fix_text[0] = '\0';

	if (r->rules == INCUS_RULES_NO_HOTPLUG) {
		/* nothing to tune: this release writes only the size */
		r->max_fit_mib = 0;
		r->fix = r->accepted ? INCUS_FIX_NONE : INCUS_FIX_IMPOSSIBLE;
		return;
	}
	if (!r->base_fits) {
		r->fix = INCUS_FIX_IMPOSSIBLE;
		return;
	}
	if (r->rules == INCUS_RULES_HOTPLUG_KEY) {
		/* Incus writes maxmem as limits.memory.hotplug / MiB, and no
		 * slots when that equals size (773e8916da). */
		if (r->max_fit_mib) {
			r->fix = INCUS_FIX_HOTPLUG_KEY;
			r->fix_maxmem_mib = r->max_fit_mib;
			snprintf(r->fix_text, sizeof(r->fix_text),
				 "limits.memory.hotplug=%" PRIu64 "MiB",
				 r->max_fit_mib);
		} else {
			r->fix = INCUS_FIX_HOTPLUG_OFF;
			r->fix_maxmem_mib = r->size_mib;
			snprintf(r->fix_text, sizeof(r->fix_text),
				 "limits.memory.hotplug=false");
		}
		return;
	}
	/* Before limits.memory.hotplug: raw.qemu.conf overrides keys of
	 * the generated [memory] section; an empty value deletes a key
	 * (qemuRawCfgOverride(), driver_qemu_config_override.go:145 at
	 * v6.14.0). */
	r->fix = INCUS_FIX_RAW_QEMU_CONF;
	if (r->max_fit_mib) {
		/* slots too: the generated section has none when Incus
		 * turned hotplug off */
		r->fix_maxmem_mib = r->max_fit_mib;
		snprintf(r->fix_text, sizeof(r->fix_text),
			 "raw.qemu.conf=[memory]\nmaxmem = \"%" PRIu64
			 "M\"\nslots = \"%u\"", r->max_fit_mib, slots);
	} else {
		r->fix_maxmem_mib = r->size_mib;
		snprintf(r->fix_text, sizeof(r->fix_text),
			 "raw.qemu.conf=[memory]\nmaxmem = \"%" PRIu64
			 "M\"\nslots = \"\"", r->size_mib);
	}
}

int incus_model(const struct incus_input *in, struct incus_result *r)
{
	struct qemu_mem_config base;
	const char *lm;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = incus_rules_of(in->incus_version, &r->rules);
	if (ret)
		return ret;
	if (in->qemu_version < QEMU_MODEL_OLDEST ||
	    in->qemu_version > QEMU_MODEL_NEWEST)
		return -ERANGE;

	/* qemudefault.MemSize = "1GiB" (qemudefault/default.go:7) */
	lm = in->limits_memory && *in->limits_memory ? in->limits_memory :
						       "1GiB";
	if (incus_parse_memory(lm, in->host_mem, &r->mem_bytes)) {
		snprintf(r->incus_error, sizeof(r->incus_error),
			 "limits.memory invalid: %s", lm);
		return -EINVAL;
	}
	/* size = "%dM" of memSizeBytes / 1024 / 1024 (qemuMemory(),
	 * driver_qemu_templates.go:153 at v6.15.0): truncated to MiB. */
	r->size_mib = r->mem_bytes / MiB;
	if (!r->size_mib || r->mem_bytes > QEMU_MODEL_MAX_SIZE) {
		snprintf(r->incus_error, sizeof(r->incus_error),
			 "limits.memory %s is outside 1MiB..1EiB", lm);
		return -EINVAL;
	}
	ret = incus_max(r->rules, in, r);
	if (ret)
		return ret;

	/* qemuMemory(): maxmem = "%dM" of maxMemoryBytes / MiB; slots "16"
	 * (c39593e76b, v6.12.0 driver_qemu_templates.go:129), "8" since
	 * 9bc50ad857 (v6.13.0 :163); from 773e8916da (v6.13.0 :167-169)
	 * "Disable hotplug when already at maximum": the slots key goes
	 * when the size and maxmem strings are equal. */
	if (r->rules != INCUS_RULES_NO_HOTPLUG) {
		r->has_maxmem = true;
		r->maxmem_mib = r->max_bytes / MiB;
		r->slots = r->rules == INCUS_RULES_HOST_MEM16 ? 16 : 8;
		if (r->rules != INCUS_RULES_HOST_MEM16 &&
		    r->maxmem_mib == r->size_mib)
			r->slots = 0;
	}

	qemu_config(in, r, r->has_maxmem ? r->maxmem_mib : 0, r->slots,
		    &r->qemu);
	r->valid = qemu_mem_validate(&r->qemu, r->invalid,
				     sizeof(r->invalid));
	if (r->valid) {
		qemu_mem_layout(&r->qemu, &r->layout);
		r->accepted = r->layout.verdict == QEMU_MEM_STARTS;
	}
	base = r->qemu;
	base.maxmem = 0;
	base.slots = 0;
	r->base_fits = qemu_mem_validate(&base, NULL, 0) &&
		       qemu_mem_fits(&base);
	set_fix(in, r);
	return 0;
}
