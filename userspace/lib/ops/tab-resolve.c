// SPDX-License-Identifier: GPL-2.0
/* Find the device a sectoremutab line names. */
#include <blkid/blkid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "dm/dm.h"
#include "host/blkdev.h"
#include "ops/tab.h"

/* A sectoremu mapping shows its device's contents, UUID included. */
static bool is_our_mapping(const char *devname)
{
	struct se_mapping m;
	struct stat st;
	char name[128];

	if (stat(devname, &st) || !S_ISBLK(st.st_mode))
		return false;
	blkdev_attr_str(major(st.st_rdev), minor(st.st_rdev), "dm/name", name,
			sizeof(name));
	return name[0] && !se_dm_get(name, &m);
}

/*
 * Every device blkid finds with this UUID, probed afresh (no cache file:
 * a stale one would name a device that moved), except our own mappings.
 */
static int resolve_uuid(const char *uuid, char *path, size_t len)
{
	blkid_dev_iterate it;
	blkid_cache cache;
	blkid_dev dev;
	int r = -ENOENT;

	if (blkid_get_cache(&cache, "/dev/null") < 0)
		return -ENOMEM;
	blkid_probe_all(cache);
	it = blkid_dev_iterate_begin(cache);
	if (it && !blkid_dev_set_search(it, "UUID", uuid)) {
		while (r && !blkid_dev_next(it, &dev)) {
			dev = blkid_verify(cache, dev);
			if (!dev || is_our_mapping(blkid_dev_devname(dev)))
				continue;
			snprintf(path, len, "%s", blkid_dev_devname(dev));
			r = 0;
		}
	}
	blkid_dev_iterate_end(it);
	blkid_put_cache(cache);
	return r;
}

int tab_resolve(const struct tab_entry *e, char *path, size_t len)
{
	struct stat st;

	switch (e->kind) {
	case TAB_DEV_PATH:
		if (stat(e->value, &st))
			return -ENOENT;
		snprintf(path, len, "%s", e->value);
		return 0;
	case TAB_DEV_UUID:
		return resolve_uuid(e->value, path, len);
	case TAB_DEV_WWN:
		return blkdev_find_wwn(e->value, path, len) ? -ENOENT : 0;
	}
	return -EINVAL;
}
