#include "form/check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ascii.h"
#include "util/buf.h"
#include "util/once.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Every string of a finding is built from the format's keys, numbers and at
 * most RAW_MAX bytes of a published cell, so this bound is never reached in
 * practice; it only keeps a broken table from building without limit.
 */
#define TEXT_MAX (64 * 1024)
#define RAW_MAX 48

/* How a rule walks the figures of a report. */
enum shape {
	SH_COLUMNS,	/* per column: sum of the lhs rows == sum of the rhs rows */
	SH_ROWS,	/* per selected row: sum of the lhs columns == sum of the rhs columns */
	SH_CELLS,	/* per value: the range its value_kind allows */
	SH_CARRY,	/* per column: prev's lhs rows == this report's rhs rows */
	SH_CLAIMS	/* per claim: the stated figure == its rows' lhs (else rhs) columns */
};

/*
 * One consistency rule.  Rows and columns are selected by the FR_* and FC_*
 * flags of form/format.h, never by key, so a rule follows the format
 * table (e.g. the 2019 'other' row and the 2021 'other.*' rows both carry
 * FR_OUTCOME).  lhs is the expected side, rhs the found side.
 */
struct rule {
	const char *id;
	enum shape shape;
	int table;		/* the table whose rows the rule reads (0: every table) */
	unsigned rows;		/* SH_ROWS: FR_* a row needs to be checked; 0 for every row */
	unsigned lhs;		/* FR_* for SH_COLUMNS/SH_CARRY, FC_* for SH_ROWS/SH_CLAIMS */
	unsigned rhs;
	const char *noun;	/* what "where" names: "column", "row", "block", ... */
};

static const struct rule rules[] = {
	{ "T3-BALANCE", SH_COLUMNS, 3, 0, FR_INFLOW, FR_TOTAL | FR_OUTFLOW, "column" },
	{ "T3-ROWSUM", SH_ROWS, 3, 0, FC_TOTAL, FC_APPLICANT, "row" },
	{ "T3-OUTCOMES", SH_COLUMNS, 3, 0, FR_TOTAL, FR_OUTCOME, "column" },
	{ "T4-BLOCK", SH_ROWS, 4, FR_T4, FC_TOTAL, FC_PART, "block" },
	{ "NONNEG", SH_CELLS, 0, 0, 0, 0, "cell" },
	/* lhs rows are read in the previous year's report, rhs rows in this one. */
	{ "YEAR-CARRY", SH_CARRY, 3, 0, FR_OUTFLOW, FR_CARRIED_IN, "column" },
	/* a row's lhs (total) column, or the sum of its rhs columns when that is blank */
	{ "TEXT-TABLE", SH_CLAIMS, 3, 0, FC_TOTAL, FC_APPLICANT, "claim" },
};

/* Which rules run_rules() runs: those within one report, those across years. */
enum { RULES_WITHIN = 1, RULES_ACROSS = 2 };

static unsigned rule_kind(const struct rule *ru)
{
	return ru->shape == SH_CARRY ? RULES_ACROSS : RULES_WITHIN;
}

static const char *const kind_names[] = {
	[FK_CONTRADICTION] = "contradiction",
	[FK_BLANK] = "blank",
	[FK_TEXT] = "text",
	[FK_REVIEW] = "review",
};

const char *finding_kind_name(enum finding_kind k)
{
	return (unsigned)k < NELEM(kind_names) ? kind_names[k] : "unknown";
}

int finding_kind_parse(const char *s, enum finding_kind *out)
{
	for (size_t i = 0; i < NELEM(kind_names); i++)
		if (!strcmp(s, kind_names[i])) {
			*out = (enum finding_kind)i;
			return 0;
		}
	return -1;
}

/* Filled from rules[] on first use so that an id is written only once. */
static const char *rule_ids[NELEM(rules) + 1], *across_ids[NELEM(rules) + 1];
static struct once rule_ids_made = ONCE_INIT;

static void make_rule_ids(void)
{
	size_t n = 0;

	for (size_t i = 0; i < NELEM(rules); i++) {
		rule_ids[i] = rules[i].id;
		if (rule_kind(&rules[i]) == RULES_ACROSS)
			across_ids[n++] = rules[i].id;
	}
}

const char *const *check_rule_ids(void)
{
	once_run(&rule_ids_made, make_rule_ids);
	return rule_ids;
}

void finding_list_init(struct finding_list *l)
{
	l->items = NULL;
	l->n = l->alloc = 0;
}

void finding_list_release(struct finding_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct finding *f = &l->items[i];

		free(f->where);
		free(f->cells);
		free(f->expected_expr);
		free(f->found_expr);
		free(f->message);
	}
	free(l->items);
	finding_list_init(l);
}

/* A NULL string is stored as "" so that readers never meet NULL. */
static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

void finding_list_add(struct finding_list *l, const char *rule, enum finding_kind kind,
		      const char *where, const char *cells, const char *expected_expr,
		      double expected, const char *found_expr, double found, const char *message)
{
	struct finding *f;

	ALLOC_GROW(l->items, st_add(l->n, 1), l->alloc);
	f = &l->items[l->n++];
	f->rule = rule;
	f->kind = kind;
	f->where = dup_or_empty(where);
	f->cells = dup_or_empty(cells);
	f->expected_expr = dup_or_empty(expected_expr);
	f->expected = expected;
	f->found_expr = dup_or_empty(found_expr);
	f->found = found;
	f->message = dup_or_empty(message);
}

/* ---- reading cells ---- */

/* Whether row belongs to the tables of version v (and to table t, unless t is 0). */
static int row_in(const struct fmt_row *row, enum fmt_version v, int t)
{
	return (row->formats & (unsigned)v) && (!t || row->table == t);
}

/*
 * The value of r at (row, col) and its field key ("new/total"), or NULL
 * when r's format has no such field.  Rows of r's own format are found by
 * identity; others (a previous report in another version) by key.
 */
static const struct report_value *cell_at(const struct report *r, const struct fmt_row *row,
					  const struct fmt_col *col, const char **key)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(r->format, &n);
	long i = -1;

	for (size_t k = 0; k < n; k++)
		if (f[k].row == row && f[k].col == col) {
			i = (long)k;
			break;
		}
	if (i < 0)
		i = fmt_field_index(r->format, row->table, row->key, col->key);
	if (i < 0 || (size_t)i >= r->nvalues)
		return NULL;
	*key = f[i].key;
	return &r->values[i];
}

/* The most cells one side of a rule adds up (the outcome rows of table 3 are 22). */
#define SIDE_MAX 40

/* One side of an equation: its sum, its terms and what kept it from being read. */
struct side {
	double sum;
	int nblank;
	int nterms;
	int skip;		/* an absent or unreadable cell: the instance is not judged */
	int uncertain;		/* cells read by OCR that nothing vouches for (value_ocr) */
	struct buf expr;	/* "new+carried_over" */
	size_t idx[SIDE_MAX];	/* the fields of this report it adds, for check_ocr() */
	size_t nidx;
};

static void side_init(struct side *s)
{
	s->sum = 0;
	s->nblank = s->nterms = s->skip = s->uncertain = 0;
	s->nidx = 0;
	buf_init(&s->expr, TEXT_MAX);
}

static void side_term(struct side *s, const char *prefix, const char *term)
{
	/* Runs for every rule instance, held or not: plain appends, no printf. */
	if (s->nterms++)
		buf_addc(&s->expr, '+');
	buf_adds(&s->expr, prefix);
	buf_adds(&s->expr, term);
}

/*
 * Adds the cell (row, col) of r to s and names it in cells.  A blank reads
 * as 0 and is counted; absent, invalid and non-finite cells make the
 * instance unjudgeable (NONNEG reports the latter two).
 */
static void side_cell(struct side *s, struct buf *cells, const char *prefix,
		      const struct report *r, const struct fmt_row *row, const struct fmt_col *col)
{
	const char *key = NULL;
	const struct report_value *v = cell_at(r, row, col, &key);

	if (!v) {
		s->skip = 1;
		return;
	}
	if (!*prefix && s->nidx < SIDE_MAX)
		s->idx[s->nidx++] = (size_t)(v - r->values);
	s->uncertain += v->ocr.uncertain;
	if (cells->len)
		buf_addc(cells, ' ');
	buf_adds(cells, prefix);
	buf_addc(cells, 't');
	buf_addc(cells, (char)('0' + row->table));	/* tables 2, 3, 4 */
	buf_addc(cells, ':');
	buf_adds(cells, key);
	switch (v->state) {
	case VAL_BLANK:
		s->nblank++;
		break;
	case VAL_NUMBER:
		if (isfinite(v->num))
			s->sum += v->num;
		else
			s->skip = 1;
		break;
	default:
		s->skip = 1;
		break;
	}
}

/* ---- judging and reporting ---- */

struct ctx {
	const struct report *r;
	const struct report *prev;
	struct finding_list *out;
	/*
	 * check_ocr(): instead of findings, which fields an equation reads
	 * (involved) and which one that holds reads (vouched); else NULL.
	 */
	unsigned char *involved, *vouched;
};

static int same(double a, double b)
{
	double scale = fmax(1.0, fmax(fabs(a), fabs(b)));

	return fabs(a - b) <= 1e-9 * scale;
}

/* Numbers as people write them: 6, 25.1, -3. */
static void add_num(struct buf *b, double x)
{
	if (x == 0)
		x = 0;	/* no "-0" */
	buf_addf(b, "%.15g", x);
}

/* Up to RAW_MAX bytes of published text on one line, quoted. */
static void add_raw(struct buf *b, const char *raw)
{
	const char *p = raw ? raw : "", *end = p + strlen(p);
	size_t used = 0;

	buf_addc(b, '\'');
	while (p < end) {
		const char *start = p;
		uint32_t cp;

		if (utf8_decode(&p, end, &cp)) {
			p = start + 1;
			cp = '?';
		}
		if (used + (size_t)(p - start) > RAW_MAX) {
			buf_adds(b, "...");
			break;
		}
		used += (size_t)(p - start);
		if (cp < 0x20 || cp == 0x7f)
			buf_addc(b, '?');
		else
			buf_add(b, start, (size_t)(p - start));
	}
	buf_addc(b, '\'');
}

static void emit(struct ctx *c, const struct rule *ru, enum finding_kind kind, const char *where,
		 const char *cells, const char *lexpr, double lhs, const char *rexpr, double rhs,
		 const char *msg)
{
	finding_list_add(c->out, ru->id, kind, where, cells, lexpr, lhs, rexpr, rhs, msg);
}

/*
 * Records a failed equation lhs == rhs, if it fails and both sides could be
 * read.  It fails "only because of a blank" when the smaller side holds a
 * blank cell: some non-negative figure there would make it hold.  Blanks on
 * the larger side cannot repair it, so that stays a contradiction.
 */
static void judge(struct ctx *c, const struct rule *ru, const char *where, const char *cells,
		  struct side *l, struct side *r)
{
	struct buf msg = BUF_INIT(TEXT_MAX);
	enum finding_kind kind;
	const struct side *small;

	if (c->involved) {
		int holds = !l->skip && !r->skip && l->nterms && r->nterms && same(l->sum, r->sum);

		for (const struct side *s = l; s; s = s == l ? r : NULL)
			for (size_t i = 0; i < s->nidx; i++) {
				c->involved[s->idx[i]] = 1;
				c->vouched[s->idx[i]] |= (unsigned char)holds;
			}
		buf_release(&msg);
		return;
	}
	if (l->skip || r->skip || !l->nterms || !r->nterms || same(l->sum, r->sum))
		return;
	small = l->sum < r->sum ? l : r;
	/* a misreading may be all there is to it: for a person to look at, not against the body */
	kind = l->uncertain || r->uncertain ? FK_REVIEW
		: small->nblank ? FK_BLANK : FK_CONTRADICTION;
	buf_addf(&msg, "%s fails in %s: %s = ", ru->id, where, buf_str(&l->expr));
	add_num(&msg, l->sum);
	buf_addf(&msg, " but %s = ", buf_str(&r->expr));
	add_num(&msg, r->sum);
	if (kind == FK_BLANK)
		buf_adds(&msg, " (blank cells read as 0)");
	emit(c, ru, kind, where, cells, buf_str(&l->expr), l->sum, buf_str(&r->expr), r->sum,
	     buf_str(&msg));
	buf_release(&msg);
}

/* The columns of the first row of table t in version v (all rows of a table share them). */
static const struct fmt_row *first_row(enum fmt_version v, int t)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n);

	for (size_t i = 0; i < n; i++)
		if (row_in(&rows[i], v, t))
			return &rows[i];
	return NULL;
}

/*
 * Adds column col of every row of r's table t flagged with mask to s; prefix
 * names the report the cells come from ("" for this one).
 */
static void side_rows(struct side *s, struct buf *cells, const char *prefix,
		      const struct report *r, int t, unsigned mask, const struct fmt_col *col)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n);

	for (size_t i = 0; i < n; i++)
		if (row_in(&rows[i], r->format, t) && (rows[i].flags & mask)) {
			side_term(s, prefix, rows[i].key);
			side_cell(s, cells, prefix, r, &rows[i], col);
		}
}

/*
 * Per column of the rule's table: the sum of its lhs rows in lr (their
 * cells named with lprefix) against the sum of its rhs rows in c->r.
 * written_only: an instance with a blank cell on either side is not
 * judged (across years a blank proves nothing).
 */
static void per_column(struct ctx *c, const struct rule *ru, const struct report *lr,
		       const char *lprefix, int written_only)
{
	const struct fmt_row *proto = first_row(c->r->format, ru->table);

	if (!proto)
		return;
	for (size_t k = 0; k < proto->ncols; k++) {
		const struct fmt_col *col = &proto->cols[k];
		struct buf cells = BUF_INIT(TEXT_MAX), where = BUF_INIT(TEXT_MAX);
		struct side l, r;

		side_init(&l);
		side_init(&r);
		side_rows(&l, &cells, lprefix, lr, ru->table, ru->lhs, col);
		side_rows(&r, &cells, "", c->r, ru->table, ru->rhs, col);
		if (!written_only || (!l.nblank && !r.nblank)) {
			buf_addf(&where, "%s %s", ru->noun, col->key);
			judge(c, ru, buf_str(&where), buf_str(&cells), &l, &r);
		}
		buf_release(&l.expr);
		buf_release(&r.expr);
		buf_release(&cells);
		buf_release(&where);
	}
}

static void run_columns(struct ctx *c, const struct rule *ru)
{
	per_column(c, ru, c->r, "", 0);
}

/* Adds every column of row flagged with mask to s. */
static void side_cols(struct side *s, struct buf *cells, const struct report *r,
		      const struct fmt_row *row, unsigned mask)
{
	for (size_t k = 0; k < row->ncols; k++)
		if (row->cols[k].flags & mask) {
			side_term(s, "", row->cols[k].key);
			side_cell(s, cells, "", r, row, &row->cols[k]);
		}
}

static void run_rows(struct ctx *c, const struct rule *ru)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n);

	for (size_t i = 0; i < n; i++) {
		const struct fmt_row *row = &rows[i];
		struct buf cells = BUF_INIT(TEXT_MAX), where = BUF_INIT(TEXT_MAX);
		struct side l, r;

		if (!row_in(row, c->r->format, ru->table) || (ru->rows && !(row->flags & ru->rows)))
			continue;
		side_init(&l);
		side_init(&r);
		side_cols(&l, &cells, c->r, row, ru->lhs);
		side_cols(&r, &cells, c->r, row, ru->rhs);
		buf_addf(&where, "%s %s", ru->noun, row->key);
		judge(c, ru, buf_str(&where), buf_str(&cells), &l, &r);
		buf_release(&l.expr);
		buf_release(&r.expr);
		buf_release(&cells);
		buf_release(&where);
	}
}

/* What a value of kind k must be, or NULL when x is one. */
static const char *value_range(enum value_kind k, double x)
{
	int integral;

	if (!isfinite(x))
		return "a finite number";
	integral = floor(x) == x;
	switch (k) {
	case VK_COUNT:
		if (x < 0)
			return ">= 0";
		return integral ? NULL : "integer";
	case VK_WAN:
		return x < 0 ? ">= 0" : NULL;
	case VK_SIGNED:
		return integral ? NULL : "integer";
	}
	return NULL;
}

static void run_cells(struct ctx *c, const struct rule *ru)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(c->r->format, &n);

	for (size_t i = 0; i < n && i < c->r->nvalues; i++) {
		const struct report_value *v = &c->r->values[i];
		struct buf cell = BUF_INIT(TEXT_MAX), where = BUF_INIT(TEXT_MAX);
		struct buf msg = BUF_INIT(TEXT_MAX);
		const char *want;
		double found;

		if (v->state == VAL_INVALID) {
			want = "number";
			found = 0;
		} else if (v->state == VAL_NUMBER) {
			want = value_range(f[i].col->kind, v->num);
			found = v->num;
		} else {
			continue;
		}
		if (!want)
			continue;
		buf_addf(&cell, "t%d:%s", f[i].table, f[i].key);
		buf_addf(&where, "%s %s", ru->noun, buf_str(&cell));
		buf_addf(&msg, "%s fails in %s: expected %s but found ", ru->id, buf_str(&where),
			 want);
		if (v->state == VAL_INVALID)
			add_raw(&msg, v->raw);
		else
			add_num(&msg, found);
		/*
		 * the expected side has no figure: 0, the bound the range names.  A cell
		 * OCR is not sure of (text where a count stands, read as garbage) is a
		 * misreading to look at, as in the equations, not a finding.
		 */
		emit(c, ru, v->ocr.uncertain ? FK_REVIEW : FK_CONTRADICTION, buf_str(&where),
		     buf_str(&cell), want, 0,
		     buf_str(&cell), isfinite(found) ? found : 0, buf_str(&msg));
		buf_release(&cell);
		buf_release(&where);
		buf_release(&msg);
	}
}

static int readable(const struct report *r)
{
	return (r->format == FMT_2019 || r->format == FMT_2021) && r->status != RS_NO_TABLES;
}

static void run_carry(struct ctx *c, const struct rule *ru)
{
	char prefix[32];

	if (!c->prev || !readable(c->prev))
		return;
	/* the previous report's cells are named with the year they belong to */
	if (c->prev->year > 0)
		snprintf(prefix, sizeof(prefix), "%d:", c->prev->year);
	else
		snprintf(prefix, sizeof(prefix), "prev:");
	per_column(c, ru, c->prev, prefix, 1);
}

/*
 * Adds one row's figure for a claim: its lhs (total) column when that is a
 * number, else the sum of its rhs (applicant) columns.
 */
static void claim_row(struct side *s, struct buf *cells, const struct report *r,
		      const struct rule *ru, const struct fmt_row *row)
{
	for (size_t k = 0; k < row->ncols; k++) {
		const char *key = NULL;
		const struct report_value *v;

		if (!(row->cols[k].flags & ru->lhs))
			continue;
		v = cell_at(r, row, &row->cols[k], &key);
		if (v && v->state == VAL_NUMBER) {
			side_cell(s, cells, "", r, row, &row->cols[k]);
			return;
		}
		if (v && v->state == VAL_INVALID) {
			s->skip = 1;
			return;
		}
	}
	for (size_t k = 0; k < row->ncols; k++)
		if (row->cols[k].flags & ru->rhs)
			side_cell(s, cells, "", r, row, &row->cols[k]);
}

/*
 * Adds the rows a claim names (fmt_claim.rows: row keys, or "group:<g>"
 * for every row of outcome group g).  A name that matches no row of the
 * report's format makes the claim unjudgeable.
 */
static void claim_rows(struct side *s, struct buf *cells, const struct report *r,
		       const struct rule *ru, const char *spec)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n);
	struct fmt_row_name name;

	while (fmt_next_row_name(&spec, &name)) {
		int matched = 0;

		for (size_t i = 0; i < n; i++) {
			const struct fmt_row *row = &rows[i];

			if (!row_in(row, r->format, ru->table) || !fmt_row_named(row, &name))
				continue;
			matched = 1;
			side_term(s, "", row->key);
			claim_row(s, cells, r, ru, row);
		}
		if (!matched)
			s->skip = 1;
	}
}

static void run_claims(struct ctx *c, const struct rule *ru)
{
	for (size_t i = 0; i < c->r->nclaims; i++) {
		const struct report_claim *rc = &c->r->claims[i];
		const struct fmt_claim *fc = rc->claim;
		struct buf cells = BUF_INIT(TEXT_MAX), where = BUF_INIT(TEXT_MAX);
		struct buf lexpr = BUF_INIT(TEXT_MAX), msg = BUF_INIT(TEXT_MAX);
		struct side s;

		if (!fc || !fc->rows || !fc->key || !isfinite(rc->value))
			continue;
		side_init(&s);
		claim_rows(&s, &cells, c->r, ru, fc->rows);
		if (!s.skip && s.nterms && !same(rc->value, s.sum)) {
			buf_addf(&where, "%s %s", ru->noun, fc->key);
			buf_addf(&lexpr, "text:%s", fc->key);
			buf_addf(&msg, "%s fails in %s: the text states %s ", ru->id,
				 buf_str(&where), fc->label ? fc->label : fc->key);
			add_num(&msg, rc->value);
			buf_addf(&msg, " but %s = ", buf_str(&s.expr));
			add_num(&msg, s.sum);
			emit(c, ru, FK_TEXT, buf_str(&where), buf_str(&cells), buf_str(&lexpr),
			     rc->value, buf_str(&s.expr), s.sum, buf_str(&msg));
		}
		buf_release(&s.expr);
		buf_release(&cells);
		buf_release(&where);
		buf_release(&lexpr);
		buf_release(&msg);
	}
}

static void run_rules(const struct report *r, const struct report *prev, unsigned which,
		      struct finding_list *out)
{
	struct ctx c = { r, prev, out, NULL, NULL };

	/* a report without tables has nothing to check; its status says so */
	if (!readable(r) || !r->nvalues)
		return;
	for (size_t i = 0; i < NELEM(rules); i++) {
		const struct rule *ru = &rules[i];

		if (!(rule_kind(ru) & which))
			continue;
		switch (ru->shape) {
		case SH_COLUMNS:
			run_columns(&c, ru);
			break;
		case SH_ROWS:
			run_rows(&c, ru);
			break;
		case SH_CELLS:
			run_cells(&c, ru);
			break;
		case SH_CARRY:
			run_carry(&c, ru);
			break;
		case SH_CLAIMS:
			run_claims(&c, ru);
			break;
		}
	}
}

void check_report(const struct report *r, const struct report *prev, struct finding_list *out)
{
	run_rules(r, prev, RULES_WITHIN | RULES_ACROSS, out);
}

void check_within(const struct report *r, struct finding_list *out)
{
	run_rules(r, NULL, RULES_WITHIN, out);
}

void check_across(const struct report *r, const struct report *prev, struct finding_list *out)
{
	run_rules(r, prev, RULES_ACROSS, out);
}

const char *const *check_across_rules(void)
{
	once_run(&rule_ids_made, make_rule_ids);
	return across_ids;
}

int check_across_table(void)
{
	for (size_t i = 0; i < NELEM(rules); i++)
		if (rule_kind(&rules[i]) == RULES_ACROSS)
			return rules[i].table;
	return 0;
}

unsigned check_across_rows(int prev)
{
	unsigned rows = 0;

	for (size_t i = 0; i < NELEM(rules); i++)
		if (rule_kind(&rules[i]) == RULES_ACROSS)
			rows |= prev ? rules[i].lhs : rules[i].rhs;
	return rows;
}

size_t check_ocr(struct report *r)
{
	unsigned char *involved, *vouched;
	struct ctx c = { r, NULL, NULL, NULL, NULL };
	size_t n = 0;

	if (!r->nvalues)
		return 0;
	c.involved = involved = xcalloc(r->nvalues, 1);
	c.vouched = vouched = xcalloc(r->nvalues, 1);
	/* the form's arithmetic: the equations between a report's own cells */
	for (size_t i = 0; i < NELEM(rules); i++) {
		if (rules[i].shape == SH_COLUMNS)
			run_columns(&c, &rules[i]);
		else if (rules[i].shape == SH_ROWS)
			run_rows(&c, &rules[i]);
	}
	for (size_t i = 0; i < r->nvalues; i++) {
		struct report_value *v = &r->values[i];
		int sure = v->state != VAL_INVALID && !involved[i] && v->ocr.conf >= CHECK_OCR_SURE;

		if (!v->ocr.read)
			continue;
		v->ocr.uncertain = !vouched[i] && !sure;
		n += v->ocr.uncertain;
	}
	free(involved);
	free(vouched);
	if (n) {
		struct buf m = BUF_INIT(TEXT_MAX);

		if (r->status == RS_COMPLETE)
			r->status = RS_PARTIAL;
		if (r->missing && *r->missing)
			buf_addf(&m, "%s; ", r->missing);
		buf_addf(&m, "ocr: %zu uncertain", n);
		free(r->missing);
		r->missing = buf_take(&m);
	}
	return n;
}

/* ---- the rules and findings in people's words ---- */

static const struct rule *rule_by_id(const char *id)
{
	for (size_t i = 0; i < NELEM(rules); i++)
		if (id && !strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

const char *check_kind_words(enum finding_kind k, int en)
{
	static const char *const zh[] = {
		[FK_CONTRADICTION] = "数字矛盾",
		[FK_BLANK] = "空白单元格",
		[FK_TEXT] = "正文与表格不符",
		[FK_REVIEW] = "待核对（OCR）",
	};

	if (en || (unsigned)k >= NELEM(zh))
		return finding_kind_name(k);
	return zh[k];
}

/* A row's name in a sum: its group's for a ground ("不予公开"), else its own. */
static const char *term_name(const struct fmt_row *row, int en)
{
	if (en)
		return row->group ? row->group : row->key;
	return fmt_short_label(row->group ? row->group : row->key);
}

/* The rows of table 3 flagged mask, both formats, each name once, joined with " + ". */
static void add_row_terms(struct buf *out, unsigned mask, int en)
{
	size_t n, k = 0;
	const struct fmt_row *rows = fmt_rows(&n);
	const char *seen[32];

	for (size_t i = 0; i < n; i++) {
		const char *name;
		int dup = 0;

		if (rows[i].table != 3 || !(rows[i].flags & mask))
			continue;
		name = term_name(&rows[i], en);
		for (size_t j = 0; j < k; j++)
			dup |= !strcmp(seen[j], name);
		if (dup || k == NELEM(seen))
			continue;
		buf_addf(out, "%s%s", k ? " + " : "", name);
		seen[k++] = name;
	}
}

/* The columns of the first row of table t with row flags rows, whose flags have mask. */
static void add_col_terms(struct buf *out, int t, unsigned rowmask, unsigned mask, int en)
{
	size_t n, k = 0;
	const struct fmt_row *rows = fmt_rows(&n);

	for (size_t i = 0; i < n; i++) {
		if (rows[i].table != t || (rowmask && !(rows[i].flags & rowmask)))
			continue;
		for (size_t c = 0; c < rows[i].ncols; c++)
			if (rows[i].cols[c].flags & mask)
				buf_addf(out, "%s%s", k++ ? " + " : "",
					 en ? rows[i].cols[c].key : rows[i].cols[c].label);
		return;
	}
}

void check_rule_words(const char *id, int en, struct buf *out)
{
	const struct rule *ru = rule_by_id(id);

	if (!ru)
		return;
	switch (ru->shape) {
	case SH_COLUMNS:
		buf_adds(out, en ? "per column: " : "每列：");
		add_row_terms(out, ru->lhs, en);
		buf_adds(out, " = ");
		add_row_terms(out, ru->rhs, en);
		break;
	case SH_ROWS:
		buf_adds(out, en ? (ru->table == 4 ? "per block: " : "per row: ")
				 : (ru->table == 4 ? "每类：" : "每行："));
		add_col_terms(out, ru->table, ru->rows, ru->lhs, en);
		buf_adds(out, " = ");
		add_col_terms(out, ru->table, ru->rows, ru->rhs, en);
		break;
	case SH_CELLS:
		buf_adds(out, en ? "counts are non-negative integers, amounts non-negative"
				 : "各栏件数为非负整数，金额不为负");
		break;
	case SH_CARRY:
		buf_adds(out, en ? "per column: " : "每列：");
		add_row_terms(out, ru->rhs, en);
		buf_adds(out, en ? " = the previous year's " : " = 上一年度报告的");
		add_row_terms(out, ru->lhs, en);
		break;
	case SH_CLAIMS:
		buf_adds(out, en ? "figures the text states = the table's" : "正文所述数字 = 表中数字");
		break;
	}
}

void check_field_words(enum fmt_version v, size_t i, int en, struct buf *out)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(v, &n);

	if (i >= n)
		return;
	if (en) {
		buf_adds(out, f[i].key);
		return;
	}
	buf_addf(out, "%s·%s",
		 f[i].table == 2 ? f[i].row->label : fmt_short_label(f[i].row->key),
		 f[i].col->label);
}

/* One cell a finding names: "t3:new/total", or "2022:t3:carried_forward/total" from prev. */
struct named_cell {
	int prev;
	long field;		/* index among fmt_fields(r->format), -1 when not found */
	const struct fmt_row *row;
	const struct fmt_col *col;
};

static size_t parse_cells(const char *cells, const struct report *r, struct named_cell *out,
			  size_t max)
{
	size_t n = 0, nf;
	const struct fmt_field *f = fmt_fields(r->format, &nf);
	const char *p = cells ? cells : "";

	while (n < max) {
		const char *tok, *colon, *key;
		size_t len;
		int table;

		if (!(tok = ascii_next_word(&p, &len)))
			break;
		out[n].prev = 0;
		out[n].field = -1;
		out[n].row = NULL;
		out[n].col = NULL;
		/* a year (or "prev") and ':' first: a cell of the previous year's report */
		colon = memchr(tok, ':', len);
		if (colon && colon[1] != ':' && tok[0] != 't') {
			out[n].prev = 1;
			len -= (size_t)(colon + 1 - tok);
			tok = colon + 1;
		}
		if (len < 4 || tok[0] != 't' || tok[2] != ':') {
			n++;
			continue;
		}
		table = tok[1] - '0';
		key = tok + 3;
		for (size_t i = 0; i < nf; i++)
			if (f[i].table == table && strlen(f[i].key) == len - 3 &&
			    !memcmp(f[i].key, key, len - 3)) {
				out[n].field = (long)i;
				out[n].row = f[i].row;
				out[n].col = f[i].col;
				break;
			}
		if (out[n].field < 0 && out[n].prev) {
			/* the previous report's format may differ: find the row and column by key */
			size_t nrows;
			const struct fmt_row *rows = fmt_rows(&nrows);
			const char *slash = memchr(key, '/', len - 3);

			for (size_t i = 0; slash && i < nrows && !out[n].row; i++)
				if (rows[i].table == table &&
				    strlen(rows[i].key) == (size_t)(slash - key) &&
				    !memcmp(rows[i].key, key, (size_t)(slash - key)))
					out[n].row = &rows[i];
		}
		n++;
	}
	return n;
}

size_t check_finding_fields(const struct finding *f, const struct report *r, size_t *idx,
			    size_t max)
{
	struct named_cell cells[64];
	size_t n = parse_cells(f->cells, r, cells, NELEM(cells)), k = 0;

	for (size_t i = 0; i < n && k < max; i++)
		if (!cells[i].prev && cells[i].field >= 0)
			idx[k++] = (size_t)cells[i].field;
	return k;
}

/* A cell's value as read: a blank counts 0; NaN when absent or not a number. */
static double named_value(const struct named_cell *c, const struct report *r)
{
	const struct report_value *v;

	if (c->prev || c->field < 0 || (size_t)c->field >= r->nvalues)
		return NAN;
	v = &r->values[c->field];
	if (v->state == VAL_BLANK)
		return 0;
	return v->state == VAL_NUMBER ? v->num : NAN;
}

static void add_value(struct buf *out, double x)
{
	if (isnan(x))
		buf_adds(out, "?");
	else
		add_num(out, x);
}

/*
 * One side of an equation, the terms of a row rule by column, the others
 * by row (a ground's rows merged into their group): "新收 + 上年结转" into
 * names and "0 + 6" into vals; the side's sum when a value is not known.
 */
static void explain_side(const struct named_cell *c, size_t n, int by_col,
			 const struct report *r, double sum, int en, struct buf *names,
			 struct buf *vals)
{
	struct buf v = BUF_INIT(TEXT_MAX);
	int unknown = 0;
	size_t k = 0;

	for (size_t i = 0; i < n;) {
		const char *name = "?";
		size_t j = i + 1;
		double x = 0;

		if (by_col && c[i].col) {
			name = en ? c[i].col->key : c[i].col->label;
		} else if (c[i].row) {
			name = term_name(c[i].row, en);
			/* a row's cells (its applicant columns), a group's grounds: one term */
			while (j < n && c[j].row &&
			       (c[j].row == c[i].row ||
				(c[i].row->group && c[j].row->group &&
				 !strcmp(c[i].row->group, c[j].row->group))))
				j++;
		}
		for (size_t m = i; m < j; m++)
			x += named_value(&c[m], r);
		unknown |= isnan(x);
		buf_addf(names, "%s%s", k ? " + " : "", name);
		if (k)
			buf_adds(&v, " + ");
		add_value(&v, x);
		k++;
		i = j;
	}
	if (unknown || k == 1)
		add_num(vals, sum);
	else
		buf_adds(vals, buf_str(&v));
	buf_release(&v);
}

/* What a NONNEG finding expected, in words. */
static const char *range_words(const char *want, int en)
{
	static const struct {
		const char *want, *zh;
	} words[] = {
		{ ">= 0", "非负数" }, { "integer", "整数" }, { "number", "数字" },
		{ "a finite number", "有限数" },
	};

	if (!en)
		for (size_t i = 0; i < NELEM(words); i++)
			if (!strcmp(words[i].want, want))
				return words[i].zh;
	return want;
}

static size_t count_terms(const char *expr)
{
	size_t n = *expr ? 1 : 0;

	for (const char *p = expr; *p; p++)
		n += *p == '+';
	return n;
}

void check_explain(const struct finding *f, const struct report *r, int en, struct buf *out)
{
	const struct rule *ru = rule_by_id(f->rule);
	struct named_cell cells[64];
	size_t n = parse_cells(f->cells, r, cells, NELEM(cells)), nl;
	struct buf ln = BUF_INIT(TEXT_MAX), lv = BUF_INIT(TEXT_MAX);
	struct buf rn = BUF_INIT(TEXT_MAX), rv = BUF_INIT(TEXT_MAX);
	const char *where = f->where ? strchr(f->where, ' ') : NULL;
	const char *key = where ? where + 1 : "";

	if (!ru) {
		buf_adds(out, f->message ? f->message : "");
		goto out;
	}
	switch (ru->shape) {
	case SH_COLUMNS:
	case SH_CARRY:
	case SH_ROWS: {
		int by_col = ru->shape == SH_ROWS;
		const char *prefix = NULL;

		nl = count_terms(f->expected_expr);
		if (nl > n)
			nl = n;
		explain_side(cells, nl, by_col, r, f->expected, en, &ln, &lv);
		explain_side(cells + nl, n - nl, by_col, r, f->found, en, &rn, &rv);
		if (by_col && !en)
			prefix = fmt_short_label(key);
		else if (!en)
			prefix = fmt_col_label(3, key);
		buf_addf(out, "%s%s", prefix ? prefix : key, en ? ": " : "：");
		if (ru->shape == SH_CARRY) {
			/* this year's figure against the previous report's */
			buf_addf(out, en ? "%s %s ≠ the previous year's %s %s"
					 : "%s %s ≠ 上一年度报告的%s %s",
				 buf_str(&rn), buf_str(&rv), buf_str(&ln), buf_str(&lv));
			break;
		}
		buf_addf(out, "%s = %s%s%s ≠ %s", buf_str(&ln), buf_str(&rn), en ? ": " : "：",
			 buf_str(&lv), buf_str(&rv));
		break;
	}
	case SH_CELLS:
		if (n && cells[0].field >= 0)
			check_field_words(r->format, (size_t)cells[0].field, en, out);
		else
			buf_adds(out, key);
		buf_addf(out, en ? ": expected %s, found " : "：应为%s，实为",
			 range_words(f->expected_expr, en));
		if (n && cells[0].field >= 0 && (size_t)cells[0].field < r->nvalues &&
		    r->values[cells[0].field].state == VAL_INVALID)
			add_raw(out, r->values[cells[0].field].raw);
		else
			add_num(out, f->found);
		break;
	case SH_CLAIMS: {
		size_t nclaims;
		const struct fmt_claim *claims = fmt_claims(&nclaims);
		const char *label = key;

		for (size_t i = 0; i < nclaims; i++)
			if (!strcmp(claims[i].key, key))
				label = en ? claims[i].key : claims[i].label;
		explain_side(cells, n, 0, r, f->found, en, &rn, &rv);
		buf_addf(out, en ? "the text states %s " : "正文称%s", label);
		add_num(out, f->expected);
		buf_addf(out, en ? ", the table: %s = %s" : "件，表中%s = %s", buf_str(&rn),
			 buf_str(&rv));
		break;
	}
	}
	if (f->kind == FK_BLANK)
		buf_adds(out, en ? " (blank cells read as 0)" : "（空白栏按0计）");
out:
	buf_release(&ln);
	buf_release(&lv);
	buf_release(&rn);
	buf_release(&rv);
}
