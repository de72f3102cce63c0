// SPDX-License-Identifier: GPL-2.0
/* Block device facts from sysfs. */
#include <stdio.h>
#include <string.h>

#include "blkdev.h"

void blkdev_path_of(unsigned int major, unsigned int minor, char *buf, size_t len)
{
	char path[64], line[256];
	FILE *f;

	snprintf(buf, len, "%u:%u", major, minor);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major, minor);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "/dev/%s", line + 8);
		break;
	}
	fclose(f);
}
