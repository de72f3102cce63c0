// SPDX-License-Identifier: GPL-2.0
/*
 * The problem list: partitions out of range, overlapping or not 4 KiB
 * aligned, plus the bookkeeping for partitions and problems of a ptable.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptable/int.h"

int pt_strlist_add(char ***list, unsigned int *n, const char *fmt, va_list ap)
{
	char **v, *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return -ENOMEM;
	v = realloc(*list, (*n + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return -ENOMEM;
	}
	*list = v;
	v[(*n)++] = s;
	return 0;
}

void pt_problem(struct ptable *pt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pt_strlist_add(&pt->problems, &pt->nproblems, fmt, ap);
	va_end(ap);
}

int pt_add_part(struct ptable *pt, const struct ptable_part *p)
{
	struct ptable_part *n;

	n = realloc(pt->parts, (pt->nparts + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	pt->parts = n;
	n[pt->nparts++] = *p;
	return 0;
}

const char *pt_part_label(const struct ptable_part *p, char *buf, size_t len)
{
	if (p->name[0])
		snprintf(buf, len, "partition %u (\"%s\")", p->number, p->name);
	else
		snprintf(buf, len, "partition %u", p->number);
	return buf;
}

static int cmp_start(const void *a, const void *b)
{
	const struct ptable_part *x = *(const struct ptable_part * const *)a;
	const struct ptable_part *y = *(const struct ptable_part * const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->number < y->number ? -1 : x->number > y->number;
}

static void check_overlaps(struct ptable *pt)
{
	struct ptable_part **v, *a, *b;
	unsigned int i, j, n = 0;

	v = malloc(pt->nparts * sizeof(*v) + 1);
	if (!v)
		return;
	for (i = 0; i < pt->nparts; i++)
		if (pt->parts[i].size)
			v[n++] = &pt->parts[i];
	qsort(v, n, sizeof(*v), cmp_start);
	for (i = 0; i < n; i++) {
		a = v[i];
		for (j = i + 1; j < n && v[j]->start < a->start + a->size; j++) {
			b = v[j];
			/* Logical partitions live inside their container. */
			if ((a->extended && b->logical) || (b->extended && a->logical))
				continue;
			pt_problem(pt, "partitions %u and %u overlap", a->number,
				   b->number);
		}
	}
	free(v);
}

/*
 * Check every partition against [lo, hi), the usable bytes of the table,
 * and against the device; report overlaps and, for tables with sectors
 * smaller than 4 KiB, partitions that a 4 KiB device could not hold.
 */
void pt_check_parts(struct ptable *pt, uint64_t lo, uint64_t hi)
{
	const struct ptable_part *p;
	char label[160];
	uint64_t end;
	unsigned int i;

	for (i = 0; i < pt->nparts; i++) {
		p = &pt->parts[i];
		if (!p->size)
			continue;
		end = p->start + p->size;
		pt_part_label(p, label, sizeof(label));
		if (p->start < lo)
			pt_problem(pt, "%s starts at byte %" PRIu64 ", before the first usable byte %" PRIu64,
				   label, p->start, lo);
		if (end > pt->dev_bytes)
			pt_problem(pt, "%s ends at byte %" PRIu64 ", past the end of the device (%" PRIu64 " bytes)",
				   label, end, pt->dev_bytes);
		else if (end > hi)
			pt_problem(pt, "%s ends at byte %" PRIu64 ", past the last usable byte %" PRIu64,
				   label, end, hi);
		if (pt->sector_size < 4096 && !p->extended &&
		    (p->start % 4096 || p->size % 4096))
			pt_problem(pt, "%s is not 4096-byte aligned (start byte %" PRIu64 ", size %" PRIu64 " bytes)",
				   label, p->start, p->size);
	}
	check_overlaps(pt);
}

void ptable_free(struct ptable *pt)
{
	unsigned int i;

	for (i = 0; i < pt->nproblems; i++)
		free(pt->problems[i]);
	free(pt->problems);
	free(pt->parts);
	gpt_state_free(pt->gpt);
	mbr_state_free(pt->mbrs);
	memset(pt, 0, sizeof(*pt));
}

const char *ptable_kind_name(enum ptable_kind kind)
{
	switch (kind) {
	case PTABLE_GPT:
		return "gpt";
	case PTABLE_MBR:
		return "mbr";
	default:
		return "none";
	}
}

const char *ptable_mbr_kind_name(enum ptable_mbr_kind kind)
{
	switch (kind) {
	case PTABLE_MBR_PROTECTIVE:
		return "protective";
	case PTABLE_MBR_HYBRID:
		return "hybrid";
	case PTABLE_MBR_CLASSIC:
		return "classic";
	default:
		return "none";
	}
}
