#include "util/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"
#include "util/banned.h"

static int esc_html_clean(struct buf *b, const char *s);
static int esc_csv_clean(struct buf *b, const char *s);

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
static const char fffd[] = "\xEF\xBF\xBD";

/*
 * Length of the valid UTF-8 sequence at p (1 for ASCII), or 0 when the
 * byte at p does not start one.
 */
static size_t seq_len(const char *p, const char *end)
{
	const char *q = p;
	uint32_t cp;

	if ((unsigned char)*p < 0x80)
		return 1;
	if (utf8_decode(&q, end, &cp))
		return 0;
	return (size_t)(q - p);
}

enum esc_class esc_unsafe(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029)
		return ESC_CONTROL;
	if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return ESC_INVISIBLE;
	return ESC_SAFE;
}

/*
 * The first character at or after p that esc_text changes, or end; *next
 * is set past it and *rep to what replaces it.
 */
static const char *next_unsafe(const char *p, const char *end, unsigned flags,
			       const char **next, const char **rep)
{
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		const char *q = p;
		uint32_t cp;
		enum esc_class k;

		if (c >= 0x20 && c < 0x7F)
			continue;
		if (c < 0x80) {
			if ((flags & ESC_KEEP_TAB_LF) && (c == '\t' || c == '\n'))
				continue;
			cp = c;
			q++;
		} else if (utf8_decode(&q, end, &cp)) {
			*next = p + 1;
			*rep = fffd;
			return p;
		}
		k = esc_unsafe(cp);
		if (k != ESC_SAFE) {
			*next = q;
			*rep = k == ESC_CONTROL ? " " : "";
			return p;
		}
		p = q - 1;
	}
	return end;
}

int esc_text(struct buf *b, const char *s, unsigned flags)
{
	const char *p = s, *end = s + strlen(s);

	for (;;) {
		const char *next = end, *rep = "";
		const char *u = next_unsafe(p, end, flags, &next, &rep);

		if (buf_add(b, p, (size_t)(u - p)))
			return -1;
		if (u == end)
			return 0;
		if (buf_adds(b, rep))
			return -1;
		p = next;
	}
}

int esc_json_string(struct buf *b, const char *s)
{
	const char *p = s, *end = s + strlen(s), *run = s;

	if (buf_addc(b, '"'))
		return -1;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		const char *rep = NULL;
		char u[8];

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7F) {
			p++;
			continue;
		}
		if (c >= 0x80) {
			const char *q = p;
			uint32_t cp;

			if (utf8_decode(&q, end, &cp)) {
				rep = fffd;
			} else if (esc_unsafe(cp) == ESC_SAFE) {
				p = q;
				continue;
			} else {
				snprintf(u, sizeof(u), "\\u%04x", (unsigned)cp);
				if (buf_add(b, run, (size_t)(p - run)) || buf_adds(b, u))
					return -1;
				run = p = q;
				continue;
			}
		} else if (c == '"') {
			rep = "\\\"";
		} else if (c == '\\') {
			rep = "\\\\";
		} else if (c == '\b') {
			rep = "\\b";
		} else if (c == '\f') {
			rep = "\\f";
		} else if (c == '\n') {
			rep = "\\n";
		} else if (c == '\r') {
			rep = "\\r";
		} else if (c == '\t') {
			rep = "\\t";
		} else {
			snprintf(u, sizeof(u), "\\u%04x", c);
			rep = u;
		}
		/* Copy the run of plain bytes before this one in one go. */
		if (buf_add(b, run, (size_t)(p - run)) || buf_adds(b, rep))
			return -1;
		run = ++p;
	}
	if (buf_add(b, run, (size_t)(p - run)) || buf_addc(b, '"'))
		return -1;
	return 0;
}

/*
 * s through esc_text(ESC_KEEP_TAB_LF): s itself when that changes nothing
 * (most cells: no copy), else the copy in tmp (unbounded).
 */
static const char *cleaned(struct buf *tmp, const char *s)
{
	const char *end = s + strlen(s), *next, *rep;

	if (next_unsafe(s, end, ESC_KEEP_TAB_LF, &next, &rep) == end)
		return s;
	esc_text(tmp, s, ESC_KEEP_TAB_LF);
	return buf_str(tmp);
}

int esc_html(struct buf *b, const char *s)
{
	struct buf tmp = BUF_INIT(BUF_NOLIMIT);
	int ret = esc_html_clean(b, cleaned(&tmp, s));

	buf_release(&tmp);
	return ret;
}

/* esc_html of text already through esc_text. */
static int esc_html_clean(struct buf *b, const char *s)
{
	const char *p = s, *end = s + strlen(s), *run = s;

	while (p < end) {
		const char *rep;
		size_t n;

		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			n = seq_len(p, end);
			if (n) {
				p += n;
				continue;
			}
			rep = fffd;
			break;
		}
		if (buf_add(b, run, (size_t)(p - run)) || buf_adds(b, rep))
			return -1;
		run = ++p;
	}
	return buf_add(b, run, (size_t)(p - run));
}

/*
 * True for a plain decimal number: optional sign, digits with an optional
 * fraction (at least one digit in all), optional exponent.  Nothing else,
 * not even surrounding space.
 */
static int is_plain_number(const char *s)
{
	size_t digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits++;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

int esc_base64(struct buf *b, const void *p, size_t n)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *u = p;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)u[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (uint32_t)u[i + 1] << 8;
		if (i + 2 < n)
			v |= u[i + 2];
		q[0] = abc[v >> 18];
		q[1] = abc[(v >> 12) & 63];
		q[2] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? abc[v & 63] : '=';
		if (buf_add(b, q, 4))
			return -1;
	}
	return 0;
}

int esc_csv_field(struct buf *b, const char *s)
{
	struct buf tmp = BUF_INIT(BUF_NOLIMIT);
	int ret = esc_csv_clean(b, cleaned(&tmp, s));

	buf_release(&tmp);
	return ret;
}

/* esc_csv_field of text already through esc_text. */
static int esc_csv_clean(struct buf *b, const char *s)
{
	size_t len = strlen(s);
	int guard = 0, quote;
	const char *p, *q;

	if (*s && strchr("=+-@\t", *s) && !is_plain_number(s))
		guard = 1;
	quote = strpbrk(s, ",\"\n") != NULL || (len && (s[0] == ' ' || s[len - 1] == ' '));
	if (!quote)
		return (guard && buf_addc(b, '\'')) || buf_add(b, s, len) ? -1 : 0;
	if (buf_addc(b, '"') || (guard && buf_addc(b, '\'')))
		return -1;
	for (p = s; (q = strchr(p, '"')); p = q + 1) {
		/* Up to and including the quote, then the quote again. */
		if (buf_add(b, p, (size_t)(q - p) + 1) || buf_addc(b, '"'))
			return -1;
	}
	if (buf_adds(b, p) || buf_addc(b, '"'))
		return -1;
	return 0;
}
