/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which AIO back ends (-blockdev driver=file,aio=threads|native|io_uring) a
 * QEMU binary supports, found by asking QEMU itself: it opens a scratch
 * file with each mode and quits without running a guest. Plus whether the
 * kernel and filesystem under a path support O_DIRECT, which aio=native
 * needs (cache.direct=on).
 */
#ifndef SECTOREMU_QEMU_AIO_PROBE_H
#define SECTOREMU_QEMU_AIO_PROBE_H

#include <stdbool.h>

enum qemu_aio_mode {
	QEMU_AIO_THREADS,
	QEMU_AIO_NATIVE,
	QEMU_AIO_IO_URING,
	QEMU_AIO_NR,
};

/* "threads", "native", "io_uring": the value of aio= and of Kata's
 * block_device_aio. */
const char *qemu_aio_name(enum qemu_aio_mode mode);

enum qemu_aio_binary {
	QEMU_AIO_BINARY_OK,
	QEMU_AIO_BINARY_MISSING,	/* not found or not executable */
	QEMU_AIO_BINARY_NOT_QEMU,	/* --version is no QEMU banner */
};

struct qemu_aio_probe {
	char qemu[1024];		/* the binary probed */
	enum qemu_aio_binary binary;
	unsigned qemu_version;		/* QEMU_VER(), when OK */
	char path[1024];		/* the place probed for O_DIRECT */
	bool path_is_dir;		/* a scratch file was made there */
	bool o_direct;			/* O_DIRECT open and aligned I/O work */
	char o_direct_error[256];	/* why not */
	bool works[QEMU_AIO_NR];
	char error[QEMU_AIO_NR][512];	/* QEMU's message, prefixes removed */
};

/*
 * Probe @qemu (a path, or a name looked up in $PATH) with a scratch file
 * in @path when it is a directory, or @path itself (read-only) when it is
 * a file or block device. Returns false, with errno set and @p->path
 * naming the object, when @path cannot be used at all; a missing or
 * non-QEMU binary is reported in @p->binary with a true return.
 */
bool qemu_aio_probe(const char *qemu, const char *path,
		    struct qemu_aio_probe *p);

/*
 * The recommended mode: io_uring when it works (it needs no
 * O_DIRECT), else native when it works and O_DIRECT does, else threads.
 * QEMU_AIO_NR when nothing works.
 */
enum qemu_aio_mode qemu_aio_recommend(const struct qemu_aio_probe *p);

#endif
