// SPDX-License-Identifier: GPL-2.0
/* Partition mappings: which, what they are called, and the rescan plan. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/name.h"
#include "ops/partmap.h"

int partmap_name(const char *parent, unsigned int number, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%sp%u", parent, number);

	return n < 0 || (size_t)n >= len || !se_name_ok(buf) ? -1 : 0;
}

void partmap_uuid(const char *parent_uuid, unsigned int number, char *buf,
		  size_t len)
{
	snprintf(buf, len, "part%u-%s", number, parent_uuid);
}

static int __attribute__((format(printf, 2, 3)))
refuse(struct partmap_plan *p, const char *fmt, ...)
{
	char **v, *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	v = realloc(p->refusals, (p->nrefusals + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return -ENOMEM;
	}
	p->refusals = v;
	v[p->nrefusals++] = s;
	return 0;
}

/*
 * The inspect problems that mappings cannot follow: the partitions would
 * overlap or reach past the device, or the table cannot be read at all.
 * So do a GPT behind a classic MBR, which the kernel ignores (these
 * mappings follow what the kernel would see, and the ptable code reads
 * the GPT).  A backup GPT that is not at the end, an unaligned partition or a
 * protective MBR of the wrong size change nothing about where the
 * partitions are.
 */
static bool blocks_mappings(const char *problem)
{
	static const char *const fatal[] = {
		"past the end of the device",
		"out of range",
		"is before its first LBA",
		"is not inside its extended partition",
		"partitions cannot be read",
		/* A GPT found behind a classic MBR: the kernel reads the MBR. */
		"the kernel will use it and ignore the GPT",
	};
	size_t i;

	if (!strncmp(problem, "partitions ", 11) && strstr(problem, " overlap"))
		return true;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (strstr(problem, fatal[i]))
			return true;
	return false;
}

int partmap_want(const struct ptable *pt, struct partmap_want **want,
		 size_t *nwant, struct partmap_plan *p)
{
	struct partmap_want *v;
	const struct ptable_part *q;
	unsigned int i;
	size_t n = 0;
	bool bad = false;

	*want = NULL;
	*nwant = 0;
	for (i = 0; i < pt->nproblems; i++) {
		if (!blocks_mappings(pt->problems[i]))
			continue;
		bad = true;
		if (refuse(p, "%s", pt->problems[i]))
			return -ENOMEM;
	}
	if (bad)
		return 0;
	v = calloc(pt->nparts + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < pt->nparts; i++) {
		q = &pt->parts[i];
		if (q->extended || !q->size || !q->number)
			continue;
		if (q->start % 512 || q->size % 512) {
			free(v);
			return refuse(p, "partition %u is not made of 512-byte sectors (start byte %" PRIu64 ", size %" PRIu64 ")",
				      q->number, q->start, q->size);
		}
		v[n].number = q->number;
		v[n].start = q->start / 512;
		v[n].length = q->size / 512;
		n++;
	}
	*want = v;
	*nwant = n;
	return 0;
}

static int add_action(struct partmap_plan *p, const struct partmap_action *a)
{
	struct partmap_action *v = realloc(p->actions, (p->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	p->actions = v;
	v[p->n++] = *a;
	return 0;
}

static const struct se_part *find_cur(const struct se_part *cur, size_t ncur,
				      unsigned int number)
{
	for (size_t i = 0; i < ncur; i++)
		if (cur[i].number == number)
			return &cur[i];
	return NULL;
}

static const struct partmap_want *find_want(const struct partmap_want *want,
					    size_t nwant, unsigned int number)
{
	for (size_t i = 0; i < nwant; i++)
		if (want[i].number == number)
			return &want[i];
	return NULL;
}

/* Removals first, then reloads, additions and the ones kept. */
static int by_op(const void *a, const void *b)
{
	static const int rank[] = {
		[PARTMAP_REMOVE] = 0, [PARTMAP_RELOAD] = 1,
		[PARTMAP_ADD] = 2, [PARTMAP_KEEP] = 3,
	};
	const struct partmap_action *x = a, *y = b;

	if (x->op != y->op)
		return rank[x->op] - rank[y->op];
	return x->number < y->number ? -1 : x->number > y->number;
}

int partmap_plan(const char *parent, const struct partmap_want *want,
		 size_t nwant, const struct se_part *cur, size_t ncur,
		 struct partmap_plan *p)
{
	struct partmap_action a;
	const struct partmap_want *w;
	const struct se_part *c;
	size_t i;
	int r;

	for (i = 0; i < ncur; i++) {
		c = &cur[i];
		memset(&a, 0, sizeof(a));
		a.number = c->number;
		snprintf(a.name, sizeof(a.name), "%s", c->name);
		a.old_start = c->start;
		a.old_length = c->length;
		a.open_count = c->open_count;
		w = find_want(want, nwant, c->number);
		if (!w) {
			a.op = PARTMAP_REMOVE;
			if (c->open_count && refuse(p, "%s is open: partition %u is gone from the table, but its mapping cannot be removed",
						    c->name, c->number))
				return -ENOMEM;
		} else if (w->start == c->start && w->length == c->length) {
			a.op = PARTMAP_KEEP;
		} else {
			a.op = PARTMAP_RELOAD;
			a.start = w->start;
			a.length = w->length;
			if (c->open_count && w->start != c->start &&
			    refuse(p, "%s is open: partition %u moved (sector %" PRIu64 " to %" PRIu64 "), its mapping cannot follow",
				   c->name, c->number, c->start, w->start))
				return -ENOMEM;
			else if (c->open_count && w->start == c->start &&
				 w->length < c->length &&
				 refuse(p, "%s is open: partition %u shrank (%" PRIu64 " to %" PRIu64 " sectors), its mapping cannot",
					c->name, c->number, c->length, w->length))
				return -ENOMEM;
		}
		if ((r = add_action(p, &a)))
			return r;
	}
	for (i = 0; i < nwant; i++) {
		w = &want[i];
		if (find_cur(cur, ncur, w->number))
			continue;
		memset(&a, 0, sizeof(a));
		a.op = PARTMAP_ADD;
		a.number = w->number;
		a.start = w->start;
		a.length = w->length;
		if (partmap_name(parent, w->number, a.name, sizeof(a.name)) &&
		    refuse(p, "%sp%u is too long for a mapping name", parent, w->number))
			return -ENOMEM;
		if ((r = add_action(p, &a)))
			return r;
	}
	if (p->n)
		qsort(p->actions, p->n, sizeof(*p->actions), by_op);
	return 0;
}

void partmap_plan_free(struct partmap_plan *p)
{
	for (size_t i = 0; i < p->nrefusals; i++)
		free(p->refusals[i]);
	free(p->refusals);
	free(p->actions);
	memset(p, 0, sizeof(*p));
}
