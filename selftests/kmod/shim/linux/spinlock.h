/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim: a spinlock is a pthread mutex that reports misuse (a second
 * lock by its holder, an unlock by another thread) instead of hanging.
 */
#ifndef SHIM_LINUX_SPINLOCK_H
#define SHIM_LINUX_SPINLOCK_H

#include <assert.h>
#include <pthread.h>

typedef pthread_mutex_t spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(l, &a);
	pthread_mutexattr_destroy(&a);
}

#define spin_lock_irqsave(l, flags) \
	do { (flags) = 0; assert(pthread_mutex_lock(l) == 0); } while (0)
#define spin_unlock_irqrestore(l, flags) \
	do { (void)(flags); assert(pthread_mutex_unlock(l) == 0); } while (0)
#define spin_lock(l)	assert(pthread_mutex_lock(l) == 0)
#define spin_unlock(l)	assert(pthread_mutex_unlock(l) == 0)

#endif
