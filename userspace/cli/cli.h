/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared definitions for the sectoremu command-line tool: the command
 * table, documented exit codes and small helpers every command uses.
 */
#ifndef SECTOREMU_CLI_H
#define SECTOREMU_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/parse.h"

/* Exit codes, documented in sectoremu(8). */
enum {
	EXIT_OK = 0,		/* success, nothing needs attention */
	EXIT_FAIL = 1,		/* the operation failed or a check found problems */
	EXIT_USAGE = 2,		/* bad command line */
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0]: "sectoremu <name>" */
	const char *summary;
	int min_operands, max_operands;		/* max -1: any number */
	const char *missing;			/* what to say when too few */
};

extern const char *prog;

/* The command table (commands.c). */
extern const struct command cli_commands[];
extern const size_t cli_nr_commands;
const struct command *cli_find_command(const char *name);

/* The command that runs, for errtryhelp(); NULL before main() picks one. */
extern const struct command *cli_command;

/*
 * After a one-line message about a bad command line: "Try 'sectoremu
 * VERB --help'." on stderr (util-linux's errtryhelp()); returns
 * EXIT_USAGE.
 */
int errtryhelp(void);
/* errmsg(), then errtryhelp(). */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The @n operands @ops (after getopt: argv + optind) against the counts
 * of the command @verb: -1 when they fit, else EXIT_USAGE after a usage
 * error.
 */
int check_operands(const char *verb, int n, char **ops);

/* Print "sectoremu: <msg>" to stderr. */
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, followed by ": strerror(errno)". */
void errmsg_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The diagnostics sink of the library (sink.c).  cli_sink_install(): each
 * diagnostic printed as errmsg() prints, libdevmapper's as it would
 * print them itself.  Between cli_collect_begin() and cli_collect_end()
 * they are kept in @c instead, for a command that reports per item
 * (apply), and cli_collect_print() prints them afterwards.
 */
struct cli_diags {
	struct cli_diag {
		int level;		/* enum se_diag_level */
		char *origin;		/* NULL: sectoremu */
		char *msg;
	} *v;
	size_t n;
};

void cli_sink_install(void);
void cli_collect_begin(struct cli_diags *c);
void cli_collect_end(struct cli_diags *c);
void cli_collect_print(const struct cli_diags *c);
/* The cause of what failed: @c's first own error, else libdevmapper's. */
const char *cli_collect_cause(const struct cli_diags *c);
void cli_diags_free(struct cli_diags *c);


/*
 * The options of a command that has only --<flag> (json, force) and
 * --help: -1 to go on (optind at the first operand), else the exit
 * status, after @usage on stdout (--help) or stderr (a bad option).
 */
int parse_flag_opt(int argc, char **argv, const char *flag,
		   void (*usage)(FILE *), bool *set);

/*
 * What partsync() did (cmd-partitions.c): REMOVE and RELOAD as they
 * happened, then, when @ok, the additions: their paths for
 * PARTSYNC_ADD, one line each for PARTSYNC_RESCAN.
 */
struct partmap_plan;
void print_partsync(const struct partmap_plan *p, int mode, bool ok);
/* The partition mappings partsync_remove() left to their last close. */
struct se_part;
void print_deferred(const struct se_part *gone, size_t n);

/* Commands (one file each, named cmd_<command>.c). */
int cmd_version(int argc, char **argv);
int cmd_ptable(int argc, char **argv);
int cmd_qemu_mem(int argc, char **argv);
int cmd_qemu_mem_incus(int argc, char **argv);	/* qemu-mem --incus */
int cmd_qemu_aio(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_unmap(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_partitions(int argc, char **argv);

#endif
