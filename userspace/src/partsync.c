// SPDX-License-Identifier: GPL-2.0
/* Partition mappings on device-mapper: read the table, carry out the plan. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "mapping.h"
#include "partmap.h"
#include "partsync.h"

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
		errmsg_errno("cannot open %s", path);
		return -1;
	}
	if (ioctl(fd, BLKGETSIZE64, &bytes)) {
		errmsg_errno("%s: cannot read its size", path);
		close(fd);
		return -1;
	}
	r = ptable_read(fd, bytes, 512, &pt);
	close(fd);
	if (r) {
		errno = -r;
		errmsg_errno("%s: cannot read its partition table", path);
		return -1;
	}
	if (pt.kind == PTABLE_NONE)
		errmsg("%s: no partition table: no partition mappings", path);
	r = partmap_want(&pt, want, nwant, plan);
	ptable_free(&pt);
	if (r) {
		errmsg("out of memory");
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
		errmsg("%s: %s", m->name, p->refusals[i]);
		bad = true;
	}
	for (i = 0; i < p->n; i++) {
		a = &p->actions[i];
		if (mode == PARTSYNC_ADD &&
		    (a->op == PARTMAP_REMOVE || a->op == PARTMAP_RELOAD)) {
			errmsg("%s: %s does not match partition %u of the table any more (%s); run 'partitions rescan %s'",
			       m->name, a->name, a->number,
			       a->op == PARTMAP_REMOVE ? "gone" : "moved or resized",
			       m->name);
			bad = true;
		}
		if (a->op == PARTMAP_ADD && se_dm_exists(a->name)) {
			errmsg("%s: a device-mapper device named %s exists and is not its partition %u",
			       m->name, a->name, a->number);
			bad = true;
		}
	}
	return bad;
}

static int carry_out(const struct se_mapping *m, enum partsync_mode mode,
		     const struct partmap_plan *p, FILE *out)
{
	const struct partmap_action *a;
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
			if (out)
				fprintf(out, "%s: removed (partition %u is gone)\n",
					a->name, a->number);
			continue;
		case PARTMAP_RELOAD:
			table_of(m, a->start, params, sizeof(params));
			if (se_dm_reload_linear(a->name, a->length, params))
				return -1;
			if (out)
				fprintf(out, "%s: now sectors %" PRIu64 "+%" PRIu64 " (was %" PRIu64 "+%" PRIu64 ")\n",
					a->name, a->start, a->length,
					a->old_start, a->old_length);
			continue;
		case PARTMAP_ADD:
			break;
		}
		table_of(m, a->start, params, sizeof(params));
		partmap_uuid(m->uuid, a->number, uuid, sizeof(uuid));
		if (se_dm_create_linear(a->name, uuid, a->length, params,
					m->read_only)) {
			/* Take back the ones this run created. */
			for (j = 0; j < i; j++)
				if (p->actions[j].op == PARTMAP_ADD)
					se_dm_remove(p->actions[j].name, false);
			return -1;
		}
	}
	if (!out)
		return 0;
	for (i = 0; i < p->n; i++) {
		a = &p->actions[i];
		if (a->op != PARTMAP_ADD)
			continue;
		if (mode == PARTSYNC_ADD)
			fprintf(out, "/dev/mapper/%s\n", a->name);
		else
			fprintf(out, "%s: added (partition %u)\n", a->name, a->number);
	}
	return 0;
}

int partsync(const char *name, enum partsync_mode mode, FILE *out)
{
	struct partmap_plan plan = { 0 };
	struct se_mapping_view v;
	struct partmap_want *want = NULL;
	struct se_part *cur = NULL;
	struct se_mapping m;
	size_t nwant = 0, ncur = 0;
	int rc = -1;

	if (se_find_mapping(name, &m))
		return -1;
	if (se_mapping_view(&m, &v)) {
		errmsg("%s: cannot parse its table or status", name);
		return -1;
	}
	if (v.sector_size != 512) {
		errmsg("%s has %u-byte sectors: partition mappings need 512-byte ones",
		       name, v.sector_size);
		return -1;
	}
	if (read_want(name, &want, &nwant, &plan))
		goto out;
	if (plan.nrefusals) {
		refused(&m, mode, &plan);
		errmsg("%s: its partition table cannot be followed: no partition mappings changed",
		       name);
		goto out;
	}
	if (parent_uuid(&m) || se_dm_parts(m.uuid, &cur, &ncur))
		goto out;
	if (partmap_plan(name, want, nwant, cur, ncur, &plan)) {
		errmsg("out of memory");
		goto out;
	}
	if (refused(&m, mode, &plan)) {
		errmsg("%s: no partition mappings changed", name);
		goto out;
	}
	rc = carry_out(&m, mode, &plan, out);
out:
	partmap_plan_free(&plan);
	free(want);
	free(cur);
	return rc;
}

int partsync_remove(const struct se_mapping *m, bool force, FILE *out,
		    size_t *removed)
{
	struct se_part *cur;
	size_t n, i;
	bool busy = false;
	int rc = 0;

	*removed = 0;
	if (se_dm_parts(m->uuid, &cur, &n))
		return -1;
	for (i = 0; i < n && !force; i++) {
		if (!cur[i].open_count)
			continue;
		errmsg("%s (partition %u of %s) is open (%d users); close it first, or --force to remove it at its last close",
		       cur[i].name, cur[i].number, m->name, cur[i].open_count);
		busy = true;
	}
	if (busy) {
		free(cur);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (se_dm_remove(cur[i].name, cur[i].open_count > 0)) {
			rc = -1;
			continue;
		}
		if (out && cur[i].open_count)
			fprintf(out, "%s: will be removed when its last user closes it\n",
				cur[i].name);
	}
	*removed = n;
	free(cur);
	return rc;
}
