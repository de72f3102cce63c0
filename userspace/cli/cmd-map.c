// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu map <dev> [options]: present a device with large logical
 * blocks as one with 512-byte (or 1K, 2K) sectors through a sectoremu
 * mapping, /dev/mapper/<name>, and with --partitions one dm-linear
 * mapping per partition of its table, /dev/mapper/<name>p<N>.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dm/name.h"
#include "ops/map.h"
#include "ops/partsync.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s map <dev> [options]\n"
		"Create a sectoremu mapping of <dev> and print its path.\n\n"
		"  --name NAME          mapping name (default se-<device name>)\n"
		"  --sector-size N      emulated sector size: 512 (default), 1024, 2048\n"
		"  --offset SECTORS     start on <dev>, 512-byte sectors (default 0)\n"
		"  --length SECTORS     length, 512-byte sectors (default: to the end)\n"
		"  --read-only          a read-only mapping\n"
		"  --feature F          a target feature (ignore_discard)\n"
		"  --partitions         also map each partition of its table (<name>pN)\n"
		"  --force              map a device that is in use\n"
		"  -h, --help\n", prog);
}

/* The option letters of getopt_long() below, as map options. */
static const struct {
	int c;
	enum map_opt opt;
} letters[] = {
	{ 's', MAP_OPT_SECTOR_SIZE }, { 'o', MAP_OPT_OFFSET },
	{ 'l', MAP_OPT_LENGTH }, { 'r', MAP_OPT_READ_ONLY },
	{ 'f', MAP_OPT_FEATURE }, { 'F', MAP_OPT_FORCE },
	{ 'P', MAP_OPT_PARTITIONS },
};

/* One option through the check sectoremutab uses too; -1 after a message. */
static int set_opt(struct map_req *r, int c, const char *val)
{
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++) {
		if (letters[i].c != c)
			continue;
		if (!map_opt_set(r, letters[i].opt, val, why, sizeof(why)))
			return 0;
		/* "--offset: ...", "--sector-size must be ...". */
		errmsg("--%s%s", letters[i].opt == MAP_OPT_FEATURE ? "feature: " : "", why);
		return -1;
	}
	return -1;
}

int map_parse_args(int argc, char **argv, struct map_req *r)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "sector-size", required_argument, NULL, 's' },
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'l' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "feature", required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },
		{ "partitions", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	map_req_init(r);
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			r->name = optarg;
			if (!se_name_ok(optarg)) {
				return usage_error("--name: '%s' is not a usable mapping name",
						   optarg);
			}
			break;
		case 's':
		case 'o':
		case 'l':
		case 'r':
		case 'f':
		case 'F':
		case 'P':
			if (set_opt(r, c, optarg))
				return errtryhelp();
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			/* getopt_long() said what is wrong. */
			return errtryhelp();
		}
	}
	c = check_operands("map", argc - optind, argv + optind);
	if (c >= 0)
		return c;
	r->dev = argv[optind];
	return 0;
}

int cmd_map(int argc, char **argv)
{
	struct partmap_plan parts;
	struct map_plan p;
	struct map_req r;
	int rc;

	rc = map_parse_args(argc, argv, &r);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (map_lock() || map_plan(&r, &p))
		return EXIT_FAIL;
	rc = map_create(&p, r.read_only, r.partitions, &parts);
	/* The partitions' paths follow the mapping's, once all exist. */
	if (!rc) {
		printf("/dev/mapper/%s\n", p.name);
		print_partsync(&parts, PARTSYNC_ADD, true);
	}
	partmap_plan_free(&parts);
	return rc ? EXIT_FAIL : EXIT_OK;
}
