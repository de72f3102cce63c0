/* SPDX-License-Identifier: GPL-2.0 */
/*
 * se-payload.h: the self-identifying 512-byte sectors se-crash writes,
 * shared with se-replay.  Each sector holds a magic, its own sector number,
 * the id of the write that wrote it, and a fill derived from both, so a
 * sector read back names the write and the sector its data came from and
 * a torn or foreign sector is told apart from any payload.
 */
#ifndef SE_PAYLOAD_H
#define SE_PAYLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define PL_SECTOR 512
#define PL_MAGIC 0x21485341524345ULL	/* "ECRASH!" */

struct pl_head {
	uint64_t magic, sector, id;
};

static inline void pl_fill(unsigned char *p, uint64_t sector, uint64_t id)
{
	struct pl_head h = { PL_MAGIC, sector, id };
	uint64_t x = (sector + 1) * 0x9E3779B97F4A7C15ULL + id;
	unsigned int i;

	memcpy(p, &h, sizeof(h));
	for (i = sizeof(h); i < PL_SECTOR; i += 8) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		memcpy(p + i, &x, 8);
	}
}

/*
 * Decode the sector at @p: true if it is a whole payload (magic and fill
 * match the sector and id in its header), with the header in @h.
 */
static inline bool pl_parse(const unsigned char *p, struct pl_head *h)
{
	unsigned char want[PL_SECTOR];

	memcpy(h, p, sizeof(*h));
	if (h->magic != PL_MAGIC)
		return false;
	pl_fill(want, h->sector, h->id);
	return !memcmp(p, want, PL_SECTOR);
}

#endif
