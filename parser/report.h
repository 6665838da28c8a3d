#ifndef OGI_REPORT_H
#define OGI_REPORT_H
/*
 * One annual report as read from a page: who published it, for which year,
 * in which format, and every figure of tables 2, 3 and 4 under the
 * canonical keys of parser/format.h.  A report owns all its strings.
 */
#include <stddef.h>

#include "parser/format.h"

enum report_status {
	RS_COMPLETE,	/* every field of tables 2, 3 and 4 was read */
	RS_PARTIAL,	/* some tables or rows are missing: see report.missing */
	RS_NO_TABLES	/* no readable table (images, attachment only, free text) */
};

enum value_state {
	VAL_ABSENT = 0,	/* not found on the page: never counted as 0 */
	VAL_BLANK,	/* the cell is there and empty */
	VAL_NUMBER,	/* a number, normalised into num */
	VAL_INVALID	/* the cell holds text that is not a number */
};

struct report_value {
	enum value_state state;
	double num;
	char *raw;		/* the cell's text as published (NULL when absent) */
};

/* A figure the narrative text states (see fmt_claims()). */
struct report_claim {
	const struct fmt_claim *claim;
	double value;
	char *raw;		/* the sentence fragment it was read from */
};

struct report {
	char *organization;
	char *level;		/* province, city, county, township, department, or NULL */
	char *parent;		/* e.g. "晋江市", or NULL */
	char *title;
	char *published;	/* YYYY-MM-DD or NULL */
	char *charset;		/* the page's encoding as detected */
	int year;		/* 0 when unknown */
	enum fmt_version format;
	enum report_status status;
	char *missing;		/* what could not be read, e.g. "t4; t3:total", or NULL */
	struct report_value *values;	/* indexed like fmt_fields(format) */
	size_t nvalues;
	struct report_claim *claims;
	size_t nclaims;
};

const char *report_status_name(enum report_status s);	/* "complete", "partial", "no_tables" */
int report_status_parse(const char *s, enum report_status *out);

void report_init(struct report *r);
/* Frees everything r owns; r can be reused after report_init(). */
void report_release(struct report *r);
/* Sizes r->values for version v (all VAL_ABSENT), dropping any old values. */
void report_set_format(struct report *r, enum fmt_version v);
/* The value at (table, row, col), or NULL when the format has no such field. */
const struct report_value *report_get(const struct report *r, int table, const char *row,
				      const char *col);
/* Sets field i of r's format; takes a copy of raw. */
void report_set_value(struct report *r, size_t i, enum value_state st, double num,
		      const char *raw);
void report_add_claim(struct report *r, const struct fmt_claim *c, double value, const char *raw);

#endif
