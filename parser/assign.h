#ifndef OGI_ASSIGN_H
#define OGI_ASSIGN_H
/*
 * Records (parser/record.h) onto the form: the one row assigner that
 * knows the report format, for HTML grids and text tables alike.
 *   - Decides the format version from the labels (year_hint only when no
 *     label does).
 *   - Names a record's row from its label pieces only, annotations
 *     stripped ("规范性文件(行政机关制定...)"); where cells ran together,
 *     the row's label may follow the table's headings, so it is matched
 *     from the label starts fmt_label_starts() gives, shortest first.
 *   - Groups (不予公开/无法提供/不予处理/其他处理) come from row-label
 *     pieces, never from a row of headings; a label that names one row
 *     only needs no group.
 *   - Pieces in the report's narrative sections are no rows: the figures
 *     the text quotes are claims (TEXT-TABLE), not cells.
 *   - A row gets at most its columns' count of cells: more values spill
 *     into the values of a row whose label stands elsewhere.  Such values
 *     go to a labelled row with no values next to them (a label wrapped
 *     onto its own lines), or, between two labelled rows, to the rows the
 *     form puts between them when the counts agree (how: order).
 *   - A grid row with fewer values than columns: each value under the
 *     grid column it stands in, as the table's full rows place them; a
 *     column no cell starts in (a colspan, a rowspan from above) is blank,
 *     and a count cell merged over m columns holding m figures ("12 3")
 *     gives one to each.  A text cell among the counts is a value there
 *     (extract.c), never a reason to shift the rest.
 *   - Fewer values than columns in text: digits that ran together are split by
 *     the form's arithmetic (parser/split.h); one cell a line, the blank
 *     cells are placed where the empty lines between the values show one,
 *     else the row is left unread rather than shifted left.
 *   - A label in a table with no values of its own is a row of blank cells.
 *   - Table 4 as one row of 15 cells or three blocks of five under their
 *     headings.
 *   - When several rows claim one row of the form, the most complete wins.
 * Each value records how it was placed and where it stands (report.h).
 */
#include "parser/record.h"
#include "form/report.h"

/* Fills r->format and r->values from rs; returns how many fields were read. */
size_t assign_records(const struct recs *rs, int year_hint, struct report *r);

#endif
