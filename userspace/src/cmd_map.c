// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu map <dev> [options]: present a device with large logical
 * blocks as one with 512-byte (or 1K, 2K) sectors through a sectoremu
 * mapping, /dev/mapper/<name>.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "dm.h"
#include "ptable/ops.h"

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
		"  --feature F          a target feature (ignore_discard); repeatable\n"
		"  --force              map a device that is in use\n"
		"  -h, --help\n", prog);
}

struct map_args {
	const char *dev, *name;
	uint64_t sector_size, offset, length;
	bool read_only, force;
	const char *features[8];
	unsigned int nr_features;
};

static int parse(int argc, char **argv, struct map_args *a)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "sector-size", required_argument, NULL, 's' },
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'l' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "feature", required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->sector_size = 512;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			a->name = optarg;
			break;
		case 's':
			if (!parse_u64(optarg, &a->sector_size) ||
			    (a->sector_size != 512 && a->sector_size != 1024 &&
			     a->sector_size != 2048)) {
				errmsg("--sector-size must be 512, 1024 or 2048, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			if (!parse_u64(optarg, &a->offset)) {
				errmsg("--offset: '%s' is not a number of sectors", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'l':
			if (!parse_u64(optarg, &a->length) || !a->length) {
				errmsg("--length: '%s' is not a positive number of sectors", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			a->read_only = true;
			break;
		case 'f':
			if (strcmp(optarg, "ignore_discard")) {
				errmsg("--feature: unknown feature '%s' (known: ignore_discard)", optarg);
				return EXIT_USAGE;
			}
			if (a->nr_features == 8) {
				errmsg("--feature: too many features");
				return EXIT_USAGE;
			}
			a->features[a->nr_features++] = optarg;
			break;
		case 'F':
			a->force = true;
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
	a->dev = argv[optind];
	if (a->name && (!*a->name || strchr(a->name, '/') || strlen(a->name) > 100)) {
		errmsg("--name: '%s' is not a usable mapping name", a->name);
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_map(int argc, char **argv)
{
	struct map_args a;
	struct se_mapping m;
	struct ptdev d;
	char name[128], params[512], devcopy[4096];
	uint64_t dev_sectors, u, len;
	struct stat st;
	unsigned int i;
	int r;

	r = parse(argc, argv, &a);
	if (r)
		return r < 0 ? EXIT_OK : r;

	if (stat(a.dev, &st)) {
		errmsg_errno("cannot access %s", a.dev);
		return EXIT_FAIL;
	}
	if (!S_ISBLK(st.st_mode)) {
		errmsg("%s is not a block device", a.dev);
		return EXIT_FAIL;
	}
	/* Refuses a device that is mounted, held or open exclusively. */
	if (ptdev_open(&d, a.dev, !a.read_only, a.force, 0))
		return EXIT_FAIL;
	dev_sectors = d.bytes / 512;
	u = d.lbs / 512;
	ptdev_close(&d);

	if (d.lbs <= 512) {
		errmsg("%s already has %u-byte logical blocks: it needs no mapping",
		       a.dev, d.lbs);
		return EXIT_FAIL;
	}
	if (a.sector_size >= d.lbs) {
		errmsg("%s has %u-byte logical blocks: %" PRIu64 "-byte sectors would change nothing",
		       a.dev, d.lbs, a.sector_size);
		return EXIT_FAIL;
	}
	if (a.offset % u) {
		errmsg("--offset %" PRIu64 " is not a multiple of the device's block (%" PRIu64 " sectors)",
		       a.offset, u);
		return EXIT_FAIL;
	}
	if (a.offset >= dev_sectors) {
		errmsg("--offset %" PRIu64 " is past the end of %s (%" PRIu64 " sectors)",
		       a.offset, a.dev, dev_sectors);
		return EXIT_FAIL;
	}
	len = a.length ? a.length : (dev_sectors - a.offset) / u * u;
	if (len % u || a.offset + len > dev_sectors) {
		errmsg("--length %" PRIu64 " must be a multiple of %" PRIu64 " sectors and end within %s (%" PRIu64 " sectors)",
		       len, u, a.dev, dev_sectors);
		return EXIT_FAIL;
	}

	snprintf(devcopy, sizeof(devcopy), "%s", a.dev);
	if (a.name)
		snprintf(name, sizeof(name), "%s", a.name);
	else
		snprintf(name, sizeof(name), "se-%.100s", basename(devcopy));
	if (se_dm_get(name, &m) != -ENOENT) {
		errmsg("a mapping named %s already exists", name);
		return EXIT_FAIL;
	}
	if (access("/sys/module/dm_sectoremu", F_OK)) {
		errmsg("the dm-sectoremu module is not loaded (modprobe dm-sectoremu)");
		return EXIT_FAIL;
	}

	r = snprintf(params, sizeof(params), "%s %" PRIu64 " %" PRIu64, a.dev,
		     a.offset, a.sector_size / 512);
	if (a.nr_features) {
		r += snprintf(params + r, sizeof(params) - r, " %" PRIu64 " %u", u,
			      a.nr_features);
		for (i = 0; i < a.nr_features; i++)
			r += snprintf(params + r, sizeof(params) - r, " %s", a.features[i]);
	}
	if (se_dm_create(name, len, params, a.read_only))
		return EXIT_FAIL;
	printf("/dev/mapper/%s\n", name);
	return EXIT_OK;
}
