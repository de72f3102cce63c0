// SPDX-License-Identifier: GPL-2.0
/*
 * Block buffers: one whole underlying block for each read-modify-write.
 *
 * A mempool guarantees forward progress under memory pressure: it keeps a
 * reserve of SE_MIN_BUFS buffers, and mempool_alloc() with a gfp that may
 * wait sleeps until a buffer comes back rather than fail.
 *
 * Behind the mempool's own alloc and free functions sits a short list of
 * spare buffers.  A page fresh from the allocator costs a clear where the
 * kernel zeroes every allocation (init_on_alloc, on by default in Debian's
 * kernels), and that clear is wasted: the block read, the cached copy or
 * the merge of a whole block overwrites all of the buffer before anything
 * reads it.  So the pool's free function keeps up to max_spare buffers and
 * its alloc function hands them out again before it asks the allocator.
 *
 * The mempool alone decides when a buffer refills its reserve (and wakes
 * a waiter) and when it goes to the free function; this file never looks
 * inside it.  A buffer on the spare list is therefore one the mempool did
 * not need, and the first allocation that would wait for the reserve
 * finds the list empty first: the pool calls the alloc function, which
 * takes spares, before it falls back to its reserve.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "sectoremu-buf.h"

/* At most this much memory on the spare list (but at least SE_MIN_BUFS). */
#define SE_SPARE_BYTES	SZ_512K

static void *se_buf_alloc(gfp_t gfp, void *data)
{
	struct se_bufs *b = data;
	struct page *page;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	page = list_first_entry_or_null(&b->spare, struct page, lru);
	if (page) {
		list_del(&page->lru);
		b->nr_spare--;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return page ?: alloc_pages(gfp, b->order);
}

static void se_buf_free(void *element, void *data)
{
	struct se_bufs *b = data;
	struct page *page = element;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	if (b->nr_spare < b->max_spare) {
		list_add(&page->lru, &b->spare);
		b->nr_spare++;
		page = NULL;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	if (page)
		__free_pages(page, b->order);
}

static void se_bufs_free_spare(struct se_bufs *b)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &b->spare, lru)
		__free_pages(page, b->order);
}

int se_bufs_init(struct se_bufs *b, unsigned int order)
{
	spin_lock_init(&b->lock);
	INIT_LIST_HEAD(&b->spare);
	b->nr_spare = 0;
	b->order = order;
	b->max_spare = max_t(unsigned int, SE_MIN_BUFS,
			     SE_SPARE_BYTES >> (PAGE_SHIFT + order));
	b->pool = mempool_create(SE_MIN_BUFS, se_buf_alloc, se_buf_free, b);
	if (b->pool)
		return 0;
	/*
	 * A mempool_create() that failed half-way has given back the buffers
	 * it had taken, through se_buf_free(): onto the spare list.
	 */
	se_bufs_free_spare(b);
	return -ENOMEM;
}

void se_bufs_exit(struct se_bufs *b)
{
	/* Returns the reserve through se_buf_free(), so the list goes last. */
	mempool_destroy(b->pool);
	se_bufs_free_spare(b);
}

struct page *se_buf_get(struct se_bufs *b, gfp_t gfp)
{
	return mempool_alloc(b->pool, gfp);
}

void se_buf_put(struct se_bufs *b, struct page *page)
{
	mempool_free(page, b->pool);
}
