/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-side tests of the kmod/ leaves: each test program takes the name
 * of one case and exits 0 if it passed; run.sh reports each as TAP.
 */
#ifndef SE_HARNESS_H
#define SE_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long h_seed = 1;

/* xorshift64*: the same sequence for the same seed on every host. */
static inline unsigned long long h_rand(void)
{
	h_seed ^= h_seed >> 12;
	h_seed ^= h_seed << 25;
	h_seed ^= h_seed >> 27;
	return h_seed * 2685821657736338717ULL;
}

static inline unsigned int h_below(unsigned int n)
{
	return (unsigned int)(h_rand() % n);
}

static unsigned long long h_start_seed;

__attribute__((format(printf, 3, 4), noreturn))
static void h_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: (seed %llu) ", file, line, h_start_seed);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

#define EXPECT(cond, ...) \
	do { if (!(cond)) h_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)

struct h_case {
	const char *name;
	void (*fn)(void);
};

/* main() of a test program: run the case named by argv[1]. */
static inline int h_main(int argc, char **argv, const struct h_case *cases)
{
	const struct h_case *c;
	const char *seed = getenv("SE_SEED");

	h_start_seed = seed ? strtoull(seed, NULL, 0) : 1;
	h_seed = h_start_seed ? h_start_seed : 1;
	for (c = cases; argc == 2 && c->name; c++) {
		if (!strcmp(argv[1], c->name)) {
			c->fn();
			return 0;
		}
	}
	fprintf(stderr, "usage: %s CASE (", argv[0]);
	for (c = cases; c->name; c++)
		fprintf(stderr, " %s", c->name);
	fprintf(stderr, " )\n");
	return 2;
}

#endif
