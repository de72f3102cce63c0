// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the Incus memory hotplug model (qemu_incus.c): a table per
 * modelled generation of Incus's code (6.11 and older, 6.12, 6.13, 6.14,
 * 6.15 and later including 6.0.5 LTS), each row an instance config on a
 * host, with the [memory] section that release writes, QEMU's verdict and
 * the fix.
 *
 * Where the expected values come from: the generated size/slots/maxmem are
 * worked out by hand from the Incus source cited in qemu_incus.c; issue
 * #2234's error line is QEMU's own ("Address space limit 0xfffffffff <
 * 0x127fffffff phys-bits too low (36)", QEMU 9.0.4, Incus 6.14, maxmem
 * 32768M per the maintainer's reply); the addresses and the largest maxmem
 * are the closed form of the layout notes (limit = floorG(2^P - 32G) -
 * dev_base + R - slots*G), not the model's bisection. qemu_incus_cli.sh
 * starts the real QEMU with the options of these rows.
 *
 * The test can fail: with the 1 TiB cap of phys_bits_max() changed to
 * 2 TiB, the "6.15 clustered 46 bits" row fails (maxmem 2097152M, not
 * 1048576M); with the 6.13+ slot count changed from 8 to 16, the #2234 row
 * fails (0x147fffffff instead of 0x127fffffff) and so do the fixes
 * (14336MiB instead of 22528MiB). Both mutations were run once.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "qemu/incus.h"
#include "qemu/size.h"
#include "tap.h"

#define G	GiB
#define HOST16	UINT64_C(16000000000)	/* MemTotal 16000000 kB, x1000 */

struct row {
	const char *name;
	unsigned incus;
	const char *limits_memory;
	const char *hotplug;
	unsigned bits;
	uint64_t host_mem;
	bool clustered;
	enum incus_cpu cpu;
	enum qemu_cpu_vendor vendor;
	/* expected */
	int ret;
	uint64_t size_mib, maxmem_mib;	/* maxmem 0: none written */
	unsigned slots;
	enum incus_max_rule rule;
	bool accepted;
	uint64_t max_used;		/* 0: not checked */
	enum incus_fix fix;
	uint64_t fix_mib;
};

#define V(x, y, z)	INCUS_VER(x, y, z)
#define HOST		INCUS_CPU_HOST
#define KVM64		INCUS_CPU_KVM64
#define OTHER		INCUS_CPU_OTHER
#define INTEL		QEMU_VENDOR_INTEL
#define AMD		QEMU_VENDOR_AMD

static const struct row rows[] = {
	/* 6.11 and 6.0.4: size only; -m 4096M alone on 36 bits:
	 * above_end 6G, hole64 6G..38G. */
	{ "6.11 size only", V(6, 11, 0), "4GiB", NULL, 36, HOST16, false,
	  HOST, INTEL, 0, 4096, 0, 0, INCUS_MAX_NONE, true, 38 * G - 1,
	  INCUS_FIX_NONE, 0 },
	{ "6.0.4 LTS size only", V(6, 0, 4), "4GiB", NULL, 36, HOST16, false,
	  HOST, INTEL, 0, 4096, 0, 0, INCUS_MAX_NONE, true, 38 * G - 1,
	  INCUS_FIX_NONE, 0 },
	/* 6.12: slots 16, maxmem = 16e9 B = 15258 MiB: dev 6G + 11162M +
	 * 16G = 33690M -> 33G, +32G = 65G. Fix: 32-6+4-16 = 14G. */
	{ "6.12 host memory, 16 slots", V(6, 12, 0), "4GiB", NULL, 36, HOST16,
	  false, HOST, INTEL, 0, 4096, 15258, 16, INCUS_MAX_HOST_MEM, false,
	  65 * G - 1, INCUS_FIX_RAW_QEMU_CONF, 14336 },
	/* 6.12 with maxmem == size keeps slots=16: QEMU refuses the
	 * options. Fix: maxmem 14G with the 16 slots. */
	{ "6.12 maxmem = size, slots kept", V(6, 12, 0), "15258MiB", NULL, 36,
	  HOST16, false, HOST, INTEL, 0, 15258, 15258, 16,
	  INCUS_MAX_HOST_MEM, false, 0, INCUS_FIX_RAW_QEMU_CONF, 15258 },
	/* 6.13: slots 8: 6G + 11162M + 8G = 25498M -> 25G, +32G = 57G. */
	{ "6.13 host memory, 8 slots", V(6, 13, 0), "4GiB", NULL, 36, HOST16,
	  false, HOST, INTEL, 0, 4096, 15258, 8, INCUS_MAX_HOST_MEM, true,
	  57 * G - 1, INCUS_FIX_RAW_QEMU_CONF, 22528 },
	/* 6.14, issue #2234: 2^35 = 32768M, 8 slots: dev 6G + 28G + 8G =
	 * 42G, +32G = 74G - 1 = 0x127fffffff. Fix: 32-6+4-8 = 22G. */
	{ "6.14 issue #2234", V(6, 14, 0), "4GiB", NULL, 36, HOST16, false,
	  HOST, INTEL, 0, 4096, 32768, 8, INCUS_MAX_PHYS_BITS, false,
	  0x127fffffffULL, INCUS_FIX_RAW_QEMU_CONF, 22528 },
	/* the same address for 2 GiB (above 0, dev 4G + 30G + 8G = 42G) */
	{ "6.14 issue #2234, 2GiB", V(6, 14, 0), "2GiB", NULL, 36, HOST16,
	  false, HOST, INTEL, 0, 2048, 32768, 8, INCUS_MAX_PHYS_BITS, false,
	  0x127fffffffULL, INCUS_FIX_RAW_QEMU_CONF, 22528 },
	/* default 1GiB: 4G + 31G + 8G = 43G, +32G = 75G */
	{ "6.14 default limits.memory", V(6, 14, 0), NULL, NULL, 36, HOST16,
	  false, HOST, INTEL, 0, 1024, 32768, 8, INCUS_MAX_PHYS_BITS, false,
	  75 * G - 1, INCUS_FIX_RAW_QEMU_CONF, 21504 },
	/* 6.14, 40 bits: 512G: 6G + 508G + 8G = 522G, +32G = 554G */
	{ "6.14 40 bits", V(6, 14, 0), "4GiB", NULL, 40, HOST16, true, HOST,
	  INTEL, 0, 4096, 524288, 8, INCUS_MAX_PHYS_BITS, true, 554 * G - 1,
	  INCUS_FIX_RAW_QEMU_CONF, (992 - 6 + 4 - 8) * 1024 },
	/* 6.14 kvm64 in a cluster: min(39, 46) - 1 = 38 bits: 256G */
	{ "6.14 kvm64 46-bit host", V(6, 14, 0), "4GiB", NULL, 46, HOST16,
	  true, KVM64, INTEL, 0, 4096, 262144, 8, INCUS_MAX_PHYS_BITS, true,
	  298 * G - 1, INCUS_FIX_RAW_QEMU_CONF, (992 - 6 + 4 - 8) * 1024 },
	/* 6.14, cluster group baseline CPU: no hotplug; a named model
	 * runs with QEMU's default 40 phys-bits */
	{ "6.14 other CPU model", V(6, 14, 0), "4GiB", NULL, 36, HOST16, true,
	  OTHER, INTEL, 0, 4096, 4096, 0, INCUS_MAX_DISABLED, true, 38 * G - 1,
	  INCUS_FIX_RAW_QEMU_CONF, (992 - 6 + 4 - 8) * 1024 },
	/* 6.15 standalone: host memory replaces 2^35 */
	{ "6.15 standalone 36 bits", V(6, 15, 0), "4GiB", NULL, 36, HOST16,
	  false, HOST, INTEL, 0, 4096, 15258, 8, INCUS_MAX_HOST_MEM, true,
	  57 * G - 1, INCUS_FIX_HOTPLUG_KEY, 22528 },
	{ "6.0.5 LTS standalone 36 bits", V(6, 0, 5), "4GiB", NULL, 36, HOST16,
	  false, HOST, INTEL, 0, 4096, 15258, 8, INCUS_MAX_HOST_MEM, true,
	  57 * G - 1, INCUS_FIX_HOTPLUG_KEY, 22528 },
	/* 6.15 clustered: issue #2234 is still there */
	{ "6.15 clustered 36 bits", V(6, 15, 0), "4GiB", NULL, 36, HOST16,
	  true, HOST, INTEL, 0, 4096, 32768, 8, INCUS_MAX_PHYS_BITS, false,
	  0x127fffffffULL, INCUS_FIX_HOTPLUG_KEY, 22528 },
	{ "7.3 clustered 36 bits", V(7, 3, 0), "4GiB", NULL, 36, HOST16,
	  true, HOST, INTEL, 0, 4096, 32768, 8, INCUS_MAX_PHYS_BITS, false,
	  0x127fffffffULL, INCUS_FIX_HOTPLUG_KEY, 22528 },
	/* standalone with more memory than 2^(bits-1): 48 GB on 36 bits:
	 * 48e9 B = 45776 MiB: 6G + 41680M + 8G = 56016M -> 55G, +32G */
	{ "6.15 standalone, host 48GB", V(6, 15, 0), "4GiB", NULL, 36,
	  UINT64_C(48000000000), false, HOST, INTEL, 0, 4096, 45776, 8,
	  INCUS_MAX_HOST_MEM, false, 87 * G - 1, INCUS_FIX_HOTPLUG_KEY,
	  22528 },
	/* the 1 TiB cap: 46 bits, 2^45 -> 1 TiB; 6G + 1020G + 8G = 1034G,
	 * +32G = 1066G */
	{ "6.15 clustered 46 bits", V(6, 15, 0), "4GiB", NULL, 46, HOST16,
	  true, HOST, INTEL, 0, 4096, 1048576, 8, INCUS_MAX_CAP_1T, true,
	  1066 * G - 1, INCUS_FIX_HOTPLUG_KEY,
	  (uint64_t)(65536 - 32 - 6 + 4 - 8) * 1024 },
	/* ... which a standalone host with 2 TB replaces by 2e12 B */
	{ "6.15 standalone 46 bits, 2TB", V(6, 15, 0), "4GiB", NULL, 46,
	  UINT64_C(2000000000000), false, HOST, INTEL, 0, 4096, 1907348, 8,
	  INCUS_MAX_HOST_MEM, true, 0, INCUS_FIX_HOTPLUG_KEY,
	  (uint64_t)(65536 - 32 - 6 + 4 - 8) * 1024 },
	/* AMD 40 bits: 512G, dev end 522G, +32G = 554G < 1012G */
	{ "6.15 clustered AMD 40 bits", V(6, 15, 0), "4GiB", NULL, 40, HOST16,
	  true, HOST, AMD, 0, 4096, 524288, 8, INCUS_MAX_PHYS_BITS, true,
	  554 * G - 1, INCUS_FIX_HOTPLUG_KEY, (980 - 6 + 4 - 8) * 1024 },
	/* limits.memory.hotplug */
	{ "6.15 hotplug=false", V(6, 15, 0), "4GiB", "false", 36, HOST16, true,
	  HOST, INTEL, 0, 4096, 4096, 0, INCUS_MAX_DISABLED, true, 38 * G - 1,
	  INCUS_FIX_HOTPLUG_KEY, 22528 },
	{ "6.15 hotplug=0 is false", V(6, 15, 0), "4GiB", "0", 36, HOST16, true,
	  HOST, INTEL, 0, 4096, 4096, 0, INCUS_MAX_DISABLED, true, 38 * G - 1,
	  INCUS_FIX_HOTPLUG_KEY, 22528 },
	{ "6.15 hotplug=true is the default", V(6, 15, 0), "4GiB", "TRUE", 36,
	  HOST16, true, HOST, INTEL, 0, 4096, 32768, 8, INCUS_MAX_PHYS_BITS,
	  false, 0x127fffffffULL, INCUS_FIX_HOTPLUG_KEY, 22528 },
	{ "6.15 hotplug=22528MiB fits", V(6, 15, 0), "4GiB", "22528MiB", 36,
	  HOST16, true, HOST, INTEL, 0, 4096, 22528, 8, INCUS_MAX_HOTPLUG_KEY,
	  true, 64 * G - 1, INCUS_FIX_HOTPLUG_KEY, 22528 },
	{ "6.15 hotplug=22529MiB refused", V(6, 15, 0), "4GiB", "22529MiB", 36,
	  HOST16, true, HOST, INTEL, 0, 4096, 22529, 8, INCUS_MAX_HOTPLUG_KEY,
	  false, 65 * G - 1, INCUS_FIX_HOTPLUG_KEY, 22528 },
	{ "6.15 hotplug = limits.memory: no slots", V(6, 15, 0), "4GiB",
	  "4GiB", 36, HOST16, true, HOST, INTEL, 0, 4096, 4096, 0,
	  INCUS_MAX_HOTPLUG_KEY, true, 38 * G - 1, INCUS_FIX_HOTPLUG_KEY,
	  22528 },
	{ "6.15 hotplug below limits.memory", V(6, 15, 0), "4GiB", "2GiB", 36,
	  HOST16, true, HOST, INTEL, -EINVAL, 0, 0, 0, 0, false, 0, 0, 0 },
	{ "6.15 hotplug not a size", V(6, 15, 0), "4GiB", "4gib", 36, HOST16,
	  true, HOST, INTEL, -EINVAL, 0, 0, 0, 0, false, 0, 0, 0 },
	/* 28 GiB on 36 bits: above 26G, dev base 30G: 30+8 > 32: no
	 * hotplug fits (30G + 12G + 32G), -m alone does (30G + 32G) */
	{ "6.15 no hotplug fits", V(6, 15, 0), "28GiB", NULL, 36, HOST16, true,
	  HOST, INTEL, 0, 28672, 32768, 8, INCUS_MAX_PHYS_BITS, false,
	  0x127fffffffULL, INCUS_FIX_HOTPLUG_OFF, 28672 },
	/* 40 GiB: even -m alone ends at 42G + 32G */
	{ "6.15 nothing fits", V(6, 15, 0), "40GiB", NULL, 36, HOST16, true,
	  HOST, INTEL, 0, 40960, 40960, 0, INCUS_MAX_RAISED, false,
	  74 * G - 1, INCUS_FIX_IMPOSSIBLE, 0 },
	/* limits.memory forms */
	{ "6.15 50% of 16e9", V(6, 15, 0), "50%", "false", 36, HOST16, true,
	  HOST, INTEL, 0, 7629, 7629, 0, INCUS_MAX_DISABLED, true, 0,
	  INCUS_FIX_HOTPLUG_KEY, 0 },
	{ "6.15 4GB is decimal", V(6, 15, 0), "4GB", "false", 36, HOST16, true,
	  HOST, INTEL, 0, 3814, 3814, 0, INCUS_MAX_DISABLED, true, 0,
	  INCUS_FIX_HOTPLUG_KEY, 0 },
	{ "6.15 bad limits.memory", V(6, 15, 0), "4 GiB", NULL, 36, HOST16,
	  true, HOST, INTEL, -EINVAL, 0, 0, 0, 0, false, 0, 0, 0 },
	{ "7.4 is not modelled", V(7, 4, 0), "4GiB", NULL, 36, HOST16, true,
	  HOST, INTEL, -ERANGE, 0, 0, 0, 0, false, 0, 0, 0 },
	{ "5.21 is not modelled", V(5, 21, 0), "4GiB", NULL, 36, HOST16, true,
	  HOST, INTEL, -ERANGE, 0, 0, 0, 0, false, 0, 0, 0 },
};

static void test_row(const struct row *t)
{
	struct incus_input in = {
		.incus_version = t->incus, .limits_memory = t->limits_memory,
		.hotplug = t->hotplug, .host_phys_bits = t->bits,
		.host_mem = t->host_mem, .clustered = t->clustered,
		.cpu = t->cpu, .qemu_version = QEMU_VER(9, 0),
		.vendor = t->vendor,
	};
	struct incus_result r;
	int ret = incus_model(&in, &r);

	if (t->ret || ret) {
		tap_ok(ret == t->ret, "%s: refused (%d, got %d: %s)", t->name,
		       t->ret, ret, r.incus_error);
		return;
	}
	tap_ok(r.size_mib == t->size_mib && r.maxmem_mib == t->maxmem_mib &&
	       r.slots == t->slots && r.max_rule == t->rule,
	       "%s: size %" PRIu64 "M maxmem %" PRIu64 "M slots %u rule %d "
	       "(got %" PRIu64 "M %" PRIu64 "M %u %d)", t->name, t->size_mib,
	       t->maxmem_mib, t->slots, t->rule, r.size_mib, r.maxmem_mib,
	       r.slots, r.max_rule);
	tap_ok(r.accepted == t->accepted &&
	       (!t->max_used || (r.valid &&
				 r.layout.max_used_gpa == t->max_used)),
	       "%s: %s, max used 0x%" PRIx64 " (got %s, 0x%" PRIx64 "%s%s)",
	       t->name, t->accepted ? "starts" : "refused", t->max_used,
	       r.accepted ? "starts" : "refused", r.layout.max_used_gpa,
	       r.valid ? "" : ", ", r.invalid);
	if (t->fix_mib || t->fix == INCUS_FIX_IMPOSSIBLE ||
	    t->fix == INCUS_FIX_NONE)
		tap_ok(r.fix == t->fix && r.fix_maxmem_mib == t->fix_mib,
		       "%s: fix %d at %" PRIu64 "M (got %d at %" PRIu64 "M)",
		       t->name, t->fix, t->fix_mib, r.fix, r.fix_maxmem_mib);
}

static void test_issue_2234_text(void)
{
	struct incus_input in = {
		.incus_version = INCUS_VER(6, 14, 0), .limits_memory = "4GiB",
		.host_phys_bits = 36, .host_mem = HOST16,
		.qemu_version = QEMU_VER(9, 0),
	};
	struct incus_result r;
	char line[160];

	tap_ok(!incus_model(&in, &r), "issue #2234 modelled");
	snprintf(line, sizeof(line), "Address space limit 0x%" PRIx64 " < 0x%"
		 PRIx64 " phys-bits too low (%u)", r.layout.address_limit,
		 r.layout.max_used_gpa, r.qemu.phys_bits);
	tap_ok(!strcmp(line, "Address space limit 0xfffffffff < 0x127fffffff "
			     "phys-bits too low (36)"),
	       "issue #2234 to the byte: %s", line);
	tap_ok(!strcmp(r.fix_text, "raw.qemu.conf=[memory]\n"
				   "maxmem = \"22528M\"\nslots = \"8\""),
	       "6.14 fix is raw.qemu.conf maxmem 22528M, slots 8");
	in.incus_version = INCUS_VER(6, 15, 0);
	in.clustered = true;
	tap_ok(!incus_model(&in, &r) &&
	       !strcmp(r.fix_text, "limits.memory.hotplug=22528MiB"),
	       "6.15 fix is limits.memory.hotplug: %s", r.fix_text);
	/* QEMU 7.0 does not check: Incus 6.14's options start there */
	in.incus_version = INCUS_VER(6, 14, 0);
	in.qemu_version = QEMU_VER(7, 0);
	tap_ok(!incus_model(&in, &r) && r.accepted && !r.layout.checked,
	       "QEMU 7.0 starts issue #2234's options (no check)");
}

static void test_parsers(void)
{
	static const struct { const char *s; int ret; uint64_t v; } sz[] = {
		{ "0", 0, 0 }, { "512", 0, 512 }, { "1000kB", 0, 1000000 },
		{ "1KiB", 0, 1024 }, { "4GB", 0, 4000000000ULL },
		{ "4GiB", 0, 4 * G }, { "1EiB", 0, 1ULL << 60 },
		{ "8EiB", -ERANGE, 0 }, { "9223372036854775807", 0, INT64_MAX },
		{ "9223372036854775808", -ERANGE, 0 }, { "4gb", -EINVAL, 0 },
		{ "4K", -EINVAL, 0 }, { "GiB", -EINVAL, 0 }, { "", -EINVAL, 0 },
		{ "1.5GiB", -EINVAL, 0 }, { "-1", -EINVAL, 0 },
		{ "5 bytes", 0, 5 },
	};
	static const struct { const char *s; int ret; unsigned v; } ver[] = {
		{ "6.14", 0, 61400 }, { "v6.0.5", 0, 60005 }, { "7.3.0", 0, 70300 },
		{ "6", -EINVAL, 0 }, { "6.x", -EINVAL, 0 }, { "6.1.2.3", -EINVAL, 0 },
		{ "6.100", -EINVAL, 0 }, { "", -EINVAL, 0 },
	};
	enum incus_rules rules;
	uint64_t v;
	unsigned u;
	size_t i;

	for (i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
		int ret = incus_parse_size(sz[i].s, &v);

		tap_ok(ret == sz[i].ret && (ret || v == sz[i].v),
		       "incus size '%s' -> %d %" PRIu64, sz[i].s, sz[i].ret,
		       sz[i].v);
	}
	for (i = 0; i < sizeof(ver) / sizeof(ver[0]); i++) {
		int ret = incus_parse_version(ver[i].s, &u);

		tap_ok(ret == ver[i].ret && (ret || u == ver[i].v),
		       "incus version '%s' -> %d %u", ver[i].s, ver[i].ret,
		       ver[i].v);
	}
	tap_ok(!incus_parse_memory("25%", 1000, &v) && v == 250,
	       "limits.memory 25%% of 1000 = 250");
	tap_ok(!incus_parse_memory("33%", 1099, &v) && v == 10 * 33,
	       "limits.memory percent divides first, as Incus");
	tap_ok(incus_host_mem_from_memtotal_kb(16000000) == HOST16,
	       "MemTotal kB read as 1000 bytes");
	tap_ok(!incus_rules_of(INCUS_VER(6, 0, 6), &rules) &&
	       rules == INCUS_RULES_HOTPLUG_KEY &&
	       !incus_rules_of(INCUS_VER(6, 13, 1), &rules) &&
	       rules == INCUS_RULES_HOST_MEM8 &&
	       !incus_rules_of(INCUS_VER(7, 3, 9), &rules) &&
	       incus_rules_of(INCUS_VER(7, 4, 0), &rules) == -ERANGE,
	       "release to generation");
}

int main(void)
{
	size_t i;

	printf("TAP version 13\n");
	test_parsers();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		test_row(&rows[i]);
	test_issue_2234_text();
	tap_plan_done();
	return tap_exit();
}
