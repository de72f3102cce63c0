/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An NVMe namespace's LBA formats, from the Identify Namespace admin
 * command (CNS 0) sent through the namespace's block device.
 */
#ifndef SECTOREMU_NVME_ID_H
#define SECTOREMU_NVME_ID_H

#include <stdbool.h>
#include <stdint.h>

#define NVME_ID_NS_SIZE		4096
#define NVME_MAX_LBAF		64

struct nvme_lbaf_info {
	unsigned int data_size;		/* bytes: 1 << LBADS */
	unsigned int meta_size;		/* bytes of metadata per block (MS) */
	unsigned int rel_perf;		/* RP: 0 best .. 3 degraded */
};

struct nvme_ns_formats {
	unsigned int nsid;
	unsigned int nr_formats;	/* NLBAF + 1 */
	unsigned int in_use;		/* index from FLBAS */
	bool meta_extended;		/* FLBAS bit 4: metadata inline */
	struct nvme_lbaf_info f[NVME_MAX_LBAF];
};

/* Parse an Identify Namespace data structure; -1 when it makes no sense. */
int nvme_id_ns_parse(const uint8_t *buf, unsigned int nsid,
		     struct nvme_ns_formats *out);
/* Ask the namespace @dev; a negative errno (nothing printed) on failure. */
int nvme_id_ns_read(const char *dev, struct nvme_ns_formats *out);
/*
 * The format to use for 512-byte sectors: data size 512, no metadata,
 * best relative performance.  -1 when the namespace has none.
 */
int nvme_format_512(const struct nvme_ns_formats *f);

#endif
