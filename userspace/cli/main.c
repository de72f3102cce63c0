// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu: manage 512-byte sector emulation on 4Kn block devices and
 * check a virtualisation host for the problems around it.
 *
 * This file only dispatches; each command lives in cmd_<name>.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command commands[] = {
	{ "map", cmd_map, "map a 4Kn device as one with 512-byte sectors" },
	{ "unmap", cmd_unmap, "remove a sectoremu mapping" },
	{ "partitions", cmd_partitions, "map, remap or remove the partitions of a mapping" },
	{ "list", cmd_list, "list the sectoremu mappings" },
	{ "status", cmd_status, "a mapping and the target's counters" },
	{ "apply", cmd_apply, "create the mappings of /etc/sectoremutab" },
	{ "doctor", cmd_doctor, "check this host: disks, LBA formats, module, mappings, QEMU" },
	{ "version", cmd_version, "print the version" },
	{ "ptable", cmd_ptable, "inspect, fix and convert partition tables across sector sizes" },
	{ "qemu-mem", cmd_qemu_mem, "QEMU memory hotplug limits from phys-bits" },
	{ "qemu-aio", cmd_qemu_aio, "which QEMU AIO modes work here (Kata block_device_aio)" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: %s <command> [options]\n\nCommands:\n", prog);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun '%s <command> --help' for a command's options.\n", prog);
}

int main(int argc, char **argv)
{
	size_t i;

	cli_sink_install();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv + 1);

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);

	errmsg("unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
