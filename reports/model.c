#include "reports/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/query.h"
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

static struct measure *add(struct model *md, enum measure_kind kind, const char *a,
			   const char *b, size_t *index)
{
	struct measure *m;

	ALLOC_GROW(md->m, st_add(md->nm, 1), md->alloc_m);
	m = &md->m[md->nm];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	set_name(m, a, b);
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
	static const char tag[] = "group:";
	size_t nrows, idx;
	const struct fmt_row *rows = fmt_rows(&nrows);
	long k = model_find(md, cl->key);
	struct measure *m;
	const char *p = cl->rows;

	if (k >= 0)
		return (size_t)k;
	m = add(md, MK_T3, cl->key, NULL, &idx);
	m->hidden = 1;
	m->label = cl->label;
	while (*p) {
		const char *tok;
		size_t len;
		int group;

		while (*p == ' ')
			p++;
		tok = p;
		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - tok);
		if (!len)
			break;
		group = len > sizeof(tag) - 1 && !memcmp(tok, tag, sizeof(tag) - 1);
		if (group) {
			tok += sizeof(tag) - 1;
			len -= sizeof(tag) - 1;
		}
		for (size_t i = 0; i < nrows; i++) {
			const char *have = group ? rows[i].group : rows[i].key;

			if (rows[i].table == 3 && have && strlen(have) == len &&
			    !memcmp(have, tok, len))
				add_row(m, &rows[i]);
		}
	}
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
			const char *p = t2_defs[d].fields;

			while (*p) {
				const char *tok;
				size_t len;

				while (*p == ' ')
					p++;
				tok = p;
				while (*p && *p != ' ')
					p++;
				len = (size_t)(p - tok);
				for (size_t i = 0; len && i < nf; i++) {
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
			model_add_rate(md, name, (size_t)share, (size_t)total);
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
	return query_reports(st, &q->f, needed_flags(md), load_one, md, err);
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

void model_add_columns(const struct model *md, struct table *t, size_t *colmap)
{
	for (size_t i = 0; i < md->nm; i++)
		colmap[i] = md->m[i].hidden ? SIZE_MAX
					    : table_add_column(t, md->m[i].name, TA_RIGHT);
}

void model_set_cells(const struct model *md, struct table *t, const size_t *colmap,
		     const double *v)
{
	for (size_t i = 0; i < md->nm; i++) {
		if (colmap[i] == SIZE_MAX)
			continue;
		double x = md->m[i].kind == MK_RATE ? model_round_pct(v[i]) : v[i];

		table_set_num(t, colmap[i], x);
	}
}
