// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu qemu-aio: which aio= modes a QEMU binary supports (asked of
 * QEMU itself, see qemu_aio_probe.c), whether O_DIRECT works where the
 * disks live, and the Kata block_device_aio value and -drive options that
 * follow. The Kata case: a QEMU built without --enable-linux-aio refuses
 * block_device_aio = "native" with "aio=native was specified, but is not
 * supported in this build."
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "qemu/aio.h"
#include "qemu/binary.h"
#include "qemu/layout.h"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: %s qemu-aio [--qemu PATH] [--path DIR|FILE|DEV] [--json]\n"
"\n"
"Ask a QEMU binary which AIO modes (threads, native, io_uring) it can open a\n"
"file with, check O_DIRECT on the path where the disk images live, and\n"
"recommend Kata's block_device_aio and QEMU's -drive options.\n"
"\n"
"  --qemu PATH   the QEMU binary (default: %s on PATH)\n"
"  --path P      a directory (a 1 MiB scratch file is made and removed), or\n"
"                an image file or block device (opened read-only)\n"
"                (default: $TMPDIR, else /var/tmp)\n"
"  --json        print one JSON object\n"
"\n"
"Exit status: 0 when at least one mode works, 1 when none does or the\n"
"binary is missing or not QEMU, 2 for bad usage.\n",
		prog, QEMU_X86_BINARY);
}

static void drive_options(const struct qemu_aio_probe *p,
			  enum qemu_aio_mode m, char *buf, size_t len)
{
	snprintf(buf, len, "aio=%s,cache.direct=%s", qemu_aio_name(m),
		 p->o_direct ? "on" : "off");
}

static void print_human(const struct qemu_aio_probe *p)
{
	enum qemu_aio_mode rec = qemu_aio_recommend(p);
	char opts[64];
	int m;

	printf("QEMU: %s (%u.%u)\n", p->qemu, QEMU_VER_MAJOR(p->qemu_version),
	       QEMU_VER_MINOR(p->qemu_version));
	printf("Path: %s%s\n", p->path, p->path_is_dir ?
	       " (scratch file)" : " (read-only)");
	if (p->o_direct)
		printf("O_DIRECT: yes\n");
	else
		printf("O_DIRECT: no (%s)\n", p->o_direct_error);
	printf("\n");
	for (m = 0; m < QEMU_AIO_NR; m++) {
		if (p->works[m])
			printf("  aio=%-9s works\n", qemu_aio_name(m));
		else
			printf("  aio=%-9s fails: %s\n", qemu_aio_name(m),
			       p->error[m]);
	}
	if (rec == QEMU_AIO_NR) {
		printf("\nNo AIO mode works with this QEMU here.\n");
		return;
	}
	drive_options(p, rec, opts, sizeof(opts));
	printf("\nRecommended:\n");
	printf("  Kata (configuration.toml): block_device_aio = \"%s\"\n",
	       qemu_aio_name(rec));
	if (rec == QEMU_AIO_NATIVE)
		printf("                             block_device_cache_direct = true\n");
	printf("  QEMU: -drive file=IMAGE,format=raw,if=virtio,%s\n", opts);
	if (!p->works[QEMU_AIO_NATIVE])
		printf("\nDo not set block_device_aio = \"native\": this QEMU "
		       "refuses it.\n");
}

static void print_json(const struct qemu_aio_probe *p)
{
	enum qemu_aio_mode rec = qemu_aio_recommend(p);
	char buf[64];
	struct json j;
	int m;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "qemu", p->qemu);
	snprintf(buf, sizeof(buf), "%u.%u", QEMU_VER_MAJOR(p->qemu_version),
		 QEMU_VER_MINOR(p->qemu_version));
	json_string(&j, "qemu_version", buf);
	json_string(&j, "path", p->path);
	json_bool(&j, "o_direct", p->o_direct);
	if (p->o_direct)
		json_null(&j, "o_direct_error");
	else
		json_string(&j, "o_direct_error", p->o_direct_error);
	json_object_begin(&j, "modes");
	for (m = 0; m < QEMU_AIO_NR; m++) {
		json_object_begin(&j, qemu_aio_name(m));
		json_bool(&j, "works", p->works[m]);
		if (p->works[m])
			json_null(&j, "error");
		else
			json_string(&j, "error", p->error[m]);
		json_object_end(&j);
	}
	json_object_end(&j);
	if (rec == QEMU_AIO_NR) {
		json_null(&j, "kata_block_device_aio");
		json_null(&j, "qemu_drive_options");
	} else {
		json_string(&j, "kata_block_device_aio", qemu_aio_name(rec));
		drive_options(p, rec, buf, sizeof(buf));
		json_string(&j, "qemu_drive_options", buf);
	}
	json_object_end(&j);
	json_finish(&j);
}

int cmd_qemu_aio(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "qemu", required_argument, NULL, 'q' },
		{ "path", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *qemu = QEMU_X86_BINARY, *path = getenv("TMPDIR");
	struct qemu_aio_probe *p;
	bool json = false;
	int opt, rc;

	if (!path || !*path)
		path = "/var/tmp";
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'q':
			qemu = optarg;
			break;
		case 'p':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return usage_error("qemu-aio: unknown option '%s' or missing value",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("qemu-aio: unexpected argument '%s'", argv[optind]);
	if (!*qemu || !*path)
		return usage_error("qemu-aio: --qemu and --path must not be empty");

	p = malloc(sizeof(*p));
	if (!p) {
		errmsg_errno("qemu-aio");
		return EXIT_FAIL;
	}
	if (!qemu_aio_probe(qemu, path, p)) {
		errmsg_errno("qemu-aio: %s", path);
		free(p);
		return EXIT_FAIL;
	}
	rc = EXIT_OK;
	if (p->binary == QEMU_AIO_BINARY_MISSING) {
		errmsg("qemu-aio: %s: no such executable%s", qemu,
		       strchr(qemu, '/') ? "" : " in $PATH");
		rc = EXIT_FAIL;
	} else if (p->binary == QEMU_AIO_BINARY_NOT_QEMU) {
		errmsg("qemu-aio: %s is not QEMU: its --version does not say "
		       "\"QEMU emulator version\"", p->qemu);
		rc = EXIT_FAIL;
	} else {
		if (json)
			print_json(p);
		else
			print_human(p);
		if (qemu_aio_recommend(p) == QEMU_AIO_NR)
			rc = EXIT_FAIL;
	}
	free(p);
	return rc;
}
