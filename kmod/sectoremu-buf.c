// SPDX-License-Identifier: GPL-2.0
/*
 * Block buffers: one whole underlying block for each read-modify-write.
 *
 * A mempool guarantees forward progress under memory pressure.  In front of
 * it, buffers that come back are kept on a short list and handed out again:
 * a page from the allocator costs a clear where the kernel zeroes every
 * allocation (init_on_alloc, on by default in Debian's kernels), and that
 * clear is wasted, as the block read, the cached copy or the merge of a
 * whole block overwrites all of the buffer before anything reads it.
 *
 * A buffer goes to the list only while the mempool's reserve is full.
 * mempool_alloc() waits only once its reserve is empty, so each buffer
 * that comes back while someone may be waiting there goes to the mempool
 * and wakes them; the list never holds a buffer a waiter needs.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "sectoremu.h"

/* Buffers in the mempool's reserve: enough for forward progress. */
#define SE_MIN_BUFS	16
/* At most this much memory kept on the list (but SE_MIN_BUFS buffers). */
#define SE_SPARE_BYTES	SZ_512K

int se_bufs_init(struct se_target *se)
{
	struct se_bufs *b = &se->bufs;

	spin_lock_init(&b->lock);
	INIT_LIST_HEAD(&b->spare);
	b->nr_spare = 0;
	b->max_spare = max_t(unsigned int, SE_MIN_BUFS,
			     SE_SPARE_BYTES >> (PAGE_SHIFT + se->buf_order));
	b->pool = mempool_create_page_pool(SE_MIN_BUFS, se->buf_order);
	return b->pool ? 0 : -ENOMEM;
}

/* Nothing is in flight any more. */
void se_bufs_exit(struct se_target *se)
{
	struct se_bufs *b = &se->bufs;
	struct page *page, *tmp;

	if (!b->pool)
		return;
	list_for_each_entry_safe(page, tmp, &b->spare, lru)
		__free_pages(page, se->buf_order);
	INIT_LIST_HEAD(&b->spare);
	b->nr_spare = 0;
	mempool_destroy(b->pool);
	b->pool = NULL;
}

/* A buffer, from the list or else from the mempool (may wait: @gfp). */
struct page *se_buf_get(struct se_target *se, gfp_t gfp)
{
	struct se_bufs *b = &se->bufs;
	struct page *page = NULL;
	unsigned long flags;

	/* Lockless peek: a miss only costs a fresh page. */
	if (READ_ONCE(b->nr_spare)) {
		spin_lock_irqsave(&b->lock, flags);
		page = list_first_entry_or_null(&b->spare, struct page, lru);
		if (page) {
			list_del(&page->lru);
			WRITE_ONCE(b->nr_spare, b->nr_spare - 1);
		}
		spin_unlock_irqrestore(&b->lock, flags);
	}
	return page ?: mempool_alloc(b->pool, gfp);
}

/* Give a buffer back (any context). */
void se_buf_put(struct se_target *se, struct page *page)
{
	struct se_bufs *b = &se->bufs;
	unsigned long flags;

	/* The reserve first: see the comment at the top of this file. */
	if (READ_ONCE(b->pool->curr_nr) >= b->pool->min_nr &&
	    READ_ONCE(b->nr_spare) < b->max_spare) {
		spin_lock_irqsave(&b->lock, flags);
		if (b->nr_spare < b->max_spare) {
			list_add(&page->lru, &b->spare);
			WRITE_ONCE(b->nr_spare, b->nr_spare + 1);
			page = NULL;
		}
		spin_unlock_irqrestore(&b->lock, flags);
		if (!page)
			return;
	}
	mempool_free(page, b->pool);
}
