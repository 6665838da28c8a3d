#ifndef OGI_EXPORT_H
#define OGI_EXPORT_H
/*
 * ogi export: every stored figure in long form with its provenance, for R
 * and pandas: one row per cell of every report (superseded ones too)
 * matching the filter, in (body, year, report, form) order.  Streamed, so
 * a national warehouse is written in constant memory.
 */
#include <stdio.h>

#include "store/store.h"
#include "util/err.h"
#include "util/table.h"

/*
 * Writes to out as fmt (TF_CSV, with TABLE_EXCEL a BOM and CRLF; or
 * TF_JSON, an array of one object per line).  Columns: report_id,
 * organization, level, parent, year, format, table, row_key, col_key, key,
 * value, blank, raw, source, fetched_at, then how the cell was placed
 * (label, order, or empty), inferred (0/1), src_table, src_row, src_col
 * and src_line (empty where they do not apply).  Returns 0, OGI_EIO on a write
 * error, OGI_EINVAL for another format, or the store's error.
 */
int export_write(struct store *st, const struct report_filter *f, FILE *out,
		 enum table_format fmt, unsigned flags, struct err *err);

#endif
