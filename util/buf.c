#include "util/buf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "util/xalloc.h"
#include "util/banned.h"

void buf_init(struct buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

/* Makes room for n more bytes plus the NUL. */
static int buf_grow(struct buf *b, size_t n)
{
	size_t need;

	if (n > b->max || b->len > b->max - n)
		return -1;
	need = b->len + n + 1;
	if (need > b->alloc) {
		size_t a = b->alloc < 64 ? 64 : b->alloc;

		while (a < need)
			a = st_mult(a, 2);
		if (a > b->max + 1)
			a = b->max + 1;
		b->ptr = xrealloc(b->ptr, a);
		b->alloc = a;
	}
	return 0;
}

int buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n))
		return -1;
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || buf_grow(b, (size_t)n))
		return -1;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

int buf_add_g17(struct buf *b, double v)
{
	char d[32], *p = d + sizeof(d);
	unsigned long long n;

	/* 15 digits at most: "%.17g" spells each of them, no exponent */
	if (isnan(v) || v <= -1e15 || v >= 1e15 || v != (double)(long long)v ||
	    (v == 0 && signbit(v)))
		return buf_addf(b, "%.17g", v);
	n = (unsigned long long)(v < 0 ? -v : v);
	do
		*--p = (char)('0' + n % 10);
	while (n /= 10);
	if (v < 0)
		*--p = '-';
	return buf_add(b, p, (size_t)(d + sizeof(d) - p));
}

const char *buf_str(const struct buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *buf_take(struct buf *b)
{
	char *r = b->ptr ? b->ptr : xstrdup("");

	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
	return r;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void buf_release(struct buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
}
