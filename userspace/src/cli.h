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

/* Exit codes, documented in sectoremu(8). */
enum {
	EXIT_OK = 0,		/* success, nothing needs attention */
	EXIT_FAIL = 1,		/* the operation failed or a check found problems */
	EXIT_USAGE = 2,		/* bad command line */
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
	const char *summary;
};

extern const char *prog;

/* Print "sectoremu: <msg>" to stderr. */
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, followed by ": strerror(errno)". */
void errmsg_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The text of the last errmsg()/errmsg_errno(), "" before any. */
const char *errmsg_last(void);

/* Parse a non-negative decimal integer; false when it is not one. */
bool parse_u64(const char *s, uint64_t *out);

/*
 * The options of a command that has only --<flag> (json, force) and
 * --help: -1 to go on (optind at the first operand), else the exit
 * status, after @usage on stdout (--help) or stderr (a bad option).
 */
int parse_flag_opt(int argc, char **argv, const char *flag,
		   void (*usage)(FILE *), bool *set);

/* Commands (one file each, named cmd_<command>.c). */
int cmd_version(int argc, char **argv);
int cmd_ptable(int argc, char **argv);
int cmd_qemu_mem(int argc, char **argv);
int cmd_qemu_aio(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_unmap(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_partitions(int argc, char **argv);

/* A mapping given by name or device node (cmd_unmap.c). */
struct se_mapping;
int se_resolve_mapping(const char *arg, char *name, size_t len);
int se_find_mapping(const char *name, struct se_mapping *m);

#endif
