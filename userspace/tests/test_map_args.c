// SPDX-License-Identifier: GPL-2.0
/* The map command's arguments: defaults, every option, each usage error. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ops/map.h"
#include "tap.h"

#define ARGS(...) ((char *[]){ "map", __VA_ARGS__, NULL })
#define NARGS(...) (int)(sizeof((char *[]){ "map", __VA_ARGS__ }) / sizeof(char *))

static int parse(int argc, char **argv, struct map_req *r)
{
	return map_parse_args(argc, argv, r);
}

static const struct {
	const char *what;
	const char *args[6];
} usage_errors[] = {
	{ "no device", { NULL } },
	{ "two devices", { "/dev/a", "/dev/b", NULL } },
	{ "--sector-size 4096", { "--sector-size", "4096", "/dev/x", NULL } },
	{ "--sector-size 5x", { "--sector-size", "5x", "/dev/x", NULL } },
	{ "--offset -1", { "--offset", "-1", "/dev/x", NULL } },
	{ "--length 0", { "--length", "0", "/dev/x", NULL } },
	{ "--feature turbo", { "--feature", "turbo", "/dev/x", NULL } },
	{ "--name a/b", { "--name", "a/b", "/dev/x", NULL } },
	{ "--name ''", { "--name", "", "/dev/x", NULL } },
	{ "an unknown option", { "--bogus", "/dev/x", NULL } },
	{ "an option without its value", { "--offset", NULL } },
};

int main(void)
{
	struct map_req r;
	int rc;

	rc = parse(NARGS("/dev/nvme0n1"), ARGS("/dev/nvme0n1"), &r);
	tap_ok(!rc && !strcmp(r.dev, "/dev/nvme0n1") && !r.name && r.sector_size == 512 &&
	       !r.offset && !r.length && !r.read_only && !r.force && !r.features,
	       "a device alone: the defaults");
	rc = parse(NARGS("--name", "vm", "--sector-size", "2048", "--offset", "8",
			 "--length", "64", "--read-only", "--feature", "ignore_discard",
			 "--force", "/dev/x"),
		   ARGS("--name", "vm", "--sector-size", "2048", "--offset", "8",
			"--length", "64", "--read-only", "--feature", "ignore_discard",
			"--force", "/dev/x"), &r);
	tap_ok(!rc && !strcmp(r.name, "vm") && r.sector_size == 2048 && r.offset == 8 &&
	       r.length == 64 && r.read_only && r.force &&
	       r.features == MAP_F_IGNORE_DISCARD && !strcmp(r.dev, "/dev/x"),
	       "every option");
	rc = parse(NARGS("/dev/x", "--sector-size=1024"), ARGS("/dev/x", "--sector-size=1024"), &r);
	tap_ok(!rc && r.sector_size == 1024, "an option after the device, with '='");
	{
		/* The usage text is not TAP. */
		int out = dup(1), null = open("/dev/null", O_WRONLY);

		fflush(stdout);
		dup2(null, 1);
		rc = parse(NARGS("--help"), ARGS("--help"), &r);
		fflush(stdout);
		dup2(out, 1);
		close(out);
		close(null);
		tap_ok(rc == -1, "--help: -1 (usage printed)");
	}

	for (size_t i = 0; i < sizeof(usage_errors) / sizeof(usage_errors[0]); i++) {
		char *argv[8] = { "map" };
		int argc = 1;

		for (; usage_errors[i].args[argc - 1]; argc++)
			argv[argc] = (char *)usage_errors[i].args[argc - 1];
		tap_ok(parse(argc, argv, &r) == EXIT_USAGE, "%s: usage error",
		       usage_errors[i].what);
	}
	tap_plan_done();
	return tap_exit();
}
