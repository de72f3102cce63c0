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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dm.h"

/* udev's control socket exists while udevd runs. */
#define UDEV_CONTROL "/run/udev/control"

static void sync_setup(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (access(UDEV_CONTROL, F_OK))
		dm_udev_set_sync_support(0);
}

static int run_task(struct dm_task *dmt, const char *what, const char *name)
{
	uint32_t cookie = 0;
	int ok;

	sync_setup();
	if (!dm_task_set_cookie(dmt, &cookie, 0)) {
		errmsg("%s: cannot set up device node synchronisation", name);
		return -EIO;
	}
	ok = dm_task_run(dmt);
	/* Waits for udev, or creates the nodes itself without it. */
	dm_udev_wait(cookie);
	if (!ok) {
		errmsg("cannot %s mapping %s (the kernel log says why)", what, name);
		return -EIO;
	}
	return 0;
}

int se_dm_create(const char *name, uint64_t length, const char *params,
		 bool read_only)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_CREATE);
	int r = -ENOMEM;

	if (!dmt)
		return r;
	if (!dm_task_set_name(dmt, name) ||
	    !dm_task_add_target(dmt, 0, length, SE_TARGET, params) ||
	    (read_only && !dm_task_set_ro(dmt)))
		goto out;
	r = run_task(dmt, "create", name);
out:
	dm_task_destroy(dmt);
	return r;
}

int se_dm_remove(const char *name, bool deferred)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_REMOVE);
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
	struct dm_task *dmt = dm_task_create(type);

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
static bool exists(const char *name)
{
	struct dm_info info;
	struct dm_task *dmt = query(DM_DEVICE_INFO, name, &info);

	if (dmt)
		dm_task_destroy(dmt);
	return dmt != NULL;
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
	if (!exists(name))
		return -ENOENT;
	dmt = query(DM_DEVICE_TABLE, name, &info);
	if (!dmt)
		return -ENOENT;
	r = one_target(dmt, &m->length, m->params, sizeof(m->params));
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
	struct dm_task *dmt = dm_task_create(DM_DEVICE_INFO);
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

int se_dm_list(struct se_mapping **maps, size_t *n)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_LIST);
	struct se_mapping *v = NULL, *nv;
	struct dm_names *names;
	size_t cnt = 0;
	unsigned int next = 0;

	*maps = NULL;
	*n = 0;
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_run(dmt) || !(names = dm_task_get_names(dmt))) {
		dm_task_destroy(dmt);
		errmsg("cannot list device-mapper devices (is dm-mod loaded?)");
		return -EIO;
	}
	if (names->dev) {
		do {
			names = (struct dm_names *)((char *)names + next);
			nv = realloc(v, (cnt + 1) * sizeof(*v));
			if (!nv) {
				free(v);
				dm_task_destroy(dmt);
				return -ENOMEM;
			}
			v = nv;
			/* Other targets are not ours to list. */
			if (!se_dm_get(names->name, &v[cnt]))
				cnt++;
			next = names->next;
		} while (next);
	}
	dm_task_destroy(dmt);
	if (cnt)
		qsort(v, cnt, sizeof(*v), by_name);
	*maps = v;
	*n = cnt;
	return 0;
}
