// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu unmap <name|dev> [--force]: remove a sectoremu mapping, its
 * partition mappings first.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cli.h"
#include "dm/name.h"
#include "ops/partsync.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s unmap <name|/dev/mapper/name|/dev/dm-N> [--force]\n"
		"Remove a sectoremu mapping and its partition mappings.  One that is\n"
		"open is refused; with --force it is removed when its last user\n"
		"closes it.\n", prog);
}

int cmd_unmap(int argc, char **argv)
{
	struct se_mapping m;
	struct se_part *parts;
	size_t nparts;
	char name[128];
	bool force;
	int rc, users;

	rc = parse_flag_opt(argc, argv, "force", usage, &force);
	if (rc >= 0)
		return rc;
	rc = check_operands("unmap", argc - optind, argv + optind);
	if (rc >= 0)
		return rc;
	if (se_resolve_mapping(argv[optind], name, sizeof(name)) ||
	    se_find_mapping(name, &m))
		return EXIT_FAIL;
	if (se_dm_parts(m.uuid, &parts, &nparts))
		return EXIT_FAIL;
	free(parts);
	/* Each partition mapping holds the mapping open once. */
	users = m.open_count - (int)nparts;
	if (users > 0 && !force) {
		errmsg("%s is open (%d users); close it first, or --force to remove it at its last close",
		       name, users);
		return EXIT_FAIL;
	}
	/* The partition mappings go first; refused while one is open. */
	rc = partsync_remove(&m, force, &parts, &nparts);
	print_deferred(parts, nparts);
	free(parts);
	if (rc)
		return EXIT_FAIL;
	if (nparts && se_dm_get(name, &m))
		return EXIT_FAIL;
	if (se_dm_remove(name, m.open_count > 0))
		return EXIT_FAIL;
	if (m.open_count)
		printf("%s: will be removed when its last user closes it\n", name);
	return EXIT_OK;
}
