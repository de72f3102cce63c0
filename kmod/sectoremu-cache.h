/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The block cache (sectoremu-cache.c): copies of the blocks that
 * read-modify-write wrote last, direct-mapped by block number.
 *
 * Contract (the caller's side; the why is in sectoremu-cache.c):
 * - se_cache_put() only for a block whose write completed without error,
 *   while the caller holds the block's exclusive claim; it keeps the
 *   caller's page and returns another page of the same order for the
 *   caller to own.
 * - se_cache_drop() for every other write of a block, before that write
 *   releases its claim; and for everything once the device may have been
 *   written behind the target's back (suspend).
 * - se_cache_get() copies a block's content into a page and returns
 *   whether it could; any context.
 * - Nothing here allocates after se_cache_init(); nr == 0 is a cache that
 *   never holds anything.
 */
#ifndef SECTOREMU_CACHE_H
#define SECTOREMU_CACHE_H

#include <linux/mm_types.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct se_cache_slot {
	sector_t block;
	bool valid;
	struct page *page;
};

struct se_cache {
	spinlock_t lock;		/* protects every slot */
	unsigned int nr;		/* slots, a power of two; 0: no cache */
	unsigned int nr_valid;		/* valid slots, read without the lock */
	unsigned int order;		/* pages per block: 2^order */
	unsigned int block_bytes;
	struct se_cache_slot *slots;
};

int se_cache_init(struct se_cache *c, unsigned int block_bytes,
		  unsigned int order, bool enabled);
void se_cache_exit(struct se_cache *c);
bool se_cache_get(struct se_cache *c, sector_t block, struct page *page);
struct page *se_cache_put(struct se_cache *c, sector_t block,
			  struct page *page);
void se_cache_drop(struct se_cache *c, sector_t first, sector_t last);

#endif
