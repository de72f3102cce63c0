// SPDX-License-Identifier: GPL-2.0
/*
 * The partition-mapping plan: which partitions of a table get mappings,
 * their names and UUIDs, what a rescan adds, removes and reloads given the
 * existing mappings, and what it refuses.
 */
#include <stdlib.h>
#include <string.h>

#include "ops/partmap.h"
#include "tap.h"

/* The number of actions of kind @op. */
static size_t partmap_count(const struct partmap_plan *p, enum partmap_op op)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->actions[i].op == op;
	return n;
}

#define MIB (1024ULL * 1024)

static struct ptable_part part(unsigned int number, uint64_t start_mib,
			       uint64_t size_mib)
{
	struct ptable_part p;

	memset(&p, 0, sizeof(p));
	p.number = number;
	p.start = start_mib * MIB;
	p.size = size_mib * MIB;
	return p;
}

static struct se_part cur(const char *name, unsigned int number,
			  uint64_t start_mib, uint64_t size_mib, int open)
{
	struct se_part c;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "%s", name);
	c.number = number;
	c.start = start_mib * 2048;
	c.length = size_mib * 2048;
	c.open_count = open;
	return c;
}

static const struct partmap_action *action(const struct partmap_plan *p,
					   unsigned int number)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->actions[i].number == number)
			return &p->actions[i];
	return NULL;
}

static bool refused_with(const struct partmap_plan *p, const char *text)
{
	for (size_t i = 0; i < p->nrefusals; i++)
		if (strstr(p->refusals[i], text))
			return true;
	return false;
}

static void test_names(void)
{
	char buf[128], big[128];

	tap_ok(!partmap_name("vm", 1, buf, sizeof(buf)) && !strcmp(buf, "vmp1"),
	       "name: vm, 1 -> vmp1");
	tap_ok(!partmap_name("disk0", 12, buf, sizeof(buf)) && !strcmp(buf, "disk0p12"),
	       "name: disk0, 12 -> disk0p12 (p even after a digit)");
	memset(big, 'a', 100);
	big[100] = '\0';
	tap_ok(partmap_name(big, 1, buf, sizeof(buf)) == -1,
	       "name: a 100-character parent leaves no room for p1");
	partmap_uuid("SECTOREMU-00ff", 5, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "part5-SECTOREMU-00ff"), "uuid: part5-<parent uuid>");
}

static void test_want(void)
{
	struct ptable_part parts[4];
	struct ptable pt;
	struct partmap_plan p = { 0 };
	struct partmap_want *w;
	char *probs[2];
	size_t n;

	memset(&pt, 0, sizeof(pt));
	pt.kind = PTABLE_MBR;
	pt.sector_size = 512;
	parts[0] = part(1, 1, 10);
	parts[1] = part(2, 11, 30);
	parts[1].extended = true;
	parts[2] = part(5, 12, 4);
	parts[2].logical = true;
	parts[3] = part(6, 17, 4);
	parts[3].logical = true;
	pt.parts = parts;
	pt.nparts = 4;
	tap_ok(!partmap_want(&pt, &w, &n, &p) && !p.nrefusals && n == 3,
	       "MBR: three partitions wanted, the extended container skipped");
	tap_ok(n == 3 && w[0].number == 1 && w[1].number == 5 && w[2].number == 6,
	       "MBR: numbered 1, 5, 6 as the kernel does");
	tap_ok(n == 3 && w[1].start == 12 * 2048 && w[1].length == 4 * 2048,
	       "MBR: p5 at sector 24576, 8192 sectors");
	free(w);

	/* A harmless problem does not stop the mappings. */
	probs[0] = (char *)"backup GPT header is at LBA 327679, not at the end of the device (last LBA 4194303): device grown?";
	probs[1] = (char *)"partition 1 is not 4096-byte aligned (start byte 17408, size 1048576 bytes)";
	pt.problems = probs;
	pt.nproblems = 2;
	tap_ok(!partmap_want(&pt, &w, &n, &p) && !p.nrefusals && n == 3,
	       "a grown device's backup GPT and an unaligned partition: mapped anyway");
	free(w);

	probs[1] = (char *)"partitions 5 and 6 overlap";
	tap_ok(!partmap_want(&pt, &w, &n, &p) && p.nrefusals == 1 && !n && !w &&
	       refused_with(&p, "partitions 5 and 6 overlap"),
	       "overlapping partitions: refused with inspect's words, nothing wanted");
	partmap_plan_free(&p);

	probs[0] = (char *)"partition 3 (\"data\") ends at byte 167772160, past the end of the device (67108864 bytes)";
	probs[1] = (char *)"the primary GPT header places the backup at LBA 327679, past the end of the device (last LBA 131071): truncated image?";
	tap_ok(!partmap_want(&pt, &w, &n, &p) && p.nrefusals == 2 && !n &&
	       refused_with(&p, "partition 3 (\"data\") ends at byte"),
	       "a partition past the end and a table that does not fit: both named");
	partmap_plan_free(&p);

	probs[0] = (char *)"no valid GPT header: partitions cannot be read";
	pt.nproblems = 1;
	tap_ok(!partmap_want(&pt, &w, &n, &p) && p.nrefusals == 1,
	       "an unreadable GPT: refused");
	partmap_plan_free(&p);
	probs[0] = (char *)"sector 0 holds an MBR without a 0xEE entry: the kernel will use it and ignore the GPT";
	tap_ok(!partmap_want(&pt, &w, &n, &p) && p.nrefusals == 1,
	       "a GPT behind a classic MBR (the kernel reads the MBR): refused");
	partmap_plan_free(&p);

	pt.nproblems = 0;
	parts[0].start = 1000;
	tap_ok(!partmap_want(&pt, &w, &n, &p) && p.nrefusals == 1 && !w &&
	       refused_with(&p, "partition 1 is not made of 512-byte sectors"),
	       "a partition not on a 512-byte boundary: refused");
	partmap_plan_free(&p);

	memset(&pt, 0, sizeof(pt));
	tap_ok(!partmap_want(&pt, &w, &n, &p) && !p.nrefusals && !n,
	       "no table: nothing wanted, nothing refused");
	free(w);
}

static void test_plan(void)
{
	struct partmap_want want[4] = {
		{ 1, 1 * 2048, 32 * 2048 },
		{ 2, 33 * 2048, 48 * 2048 },
		{ 3, 81 * 2048, 16 * 2048 },
		{ 4, 97 * 2048, 16 * 2048 },
	};
	struct se_part c[4];
	struct partmap_plan p = { 0 };
	const struct partmap_action *a;

	/* Fresh: everything added, in order, named. */
	tap_ok(!partmap_plan("vm", want, 3, NULL, 0, &p) && p.n == 3 &&
	       partmap_count(&p, PARTMAP_ADD) == 3 && !p.nrefusals,
	       "no mappings yet: three to add");
	tap_ok(p.n == 3 && !strcmp(p.actions[0].name, "vmp1") &&
	       !strcmp(p.actions[2].name, "vmp3") && p.actions[1].start == 33 * 2048 &&
	       p.actions[1].length == 48 * 2048, "added: vmp1..vmp3 with their extents");
	partmap_plan_free(&p);

	/* A partition added with sgdisk: only it. */
	c[0] = cur("vmp1", 1, 1, 32, 0);
	c[1] = cur("vmp2", 2, 33, 48, 1);
	c[2] = cur("vmp3", 3, 81, 16, 0);
	tap_ok(!partmap_plan("vm", want, 4, c, 3, &p) && !p.nrefusals &&
	       partmap_count(&p, PARTMAP_ADD) == 1 && partmap_count(&p, PARTMAP_KEEP) == 3 &&
	       (a = action(&p, 4)) && a->op == PARTMAP_ADD && !strcmp(a->name, "vmp4"),
	       "p4 added to the table: vmp4 added, the others kept (even the open one)");
	partmap_plan_free(&p);

	/* Same table again: nothing to do. */
	c[3] = cur("vmp4", 4, 97, 16, 0);
	tap_ok(!partmap_plan("vm", want, 4, c, 4, &p) &&
	       partmap_count(&p, PARTMAP_KEEP) == 4 && p.n == 4,
	       "table unchanged: all kept");
	partmap_plan_free(&p);

	/* Gone and resized, nothing open. */
	want[2].length = 8 * 2048;
	tap_ok(!partmap_plan("vm", want + 2, 2, c + 2, 2, &p) && !p.nrefusals &&
	       (a = action(&p, 3)) && a->op == PARTMAP_RELOAD && a->length == 8 * 2048 &&
	       a->old_length == 16 * 2048,
	       "p3 shrank, closed: reloaded, old and new sizes");
	partmap_plan_free(&p);
	c[1].open_count = 0;
	partmap_plan("vm", want + 2, 2, c, 4, &p);
	tap_ok(!p.nrefusals && partmap_count(&p, PARTMAP_REMOVE) == 2 &&
	       p.actions[0].op == PARTMAP_REMOVE && p.actions[1].op == PARTMAP_REMOVE &&
	       p.actions[2].op == PARTMAP_RELOAD,
	       "order: removals, then reloads, then additions");
	partmap_plan_free(&p);

	/* Refusals: open and gone, open and shrunk, open and moved. */
	c[1].open_count = 1;
	tap_ok(!partmap_plan("vm", want + 2, 2, c, 4, &p) && p.nrefusals == 1 &&
	       refused_with(&p, "vmp2 is open: partition 2 is gone"),
	       "open vmp2 gone from the table: refused, naming it");
	partmap_plan_free(&p);
	c[2].open_count = 2;
	tap_ok(!partmap_plan("vm", want + 2, 2, c + 2, 2, &p) && p.nrefusals == 1 &&
	       refused_with(&p, "vmp3 is open: partition 3 shrank"),
	       "open vmp3 would shrink: refused, naming it");
	partmap_plan_free(&p);
	want[2].length = 24 * 2048;
	tap_ok(!partmap_plan("vm", want + 2, 2, c + 2, 2, &p) && !p.nrefusals &&
	       (a = action(&p, 3)) && a->op == PARTMAP_RELOAD,
	       "open vmp3 grows: reloaded");
	partmap_plan_free(&p);
	want[2].start = 80 * 2048;
	tap_ok(!partmap_plan("vm", want + 2, 2, c + 2, 2, &p) && p.nrefusals == 1 &&
	       refused_with(&p, "vmp3 is open: partition 3 moved"),
	       "open vmp3 would move: refused, naming it");
	partmap_plan_free(&p);
}

int main(void)
{
	tap_plan(24);
	test_names();
	test_want();
	test_plan();
	return tap_exit();
}
