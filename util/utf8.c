#include "util/utf8.h"

#include <string.h>

#include "util/banned.h"

int utf8_decode(const char **p, const char *end, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t avail = (size_t)(end - *p), len;
	uint32_t c, min;

	if (!avail)
		return -1;
	c = s[0];
	if (c < 0x80) {
		len = 1;
		min = 0;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if (len > avail)
		return -1;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	*p += len;
	return 0;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_valid_prefix(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	uint32_t cp;

	while (p < end) {
		if ((unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		if (utf8_decode(&p, end, &cp))
			break;
	}
	return (size_t)(p - s);
}

int utf8_cp_width(uint32_t cp)
{
	if (cp == 0 || (cp >= 0x300 && cp <= 0x36F) || cp == 0x200B || cp == 0xFEFF)
		return 0;
	/* East Asian Wide and Fullwidth ranges (UAX #11), coarse but covering CJK text. */
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	    (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

size_t utf8_width(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	size_t w = 0;
	uint32_t cp;

	while (p < end) {
		if (utf8_decode(&p, end, &cp)) {
			p++;
			w++;
			continue;
		}
		w += (size_t)utf8_cp_width(cp);
	}
	return w;
}
