/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The QEMU findings for this host in one call, for "sectoremu doctor":
 * the host's phys-bits and vendor, the largest maxmem a default VM can
 * have under the QEMU on PATH (see qemu_layout.h), and which AIO modes
 * that QEMU supports where the disks live (see qemu_aio_probe.h).
 *
 *	struct qemu_advice a;
 *	if (qemu_advice_host("/var/lib/incus", 1 * GiB, 16, &a)) ...
 */
#ifndef SECTOREMU_QEMU_ADVICE_H
#define SECTOREMU_QEMU_ADVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "qemu/cpu.h"
#include "qemu/aio.h"

struct qemu_advice {
	/* Memory: q35, -cpu host, @ram and @slots as asked. mem.max_maxmem
	 * is 0 when no maxmem fits, QEMU_MEM_UNLIMITED when none is too
	 * large. */
	bool mem_ok;			/* false: the host CPU is unreadable */
	struct host_mem_summary mem;
	/* AIO of qemu-system-x86_64 on PATH at @path; aio.binary says
	 * whether there is one. */
	bool aio_ok;			/* false: @path unusable (errno) */
	struct qemu_aio_probe aio;
	enum qemu_aio_mode aio_recommended;	/* QEMU_AIO_NR: none works */
};

/* Fill @a; true when at least one of the two findings is available. */
bool qemu_advice_host(const char *path, uint64_t ram, unsigned slots,
		      struct qemu_advice *a);

#endif
