// SPDX-License-Identifier: GPL-2.0
/*
 * The block cache: the last blocks written by read-modify-write, so that
 * the next partial write of the same block (a stream of small sequential
 * writes) merges into it without reading the block again, and a partial
 * read of it needs no I/O.
 *
 * It only ever holds what is on the device.  An entry is filled by an RMW
 * write that completed without error, while it still holds its exclusive
 * claim on the block, so no other write of that block is in flight.  Every
 * other write of a block (aligned passthrough, bounced whole block,
 * discard, write-zeroes, a failed RMW) drops the block's entry before it
 * releases its claim, that is before it completes: a bio that starts after
 * a write completed never sees what was there before.  Reads take no claim
 * and never fill the cache.  postsuspend empties it, so nothing survives a
 * suspend during which the device might be written behind our back.
 *
 * Direct-mapped by block number, so consecutive blocks use different
 * slots.  Filling a slot swaps pages with the RMW's buffer instead of
 * copying, as it happens in bio completion.
 *
 * Every aligned write drops its blocks when it completes, so dropping must
 * cost nothing while the cache is empty (a workload without partial
 * writes); se_cache_drop() and se_cache_get() read the count of valid
 * slots without the lock.  A write cannot miss an entry that way: the
 * entry for a block is put by a write holding the block's exclusive claim,
 * and the other write holds a claim on the same block, so the put either
 * finished before that write was granted (the claims' lock orders the
 * count before it) or starts after that write released its claim.
 */
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sectoremu-cache.h"

/* At most this much memory per target, and 4 .. 64 slots. */
#define SE_CACHE_BYTES		(256 * 1024)
#define SE_CACHE_MAX_SLOTS	64
#define SE_CACHE_MIN_SLOTS	4

/* @enabled false: a cache that never holds anything. */
int se_cache_init(struct se_cache *c, unsigned int block_bytes,
		  unsigned int order, bool enabled)
{
	unsigned int i;

	spin_lock_init(&c->lock);
	c->nr = 0;
	c->nr_valid = 0;
	c->order = order;
	c->block_bytes = block_bytes;
	c->slots = NULL;
	if (!enabled)
		return 0;
	c->nr = clamp_t(unsigned int,
			rounddown_pow_of_two(SE_CACHE_BYTES / block_bytes),
			SE_CACHE_MIN_SLOTS, SE_CACHE_MAX_SLOTS);
	c->slots = kcalloc(c->nr, sizeof(*c->slots), GFP_KERNEL);
	if (!c->slots)
		return -ENOMEM;
	for (i = 0; i < c->nr; i++) {
		c->slots[i].page = alloc_pages(GFP_KERNEL, order);
		if (!c->slots[i].page)
			return -ENOMEM;
	}
	return 0;
}

void se_cache_exit(struct se_cache *c)
{
	unsigned int i;

	if (!c->slots)
		return;
	for (i = 0; i < c->nr; i++)
		if (c->slots[i].page)
			__free_pages(c->slots[i].page, c->order);
	kfree(c->slots);
}

static struct se_cache_slot *se_cache_slot(struct se_cache *c, sector_t block)
{
	return &c->slots[block & (c->nr - 1)];
}

/* Copy @block into @page if the cache has it. */
bool se_cache_get(struct se_cache *c, sector_t block, struct page *page)
{
	struct se_cache_slot *s;
	unsigned long flags;
	bool hit;

	/*
	 * Lockless, as in se_cache_drop(): a write holding the block's claim
	 * sees every entry put for it; a read that misses a racing put reads
	 * the device, which the put's write had already reached.
	 */
	if (!READ_ONCE(c->nr_valid))
		return false;
	s = se_cache_slot(c, block);
	spin_lock_irqsave(&c->lock, flags);
	hit = s->valid && s->block == block;
	if (hit)
		memcpy(page_address(page), page_address(s->page), c->block_bytes);
	spin_unlock_irqrestore(&c->lock, flags);
	return hit;
}

/*
 * @page now is what @block holds on the device, and the caller holds the
 * block's exclusive claim.  The cache keeps @page and returns the page the
 * caller owns instead.
 */
struct page *se_cache_put(struct se_cache *c, sector_t block,
			  struct page *page)
{
	struct se_cache_slot *s;
	unsigned long flags;

	if (!c->nr)
		return page;
	s = se_cache_slot(c, block);
	spin_lock_irqsave(&c->lock, flags);
	swap(s->page, page);
	s->block = block;
	if (!s->valid)
		WRITE_ONCE(c->nr_valid, c->nr_valid + 1);
	s->valid = true;
	spin_unlock_irqrestore(&c->lock, flags);
	return page;
}

static void se_cache_invalidate(struct se_cache *c, struct se_cache_slot *s)
{
	if (s->valid) {
		s->valid = false;
		WRITE_ONCE(c->nr_valid, c->nr_valid - 1);
	}
}

/*
 * Blocks @first..@last were written some other way: forget them.  The
 * caller holds a claim on them (or the target is suspended).
 */
void se_cache_drop(struct se_cache *c, sector_t first, sector_t last)
{
	struct se_cache_slot *s;
	unsigned long flags;
	unsigned int i;

	/* Lockless: see the comment at the top of this file. */
	if (!READ_ONCE(c->nr_valid))
		return;
	spin_lock_irqsave(&c->lock, flags);
	if (last - first >= c->nr) {
		for (i = 0; i < c->nr; i++) {
			s = &c->slots[i];
			if (s->block >= first && s->block <= last)
				se_cache_invalidate(c, s);
		}
	} else {
		for (; first <= last; first++) {
			s = se_cache_slot(c, first);
			if (s->block == first)
				se_cache_invalidate(c, s);
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
}
