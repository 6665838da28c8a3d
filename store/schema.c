#include "store/schema.h"

#include <stdio.h>
#include <string.h>

#include "form/format.h"
#include "util/xalloc.h"
#include "util/banned.h"

/*
 * Version 1.  A step's SQL is history: once released it never changes; a
 * change of schema is a new step.  Absent values are not stored at all, so
 * "no row" means the page did not have the cell; blank and invalid cells
 * are rows with a NULL value.  The CHECKs on figures avoid "x IN (...)",
 * which SQLite runs through an ephemeral table on every insert (3x slower
 * ingest).
 */
static const char schema_v1[] =
	"CREATE TABLE bodies (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  level TEXT,\n"
	"  parent_id INTEGER REFERENCES bodies(id) ON DELETE SET NULL\n"
	");\n"
	"CREATE INDEX bodies_parent ON bodies(parent_id);\n"
	"CREATE TABLE sources (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  location TEXT NOT NULL,\n"
	"  sha256 TEXT NOT NULL UNIQUE,\n"
	"  size INTEGER NOT NULL,\n"
	"  content_type TEXT,\n"
	"  fetched_at TEXT NOT NULL,\n"
	"  http_status INTEGER NOT NULL DEFAULT 0,\n"
	"  etag TEXT,\n"
	"  last_modified TEXT,\n"
	"  first_seen TEXT NOT NULL,\n"
	/* Last: reading a column stored after a large blob walks its overflow pages. */
	"  content BLOB NOT NULL\n"
	");\n"
	"CREATE INDEX sources_location ON sources(location);\n"
	"CREATE TABLE reports (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  location TEXT NOT NULL UNIQUE,\n"
	"  source_id INTEGER NOT NULL REFERENCES sources(id),\n"
	"  body_id INTEGER NOT NULL REFERENCES bodies(id),\n"
	"  year INTEGER,\n"
	"  format TEXT NOT NULL,\n"
	"  status TEXT NOT NULL,\n"
	"  missing TEXT,\n"
	"  title TEXT,\n"
	"  published TEXT,\n"
	"  charset TEXT,\n"
	"  parser_version INTEGER NOT NULL,\n"
	"  parsed_at TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX reports_body_year ON reports(body_id, year);\n"
	"CREATE INDEX reports_year ON reports(year);\n"
	"CREATE INDEX reports_source ON reports(source_id);\n"
	"CREATE TABLE figures (\n"
	"  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,\n"
	"  tbl INTEGER NOT NULL CHECK (tbl = 2 OR tbl = 3 OR tbl = 4),\n"
	"  row_key TEXT NOT NULL,\n"
	"  col_key TEXT NOT NULL,\n"
	"  value REAL,\n"
	"  raw TEXT,\n"
	"  blank INTEGER NOT NULL CHECK (blank = 0 OR blank = 1),\n"
	"  state TEXT NOT NULL CHECK (state = 'number' OR state = 'blank' OR state = 'invalid'),\n"
	"  PRIMARY KEY (report_id, tbl, row_key, col_key)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE claims (\n"
	"  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  claim_key TEXT NOT NULL,\n"
	"  value REAL,\n"
	"  raw TEXT,\n"
	"  PRIMARY KEY (report_id, seq)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE findings (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,\n"
	"  rule TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  where_ TEXT,\n"
	"  cells TEXT,\n"
	"  expected_expr TEXT,\n"
	"  expected REAL,\n"
	"  found_expr TEXT,\n"
	"  found REAL,\n"
	"  message TEXT\n"
	");\n"
	"CREATE INDEX findings_report ON findings(report_id);\n"
	"CREATE INDEX findings_rule ON findings(rule);\n"
	"CREATE VIEW v_reports AS\n"
	"SELECT r.id AS report_id, b.name AS organization, b.level AS level, p.name AS parent,\n"
	"  r.year AS year, r.format AS format, r.status AS status, r.missing AS missing,\n"
	"  r.title AS title, r.published AS published, r.location AS location,\n"
	"  s.fetched_at AS fetched_at, r.parser_version AS parser_version\n"
	"FROM reports r JOIN bodies b ON b.id = r.body_id\n"
	"  LEFT JOIN bodies p ON p.id = b.parent_id\n"
	"  JOIN sources s ON s.id = r.source_id;\n"
	"CREATE VIEW v_findings AS\n"
	"SELECT fd.id AS finding_id, fd.report_id AS report_id, b.name AS organization,\n"
	"  r.year AS year, fd.rule AS rule, fd.kind AS kind, fd.where_ AS where_,\n"
	"  fd.cells AS cells, fd.expected_expr AS expected_expr, fd.expected AS expected,\n"
	"  fd.found_expr AS found_expr, fd.found AS found, fd.message AS message,\n"
	"  r.location AS location\n"
	"FROM findings fd JOIN reports r ON r.id = fd.report_id\n"
	"  JOIN bodies b ON b.id = r.body_id;\n"
	"CREATE VIEW v_claims AS\n"
	"SELECT c.report_id AS report_id, b.name AS organization, r.year AS year,\n"
	"  c.seq AS seq, c.claim_key AS claim_key, c.value AS value, c.raw AS raw\n"
	"FROM claims c JOIN reports r ON r.id = c.report_id\n"
	"  JOIN bodies b ON b.id = r.body_id;\n";

static void build_v2(struct buf *sql);
static void build_v4(struct buf *sql);

/*
 * Version 3: the crawler's seeds, frontier and runs (store/crawl.c).  A
 * frontier row is one URL a seed led to; run_id is the run that last
 * settled it, so a killed run is resumed where it stopped.  crawl_urls is
 * keyed by (seed, URL): two seeds on one column each keep their own row.
 */
static const char schema_v3[] =
	"CREATE TABLE seeds (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  url TEXT NOT NULL UNIQUE,\n"
	"  org TEXT NOT NULL,\n"
	"  level TEXT,\n"
	"  parent TEXT,\n"
	"  scope TEXT,\n"
	"  kind TEXT NOT NULL DEFAULT 'auto'\n"
	"    CHECK (kind = 'auto' OR kind = 'listing' OR kind = 'report'),\n"
	"  added_at TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE crawl_runs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  pid INTEGER NOT NULL,\n"
	"  selection TEXT NOT NULL,\n"
	"  started_at TEXT NOT NULL,\n"
	"  finished_at TEXT,\n"
	"  status TEXT NOT NULL CHECK (status = 'running' OR status = 'done'\n"
	"    OR status = 'interrupted' OR status = 'failed')\n"
	");\n"
	"CREATE TABLE crawl_urls (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  seed_id INTEGER NOT NULL REFERENCES seeds(id) ON DELETE CASCADE,\n"
	"  url TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL CHECK (kind = 'listing' OR kind = 'report' OR kind = 'attachment'),\n"
	"  depth INTEGER NOT NULL,\n"
	"  referrer_id INTEGER REFERENCES crawl_urls(id) ON DELETE SET NULL,\n"
	"  link_text TEXT,\n"
	"  state TEXT NOT NULL CHECK (state = 'new' OR state = 'ok' OR state = 'failed'\n"
	"    OR state = 'skipped' OR state = 'listed'),\n"
	"  run_id INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL,\n"
	"  result TEXT,\n"
	"  note TEXT,\n"
	"  error TEXT,\n"
	"  http_status INTEGER,\n"
	"  etag TEXT,\n"
	"  last_modified TEXT,\n"
	"  sha256 TEXT,\n"
	"  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,\n"
	"  parsed INTEGER NOT NULL DEFAULT 0 CHECK (parsed = 0 OR parsed = 1),\n"
	"  failures INTEGER NOT NULL DEFAULT 0,\n"
	"  first_seen TEXT NOT NULL,\n"
	"  last_fetched TEXT,\n"
	"  last_changed TEXT,\n"
	"  UNIQUE (seed_id, url)\n"
	");\n"
	"CREATE INDEX crawl_urls_run ON crawl_urls(run_id, seed_id);\n"
	"CREATE INDEX crawl_urls_referrer ON crawl_urls(referrer_id);\n"
	"CREATE INDEX crawl_urls_source ON crawl_urls(source_id);\n"
	"CREATE VIEW v_crawl AS\n"
	"SELECT u.id AS url_id, s.id AS seed_id, s.org AS organization, u.kind AS kind,\n"
	"  u.state AS state, u.result AS result, u.note AS note, u.url AS url,\n"
	"  u.link_text AS link_text, u.http_status AS http_status, u.error AS error,\n"
	"  u.failures AS failures, u.last_fetched AS last_fetched,\n"
	"  u.last_changed AS last_changed, u.source_id AS source_id\n"
	"FROM crawl_urls u JOIN seeds s ON s.id = u.seed_id;\n";

/*
 * Version 4: provenance.  Where a report's body and year were read
 * (report_source_name(), NULL when not found), who published the page,
 * and per figure how its row was known (value_how_name(): 'label',
 * 'order', NULL for none), whether its bounds were inferred, and where it
 * stands: an HTML cell as src_table, src_row, src_col (0-based) with
 * src_line NULL; a text cell as src_line (1-based) and src_col with
 * src_table and src_row NULL.  Rows stored before this step read as no
 * provenance.  The new columns have no CHECK: since SQLite 3.37 adding a
 * column with a CHECK scans every existing row under the write lock (10 s
 * for the 40 million figures of a national warehouse), and store.c, the
 * only writer, spells them from report.c's names.  The views are dropped
 * and created again with the new columns at the end: existing columns
 * keep their names and order.  figures now has 14 columns: past 13,
 * SQLite compares the rows of a WITHOUT ROWID table with its generic
 * record comparator, about 6% of a figure insert (callgrind); a column
 * more or less changes nothing else.
 */
static const char schema_v4[] =
	"ALTER TABLE reports ADD COLUMN organization_from TEXT;\n"
	"ALTER TABLE reports ADD COLUMN year_from TEXT;\n"
	"ALTER TABLE reports ADD COLUMN publisher TEXT;\n"
	"ALTER TABLE figures ADD COLUMN how TEXT;\n"
	"ALTER TABLE figures ADD COLUMN inferred INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE figures ADD COLUMN src_table INTEGER;\n"
	"ALTER TABLE figures ADD COLUMN src_row INTEGER;\n"
	"ALTER TABLE figures ADD COLUMN src_col INTEGER;\n"
	"ALTER TABLE figures ADD COLUMN src_line INTEGER;\n"
	"DROP VIEW v_reports;\n"
	"CREATE VIEW v_reports AS\n"
	"SELECT r.id AS report_id, b.name AS organization, b.level AS level, p.name AS parent,\n"
	"  r.year AS year, r.format AS format, r.status AS status, r.missing AS missing,\n"
	"  r.title AS title, r.published AS published, r.location AS location,\n"
	"  s.fetched_at AS fetched_at, r.parser_version AS parser_version,\n"
	"  r.organization_from AS organization_from, r.year_from AS year_from,\n"
	"  r.publisher AS publisher\n"
	"FROM reports r JOIN bodies b ON b.id = r.body_id\n"
	"  LEFT JOIN bodies p ON p.id = b.parent_id\n"
	"  JOIN sources s ON s.id = r.source_id;\n"
	"DROP VIEW v_figures;\n";

/*
 * Version 5: a report read from more than one source, and why a report
 * has no tables.  report_sources holds every source of a report: where it
 * was read (location: the page's URL or file, an attachment's URL), its
 * role ('page': the report's own page or file; 'attachment': a file its
 * page links, a PDF or Word document of the same report), what its own
 * parse read (status and reason as in reports; both NULL when it read no
 * report), the parser version that read it, and chosen = 1 for the one
 * whose figures the report holds (the source reports.source_id names).
 * A report stored before has its one source, chosen.  reports.reason is
 * why a report has no tables when that is known ('image': its tables are
 * images), NULL otherwise; no CHECK, as in version 4.  v_reports gains
 * reason, the chosen source's location and role at the end;
 * v_report_sources lists each report's sources.
 */
static const char schema_v5[] =
	"ALTER TABLE reports ADD COLUMN reason TEXT;\n"
	"CREATE TABLE report_sources (\n"
	"  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,\n"
	"  location TEXT NOT NULL,\n"
	"  source_id INTEGER NOT NULL REFERENCES sources(id),\n"
	"  role TEXT NOT NULL CHECK (role = 'page' OR role = 'attachment'),\n"
	"  status TEXT,\n"
	"  reason TEXT,\n"
	"  parser_version INTEGER NOT NULL,\n"
	"  chosen INTEGER NOT NULL DEFAULT 0 CHECK (chosen = 0 OR chosen = 1),\n"
	"  PRIMARY KEY (report_id, location)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX report_sources_source ON report_sources(source_id);\n"
	"CREATE INDEX report_sources_location ON report_sources(location);\n"
	"INSERT INTO report_sources (report_id, location, source_id, role, status, reason,\n"
	"  parser_version, chosen)\n"
	"SELECT id, location, source_id, 'page', status, NULL, parser_version, 1 FROM reports;\n"
	"DROP VIEW v_reports;\n"
	"CREATE VIEW v_reports AS\n"
	"SELECT r.id AS report_id, b.name AS organization, b.level AS level, p.name AS parent,\n"
	"  r.year AS year, r.format AS format, r.status AS status, r.missing AS missing,\n"
	"  r.title AS title, r.published AS published, r.location AS location,\n"
	"  s.fetched_at AS fetched_at, r.parser_version AS parser_version,\n"
	"  r.organization_from AS organization_from, r.year_from AS year_from,\n"
	"  r.publisher AS publisher, r.reason AS reason, cs.location AS source,\n"
	"  cs.role AS source_role\n"
	"FROM reports r JOIN bodies b ON b.id = r.body_id\n"
	"  LEFT JOIN bodies p ON p.id = b.parent_id\n"
	"  JOIN sources s ON s.id = r.source_id\n"
	"  LEFT JOIN report_sources cs ON cs.report_id = r.id AND cs.chosen = 1;\n"
	"CREATE VIEW v_report_sources AS\n"
	"SELECT rs.report_id AS report_id, b.name AS organization, r.year AS year,\n"
	"  rs.role AS role, rs.location AS location, rs.status AS status, rs.reason AS reason,\n"
	"  rs.chosen AS chosen, rs.parser_version AS parser_version, s.sha256 AS sha256,\n"
	"  s.content_type AS content_type, s.fetched_at AS fetched_at\n"
	"FROM report_sources rs JOIN reports r ON r.id = rs.report_id\n"
	"  JOIN bodies b ON b.id = r.body_id\n"
	"  JOIN sources s ON s.id = rs.source_id;\n";

static const struct schema_step steps[] = {
	{ 1, schema_v1, schema_build_views_v1 },
	{ 2, NULL, build_v2 },
	{ 3, schema_v3, NULL },
	{ 4, schema_v4, build_v4 },
	{ 5, schema_v5, NULL },
};

const struct schema_step *schema_steps(size_t *n)
{
	*n = sizeof(steps) / sizeof(steps[0]);
	return steps;
}

int schema_version(void)
{
	return steps[sizeof(steps) / sizeof(steps[0]) - 1].version;
}

/*
 * Keys come from the format table, never from scraped data; they are
 * quoted anyway so that any key is a valid literal or name.
 */
static void add_quoted(struct buf *b, const char *s, char q, int dots_to_underscores)
{
	buf_addc(b, q);
	for (; *s; s++) {
		char c = *s;

		if (dots_to_underscores && c == '.')
			c = '_';
		if (c == q)
			buf_addc(b, q);
		buf_addc(b, c);
	}
	buf_addc(b, q);
}

static void add_literal(struct buf *b, const char *s)
{
	add_quoted(b, s, '\'', 0);
}

/* A result column name: the key with '.' as '_', so that it needs no quoting by users. */
static void add_column_name(struct buf *b, const char *s)
{
	add_quoted(b, s, '"', 1);
}

/* The single character joining row and column keys in fmt_field.key of a table. */
static char key_separator(int table)
{
	static const enum fmt_version versions[] = { FMT_2021, FMT_2019 };

	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		size_t n;
		const struct fmt_field *f = fmt_fields(versions[v], &n);

		for (size_t i = 0; i < n; i++)
			if (f[i].table == table)
				return f[i].key[strlen(f[i].row->key)];
	}
	return '.';
}

/* Whether rows[0..i) has a row of the same table and key as rows[i] (t3 rows per version). */
static int seen_row(const struct fmt_row *rows, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (rows[j].table == rows[i].table && !strcmp(rows[j].key, rows[i].key))
			return 1;
	return 0;
}

static const char *t3_total_col(void)
{
	size_t n;
	const struct fmt_col *c = fmt_t3_cols(&n);

	for (size_t i = 0; i < n; i++)
		if (c[i].flags & FC_TOTAL)
			return c[i].key;
	return c[n - 1].key;
}

/*
 * v_figures, whose key column is generated from the format table; extra
 * is SQL appended after its last column ("" in version 1), so that each
 * version's view is what that version wrote.
 */
static void build_v_figures(struct buf *b, const char *extra)
{
	buf_adds(b, "CREATE VIEW v_figures AS\n"
		    "SELECT f.report_id AS report_id, b.name AS organization, r.year AS year,\n"
		    "  r.format AS format, f.tbl AS tbl, f.row_key AS row_key,\n"
		    "  f.col_key AS col_key,\n"
		    "  f.row_key || CASE f.tbl");
	for (int t = 2; t <= 4; t++) {
		char sep[2] = { key_separator(t), '\0' };

		buf_addf(b, " WHEN %d THEN ", t);
		add_literal(b, sep);
	}
	buf_adds(b, " END || f.col_key AS key,\n"
		    "  f.value AS value, f.blank AS blank, f.state AS state, f.raw AS raw,\n"
		    "  r.location AS location");
	buf_adds(b, extra);
	buf_adds(b, "\n"
		    "FROM figures f JOIN reports r ON r.id = f.report_id\n"
		    "  JOIN bodies b ON b.id = r.body_id;\n");
}

/* One row per report and table-3 row, one column per table-3 column. */
static void build_v_t3(struct buf *b)
{
	size_t n;
	const struct fmt_col *cols = fmt_t3_cols(&n);

	buf_adds(b, "CREATE VIEW v_t3 AS\n"
		    "SELECT f.report_id AS report_id, b.name AS organization, r.year AS year,\n"
		    "  r.format AS format, f.row_key AS row_key");
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, ",\n  MAX(CASE WHEN f.col_key = ");
		add_literal(b, cols[i].key);
		buf_adds(b, " THEN f.value END) AS ");
		add_column_name(b, cols[i].key);
	}
	buf_adds(b, "\nFROM figures f JOIN reports r ON r.id = f.report_id\n"
		    "  JOIN bodies b ON b.id = r.body_id\n"
		    "WHERE f.tbl = 3\n"
		    "GROUP BY f.report_id, f.row_key;\n");
}

/*
 * One row per report (every report, NULLs where a table is missing), one
 * column per row of table 3 (total column) or per cell of table 4.  Rows of
 * both format versions are columns, so a 2019 report has NULL in the
 * 2021-only columns and the other way round.
 */
static void build_pivot(struct buf *b, const char *name, int table)
{
	size_t nrows;
	const struct fmt_row *rows = fmt_rows(&nrows);
	const char *total = t3_total_col();

	buf_addf(b, "CREATE VIEW %s AS\n"
		    "SELECT r.id AS report_id, b.name AS organization, r.year AS year,\n"
		    "  r.format AS format",
		 name);
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].table != table || seen_row(rows, i))
			continue;
		for (size_t c = 0; c < rows[i].ncols; c++) {
			const char *col = rows[i].cols[c].key;

			if (table == 3 && strcmp(col, total))
				continue;
			buf_adds(b, ",\n  MAX(CASE WHEN f.row_key = ");
			add_literal(b, rows[i].key);
			buf_adds(b, " AND f.col_key = ");
			add_literal(b, col);
			buf_adds(b, " THEN f.value END) AS ");
			if (table == 3) {
				add_column_name(b, rows[i].key);
			} else {
				struct buf nm = BUF_INIT(BUF_NOLIMIT);

				buf_addf(&nm, "%s.%s", rows[i].key, col);
				add_column_name(b, buf_str(&nm));
				buf_release(&nm);
			}
		}
	}
	buf_addf(b, "\nFROM reports r JOIN bodies b ON b.id = r.body_id\n"
		    "  LEFT JOIN figures f ON f.report_id = r.id AND f.tbl = %d", table);
	if (table == 3) {
		buf_adds(b, " AND f.col_key = ");
		add_literal(b, total);
	}
	buf_adds(b, "\nGROUP BY r.id;\n");
}

void schema_build_views_v1(struct buf *sql)
{
	build_v_figures(sql, "");
	build_v_t3(sql);
	build_pivot(sql, "v_t3_totals", 3);
	build_pivot(sql, "v_t4", 4);
}

/*
 * Version 2.  The reports (store/query.c) read the total column of table 3
 * of many reports at once, e.g. `ogi report compare` of every township:
 * a partial covering index holds just those cells, about a seventh of the
 * figures, so that they are read without touching the rest.  The query
 * must spell the same literal for SQLite to use it.
 */
static void build_v2(struct buf *b)
{
	buf_adds(b, "CREATE INDEX figures_totals\n"
		    "  ON figures(report_id, tbl, row_key, value, state)\n"
		    "  WHERE col_key = ");
	add_literal(b, t3_total_col());
	buf_adds(b, ";\n");
}

/* Version 4: v_figures again (schema_v4 dropped it) with the provenance columns. */
static void build_v4(struct buf *b)
{
	build_v_figures(b, ",\n"
			   "  f.how AS how, f.inferred AS inferred, f.src_table AS src_table,\n"
			   "  f.src_row AS src_row, f.src_col AS src_col, f.src_line AS src_line");
}

static int db_error(sqlite3 *db, const char *path, const char *what, struct err *err)
{
	int rc = sqlite3_errcode(db);
	int code = rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? OGI_EBUSY : OGI_EDB;

	return err_set(err, code, "cannot %s '%s': %s", what, path, sqlite3_errmsg(db));
}

/* The integer in the first column of sql's first row. */
static int query_int(sqlite3 *db, const char *path, const char *sql, int *v, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int ret = 0;

	*v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db, path, "open", err);
	if (sqlite3_step(st) == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	else
		ret = db_error(db, path, "open", err);
	sqlite3_finalize(st);
	return ret;
}

int schema_read_version(sqlite3 *db, const char *path, int *version, struct err *err)
{
	return query_int(db, path, "PRAGMA user_version", version, err);
}

int schema_migrate(sqlite3 *db, const char *path, const struct schema_step *list, size_t n,
		   struct err *err)
{
	struct buf gen = BUF_INIT(BUF_NOLIMIT);
	int ret = 0, version, target = n ? list[n - 1].version : 0;
	char pragma[64];

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(db, path, "migrate", err);
	ret = schema_read_version(db, path, &version, err);
	if (ret)
		goto out;
	if (version > target) {
		ret = err_set(err, OGI_ESCHEMA,
			      "warehouse '%s' has schema version %d, newer than this ogi (%d)",
			      path, version, target);
		goto out;
	}
	if (version == target)
		goto out;
	if (version == 0) {
		int objects = 0;

		ret = query_int(db, path, "SELECT count(*) FROM sqlite_master", &objects, err);
		if (ret)
			goto out;
		if (objects) {
			ret = err_set(err, OGI_EDB,
				      "cannot open '%s': not an ogi warehouse (schema version 0, "
				      "%d objects)", path, objects);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (list[i].version <= version)
			continue;
		if (list[i].sql && sqlite3_exec(db, list[i].sql, NULL, NULL, NULL) != SQLITE_OK) {
			ret = db_error(db, path, "migrate", err);
			goto out;
		}
		if (list[i].build) {
			buf_reset(&gen);
			list[i].build(&gen);
			if (sqlite3_exec(db, buf_str(&gen), NULL, NULL, NULL) != SQLITE_OK) {
				ret = db_error(db, path, "migrate", err);
				goto out;
			}
		}
	}
	/* PRAGMA takes no bound parameters; target is our own integer. */
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", target);
	if (sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		ret = db_error(db, path, "migrate", err);
		goto out;
	}
out:
	if (!ret && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		ret = db_error(db, path, "migrate", err);
	if (ret && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	buf_release(&gen);
	return ret;
}
