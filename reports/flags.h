#ifndef OGI_FLAGS_H
#define OGI_FLAGS_H
/*
 * ogi report flags: for supervisors, every report with stored findings of
 * the consistency rules (ogi check; ingest stores them), one row per
 * report with its counts by kind and the rules it breaks, and, in the same
 * (body, year) order, each report whose tables are images (query_images():
 * nothing to check until an OCR step reads them) and each body of the
 * selection with no report for a year (see query_gaps()).
 */
#include "reports/model.h"
#include "reports/section.h"

#define FLAGS_STATUS_FLAGGED "flagged"
#define FLAGS_STATUS_MISSING "no report"
#define FLAGS_STATUS_IMAGES "tables are images"

int flags_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err);

#endif
