// SPDX-License-Identifier: GPL-2.0
/* NVMe Identify Namespace: the namespace's LBA formats. */
#include <errno.h>
#include <fcntl.h>
#include <linux/nvme_ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/nvme.h"

#define NVME_ADMIN_IDENTIFY	0x06
#define NVME_ID_CNS_NS		0x00

/* Offsets in the Identify Namespace data structure (NVMe base spec). */
#define ID_NS_NLBAF		25
#define ID_NS_FLBAS		26
#define ID_NS_LBAF		128

int nvme_id_ns_parse(const uint8_t *buf, unsigned int nsid,
		     struct nvme_ns_formats *out)
{
	unsigned int i, flbas = buf[ID_NS_FLBAS];
	const uint8_t *l;

	memset(out, 0, sizeof(*out));
	out->nsid = nsid;
	out->nr_formats = buf[ID_NS_NLBAF] + 1u;
	if (out->nr_formats > NVME_MAX_LBAF)
		return -1;
	/* FLBAS bits 3:0, and bits 6:5 as bits 5:4 past 16 formats. */
	out->in_use = flbas & 0xf;
	if (out->nr_formats > 16)
		out->in_use |= ((flbas >> 5) & 0x3) << 4;
	out->meta_extended = flbas & 0x10;
	for (i = 0; i < out->nr_formats; i++) {
		l = buf + ID_NS_LBAF + 4 * i;
		/* MS: bits 15:0, LBADS: 23:16, RP: 25:24. */
		out->f[i].meta_size = l[0] | (unsigned int)l[1] << 8;
		out->f[i].data_size = l[2] >= 9 && l[2] < 32 ? 1u << l[2] : 0;
		out->f[i].rel_perf = l[3] & 0x3;
	}
	if (out->in_use >= out->nr_formats || !out->f[out->in_use].data_size)
		return -1;
	return 0;
}

int nvme_id_ns_read(const char *dev, struct nvme_ns_formats *out)
{
	struct nvme_admin_cmd cmd;
	uint8_t *buf;
	int fd, nsid, r;

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	nsid = ioctl(fd, NVME_IOCTL_ID);
	if (nsid <= 0) {
		r = nsid < 0 ? -errno : -ENOTTY;
		close(fd);
		return r;
	}
	if (posix_memalign((void **)&buf, 4096, NVME_ID_NS_SIZE)) {
		close(fd);
		return -ENOMEM;
	}
	memset(buf, 0, NVME_ID_NS_SIZE);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = NVME_ADMIN_IDENTIFY;
	cmd.nsid = (uint32_t)nsid;
	cmd.addr = (uint64_t)(uintptr_t)buf;
	cmd.data_len = NVME_ID_NS_SIZE;
	cmd.cdw10 = NVME_ID_CNS_NS;
	r = ioctl(fd, NVME_IOCTL_ADMIN_CMD, &cmd);
	/* > 0: an NVMe status code. */
	if (r)
		r = r < 0 ? -errno : -EIO;
	else if (nvme_id_ns_parse(buf, (unsigned int)nsid, out))
		r = -EPROTO;
	free(buf);
	close(fd);
	return r;
}

int nvme_format_512(const struct nvme_ns_formats *f)
{
	int best = -1;

	for (unsigned int i = 0; i < f->nr_formats; i++) {
		if (f->f[i].data_size != 512 || f->f[i].meta_size)
			continue;
		if (best < 0 || f->f[i].rel_perf < f->f[best].rel_perf)
			best = (int)i;
	}
	return best;
}
