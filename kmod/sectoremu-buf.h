/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block buffers (sectoremu-buf.c): pages of 2^order, from a mempool with
 * a list of recycled spares behind it.
 *
 * Contract:
 * - se_buf_get() with a gfp that may wait (GFP_NOIO) never fails: it waits
 *   for a buffer to come back, so the caller must not hold anything that
 *   the return of buffers depends on.  With GFP_NOWAIT it returns NULL
 *   when no buffer is at hand.
 * - se_buf_put() takes any page of the same order (also one that did not
 *   come from se_buf_get(), such as a block cache page), from any context.
 * - A buffer's content is undefined: the caller overwrites all of it
 *   before it reads any of it.
 * - se_bufs_exit() only once every buffer has been put back.
 * Memory: SE_MIN_BUFS buffers in the reserve, plus at most max_spare on
 * the list, plus one per buffer in use.
 */
#ifndef SECTOREMU_BUF_H
#define SECTOREMU_BUF_H

#include <linux/mempool.h>
#include <linux/spinlock.h>

/* Buffers in the mempool's reserve: enough for forward progress. */
#define SE_MIN_BUFS	16

struct se_bufs {
	spinlock_t lock;		/* protects spare and nr_spare */
	struct list_head spare;		/* by page->lru */
	unsigned int nr_spare;
	unsigned int max_spare;
	unsigned int order;
	mempool_t *pool;
};

int se_bufs_init(struct se_bufs *b, unsigned int order);
void se_bufs_exit(struct se_bufs *b);
struct page *se_buf_get(struct se_bufs *b, gfp_t gfp);
void se_buf_put(struct se_bufs *b, struct page *page);

#endif
