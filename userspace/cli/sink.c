// SPDX-License-Identifier: GPL-2.0
/* The diagnostics sink the CLI installs in the library (cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "cli.h"

static void print_one(int level, const char *origin, const char *msg)
{
	(void)level;
	/* libdevmapper's lines carry their own "device-mapper:" prefix. */
	if (origin)
		fprintf(stderr, "%s\n", msg);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
}

static void print_sink(const struct se_diag *d, void *ctx)
{
	(void)ctx;
	print_one(d->level, d->origin, d->msg);
}

void cli_sink_install(void)
{
	se_diag_set_sink(print_sink, NULL);
}

static void collect_sink(const struct se_diag *d, void *ctx)
{
	struct cli_diags *c = ctx;
	struct cli_diag *v = realloc(c->v, (c->n + 1) * sizeof(*v));
	char *msg = strdup(d->msg);
	char *origin = d->origin ? strdup(d->origin) : NULL;

	if (!v || !msg || (d->origin && !origin)) {
		/* Out of memory: say it now rather than lose it. */
		free(msg);
		free(origin);
		if (v)
			c->v = v;
		print_one(d->level, d->origin, d->msg);
		return;
	}
	c->v = v;
	v[c->n].level = d->level;
	v[c->n].origin = origin;
	v[c->n].msg = msg;
	c->n++;
}

void cli_collect_begin(struct cli_diags *c)
{
	memset(c, 0, sizeof(*c));
	se_diag_set_sink(collect_sink, c);
}

void cli_collect_end(struct cli_diags *c)
{
	(void)c;
	cli_sink_install();
}

void cli_collect_print(const struct cli_diags *c)
{
	for (size_t i = 0; i < c->n; i++)
		print_one(c->v[i].level, c->v[i].origin, c->v[i].msg);
}

/*
 * sectoremu's own first error: it names the object and what is wrong
 * with it.  libdevmapper's lines are detail (the ioctl and its errno);
 * they are the cause only when nothing else was said.
 */
const char *cli_collect_cause(const struct cli_diags *c)
{
	const char *lib = "";
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->v[i].level != SE_DIAG_ERR)
			continue;
		if (!c->v[i].origin)
			return c->v[i].msg;
		if (!*lib)
			lib = c->v[i].msg;
	}
	return lib;
}

void cli_diags_free(struct cli_diags *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].origin);
		free(c->v[i].msg);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
