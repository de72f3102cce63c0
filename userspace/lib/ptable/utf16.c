// SPDX-License-Identifier: GPL-2.0
/* GPT partition names: UTF-16LE on disk, UTF-8 for everything else. */
#include "ptable/int.h"

static size_t put_utf8(char *out, size_t pos, size_t outsz, uint32_t cp)
{
	uint8_t b[4];
	size_t n, i;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | cp >> 18);
		b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (pos + n >= outsz)
		return pos;
	for (i = 0; i < n; i++)
		out[pos + i] = (char)b[i];
	return pos + n;
}

/*
 * Convert up to `units` UTF-16LE code units, stopping at a NUL; unpaired
 * surrogates become U+FFFD.  out always ends up NUL-terminated.
 */
void gpt_utf16_to_utf8(const uint8_t *in, size_t units, char *out,
		       size_t outsz)
{
	size_t i, pos = 0;
	uint32_t cp, lo;

	for (i = 0; i < units; i++) {
		cp = get_le16(in + 2 * i);
		if (!cp)
			break;
		if (cp >= 0xd800 && cp < 0xdc00) {
			lo = i + 1 < units ? get_le16(in + 2 * (i + 1)) : 0;
			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				i++;
			} else {
				cp = 0xfffd;
			}
		} else if (cp >= 0xdc00 && cp < 0xe000) {
			cp = 0xfffd;
		}
		pos = put_utf8(out, pos, outsz, cp);
	}
	out[pos] = '\0';
}
