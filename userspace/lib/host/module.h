/* SPDX-License-Identifier: GPL-2.0 */
/* Whether the dm-sectoremu module is loaded, its version, installed. */
#ifndef SECTOREMU_MODULE_INFO_H
#define SECTOREMU_MODULE_INFO_H

#include <stdbool.h>

struct module_info {
	bool loaded;
	char version[64];		/* of the loaded module, "" if unknown */
	bool installed;			/* in modules.dep of the running kernel */
	char kernel[128];		/* uname -r */
};

void module_info_read(struct module_info *m);

#endif
