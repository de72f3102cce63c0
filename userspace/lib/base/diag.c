// SPDX-License-Identifier: GPL-2.0
/* The diagnostics sink, see diag.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"

#define SE_DIAG_MAX 1024

static se_diag_sink *sink;
static void *sink_ctx;

se_diag_sink *se_diag_set_sink(se_diag_sink *fn, void *ctx)
{
	se_diag_sink *old = sink;

	sink = fn;
	sink_ctx = ctx;
	return old;
}

void se_diag_from(const char *origin, enum se_diag_level level, int err,
		  const char *msg)
{
	struct se_diag d = { level, err, origin, msg };

	if (sink)
		sink(&d, sink_ctx);
}

static void emit(enum se_diag_level level, int err, const char *fmt, va_list ap)
{
	char buf[SE_DIAG_MAX];
	size_t n;

	if (!sink)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	if (err)
		snprintf(buf + n, sizeof(buf) - n, ": %s", strerror(err));
	se_diag_from(NULL, level, err, buf);
}

void se_diag(enum se_diag_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(level, 0, fmt, ap);
	va_end(ap);
}

void se_diag_errno(enum se_diag_level level, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(level, err, fmt, ap);
	va_end(ap);
}
