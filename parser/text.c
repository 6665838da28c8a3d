#include "parser/text.h"

#include <stdlib.h>
#include <string.h>

#include "parser/number.h"
#include "util/buf.h"
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

struct cells {
	char **v;
	unsigned char *carried;
	size_t n, alloc;
};

static void cells_add(struct cells *c, char *s)
{
	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	c->v[c->n++] = s;
}

/*
 * One line as a row: values each a cell, runs of other tokens joined by a
 * space into one label cell, so "商业 企业 0 0" reads as a label and two values.
 */
static void add_row(struct doc *doc, const char *s, size_t n)
{
	struct cells c = { NULL, NULL, 0, 0 };
	struct buf label = BUF_INIT(BUF_NOLIMIT);
	size_t i = 0;

	while (i < n) {
		size_t p, start;
		char *tok;

		while (i < n && (p = pad_len(s + i, n - i)))
			i += p;
		if (i >= n)
			break;
		start = i;
		while (i < n && !pad_len(s + i, n - i))
			i++;
		tok = xstrndup(s + start, i - start);
		if (num_is_value(tok)) {
			if (label.len)
				cells_add(&c, buf_take(&label));
			cells_add(&c, tok);
			continue;
		}
		if (label.len)
			buf_addc(&label, ' ');
		buf_add(&label, s + start, i - start);
		free(tok);
	}
	if (label.len)
		cells_add(&c, buf_take(&label));
	buf_release(&label);
	if (!c.n) {
		free(c.v);
		return;
	}
	c.carried = xcalloc(c.n, 1);
	doc_add_row(doc, c.v, c.carried, c.n, -1);
}

void text_parse(const char *utf8, size_t len, struct doc *doc)
{
	size_t i = 0;

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
		if (start == end)
			continue;
		if (!doc->title)
			doc->title = xstrndup(utf8 + start, end - start);
		doc_add_line(doc, utf8 + start, end - start);
		add_row(doc, utf8 + start, end - start);
	}
}
