// SPDX-License-Identifier: GPL-2.0
/*
 * Partial-block I/O: read-modify-write of one underlying block.
 *
 * map() hands every bio that covers part of one block to se_map_partial():
 *
 *   read          read the block, copy the wanted sectors out, complete.
 *   write         claim the block (sectoremu-lock.c), read it, merge the
 *   write-zeroes  new sectors (or zeroes) in, write the whole block back
 *                 (with the bio's FUA), release the claim, complete.
 *
 * (Discards, and write-zeroes spanning blocks: sectoremu-extent.c.)
 *
 * se_map_bounce() takes one whole block of an aligned bio whose memory the
 * device cannot take as it is (see se_memory_fits() in sectoremu-target.c):
 * a read goes through the buffer like a partial read, a write is copied into
 * the buffer and written without reading first, holding a shared claim like
 * any aligned write.
 *
 * All of it is asynchronous: map() never sleeps, each RMW has its own
 * buffer, bio and work item, so any number of blocks are in flight at
 * once.  The buffer comes from sectoremu-buf.c (recycled buffers, then a
 * mempool: forward progress under memory pressure); when the mempool is
 * empty, or when a claim is granted from another bio's completion, the RMW
 * starts from start_wq where waiting is allowed.
 * Merges and writes are submitted from io_wq, which never waits for the
 * buffer pool, so the writes that refill it always make progress.  Block
 * reads that complete while io_wq is busy queue up per CPU, and one work
 * item merges and writes all of them under one plug: a worker wakeup per
 * batch, not per block.
 *
 * A block the cache (sectoremu-cache.c) holds is not read again.
 *
 * A failed block read fails the bio with that error and nothing is
 * written; a failed write fails it with the write's error.
 */
#include <linux/blkdev.h>
#include <linux/highmem.h>

#include "sectoremu.h"

static void se_rmw_write_done(struct bio *bio);

static void se_rmw_finish(struct se_io *io, blk_status_t status)
{
	struct se_target *se = io->se;
	struct bio *bio = se_io_bio(io);

	if (io->kind == SE_IO_RMW_WRITE) {
		/*
		 * Before the claim goes: the block cache keeps what a
		 * read-modify-write wrote, and forgets a block written any
		 * other way (sectoremu-cache.c).
		 */
		if (!status && !io->whole)
			io->buf = se_cache_put(&se->cache, io->block, io->buf);
		else
			se_cache_drop(&se->cache, io->block, io->block);
		se_lock_release(&se->locks, &io->range);
	}
	se_buf_put(&se->bufs, io->buf);
	io->buf = NULL;
	if (status) {
		se_count_error(se, status);
		bio->bi_status = status;
	}
	bio_endio(bio);
}

/* Copy between the bio's data and its place in the block buffer. */
static void se_copy(struct se_io *io, bool to_bio)
{
	struct bio *bio = se_io_bio(io);
	void *p = page_address(io->buf) + io->offset;
	struct bvec_iter iter;
	struct bio_vec bv;

	bio_for_each_segment(bv, bio, iter) {
		if (to_bio)
			memcpy_to_bvec(&bv, p);
		else
			memcpy_from_bvec(p, &bv);
		p += bv.bv_len;
	}
}

/*
 * Set up io->rmw_bio for the whole of io->block.  A bio built in map()
 * runs in the submitter's context and keeps its REQ_NOWAIT: if the device
 * would block, it fails with BLK_STS_AGAIN and so does the upper bio,
 * which its submitter then retries where it may wait.
 */
void se_rmw_bio_init(struct se_io *io, blk_opf_t opf, bool in_map,
		     bio_end_io_t *done)
{
	struct se_target *se = io->se;
	struct bio *bio = se_io_bio(io);
	struct bio *rb = &io->rmw_bio;

	if (in_map)
		opf |= bio->bi_opf & REQ_NOWAIT;
	bio_init(rb, se->dev->bdev, &io->rmw_bvec, 1, opf);
	rb->bi_iter.bi_sector = se->p.start + (io->block << se->block_shift);
	rb->bi_ioprio = bio->bi_ioprio;
	rb->bi_end_io = done;
	rb->bi_private = io;
	__bio_add_page(rb, io->buf, se->p.u_bs << SECTOR_SHIFT, 0);
}

/*
 * Submit a bio built for @io on its behalf: device-mapper accounts the
 * upper bio from the first one on, charges it to the upper bio's cgroup
 * (blkcg association, so io.max throttles partial writes too) and traces
 * it as a remap of the upper bio (blktrace ties them together).
 */
void se_submit(struct se_io *io, struct bio *rb)
{
	dm_submit_bio_remap(se_io_bio(io), rb);
}

/* Put the bio's data (or zeroes) into the block buffer and write it. */
static void se_rmw_merge_and_write(struct se_io *io, bool in_map)
{
	struct bio *bio = se_io_bio(io);

	if (bio_op(bio) == REQ_OP_WRITE_ZEROES)
		memset(page_address(io->buf) + io->offset, 0, bio->bi_iter.bi_size);
	else
		se_copy(io, false);

	/*
	 * The block write is the bio's own write: it keeps its FUA and its
	 * hints.  REQ_SYNC | REQ_IDLE (an O_DIRECT write) matters: without
	 * it writeback throttling takes the write for background writeback
	 * and lets only a few through at a time.
	 */
	se_rmw_bio_init(io, REQ_OP_WRITE | se_write_flags(bio), in_map,
			se_rmw_write_done);
	se_stat_inc(io->se, SE_RMW_BLOCK_WRITES);
	se_submit(io, &io->rmw_bio);
}

/*
 * io_wq: merge the new data into every block read on this CPU since the
 * last run, in the order the reads completed, and write them back.
 */
static void se_rmw_batch_work(struct work_struct *work)
{
	struct se_batch *b = container_of(work, struct se_batch, work);
	struct llist_node *ios = llist_reverse_order(llist_del_all(&b->ios));
	struct se_io *io, *next;
	struct blk_plug plug;

	blk_start_plug(&plug);
	/* _safe: a write may complete and end its bio before we move on. */
	llist_for_each_entry_safe(io, next, ios, batch_entry)
		se_rmw_merge_and_write(io, false);
	blk_finish_plug(&plug);
}

/* Bio completion context: hand the block to io_wq for its write. */
static void se_rmw_queue_write(struct se_io *io)
{
	/* Once @io is on the list it may be written and gone: not io->se. */
	struct se_target *se = io->se;
	struct se_batch *b = get_cpu_ptr(se->batch);

	/* The one that finds the list empty queues the work item. */
	if (llist_add(&io->batch_entry, &b->ios))
		queue_work(se->io_wq, &b->work);
	put_cpu_ptr(se->batch);
}

static void se_rmw_read_done(struct bio *rb)
{
	struct se_io *io = rb->bi_private;
	blk_status_t status = rb->bi_status;

	bio_uninit(rb);
	if (status) {
		se_rmw_finish(io, status);
	} else if (io->kind == SE_IO_RMW_READ) {
		se_copy(io, true);
		se_rmw_finish(io, BLK_STS_OK);
	} else {
		se_rmw_queue_write(io);
	}
}

static void se_rmw_write_done(struct bio *rb)
{
	struct se_io *io = rb->bi_private;
	blk_status_t status = rb->bi_status;

	bio_uninit(rb);
	se_rmw_finish(io, status);
}

/*
 * Get a buffer and read the block (a whole-block write needs no read);
 * false when the pool is empty (@gfp).
 */
static bool se_rmw_start(struct se_io *io, gfp_t gfp)
{
	struct se_target *se = io->se;
	bool in_map = !gfpflags_allow_blocking(gfp);

	if (!SE_BUF_NOWAIT && in_map)
		return false;
	io->buf = se_buf_get(&se->bufs, gfp);
	if (!io->buf)
		return false;
	if (io->whole && io->kind == SE_IO_RMW_WRITE) {
		se_rmw_merge_and_write(io, in_map);
		return true;
	}
	if (se_cache_get(&se->cache, io->block, io->buf)) {
		se_stat_inc(se, SE_CACHE_HITS);
		if (io->kind == SE_IO_RMW_READ) {
			se_copy(io, true);
			se_rmw_finish(io, BLK_STS_OK);
		} else {
			se_rmw_merge_and_write(io, in_map);
		}
		return true;
	}
	se_rmw_bio_init(io, REQ_OP_READ, in_map, se_rmw_read_done);
	se_stat_inc(se, SE_RMW_BLOCK_READS);
	se_submit(io, &io->rmw_bio);
	return true;
}

/* start_wq: here waiting for a buffer is allowed. */
static void se_rmw_start_work(struct work_struct *work)
{
	struct se_io *io = container_of(work, struct se_io, work);

	se_rmw_start(io, GFP_NOIO);
}

static void se_rmw_queue_start(struct se_io *io)
{
	se_queue(io, io->se->start_wq, se_rmw_start_work);
}

/* The block's claim was granted after waiting (any context). */
static void se_rmw_granted(struct se_range *r)
{
	se_rmw_queue_start(container_of(r, struct se_io, range));
}

/*
 * map() for a bio inside one block, not covering all of it; @sector is the
 * bio's first sector relative to the target.
 */
int se_map_partial(struct se_target *se, struct se_io *io, struct bio *bio,
		   sector_t sector)
{
	io->block = sector >> se->block_shift;
	io->offset = (sector & (se->p.u_bs - 1)) << SECTOR_SHIFT;
	io->whole = false;
	io->buf = NULL;

	switch (bio_op(bio)) {
	case REQ_OP_READ:
		io->kind = SE_IO_RMW_READ;
		se_stat_inc(se, SE_PARTIAL_READS);
		break;
	case REQ_OP_WRITE:
	case REQ_OP_WRITE_ZEROES:
		io->kind = SE_IO_RMW_WRITE;
		se_stat_inc(se, SE_PARTIAL_WRITES);
		io->range.first = io->block;
		io->range.last = io->block;
		io->range.exclusive = true;
		io->range.grant = se_rmw_granted;
		if (!se_lock_acquire(&se->locks, &io->range)) {
			se_stat_inc(se, SE_LOCK_WAITS);
			return DM_MAPIO_SUBMITTED;
		}
		break;
	default:
		return DM_MAPIO_KILL;
	}

	if (!se_rmw_start(io, GFP_NOWAIT))
		se_rmw_queue_start(io);
	return DM_MAPIO_SUBMITTED;
}

/* map() for one whole block of data that must go through a buffer. */
int se_map_bounce(struct se_target *se, struct se_io *io, struct bio *bio,
		  sector_t sector)
{
	io->block = sector >> se->block_shift;
	io->offset = 0;
	io->whole = true;
	io->buf = NULL;
	se_stat_inc(se, SE_BOUNCED);

	if (bio_op(bio) == REQ_OP_READ) {
		io->kind = SE_IO_RMW_READ;
	} else {
		io->kind = SE_IO_RMW_WRITE;
		io->range.first = io->block;
		io->range.last = io->block;
		io->range.exclusive = false;
		io->range.grant = se_rmw_granted;
		if (!se_lock_acquire(&se->locks, &io->range)) {
			se_stat_inc(se, SE_LOCK_WAITS);
			return DM_MAPIO_SUBMITTED;
		}
	}
	if (!se_rmw_start(io, GFP_NOWAIT))
		se_rmw_queue_start(io);
	return DM_MAPIO_SUBMITTED;
}

int se_rmw_init(struct se_target *se)
{
	int cpu;

	se->batch = alloc_percpu(struct se_batch);
	if (!se->batch)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct se_batch *b = per_cpu_ptr(se->batch, cpu);

		init_llist_head(&b->ios);
		INIT_WORK(&b->work, se_rmw_batch_work);
	}
	return 0;
}

/* After io_wq is gone: nothing can be queued any more. */
void se_rmw_exit(struct se_target *se)
{
	free_percpu(se->batch);
	se->batch = NULL;
}
