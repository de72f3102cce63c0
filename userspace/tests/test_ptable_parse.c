// SPDX-License-Identifier: GPL-2.0
/*
 * ptable_read(): GPT and MBR parsing, CRC checks, sector-size detection,
 * damaged, truncated and grown images, hybrid MBRs and EBR chains, against
 * tables built by hand in ptable_fixture.h.
 */
#include <string.h>

#include "ptable/ptable.h"
#include "ptable_fixture.h"
#include "tap.h"

#define MiB (1024 * 1024)

static uint8_t img[16 * MiB];

static int read_img(size_t len, uint64_t dev_bytes, unsigned int ss,
		    struct ptable *pt)
{
	char path[4096];
	int fd = fx_file(img, len, path), ret;

	unlink(path);
	ret = ptable_read(fd, dev_bytes, ss, pt);
	close(fd);
	return ret;
}

static int has_problem(const struct ptable *pt, const char *needle)
{
	unsigned int i;

	for (i = 0; i < pt->nproblems; i++)
		if (strstr(pt->problems[i], needle))
			return 1;
	return 0;
}

static void dump(const struct ptable *pt)
{
	unsigned int i;

	for (i = 0; i < pt->nproblems; i++)
		tap_diag("problem: %s", pt->problems[i]);
}

static const struct fx_part parts[] = {
	{ 2048, 4095, 0xc1, 0, "boot" },
	{ 4096, 8191, 0x0f, 0x8000000000000004ull, "root" },
	{ 0, 0, 0, 0, NULL },
	{ 8192, 10239, 0x0f, 0, "data" },
};

static void test_gpt(unsigned int ss)
{
	struct fx_part p[4];
	struct ptable pt;
	uint64_t size = 8 * MiB;
	int i, ok;

	/* Same byte layout whatever the sector size. */
	memcpy(p, parts, sizeof(p));
	for (i = 0; i < 4; i++) {
		p[i].first = p[i].first * 512 / ss;
		p[i].last = (p[i].last + 1) * 512 / ss - (p[i].type ? 1 : 0);
	}
	fx_gpt(img, size, ss, p, 4);
	ok = !read_img(size, size, 0, &pt);
	tap_ok(ok && pt.kind == PTABLE_GPT && pt.sector_size == ss,
	       "%u: GPT detected, written for %u-byte sectors", ss, ss);
	tap_ok(pt.mbr == PTABLE_MBR_PROTECTIVE && pt.primary_ok && pt.backup_ok,
	       "%u: protective MBR, both copies valid", ss);
	tap_ok(pt.nproblems == 0, "%u: healthy table has no problems", ss);
	dump(&pt);
	tap_ok(pt.nparts == 3 && pt.parts[0].number == 1 &&
	       pt.parts[1].number == 2 && pt.parts[2].number == 4,
	       "%u: numbers follow entry indexes (1, 2, 4)", ss);
	tap_ok(pt.nparts == 3 && pt.parts[0].start == 1 * MiB &&
	       pt.parts[0].size == 1 * MiB && pt.parts[2].start == 4 * MiB &&
	       pt.parts[2].size == 1 * MiB,
	       "%u: byte offsets and sizes", ss);
	tap_ok(pt.nparts == 3 && !strcmp(pt.parts[1].name, "root") &&
	       pt.parts[1].attributes == 0x8000000000000004ull &&
	       pt.parts[1].type.b[0] == 0x0f && pt.parts[1].uuid.b[5] == 0x11,
	       "%u: name, attributes, type and unique GUID", ss);
	tap_ok(pt.first_usable == 2 + 16384 / ss &&
	       pt.last_usable == size / ss - 2 - 16384 / ss &&
	       pt.num_entries == 128 && pt.disk_guid.b[0] == 0xd5,
	       "%u: usable area, entry count, disk GUID", ss);
	ptable_free(&pt);

	/* Forced to the other size, the GPT is not there. */
	ok = !read_img(size, size, ss == 512 ? 4096 : 512, &pt);
	tap_ok(ok && pt.kind == PTABLE_GPT && !pt.primary_ok && !pt.backup_ok &&
	       pt.nparts == 0 && has_problem(&pt, "no GPT header"),
	       "%u: read at the wrong size: only the protective MBR is found", ss);
	ptable_free(&pt);
}

static void test_damage(void)
{
	uint64_t size = 8 * MiB, last = size / 512 - 1;
	struct ptable pt;

	fx_gpt(img, size, 512, parts, 4);
	img[512 + 60] ^= 1;		/* disk GUID of the primary */
	read_img(size, size, 0, &pt);
	tap_ok(pt.sector_size == 512 && !pt.primary_ok && pt.backup_ok &&
	       pt.nparts == 3 && has_problem(&pt, "header CRC mismatch"),
	       "corrupted primary header: detected, backup used");
	ptable_free(&pt);

	fx_gpt(img, size, 512, parts, 4);
	img[1024 + 60] ^= 1;		/* entry array of the primary */
	read_img(size, size, 0, &pt);
	tap_ok(!pt.primary_ok && pt.backup_ok && pt.nparts == 3 &&
	       has_problem(&pt, "entry array CRC mismatch"),
	       "corrupted primary entry array: detected, backup used");
	ptable_free(&pt);

	fx_gpt(img, size, 512, parts, 4);
	memset(img + last * 512, 0, 512);
	read_img(size, size, 0, &pt);
	tap_ok(pt.primary_ok && !pt.backup_ok && pt.nparts == 3 &&
	       has_problem(&pt, "backup GPT header missing"),
	       "missing backup: detected");
	ptable_free(&pt);

	fx_gpt(img, size, 512, parts, 4);
	memset(img + 512, 0, 512);
	memset(img + last * 512, 0, 512);
	read_img(size, size, 0, &pt);
	tap_ok(pt.kind == PTABLE_GPT && pt.sector_size == 512 && pt.nparts == 0 &&
	       has_problem(&pt, "no GPT header was found"),
	       "both headers gone: size still read from the protective MBR");
	ptable_free(&pt);

	/* Truncated: the backup and the last partition are past the end. */
	fx_gpt(img, size, 512, parts, 4);
	read_img(5 * MiB, 5 * MiB, 0, &pt);
	tap_ok(pt.primary_ok && !pt.backup_ok && has_problem(&pt, "truncated") &&
	       has_problem(&pt, "LastUsableLBA"),
	       "truncated image: backup past the end reported");
	ptable_free(&pt);

	/* Grown: the backup is found where the primary says, not at the end. */
	fx_gpt(img, size, 512, parts, 4);
	memset(img + size, 0, 2 * MiB);
	read_img(size + 2 * MiB, size + 2 * MiB, 0, &pt);
	tap_ok(pt.primary_ok && pt.backup_ok && pt.backup_lba == last &&
	       has_problem(&pt, "not at the end") &&
	       has_problem(&pt, "0xEE entry covers"),
	       "grown image: backup not at the end, protective MBR too small");
	ptable_free(&pt);

	/* Protective MBR missing entirely. */
	fx_gpt(img, size, 512, parts, 4);
	memset(img, 0, 512);
	read_img(size, size, 0, &pt);
	tap_ok(pt.kind == PTABLE_GPT && pt.mbr == PTABLE_MBR_NONE &&
	       has_problem(&pt, "protective MBR missing"),
	       "missing protective MBR reported");
	ptable_free(&pt);

	/* Hybrid: 0xEE plus an ordinary entry is deliberate, not a problem. */
	fx_gpt(img, size, 512, parts, 4);
	fx_mbr_entry(img + 446 + 16, 0x83, 2048, 2048);
	read_img(size, size, 0, &pt);
	tap_ok(pt.kind == PTABLE_GPT && pt.mbr == PTABLE_MBR_HYBRID &&
	       pt.nproblems == 0, "hybrid MBR recognised");
	dump(&pt);
	ptable_free(&pt);
}

static void test_bad_partitions(void)
{
	struct fx_part p[3] = {
		{ 2048, 6143, 0x0f, 0, "a" },
		{ 4096, 8191, 0x0f, 0, "b" },		/* overlaps a */
		{ 12289, 16382, 0x0f, 0, "c" },		/* unaligned, too far */
	};
	uint64_t size = 8 * MiB;
	struct ptable pt;

	fx_gpt(img, size, 512, p, 3);
	read_img(size, size, 0, &pt);
	tap_ok(has_problem(&pt, "partitions 1 and 2 overlap"), "overlap reported");
	tap_ok(has_problem(&pt, "partition 3 (\"c\") is not 4096-byte aligned"),
	       "unaligned partition reported by name");
	tap_ok(has_problem(&pt, "partition 3 (\"c\") ends at byte 8388096, past the last usable byte 8371712"),
	       "partition past the usable area reported");
	ptable_free(&pt);
}

static void test_names(void)
{
	uint64_t size = 8 * MiB;
	struct ptable pt;
	uint8_t *name;

	fx_gpt(img, size, 512, parts, 1);
	name = img + 1024 + 56;
	memset(name, 0, 72);
	fx_put(name, 'x', 2);
	fx_put(name + 2, 0x00e9, 2);		/* é */
	fx_put(name + 4, 0xd83d, 2);		/* U+1F600 */
	fx_put(name + 6, 0xde00, 2);
	fx_put(name + 8, 0xdc00, 2);		/* lone low surrogate */
	fx_put(img + 512 + 88, fx_crc(img + 1024, 16384), 4);
	fx_put(img + 512 + 16, 0, 4);
	fx_put(img + 512 + 16, fx_crc(img + 512, 92), 4);
	read_img(size, size, 0, &pt);
	tap_ok(pt.primary_ok && pt.nparts == 1 &&
	       !strcmp(pt.parts[0].name, "x\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd"),
	       "UTF-16LE names become UTF-8 (BMP, surrogate pair, lone surrogate)");
	ptable_free(&pt);
}

/*
 * MBR: slot 1 a primary at 1 MiB, slot 3 an extended partition from 4 MiB
 * to the 16 MiB end with EBRs at 4, 8 and 12 MiB, each followed 512 KiB
 * later by a 2 MiB logical partition.  unit is 1 MiB in sectors of ss.
 */
static void build_mbr(unsigned int ss, uint32_t unit, bool loop)
{
	uint32_t ext = 4 * unit, ebr[3] = { 0, 4 * unit, 8 * unit };
	int i;

	memset(img, 0, 16 * MiB);
	fx_mbr_entry(img + 446, 0x83, unit, 2 * unit);
	fx_mbr_entry(img + 446 + 32, 0x05, ext, 12 * unit);
	fx_sig(img);
	for (i = 0; i < 3; i++) {
		uint8_t *e = img + (uint64_t)(ext + ebr[i]) * ss;

		fx_mbr_entry(e + 446, 0x83, unit / 2, 2 * unit);
		if (i < 2)
			fx_mbr_entry(e + 446 + 16, 0x05, ebr[i + 1], 4 * unit);
		else if (loop)
			fx_mbr_entry(e + 446 + 16, 0x05, ebr[0], 4 * unit);
		fx_sig(e);
	}
}

static void test_mbr(void)
{
	struct ptable pt;
	uint64_t size = 16 * MiB;

	build_mbr(512, 2048, false);
	read_img(size, size, 0, &pt);
	tap_ok(pt.kind == PTABLE_MBR && pt.mbr == PTABLE_MBR_CLASSIC &&
	       pt.sector_size == 512, "classic MBR at 512 detected");
	tap_ok(pt.nparts == 5 && pt.parts[0].number == 1 &&
	       pt.parts[1].number == 3 && pt.parts[1].extended &&
	       pt.parts[2].number == 5 && pt.parts[3].number == 6 &&
	       pt.parts[4].number == 7 && pt.parts[4].logical,
	       "kernel numbering: 1, 3 (extended), 5, 6, 7");
	tap_ok(pt.nparts == 5 && pt.parts[2].start == 4 * MiB + MiB / 2 &&
	       pt.parts[3].start == 8 * MiB + MiB / 2 &&
	       pt.parts[4].start == 12 * MiB + MiB / 2 &&
	       pt.parts[4].size == 2 * MiB,
	       "logical partitions start after their EBR");
	tap_ok(pt.nproblems == 0, "healthy MBR chain has no problems");
	dump(&pt);
	ptable_free(&pt);

	build_mbr(4096, 256, false);
	read_img(size, size, 0, &pt);
	tap_ok(pt.kind == PTABLE_MBR && pt.sector_size == 4096 && pt.nparts == 5 &&
	       pt.parts[2].start == 4 * MiB + MiB / 2,
	       "MBR with EBRs at 4096-byte positions detected as 4096");
	ptable_free(&pt);

	build_mbr(512, 2048, true);
	read_img(size, size, 0, &pt);
	tap_ok(pt.nparts == 5 && has_problem(&pt, "loops back"),
	       "EBR loop detected and cut");
	ptable_free(&pt);

	build_mbr(512, 2048, false);
	img[8 * MiB + 510] = 0;
	read_img(size, size, 0, &pt);
	tap_ok(pt.nparts == 3 && has_problem(&pt, "no 0x55AA signature"),
	       "EBR without signature ends the chain");
	ptable_free(&pt);

	memset(img, 0, MiB);
	read_img(MiB, MiB, 0, &pt);
	tap_ok(pt.kind == PTABLE_NONE && has_problem(&pt, "no partition table"),
	       "blank device: no table");
	ptable_free(&pt);
	read_img(100, 100, 0, &pt);
	tap_ok(pt.kind == PTABLE_NONE, "100-byte file: no table, no crash");
	ptable_free(&pt);
	tap_ok(read_img(MiB, MiB, 1024, &pt) < 0, "sector size 1024 rejected");
}

int main(void)
{
	tap_plan(38);
	test_gpt(512);
	test_gpt(4096);
	test_damage();
	test_bad_partitions();
	test_names();
	test_mbr();
	return tap_exit();
}
