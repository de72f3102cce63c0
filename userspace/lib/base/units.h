/* SPDX-License-Identifier: GPL-2.0 */
/* Binary size units, and sizes written for people. */
#ifndef SECTOREMU_BASE_UNITS_H
#define SECTOREMU_BASE_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)
#define TiB (UINT64_C(1) << 40)

/* Human-readable size for reports: "14 GiB", "1.5 GiB", "123 bytes". */
void size_human(uint64_t bytes, char *buf, size_t len);

#endif
