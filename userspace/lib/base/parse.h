/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing numbers from the command line, tab files and sysfs. */
#ifndef SECTOREMU_BASE_PARSE_H
#define SECTOREMU_BASE_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Parse a non-negative decimal integer; false when it is not one. */
bool parse_u64(const char *s, uint64_t *out);

#endif
