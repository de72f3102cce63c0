// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of sectoremu-buf.c against its header's contract, on a
 * shim of the mempool that behaves as mm/mempool.c does for its callers
 * (shim/linux/mempool.h).
 *
 *   bound      random gets and puts: the pages alive never exceed
 *              SE_MIN_BUFS + max_spare + those handed out; exit frees all
 *   foreign    a page se_buf_get() did not hand out is taken back, and
 *              freed at exit
 *   nowait     with the page allocator failing, GFP_NOWAIT still gets the
 *              spares and the reserve, then NULL, and never waits
 *   wait       GFP_NOIO with nothing at hand waits, and returns the buffer
 *              another thread puts back
 *   initfail   every allocation of init failing in turn: -ENOMEM, and
 *              nothing is left allocated (the constructor does not call
 *              se_bufs_exit() after a failed init)
 *
 * Each case named here is seen to fail against a mutated copy of the leaf
 * (run.sh builds the mutants and expects these to fail, on every run):
 * a spare list that keeps one buffer more than max_spare ("spare": bound);
 * a failed init that does not free the spares mempool_create() gave back
 * ("initleak": initfail), as the module did before this harness.
 */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "sectoremu-buf.h"

static struct se_bufs B;

#define B_MAX_OUT	96
#define B_STEPS		50000

static void bound_run(unsigned int order)
{
	struct page *out[B_MAX_OUT];
	unsigned int n = 0, step;
	long limit;

	EXPECT(!se_bufs_init(&B, order), "init order %u", order);
	for (step = 0; step < B_STEPS; step++) {
		if (n < B_MAX_OUT && (h_below(2) || !n)) {
			out[n] = se_buf_get(&B, h_below(2) ? GFP_NOWAIT : GFP_NOIO);
			EXPECT(out[n], "step %u: no buffer with memory to spare", step);
			EXPECT(out[n]->order == order, "step %u: a buffer of order %u",
			       step, out[n]->order);
			/* The caller overwrites all of it. */
			memset(page_address(out[n]), 0x3c, PAGE_SIZE << order);
			n++;
		} else {
			unsigned int i = h_below(n);

			se_buf_put(&B, out[i]);
			out[i] = out[--n];
		}
		limit = SE_MIN_BUFS + B.max_spare + n;
		EXPECT(shim_pages_alive <= limit,
		       "step %u: %ld pages alive, at most %ld allowed (%u out)",
		       step, shim_pages_alive, limit, n);
	}
	while (n)
		se_buf_put(&B, out[--n]);
	se_bufs_exit(&B);
	EXPECT(shim_pages_alive == 0, "exit left %ld pages", shim_pages_alive);
}

static void bound(void)
{
	bound_run(0);	/* max_spare 128 */
	bound_run(4);	/* max_spare SE_MIN_BUFS */
}

static void foreign(void)
{
	struct page *p;

	EXPECT(!se_bufs_init(&B, 1), "init");
	p = alloc_pages(GFP_KERNEL, 1);
	se_buf_put(&B, p);
	se_bufs_exit(&B);
	EXPECT(shim_pages_alive == 0, "exit left %ld pages", shim_pages_alive);
}

static void nowait(void)
{
	struct page *out[SE_MIN_BUFS + 8];
	unsigned int i, n;

	EXPECT(!se_bufs_init(&B, 0), "init");
	/* Three spares on the list, on top of a full reserve. */
	out[0] = se_buf_get(&B, GFP_NOIO);
	out[1] = se_buf_get(&B, GFP_NOIO);
	out[2] = se_buf_get(&B, GFP_NOIO);
	se_buf_put(&B, out[0]);
	se_buf_put(&B, out[1]);
	se_buf_put(&B, out[2]);
	shim_alloc_budget = 0;
	for (n = 0; n < SE_MIN_BUFS + 8; n++) {
		out[n] = se_buf_get(&B, GFP_NOWAIT);
		if (!out[n])
			break;
	}
	shim_alloc_budget = -1;
	EXPECT(n == SE_MIN_BUFS + 3,
	       "GFP_NOWAIT got %u buffers, the spares and the reserve are %u",
	       n, SE_MIN_BUFS + 3);
	for (i = 0; i < n; i++)
		se_buf_put(&B, out[i]);
	se_bufs_exit(&B);
	EXPECT(shim_pages_alive == 0, "exit left %ld pages", shim_pages_alive);
}

static struct page *w_got;

static void *w_get(void *arg)
{
	(void)arg;
	__atomic_store_n(&w_got, se_buf_get(&B, GFP_NOIO), __ATOMIC_SEQ_CST);
	return NULL;
}

static void wait_case(void)
{
	struct page *out[SE_MIN_BUFS + 1];
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	unsigned int i, n = 0;
	pthread_t t;

	EXPECT(!se_bufs_init(&B, 0), "init");
	shim_alloc_budget = 0;
	while (n < SE_MIN_BUFS + 1 && (out[n] = se_buf_get(&B, GFP_NOWAIT)))
		n++;
	EXPECT(n == SE_MIN_BUFS, "%u buffers without an allocator, not the reserve", n);
	EXPECT(!pthread_create(&t, NULL, w_get, NULL), "pthread_create");
	nanosleep(&ts, NULL);
	EXPECT(!__atomic_load_n(&w_got, __ATOMIC_SEQ_CST),
	       "GFP_NOIO returned with nothing at hand");
	se_buf_put(&B, out[--n]);
	pthread_join(t, NULL);
	shim_alloc_budget = -1;
	EXPECT(w_got == out[n], "GFP_NOIO did not return the buffer put back");
	se_buf_put(&B, w_got);
	for (i = 0; i < n; i++)
		se_buf_put(&B, out[i]);
	se_bufs_exit(&B);
	EXPECT(shim_pages_alive == 0, "exit left %ld pages", shim_pages_alive);
}

static void initfail(void)
{
	long budget;

	/* One allocation for the pool, SE_MIN_BUFS for its reserve. */
	for (budget = 0; budget <= SE_MIN_BUFS; budget++) {
		shim_alloc_budget = budget;
		EXPECT(se_bufs_init(&B, 2) == -ENOMEM,
		       "init with %ld allocations allowed did not fail", budget);
		shim_alloc_budget = -1;
		EXPECT(!B.pool, "a failed init left a pool");
		EXPECT(shim_pages_alive == 0,
		       "init failed after %ld allocations and left %ld pages",
		       budget, shim_pages_alive);
	}
	shim_alloc_budget = SE_MIN_BUFS + 1;
	EXPECT(!se_bufs_init(&B, 2), "init with enough memory");
	shim_alloc_budget = -1;
	se_bufs_exit(&B);
	EXPECT(shim_pages_alive == 0, "exit left %ld pages", shim_pages_alive);
}

int main(int argc, char **argv)
{
	static const struct h_case cases[] = {
		{ "bound", bound },
		{ "foreign", foreign },
		{ "nowait", nowait },
		{ "wait", wait_case },
		{ "initfail", initfail },
		{ NULL, NULL },
	};

	return h_main(argc, argv, cases);
}
