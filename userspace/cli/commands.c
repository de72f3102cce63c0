// SPDX-License-Identifier: GPL-2.0
/* The command table: each verb, its summary and its operand counts. */
#include <stddef.h>
#include <string.h>

#include "cli.h"

/* name, run, summary, operands (min, max; -1: any), what is missing. */
const struct command cli_commands[] = {
	{ "map", cmd_map, "map a 4Kn device as one with 512-byte sectors",
	  1, 1, "which device?" },
	{ "unmap", cmd_unmap, "remove a sectoremu mapping",
	  1, 1, "which mapping?" },
	{ "partitions", cmd_partitions, "map, remap or remove the partitions of a mapping",
	  2, 2, "which action (add, remove, rescan) and mapping?" },
	{ "list", cmd_list, "list the sectoremu mappings", 0, 0, "" },
	{ "status", cmd_status, "a mapping and the target's counters",
	  1, 1, "which mapping?" },
	{ "apply", cmd_apply, "create the mappings of /etc/sectoremutab", 0, -1, "" },
	{ "doctor", cmd_doctor, "check this host: disks, LBA formats, module, mappings, QEMU",
	  0, -1, "" },
	{ "version", cmd_version, "print the version", 0, 0, "" },
	{ "ptable", cmd_ptable, "inspect, fix and convert partition tables across sector sizes",
	  2, 2, "which subcommand (inspect, fix, convert, restore) and device or image file?" },
	{ "qemu-mem", cmd_qemu_mem, "QEMU memory hotplug limits from phys-bits", 0, 0, "" },
	{ "qemu-aio", cmd_qemu_aio, "which QEMU AIO modes work here (Kata block_device_aio)",
	  0, 0, "" },
};

const size_t cli_nr_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct command *cli_find_command(const char *name)
{
	for (size_t i = 0; i < cli_nr_commands; i++)
		if (!strcmp(cli_commands[i].name, name))
			return &cli_commands[i];
	return NULL;
}
