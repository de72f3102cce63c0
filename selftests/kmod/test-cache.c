// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of sectoremu-cache.c against its header's contract.
 *
 *   sizes      4 .. 64 slots, a power of two, at most 256 KiB of blocks,
 *              for every block size 4 .. 64 KiB; exit frees every page
 *   fill       a miss before any put, for a block never put and for one
 *              sharing its slot; a hit with the put content right after a
 *              put; a miss leaves the caller's page as it was
 *   model      random puts, drops (one block, a few, more than the cache
 *              holds, everything) and gets, checked against a model of
 *              the contract: a hit returns the last content put for the
 *              block, and only if no drop of it came since; a put is a hit
 *              right after; no more blocks hit than the cache has slots;
 *              put hands back a page of the same order
 *   disabled   a cache built disabled never hits and hands the page back
 *   initfail   every allocation of init failing in turn: -ENOMEM, and
 *              exit then frees all that init took
 *
 * Each case named here is seen to fail against a mutated copy of the leaf
 * (run.sh builds the mutants and expects these to fail, on every run):
 * a one-block drop loop that stops before its last block ("droplast":
 * fill, model); a get that does not compare the slot's block, so blocks
 * sharing a slot hit each other ("alias": fill, model); the drop of a
 * range larger than the cache keeping a block at its first end
 * ("bigdrop": model); a budget of 512 KiB instead of 256 ("bytes": sizes).
 */
#include "harness.h"
#include "sectoremu-cache.h"

static struct se_cache C;

static void fill_page(struct page *p, unsigned int bytes, u64 token)
{
	memset(p->addr, (int)(token & 0xff), bytes);
	memcpy(p->addr, &token, sizeof(token));
}

static bool page_is(struct page *p, unsigned int bytes, u64 token)
{
	unsigned char *a = p->addr;
	unsigned int i;
	u64 t;

	memcpy(&t, a, sizeof(t));
	if (t != token)
		return false;
	for (i = sizeof(t); i < bytes; i++)
		if (a[i] != (token & 0xff))
			return false;
	return true;
}

static void sizes(void)
{
	unsigned int order;

	for (order = 0; order <= 4; order++) {
		unsigned int bytes = PAGE_SIZE << order;

		EXPECT(!se_cache_init(&C, bytes, order, true), "init %u", bytes);
		EXPECT(C.nr >= 4 && C.nr <= 64 && !(C.nr & (C.nr - 1)),
		       "%u-byte blocks: %u slots", bytes, C.nr);
		EXPECT((unsigned long)C.nr * bytes <= 256 * 1024,
		       "%u-byte blocks: %u slots are over 256 KiB", bytes, C.nr);
		EXPECT(shim_pages_alive == C.nr, "%u-byte blocks: %ld pages for %u slots",
		       bytes, shim_pages_alive, C.nr);
		se_cache_exit(&C);
		EXPECT(shim_pages_alive == 0, "exit left %ld pages", shim_pages_alive);
	}
}

static void fill(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0), *q = alloc_pages(GFP_KERNEL, 0);
	unsigned int nr;

	EXPECT(!se_cache_init(&C, PAGE_SIZE, 0, true), "init");
	nr = C.nr;
	fill_page(q, PAGE_SIZE, 77);
	EXPECT(!se_cache_get(&C, 5, q), "hit on an empty cache");
	EXPECT(page_is(q, PAGE_SIZE, 77), "a miss changed the page");
	fill_page(p, PAGE_SIZE, 1000);
	p = se_cache_put(&C, 5, p);
	EXPECT(p && p->order == 0, "put returned no page of order 0");
	EXPECT(!se_cache_get(&C, 6, q), "hit for a block never put");
	EXPECT(!se_cache_get(&C, 5 + nr, q), "hit for a block sharing the slot");
	EXPECT(page_is(q, PAGE_SIZE, 77), "a miss changed the page");
	EXPECT(se_cache_get(&C, 5, q), "no hit right after put");
	EXPECT(page_is(q, PAGE_SIZE, 1000), "a hit returned other content");
	se_cache_drop(&C, 5, 5);
	EXPECT(!se_cache_get(&C, 5, q), "hit after drop");
	__free_pages(p, 0);
	__free_pages(q, 0);
	se_cache_exit(&C);
	EXPECT(shim_pages_alive == 0, "%ld pages left", shim_pages_alive);
}

#define M_STEPS	100000

static void model_run(unsigned int order)
{
	unsigned int bytes = PAGE_SIZE << order, nr, nblocks, step, hits;
	static u64 last[3 * 64];	/* 0: the model has nothing for it */
	struct page *own, *q, *prev;
	u64 token = 0;
	sector_t b;

	EXPECT(!se_cache_init(&C, bytes, order, true), "init");
	nr = C.nr;
	nblocks = 3 * nr;
	memset(last, 0, sizeof(last));
	own = alloc_pages(GFP_KERNEL, order);
	q = alloc_pages(GFP_KERNEL, order);
	for (step = 0; step < M_STEPS; step++) {
		unsigned int op = h_below(10);

		b = h_below(nblocks);
		if (op < 4) {
			fill_page(own, bytes, ++token);
			prev = own;
			own = se_cache_put(&C, b, own);
			EXPECT(own && own != prev && own->order == order,
			       "step %u: put returned no other page of the order", step);
			last[b] = token;
			EXPECT(se_cache_get(&C, b, q) && page_is(q, bytes, token),
			       "step %u: block %llu not a hit right after put", step,
			       (unsigned long long)b);
		} else if (op < 7) {
			sector_t first = b, end;

			switch (h_below(4)) {
			case 0:
				end = first;
				break;
			case 1:
				end = first + h_below(4);
				break;
			case 2:
				end = first + nr + h_below(nr);
				break;
			default:
				first = 0;
				end = (sector_t)-1;
				break;
			}
			se_cache_drop(&C, first, end);
			for (; first < nblocks && first <= end; first++)
				last[first] = 0;
		} else {
			fill_page(q, bytes, 0);
			if (se_cache_get(&C, b, q)) {
				EXPECT(last[b], "step %u: hit for block %llu, dropped or never put",
				       step, (unsigned long long)b);
				EXPECT(page_is(q, bytes, last[b]),
				       "step %u: block %llu hit with content other than its last put",
				       step, (unsigned long long)b);
			} else {
				EXPECT(page_is(q, bytes, 0), "step %u: a miss changed the page",
				       step);
			}
		}
		if (!(step % 1000)) {
			for (hits = 0, b = 0; b < nblocks; b++)
				hits += se_cache_get(&C, b, q);
			EXPECT(hits <= nr, "step %u: %u blocks hit, %u slots", step, hits, nr);
		}
	}
	__free_pages(own, order);
	__free_pages(q, order);
	se_cache_exit(&C);
	EXPECT(shim_pages_alive == 0, "%ld pages left", shim_pages_alive);
}

static void model(void)
{
	model_run(0);	/* 64 slots */
	model_run(4);	/* 4 slots of 64 KiB */
}

static void disabled(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);

	EXPECT(!se_cache_init(&C, 2 * PAGE_SIZE, 1, false), "init");
	EXPECT(shim_pages_alive == 1, "a disabled cache took pages");
	EXPECT(se_cache_put(&C, 3, p) == p, "disabled: put kept the page");
	EXPECT(!se_cache_get(&C, 3, p), "disabled: hit");
	se_cache_drop(&C, 0, (sector_t)-1);
	__free_pages(p, 1);
	se_cache_exit(&C);
	EXPECT(shim_pages_alive == 0, "%ld pages left", shim_pages_alive);
}

static void initfail(void)
{
	long budget;

	for (budget = 0; budget <= 64; budget++) {
		shim_alloc_budget = budget;
		EXPECT(se_cache_init(&C, PAGE_SIZE, 0, true) == -ENOMEM,
		       "init with %ld allocations allowed did not fail", budget);
		shim_alloc_budget = -1;
		se_cache_exit(&C);
		EXPECT(shim_pages_alive == 0, "failed init, exit: %ld pages left",
		       shim_pages_alive);
	}
	shim_alloc_budget = 65;
	EXPECT(!se_cache_init(&C, PAGE_SIZE, 0, true), "init with enough memory");
	shim_alloc_budget = -1;
	se_cache_exit(&C);
}

int main(int argc, char **argv)
{
	static const struct h_case cases[] = {
		{ "sizes", sizes },
		{ "fill", fill },
		{ "model", model },
		{ "disabled", disabled },
		{ "initfail", initfail },
		{ NULL, NULL },
	};

	return h_main(argc, argv, cases);
}
