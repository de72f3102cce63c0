/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sectoremu mappings through libdevmapper: create, remove, look up, list.
 * Each function reports what went wrong (naming the mapping) through the
 * diagnostics sink (base/diag.h) and returns a negative errno;
 * libdevmapper's own line for a failed ioctl goes to the sink too.
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
	char uuid[129];			/* the dm UUID, "" when it has none */
};

/*
 * A partition mapping: one dm-linear target on top of a sectoremu mapping,
 * found by its dm UUID, "part<N>-<the parent's UUID>" (kpartx's scheme).
 */
#define SE_UUID_PREFIX "SECTOREMU-"

struct se_part {
	char name[128];
	unsigned int number;		/* the kernel's partition number */
	uint64_t start, length;		/* sectors on the parent */
	unsigned int major, minor;
	int open_count;
	bool read_only;
};

/*
 * Create @name as one sectoremu target of @length sectors; udev-synced.
 * @uuid: its dm UUID, or NULL for none.
 */
int se_dm_create(const char *name, const char *uuid, uint64_t length,
		 const char *params, bool read_only);
/* A new UUID for a sectoremu mapping: SE_UUID_PREFIX and 32 hex digits. */
int se_dm_new_uuid(char *buf, size_t len);
/* Give @name the UUID @uuid (the kernel allows this once, when it has none). */
int se_dm_set_uuid(const char *name, const char *uuid);
/* Create @name as one linear target ("<M:m> <start>") with dm UUID @uuid. */
int se_dm_create_linear(const char *name, const char *uuid, uint64_t length,
			const char *params, bool read_only);
/* Load a new linear table into @name and resume it. */
int se_dm_reload_linear(const char *name, uint64_t length, const char *params);
/*
 * The partition mappings of the mapping with UUID @parent_uuid, sorted by
 * number; free(*parts) afterwards.
 */
int se_dm_parts(const char *parent_uuid, struct se_part **parts, size_t *n);
/* Whether any device-mapper device is named @name. */
bool se_dm_exists(const char *name);
/* Remove @name; @deferred: let the kernel remove it at its last close. */
int se_dm_remove(const char *name, bool deferred);
/* Fill @m; -ENOENT: no such mapping, -EMEDIUMTYPE: not a sectoremu one. */
int se_dm_get(const char *name, struct se_mapping *m);
/* The mapping's name for a device number; -ENOENT when none. */
int se_dm_name_of(unsigned int major, unsigned int minor, char *name, size_t len);
/* Every sectoremu mapping, sorted by name; free(*maps) afterwards. */
int se_dm_list(struct se_mapping **maps, size_t *n);

#endif
