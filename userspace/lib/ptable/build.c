// SPDX-License-Identifier: GPL-2.0
/*
 * Building new GPT copies into a write plan, shared by fix and convert,
 * and the "old -> new" notes that --dry-run prints for them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ptable/int.h"
#include "ptable/ops.h"

#define NOTE_FIELD(plan, label, field, old, new)				\
	do {								\
		if (!(old))						\
			plan_note(plan, "%s: %s -> %" PRIu64, label, #field,	\
				  (uint64_t)(new)->field);		\
		else if ((old)->field != (new)->field)			\
			plan_note(plan, "%s: %s %" PRIu64 " -> %" PRIu64,	\
				  label, #field, (uint64_t)(old)->field,	\
				  (uint64_t)(new)->field);		\
	} while (0)

static void note_header(struct wplan *plan, const char *label,
			const struct gpt_copy *oldc,
			const struct gpt_header *n)
{
	const struct gpt_header *o = oldc && oldc->found ? &oldc->h : NULL;
	char a[37], b[37];

	if (!o)
		plan_note(plan, "%s: written new (%s)", label,
			  oldc ? oldc->err : "none before");
	else if (!oldc->valid)
		plan_note(plan, "%s: replaces an invalid one (%s)", label,
			  oldc->err);
	NOTE_FIELD(plan, label, my_lba, o, n);
	NOTE_FIELD(plan, label, alt_lba, o, n);
	NOTE_FIELD(plan, label, first_usable, o, n);
	NOTE_FIELD(plan, label, last_usable, o, n);
	NOTE_FIELD(plan, label, entries_lba, o, n);
	NOTE_FIELD(plan, label, num_entries, o, n);
	NOTE_FIELD(plan, label, entry_size, o, n);
	NOTE_FIELD(plan, label, header_size, o, n);
	if (!o || o->entries_crc != n->entries_crc)
		plan_note(plan, "%s: entries_crc %08" PRIx32 " -> %08" PRIx32,
			  label, o ? o->entries_crc : 0, n->entries_crc);
	if (!o || o->header_crc != n->header_crc)
		plan_note(plan, "%s: header_crc %08" PRIx32 " -> %08" PRIx32,
			  label, o ? o->header_crc : 0, n->header_crc);
	if (!o || memcmp(&o->disk_guid, &n->disk_guid, sizeof(n->disk_guid))) {
		ptable_guid_str(&n->disk_guid, b);
		if (o)
			ptable_guid_str(&o->disk_guid, a);
		plan_note(plan, "%s: disk_guid %s -> %s", label, o ? a : "-", b);
	}
}

int gpt_plan_copies(struct wplan *plan, unsigned int ss, struct gpt_header *pri,
		    struct gpt_header *bak, const uint8_t *entries,
		    const struct gpt_state *old)
{
	size_t abytes = gpt_array_bytes(pri);
	uint64_t asect = gpt_array_sectors(pri, ss);
	uint8_t *arr, *hdr;
	int ret = -ENOMEM;

	arr = calloc(asect, ss);
	hdr = malloc(ss);
	if (!arr || !hdr)
		goto out;
	memcpy(arr, entries, abytes);
	pri->entries_crc = bak->entries_crc = gpt_crc(arr, abytes);

	gpt_header_encode(bak, hdr, ss);
	ret = plan_put(plan, WSTAGE_BACKUP, bak->entries_lba * ss, arr,
		       asect * ss, "backup GPT entry array");
	if (!ret)
		ret = plan_put(plan, WSTAGE_BACKUP, bak->my_lba * ss, hdr, ss,
			       "backup GPT header");
	note_header(plan, "backup GPT header", old ? &old->backup : NULL, bak);

	gpt_header_encode(pri, hdr, ss);
	if (!ret)
		ret = plan_put(plan, WSTAGE_PRIMARY, pri->entries_lba * ss, arr,
			       asect * ss, "primary GPT entry array");
	if (!ret)
		ret = plan_put(plan, WSTAGE_PRIMARY, pri->my_lba * ss, hdr, ss,
			       "primary GPT header");
	note_header(plan, "primary GPT header", old ? &old->primary : NULL, pri);
out:
	free(arr);
	free(hdr);
	return ret;
}

int plan_wipe_stale(struct wplan *plan, const struct ptable *pt, uint64_t off,
		    uint64_t len, const char *what)
{
	const struct ptable_part *p;
	unsigned int i;

	if (off + len > plan->dev_bytes)
		return 0;
	for (i = 0; i < pt->nparts; i++) {
		p = &pt->parts[i];
		if (p->size && off < p->start + p->size && p->start < off + len)
			return 0;
	}
	return plan_zero(plan, WSTAGE_CLEANUP, off, len, what);
}

/* Wipe the header and entry array of an old copy that the new layout drops. */
int plan_wipe_copy(struct wplan *plan, const struct ptable *pt,
		   const struct gpt_copy *c, unsigned int ss, const char *hdr,
		   const char *arr)
{
	int ret;

	if (!c->found)
		return 0;
	ret = plan_wipe_stale(plan, pt, c->lba * ss, ss, hdr);
	if (!ret && c->valid)
		ret = plan_wipe_stale(plan, pt, c->h.entries_lba * ss,
				      gpt_array_sectors(&c->h, ss) * ss, arr);
	return ret;
}
