// SPDX-License-Identifier: GPL-2.0
/*
 * The /etc/sectoremutab parser: good lines with every option and device
 * form, comments and blanks, and each kind of malformed line reported
 * with its line number while the good lines around it are kept.
 */
#include <string.h>

#include "ops/tab.h"
#include "tap.h"

#define entry tab_find

static void good_lines(void)
{
	static const char text[] =
		"# name device options\n"
		"\n"
		"   \t\n"
		"vm1 /dev/nvme0n1\n"
		"vm2\t/dev/disk/by-id/nvme-eui.0025   sector-size=1024,offset=2048,length=4096,read-only\r\n"
		"vm3 UUID=4f1c-77 ro,feature=ignore_discard,force,nofail  # trailing comment\n"
		"vm4 WWN=eui.00253855018a3b21 partitions\n"
		"vm5 /dev/sdb -\n"
		"vm6 /dev/sdc sector-size=2048,defaults";
	const struct tab_entry *e;
	struct tab t;

	tap_ok(!tab_parse(text, &t), "good lines: parsed");
	tap_ok(t.nr_entries == 6 && t.nr_errors == 0, "good lines: 6 entries, no errors (%zu, %zu)",
	       t.nr_entries, t.nr_errors);

	e = entry(&t, "vm1");
	tap_ok(e && e->line == 4 && e->kind == TAB_DEV_PATH &&
	       !strcmp(e->value, "/dev/nvme0n1") && e->req.sector_size == 512 &&
	       !e->req.offset && !e->req.length && !e->req.read_only &&
	       !e->req.features && !e->req.force && !e->nofail,
	       "a path without options: line 4, defaults");
	e = entry(&t, "vm2");
	tap_ok(e && e->line == 5 && e->kind == TAB_DEV_PATH &&
	       !strcmp(e->device, "/dev/disk/by-id/nvme-eui.0025") &&
	       e->req.sector_size == 1024 && e->req.offset == 2048 &&
	       e->req.length == 4096 && e->req.read_only,
	       "sector-size, offset, length, read-only (tab separated, CRLF)");
	e = entry(&t, "vm3");
	tap_ok(e && e->kind == TAB_DEV_UUID && !strcmp(e->value, "4f1c-77") &&
	       !strcmp(e->device, "UUID=4f1c-77") && e->req.read_only &&
	       e->req.features == MAP_F_IGNORE_DISCARD && e->req.force && e->nofail,
	       "UUID=, ro, feature=ignore_discard, force, nofail, trailing comment");
	e = entry(&t, "vm4");
	tap_ok(e && e->kind == TAB_DEV_WWN && !strcmp(e->value, "eui.00253855018a3b21") &&
	       e->req.sector_size == 512 && e->req.partitions, "WWN= with partitions");
	tap_ok(!entry(&t, "vm1")->req.partitions, "no partitions unless asked");
	e = entry(&t, "vm5");
	tap_ok(e && e->req.sector_size == 512 && !e->req.read_only, "'-' means no options");
	e = entry(&t, "vm6");
	tap_ok(e && e->req.sector_size == 2048, "defaults among other options (no newline at the end)");
	tab_free(&t);
}

static const struct {
	const char *line;
	const char *msg;
} bad[] = {
	{ "lonely", "lonely: no device" },
	{ "a /dev/x ro extra", "4 fields, expected <name> <device> [<options>]" },
	{ "a/b /dev/x", "'a/b' is not a usable mapping name" },
	{ "a dev/x", "a: device 'dev/x' is not an absolute path, UUID=... or WWN=..." },
	{ "a LABEL=x", "a: unknown device tag 'LABEL=' (known: UUID=, WWN=)" },
	{ "a UUID=", "a: 'UUID=' without a value" },
	{ "a WWN=", "a: 'WWN=' without a value" },
	{ "a /dev/x bogus", "a: unknown option 'bogus'" },
	{ "a /dev/x sector-size=4096", "a: sector-size must be 512, 1024 or 2048, not '4096'" },
	{ "a /dev/x sector-size=abc", "a: sector-size must be 512, 1024 or 2048, not 'abc'" },
	{ "a /dev/x sector-size", "a: option 'sector-size' needs a value (sector-size=...)" },
	{ "a /dev/x offset=", "a: option 'offset' needs a value (offset=...)" },
	{ "a /dev/x offset=-8", "a: offset: '-8' is not a number of sectors" },
	{ "a /dev/x length=0", "a: length: '0' is not a positive number of sectors" },
	{ "a /dev/x length=99999999999999999999999", "a: length: '99999999999999999999999' is not a positive number of sectors" },
	{ "a /dev/x read-only=yes", "a: option 'read-only' takes no value" },
	{ "a /dev/x feature=turbo", "a: unknown feature 'turbo' (known: ignore_discard)" },
	{ "a /dev/x ro,,force", "a: empty option (two commas, or one at an end)" },
	{ "a /dev/x ro,", "a: empty option (two commas, or one at an end)" },
	{ "a /dev/x offset=8,offset=16", "a: option 'offset' given twice" },
	{ "a /dev/x read-only,ro", "a: option 'ro' given twice" },
};

static void malformed_lines(void)
{
	size_t i, n = sizeof(bad) / sizeof(bad[0]);
	char text[8192], *p = text;
	struct tab t;
	bool all = true;

	/* Line 1 is good, then each bad line followed by a good one. */
	p += sprintf(p, "first /dev/a\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s\ngood%zu /dev/g%zu\n", bad[i].line, i, i);
	tap_ok(!tab_parse(text, &t), "malformed lines: parsed");
	tap_ok(t.nr_errors == n, "one error per malformed line (%zu of %zu)", t.nr_errors, n);
	tap_ok(t.nr_entries == n + 1, "every good line kept (%zu of %zu)", t.nr_entries, n + 1);
	for (i = 0; i < n && i < t.nr_errors; i++) {
		bool ok = t.errors[i].line == 2 + 2 * i &&
			  !strncmp(t.errors[i].msg, bad[i].msg, strlen(bad[i].msg));

		if (!ok) {
			tap_diag("'%s': line %u '%s', expected line %zu '%s'", bad[i].line,
				 t.errors[i].line, t.errors[i].msg, 2 + 2 * i, bad[i].msg);
			all = false;
		}
	}
	tap_ok(all && t.nr_errors == n, "each malformed kind: its message and line number");
	tab_free(&t);
}

static void duplicates(void)
{
	struct tab t;

	tab_parse("# c\nvm /dev/a\nvm /dev/b\nvm UUID=x\n", &t);
	tap_ok(t.nr_entries == 1 && t.entries[0].line == 2 && t.nr_errors == 2 &&
	       t.errors[0].line == 3 && !strcmp(t.errors[0].msg, "vm: name already used on line 2") &&
	       t.errors[1].line == 4,
	       "a name used twice: the first line wins, the others are errors naming it");
	tab_free(&t);
	tab_parse("a /dev/x length=9999999999999999999\n", &t);
	tap_ok(t.nr_errors == 0 && t.entries[0].req.length == 9999999999999999999ULL,
	       "a large length within 64 bits");
	tab_free(&t);
	tab_parse("", &t);
	tap_ok(t.nr_entries == 0 && t.nr_errors == 0, "an empty file is an empty tab");
	tab_free(&t);
}

int main(void)
{
	good_lines();
	malformed_lines();
	duplicates();
	tap_plan_done();
	return tap_exit();
}
