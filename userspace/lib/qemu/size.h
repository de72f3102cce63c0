/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sizes the way QEMU reads them: qemu_strtosz() for option values such as
 * maxmem= and pci-hole64-size=, and the "-m" rule that a bare number means
 * MiB. Plus the reverse: printing a byte count so QEMU reads it back
 * exactly.
 */
#ifndef SECTOREMU_QEMU_SIZE_H
#define SECTOREMU_QEMU_SIZE_H

#include <stddef.h>
#include <stdint.h>

#include "base/units.h"


/*
 * Parse @s like QEMU's qemu_strtosz() family (util/cutils.c, do_strtosz()
 * as of QEMU 6.1..10.x): a decimal number with an optional fraction and an
 * optional suffix B, K, M, G, T, P or E (either case, powers of 1024), or a
 * hexadecimal 0x number without fraction or suffix. A number without a
 * suffix is scaled by @default_suffix ('B' for option values, 'M' for the
 * size of "-m"). A fraction needs a scale other than bytes; it is computed
 * in 64.64 fixed point and rounded half up, as QEMU does, so "59.6G" is
 * 63995012710 bytes.
 *
 * Returns 0, -EINVAL when @s is not a size, -ERANGE when it does not fit in
 * 64 bits.
 */
int qemu_strtosz(const char *s, char default_suffix, uint64_t *out);

/* The RAM size of "-m SIZE": a bare number is MiB (QEMU's "legacy
 * suffix-less format" in parse_memory_options()). No rounding applied. */
int qemu_parse_ram_size(const char *s, uint64_t *out);

/* Write @bytes in the shortest exact form QEMU parses back: "14G", "1536M",
 * "4K" or plain bytes. */
void qemu_size_str(uint64_t bytes, char *buf, size_t len);


#endif
