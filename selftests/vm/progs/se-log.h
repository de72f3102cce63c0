/* SPDX-License-Identifier: GPL-2.0 */
/*
 * se-log.h: the reader of the log dm-log-writes keeps on its log device,
 * shared by se-logdump, se-replay and se-crash.  The format is the
 * kernel's (drivers/md/dm-log-writes.c): a super block at sector 0, then
 * per entry one logical block holding the entry (a mark's name follows it
 * in that block), then the entry's data, nr_sectors logical blocks (none
 * for a discard or a mark).  Sectors in the log are the device's logical
 * blocks; se_log_open() turns them into 512-byte sectors.
 */
#ifndef SE_LOG_H
#define SE_LOG_H

#include <endian.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define LOG_MAGIC	0x6a736677736872ULL
#define LOG_FLUSH	(1 << 0)
#define LOG_FUA		(1 << 1)
#define LOG_DISCARD	(1 << 2)
#define LOG_MARK	(1 << 3)
#define LOG_METADATA	(1 << 4)

struct se_log_entry {
	uint64_t sector, nr;	/* 512-byte sectors */
	uint64_t flags;		/* LOG_* */
	uint64_t data;		/* byte offset of the data in the log */
	char mark[64];		/* LOG_MARK: its name */
};

struct se_log {
	int fd;
	unsigned int ss;	/* the log's logical block size, bytes */
	uint64_t n;
	struct se_log_entry *e;
};

static inline void se_log_pread(int fd, void *buf, size_t len, uint64_t off)
{
	if (pread(fd, buf, len, off) != (ssize_t)len) {
		perror("read of the dm-log-writes log");
		exit(2);
	}
}

/* Read the whole index of the log on @path; exits with status 2 on error. */
static inline void se_log_open(struct se_log *l, const char *path)
{
	struct {
		uint64_t magic, version, nr_entries;
		uint32_t sectorsize;
	} __attribute__((packed)) s;
	struct {
		uint64_t sector, nr_sectors, flags, data_len;
	} d;
	uint64_t i, pos, len;
	unsigned int f;

	l->fd = open(path, O_RDONLY);
	if (l->fd < 0) {
		perror(path);
		exit(2);
	}
	/* Drop cached pages of an earlier log on the same device. */
	ioctl(l->fd, BLKFLSBUF, 0);
	se_log_pread(l->fd, &s, sizeof(s), 0);
	if (le64toh(s.magic) != LOG_MAGIC) {
		fprintf(stderr, "%s: no dm-log-writes log\n", path);
		exit(2);
	}
	l->ss = le32toh(s.sectorsize);
	l->n = le64toh(s.nr_entries);
	f = l->ss / 512;
	l->e = calloc(l->n + 1, sizeof(*l->e));
	if (!l->e || !f) {
		fprintf(stderr, "%s: bad log (%u-byte sectors)\n", path, l->ss);
		exit(2);
	}
	pos = l->ss;
	for (i = 0; i < l->n; i++) {
		struct se_log_entry *e = &l->e[i];

		se_log_pread(l->fd, &d, sizeof(d), pos);
		e->sector = le64toh(d.sector) * f;
		e->nr = le64toh(d.nr_sectors) * f;
		e->flags = le64toh(d.flags);
		e->data = pos + l->ss;
		if (e->flags & LOG_MARK) {
			len = le64toh(d.data_len);
			if (len >= sizeof(e->mark))
				len = sizeof(e->mark) - 1;
			se_log_pread(l->fd, e->mark, len, pos + sizeof(d));
		}
		pos += l->ss;
		if (!(e->flags & (LOG_DISCARD | LOG_MARK)))
			pos += e->nr * 512;
	}
}

/* A data entry: one with data to write (not a mark, discard or flush). */
static inline int se_log_is_data(const struct se_log_entry *e)
{
	return !(e->flags & (LOG_DISCARD | LOG_MARK)) && e->nr;
}

/* Read the data of entry @e (e->nr * 512 bytes) into @buf. */
static inline void se_log_data(const struct se_log *l, const struct se_log_entry *e, void *buf)
{
	se_log_pread(l->fd, buf, e->nr * 512, e->data);
}

/* The index of the mark named @name, or -1. */
static inline long se_log_find_mark(const struct se_log *l, const char *name)
{
	uint64_t i;

	for (i = 0; i < l->n; i++)
		if ((l->e[i].flags & LOG_MARK) && !strcmp(l->e[i].mark, name))
			return (long)i;
	return -1;
}

#endif
