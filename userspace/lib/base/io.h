/* SPDX-License-Identifier: GPL-2.0 */
/* Whole reads and writes at an offset. */
#ifndef SECTOREMU_BASE_IO_H
#define SECTOREMU_BASE_IO_H

#include <stddef.h>
#include <stdint.h>

/* 0 or a negative errno (-EIO when the file ends first). */
int io_pread(int fd, void *buf, size_t len, uint64_t off);
int io_pwrite(int fd, const void *buf, size_t len, uint64_t off);

#endif
