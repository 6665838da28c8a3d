#ifndef OGI_REVIEW_H
#define OGI_REVIEW_H
/*
 * ogi report review: table 4 (行政复议、行政诉讼) per body and year, one
 * row per block (administrative review, lawsuits without and after
 * review): its columns and the share of decisions corrected.
 */
#include "reports/model.h"
#include "reports/section.h"

int review_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err);

#endif
