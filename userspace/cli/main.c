// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu: manage 512-byte sector emulation on 4Kn block devices and
 * check a virtualisation host for the problems around it.
 *
 * This file only dispatches; the command table is in commands.c and
 * each command lives in cmd-<name>.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"


static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: %s <command> [options]\n\nCommands:\n", prog);
	for (i = 0; i < cli_nr_commands; i++)
		fprintf(out, "  %-12s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(out, "\nRun '%s <command> --help' for a command's options.\n", prog);
}

int main(int argc, char **argv)
{
	static char verb[64];
	size_t i;

	cli_sink_install();
	if (argc < 2)
		return usage_error("which command?");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv + 1);

	for (i = 0; i < cli_nr_commands; i++) {
		if (strcmp(argv[1], cli_commands[i].name))
			continue;
		/* getopt_long()'s messages start with "sectoremu <name>:". */
		snprintf(verb, sizeof(verb), "%s %s", prog, cli_commands[i].name);
		argv[1] = verb;
		cli_command = &cli_commands[i];
		return cli_commands[i].run(argc - 1, argv + 1);
	}
	return usage_error("unknown command '%s'", argv[1]);
}
