// SPDX-License-Identifier: GPL-2.0
/* Block device facts from sysfs. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "base/diag.h"
#include "base/parse.h"
#include "host/blkdev.h"

void blkdev_path_of(unsigned int major, unsigned int minor, char *buf, size_t len)
{
	char path[64], line[256];
	FILE *f;

	snprintf(buf, len, "%u:%u", major, minor);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major, minor);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "/dev/%s", line + 8);
		break;
	}
	fclose(f);
}

int blkdev_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	/* Models and wwids are padded with blanks. */
	for (size_t n = strlen(buf); n && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
	return 0;
}

void blkdev_attr_str(unsigned int major, unsigned int minor, const char *attr,
		     char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/%s", major, minor, attr);
	blkdev_read_line(path, buf, len);
}

int blkdev_attr_u64(unsigned int major, unsigned int minor, const char *attr,
		    uint64_t *val)
{
	char buf[64];

	blkdev_attr_str(major, minor, attr, buf, sizeof(buf));
	return parse_u64(buf, val) ? 0 : -1;
}

int blkdev_lbs(unsigned int major, unsigned int minor, unsigned int *lbs)
{
	uint64_t v;

	if (blkdev_attr_u64(major, minor, "queue/logical_block_size", &v))
		return -1;
	*lbs = (unsigned int)v;
	return 0;
}

static void fill_info(const char *name, unsigned int ma, unsigned int mi,
		      struct blkdev_info *b)
{
	uint64_t v;

	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->major = ma;
	b->minor = mi;
	if (!blkdev_attr_u64(ma, mi, "size", &v))
		b->bytes = v * 512;
	if (!blkdev_attr_u64(ma, mi, "queue/logical_block_size", &v))
		b->lbs = (unsigned int)v;
	if (!blkdev_attr_u64(ma, mi, "queue/physical_block_size", &v))
		b->pbs = (unsigned int)v;
	blkdev_attr_str(ma, mi, "device/model", b->model, sizeof(b->model));
	blkdev_attr_str(ma, mi, "wwid", b->wwid, sizeof(b->wwid));
	if (!b->wwid[0])
		blkdev_attr_str(ma, mi, "device/wwid", b->wwid, sizeof(b->wwid));
	/* nvme<ctrl>n<ns>, or nvme<subsys>c<ctrl>n<ns> behind multipath. */
	b->is_nvme = !strncmp(name, "nvme", 4) && strchr(name + 4, 'n');
}

int blkdev_info_of_path(const char *path, struct blkdev_info *b)
{
	char name[256], *slash;
	struct stat st;
	unsigned int ma, mi;

	if (stat(path, &st)) {
		se_err_errno("cannot access %s", path);
		return -1;
	}
	if (!S_ISBLK(st.st_mode)) {
		se_err("%s is not a block device", path);
		return -1;
	}
	ma = major(st.st_rdev);
	mi = minor(st.st_rdev);
	blkdev_path_of(ma, mi, name, sizeof(name));
	slash = strrchr(name, '/');
	fill_info(slash ? slash + 1 : name, ma, mi, b);
	return 0;
}

static bool is_virtual(const char *name)
{
	static const char *const skip[] = {
		"loop", "ram", "zram", "dm-", "md", "nbd", "sr", "fd",
	};

	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strncmp(name, skip[i], strlen(skip[i])))
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct blkdev_info *)a)->name,
		      ((const struct blkdev_info *)b)->name);
}

int blkdev_list(struct blkdev_info **v, size_t *n)
{
	struct blkdev_info *a = NULL, *na;
	unsigned int ma, mi;
	char path[320], dev[32];
	struct dirent *de;
	size_t cnt = 0;
	DIR *dp;

	*v = NULL;
	*n = 0;
	dp = opendir("/sys/block");
	if (!dp) {
		se_err_errno("cannot read /sys/block");
		return -1;
	}
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.' || is_virtual(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/dev", de->d_name);
		if (blkdev_read_line(path, dev, sizeof(dev)) ||
		    sscanf(dev, "%u:%u", &ma, &mi) != 2)
			continue;
		na = realloc(a, (cnt + 1) * sizeof(*a));
		if (!na) {
			free(a);
			closedir(dp);
			return -1;
		}
		a = na;
		fill_info(de->d_name, ma, mi, &a[cnt++]);
	}
	closedir(dp);
	if (cnt)
		qsort(a, cnt, sizeof(*a), by_name);
	*v = a;
	*n = cnt;
	return 0;
}

/* @wwid matches @want with or without its "<type>." prefix. */
static bool wwid_matches(const char *wwid, const char *want)
{
	const char *dot = strchr(wwid, '.');

	if (!*want || !*wwid)
		return false;
	return !strcasecmp(wwid, want) || (dot && !strcasecmp(dot + 1, want));
}

int blkdev_find_wwn(const char *wwn, char *path, size_t len)
{
	struct blkdev_info *v;
	size_t n, i;
	int r = -1;

	if (!strncasecmp(wwn, "0x", 2))
		wwn += 2;
	if (blkdev_list(&v, &n))
		return -1;
	for (i = 0; i < n && r; i++) {
		if (wwid_matches(v[i].wwid, wwn)) {
			snprintf(path, len, "/dev/%s", v[i].name);
			r = 0;
		}
	}
	free(v);
	return r;
}
