#ifndef OGI_TEXT_H
#define OGI_TEXT_H
/*
 * Plain-text copies of reports to struct doc.  Each non-empty line is a
 * text line and a row: its white-space-separated tokens become cells, with
 * consecutive non-value tokens joined back into one label cell, so that
 * both "one cell per line" and "space-separated rows" read the same way.
 * The first non-empty line is the title.
 */
#include <stddef.h>

#include "parser/doc.h"

void text_parse(const char *utf8, size_t len, struct doc *doc);

#endif
