/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one way library code reports: a diagnostic (severity, message and
 * the errno behind it) handed to the sink the program installed, the way
 * libfdisk hands questions to its ask callback and libdevmapper hands
 * its messages to the log function of dm_log_with_errno_init().  Library
 * code never prints; without a sink, diagnostics are dropped.
 *
 *	static void sink(const struct se_diag *d, void *ctx)
 *	{
 *		fprintf(stderr, "prog: %s\n", d->msg);
 *	}
 *	se_diag_set_sink(sink, NULL);
 *
 * Functions that report this way still return a negative errno (or -1);
 * problems that are data (a table's problems, a plan's refusals) are
 * returned as data, not as diagnostics.
 */
#ifndef SECTOREMU_BASE_DIAG_H
#define SECTOREMU_BASE_DIAG_H

enum se_diag_level {
	SE_DIAG_ERR,		/* the operation fails, this is why */
	SE_DIAG_WARN,		/* the operation went on */
};

struct se_diag {
	enum se_diag_level level;
	int err;		/* the errno behind it, 0 when none */
	const char *origin;	/* NULL: sectoremu; else e.g. "libdevmapper" */
	const char *msg;	/* the whole message, ": strerror" included */
};

typedef void se_diag_sink(const struct se_diag *d, void *ctx);

/* Install @fn (NULL: drop diagnostics); returns the one it replaces. */
se_diag_sink *se_diag_set_sink(se_diag_sink *fn, void *ctx);

void se_diag(enum se_diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Same, followed by ": strerror(@err)"; @err is a positive errno. */
void se_diag_errno(enum se_diag_level level, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A message that arrives formatted from another library. */
void se_diag_from(const char *origin, enum se_diag_level level, int err,
		  const char *msg);

/* Shorthands for the common case: an error, with the current errno. */
#define se_err(...)		se_diag(SE_DIAG_ERR, __VA_ARGS__)
#define se_err_errno(...)	se_diag_errno(SE_DIAG_ERR, errno, __VA_ARGS__)

#endif
