#ifndef OGI_TEXTTABLE_H
#define OGI_TEXTTABLE_H
/*
 * Tables in page text to records (parser/record.h), from every layout in
 * which published and archived text carries them:
 *   - a row a line, cells apart by spaces:   （一）予以公开 3 1 0 0 0 0 4
 *   - pipe rows: "| 规章 | 0 | 0 | 0 |", "规章 | 0 |", one "cell |" a line,
 *     "|---|" rules, "|" alone between rows; an empty cell is a blank cell,
 *     a cell of text among the counts ("不详", "?") a value that is no
 *     figure (rec_count_text()), as in positioned text (PDF);
 *   - one cell a line, a blank cell marked by extra empty lines (kept as
 *     each value's gap, for the assigner to place);
 *   - cells run into their labels and each other ("规章000",
 *     "...申请数量160000016二、上年结转..."): label text and digits are cut
 *     apart where they meet, an enumerator ("2.其他...") going with the
 *     label it opens; numbers of prose (2023年, 16件, 第711号, phone
 *     numbers) stay text;
 *   - labels wrapped onto lines of their own, values on a line after them
 *     or before them, page footers ("— 7 —") and rules between them.
 * A record is a run of label pieces and the values after it; a line that
 * starts with values after a line that held a whole row starts a new
 * record (values whose label stands elsewhere).  Label runs are cut into
 * pieces at enumerators ("（三）不予公开1.属于国家秘密" is two), each piece
 * tagged with the section it stands in, from the section headings
 * (fmt_match_section()).  Which row a piece names is for the assigner.
 */
#include "parser/doc.h"
#include "parser/record.h"

/* Appends the records of doc's lines to out. */
void texttable_read(const struct doc *doc, struct recs *out);

#endif
