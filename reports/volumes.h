#ifndef OGI_VOLUMES_H
#define OGI_VOLUMES_H
/*
 * ogi report volumes: per body and year, the requests received (new and
 * carried over, by type of applicant), how they ended, the rates, and the
 * table-2 figures.  The rules are those of reports/model.h.
 */
#include "reports/model.h"
#include "reports/section.h"

/* Fills out (initialised by the caller); 0 or an error code with err set. */
int volumes_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err);

#endif
