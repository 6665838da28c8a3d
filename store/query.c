#include "store/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "form/format.h"
#include "store/store-internal.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The filter every query shares (store/filter.c): "@F" in a statement
 * stands for its conditions on reports, bodies and parents (current
 * reports only unless asked for all), "@B" for those on bodies only;
 * build_sql() fills them in, bind_filter() binds their values.  Fixed
 * parameters of a statement are below FILTER_FIRST_PARAM.
 */
#define FILTER_SQL "@F "

/*
 * The fetch time is read only when asked for: it stands after the page's
 * bytes in the sources row, so reading it walks the whole blob.  "@Y"
 * keeps only reports of a known year (the reports: one per body and year).
 */
#define REPORTS_SQL(fetched_at, source, join)                                            \
	"SELECT r.id, r.source_id, r.body_id, r.parser_version, r.location, " fetched_at ", " \
	"b.name, b.level, p.name, r.year, r.format, r.status, r.missing, r.title, "      \
	"r.published, r.charset, r.organization_from, r.year_from, r.publisher, r.reason, " \
	"r.current, " source " "                                                           \
	"FROM reports r JOIN bodies b ON b.id = r.body_id "                               \
	"LEFT JOIN bodies p ON p.id = b.parent_id " join                                   \
	"WHERE " FILTER_SQL "@Y "                                                          \
	"ORDER BY b.name, r.year, r.id"
static const char reports_sql[] = REPORTS_SQL("NULL", "NULL", "");
static const char reports_source_sql[] =
	REPORTS_SQL("s.fetched_at", "cs.location", "JOIN sources s ON s.id = r.source_id "
		    "LEFT JOIN report_sources cs ON cs.report_id = r.id AND cs.chosen = 1 ");

/*
 * A figure's columns: those every statement below reads, then the
 * provenance (schema version 4), read only with QUERY_PROVENANCE so that
 * the reports decode no more of each row than they use.
 */
#define FIGURE_COLS "tbl, row_key, col_key, value, state, raw"
#define FIGURE_PROV_COLS \
	", how, inferred, src_table, src_row, src_col, src_line, ocr_image, ocr_box, ocr_conf, " \
	"uncertain"
#define FIGURES_TABLE_SQL(prov) \
	"SELECT " FIGURE_COLS prov " FROM figures WHERE report_id = ?1 AND tbl = ?2"
#define FIGURES_ROW_SQL(prov)                                                  \
	"SELECT " FIGURE_COLS prov " FROM figures WHERE report_id = ?1 AND tbl = 3 " \
	"AND row_key = ?2"
static const char figures_table_sql[] = FIGURES_TABLE_SQL("");
static const char figures_table_prov_sql[] = FIGURES_TABLE_SQL(FIGURE_PROV_COLS);
static const char figures_row_sql[] = FIGURES_ROW_SQL("");
static const char figures_row_prov_sql[] = FIGURES_ROW_SQL(FIGURE_PROV_COLS);

static const char flags_sql[] =
	"SELECT r.id, b.name, b.level, p.name, r.year, r.location, fd.rule, fd.kind, count(*) "
	"FROM findings fd JOIN reports r ON r.id = fd.report_id "
	"JOIN bodies b ON b.id = r.body_id LEFT JOIN bodies p ON p.id = b.parent_id "
	"WHERE " FILTER_SQL
	"GROUP BY r.id, fd.rule, fd.kind "
	"ORDER BY b.name, r.year, r.id, fd.rule, fd.kind";

static const char images_sql[] =
	"SELECT r.id, b.name, b.level, p.name, r.year, r.location "
	"FROM reports r JOIN bodies b ON b.id = r.body_id "
	"LEFT JOIN bodies p ON p.id = b.parent_id "
	"WHERE " FILTER_SQL "AND r.reason = 'image' "
	"ORDER BY b.name, r.year, r.id";

/*
 * The years asked for (?5..?6), or when none were, every year of a stored
 * report; the bodies that match the filter and have a report.
 */
static const char gaps_sql[] =
	"WITH RECURSIVE span(y) AS (SELECT ?1 WHERE ?1 > 0 "
	"  UNION ALL SELECT y + 1 FROM span WHERE y < ?2), "
	"years(y) AS (SELECT y FROM span "
	"  UNION SELECT DISTINCT year FROM reports WHERE ?1 = 0 AND year IS NOT NULL "
	"  AND current = 1), "
	"cand(id, name, level, parent) AS (SELECT b.id, b.name, b.level, p.name "
	"  FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id "
	"  WHERE ?3 = 0 AND @B "
	"  AND EXISTS (SELECT 1 FROM reports r WHERE r.body_id = b.id AND r.current = 1)) "
	"SELECT c.name, c.level, c.parent, years.y FROM cand c, years "
	"WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.body_id = c.id AND r.year = years.y "
	"  AND r.current = 1) "
	"ORDER BY c.name, years.y";

/* How figures.state spells value states (see the CHECK in schema.c). */
static const struct {
	const char *name;
	enum value_state state;
} state_names[] = {
	{ "number", VAL_NUMBER },
	{ "blank", VAL_BLANK },
	{ "invalid", VAL_INVALID },
};

static int fail(sqlite3 *db, const char *what, struct err *err)
{
	int rc = sqlite3_errcode(db);
	const char *path = sqlite3_db_filename(db, "main");

	return err_set(err, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? OGI_EBUSY : OGI_EDB,
		       "cannot %s in '%s': %s", what, path && *path ? path : "the warehouse",
		       sqlite3_errmsg(db));
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **s, const char *what,
		   struct err *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, s, NULL) != SQLITE_OK) {
		*s = NULL;
		return fail(db, what, err);
	}
	return 0;
}

/*
 * tmpl with "@F" and "@B" replaced by f's conditions (see FILTER_SQL) and
 * "@Y" by the known-year condition when years is set.
 */
static void build_sql(struct buf *out, const char *tmpl, const struct report_filter *f,
		      int years)
{
	const char *p = tmpl;
	int param = FILTER_FIRST_PARAM;

	while (*p) {
		if (p[0] == '@' && (p[1] == 'F' || p[1] == 'B')) {
			filter_sql(out, f, p[1] == 'F' ? FILTER_REPORTS : 0, &param);
			p += 2;
			continue;
		}
		if (p[0] == '@' && p[1] == 'Y') {
			if (years)
				buf_adds(out, "AND r.year IS NOT NULL");
			p += 2;
			continue;
		}
		buf_addc(out, *p++);
	}
}

/* Prepares tmpl for f (build_sql()); the caller binds with bind_filter(). */
static int prepare_filtered(sqlite3 *db, const char *tmpl, const struct report_filter *f,
			    int years, sqlite3_stmt **s, const char *what, struct err *err)
{
	struct buf sql = BUF_INIT(BUF_NOLIMIT);
	int ret;

	build_sql(&sql, tmpl, f, years);
	ret = prepare(db, buf_str(&sql), s, what, err);
	buf_release(&sql);
	return ret;
}

/* Binds the filter's values: those of "@F" in statements that have it, else of "@B". */
static void bind_filter(sqlite3_stmt *s, const struct report_filter *f, int reports)
{
	filter_bind(s, f, reports ? FILTER_REPORTS : 0, FILTER_FIRST_PARAM);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* Reads that take several statements see one snapshot (as store_read_begin()). */
static int snapshot_begin(sqlite3 *db, int *own, struct err *err)
{
	*own = sqlite3_get_autocommit(db);
	if (*own && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "read", err);
	return 0;
}

static void snapshot_end(sqlite3 *db, int own)
{
	if (own && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

/* ---- reports with their figures ---- */

/* A format's fields sorted by (table, row key, column key): the order figures come in. */
struct field_index {
	enum fmt_version v;
	const struct fmt_field *fields;
	size_t n;
	size_t *order;
};

static int cmp_field(const struct fmt_field *a, int table, const char *row, const char *col)
{
	int c;

	if (a->table != table)
		return a->table < table ? -1 : 1;
	c = strcmp(a->row->key, row);
	return c ? c : strcmp(a->col->key, col);
}

static const struct fmt_field *sort_base;

static int cmp_order(const void *pa, const void *pb)
{
	const struct fmt_field *b = &sort_base[*(const size_t *)pb];

	return cmp_field(&sort_base[*(const size_t *)pa], b->table, b->row->key, b->col->key);
}

static void field_index_build(struct field_index *x, enum fmt_version v)
{
	x->v = v;
	x->fields = fmt_fields(v, &x->n);
	x->order = x->n ? xcalloc(x->n, sizeof(*x->order)) : NULL;
	for (size_t i = 0; i < x->n; i++)
		x->order[i] = i;
	sort_base = x->fields;
	if (x->n)
		qsort(x->order, x->n, sizeof(*x->order), cmp_order);
}

/* The index among fmt_fields(v) of (table, row, col), or -1: a binary search. */
static long field_find(const struct field_index *x, int table, const char *row, const char *col)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_field(&x->fields[x->order[mid]], table, row, col);

		if (!c)
			return (long)x->order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The index of (table, row, col) at or after *pos in x's sorted order, for
 * rows that come in that order (as SQLite returns them from the primary
 * key or an index): about one comparison a row.  Rows out of order or
 * unknown fall back to field_find().
 */
static long field_next(const struct field_index *x, size_t *pos, int table, const char *row,
		       const char *col)
{
	while (*pos < x->n) {
		int c = cmp_field(&x->fields[x->order[*pos]], table, row, col);

		if (!c)
			return (long)x->order[(*pos)++];
		if (c > 0)
			break;
		(*pos)++;
	}
	return field_find(x, table, row, col);
}

struct walk {
	sqlite3 *db;
	unsigned flags;
	sqlite3_stmt *list, *table, *row, *totals;
	struct field_index idx[2];	/* FMT_2019, FMT_2021 */
	const char *total;		/* the key of table 3's total column */
	const char **inflow;		/* table-3 rows read whole with QUERY_T3_INFLOW */
	size_t ninflow;
	size_t t3rows[2];		/* table-3 rows of each format */
};

static const struct field_index *walk_index(const struct walk *w, enum fmt_version v)
{
	for (size_t i = 0; i < NELEM(w->idx); i++)
		if (w->idx[i].v == v)
			return &w->idx[i];
	return NULL;
}

/* NULL places are "does not apply" (see report.c): -1, or 0 for a line. */
static int col_place(sqlite3_stmt *s, int i, int none)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? none : sqlite3_column_int(s, i);
}

/* Columns 6..15 of a figure statement built with FIGURE_PROV_COLS. */
static void read_provenance(sqlite3_stmt *s, struct report_value *v)
{
	v->how = value_how_parse(col_text(s, 6));
	v->inferred = sqlite3_column_int(s, 7) != 0;
	v->src.table = col_place(s, 8, -1);
	v->src.row = col_place(s, 9, -1);
	v->src.col = col_place(s, 10, -1);
	v->src.line = col_place(s, 11, 0);
	store_column_ocr(s, 12, &v->ocr);
}

/*
 * Steps s (bound by the caller) into r's values; resets s.  Adds the
 * number of cells that hold a number to *numbers when it is not NULL.
 */
static int read_figures(struct walk *w, sqlite3_stmt *s, struct report *r, size_t *numbers,
			const char *total, struct err *err)
{
	const struct field_index *x = walk_index(w, r->format);
	size_t pos = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		/* the totals statement gives neither table nor column: they are known */
		const char *row = col_text(s, 1), *col = total ? total : col_text(s, 2);
		const char *state = col_text(s, 4);
		enum value_state vs = VAL_ABSENT;
		long i;

		/* the names differ in their first byte: test that one name only */
		for (size_t k = 0; state && k < NELEM(state_names); k++)
			if (state[0] == state_names[k].name[0] &&
			    !strcmp(state, state_names[k].name))
				vs = state_names[k].state;
		/* A key the format table no longer has is left out, as store_get_report() does. */
		if (!x || !row || !col || vs == VAL_ABSENT)
			continue;
		i = field_next(x, &pos, total ? 3 : sqlite3_column_int(s, 0), row, col);
		if (i < 0 || (size_t)i >= r->nvalues)
			continue;
		report_set_value(r, (size_t)i, vs,
				 vs == VAL_NUMBER ? sqlite3_column_double(s, 3) : 0,
				 (w->flags & QUERY_RAW) ? col_text(s, 5) : NULL);
		if (w->flags & QUERY_PROVENANCE)
			read_provenance(s, &r->values[i]);
		if (numbers && vs == VAL_NUMBER)
			(*numbers)++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return fail(w->db, "read figures", err);
	return 0;
}

static int read_table(struct walk *w, int64_t id, int table, struct report *r, struct err *err)
{
	sqlite3_bind_int64(w->table, 1, id);
	sqlite3_bind_int(w->table, 2, table);
	return read_figures(w, w->table, r, NULL, NULL, err);
}

static int load_figures(struct walk *w, int64_t id, struct report *r, struct err *err)
{
	int ret = 0;

	if (!r->nvalues)
		return 0;
	if (w->flags & QUERY_T2)
		ret = read_table(w, id, 2, r, err);
	if (!ret && (w->flags & QUERY_T4))
		ret = read_table(w, id, 4, r, err);
	if (ret)
		return ret;
	if (w->flags & QUERY_T3)
		return read_table(w, id, 3, r, err);
	if (w->flags & QUERY_T3_TOTALS) {
		size_t numbers = 0, want = r->format == FMT_2019 ? w->t3rows[0] : w->t3rows[1];

		sqlite3_bind_int64(w->totals, 1, id);
		ret = read_figures(w, w->totals, r, &numbers, w->total, err);
		/* A total that is not a number: its row's figure is the sum of its columns. */
		if (!ret && numbers < want)
			return read_table(w, id, 3, r, err);
		for (size_t i = 0; !ret && (w->flags & QUERY_T3_INFLOW) && i < w->ninflow; i++) {
			sqlite3_bind_int64(w->row, 1, id);
			sqlite3_bind_text(w->row, 2, w->inflow[i], -1, SQLITE_STATIC);
			ret = read_figures(w, w->row, r, NULL, NULL, err);
		}
	}
	return ret;
}

/*
 * The statement reading the table-3 total column through the covering
 * index of schema version 2, which holds no raw text nor provenance: with
 * either the rows are read from the table.
 */
static const char *total_col(void)
{
	size_t n;
	const struct fmt_col *c = fmt_t3_cols(&n);
	const char *total = c[n - 1].key;

	for (size_t i = 0; i < n; i++)
		if (c[i].flags & FC_TOTAL)
			total = c[i].key;
	return total;
}

static void totals_sql(struct buf *b, int raw, int prov)
{
	const char *total = total_col();

	buf_addf(b, "SELECT NULL, row_key, NULL, value, state, %s%s FROM figures "
		 "WHERE report_id = ?1 AND col_key = '", raw ? "raw" : "NULL",
		 prov ? FIGURE_PROV_COLS : "");
	/* a key of the format table, quoted as a literal so the partial index applies */
	for (const char *p = total; *p; p++) {
		if (*p == '\'')
			buf_addc(b, '\'');
		buf_addc(b, *p);
	}
	buf_adds(b, "' AND tbl = 3");
}

static void walk_init(struct walk *w, sqlite3 *db, unsigned flags)
{
	size_t nrows;
	const struct fmt_row *rows = fmt_rows(&nrows);
	size_t alloc = 0;

	memset(w, 0, sizeof(*w));
	w->db = db;
	w->flags = flags;
	w->total = total_col();
	field_index_build(&w->idx[0], FMT_2019);
	field_index_build(&w->idx[1], FMT_2021);
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].table != 3)
			continue;
		if (rows[i].formats & FMT_2019)
			w->t3rows[0]++;
		if (rows[i].formats & FMT_2021)
			w->t3rows[1]++;
		if (rows[i].flags & FR_INFLOW) {
			int seen = 0;

			for (size_t k = 0; k < w->ninflow; k++)
				seen |= !strcmp(w->inflow[k], rows[i].key);
			if (!seen) {
				ALLOC_GROW(w->inflow, w->ninflow + 1, alloc);
				w->inflow[w->ninflow++] = rows[i].key;
			}
		}
	}
}

static void walk_release(struct walk *w)
{
	sqlite3_finalize(w->list);
	sqlite3_finalize(w->table);
	sqlite3_finalize(w->row);
	sqlite3_finalize(w->totals);
	for (size_t i = 0; i < NELEM(w->idx); i++)
		free(w->idx[i].order);
	free(w->inflow);
}

static void copy_field(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= size) {
		n = size - 1;
		while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;	/* cut on a UTF-8 boundary */
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

int query_reports(struct store *st, const struct report_filter *f, unsigned flags,
		  query_report_fn fn, void *ctx, struct err *err)
{
	sqlite3 *db = store_sqlite(st);
	struct buf tsql = BUF_INIT(BUF_NOLIMIT);
	struct report_filter lf;
	struct walk w;
	struct report r;
	int ret, rc, own = 0;

	/* a copy that shares f's lists: only its version changes */
	if (f)
		lf = *f;
	else
		report_filter_init(&lf);
	if (flags & QUERY_ALL)
		lf.all_versions = 1;
	walk_init(&w, db, flags);
	report_init(&r);
	totals_sql(&tsql, !!(flags & QUERY_RAW), !!(flags & QUERY_PROVENANCE));
	/*
	 * A report run reads many scattered pages of a large file: mapping it
	 * saves a system call and a copy per page.  Failure only costs speed.
	 */
	sqlite3_exec(db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
	ret = snapshot_begin(db, &own, err);
	if (ret)
		goto out;
	ret = prepare_filtered(db, (flags & QUERY_SOURCE) ? reports_source_sql : reports_sql, &lf,
			       !(flags & (QUERY_ALL | QUERY_ANY_YEAR)), &w.list, "list reports", err);
	if (!ret)
		ret = prepare(db,
			      (flags & QUERY_PROVENANCE) ? figures_table_prov_sql : figures_table_sql,
			      &w.table, "read figures", err);
	if (!ret)
		ret = prepare(db, (flags & QUERY_PROVENANCE) ? figures_row_prov_sql : figures_row_sql,
			      &w.row, "read figures", err);
	if (!ret)
		ret = prepare(db, buf_str(&tsql), &w.totals, "read figures", err);
	if (ret)
		goto out;
	bind_filter(w.list, &lf, 1);
	while ((rc = sqlite3_step(w.list)) == SQLITE_ROW) {
		struct report_info info;
		const char *text;

		memset(&info, 0, sizeof(info));
		report_release(&r);
		info.id = sqlite3_column_int64(w.list, 0);
		info.source_id = sqlite3_column_int64(w.list, 1);
		info.body_id = sqlite3_column_int64(w.list, 2);
		info.parser_version = sqlite3_column_int(w.list, 3);
		copy_field(info.location, sizeof(info.location), col_text(w.list, 4));
		copy_field(info.fetched_at, sizeof(info.fetched_at), col_text(w.list, 5));
		r.organization = store_column_dup(w.list, 6);
		r.level = store_column_dup(w.list, 7);
		r.parent = store_column_dup(w.list, 8);
		r.year = sqlite3_column_int(w.list, 9);
		text = col_text(w.list, 11);
		if (!text || report_status_parse(text, &r.status)) {
			ret = err_set(err, OGI_EDB, "report %lld has an unknown status '%s'",
				      (long long)info.id, text ? text : "");
			goto out;
		}
		r.missing = store_column_dup(w.list, 12);
		r.title = store_column_dup(w.list, 13);
		r.published = store_column_dup(w.list, 14);
		r.charset = store_column_dup(w.list, 15);
		r.organization_from = report_source_parse(col_text(w.list, 16));
		r.year_from = report_source_parse(col_text(w.list, 17));
		r.publisher = store_column_dup(w.list, 18);
		r.reason = report_reason_parse(col_text(w.list, 19));
		info.current = sqlite3_column_int(w.list, 20);
		copy_field(info.source, sizeof(info.source), col_text(w.list, 21));
		text = col_text(w.list, 10);
		report_set_format(&r, text ? fmt_version_parse(text) : FMT_UNKNOWN);
		ret = load_figures(&w, info.id, &r, err);
		if (!ret)
			ret = fn(ctx, &r, &info);
		if (ret)
			goto out;
	}
	if (rc != SQLITE_DONE)
		ret = fail(db, "list reports", err);
out:
	report_release(&r);
	walk_release(&w);
	buf_release(&tsql);
	snapshot_end(db, own);
	return ret;
}

/* ---- findings and gaps ---- */

int query_flags(struct store *st, const struct report_filter *f, query_flag_fn fn, void *ctx,
		struct err *err)
{
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *s = NULL;
	int ret = prepare_filtered(db, flags_sql, f, 0, &s, "read findings", err), rc;

	if (ret)
		return ret;
	bind_filter(s, f, 1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct query_flag q = {
			.report_id = sqlite3_column_int64(s, 0),
			.organization = col_text(s, 1),
			.level = col_text(s, 2),
			.parent = col_text(s, 3),
			.year = sqlite3_column_int(s, 4),
			.location = col_text(s, 5),
			.rule = col_text(s, 6),
			.kind = col_text(s, 7),
			.count = (long)sqlite3_column_int64(s, 8),
		};

		ret = fn(ctx, &q);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(db, "read findings", err);
	sqlite3_finalize(s);
	return ret;
}

int query_images(struct store *st, const struct report_filter *f, query_image_fn fn, void *ctx,
		 struct err *err)
{
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *s = NULL;
	int ret = prepare_filtered(db, images_sql, f, 0, &s, "read reports", err), rc;

	if (ret)
		return ret;
	bind_filter(s, f, 1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct query_image q = {
			.report_id = sqlite3_column_int64(s, 0),
			.organization = col_text(s, 1),
			.level = col_text(s, 2),
			.parent = col_text(s, 3),
			.year = sqlite3_column_int(s, 4),
			.location = col_text(s, 5),
		};

		ret = fn(ctx, &q);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(db, "read reports", err);
	sqlite3_finalize(s);
	return ret;
}

int query_gaps(struct store *st, const struct report_filter *f, query_gap_fn fn, void *ctx,
	       struct err *err)
{
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *s = NULL;
	int ret = prepare_filtered(db, gaps_sql, f, 0, &s, "read reports", err), rc;

	if (ret)
		return ret;
	bind_filter(s, f, 0);
	if (f) {
		sqlite3_bind_int(s, 1, f->year_from);
		sqlite3_bind_int(s, 2, f->year_to ? f->year_to : f->year_from);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)f->nids);
	} else {
		sqlite3_bind_int(s, 1, 0);
		sqlite3_bind_int(s, 2, 0);
		sqlite3_bind_int(s, 3, 0);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct query_gap g = {
			.organization = col_text(s, 0),
			.level = col_text(s, 1),
			.parent = col_text(s, 2),
			.year = sqlite3_column_int(s, 3),
		};

		ret = fn(ctx, &g);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(db, "read reports", err);
	sqlite3_finalize(s);
	return ret;
}

int query_year_span(struct store *st, const struct report_filter *f, int *first, int *last,
		    struct err *err)
{
	static const char sql[] =
		"SELECT min(r.year), max(r.year) FROM reports r JOIN bodies b ON b.id = r.body_id "
		"LEFT JOIN bodies p ON p.id = b.parent_id WHERE " FILTER_SQL;
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *s = NULL;
	int ret = prepare_filtered(db, sql, f, 0, &s, "read reports", err);

	*first = *last = 0;
	if (ret)
		return ret;
	bind_filter(s, f, 1);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*first = sqlite3_column_int(s, 0);
		*last = sqlite3_column_int(s, 1);
	} else {
		ret = fail(db, "read reports", err);
	}
	sqlite3_finalize(s);
	return ret;
}

int query_size(struct store *st, int64_t *reports, int64_t *figures, struct err *err)
{
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *s = NULL;
	int ret = prepare(db,
			  "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM figures)",
			  &s, "count reports", err);

	*reports = *figures = 0;
	if (ret)
		return ret;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*reports = sqlite3_column_int64(s, 0);
		*figures = sqlite3_column_int64(s, 1);
	} else {
		ret = fail(db, "count reports", err);
	}
	sqlite3_finalize(s);
	return ret;
}
