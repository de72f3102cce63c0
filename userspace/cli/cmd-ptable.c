// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu ptable inspect|fix|convert|restore: partition tables across
 * sector sizes.  The work is done in ptable/; this file parses the command
 * line and prints.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "ptable/ops.h"
#include "ptable/ptable.h"

struct opts {
	const char *sub;
	const char *path;
	const char *backup;
	unsigned int sector_size;	/* --sector-size, 0 = detect */
	unsigned int file_lbs;		/* --device-sector-size */
	unsigned int to;		/* --to */
	bool json, dry_run, force;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s ptable inspect <dev|file> [--json] [--sector-size N]\n"
		"       %s ptable fix <dev|file> [--sector-size N] [--dry-run] [--backup FILE] [--force]\n"
		"       %s ptable convert <dev|file> --to 512|4096 [--dry-run] [--backup FILE] [--force]\n"
		"       %s ptable restore <dev|file> --backup FILE [--dry-run] [--force]\n"
		"\n"
		"  --sector-size N         read the table at N (512 or 4096) instead of detecting it\n"
		"  --device-sector-size N  logical block size of an image file (default 512)\n"
		"  --dry-run               show the sectors and fields that would change; write nothing\n"
		"  --backup FILE           save every sector before it is changed (restore puts them back)\n"
		"  --force                 write even if the device is in use, or over later changes\n"
		"\nExit status: 0 healthy/done, 1 problems or failure, 2 usage.\n",
		prog, prog, prog, prog);
}

static bool parse_size(const char *s, unsigned int *out)
{
	uint64_t v;

	if (!parse_u64(s, &v) || (v != 512 && v != 4096))
		return false;
	*out = (unsigned int)v;
	return true;
}

/* Which subcommands take an option: a bit per subcommand. */
enum { SUB_INSPECT = 1, SUB_FIX = 2, SUB_CONVERT = 4, SUB_RESTORE = 8 };

static const struct {
	const char *name;
	unsigned int bit;
} subs[] = {
	{ "inspect", SUB_INSPECT }, { "fix", SUB_FIX },
	{ "convert", SUB_CONVERT }, { "restore", SUB_RESTORE },
};

static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "sector-size", required_argument, NULL, 's' },
	{ "device-sector-size", required_argument, NULL, 'D' },
	{ "to", required_argument, NULL, 't' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "backup", required_argument, NULL, 'b' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The subcommands each option letter applies to. */
static unsigned int option_subs(int c)
{
	switch (c) {
	case 'j':
		return SUB_INSPECT;
	case 's':
		return SUB_INSPECT | SUB_FIX;
	case 't':
		return SUB_CONVERT;
	case 'n':
	case 'b':
	case 'f':
		return SUB_FIX | SUB_CONVERT | SUB_RESTORE;
	default:
		return ~0u;
	}
}

/* One option into @o: 0, or EXIT_USAGE after a usage error. */
static int one_opt(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'j':
		o->json = true;
		return 0;
	case 's':
		if (parse_size(arg, &o->sector_size))
			return 0;
		return usage_error("--sector-size must be 512 or 4096, not '%s'", arg);
	case 'D':
		if (parse_size(arg, &o->file_lbs))
			return 0;
		return usage_error("--device-sector-size must be 512 or 4096, not '%s'", arg);
	case 't':
		if (parse_size(arg, &o->to))
			return 0;
		return usage_error("--to must be 512 or 4096, not '%s'", arg);
	case 'n':
		o->dry_run = true;
		return 0;
	case 'b':
		o->backup = arg;
		return 0;
	case 'f':
		o->force = true;
		return 0;
	}
	return EXIT_USAGE;
}

/* What the subcommand needs besides its options. */
static int check_opts(const struct opts *o, unsigned int sub)
{
	if (sub == SUB_CONVERT && !o->to)
		return usage_error("ptable convert: --to 512|4096 is required");
	if (sub == SUB_RESTORE && !o->backup)
		return usage_error("ptable restore: --backup FILE is required");
	return -1;
}

/* -1 to go on, else the exit status. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	unsigned int sub = 0;
	size_t i;
	int c, rc;

	memset(o, 0, sizeof(*o));
	if (argc < 2)
		return check_operands("ptable", 0, argv + 1);
	o->sub = argv[1];
	if (!strcmp(o->sub, "--help") || !strcmp(o->sub, "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(o->sub, subs[i].name))
			sub = subs[i].bit;
	if (!sub)
		return usage_error("ptable: unknown subcommand '%s'", o->sub);
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		if (c == '?' || c == ':')
			return usage_error("ptable %s: unknown or incomplete option '%s'",
					   o->sub, argv[optind - 1]);
		if (!(option_subs(c) & sub))
			return usage_error("ptable %s: option '%s' does not apply",
					   o->sub, argv[optind - 1]);
		rc = one_opt(o, c, optarg);
		if (rc)
			return rc;
	}
	if (optind != argc - 1)
		return usage_error("ptable %s: expects exactly one device or image file",
				   o->sub);
	o->path = argv[optind];
	return check_opts(o, sub);
}

static void print_parts_text(const struct ptable *pt)
{
	const struct ptable_part *p;
	const char *tname;
	char guid[37], type[40];
	unsigned int i;

	if (!pt->nparts)
		return;
	printf("%4s %14s %14s %14s  %-22s %s\n", "NR", "START", "END", "SIZE",
	       "TYPE", "NAME");
	for (i = 0; i < pt->nparts; i++) {
		p = &pt->parts[i];
		if (pt->kind == PTABLE_GPT) {
			ptable_guid_str(&p->type, guid);
			tname = ptable_type_name(&p->type);
			snprintf(type, sizeof(type), "%s", tname ? tname : guid);
		} else {
			snprintf(type, sizeof(type), "0x%02x%s%s", p->mbr_type,
				 p->extended ? " extended" : "",
				 p->bootable ? " boot" : "");
		}
		printf("%4u %14" PRIu64 " %14" PRIu64 " %14" PRIu64 "  %-22s %s\n",
		       p->number, p->start,
		       p->size ? p->start + p->size - 1 : p->start, p->size,
		       type, p->name);
	}
}

static void print_text(const struct opts *o, const struct ptdev *d,
		       const struct ptable *pt, const char *mismatch)
{
	char guid[37];
	unsigned int i;

	printf("%s: %" PRIu64 " bytes, %s, logical sector size %u\n", o->path,
	       d->bytes, d->is_blk ? "block device" : "image file", d->lbs);
	printf("table: %s", ptable_kind_name(pt->kind));
	if (pt->kind == PTABLE_GPT)
		printf(" with %s MBR", ptable_mbr_kind_name(pt->mbr));
	if (pt->sector_size)
		printf(", written for %u-byte sectors (%s)", pt->sector_size,
		       pt->sector_size_source);
	putchar('\n');
	if (pt->kind == PTABLE_GPT && (pt->primary_ok || pt->backup_ok)) {
		ptable_guid_str(&pt->disk_guid, guid);
		printf("disk GUID: %s\n", guid);
		printf("GPT: %" PRIu32 " entries of %" PRIu32 " bytes, usable LBA %" PRIu64 "-%" PRIu64 ", backup header at LBA %" PRIu64 "\n",
		       pt->num_entries, pt->entry_size, pt->first_usable,
		       pt->last_usable, pt->backup_lba);
	} else if (pt->kind == PTABLE_MBR) {
		printf("disk signature: 0x%08" PRIx32 "\n", pt->mbr_signature);
	}
	print_parts_text(pt);
	if (pt->nproblems || mismatch) {
		printf("problems:\n");
		if (mismatch)
			printf("  - %s\n", mismatch);
		for (i = 0; i < pt->nproblems; i++)
			printf("  - %s\n", pt->problems[i]);
	} else {
		printf("healthy\n");
	}
}

static void print_json(const struct opts *o, const struct ptdev *d,
		       const struct ptable *pt, const char *mismatch)
{
	const struct ptable_part *p;
	const char *tname;
	struct json j;
	char s[40];
	unsigned int i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "device", o->path);
	json_u64(&j, "size", d->bytes);
	json_bool(&j, "block_device", d->is_blk);
	json_u64(&j, "device_sector_size", d->lbs);
	json_string(&j, "table", ptable_kind_name(pt->kind));
	json_string(&j, "mbr", ptable_mbr_kind_name(pt->mbr));
	if (pt->sector_size) {
		json_u64(&j, "sector_size", pt->sector_size);
		json_string(&j, "sector_size_source", pt->sector_size_source);
	} else {
		json_null(&j, "sector_size");
		json_null(&j, "sector_size_source");
	}
	if (pt->kind == PTABLE_GPT) {
		json_bool(&j, "primary_valid", pt->primary_ok);
		json_bool(&j, "backup_valid", pt->backup_ok);
		if (pt->primary_ok || pt->backup_ok) {
			ptable_guid_str(&pt->disk_guid, s);
			json_string(&j, "disk_guid", s);
			json_u64(&j, "first_usable_lba", pt->first_usable);
			json_u64(&j, "last_usable_lba", pt->last_usable);
			json_u64(&j, "backup_lba", pt->backup_lba);
			json_u64(&j, "num_entries", pt->num_entries);
			json_u64(&j, "entry_size", pt->entry_size);
		}
	} else if (pt->kind == PTABLE_MBR) {
		snprintf(s, sizeof(s), "0x%08" PRIx32, pt->mbr_signature);
		json_string(&j, "disk_signature", s);
	}
	json_array_begin(&j, "partitions");
	for (i = 0; i < pt->nparts; i++) {
		p = &pt->parts[i];
		json_object_begin(&j, NULL);
		json_u64(&j, "number", p->number);
		json_u64(&j, "start", p->start);
		json_u64(&j, "size", p->size);
		json_u64(&j, "first_lba", p->first_lba);
		json_u64(&j, "last_lba", p->last_lba);
		if (pt->kind == PTABLE_GPT) {
			ptable_guid_str(&p->type, s);
			json_string(&j, "type", s);
			tname = ptable_type_name(&p->type);
			json_string(&j, "type_name", tname);
			ptable_guid_str(&p->uuid, s);
			json_string(&j, "uuid", s);
			json_string(&j, "name", p->name);
			json_u64(&j, "attributes", p->attributes);
		} else {
			snprintf(s, sizeof(s), "0x%02x", p->mbr_type);
			json_string(&j, "type", s);
			json_bool(&j, "bootable", p->bootable);
			json_bool(&j, "logical", p->logical);
			json_bool(&j, "extended", p->extended);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "problems");
	if (mismatch)
		json_string(&j, NULL, mismatch);
	for (i = 0; i < pt->nproblems; i++)
		json_string(&j, NULL, pt->problems[i]);
	json_array_end(&j);
	json_bool(&j, "healthy", !pt->nproblems && !mismatch);
	json_object_end(&j);
	json_finish(&j);
}

static int read_table(const struct opts *o, const struct ptdev *d,
		      struct ptable *pt)
{
	int ret = ptable_read(d->fd, d->bytes, o->sector_size, pt);

	if (ret) {
		errno = -ret;
		errmsg_errno("cannot read the partition table of %s", o->path);
		return -1;
	}
	return 0;
}

static int do_inspect(const struct opts *o)
{
	char mismatch[200], *mm = NULL;
	struct ptdev d;
	struct ptable pt;
	int rc;

	if (ptdev_open(&d, o->path, false, false, o->file_lbs))
		return EXIT_FAIL;
	if (read_table(o, &d, &pt)) {
		ptdev_close(&d);
		return EXIT_FAIL;
	}
	/* An image file's sector size is only known when we are told it. */
	if (pt.sector_size && pt.sector_size != d.lbs &&
	    (d.is_blk || o->file_lbs)) {
		snprintf(mismatch, sizeof(mismatch),
			 "the table is written for %u-byte sectors but the device has %u-byte logical sectors: the kernel will not find its partitions",
			 pt.sector_size, d.lbs);
		mm = mismatch;
	}
	if (o->json)
		print_json(o, &d, &pt, mm);
	else
		print_text(o, &d, &pt, mm);
	rc = pt.nproblems || mm ? EXIT_FAIL : EXIT_OK;
	ptable_free(&pt);
	ptdev_close(&d);
	return rc;
}

/* After writing, the table must read back whole at the intended size. */
static int verify_written(const struct opts *o, const struct ptdev *d,
			  unsigned int ss, enum ptable_kind kind)
{
	struct ptable pt;
	int ret = ptable_read(d->fd, d->bytes, 0, &pt), bad;

	if (ret) {
		errno = -ret;
		errmsg_errno("cannot read back the table of %s", o->path);
		return -1;
	}
	bad = pt.kind != kind || pt.sector_size != ss ||
	      (kind == PTABLE_GPT && (!pt.primary_ok || !pt.backup_ok));
	if (bad)
		errmsg("%s: the table written does not read back as a valid %u-byte %s%s",
		       o->path, ss, ptable_kind_name(kind),
		       o->backup ? "; restore it with 'ptable restore --backup'" : "");
	ptable_free(&pt);
	return bad ? -1 : 0;
}

/* What --dry-run shows: the runs of changed sectors, then the notes. */
static int print_plan(struct wplan *p)
{
	struct wrun *runs;
	size_t i, n;

	if (plan_runs(p, &runs, &n)) {
		errmsg("out of memory");
		return -1;
	}
	printf("%zu sector(s) of %u bytes to write:\n", plan_changes(p), p->unit);
	for (i = 0; i < n; i++) {
		printf("  step %d: sector %" PRIu64, runs[i].stage + 1, runs[i].first);
		if (runs[i].count > 1)
			printf("-%" PRIu64, runs[i].first + runs[i].count - 1);
		printf(" (bytes %" PRIu64 "-%" PRIu64 "): %s, %zu byte(s) change\n",
		       runs[i].off, runs[i].off + runs[i].bytes - 1, runs[i].what,
		       runs[i].changed);
	}
	free(runs);
	if (p->nnotes)
		printf("Changes:\n");
	for (i = 0; i < p->nnotes; i++)
		printf("  %s\n", p->notes[i]);
	return 0;
}

static int run_plan(const struct opts *o, struct ptdev *d, struct wplan *plan,
		    const char *done)
{
	if (plan->err) {
		errno = -plan->err;
		errmsg_errno("cannot plan the writes to %s", o->path);
		return EXIT_FAIL;
	}
	if (!plan_changes(plan)) {
		printf("%s: nothing to change\n", o->path);
		return EXIT_OK;
	}
	if (o->dry_run) {
		printf("%s: dry run, nothing written.\n", o->path);
		return print_plan(plan) ? EXIT_FAIL : EXIT_OK;
	}
	if (plan_execute(plan, o->backup))
		return EXIT_FAIL;
	printf("%s: %s (%zu sector(s) of %u bytes written%s%s)\n", o->path, done,
	       plan_changes(plan), plan->unit, o->backup ? ", saved in " : "",
	       o->backup ? o->backup : "");
	ptdev_reread(d);
	return EXIT_OK;
}

static int do_change(const struct opts *o)
{
	bool is_fix = !strcmp(o->sub, "fix");
	struct wplan plan;
	struct ptable pt;
	struct ptdev d;
	unsigned int ss;
	int rc = EXIT_FAIL;

	if (ptdev_open(&d, o->path, !o->dry_run, o->force, o->file_lbs))
		return EXIT_FAIL;
	if (read_table(o, &d, &pt)) {
		ptdev_close(&d);
		return EXIT_FAIL;
	}
	ss = is_fix ? pt.sector_size : o->to;
	plan_init(&plan, d.fd, d.bytes, ss > d.lbs ? ss : d.lbs);
	if (is_fix ? ptable_plan_fix(&pt, &d, o->force, &plan) :
		     ptable_plan_convert(&pt, &d, o->to, &plan)) {
		errmsg("%s: nothing written", o->path);
		goto out;
	}
	rc = run_plan(o, &d, &plan, is_fix ? "repaired" : "converted");
	if (rc == EXIT_OK && !o->dry_run && plan_changes(&plan) &&
	    verify_written(o, &d, ss, pt.kind))
		rc = EXIT_FAIL;
out:
	plan_free(&plan);
	ptable_free(&pt);
	ptdev_close(&d);
	return rc;
}

static int do_restore(const struct opts *o)
{
	struct wplan plan;
	struct ptdev d;
	int rc = EXIT_FAIL;

	if (ptdev_open(&d, o->path, !o->dry_run, o->force, o->file_lbs))
		return EXIT_FAIL;
	memset(&plan, 0, sizeof(plan));
	if (!backup_plan_restore(o->backup, &d, o->force, &plan)) {
		struct opts ro = *o;

		ro.backup = NULL;	/* the backup is the input here */
		rc = run_plan(&ro, &d, &plan, "restored");
	} else {
		errmsg("%s: nothing written", o->path);
	}
	plan_free(&plan);
	ptdev_close(&d);
	return rc;
}

int cmd_ptable(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, &o);

	if (rc >= 0)
		return rc;
	if (!strcmp(o.sub, "inspect"))
		return do_inspect(&o);
	if (!strcmp(o.sub, "restore"))
		return do_restore(&o);
	return do_change(&o);
}
