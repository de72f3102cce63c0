// SPDX-License-Identifier: GPL-2.0
/* Parsing numbers, see parse.h. */
#include <errno.h>
#include <stdlib.h>

#include "base/parse.h"

bool parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}
