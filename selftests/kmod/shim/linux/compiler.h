/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim: the kernel's compiler helpers the leaves and the tools/
 * rbtree use.  Only what they need, with the kernel's meaning.
 */
#ifndef SHIM_LINUX_COMPILER_H
#define SHIM_LINUX_COMPILER_H

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define __percpu
#define fallthrough		__attribute__((__fallthrough__))

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))

#endif
