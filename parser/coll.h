#ifndef OGI_PARSER_COLL_H
#define OGI_PARSER_COLL_H
/*
 * Text being gathered for a line, a cell or a title, from the pieces a
 * reader meets (gumbo's text nodes, a DOCX file's runs): white space
 * collapsed as it comes (ASCII white space and NBSP), a break between
 * pieces (a <br>, a block's edge, a paragraph's end) joining CJK words but
 * keeping letters and digits apart.
 */
#include <stddef.h>

#include "util/buf.h"

struct coll {
	struct buf b;
	int space;	/* white space seen since the last text */
	int brk;	/* a break seen since the last text: set by the reader */
};

/* Starts empty; text past limit bytes is dropped (struct buf). */
void coll_init(struct coll *c, size_t limit);

/* Appends s[0..n), which must be valid UTF-8. */
void coll_add(struct coll *c, const char *s, size_t n);

/* Hands over the collected text (never NULL) and starts afresh. */
char *coll_take(struct coll *c);

/* Starts afresh, keeping the memory. */
void coll_reset(struct coll *c);

void coll_release(struct coll *c);

#endif
