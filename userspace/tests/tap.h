/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP output for host unit tests, in the shape of the kernel's
 * kselftest helpers: a plan, one "ok"/"not ok" line per check, and an exit
 * status that says whether everything passed.
 */
#ifndef SECTOREMU_TAP_H
#define SECTOREMU_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed;

static inline void tap_plan(int n)
{
	printf("TAP version 13\n1..%d\n", n);
}

static inline void tap_plan_done(void)
{
	printf("1..%d\n", tap_n);
}

__attribute__((format(printf, 2, 3)))
static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

__attribute__((format(printf, 1, 2)))
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline int tap_exit(void)
{
	return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
