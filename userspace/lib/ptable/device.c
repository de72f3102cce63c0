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
#include "ptable/int.h"
#include "ptable/ops.h"

#define MAX_DEVS 256

/* The device and its partitions, from /sys/dev/block/M:m. */
static size_t collect_devs(dev_t rdev, dev_t *devs, char names[][64])
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	unsigned int ma, mi;
	struct dirent *de;
	size_t n = 1;
	DIR *dp;
	FILE *f;

	devs[0] = rdev;
	snprintf(names[0], 64, "the device");
	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u", major(rdev),
		 minor(rdev));
	dp = opendir(dir);
	if (!dp)
		return n;
	while ((de = readdir(dp)) && n < MAX_DEVS) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/partition", dir, de->d_name);
		if (access(path, F_OK))
			continue;
		snprintf(path, sizeof(path), "%s/%s/dev", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%u:%u", &ma, &mi) == 2) {
			devs[n] = makedev(ma, mi);
			snprintf(names[n], 64, "partition %.50s", de->d_name);
			n++;
		}
		fclose(f);
	}
	closedir(dp);
	return n;
}

static int find_dev(const dev_t *devs, size_t n, dev_t d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (devs[i] == d)
			return (int)i;
	return -1;
}

static int path_rdev_index(const char *path, const dev_t *devs, size_t n)
{
	struct stat st;

	if (path[0] != '/' || stat(path, &st) || !S_ISBLK(st.st_mode))
		return -1;
	return find_dev(devs, n, st.st_rdev);
}

/* mountinfo: "id parent M:m root mountpoint opts ... - fstype source opts" */
static int check_mounted(const struct ptdev *d, const dev_t *devs,
			 char names[][64], size_t n)
{
	char *line = NULL, *sep, mnt[4096], src[4096];
	unsigned int ma, mi;
	size_t cap = 0;
	int busy = 0, i;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%*s %*s %u:%u %*s %4095s", &ma, &mi, mnt) != 3)
			continue;
		i = find_dev(devs, n, makedev(ma, mi));
		sep = strstr(line, " - ");
		if (i < 0 && sep && sscanf(sep, " - %*s %4095s", src) == 1)
			i = path_rdev_index(src, devs, n);
		if (i >= 0) {
			se_err("%s: %s is mounted on %s", d->path, names[i], mnt);
			busy = 1;
		}
	}
	fclose(f);

	f = fopen("/proc/swaps", "r");
	if (!f) {
		free(line);
		return busy;
	}
	while (getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%4095s", src) != 1)
			continue;
		i = path_rdev_index(src, devs, n);
		if (i >= 0) {
			se_err("%s: %s is in use as swap", d->path, names[i]);
			busy = 1;
		}
	}
	free(line);
	fclose(f);
	return busy;
}

static int check_holders(const struct ptdev *d, const dev_t *devs,
			 char names[][64], size_t n)
{
	char path[PATH_MAX];
	struct dirent *de;
	int busy = 0;
	size_t i;
	DIR *dp;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/holders",
			 major(devs[i]), minor(devs[i]));
		dp = opendir(path);
		if (!dp)
			continue;
		while ((de = readdir(dp))) {
			if (de->d_name[0] == '.')
				continue;
			se_err("%s: %s is held by %s", d->path, names[i],
			       de->d_name);
			busy = 1;
		}
		closedir(dp);
	}
	return busy;
}

/*
 * A loop device on top is a user too, but not a holder in sysfs: an image
 * file (by inode, so any name for it counts) or a block device (this one
 * or one of its partitions) that is the backing file of a loop device.
 */
static int check_loops(const struct ptdev *d, const dev_t *devs,
		       char names[][64], size_t n)
{
	char real[PATH_MAX], path[PATH_MAX], back[PATH_MAX];
	struct stat self, st;
	struct dirent *de;
	int busy = 0, i;
	size_t len;
	DIR *dp;
	FILE *f;

	if (stat(d->path, &self))
		return 0;
	if (!realpath(d->path, real))
		real[0] = '\0';
	dp = opendir("/sys/block");
	if (!dp)
		return 0;
	while ((de = readdir(dp))) {
		if (strncmp(de->d_name, "loop", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%.200s/loop/backing_file",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(back, sizeof(back), f)) {
			fclose(f);
			continue;
		}
		fclose(f);
		len = strlen(back);
		if (len && back[len - 1] == '\n')
			back[--len] = '\0';
		if (stat(back, &st))
			st.st_mode = 0;
		if (d->is_blk) {
			if (!S_ISBLK(st.st_mode))
				continue;
			i = find_dev(devs, n, st.st_rdev);
			if (i < 0)
				continue;
			se_err("%s: %s is attached to /dev/%s", d->path,
			       names[i], de->d_name);
			busy = 1;
		} else if ((real[0] && !strcmp(back, real)) ||
			   (S_ISREG(st.st_mode) && st.st_dev == self.st_dev &&
			    st.st_ino == self.st_ino)) {
			se_err("%s is attached to /dev/%s", d->path, de->d_name);
			busy = 1;
		}
	}
	closedir(dp);
	return busy;
}

static int check_busy(const struct ptdev *d)
{
	static dev_t devs[MAX_DEVS];
	static char names[MAX_DEVS][64];
	size_t n;
	int busy;

	if (!d->is_blk)
		return check_loops(d, NULL, NULL, 0);
	n = collect_devs(d->rdev, devs, names);
	busy = check_mounted(d, devs, names, n);
	busy |= check_holders(d, devs, names, n);
	busy |= check_loops(d, devs, names, n);
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
