/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sectoremu mappings through libdevmapper: create, remove, look up, list.
 * Each function prints what went wrong (naming the mapping) and returns a
 * negative errno; libdevmapper adds its own line for a failed ioctl.
 */
#ifndef SECTOREMU_DM_H
#define SECTOREMU_DM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SE_TARGET "sectoremu"

struct se_mapping {
	char name[128];
	uint64_t length;		/* sectors */
	char params[512];		/* the target's table parameters */
	char status[512];		/* the target's status line */
	unsigned int major, minor;
	int open_count;
	bool suspended;
	bool read_only;
};

/* Create @name as one sectoremu target of @length sectors; udev-synced. */
int se_dm_create(const char *name, uint64_t length, const char *params,
		 bool read_only);
/* Remove @name; @deferred: let the kernel remove it at its last close. */
int se_dm_remove(const char *name, bool deferred);
/* Fill @m; -ENOENT: no such mapping, -EMEDIUMTYPE: not a sectoremu one. */
int se_dm_get(const char *name, struct se_mapping *m);
/* The mapping's name for a device number; -ENOENT when none. */
int se_dm_name_of(unsigned int major, unsigned int minor, char *name, size_t len);
/* Every sectoremu mapping, sorted by name; free(*maps) afterwards. */
int se_dm_list(struct se_mapping **maps, size_t *n);

#endif
