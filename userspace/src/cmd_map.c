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
#include "map.h"

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
	unsigned int bit;
	int c;

	map_req_init(r);
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			r->name = optarg;
			if (!map_name_ok(optarg)) {
				errmsg("--name: '%s' is not a usable mapping name", optarg);
				return EXIT_USAGE;
			}
			break;
		case 's':
			if (!parse_u64(optarg, &r->sector_size) ||
			    !map_sector_size_ok(r->sector_size)) {
				errmsg("--sector-size must be 512, 1024 or 2048, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			if (!parse_u64(optarg, &r->offset)) {
				errmsg("--offset: '%s' is not a number of sectors", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'l':
			if (!parse_u64(optarg, &r->length) || !r->length) {
				errmsg("--length: '%s' is not a positive number of sectors", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			r->read_only = true;
			break;
		case 'f':
			bit = map_feature_bit(optarg);
			if (!bit) {
				errmsg("--feature: unknown feature '%s' (known: ignore_discard)", optarg);
				return EXIT_USAGE;
			}
			r->features |= bit;
			break;
		case 'F':
			r->force = true;
			break;
		case 'P':
			r->partitions = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		errmsg(optind == argc ? "map: which device?" : "map: one device only");
		usage(stderr);
		return EXIT_USAGE;
	}
	r->dev = argv[optind];
	return 0;
}

int cmd_map(int argc, char **argv)
{
	struct map_plan p;
	struct map_req r;
	char *parts = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	rc = map_parse_args(argc, argv, &r);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (map_lock() || map_plan(&r, &p))
		return EXIT_FAIL;
	/* The partitions' paths follow the mapping's, once all exist. */
	out = open_memstream(&parts, &len);
	if (!out) {
		errmsg_errno("cannot map %s", r.dev);
		return EXIT_FAIL;
	}
	rc = map_create(&p, r.read_only, r.partitions, out);
	fclose(out);
	if (!rc)
		printf("/dev/mapper/%s\n%s", p.name, parts);
	free(parts);
	return rc ? EXIT_FAIL : EXIT_OK;
}
