/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-built partition tables for the ptable unit tests.  Written from the
 * UEFI and MBR layouts directly (offsets spelled out, zlib for CRCs), not
 * with the code under test, so they serve as independent expectations.
 */
#ifndef SECTOREMU_PTABLE_FIXTURE_H
#define SECTOREMU_PTABLE_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

struct fx_part {
	uint64_t first, last;		/* LBAs at the image's sector size */
	uint8_t type;			/* byte repeated to make a type GUID */
	uint64_t attrs;
	const char *name;		/* ASCII */
};

static inline void fx_put(uint8_t *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t fx_get(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline uint32_t fx_crc(const uint8_t *p, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)len);
}

/* CHS in the usual 255-head, 63-sector geometry, or 0xfeffff past it. */
static inline void fx_chs(uint8_t *p, uint64_t lba)
{
	uint64_t c = lba / (255 * 63);

	if (c > 1023) {
		p[0] = 0xfe;
		p[1] = 0xff;
		p[2] = 0xff;
		return;
	}
	p[0] = (uint8_t)(lba / 63 % 255);
	p[1] = (uint8_t)((lba % 63 + 1) | (c >> 2 & 0xc0));
	p[2] = (uint8_t)c;
}

/* One header at `lba` pointing at entries at `ents`. */
static inline void fx_header(uint8_t *img, unsigned int ss, uint64_t lba,
			     uint64_t alt, uint64_t first, uint64_t last,
			     uint64_t ents, uint32_t nent, uint32_t ecrc)
{
	uint8_t *h = img + lba * ss;

	memset(h, 0, ss);
	memcpy(h, "EFI PART", 8);
	fx_put(h + 8, 0x10000, 4);
	fx_put(h + 12, 92, 4);
	fx_put(h + 24, lba, 8);
	fx_put(h + 32, alt, 8);
	fx_put(h + 40, first, 8);
	fx_put(h + 48, last, 8);
	memset(h + 56, 0xd5, 16);		/* disk GUID */
	fx_put(h + 72, ents, 8);
	fx_put(h + 80, nent, 4);
	fx_put(h + 84, 128, 4);
	fx_put(h + 88, ecrc, 4);
	fx_put(h + 16, fx_crc(h, 92), 4);
}

/*
 * A complete GPT image of size bytes at sector size ss: protective MBR,
 * primary and backup with 128 entries, the partitions in entries 0..n-1
 * (an entry whose type is 0 is left empty).
 */
static inline void fx_gpt(uint8_t *img, uint64_t size, unsigned int ss,
			  const struct fx_part *p, int n)
{
	uint64_t last = size / ss - 1, asect = 16384 / ss;
	uint8_t ent[16384];
	uint32_t ecrc;
	int i, k;

	memset(img, 0, size);
	memset(ent, 0, sizeof(ent));
	for (i = 0; i < n; i++) {
		uint8_t *e = ent + 128 * i;

		if (!p[i].type)
			continue;
		memset(e, p[i].type, 16);
		memset(e + 16, 0x10 + i, 16);
		fx_put(e + 32, p[i].first, 8);
		fx_put(e + 40, p[i].last, 8);
		fx_put(e + 48, p[i].attrs, 8);
		for (k = 0; p[i].name && p[i].name[k] && k < 36; k++)
			fx_put(e + 56 + 2 * k, (uint8_t)p[i].name[k], 2);
	}
	ecrc = fx_crc(ent, sizeof(ent));
	/* protective MBR */
	img[446 + 4] = 0xee;
	fx_put(img + 446 + 8, 1, 4);
	fx_put(img + 446 + 12, last > 0xffffffffu ? 0xffffffffu : last, 4);
	fx_chs(img + 446 + 1, 1);
	fx_chs(img + 446 + 5, last > 0xffffffffu ? 0xffffffffu : last);
	img[510] = 0x55;
	img[511] = 0xaa;
	memcpy(img + 2 * ss, ent, sizeof(ent));
	memcpy(img + (last - asect) * ss, ent, sizeof(ent));
	fx_header(img, ss, 1, last, 2 + asect, last - asect - 1, 2, 128, ecrc);
	fx_header(img, ss, last, 1, 2 + asect, last - asect - 1, last - asect,
		  128, ecrc);
}

/* An MBR entry at p (16 bytes): type, start, size; CHS left zero. */
static inline void fx_mbr_entry(uint8_t *p, uint8_t type, uint32_t start,
				uint32_t size)
{
	memset(p, 0, 16);
	p[4] = type;
	fx_put(p + 8, start, 4);
	fx_put(p + 12, size, 4);
}

static inline void fx_sig(uint8_t *sector)
{
	sector[510] = 0x55;
	sector[511] = 0xaa;
}

/* A scratch file holding buf; returns its fd. */
static inline int fx_file(const uint8_t *buf, size_t len, char *path)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, 4096, "%s/ptable-test-XXXXXX", dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || pwrite(fd, buf, len, 0) != (ssize_t)len) {
		perror("scratch file");
		exit(1);
	}
	return fd;
}

static inline int fx_same_file(int fd, const uint8_t *buf, size_t len)
{
	uint8_t *cur = malloc(len);
	int same;

	if (!cur || pread(fd, cur, len, 0) != (ssize_t)len) {
		free(cur);
		return 0;
	}
	same = !memcmp(cur, buf, len);
	free(cur);
	return same;
}

#endif
