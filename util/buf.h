#ifndef OGI_BUF_H
#define OGI_BUF_H
/*
 * A growable byte buffer with a maximum size (as curl's dynbuf).  The
 * contents are always NUL-terminated once anything was added; buf_str()
 * gives "" for an empty buffer.  Adding past the maximum fails with -1 and
 * leaves the buffer as it was, so a hostile page cannot make us grow
 * without bound.  Ownership of the bytes leaves only through buf_take().
 */
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *ptr;
	size_t len;
	size_t alloc;
	size_t max;
};

#define BUF_INIT(maxsize) { NULL, 0, 0, (maxsize) }
#define BUF_NOLIMIT ((size_t)-1 / 2)

void buf_init(struct buf *b, size_t max);
/* 0 on success, -1 when the result would exceed the maximum. */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/*
 * v as printf's "%.17g" spells it (it reads back exactly); a whole number
 * is written without printf, at a fraction of the cost.
 */
int buf_add_g17(struct buf *b, double v);
/* The contents, "" when empty; valid until the next change. */
const char *buf_str(const struct buf *b);
/* Hands the NUL-terminated contents to the caller (never NULL) and empties b. */
char *buf_take(struct buf *b);
/* Empties b, keeping its memory. */
void buf_reset(struct buf *b);
/* Frees the contents; b can be reused. */
void buf_release(struct buf *b);

#endif
