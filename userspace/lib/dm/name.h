/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mapping names: which names a mapping may have, and the mapping a name
 * or a device node given on the command line stands for.
 */
#ifndef SECTOREMU_DM_NAME_H
#define SECTOREMU_DM_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "dm/dm.h"

/* What device-mapper and /dev/mapper/<name> take. */
bool se_name_ok(const char *name);

/*
 * The mapping name @arg stands for: a name as it is, or the
 * device-mapper device a device node is.  -1 after a diagnostic.
 */
int se_resolve_mapping(const char *arg, char *name, size_t len);

/*
 * Look @name up (se_dm_get()); a diagnostic says why when it is not a
 * sectoremu mapping: -ENOENT, -EMEDIUMTYPE or another negative errno.
 */
int se_find_mapping(const char *name, struct se_mapping *m);

#endif
