// SPDX-License-Identifier: GPL-2.0
/*
 * MBR: sector 0's four entries, the chain of extended boot records behind
 * an extended partition, and the protective MBR in front of a GPT.
 *
 * Partition numbers follow block/partitions/msdos.c: primary slots are
 * 1-4 whether or not the slots before them are used, logical partitions
 * are numbered from 5 in the order the chain is walked.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ptable/int.h"

bool mbr_is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

void mbr_entry_decode(const uint8_t *p, struct mbr_entry *e)
{
	e->boot = p[0];
	memcpy(e->chs_first, p + 1, 3);
	e->type = p[4];
	memcpy(e->chs_last, p + 5, 3);
	e->start = get_le32(p + 8);
	e->size = get_le32(p + 12);
}

void mbr_entry_encode(const struct mbr_entry *e, uint8_t *p)
{
	p[0] = e->boot;
	memcpy(p + 1, e->chs_first, 3);
	p[4] = e->type;
	memcpy(p + 5, e->chs_last, 3);
	put_le32(p + 8, e->start);
	put_le32(p + 12, e->size);
}

/* CHS for the customary 255 heads x 63 sectors geometry, or 1023/254/63. */
void mbr_lba_to_chs(uint64_t lba, uint8_t chs[3])
{
	uint64_t c = lba / (255 * 63), h = lba / 63 % 255, s = lba % 63 + 1;

	if (c > 1023) {
		chs[0] = 0xfe;
		chs[1] = 0xff;
		chs[2] = 0xff;
		return;
	}
	chs[0] = (uint8_t)h;
	chs[1] = (uint8_t)(s | (c >> 2 & 0xc0));
	chs[2] = (uint8_t)c;
}

int mbr_read(int fd, uint64_t dev_bytes, struct mbr_state *m)
{
	int i, ret;

	memset(m, 0, sizeof(*m));
	if (dev_bytes < MBR_SIZE)
		return 0;
	ret = io_pread(fd, m->raw, MBR_SIZE, 0);
	if (ret)
		return ret;
	m->sig = m->raw[MBR_BOOT_SIG] == 0x55 && m->raw[MBR_BOOT_SIG + 1] == 0xaa;
	for (i = 0; i < 4; i++)
		mbr_entry_decode(m->raw + MBR_TABLE + 16 * i, &m->e[i]);
	return 0;
}

static bool entry_used(const struct mbr_entry *e)
{
	return e->type && e->size;
}

enum ptable_mbr_kind mbr_classify(const struct mbr_state *m)
{
	int i, gpt = 0, other = 0;

	if (!m->sig)
		return PTABLE_MBR_NONE;
	for (i = 0; i < 4; i++) {
		/* What the kernel checks to tell an MBR from a boot sector. */
		if (m->e[i].boot && m->e[i].boot != 0x80)
			return PTABLE_MBR_NONE;
		if (!entry_used(&m->e[i]))
			continue;
		if (m->e[i].type == MBR_TYPE_GPT)
			gpt++;
		else
			other++;
	}
	if (gpt)
		return other ? PTABLE_MBR_HYBRID : PTABLE_MBR_PROTECTIVE;
	return PTABLE_MBR_CLASSIC;
}

uint32_t mbr_protective_size(uint64_t dev_bytes, unsigned int ss)
{
	uint64_t n = dev_bytes / ss;

	n = n ? n - 1 : 0;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

void mbr_build_protective(const uint8_t *old, uint64_t dev_bytes,
			  unsigned int ss, uint8_t out[MBR_SIZE])
{
	struct mbr_entry e;

	memset(out, 0, MBR_SIZE);
	/* Keep boot code and disk signature of a real MBR. */
	if (old && old[MBR_BOOT_SIG] == 0x55 && old[MBR_BOOT_SIG + 1] == 0xaa)
		memcpy(out, old, MBR_TABLE);
	memset(&e, 0, sizeof(e));
	e.type = MBR_TYPE_GPT;
	e.start = 1;
	e.size = mbr_protective_size(dev_bytes, ss);
	mbr_lba_to_chs(1, e.chs_first);
	mbr_lba_to_chs(e.size, e.chs_last);
	mbr_entry_encode(&e, out + MBR_TABLE);
	out[MBR_BOOT_SIG] = 0x55;
	out[MBR_BOOT_SIG + 1] = 0xaa;
}

void mbr_state_free(struct mbr_state *m)
{
	if (!m)
		return;
	free(m->ebrs);
	free(m);
}

static int add_ebr(struct mbr_state *m, uint64_t off, const uint8_t *raw)
{
	struct ebr *n = realloc(m->ebrs, (m->nebrs + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	m->ebrs = n;
	n[m->nebrs].off = off;
	memcpy(n[m->nebrs].raw, raw, MBR_SIZE);
	m->nebrs++;
	return 0;
}

/*
 * Walk the EBR chain of the extended partition at ext_start (sectors),
 * numbering logical partitions from *next on.  Every EBR read is kept in
 * m->ebrs; a chain that comes back to an EBR already seen is cut there.
 */
static int parse_chain(struct ptable *pt, int fd, struct mbr_state *m,
		       unsigned int ss, uint64_t ext_start, uint64_t ext_size,
		       unsigned int *next)
{
	uint64_t this = ext_start, this_size = ext_size, off;
	uint64_t ext_end = (ext_start + ext_size) * ss;
	uint8_t raw[MBR_SIZE];
	struct mbr_entry e;
	struct ptable_part p;
	unsigned int hops, i, k, first_ebr = m->nebrs;
	int ret;

	for (hops = 0;; hops++) {
		if (hops >= MAX_LOGICAL) {
			pt_problem(pt, "EBR chain longer than %d links: stopped there",
				   MAX_LOGICAL);
			return 0;
		}
		off = this * ss;
		if (off + MBR_SIZE > pt->dev_bytes) {
			pt_problem(pt, "EBR at LBA %" PRIu64 " is past the end of the device",
				   this);
			return 0;
		}
		for (k = first_ebr; k < m->nebrs; k++) {
			if (m->ebrs[k].off == off) {
				pt_problem(pt, "EBR chain loops back to LBA %" PRIu64 ": stopped there",
					   this);
				return 0;
			}
		}
		ret = io_pread(fd, raw, MBR_SIZE, off);
		if (ret)
			return ret;
		if (raw[MBR_BOOT_SIG] != 0x55 || raw[MBR_BOOT_SIG + 1] != 0xaa) {
			pt_problem(pt, "EBR at LBA %" PRIu64 " has no 0x55AA signature",
				   this);
			return 0;
		}
		ret = add_ebr(m, off, raw);
		if (ret)
			return ret;

		/* Data partitions first, relative to this EBR. */
		for (i = 0; i < 4; i++) {
			mbr_entry_decode(raw + MBR_TABLE + 16 * i, &e);
			if (!e.size || mbr_is_extended(e.type))
				continue;
			/* Slots 3 and 4 often hold garbage: the kernel's checks. */
			if (i >= 2 &&
			    ((uint64_t)e.start + e.size > this_size ||
			     this + e.start < ext_start ||
			     this + e.start + e.size > ext_start + ext_size))
				continue;
			memset(&p, 0, sizeof(p));
			p.number = (*next)++;
			p.slot = m->nebrs - 1;
			p.logical = true;
			p.mbr_type = e.type;
			p.bootable = e.boot == 0x80;
			p.first_lba = this + e.start;
			p.last_lba = p.first_lba + e.size - 1;
			p.start = p.first_lba * ss;
			p.size = (uint64_t)e.size * ss;
			if (p.start < off + ss || p.start + p.size > ext_end)
				pt_problem(pt, "logical partition %u (LBA %" PRIu64 "-%" PRIu64 ") is not inside its extended partition after its EBR",
					   p.number, p.first_lba, p.last_lba);
			ret = pt_add_part(pt, &p);
			if (ret)
				return ret;
		}
		/* Then the link to the next EBR, relative to the extended start. */
		for (i = 0; i < 4; i++) {
			mbr_entry_decode(raw + MBR_TABLE + 16 * i, &e);
			if (e.size && mbr_is_extended(e.type))
				break;
		}
		if (i == 4)
			return 0;
		this = ext_start + e.start;
		this_size = e.size;
	}
}

/* Returns how many extended partitions have an EBR signature at ss. */
int mbr_ebr_chain_ok(int fd, uint64_t dev_bytes, const struct mbr_state *m,
		     unsigned int ss)
{
	uint8_t raw[MBR_SIZE];
	uint64_t off;
	int i, n = 0;

	for (i = 0; i < 4; i++) {
		if (!entry_used(&m->e[i]) || !mbr_is_extended(m->e[i].type))
			continue;
		off = (uint64_t)m->e[i].start * ss;
		if (off + MBR_SIZE > dev_bytes || io_pread(fd, raw, MBR_SIZE, off))
			continue;
		if (raw[MBR_BOOT_SIG] == 0x55 && raw[MBR_BOOT_SIG + 1] == 0xaa)
			n++;
	}
	return n;
}

int mbr_fill(struct ptable *pt, int fd, struct mbr_state *m, unsigned int ss)
{
	struct ptable_part p;
	unsigned int next = 5;
	int i, ret, next_ext = 0;

	pt->kind = PTABLE_MBR;
	pt->sector_size = ss;
	for (i = 0; i < 4; i++) {
		const struct mbr_entry *e = &m->e[i];

		if (!entry_used(e))
			continue;
		memset(&p, 0, sizeof(p));
		p.number = i + 1;
		p.slot = i;
		p.mbr_type = e->type;
		p.bootable = e->boot == 0x80;
		p.extended = mbr_is_extended(e->type);
		p.first_lba = e->start;
		p.last_lba = (uint64_t)e->start + e->size - 1;
		p.start = p.first_lba * ss;
		p.size = (uint64_t)e->size * ss;
		ret = pt_add_part(pt, &p);
		if (ret)
			return ret;
		if (!p.extended)
			continue;
		if (next_ext++)
			pt_problem(pt, "more than one extended partition in the MBR");
		ret = parse_chain(pt, fd, m, ss, e->start, e->size, &next);
		if (ret)
			return ret;
	}
	pt_check_parts(pt, ss, pt->dev_bytes);
	return 0;
}
