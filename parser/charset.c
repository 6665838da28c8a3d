#include "parser/charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define CHARSET_MAX_INPUT ((size_t)64 << 20)
#define META_SCAN_BYTES ((size_t)64 << 10)

/* How a declared label is decoded. */
enum cs_kind {
	CS_UTF8,
	CS_GB,		/* GB2312, GBK and GB18030 all decode as GB18030 */
	CS_UTF16LE,
	CS_UTF16BE,
	CS_WEAK,	/* ASCII/Latin-1 labels: CMS defaults, often wrong */
	CS_OTHER	/* anything else iconv may know */
};

/* Output under construction; sized by hand because iconv() writes into it directly. */
struct sink {
	char *p;
	size_t len;
	size_t alloc;
};

static void sink_reserve(struct sink *s, size_t n)
{
	size_t a;

	if (s->alloc - s->len > n)
		return;
	a = s->alloc < 64 ? 64 : s->alloc;
	while (a - s->len <= n)
		a = st_mult(a, 2);
	s->p = xrealloc(s->p, a);
	s->alloc = a;
}

static void sink_add(struct sink *s, const void *p, size_t n)
{
	sink_reserve(s, n);
	memcpy(s->p + s->len, p, n);
	s->len += n;
}

static void sink_fffd(struct sink *s, size_t *replaced)
{
	sink_add(s, "\xEF\xBF\xBD", 3);
	(*replaced)++;
}

static int lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int label_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == ':';
}

/* Case-insensitive search for lowercase needle in s[0..n). */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; m <= n && i <= n - m; i++) {
		size_t k = 0;

		while (k < m && lc((unsigned char)s[i + k]) == needle[k])
			k++;
		if (k == m)
			return s + i;
	}
	return NULL;
}

/*
 * Reads the label after a "charset" found at s[i..n): optional white space,
 * '=', optional white space and quotes, then label characters.  Returns 1
 * and fills name when one fits.
 */
static int read_label(const char *s, size_t n, size_t i, char *name, size_t namesz)
{
	size_t start;

	while (i < n && is_ws((unsigned char)s[i]))
		i++;
	if (i >= n || s[i] != '=')
		return 0;
	i++;
	while (i < n && (is_ws((unsigned char)s[i]) || s[i] == '"' || s[i] == '\''))
		i++;
	start = i;
	while (i < n && label_char((unsigned char)s[i]))
		i++;
	if (i == start || i - start >= namesz)
		return 0;
	memcpy(name, s + start, i - start);
	name[i - start] = '\0';
	return 1;
}

/* Tries every "charset" in s[0..n) until one is followed by a label. */
static int label_in(const char *s, size_t n, char *name, size_t namesz)
{
	const char *p = s;

	while ((p = find_ci(p, n - (size_t)(p - s), "charset"))) {
		size_t at = (size_t)(p - s) + 7;

		if (read_label(s, n, at, name, namesz))
			return 1;
		p += 7;
	}
	return 0;
}

int charset_from_content_type(const char *ct, char *name, size_t namesz)
{
	if (!ct || !namesz)
		return 0;
	return label_in(ct, strlen(ct), name, namesz);
}

int charset_sniff_meta(const char *bytes, size_t len, char *name, size_t namesz)
{
	size_t n = len < META_SCAN_BYTES ? len : META_SCAN_BYTES, i = 0;

	if (!namesz)
		return 0;
	while (i < n) {
		const char *lt = memchr(bytes + i, '<', n - i), *end;

		if (!lt)
			break;
		i = (size_t)(lt - bytes);
		if (n - i >= 4 && !memcmp(lt, "<!--", 4)) {
			/* A commented-out <meta> is not a declaration. */
			end = find_ci(lt + 4, n - i - 4, "-->");
			if (!end)
				break;
			i = (size_t)(end - bytes) + 3;
			continue;
		}
		if (n - i > 5 && find_ci(lt, 5, "<meta") == lt &&
		    (is_ws((unsigned char)lt[5]) || lt[5] == '/')) {
			const char *gt = memchr(lt, '>', n - i);
			size_t tlen = gt ? (size_t)(gt - lt) : n - i;

			if (label_in(lt, tlen, name, namesz))
				return 1;
			i += tlen;
			continue;
		}
		i++;
	}
	return 0;
}

static int label_is(const char *label, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		const char *a = label, *b = names[i];

		while (*a && lc((unsigned char)*a) == *b) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return 1;
	}
	return 0;
}

/* Maps a label to how we decode it; canonical holds the iconv name for CS_OTHER/CS_WEAK. */
static enum cs_kind classify(const char *label, char *canonical, size_t sz)
{
	static const char *const utf8[] = { "utf-8", "utf8", "unicode-1-1-utf-8", NULL };
	static const char *const gb[] = {
		"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "gb18030", "chinese", "csgb2312",
		"csiso58gb231280", "iso-ir-58", "cp936", "ms936", "windows-936", "euc-cn",
		"x-euc-cn", "gb", NULL
	};
	static const char *const le[] = {
		"utf-16", "utf-16le", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2", NULL
	};
	static const char *const be[] = { "utf-16be", "unicodefffe", NULL };
	static const char *const weak[] = {
		"us-ascii", "ascii", "ansi_x3.4-1968", "iso-8859-1", "iso8859-1", "iso_8859-1",
		"latin1", "l1", "windows-1252", "cp1252", "x-cp1252", "cp819", "ibm819",
		"iso-ir-100", "csisolatin1", NULL
	};
	size_t i;

	if (label_is(label, utf8))
		return CS_UTF8;
	if (label_is(label, gb))
		return CS_GB;
	if (label_is(label, le))
		return CS_UTF16LE;
	if (label_is(label, be))
		return CS_UTF16BE;
	if (label_is(label, weak)) {
		/* As browsers do: these labels mean windows-1252, a superset of both. */
		snprintf(canonical, sz, "WINDOWS-1252");
		return CS_WEAK;
	}
	for (i = 0; label[i] && i + 1 < sz; i++) {
		char c = label[i];

		canonical[i] = (char)(c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
	}
	canonical[i] = '\0';
	return CS_OTHER;
}

/*
 * Whether s is UTF-8, allowing an incomplete sequence at the very end (a
 * page cut short mid-character is still a UTF-8 page); *multi says whether
 * any complete non-ASCII character was seen.
 */
static int looks_utf8(const char *s, size_t n, int *multi)
{
	size_t ok = utf8_valid_prefix(s, n);

	*multi = 0;
	for (size_t i = 0; i < ok; i++) {
		if ((unsigned char)s[i] >= 0x80) {
			*multi = 1;
			break;
		}
	}
	if (ok == n)
		return 1;
	if (n - ok >= 4)
		return 0;
	/* The tail must be a proper prefix of a sequence: a lead byte then continuations. */
	{
		unsigned char c = (unsigned char)s[ok];
		size_t need = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 :
			      c >= 0xF0 && c <= 0xF4 ? 4 : 0;

		if (need <= n - ok)
			return 0;
		for (size_t i = ok + 1; i < n; i++)
			if (((unsigned char)s[i] & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/*
 * UTF-8 to UTF-8, each maximal invalid subpart (as the WHATWG decoder
 * defines it) becoming one U+FFFD.
 */
static void decode_utf8(const unsigned char *s, size_t n, struct sink *out, size_t *replaced)
{
	size_t i = 0, valid = 0;	/* s[valid..i) is valid and not yet added */

	while (i < n) {
		unsigned char c = s[i];
		size_t need, j, k;
		unsigned char lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			need = 0;
		}
		for (j = i + 1, k = 0; k < need && j < n; j++, k++) {
			if (s[j] < (k ? 0x80 : lo) || s[j] > (k ? 0xBF : hi))
				break;
		}
		if (need && k == need) {
			i = j;
			continue;
		}
		/* an invalid sequence: what came before goes as it is, then one U+FFFD */
		sink_add(out, s + valid, i - valid);
		sink_fffd(out, replaced);
		i = need ? j : i + 1;
		valid = i;
	}
	sink_add(out, s + valid, i - valid);
}

static void decode_utf16(const unsigned char *s, size_t n, int be, struct sink *out,
			 size_t *replaced)
{
	size_t i = 0;

	while (i + 1 < n) {
		uint32_t u = be ? (uint32_t)s[i] << 8 | s[i + 1] : (uint32_t)s[i + 1] << 8 | s[i];
		char enc[4];

		i += 2;
		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
			uint32_t v = be ? (uint32_t)s[i] << 8 | s[i + 1] :
					  (uint32_t)s[i + 1] << 8 | s[i];

			if (v >= 0xDC00 && v <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
				i += 2;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF) {
			sink_fffd(out, replaced);
			continue;
		}
		sink_add(out, enc, utf8_encode(u, enc));
	}
	if (i < n)
		sink_fffd(out, replaced);
}

/* A GB18030 two-byte code: lead 0x81-0xFE, trail 0x40-0x7E or 0x80-0xFE. */
static int gb_pair(const unsigned char *p, size_t left)
{
	return left >= 2 && p[0] >= 0x81 && p[0] <= 0xFE &&
	       ((p[1] >= 0x40 && p[1] <= 0x7E) || (p[1] >= 0x80 && p[1] <= 0xFE));
}

/* A GB18030 four-byte code: lead, digit, lead, digit. */
static int gb_quad(const unsigned char *p, size_t left)
{
	return left >= 4 && p[0] >= 0x81 && p[0] <= 0xFE && p[1] >= 0x30 && p[1] <= 0x39 &&
	       p[2] >= 0x81 && p[2] <= 0xFE && p[3] >= 0x30 && p[3] <= 0x39;
}

/*
 * Converts with iconv, never stopping: an invalid or unmapped sequence is
 * replaced and skipped (a GB18030 code as a whole, so that its second byte
 * is not read as ASCII), an incomplete one at the end is replaced once.
 * Returns -1 when iconv does not know the encoding.
 */
static int decode_iconv(const char *from, int gb, const char *s, size_t n, struct sink *out,
			size_t *replaced)
{
	iconv_t cd = iconv_open("UTF-8", from);
	char *in = (char *)s;
	size_t left = n;

	if (cd == (iconv_t)-1)
		return -1;
	sink_reserve(out, n + n / 2 + 16);
	while (left) {
		char *op = out->p + out->len;
		size_t room = out->alloc - out->len - 1, r;
		const unsigned char *u;
		size_t skip = 1;

		r = iconv(cd, &in, &left, &op, &room);
		out->len = (size_t)(op - out->p);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			sink_reserve(out, out->alloc);
			continue;
		}
		u = (const unsigned char *)in;
		if (errno == EINVAL) {
			/* Cut mid-character at the end: one replacement for the stub. */
			skip = left;
		} else if (gb && gb_quad(u, left)) {
			skip = 4;
		} else if (gb && gb_pair(u, left)) {
			skip = 2;
		}
		sink_fffd(out, replaced);
		in += skip;
		left -= skip;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	return 0;
}

/* Replaces NUL characters, which would silently cut the text for every string reader. */
static void replace_nuls(struct sink *s, size_t *replaced)
{
	struct sink t = { NULL, 0, 0 };
	size_t i = 0;

	if (!s->len || !memchr(s->p, 0, s->len))
		return;
	while (i < s->len) {
		const char *z = memchr(s->p + i, 0, s->len - i);
		size_t run = z ? (size_t)(z - (s->p + i)) : s->len - i;

		sink_add(&t, s->p + i, run);
		i += run;
		if (z) {
			sink_fffd(&t, replaced);
			i++;
		}
	}
	free(s->p);
	*s = t;
}

static void set_name(struct charset_result *res, const char *name)
{
	snprintf(res->name, sizeof(res->name), "%s", name);
}

/* Undeclared (or unusable declaration): UTF-8 when the bytes are UTF-8, else GB18030. */
static void sniff(const char *bytes, size_t len, int unknown_decl, struct charset_result *res)
{
	int multi;

	if (looks_utf8(bytes, len, &multi)) {
		set_name(res, "UTF-8");
		res->evidence = unknown_decl ? "valid-utf8 (unknown declared charset)" :
					       "valid-utf8";
	} else {
		set_name(res, "GB18030");
		res->evidence = unknown_decl ? "fallback (unknown declared charset)" : "fallback";
	}
}

int charset_to_utf8(const char *bytes, size_t len, const char *content_type, char **out,
		    size_t *outlen, struct charset_result *res, struct err *err)
{
	const unsigned char *u = (const unsigned char *)bytes;
	struct sink s = { NULL, 0, 0 };
	char label[64], iconv_name[32] = "";
	enum cs_kind kind = CS_UTF8;
	size_t skip = 0;
	int multi;

	memset(res, 0, sizeof(*res));
	*out = NULL;
	*outlen = 0;
	if (len > CHARSET_MAX_INPUT)
		return err_set(err, OGI_ETOOBIG,
			       "cannot decode page: %zu bytes, over the %zu MiB limit", len,
			       CHARSET_MAX_INPUT >> 20);

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		res->evidence = "bom";
		kind = CS_UTF8;
		skip = 3;
	} else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		res->evidence = "bom";
		kind = CS_UTF16LE;
		skip = 2;
	} else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		res->evidence = "bom";
		kind = CS_UTF16BE;
		skip = 2;
	} else {
		int declared = 0;

		if (charset_from_content_type(content_type, label, sizeof(label))) {
			res->evidence = "content-type";
			declared = 1;
		} else if (charset_sniff_meta(bytes, len, label, sizeof(label))) {
			res->evidence = "meta";
			declared = 2;
		}
		if (declared) {
			kind = classify(label, iconv_name, sizeof(iconv_name));
			/* A <meta> readable as ASCII rules out UTF-16 (as browsers reason). */
			if (declared == 2 && (kind == CS_UTF16LE || kind == CS_UTF16BE))
				kind = CS_UTF8;
			/* CMS templates often keep a GBK or ASCII label on UTF-8 pages. */
			if ((kind == CS_GB || kind == CS_WEAK) && looks_utf8(bytes, len, &multi) &&
			    multi) {
				kind = CS_UTF8;
				res->evidence = "valid-utf8";
			}
		} else {
			sniff(bytes, len, 0, res);
			kind = strcmp(res->name, "UTF-8") ? CS_GB : CS_UTF8;
		}
	}

	switch (kind) {
	case CS_UTF8:
		set_name(res, "UTF-8");
		decode_utf8(u + skip, len - skip, &s, &res->replaced);
		break;
	case CS_UTF16LE:
	case CS_UTF16BE:
		set_name(res, kind == CS_UTF16LE ? "UTF-16LE" : "UTF-16BE");
		decode_utf16(u + skip, len - skip, kind == CS_UTF16BE, &s, &res->replaced);
		break;
	case CS_GB:
		set_name(res, "GB18030");
		if (decode_iconv("GB18030", 1, bytes, len, &s, &res->replaced))
			decode_utf8(u, len, &s, &res->replaced);	/* no GB18030 in iconv */
		break;
	case CS_WEAK:
	case CS_OTHER:
		if (!decode_iconv(iconv_name, 0, bytes, len, &s, &res->replaced)) {
			set_name(res, iconv_name);
			break;
		}
		/* iconv does not know the label: read the bytes as if undeclared. */
		sniff(bytes, len, 1, res);
		if (strcmp(res->name, "UTF-8") &&
		    !decode_iconv("GB18030", 1, bytes, len, &s, &res->replaced))
			break;
		decode_utf8(u, len, &s, &res->replaced);
		break;
	}

	replace_nuls(&s, &res->replaced);
	sink_reserve(&s, 1);
	s.p[s.len] = '\0';
	*out = s.p;
	*outlen = s.len;
	return 0;
}
