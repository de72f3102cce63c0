// SPDX-License-Identifier: GPL-2.0
/* sectoremu version */
#include <stdio.h>

#include "cli.h"

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("sectoremu %s\n", SECTOREMU_VERSION);
	return EXIT_OK;
}
