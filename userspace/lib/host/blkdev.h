/* SPDX-License-Identifier: GPL-2.0 */
/* Block device facts from sysfs. */
#ifndef SECTOREMU_BLKDEV_H
#define SECTOREMU_BLKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "/dev/<DEVNAME>" of a device number, or "M:m" when sysfs has no name. */
void blkdev_path_of(unsigned int major, unsigned int minor, char *buf, size_t len);

/* /sys/dev/block/M:m/<attr> as a number (e.g. "size", in 512-byte sectors). */
int blkdev_attr_u64(unsigned int major, unsigned int minor, const char *attr,
		    uint64_t *val);
/* /sys/dev/block/M:m/<attr> as text, without the newline; "" when absent. */
void blkdev_attr_str(unsigned int major, unsigned int minor, const char *attr,
		     char *buf, size_t len);
/*
 * The first line of a small sysfs file, without the newline and the
 * blanks that pad models and wwids; "" and -1 when it is not there.
 */
int blkdev_read_line(const char *path, char *buf, size_t len);
/* queue/logical_block_size. */
int blkdev_lbs(unsigned int major, unsigned int minor, unsigned int *lbs);

/* A whole disk of /sys/block, as doctor reports it. */
struct blkdev_info {
	char name[64];			/* nvme0n1, sda */
	unsigned int major, minor;
	uint64_t bytes;
	unsigned int lbs, pbs;		/* logical, physical block size */
	char model[128];
	char wwid[160];			/* wwid or device/wwid, "" when none */
	bool is_nvme;			/* an NVMe namespace */
};

/* The disk behind @path (a device node), -1 with a message if none. */
int blkdev_info_of_path(const char *path, struct blkdev_info *b);
/*
 * The disks worth a look: every /sys/block entry except virtual ones
 * (loop, ram, zram, dm, md, nbd, sr, fd), sorted by name; free(*v).
 */
int blkdev_list(struct blkdev_info **v, size_t *n);
/*
 * The whole disk whose wwid is @wwn: compared without case, and also
 * without the wwid's "<type>." prefix (naa., eui., t10., nvme.) or a
 * "0x" before @wwn. Fills @path with /dev/<name>; -1 when none.
 */
int blkdev_find_wwn(const char *wwn, char *path, size_t len);

#endif
