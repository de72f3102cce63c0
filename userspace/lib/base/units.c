// SPDX-License-Identifier: GPL-2.0
/* Sizes for people, see units.h. */
#include <stdio.h>

#include "base/units.h"

void size_human(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	int i;

	for (i = 5; i >= 0; i--) {
		uint64_t scale = 1ULL << (10 * (i + 1));

		if (bytes < scale)
			continue;
		if (bytes % scale == 0)
			snprintf(buf, len, "%llu %s",
				 (unsigned long long)(bytes / scale), units[i]);
		else
			snprintf(buf, len, "%.2f %s", (double)bytes / scale,
				 units[i]);
		return;
	}
	snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
}
