/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Write claims on ranges of blocks (sectoremu-lock.c).
 *
 * Contract:
 * - A claim is a struct se_range the caller owns and keeps alive until it
 *   releases it; first, last (inclusive), exclusive and grant are set by
 *   the caller before se_lock_acquire().
 * - Exclusive claims conflict with every overlapping claim, shared claims
 *   only with exclusive ones.  Conflicting claims are granted in the order
 *   se_lock_acquire() was called: none starves.
 * - se_lock_acquire() returns true when the claim is granted at once;
 *   otherwise grant(r) is called exactly once, from the se_lock_release()
 *   of the last earlier conflicting claim, in whatever context that runs
 *   (bio completion included): grant must not sleep.
 * - Every call may be made from any context; nothing here allocates.
 * - The block unit and what a block is belong to the caller.
 */
#ifndef SECTOREMU_LOCK_H
#define SECTOREMU_LOCK_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct se_range {
	struct rb_node rb;
	sector_t first, last;		/* blocks, inclusive */
	sector_t subtree_last;		/* interval tree bookkeeping */
	u64 seq;			/* arrival order */
	unsigned int blockers;		/* earlier conflicting ranges */
	bool exclusive;
	struct list_head grant_entry;
	void (*grant)(struct se_range *r);	/* called once blockers is 0 */
};

struct se_locks {
	spinlock_t lock;		/* protects everything below */
	struct rb_root_cached root;
	u64 seq;
	unsigned int nr_exclusive;	/* exclusive ranges in root */
	bool serialise;			/* false: grant everything at once */
};

void se_locks_init(struct se_locks *l, bool serialise);
bool se_locks_empty(struct se_locks *l);
bool se_lock_acquire(struct se_locks *l, struct se_range *r);
void se_lock_release(struct se_locks *l, struct se_range *r);

#endif
