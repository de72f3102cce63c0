// SPDX-License-Identifier: GPL-2.0
/*
 * GPT: decode and encode headers, read and validate the primary and backup
 * copies at one sector size, and turn the entry array into partitions.
 *
 * Both copies are checked the way the kernel's block/partitions/efi.c
 * checks them: signature, header CRC over HeaderSize bytes, MyLBA equal to
 * where the header was read, a sane entry array that fits the device and
 * whose CRC matches.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ptable/int.h"

uint32_t gpt_crc(const void *buf, size_t len)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	const uint8_t *p = buf;

	/* crc32() takes a uInt length: feed huge buffers in pieces. */
	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

size_t gpt_array_bytes(const struct gpt_header *h)
{
	return (size_t)h->num_entries * h->entry_size;
}

uint64_t gpt_array_sectors(const struct gpt_header *h, unsigned int ss)
{
	return (gpt_array_bytes(h) + ss - 1) / ss;
}

void gpt_header_decode(const uint8_t *buf, struct gpt_header *h)
{
	h->revision = get_le32(buf + 8);
	h->header_size = get_le32(buf + 12);
	h->header_crc = get_le32(buf + 16);
	h->my_lba = get_le64(buf + 24);
	h->alt_lba = get_le64(buf + 32);
	h->first_usable = get_le64(buf + 40);
	h->last_usable = get_le64(buf + 48);
	memcpy(h->disk_guid.b, buf + 56, 16);
	h->entries_lba = get_le64(buf + 72);
	h->num_entries = get_le32(buf + 80);
	h->entry_size = get_le32(buf + 84);
	h->entries_crc = get_le32(buf + 88);
}

void gpt_header_encode(struct gpt_header *h, uint8_t *buf, unsigned int ss)
{
	memset(buf, 0, ss);
	memcpy(buf, GPT_SIGNATURE, 8);
	put_le32(buf + 8, h->revision);
	put_le32(buf + 12, h->header_size);
	put_le64(buf + 24, h->my_lba);
	put_le64(buf + 32, h->alt_lba);
	put_le64(buf + 40, h->first_usable);
	put_le64(buf + 48, h->last_usable);
	memcpy(buf + 56, h->disk_guid.b, 16);
	put_le64(buf + 72, h->entries_lba);
	put_le32(buf + 80, h->num_entries);
	put_le32(buf + 84, h->entry_size);
	put_le32(buf + 88, h->entries_crc);
	h->header_crc = gpt_crc(buf, h->header_size);
	put_le32(buf + 16, h->header_crc);
}

#define copy_err(c, ...) snprintf((c)->err, sizeof((c)->err), __VA_ARGS__)

/* Read and check the copy at lba.  Returns 0 or a negative errno. */
static int read_copy(int fd, uint64_t dev_bytes, unsigned int ss,
		     uint64_t lba, struct gpt_copy *c)
{
	struct gpt_header *h = &c->h;
	uint64_t nsect = dev_bytes / ss, asect;
	uint32_t crc;
	uint8_t *buf;
	size_t abytes;
	int ret;

	memset(c, 0, sizeof(*c));
	c->lba = lba;
	if (lba >= nsect) {
		copy_err(c, "LBA %" PRIu64 " is beyond the end of the device (%" PRIu64 " sectors)",
			 lba, nsect);
		return 0;
	}
	buf = malloc(ss);
	if (!buf)
		return -ENOMEM;
	ret = io_pread(fd, buf, ss, lba * ss);
	if (ret)
		goto out;
	if (memcmp(buf, GPT_SIGNATURE, 8)) {
		copy_err(c, "no GPT header at LBA %" PRIu64, lba);
		goto out;
	}
	c->found = true;
	gpt_header_decode(buf, h);
	if (h->header_size < GPT_HEADER_SIZE || h->header_size > ss) {
		copy_err(c, "header size %" PRIu32 " out of range", h->header_size);
		goto out;
	}
	put_le32(buf + 16, 0);
	crc = gpt_crc(buf, h->header_size);
	if (crc != h->header_crc) {
		copy_err(c, "header CRC mismatch (stored %08" PRIx32 ", computed %08" PRIx32 ")",
			 h->header_crc, crc);
		goto out;
	}
	if (h->my_lba != lba) {
		copy_err(c, "header at LBA %" PRIu64 " says it is at LBA %" PRIu64,
			 lba, h->my_lba);
		goto out;
	}
	if (h->entry_size < GPT_ENTRY_SIZE || h->entry_size % GPT_ENTRY_SIZE ||
	    !h->num_entries ||
	    (uint64_t)h->num_entries * h->entry_size > GPT_MAX_ARRAY_BYTES) {
		copy_err(c, "entry array of %" PRIu32 " x %" PRIu32 " bytes out of range",
			 h->num_entries, h->entry_size);
		goto out;
	}
	abytes = gpt_array_bytes(h);
	asect = gpt_array_sectors(h, ss);
	if (h->entries_lba >= nsect || h->entries_lba + asect > nsect) {
		copy_err(c, "entry array at LBA %" PRIu64 " (%zu bytes) extends past the end of the device",
			 h->entries_lba, abytes);
		goto out;
	}
	if (h->entries_lba == 0 ||
	    (h->entries_lba <= lba && h->entries_lba + asect > lba)) {
		copy_err(c, "entry array at LBA %" PRIu64 " overlaps the header or sector 0",
			 h->entries_lba);
		goto out;
	}
	if (h->first_usable > h->last_usable + 1) {
		copy_err(c, "FirstUsableLBA %" PRIu64 " is after LastUsableLBA %" PRIu64,
			 h->first_usable, h->last_usable);
		goto out;
	}
	c->entries = malloc(abytes);
	if (!c->entries) {
		ret = -ENOMEM;
		goto out;
	}
	ret = io_pread(fd, c->entries, abytes, h->entries_lba * ss);
	if (ret)
		goto out;
	crc = gpt_crc(c->entries, abytes);
	if (crc != h->entries_crc) {
		copy_err(c, "entry array CRC mismatch (stored %08" PRIx32 ", computed %08" PRIx32 ")",
			 h->entries_crc, crc);
		free(c->entries);
		c->entries = NULL;
		goto out;
	}
	c->valid = true;
out:
	free(buf);
	return ret;
}

/*
 * Read both copies at sector size ss.  The backup is looked for where the
 * primary says it is (even a damaged primary's hint is worth a look: the
 * backup validates itself) and at the last sector of the device.
 */
int gpt_probe(int fd, uint64_t dev_bytes, unsigned int ss,
	      struct gpt_state *st)
{
	struct gpt_copy alt;
	int ret;

	memset(st, 0, sizeof(*st));
	st->ss = ss;
	if (dev_bytes / ss < 3)
		return 0;
	st->last_lba = dev_bytes / ss - 1;
	ret = read_copy(fd, dev_bytes, ss, 1, &st->primary);
	if (ret)
		return ret;

	ret = read_copy(fd, dev_bytes, ss, st->last_lba, &st->backup);
	if (ret)
		return ret;
	if (!st->backup.valid && st->primary.found &&
	    st->primary.h.alt_lba != st->last_lba &&
	    st->primary.h.alt_lba > 1 && st->primary.h.alt_lba < st->last_lba) {
		ret = read_copy(fd, dev_bytes, ss, st->primary.h.alt_lba, &alt);
		if (ret)
			return ret;
		if (alt.found && (alt.valid || !st->backup.found)) {
			free(st->backup.entries);
			st->backup = alt;
		} else {
			free(alt.entries);
		}
	}
	if (st->primary.valid)
		st->src = &st->primary;
	else if (st->backup.valid)
		st->src = &st->backup;
	return 0;
}

int gpt_score(const struct gpt_state *st)
{
	int s = 0;

	if (st->primary.valid)
		s += 4;
	else if (st->primary.found)
		s += 1;
	if (st->backup.valid)
		s += 2;
	else if (st->backup.found)
		s += 1;
	return s;
}

void gpt_state_free(struct gpt_state *st)
{
	if (!st)
		return;
	free(st->primary.entries);
	free(st->backup.entries);
	free(st);
}

static void compare_copies(struct ptable *pt, const struct gpt_state *st)
{
	const struct gpt_header *p = &st->primary.h, *b = &st->backup.h;

	if (p->alt_lba != st->backup.lba)
		pt_problem(pt, "primary GPT header points to the backup at LBA %" PRIu64 ", but the backup is at LBA %" PRIu64,
			   p->alt_lba, st->backup.lba);
	if (b->alt_lba != 1)
		pt_problem(pt, "backup GPT header points to the primary at LBA %" PRIu64 ", not LBA 1",
			   b->alt_lba);
	if (memcmp(&p->disk_guid, &b->disk_guid, sizeof(p->disk_guid)))
		pt_problem(pt, "primary and backup GPT headers have different disk GUIDs");
	if (p->first_usable != b->first_usable || p->last_usable != b->last_usable)
		pt_problem(pt, "primary and backup GPT headers disagree on the usable area (%" PRIu64 "-%" PRIu64 " vs %" PRIu64 "-%" PRIu64 ")",
			   p->first_usable, p->last_usable,
			   b->first_usable, b->last_usable);
	if (p->num_entries != b->num_entries || p->entry_size != b->entry_size ||
	    p->entries_crc != b->entries_crc)
		pt_problem(pt, "primary and backup GPT entry arrays differ");
}

static void check_copies(struct ptable *pt, const struct gpt_state *st)
{
	const struct gpt_copy *pri = &st->primary, *bak = &st->backup;
	uint64_t alt = pri->h.alt_lba;

	if (!pri->valid)
		pt_problem(pt, "primary GPT header (LBA 1): %s", pri->err);
	if (pri->found && alt > st->last_lba && !bak->valid)
		pt_problem(pt, "the primary GPT header places the backup at LBA %" PRIu64 ", past the end of the device (last LBA %" PRIu64 "): truncated image?",
			   alt, st->last_lba);
	if (!bak->valid) {
		if (bak->found)
			pt_problem(pt, "backup GPT header (LBA %" PRIu64 "): %s",
				   bak->lba, bak->err);
		else
			pt_problem(pt, "backup GPT header missing at the last LBA %" PRIu64,
				   st->last_lba);
	} else if (bak->lba != st->last_lba) {
		pt_problem(pt, "backup GPT header is at LBA %" PRIu64 ", not at the end of the device (last LBA %" PRIu64 "): device grown?",
			   bak->lba, st->last_lba);
	}
	if (pri->valid && bak->valid)
		compare_copies(pt, st);
}

/* Problems with the usable area and entry array placement of src. */
static void check_layout(struct ptable *pt, const struct gpt_state *st)
{
	const struct gpt_header *h = &st->src->h;
	uint64_t asect = gpt_array_sectors(h, st->ss);

	if (h->last_usable > st->last_lba)
		pt_problem(pt, "LastUsableLBA %" PRIu64 " is past the end of the device (last LBA %" PRIu64 ")",
			   h->last_usable, st->last_lba);
	if (st->primary.valid &&
	    st->primary.h.entries_lba + asect > st->primary.h.first_usable)
		pt_problem(pt, "primary entry array (LBA %" PRIu64 "-%" PRIu64 ") overlaps the usable area starting at LBA %" PRIu64,
			   st->primary.h.entries_lba,
			   st->primary.h.entries_lba + asect - 1,
			   st->primary.h.first_usable);
	if (st->backup.valid &&
	    st->backup.h.entries_lba <= st->backup.h.last_usable)
		pt_problem(pt, "backup entry array (LBA %" PRIu64 ") overlaps the usable area ending at LBA %" PRIu64,
			   st->backup.h.entries_lba, st->backup.h.last_usable);
	if (h->entry_size != GPT_ENTRY_SIZE)
		pt_problem(pt, "entries are %" PRIu32 " bytes; the Linux kernel only reads 128-byte entries",
			   h->entry_size);
}

static int add_entry(struct ptable *pt, const struct gpt_state *st,
		     const uint8_t *e, unsigned int idx)
{
	struct ptable_part p;
	unsigned int ss = st->ss;

	memset(&p, 0, sizeof(p));
	memcpy(p.type.b, e + GPT_ENT_TYPE, 16);
	if (ptable_guid_is_zero(&p.type))
		return 0;
	p.number = idx + 1;
	p.slot = idx;
	memcpy(p.uuid.b, e + GPT_ENT_UUID, 16);
	p.first_lba = get_le64(e + GPT_ENT_FIRST);
	p.last_lba = get_le64(e + GPT_ENT_LAST);
	p.attributes = get_le64(e + GPT_ENT_ATTRS);
	gpt_utf16_to_utf8(e + GPT_ENT_NAME, GPT_ENT_NAME_LEN / 2, p.name,
			  sizeof(p.name));
	if (p.last_lba < p.first_lba) {
		pt_problem(pt, "partition %u: last LBA %" PRIu64 " is before its first LBA %" PRIu64,
			   p.number, p.last_lba, p.first_lba);
	} else if (p.last_lba >= UINT64_MAX / ss) {
		pt_problem(pt, "partition %u: LBA %" PRIu64 " out of range",
			   p.number, p.last_lba);
	} else {
		p.start = p.first_lba * ss;
		p.size = (p.last_lba - p.first_lba + 1) * ss;
	}
	return pt_add_part(pt, &p);
}

/* Fill pt from a probed state; st must stay alive as pt->gpt. */
int gpt_fill(struct ptable *pt, struct gpt_state *st)
{
	const struct gpt_header *h;
	uint32_t i;
	int ret;

	pt->kind = PTABLE_GPT;
	pt->sector_size = st->ss;
	pt->primary_ok = st->primary.valid;
	pt->backup_ok = st->backup.valid;
	check_copies(pt, st);
	if (!st->src) {
		pt_problem(pt, "no valid GPT header: partitions cannot be read");
		return 0;
	}
	h = &st->src->h;
	pt->disk_guid = h->disk_guid;
	pt->first_usable = h->first_usable;
	pt->last_usable = h->last_usable;
	pt->backup_lba = st->backup.valid ? st->backup.lba : h->alt_lba;
	pt->num_entries = h->num_entries;
	pt->entry_size = h->entry_size;
	check_layout(pt, st);
	for (i = 0; i < h->num_entries; i++) {
		ret = add_entry(pt, st, st->src->entries + (size_t)i * h->entry_size, i);
		if (ret)
			return ret;
	}
	if (h->first_usable < UINT64_MAX / st->ss &&
	    h->last_usable < UINT64_MAX / st->ss)
		pt_check_parts(pt, h->first_usable * st->ss,
			       (h->last_usable + 1) * st->ss);
	return 0;
}
