#ifndef OGI_TEXT_H
#define OGI_TEXT_H
/*
 * Plain-text copies of reports to struct doc: each non-empty line (padding
 * trimmed, NBSP and U+3000 included) is a line, with its number in the text
 * and the count of empty lines before it, which flattened tables use to
 * mark blank cells.  The first non-empty line is the title.  Tables are
 * read from the lines later (parser/texttable.h).
 */
#include <stddef.h>

#include "parser/doc.h"

void text_parse(const char *utf8, size_t len, struct doc *doc);

#endif
