/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One mapping request, from the command line (map) or a tab file line
 * (apply): its checks, the table line it becomes, and how an existing
 * mapping differs from it.
 */
#ifndef SECTOREMU_MAP_H
#define SECTOREMU_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dm.h"

#define MAP_F_IGNORE_DISCARD	0x1u

struct map_req {
	const char *dev;		/* block device path */
	const char *name;		/* NULL: se-<device name> */
	uint64_t sector_size;		/* emulated, bytes */
	uint64_t offset, length;	/* 512-byte sectors; length 0: to the end */
	bool read_only, force;
	bool partitions;			/* map its partitions too */
	unsigned int features;		/* MAP_F_* */
};

/* What a request becomes once the device is known. */
struct map_plan {
	char name[128];
	uint64_t length;		/* sectors */
	char params[512];		/* the table parameters */
	unsigned int major, minor;	/* of the device */
	unsigned int dev_lbs;		/* the device's logical block size */
};

void map_req_init(struct map_req *r);
/*
 * The map command's arguments (argv[0] is "map"): 0 when @r is filled,
 * -1 after --help, EXIT_USAGE after a message.  @r points into @argv.
 */
int map_parse_args(int argc, char **argv, struct map_req *r);
bool map_name_ok(const char *name);
bool map_sector_size_ok(uint64_t bytes);
/* MAP_F_* of a feature name, 0 when it is not one. */
unsigned int map_feature_bit(const char *name);

/*
 * Serialise the creation of mappings with other sectoremu processes, from
 * the check for overlapping mappings in map_plan() to map_create(): two
 * runs at once could each find the other's blocks still free.  Held until
 * the process exits.  Prints why not and returns -1.
 */
int map_lock(void);
/*
 * Check @r against its device (a block device with logical blocks larger
 * than the sector size, not in use unless force, offset and length
 * aligned and inside it, no block shared with another sectoremu mapping
 * even with force; the name free; the module loaded) and fill @p.
 * Prints why not and returns -1; nothing is changed either way.
 */
int map_plan(const struct map_req *r, struct map_plan *p);
/*
 * Create the planned mapping (with a new dm UUID) and, with @partitions,
 * one mapping per partition of its table, whose paths go to @out.  Prints
 * why not and returns -1, leaving nothing behind.
 */
int map_create(const struct map_plan *p, bool read_only, bool partitions,
	       FILE *out);

/*
 * Compare the existing mapping @m with @r (whose device is not opened:
 * the mapping holds it). Writes what differs, in words, to @buf ("" when
 * nothing does) and returns true when something does.
 */
bool map_differs(const struct se_mapping *m, const struct map_req *r,
		 char *buf, size_t len);

#endif
