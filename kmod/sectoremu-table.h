/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table line (sectoremu-table.c): what it says, and the two lines that
 * "dmsetup table" and IMA print back.
 *
 * Contract:
 * - se_parse_table() fills the whole of struct se_params and gets the
 *   device, or fails with ti->error set and nothing held.
 * - The format functions print only what se_parse_table() filled in and
 *   the device it got; they never look at the running target, so what
 *   they print cannot depend on its state.
 */
#ifndef SECTOREMU_TABLE_H
#define SECTOREMU_TABLE_H

#include <linux/device-mapper.h>
#include <linux/types.h>

/* Feature arguments of the table line. */
#define SE_F_IGNORE_DISCARD	BIT(0)

/* What the table line says. */
struct se_params {
	sector_t start;		/* first sector used on the device */
	unsigned int e_bs;	/* emulated block size, sectors: 1, 2, 4, 8 */
	unsigned int u_bs;	/* underlying block size, sectors: 8 .. 128 */
	bool u_bs_set;		/* u_bs was on the table line */
	unsigned int features;	/* SE_F_* */
};

/*
 * Parse the table line into @p and get the device into @dev, checking the
 * line against the device (block sizes, alignment of offset, start and
 * length, size).  Returns 0, or a negative errno with ti->error saying
 * why; then *@dev is NULL and nothing is held.
 */
int se_parse_table(struct dm_target *ti, unsigned int argc, char **argv,
		   struct se_params *p, struct dm_dev **dev);

/* STATUSTYPE_TABLE: the line as it was given, no defaults added. */
void se_format_table(const struct se_params *p, struct dm_dev *dev,
		     char *result, unsigned int maxlen);

/*
 * STATUSTYPE_IMA: "target_name=...,target_version=...,key=value,...;" as
 * dm-linear prints it, with every parameter that decides what lands where.
 */
void se_format_ima(struct dm_target *ti, const struct se_params *p,
		   struct dm_dev *dev, char *result, unsigned int maxlen);

#endif
