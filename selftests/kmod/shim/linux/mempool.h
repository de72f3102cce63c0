/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim: mm/mempool.c's behaviour as its callers see it (shim.c):
 * mempool_create() fills the reserve through alloc_fn and, failing
 * half-way, hands what it took back through free_fn; mempool_alloc()
 * tries alloc_fn without waiting first, then the reserve, then (if gfp
 * may wait) alloc_fn with gfp, then waits for a mempool_free(); and
 * mempool_free() refills the reserve before it calls free_fn.
 */
#ifndef SHIM_LINUX_MEMPOOL_H
#define SHIM_LINUX_MEMPOOL_H

#include <pthread.h>
#include <linux/gfp.h>

typedef void *(mempool_alloc_t)(gfp_t gfp, void *data);
typedef void (mempool_free_t)(void *element, void *data);

typedef struct mempool {
	pthread_mutex_t lock;
	pthread_cond_t wait;
	int min_nr, curr_nr;
	void **elements;
	void *pool_data;
	mempool_alloc_t *alloc;
	mempool_free_t *free;
} mempool_t;

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn,
			  mempool_free_t *free_fn, void *pool_data);
void mempool_destroy(mempool_t *pool);
void *mempool_alloc(mempool_t *pool, gfp_t gfp);
void mempool_free(void *element, mempool_t *pool);

#endif
