#include "parser/coll.h"

#include "util/ascii.h"
#include "util/banned.h"

void coll_init(struct coll *c, size_t limit)
{
	buf_init(&c->b, limit);
	c->space = c->brk = 0;
}

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ascii_alpha(c);
}

/* Bytes of collapsible white space at s[0..n): ASCII white space or NBSP; else 0. */
static size_t ws_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (ascii_space(u[0]) || u[0] == '\v')
		return 1;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	return 0;
}

void coll_add(struct coll *c, const char *s, size_t n)
{
	size_t i = 0, w;

	while (i < n) {
		size_t j = i;

		if ((w = ws_len(s + i, n - i))) {
			c->space = 1;
			i += w;
			continue;
		}
		while (j < n && !ws_len(s + j, n - j))
			j++;
		if (c->b.len) {
			unsigned char last = (unsigned char)c->b.ptr[c->b.len - 1];

			if (c->space || (c->brk && is_alnum(last) && is_alnum((unsigned char)s[i])))
				buf_addc(&c->b, ' ');
		}
		c->space = c->brk = 0;
		buf_add(&c->b, s + i, j - i);
		i = j;
	}
}

char *coll_take(struct coll *c)
{
	c->space = c->brk = 0;
	return buf_take(&c->b);
}

void coll_reset(struct coll *c)
{
	buf_reset(&c->b);
	c->space = c->brk = 0;
}

void coll_release(struct coll *c)
{
	buf_release(&c->b);
}
