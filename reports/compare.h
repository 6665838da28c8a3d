#ifndef OGI_COMPARE_H
#define OGI_COMPARE_H
/*
 * ogi report compare: the bodies selected side by side for one year (the
 * last of q->f's years, or the last year they have reports for), ranked by
 * a measure (q->by, default new requests), with a (total) row; with a
 * range of years A-B also the change of that measure since A.
 */
#include "reports/model.h"
#include "reports/section.h"

int compare_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err);

/*
 * The measures compare can rank by, comma-separated, for --help and
 * error messages; caller frees.
 */
char *compare_measures(void);

#endif
