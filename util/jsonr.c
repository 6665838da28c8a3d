#include "util/jsonr.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct jr {
	const char *p, *start, *end;
	size_t nodes;
	struct err *err;
	int failed;
};

static int fail(struct jr *r, const char *what)
{
	if (!r->failed)
		err_set(r->err, OGI_EINVAL, "bad JSON at byte %zu: %s", (size_t)(r->p - r->start),
			what);
	r->failed = 1;
	return -1;
}

static void skip_ws(struct jr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int lit(struct jr *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return fail(r, "unexpected character");
	r->p += n;
	return 0;
}

static int hex4(struct jr *r, unsigned *out)
{
	unsigned v = 0;

	if (r->end - r->p < 4)
		return fail(r, "short \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = r->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return fail(r, "bad \\u escape");
	}
	r->p += 4;
	*out = v;
	return 0;
}

static void add_utf8(struct buf *b, unsigned cp)
{
	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(b, (char)(0xC0 | (cp >> 6)));
		buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_addc(b, (char)(0xE0 | (cp >> 12)));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_addc(b, (char)(0xF0 | (cp >> 18)));
		buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* A string at r->p (the opening quote) into *out (malloc'd). */
static int string(struct jr *r, char **out)
{
	struct buf b = BUF_INIT(JV_MAX_STRING);

	r->p++;
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p;

		if (c < 0x20)
			goto bad_control;
		if (c != '\\') {
			const char *q = r->p;

			while (q < r->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
				q++;
			if (buf_add(&b, r->p, (size_t)(q - r->p)))
				goto too_long;
			r->p = q;
			continue;
		}
		if (++r->p >= r->end)
			break;
		switch (*r->p++) {
		case '"': buf_addc(&b, '"'); break;
		case '\\': buf_addc(&b, '\\'); break;
		case '/': buf_addc(&b, '/'); break;
		case 'b': buf_addc(&b, '\b'); break;
		case 'f': buf_addc(&b, '\f'); break;
		case 'n': buf_addc(&b, '\n'); break;
		case 'r': buf_addc(&b, '\r'); break;
		case 't': buf_addc(&b, '\t'); break;
		case 'u': {
			unsigned cp, lo;

			if (hex4(r, &cp))
				goto out_fail;
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				fail(r, "lone low surrogate");
				goto out_fail;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u') {
					fail(r, "lone high surrogate");
					goto out_fail;
				}
				r->p += 2;
				if (hex4(r, &lo))
					goto out_fail;
				if (lo < 0xDC00 || lo > 0xDFFF) {
					fail(r, "bad surrogate pair");
					goto out_fail;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (!cp) {
				fail(r, "\\u0000 in a string");
				goto out_fail;
			}
			add_utf8(&b, cp);
			break;
		}
		default:
			r->p--;
			fail(r, "bad escape");
			goto out_fail;
		}
		if (b.len >= JV_MAX_STRING)
			goto too_long;
	}
	if (r->p >= r->end) {
		fail(r, "unterminated string");
		goto out_fail;
	}
	r->p++;
	buf_addc(&b, '\0');
	b.len--;
	*out = buf_take(&b);
	return 0;
bad_control:
	fail(r, "control character in a string");
	goto out_fail;
too_long:
	fail(r, "string too long");
out_fail:
	buf_release(&b);
	return -1;
}

static int number(struct jr *r, struct jv *v)
{
	const char *s = r->p, *p = r->p;

	if (p < r->end && *p == '-')
		p++;
	if (p >= r->end || *p < '0' || *p > '9')
		return fail(r, "bad number");
	if (*p == '0')
		p++;
	else
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	if (p < r->end && *p == '.') {
		p++;
		if (p >= r->end || *p < '0' || *p > '9')
			return fail(r, "bad number");
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= r->end || *p < '0' || *p > '9')
			return fail(r, "bad number");
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p - s > 64)
		return fail(r, "number too long");
	v->type = JV_NUMBER;
	v->str = xstrndup(s, (size_t)(p - s));
	v->num = strtod(v->str, NULL);
	r->p = p;
	return 0;
}

static int value(struct jr *r, struct jv *v, int depth);

/* The elements of an array or the members of an object, r->p past its opening bracket. */
static int members(struct jr *r, struct jv *v, int depth, int object)
{
	size_t alloc = 0;
	char close = object ? '}' : ']';

	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		struct jv *m;

		ALLOC_GROW(v->v, v->n + 1, alloc);
		m = &v->v[v->n++];
		memset(m, 0, sizeof(*m));
		skip_ws(r);
		if (object) {
			if (r->p >= r->end || *r->p != '"')
				return fail(r, "member name expected");
			if (string(r, &m->key))
				return -1;
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':')
				return fail(r, "':' expected");
			r->p++;
		}
		if (value(r, m, depth + 1))
			return -1;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return 0;
		}
		return fail(r, object ? "',' or '}' expected" : "',' or ']' expected");
	}
}

static int value(struct jr *r, struct jv *v, int depth)
{
	if (depth > JV_MAX_DEPTH)
		return fail(r, "nested too deep");
	if (++r->nodes > JV_MAX_NODES)
		return fail(r, "too many values");
	skip_ws(r);
	if (r->p >= r->end)
		return fail(r, "value expected");
	switch (*r->p) {
	case '{':
		r->p++;
		v->type = JV_OBJECT;
		return members(r, v, depth, 1);
	case '[':
		r->p++;
		v->type = JV_ARRAY;
		return members(r, v, depth, 0);
	case '"':
		v->type = JV_STRING;
		return string(r, &v->str);
	case 't':
		v->type = JV_TRUE;
		return lit(r, "true");
	case 'f':
		v->type = JV_FALSE;
		return lit(r, "false");
	case 'n':
		v->type = JV_NULL;
		return lit(r, "null");
	default:
		return number(r, v);
	}
}

static void release(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++)
		release(&v->v[i]);
	free(v->v);
	free(v->key);
	free(v->str);
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	release(v);
	free(v);
}

int jv_parse(const char *s, size_t len, struct jv **out, struct err *err)
{
	struct jr r = { s, s, s + len, 0, err, 0 };
	struct jv *v = xcalloc(1, sizeof(*v));

	*out = NULL;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		r.p += 3;
	if (value(&r, v, 1))
		goto bad;
	skip_ws(&r);
	if (r.p != r.end) {
		fail(&r, "text after the value");
		goto bad;
	}
	*out = v;
	return 0;
bad:
	jv_free(v);
	return OGI_EINVAL;
}

const struct jv *jv_get(const struct jv *o, const char *key)
{
	if (!o || o->type != JV_OBJECT)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].key, key))
			return &o->v[i];
	return NULL;
}

const char *jv_string(const struct jv *v)
{
	return v && v->type == JV_STRING ? v->str : NULL;
}

int jv_integer(const struct jv *v, long long *out)
{
	const double lim = 9007199254740992.0;	/* 2^53 */

	if (!v)
		return -1;
	if (v->type == JV_STRING) {
		const char *p = v->str;
		long long n = 0;

		if (!*p || strlen(p) > 15)
			return -1;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			n = n * 10 + (*p - '0');
		}
		*out = n;
		return 0;
	}
	if (v->type != JV_NUMBER || !(v->num >= -lim && v->num <= lim) ||
	    v->num != (double)(long long)v->num)
		return -1;
	*out = (long long)v->num;
	return 0;
}
