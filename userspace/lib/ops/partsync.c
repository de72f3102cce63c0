// SPDX-License-Identifier: GPL-2.0
/* Partition mappings on device-mapper: read the table, carry out the plan. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/diag.h"
#include "dm/name.h"
#include "dm/table.h"
#include "ops/partmap.h"
#include "ops/partsync.h"

/* The partitions that should have mappings, read through /dev/mapper/<name>. */
static int read_want(const char *name, struct partmap_want **want,
		     size_t *nwant, struct partmap_plan *plan)
{
	char path[160];
	struct ptable pt;
	uint64_t bytes;
	int fd, r;

	snprintf(path, sizeof(path), "/dev/mapper/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		se_err_errno("cannot open %s", path);
		return -1;
	}
	if (ioctl(fd, BLKGETSIZE64, &bytes)) {
		se_err_errno("%s: cannot read its size", path);
		close(fd);
		return -1;
	}
	r = ptable_read(fd, bytes, 512, &pt);
	close(fd);
	if (r) {
		errno = -r;
		se_err_errno("%s: cannot read its partition table", path);
		return -1;
	}
	if (pt.kind == PTABLE_NONE)
		se_diag(SE_DIAG_WARN, "%s: no partition table: no partition mappings", path);
	r = partmap_want(&pt, want, nwant, plan);
	ptable_free(&pt);
	if (r) {
		se_err("out of memory");
		return -1;
	}
	return 0;
}

/* The parent's UUID, given one first when it has none. */
static int parent_uuid(struct se_mapping *m)
{
	if (m->uuid[0])
		return 0;
	if (se_dm_new_uuid(m->uuid, sizeof(m->uuid)) ||
	    se_dm_set_uuid(m->name, m->uuid)) {
		m->uuid[0] = '\0';
		return -1;
	}
	return 0;
}

static void table_of(const struct se_mapping *m, uint64_t start, char *buf,
		     size_t len)
{
	snprintf(buf, len, "%u:%u %" PRIu64, m->major, m->minor, start);
}

/* Refusals of the plan that the mode does not make moot, and name clashes. */
static bool refused(const struct se_mapping *m, enum partsync_mode mode,
		    const struct partmap_plan *p)
{
	const struct partmap_action *a;
	bool bad = false;
	size_t i;

	for (i = 0; i < p->nrefusals; i++) {
		se_err("%s: %s", m->name, p->refusals[i]);
		bad = true;
	}
	for (i = 0; i < p->n; i++) {
		a = &p->actions[i];
		if (mode == PARTSYNC_ADD &&
		    (a->op == PARTMAP_REMOVE || a->op == PARTMAP_RELOAD)) {
			se_err("%s: %s does not match partition %u of the table any more (%s); run 'partitions rescan %s'",
			       m->name, a->name, a->number,
			       a->op == PARTMAP_REMOVE ? "gone" : "moved or resized",
			       m->name);
			bad = true;
		}
		if (a->op == PARTMAP_ADD && se_dm_exists(a->name)) {
			se_err("%s: a device-mapper device named %s exists and is not its partition %u",
			       m->name, a->name, a->number);
			bad = true;
		}
	}
	return bad;
}

static int carry_out(const struct se_mapping *m, struct partmap_plan *p)
{
	struct partmap_action *a;
	char params[64], uuid[160];
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		a = &p->actions[i];
		switch (a->op) {
		case PARTMAP_KEEP:
			continue;
		case PARTMAP_REMOVE:
			if (se_dm_remove(a->name, false))
				return -1;
			a->done = true;
			continue;
		case PARTMAP_RELOAD:
			table_of(m, a->start, params, sizeof(params));
			if (se_dm_reload_linear(a->name, a->length, params))
				return -1;
			a->done = true;
			continue;
		case PARTMAP_ADD:
			break;
		}
		table_of(m, a->start, params, sizeof(params));
		partmap_uuid(m->uuid, a->number, uuid, sizeof(uuid));
		if (se_dm_create_linear(a->name, uuid, a->length, params,
					m->read_only)) {
			/* Take back the ones this run created. */
			for (j = 0; j < i; j++) {
				if (p->actions[j].op != PARTMAP_ADD)
					continue;
				se_dm_remove(p->actions[j].name, false);
				p->actions[j].done = false;
			}
			return -1;
		}
		a->done = true;
	}
	return 0;
}

int partsync(const char *name, enum partsync_mode mode,
	     struct partmap_plan *done)
{
	struct partmap_plan plan = { 0 };
	struct se_mapping_view v;
	struct partmap_want *want = NULL;
	struct se_part *cur = NULL;
	struct se_mapping m;
	size_t nwant = 0, ncur = 0;
	int rc = -1;

	if (done)
		memset(done, 0, sizeof(*done));
	if (se_find_mapping(name, &m))
		return -1;
	if (se_mapping_view(&m, &v)) {
		se_err("%s: cannot parse its table or status", name);
		return -1;
	}
	if (v.sector_size != 512) {
		se_err("%s has %u-byte sectors: partition mappings need 512-byte ones",
		       name, v.sector_size);
		return -1;
	}
	if (read_want(name, &want, &nwant, &plan))
		goto out;
	if (plan.nrefusals) {
		refused(&m, mode, &plan);
		se_err("%s: its partition table cannot be followed: no partition mappings changed",
		       name);
		goto out;
	}
	if (parent_uuid(&m) || se_dm_parts(m.uuid, &cur, &ncur))
		goto out;
	if (partmap_plan(name, want, nwant, cur, ncur, &plan)) {
		se_err("out of memory");
		goto out;
	}
	if (refused(&m, mode, &plan)) {
		se_err("%s: no partition mappings changed", name);
		goto out;
	}
	rc = carry_out(&m, &plan);
out:
	if (done)
		*done = plan;
	else
		partmap_plan_free(&plan);
	free(want);
	free(cur);
	return rc;
}

int partsync_remove(const struct se_mapping *m, bool force,
		    struct se_part **gone, size_t *n)
{
	struct se_part *cur;
	size_t i, k = 0;
	bool busy = false;
	int rc = 0;

	*gone = NULL;
	*n = 0;
	if (se_dm_parts(m->uuid, &cur, n))
		return -1;
	for (i = 0; i < *n && !force; i++) {
		if (!cur[i].open_count)
			continue;
		se_err("%s (partition %u of %s) is open (%d users); close it first, or --force to remove it at its last close",
		       cur[i].name, cur[i].number, m->name, cur[i].open_count);
		busy = true;
	}
	if (busy) {
		free(cur);
		*n = 0;
		return -1;
	}
	for (i = 0; i < *n; i++) {
		if (se_dm_remove(cur[i].name, cur[i].open_count > 0)) {
			rc = -1;
			continue;
		}
		cur[k++] = cur[i];
	}
	*gone = cur;
	*n = k;
	return rc;
}
