// SPDX-License-Identifier: GPL-2.0
/*
 * Backup files: the old contents of every sector a plan changes, taken
 * before the first write, and put back by `ptable restore`.
 *
 * Layout, all integers little-endian:
 *
 *	header (32 bytes)
 *	   0  magic "SEMUPTBK"
 *	   8  u32 format version (1)
 *	  12  u32 bytes per record (the plan's sector size)
 *	  16  u64 size of the device in bytes
 *	  24  u32 number of records
 *	  28  u32 CRC32 of bytes 0-27
 *	records, in the order they were written
 *	   0  u64 byte offset on the device
 *	   8  u32 write stage
 *	  12  u32 CRC32 of the saved (old) contents
 *	  16  u32 CRC32 of the contents that were written over them
 *	  20  u32 zero
 *	  24  the saved contents
 *	trailer: u32 CRC32 of everything before it
 *
 * Restore checks all of it before writing anything: the file is whole and
 * uncorrupted, it belongs to a device of this size, every record lies
 * inside the device, and every sector still holds what was written (or
 * already what was saved) unless --force says otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "ptable/int.h"
#include "ptable/ops.h"

#define BK_MAGIC	"SEMUPTBK"
#define BK_VERSION	1
#define BK_HDR		32
#define BK_REC		24
#define BK_MAX_FILE	(256u << 20)

static const char *const restore_what[WSTAGE_COUNT] = {
	"restored backup GPT", "restored primary table", "restored sector 0",
	"restored old header",
};

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int backup_save(const char *path, const struct wplan *p)
{
	size_t i, n = plan_changes(p), len, pos;
	uint8_t *buf;
	int fd, ret = -1;

	len = BK_HDR + n * (BK_REC + p->unit) + 4;
	buf = calloc(1, len);
	if (!buf) {
		se_err("out of memory");
		return -1;
	}
	memcpy(buf, BK_MAGIC, 8);
	put_le32(buf + 8, BK_VERSION);
	put_le32(buf + 12, p->unit);
	put_le64(buf + 16, p->dev_bytes);
	put_le32(buf + 24, (uint32_t)n);
	put_le32(buf + 28, gpt_crc(buf, 28));
	pos = BK_HDR;
	for (i = 0; i < p->n; i++) {
		const struct wunit *u = &p->u[i];

		if (!memcmp(u->old, u->new, p->unit))
			continue;
		put_le64(buf + pos, u->off);
		put_le32(buf + pos + 8, (uint32_t)u->stage);
		put_le32(buf + pos + 12, gpt_crc(u->old, p->unit));
		put_le32(buf + pos + 16, gpt_crc(u->new, p->unit));
		memcpy(buf + pos + BK_REC, u->old, p->unit);
		pos += BK_REC + p->unit;
	}
	put_le32(buf + pos, gpt_crc(buf, pos));

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			se_err("backup file %s already exists; refusing to overwrite it",
			       path);
		else
			se_err_errno("cannot create backup file %s", path);
		goto out;
	}
	if (write_all(fd, buf, len) || fsync(fd)) {
		se_err_errno("cannot write backup file %s", path);
		close(fd);
		unlink(path);
		goto out;
	}
	if (close(fd)) {
		se_err_errno("cannot write backup file %s", path);
		unlink(path);
		goto out;
	}
	sync_dir(path);
	ret = 0;
out:
	free(buf);
	return ret;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		se_err_errno("cannot open backup file %s", path);
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > BK_MAX_FILE) {
		se_err("%s is not a ptable backup file", path);
		close(fd);
		return NULL;
	}
	*len = (size_t)st.st_size;
	buf = malloc(*len + 1);
	if (!buf || io_pread(fd, buf, *len, 0)) {
		se_err_errno("cannot read backup file %s", path);
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	return buf;
}

/* Validate the whole file; returns the number of records or -1. */
static long validate(const char *path, const uint8_t *buf, size_t len,
		     const struct ptdev *d, unsigned int *unit)
{
	uint64_t n, off, dev;
	size_t i, j, pos;
	uint32_t u;

	if (len < BK_HDR + 4 || memcmp(buf, BK_MAGIC, 8)) {
		se_err("%s is not a ptable backup file", path);
		return -1;
	}
	if (get_le32(buf + 8) != BK_VERSION) {
		se_err("%s: unsupported backup format version %" PRIu32, path,
		       get_le32(buf + 8));
		return -1;
	}
	if (get_le32(buf + 28) != gpt_crc(buf, 28) ||
	    get_le32(buf + len - 4) != gpt_crc(buf, len - 4)) {
		se_err("%s: checksum mismatch, the backup file is damaged", path);
		return -1;
	}
	u = get_le32(buf + 12);
	dev = get_le64(buf + 16);
	n = get_le32(buf + 24);
	if (u < 512 || u > 65536 || (u & (u - 1)) ||
	    len != BK_HDR + n * (BK_REC + u) + 4) {
		se_err("%s: inconsistent backup file", path);
		return -1;
	}
	if (dev != d->bytes) {
		se_err("%s was taken from a device of %" PRIu64 " bytes; %s has %" PRIu64,
		       path, dev, d->path, d->bytes);
		return -1;
	}
	for (i = 0, pos = BK_HDR; i < n; i++, pos += BK_REC + u) {
		off = get_le64(buf + pos);
		if (off % u || off > d->bytes || d->bytes - off < u ||
		    get_le32(buf + pos + 8) >= WSTAGE_COUNT ||
		    get_le32(buf + pos + 12) != gpt_crc(buf + pos + BK_REC, u)) {
			se_err("%s: record %zu (byte %" PRIu64 ") is invalid for %s",
			       path, i, off, d->path);
			return -1;
		}
		for (j = BK_HDR; j < pos; j += BK_REC + u) {
			if (get_le64(buf + j) == off) {
				se_err("%s: byte %" PRIu64 " is saved twice", path, off);
				return -1;
			}
		}
	}
	*unit = u;
	return (long)n;
}

int backup_plan_restore(const char *path, const struct ptdev *d, bool force,
			struct wplan *plan)
{
	unsigned int unit;
	size_t len, i, pos;
	uint32_t stage, cur;
	uint8_t *buf;
	long n;
	int ret = -1, bad = 0;

	buf = read_file(path, &len);
	if (!buf)
		return -1;
	n = validate(path, buf, len, d, &unit);
	if (n < 0)
		goto out;
	plan_init(plan, d->fd, d->bytes, unit);
	for (i = 0, pos = BK_HDR; i < (size_t)n; i++, pos += BK_REC + unit) {
		uint64_t off = get_le64(buf + pos);

		/* Undo in reverse: sector 0 first, the backup GPT last. */
		stage = WSTAGE_COUNT - 1 - get_le32(buf + pos + 8);
		if (plan_put(plan, (int)stage, off, buf + pos + BK_REC, unit,
			     restore_what[get_le32(buf + pos + 8)]))
			goto out;
		cur = gpt_crc(plan->u[plan->n - 1].old, unit);
		if (cur != get_le32(buf + pos + 16) &&
		    cur != get_le32(buf + pos + 12)) {
			se_err("%s: the sector at byte %" PRIu64 " changed since the backup was taken%s",
			       d->path, off, force ? " (--force: restoring anyway)" : "");
			bad = 1;
		}
	}
	if (bad && !force) {
		se_err("refusing to restore over later changes (--force overrides)");
		goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}
