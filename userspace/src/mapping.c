// SPDX-License-Identifier: GPL-2.0
/* A sectoremu mapping's table and status lines, in named fields. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "mapping.h"

/* The target's counters, in the order of its status line. */
static const char *const counter_names[] = {
#define SE_COUNTER(e, name, desc) [SE_COUNTER_##e] = #name,
#include "sectoremu-counters.h"
};

const char *se_counter_name(unsigned int i, char *buf, size_t len)
{
	if (i < sizeof(counter_names) / sizeof(counter_names[0]))
		return counter_names[i];
	snprintf(buf, len, "counter_%u", i);
	return buf;
}

int se_mapping_view(const struct se_mapping *m, struct se_mapping_view *v)
{
	unsigned int ma, mi, e, u = 0, i;
	unsigned long long off;
	const char *p;
	char *end;
	int n;

	memset(v, 0, sizeof(*v));
	/* Table: <M:m> <offset> <emulated> [<underlying> [<#f> <f>...]] */
	n = sscanf(m->params, "%u:%u %llu %u %u", &ma, &mi, &off, &e, &u);
	if (n < 4)
		return -EINVAL;
	blkdev_path_of(ma, mi, v->backing, sizeof(v->backing));
	v->offset = off;
	v->sector_size = e * 512;
	v->block_size = n == 5 ? u * 512 : 0;

	/* Status: <n> <counter>... */
	p = m->status;
	v->nr_counters = (unsigned int)strtoul(p, &end, 10);
	if (end == p)
		return -EINVAL;
	if (v->nr_counters > SE_MAX_COUNTERS)
		v->nr_counters = SE_MAX_COUNTERS;
	for (i = 0; i < v->nr_counters; i++) {
		p = end;
		v->counters[i] = strtoull(p, &end, 10);
		if (end == p)
			return -EINVAL;
	}
	return 0;
}

int se_mapping_view_parts(const struct se_mapping *m, struct se_mapping_view *v)
{
	if (se_dm_parts(m->uuid, &v->parts, &v->nr_parts))
		return -1;
	v->parts_known = true;
	return 0;
}

void se_mapping_view_free(struct se_mapping_view *v)
{
	free(v->parts);
	v->parts = NULL;
	v->nr_parts = 0;
	v->parts_known = false;
}

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
		json_u64(j, "open_count", (uint64_t)p->open_count);
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
	json_u64(j, "open_count", (uint64_t)m->open_count);
	json_object_begin(j, "counters");
	for (i = 0; i < v->nr_counters; i++)
		json_u64(j, se_counter_name(i, buf, sizeof(buf)), v->counters[i]);
	json_object_end(j);
	if (v->parts_known)
		parts_json(j, v);
	json_object_end(j);
}
