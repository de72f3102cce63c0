// SPDX-License-Identifier: GPL-2.0
/* sectoremu list [--json]: every sectoremu mapping. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mapping.h"

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct se_mapping_view v;
	struct se_mapping *maps;
	bool json = false;
	struct json j;
	size_t n, i;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j') {
			json = true;
		} else if (c == 'h') {
			printf("Usage: %s list [--json]\nList the sectoremu mappings.\n", prog);
			return EXIT_OK;
		} else {
			fprintf(stderr, "Usage: %s list [--json]\n", prog);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		errmsg("list takes no arguments");
		return EXIT_USAGE;
	}
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
		if (json) {
			se_mapping_json(&j, NULL, &maps[i], &v);
			continue;
		}
		printf("%-16s %-14s %8" PRIu64 " %6u %14" PRIu64 " %-9s %d\n",
		       maps[i].name, v.backing, v.offset, v.sector_size,
		       maps[i].length * 512,
		       maps[i].suspended ? "suspended" : "active",
		       maps[i].open_count);
	}
	if (json) {
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	}
	free(maps);
	return EXIT_OK;
}
