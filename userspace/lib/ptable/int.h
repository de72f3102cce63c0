/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the partition-table code: on-disk GPT and MBR layouts,
 * little-endian accessors, and the state fix and convert work from.
 */
#ifndef SECTOREMU_PTABLE_INT_H
#define SECTOREMU_PTABLE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/io.h"
#include "ptable/ptable.h"

#define GPT_SIGNATURE		"EFI PART"
#define GPT_REVISION		0x00010000u
#define GPT_HEADER_SIZE		92u
#define GPT_ENTRY_SIZE		128u
#define GPT_MIN_ARRAY_BYTES	16384u		/* UEFI: at least 16 KiB */
#define GPT_MAX_ARRAY_BYTES	(4u << 20)	/* our sanity limit */

/* Offsets inside a GPT partition entry. */
#define GPT_ENT_TYPE		0
#define GPT_ENT_UUID		16
#define GPT_ENT_FIRST		32
#define GPT_ENT_LAST		40
#define GPT_ENT_ATTRS		48
#define GPT_ENT_NAME		56
#define GPT_ENT_NAME_LEN	72

#define MBR_SIZE		512u
#define MBR_DISK_SIG		440
#define MBR_TABLE		446
#define MBR_BOOT_SIG		510
#define MBR_TYPE_GPT		0xee

#define MAX_LOGICAL		256	/* EBR chain length limit */

static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/* ---- GPT (gpt.c) ---- */

struct gpt_header {
	uint32_t revision;
	uint32_t header_size;
	uint32_t header_crc;
	uint64_t my_lba;
	uint64_t alt_lba;
	uint64_t first_usable;
	uint64_t last_usable;
	struct ptable_guid disk_guid;
	uint64_t entries_lba;
	uint32_t num_entries;
	uint32_t entry_size;
	uint32_t entries_crc;
};

/* One copy of the GPT (primary or backup) as found on the disk. */
struct gpt_copy {
	bool found;		/* an "EFI PART" signature at lba */
	bool valid;		/* header and entry array pass every check */
	uint64_t lba;
	struct gpt_header h;
	uint8_t *entries;	/* num_entries * entry_size bytes, if read */
	char err[192];		/* why it is not valid */
};

struct gpt_state {
	unsigned int ss;
	uint64_t last_lba;	/* last whole sector of the device */
	struct gpt_copy primary, backup;
	struct gpt_copy *src;	/* the copy partitions come from, or NULL */
};

size_t gpt_array_bytes(const struct gpt_header *h);
uint64_t gpt_array_sectors(const struct gpt_header *h, unsigned int ss);
void gpt_header_decode(const uint8_t *buf, struct gpt_header *h);
/* Encode into buf (ss bytes, zero past the header), setting the CRC. */
void gpt_header_encode(struct gpt_header *h, uint8_t *buf, unsigned int ss);
uint32_t gpt_crc(const void *buf, size_t len);
int gpt_probe(int fd, uint64_t dev_bytes, unsigned int ss,
	      struct gpt_state *st);
int gpt_score(const struct gpt_state *st);
void gpt_state_free(struct gpt_state *st);
int gpt_fill(struct ptable *pt, struct gpt_state *st);
void gpt_utf16_to_utf8(const uint8_t *in, size_t units, char *out,
		       size_t outsz);

/* ---- MBR (mbr.c) ---- */

struct mbr_entry {
	uint8_t boot;
	uint8_t type;
	uint8_t chs_first[3];
	uint8_t chs_last[3];
	uint32_t start;
	uint32_t size;
};

/* An extended boot record of the logical-partition chain. */
struct ebr {
	uint64_t off;		/* byte offset on the device */
	uint8_t raw[MBR_SIZE];
};

struct mbr_state {
	uint8_t raw[MBR_SIZE];	/* the first 512 bytes of sector 0 */
	bool sig;		/* 0x55AA present */
	struct mbr_entry e[4];
	struct ebr *ebrs;
	unsigned int nebrs;
};

bool mbr_is_extended(uint8_t type);
void mbr_entry_decode(const uint8_t *p, struct mbr_entry *e);
void mbr_entry_encode(const struct mbr_entry *e, uint8_t *p);
void mbr_lba_to_chs(uint64_t lba, uint8_t chs[3]);
int mbr_read(int fd, uint64_t dev_bytes, struct mbr_state *m);
enum ptable_mbr_kind mbr_classify(const struct mbr_state *m);
int mbr_fill(struct ptable *pt, int fd, struct mbr_state *m, unsigned int ss);
int mbr_ebr_chain_ok(int fd, uint64_t dev_bytes, const struct mbr_state *m,
		     unsigned int ss);
uint32_t mbr_protective_size(uint64_t dev_bytes, unsigned int ss);
/* Sector 0's first 512 bytes with a single 0xEE entry, boot code kept. */
void mbr_build_protective(const uint8_t *old, uint64_t dev_bytes,
			  unsigned int ss, uint8_t out[MBR_SIZE]);
void mbr_state_free(struct mbr_state *m);

/* ---- problems and partitions (inspect.c) ---- */

/* Append a formatted string to a growing array of strings. */
int pt_strlist_add(char ***list, unsigned int *n, const char *fmt, va_list ap);

void pt_problem(struct ptable *pt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int pt_add_part(struct ptable *pt, const struct ptable_part *p);
void pt_check_parts(struct ptable *pt, uint64_t lo, uint64_t hi);
const char *pt_part_label(const struct ptable_part *p, char *buf, size_t len);

#endif
