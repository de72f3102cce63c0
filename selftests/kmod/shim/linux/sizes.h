/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHIM_LINUX_SIZES_H
#define SHIM_LINUX_SIZES_H
#define SZ_4K		0x00001000
#define SZ_512K		0x00080000
#endif
