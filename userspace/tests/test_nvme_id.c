// SPDX-License-Identifier: GPL-2.0
/*
 * The Identify Namespace parser: QEMU's eight LBA formats, the format
 * index past 16 formats (FLBAS bits 6:5), and data it must refuse.
 */
#include <string.h>

#include "host/nvme.h"
#include "tap.h"

static uint8_t buf[NVME_ID_NS_SIZE];

static void lbaf(unsigned int i, unsigned int ms, unsigned int lbads, unsigned int rp)
{
	uint8_t *l = buf + 128 + 4 * i;

	l[0] = ms & 0xff;
	l[1] = ms >> 8;
	l[2] = (uint8_t)lbads;
	l[3] = (uint8_t)rp;
}

int main(void)
{
	static const unsigned int ms[] = { 0, 8, 16, 64 };
	struct nvme_ns_formats f;
	bool all = true;
	unsigned int i;

	/* QEMU 7.2 hw/nvme/ns.c, logical_block_size=4096 */
	memset(buf, 0, sizeof(buf));
	buf[25] = 7;
	buf[26] = 4;
	for (i = 0; i < 8; i++)
		lbaf(i, ms[i % 4], i < 4 ? 9 : 12, 0);
	tap_ok(!nvme_id_ns_parse(buf, 1, &f), "QEMU's namespace parses");
	tap_ok(f.nsid == 1 && f.nr_formats == 8 && f.in_use == 4 && !f.meta_extended,
	       "8 formats, format 4 in use");
	for (i = 0; i < 8; i++)
		all &= f.f[i].data_size == (i < 4 ? 512u : 4096u) && f.f[i].meta_size == ms[i % 4];
	tap_ok(all, "512 and 4096 bytes with 0, 8, 16, 64 bytes of metadata");
	tap_ok(nvme_format_512(&f) == 0, "the 512-byte format without metadata is format 0");

	/* A better-performing 512-byte format wins; metadata disqualifies. */
	lbaf(0, 0, 9, 2);
	lbaf(2, 0, 9, 0);
	nvme_id_ns_parse(buf, 1, &f);
	tap_ok(nvme_format_512(&f) == 2, "the best relative performance is chosen");
	for (i = 0; i < 4; i++)
		lbaf(i, 8, 9, 0);
	nvme_id_ns_parse(buf, 1, &f);
	tap_ok(nvme_format_512(&f) == -1, "512-byte formats all with metadata: none");

	/* 20 formats, format 18 in use: FLBAS 0x22 (bits 6:5 = 1, 3:0 = 2). */
	memset(buf, 0, sizeof(buf));
	buf[25] = 19;
	buf[26] = 0x22 | 0x10;
	for (i = 0; i < 20; i++)
		lbaf(i, 0, i == 18 ? 12 : 9, 0);
	tap_ok(!nvme_id_ns_parse(buf, 3, &f) && f.nr_formats == 20 && f.in_use == 18 &&
	       f.meta_extended && f.f[18].data_size == 4096,
	       "past 16 formats the index has FLBAS bits 6:5; bit 4 is extended metadata");
	/* Up to 16 formats, bits 6:5 are not part of the index. */
	buf[25] = 7;
	buf[26] = 0x62;
	tap_ok(!nvme_id_ns_parse(buf, 3, &f) && f.in_use == 2, "bits 6:5 ignored with 8 formats");

	buf[26] = 9;
	tap_ok(nvme_id_ns_parse(buf, 3, &f) != 0, "a format in use past the last is refused");
	buf[26] = 0;
	lbaf(0, 0, 0, 0);
	tap_ok(nvme_id_ns_parse(buf, 3, &f) != 0, "a format in use without a data size is refused");
	tap_plan_done();
	return tap_exit();
}
