// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu partitions add|remove|rescan <name|dev> [--force]: the
 * partition mappings of a sectoremu mapping, one dm-linear mapping per
 * partition of its table, /dev/mapper/<name>p<N>.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dm.h"
#include "partsync.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s partitions add|remove|rescan <name|dev> [--force]\n"
		"The partition mappings of a sectoremu mapping, /dev/mapper/<name>pN,\n"
		"N as the kernel numbers partitions (5 and up: logical ones).\n\n"
		"  add      map the partitions of its table that have no mapping yet\n"
		"  remove   remove its partition mappings; --force: open ones at\n"
		"           their last close\n"
		"  rescan   bring them in line with the table: add new ones, remove\n"
		"           gone ones, resize changed ones (never an open one that\n"
		"           would shrink, move or go)\n", prog);
}

int cmd_partitions(int argc, char **argv)
{
	struct se_mapping m;
	const char *action;
	char name[128];
	size_t n;
	bool force;
	int rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "remove") &&
			 strcmp(argv[1], "rescan"))) {
		if (argc >= 2)
			errmsg("partitions: unknown action '%s'", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	action = argv[1];
	rc = parse_flag_opt(argc - 1, argv + 1, "force", usage, &force);
	if (rc >= 0)
		return rc;
	/* parse_flag_opt() counted from argv + 1. */
	if (optind + 1 != argc - 1) {
		errmsg("partitions %s: which mapping?", action);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (force && strcmp(action, "remove")) {
		errmsg("partitions %s: --force is for remove only", action);
		return EXIT_USAGE;
	}
	if (se_resolve_mapping(argv[optind + 1], name, sizeof(name)))
		return EXIT_FAIL;
	if (!strcmp(action, "add"))
		return partsync(name, PARTSYNC_ADD, stdout) ? EXIT_FAIL : EXIT_OK;
	if (!strcmp(action, "rescan"))
		return partsync(name, PARTSYNC_RESCAN, stdout) ? EXIT_FAIL : EXIT_OK;
	if (se_find_mapping(name, &m) || partsync_remove(&m, force, stdout, &n))
		return EXIT_FAIL;
	if (!n)
		printf("%s: no partition mappings\n", name);
	return EXIT_OK;
}
