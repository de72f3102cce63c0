// SPDX-License-Identifier: GPL-2.0
/*
 * The sectoremu table line, a drop-in for dm-ebs:
 *
 *   <dev> <offset> <emulated_sectors> [<underlying_sectors>
 *	[<#features> <feature>...]]
 *
 * <offset>		start on <dev>, 512-byte sectors, a multiple of the
 *			underlying block
 * <emulated_sectors>	1, 2, 4 or 8: the block size presented (512..4096)
 * <underlying_sectors>	8..128, a power of two, at least the device's
 *			logical block size (default: that size)
 * features		ignore_discard
 *
 * The ranges make the emulated block never larger than the underlying one.
 * Where dm-ebs rejects a line, the same leading words of ti->error are
 * used, so scripts written for it keep matching.
 */
#include <linux/blkdev.h>
#include <linux/kernel.h>
#include <linux/log2.h>

#include "sectoremu-table.h"

#define DM_MSG_PREFIX "sectoremu"

#define SE_MIN_U_BS 8		/* 4 KiB */
#define SE_MAX_U_BS 128		/* 64 KiB */
#define SE_MAX_E_BS 8		/* 4 KiB */

static int parse_features(struct dm_target *ti, struct dm_arg_set *as,
			  unsigned int *features)
{
	static const struct dm_arg _args[] = {
		{ 0, 1, "Invalid number of feature arguments" },
	};
	unsigned int argc;
	const char *arg;
	int r;

	r = dm_read_arg_group(_args, as, &argc, &ti->error);
	if (r)
		return r;

	while (argc--) {
		arg = dm_shift_arg(as);
		if (!strcasecmp(arg, "ignore_discard")) {
			*features |= SE_F_IGNORE_DISCARD;
		} else {
			ti->error = "Unknown feature argument";
			return -EINVAL;
		}
	}
	return 0;
}

static bool parse_bs(const char *arg, unsigned int min, unsigned int max,
		     unsigned int *bs)
{
	unsigned int v;
	char dummy;

	if (sscanf(arg, "%u%c", &v, &dummy) != 1 || !is_power_of_2(v) ||
	    v < min || v > max)
		return false;
	*bs = v;
	return true;
}

/*
 * Fill @p and get @dev from the table line; on failure ti->error says why
 * and nothing is held.
 */
int se_parse_table(struct dm_target *ti, unsigned int argc, char **argv,
		   struct se_params *p, struct dm_dev **dev)
{
	struct dm_arg_set as = { .argc = argc, .argv = argv };
	unsigned long long start;
	unsigned int dev_lbs;
	struct block_device *bdev;
	char dummy;
	int r;

	memset(p, 0, sizeof(*p));
	if (argc < 3) {
		ti->error = "Invalid argument count";
		return -EINVAL;
	}

	if (sscanf(argv[1], "%llu%c", &start, &dummy) != 1 ||
	    start != (sector_t)start) {
		ti->error = "Invalid device offset sector";
		return -EINVAL;
	}
	p->start = start;

	if (!parse_bs(argv[2], 1, SE_MAX_E_BS, &p->e_bs)) {
		ti->error = "Invalid emulated block size (1, 2, 4 or 8 sectors)";
		return -EINVAL;
	}

	if (argc > 3) {
		if (!parse_bs(argv[3], SE_MIN_U_BS, SE_MAX_U_BS, &p->u_bs)) {
			ti->error = "Invalid underlying block size (8 to 128 sectors, power of 2)";
			return -EINVAL;
		}
		p->u_bs_set = true;
	}

	if (argc > 4) {
		dm_consume_args(&as, 4);
		r = parse_features(ti, &as, &p->features);
		if (r)
			return r;
		if (as.argc) {
			ti->error = "Invalid argument count";
			return -EINVAL;
		}
	}

	r = dm_get_device(ti, argv[0], dm_table_get_mode(ti->table), dev);
	if (r) {
		ti->error = "Device lookup failed";
		return r;
	}
	bdev = (*dev)->bdev;
	dev_lbs = bdev_logical_block_size(bdev) >> SECTOR_SHIFT;

	r = -EINVAL;
	if (bdev_is_zoned(bdev)) {
		ti->error = "Zoned devices are not supported";
		goto bad;
	}
	if (!p->u_bs_set) {
		p->u_bs = dev_lbs;
		if (p->u_bs < SE_MIN_U_BS || p->u_bs > SE_MAX_U_BS) {
			ti->error = "Invalid retrieved underlying block size (need 4 to 64 KiB)";
			goto bad;
		}
	} else if (p->u_bs < dev_lbs) {
		ti->error = "Invalid underlying block size (below device logical block size)";
		goto bad;
	}
	if (p->start & (p->u_bs - 1)) {
		ti->error = "Device offset must be multiple of underlying block size";
		goto bad;
	}
	if (ti->len & (p->u_bs - 1)) {
		ti->error = "Target length must be multiple of underlying block size";
		goto bad;
	}
	/*
	 * Blocks are numbered from the start of the target: a target that
	 * starts inside a block of the mapped device would turn every
	 * aligned upper bio into two partial ones.
	 */
	if (ti->begin & (p->u_bs - 1)) {
		ti->error = "Target start must be multiple of underlying block size";
		goto bad;
	}
	if (p->start + ti->len < p->start ||
	    p->start + ti->len > bdev_nr_sectors(bdev)) {
		ti->error = "Target extends beyond the end of the device";
		goto bad;
	}
	if (p->e_bs == p->u_bs)
		DMINFO("%s: emulation superfluous: emulated equal to underlying block size",
		       (*dev)->name);
	return 0;
bad:
	dm_put_device(ti, *dev);
	*dev = NULL;
	return r;
}

/* The table line as "dmsetup table" prints it: what was given, no more. */
void se_format_table(const struct se_params *p, struct dm_dev *dev,
		     char *result, unsigned int maxlen)
{
	unsigned int sz = 0;

	DMEMIT("%s %llu %u", dev->name, (unsigned long long)p->start, p->e_bs);
	if (p->u_bs_set)
		DMEMIT(" %u", p->u_bs);
	if (p->features & SE_F_IGNORE_DISCARD)
		DMEMIT(" 1 ignore_discard");
}

/*
 * The line IMA measures (STATUSTYPE_IMA): the target's name and version,
 * then every parameter that decides what lands where on the device.
 */
void se_format_ima(struct dm_target *ti, const struct se_params *p,
		   struct dm_dev *dev, char *result, unsigned int maxlen)
{
	unsigned int sz = 0;

	DMEMIT_TARGET_NAME_VERSION(ti->type);
	DMEMIT(",device_name=%s,start=%llu", dev->name,
	       (unsigned long long)p->start);
	DMEMIT(",emulated_sectors=%u,underlying_sectors=%u,ignore_discard=%c;",
	       p->e_bs, p->u_bs, (p->features & SE_F_IGNORE_DISCARD) ? 'y' : 'n');
}
