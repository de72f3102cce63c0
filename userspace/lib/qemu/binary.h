/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding and running a QEMU binary: the PATH lookup, its version, and a
 * bounded run with a time limit and captured output, for the advisors
 * that ask QEMU itself.
 */
#ifndef SECTOREMU_QEMU_BINARY_H
#define SECTOREMU_QEMU_BINARY_H

#include <stdbool.h>
#include <stddef.h>

#define QEMU_X86_BINARY	"qemu-system-x86_64"

/* The first executable @name in $PATH (or @name itself when it contains a
 * slash and is executable); malloc'd, NULL when there is none. */
char *qemu_find_binary(const char *name);

struct qemu_run {
	int status;		/* exit status; -1 when killed or not run */
	int signal;		/* terminating signal, 0 if none */
	bool timed_out;		/* killed after the time limit */
	int exec_errno;		/* errno of a failed exec, else 0 */
	char *out;		/* stdout, NUL-terminated (bounded) */
	char *err;		/* stderr, NUL-terminated (bounded) */
};

/*
 * Run @argv[0] with @argv, feed @input (may be NULL) on stdin, collect
 * stdout and stderr, and kill it after @timeout_ms. Returns false only
 * when the run could not be set up (pipe/fork failure, errno set); a
 * failed exec is reported in r->exec_errno.
 */
bool qemu_run(char *const argv[], const char *input, unsigned timeout_ms,
	      struct qemu_run *r);
void qemu_run_free(struct qemu_run *r);

/* Find "QEMU emulator version X.Y[.Z]" in @text (the --version banner). */
bool qemu_parse_banner(const char *text, unsigned *ver);

/* Run "@path --version" and parse it. */
bool qemu_binary_version(const char *path, unsigned *ver);

#endif
