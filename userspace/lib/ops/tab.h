/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /etc/sectoremutab: the mappings to set up at boot, one a line, like
 * crypttab:
 *
 *	# <name>  <device>                      [<options>]
 *	vmdisk    /dev/disk/by-id/nvme-eui.0025  sector-size=512
 *	scratch   WWN=eui.00253855018a3b21      read-only,nofail
 *	data      UUID=4f1c...                  offset=2048,length=1048576
 *
 * <device> is an absolute path, UUID=<uuid> (what blkid reports for the
 * device) or WWN=<wwid> (the disk's wwid in sysfs).  <options>, comma
 * separated, are the map command's options: sector-size=N, offset=N,
 * length=N, read-only (or ro), feature=ignore_discard, force; nofail
 * (a missing device is not a failure); partitions (map each partition of
 * its table too, <name>p<N>); "defaults" or "-" for none.
 * Blank lines and lines whose first field starts with '#' are ignored.
 */
#ifndef SECTOREMU_TAB_H
#define SECTOREMU_TAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops/map.h"

#define SECTOREMUTAB "/etc/sectoremutab"

enum tab_dev_kind {
	TAB_DEV_PATH,
	TAB_DEV_UUID,
	TAB_DEV_WWN,
};

struct tab_entry {
	unsigned int line;
	char name[128];
	char device[256];		/* as written */
	enum tab_dev_kind kind;
	char value[256];		/* the path, uuid or wwid */
	struct map_req req;		/* dev and name are left NULL */
	bool nofail;
};

struct tab_error {
	unsigned int line;
	char msg[256];
};

struct tab {
	struct tab_entry *entries;
	size_t nr_entries;
	struct tab_error *errors;	/* malformed lines, in line order */
	size_t nr_errors;
};

/*
 * Parse the text of a tab file.  Malformed lines go to t->errors (with
 * their line number) and are left out; the others go to t->entries.
 * Returns 0, or -1 when out of memory.  tab_free() afterwards.
 */
int tab_parse(const char *text, struct tab *t);
/* Read and parse @path; -1 with a message when it cannot be read. */
int tab_read(const char *path, struct tab *t);
void tab_free(struct tab *t);
/* The entry named @name, NULL when none. */
const struct tab_entry *tab_find(const struct tab *t, const char *name);

/*
 * The device node @e names, into @path (tab_resolve.c): a path as it is,
 * UUID= through libblkid, WWN= through sysfs.  -ENOENT when no such
 * device is present (nothing printed).
 */
int tab_resolve(const struct tab_entry *e, char *path, size_t len);

#endif
