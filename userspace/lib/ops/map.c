// SPDX-License-Identifier: GPL-2.0
/* One mapping request: its checks, its table line, its differences. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/parse.h"
#include "host/blkdev.h"
#include "ops/map.h"
#include "ops/overlap.h"
#include "ops/partsync.h"
#include "ptable/ops.h"

void map_req_init(struct map_req *r)
{
	memset(r, 0, sizeof(*r));
	r->sector_size = 512;
}

bool map_sector_size_ok(uint64_t bytes)
{
	return bytes == 512 || bytes == 1024 || bytes == 2048;
}

const char *map_opt_set(struct map_req *r, enum map_opt opt, const char *val,
			char *why, size_t len)
{
	unsigned int bit;

	switch (opt) {
	case MAP_OPT_SECTOR_SIZE:
		if (parse_u64(val, &r->sector_size) &&
		    map_sector_size_ok(r->sector_size))
			return NULL;
		snprintf(why, len, "sector-size must be 512, 1024 or 2048, not '%s'", val);
		return why;
	case MAP_OPT_OFFSET:
		if (parse_u64(val, &r->offset))
			return NULL;
		snprintf(why, len, "offset: '%s' is not a number of sectors", val);
		return why;
	case MAP_OPT_LENGTH:
		if (parse_u64(val, &r->length) && r->length)
			return NULL;
		snprintf(why, len, "length: '%s' is not a positive number of sectors", val);
		return why;
	case MAP_OPT_FEATURE:
		bit = se_table_feature(val);
		if (bit) {
			r->features |= bit;
			return NULL;
		}
		snprintf(why, len, "unknown feature '%s' (known: ignore_discard)", val);
		return why;
	case MAP_OPT_READ_ONLY:
		r->read_only = true;
		return NULL;
	case MAP_OPT_FORCE:
		r->force = true;
		return NULL;
	case MAP_OPT_PARTITIONS:
		r->partitions = true;
		return NULL;
	}
	snprintf(why, len, "unknown option");
	return why;
}

static void default_name(const char *dev, char *name, size_t len)
{
	const char *b = strrchr(dev, '/');

	snprintf(name, len, "se-%.100s", b ? b + 1 : dev);
}

/* Device, offset and length against each other; fills p->length. */
static int check_extent(const struct map_req *r, uint64_t dev_sectors,
			unsigned int lbs, struct map_plan *p)
{
	uint64_t u = lbs / 512;

	if (lbs <= 512) {
		se_err("%s already has %u-byte logical blocks: it needs no mapping",
		       r->dev, lbs);
		return -1;
	}
	if (r->sector_size >= lbs) {
		se_err("%s has %u-byte logical blocks: %" PRIu64 "-byte sectors would change nothing",
		       r->dev, lbs, r->sector_size);
		return -1;
	}
	if (r->offset % u) {
		se_err("%s: offset %" PRIu64 " is not a multiple of the device's block (%" PRIu64 " sectors)",
		       r->dev, r->offset, u);
		return -1;
	}
	if (r->offset >= dev_sectors) {
		se_err("%s: offset %" PRIu64 " is past its end (%" PRIu64 " sectors)",
		       r->dev, r->offset, dev_sectors);
		return -1;
	}
	p->length = r->length ? r->length : (dev_sectors - r->offset) / u * u;
	if (p->length % u || r->offset + p->length > dev_sectors) {
		se_err("%s: length %" PRIu64 " must be a multiple of %" PRIu64 " sectors and end within the device (%" PRIu64 " sectors)",
		       r->dev, p->length, u, dev_sectors);
		return -1;
	}
	return 0;
}

#define MAP_LOCK_FILE "/run/sectoremu.lock"

int map_lock(void)
{
	static int fd = -1;

	if (fd >= 0)
		return 0;
	fd = open(MAP_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		se_err_errno("cannot open %s", MAP_LOCK_FILE);
		return -1;
	}
	if (flock(fd, LOCK_EX)) {
		se_err_errno("cannot lock %s", MAP_LOCK_FILE);
		close(fd);
		fd = -1;
		return -1;
	}
	return 0;
}

/* Never two mappings of one block (overlap.h), whatever --force says. */
static int check_overlap(const struct map_req *r, const struct map_plan *p)
{
	struct disk_extent e;
	char other[128];
	int rc;

	rc = disk_extent_of(p->major, p->minor, r->offset, p->length, &e);
	if (!rc)
		rc = map_find_overlap(&e, p->dev_lbs / 512, other, sizeof(other));
	if (rc < 0) {
		se_err("%s: cannot tell whether a mapping covers it already: %s",
		       r->dev, strerror(-rc));
		return -1;
	}
	if (rc) {
		se_err("%s: the mapping %s already covers some of its blocks; two mappings of one block lose each other's writes (--force does not change this)",
		       r->dev, other);
		return -1;
	}
	return 0;
}

int map_plan(const struct map_req *r, struct map_plan *p)
{
	struct se_mapping m;
	struct se_table t = { 0 };
	struct ptdev d;
	struct stat st;

	memset(p, 0, sizeof(*p));
	if (stat(r->dev, &st)) {
		se_err_errno("cannot access %s", r->dev);
		return -1;
	}
	if (!S_ISBLK(st.st_mode)) {
		se_err("%s is not a block device", r->dev);
		return -1;
	}
	/* Refuses a device that is mounted, held or open exclusively. */
	if (ptdev_open(&d, r->dev, !r->read_only, r->force, 0))
		return -1;
	p->major = major(st.st_rdev);
	p->minor = minor(st.st_rdev);
	p->dev_lbs = d.lbs;
	ptdev_close(&d);
	if (check_extent(r, d.bytes / 512, d.lbs, p) || check_overlap(r, p))
		return -1;

	if (r->partitions && r->sector_size != 512) {
		se_err("%s: partition mappings need 512-byte sectors, not %" PRIu64,
		       r->dev, r->sector_size);
		return -1;
	}
	if (r->name)
		snprintf(p->name, sizeof(p->name), "%s", r->name);
	else
		default_name(r->dev, p->name, sizeof(p->name));
	if (se_dm_get(p->name, &m) != -ENOENT) {
		se_err("a mapping named %s already exists", p->name);
		return -1;
	}
	if (access("/sys/module/dm_sectoremu", F_OK)) {
		se_err("the dm-sectoremu module is not loaded (modprobe dm-sectoremu)");
		return -1;
	}

	t.major = p->major;
	t.minor = p->minor;
	t.offset = r->offset;
	t.emulated = (unsigned int)(r->sector_size / 512);
	t.features = r->features;
	/* The features need the underlying block; it is the device's anyway. */
	if (t.features)
		t.underlying = p->dev_lbs / 512;
	if (se_table_build(&t, p->params, sizeof(p->params))) {
		se_err("%s: its table line does not fit", r->dev);
		return -1;
	}
	return 0;
}

int map_create(const struct map_plan *p, bool read_only, bool partitions,
	       struct partmap_plan *parts)
{
	char uuid[64];

	if (se_dm_new_uuid(uuid, sizeof(uuid)) ||
	    se_dm_create(p->name, uuid, p->length, p->params, read_only))
		return -1;
	if (parts)
		memset(parts, 0, sizeof(*parts));
	if (partitions && partsync(p->name, PARTSYNC_ADD, parts)) {
		se_dm_remove(p->name, false);
		se_err("%s: removed again", p->name);
		return -1;
	}
	return 0;
}

/* Append ", <text>" (or "<text>" first) to @buf. */
static void __attribute__((format(printf, 3, 4)))
add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n && n + 2 < len) {
		memcpy(buf + n, ", ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

bool map_differs(const struct se_mapping *m, const struct map_req *r,
		 char *buf, size_t len)
{
	unsigned int ma, mi, e, lbs;
	unsigned long long off;
	uint64_t dev_sectors, want_len;
	struct se_table t;
	struct stat st;

	buf[0] = '\0';
	if (se_table_parse(m->params, &t)) {
		snprintf(buf, len, "its table is not understood (%s)", m->params);
		return true;
	}
	ma = t.major;
	mi = t.minor;
	off = t.offset;
	e = t.emulated;
	if (stat(r->dev, &st) || !S_ISBLK(st.st_mode)) {
		snprintf(buf, len, "%s is not a block device", r->dev);
		return true;
	}
	if (major(st.st_rdev) != ma || minor(st.st_rdev) != mi) {
		snprintf(buf, len, "it maps %u:%u, not %s (%u:%u)", ma, mi, r->dev,
			 major(st.st_rdev), minor(st.st_rdev));
		return true;
	}
	if (off != r->offset)
		add(buf, len, "offset %" PRIu64 " wanted, %llu mapped",
		    r->offset, off);
	if (e * 512ULL != r->sector_size)
		add(buf, len, "sector size %" PRIu64 " wanted, %llu mapped",
		    r->sector_size, e * 512ULL);
	want_len = r->length;
	if (!want_len && !blkdev_attr_u64(ma, mi, "size", &dev_sectors) &&
	    !blkdev_lbs(ma, mi, &lbs) && lbs >= 512 && off < dev_sectors)
		want_len = (dev_sectors - off) / (lbs / 512) * (lbs / 512);
	if (want_len && want_len != m->length)
		add(buf, len, "length %" PRIu64 " wanted, %" PRIu64 " mapped",
		    want_len, m->length);
	if (r->read_only != m->read_only)
		add(buf, len, "%s wanted, mapped %s",
		    r->read_only ? "read-only" : "read-write",
		    m->read_only ? "read-only" : "read-write");
	if (!!(r->features & MAP_F_IGNORE_DISCARD) != !!(t.features & SE_TABLE_F_IGNORE_DISCARD))
		add(buf, len, "ignore_discard %s",
		    (r->features & MAP_F_IGNORE_DISCARD) ? "wanted, not set" :
							  "set, not wanted");
	return buf[0] != '\0';
}
