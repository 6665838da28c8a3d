#ifndef OGI_SITE_H
#define OGI_SITE_H
/*
 * ogi report site DIR: a static site of the selection, every file plain
 * HTML or CSV with relative links, so that it works from file:// and from
 * any web server, with no script:
 *
 *   DIR/index.html         the group's overview (the default year's
 *                          charts and tables, like-for-like change since
 *                          the year before, which body reports when) and
 *                          the flags
 *   DIR/bodies/ID.html     a body: its years side by side, its trends,
 *                          how its requests ended year by year
 *   DIR/reports/ID.html    a report: page_report()
 *   DIR/data/NAME.csv      the data behind every chart
 *
 * ID is the warehouse's body or report id.
 */
#include "reports/model.h"

struct site_stats {
	size_t pages, bodies, reports, files;
};

/* Writes the site of q's selection into dir (made if missing); 0 or an error code with err. */
int site_write(struct store *st, const struct rq *q, const char *dir, struct site_stats *stats,
	       struct err *err);

#endif
