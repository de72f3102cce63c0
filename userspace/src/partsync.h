/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Partition mappings on device-mapper: read a sectoremu mapping's table
 * (through ptable_read() at its 512-byte sectors), carry out the plan of
 * partmap.c, and remove them again.  Shared by map --partitions, apply,
 * unmap and the partitions command.  Every function prints what went
 * wrong, naming the mapping, and returns -1.
 */
#ifndef SECTOREMU_PARTSYNC_H
#define SECTOREMU_PARTSYNC_H

#include <stdbool.h>
#include <stdio.h>

#include "dm.h"

enum partsync_mode {
	PARTSYNC_ADD,		/* create the missing ones; refuse if any differ */
	PARTSYNC_RESCAN,	/* also remove and reload, unless open */
};

/*
 * Bring the partition mappings of the sectoremu mapping @name in line with
 * its partition table.  Nothing is changed when the table or the plan is
 * refused; mappings created by a run that fails half-way are removed
 * again.  @out: where to say what was done (created paths for ADD, one
 * line per change for RESCAN), or NULL.
 */
int partsync(const char *name, enum partsync_mode mode, FILE *out);

/*
 * Remove the partition mappings of @m.  Refused while one is open, unless
 * @force (then those are removed at their last close).  *@removed: how
 * many there were.
 */
int partsync_remove(const struct se_mapping *m, bool force, FILE *out,
		    size_t *removed);

#endif
