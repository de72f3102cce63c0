// SPDX-License-Identifier: GPL-2.0
/*
 * ptable convert: rewrite a table for another sector size, keeping every
 * partition's byte range and everything else about it.
 *
 * GPT: the entry array is copied entry by entry with FirstLBA/LastLBA
 * rescaled (type, unique GUID, attributes, name and any bytes past 128
 * untouched); the headers are laid out anew by the UEFI rules for the
 * target size: primary at LBA 1 with its array from LBA 2, at least
 * 16 KiB of entries, FirstUsableLBA right after the array (or at the same
 * byte as before, when the source left a larger gap), the backup array and
 * header at the end.  The disk GUID is kept, and so is the boot
 * code of sector 0.
 *
 * MBR: the sector 0 entries and every EBR of the logical chain are
 * rescaled in place (an EBR stays at the same byte offset).
 *
 * Anything that cannot be represented at the target size - a partition
 * whose start or end is not a multiple of it, one that would collide with
 * the larger metadata, an LBA that no longer fits 32 bits - is reported
 * and nothing at all is planned.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "ptable/int.h"
#include "ptable/ops.h"

/* Partitions whose byte range cannot be expressed in `to`-byte sectors. */
static int check_alignment(const struct ptable *pt, unsigned int to)
{
	const struct ptable_part *p;
	char label[160];
	unsigned int i;
	int bad = 0;

	for (i = 0; i < pt->nparts; i++) {
		p = &pt->parts[i];
		if (!(p->start % to) && !(p->size % to))
			continue;
		se_err("%s (bytes %" PRIu64 "-%" PRIu64 ") is not aligned to %u-byte sectors: its %s",
		       pt_part_label(p, label, sizeof(label)), p->start,
		       p->start + p->size - 1, to,
		       p->start % to ? "start is not a multiple" :
				       "end is not a sector boundary");
		bad = 1;
	}
	return bad;
}

/* Rescale an LBA count; false if it is not exact or overflows. */
static bool rescale(uint64_t v, unsigned int from, unsigned int to,
		    uint64_t *out)
{
	uint64_t bytes;

	if (__builtin_mul_overflow(v, (uint64_t)from, &bytes) || bytes % to)
		return false;
	*out = bytes / to;
	return true;
}

static bool rescale32(uint32_t v, unsigned int from, unsigned int to,
		      uint32_t *out)
{
	uint64_t r;

	if (!rescale(v, from, to, &r) || r > UINT32_MAX)
		return false;
	*out = (uint32_t)r;
	return true;
}

/*
 * Rescale one MBR/EBR entry; base is the absolute sector (at `to`) its
 * start is relative to, for the CHS fields.
 */
static bool convert_entry(uint8_t *p, unsigned int from, unsigned int to,
			  uint64_t base)
{
	struct mbr_entry e;

	mbr_entry_decode(p, &e);
	if (!e.type || !e.size)
		return true;
	if (!rescale32(e.start, from, to, &e.start) ||
	    !rescale32(e.size, from, to, &e.size))
		return false;
	mbr_lba_to_chs(base + e.start, e.chs_first);
	mbr_lba_to_chs(base + e.start + e.size - 1, e.chs_last);
	mbr_entry_encode(&e, p);
	return true;
}

static void note_entries(struct wplan *plan, const char *label,
			 const uint8_t *o, const uint8_t *n)
{
	struct mbr_entry a, b;
	int i;

	for (i = 0; i < 4; i++) {
		mbr_entry_decode(o + 16 * i, &a);
		mbr_entry_decode(n + 16 * i, &b);
		if (a.start != b.start || a.size != b.size)
			plan_note(plan, "%s entry %d (type 0x%02x): start %" PRIu32 " -> %" PRIu32 ", sectors %" PRIu32 " -> %" PRIu32,
				  label, i + 1, a.type, a.start, b.start,
				  a.size, b.size);
	}
}

static int convert_mbr(const struct ptable *pt, unsigned int to,
		       struct wplan *plan)
{
	const struct mbr_state *m = pt->mbrs;
	unsigned int from = pt->sector_size, i, k;
	uint64_t ext_start = 0;
	uint8_t raw[MBR_SIZE];
	char label[64];
	int ret;

	for (i = 0; i < 4; i++)
		if (m->e[i].size && mbr_is_extended(m->e[i].type))
			ext_start = (uint64_t)m->e[i].start * from / to;
	for (i = 0; i < m->nebrs; i++) {
		const struct ebr *e = &m->ebrs[i];

		if (e->off % to) {
			se_err("the EBR at byte %" PRIu64 " is not aligned to %u-byte sectors",
			       e->off, to);
			return -1;
		}
		memcpy(raw, e->raw, MBR_SIZE);
		for (k = 0; k < 4; k++) {
			uint8_t *p = raw + MBR_TABLE + 16 * k;
			uint64_t base = mbr_is_extended(p[4]) ? ext_start : e->off / to;

			if (!convert_entry(p, from, to, base)) {
				se_err("entry %u of the EBR at byte %" PRIu64 " cannot be expressed in %u-byte sectors",
				       k + 1, e->off, to);
				return -1;
			}
		}
		snprintf(label, sizeof(label), "EBR at byte %" PRIu64, e->off);
		note_entries(plan, label, e->raw + MBR_TABLE, raw + MBR_TABLE);
		ret = plan_put(plan, WSTAGE_PRIMARY, e->off, raw, MBR_SIZE,
			       "EBR (logical partition chain)");
		if (ret)
			return ret;
	}
	memcpy(raw, m->raw, MBR_SIZE);
	for (k = 0; k < 4; k++) {
		if (!convert_entry(raw + MBR_TABLE + 16 * k, from, to, 0)) {
			se_err("MBR entry %u does not fit 32-bit fields in %u-byte sectors",
			       k + 1, to);
			return -1;
		}
	}
	note_entries(plan, "MBR", m->raw + MBR_TABLE, raw + MBR_TABLE);
	return plan_put(plan, WSTAGE_MBR, 0, raw, MBR_SIZE, "MBR");
}

/* Sector 0 in front of the converted GPT. */
static int convert_pmbr(const struct ptable *pt, unsigned int to,
			struct wplan *plan)
{
	const struct mbr_state *m = pt->mbrs;
	uint8_t raw[MBR_SIZE];
	struct mbr_entry e;
	uint64_t end;
	int k;

	switch (pt->mbr) {
	case PTABLE_MBR_CLASSIC:
		se_err("sector 0 holds an MBR without a 0xEE entry in front of the GPT; run 'ptable fix --force' first if the GPT is the table in use");
		return -1;
	case PTABLE_MBR_NONE:
	case PTABLE_MBR_PROTECTIVE:
		mbr_build_protective(m->sig ? m->raw : NULL, pt->dev_bytes, to,
				     raw);
		break;
	case PTABLE_MBR_HYBRID:
		memcpy(raw, m->raw, MBR_SIZE);
		for (k = 0; k < 4; k++) {
			uint8_t *p = raw + MBR_TABLE + 16 * k;

			mbr_entry_decode(p, &e);
			if (e.type != MBR_TYPE_GPT || !e.size) {
				if (convert_entry(p, pt->sector_size, to, 0))
					continue;
				se_err("hybrid MBR entry %d (LBA %" PRIu32 ", %" PRIu32 " sectors) cannot be expressed in %u-byte sectors",
				       k + 1, e.start, e.size, to);
				return -1;
			}
			/* The 0xEE entry keeps covering the same bytes. */
			end = ((uint64_t)e.start + e.size) * pt->sector_size;
			end = (end + to - 1) / to;
			e.start = 1;
			e.size = end - 1 > mbr_protective_size(pt->dev_bytes, to) ?
				 mbr_protective_size(pt->dev_bytes, to) :
				 (uint32_t)(end - 1);
			mbr_lba_to_chs(1, e.chs_first);
			mbr_lba_to_chs(e.size, e.chs_last);
			mbr_entry_encode(&e, p);
		}
		break;
	}
	note_entries(plan, "sector 0 MBR", m->raw + MBR_TABLE, raw + MBR_TABLE);
	return plan_put(plan, WSTAGE_MBR, 0, raw, MBR_SIZE,
			pt->mbr == PTABLE_MBR_HYBRID ? "hybrid MBR" : "protective MBR");
}

/*
 * The headers of the GPT at @to: the source copy's, its entry array at
 * least 16 KiB, and the usable area as large as @to allows unless the
 * source kept a deliberate gap (fdisk starts the usable area at 1 MiB):
 * then the same byte position is kept.  -1 after a diagnostic.
 */
static int gpt_headers(const struct ptable *pt, unsigned int to,
		       struct gpt_header *pri, struct gpt_header *bak)
{
	const struct gpt_state *st = pt->gpt;
	unsigned int from = st->ss;
	uint64_t last, asect, first, lastl, f, l;

	*pri = st->src->h;
	if (gpt_array_bytes(pri) < GPT_MIN_ARRAY_BYTES)
		pri->num_entries = GPT_MIN_ARRAY_BYTES / pri->entry_size;
	if (pri->header_size > to)
		pri->header_size = GPT_HEADER_SIZE;
	asect = gpt_array_sectors(pri, to);
	last = pt->dev_bytes / to - 1;
	if (pt->dev_bytes / to < 2 * asect + 4) {
		se_err("the device is too small for a GPT at %u-byte sectors", to);
		return -1;
	}
	first = 2 + asect;
	lastl = last - asect - 1;
	f = pri->first_usable;
	if (f != 2 + gpt_array_sectors(&st->src->h, from) &&
	    (f * from + to - 1) / to > first)
		first = (f * from + to - 1) / to;
	l = pri->last_usable;
	if (l != st->last_lba - gpt_array_sectors(&st->src->h, from) - 1 &&
	    (l + 1) * from / to - 1 < lastl && (l + 1) * from / to > first)
		lastl = (l + 1) * from / to - 1;
	pri->my_lba = 1;
	pri->alt_lba = last;
	pri->entries_lba = 2;
	pri->first_usable = first;
	pri->last_usable = lastl;
	*bak = *pri;
	bak->my_lba = last;
	bak->alt_lba = 1;
	bak->entries_lba = last - asect;
	return 0;
}

/*
 * Every partition's entry in @ents rescaled to @to and inside the usable
 * area of @pri; -1 after diagnostics (check_alignment() has named the
 * unaligned ones).
 */
static int rescale_entries(const struct ptable *pt, unsigned int to,
			   const struct gpt_header *pri, uint8_t *ents,
			   struct wplan *plan)
{
	unsigned int from = pt->gpt->ss, i;
	char label[160];
	uint64_t f, l;
	uint8_t *e;
	int bad = 0;

	for (i = 0; i < pt->nparts; i++) {
		const struct ptable_part *p = &pt->parts[i];

		e = ents + (size_t)p->slot * pri->entry_size;
		if (!rescale(p->first_lba, from, to, &f) ||
		    !rescale(p->last_lba + 1, from, to, &l) || !l) {
			bad = 1;	/* reported by check_alignment */
			continue;
		}
		l--;
		if (f < pri->first_usable || l > pri->last_usable) {
			se_err("%s (bytes %" PRIu64 "-%" PRIu64 ") would overlap the GPT metadata at %u-byte sectors (usable bytes %" PRIu64 "-%" PRIu64 ")",
			       pt_part_label(p, label, sizeof(label)), p->start,
			       p->start + p->size - 1, to, pri->first_usable * to,
			       (pri->last_usable + 1) * to - 1);
			bad = 1;
			continue;
		}
		put_le64(e + GPT_ENT_FIRST, f);
		put_le64(e + GPT_ENT_LAST, l);
		plan_note(plan, "partition %u: first_lba %" PRIu64 " -> %" PRIu64 ", last_lba %" PRIu64 " -> %" PRIu64,
			  p->number, p->first_lba, f, p->last_lba, l);
	}
	return bad ? -1 : 0;
}

static int convert_gpt(const struct ptable *pt, unsigned int to,
		       struct wplan *plan)
{
	const struct gpt_state *st = pt->gpt;
	unsigned int from = st->ss;
	struct gpt_header pri, bak;
	uint8_t *ents;
	int ret;

	if (!st->src) {
		se_err("neither the primary nor the backup GPT is valid: nothing to convert");
		return -1;
	}
	if (gpt_headers(pt, to, &pri, &bak))
		return -1;
	ents = calloc(1, gpt_array_bytes(&pri));
	if (!ents)
		return -1;
	memcpy(ents, st->src->entries, gpt_array_bytes(&st->src->h));
	if (rescale_entries(pt, to, &pri, ents, plan)) {
		free(ents);
		return -1;
	}

	/* Old headers the new layout does not cover are wiped afterwards. */
	ret = plan_wipe_copy(plan, pt, &st->primary, from,
			     "old primary GPT header", "old primary entry array");
	if (!ret)
		ret = plan_wipe_copy(plan, pt, &st->backup, from,
				     "old backup GPT header", "old backup entry array");
	if (!ret && to > MBR_SIZE)
		ret = plan_zero(plan, WSTAGE_MBR, MBR_SIZE, to - MBR_SIZE,
				"rest of sector 0");
	if (!ret)
		ret = gpt_plan_copies(plan, to, &pri, &bak, ents, st);
	free(ents);
	if (!ret)
		ret = convert_pmbr(pt, to, plan);
	return ret;
}

int ptable_plan_convert(const struct ptable *pt, const struct ptdev *d,
			unsigned int to, struct wplan *plan)
{
	(void)d;
	if (pt->kind == PTABLE_NONE) {
		se_err("no partition table found: nothing to convert");
		return -1;
	}
	if (!pt->sector_size) {
		se_err("the sector size of the table is unknown; nothing to convert from");
		return -1;
	}
	if (pt->sector_size == to)
		return 0;
	if (check_alignment(pt, to))
		return -1;
	plan_note(plan, "sector size: %u -> %u", pt->sector_size, to);
	if (pt->kind == PTABLE_MBR)
		return convert_mbr(pt, to, plan);
	return convert_gpt(pt, to, plan);
}
