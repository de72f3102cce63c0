// SPDX-License-Identifier: GPL-2.0
/* A sectoremu mapping as JSON, for list, status and doctor. */
#include <stdio.h>

#include "dm/table.h"
#include "json.h"

/* "name" and "device" (/dev/mapper/<name>). */
static void json_name(struct json *j, const char *name)
{
	char dev[160];

	json_string(j, "name", name);
	snprintf(dev, sizeof(dev), "/dev/mapper/%s", name);
	json_string(j, "device", dev);
}

static void parts_json(struct json *j, const struct se_mapping_view *v)
{
	const struct se_part *p;
	size_t i;

	json_array_begin(j, "partitions");
	for (i = 0; i < v->nr_parts; i++) {
		p = &v->parts[i];
		json_object_begin(j, NULL);
		json_name(j, p->name);
		json_u64(j, "number", p->number);
		json_u64(j, "start_sectors", p->start);
		json_u64(j, "size_bytes", p->length * 512);
		json_bool(j, "read_only", p->read_only);
		json_i64(j, "open_count", p->open_count);
		json_object_end(j);
	}
	json_array_end(j);
}

void se_mapping_json(struct json *j, const char *key, const struct se_mapping *m,
		     const struct se_mapping_view *v)
{
	char buf[32];
	unsigned int i;

	json_object_begin(j, key);
	json_name(j, m->name);
	json_string(j, "backing", v->backing);
	json_u64(j, "offset_sectors", v->offset);
	json_u64(j, "size_bytes", m->length * 512);
	json_u64(j, "sector_size", v->sector_size);
	if (v->block_size)
		json_u64(j, "underlying_block_size", v->block_size);
	json_string(j, "state", m->suspended ? "suspended" : "active");
	json_bool(j, "read_only", m->read_only);
	json_i64(j, "open_count", m->open_count);
	json_object_begin(j, "counters");
	for (i = 0; i < v->nr_counters; i++)
		json_u64(j, se_counter_name(i, buf, sizeof(buf)), v->counters[i]);
	json_object_end(j);
	if (v->parts_known)
		parts_json(j, v);
	json_object_end(j);
}
