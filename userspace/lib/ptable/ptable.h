/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Partition tables across sector sizes: read GPT and MBR tables the way the
 * Linux kernel does, find the sector size a table was written for, and
 * describe every problem with it.  `sectoremu ptable` is built on this, and
 * so is anything else that needs a disk's partitions (one dm-linear mapping
 * per partition, for instance).
 *
 *	struct ptable pt;
 *
 *	if (ptable_read(fd, size, 512, &pt) < 0)	(0 = detect the size)
 *		... I/O error, errno-style code returned ...
 *	for (i = 0; i < pt.nparts; i++)
 *		if (!pt.parts[i].extended)
 *			map pt.parts[i].number at pt.parts[i].start, .size bytes
 *	if (pt.nproblems) ... pt.problems[0..nproblems-1] ...
 *	ptable_free(&pt);
 */
#ifndef SECTOREMU_PTABLE_H
#define SECTOREMU_PTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ptable_kind {
	PTABLE_NONE,		/* no partition table recognised */
	PTABLE_GPT,		/* GPT (possibly damaged: see problems) */
	PTABLE_MBR,		/* classic MBR, perhaps with logical partitions */
};

/* What sector 0 holds. */
enum ptable_mbr_kind {
	PTABLE_MBR_NONE,	/* no 0x55AA signature or no valid entries */
	PTABLE_MBR_PROTECTIVE,	/* a single 0xEE entry */
	PTABLE_MBR_HYBRID,	/* 0xEE plus ordinary entries */
	PTABLE_MBR_CLASSIC,	/* ordinary entries only */
};

/* A GUID as stored on disk (first three fields little-endian). */
struct ptable_guid {
	uint8_t b[16];
};

/* UTF-8 form of a 36 code unit UTF-16LE GPT name, NUL-terminated. */
#define PTABLE_NAME_MAX (36 * 3 + 1)

struct ptable_part {
	unsigned int number;	/* the number the kernel gives it (sdaN) */
	unsigned int slot;	/* GPT entry index, MBR slot 0-3, or EBR index */
	uint64_t start;		/* byte offset on the device */
	uint64_t size;		/* bytes */
	uint64_t first_lba;	/* in units of the table's sector size */
	uint64_t last_lba;
	/* GPT */
	struct ptable_guid type;
	struct ptable_guid uuid;
	uint64_t attributes;
	char name[PTABLE_NAME_MAX];
	/* MBR */
	uint8_t mbr_type;
	bool bootable;
	bool logical;		/* inside the extended partition (5..) */
	bool extended;		/* the extended partition container itself */
};

struct gpt_state;
struct mbr_state;

struct ptable {
	enum ptable_kind kind;
	enum ptable_mbr_kind mbr;
	unsigned int sector_size;	/* written for: 512 or 4096, 0 unknown */
	const char *sector_size_source;	/* how sector_size was found */
	uint64_t dev_bytes;
	struct ptable_guid disk_guid;	/* GPT */
	uint32_t mbr_signature;		/* MBR disk signature (bytes 440-443) */

	/* GPT geometry, from the copy the partitions came from. */
	uint64_t first_usable, last_usable, backup_lba;
	uint32_t num_entries, entry_size;
	bool primary_ok, backup_ok;

	struct ptable_part *parts;
	unsigned int nparts;
	char **problems;
	unsigned int nproblems;

	/* Raw state kept for fix and convert. */
	struct gpt_state *gpt;
	struct mbr_state *mbrs;
};

/*
 * Read the partition table on fd (dev_bytes long).  sector_size is 512 or
 * 4096 to parse at that size only, or 0 to find the size the table was
 * written for from the GPT header position and the table's consistency.
 * Returns 0 (pt filled, even when the table is damaged or absent: see
 * pt->kind and pt->problems) or a negative errno; pt needs ptable_free()
 * after a 0 return.
 */
int ptable_read(int fd, uint64_t dev_bytes, unsigned int sector_size,
		struct ptable *pt);
void ptable_free(struct ptable *pt);

const char *ptable_kind_name(enum ptable_kind kind);
const char *ptable_mbr_kind_name(enum ptable_mbr_kind kind);

/* "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", 37 bytes with the NUL. */
void ptable_guid_str(const struct ptable_guid *g, char out[37]);
bool ptable_guid_is_zero(const struct ptable_guid *g);
/* A human name for well-known GPT partition types, or NULL. */
const char *ptable_type_name(const struct ptable_guid *type);

#endif
