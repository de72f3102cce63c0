// SPDX-License-Identifier: GPL-2.0
/*
 * Which table is on the disk, and which sector size it was written for.
 *
 * The device's logical block size does not say: a 512-byte image copied
 * to a 4Kn disk keeps its GPT header at byte 512.  So each candidate size
 * is tried: a GPT header that is where LBA 1 (and the last LBA) of that
 * size would be, with a CRC that matches and MyLBA that agrees, decides.
 * A classic MBR has no header to find; there the partitions must fit the
 * device, an extended partition must have its EBR where the size puts it,
 * and the layout tools write (1 MiB alignment, a disk filled to the end)
 * settles what is left.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ptable/int.h"

static const unsigned int sizes[] = { 512, 4096 };

/* Problems with sector 0 in front of a GPT. */
static void check_pmbr(struct ptable *pt, const struct mbr_state *m)
{
	uint32_t want = mbr_protective_size(pt->dev_bytes, pt->sector_size);
	const struct mbr_entry *e;
	int i;

	switch (pt->mbr) {
	case PTABLE_MBR_NONE:
		pt_problem(pt, "protective MBR missing in sector 0");
		return;
	case PTABLE_MBR_CLASSIC:
		pt_problem(pt, "sector 0 holds an MBR without a 0xEE entry: the kernel will use it and ignore the GPT");
		return;
	case PTABLE_MBR_HYBRID:
		return;
	case PTABLE_MBR_PROTECTIVE:
		break;
	}
	for (i = 0; i < 4; i++) {
		e = &m->e[i];
		if (e->type != MBR_TYPE_GPT || !e->size)
			continue;
		if (e->start != 1)
			pt_problem(pt, "protective MBR: the 0xEE entry starts at LBA %" PRIu32 ", not 1",
				   e->start);
		if (e->size != want)
			pt_problem(pt, "protective MBR: the 0xEE entry covers %" PRIu32 " sectors, the device has %" PRIu32 " after sector 0 (at %u-byte sectors)",
				   e->size, want, pt->sector_size);
	}
}

/* Highest end of the used sector-0 entries, in sectors. */
static uint64_t mbr_max_end(const struct mbr_state *m, uint64_t *min_start)
{
	uint64_t end = 0, s = UINT64_MAX;
	int i;

	for (i = 0; i < 4; i++) {
		if (!m->e[i].type || !m->e[i].size)
			continue;
		if ((uint64_t)m->e[i].start + m->e[i].size > end)
			end = (uint64_t)m->e[i].start + m->e[i].size;
		if (m->e[i].start < s)
			s = m->e[i].start;
	}
	*min_start = s;
	return end;
}

static unsigned int guess_mbr_size(int fd, uint64_t dev_bytes,
				   const struct mbr_state *m, const char **how)
{
	uint64_t min_start, end = mbr_max_end(m, &min_start);
	uint64_t slack = dev_bytes / 100 > (2u << 20) ? dev_bytes / 100 : (2u << 20);
	int e512, e4k;

	if (!end) {
		*how = "empty MBR: assuming 512";
		return 512;
	}
	if (end * 4096 > dev_bytes) {
		*how = "partitions only fit the device at 512-byte sectors";
		return 512;
	}
	e512 = mbr_ebr_chain_ok(fd, dev_bytes, m, 512);
	e4k = mbr_ebr_chain_ok(fd, dev_bytes, m, 4096);
	if (e512 != e4k) {
		*how = "EBR position of the extended partition";
		return e512 > e4k ? 512 : 4096;
	}
	if (dev_bytes - end * 4096 <= slack) {
		*how = "partitions fill the device at 4096-byte sectors";
		return 4096;
	}
	if (min_start == 256) {
		*how = "first partition at 1 MiB in 4096-byte sectors";
		return 4096;
	}
	*how = "ambiguous MBR: assuming 512";
	return 512;
}

int ptable_read(int fd, uint64_t dev_bytes, unsigned int sector_size,
		struct ptable *pt)
{
	struct gpt_state *best = NULL, *st;
	struct mbr_state *m;
	int best_score = 0, score, ret;
	unsigned int i;

	memset(pt, 0, sizeof(*pt));
	pt->dev_bytes = dev_bytes;
	if (sector_size && sector_size != 512 && sector_size != 4096)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	ret = mbr_read(fd, dev_bytes, m);
	if (ret) {
		free(m);
		return ret;
	}
	pt->mbrs = m;
	pt->mbr = mbr_classify(m);
	if (m->sig)
		pt->mbr_signature = get_le32(m->raw + MBR_DISK_SIG);

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sector_size && sizes[i] != sector_size)
			continue;
		st = malloc(sizeof(*st));
		if (!st) {
			ret = -ENOMEM;
			goto fail;
		}
		ret = gpt_probe(fd, dev_bytes, sizes[i], st);
		if (ret) {
			gpt_state_free(st);
			goto fail;
		}
		score = gpt_score(st);
		if (score > best_score) {
			gpt_state_free(best);
			best = st;
			best_score = score;
		} else {
			if (score && score == best_score)
				pt_problem(pt, "GPT headers found for both 512 and 4096-byte sectors; using %u",
					   best->ss);
			gpt_state_free(st);
		}
	}

	if (best) {
		pt->gpt = best;
		pt->sector_size_source = sector_size ? "given" :
			best->primary.found ? "position of the primary GPT header" :
					      "position of the backup GPT header";
		ret = gpt_fill(pt, best);
		if (ret)
			goto fail;
		check_pmbr(pt, m);
	} else if (pt->mbr == PTABLE_MBR_PROTECTIVE ||
		   pt->mbr == PTABLE_MBR_HYBRID) {
		pt->kind = PTABLE_GPT;
		for (i = 0; i < 4; i++) {
			if (m->e[i].type != MBR_TYPE_GPT)
				continue;
			if (m->e[i].size == mbr_protective_size(dev_bytes, 512))
				pt->sector_size = 512;
			else if (m->e[i].size == mbr_protective_size(dev_bytes, 4096))
				pt->sector_size = 4096;
		}
		if (sector_size)
			pt->sector_size = sector_size;
		if (pt->sector_size)
			pt->sector_size_source = sector_size ? "given" :
				"size of the protective MBR entry";
		pt_problem(pt, "sector 0 holds a protective MBR, but no GPT header was found at LBA 1 or at the last LBA");
	} else if (pt->mbr == PTABLE_MBR_CLASSIC) {
		const char *how = "given";
		unsigned int ss = sector_size ? sector_size :
			guess_mbr_size(fd, dev_bytes, m, &how);

		pt->sector_size_source = how;
		ret = mbr_fill(pt, fd, m, ss);
		if (ret)
			goto fail;
	} else {
		pt->kind = PTABLE_NONE;
		pt_problem(pt, "no partition table found");
	}
	return 0;
fail:
	if (best != pt->gpt)
		gpt_state_free(best);
	ptable_free(pt);
	return ret;
}
