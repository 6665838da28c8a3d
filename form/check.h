#ifndef OGI_CHECK_H
#define OGI_CHECK_H
/*
 * The consistency rules (勾稽关系) of the format, as a table in check.c.
 * Pure functions of reports: the caller loads them and stores findings.
 */
#include <stddef.h>

#include "form/report.h"
#include "util/buf.h"

enum finding_kind {
	FK_CONTRADICTION,	/* the figures disagree */
	FK_BLANK,		/* the rule fails only because a required cell is blank */
	FK_TEXT,		/* the narrative states another figure than the table */
	FK_REVIEW		/* fails, but reads a figure OCR is not sure of: to review, not a finding */
};

struct finding {
	const char *rule;	/* "T3-BALANCE", static */
	enum finding_kind kind;
	char *where;		/* "column natural_person", "row granted", "block review", ... */
	char *cells;		/* the cells involved, space-separated "t3:new/natural_person" */
	char *expected_expr;	/* "new+carried_over" */
	double expected;
	char *found_expr;	/* "total+carried_forward" */
	double found;
	char *message;		/* one line for people */
};

struct finding_list {
	struct finding *items;
	size_t n, alloc;
};

/* "contradiction", "blank", "text", "review" */
const char *finding_kind_name(enum finding_kind k);
int finding_kind_parse(const char *s, enum finding_kind *out);

/* Rule ids in the order they run, NULL-terminated. */
const char *const *check_rule_ids(void);

/*
 * Runs every rule on r and appends findings to out.  prev is the same
 * body's report for year-1, or NULL (YEAR-CARRY is then skipped).
 */
void check_report(const struct report *r, const struct report *prev, struct finding_list *out);
/*
 * The same in two parts, for a caller that checks a report where it is
 * read and compares it with its neighbours where they are stored:
 * check_within() runs the rules that read r alone, check_across() those
 * that compare it with prev (nothing when prev is NULL).  Together they
 * find what check_report() finds.  check_across_rules() names the rules
 * across years (NULL-terminated), check_across_table() the one table they
 * read in both reports, and check_across_rows() its rows they read (FR_*
 * flags) in the year's report (prev 0) and in the year before's (prev 1).
 */
void check_within(const struct report *r, struct finding_list *out);
void check_across(const struct report *r, const struct report *prev, struct finding_list *out);
const char *const *check_across_rules(void);
int check_across_table(void);
unsigned check_across_rows(int prev);

/*
 * Judges the figures of r read by OCR (value.ocr.read): one is accepted
 * when an equation of the form between r's own cells (a row, column or
 * block total) holds with it, or when no such equation reads it and
 * Tesseract's confidence is at least CHECK_OCR_SURE; else it is marked
 * uncertain.  A report with uncertain figures is at most RS_PARTIAL, its
 * missing saying "ocr: N uncertain".  Returns N.  The rules then report a
 * failure that reads an uncertain figure as FK_REVIEW, never as a finding
 * against the body.
 */
#define CHECK_OCR_SURE 90
size_t check_ocr(struct report *r);

/*
 * People's words (the form's labels, not the keys; en: the keys), appended to out:
 *
 * check_rule_words()  what rule id asserts, from the rules table and the
 *     format's labels: "每列：新收 + 上年结转 = 办理合计 + 结转下年"; nothing for an
 *     unknown id.
 * check_explain()     a finding of r with its cells' labels and values:
 *     "自然人：新收 + 上年结转 = 办理合计 + 结转下年：0 + 6 ≠ 0 + 0" (the
 *     values of the previous year's report, which r does not hold, as their sum).
 * check_kind_words()  "数字矛盾", "空白单元格", "正文与表格不符".
 */
void check_rule_words(const char *id, int en, struct buf *out);
void check_explain(const struct finding *f, const struct report *r, int en, struct buf *out);
const char *check_kind_words(enum finding_kind k, int en);
/*
 * The fields of r (indexes into r->values) that finding f names, the
 * previous year's cells left out; at most max into idx; returns how many.
 */
size_t check_finding_fields(const struct finding *f, const struct report *r, size_t *idx,
			    size_t max);
/* The label of field i of format v for people: "新收·自然人", "行政复议·结果维持", "规章·本年制发件数". */
void check_field_words(enum fmt_version v, size_t i, int en, struct buf *out);

void finding_list_init(struct finding_list *l);
void finding_list_release(struct finding_list *l);
/* Appends a finding; copies the strings. */
void finding_list_add(struct finding_list *l, const char *rule, enum finding_kind kind,
		      const char *where, const char *cells, const char *expected_expr,
		      double expected, const char *found_expr, double found, const char *message);

#endif
