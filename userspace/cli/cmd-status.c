// SPDX-License-Identifier: GPL-2.0
/* sectoremu status <name|dev> [--json]: a mapping and its counters. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "dm/name.h"
#include "dm/table.h"
#include "json.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: %s status <name|dev> [--json]\n"
		"Show a sectoremu mapping and the target's counters.\n", prog);
}

int cmd_status(int argc, char **argv)
{
	struct se_mapping_view v;
	struct se_mapping m;
	char name[128], buf[32];
	bool json;
	struct json j;
	unsigned int i;
	int rc;

	rc = parse_flag_opt(argc, argv, "json", usage, &json);
	if (rc >= 0)
		return rc;
	rc = check_operands("status", argc - optind, argv + optind);
	if (rc >= 0)
		return rc;
	if (se_resolve_mapping(argv[optind], name, sizeof(name)) ||
	    se_find_mapping(name, &m))
		return EXIT_FAIL;
	if (se_mapping_view(&m, &v)) {
		errmsg("%s: cannot parse its table or status", name);
		return EXIT_FAIL;
	}
	se_mapping_view_parts(&m, &v);
	if (json) {
		json_init(&j, stdout);
		se_mapping_json(&j, NULL, &m, &v);
		json_finish(&j);
		se_mapping_view_free(&v);
		return EXIT_OK;
	}
	printf("%s: /dev/mapper/%s on %s, offset %" PRIu64 ", %u-byte sectors, %" PRIu64 " bytes, %s%s, open %d\n",
	       name, name, v.backing, v.offset, v.sector_size, m.length * 512,
	       m.suspended ? "suspended" : "active", m.read_only ? ", read-only" : "",
	       m.open_count);
	for (i = 0; i < v.nr_counters; i++)
		printf("  %-20s %" PRIu64 "\n", se_counter_name(i, buf, sizeof(buf)),
		       v.counters[i]);
	for (i = 0; i < v.nr_parts; i++)
		printf("  partition %u: /dev/mapper/%s, sector %" PRIu64 ", %" PRIu64 " bytes, open %d\n",
		       v.parts[i].number, v.parts[i].name, v.parts[i].start,
		       v.parts[i].length * 512, v.parts[i].open_count);
	se_mapping_view_free(&v);
	return EXIT_OK;
}
