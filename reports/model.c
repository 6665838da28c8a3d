#include "reports/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "util/ascii.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The few names the reports choose, each checked against the format table
 * on first use: a name the table lacks is a bug here, not bad input.
 */

/* The outcome groups that are refusal grounds (不予公开, 无法提供, 不予处理). */
static const char *const refusal_groups[] = { "refused", "unable", "rejected" };

/* The table-4 column whose share of the block total the review report shows. */
static const char t4_share_col[] = "corrected";

static void bug(const char *what, const char *name)
{
	fprintf(stderr, "ogi: reports: %s '%s' is not in the format table\n", what, name);
	abort();
}

/* ---- cells ---- */

/* Per format (2019, 2021): the index of each fmt_rows() row's first field, or -1. */
static long *first_field[2];

static int fmt_slot(enum fmt_version v)
{
	return v == FMT_2019 ? 0 : v == FMT_2021 ? 1 : -1;
}

static long row_base(enum fmt_version v, const struct fmt_row *row)
{
	size_t nrows;
	const struct fmt_row *rows = fmt_rows(&nrows);
	int slot = fmt_slot(v);
	size_t ri;

	if (slot < 0 || row < rows || row >= rows + nrows)
		return -1;
	if (!first_field[slot]) {
		size_t n;
		const struct fmt_field *f = fmt_fields(v, &n);
		long *t = xmalloc(st_mult(nrows, sizeof(*t)));

		for (size_t i = 0; i < nrows; i++)
			t[i] = -1;
		for (size_t i = 0; i < n; i++) {
			size_t k = (size_t)(f[i].row - rows);

			if (t[k] < 0)
				t[k] = (long)i;
		}
		first_field[slot] = t;
	}
	ri = (size_t)(row - rows);
	return first_field[slot][ri];
}

/* The value of r at (row, column col of row), or NULL when r's format has no such cell. */
static const struct report_value *cell(const struct report *r, const struct fmt_row *row,
				       size_t col)
{
	long base = row_base(r->format, row);

	if (base < 0 || (size_t)base + col >= r->nvalues)
		return NULL;
	return &r->values[(size_t)base + col];
}

/* A single cell as the reports count it: blank is 0, absent and invalid are blank (NaN). */
static double cell_count(const struct report_value *v)
{
	if (!v)
		return NAN;
	if (v->state == VAL_NUMBER)
		return v->num;
	return v->state == VAL_BLANK ? 0 : NAN;
}

double model_row_figure(const struct report *r, const struct fmt_row *row, unsigned lhs,
			unsigned rhs)
{
	double sum = 0;
	int terms = 0;

	for (size_t c = 0; c < row->ncols; c++) {
		const struct report_value *v;

		if (!(row->cols[c].flags & lhs))
			continue;
		v = cell(r, row, c);
		if (v && v->state == VAL_NUMBER)
			return v->num;
		if (v && v->state == VAL_INVALID)
			return NAN;
		break;
	}
	for (size_t c = 0; c < row->ncols; c++) {
		double x;

		if (!(row->cols[c].flags & rhs))
			continue;
		x = cell_count(cell(r, row, c));
		if (isnan(x))
			return NAN;
		sum += x;
		terms++;
	}
	return terms ? sum : NAN;
}

/* ---- the model ---- */

void model_init(struct model *md)
{
	memset(md, 0, sizeof(*md));
}

void model_release(struct model *md)
{
	for (size_t i = 0; i < md->n; i++) {
		free(md->rows[i].organization);
		free(md->rows[i].level);
		free(md->rows[i].parent);
		free(md->rows[i].location);
		free(md->rows[i].fetched_at);
		free(md->rows[i].v);
	}
	free(md->rows);
	free(md->m);
	model_init(md);
}

long model_find(const struct model *md, const char *name)
{
	for (size_t i = 0; i < md->nm; i++)
		if (!strcmp(md->m[i].name, name))
			return (long)i;
	return -1;
}

/* A key as a column name: '.' and '/' as '_' (as the pivoted views name theirs). */
static void set_name(struct measure *m, const char *a, const char *b)
{
	char *p;

	if (b)
		snprintf(m->name, sizeof(m->name), "%s_%s", a, b);
	else
		snprintf(m->name, sizeof(m->name), "%s", a);
	for (p = m->name; *p; p++)
		if (*p == '.' || *p == '/')
			*p = '_';
}

/* The measure's name in the form's words: "新收", or with a column "新收·自然人". */
static void set_words(struct measure *m, const char *a, const char *b)
{
	const char *wa = words_column(a, RL_ZH);

	if (b)
		snprintf(m->words, sizeof(m->words), "%s·%s", wa, b);
	else
		snprintf(m->words, sizeof(m->words), "%s", wa);
}

static struct measure *add(struct model *md, enum measure_kind kind, const char *a,
			   const char *b, size_t *index)
{
	struct measure *m;

	ALLOC_GROW(md->m, st_add(md->nm, 1), md->alloc_m);
	m = &md->m[md->nm];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	set_name(m, a, b);
	set_words(m, a, NULL);
	*index = md->nm++;
	return m;
}

static void add_row(struct measure *m, const struct fmt_row *row)
{
	for (size_t i = 0; i < m->nrows; i++)
		if (m->rows[i] == row)
			return;
	if (m->nrows == MODEL_MAX_ROWS)
		bug("measure with too many rows", m->name);
	m->rows[m->nrows++] = row;
}

/* Table-3 rows with all of flags, each key once. */
static int t3_row_is(const struct fmt_row *row, unsigned flags)
{
	return row->table == 3 && (row->flags & flags) == flags;
}

size_t model_add_inflow(struct model *md, int by_applicant)
{
	size_t nrows, first = md->nm, idx;
	const struct fmt_row *rows = fmt_rows(&nrows);

	for (size_t i = 0; i < nrows; i++) {
		struct measure *m;

		if (!t3_row_is(&rows[i], FR_INFLOW) || model_find(md, rows[i].key) >= 0)
			continue;
		for (size_t c = 0; by_applicant && c < rows[i].ncols; c++) {
			if (!(rows[i].cols[c].flags & FC_APPLICANT))
				continue;
			m = add(md, MK_T3, rows[i].key, rows[i].cols[c].key, &idx);
			add_row(m, &rows[i]);
			m->col = &rows[i].cols[c];
			m->label = rows[i].cols[c].label;
			set_words(m, rows[i].key, rows[i].cols[c].label);
		}
		m = add(md, MK_T3, rows[i].key, NULL, &idx);
		add_row(m, &rows[i]);
		m->label = rows[i].label;
	}
	return first;
}

long model_new_requests(const struct model *md)
{
	for (size_t i = 0; i < md->nm; i++) {
		const struct measure *m = &md->m[i];

		if (m->kind == MK_T3 && !m->col && m->nrows == 1 &&
		    t3_row_is(m->rows[0], FR_INFLOW) && !(m->rows[0]->flags & FR_CARRIED_IN))
			return (long)i;
	}
	return -1;
}

size_t model_add_outcomes(struct model *md, size_t *n)
{
	size_t nrows, first = md->nm, idx;
	const struct fmt_row *rows = fmt_rows(&nrows);

	for (size_t i = 0; i < nrows; i++) {
		const char *name;
		struct measure *m;
		long k;

		if (!t3_row_is(&rows[i], FR_OUTCOME))
			continue;
		name = rows[i].group ? rows[i].group : rows[i].key;
		k = model_find(md, name);
		if (k >= (long)first) {
			m = &md->m[k];
		} else {
			m = add(md, MK_T3, name, NULL, &idx);
			m->label = rows[i].group ? NULL : rows[i].label;
		}
		add_row(m, &rows[i]);
	}
	*n = md->nm - first;
	return first;
}

/* The measure of the table-3 rows flagged flags (e.g. FR_TOTAL), added unless present. */
static size_t add_flagged(struct model *md, unsigned flags, int hidden)
{
	size_t nrows, idx = 0;
	const struct fmt_row *rows = fmt_rows(&nrows);
	struct measure *m = NULL;

	for (size_t i = 0; i < nrows; i++) {
		if (!t3_row_is(&rows[i], flags))
			continue;
		if (!m) {
			long k = model_find(md, rows[i].key);

			if (k >= 0)
				return (size_t)k;
			m = add(md, MK_T3, rows[i].key, NULL, &idx);
			m->label = rows[i].label;
			m->hidden = hidden;
		}
		add_row(m, &rows[i]);
	}
	if (!m)
		bug("row flag", "FR_*");
	return idx;
}

size_t model_add_total(struct model *md)
{
	return add_flagged(md, FR_TOTAL, 0);
}

size_t model_add_outflow(struct model *md)
{
	return add_flagged(md, FR_OUTFLOW, 0);
}

size_t model_add_grounds(struct model *md, size_t *n)
{
	size_t nrows, first = md->nm, idx;
	const struct fmt_row *rows = fmt_rows(&nrows);

	for (size_t g = 0; g < NELEM(refusal_groups); g++) {
		size_t before = md->nm;

		for (size_t i = 0; i < nrows; i++) {
			struct measure *m;

			if (!t3_row_is(&rows[i], FR_OUTCOME) || !rows[i].group ||
			    strcmp(rows[i].group, refusal_groups[g]))
				continue;
			m = add(md, MK_T3, rows[i].key, NULL, &idx);
			add_row(m, &rows[i]);
			m->label = rows[i].label;
		}
		if (md->nm == before)
			bug("outcome group", refusal_groups[g]);
	}
	*n = md->nm - first;
	return first;
}

size_t model_add_rate(struct model *md, const char *name, size_t num, size_t den)
{
	size_t idx;
	struct measure *m = add(md, MK_RATE, name, NULL, &idx);

	m->num = num;
	m->den = den;
	return idx;
}

/* The measure summing the rows a claim names ("granted partial", "group:refused"). */
static size_t add_claim_rows(struct model *md, const struct fmt_claim *cl)
{
	size_t nrows, idx;
	const struct fmt_row *rows = fmt_rows(&nrows);
	long k = model_find(md, cl->key);
	struct measure *m;
	const char *p = cl->rows;
	struct fmt_row_name name;

	if (k >= 0)
		return (size_t)k;
	m = add(md, MK_T3, cl->key, NULL, &idx);
	m->hidden = 1;
	m->label = cl->label;
	snprintf(m->words, sizeof(m->words), "%s", cl->label);
	while (fmt_next_row_name(&p, &name))
		for (size_t i = 0; i < nrows; i++)
			if (fmt_row_named(&rows[i], &name))
				add_row(m, &rows[i]);
	if (!m->nrows)
		bug("claim rows", cl->key);
	return idx;
}

size_t model_add_rates(struct model *md)
{
	size_t nclaims, nrates, first = SIZE_MAX, total = add_flagged(md, FR_TOTAL, 1);
	const struct fmt_claim *claims = fmt_claims(&nclaims);
	const struct fmt_rate *rate_defs = fmt_rates(&nrates);

	for (size_t r = 0; r < nrates; r++) {
		const struct fmt_claim *cl = NULL;
		size_t num, idx;

		for (size_t i = 0; i < nclaims; i++)
			if (!strcmp(claims[i].key, rate_defs[r].claim))
				cl = &claims[i];
		if (!cl)
			bug("claim", rate_defs[r].claim);
		num = add_claim_rows(md, cl);
		idx = model_add_rate(md, rate_defs[r].name, num, total);
		if (first == SIZE_MAX)
			first = idx;
	}
	return first;
}

size_t model_add_t2(struct model *md, size_t *n)
{
	static const enum fmt_version versions[2] = { FMT_2019, FMT_2021 };
	size_t first = md->nm, idx, nsums;
	const struct fmt_t2_sum *t2_defs = fmt_t2_sums(&nsums);

	for (size_t d = 0; d < nsums; d++) {
		struct measure *m = add(md, MK_T2, t2_defs[d].name, NULL, &idx);
		size_t found = 0;

		for (size_t s = 0; s < 2; s++) {
			size_t nf;
			const struct fmt_field *f = fmt_fields(versions[s], &nf);
			const char *p = t2_defs[d].fields, *tok;
			size_t len;

			while ((tok = ascii_next_word(&p, &len))) {
				for (size_t i = 0; i < nf; i++) {
					if (f[i].table != 2 || strlen(f[i].key) != len ||
					    memcmp(f[i].key, tok, len))
						continue;
					if (m->nfields[s] == MODEL_MAX_FIELDS)
						bug("measure with too many fields", m->name);
					m->fields[s][m->nfields[s]++] = (long)i;
					found++;
				}
			}
		}
		if (!found)
			bug("table-2 fields", t2_defs[d].fields);
	}
	*n = md->nm - first;
	return first;
}

size_t model_add_t4(struct model *md, size_t *nblocks, size_t *stride)
{
	size_t nrows, first = md->nm, idx;
	const struct fmt_row *rows = fmt_rows(&nrows);

	*nblocks = *stride = 0;
	for (size_t i = 0; i < nrows; i++) {
		long share = -1, total = -1;

		if (rows[i].table != 4 || !(rows[i].flags & FR_T4) ||
		    model_find(md, rows[i].key) >= 0)
			continue;
		for (size_t c = 0; c < rows[i].ncols; c++) {
			struct measure *m = add(md, MK_T4, rows[i].key, rows[i].cols[c].key, &idx);

			add_row(m, &rows[i]);
			m->col = &rows[i].cols[c];
			m->label = rows[i].cols[c].label;
			set_words(m, rows[i].key, rows[i].cols[c].label);
			if (!strcmp(rows[i].cols[c].key, t4_share_col))
				share = (long)idx;
			if (rows[i].cols[c].flags & FC_TOTAL)
				total = (long)idx;
		}
		if (share < 0 || total < 0)
			bug("table-4 column", t4_share_col);
		{
			char name[64];

			snprintf(name, sizeof(name), "%s_%s_pct", rows[i].key, t4_share_col);
			idx = model_add_rate(md, name, (size_t)share, (size_t)total);
			snprintf(name, sizeof(name), "%s_pct", t4_share_col);
			set_words(&md->m[idx], rows[i].key, words_column(name, RL_ZH));
		}
		(*nblocks)++;
		*stride = rows[i].ncols + 1;
	}
	return first;
}

/* ---- values ---- */

static double rate(double num, double den)
{
	if (isnan(num) || isnan(den) || den == 0)
		return NAN;
	return 100.0 * num / den;
}

static double t3_value(const struct measure *m, const struct report *r)
{
	double sum = 0;
	int any = 0;

	for (size_t i = 0; i < m->nrows; i++) {
		const struct fmt_row *row = m->rows[i];
		double x;

		if (!(row->formats & (unsigned)r->format))
			continue;
		if (m->col)
			x = cell_count(cell(r, row, (size_t)(m->col - row->cols)));
		else
			x = model_row_figure(r, row, FC_TOTAL, FC_APPLICANT);
		if (isnan(x))
			return NAN;
		sum += x;
		any = 1;
	}
	return any ? sum : NAN;
}

static double t2_value(const struct measure *m, const struct report *r)
{
	int slot = fmt_slot(r->format);
	double sum = 0;

	if (slot < 0 || !m->nfields[slot])
		return NAN;
	for (size_t i = 0; i < m->nfields[slot]; i++) {
		size_t k = (size_t)m->fields[slot][i];
		double x = k < r->nvalues ? cell_count(&r->values[k]) : NAN;

		if (isnan(x))
			return NAN;
		sum += x;
	}
	return sum;
}

static double t4_value(const struct measure *m, const struct report *r)
{
	const struct fmt_row *row = m->rows[0];

	if (!(row->formats & (unsigned)r->format))
		return NAN;
	if (m->col->flags & FC_TOTAL)
		return model_row_figure(r, row, FC_TOTAL, FC_PART);
	return cell_count(cell(r, row, (size_t)(m->col - row->cols)));
}

double model_value(const struct model *md, size_t i, const struct report *r, const double *vals)
{
	const struct measure *m = &md->m[i];

	switch (m->kind) {
	case MK_T3:
		return t3_value(m, r);
	case MK_T2:
		return t2_value(m, r);
	case MK_T4:
		return t4_value(m, r);
	case MK_RATE:
		return rate(vals[m->num], vals[m->den]);
	}
	return NAN;
}

/* The query flags that read what the measures need, and no more. */
static unsigned needed_flags(const struct model *md)
{
	unsigned f = 0;

	for (size_t i = 0; i < md->nm; i++) {
		const struct measure *m = &md->m[i];

		if (m->kind == MK_T2)
			f |= QUERY_T2;
		else if (m->kind == MK_T4)
			f |= QUERY_T4;
		else if (m->kind == MK_T3 && !m->col)
			f |= QUERY_T3_TOTALS;
		else if (m->kind == MK_T3 && (m->rows[0]->flags & FR_INFLOW))
			f |= QUERY_T3_TOTALS | QUERY_T3_INFLOW;
		else if (m->kind == MK_T3)
			f |= QUERY_T3;
	}
	return f;
}

static int load_one(void *ctx, const struct report *r, const struct report_info *info)
{
	struct model *md = ctx;
	struct mrow *row;

	ALLOC_GROW(md->rows, st_add(md->n, 1), md->alloc);
	row = &md->rows[md->n++];
	row->report_id = info->id;
	/* issue 11's seam: a stable body id and the current report come from the store here */
	row->body_id = info->body_id;
	row->fetched_at = info->fetched_at[0] ? xstrdup(info->fetched_at) : NULL;
	row->organization = xstrdup(r->organization ? r->organization : "");
	row->level = r->level ? xstrdup(r->level) : NULL;
	row->parent = r->parent ? xstrdup(r->parent) : NULL;
	row->location = xstrdup(info->location);
	row->year = r->year;
	row->format = r->format;
	row->v = xcalloc(md->nm ? md->nm : 1, sizeof(*row->v));
	for (size_t i = 0; i < md->nm; i++)
		row->v[i] = model_value(md, i, r, row->v);
	return 0;
}

int model_load(struct model *md, struct store *st, const struct rq *q, struct err *err)
{
	/*
	 * Without QUERY_ALL the store gives the newest report of each body and
	 * year: where issue 11's "current report" plugs in, as a query flag.
	 */
	return query_reports(st, &q->f, needed_flags(md) | (q->charts ? QUERY_SOURCE : 0), load_one,
			     md, err);
}

size_t model_sum(const struct model *md, int (*pick)(const struct mrow *, void *), void *ctx,
		 double *out)
{
	size_t *count = xcalloc(md->nm ? md->nm : 1, sizeof(*count)), rows = 0;

	for (size_t i = 0; i < md->nm; i++)
		out[i] = 0;
	for (size_t k = 0; k < md->n; k++) {
		if (pick && !pick(&md->rows[k], ctx))
			continue;
		rows++;
		for (size_t i = 0; i < md->nm; i++)
			if (md->m[i].kind != MK_RATE && !isnan(md->rows[k].v[i])) {
				out[i] += md->rows[k].v[i];
				count[i]++;
			}
	}
	for (size_t i = 0; i < md->nm; i++) {
		if (md->m[i].kind == MK_RATE)
			out[i] = rate(out[md->m[i].num], out[md->m[i].den]);
		else if (!count[i])
			out[i] = NAN;
	}
	free(count);
	return rows;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

int *model_years(const struct model *md, size_t *n)
{
	int *years = xcalloc(md->n ? md->n : 1, sizeof(*years));
	size_t k = 0;

	for (size_t i = 0; i < md->n; i++)
		if (md->rows[i].year)
			years[k++] = md->rows[i].year;
	if (k)
		qsort(years, k, sizeof(*years), cmp_int);
	*n = 0;
	for (size_t i = 0; i < k; i++)
		if (!*n || years[*n - 1] != years[i])
			years[(*n)++] = years[i];
	return years;
}

double model_round_pct(double v)
{
	return isnan(v) ? v : round(v * 10.0) / 10.0;
}

void model_add_columns(const struct model *md, struct table *t, size_t *colmap,
		       const struct rq *q)
{
	for (size_t i = 0; i < md->nm; i++)
		colmap[i] = md->m[i].hidden
				    ? SIZE_MAX
				    : table_add_column(t,
						       RQ_FOR_PEOPLE(q) && q->lang == RL_ZH
							       ? md->m[i].words
							       : md->m[i].name,
						       TA_RIGHT);
}

void model_set_value(const struct measure *m, struct table *t, size_t col, double v,
		     const struct rq *q)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	if (m->kind == MK_RATE)
		v = model_round_pct(v);
	if (!RQ_FOR_PEOPLE(q) || isnan(v)) {
		table_set_num(t, col, v);
		return;
	}
	if (m->kind == MK_RATE)
		words_pct(&b, v);
	else
		words_count(&b, v);
	table_set_str(t, col, buf_str(&b));
	buf_release(&b);
}

void model_set_cells(const struct model *md, struct table *t, const size_t *colmap,
		     const double *v, const struct rq *q)
{
	for (size_t i = 0; i < md->nm; i++)
		if (colmap[i] != SIZE_MAX)
			model_set_value(&md->m[i], t, colmap[i], v[i], q);
}

/* ---- who a row is ---- */

static size_t column(struct table *t, const char *key, enum table_align a, const struct rq *q)
{
	return table_add_column(t, RQ_FOR_PEOPLE(q) ? words_column(key, q->lang) : key, a);
}

void model_head_columns(struct table *t, struct idcols *c, const struct rq *q)
{
	c->body_id = c->level = c->parent = c->source = c->row_kind = c->report_id = SIZE_MAX;
	if (!RQ_FOR_PEOPLE(q))
		c->body_id = column(t, "body_id", TA_RIGHT, q);
	c->org = column(t, "organization", TA_LEFT, q);
	if (!RQ_FOR_PEOPLE(q)) {
		c->level = column(t, "level", TA_LEFT, q);
		c->parent = column(t, "parent", TA_LEFT, q);
	}
	c->year = column(t, "year", TA_RIGHT, q);
}

void model_tail_columns(struct table *t, struct idcols *c, const struct rq *q)
{
	c->report_id = column(t, "report_id", TA_RIGHT, q);
	if (!RQ_FOR_PEOPLE(q) || q->format == TF_HTML)
		c->source = column(t, "source", TA_LEFT, q);
	if (!RQ_FOR_PEOPLE(q))
		c->row_kind = column(t, "row_kind", TA_LEFT, q);
}

int model_is_url(const char *location)
{
	return location && (!strncmp(location, "http://", 7) || !strncmp(location, "https://", 8));
}

void model_body_href(struct buf *b, const struct rq *q, int64_t body_id)
{
	buf_addf(b, "%sbodies/%lld.html", q->site_root ? q->site_root : "", (long long)body_id);
}

void model_report_href(struct buf *b, const struct rq *q, int64_t report_id)
{
	buf_addf(b, "%sreports/%lld.html", q->site_root ? q->site_root : "",
		 (long long)report_id);
}

void model_set_ids(struct table *t, const struct idcols *c, const struct mrow *r, int year,
		   const struct rq *q)
{
	struct buf href = BUF_INIT(BUF_NOLIMIT);
	int html = q->format == TF_HTML;

	if (!r) {
		table_set_str(t, c->org, RQ_FOR_PEOPLE(q) ? words_value(MODEL_TOTAL_ROW, q->lang)
							  : MODEL_TOTAL_ROW);
		if (year)
			table_set_num(t, c->year, year);
		table_set_str(t, c->row_kind, "total");
		return;
	}
	if (c->body_id != SIZE_MAX)
		table_set_num(t, c->body_id, (double)r->body_id);
	if (html && q->site_root) {
		model_body_href(&href, q, r->body_id);
		table_set_link(t, c->org, r->organization, buf_str(&href));
	} else {
		table_set_str(t, c->org, r->organization);
	}
	if (c->level != SIZE_MAX) {
		table_set_str(t, c->level, r->level);
		table_set_str(t, c->parent, r->parent);
	}
	table_set_num(t, c->year, r->year);
	if (html && q->site_root) {
		char id[32];

		buf_reset(&href);
		model_report_href(&href, q, r->report_id);
		snprintf(id, sizeof(id), "%lld", (long long)r->report_id);
		table_set_link(t, c->report_id, id, buf_str(&href));
	} else {
		table_set_num(t, c->report_id, (double)r->report_id);
	}
	if (c->source != SIZE_MAX) {
		if (!html)
			table_set_str(t, c->source, r->location);
		else if (model_is_url(r->location))
			table_set_link(t, c->source, q->lang == RL_EN ? "original" : "原文",
				       r->location);
	}
	table_set_str(t, c->row_kind, "body");
	buf_release(&href);
}

/* ---- coverage: which bodies report in which years ---- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The distinct body ids of md's rows (of year, or every year for 0), sorted; caller frees. */
static int64_t *body_ids(const struct model *md, int year, size_t *n)
{
	int64_t *ids = xcalloc(md->n ? md->n : 1, sizeof(*ids));
	size_t k = 0;

	for (size_t i = 0; i < md->n; i++)
		if (!year || md->rows[i].year == year)
			ids[k++] = md->rows[i].body_id;
	if (k)
		qsort(ids, k, sizeof(*ids), cmp_i64);
	*n = 0;
	for (size_t i = 0; i < k; i++)
		if (!*n || ids[*n - 1] != ids[i])
			ids[(*n)++] = ids[i];
	return ids;
}

size_t model_bodies(const struct model *md, int year, size_t *in_year)
{
	size_t n, ny = 0;
	int64_t *all = body_ids(md, 0, &n);

	free(all);
	if (in_year) {
		free(body_ids(md, year, &ny));
		*in_year = ny;
	}
	return n;
}

int model_default_year(const struct model *md, enum rlang lang, struct buf *why)
{
	size_t ny, nbodies = model_bodies(md, 0, NULL), best_n = 0, latest_n = 0;
	int *years = model_years(md, &ny), best = 0, pick = 0;

	for (size_t i = ny; i-- > 0;) {
		size_t have;

		model_bodies(md, years[i], &have);
		if (i + 1 == ny)
			latest_n = have;
		if (have > best_n) {
			best_n = have;
			best = years[i];
		}
		if (!pick && 2 * have > nbodies) {
			pick = years[i];
			best_n = have;
			break;
		}
	}
	if (!pick)
		pick = best;
	if (why && pick) {
		size_t have;

		model_bodies(md, pick, &have);
		if (lang == RL_EN)
			buf_addf(why, "%d: %zu of the %zu bodies have a report for it", pick, have,
				 nbodies);
		else
			buf_addf(why, "%d年：%zu个单位中%zu个有该年报告", pick, nbodies, have);
		if (pick != years[ny - 1]) {
			if (lang == RL_EN)
				buf_addf(why, " (%d, the latest year, only %zu)", years[ny - 1],
					 latest_n);
			else
				buf_addf(why, "（最近的%d年仅%zu个）", years[ny - 1], latest_n);
		}
	}
	free(years);
	return pick;
}

size_t model_like_for_like(const struct model *md, int y0, int y1, double *s0, double *s1,
			   size_t *left_out)
{
	size_t n0, n1, i = 0, j = 0, both = 0;
	int64_t *a = body_ids(md, y0, &n0), *b = body_ids(md, y1, &n1);
	size_t *count0 = xcalloc(md->nm ? md->nm : 1, sizeof(*count0));
	size_t *count1 = xcalloc(md->nm ? md->nm : 1, sizeof(*count1));
	int64_t *common = xcalloc(n0 + 1, sizeof(*common));

	while (i < n0 && j < n1) {
		if (a[i] == b[j]) {
			common[both++] = a[i];
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	*left_out = n0 + n1 - 2 * both;
	for (size_t m = 0; m < md->nm; m++)
		s0[m] = s1[m] = 0;
	for (size_t k = 0; k < md->n; k++) {
		const struct mrow *r = &md->rows[k];
		double *s;
		size_t *cnt;

		if (r->year != y0 && r->year != y1)
			continue;
		if (!bsearch(&r->body_id, common, both, sizeof(*common), cmp_i64))
			continue;
		s = r->year == y0 ? s0 : s1;
		cnt = r->year == y0 ? count0 : count1;
		for (size_t m = 0; m < md->nm; m++)
			if (md->m[m].kind != MK_RATE && !isnan(r->v[m])) {
				s[m] += r->v[m];
				cnt[m]++;
			}
	}
	for (size_t m = 0; m < md->nm; m++) {
		if (md->m[m].kind == MK_RATE) {
			s0[m] = rate(s0[md->m[m].num], s0[md->m[m].den]);
			s1[m] = rate(s1[md->m[m].num], s1[md->m[m].den]);
			continue;
		}
		if (!count0[m])
			s0[m] = NAN;
		if (!count1[m])
			s1[m] = NAN;
	}
	free(a);
	free(b);
	free(common);
	free(count0);
	free(count1);
	return both;
}

void model_source_line(const struct model *md, int y0, int y1, enum rlang lang, struct buf *out)
{
	size_t nbodies, nreports = 0, ny = 0, nyears;
	int *years = model_years(md, &nyears), lo = 0, hi = 0;
	int64_t *ids;
	const char *first = NULL, *last = NULL;

	for (size_t i = 0; i < nyears; i++)
		if ((!y0 || years[i] >= y0) && (!y1 || years[i] <= y1)) {
			if (!lo)
				lo = years[i];
			hi = years[i];
			ny++;
		}
	ids = body_ids(md, 0, &nbodies);
	for (size_t i = 0; i < md->n; i++) {
		const struct mrow *r = &md->rows[i];

		if ((y0 && r->year < y0) || (y1 && r->year > y1))
			continue;
		nreports++;
		if (r->fetched_at && (!first || strcmp(r->fetched_at, first) < 0))
			first = r->fetched_at;
		if (r->fetched_at && (!last || strcmp(r->fetched_at, last) > 0))
			last = r->fetched_at;
	}
	/* years without a report are counted per body of the selection */
	if (lang == RL_EN) {
		buf_addf(out, "Source: the bodies' annual reports on government information "
			      "disclosure (%zu bodies, ", nbodies);
		if (lo == hi)
			buf_addf(out, "%d", lo);
		else
			buf_addf(out, "%d–%d", lo, hi);
		buf_addf(out, ", %zu reports, %zu missing)", nreports, nbodies * ny - nreports);
		if (last)
			buf_addf(out, "; fetched %.10s%s%.10s", first,
				 strncmp(first, last, 10) ? " to " : "",
				 strncmp(first, last, 10) ? last : "");
	} else {
		buf_addf(out, "来源：各单位政府信息公开工作年度报告（%zu个单位，", nbodies);
		if (lo == hi)
			buf_addf(out, "%d年", lo);
		else
			buf_addf(out, "%d–%d年", lo, hi);
		buf_addf(out, "，%zu份报告，缺%zu份）", nreports, nbodies * ny - nreports);
		if (last)
			buf_addf(out, "；抓取于%.10s%s%.10s", first,
				 strncmp(first, last, 10) ? "至" : "",
				 strncmp(first, last, 10) ? last : "");
	}
	free(ids);
	free(years);
}
