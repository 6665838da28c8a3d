#ifndef OGI_REFUSALS_H
#define OGI_REFUSALS_H
/*
 * ogi report refusals: each refusal ground (refused.*, unable.*,
 * rejected.*) per body and year, as a count and as a share of the requests
 * handled, and the same summed over every body selected, per year.
 */
#include "reports/model.h"
#include "reports/section.h"

int refusals_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err);

#endif
