/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim: gfp flags and the page allocator (shim.c), with a count of
 * the pages alive and a switch that makes allocations fail.
 */
#ifndef SHIM_LINUX_GFP_H
#define SHIM_LINUX_GFP_H

#include <linux/list.h>
#include <linux/types.h>

#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(GFP_NOIO | __GFP_IO | __GFP_FS)

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)

struct page {
	struct list_head lru;
	unsigned int order;
	unsigned long magic;
	void *addr;
};

struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);

static inline void *page_address(struct page *page)
{
	return page->addr;
}

/* Test side (shim.c). */
extern long shim_pages_alive;		/* alloc_pages() less __free_pages() */
extern long shim_alloc_budget;		/* < 0: no limit; else successes left */
bool shim_alloc_ok(void);

#endif
