// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu partitions add|remove|rescan <name|dev> [--force]: the
 * partition mappings of a sectoremu mapping, one dm-linear mapping per
 * partition of its table, /dev/mapper/<name>p<N>.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dm/name.h"
#include "ops/partsync.h"

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

void print_partsync(const struct partmap_plan *p, int mode, bool ok)
{
	const struct partmap_action *a;
	size_t i;

	for (i = 0; i < p->n; i++) {
		a = &p->actions[i];
		if (!a->done)
			continue;
		if (a->op == PARTMAP_REMOVE)
			printf("%s: removed (partition %u is gone)\n", a->name, a->number);
		else if (a->op == PARTMAP_RELOAD)
			printf("%s: now sectors %" PRIu64 "+%" PRIu64 " (was %" PRIu64 "+%" PRIu64 ")\n",
			       a->name, a->start, a->length, a->old_start, a->old_length);
	}
	for (i = 0; ok && i < p->n; i++) {
		a = &p->actions[i];
		if (a->op != PARTMAP_ADD)
			continue;
		if (mode == PARTSYNC_ADD)
			printf("/dev/mapper/%s\n", a->name);
		else
			printf("%s: added (partition %u)\n", a->name, a->number);
	}
}

void print_deferred(const struct se_part *gone, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (gone[i].open_count)
			printf("%s: will be removed when its last user closes it\n",
			       gone[i].name);
}

static int sync_parts(const char *name, enum partsync_mode mode)
{
	struct partmap_plan done;
	int rc = partsync(name, mode, &done);

	print_partsync(&done, mode, !rc);
	partmap_plan_free(&done);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_partitions(int argc, char **argv)
{
	struct se_mapping m;
	struct se_part *gone;
	const char *action;
	char name[128];
	size_t n;
	bool force;
	int rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2)
		return check_operands("partitions", 0, argv + 1);
	if (strcmp(argv[1], "add") && strcmp(argv[1], "remove") &&
	    strcmp(argv[1], "rescan"))
		return usage_error("partitions: unknown action '%s'", argv[1]);
	action = argv[1];
	rc = parse_flag_opt(argc - 1, argv + 1, "force", usage, &force);
	if (rc >= 0)
		return rc;
	/*
	 * The action is the first operand and argv[1] what parse_flag_opt()
	 * counted from: the others are argv[optind + 1...], so argv + optind
	 * lines up with the action's place.
	 */
	rc = check_operands("partitions", argc - optind, argv + optind);
	if (rc >= 0)
		return rc;
	if (force && strcmp(action, "remove"))
		return usage_error("partitions %s: --force is for remove only", action);
	if (se_resolve_mapping(argv[optind + 1], name, sizeof(name)))
		return EXIT_FAIL;
	if (!strcmp(action, "add"))
		return sync_parts(name, PARTSYNC_ADD);
	if (!strcmp(action, "rescan"))
		return sync_parts(name, PARTSYNC_RESCAN);
	if (se_find_mapping(name, &m))
		return EXIT_FAIL;
	rc = partsync_remove(&m, force, &gone, &n);
	print_deferred(gone, n);
	free(gone);
	if (rc)
		return EXIT_FAIL;
	if (!n)
		printf("%s: no partition mappings\n", name);
	return EXIT_OK;
}
