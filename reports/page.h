#ifndef OGI_PAGE_H
#define OGI_PAGE_H
/*
 * One report's page, the supervisor's view (ogi report show ID --format
 * html, and each report of a site): the body, the year, links to the
 * original page and its attachments, the three tables laid out as the
 * form prints them with every cell as read (its published text and how
 * it was placed on hover), the cells of each finding of the rules
 * highlighted with the rule in the form's words and the values, cells
 * placed by the form's order of rows marked, and the findings listed.
 * The findings are those check_report() finds now (with the previous
 * year's report for YEAR-CARRY), so the page needs no write to the
 * warehouse.
 */
#include <stdint.h>

#include "reports/model.h"
#include "util/buf.h"

/* Appends the whole page to b; 0 or an error code with err set (OGI_ENOTFOUND: no such report). */
int page_report(struct buf *b, struct store *st, int64_t report_id, const struct rq *q,
		struct err *err);

#endif
