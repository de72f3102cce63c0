// SPDX-License-Identifier: GPL-2.0
/* sectoremu version */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_version(int argc, char **argv)
{
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: %s version\nPrint the version.\n", prog);
		return EXIT_OK;
	}
	rc = check_operands("version", argc - 1, argv + 1);
	if (rc >= 0)
		return rc;
	printf("sectoremu %s\n", SECTOREMU_VERSION);
	return EXIT_OK;
}
