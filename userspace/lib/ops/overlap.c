// SPDX-License-Identifier: GPL-2.0
/* Overlapping mappings: where a mapping lies on its disk, and who else does. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/table.h"
#include "host/blkdev.h"
#include "ops/overlap.h"

/* The "M:m" in the sysfs file @path. */
static int read_devno(const char *path, unsigned int *ma, unsigned int *mi)
{
	char buf[32];
	FILE *f = fopen(path, "r");
	int rc = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%u:%u", ma, mi) != 2)
		rc = -EINVAL;
	fclose(f);
	return rc;
}

int disk_extent_of(unsigned int major, unsigned int minor, uint64_t offset,
		   uint64_t length, struct disk_extent *e)
{
	char path[PATH_MAX], real[PATH_MAX];
	uint64_t start, partno;
	char *slash;

	e->major = major;
	e->minor = minor;
	e->start = offset;
	e->length = length;
	if (blkdev_attr_u64(major, minor, "partition", &partno))
		return 0;		/* a whole disk */
	if (blkdev_attr_u64(major, minor, "start", &start))
		return -ENOENT;
	/* /sys/dev/block/M:m is .../block/<disk>/<partition>. */
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major, minor);
	if (!realpath(path, real))
		return -errno;
	slash = strrchr(real, '/');
	if (!slash || (size_t)(slash - real) + sizeof("/dev") > sizeof(real))
		return -ENAMETOOLONG;
	strcpy(slash, "/dev");
	e->start = start + offset;
	return read_devno(real, &e->major, &e->minor);
}

bool disk_extents_share_block(const struct disk_extent *a,
			      const struct disk_extent *b, uint64_t block)
{
	uint64_t a_first, a_last, b_first, b_last;

	if (a->major != b->major || a->minor != b->minor ||
	    !a->length || !b->length)
		return false;
	a_first = a->start / block;
	a_last = (a->start + a->length - 1) / block;
	b_first = b->start / block;
	b_last = (b->start + b->length - 1) / block;
	return a_first <= b_last && b_first <= a_last;
}

int map_find_overlap(const struct disk_extent *e, uint64_t block, char *name,
		     size_t len)
{
	struct se_mapping *maps;
	struct disk_extent o;
	struct se_table t;
	size_t n, i;
	int found = 0, rc;

	rc = se_dm_list(&maps, &n);
	if (rc)
		return rc;
	for (i = 0; i < n && !found; i++) {
		uint64_t b = block;

		if (se_table_parse(maps[i].params, &t))
			continue;
		if (t.underlying > b)
			b = t.underlying;
		if (disk_extent_of(t.major, t.minor, t.offset, maps[i].length, &o))
			continue;
		if (disk_extents_share_block(e, &o, b)) {
			snprintf(name, len, "%s", maps[i].name);
			found = 1;
		}
	}
	free(maps);
	return found;
}
