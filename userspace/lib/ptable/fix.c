// SPDX-License-Identifier: GPL-2.0
/*
 * ptable fix: repair a GPT in place at the sector size it was written for.
 *
 * The valid copy (the primary if it is valid, else the backup) is the
 * source.  Both copies are rewritten from it: the backup header at the
 * last LBA with its entry array right before it (what `sgdisk -e` does
 * after a device grew, LastUsableLBA following), the primary at LBA 1,
 * and a protective MBR sized for the device.  Partitions are never moved
 * or edited; if one would not fit the repaired table, nothing is written.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "ptable/int.h"
#include "ptable/ops.h"

/* Plan the protective MBR (sector 0) for a GPT of sector size ss. */
static int plan_pmbr(const struct ptable *pt, unsigned int ss, bool force,
		     struct wplan *plan)
{
	const struct mbr_state *m = pt->mbrs;
	uint8_t mbr[MBR_SIZE];
	struct mbr_entry o, n;

	if (pt->mbr == PTABLE_MBR_HYBRID)
		return 0;	/* deliberate; its 0xEE entry is not whole-disk */
	if (pt->mbr == PTABLE_MBR_CLASSIC && !force) {
		se_err("sector 0 holds an MBR with partitions but no 0xEE entry; replacing it with a protective MBR needs --force (check that the GPT is the table in use)");
		return -1;
	}
	mbr_build_protective(m->sig ? m->raw : NULL, pt->dev_bytes, ss, mbr);
	mbr_entry_decode(m->raw + MBR_TABLE, &o);
	mbr_entry_decode(mbr + MBR_TABLE, &n);
	if (pt->mbr != PTABLE_MBR_PROTECTIVE)
		plan_note(plan, "protective MBR: written new (0xEE entry: start 1, size %" PRIu32 ")",
			  n.size);
	else if (memcmp(m->raw + MBR_TABLE, mbr + MBR_TABLE, 64))
		plan_note(plan, "protective MBR: 0xEE entry type 0x%02x start %" PRIu32 " size %" PRIu32 " -> type 0x%02x start %" PRIu32 " size %" PRIu32,
			  o.type, o.start, o.size, n.type, n.start, n.size);
	return plan_put(plan, WSTAGE_MBR, 0, mbr, MBR_SIZE, "protective MBR");
}

/* Every partition must lie inside [first, last] of the repaired table. */
static int check_fits(const struct ptable *pt, uint64_t first, uint64_t last)
{
	const struct ptable_part *p;
	char label[160];
	unsigned int i;
	int bad = 0;

	for (i = 0; i < pt->nparts; i++) {
		p = &pt->parts[i];
		if (p->first_lba >= first && p->last_lba <= last &&
		    p->first_lba <= p->last_lba)
			continue;
		se_err("%s (LBA %" PRIu64 "-%" PRIu64 ") does not fit the usable area LBA %" PRIu64 "-%" PRIu64 " of the repaired table",
		       pt_part_label(p, label, sizeof(label)), p->first_lba,
		       p->last_lba, first, last);
		bad = 1;
	}
	return bad ? -1 : 0;
}

int ptable_plan_fix(const struct ptable *pt, const struct ptdev *d,
		    bool force, struct wplan *plan)
{
	const struct gpt_state *st = pt->gpt;
	const struct gpt_copy *src;
	struct gpt_header pri, bak;
	uint64_t asect, last, made_for;
	unsigned int ss;
	int ret;

	(void)d;
	if (pt->kind == PTABLE_MBR) {
		if (!pt->nproblems)
			return 0;
		se_err("fix repairs GPTs; the problems of this classic MBR need a partitioning tool");
		return -1;
	}
	if (pt->kind != PTABLE_GPT) {
		se_err("no partition table found: nothing to fix");
		return -1;
	}
	if (!st || !st->src) {
		se_err("neither the primary nor the backup GPT is valid: nothing to rebuild from");
		return -1;
	}
	src = st->src;
	ss = st->ss;
	last = st->last_lba;
	asect = gpt_array_sectors(&src->h, ss);
	if (last < 2 * asect + 3) {
		se_err("the device (%" PRIu64 " sectors of %u bytes) is too small for a GPT with %" PRIu64 "-sector entry arrays",
		       last + 1, ss, asect);
		return -1;
	}

	pri = src->h;
	pri.my_lba = 1;
	pri.alt_lba = last;
	if (src != &st->primary)
		pri.entries_lba = 2;
	if (pri.entries_lba + asect > pri.first_usable) {
		se_err("the primary entry array would overlap FirstUsableLBA %" PRIu64,
		       pri.first_usable);
		return -1;
	}
	/* The last LBA the table was made for; LastUsableLBA follows a move. */
	made_for = src == &st->primary ? src->h.alt_lba : src->h.my_lba;
	if (made_for != last || pri.last_usable > last - asect - 1)
		pri.last_usable = last - asect - 1;
	if (check_fits(pt, pri.first_usable, pri.last_usable))
		return -1;

	bak = pri;
	bak.my_lba = last;
	bak.alt_lba = 1;
	bak.entries_lba = last - asect;

	/* A backup left behind in the middle of a grown device goes. */
	if (st->backup.found && st->backup.lba != last) {
		ret = plan_wipe_copy(plan, pt, &st->backup, ss,
				     "old backup GPT header",
				     "old backup entry array");
		if (ret)
			return ret;
	}
	ret = gpt_plan_copies(plan, ss, &pri, &bak, src->entries, st);
	if (ret)
		return ret;
	return plan_pmbr(pt, ss, force, plan);
}
