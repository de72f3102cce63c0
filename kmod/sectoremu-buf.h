/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block buffers (sectoremu-buf.c): pages of 2^order, from a mempool with
 * a list of recycled spares behind it.  The order is the caller's; this
 * knows nothing of blocks, bios or the target.
 *
 * - A buffer's content is undefined: the caller overwrites all of it
 *   before it reads any of it.
 * - Memory: at most SE_MIN_BUFS buffers in the mempool's reserve, plus at
 *   most max_spare on the spare list, plus the buffers handed out.
 */
#ifndef SECTOREMU_BUF_H
#define SECTOREMU_BUF_H

#include <linux/mempool.h>
#include <linux/spinlock.h>

/* Buffers in the mempool's reserve: enough for forward progress. */
#define SE_MIN_BUFS	16

/* Private to sectoremu-buf.c. */
struct se_bufs {
	spinlock_t lock;		/* protects spare and nr_spare */
	struct list_head spare;		/* by page->lru */
	unsigned int nr_spare;
	unsigned int max_spare;
	unsigned int order;
	mempool_t *pool;
};

/*
 * Buffers of 2^@order pages, with SE_MIN_BUFS of them allocated now for
 * the reserve.  May sleep.  Returns 0 or -ENOMEM; on failure b->pool is
 * NULL and nothing is held.
 */
int se_bufs_init(struct se_bufs *b, unsigned int order);

/* Free every buffer.  Only once every buffer handed out has been put. */
void se_bufs_exit(struct se_bufs *b);

/*
 * A buffer.  With a @gfp that may wait (GFP_NOIO) this never fails: it
 * waits for a buffer to be put back, so the caller must not hold anything
 * that the return of buffers depends on.  With GFP_NOWAIT it returns NULL
 * when no buffer is at hand, and may be called from any context.
 */
struct page *se_buf_get(struct se_bufs *b, gfp_t gfp);

/*
 * Give back @page, from any context.  Any page of the same order will do,
 * also one se_buf_get() did not hand out (a block cache page, say).
 */
void se_buf_put(struct se_bufs *b, struct page *page);

#endif
