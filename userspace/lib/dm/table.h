/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sectoremu target's table and status lines: the one builder and
 * the one parser of
 *
 *	table:	<M:m> <offset> <emulated> [<underlying> [<#f> <feature>...]]
 *	status:	<n> <counter>...
 *
 * (kmod/sectoremu-table.c is the kernel side), and a mapping's lines in
 * named fields, shared by list, status and doctor.
 */
#ifndef SECTOREMU_DM_TABLE_H
#define SECTOREMU_DM_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm/dm.h"

#define SE_MAX_COUNTERS 32

/* The target's counters, by their place in its status line. */
enum se_counter {
#define SE_COUNTER(e, name, desc) SE_COUNTER_##e,
#include "sectoremu-counters.h"
	SE_NR_COUNTERS
};

/* Table features (the names of the optional feature arguments). */
#define SE_TABLE_F_IGNORE_DISCARD	0x1u

/* A table line in fields.  Sizes are in 512-byte sectors. */
struct se_table {
	unsigned int major, minor;	/* the underlying device */
	uint64_t offset;
	unsigned int emulated;		/* the emulated sector */
	unsigned int underlying;	/* its logical block; 0: not given */
	unsigned int features;		/* SE_TABLE_F_* */
};

/*
 * The table line of @t into @buf.  Features need @t->underlying, which
 * is written whenever it is set.  -ENAMETOOLONG when @buf is too small.
 */
int se_table_build(const struct se_table *t, char *buf, size_t len);
/* Parse a table line; -EINVAL when it is not one. */
int se_table_parse(const char *params, struct se_table *t);
/* SE_TABLE_F_* of a feature name, 0 when it is not one. */
unsigned int se_table_feature(const char *name);

struct se_mapping_view {
	char backing[128];		/* /dev/... of the underlying device */
	struct se_table table;
	uint64_t offset;		/* sectors */
	unsigned int sector_size;	/* emulated, bytes */
	unsigned int block_size;	/* underlying, bytes; 0: the device's */
	unsigned int nr_counters;
	uint64_t counters[SE_MAX_COUNTERS];
	/* Its partition mappings, once se_mapping_view_parts() looked. */
	bool parts_known;
	struct se_part *parts;
	size_t nr_parts;
};

/* Parse @m's table and status; -EINVAL when they are not understood. */
int se_mapping_view(const struct se_mapping *m, struct se_mapping_view *v);
/* Look up @m's partition mappings into @v; free with se_mapping_view_free(). */
int se_mapping_view_parts(const struct se_mapping *m, struct se_mapping_view *v);
void se_mapping_view_free(struct se_mapping_view *v);
/* The name of counter @i ("counter_<i>" past the ones this tool knows). */
const char *se_counter_name(unsigned int i, char *buf, size_t len);

#endif
