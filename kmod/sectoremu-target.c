// SPDX-License-Identifier: GPL-2.0
/*
 * dm-sectoremu: the "sectoremu" device-mapper target.
 *
 * Presents a device with 4 KiB .. 64 KiB logical blocks as one with
 * 512 B .. 4 KiB blocks.  Bios aligned to the underlying block are remapped
 * and passed straight through; a bio that starts or ends inside a block is
 * split (dm_accept_partial_bio) into an unaligned head, an aligned middle
 * and an unaligned tail, and the partial pieces are served by
 * read-modify-write (sectoremu-rmw.c).  The table line is dm-ebs's
 * (sectoremu-table.c); writes to the same block are ordered by
 * sectoremu-lock.c.
 */
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/module.h>

#include "sectoremu.h"

static void se_dtr(struct dm_target *ti)
{
	struct se_target *se = ti->private;

	/* Workers first: nothing may run while what they use is freed. */
	if (se->io_wq)
		destroy_workqueue(se->io_wq);
	if (se->start_wq)
		destroy_workqueue(se->start_wq);
	se_rmw_exit(se);
	se_cache_exit(&se->cache);
	if (se->bufs.pool)
		se_bufs_exit(&se->bufs);
	free_percpu(se->stats);
	if (se->dev)
		dm_put_device(ti, se->dev);
	kfree(se);
}

static int se_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	const char *name = dm_table_device_name(ti->table);
	struct se_target *se;
	int r;

	se = kzalloc(sizeof(*se), GFP_KERNEL);
	if (!se) {
		ti->error = "Cannot allocate sectoremu context";
		return -ENOMEM;
	}
	ti->private = se;

	r = se_parse_table(ti, argc, argv, &se->p, &se->dev);
	if (r)
		goto bad;
	se->block_shift = ilog2(se->p.u_bs);
	se->seg_len_mask = bdev_logical_block_size(se->dev->bdev) - 1;
	se->seg_offset_mask = queue_dma_alignment(bdev_get_queue(se->dev->bdev));
	se_locks_init(&se->locks, SE_SERIALISE);

	r = -ENOMEM;
	se->stats = alloc_percpu(struct se_stats);
	if (!se->stats) {
		ti->error = "Cannot allocate statistics";
		goto bad;
	}
	se->buf_order = get_order(se->p.u_bs << SECTOR_SHIFT);
	if (se_bufs_init(&se->bufs, se->buf_order)) {
		ti->error = "Cannot allocate block buffer pool";
		goto bad;
	}
	if (se_rmw_init(se)) {
		ti->error = "Cannot allocate read-modify-write queues";
		goto bad;
	}
	/* Without claims the cache could not know that it is current. */
	if (se_cache_init(&se->cache, se->p.u_bs << SECTOR_SHIFT, se->buf_order,
			  SE_SERIALISE)) {
		ti->error = "Cannot allocate block cache";
		goto bad;
	}
	se->start_wq = alloc_workqueue("kdmsectoremu_start/%s", WQ_MEM_RECLAIM,
				       0, name);
	se->io_wq = alloc_workqueue("kdmsectoremu_io/%s", WQ_MEM_RECLAIM, 0, name);
	if (!se->start_wq || !se->io_wq) {
		ti->error = "Cannot allocate workqueue";
		goto bad;
	}

	ti->per_io_data_size = sizeof(struct se_io);
	ti->num_flush_bios = 1;
	ti->num_discard_bios = (se->p.features & SE_F_IGNORE_DISCARD) ? 0 : 1;
	ti->num_write_zeroes_bios = 1;
	ti->num_secure_erase_bios = 0;
	/* Every bio we build goes through dm_submit_bio_remap(). */
	ti->accounts_remapped_io = true;
	return 0;
bad:
	se_dtr(ti);
	return r;
}

static void se_remap(struct se_target *se, struct bio *bio, sector_t sector)
{
	bio_set_dev(bio, se->dev->bdev);
	bio->bi_iter.bi_sector = se->p.start + sector;
}

/* The write claim of an aligned bio was granted after waiting. */
static void se_shared_submit_work(struct work_struct *work)
{
	dm_submit_bio_remap(se_io_bio(container_of(work, struct se_io, work)), NULL);
}

static void se_shared_granted(struct se_range *r)
{
	struct se_io *io = container_of(r, struct se_io, range);

	se_queue(io, io->se->io_wq, se_shared_submit_work);
}

/* map() for a bio covering whole blocks: remap, no copy, no allocation. */
int se_map_aligned(struct se_target *se, struct se_io *io, struct bio *bio,
		   sector_t sector)
{
	se_remap(se, bio, sector);
	if (bio_op(bio) == REQ_OP_READ) {
		se_stat_inc(se, SE_PASSTHROUGH_READS);
		return DM_MAPIO_REMAPPED;
	}

	/* Write, write-zeroes or discard: ordered against RMWs of its blocks. */
	se_stat_inc(se, SE_PASSTHROUGH_WRITES);
	io->kind = SE_IO_SHARED;
	io->range.first = sector >> se->block_shift;
	io->range.last = (sector + bio_sectors(bio) - 1) >> se->block_shift;
	io->range.exclusive = false;
	io->range.grant = se_shared_granted;
	if (se_lock_acquire(&se->locks, &io->range))
		return DM_MAPIO_REMAPPED;
	se_stat_inc(se, SE_LOCK_WAITS);
	return DM_MAPIO_SUBMITTED;
}

/*
 * Can the device take this aligned bio's memory as it is?  Every segment
 * must be a whole number of its logical blocks and start where its DMA
 * alignment allows.  A bio that started inside a block has its aligned
 * middle shifted in memory by the head; drivers that copy per logical
 * block (null_blk) overrun on such segments and dm-crypt with 4 KiB
 * sectors rejects them, so those blocks are bounced instead.
 */
static bool se_memory_fits(struct se_target *se, struct bio *bio)
{
	struct bvec_iter iter;
	struct bio_vec bv;

	if (!bio_has_data(bio))
		return true;
	bio_for_each_segment(bv, bio, iter)
		if ((bv.bv_len & se->seg_len_mask) ||
		    (bv.bv_offset & se->seg_offset_mask))
			return false;
	return true;
}

static int se_map(struct dm_target *ti, struct bio *bio)
{
	struct se_target *se = ti->private;
	struct se_io *io = dm_per_bio_data(bio, sizeof(struct se_io));
	sector_t sector = dm_target_offset(ti, bio->bi_iter.bi_sector);
	unsigned int nr = bio_sectors(bio);
	unsigned int mask = se->p.u_bs - 1;
	unsigned int head = sector & mask;

	io->se = se;
	io->kind = SE_IO_REMAPPED;

	if (unlikely(!nr)) {
		/* Empty flush: the device's cache covers every block. */
		if (!SE_KEEP_FLUSH) {
			bio_endio(bio);
			return DM_MAPIO_SUBMITTED;
		}
		se_remap(se, bio, 0);
		return DM_MAPIO_REMAPPED;
	}

	/* Served whole: see sectoremu-extent.c. */
	if (bio_op(bio) == REQ_OP_DISCARD)
		return se_map_discard(se, io, bio, sector);
	if (bio_op(bio) == REQ_OP_WRITE_ZEROES && (head || (nr & mask))) {
		if (head + nr > se->p.u_bs)
			return se_map_zeroes(se, io, bio, sector);
		return se_map_partial(se, io, bio, sector);
	}

	if (head || nr < se->p.u_bs) {
		unsigned int len = min(nr, se->p.u_bs - head);

		if (len < nr)
			dm_accept_partial_bio(bio, len);
		return se_map_partial(se, io, bio, sector);
	}

	if (nr & mask)
		dm_accept_partial_bio(bio, nr & ~mask);
	if (unlikely(!se_memory_fits(se, bio))) {
		if (bio_sectors(bio) > se->p.u_bs)
			dm_accept_partial_bio(bio, se->p.u_bs);
		return se_map_bounce(se, io, bio, sector);
	}
	return se_map_aligned(se, io, bio, sector);
}

static int se_end_io(struct dm_target *ti, struct bio *bio, blk_status_t *error)
{
	struct se_io *io = dm_per_bio_data(bio, sizeof(struct se_io));
	struct se_target *se = io->se;

	switch (io->kind) {
	case SE_IO_SHARED:
		se_cache_drop(&se->cache, io->range.first, io->range.last);
		se_lock_release(&se->locks, &io->range);
		fallthrough;
	case SE_IO_REMAPPED:
		/* Our own I/O counted its errors where it ended the bio. */
		if (*error)
			se_count_error(se, *error);
		break;
	default:
		break;
	}
	return DM_ENDIO_DONE;
}

/*
 * Device-mapper has waited for every bio we own before calling this; make
 * sure no worker is still running and no claim was left behind.
 */
static void se_postsuspend(struct dm_target *ti)
{
	struct se_target *se = ti->private;

	flush_workqueue(se->start_wq);
	flush_workqueue(se->io_wq);
	WARN_ON_ONCE(!se_locks_empty(&se->locks));
	se_cache_drop(&se->cache, 0, (sector_t)-1);
}

static void se_status(struct dm_target *ti, status_type_t type,
		      unsigned int status_flags, char *result, unsigned int maxlen)
{
	struct se_target *se = ti->private;
	u64 sum[SE_NR_STATS] = { 0 };
	unsigned int sz = 0, i;
	int cpu;

	switch (type) {
	case STATUSTYPE_INFO:
		for_each_possible_cpu(cpu) {
			const struct se_stats *c = per_cpu_ptr(se->stats, cpu);

			for (i = 0; i < SE_NR_STATS; i++)
				sum[i] += c->count[i];
		}
		DMEMIT("%u", SE_NR_STATS);
		for (i = 0; i < SE_NR_STATS; i++)
			DMEMIT(" %llu", (unsigned long long)sum[i]);
		break;
	case STATUSTYPE_TABLE:
		se_format_table(&se->p, se->dev, result, maxlen);
		break;
	case STATUSTYPE_IMA:
		se_format_ima(ti, &se->p, se->dev, result, maxlen);
		break;
	}
}

static int se_message(struct dm_target *ti, unsigned int argc, char **argv,
		      char *result, unsigned int maxlen)
{
	struct se_target *se = ti->private;
	int cpu;

	if (argc == 1 && !strcasecmp(argv[0], "stats_reset")) {
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(se->stats, cpu), 0, sizeof(struct se_stats));
		return 0;
	}
	DMWARN("unrecognised message \"%s\" (supported: stats_reset)",
	       argc ? argv[0] : "");
	return -EINVAL;
}

static int se_iterate_devices(struct dm_target *ti,
			      iterate_devices_callout_fn fn, void *data)
{
	struct se_target *se = ti->private;

	return fn(ti, se->dev, se->p.start, ti->len, data);
}

/*
 * The limits stacked from the device, adjusted: small logical blocks;
 * physical block and minimum I/O at least one underlying block (a larger
 * value of the device, a RAID stripe say, stays); and any memory alignment
 * of the emulated block size is accepted, as a bio whose memory the device
 * cannot take goes through a block buffer (se_memory_fits()).
 */
static void se_io_hints(struct dm_target *ti, struct queue_limits *limits)
{
	struct se_target *se = ti->private;
	unsigned int e_bytes = se->p.e_bs << SECTOR_SHIFT;
	unsigned int u_bytes = se->p.u_bs << SECTOR_SHIFT;

	limits->logical_block_size = e_bytes;
	limits->physical_block_size = max(limits->physical_block_size, u_bytes);
	limits->io_min = max(limits->io_min, u_bytes);
	limits->alignment_offset = 0;
	limits->dma_alignment = min(limits->dma_alignment, e_bytes - 1);
	if (limits->io_opt % u_bytes)
		limits->io_opt = roundup(limits->io_opt, u_bytes);
	limits->discard_granularity = max(limits->discard_granularity, u_bytes);
}

/*
 * No .prepare_ioctl, on purpose: device-mapper would then hand ioctls
 * to the underlying device, SG_IO and NVMe passthrough among them, and
 * those carry the caller's own LBAs and transfer lengths.  A guest
 * issuing commands for 512-byte LBAs straight to a namespace formatted
 * with 4096-byte LBAs would read and write the wrong blocks, past every
 * bit of the emulation (no read-modify-write, no claims, no cache).
 * Without it, device-mapper answers such ioctls with ENOTTY.
 */
static struct target_type se_target_type = {
	.name = "sectoremu",
	.version = {1, 2, 0},
	/* map() never sleeps; see se_rmw_bio_init() for REQ_NOWAIT. */
	.features = DM_TARGET_NOWAIT,
	.module = THIS_MODULE,
	.ctr = se_ctr,
	.dtr = se_dtr,
	.map = se_map,
	.end_io = se_end_io,
	.postsuspend = se_postsuspend,
	.status = se_status,
	.message = se_message,
	.iterate_devices = se_iterate_devices,
	.io_hints = se_io_hints,
};

static int __init dm_sectoremu_init(void)
{
#ifdef SE_TEST_VARIANT
	pr_warn("dm-sectoremu: test-only build (%s), never use it for data\n",
		SE_TEST_VARIANT);
#endif
	return dm_register_target(&se_target_type);
}

static void __exit dm_sectoremu_exit(void)
{
	dm_unregister_target(&se_target_type);
}

module_init(dm_sectoremu_init);
module_exit(dm_sectoremu_exit);

MODULE_DESCRIPTION(DM_NAME " target emulating small logical blocks on large-block devices");
MODULE_AUTHOR("The sectoremu authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(SECTOREMU_VERSION);
