// SPDX-License-Identifier: GPL-2.0
/* Whether the dm-sectoremu module is loaded, its version, installed. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host/module.h"

#define SYS_MODULE "/sys/module/dm_sectoremu"

void module_info_read(struct module_info *m)
{
	char path[512], line[1024];
	struct utsname u;
	FILE *f;

	memset(m, 0, sizeof(*m));
	m->loaded = !access(SYS_MODULE, F_OK);
	f = fopen(SYS_MODULE "/version", "r");
	if (f) {
		if (fgets(m->version, sizeof(m->version), f))
			m->version[strcspn(m->version, "\n")] = '\0';
		fclose(f);
	}
	if (uname(&u))
		return;
	snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	f = fopen(path, "r");
	if (!f)
		return;
	/* "updates/dkms/dm-sectoremu.ko.xz: dm-bufio..." */
	while (!m->installed && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *base;

		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		m->installed = !strncmp(base, "dm-sectoremu.ko", 15);
	}
	fclose(f);
}
