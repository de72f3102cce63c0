// SPDX-License-Identifier: GPL-2.0
/*
 * Opening the device or image file a table lives on: its size and logical
 * block size, and the checks that keep us from writing under a mounted
 * filesystem or a device someone else holds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/diag.h"
#include "host/users.h"
#include "ptable/int.h"
#include "ptable/ops.h"

/* Why writing under @d is not safe: every user of it, named. */
static int check_busy(const struct ptdev *d)
{
	static const enum blk_use_kind order[] = {
		BLK_USE_MOUNT, BLK_USE_SWAP, BLK_USE_HOLDER, BLK_USE_LOOP,
	};
	const struct blk_use *v;
	struct blk_users u;
	int busy = 0;
	size_t k, i;

	if (d->is_blk ? blk_users_dev(d->rdev, &u) : blk_users_file(d->path, &u)) {
		blk_users_free(&u);
		se_err("%s: out of memory", d->path);
		return 1;
	}
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		for (i = 0; i < u.n; i++) {
			v = &u.v[i];
			if (v->kind != order[k])
				continue;
			busy = 1;
			if (v->kind == BLK_USE_MOUNT)
				se_err("%s: %s is mounted on %s", d->path, v->what, v->by);
			else if (v->kind == BLK_USE_SWAP)
				se_err("%s: %s is in use as swap", d->path, v->what);
			else if (v->kind == BLK_USE_HOLDER)
				se_err("%s: %s is held by %s", d->path, v->what, v->by);
			else if (d->is_blk)
				se_err("%s: %s is attached to /dev/%s", d->path, v->what, v->by);
			else
				se_err("%s is attached to /dev/%s", d->path, v->by);
		}
	}
	blk_users_free(&u);
	return busy;
}

int ptdev_open(struct ptdev *d, const char *path, bool write, bool force,
	       unsigned int file_lbs)
{
	struct stat st;
	int flags = O_CLOEXEC | (write ? O_RDWR : O_RDONLY);
	int lbs;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->path = path;
	if (stat(path, &st)) {
		se_err_errno("cannot access %s", path);
		return -1;
	}
	if (S_ISBLK(st.st_mode)) {
		d->is_blk = true;
		d->rdev = st.st_rdev;
	} else if (!S_ISREG(st.st_mode)) {
		se_err("%s is neither a block device nor an image file", path);
		return -1;
	}
	if (write && !force && check_busy(d)) {
		se_err("%s is in use; refusing to write (--force overrides)", path);
		return -1;
	}
	if (write && d->is_blk && !force)
		flags |= O_EXCL;
	d->fd = open(path, flags);
	if (d->fd < 0) {
		if (errno == EROFS)
			se_err("%s is read-only; refusing to write", path);
		else if (errno == EBUSY)
			se_err("%s is busy (mounted or held by another program); refusing to write (--force overrides)",
			       path);
		else
			se_err_errno("cannot open %s%s", path,
				     write ? " for writing" : "");
		return -1;
	}
	d->writable = write;
	if (d->is_blk) {
		int ro = 0;

		/* Writes would fail with EPERM; say why before planning. */
		if (write && !ioctl(d->fd, BLKROGET, &ro) && ro) {
			se_err("%s is read-only; refusing to write", path);
			ptdev_close(d);
			return -1;
		}
		if (ioctl(d->fd, BLKGETSIZE64, &d->bytes) ||
		    ioctl(d->fd, BLKSSZGET, &lbs)) {
			se_err_errno("%s: cannot get the device size", path);
			ptdev_close(d);
			return -1;
		}
		d->lbs = (unsigned int)lbs;
	} else {
		if (fstat(d->fd, &st)) {
			se_err_errno("%s", path);
			ptdev_close(d);
			return -1;
		}
		d->bytes = (uint64_t)st.st_size;
		d->lbs = file_lbs ? file_lbs : 512;
	}
	return 0;
}

void ptdev_close(struct ptdev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

void ptdev_reread(const struct ptdev *d)
{
	if (!d->is_blk)
		return;
	/* EINVAL: a device without partition scanning (device-mapper). */
	if (ioctl(d->fd, BLKRRPART) && errno != EINVAL)
		se_err_errno("warning: %s: the kernel did not re-read the partition table (run partprobe or reboot)",
			     d->path);
}
