// SPDX-License-Identifier: GPL-2.0
/* The /etc/sectoremutab parser; the format is described in tab.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "dm/name.h"
#include "ops/tab.h"

#define MAX_FIELDS 4

static int add_error(struct tab *t, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int add_error(struct tab *t, unsigned int line, const char *fmt, ...)
{
	struct tab_error *e;
	va_list ap;

	e = realloc(t->errors, (t->nr_errors + 1) * sizeof(*e));
	if (!e)
		return -1;
	t->errors = e;
	e += t->nr_errors++;
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* Split @s in place at blanks; a field starting with '#' ends the line. */
static int split(char *s, char **f)
{
	int n = 0;
	char *p = s;

	for (;;) {
		p += strspn(p, " \t\r");
		if (!*p || *p == '#')
			return n;
		if (n < MAX_FIELDS)
			f[n] = p;
		n++;
		p += strcspn(p, " \t\r");
		if (*p)
			*p++ = '\0';
	}
}

/* The map options (map.h), plus nofail, which is the tab's own. */
#define OPT_NOFAIL	(-1)

static const struct {
	const char *name;
	int opt;			/* enum map_opt, or OPT_NOFAIL */
	bool value;
} options[] = {
	{ "sector-size", MAP_OPT_SECTOR_SIZE, true },
	{ "offset", MAP_OPT_OFFSET, true },
	{ "length", MAP_OPT_LENGTH, true },
	{ "read-only", MAP_OPT_READ_ONLY, false },
	{ "ro", MAP_OPT_READ_ONLY, false },
	{ "feature", MAP_OPT_FEATURE, true },
	{ "force", MAP_OPT_FORCE, false },
	{ "nofail", OPT_NOFAIL, false },
	{ "partitions", MAP_OPT_PARTITIONS, false },
};

/* One option into @e; NULL when fine, else what is wrong with it. */
static const char *one_option(char *opt, unsigned int *seen,
			      struct tab_entry *e, char *why, size_t len)
{
	char *val = strchr(opt, '=');
	unsigned int bit;
	size_t i;

	if (val)
		*val++ = '\0';
	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (!strcmp(opt, options[i].name))
			break;
	if (i == sizeof(options) / sizeof(options[0])) {
		snprintf(why, len, "unknown option '%s'", opt);
		return why;
	}
	if (options[i].value && (!val || !*val)) {
		snprintf(why, len, "option '%s' needs a value (%s=...)", opt, opt);
		return why;
	}
	if (!options[i].value && val) {
		snprintf(why, len, "option '%s' takes no value", opt);
		return why;
	}
	/* "ro" and "read-only" are one option. */
	bit = 1u << (options[i].opt + 1);
	if (*seen & bit) {
		snprintf(why, len, "option '%s' given twice", opt);
		return why;
	}
	*seen |= bit;
	if (options[i].opt == OPT_NOFAIL) {
		e->nofail = true;
		return NULL;
	}
	return map_opt_set(&e->req, (enum map_opt)options[i].opt, val, why, len);
}

static const char *parse_options(char *s, struct tab_entry *e, char *why,
				 size_t len)
{
	unsigned int seen = 0;
	const char *err;
	char *opt, *next;

	if (!strcmp(s, "defaults") || !strcmp(s, "-"))
		return NULL;
	for (opt = s; opt; opt = next) {
		next = strchr(opt, ',');
		if (next)
			*next++ = '\0';
		if (!*opt) {
			snprintf(why, len, "empty option (two commas, or one at an end)");
			return why;
		}
		if (!strcmp(opt, "defaults"))
			continue;
		err = one_option(opt, &seen, e, why, len);
		if (err)
			return err;
	}
	return NULL;
}

static const char *parse_device(const char *dev, struct tab_entry *e,
				char *why, size_t len)
{
	const char *eq = strchr(dev, '=');

	if (strlen(dev) >= sizeof(e->device)) {
		snprintf(why, len, "device '%.40s...' is too long", dev);
		return why;
	}
	snprintf(e->device, sizeof(e->device), "%s", dev);
	if (dev[0] == '/') {
		e->kind = TAB_DEV_PATH;
		snprintf(e->value, sizeof(e->value), "%s", dev);
		return NULL;
	}
	if (!eq) {
		snprintf(why, len, "device '%s' is not an absolute path, UUID=... or WWN=...", dev);
		return why;
	}
	if (!strncmp(dev, "UUID=", 5))
		e->kind = TAB_DEV_UUID;
	else if (!strncmp(dev, "WWN=", 4))
		e->kind = TAB_DEV_WWN;
	else {
		snprintf(why, len, "unknown device tag '%.*s=' (known: UUID=, WWN=)",
			 (int)(eq - dev) > 40 ? 40 : (int)(eq - dev), dev);
		return why;
	}
	if (!eq[1]) {
		snprintf(why, len, "'%s' without a value", dev);
		return why;
	}
	snprintf(e->value, sizeof(e->value), "%s", eq + 1);
	return NULL;
}

const struct tab_entry *tab_find(const struct tab *t, const char *name)
{
	for (size_t i = 0; i < t->nr_entries; i++)
		if (!strcmp(t->entries[i].name, name))
			return &t->entries[i];
	return NULL;
}

/* One line; 0 when it is an entry, a comment or blank. */
static int parse_line(struct tab *t, char *s, unsigned int line)
{
	const struct tab_entry *dup;
	struct tab_entry e, *ne;
	char *f[MAX_FIELDS], why[200];
	const char *err;
	int n = split(s, f);

	if (!n)
		return 0;
	if (n == 1)
		return add_error(t, line, "%.100s: no device (expected: <name> <device> [<options>])", f[0]);
	if (n > 3)
		return add_error(t, line, "%d fields, expected <name> <device> [<options>] (options are separated by commas, not blanks)", n);
	memset(&e, 0, sizeof(e));
	map_req_init(&e.req);
	e.line = line;
	if (!se_name_ok(f[0]))
		return add_error(t, line, "'%.100s' is not a usable mapping name", f[0]);
	snprintf(e.name, sizeof(e.name), "%s", f[0]);
	dup = tab_find(t, e.name);
	if (dup)
		return add_error(t, line, "%s: name already used on line %u", e.name, dup->line);
	err = parse_device(f[1], &e, why, sizeof(why));
	if (!err && n == 3)
		err = parse_options(f[2], &e, why, sizeof(why));
	if (err)
		return add_error(t, line, "%s: %s", e.name, err);

	ne = realloc(t->entries, (t->nr_entries + 1) * sizeof(*ne));
	if (!ne)
		return -1;
	t->entries = ne;
	ne[t->nr_entries++] = e;
	return 0;
}

int tab_parse(const char *text, struct tab *t)
{
	char *copy = strdup(text), *line, *next;
	unsigned int n = 0;
	int r = 0;

	memset(t, 0, sizeof(*t));
	if (!copy)
		return -1;
	for (line = copy; line && !r; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		r = parse_line(t, line, ++n);
	}
	free(copy);
	if (r)
		tab_free(t);
	return r;
}

int tab_read(const char *path, struct tab *t)
{
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	FILE *f = fopen(path, "r");
	int r;

	memset(t, 0, sizeof(*t));
	if (!f) {
		se_err_errno("cannot read %s", path);
		return -1;
	}
	do {
		if (len + 4096 + 1 > cap) {
			char *nt = realloc(text, cap = len + 65536);

			if (!nt) {
				free(text);
				fclose(f);
				se_err("%s: out of memory", path);
				return -1;
			}
			text = nt;
		}
		got = fread(text + len, 1, cap - len - 1, f);
		len += got;
	} while (got);
	r = ferror(f);
	fclose(f);
	if (r) {
		errno = EIO;
		se_err_errno("cannot read %s", path);
		free(text);
		return -1;
	}
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		se_err("%s: not a text file (it contains NUL bytes)", path);
		free(text);
		return -1;
	}
	r = tab_parse(text, t);
	free(text);
	if (r)
		se_err("%s: out of memory", path);
	return r;
}

void tab_free(struct tab *t)
{
	free(t->entries);
	free(t->errors);
	memset(t, 0, sizeof(*t));
}
