// SPDX-License-Identifier: GPL-2.0
/*
 * The overlap rule (overlap.h): two ranges of one disk share a block.
 * Hand-picked edges (adjacent blocks, one block with different sectors,
 * another disk, a larger block of one side), then random ranges against
 * a model that marks every block each range touches, sector by sector.
 * Shown to fail: with the block boundary computed from the range's end
 * instead of its last sector ((start + length) / block), the adjacent-block
 * cases fail, and 10 of the 20000 random pairs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/overlap.h"
#include "tap.h"

#define DISK_SECTORS 4096

static struct disk_extent ext(unsigned int minor, uint64_t start, uint64_t len)
{
	return (struct disk_extent){ .major = 259, .minor = minor,
				     .start = start, .length = len };
}

/* The model: mark each block any sector of @e is in. */
static void mark(const struct disk_extent *e, uint64_t block, unsigned char *b)
{
	for (uint64_t s = e->start; s < e->start + e->length; s++)
		b[s / block] = 1;
}

static int model(const struct disk_extent *a, const struct disk_extent *b,
		 uint64_t block)
{
	static unsigned char ma[DISK_SECTORS], mb[DISK_SECTORS];

	if (a->major != b->major || a->minor != b->minor)
		return 0;
	memset(ma, 0, sizeof(ma));
	memset(mb, 0, sizeof(mb));
	mark(a, block, ma);
	mark(b, block, mb);
	for (size_t i = 0; i < DISK_SECTORS; i++)
		if (ma[i] && mb[i])
			return 1;
	return 0;
}

int main(void)
{
	static const struct {
		const char *what;
		struct disk_extent a, b;
		uint64_t block;
		int want;
	} cases[] = {
		{ "the same range", { 259, 0, 0, 64 }, { 259, 0, 0, 64 }, 8, 1 },
		{ "adjacent 4K blocks", { 259, 0, 0, 8 }, { 259, 0, 8, 8 }, 8, 0 },
		{ "one 4K block, different sectors", { 259, 0, 0, 3 }, { 259, 0, 5, 3 }, 8, 1 },
		{ "one sector in common", { 259, 0, 0, 9 }, { 259, 0, 8, 8 }, 8, 1 },
		{ "a range inside another", { 259, 0, 0, 800 }, { 259, 0, 400, 8 }, 8, 1 },
		{ "another disk", { 259, 0, 0, 64 }, { 259, 1, 0, 64 }, 8, 0 },
		{ "adjacent 4K blocks in one 64K block", { 259, 0, 0, 8 }, { 259, 0, 8, 8 }, 128, 1 },
		{ "adjacent 64K blocks", { 259, 0, 0, 128 }, { 259, 0, 128, 128 }, 128, 0 },
		{ "an empty range", { 259, 0, 0, 0 }, { 259, 0, 0, 64 }, 8, 0 },
	};
	unsigned int i, bad = 0;

	srandom(20261207);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_ok(disk_extents_share_block(&cases[i].a, &cases[i].b,
						cases[i].block) == cases[i].want &&
		       disk_extents_share_block(&cases[i].b, &cases[i].a,
						cases[i].block) == cases[i].want,
		       "%s", cases[i].what);

	for (i = 0; i < 20000; i++) {
		uint64_t block = 8u << (random() % 5);	/* 4K .. 64K */
		uint64_t as = (uint64_t)random() % (DISK_SECTORS - 1);
		uint64_t bs = (uint64_t)random() % (DISK_SECTORS - 1);
		uint64_t al = 1 + (uint64_t)random() % (DISK_SECTORS - as - 1);
		uint64_t bl = 1 + (uint64_t)random() % 64;
		struct disk_extent a = ext(0, as, al), b;

		if (bs + bl > DISK_SECTORS)
			bl = DISK_SECTORS - bs;
		b = ext(random() % 8 ? 0 : 1, bs, bl);
		if (disk_extents_share_block(&a, &b, block) != model(&a, &b, block)) {
			if (!bad++)
				tap_diag("first mismatch: %llu+%llu and %llu+%llu, block %llu",
					 (unsigned long long)as, (unsigned long long)al,
					 (unsigned long long)bs, (unsigned long long)bl,
					 (unsigned long long)block);
		}
	}
	tap_ok(!bad, "20000 random pairs agree with the block model (%u differ)", bad);
	tap_plan_done();
	return tap_exit();
}
