// SPDX-License-Identifier: GPL-2.0
/*
 * fix, convert, backup and restore through the library: the results are
 * compared field by field, or byte for byte, with tables built by hand at
 * the target size (ptable_fixture.h), and refusals must leave the image
 * untouched.
 */
#include <fcntl.h>
#include <string.h>

#include "ptable/ptable.h"
#include "ptable/int.h"
#include "ptable/ops.h"
#include "ptable_fixture.h"
#include "tap.h"

#define MiB (1024 * 1024)
#define SIZE (8 * MiB)

static uint8_t img[SIZE + 2 * MiB], want[SIZE + 2 * MiB], orig[SIZE + 2 * MiB];

static const struct fx_part parts512[] = {
	{ 2048, 4095, 0xc1, 0, "EFI" },
	{ 4096, 8191, 0x0f, 0x8000000000000004ull, "root" },
	{ 0, 0, 0, 0, NULL },
	{ 8192, 16343, 0x0f, 1, "data" },
};

/* The same byte ranges in 4096-byte sectors. */
static void parts_at(unsigned int ss, struct fx_part *p)
{
	int i;

	memcpy(p, parts512, sizeof(parts512));
	for (i = 0; i < 4; i++) {
		if (!p[i].type)
			continue;
		p[i].first = parts512[i].first * 512 / ss;
		p[i].last = (parts512[i].last + 1) * 512 / ss - 1;
	}
}

struct ctx {
	char path[4096];
	struct ptdev d;
	struct ptable pt;
	struct wplan plan;
};

static void open_img(struct ctx *c, const uint8_t *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->d.fd = fx_file(buf, len, c->path);
	c->d.path = c->path;
	c->d.bytes = len;
	c->d.lbs = 512;
	if (ptable_read(c->d.fd, len, 0, &c->pt))
		tap_diag("ptable_read failed");
}

static void close_img(struct ctx *c)
{
	plan_free(&c->plan);
	ptable_free(&c->pt);
	close(c->d.fd);
	unlink(c->path);
}

/* Plan convert (to != 0) or fix and execute it; returns the plan status. */
static int run(struct ctx *c, unsigned int to, const char *backup)
{
	unsigned int ss = to ? to : c->pt.sector_size;
	int ret;

	plan_init(&c->plan, c->d.fd, c->d.bytes, ss);
	ret = to ? ptable_plan_convert(&c->pt, &c->d, to, &c->plan) :
		   ptable_plan_fix(&c->pt, &c->d, false, &c->plan);
	if (ret)
		return ret;
	return plan_execute(&c->plan, backup);
}

static int read_back(struct ctx *c, size_t len)
{
	return pread(c->d.fd, img, len, 0) == (ssize_t)len ? 0 : -1;
}

/* Compare one GPT region of img with want; diagnose the first difference. */
static int same(uint64_t off, size_t len, const char *what)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (img[off + i] != want[off + i]) {
			tap_diag("%s: byte %zu differs (%02x, want %02x)", what, i,
				 img[off + i], want[off + i]);
			return 0;
		}
	}
	return 1;
}

static void test_convert(unsigned int from, unsigned int to)
{
	struct fx_part pf[4], pt[4];
	uint64_t last = SIZE / to - 1, asect = 16384 / to;
	struct ctx c;

	parts_at(from, pf);
	parts_at(to, pt);
	fx_gpt(img, SIZE, from, pf, 4);
	fx_gpt(want, SIZE, to, pt, 4);
	open_img(&c, img, SIZE);
	tap_ok(!run(&c, to, NULL), "convert %u -> %u succeeds", from, to);
	read_back(&c, SIZE);
	tap_ok(same(to, 92, "primary header"),
	       "%u -> %u: primary header at byte %u field for field", from, to, to);
	tap_ok(same(2 * to, 16384, "primary entries"),
	       "%u -> %u: entry array (LBAs rescaled, GUIDs, names, attributes kept)",
	       from, to);
	tap_ok(same(last * to, 92, "backup header") &&
	       same((last - asect) * to, 16384, "backup entries"),
	       "%u -> %u: backup header and array at the end", from, to);
	tap_ok(same(446 + 4, 1, "pMBR type") && same(446 + 8, 8, "pMBR LBAs") &&
	       same(510, 2, "signature"),
	       "%u -> %u: protective MBR covers the disk in %u-byte sectors",
	       from, to, to);
	tap_ok(fx_get(img + to + 56, 1) == 0xd5 && fx_get(img + to + 40, 8) == 2 + asect,
	       "%u -> %u: disk GUID kept, FirstUsableLBA %llu", from, to,
	       (unsigned long long)(2 + asect));
	close_img(&c);
}

static void test_roundtrip(void)
{
	struct fx_part p[4];
	struct ctx c;

	parts_at(512, p);
	fx_gpt(img, SIZE, 512, p, 4);
	memcpy(orig, img, SIZE);
	open_img(&c, img, SIZE);
	run(&c, 4096, NULL);
	ptable_free(&c.pt);
	plan_free(&c.plan);
	ptable_read(c.d.fd, SIZE, 0, &c.pt);
	tap_ok(c.pt.sector_size == 4096, "round trip: reads as 4096 in between");
	run(&c, 512, NULL);
	read_back(&c, SIZE);
	tap_ok(!memcmp(img, orig, SIZE), "round trip 512 -> 4096 -> 512 is byte-identical");
	close_img(&c);
}

static void test_refusals(void)
{
	struct fx_part p[2] = {
		{ 2048, 4095, 0x0f, 0, "ok" },
		{ 4097, 8191, 0x0f, 0, "odd" },
	};
	struct fx_part q[1] = { { 40, 2087, 0x0f, 0, "early" } };
	struct ctx c;

	fx_gpt(img, SIZE, 512, p, 2);
	memcpy(orig, img, SIZE);
	open_img(&c, img, SIZE);
	tap_ok(run(&c, 4096, NULL) && c.plan.n == 0 && fx_same_file(c.d.fd, orig, SIZE),
	       "unaligned partition: convert refused, nothing planned or written");
	close_img(&c);

	/* Aligned, but where the 4096 layout's larger metadata goes. */
	fx_gpt(img, SIZE, 512, q, 1);
	memcpy(orig, img, SIZE);
	open_img(&c, img, SIZE);
	tap_ok(run(&c, 4096, NULL) && fx_same_file(c.d.fd, orig, SIZE),
	       "partition inside the 4096 metadata area: refused, image unchanged");
	close_img(&c);

	/* Truncated below the last partition: fix cannot move the backup. */
	fx_gpt(img, SIZE, 512, parts512, 4);
	memcpy(orig, img, SIZE);
	open_img(&c, img, 6 * MiB);
	tap_ok(run(&c, 0, NULL) && fx_same_file(c.d.fd, orig, 6 * MiB),
	       "truncated image with a partition past the end: fix refused");
	close_img(&c);
}

static void test_fix(void)
{
	struct ctx c;

	/* Grown by 2 MiB: the result is what a table built for 10 MiB is. */
	fx_gpt(img, SIZE, 512, parts512, 4);
	memset(img + SIZE, 0, 2 * MiB);
	fx_gpt(want, SIZE + 2 * MiB, 512, parts512, 4);
	open_img(&c, img, SIZE + 2 * MiB);
	tap_ok(!run(&c, 0, NULL), "fix of a grown image succeeds");
	read_back(&c, SIZE + 2 * MiB);
	tap_ok(same(512, 92, "primary") &&
	       same(SIZE + 2 * MiB - 512, 92, "backup") &&
	       same(SIZE + 2 * MiB - 33 * 512, 16384, "backup array") &&
	       same(446 + 4, 1, "pMBR type") && same(446 + 8, 8, "pMBR LBAs"),
	       "grown image: headers, backup array and protective MBR as built for the new size");
	tap_ok(!memcmp(img + SIZE - 512, want + SIZE - 512, 512) &&
	       !memcmp(img + SIZE - 33 * 512, want + SIZE - 33 * 512, 16384),
	       "grown image: the old backup header and array are wiped");
	close_img(&c);

	/* Primary header and array destroyed: rebuilt from the backup. */
	fx_gpt(img, SIZE, 512, parts512, 4);
	memcpy(orig, img, SIZE);
	memset(img + 512, 0x5a, 3 * 512);
	open_img(&c, img, SIZE);
	tap_ok(!run(&c, 0, NULL) && read_back(&c, SIZE) == 0 &&
	       !memcmp(img, orig, SIZE),
	       "corrupted primary: rebuilt from the backup, image as before");
	close_img(&c);

	/* Backup destroyed: rebuilt from the primary. */
	fx_gpt(img, SIZE, 512, parts512, 4);
	memcpy(orig, img, SIZE);
	memset(img + SIZE - 512, 0, 512);
	open_img(&c, img, SIZE);
	tap_ok(!run(&c, 0, NULL) && read_back(&c, SIZE) == 0 &&
	       !memcmp(img, orig, SIZE),
	       "corrupted backup: rebuilt from the primary, image as before");
	close_img(&c);
}

static void flip(const char *path, off_t off)
{
	int fd = open(path, O_RDWR);
	uint8_t b;

	if (fd < 0 || pread(fd, &b, 1, off) != 1)
		exit(1);
	b ^= 0x42;
	if (pwrite(fd, &b, 1, off) != 1)
		exit(1);
	close(fd);
}

static void test_backup_restore(void)
{
	char bk[4096 + 16];
	struct ptdev d;
	struct wplan plan;
	struct fx_part p[4];
	struct ctx c;

	parts_at(512, p);
	fx_gpt(img, SIZE, 512, p, 4);
	memcpy(orig, img, SIZE);
	open_img(&c, img, SIZE);
	snprintf(bk, sizeof(bk), "%s.bak", c.path);
	tap_ok(!run(&c, 4096, bk), "convert with --backup");
	d = c.d;

	/* A damaged backup file is refused before any write. */
	flip(bk, 100);
	memset(&plan, 0, sizeof(plan));
	tap_ok(backup_plan_restore(bk, &d, false, &plan) != 0,
	       "damaged backup file refused");
	plan_free(&plan);
	flip(bk, 100);

	/* Another device size is refused. */
	d.bytes = SIZE - 4096;
	tap_ok(backup_plan_restore(bk, &d, false, &plan) != 0,
	       "backup of a device of another size refused");
	plan_free(&plan);
	d.bytes = SIZE;

	/* A sector changed since: refused unless forced. */
	if (pwrite(d.fd, "X", 1, 4096 + 200) != 1)
		exit(1);
	tap_ok(backup_plan_restore(bk, &d, false, &plan) != 0,
	       "sector changed after the backup: restore refused");
	plan_free(&plan);
	tap_ok(!backup_plan_restore(bk, &d, true, &plan) &&
	       !plan_execute(&plan, NULL) && fx_same_file(d.fd, orig, SIZE),
	       "restore (forced) brings back the original bytes");
	plan_free(&plan);
	tap_ok(!backup_plan_restore(bk, &d, false, &plan) &&
	       plan_changes(&plan) == 0, "restoring again changes nothing");
	plan_free(&plan);
	unlink(bk);
	close_img(&c);
}

int main(void)
{
	tap_plan(28);
	test_convert(512, 4096);
	test_convert(4096, 512);
	test_roundtrip();
	test_refusals();
	test_fix();
	test_backup_restore();
	return tap_exit();
}
