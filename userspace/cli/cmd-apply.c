// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu apply [--tab FILE] [--dry-run] [--json] [NAME...]: create the
 * mappings of /etc/sectoremutab that are missing and report those that
 * differ from their line.  A malformed line or a missing device is
 * reported and the other lines still come up.
 *
 * What the library says about a line (why a mapping was not created)
 * is collected per line: printed to stderr as it always was, and under
 * --json carried in the line's "message" (the first error, the cause)
 * and "diagnostics" (all of them) instead.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "cli.h"
#include "json.h"
#include "ops/map.h"
#include "ops/partsync.h"
#include "ops/tab.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s apply [--tab FILE] [--dry-run] [--json] [NAME...]\n"
		"Create the mappings of %s (or FILE) that do not exist yet and\n"
		"report the ones that differ from their line; NAMEs: only those.\n\n"
		"  --tab FILE   the tab file to read\n"
		"  --dry-run    change nothing, say what would be done\n"
		"  --json       the results as JSON\n"
		"  -h, --help\n", prog, SECTOREMUTAB);
}

enum result {
	R_CREATED,
	R_WOULD_CREATE,
	R_PRESENT,
	R_DIFFERS,
	R_MISSING,		/* the device is not there */
	R_FAILED,
};

static const char *const result_names[] = {
	[R_CREATED] = "created",
	[R_WOULD_CREATE] = "would-create",
	[R_PRESENT] = "present",
	[R_DIFFERS] = "differs",
	[R_MISSING] = "missing",
	[R_FAILED] = "failed",
};

struct apply_opts {
	const char *path;
	bool dry_run, json;
	int nnames;
	char **names;
};

/* One line's outcome. */
struct outcome {
	enum result res;
	char dev[4096];			/* resolved, "" when not */
	char msg[512];
	struct cli_diags diags;		/* what the library said meanwhile */
};

static enum result apply_one(const struct tab_entry *e, bool dry_run,
			     char *dev, size_t dlen, char *msg, size_t mlen)
{
	struct se_mapping m;
	struct map_plan p;
	struct map_req r = e->req;
	int rc;

	if (tab_resolve(e, dev, dlen)) {
		snprintf(msg, mlen, "%s: no such device%s", e->device,
			 e->nofail ? " (nofail)" : "");
		return R_MISSING;
	}
	r.dev = dev;
	r.name = e->name;
	rc = se_dm_get(e->name, &m);
	if (rc == -EMEDIUMTYPE) {
		snprintf(msg, mlen, "a device-mapper device named %s exists and is not a sectoremu mapping",
			 e->name);
		return R_FAILED;
	}
	if (!rc) {
		if (map_differs(&m, &r, msg, mlen))
			return R_DIFFERS;
		/* Partitions that have no mapping yet get one. */
		if (r.partitions && !dry_run && partsync(e->name, PARTSYNC_ADD, NULL))
			return R_FAILED;
		return R_PRESENT;
	}
	if (map_lock() || map_plan(&r, &p))
		return R_FAILED;
	if (dry_run)
		return R_WOULD_CREATE;
	if (map_create(&p, r.read_only, r.partitions, NULL))
		return R_FAILED;
	return R_CREATED;
}

/* Apply @e with the library's diagnostics collected into @o. */
static void apply_entry(const struct tab_entry *e, bool dry_run,
			struct outcome *o)
{
	o->dev[0] = o->msg[0] = '\0';
	cli_collect_begin(&o->diags);
	o->res = apply_one(e, dry_run, o->dev, sizeof(o->dev), o->msg,
			   sizeof(o->msg));
	cli_collect_end(&o->diags);
	/* A failure's message is its cause, the first error said. */
	if (o->res == R_FAILED && !o->msg[0])
		snprintf(o->msg, sizeof(o->msg), "%s", cli_collect_cause(&o->diags));
}

static void print_human(const struct tab_entry *e, const struct outcome *o)
{
	const char *dev = o->dev, *msg = o->msg;

	cli_collect_print(&o->diags);
	switch (o->res) {
	case R_CREATED:
		printf("%s: created /dev/mapper/%s on %s\n", e->name, e->name, dev);
		break;
	case R_WOULD_CREATE:
		printf("%s: would create /dev/mapper/%s on %s\n", e->name, e->name, dev);
		break;
	case R_PRESENT:
		printf("%s: present, as its line says\n", e->name);
		break;
	case R_DIFFERS:
		printf("%s: differs from line %u: %s (left as it is; unmap it and apply to change it)\n",
		       e->name, e->line, msg);
		break;
	case R_MISSING:
		printf("%s: %s\n", e->name, msg);
		break;
	case R_FAILED:
		/* The diagnostics above said why on stderr already. */
		printf("%s: not created: %s\n", e->name, msg);
		break;
	}
}

static void print_json_entry(struct json *j, const struct tab_entry *e,
			     const struct outcome *o)
{
	const struct cli_diags *d = &o->diags;

	json_object_begin(j, NULL);
	json_u64(j, "line", e->line);
	json_string(j, "name", e->name);
	json_string(j, "device", e->device);
	if (o->dev[0])
		json_string(j, "resolved", o->dev);
	else
		json_null(j, "resolved");
	json_string(j, "result", result_names[o->res]);
	json_bool(j, "nofail", e->nofail);
	json_string(j, "message", o->msg);
	/* Only when the library said something, in the order it did. */
	if (d->n) {
		json_array_begin(j, "diagnostics");
		for (size_t i = 0; i < d->n; i++) {
			json_object_begin(j, NULL);
			json_string(j, "severity",
				    d->v[i].level == SE_DIAG_ERR ? "error" : "warning");
			json_string(j, "origin", d->v[i].origin ? d->v[i].origin : "sectoremu");
			json_string(j, "message", d->v[i].msg);
			json_object_end(j);
		}
		json_array_end(j);
	}
	json_object_end(j);
}

static void print_json_head(struct json *j, const struct apply_opts *o,
			    const struct tab *t)
{
	json_init(j, stdout);
	json_object_begin(j, NULL);
	json_string(j, "tab", o->path);
	json_bool(j, "dry_run", o->dry_run);
	json_array_begin(j, "malformed");
	for (size_t i = 0; i < t->nr_errors; i++) {
		json_object_begin(j, NULL);
		json_u64(j, "line", t->errors[i].line);
		json_string(j, "message", t->errors[i].msg);
		json_object_end(j);
	}
	json_array_end(j);
	json_array_begin(j, "mappings");
}

static void print_json_tail(struct json *j, bool ok)
{
	json_array_end(j);
	json_bool(j, "ok", ok);
	json_object_end(j);
	json_finish(j);
}

static bool selected(const char *name, int n, char **names)
{
	if (!n)
		return true;
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/* -1 to go on, else the exit status. */
static int parse_opts(int argc, char **argv, struct apply_opts *o)
{
	static const struct option opts[] = {
		{ "tab", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->path = SECTOREMUTAB;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->path = optarg;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return errtryhelp();
		}
	}
	o->nnames = argc - optind;
	o->names = argv + optind;
	return -1;
}

/* Every NAME must have a line. */
static int check_names(const struct apply_opts *o, const struct tab *t)
{
	for (int i = 0; i < o->nnames; i++) {
		if (!tab_find(t, o->names[i])) {
			errmsg("%s: no line for %s", o->path, o->names[i]);
			return -1;
		}
	}
	return 0;
}

int cmd_apply(int argc, char **argv)
{
	struct apply_opts o;
	struct outcome out;
	struct tab t;
	struct json j;
	bool ok;
	size_t i;
	int rc;

	rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (tab_read(o.path, &t))
		return EXIT_FAIL;
	if (check_names(&o, &t)) {
		tab_free(&t);
		return EXIT_FAIL;
	}
	for (i = 0; i < t.nr_errors; i++)
		errmsg("%s:%u: %s", o.path, t.errors[i].line, t.errors[i].msg);
	ok = !t.nr_errors;
	if (o.json)
		print_json_head(&j, &o, &t);
	for (i = 0; i < t.nr_entries; i++) {
		const struct tab_entry *e = &t.entries[i];

		if (!selected(e->name, o.nnames, o.names))
			continue;
		apply_entry(e, o.dry_run, &out);
		if (out.res == R_DIFFERS || out.res == R_FAILED ||
		    (out.res == R_MISSING && !e->nofail))
			ok = false;
		if (o.json)
			print_json_entry(&j, e, &out);
		else
			print_human(e, &out);
		cli_diags_free(&out.diags);
	}
	if (o.json)
		print_json_tail(&j, ok);
	tab_free(&t);
	return ok ? EXIT_OK : EXIT_FAIL;
}
