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

static void vmsg(int err, const char *fmt, va_list ap)
{
	char msg[1024];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (err)
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(err));
	fprintf(stderr, "%s: %s\n", prog, msg);
}

const struct command *cli_command;

int errtryhelp(void)
{
	if (cli_command)
		fprintf(stderr, "Try '%s %s --help'.\n", prog, cli_command->name);
	else
		fprintf(stderr, "Try '%s --help'.\n", prog);
	return EXIT_USAGE;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	return errtryhelp();
}

int check_operands(const char *verb, int n, char **ops)
{
	const struct command *c = cli_find_command(verb);

	if (!c || (n >= c->min_operands &&
		   (c->max_operands < 0 || n <= c->max_operands)))
		return -1;
	if (n < c->min_operands)
		return usage_error("%s: %s", c->name, c->missing);
	return usage_error("%s: unexpected operand '%s'", c->name,
			   ops[c->max_operands]);
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
			/* getopt_long() said what is wrong. */
			return errtryhelp();
		}
	}
	return -1;
}
