// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the QEMU memory layout model and the QEMU size parser.
 *
 * Expected values come from outside the model: sizes as qemu-system-x86_64
 * 7.2 printed them back, the seed report's numbers (36 phys-bits, -m 2G:
 * 16 slots -> 14G, 8 slots -> 22G), the cases of QEMU's
 * tests/functional/test_mem_addr_space.py, and a closed-form limit
 * computed here independently of the model's bisection.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "qemu/cpu.h"
#include "qemu/advice.h"
#include "qemu/binary.h"
#include "qemu/layout.h"
#include "qemu/size.h"
#include "tap.h"

#define G	GiB
#define M	MiB

static void test_strtosz_one(const char *s, char dflt, int eret, uint64_t ev)
{
	uint64_t v = 0xdeadbeef;
	int ret = qemu_strtosz(s, dflt, &v);

	if (eret)
		tap_ok(ret == eret, "strtosz '%s' is refused (%d, got %d)", s,
		       eret, ret);
	else
		tap_ok(!ret && v == ev, "strtosz '%s' = %" PRIu64 " (got %d, %"
		       PRIu64 ")", s, ev, ret, v);
}

static void test_sizes(void)
{
	uint64_t v;
	char buf[32];

	/* Values qemu-system-x86_64 7.2 printed in its maxmem error. */
	test_strtosz_one("12.345M", 'B', 0, 0xc5851f);
	test_strtosz_one("0.1K", 'B', 0, 0x66);
	test_strtosz_one("1.5G", 'B', 0, 0x60000000);
	test_strtosz_one("1.k", 'B', 0, 0x400);
	test_strtosz_one("0x100000", 'B', 0, 0x100000);
	test_strtosz_one("1b", 'B', 0, 1);
	test_strtosz_one("5g", 'B', 0, 5 * G);
	/* test_mem_addr_space.py values */
	test_strtosz_one("59.5G", 'B', 0, 59 * G + 512 * M);
	test_strtosz_one("59.6G", 'B', 0, 0xee6666666ULL);	/* 7.2 printed it */
	test_strtosz_one("987.5G", 'B', 0, 987 * G + 512 * M);
	test_strtosz_one("1T", 'B', 0, TiB);
	test_strtosz_one("512", 'M', 0, 512 * M);
	/* What QEMU 7.2 refused */
	test_strtosz_one("1.5", 'B', -EINVAL, 0);
	test_strtosz_one("1e3", 'B', -EINVAL, 0);
	test_strtosz_one("1.5e3G", 'B', -EINVAL, 0);
	test_strtosz_one(".5G", 'B', -EINVAL, 0);
	test_strtosz_one("16E", 'B', -ERANGE, 0);
	test_strtosz_one("", 'B', -EINVAL, 0);
	test_strtosz_one("-1G", 'B', -EINVAL, 0);
	test_strtosz_one("5X", 'B', -EINVAL, 0);
	test_strtosz_one("5GB", 'B', -EINVAL, 0);
	test_strtosz_one("0x1M", 'B', -EINVAL, 0);
	test_strtosz_one("18446744073709551616", 'B', -ERANGE, 0);

	tap_ok(!qemu_parse_ram_size("512", &v) && v == 512 * M,
	       "-m 512 is 512 MiB");
	tap_ok(!qemu_parse_ram_size("2G", &v) && v == 2 * G, "-m 2G is 2 GiB");
	tap_ok(qemu_parse_ram_size("1.5", &v) == -EINVAL,
	       "-m 1.5 is refused, as QEMU does");
	tap_ok(qemu_parse_ram_size("17592186044416", &v) == -ERANGE,
	       "-m 2^44 MiB overflows");

	qemu_size_str(14 * G, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "14G"), "14 GiB prints as 14G (%s)", buf);
	qemu_size_str(14 * G + M, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "14337M"), "14 GiB + 1 MiB prints as 14337M (%s)",
	       buf);
	qemu_size_str(4097, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "4097"), "4097 prints as bytes (%s)", buf);
}

static struct qemu_mem_config cfg(unsigned qv, enum qemu_machine m,
				  unsigned mv, enum qemu_cpu_vendor vendor,
				  unsigned bits, uint64_t ram, unsigned slots,
				  uint64_t maxmem)
{
	struct qemu_mem_config c = {
		.qemu_version = qv, .machine = m, .machine_version = mv,
		.vendor = vendor, .lm = true, .phys_bits = bits, .ram = ram,
		.slots = slots, .maxmem = maxmem,
		.pci_hole64_size = qemu_default_hole64(m),
	};
	return c;
}

#define Q35	QEMU_MACHINE_Q35
#define PC	QEMU_MACHINE_PC
#define INTEL	QEMU_VENDOR_INTEL
#define AMD	QEMU_VENDOR_AMD
#define V(a, b)	QEMU_VER(a, b)

static void test_seed(void)
{
	struct qemu_mem_config c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 36,
				       2 * G, 16, 0);
	struct qemu_mem_layout l;
	unsigned qv;

	tap_ok(qemu_mem_max_maxmem(&c) == 14 * G,
	       "seed: 36 bits, -m 2G, 16 slots -> 14G");
	c.slots = 8;
	tap_ok(qemu_mem_max_maxmem(&c) == 22 * G,
	       "seed: 36 bits, -m 2G, 8 slots -> 22G");
	c.maxmem = 22 * G;
	tap_ok(qemu_mem_fits(&c), "seed: 8 slots, maxmem=22G fits");
	c.maxmem = 22 * G + M;
	qemu_mem_layout(&c, &l);
	tap_ok(l.verdict == QEMU_MEM_PHYS_BITS_TOO_LOW &&
	       l.max_used_gpa == 0x103fffffffULL &&
	       l.address_limit == 0xfffffffffULL,
	       "seed: 22G + 1M refused with 0xfffffffff < 0x103fffffff");
	c.slots = 16;
	c.maxmem = 14 * G;
	qemu_mem_layout(&c, &l);
	tap_ok(l.verdict == QEMU_MEM_STARTS && l.device_mem_base == 4 * G &&
	       l.device_mem_size == 28 * G && l.hole64_start == 32 * G &&
	       l.max_used_gpa == 64 * G - 1,
	       "seed layout: devmem 4G+28G, hole64 at 32G, max GPA 64G-1");
	/* The seed's numbers hold for every checking release. */
	for (qv = V(7, 1); qv <= V(10, 2); qv++) {
		if (QEMU_VER_MINOR(qv) > 2) {
			qv = QEMU_VER(QEMU_VER_MAJOR(qv) + 1, 0) - 1;
			continue;
		}
		c = cfg(qv, Q35, qv, INTEL, 36, 2 * G, 16, 0);
		if (qemu_mem_max_maxmem(&c) != 14 * G)
			break;
	}
	tap_ok(qv > V(10, 2), "seed: 14G on every QEMU 7.1..10.2");
}

/* test_mem_addr_space.py, written from its description: -m 512,slots=1 */
struct mas_case {
	const char *name;
	enum qemu_machine m;
	unsigned mv;		/* 0: the binary's newest */
	enum qemu_cpu_vendor vendor;
	bool lm;
	unsigned bits;
	uint64_t maxmem;
	bool cxl;
	uint64_t fmw;
	bool ok;		/* the outcome on 8.2 and later */
	bool ok_72;		/* the outcome on 7.1 .. 8.1 */
	unsigned bits_72;	/* phys-bits before 8.2, if different */
};

static void test_mem_addr_space(void)
{
	static const struct mas_case cases[] = {
		{ "low_pse36", Q35, 0, INTEL, false, 36, 0xee6666666ULL,
		  false, 0, false, false, 0 },
		/* PAE gives 36 bits from 8.2. Before, phys-bits 32 passes
		 * the check and QEMU 7.2 then refuses 59.6G, which is not
		 * a multiple of 4 KiB: refused all the same. */
		{ "low_pae", Q35, 0, INTEL, false, 36, 0xee6666666ULL,
		  false, 0, false, false, 32 },
		{ "ok_pentium_pse36", Q35, 0, INTEL, false, 36,
		  59 * G + 512 * M, false, 0, true, false, 0 },
		{ "ok_pentium_pae", Q35, 0, INTEL, false, 36,
		  59 * G + 512 * M, false, 0, true, true, 32 },
		{ "ok_pentium2", Q35, 0, INTEL, false, 36, 59 * G + 512 * M,
		  false, 0, true, false, 0 },
		{ "low_nonpse36", Q35, 0, INTEL, false, 32, 4 * G, false, 0,
		  false, true, 0 },
		{ "low_tcg_q35_70_amd", Q35, V(7, 0), AMD, true, 40, 988 * G,
		  false, 0, false, false, 0 },
		{ "low_tcg_q35_71_amd", Q35, V(7, 1), AMD, true, 40, 976 * G,
		  false, 0, false, false, 0 },
		{ "ok_tcg_q35_70_amd", Q35, V(7, 0), AMD, true, 40,
		  987 * G + 512 * M, false, 0, true, true, 0 },
		{ "ok_tcg_q35_71_amd", Q35, V(7, 1), AMD, true, 40,
		  975 * G + 512 * M, false, 0, true, true, 0 },
		{ "ok_tcg_q35_71_intel", Q35, V(7, 1), INTEL, true, 40,
		  976 * G, false, 0, true, true, 0 },
		{ "low_tcg_q35_71_amd_41bits", Q35, V(7, 1), AMD, true, 41,
		  992 * G, false, 0, false, false, 0 },
		{ "ok_tcg_q35_71_amd_41bits", Q35, V(7, 1), AMD, true, 41,
		  990 * G, false, 0, true, true, 0 },
		{ "low_tcg_q35_intel_cxl", Q35, 0, INTEL, true, 40, 987 * G,
		  true, 1 * G, false, false, 0 },
		{ "ok_tcg_q35_intel_cxl", Q35, 0, INTEL, true, 40, 987 * G,
		  true, 0, true, true, 0 },
	};
	static const unsigned versions[] = { V(7, 2), V(8, 2), V(9, 2),
					     V(10, 0) };
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mas_case *t = &cases[i];

		for (k = 0; k < sizeof(versions) / sizeof(versions[0]); k++) {
			unsigned qv = versions[k];
			struct qemu_mem_config c = cfg(qv, t->m,
						       t->mv ? t->mv : qv,
						       t->vendor, t->bits,
						       512 * M, 1, t->maxmem);
			bool expect = qv >= V(8, 2) ? t->ok : t->ok_72;
			struct qemu_mem_layout l;
			char err[160];

			c.lm = t->lm;
			if (qv < V(8, 2) && t->bits_72)
				c.phys_bits = t->bits_72;
			c.cxl = t->cxl;
			c.cxl_fmw_size = t->fmw;
			qemu_mem_layout(&c, &l);
			tap_ok(qemu_mem_validate(&c, err, sizeof(err)) &&
			       qemu_mem_fits(&c) == expect &&
			       (expect || l.verdict ==
					(qv < V(8, 2) && c.phys_bits <= 32 ?
					 QEMU_MEM_MAXMEM_UNALIGNED :
					 QEMU_MEM_PHYS_BITS_TOO_LOW)),
			       "test_phybits_%s on QEMU %u.%u: %s", t->name,
			       QEMU_VER_MAJOR(qv), QEMU_VER_MINOR(qv),
			       expect ? "starts" : "refused");
		}
	}
}

/* The closed form of the limit for a 64-bit Intel vCPU, from the layout
 * rules written out by hand: the device memory and the hole must end by
 * 2^P, device memory starts at the GiB after RAM above 4G. */
static uint64_t closed_form(enum qemu_machine m, unsigned bits, uint64_t ram,
			    unsigned slots)
{
	uint64_t lowmem, above, dev_base, hole = m == Q35 ? 32 * G : 2 * G;
	int64_t lim;

	if (m == Q35)
		lowmem = ram >= 0xb0000000ULL ? 2 * G : 0xb0000000ULL;
	else
		lowmem = ram >= 0xe0000000ULL ? 3 * G : 0xe0000000ULL;
	above = ram > lowmem ? ram - lowmem : 0;
	dev_base = (4 * G + above + G - 1) / G * G;
	lim = (int64_t)(((1ULL << bits) - hole) / G * G) - (int64_t)dev_base +
	      (int64_t)ram - (int64_t)slots * (int64_t)G;
	return lim > (int64_t)ram ? (uint64_t)lim : 0;
}

static void test_closed_form(void)
{
	static const unsigned bits[] = { 36, 39, 40, 46 };
	static const uint64_t rams[] = { 512 * M, 2 * G, 3 * G, 3584 * M,
					 4 * G, 8 * G + 512 * M };
	static const unsigned slots[] = { 0, 1, 8, 16, 32, 256 };
	int bad = 0, n = 0;
	size_t b, r, s;
	int m;

	for (m = 0; m < 2; m++)
		for (b = 0; b < 4; b++)
			for (r = 0; r < 6; r++)
				for (s = 0; s < 6; s++) {
					enum qemu_machine mach = m ? Q35 : PC;
					struct qemu_mem_config c =
						cfg(V(9, 2), mach, V(9, 2), INTEL,
						    bits[b], rams[r], slots[s], 0);
					uint64_t want = closed_form(mach, bits[b],
								    rams[r],
								    slots[s]);

					n++;
					if (qemu_mem_max_maxmem(&c) != want) {
						bad++;
						tap_diag("%s P=%u ram=%" PRIu64
							 " slots=%u: model %" PRIu64
							 " closed form %" PRIu64,
							 m ? "q35" : "pc", bits[b],
							 rams[r], slots[s],
							 qemu_mem_max_maxmem(&c), want);
					}
				}
	tap_ok(!bad, "bisection agrees with the closed form (%d configs)", n);
}

static void test_fact_table(void)
{
	static const struct {
		enum qemu_machine m;
		unsigned mv;
		enum qemu_cpu_vendor vendor;
		unsigned bits;
		uint64_t ram, want;
		const char *what;
	} t[] = {
		{ Q35, V(7, 2), INTEL, 40, 2 * G, 974 * G, "Intel 40 bits" },
		{ Q35, V(7, 2), AMD, 40, 2 * G, 962 * G,
		  "AMD 40 bits, q35-7.2: HT hole caps it" },
		{ Q35, V(7, 0), AMD, 40, 2 * G, 974 * G,
		  "AMD 40 bits, pc-q35-7.0: no HT rule" },
		{ Q35, V(7, 2), AMD, 41, 2 * G, 978 * G,
		  "AMD 41 bits, q35-7.2: relocated to 1T" },
		{ Q35, V(7, 0), AMD, 41, 2 * G, 1998 * G,
		  "AMD 41 bits, pc-q35-7.0" },
		{ PC, V(7, 2), INTEL, 36, 2 * G, 44 * G, "pc, 36 bits, 2G" },
		{ PC, V(7, 2), INTEL, 36, 4 * G, 45 * G, "pc, 36 bits, 4G" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct qemu_mem_config c = cfg(V(7, 2), t[i].m, t[i].mv,
					       t[i].vendor, t[i].bits,
					       t[i].ram, 16, 0);

		tap_ok(qemu_mem_max_maxmem(&c) == t[i].want,
		       "%s, 16 slots -> %" PRIu64 "G", t[i].what,
		       t[i].want / G);
	}
}

static void test_layout_details(void)
{
	struct qemu_mem_config c;
	struct qemu_mem_layout l;

	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 40, 4 * G, 0, 0);
	qemu_mem_layout(&c, &l);
	tap_ok(l.below_4g == 2 * G && l.above_4g == 2 * G && !l.device_mem &&
	       l.hole64_start == 6 * G, "q35 -m 4G: 2G low, 2G high, hole at 6G");
	c.ram = 2816 * M;
	qemu_mem_layout(&c, &l);
	tap_ok(l.below_4g == 2 * G && l.above_4g == 768 * M,
	       "q35 -m 2.75G: 2G low, 0.75G high");
	c = cfg(V(7, 2), PC, V(7, 2), INTEL, 40, 3584 * M, 0, 0);
	qemu_mem_layout(&c, &l);
	tap_ok(l.below_4g == 3 * G && l.above_4g == 512 * M,
	       "pc -m 3.5G: 3G low, 0.5G high");
	c.ram = 3 * G;
	qemu_mem_layout(&c, &l);
	tap_ok(l.below_4g == 3 * G && l.above_4g == 0, "pc -m 3G: all low");
	c.ram = 1000 * KiB + 1;
	qemu_mem_layout(&c, &l);
	tap_ok(l.ram == 1008 * KiB, "-m rounds up to 8 KiB");

	c = cfg(V(7, 2), Q35, V(7, 1), AMD, 41, 512 * M, 1, 990 * G);
	qemu_mem_layout(&c, &l);
	tap_ok(l.amd_relocated && l.above_4g_start == TiB &&
	       l.device_mem_base == TiB && l.max_used_gpa == 2047 * G - 1 &&
	       l.verdict == QEMU_MEM_STARTS,
	       "AMD 41 bits: relocated to 1T, max GPA 2047G-1");
	c.machine_version = V(7, 0);
	qemu_mem_layout(&c, &l);
	tap_ok(!l.amd_relocated && !l.amd_ht_hole,
	       "AMD on pc-q35-7.0: no HT hole rule");

	/* pc-*-2.4 and older: the hole starts at the device memory base. */
	c = cfg(V(7, 2), Q35, V(2, 4), INTEL, 36, 2 * G, 16, 20 * G);
	qemu_mem_layout(&c, &l);
	tap_ok(l.hole64_start == 4 * G && l.verdict == QEMU_MEM_STARTS,
	       "pc-q35-2.4: broken_reserved_end, hole at device base");
	/* pc-i440fx-2.1: no GiB per slot, and (broken_reserved_end) the
	 * hole does not follow device memory, so no maxmem is too large:
	 * QEMU 7.2 started it with maxmem=16000P. */
	c = cfg(V(7, 2), PC, V(2, 1), INTEL, 36, 2 * G, 16, 100 * G);
	qemu_mem_layout(&c, &l);
	tap_ok(l.device_mem_size == 98 * G && l.hole64_start == 4 * G &&
	       l.verdict == QEMU_MEM_STARTS,
	       "pc-i440fx-2.1: no GiB per slot, hole at the device base");
	tap_ok(qemu_mem_max_maxmem(&c) == QEMU_MEM_UNLIMITED,
	       "pc-i440fx-2.1: no maxmem limit");
	/* pc-i440fx-2.0: no memory hotplug at all; the check comes first */
	c = cfg(V(7, 2), PC, V(2, 0), INTEL, 36, 2 * G, 1, 4 * G);
	qemu_mem_layout(&c, &l);
	tap_ok(l.verdict == QEMU_MEM_NO_HOTPLUG && !l.device_mem,
	       "pc-i440fx-2.0: slots|maxmem not supported");
	tap_ok(qemu_mem_max_maxmem(&c) == 0, "pc-i440fx-2.0: no maxmem fits");
	c = cfg(V(7, 2), PC, V(2, 0), INTEL, 36, 2 * G, 0, 0);
	tap_ok(qemu_mem_fits(&c), "pc-i440fx-2.0 without slots starts");
	c = cfg(V(7, 2), PC, V(2, 0), INTEL, 32, 2 * G, 0, 0);
	c.pci_hole64_size = 1ULL << 62;
	qemu_mem_layout(&c, &l);
	tap_ok(l.verdict == QEMU_MEM_STARTS,
	       "7.2, phys-bits 32: a huge hole64 is not counted");

	/* Unaligned maxmem passes the phys-bits check, then fails. */
	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 40, 2 * G, 1, 4 * G + 1);
	qemu_mem_layout(&c, &l);
	tap_ok(l.verdict == QEMU_MEM_MAXMEM_UNALIGNED, "unaligned maxmem");

	/* Before 7.1: no check. */
	c = cfg(V(7, 0), Q35, V(7, 0), INTEL, 36, 2 * G, 16, 100 * G);
	qemu_mem_layout(&c, &l);
	tap_ok(!l.checked && l.verdict == QEMU_MEM_STARTS &&
	       qemu_mem_max_maxmem(&c) == 14 * G,
	       "QEMU 7.0 starts with 100G; 14G is still the addressable limit");

	/* 64-bit CPU with 32 phys-bits: 7.x passes, 8.2 fails */
	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 32, 2 * G, 1, 300 * G);
	tap_ok(qemu_mem_fits(&c), "7.2: 64-bit CPU with phys-bits=32 passes");
	c = cfg(V(8, 2), Q35, V(8, 2), INTEL, 32, 2 * G, 0, 0);
	tap_ok(!qemu_mem_fits(&c), "8.2: 64-bit CPU with phys-bits=32 fails");
	tap_ok(qemu_mem_max_maxmem(&c) == 0, "... and no maxmem fits");
	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 32, 2 * G, 1, 0);
	tap_ok(qemu_mem_max_maxmem(&c) == QEMU_MEM_UNLIMITED,
	       "7.2: phys-bits=32 sets no limit");
}

static void test_validate(void)
{
	struct qemu_mem_config c;
	char err[160];
	enum qemu_machine m;
	unsigned mv, v;

	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 36, 2 * G, 16, 1 * G);
	tap_ok(!qemu_mem_validate(&c, err, sizeof(err)) && strstr(err, "1G"),
	       "maxmem < ram refused: %s", err);
	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 36, 2 * G, 257, 20 * G);
	tap_ok(!qemu_mem_validate(&c, err, sizeof(err)) && strstr(err, "257"),
	       "257 slots refused: %s", err);
	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 36, 2 * G, 256, 300 * G);
	tap_ok(qemu_mem_validate(&c, err, sizeof(err)), "256 slots accepted");
	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 31, 2 * G, 0, 0);
	tap_ok(!qemu_mem_validate(&c, err, sizeof(err)) && strstr(err, "31"),
	       "phys-bits 31 refused: %s", err);
	c.phys_bits = 53;
	tap_ok(!qemu_mem_validate(&c, err, sizeof(err)) && strstr(err, "53"),
	       "phys-bits 53 refused: %s", err);
	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 36, 2 * G, 4, 2 * G);
	tap_ok(!qemu_mem_validate(&c, err, sizeof(err)),
	       "slots with maxmem == ram refused: %s", err);
	c = cfg(V(7, 2), Q35, V(7, 2), INTEL, 40, 2 * G, 0, 0);
	c.lm = false;
	tap_ok(!qemu_mem_validate(&c, err, sizeof(err)),
	       "32-bit CPU with 40 phys-bits refused: %s", err);

	tap_ok(qemu_parse_machine("q35", V(7, 2), &m, &mv, err, sizeof(err)) &&
	       m == Q35 && mv == V(7, 2), "q35 is pc-q35-7.2 on 7.2");
	tap_ok(qemu_parse_machine("pc-q35-4.0.1", V(7, 2), &m, &mv, err,
				  sizeof(err)) && mv == V(4, 0), "pc-q35-4.0.1");
	tap_ok(qemu_parse_machine("pc-i440fx-2.12", V(7, 2), &m, &mv, err,
				  sizeof(err)) && m == PC && mv == V(2, 12),
	       "pc-i440fx-2.12 is 2.12, not 2.1");
	tap_ok(!qemu_parse_machine("pc-q35-8.0", V(7, 2), &m, &mv, err,
				   sizeof(err)) && strstr(err, "7.2"),
	       "pc-q35-8.0 does not exist in 7.2: %s", err);
	tap_ok(!qemu_parse_machine("virt", V(7, 2), &m, &mv, err, sizeof(err)),
	       "virt refused: %s", err);
	tap_ok(!qemu_parse_machine("pc-q35-x", V(7, 2), &m, &mv, err,
				   sizeof(err)), "pc-q35-x refused: %s", err);
	tap_ok(qemu_parse_version("7.2.22", &v) && v == V(7, 2), "7.2.22");
	tap_ok(!qemu_parse_version("7", &v) && !qemu_parse_version("7.x", &v),
	       "7 and 7.x are not versions");
}

static void test_host(void)
{
	struct host_cpu cpu;
	unsigned v;

	tap_ok(host_cpu_parse_cpuinfo("processor\t: 0\nvendor_id\t: "
				      "GenuineIntel\nmodel name\t: Intel(R) "
				      "Xeon(R) CPU E3-1225 V2\naddress sizes\t"
				      ": 36 bits physical, 48 bits virtual\n",
				      &cpu) &&
	       cpu.phys_bits == 36 && cpu.vendor == INTEL,
	       "cpuinfo: Ivy Bridge Xeon, 36 bits, Intel");
	tap_ok(host_cpu_parse_cpuinfo("vendor_id\t: AuthenticAMD\n"
				      "address sizes\t: 48 bits physical, "
				      "48 bits virtual\n", &cpu) &&
	       cpu.phys_bits == 48 && cpu.vendor == AMD,
	       "cpuinfo: AMD, 48 bits");
	tap_ok(host_cpu_parse_cpuinfo("vendor_id\t: HygonGenuine\n"
				      "address sizes\t: 43 bits physical\n",
				      &cpu) && cpu.vendor == INTEL,
	       "cpuinfo: Hygon is not AMD to QEMU");
	tap_ok(!host_cpu_parse_cpuinfo("processor\t: 0\n", &cpu),
	       "cpuinfo without address sizes");
	tap_ok(host_cpu_read(&cpu) && cpu.phys_bits >= 32 &&
	       cpu.phys_bits <= 57, "this host: %u phys-bits, %s",
	       cpu.phys_bits, cpu.vendor_id);
	tap_ok(qemu_parse_banner("QEMU emulator version 7.2.22 (Debian "
				 "1:7.2+dfsg-7+deb12u18+b3)\n", &v) &&
	       v == V(7, 2), "version banner");
	tap_ok(!qemu_parse_banner("bash, version 5.2\n", &v), "not QEMU");
}

/* The doctor's entry point: the host's phys-bits, and the same limit the
 * model gives for them. */
static void test_advice(void)
{
	struct qemu_mem_config c;
	struct qemu_advice *a = calloc(1, sizeof(*a));
	struct host_cpu cpu;

	if (!a || !host_cpu_read(&cpu)) {
		tap_ok(0, "qemu_advice_host: host CPU readable");
		free(a);
		return;
	}
	tap_ok(qemu_advice_host("/nonexistent-dir", 2 * G, 16, a) &&
	       a->mem_ok && !a->aio_ok && a->aio_recommended == QEMU_AIO_NR,
	       "qemu_advice_host: memory found, bad path reported");
	c = cfg(a->mem.qemu_version, Q35, a->mem.qemu_version, cpu.vendor,
		cpu.phys_bits > 52 ? 52 : cpu.phys_bits, 2 * G, 16, 0);
	tap_ok(a->mem.cpu.phys_bits == cpu.phys_bits &&
	       a->mem.max_maxmem == qemu_mem_max_maxmem(&c),
	       "qemu_advice_host: %u phys-bits, max maxmem %" PRIu64,
	       a->mem.cpu.phys_bits, a->mem.max_maxmem);
	free(a);
}

int main(void)
{
	printf("TAP version 13\n");
	test_sizes();
	test_seed();
	test_mem_addr_space();
	test_closed_form();
	test_fact_table();
	test_layout_details();
	test_validate();
	test_host();
	test_advice();
	tap_plan_done();
	return tap_exit();
}
