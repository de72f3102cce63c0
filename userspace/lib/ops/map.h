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

#include "dm/table.h"
#include "ops/partmap.h"

#define MAP_F_IGNORE_DISCARD	SE_TABLE_F_IGNORE_DISCARD

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
bool map_sector_size_ok(uint64_t bytes);

/*
 * The options of a request, shared by the map command (--<name>) and
 * sectoremutab (<name>[=value]): one check and one message each.
 */
enum map_opt {
	MAP_OPT_SECTOR_SIZE,
	MAP_OPT_OFFSET,
	MAP_OPT_LENGTH,
	MAP_OPT_READ_ONLY,
	MAP_OPT_FEATURE,
	MAP_OPT_FORCE,
	MAP_OPT_PARTITIONS,
};

/*
 * Set @opt in @r from @val (NULL for an option without a value): NULL
 * when fine, else @why, saying what is wrong in the words of a tab file
 * ("offset: 'x' is not a number of sectors").
 */
const char *map_opt_set(struct map_req *r, enum map_opt opt, const char *val,
			char *why, size_t len);

/*
 * Serialise the creation of mappings with other sectoremu processes, from
 * the check for overlapping mappings in map_plan() to map_create(): two
 * runs at once could each find the other's blocks still free.  Held until
 * the process exits.  Reports why not (base/diag.h) and returns -1.
 */
int map_lock(void);
/*
 * Check @r against its device (a block device with logical blocks larger
 * than the sector size, not in use unless force, offset and length
 * aligned and inside it, no block shared with another sectoremu mapping
 * even with force; the name free; the module loaded) and fill @p.
 * Reports why not (base/diag.h) and returns -1; nothing is changed either way.
 */
int map_plan(const struct map_req *r, struct map_plan *p);
/*
 * Create the planned mapping (with a new dm UUID) and, with @partitions,
 * one mapping per partition of its table: @parts (NULL, or for
 * partmap_plan_free()) gets what partsync() did.  -1 after a diagnostic,
 * leaving nothing behind.
 */
int map_create(const struct map_plan *p, bool read_only, bool partitions,
	       struct partmap_plan *parts);

/*
 * Compare the existing mapping @m with @r (whose device is not opened:
 * the mapping holds it). Writes what differs, in words, to @buf ("" when
 * nothing does) and returns true when something does.
 */
bool map_differs(const struct se_mapping *m, const struct map_req *r,
		 char *buf, size_t len);

#endif
