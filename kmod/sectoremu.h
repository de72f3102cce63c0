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
#include <linux/mempool.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

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

/* Feature arguments of the table line. */
#define SE_F_IGNORE_DISCARD	BIT(0)

/* What the table line says (sectoremu-table.c). */
struct se_params {
	sector_t start;		/* first sector used on the device */
	unsigned int e_bs;	/* emulated block size, sectors: 1, 2, 4, 8 */
	unsigned int u_bs;	/* underlying block size, sectors: 8 .. 128 */
	bool u_bs_set;		/* u_bs was on the table line */
	unsigned int features;	/* SE_F_* */
};

/*
 * A write's claim on a range of underlying blocks (sectoremu-lock.c).
 * Exclusive ranges (read-modify-write of one block) conflict with every
 * overlapping write; shared ranges (aligned passthrough writes) only with
 * exclusive ones.  Conflicting ranges run in arrival order.
 */
struct se_range {
	struct rb_node rb;
	sector_t first, last;		/* blocks, inclusive */
	sector_t subtree_last;		/* interval tree bookkeeping */
	u64 seq;			/* arrival order */
	unsigned int blockers;		/* earlier conflicting ranges */
	bool exclusive;
	struct list_head grant_entry;
	void (*grant)(struct se_range *r);	/* called once blockers is 0 */
};

struct se_locks {
	spinlock_t lock;		/* protects everything below */
	struct rb_root_cached root;
	u64 seq;
	unsigned int nr_exclusive;	/* exclusive ranges in root */
};

void se_locks_init(struct se_locks *l);
bool se_locks_empty(struct se_locks *l);
bool se_lock_acquire(struct se_locks *l, struct se_range *r);
void se_lock_release(struct se_locks *l, struct se_range *r);

/* Counters reported by "dmsetup status", in this order. */
enum se_stat {
	SE_PASSTHROUGH_READS,
	SE_PASSTHROUGH_WRITES,
	SE_PARTIAL_READS,	/* partial-block read bios served by RMW */
	SE_PARTIAL_WRITES,	/* partial-block write/write-zeroes bios */
	SE_PARTIAL_DISCARDS,	/* partial-block discards (completed, no-op) */
	SE_RMW_BLOCK_READS,	/* whole-block reads issued */
	SE_RMW_BLOCK_WRITES,	/* merged whole-block writes issued */
	SE_LOCK_WAITS,		/* writes that waited for an overlapping one */
	SE_ERRORS,		/* bios failed by an underlying error */
	SE_BOUNCED,		/* whole blocks copied: memory unfit for the device */
	SE_CACHE_HITS,		/* block reads saved by the block cache */
	SE_NR_STATS
};

struct se_stats {
	u64 count[SE_NR_STATS];
};

/* The last blocks written by read-modify-write (sectoremu-cache.c). */
struct se_cache_slot {
	sector_t block;
	bool valid;
	struct page *page;
};

struct se_cache {
	spinlock_t lock;		/* protects every slot */
	unsigned int nr;		/* slots, a power of two; 0: no cache */
	unsigned int nr_valid;		/* valid slots, read without the lock */
	struct se_cache_slot *slots;
};

/* Block buffers (sectoremu-buf.c): a list of spares before a mempool. */
struct se_bufs {
	spinlock_t lock;		/* protects spare and nr_spare */
	struct list_head spare;		/* by page->lru */
	unsigned int nr_spare;		/* read without the lock */
	unsigned int max_spare;
	mempool_t *pool;
};

/*
 * Partial writes whose block read completed on one CPU, waiting for io_wq
 * to merge and write them (sectoremu-rmw.c).
 */
struct se_batch {
	struct llist_head ios;
	struct work_struct work;
};

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
};

struct se_io {
	struct se_target *se;
	enum se_io_kind kind;
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

/* sectoremu-table.c */
int se_parse_table(struct dm_target *ti, unsigned int argc, char **argv,
		   struct se_params *p, struct dm_dev **dev);
void se_format_table(struct se_target *se, char *result, unsigned int maxlen);

/* sectoremu-cache.c */
int se_cache_init(struct se_target *se);
void se_cache_exit(struct se_target *se);
bool se_cache_get(struct se_target *se, sector_t block, struct page *page);
struct page *se_cache_put(struct se_target *se, sector_t block,
			  struct page *page);
void se_cache_drop(struct se_target *se, sector_t first, sector_t last);

/* sectoremu-buf.c */
int se_bufs_init(struct se_target *se);
void se_bufs_exit(struct se_target *se);
struct page *se_buf_get(struct se_target *se, gfp_t gfp);
void se_buf_put(struct se_target *se, struct page *page);

/* sectoremu-rmw.c */
int se_rmw_init(struct se_target *se);
void se_rmw_exit(struct se_target *se);
int se_map_partial(struct se_target *se, struct se_io *io, struct bio *bio,
		   sector_t sector);
int se_map_bounce(struct se_target *se, struct se_io *io, struct bio *bio,
		  sector_t sector);

#endif
