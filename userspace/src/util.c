// SPDX-License-Identifier: GPL-2.0
/* Small helpers shared by all commands. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *prog = "sectoremu";

static char last_msg[512];

static void vmsg(int err, const char *fmt, va_list ap)
{
	size_t n;

	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	n = strlen(last_msg);
	if (err)
		snprintf(last_msg + n, sizeof(last_msg) - n, ": %s", strerror(err));
	fprintf(stderr, "%s: %s\n", prog, last_msg);
}

const char *errmsg_last(void)
{
	return last_msg;
}

void errmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void errmsg_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(err, fmt, ap);
	va_end(ap);
}

bool parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int parse_flag_opt(int argc, char **argv, const char *flag,
		   void (*usage)(FILE *), bool *set)
{
	const struct option opts[] = {
		{ flag, no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*set = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'f') {
			*set = true;
		} else if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}
