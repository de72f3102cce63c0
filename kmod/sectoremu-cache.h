/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The block cache (sectoremu-cache.c): copies of the blocks that
 * read-modify-write wrote last, direct-mapped by block number.
 *
 * What a block is and how big belong to the caller (block_bytes, in pages
 * of 2^order); this knows nothing of bios, claims or the target.  The
 * caller's side of the contract (the why is in sectoremu-cache.c):
 *
 * - It only ever holds what is on the device: se_cache_put() a block only
 *   once its write completed without error, while nothing else can write
 *   the block (in sectoremu: the writer holds the block's exclusive claim).
 * - se_cache_drop() a block on every other write of it, before that write
 *   is reported complete (in sectoremu: before it releases its claim); and
 *   everything once the device may have been written behind the cache's
 *   back (suspend).
 * - A hit only ever returns the content of the last se_cache_put() of the
 *   block, with no se_cache_drop() of it since.  A miss is always allowed:
 *   the cache holds at most nr blocks, and a put may evict another block.
 * - Nothing here allocates or sleeps after se_cache_init(): every other
 *   call may be made from any context, bio completion included.
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

/* Private to sectoremu-cache.c, but nr: how many blocks it can hold. */
struct se_cache {
	spinlock_t lock;		/* protects every slot */
	unsigned int nr;		/* slots, a power of two; 0: no cache */
	unsigned int nr_valid;		/* valid slots, read without the lock */
	unsigned int order;		/* pages per block: 2^order */
	unsigned int block_bytes;
	struct se_cache_slot *slots;
};

/*
 * An empty cache for blocks of @block_bytes (at most PAGE_SIZE << @order),
 * holding 4 .. 64 of them and at most 256 KiB where the block size allows.
 * @enabled false: a cache that never holds anything (nr == 0).  May sleep.
 * On failure returns -ENOMEM; se_cache_exit() then frees what was taken.
 */
int se_cache_init(struct se_cache *c, unsigned int block_bytes,
		  unsigned int order, bool enabled);

/* Free every page and slot.  Only once no other call can be running. */
void se_cache_exit(struct se_cache *c);

/*
 * If the cache holds @block, copy its block_bytes into @page and return
 * true; otherwise return false and leave @page as it was.
 */
bool se_cache_get(struct se_cache *c, sector_t block, struct page *page);

/*
 * @page (2^order pages) now holds what @block holds on the device.  The
 * cache keeps @page and returns another page of the same order, which the
 * caller then owns (with nr == 0, @page itself).  The returned page's
 * content is undefined.
 */
struct page *se_cache_put(struct se_cache *c, sector_t block,
			  struct page *page);

/* Forget blocks @first .. @last, inclusive; (0, (sector_t)-1) is all. */
void se_cache_drop(struct se_cache *c, sector_t first, sector_t last);

#endif
