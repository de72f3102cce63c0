// SPDX-License-Identifier: GPL-2.0
/*
 * Discard and write-zeroes over ranges that start or end inside a block.
 *
 * Device-mapper hands such a bio to the target whole (one per target, from
 * __send_duplicate_bios()), and a target must not split it with
 * dm_accept_partial_bio().  So the target serves all of it:
 *
 *   discard       only the whole blocks of the range are discarded: the bio
 *                 is trimmed to them and passed through like an aligned
 *                 write.  Partial blocks keep their data, as on dm-ebs (a
 *                 discard only says the data is no longer needed).
 *   write-zeroes  inside one block it is a partial write (sectoremu-rmw.c)
 *                 and covering whole blocks only it is passed through, both
 *                 decided in map().  Otherwise it takes one exclusive claim
 *                 on all its blocks and, from start_wq, zeroes the partial
 *                 head block by read-modify-write, sends one write-zeroes
 *                 for the whole blocks between, zeroes the partial tail
 *                 block, each after the one before has completed.  It is
 *                 synchronous and simple on purpose: file systems and
 *                 blkdev_issue_zeroout() send aligned ranges, so this is
 *                 the rare case, and the claim keeps every other write of
 *                 those blocks out until it is done.
 *
 * A failed step fails the bio with its error and the later steps are not
 * issued.
 */
#include <linux/completion.h>
#include <linux/highmem.h>

#include "sectoremu.h"

int se_map_discard(struct se_target *se, struct se_io *io, struct bio *bio,
		   sector_t sector)
{
	sector_t end = sector + bio_sectors(bio);
	sector_t first = round_up(sector, se->p.u_bs);
	sector_t last = round_down(end, se->p.u_bs);

	if (first != sector || last != end)
		se_stat_inc(se, SE_PARTIAL_DISCARDS);
	if (first >= last) {
		bio_endio(bio);
		return DM_MAPIO_SUBMITTED;
	}
	bio->bi_iter.bi_size = (last - first) << SECTOR_SHIFT;
	return se_map_aligned(se, io, bio, first);
}

static void se_zeroes_step_done(struct bio *rb)
{
	complete(rb->bi_private);
}

/* Submit io->rmw_bio, set up by the caller, and wait for it. */
static blk_status_t se_zeroes_step(struct se_io *io)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct bio *rb = &io->rmw_bio;
	blk_status_t status;

	rb->bi_private = &done;
	rb->bi_end_io = se_zeroes_step_done;
	se_submit(io, rb);
	wait_for_completion_io(&done);
	status = rb->bi_status;
	bio_uninit(rb);
	return status;
}

/* Zero @len bytes at byte @offset of @block by read-modify-write. */
static blk_status_t se_zero_partial(struct se_io *io, sector_t block,
				    unsigned int offset, unsigned int len)
{
	struct se_target *se = io->se;
	blk_status_t status;

	se_stat_inc(se, SE_PARTIAL_WRITES);
	io->block = block;
	se_rmw_bio_init(io, REQ_OP_READ, false, NULL);
	se_stat_inc(se, SE_RMW_BLOCK_READS);
	status = se_zeroes_step(io);
	if (status)
		return status;
	memset(page_address(io->buf) + offset, 0, len);
	se_rmw_bio_init(io, REQ_OP_WRITE | se_write_flags(se_io_bio(io)), false,
			NULL);
	se_stat_inc(se, SE_RMW_BLOCK_WRITES);
	return se_zeroes_step(io);
}

/* One write-zeroes for blocks @first .. @end - 1. */
static blk_status_t se_zero_blocks(struct se_io *io, sector_t first,
				   sector_t end)
{
	struct se_target *se = io->se;
	struct bio *bio = se_io_bio(io);
	struct bio *rb = &io->rmw_bio;

	bio_init(rb, se->dev->bdev, NULL, 0, REQ_OP_WRITE_ZEROES |
		 se_write_flags(bio) | (bio->bi_opf & REQ_NOUNMAP));
	rb->bi_iter.bi_sector = se->p.start + (first << se->block_shift);
	rb->bi_iter.bi_size = ((end - first) << se->block_shift) << SECTOR_SHIFT;
	rb->bi_ioprio = bio->bi_ioprio;
	return se_zeroes_step(io);
}

/* start_wq: the claim on every block of the bio is held. */
static void se_zeroes_work(struct work_struct *work)
{
	struct se_io *io = container_of(work, struct se_io, work);
	struct se_target *se = io->se;
	struct bio *bio = se_io_bio(io);
	unsigned int mask = se->p.u_bs - 1;
	sector_t start = io->sector, end = start + bio_sectors(bio);
	sector_t head = io->range.first, tail = io->range.last;
	sector_t whole_first = head, whole_end = tail + 1;
	blk_status_t status = BLK_STS_OK;

	io->buf = se_buf_get(&se->bufs, GFP_NOIO);
	if (start & mask) {
		whole_first++;
		status = se_zero_partial(io, head, (start & mask) << SECTOR_SHIFT,
					 (se->p.u_bs - (start & mask)) << SECTOR_SHIFT);
	}
	if (end & mask)
		whole_end--;
	if (!status && whole_first < whole_end)
		status = se_zero_blocks(io, whole_first, whole_end);
	if (!status && (end & mask))
		status = se_zero_partial(io, tail, 0, (end & mask) << SECTOR_SHIFT);

	se_cache_drop(&se->cache, head, tail);
	se_lock_release(&se->locks, &io->range);
	se_buf_put(&se->bufs, io->buf);
	io->buf = NULL;
	if (status) {
		se_count_error(se, status);
		bio->bi_status = status;
	}
	bio_endio(bio);
}

static void se_zeroes_granted(struct se_range *r)
{
	struct se_io *io = container_of(r, struct se_io, range);

	se_queue(io, io->se->start_wq, se_zeroes_work);
}

/*
 * map() for a write-zeroes that spans more than one block and starts or
 * ends inside one; @sector is relative to the target.
 */
int se_map_zeroes(struct se_target *se, struct se_io *io, struct bio *bio,
		  sector_t sector)
{
	io->kind = SE_IO_ZEROES;
	io->sector = sector;
	io->buf = NULL;
	io->range.first = sector >> se->block_shift;
	io->range.last = (sector + bio_sectors(bio) - 1) >> se->block_shift;
	io->range.exclusive = true;
	io->range.grant = se_zeroes_granted;
	if (se_lock_acquire(&se->locks, &io->range))
		se_queue(io, se->start_wq, se_zeroes_work);
	else
		se_stat_inc(se, SE_LOCK_WAITS);
	return DM_MAPIO_SUBMITTED;
}
