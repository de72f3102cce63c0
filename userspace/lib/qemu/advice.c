// SPDX-License-Identifier: GPL-2.0
/* The host's QEMU findings in one call; see qemu_advice.h. */
#include <string.h>

#include "qemu/advice.h"
#include "qemu/binary.h"

bool qemu_advice_host(const char *path, uint64_t ram, unsigned slots,
		      struct qemu_advice *a)
{
	memset(a, 0, sizeof(*a));
	a->mem_ok = host_mem_summary(ram, slots, &a->mem);
	a->aio_ok = qemu_aio_probe(QEMU_X86_BINARY, path, &a->aio);
	a->aio_recommended = a->aio_ok ? qemu_aio_recommend(&a->aio) :
					 QEMU_AIO_NR;
	return a->mem_ok || a->aio_ok;
}
