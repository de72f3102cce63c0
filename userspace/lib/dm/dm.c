// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu mappings through libdevmapper.
 *
 * Device nodes: every change carries a udev cookie and waits for it.  When
 * udev runs it creates /dev/mapper/<name>; when it does not (an initramfs,
 * a container, early boot), synchronisation is switched off and
 * libdevmapper creates and removes the nodes itself when the cookie is
 * waited on, as "dmsetup --noudevsync" followed by "dmsetup mknodes" would.
 */
#include <errno.h>
#include <libdevmapper.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/diag.h"
#include "dm/dm.h"

/* udev's control socket exists while udevd runs. */
#define UDEV_CONTROL "/run/udev/control"

/* libdevmapper's levels (its _LOG_ERR, _LOG_WARN) and flag bits. */
#define DM_LOG_LEVEL(l)	((l) & 0x7)
#define DM_LOG_ERR	3
#define DM_LOG_WARN	4

/*
 * libdevmapper's own messages ("device-mapper: create ioctl on x failed:
 * Device or resource busy") go to the diagnostics sink, errors and
 * warnings as its default log function prints them, the rest dropped.
 */
static void __attribute__((format(printf, 5, 6)))
dm_log(int level, const char *file, int line, int dm_errno, const char *f, ...)
{
	char buf[1024];
	va_list ap;

	(void)file;
	(void)line;
	level = DM_LOG_LEVEL(level);
	if (level > DM_LOG_WARN)
		return;
	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	se_diag_from("libdevmapper", level < DM_LOG_WARN ? SE_DIAG_ERR : SE_DIAG_WARN,
		     level < DM_LOG_WARN && dm_errno > 0 ? dm_errno : 0, buf);
}

static void setup(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	dm_log_with_errno_init(dm_log);
	if (access(UDEV_CONTROL, F_OK))
		dm_udev_set_sync_support(0);
}

/* Every task starts here, so that the two settings above come first. */
static struct dm_task *task_create(int type)
{
	setup();
	return dm_task_create(type);
}

static int run_task(struct dm_task *dmt, const char *what, const char *name)
{
	uint32_t cookie = 0;
	int ok;

	if (!dm_task_set_cookie(dmt, &cookie, 0)) {
		se_err("%s: cannot set up device node synchronisation", name);
		return -EIO;
	}
	ok = dm_task_run(dmt);
	/* Waits for udev, or creates the nodes itself without it. */
	dm_udev_wait(cookie);
	if (!ok) {
		se_err("cannot %s mapping %s (the kernel log says why)", what, name);
		return -EIO;
	}
	return 0;
}

static int create(const char *name, const char *uuid, const char *target,
		  uint64_t length, const char *params, bool read_only)
{
	struct dm_task *dmt = task_create(DM_DEVICE_CREATE);
	int r = -ENOMEM;

	if (!dmt)
		return r;
	if (!dm_task_set_name(dmt, name) ||
	    (uuid && *uuid && !dm_task_set_uuid(dmt, uuid)) ||
	    !dm_task_add_target(dmt, 0, length, target, params) ||
	    (read_only && !dm_task_set_ro(dmt)))
		goto out;
	r = run_task(dmt, "create", name);
out:
	dm_task_destroy(dmt);
	return r;
}

int se_dm_create(const char *name, const char *uuid, uint64_t length,
		 const char *params, bool read_only)
{
	return create(name, uuid, SE_TARGET, length, params, read_only);
}

int se_dm_create_linear(const char *name, const char *uuid, uint64_t length,
			const char *params, bool read_only)
{
	return create(name, uuid, "linear", length, params, read_only);
}

int se_dm_new_uuid(char *buf, size_t len)
{
	unsigned char b[16];
	size_t i, n;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		se_err_errno("cannot make a UUID");
		return -EIO;
	}
	n = (size_t)snprintf(buf, len, "%s", SE_UUID_PREFIX);
	for (i = 0; i < sizeof(b) && n + 2 < len; i++, n += 2)
		snprintf(buf + n, len - n, "%02x", b[i]);
	return 0;
}

int se_dm_set_uuid(const char *name, const char *uuid)
{
	struct dm_task *dmt = task_create(DM_DEVICE_RENAME);
	int r = -ENOMEM;

	if (!dmt)
		return r;
	if (!dm_task_set_name(dmt, name) || !dm_task_set_newuuid(dmt, uuid))
		goto out;
	r = run_task(dmt, "set the UUID of", name);
out:
	dm_task_destroy(dmt);
	return r;
}

int se_dm_reload_linear(const char *name, uint64_t length, const char *params)
{
	struct dm_task *dmt = task_create(DM_DEVICE_RELOAD);
	int r = -ENOMEM;

	if (!dmt)
		return r;
	if (!dm_task_set_name(dmt, name) ||
	    !dm_task_add_target(dmt, 0, length, "linear", params))
		goto out;
	if (!dm_task_run(dmt)) {
		se_err("cannot load a new table into %s (the kernel log says why)", name);
		r = -EIO;
		goto out;
	}
	dm_task_destroy(dmt);
	dmt = task_create(DM_DEVICE_RESUME);
	r = -ENOMEM;
	if (!dmt || !dm_task_set_name(dmt, name))
		goto out;
	r = run_task(dmt, "resume", name);
out:
	if (dmt)
		dm_task_destroy(dmt);
	return r;
}

int se_dm_remove(const char *name, bool deferred)
{
	struct dm_task *dmt = task_create(DM_DEVICE_REMOVE);
	int r = -ENOMEM;

	if (!dmt)
		return r;
	if (!dm_task_set_name(dmt, name) ||
	    (deferred && !dm_task_deferred_remove(dmt)))
		goto out;
	dm_task_retry_remove(dmt);
	r = run_task(dmt, "remove", name);
out:
	dm_task_destroy(dmt);
	return r;
}

/* Run a query task on @name; NULL when it does not exist. */
static struct dm_task *query(int type, const char *name, struct dm_info *info)
{
	struct dm_task *dmt = task_create(type);

	if (!dmt)
		return NULL;
	if (!dm_task_set_name(dmt, name) || !dm_task_run(dmt) ||
	    !dm_task_get_info(dmt, info) || !info->exists) {
		dm_task_destroy(dmt);
		return NULL;
	}
	return dmt;
}

/*
 * Whether @name exists, asked so that a missing one is not an error (the
 * table and status ioctls make libdevmapper log one).
 */
bool se_dm_exists(const char *name)
{
	struct dm_info info;
	struct dm_task *dmt = query(DM_DEVICE_INFO, name, &info);

	if (dmt)
		dm_task_destroy(dmt);
	return dmt != NULL;
}

static void task_uuid(struct dm_task *dmt, char *buf, size_t len)
{
	const char *u = dm_task_get_uuid(dmt);

	snprintf(buf, len, "%s", u ? u : "");
}

/* The single target of @dmt, if it is a sectoremu one. */
static int one_target(struct dm_task *dmt, uint64_t *length, char *params,
		      size_t len)
{
	uint64_t start, l;
	char *type = NULL, *p = NULL;
	void *next;

	next = dm_get_next_target(dmt, NULL, &start, &l, &type, &p);
	if (next || !type || strcmp(type, SE_TARGET) || start)
		return -EMEDIUMTYPE;
	*length = l;
	snprintf(params, len, "%s", p ? p : "");
	return 0;
}

int se_dm_get(const char *name, struct se_mapping *m)
{
	struct dm_info info;
	struct dm_task *dmt;
	int r;

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (!se_dm_exists(name))
		return -ENOENT;
	dmt = query(DM_DEVICE_TABLE, name, &info);
	if (!dmt)
		return -ENOENT;
	r = one_target(dmt, &m->length, m->params, sizeof(m->params));
	task_uuid(dmt, m->uuid, sizeof(m->uuid));
	dm_task_destroy(dmt);
	if (r)
		return r;
	m->major = info.major;
	m->minor = info.minor;
	m->open_count = info.open_count;
	m->suspended = info.suspended;
	m->read_only = info.read_only;

	dmt = query(DM_DEVICE_STATUS, name, &info);
	if (!dmt)
		return -ENOENT;
	r = one_target(dmt, &m->length, m->status, sizeof(m->status));
	dm_task_destroy(dmt);
	return r;
}

int se_dm_name_of(unsigned int major, unsigned int minor, char *name, size_t len)
{
	struct dm_task *dmt = task_create(DM_DEVICE_INFO);
	const char *n;
	int r = -ENOENT;

	if (!dmt)
		return -ENOMEM;
	if (dm_task_set_major(dmt, (int)major) && dm_task_set_minor(dmt, (int)minor) &&
	    dm_task_run(dmt)) {
		n = dm_task_get_name(dmt);
		if (n && *n) {
			snprintf(name, len, "%s", n);
			r = 0;
		}
	}
	dm_task_destroy(dmt);
	return r;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct se_mapping *)a)->name,
		      ((const struct se_mapping *)b)->name);
}

/* Whether @name is a sectoremu mapping; fills @item (a struct se_mapping). */
static bool get_mapping(const char *name, void *item, const void *arg)
{
	(void)arg;
	/* Other targets are not ours to list. */
	return !se_dm_get(name, item);
}

/*
 * Every device-mapper device that @keep fills an item of @size bytes for,
 * in a malloc'd array.
 */
static int collect(size_t size, bool (*keep)(const char *, void *, const void *),
		   const void *arg, void **items, size_t *n)
{
	struct dm_task *dmt = task_create(DM_DEVICE_LIST);
	struct dm_names *names;
	char *v = NULL, *nv;
	size_t cnt = 0;
	unsigned int next = 0;

	*items = NULL;
	*n = 0;
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_run(dmt) || !(names = dm_task_get_names(dmt))) {
		dm_task_destroy(dmt);
		se_err("cannot list device-mapper devices (is dm-mod loaded?)");
		return -EIO;
	}
	if (names->dev) {
		do {
			names = (struct dm_names *)((char *)names + next);
			nv = realloc(v, (cnt + 1) * size);
			if (!nv) {
				free(v);
				dm_task_destroy(dmt);
				return -ENOMEM;
			}
			v = nv;
			if (keep(names->name, v + cnt * size, arg))
				cnt++;
			next = names->next;
		} while (next);
	}
	dm_task_destroy(dmt);
	*items = v;
	*n = cnt;
	return 0;
}

int se_dm_list(struct se_mapping **maps, size_t *n)
{
	void *v;
	int r = collect(sizeof(**maps), get_mapping, NULL, &v, n);

	*maps = v;
	if (!r && *n)
		qsort(v, *n, sizeof(**maps), by_name);
	return r;
}

/* @name as a partition of the mapping with UUID @parent: 0 and @p filled. */
static int part_of(const char *name, const char *parent, struct se_part *p)
{
	char uuid[129], params[256], *type = NULL, *par = NULL, *end;
	struct dm_info info;
	struct dm_task *dmt;
	uint64_t start, len;
	unsigned long num;
	size_t plen = strlen(parent);
	int r = -ENOENT;

	dmt = query(DM_DEVICE_TABLE, name, &info);
	if (!dmt)
		return r;
	task_uuid(dmt, uuid, sizeof(uuid));
	if (strncmp(uuid, "part", 4))
		goto out;
	num = strtoul(uuid + 4, &end, 10);
	if (end == uuid + 4 || *end != '-' || strcmp(end + 1, parent) || !plen)
		goto out;
	if (dm_get_next_target(dmt, NULL, &start, &len, &type, &par) ||
	    !type || strcmp(type, "linear") || start)
		goto out;
	snprintf(params, sizeof(params), "%s", par ? par : "");
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->number = (unsigned int)num;
	p->length = len;
	p->start = strtoull(strchr(params, ' ') ? strchr(params, ' ') + 1 : "0", NULL, 10);
	p->major = info.major;
	p->minor = info.minor;
	p->open_count = info.open_count;
	p->read_only = info.read_only;
	r = 0;
out:
	dm_task_destroy(dmt);
	return r;
}

static int by_number(const void *a, const void *b)
{
	unsigned int x = ((const struct se_part *)a)->number;
	unsigned int y = ((const struct se_part *)b)->number;

	return x < y ? -1 : x > y;
}

static bool get_part(const char *name, void *item, const void *parent)
{
	return !part_of(name, parent, item);
}

int se_dm_parts(const char *parent_uuid, struct se_part **parts, size_t *n)
{
	void *v = NULL;
	int r = 0;

	*n = 0;
	/* No UUID, no partition mappings. */
	if (*parent_uuid)
		r = collect(sizeof(**parts), get_part, parent_uuid, &v, n);
	*parts = v;
	if (!r && *n)
		qsort(v, *n, sizeof(**parts), by_number);
	return r;
}
