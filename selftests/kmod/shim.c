// SPDX-License-Identifier: GPL-2.0
/*
 * Host shim: the page allocator and the mempool that the leaves of
 * kmod/ call, for the host-side tests.  See shim/linux/mempool.h for
 * which of mm/mempool.c's behaviour is reproduced.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <linux/gfp.h>
#include <linux/mempool.h>

#define SHIM_PAGE_MAGIC	0x5ec7043e

long shim_pages_alive;
long shim_alloc_budget = -1;

/* One allocation is allowed (and counted against the budget) or not. */
bool shim_alloc_ok(void)
{
	long b = __atomic_load_n(&shim_alloc_budget, __ATOMIC_SEQ_CST);

	for (;;) {
		if (b < 0)
			return true;
		if (b == 0)
			return false;
		if (__atomic_compare_exchange_n(&shim_alloc_budget, &b, b - 1,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
	}
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;

	(void)gfp;
	if (!shim_alloc_ok())
		return NULL;
	page = calloc(1, sizeof(*page));
	assert(page);
	page->order = order;
	page->magic = SHIM_PAGE_MAGIC;
	page->addr = malloc(PAGE_SIZE << order);
	assert(page->addr);
	/* Fresh memory is garbage: a leaf must not read before it writes. */
	memset(page->addr, 0xa5, PAGE_SIZE << order);
	__atomic_add_fetch(&shim_pages_alive, 1, __ATOMIC_SEQ_CST);
	return page;
}

void __free_pages(struct page *page, unsigned int order)
{
	assert(page->magic == SHIM_PAGE_MAGIC);
	assert(page->order == order);
	page->magic = 0;
	free(page->addr);
	free(page);
	__atomic_sub_fetch(&shim_pages_alive, 1, __ATOMIC_SEQ_CST);
}

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn,
			  mempool_free_t *free_fn, void *pool_data)
{
	mempool_t *pool;

	if (!shim_alloc_ok())
		return NULL;
	pool = calloc(1, sizeof(*pool));
	assert(pool);
	pool->elements = calloc(min_nr, sizeof(void *));
	assert(pool->elements);
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->wait, NULL);
	pool->min_nr = min_nr;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	pool->pool_data = pool_data;
	while (pool->curr_nr < pool->min_nr) {
		void *e = pool->alloc(GFP_KERNEL, pool->pool_data);

		if (!e) {
			/* As mempool_init_node() does, through mempool_exit(). */
			mempool_destroy(pool);
			return NULL;
		}
		pool->elements[pool->curr_nr++] = e;
	}
	return pool;
}

void mempool_destroy(mempool_t *pool)
{
	if (!pool)
		return;
	while (pool->curr_nr)
		pool->free(pool->elements[--pool->curr_nr], pool->pool_data);
	pthread_cond_destroy(&pool->wait);
	pthread_mutex_destroy(&pool->lock);
	free(pool->elements);
	free(pool);
}

void *mempool_alloc(mempool_t *pool, gfp_t gfp)
{
	gfp_t gfp_temp = gfp & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	void *e;

	for (;;) {
		e = pool->alloc(gfp_temp, pool->pool_data);
		if (e)
			return e;
		pthread_mutex_lock(&pool->lock);
		if (pool->curr_nr) {
			e = pool->elements[--pool->curr_nr];
			pthread_mutex_unlock(&pool->lock);
			return e;
		}
		if (gfp_temp != gfp) {
			pthread_mutex_unlock(&pool->lock);
			gfp_temp = gfp;
			continue;
		}
		if (!gfpflags_allow_blocking(gfp)) {
			pthread_mutex_unlock(&pool->lock);
			return NULL;
		}
		pthread_cond_wait(&pool->wait, &pool->lock);
		pthread_mutex_unlock(&pool->lock);
	}
}

void mempool_free(void *element, mempool_t *pool)
{
	pthread_mutex_lock(&pool->lock);
	if (pool->curr_nr < pool->min_nr) {
		pool->elements[pool->curr_nr++] = element;
		pthread_cond_broadcast(&pool->wait);
		pthread_mutex_unlock(&pool->lock);
		return;
	}
	pthread_mutex_unlock(&pool->lock);
	pool->free(element, pool->pool_data);
}
