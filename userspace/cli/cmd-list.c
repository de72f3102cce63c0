// SPDX-License-Identifier: GPL-2.0
/* sectoremu list [--json]: every sectoremu mapping. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dm/table.h"
#include "json.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: %s list [--json]\nList the sectoremu mappings, each with its partition mappings.\n", prog);
}

int cmd_list(int argc, char **argv)
{
	struct se_mapping_view v;
	struct se_mapping *maps;
	bool json;
	struct json j;
	size_t n, i, k;
	int rc;

	rc = parse_flag_opt(argc, argv, "json", usage, &json);
	if (rc >= 0)
		return rc;
	rc = check_operands("list", argc - optind, argv + optind);
	if (rc >= 0)
		return rc;
	if (se_dm_list(&maps, &n))
		return EXIT_FAIL;

	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_array_begin(&j, "mappings");
	} else if (n) {
		printf("%-16s %-14s %8s %6s %14s %-9s %s\n", "NAME", "BACKING",
		       "OFFSET", "SECTOR", "SIZE", "STATE", "OPEN");
	}
	for (i = 0; i < n; i++) {
		if (se_mapping_view(&maps[i], &v)) {
			errmsg("%s: cannot parse its table or status", maps[i].name);
			continue;
		}
		se_mapping_view_parts(&maps[i], &v);
		if (json) {
			se_mapping_json(&j, NULL, &maps[i], &v);
			se_mapping_view_free(&v);
			continue;
		}
		printf("%-16s %-14s %8" PRIu64 " %6u %14" PRIu64 " %-9s %d\n",
		       maps[i].name, v.backing, v.offset, v.sector_size,
		       maps[i].length * 512,
		       maps[i].suspended ? "suspended" : "active",
		       maps[i].open_count);
		/* Its partition mappings under it: start sector on it. */
		for (k = 0; k < v.nr_parts; k++)
			printf("  %-14s %-14s %8" PRIu64 " %6u %14" PRIu64 " %-9s %d\n",
			       v.parts[k].name, maps[i].name, v.parts[k].start,
			       v.sector_size, v.parts[k].length * 512,
			       "partition", v.parts[k].open_count);
		se_mapping_view_free(&v);
	}
	if (json) {
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	}
	free(maps);
	return EXIT_OK;
}
