#include "parser/text.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* Bytes of the padding character at s[0..n): ASCII white space, NBSP or U+3000; else 0. */
static size_t pad_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!n)
		return 0;
	if (u[0] == ' ' || u[0] == '\t' || u[0] == '\n' || u[0] == '\r' || u[0] == '\f' ||
	    u[0] == '\v')
		return 1;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/* Padding that ends at s[n): the same characters, seen from their last byte. */
static size_t pad_len_back(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!n)
		return 0;
	if (pad_len(s + n - 1, 1))
		return 1;
	if (n >= 2 && u[n - 2] == 0xC2 && u[n - 1] == 0xA0)
		return 2;
	if (n >= 3 && u[n - 3] == 0xE3 && u[n - 2] == 0x80 && u[n - 1] == 0x80)
		return 3;
	return 0;
}

void text_parse(const char *utf8, size_t len, struct doc *doc)
{
	size_t i = 0, alloc = 0;
	int lineno = 0, gap = 0;

	doc->from_html = 0;
	if (len >= 3 && !memcmp(utf8, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len) {
		size_t start = i, end, p;
		const char *nl = memchr(utf8 + i, '\n', len - i);
		const char *cr = memchr(utf8 + i, '\r', nl ? (size_t)(nl - (utf8 + i)) : len - i);

		/* A line ends at \n, \r\n or a lone \r, whichever comes first. */
		if (cr) {
			end = (size_t)(cr - utf8);
			i = end + 1;
			if (i < len && utf8[i] == '\n')
				i++;
		} else if (nl) {
			end = (size_t)(nl - utf8);
			i = end + 1;
		} else {
			end = len;
			i = len;
		}
		while (start < end && (p = pad_len(utf8 + start, end - start)))
			start += p;
		while (end > start && (p = pad_len_back(utf8 + start, end - start)))
			end -= p;
		lineno++;
		if (start == end || !doc_add_line(doc, utf8 + start, end - start)) {
			gap++;
			continue;
		}
		if (!doc->title)
			doc->title = xstrndup(utf8 + start, end - start);
		if (doc->nlines > alloc) {
			alloc = alloc ? st_mult(alloc, 2) : 64;
			doc->linenos = xreallocarray(doc->linenos, alloc, sizeof(*doc->linenos));
			doc->gaps = xreallocarray(doc->gaps, alloc, sizeof(*doc->gaps));
		}
		doc->linenos[doc->nlines - 1] = lineno;
		doc->gaps[doc->nlines - 1] = gap;
		gap = 0;
	}
}
