// SPDX-License-Identifier: GPL-2.0
/*
 * Write plans.  fix, convert and restore never write directly: they put
 * what they want on the disk into a plan, sector by sector, next to what is
 * there now.  The plan can then be shown (--dry-run), backed up (--backup)
 * and written in stages: the backup GPT, the primary GPT, then sector 0,
 * with fsync after each, so an interruption leaves one valid GPT behind.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "ptable/int.h"
#include "ptable/ops.h"

void plan_init(struct wplan *p, int fd, uint64_t dev_bytes, unsigned int unit)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->dev_bytes = dev_bytes;
	p->unit = unit;
}

void plan_free(struct wplan *p)
{
	unsigned int k;
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->u[i].old);
		free(p->u[i].new);
	}
	free(p->u);
	for (k = 0; k < p->nnotes; k++)
		free(p->notes[k]);
	free(p->notes);
	memset(p, 0, sizeof(*p));
}

static struct wunit *get_unit(struct wplan *p, uint64_t off, int stage,
			      const char *what)
{
	struct wunit *u, *n;
	size_t i;
	int ret;

	for (i = 0; i < p->n; i++) {
		u = &p->u[i];
		if (u->off == off) {
			if (stage < u->stage)
				u->stage = stage;
			u->what = what;
			return u;
		}
	}
	n = realloc(p->u, (p->n + 1) * sizeof(*n));
	if (!n)
		goto nomem;
	p->u = n;
	u = &n[p->n];
	memset(u, 0, sizeof(*u));
	u->off = off;
	u->stage = stage;
	u->what = what;
	u->old = malloc(p->unit);
	u->new = malloc(p->unit);
	if (!u->old || !u->new) {
		free(u->old);
		free(u->new);
		goto nomem;
	}
	ret = io_pread(p->fd, u->old, p->unit, off);
	if (ret) {
		free(u->old);
		free(u->new);
		p->err = ret;
		return NULL;
	}
	memcpy(u->new, u->old, p->unit);
	p->n++;
	return u;
nomem:
	p->err = -ENOMEM;
	return NULL;
}

static int put(struct wplan *p, int stage, uint64_t off, const void *data,
	       size_t len, const char *what)
{
	uint64_t first, pos, end = off + len;
	struct wunit *u;
	size_t chunk, skip;

	if (p->err)
		return p->err;
	if (end < off || end > p->dev_bytes) {
		se_err("internal error: refusing to plan a write of %zu bytes at byte %" PRIu64 " past the end (%" PRIu64 " bytes)",
		       len, off, p->dev_bytes);
		return p->err = -ERANGE;
	}
	first = off / p->unit * p->unit;
	if (first + p->unit > p->dev_bytes && end > first) {
		se_err("internal error: sector at byte %" PRIu64 " is not whole on the device",
		       first);
		return p->err = -ERANGE;
	}
	for (pos = off; pos < end; pos += chunk) {
		u = get_unit(p, pos / p->unit * p->unit, stage, what);
		if (!u)
			return p->err;
		skip = (size_t)(pos - u->off);
		chunk = p->unit - skip;
		if (chunk > end - pos)
			chunk = (size_t)(end - pos);
		if (data)
			memcpy(u->new + skip, (const uint8_t *)data + (pos - off), chunk);
		else
			memset(u->new + skip, 0, chunk);
	}
	return 0;
}

int plan_put(struct wplan *p, int stage, uint64_t off, const void *data,
	     size_t len, const char *what)
{
	return put(p, stage, off, data, len, what);
}

int plan_zero(struct wplan *p, int stage, uint64_t off, size_t len,
	      const char *what)
{
	return put(p, stage, off, NULL, len, what);
}

void plan_note(struct wplan *p, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pt_strlist_add(&p->notes, &p->nnotes, fmt, ap);
	va_end(ap);
	if (ret && !p->err)
		p->err = ret;
}

static bool changed(const struct wplan *p, const struct wunit *u)
{
	return memcmp(u->old, u->new, p->unit) != 0;
}

size_t plan_changes(const struct wplan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		n += changed(p, &p->u[i]);
	return n;
}

static int cmp_unit(const void *a, const void *b)
{
	const struct wunit *x = a, *y = b;

	if (x->stage != y->stage)
		return x->stage - y->stage;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Writing order: by stage, inside a stage by offset. */
static void plan_sort(struct wplan *p)
{
	qsort(p->u, p->n, sizeof(*p->u), cmp_unit);
}

static size_t bytes_differing(const struct wplan *p, const struct wunit *u)
{
	size_t i, n = 0;

	for (i = 0; i < p->unit; i++)
		n += u->old[i] != u->new[i];
	return n;
}

int plan_runs(struct wplan *p, struct wrun **runs, size_t *nruns)
{
	const struct wunit *u, *run;
	struct wrun *v = NULL, *nv;
	size_t i, j, n = 0, diff;

	*runs = NULL;
	*nruns = 0;
	plan_sort(p);
	for (i = 0; i < p->n; i = j) {
		run = &p->u[i];
		diff = 0;
		/* Group consecutive changed sectors of one region. */
		for (j = i; j < p->n; j++) {
			u = &p->u[j];
			if (u->stage != run->stage || u->what != run->what ||
			    u->off != run->off + (j - i) * (uint64_t)p->unit ||
			    changed(p, u) != changed(p, run))
				break;
			diff += bytes_differing(p, u);
		}
		if (!changed(p, run))
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[n].stage = run->stage;
		v[n].first = run->off / p->unit;
		v[n].count = j - i;
		v[n].off = run->off;
		v[n].bytes = (j - i) * (uint64_t)p->unit;
		v[n].what = run->what;
		v[n].changed = diff;
		n++;
	}
	*runs = v;
	*nruns = n;
	return 0;
}

/* The device must still hold what the plan was computed from. */
static int verify_unchanged(struct wplan *p)
{
	uint8_t *buf = malloc(p->unit);
	size_t i;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < p->n && !ret; i++) {
		ret = io_pread(p->fd, buf, p->unit, p->u[i].off);
		if (!ret && memcmp(buf, p->u[i].old, p->unit))
			ret = -ESTALE;
	}
	free(buf);
	return ret;
}

int plan_execute(struct wplan *p, const char *backup_path)
{
	const struct wunit *u;
	int stage, ret;
	size_t i;

	if (p->err) {
		errno = -p->err;
		se_err_errno("cannot plan the writes");
		return -1;
	}
	plan_sort(p);
	ret = verify_unchanged(p);
	if (ret) {
		errno = -ret;
		se_err_errno("the device changed while the writes were planned; nothing written");
		return -1;
	}
	if (backup_path && backup_save(backup_path, p))
		return -1;
	for (stage = 0; stage < WSTAGE_COUNT; stage++) {
		bool wrote = false;

		for (i = 0; i < p->n; i++) {
			u = &p->u[i];
			if (u->stage != stage || !changed(p, u))
				continue;
			ret = io_pwrite(p->fd, u->new, p->unit, u->off);
			if (ret) {
				errno = -ret;
				se_err_errno("write of %s at byte %" PRIu64 " failed%s",
					     u->what, u->off,
					     backup_path ? " (restore with ptable restore --backup)" : "");
				return -1;
			}
			wrote = true;
		}
		if (wrote && fsync(p->fd)) {
			se_err_errno("fsync after write step %d failed",
				     stage + 1);
			return -1;
		}
	}
	return 0;
}
