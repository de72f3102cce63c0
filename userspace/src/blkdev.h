/* SPDX-License-Identifier: GPL-2.0 */
/* Block device facts from sysfs. */
#ifndef SECTOREMU_BLKDEV_H
#define SECTOREMU_BLKDEV_H

#include <stddef.h>

/* "/dev/<DEVNAME>" of a device number, or "M:m" when sysfs has no name. */
void blkdev_path_of(unsigned int major, unsigned int minor, char *buf, size_t len);

#endif
