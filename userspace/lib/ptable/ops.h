/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `sectoremu ptable` does with a table once it is read: open the
 * device safely, plan the sectors that fix/convert/restore would write,
 * back them up, and write them in an order that survives interruption.
 */
#ifndef SECTOREMU_PTABLE_OPS_H
#define SECTOREMU_PTABLE_OPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptable/ptable.h"

/* ---- the device or image file (device.c) ---- */

struct ptdev {
	int fd;
	const char *path;
	bool is_blk;
	bool writable;
	uint64_t bytes;
	unsigned int lbs;	/* logical block size (files: as told, 512) */
	dev_t rdev;
};

/*
 * Open path for reading, or for writing (refusing a device that is
 * mounted, held or has partitions in use, and an image attached to a loop
 * device, unless force).  file_lbs is the logical block size to assume
 * for an image file, 0 for 512.  Reports the reason (base/diag.h) and returns -1.
 */
int ptdev_open(struct ptdev *d, const char *path, bool write, bool force,
	       unsigned int file_lbs);
void ptdev_close(struct ptdev *d);
/* Ask the kernel to re-read a block device's partitions (warns only). */
void ptdev_reread(const struct ptdev *d);

/* ---- write plans (write.c) ---- */

/* Stages, written in this order with an fsync after each. */
enum {
	WSTAGE_BACKUP,		/* backup GPT: entry array, then header */
	WSTAGE_PRIMARY,		/* primary GPT (or EBRs of an MBR) */
	WSTAGE_MBR,		/* sector 0 */
	WSTAGE_CLEANUP,		/* stale headers of the old layout */
	WSTAGE_COUNT,
};

struct wunit {
	uint64_t off;
	int stage;
	const char *what;
	uint8_t *old;		/* the device's current contents */
	uint8_t *new;
};

struct wplan {
	int fd;
	uint64_t dev_bytes;
	unsigned int unit;	/* bytes per planned sector */
	struct wunit *u;
	size_t n;
	char **notes;		/* "field: old -> new" lines for --dry-run */
	unsigned int nnotes;
	int err;		/* first error while planning (negative errno) */
};

void plan_init(struct wplan *p, int fd, uint64_t dev_bytes, unsigned int unit);
void plan_free(struct wplan *p);
/* Plan to write len bytes at off; the label says what they are. */
int plan_put(struct wplan *p, int stage, uint64_t off, const void *data,
	     size_t len, const char *what);
int plan_zero(struct wplan *p, int stage, uint64_t off, size_t len,
	      const char *what);
void plan_note(struct wplan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Number of planned sectors whose contents really change. */
size_t plan_changes(const struct wplan *p);
/* Consecutive changed sectors of one region and stage, for --dry-run. */
struct wrun {
	int stage;
	uint64_t first;		/* the first sector, in plan units */
	size_t count;		/* sectors */
	uint64_t off, bytes;	/* where on the device, and how much */
	const char *what;
	size_t changed;		/* bytes that differ */
};

/* The runs of @p's changed sectors, in order (sorts @p); free(*runs). */
int plan_runs(struct wplan *p, struct wrun **runs, size_t *nruns);
/*
 * Back up (when backup_path) and write every changed sector, stage by
 * stage with fsync in between, after checking that the device still holds
 * what the plan was made from.  Reports errors (base/diag.h); returns 0 or -1.
 */
int plan_execute(struct wplan *p, const char *backup_path);

/* ---- operations (build.c, fix.c, convert.c, backup.c) ---- */

struct gpt_header;
struct gpt_state;

/*
 * Plan a complete GPT from two headers and an entry array: the backup copy
 * (array, then header) in the first stage, the primary in the second.
 * Sets the CRCs; notes every header field that changes against old (the
 * copies found on the disk, read at old->ss).
 */
int gpt_plan_copies(struct wplan *plan, unsigned int ss, struct gpt_header *pri,
		    struct gpt_header *bak, const uint8_t *entries,
		    const struct gpt_state *old);
/*
 * Plan zeroing stale metadata unless a partition holds some of it.  Plan
 * wipes before the new layout: a later put over the same bytes wins.
 */
int plan_wipe_stale(struct wplan *plan, const struct ptable *pt, uint64_t off,
		    uint64_t len, const char *what);
struct gpt_copy;
int plan_wipe_copy(struct wplan *plan, const struct ptable *pt,
		   const struct gpt_copy *c, unsigned int ss, const char *hdr,
		   const char *arr);

/* Plan the repairs of pt in place.  Reports why and returns -1 if refused. */
int ptable_plan_fix(const struct ptable *pt, const struct ptdev *d,
		    bool force, struct wplan *plan);
/* Plan rewriting pt for sector size `to`.  Reports why and returns -1 if refused. */
int ptable_plan_convert(const struct ptable *pt, const struct ptdev *d,
			unsigned int to, struct wplan *plan);

/* Save the old contents of every changed sector of plan. */
int backup_save(const char *path, const struct wplan *plan);
/* Plan putting back what a backup file saved, after validating it. */
int backup_plan_restore(const char *path, const struct ptdev *d, bool force,
			struct wplan *plan);

#endif
