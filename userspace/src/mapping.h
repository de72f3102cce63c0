/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a sectoremu mapping's table and status lines say, in named fields,
 * shared by list and status.
 */
#ifndef SECTOREMU_MAPPING_H
#define SECTOREMU_MAPPING_H

#include <stdint.h>

#include "dm.h"
#include "json.h"

#define SE_MAX_COUNTERS 32

/* The target's counters, by their place in its status line. */
enum se_counter {
#define SE_COUNTER(e, name, desc) SE_COUNTER_##e,
#include "sectoremu-counters.h"
	SE_NR_COUNTERS
};

struct se_mapping_view {
	char backing[128];		/* /dev/... of the underlying device */
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
/*
 * The mapping as a JSON object (key @key, or NULL inside an array), with
 * a "partitions" array when @v->parts_known.
 */
void se_mapping_json(struct json *j, const char *key, const struct se_mapping *m,
		     const struct se_mapping_view *v);

#endif
