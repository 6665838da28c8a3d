#ifndef OGI_EXPORT_H
#define OGI_EXPORT_H
/*
 * ogi export: every stored figure in long form with its provenance, for R
 * and pandas: one row per cell of the current reports (every stored
 * report with f->all_versions) matching the filter, in (body, year,
 * report, form) order.  CSV, JSON and JSON lines are streamed, so a
 * national warehouse is written in constant memory; an Excel workbook is
 * built by libxlsxwriter in a file.
 */
#include <stdio.h>

#include "store/store.h"
#include "util/err.h"
#include "util/table.h"

enum export_format {
	EXPORT_CSV,	/* with TABLE_EXCEL: a BOM and CRLF */
	EXPORT_JSON,	/* an array of one object per line */
	EXPORT_JSONL,	/* one object a line, nothing around them */
	EXPORT_XLSX	/* a workbook: a sheet per table (t2, t3, t4), then labels */
};

/* "csv", "json", "jsonl", "xlsx" into *out; 0, or -1 for another word. */
int export_format_parse(const char *s, enum export_format *out);

/*
 * The columns, in order: report_id, organization, level, parent, year,
 * format, tbl, row_key, col_key, key, value, blank, raw, location,
 * fetched_at, how (label, order, fix, or empty), inferred (0/1),
 * src_table, src_row, src_col, src_line (empty where they do not apply),
 * body_id, current (0/1), source (where the figures were read).  NULL-terminated.
 */
extern const char *const export_columns[];

/*
 * Writes to out (CSV, JSON, JSON lines), or to the file at path (XLSX;
 * out is not used).  Returns 0, OGI_EIO on a write error, or the store's
 * error.
 */
int export_write(struct store *st, const struct report_filter *f, FILE *out, const char *path,
		 enum export_format fmt, unsigned flags, struct err *err);

#endif
