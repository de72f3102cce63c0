// SPDX-License-Identifier: GPL-2.0
/*
 * Who uses a disk: doctor leaves out the holders that are the disk's own
 * sectoremu mappings, by whole name.  A substring match would take a
 * holder "se-a" for the mapping "se-ab" and call a disk in use by
 * another device-mapper device free.
 */
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "host/users.h"
#include "tap.h"

static struct blk_use use(enum blk_use_kind kind, const char *by,
			  const char *dm_name)
{
	struct blk_use u;

	memset(&u, 0, sizeof(u));
	u.kind = kind;
	snprintf(u.what, sizeof(u.what), "the device");
	snprintf(u.by, sizeof(u.by), "%s", by);
	snprintf(u.dm_name, sizeof(u.dm_name), "%s", dm_name);
	return u;
}

/* The users left after dropping @mine, their "by" joined with commas. */
static const char *left(struct blk_use *v, size_t n, const char *const *mine,
			size_t nmine)
{
	static char buf[256];
	struct blk_users u = { v, n };
	size_t i, len = 0;

	blk_users_drop_holders(&u, mine, nmine);
	buf[0] = '\0';
	for (i = 0; i < u.n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? "," : "", u.v[i].by);
	return buf;
}

int main(void)
{
	const char *ab[] = { "se-ab" }, *a[] = { "se-a" }, *both[] = { "se-ab", "se-a" };
	struct blk_use v[4];
	struct blk_users u;

	v[0] = use(BLK_USE_HOLDER, "dm-1", "se-a");
	tap_ok(!strcmp(left(v, 1, ab, 1), "dm-1"),
	       "a holder se-a is not the disk's mapping se-ab");
	v[0] = use(BLK_USE_HOLDER, "dm-1", "se-ab");
	tap_ok(!strcmp(left(v, 1, a, 1), "dm-1"),
	       "a holder se-ab is not the disk's mapping se-a");
	v[0] = use(BLK_USE_HOLDER, "dm-1", "se-a");
	tap_ok(!strcmp(left(v, 1, a, 1), ""), "a holder that is the disk's mapping is dropped");
	v[0] = use(BLK_USE_HOLDER, "dm-1", "se-a");
	v[1] = use(BLK_USE_HOLDER, "dm-2", "other");
	v[2] = use(BLK_USE_MOUNT, "/mnt/x", "");
	v[3] = use(BLK_USE_HOLDER, "md0", "");
	tap_ok(!strcmp(left(v, 4, both, 2), "dm-2,/mnt/x,md0"),
	       "only the disk's own mappings go: other holders, a mount and a non-dm holder stay");
	v[0] = use(BLK_USE_MOUNT, "se-a", "se-a");
	tap_ok(!strcmp(left(v, 1, a, 1), "se-a"), "only holders are dropped");

	/* No such device: nobody uses it. */
	tap_ok(!blk_users_dev(makedev(4095, 1048575), &u) && u.n == 0,
	       "a device that does not exist has no users");
	blk_users_free(&u);
	tap_ok(!blk_users_file("/nonexistent/image", &u) && u.n == 0,
	       "a file that does not exist has no users");
	blk_users_free(&u);
	tap_plan_done();
	return tap_exit();
}
