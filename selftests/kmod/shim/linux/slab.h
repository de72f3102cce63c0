/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHIM_LINUX_SLAB_H
#define SHIM_LINUX_SLAB_H

#include <stdlib.h>
#include <linux/gfp.h>

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	(void)gfp;
	return shim_alloc_ok() ? calloc(n, size) : NULL;
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#endif
