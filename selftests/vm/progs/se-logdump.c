// SPDX-License-Identifier: GPL-2.0
/*
 * se-logdump: print the writes dm-log-writes recorded on its log device,
 * one line each: "<sector> <sectors> <flags>", sectors in 512-byte units,
 * flags any of FLUSH FUA DISCARD MARK METADATA (or "-").  The log format
 * is the kernel's (drivers/md/dm-log-writes.c): a super block at sector 0,
 * then per entry one logical block holding the entry, followed by its data.
 */
#include <endian.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define LOG_MAGIC	0x6a736677736872ULL
#define LOG_FLUSH	(1 << 0)
#define LOG_FUA		(1 << 1)
#define LOG_DISCARD	(1 << 2)
#define LOG_MARK	(1 << 3)
#define LOG_METADATA	(1 << 4)

struct super {
	uint64_t magic, version, nr_entries;
	uint32_t sectorsize;
} __attribute__((packed));

struct entry {
	uint64_t sector, nr_sectors, flags, data_len;
};

static void rd(int fd, void *buf, size_t len, uint64_t off)
{
	if (pread(fd, buf, len, off) != (ssize_t)len) {
		perror("se-logdump: read");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct super s;
	struct entry e;
	uint64_t i, pos, ss, sector, nr, flags;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: se-logdump <log device>\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	rd(fd, &s, sizeof(s), 0);
	if (le64toh(s.magic) != LOG_MAGIC) {
		fprintf(stderr, "se-logdump: %s: no dm-log-writes log\n", argv[1]);
		return 1;
	}
	ss = le32toh(s.sectorsize);
	pos = ss;
	for (i = 0; i < le64toh(s.nr_entries); i++) {
		rd(fd, &e, sizeof(e), pos);
		sector = le64toh(e.sector) * (ss / 512);
		nr = le64toh(e.nr_sectors) * (ss / 512);
		flags = le64toh(e.flags);
		printf("%" PRIu64 " %" PRIu64 " %s%s%s%s%s%s\n", sector, nr,
		       flags & LOG_FLUSH ? "FLUSH " : "", flags & LOG_FUA ? "FUA " : "",
		       flags & LOG_DISCARD ? "DISCARD " : "", flags & LOG_MARK ? "MARK " : "",
		       flags & LOG_METADATA ? "METADATA " : "", flags ? "" : "-");
		pos += ss;
		if (!(flags & LOG_DISCARD))
			pos += le64toh(e.nr_sectors) * ss;
	}
	return 0;
}
