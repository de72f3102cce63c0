/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Partition mappings of a sectoremu mapping: which partitions of its table
 * get a dm-linear mapping, what they are called, and what bringing the
 * existing ones in line with the table takes (the plan of `partitions
 * rescan`, `add` and `remove`).  No device is touched here.
 *
 * Naming: <parent>p<N>, N the number the kernel would give the partition
 * (1-4 primary, 5.. logical; the extended container gets none).  dm UUID:
 * part<N>-<the parent's UUID>, as kpartx marks its mappings, so that they
 * are found again whatever they are called.
 */
#ifndef SECTOREMU_PARTMAP_H
#define SECTOREMU_PARTMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm/dm.h"
#include "ptable/ptable.h"

/* A partition that should have a mapping, in 512-byte sectors. */
struct partmap_want {
	unsigned int number;
	uint64_t start, length;
};

enum partmap_op {
	PARTMAP_KEEP,		/* exists as the table says */
	PARTMAP_ADD,		/* no mapping yet */
	PARTMAP_RELOAD,		/* exists with another start or size */
	PARTMAP_REMOVE,		/* no longer in the table */
};

struct partmap_action {
	enum partmap_op op;
	unsigned int number;
	char name[128];
	uint64_t start, length;		/* the new extent (ADD, RELOAD) */
	uint64_t old_start, old_length;	/* the mapping's (RELOAD, REMOVE, KEEP) */
	int open_count;
	bool done;			/* carried out (partsync()) */
};

struct partmap_plan {
	struct partmap_action *actions;	/* removals, reloads, additions, kept */
	size_t n;
	char **refusals;		/* why the plan cannot be carried out */
	size_t nrefusals;
};

/* "<parent>p<N>"; -1 when it does not fit a mapping name. */
int partmap_name(const char *parent, unsigned int number, char *buf, size_t len);
/* "part<N>-<parent uuid>". */
void partmap_uuid(const char *parent_uuid, unsigned int number, char *buf,
		  size_t len);

/*
 * The partitions of @pt (read at @sector_size bytes) that get mappings.
 * A table the mappings cannot follow (overlapping partitions, one past
 * the end of the device or out of range, a broken EBR chain, no readable
 * GPT) gives its problems, as inspect words them, in @p->refusals and no
 * partitions.  @want: malloc'd, free() it.  -ENOMEM or 0.
 */
int partmap_want(const struct ptable *pt, struct partmap_want **want,
		 size_t *nwant, struct partmap_plan *p);

/*
 * What bringing @cur (the existing partition mappings of @parent) in line
 * with @want takes.  Refused: removing, shrinking or moving a mapping that
 * is open (named), and a mapping name that does not fit.  @p may hold
 * refusals from partmap_want() already.  -ENOMEM or 0.
 */
int partmap_plan(const char *parent, const struct partmap_want *want,
		 size_t nwant, const struct se_part *cur, size_t ncur,
		 struct partmap_plan *p);
void partmap_plan_free(struct partmap_plan *p);

#endif
