// SPDX-License-Identifier: GPL-2.0
/*
 * Write ordering on underlying blocks.
 *
 * Every write claims the blocks it touches before it may change them: a
 * read-modify-write claims its one block exclusively (nothing else may
 * write the block between its read and its write, or an update is lost), an
 * aligned passthrough write claims its blocks shared (it only has to wait
 * for read-modify-writes of those blocks).  Reads claim nothing: the device
 * writes a whole underlying block at once, so a read sees the block before
 * or after a merged write, never half of it.
 *
 * Claims live in one interval tree.  A new claim counts the earlier
 * overlapping claims it conflicts with (granted or still waiting) and runs
 * when that count drops to zero, so conflicting writes run in arrival order
 * and none starves.  The spinlock covers only tree updates; the I/O itself
 * is never serialised beyond what overlapping writes require.  While no
 * exclusive claim exists (no partial write in flight), a shared claim has
 * nothing to wait for and nothing to wake: it is only inserted and removed,
 * without searching the tree.
 */
#include <linux/interval_tree_generic.h>

#include "sectoremu-lock.h"

#define START(r) ((r)->first)
#define LAST(r) ((r)->last)
INTERVAL_TREE_DEFINE(struct se_range, rb, sector_t, subtree_last, START, LAST,
		     static, se_range_tree)

/* @serialise false (a test-only build): every claim is granted at once. */
void se_locks_init(struct se_locks *l, bool serialise)
{
	l->serialise = serialise;
	spin_lock_init(&l->lock);
	l->root = RB_ROOT_CACHED;
	l->seq = 0;
	l->nr_exclusive = 0;
}

bool se_locks_empty(struct se_locks *l)
{
	unsigned long flags;
	bool empty;

	spin_lock_irqsave(&l->lock, flags);
	empty = RB_EMPTY_ROOT(&l->root.rb_root);
	spin_unlock_irqrestore(&l->lock, flags);
	return empty;
}

static bool conflicts(const struct se_range *a, const struct se_range *b)
{
	return a->exclusive || b->exclusive;
}

/*
 * Claim @r (first, last, exclusive and grant set by the caller).  Returns
 * true when the caller may go ahead now; otherwise r->grant(r) is called
 * once every earlier conflicting claim has been released.
 */
bool se_lock_acquire(struct se_locks *l, struct se_range *r)
{
	struct se_range *o;
	unsigned long flags;
	bool granted;

	if (!l->serialise)
		return true;

	r->blockers = 0;
	spin_lock_irqsave(&l->lock, flags);
	r->seq = ++l->seq;
	if (r->exclusive || l->nr_exclusive) {
		for (o = se_range_tree_iter_first(&l->root, r->first, r->last); o;
		     o = se_range_tree_iter_next(o, r->first, r->last))
			if (conflicts(r, o))
				r->blockers++;
	}
	if (r->exclusive)
		l->nr_exclusive++;
	se_range_tree_insert(r, &l->root);
	/*
	 * Decide under the lock: once it is dropped, a release on another
	 * CPU may bring blockers to zero and call r->grant() itself.
	 */
	granted = !r->blockers;
	spin_unlock_irqrestore(&l->lock, flags);

	return granted;
}

/*
 * Drop the claim @r and start every later claim that was waiting only for
 * it.  Callable from any context, including bio completion.
 */
void se_lock_release(struct se_locks *l, struct se_range *r)
{
	struct se_range *o, *tmp;
	unsigned long flags;
	LIST_HEAD(granted);

	if (!l->serialise)
		return;

	spin_lock_irqsave(&l->lock, flags);
	se_range_tree_remove(r, &l->root);
	if (r->exclusive)
		l->nr_exclusive--;
	/* A shared claim can only have held up exclusive ones. */
	if (r->exclusive || l->nr_exclusive) {
		for (o = se_range_tree_iter_first(&l->root, r->first, r->last); o;
		     o = se_range_tree_iter_next(o, r->first, r->last))
			if (o->seq > r->seq && conflicts(r, o) && !--o->blockers)
				list_add_tail(&o->grant_entry, &granted);
	}
	spin_unlock_irqrestore(&l->lock, flags);

	list_for_each_entry_safe(o, tmp, &granted, grant_entry)
		o->grant(o);
}
