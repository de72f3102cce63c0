// SPDX-License-Identifier: GPL-2.0
/*
 * se-logdump: print the writes dm-log-writes recorded on its log device,
 * one line each: "<sector> <sectors> <flags>", sectors in 512-byte units,
 * flags any of FLUSH FUA DISCARD MARK METADATA (or "-").  The log is read
 * by se-log.h.
 */
#include <inttypes.h>

#include "se-log.h"

int main(int argc, char **argv)
{
	struct se_log l;
	uint64_t i, flags;

	if (argc != 2) {
		fprintf(stderr, "usage: se-logdump <log device>\n");
		return 2;
	}
	se_log_open(&l, argv[1]);
	for (i = 0; i < l.n; i++) {
		flags = l.e[i].flags;
		printf("%" PRIu64 " %" PRIu64 " %s%s%s%s%s%s\n", l.e[i].sector, l.e[i].nr,
		       flags & LOG_FLUSH ? "FLUSH " : "", flags & LOG_FUA ? "FUA " : "",
		       flags & LOG_DISCARD ? "DISCARD " : "", flags & LOG_MARK ? "MARK " : "",
		       flags & LOG_METADATA ? "METADATA " : "", flags ? "" : "-");
	}
	return 0;
}
