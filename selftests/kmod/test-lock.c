// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of sectoremu-lock.c against its header's contract.
 *
 *   basic      hand-made cases: shared with shared, exclusive with
 *              anything, inclusive ends, adjacent ranges, arrival order,
 *              the last block of the sector_t range
 *   model      random sequences of claims and releases, checked after
 *              every step against a brute-force model: a claim is granted
 *              exactly when no earlier claim still held or waiting
 *              overlaps it and conflicts with it; grant is called once,
 *              and only then; some grants release their claim at once
 *   threads    four threads claim, use and release random ranges; no two
 *              conflicting claims are ever in use at the same time
 *   noserialise  the test-only mode grants everything and calls no grant
 *
 * Each case is seen to fail against a mutated copy of the leaf (run.sh
 * builds the mutants and expects every case named here to fail, on every
 * run): the range's last block taken as one less, an off-by-one in the
 * overlap check ("offbyone": basic, model, threads); shared claims not
 * conflicting with exclusive ones ("sharedexcl": basic, model, threads);
 * the release of a shared claim not waking the exclusive claims waiting
 * for it ("sharedwake": basic, model, threads).
 */
#include <sched.h>
#include <time.h>
#include <pthread.h>

#include "harness.h"
#include "sectoremu-lock.h"

static struct se_locks L;

struct claim {
	struct se_range r;
	bool present;
	bool granted;
	bool release_on_grant;
	int grants;
	u64 order;
};

static u64 next_order;

static void claim_release(struct claim *c)
{
	c->present = false;
	se_lock_release(&L, &c->r);
}

static void claim_granted(struct se_range *r)
{
	struct claim *c = container_of(r, struct claim, r);

	EXPECT(c->present, "grant of a claim that is not held");
	EXPECT(!c->granted, "second grant of [%llu, %llu]",
	       (unsigned long long)r->first, (unsigned long long)r->last);
	c->granted = true;
	c->grants++;
	if (c->release_on_grant)
		claim_release(c);
}

/* Claim; true if granted at once (then grant must never be called). */
static bool claim(struct claim *c, sector_t first, sector_t last, bool excl)
{
	memset(c, 0, sizeof(*c));
	c->r.first = first;
	c->r.last = last;
	c->r.exclusive = excl;
	c->r.grant = claim_granted;
	c->present = true;
	c->order = ++next_order;
	if (!se_lock_acquire(&L, &c->r))
		return false;
	EXPECT(!c->grants, "granted twice: by acquire and by grant");
	c->granted = true;
	return true;
}

/* --- basic --------------------------------------------------------- */

static void basic(void)
{
	struct claim a, b, c, d, e, f;

	se_locks_init(&L, true);
	EXPECT(se_locks_empty(&L), "a new lock has claims");

	EXPECT(claim(&a, 0, 3, false), "shared [0,3] refused on an empty lock");
	EXPECT(claim(&b, 2, 5, false), "shared [2,5] waits for shared [0,3]");
	EXPECT(!se_locks_empty(&L), "claims held but empty");
	EXPECT(!claim(&c, 3, 3, true), "exclusive [3,3] granted beside shared");
	claim_release(&a);
	EXPECT(!c.granted, "exclusive [3,3] granted while shared [2,5] holds 3");
	claim_release(&b);
	EXPECT(c.granted && c.grants == 1, "exclusive [3,3] not granted once");
	claim_release(&c);
	EXPECT(se_locks_empty(&L), "all released but not empty");

	EXPECT(claim(&a, 0, 1, true), "exclusive [0,1] refused");
	EXPECT(claim(&b, 2, 3, true), "adjacent exclusive [2,3] waits for [0,1]");
	EXPECT(!claim(&c, 1, 2, false), "shared [1,2] granted over exclusives");
	EXPECT(!claim(&d, 3, 4, true), "exclusive [3,4] granted over [2,3]");
	claim_release(&a);
	EXPECT(!c.granted, "shared [1,2] granted while [2,3] is exclusive");
	claim_release(&b);
	EXPECT(c.granted && d.granted, "[1,2] and [3,4] not both granted");
	claim_release(&c);
	claim_release(&d);

	/* Arrival order: a later claim never overtakes an earlier one. */
	EXPECT(claim(&a, 7, 7, true), "exclusive [7,7] refused");
	EXPECT(!claim(&b, 7, 7, false), "shared granted under exclusive");
	EXPECT(!claim(&c, 7, 7, true), "exclusive granted under exclusive");
	EXPECT(!claim(&d, 7, 7, false), "shared granted under exclusive");
	EXPECT(claim(&e, 8, 8, true), "exclusive [8,8] waits for block 7");
	claim_release(&a);
	EXPECT(b.granted && !c.granted && !d.granted,
	       "after the first exclusive: not just the next shared");
	claim_release(&b);
	EXPECT(c.granted && !d.granted, "the second exclusive is not next");
	claim_release(&c);
	EXPECT(d.granted, "the last shared is not granted");
	claim_release(&d);
	claim_release(&e);

	/* The last blocks sector_t can name. */
	EXPECT(claim(&a, (sector_t)-2, (sector_t)-1, true), "top range refused");
	EXPECT(!claim(&b, (sector_t)-1, (sector_t)-1, false),
	       "top block granted under an exclusive claim");
	EXPECT(claim(&f, 0, (sector_t)-3, true), "exclusive [0, max-2] waits for the top blocks");
	claim_release(&a);
	EXPECT(b.granted, "top block not granted");
	claim_release(&b);
	claim_release(&f);
	EXPECT(se_locks_empty(&L), "all released but not empty");
}

/* --- model --------------------------------------------------------- */

#define M_CLAIMS	48
#define M_BLOCKS	16
#define M_STEPS		200000

static struct claim m[M_CLAIMS];

static bool overlap(const struct se_range *a, const struct se_range *b)
{
	return a->first <= b->last && b->first <= a->last;
}

/* The model: no earlier claim, held or waiting, is in the way. */
static bool model_granted(const struct claim *c)
{
	const struct claim *o;

	for (o = m; o < m + M_CLAIMS; o++)
		if (o->present && o->order < c->order && overlap(&o->r, &c->r) &&
		    (o->r.exclusive || c->r.exclusive))
			return false;
	return true;
}

static void model_check(unsigned int step)
{
	bool any = false;
	struct claim *c;

	for (c = m; c < m + M_CLAIMS; c++) {
		if (!c->present)
			continue;
		any = true;
		EXPECT(c->granted == model_granted(c),
		       "step %u: %s [%llu, %llu] is %sgranted, the model says %s",
		       step, c->r.exclusive ? "exclusive" : "shared",
		       (unsigned long long)c->r.first,
		       (unsigned long long)c->r.last, c->granted ? "" : "not ",
		       model_granted(c) ? "granted" : "waiting");
	}
	EXPECT(se_locks_empty(&L) == !any, "step %u: se_locks_empty() wrong",
	       step);
}

static void model(void)
{
	unsigned int step, i, n;
	struct claim *c;

	se_locks_init(&L, true);
	memset(m, 0, sizeof(m));
	for (step = 0; step < M_STEPS; step++) {
		for (n = 0, i = 0; i < M_CLAIMS; i++)
			n += m[i].present;
		if (n < M_CLAIMS && (h_below(2) || !n)) {
			sector_t first = h_below(M_BLOCKS);
			sector_t len = h_below(8) ? 1 + h_below(3) : 1 + h_below(M_BLOCKS);
			bool excl = h_below(2);

			for (c = m; c->present; c++)
				;
			if (claim(c, first, first + len - 1, excl)) {
				EXPECT(model_granted(c), "step %u: granted early", step);
				if (!h_below(8))
					claim_release(c);
			} else {
				c->release_on_grant = !h_below(8);
			}
		} else {
			/* Release a granted claim, picked at random. */
			i = h_below(M_CLAIMS);
			for (n = 0; n < M_CLAIMS; n++, i = (i + 1) % M_CLAIMS)
				if (m[i].present && m[i].granted)
					break;
			if (n < M_CLAIMS)
				claim_release(&m[i]);
		}
		model_check(step);
	}
}

/* --- threads ------------------------------------------------------- */

#define T_THREADS	4
#define T_ROUNDS	20000
#define T_BLOCKS	8

static int t_use[T_BLOCKS];		/* -1: exclusive; n: n shared */

struct t_claim {
	struct se_range r;
	int granted;
};

static void t_granted(struct se_range *r)
{
	__atomic_store_n(&container_of(r, struct t_claim, r)->granted, 1,
			 __ATOMIC_RELEASE);
}

static void *t_run(void *arg)
{
	unsigned long long s = (unsigned long long)(uintptr_t)arg * 7919 + h_start_seed;
	struct t_claim c;
	unsigned int i;
	sector_t b;

	for (i = 0; i < T_ROUNDS; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		memset(&c, 0, sizeof(c));
		c.r.first = s % T_BLOCKS;
		c.r.last = min(c.r.first + (s >> 8) % 3, (sector_t)T_BLOCKS - 1);
		c.r.exclusive = (s >> 16) & 1;
		c.r.grant = t_granted;
		if (!se_lock_acquire(&L, &c.r)) {
			time_t limit = time(NULL) + 10;

			while (!__atomic_load_n(&c.granted, __ATOMIC_ACQUIRE)) {
				EXPECT(time(NULL) < limit,
				       "a claim waited 10 s: its grant never came");
				sched_yield();
			}
		}
		for (b = c.r.first; b <= c.r.last; b++) {
			if (c.r.exclusive) {
				int zero = 0;

				EXPECT(__atomic_compare_exchange_n(&t_use[b], &zero, -1,
								   false, __ATOMIC_SEQ_CST,
								   __ATOMIC_SEQ_CST),
				       "exclusive claim on block %llu while it is in use",
				       (unsigned long long)b);
			} else {
				EXPECT(__atomic_fetch_add(&t_use[b], 1, __ATOMIC_SEQ_CST) >= 0,
				       "shared claim on block %llu while it is exclusive",
				       (unsigned long long)b);
			}
		}
		if (!(s & 0x300))
			sched_yield();
		for (b = c.r.first; b <= c.r.last; b++) {
			if (c.r.exclusive)
				__atomic_store_n(&t_use[b], 0, __ATOMIC_SEQ_CST);
			else
				__atomic_fetch_sub(&t_use[b], 1, __ATOMIC_SEQ_CST);
		}
		se_lock_release(&L, &c.r);
	}
	return NULL;
}

static void threads(void)
{
	pthread_t t[T_THREADS];
	uintptr_t i;

	se_locks_init(&L, true);
	for (i = 0; i < T_THREADS; i++)
		EXPECT(!pthread_create(&t[i], NULL, t_run, (void *)(i + 1)),
		       "pthread_create");
	for (i = 0; i < T_THREADS; i++)
		pthread_join(t[i], NULL);
	EXPECT(se_locks_empty(&L), "claims left after every thread released");
}

/* --- noserialise --------------------------------------------------- */

static void noserialise(void)
{
	struct claim a, b;

	se_locks_init(&L, false);
	EXPECT(claim(&a, 0, 9, true), "unserialised: exclusive refused");
	EXPECT(claim(&b, 5, 5, true), "unserialised: overlapping exclusive waits");
	claim_release(&a);
	claim_release(&b);
	EXPECT(!a.grants && !b.grants, "unserialised: grant was called");
	EXPECT(se_locks_empty(&L), "unserialised: not empty");
}

int main(int argc, char **argv)
{
	static const struct h_case cases[] = {
		{ "basic", basic },
		{ "model", model },
		{ "threads", threads },
		{ "noserialise", noserialise },
		{ NULL, NULL },
	};

	return h_main(argc, argv, cases);
}
