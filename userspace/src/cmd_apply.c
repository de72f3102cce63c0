// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu apply [--tab FILE] [--dry-run] [--json] [NAME...]: create the
 * mappings of /etc/sectoremutab that are missing and report those that
 * differ from their line.  A malformed line or a missing device is
 * reported and the other lines still come up.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "map.h"
#include "partsync.h"
#include "tab.h"

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

static enum result apply_one(const struct tab_entry *e, bool dry_run,
			     char *dev, size_t dlen, char *msg, size_t mlen)
{
	struct se_mapping m;
	struct map_plan p;
	struct map_req r = e->req;
	int rc;

	dev[0] = msg[0] = '\0';
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
		if (r.partitions && !dry_run && partsync(e->name, PARTSYNC_ADD, NULL)) {
			snprintf(msg, mlen, "%s", errmsg_last());
			return R_FAILED;
		}
		return R_PRESENT;
	}
	if (map_lock() || map_plan(&r, &p)) {
		snprintf(msg, mlen, "%s", errmsg_last());
		return R_FAILED;
	}
	if (dry_run)
		return R_WOULD_CREATE;
	if (map_create(&p, r.read_only, r.partitions, NULL)) {
		snprintf(msg, mlen, "%s", errmsg_last());
		return R_FAILED;
	}
	return R_CREATED;
}

static void print_human(const struct tab_entry *e, enum result res,
			const char *dev, const char *msg)
{
	switch (res) {
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
		/* map_plan() said why on stderr already. */
		printf("%s: not created: %s\n", e->name, msg);
		break;
	}
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

int cmd_apply(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tab", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = SECTOREMUTAB;
	bool dry_run = false, json = false, ok = true;
	char dev[4096], msg[512];
	enum result res;
	struct tab t;
	struct json j;
	size_t i;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			path = optarg;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (tab_read(path, &t))
		return EXIT_FAIL;
	for (c = optind; c < argc; c++) {
		if (!tab_find(&t, argv[c])) {
			errmsg("%s: no line for %s", path, argv[c]);
			tab_free(&t);
			return EXIT_FAIL;
		}
	}

	for (i = 0; i < t.nr_errors; i++)
		errmsg("%s:%u: %s", path, t.errors[i].line, t.errors[i].msg);
	if (t.nr_errors)
		ok = false;
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_string(&j, "tab", path);
		json_bool(&j, "dry_run", dry_run);
		json_array_begin(&j, "malformed");
		for (i = 0; i < t.nr_errors; i++) {
			json_object_begin(&j, NULL);
			json_u64(&j, "line", t.errors[i].line);
			json_string(&j, "message", t.errors[i].msg);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_array_begin(&j, "mappings");
	}
	for (i = 0; i < t.nr_entries; i++) {
		const struct tab_entry *e = &t.entries[i];

		if (!selected(e->name, argc - optind, argv + optind))
			continue;
		res = apply_one(e, dry_run, dev, sizeof(dev), msg, sizeof(msg));
		if (res == R_DIFFERS || res == R_FAILED ||
		    (res == R_MISSING && !e->nofail))
			ok = false;
		if (!json) {
			print_human(e, res, dev, msg);
			continue;
		}
		json_object_begin(&j, NULL);
		json_u64(&j, "line", e->line);
		json_string(&j, "name", e->name);
		json_string(&j, "device", e->device);
		if (dev[0])
			json_string(&j, "resolved", dev);
		else
			json_null(&j, "resolved");
		json_string(&j, "result", result_names[res]);
		json_bool(&j, "nofail", e->nofail);
		json_string(&j, "message", msg);
		json_object_end(&j);
	}
	if (json) {
		json_array_end(&j);
		json_bool(&j, "ok", ok);
		json_object_end(&j);
		json_finish(&j);
	}
	tab_free(&t);
	return ok ? EXIT_OK : EXIT_FAIL;
}
