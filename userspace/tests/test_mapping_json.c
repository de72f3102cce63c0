// SPDX-License-Identifier: GPL-2.0
/*
 * What list and status print with --json: a mapping's table and status
 * lines parsed into named fields, and the object they become, byte for
 * byte.
 */
#include <stdlib.h>
#include <string.h>

#include "dm/table.h"
#include "json.h"
#include "tap.h"

static char *render(const struct se_mapping *m, const struct se_mapping_view *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	se_mapping_json(&j, NULL, m, v);
	json_finish(&j);
	fclose(f);
	return buf;
}

int main(void)
{
	struct se_mapping m = {
		.name = "vm1",
		.length = 65536,
		/* A device number no host has, so the backing stays M:m. */
		.params = "4095:4095 8 2 8 1 ignore_discard",
		.status = "11 1 2 3 4 5 6 7 8 9 10 11",
		.open_count = 2,
		.read_only = true,
	};
	struct se_mapping_view v;
	char *s;

	tap_ok(!se_mapping_view(&m, &v), "table and status parsed");
	tap_ok(!strcmp(v.backing, "4095:4095") && v.offset == 8 && v.sector_size == 1024 &&
	       v.block_size == 4096 && v.nr_counters == 11 && v.counters[0] == 1 &&
	       v.counters[10] == 11, "fields: backing, offset, sizes, counters");
	s = render(&m, &v);
	tap_ok(!strcmp(s, "{\"name\":\"vm1\",\"device\":\"/dev/mapper/vm1\",\"backing\":\"4095:4095\","
			  "\"offset_sectors\":8,\"size_bytes\":33554432,\"sector_size\":1024,"
			  "\"underlying_block_size\":4096,\"state\":\"active\",\"read_only\":true,"
			  "\"open_count\":2,\"counters\":{\"passthrough_reads\":1,"
			  "\"passthrough_writes\":2,\"partial_reads\":3,\"partial_writes\":4,"
			  "\"partial_discards\":5,\"rmw_block_reads\":6,\"rmw_block_writes\":7,"
			  "\"lock_waits\":8,\"errors\":9,\"bounced\":10,\"cache_hits\":11}}\n"),
	       "the JSON object, exactly");
	if (tap_failed)
		tap_diag("got: %s", s);
	free(s);

	/* The short table form, a newer module with one more counter. */
	snprintf(m.params, sizeof(m.params), "4095:4095 0 1");
	snprintf(m.status, sizeof(m.status), "12 0 0 0 0 0 0 0 0 0 0 0 42");
	m.suspended = true;
	tap_ok(!se_mapping_view(&m, &v) && v.block_size == 0 && v.nr_counters == 12 &&
	       v.counters[11] == 42, "short table, an unknown twelfth counter");
	s = render(&m, &v);
	tap_ok(strstr(s, "\"sector_size\":512,\"state\":\"suspended\"") &&
	       !strstr(s, "underlying_block_size") && strstr(s, "\"counter_11\":42}}"),
	       "no underlying_block_size; the unknown counter is counter_11");
	free(s);

	snprintf(m.params, sizeof(m.params), "garbage");
	tap_ok(se_mapping_view(&m, &v) != 0, "a table it does not understand is refused");
	snprintf(m.params, sizeof(m.params), "4095:4095 0 1");
	snprintf(m.status, sizeof(m.status), "3 1 x");
	tap_ok(se_mapping_view(&m, &v) != 0, "a status line it does not understand is refused");
	tap_plan_done();
	return tap_exit();
}
