// SPDX-License-Identifier: GPL-2.0
/* Who uses a block device or an image file, see users.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "host/blkdev.h"
#include "host/users.h"

#define MAX_DEVS 256

/* The device and its partitions, from /sys/dev/block/M:m. */
struct devset {
	dev_t dev[MAX_DEVS];
	char what[MAX_DEVS][64];
	char part[MAX_DEVS][64];
	size_t n;
};

/* One more use of device @i of @s (NULL: the image file). */
static int __attribute__((format(printf, 5, 6)))
add(struct blk_users *u, enum blk_use_kind kind, const struct devset *s,
    size_t i, const char *fmt, ...)
{
	struct blk_use *v = realloc(u->v, (u->n + 1) * sizeof(*v));
	va_list ap;

	if (!v)
		return -ENOMEM;
	u->v = v;
	v += u->n++;
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	snprintf(v->what, sizeof(v->what), "%s", s ? s->what[i] : "the file");
	snprintf(v->part, sizeof(v->part), "%s", s ? s->part[i] : "");
	va_start(ap, fmt);
	vsnprintf(v->by, sizeof(v->by), fmt, ap);
	va_end(ap);
	return 0;
}

static void collect_devs(dev_t rdev, struct devset *s)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	unsigned int ma, mi;
	struct dirent *de;
	DIR *dp;
	FILE *f;

	s->dev[0] = rdev;
	snprintf(s->what[0], 64, "the device");
	s->part[0][0] = '\0';
	s->n = 1;
	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u", major(rdev), minor(rdev));
	dp = opendir(dir);
	if (!dp)
		return;
	while ((de = readdir(dp)) && s->n < MAX_DEVS) {
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
			s->dev[s->n] = makedev(ma, mi);
			snprintf(s->what[s->n], 64, "partition %.50s", de->d_name);
			snprintf(s->part[s->n], 64, "%.63s", de->d_name);
			s->n++;
		}
		fclose(f);
	}
	closedir(dp);
}

static int find_dev(const struct devset *s, dev_t d)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->dev[i] == d)
			return (int)i;
	return -1;
}

static int path_dev_index(const char *path, const struct devset *s)
{
	struct stat st;

	if (path[0] != '/' || stat(path, &st) || !S_ISBLK(st.st_mode))
		return -1;
	return find_dev(s, st.st_rdev);
}

static int holders(const struct devset *s, struct blk_users *u)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct blk_use *v;
	size_t i;
	DIR *dp;

	for (i = 0; i < s->n; i++) {
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/holders",
			 major(s->dev[i]), minor(s->dev[i]));
		dp = opendir(path);
		while (dp && (de = readdir(dp))) {
			if (de->d_name[0] == '.')
				continue;
			if (add(u, BLK_USE_HOLDER, s, i, "%s", de->d_name)) {
				closedir(dp);
				return -ENOMEM;
			}
			v = &u->v[u->n - 1];
			snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/holders/%s/dm/name",
				 major(s->dev[i]), minor(s->dev[i]), de->d_name);
			blkdev_read_line(path, v->dm_name, sizeof(v->dm_name));
		}
		if (dp)
			closedir(dp);
	}
	return 0;
}

static int partitions(const struct devset *s, struct blk_users *u)
{
	for (size_t i = 1; i < s->n; i++)
		if (add(u, BLK_USE_PARTITION, s, i, "%s", s->part[i]))
			return -ENOMEM;
	return 0;
}

/* mountinfo: "id parent M:m root mountpoint opts ... - fstype source opts" */
static int mounts(const struct devset *s, struct blk_users *u)
{
	char *line = NULL, *sep, mnt[4096], src[4096];
	unsigned int ma, mi;
	size_t cap = 0;
	int i, rc = 0;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && !rc && getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%*s %*s %u:%u %*s %4095s", &ma, &mi, mnt) != 3)
			continue;
		i = find_dev(s, makedev(ma, mi));
		sep = strstr(line, " - ");
		if (i < 0 && sep && sscanf(sep, " - %*s %4095s", src) == 1)
			i = path_dev_index(src, s);
		if (i >= 0)
			rc = add(u, BLK_USE_MOUNT, s, (size_t)i, "%s", mnt);
	}
	if (f)
		fclose(f);
	f = fopen("/proc/swaps", "r");
	while (f && !rc && getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%4095s", src) != 1)
			continue;
		i = path_dev_index(src, s);
		if (i >= 0)
			rc = add(u, BLK_USE_SWAP, s, (size_t)i, "%s", src);
	}
	if (f)
		fclose(f);
	free(line);
	return rc;
}

/*
 * A loop device on top is a user too, but not a holder in sysfs: a block
 * device (this one or one of its partitions, @s) or an image file (@path,
 * by inode, so any name for it counts) that is the backing file of one.
 */
static int loops(const struct devset *s, const char *path, struct blk_users *u)
{
	char real[PATH_MAX], sys[PATH_MAX], back[PATH_MAX];
	struct stat self, st;
	struct dirent *de;
	int i, rc = 0;
	DIR *dp;

	if (path && stat(path, &self))
		return 0;
	if (!path || !realpath(path, real))
		real[0] = '\0';
	dp = opendir("/sys/block");
	while (dp && !rc && (de = readdir(dp))) {
		if (strncmp(de->d_name, "loop", 4))
			continue;
		snprintf(sys, sizeof(sys), "/sys/block/%.200s/loop/backing_file",
			 de->d_name);
		if (blkdev_read_line(sys, back, sizeof(back)))
			continue;
		if (stat(back, &st))
			st.st_mode = 0;
		if (s) {
			if (!S_ISBLK(st.st_mode) || (i = find_dev(s, st.st_rdev)) < 0)
				continue;
			rc = add(u, BLK_USE_LOOP, s, (size_t)i, "%s", de->d_name);
		} else if ((real[0] && !strcmp(back, real)) ||
			   (S_ISREG(st.st_mode) && st.st_dev == self.st_dev &&
			    st.st_ino == self.st_ino)) {
			rc = add(u, BLK_USE_LOOP, NULL, 0, "%s", de->d_name);
		}
	}
	if (dp)
		closedir(dp);
	return rc;
}

int blk_users_dev(dev_t rdev, struct blk_users *u)
{
	static struct devset s;

	memset(u, 0, sizeof(*u));
	collect_devs(rdev, &s);
	if (holders(&s, u) || partitions(&s, u) || mounts(&s, u) ||
	    loops(&s, NULL, u))
		return -ENOMEM;
	return 0;
}

int blk_users_file(const char *path, struct blk_users *u)
{
	memset(u, 0, sizeof(*u));
	return loops(NULL, path, u);
}

void blk_users_free(struct blk_users *u)
{
	free(u->v);
	memset(u, 0, sizeof(*u));
}

void blk_users_drop_holders(struct blk_users *u, const char *const *names,
			    size_t n)
{
	size_t i, j, k = 0;
	bool ours;

	for (i = 0; i < u->n; i++) {
		ours = false;
		for (j = 0; j < n && u->v[i].kind == BLK_USE_HOLDER; j++)
			if (u->v[i].dm_name[0] && !strcmp(u->v[i].dm_name, names[j]))
				ours = true;
		if (!ours)
			u->v[k++] = u->v[i];
	}
	u->n = k;
}
