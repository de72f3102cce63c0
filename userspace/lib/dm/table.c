// SPDX-License-Identifier: GPL-2.0
/* The table and status lines: build, parse, view; see table.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/table.h"
#include "host/blkdev.h"

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

unsigned int se_table_feature(const char *name)
{
	return strcmp(name, "ignore_discard") ? 0 : SE_TABLE_F_IGNORE_DISCARD;
}

int se_table_build(const struct se_table *t, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%u:%u %" PRIu64 " %u", t->major, t->minor,
		     t->offset, t->emulated);
	if (n >= 0 && (size_t)n < len && t->underlying)
		n += snprintf(buf + n, len - (size_t)n, " %u", t->underlying);
	if (n >= 0 && (size_t)n < len && t->underlying &&
	    (t->features & SE_TABLE_F_IGNORE_DISCARD))
		n += snprintf(buf + n, len - (size_t)n, " 1 ignore_discard");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int se_table_parse(const char *params, struct se_table *t)
{
	unsigned long long off;
	unsigned int nf, i;
	char word[64];
	int n, used;

	memset(t, 0, sizeof(*t));
	n = sscanf(params, "%u:%u %llu %u %u%n", &t->major, &t->minor, &off,
		   &t->emulated, &t->underlying, &used);
	if (n < 4)
		return -EINVAL;
	t->offset = off;
	if (n < 5)
		return 0;
	params += used;
	if (sscanf(params, "%u%n", &nf, &used) != 1)
		return 0;
	params += used;
	for (i = 0; i < nf && sscanf(params, "%63s%n", word, &used) == 1; i++) {
		t->features |= se_table_feature(word);
		params += used;
	}
	return 0;
}

int se_mapping_view(const struct se_mapping *m, struct se_mapping_view *v)
{
	unsigned int i;
	const char *p;
	char *end;

	memset(v, 0, sizeof(*v));
	if (se_table_parse(m->params, &v->table))
		return -EINVAL;
	blkdev_path_of(v->table.major, v->table.minor, v->backing,
		       sizeof(v->backing));
	v->offset = v->table.offset;
	v->sector_size = v->table.emulated * 512;
	v->block_size = v->table.underlying * 512;

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
