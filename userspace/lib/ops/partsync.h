/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Partition mappings on device-mapper: read a sectoremu mapping's table
 * (through ptable_read() at its 512-byte sectors), carry out the plan of
 * partmap.c, and remove them again.  Shared by map --partitions, apply,
 * unmap and the partitions command.  Every function reports what went
 * wrong, naming the mapping, through the diagnostics sink and returns -1;
 * what was done comes back as data, for the caller to print.
 */
#ifndef SECTOREMU_PARTSYNC_H
#define SECTOREMU_PARTSYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "dm/dm.h"
#include "ops/partmap.h"

enum partsync_mode {
	PARTSYNC_ADD,		/* create the missing ones; refuse if any differ */
	PARTSYNC_RESCAN,	/* also remove and reload, unless open */
};

/*
 * Bring the partition mappings of the sectoremu mapping @name in line with
 * its partition table.  Nothing is changed when the table or the plan is
 * refused; mappings created by a run that fails half-way are removed
 * again.  @done: NULL, or where the plan goes, failed or not, with each
 * action that was carried out marked done (the additions count only
 * when the call succeeds); partmap_plan_free() it.
 */
int partsync(const char *name, enum partsync_mode mode,
	     struct partmap_plan *done);

/*
 * Remove the partition mappings of @m.  Refused while one is open, unless
 * @force (then those are removed at their last close).  *@gone (free()
 * it): the *@n that were removed, an open one at its last close.
 */
int partsync_remove(const struct se_mapping *m, bool force,
		    struct se_part **gone, size_t *n);

#endif
