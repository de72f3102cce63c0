/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dm-sectoremu: present a device with large logical blocks (4 KiB .. 64 KiB)
 * as one with small ones (512 B .. 4 KiB), read-modify-writing partial
 * blocks in the kernel.
 *
 * Units: "sectors" are always 512 bytes; "blocks" are underlying blocks of
 * u_bs sectors, numbered from the start of the target.
 */
#ifndef DM_SECTOREMU_H
#define DM_SECTOREMU_H

#include <linux/bio.h>
#include <linux/device-mapper.h>
#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>

#include "sectoremu-buf.h"
#include "sectoremu-cache.h"
#include "sectoremu-lock.h"
#include "sectoremu-table.h"

#define DM_MSG_PREFIX "sectoremu"

/*
 * Test-only builds (see Kbuild) each break one guarantee, to prove that the
 * tests catch it: "unsafe" does not order writes of the same block (lost
 * updates), "nofua" drops REQ_FUA from read-modify-write block writes,
 * "noflush" completes empty flushes without sending them to the device;
 * "poolempty" (safe, for coverage) behaves as if the buffer pool were
 * always empty when map() asks, so every RMW starts from start_wq.
 */
#ifdef SECTOREMU_TEST_UNSAFE
#define SE_SERIALISE false
#define SE_TEST_VARIANT "unsafe: no write serialisation, lost updates are expected"
#else
#define SE_SERIALISE true
#endif
#ifdef SECTOREMU_TEST_NOFUA
#define SE_KEEP_FUA false
#define SE_TEST_VARIANT "nofua: block writes lose REQ_FUA"
#else
#define SE_KEEP_FUA true
#endif
#ifdef SECTOREMU_TEST_NOFLUSH
#define SE_KEEP_FLUSH false
#define SE_TEST_VARIANT "noflush: flushes never reach the device"
#else
#define SE_KEEP_FLUSH true
#endif
#ifdef SECTOREMU_TEST_POOLEMPTY
#define SE_BUF_NOWAIT false
#define SE_TEST_VARIANT "poolempty: every buffer is taken where waiting is allowed"
#else
#define SE_BUF_NOWAIT true
#endif

/* Counters reported by "dmsetup status" (sectoremu-counters.h). */
enum se_stat {
#define SE_COUNTER(e, name, desc) SE_##e,
#include "sectoremu-counters.h"
	SE_NR_STATS
};

struct se_stats {
	u64 count[SE_NR_STATS];
};

/*
 * Partial writes whose block read completed on one CPU, waiting for io_wq
 * to merge and write them (sectoremu-rmw.c).
 */
struct se_batch {
	struct llist_head ios;
	struct work_struct work;
};

/*
 * The target.  Seen by sectoremu-target.c (constructor, map, end_io,
 * status), sectoremu-rmw.c and sectoremu-extent.c, the data path; the
 * leaves (sectoremu-lock, -cache, -buf) and the table parser each take
 * their own structure and never see this one.  sectoremu-extent.c is data
 * path, not a leaf: serving a discard or a write-zeroes that spans blocks
 * takes the same claims, cache, buffers, workqueue and counters as
 * read-modify-write, and handing it each of those separately would only
 * spell the target out again.
 */
struct se_target {
	struct dm_dev *dev;
	struct se_params p;
	unsigned int block_shift;	/* ilog2(u_bs) */
	unsigned int seg_len_mask;	/* device logical block size - 1 */
	unsigned int seg_offset_mask;	/* device DMA alignment */

	/* Whole-block buffers: one per in-flight read-modify-write. */
	struct se_bufs bufs;
	unsigned int buf_order;

	/* Starts RMWs that had to wait (may sleep in the buffer pool). */
	struct workqueue_struct *start_wq;
	/* Merges and submits; never waits for the buffer pool. */
	struct workqueue_struct *io_wq;
	struct se_batch __percpu *batch;

	struct se_locks locks;
	struct se_cache cache;
	struct se_stats __percpu *stats;
};

static inline void se_stat_inc(struct se_target *se, enum se_stat stat)
{
	this_cpu_inc(se->stats->count[stat]);
}

/*
 * A bio failed: count it, unless the status is not the device's error
 * (REQ_NOWAIT's "would block", device-mapper's own requeue).
 */
static inline void se_count_error(struct se_target *se, blk_status_t status)
{
	if (status != BLK_STS_AGAIN && status != BLK_STS_DM_REQUEUE)
		se_stat_inc(se, SE_ERRORS);
}

/* What a block write takes over from the upper write it carries out. */
#define SE_WRITE_FLAGS (REQ_FUA | REQ_SYNC | REQ_IDLE | REQ_META | REQ_PRIO)

static inline blk_opf_t se_write_flags(struct bio *bio)
{
	blk_opf_t flags = bio->bi_opf & SE_WRITE_FLAGS;

	return SE_KEEP_FUA ? flags : flags & ~REQ_FUA;
}

/*
 * Per-bio data (ti->per_io_data_size): everything an I/O needs, so the
 * data path allocates nothing but the block buffer of a partial write or
 * read.
 */
enum se_io_kind {
	SE_IO_REMAPPED,		/* read, flush: nothing to undo at end_io */
	SE_IO_SHARED,		/* aligned write holding a shared range */
	SE_IO_RMW_READ,		/* partial read, or bounced whole-block read */
	SE_IO_RMW_WRITE,	/* partial write or write-zeroes, or bounced
				 * whole-block write
				 */
	SE_IO_ZEROES,		/* write-zeroes over partial and whole blocks */
};

struct se_io {
	struct se_target *se;
	enum se_io_kind kind;
	sector_t sector;		/* extent: first sector, in the target */
	sector_t block;			/* RMW: the block */
	unsigned int offset;		/* RMW: byte offset of the data in it */
	bool whole;			/* RMW: the bio covers the whole block */
	struct page *buf;
	struct se_range range;
	struct work_struct work;
	struct llist_node batch_entry;	/* RMW write: in se_target.batch */
	struct bio rmw_bio;
	struct bio_vec rmw_bvec;
};

static inline struct bio *se_io_bio(struct se_io *io)
{
	return dm_bio_from_per_bio_data(io, sizeof(struct se_io));
}

/* Run @fn for @io from @wq (bio completion must not submit). */
static inline void se_queue(struct se_io *io, struct workqueue_struct *wq,
			    work_func_t fn)
{
	INIT_WORK(&io->work, fn);
	queue_work(wq, &io->work);
}

/* sectoremu-target.c */
int se_map_aligned(struct se_target *se, struct se_io *io, struct bio *bio,
		   sector_t sector);

/* sectoremu-rmw.c */
void se_rmw_bio_init(struct se_io *io, blk_opf_t opf, bool in_map,
		     bio_end_io_t *done);
void se_submit(struct se_io *io, struct bio *rb);
int se_rmw_init(struct se_target *se);
void se_rmw_exit(struct se_target *se);
int se_map_partial(struct se_target *se, struct se_io *io, struct bio *bio,
		   sector_t sector);
int se_map_bounce(struct se_target *se, struct se_io *io, struct bio *bio,
		  sector_t sector);

/* sectoremu-extent.c */
int se_map_discard(struct se_target *se, struct se_io *io, struct bio *bio,
		   sector_t sector);
int se_map_zeroes(struct se_target *se, struct se_io *io, struct bio *bio,
		  sector_t sector);

#endif
