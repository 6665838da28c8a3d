#ifndef OGI_MSDOC_H
#define OGI_MSDOC_H
/*
 * Word 97-2003 (.doc) and WPS documents to struct doc.  Both are OLE2
 * compound files whose "WordDocument" stream holds the text (Kingsoft
 * WPS writes the same binary format).  The text is found through the
 * File Information Block and the piece table (the Clx in the table
 * stream); pieces are UTF-16 or, compressed, cp1252.  Tables are not
 * described in the text but marked in it: each cell ends with a cell
 * mark (0x07) and each row with one more.  The reader writes one cell a
 * line and an empty line for an empty cell and for a row's end, which is
 * the layout of flattened tables the text-table reader already places
 * blank cells in (parser/texttable.h), so rules, keys and provenance work
 * unchanged (provenance: lines of that text).
 *
 * Bounded on hostile files: sector chains are followed at most as many
 * steps as the file has sectors, streams are capped at MSDOC_MAX_STREAM,
 * the text at MSDOC_MAX_CHARS; an encrypted document is an error.
 */
#include <stddef.h>

#include "parser/doc.h"
#include "util/err.h"

#define MSDOC_MAX_STREAM (32u << 20)
#define MSDOC_MAX_CHARS (4u << 20)

/* Whether bytes are an OLE2 compound file (.doc, .wps, .xls, .ppt ...). */
int msdoc_sniff(const char *bytes, size_t len);

/*
 * Reads the Word or WPS document in bytes into doc (initialised by the
 * caller).  Returns 0, or an error saying why (not a Word document: an
 * Excel workbook, say; encrypted; broken).
 */
int msdoc_parse(const char *bytes, size_t len, struct doc *doc, struct err *err);

#endif
