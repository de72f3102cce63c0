/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Overlapping mappings.  Two sectoremu mappings, or a mapping and any
 * other writer, that cover one underlying block lose updates: each
 * target serialises only its own read-modify-writes of the block, so two
 * of them can read it at once and the second write undoes the first.  A
 * real 512e disk would not lose either write, and the kernel cannot
 * prevent it, so the tool refuses a mapping that shares a block with an
 * existing sectoremu mapping of the same disk, --force or not.
 */
#ifndef SECTOREMU_OVERLAP_H
#define SECTOREMU_OVERLAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A range of a whole disk, in 512-byte sectors. */
struct disk_extent {
	unsigned int major, minor;	/* the whole disk */
	uint64_t start, length;
};

/*
 * [@offset, @offset + @length) of device @major:@minor as a range of its
 * whole disk: a partition adds its start (sysfs).  -errno on failure.
 */
int disk_extent_of(unsigned int major, unsigned int minor, uint64_t offset,
		   uint64_t length, struct disk_extent *e);
/* Whether @a and @b have a block of @block sectors (a power of two) in common. */
bool disk_extents_share_block(const struct disk_extent *a,
			      const struct disk_extent *b, uint64_t block);
/*
 * The first sectoremu mapping that shares a block with @e, where a block
 * is the larger of @block and that mapping's own underlying block: its
 * name into @name and 1; 0 when none; -errno when the mappings cannot be
 * listed.
 */
int map_find_overlap(const struct disk_extent *e, uint64_t block, char *name,
		     size_t len);

#endif
