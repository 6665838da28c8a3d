#ifndef OGI_TABLE_H
#define OGI_TABLE_H
/*
 * A table of typed cells (string, number, blank) that every command
 * printing data fills once and writes in the format the user asked for:
 * aligned text for a terminal, CSV, JSON or an HTML fragment.
 *
 *	struct table *t = table_new();
 *	size_t name = table_add_column(t, "name", TA_LEFT);
 *	size_t n = table_add_column(t, "count", TA_RIGHT);
 *	table_add_row(t);
 *	table_set_str(t, name, "晋江市");
 *	table_set_num(t, n, 25.1);
 *	if (table_write(t, stdout, TF_TEXT, 0)) ... write error ...
 *	table_free(t);
 *
 * Add the columns first, then the rows.  A cell never set is blank.
 * Setting a cell before the first table_add_row() or in a column that does
 * not exist is a caller bug and is ignored.
 */
#include <stddef.h>
#include <stdio.h>

enum table_align { TA_LEFT, TA_RIGHT };

enum table_format { TF_TEXT, TF_CSV, TF_JSON, TF_HTML };

/* CSV: a UTF-8 byte order mark first and CRLF line ends, as Excel wants. */
#define TABLE_EXCEL 0x1u
/* TF_TEXT, TF_CSV, TF_HTML: no header row.  TF_JSON always names its keys. */
#define TABLE_NO_HEADER 0x2u

/* Text mode cuts cells wider than this many columns, ending them with "…". */
#define TABLE_TEXT_MAX_WIDTH 60

struct table;

/* An empty table; never NULL.  Free with table_free(). */
struct table *table_new(void);
/* Frees t and all its cells; NULL is fine. */
void table_free(struct table *t);

/* Adds a column (name copied) and returns its index, from 0.  TA_RIGHT for numbers. */
size_t table_add_column(struct table *t, const char *name, enum table_align align);
/* Starts a new row, all blank; the table_set_* calls that follow fill it. */
void table_add_row(struct table *t);
/* Copies s into the current row; NULL makes the cell blank. */
void table_set_str(struct table *t, size_t col, const char *s);
/* A number, printed as jw_format_number() does; NaN and infinities are blank. */
void table_set_num(struct table *t, size_t col, double v);
/*
 * Copies s into the current row, linked to href (copied; NULL: no link)
 * in HTML, where it becomes <a href="...">s</a>, both escaped; other
 * formats write s alone.
 */
void table_set_link(struct table *t, size_t col, const char *s, const char *href);
/* Blank: "" in text and CSV, null in JSON, an empty cell in HTML. */
void table_set_null(struct table *t, size_t col);
/* table_set_str() of a printf-formatted string. */
void table_set_fmt(struct table *t, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t table_rows(const struct table *t);

/*
 * Writes t to out in format fmt with flags (TABLE_*), then flushes out.
 * Returns 0, or -1 when a write failed (ferror(out)) or fmt is unknown.
 *
 * TF_TEXT: a header row, a rule of '-' under it, then the rows; columns
 *   padded to the widest cell by terminal display width (CJK counts 2),
 *   two spaces apart, TA_RIGHT columns right-aligned, no trailing spaces,
 *   LF line ends.  For the terminal's sake cells are cleaned first as
 *   esc_text() does: control characters (C0, DEL, C1, U+2028/2029) become
 *   spaces, bidi controls are dropped, invalid UTF-8 bytes become U+FFFD;
 *   and cells wider than TABLE_TEXT_MAX_WIDTH are cut on a character
 *   boundary and end with "…".  Nothing is written for a table without
 *   columns.
 * TF_CSV: RFC 4180 via esc_csv_field() (so cleaned, and with its formula
 *   guard), a header line, LF line ends or, with TABLE_EXCEL, a BOM and CRLF.
 * TF_JSON: an array of objects keyed by column name, one object per line;
 *   numbers are JSON numbers, blanks null; strings by esc_json_string()
 *   (unsafe characters as \uXXXX).  Repeated column names give
 *   repeated keys, so keep names distinct.
 * TF_HTML: a <table> with <thead> and <tbody>, class="num" on TA_RIGHT
 *   cells, every name and cell escaped with esc_html().
 */
int table_write(const struct table *t, FILE *out, enum table_format fmt, unsigned flags);

/* "text", "csv", "json" or "html" into *out: 0, or -1 for anything else. */
int table_format_parse(const char *s, enum table_format *out);

#endif
