/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Is this disk in use?", answered once: who uses a block device or one
 * of its partitions (a holder in sysfs, a mount, swap, a loop device on
 * top), or an image file (a loop device on top).  ptable and map refuse
 * to write under any of them; doctor lists them, but for the disk's own
 * sectoremu mappings.
 */
#ifndef SECTOREMU_HOST_USERS_H
#define SECTOREMU_HOST_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum blk_use_kind {
	BLK_USE_HOLDER,		/* a device stacked on it (dm, md, bcache) */
	BLK_USE_PARTITION,	/* it has partitions (a use only to doctor) */
	BLK_USE_MOUNT,
	BLK_USE_SWAP,
	BLK_USE_LOOP,		/* the backing file of a loop device */
};

struct blk_use {
	enum blk_use_kind kind;
	char what[64];		/* "the device", "partition sda1" */
	char part[64];		/* the partition's name; "" for the device */
	char by[256];		/* holder or loop device (kernel name), mount
				 * point, swap; the partition's name */
	char dm_name[128];	/* a holder's device-mapper name, "" if none */
};

struct blk_users {
	struct blk_use *v;
	size_t n;
};

/*
 * Who uses the block device @rdev or one of its partitions, in the
 * order of enum blk_use_kind.  0, or -ENOMEM; blk_users_free() either
 * way.  What cannot be read (no sysfs, no /proc) counts as no user.
 */
int blk_users_dev(dev_t rdev, struct blk_users *u);
/* The loop devices whose backing file is the image file @path. */
int blk_users_file(const char *path, struct blk_users *u);
void blk_users_free(struct blk_users *u);

/*
 * Leave out the holders whose device-mapper name is one of @names (a
 * disk's own mappings), compared whole: "se-a" is not "se-ab".
 */
void blk_users_drop_holders(struct blk_users *u, const char *const *names,
			    size_t n);

#endif
