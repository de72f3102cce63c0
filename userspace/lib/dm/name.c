// SPDX-License-Identifier: GPL-2.0
/* Mapping names, see name.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "base/diag.h"
#include "dm/name.h"

bool se_name_ok(const char *name)
{
	return *name && strlen(name) <= 100 && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..") &&
	       !strpbrk(name, " \t\n\"'\\");
}

int se_resolve_mapping(const char *arg, char *name, size_t len)
{
	struct stat st;

	if (!strchr(arg, '/')) {
		snprintf(name, len, "%s", arg);
		return 0;
	}
	if (stat(arg, &st)) {
		se_err_errno("cannot access %s", arg);
		return -1;
	}
	if (!S_ISBLK(st.st_mode) ||
	    se_dm_name_of(major(st.st_rdev), minor(st.st_rdev), name, len)) {
		se_err("%s is not a device-mapper device", arg);
		return -1;
	}
	return 0;
}

int se_find_mapping(const char *name, struct se_mapping *m)
{
	int r = se_dm_get(name, m);

	if (r == -ENOENT)
		se_err("no mapping named %s", name);
	else if (r == -EMEDIUMTYPE)
		se_err("%s is not a sectoremu mapping", name);
	else if (r)
		se_err("cannot read mapping %s", name);
	return r;
}
