// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU-compatible size parsing and printing.
 *
 * Modelled on the behaviour of QEMU's do_strtosz() (util/cutils.c) since
 * QEMU 6.1, which keeps 64 bits of precision for fractions ("59.5G") by
 * scaling a 64.64 fixed-point value and rounding half up; checked against
 * qemu-system-x86_64 7.2, whose maxmem error message prints the parsed
 * value (12.345M is 0xc5851f, 0.1K is 0x66).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu/size.h"

/* Scale of a suffix letter, 0 when it is none (QEMU's suffix_mul()). */
static uint64_t suffix_scale(char c)
{
	switch (toupper((unsigned char)c)) {
	case 'B': return 1;
	case 'K': return KiB;
	case 'M': return MiB;
	case 'G': return GiB;
	case 'T': return TiB;
	case 'P': return TiB * KiB;
	case 'E': return TiB * MiB;
	}
	return 0;
}

static int parse_digits(const char **p, unsigned base, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	bool any = false, range = false;

	for (;; s++) {
		unsigned d;

		if (isdigit((unsigned char)*s))
			d = *s - '0';
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = tolower((unsigned char)*s) - 'a' + 10;
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			range = true;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*p = s;
	*out = v;
	return range ? -ERANGE : 0;
}

/*
 * The fraction ".ddd" at *p as a 0.64 fixed-point number. QEMU converts it
 * with strtod(), so the digits go through a double here too, which is what
 * makes 0.1K come out as 102 and not 103. An exponent is refused, as QEMU
 * does; "1.E" stays 1 exabyte because "E" alone is no exponent.
 */
static int parse_fraction(const char **p, uint64_t *frac)
{
	const char *s = *p + 1;		/* past the '.' */
	const char *digits = s;
	char buf[64];
	double f;
	size_t n;

	while (isdigit((unsigned char)*s))
		s++;
	if ((*s == 'e' || *s == 'E') &&
	    (isdigit((unsigned char)s[1]) ||
	     ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2]))))
		return -EINVAL;
	*p = s;
	*frac = 0;
	n = s - digits;
	if (!n)
		return 0;
	if (n > sizeof(buf) - 3)
		n = sizeof(buf) - 3;	/* beyond double precision anyway */
	buf[0] = '0';
	buf[1] = '.';
	memcpy(buf + 2, digits, n);
	buf[n + 2] = '\0';
	f = strtod(buf, NULL) * 0x1p64;
	*frac = f >= 0x1p64 ? UINT64_MAX : (uint64_t)f;
	return 0;
}

int qemu_strtosz(const char *str, char default_suffix, uint64_t *out)
{
	const char *p = str;
	uint64_t val, frac = 0, scale;
	unsigned __int128 r;
	int ret;

	if (!str)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	ret = parse_digits(&p, 10, &val);
	if (ret)
		return ret;
	if (val == 0 && (*p == 'x' || *p == 'X') && p[-1] == '0') {
		/*
		 * Hexadecimal: no fraction and no suffix (QEMU 6.0 deprecated
		 * a suffix on hex numbers and later versions refuse it), scaled
		 * by the default suffix.
		 */
		p++;
		ret = parse_digits(&p, 16, &val);
		if (ret)
			return ret;
		scale = suffix_scale(default_suffix);
		if (*p || !scale)
			return -EINVAL;
		if (val > UINT64_MAX / scale)
			return -ERANGE;
		*out = val * scale;
		return 0;
	}
	if (*p == '.') {
		ret = parse_fraction(&p, &frac);
		if (ret)
			return ret;
	}
	scale = *p ? suffix_scale(*p) : 0;
	if (scale)
		p++;
	else
		scale = suffix_scale(default_suffix);
	if (*p || !scale)
		return -EINVAL;
	if (scale == 1 && frac)
		return -EINVAL;		/* a fraction of a byte */

	r = (unsigned __int128)val * scale;
	/* frac * scale in 64.64 fixed point, rounded half up */
	r += ((unsigned __int128)frac * scale + (1ULL << 63)) >> 64;
	if (r > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)r;
	return 0;
}

int qemu_parse_ram_size(const char *s, uint64_t *out)
{
	size_t n = s ? strlen(s) : 0;
	uint64_t v;
	int ret;

	ret = qemu_strtosz(s, 'B', &v);
	if (ret)
		return ret;
	if (n && isdigit((unsigned char)s[n - 1])) {
		if (v > UINT64_MAX >> 20)
			return -ERANGE;
		v <<= 20;
	}
	*out = v;
	return 0;
}

void qemu_size_str(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int i;

	for (i = 5; i >= 0; i--) {
		uint64_t scale = 1ULL << (10 * (i + 1));

		if (bytes && bytes % scale == 0) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(bytes / scale), units[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}
