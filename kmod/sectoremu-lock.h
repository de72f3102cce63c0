/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Write claims on ranges of blocks (sectoremu-lock.c).
 *
 * A claim is a range of blocks, first to last inclusive, held shared or
 * exclusive.  What a block is, and which unit first and last count in,
 * belong to the caller; this knows nothing of bios or of the target.
 *
 * - Exclusive claims conflict with every claim they overlap, shared claims
 *   only with exclusive ones.  Two ranges overlap when they have a block
 *   in common: [1, 2] and [3, 4] do not, [1, 3] and [3, 4] do.
 * - Conflicting claims are granted in the order of their se_lock_acquire()
 *   calls: a claim runs once every earlier claim it conflicts with has been
 *   released, and never waits for a later one, so none starves.
 * - Nothing here allocates, and nothing sleeps: every call may be made
 *   from any context, bio completion included.
 */
#ifndef SECTOREMU_LOCK_H
#define SECTOREMU_LOCK_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * One claim.  The caller owns the memory and keeps it alive from
 * se_lock_acquire() until se_lock_release() has returned; it sets first,
 * last, exclusive and grant before se_lock_acquire() and changes none of
 * them until the release.  The other fields are the lock's.
 */
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

/* The claims on one set of blocks.  Private to sectoremu-lock.c. */
struct se_locks {
	spinlock_t lock;		/* protects everything below */
	struct rb_root_cached root;
	u64 seq;
	unsigned int nr_exclusive;	/* exclusive ranges in root */
	bool serialise;			/* false: grant everything at once */
};

/*
 * No claims yet.  @serialise false is for a test-only build: every claim
 * is then granted at once and nothing is ordered.
 */
void se_locks_init(struct se_locks *l, bool serialise);

/* True when no claim is held or waiting. */
bool se_locks_empty(struct se_locks *l);

/*
 * Claim the blocks @r->first .. @r->last.
 *
 * Returns true if the claim is granted now: the caller goes ahead, and
 * @r->grant is never called.  Otherwise returns false and @r->grant(@r) is
 * called exactly once, when the last earlier conflicting claim is
 * released: from inside that se_lock_release(), in its context, without
 * the lock's spinlock held.  So grant must not sleep; it may acquire or
 * release claims.
 */
bool se_lock_acquire(struct se_locks *l, struct se_range *r);

/*
 * Drop the granted claim @r, and call grant for every later claim that
 * was waiting for it alone.  @r may be reused once this returns.
 */
void se_lock_release(struct se_locks *l, struct se_range *r);

#endif
