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

#include "blkdev.h"
#include "cli.h"
#include "map.h"
#include "overlap.h"
#include "partsync.h"
#include "ptable/ops.h"

void map_req_init(struct map_req *r)
{
	memset(r, 0, sizeof(*r));
	r->sector_size = 512;
}

bool map_name_ok(const char *name)
{
	/* What device-mapper and /dev/mapper/<name> take. */
	return *name && strlen(name) <= 100 && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..") &&
	       !strpbrk(name, " \t\n\"'\\");
}

bool map_sector_size_ok(uint64_t bytes)
{
	return bytes == 512 || bytes == 1024 || bytes == 2048;
}

unsigned int map_feature_bit(const char *name)
{
	return strcmp(name, "ignore_discard") ? 0 : MAP_F_IGNORE_DISCARD;
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
		errmsg("%s already has %u-byte logical blocks: it needs no mapping",
		       r->dev, lbs);
		return -1;
	}
	if (r->sector_size >= lbs) {
		errmsg("%s has %u-byte logical blocks: %" PRIu64 "-byte sectors would change nothing",
		       r->dev, lbs, r->sector_size);
		return -1;
	}
	if (r->offset % u) {
		errmsg("%s: offset %" PRIu64 " is not a multiple of the device's block (%" PRIu64 " sectors)",
		       r->dev, r->offset, u);
		return -1;
	}
	if (r->offset >= dev_sectors) {
		errmsg("%s: offset %" PRIu64 " is past its end (%" PRIu64 " sectors)",
		       r->dev, r->offset, dev_sectors);
		return -1;
	}
	p->length = r->length ? r->length : (dev_sectors - r->offset) / u * u;
	if (p->length % u || r->offset + p->length > dev_sectors) {
		errmsg("%s: length %" PRIu64 " must be a multiple of %" PRIu64 " sectors and end within the device (%" PRIu64 " sectors)",
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
		errmsg_errno("cannot open %s", MAP_LOCK_FILE);
		return -1;
	}
	if (flock(fd, LOCK_EX)) {
		errmsg_errno("cannot lock %s", MAP_LOCK_FILE);
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
		errmsg("%s: cannot tell whether a mapping covers it already: %s",
		       r->dev, strerror(-rc));
		return -1;
	}
	if (rc) {
		errmsg("%s: the mapping %s already covers some of its blocks; two mappings of one block lose each other's writes (--force does not change this)",
		       r->dev, other);
		return -1;
	}
	return 0;
}

int map_plan(const struct map_req *r, struct map_plan *p)
{
	struct se_mapping m;
	struct ptdev d;
	struct stat st;
	int n;

	memset(p, 0, sizeof(*p));
	if (stat(r->dev, &st)) {
		errmsg_errno("cannot access %s", r->dev);
		return -1;
	}
	if (!S_ISBLK(st.st_mode)) {
		errmsg("%s is not a block device", r->dev);
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
		errmsg("%s: partition mappings need 512-byte sectors, not %" PRIu64,
		       r->dev, r->sector_size);
		return -1;
	}
	if (r->name)
		snprintf(p->name, sizeof(p->name), "%s", r->name);
	else
		default_name(r->dev, p->name, sizeof(p->name));
	if (se_dm_get(p->name, &m) != -ENOENT) {
		errmsg("a mapping named %s already exists", p->name);
		return -1;
	}
	if (access("/sys/module/dm_sectoremu", F_OK)) {
		errmsg("the dm-sectoremu module is not loaded (modprobe dm-sectoremu)");
		return -1;
	}

	n = snprintf(p->params, sizeof(p->params), "%u:%u %" PRIu64 " %" PRIu64,
		     p->major, p->minor, r->offset, r->sector_size / 512);
	if (r->features & MAP_F_IGNORE_DISCARD)
		snprintf(p->params + n, sizeof(p->params) - (size_t)n,
			 " %u 1 ignore_discard", p->dev_lbs / 512);
	return 0;
}

int map_create(const struct map_plan *p, bool read_only, bool partitions,
	       FILE *out)
{
	char uuid[64];

	if (se_dm_new_uuid(uuid, sizeof(uuid)) ||
	    se_dm_create(p->name, uuid, p->length, p->params, read_only))
		return -1;
	if (partitions && partsync(p->name, PARTSYNC_ADD, out)) {
		se_dm_remove(p->name, false);
		errmsg("%s: removed again", p->name);
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
	struct stat st;

	buf[0] = '\0';
	if (sscanf(m->params, "%u:%u %llu %u", &ma, &mi, &off, &e) != 4) {
		snprintf(buf, len, "its table is not understood (%s)", m->params);
		return true;
	}
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
	if (!!(r->features & MAP_F_IGNORE_DISCARD) != !!strstr(m->params, "ignore_discard"))
		add(buf, len, "ignore_discard %s",
		    (r->features & MAP_F_IGNORE_DISCARD) ? "wanted, not set" :
							  "set, not wanted");
	return buf[0] != '\0';
}
