#include "store/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/format.h"
#include "store/store-internal.h"
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
 * for the 40 million figures of a national warehouse), and store/report.c,
 * the only writer, spells them from form/report.c's names.  The views are dropped
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

/*
 * Version 6: one true figure per body and year.
 *  - Bodies keep their id; a user may pin the level and the parent the
 *    parser would set (level_fixed, parent_fixed); body_aliases holds the
 *    other names a body is found by (kind 'alias' given by a user,
 *    'old_name' after a rename, 'merged' the name of a body merged into
 *    it).  reports.name_read is the body's name as the page gave it.
 *  - reports.current: 1 for the one report of each body and year that
 *    every report, view and export uses (CURRENT_ORDER_SQL), and for each
 *    report of no known year or of no known body, which nothing can
 *    replace; excluded reports are never current.
 *  - exclusions: locations (a report's page or file) whose report is left
 *    out of everything current, with why; kept across reparse and
 *    re-crawl, as a report keeps its location.
 *  - fixes: a reviewer's value of a cell, with why; report.c writes it
 *    over the parsed figure each time the report is stored, and keeps
 *    what the parser read in parsed_state, parsed_value, parsed_raw
 *    (parsed_state NULL: the page did not have the cell).  A fixed
 *    figure's how is 'fix'.
 *  - labels: the codebook, generated from the format table.
 *  - seeds.body_id: the body a seed publishes for, when named by id.
 * Every view is made again: the figure views hold current reports only
 * (v_figures_all every stored report), counts are INTEGER where whole,
 * and body_id, level and parent are appended; v_findings.where_ is
 * applies_to; v_t3_totals holds each row's figure as the reports read it
 * (its total cell, else the sum of its applicant cells); new views:
 * v_volumes, v_bodies, v_aliases, v_fixes, v_exclusions.
 */
static const char schema_v6[] =
	/* the views go first: each ALTER TABLE below parses the whole schema again */
	"DROP VIEW v_reports;\n"
	"DROP VIEW v_report_sources;\n"
	"DROP VIEW v_figures;\n"
	"DROP VIEW v_t3;\n"
	"DROP VIEW v_t3_totals;\n"
	"DROP VIEW v_t4;\n"
	"DROP VIEW v_findings;\n"
	"DROP VIEW v_claims;\n"
	"ALTER TABLE bodies ADD COLUMN level_fixed INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE bodies ADD COLUMN parent_fixed INTEGER NOT NULL DEFAULT 0;\n"
	"CREATE TABLE body_aliases (\n"
	"  alias TEXT PRIMARY KEY,\n"
	"  body_id INTEGER NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,\n"
	"  kind TEXT NOT NULL CHECK (kind = 'alias' OR kind = 'old_name' OR kind = 'merged'),\n"
	"  added_at TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX body_aliases_body ON body_aliases(body_id);\n"
	"ALTER TABLE reports ADD COLUMN current INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE reports ADD COLUMN name_read TEXT;\n"
	"CREATE INDEX reports_current ON reports(body_id, year) WHERE current = 1;\n"
	"CREATE TABLE exclusions (\n"
	"  location TEXT PRIMARY KEY,\n"
	"  report_id INTEGER,\n"
	"  why TEXT NOT NULL,\n"
	"  excluded_at TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE fixes (\n"
	"  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,\n"
	"  tbl INTEGER NOT NULL CHECK (tbl = 2 OR tbl = 3 OR tbl = 4),\n"
	"  row_key TEXT NOT NULL,\n"
	"  col_key TEXT NOT NULL,\n"
	"  value REAL,\n"
	"  why TEXT NOT NULL,\n"
	"  fixed_at TEXT NOT NULL,\n"
	"  parsed_state TEXT,\n"
	"  parsed_value REAL,\n"
	"  parsed_raw TEXT,\n"
	"  parsed_how TEXT,\n"
	"  PRIMARY KEY (report_id, tbl, row_key, col_key)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE labels (\n"
	"  format TEXT NOT NULL,\n"
	"  key TEXT NOT NULL,\n"
	"  tbl INTEGER NOT NULL,\n"
	"  row_key TEXT NOT NULL,\n"
	"  col_key TEXT NOT NULL,\n"
	"  label TEXT NOT NULL,\n"
	"  row_label TEXT NOT NULL,\n"
	"  col_label TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  unit TEXT NOT NULL,\n"
	"  PRIMARY KEY (format, key)\n"
	") WITHOUT ROWID;\n"
	"ALTER TABLE seeds ADD COLUMN body_id INTEGER REFERENCES bodies(id) ON DELETE SET NULL;\n"
	"UPDATE reports SET current = 1 WHERE id IN (\n"
	"  SELECT id FROM (SELECT r.id AS id, row_number() OVER (\n"
	"    PARTITION BY r.body_id, r.year ORDER BY " CURRENT_ORDER_SQL ") AS n\n"
	"    FROM reports r JOIN sources s ON s.id = r.source_id WHERE r.year IS NOT NULL)\n"
	"  WHERE n = 1)\n"
	"  OR year IS NULL OR body_id = (SELECT id FROM bodies WHERE name = '"
	STORE_UNKNOWN_BODY "');\n";

static void build_v6(struct buf *sql);

/*
 * Version 7 (issue 12, branch crawl2; one step, nothing else depends on its
 * number: renumber it if another version 7 lands first): a crawl that tells
 * what changed and keeps away from hosts that asked it to.
 * crawl_urls.content_sha256 is the digest of what the last stored fetch
 * of a URL read (its report, or its visible text), so
 * that a page whose bytes change but not its content (a visit counter, a
 * date) is "unchanged" and not stored again.  crawl_hosts holds each
 * origin (scheme://host[:port]) that was paused (a long Retry-After,
 * timeouts in a row; paused_until, UTC) or closed for a run (failures in
 * a row; paused_until NULL), with why; a crawl asks nothing of an origin
 * before its paused_until.  crawl_runs.stopped says why a run ended before
 * its end ('time_limit'), NULL when it did not.
 */
static const char schema_v7[] =
	"ALTER TABLE crawl_urls ADD COLUMN content_sha256 TEXT;\n"
	"ALTER TABLE crawl_runs ADD COLUMN stopped TEXT;\n"
	"CREATE TABLE crawl_hosts (\n"
	"  origin TEXT PRIMARY KEY,\n"
	"  paused_until TEXT,\n"
	"  reason TEXT NOT NULL,\n"
	"  detail TEXT,\n"
	"  updated_at TEXT NOT NULL\n"
	");\n";

/*
 * Version 8 (issue 16, branch cms; one step, renumber it if another
 * version 8 lands first): list APIs asked by POST (crawler/lists.h).  A
 * frontier row is a request, URL and form body: crawl_urls.post_body is
 * the body a listing row is POSTed with, '' for a GET (not NULL, so that
 * the key (seed_id, url, post_body) holds for GETs too).  SQLite cannot
 * change a table's UNIQUE constraint, so the table is built again: renamed
 * (its own REFERENCES follow the rename), copied, dropped; the view is
 * made again with post_body as its last column.
 */
static const char schema_v8[] =
	"DROP VIEW v_crawl;\n"
	"ALTER TABLE crawl_urls RENAME TO crawl_urls_v7;\n"
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
	"  content_sha256 TEXT,\n"
	"  post_body TEXT NOT NULL DEFAULT '',\n"
	"  UNIQUE (seed_id, url, post_body)\n"
	");\n"
	"INSERT INTO crawl_urls (id, seed_id, url, kind, depth, referrer_id, link_text, state,\n"
	"  run_id, result, note, error, http_status, etag, last_modified, sha256, source_id,\n"
	"  parsed, failures, first_seen, last_fetched, last_changed, content_sha256)\n"
	"SELECT id, seed_id, url, kind, depth, referrer_id, link_text, state, run_id, result,\n"
	"  note, error, http_status, etag, last_modified, sha256, source_id, parsed, failures,\n"
	"  first_seen, last_fetched, last_changed, content_sha256 FROM crawl_urls_v7;\n"
	"DROP TABLE crawl_urls_v7;\n"
	"CREATE INDEX crawl_urls_run ON crawl_urls(run_id, seed_id);\n"
	"CREATE INDEX crawl_urls_referrer ON crawl_urls(referrer_id);\n"
	"CREATE INDEX crawl_urls_source ON crawl_urls(source_id);\n"
	"CREATE VIEW v_crawl AS\n"
	"SELECT u.id AS url_id, s.id AS seed_id, s.org AS organization, u.kind AS kind,\n"
	"  u.state AS state, u.result AS result, u.note AS note, u.url AS url,\n"
	"  u.link_text AS link_text, u.http_status AS http_status, u.error AS error,\n"
	"  u.failures AS failures, u.last_fetched AS last_fetched,\n"
	"  u.last_changed AS last_changed, u.source_id AS source_id,\n"
	"  nullif(u.post_body, '') AS post_body\n"
	"FROM crawl_urls u JOIN seeds s ON s.id = u.seed_id;\n";

/*
 * Version 9 (issue 17, branch ocr; one step, nothing else depends on its
 * number: renumber it if another version lands first): figures read
 * from pictures by OCR.  ocr_image names the picture ("page 2" of a
 * scanned PDF, or the source's own location), ocr_box the cell there
 * ("x,y,w,h" in pixels), ocr_conf Tesseract's confidence (0-100); all
 * three NULL for a figure not read by OCR.  uncertain = 1 for an OCR'd
 * figure that neither the form's arithmetic nor a high confidence vouches
 * for (form/check.h, check_ocr()).
 */
static const char schema_v9[] =
	"ALTER TABLE figures ADD COLUMN ocr_image TEXT;\n"
	"ALTER TABLE figures ADD COLUMN ocr_box TEXT;\n"
	"ALTER TABLE figures ADD COLUMN ocr_conf REAL;\n"
	"ALTER TABLE figures ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;\n";

/*
 * Version 10.  A report's findings of one rule are replaced after each
 * report stored (store_put_rule_findings); with findings_report and
 * findings_rule alike SQLite chose findings_rule, and read every finding
 * of the rule in the warehouse each time.  One index on both serves that
 * and what findings_report served.
 */
static const char schema_v10[] =
	"CREATE INDEX findings_report_rule ON findings(report_id, rule);\n"
	"DROP INDEX findings_report;\n";

static const struct schema_step steps[] = {
	{ 1, schema_v1, schema_build_views_v1 },
	{ 2, NULL, build_v2 },
	{ 3, schema_v3, NULL },
	{ 4, schema_v4, build_v4 },
	{ 5, schema_v5, NULL },
	{ 6, schema_v6, build_v6 },
	{ 7, schema_v7, NULL },
	{ 8, schema_v8, NULL },
	{ 9, schema_v9, NULL },
	{ 10, schema_v10, NULL },
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

/* ---- version 6: the views again ---- */

/*
 * A count as INTEGER when it is whole ("162", not "162.0"), a fraction
 * (a wrong count, an amount) as REAL; expr is a column of the inner query.
 */
static void add_int(struct buf *b, const char *expr)
{
	buf_addf(b, "CASE WHEN %s = CAST(%s AS INTEGER) THEN CAST(%s AS INTEGER) ELSE %s END",
		 expr, expr, expr, expr);
}

/* The value of figure f: INTEGER where whole, except amounts (VK_WAN), which stay REAL. */
static void add_value(struct buf *b, const char *f)
{
	static const enum fmt_version versions[] = { FMT_2019, FMT_2021 };
	struct buf col = BUF_INIT(BUF_NOLIMIT), amounts = BUF_INIT(BUF_NOLIMIT);

	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		size_t n;
		const struct fmt_field *fl = fmt_fields(versions[v], &n);

		for (size_t i = 0; i < n; i++) {
			if (fl[i].col->kind != VK_WAN)
				continue;
			buf_addf(&amounts, " WHEN %s.tbl = %d AND %s.row_key = ", f, fl[i].table, f);
			add_literal(&amounts, fl[i].row->key);
			buf_addf(&amounts, " AND %s.col_key = ", f);
			add_literal(&amounts, fl[i].col->key);
			buf_addf(&amounts, " THEN %s.value", f);
		}
	}
	buf_addf(&col, "%s.value", f);
	buf_adds(b, "CASE");
	buf_add(b, amounts.ptr, amounts.len);
	buf_addf(b, " WHEN %s.value = CAST(%s.value AS INTEGER) THEN CAST(%s.value AS INTEGER) "
		 "ELSE %s.value END", f, f, f, f);
	buf_release(&col);
	buf_release(&amounts);
}

/* The columns that every figure view ends with. */
#define BODY_COLS "r.body_id AS body_id, b.level AS level, p.name AS parent"
#define BODY_JOIN "JOIN bodies b ON b.id = r.body_id LEFT JOIN bodies p ON p.id = b.parent_id"
#define REPORT_JOIN "reports r " BODY_JOIN

static void build_v6_reports(struct buf *b)
{
	buf_adds(b, "CREATE VIEW v_reports AS\n"
		    "SELECT r.id AS report_id, b.name AS organization, b.level AS level,\n"
		    "  p.name AS parent, r.year AS year, r.format AS format, r.status AS status,\n"
		    "  r.missing AS missing, r.title AS title, r.published AS published,\n"
		    "  r.location AS location, s.fetched_at AS fetched_at,\n"
		    "  r.parser_version AS parser_version, r.organization_from AS organization_from,\n"
		    "  r.year_from AS year_from, r.publisher AS publisher, r.reason AS reason,\n"
		    "  cs.location AS source, cs.role AS source_role, r.body_id AS body_id,\n"
		    "  b.parent_id AS parent_id, r.current AS current,\n"
		    "  CASE WHEN r.current = 0 AND r.year IS NOT NULL THEN (SELECT c.id FROM reports c\n"
		    "    WHERE c.body_id = r.body_id AND c.year = r.year AND c.current = 1) END\n"
		    "    AS superseded_by,\n"
		    "  CASE WHEN x.location IS NULL THEN 0 ELSE 1 END AS excluded,\n"
		    "  x.why AS excluded_why, r.name_read AS name_read\n"
		    "FROM " REPORT_JOIN "\n"
		    "  JOIN sources s ON s.id = r.source_id\n"
		    "  LEFT JOIN report_sources cs ON cs.report_id = r.id AND cs.chosen = 1\n"
		    "  LEFT JOIN exclusions x ON x.location = r.location;\n"
		    "CREATE VIEW v_report_sources AS\n"
		    "SELECT rs.report_id AS report_id, b.name AS organization, r.year AS year,\n"
		    "  rs.role AS role, rs.location AS location, rs.status AS status, rs.reason AS reason,\n"
		    "  rs.chosen AS chosen, rs.parser_version AS parser_version, s.sha256 AS sha256,\n"
		    "  s.content_type AS content_type, s.fetched_at AS fetched_at,\n"
		    "  r.body_id AS body_id, r.current AS current\n"
		    "FROM report_sources rs JOIN reports r ON r.id = rs.report_id\n"
		    "  JOIN bodies b ON b.id = r.body_id\n"
		    "  JOIN sources s ON s.id = rs.source_id;\n");
}

/* v_figures (current reports) or v_figures_all (every report, with current). */
static void build_v6_figures(struct buf *b, const char *name, int all)
{
	buf_addf(b, "CREATE VIEW %s AS\n"
		    "SELECT f.report_id AS report_id, b.name AS organization, r.year AS year,\n"
		    "  r.format AS format, f.tbl AS tbl, f.row_key AS row_key, f.col_key AS col_key,\n"
		    "  f.row_key || CASE f.tbl", name);
	for (int t = 2; t <= 4; t++) {
		char sep[2] = { key_separator(t), '\0' };

		buf_addf(b, " WHEN %d THEN ", t);
		add_literal(b, sep);
	}
	buf_adds(b, " END || f.col_key AS key,\n  ");
	add_value(b, "f");
	buf_adds(b, " AS value, f.blank AS blank, f.state AS state, f.raw AS raw,\n"
		    "  r.location AS location, f.how AS how, f.inferred AS inferred,\n"
		    "  f.src_table AS src_table, f.src_row AS src_row, f.src_col AS src_col,\n"
		    "  f.src_line AS src_line, " BODY_COLS ", r.current AS current\n"
		    "FROM figures f JOIN reports r ON r.id = f.report_id " BODY_JOIN "\n");
	buf_adds(b, all ? ";\n" : "WHERE r.current = 1;\n");
}

/* A growable list of the columns of an inner query, and whether each is a count. */
struct vcols {
	struct buf names;	/* NUL-separated */
	unsigned char cast[256];
	size_t n;
};

static void vcol_add(struct vcols *c, const char *name, int cast)
{
	buf_adds(&c->names, name);
	buf_addc(&c->names, '\0');
	if (c->n < sizeof(c->cast))
		c->cast[c->n] = (unsigned char)cast;
	c->n++;
}

/* "SELECT <head>, <each column, counts cast>  FROM (" ... the caller closes ")". */
static void outer_select(struct buf *b, const char *view, const char *head, const struct vcols *c)
{
	const char *p = c->names.ptr;

	buf_addf(b, "CREATE VIEW %s AS\nSELECT %s", view, head);
	for (size_t i = 0; i < c->n; i++, p += strlen(p) + 1) {
		struct buf q = BUF_INIT(BUF_NOLIMIT);

		buf_adds(b, ",\n  ");
		add_column_name(&q, p);
		if (i < sizeof(c->cast) && c->cast[i])
			add_int(b, buf_str(&q));
		else
			buf_add(b, q.ptr, q.len);
		buf_adds(b, " AS ");
		buf_add(b, q.ptr, q.len);
		buf_release(&q);
	}
}

/* The condition that figure f is the cell (table, row, col). */
static void add_cell_cond(struct buf *b, int table, const char *row, const char *col)
{
	buf_addf(b, "f.tbl = %d AND f.row_key = ", table);
	add_literal(b, row);
	buf_adds(b, " AND f.col_key = ");
	add_literal(b, col);
}

/* A cell as the reports count it: blank is 0, absent and invalid NULL (reports/model.h). */
static void add_cell_count(struct buf *b, int table, const char *row, const char *col)
{
	buf_adds(b, "MAX(CASE WHEN ");
	add_cell_cond(b, table, row, col);
	buf_adds(b, " THEN CASE f.state WHEN 'number' THEN f.value WHEN 'blank' THEN 0 END END)");
}

/*
 * A row's figure as model_row_figure() reads it: its first column flagged
 * lhs when that is a number, NULL when it is text, else the sum of the
 * columns flagged rhs counted as cells (NULL when one is).
 */
static void add_row_figure(struct buf *b, const struct fmt_row *row, unsigned lhs, unsigned rhs)
{
	const struct fmt_col *l = NULL;
	size_t terms = 0;

	for (size_t c = 0; c < row->ncols && !l; c++)
		if (row->cols[c].flags & lhs)
			l = &row->cols[c];
	buf_adds(b, "(CASE");
	if (l) {
		buf_adds(b, " WHEN MAX(CASE WHEN ");
		add_cell_cond(b, row->table, row->key, l->key);
		buf_adds(b, " AND f.state = 'number' THEN 1 END) = 1 THEN MAX(CASE WHEN ");
		add_cell_cond(b, row->table, row->key, l->key);
		buf_adds(b, " THEN f.value END) WHEN MAX(CASE WHEN ");
		add_cell_cond(b, row->table, row->key, l->key);
		buf_adds(b, " AND f.state = 'invalid' THEN 1 END) = 1 THEN NULL");
	}
	buf_adds(b, " ELSE ");
	for (size_t c = 0; c < row->ncols; c++) {
		if (!(row->cols[c].flags & rhs))
			continue;
		if (terms++)
			buf_adds(b, " + ");
		add_cell_count(b, row->table, row->key, row->cols[c].key);
	}
	if (!terms)
		buf_adds(b, "NULL");
	buf_adds(b, " END)");
}

static void build_v6_t3(struct buf *b)
{
	size_t n;
	const struct fmt_col *cols = fmt_t3_cols(&n);
	struct vcols c = { BUF_INIT(BUF_NOLIMIT), { 0 }, 0 };

	for (size_t i = 0; i < n; i++)
		vcol_add(&c, cols[i].key, 1);
	outer_select(b, "v_t3", "report_id, organization, year, format, row_key", &c);
	buf_adds(b, ",\n  body_id, level, parent\nFROM (SELECT f.report_id AS report_id, "
		    "b.name AS organization,\n  r.year AS year, r.format AS format, "
		    "f.row_key AS row_key");
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, ",\n  MAX(CASE WHEN f.col_key = ");
		add_literal(b, cols[i].key);
		buf_adds(b, " THEN f.value END) AS ");
		add_column_name(b, cols[i].key);
	}
	buf_adds(b, ", " BODY_COLS "\n"
		    "FROM figures f JOIN reports r ON r.id = f.report_id " BODY_JOIN "\n"
		    "WHERE f.tbl = 3 AND r.current = 1\n"
		    "GROUP BY f.report_id, f.row_key);\n");
	buf_release(&c.names);
}

/*
 * v_t3_totals: each table-3 row's figure (its total, else the sum of its
 * applicant cells); v_t4: each cell of table 4.  One row per current
 * report, NULL where its format or page has no such row.
 */
static void build_v6_pivot(struct buf *b, const char *name, int table)
{
	size_t nrows;
	const struct fmt_row *rows = fmt_rows(&nrows);
	struct vcols c = { BUF_INIT(BUF_NOLIMIT), { 0 }, 0 };
	struct buf inner = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].table != table || seen_row(rows, i))
			continue;
		if (table == 3) {
			vcol_add(&c, rows[i].key, 1);
			buf_adds(&inner, ",\n  ");
			add_row_figure(&inner, &rows[i], FC_TOTAL, FC_APPLICANT);
			buf_adds(&inner, " AS ");
			add_column_name(&inner, rows[i].key);
			continue;
		}
		for (size_t k = 0; k < rows[i].ncols; k++) {
			struct buf nm = BUF_INIT(BUF_NOLIMIT);

			buf_addf(&nm, "%s.%s", rows[i].key, rows[i].cols[k].key);
			vcol_add(&c, buf_str(&nm), 1);
			buf_adds(&inner, ",\n  MAX(CASE WHEN ");
			add_cell_cond(&inner, table, rows[i].key, rows[i].cols[k].key);
			buf_adds(&inner, " THEN f.value END) AS ");
			add_column_name(&inner, buf_str(&nm));
			buf_release(&nm);
		}
	}
	outer_select(b, name, "report_id, organization, year, format", &c);
	buf_adds(b, ",\n  body_id, level, parent\nFROM (SELECT r.id AS report_id, "
		    "b.name AS organization, r.year AS year,\n  r.format AS format");
	buf_add(b, inner.ptr, inner.len);
	buf_addf(b, ", " BODY_COLS "\nFROM " REPORT_JOIN "\n"
		    "  LEFT JOIN figures f ON f.report_id = r.id AND f.tbl = %d\n"
		    "WHERE r.current = 1\nGROUP BY r.id);\n", table);
	buf_release(&inner);
	buf_release(&c.names);
}

/* The sum of the figures of rows (of the report's format), by format; NULL for none. */
static void add_rows_sum(struct buf *b, const struct fmt_row *const *rows, size_t n)
{
	static const enum fmt_version versions[] = { FMT_2019, FMT_2021 };

	buf_adds(b, "CASE r.format");
	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		size_t terms = 0;

		for (size_t i = 0; i < n; i++) {
			if (!(rows[i]->formats & versions[v]))
				continue;
			if (!terms++) {
				buf_adds(b, " WHEN ");
				add_literal(b, fmt_version_name(versions[v]));
				buf_adds(b, " THEN ");
			} else {
				buf_adds(b, " + ");
			}
			add_row_figure(b, rows[i], FC_TOTAL, FC_APPLICANT);
		}
	}
	buf_adds(b, " END");
}

#define MAX_SUM_ROWS 32

/* The table-3 rows a claim names: "granted partial", "group:refused". */
static size_t claim_rows(const struct fmt_claim *cl, const struct fmt_row **out)
{
	size_t nrows, n = 0;
	const struct fmt_row *rows = fmt_rows(&nrows);
	const char *p = cl->rows;
	struct fmt_row_name name;

	while (fmt_next_row_name(&p, &name))
		for (size_t i = 0; i < nrows && n < MAX_SUM_ROWS; i++)
			if (fmt_row_named(&rows[i], &name))
				out[n++] = &rows[i];
	return n;
}

/* Table-3 rows flagged flags (each key once: the rows of both formats). */
static size_t flagged_rows(unsigned flags, const struct fmt_row **out)
{
	size_t nrows, n = 0;
	const struct fmt_row *rows = fmt_rows(&nrows);

	for (size_t i = 0; i < nrows && n < MAX_SUM_ROWS; i++)
		if (rows[i].table == 3 && (rows[i].flags & flags) == flags)
			out[n++] = &rows[i];
	return n;
}

/*
 * v_volumes: what `ogi report volumes` prints, one row per current report
 * with a year, the same measures in the same order (reports/volumes.c,
 * model.c) from the same format table: the inflow rows by applicant and
 * whole, the outcome groups, the total and the outflow, the rates and
 * the table-2 sums.  Counts are INTEGER where whole; rates are rounded
 * to one decimal as the reports round them; amounts stay REAL.
 */
static void build_v6_volumes(struct buf *b)
{
	size_t nrows, nrates, nsums, nclaims;
	const struct fmt_row *rows = fmt_rows(&nrows);
	const struct fmt_rate *rates = fmt_rates(&nrates);
	const struct fmt_t2_sum *sums = fmt_t2_sums(&nsums);
	const struct fmt_claim *claims = fmt_claims(&nclaims);
	const struct fmt_row *set[MAX_SUM_ROWS];
	struct vcols c = { BUF_INIT(BUF_NOLIMIT), { 0 }, 0 };
	struct buf inner = BUF_INIT(BUF_NOLIMIT), rate = BUF_INIT(BUF_NOLIMIT);
	struct buf done = BUF_INIT(BUF_NOLIMIT);	/* NUL-separated names of outcome groups */
	size_t n;

	/* new_natural_person ... new, carried_over_* ... carried_over */
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].table != 3 || !(rows[i].flags & FR_INFLOW) || seen_row(rows, i))
			continue;
		for (size_t k = 0; k < rows[i].ncols; k++) {
			struct buf nm = BUF_INIT(BUF_NOLIMIT);

			if (!(rows[i].cols[k].flags & FC_APPLICANT))
				continue;
			buf_addf(&nm, "%s_%s", rows[i].key, rows[i].cols[k].key);
			vcol_add(&c, buf_str(&nm), 1);
			buf_adds(&inner, ",\n  ");
			add_cell_count(&inner, 3, rows[i].key, rows[i].cols[k].key);
			buf_adds(&inner, " AS ");
			add_column_name(&inner, buf_str(&nm));
			buf_release(&nm);
		}
		set[0] = &rows[i];
		vcol_add(&c, rows[i].key, 1);
		buf_adds(&inner, ",\n  ");
		add_rows_sum(&inner, set, 1);
		buf_adds(&inner, " AS ");
		add_column_name(&inner, rows[i].key);
	}
	/* the outcome groups in form order: a group's rows, or a row alone */
	for (size_t i = 0; i < nrows; i++) {
		const char *name;
		int seen = 0;

		if (rows[i].table != 3 || !(rows[i].flags & FR_OUTCOME))
			continue;
		name = rows[i].group ? rows[i].group : rows[i].key;
		for (const char *p = done.ptr; p && p < done.ptr + done.len; p += strlen(p) + 1)
			seen |= !strcmp(p, name);
		if (seen)
			continue;
		buf_adds(&done, name);
		buf_addc(&done, '\0');
		n = 0;
		for (size_t k = i; k < nrows && n < MAX_SUM_ROWS; k++) {
			const char *g = rows[k].group ? rows[k].group : rows[k].key;

			/* the 2019 "other" row and the 2021 "other.*" rows are one group */
			if (rows[k].table == 3 && (rows[k].flags & FR_OUTCOME) && !strcmp(g, name))
				set[n++] = &rows[k];
		}
		vcol_add(&c, name, 1);
		buf_adds(&inner, ",\n  ");
		add_rows_sum(&inner, set, n);
		buf_adds(&inner, " AS ");
		add_column_name(&inner, name);
	}
	n = flagged_rows(FR_TOTAL, set);
	vcol_add(&c, set[0]->key, 1);
	buf_adds(&inner, ",\n  ");
	add_rows_sum(&inner, set, n);
	buf_adds(&inner, " AS ");
	add_column_name(&inner, set[0]->key);
	n = flagged_rows(FR_OUTFLOW, set);
	vcol_add(&c, set[0]->key, 1);
	buf_adds(&inner, ",\n  ");
	add_rows_sum(&inner, set, n);
	buf_adds(&inner, " AS ");
	add_column_name(&inner, set[0]->key);
	/* the rates: numerator and denominator as hidden columns of the inner query */
	for (size_t r = 0; r < nrates; r++) {
		const struct fmt_claim *cl = NULL;
		const struct fmt_row *tot[MAX_SUM_ROWS];
		size_t ntot = flagged_rows(FR_TOTAL, tot);

		for (size_t i = 0; i < nclaims; i++)
			if (!strcmp(claims[i].key, rates[r].claim))
				cl = &claims[i];
		if (!cl)
			continue;
		n = claim_rows(cl, set);
		buf_addf(&inner, ",\n  ");
		add_rows_sum(&inner, set, n);
		buf_addf(&inner, " AS \"_num%zu\",\n  ", r);
		add_rows_sum(&inner, tot, ntot);
		buf_addf(&inner, " AS \"_den%zu\"", r);
		buf_addf(&rate, ",\n  CASE WHEN \"_den%zu\" <> 0 THEN round(100.0 * \"_num%zu\" / "
			 "\"_den%zu\" * 10.0) / 10.0 END AS ", r, r, r);
		add_column_name(&rate, rates[r].name);
	}
	outer_select(b, "v_volumes", "report_id, body_id, organization, level, parent, year, format",
		     &c);
	buf_add(b, rate.ptr, rate.len);
	/* the table-2 sums, of the fields the report's format has */
	for (size_t d = 0; d < nsums; d++) {
		static const enum fmt_version versions[] = { FMT_2019, FMT_2021 };
		int amount = 0;

		buf_adds(&inner, ",\n  CASE r.format");
		for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
			size_t nf, terms = 0;
			const struct fmt_field *f = fmt_fields(versions[v], &nf);

			for (size_t i = 0; i < nf; i++) {
				const char *p = sums[d].fields, *hit;
				size_t len = strlen(f[i].key);

				if (f[i].table != 2)
					continue;
				for (hit = strstr(p, f[i].key); hit; hit = strstr(hit + 1, f[i].key))
					if ((hit == p || hit[-1] == ' ') &&
					    (hit[len] == ' ' || !hit[len]))
						break;
				if (!hit)
					continue;
				if (!terms++) {
					buf_adds(&inner, " WHEN ");
					add_literal(&inner, fmt_version_name(versions[v]));
					buf_adds(&inner, " THEN ");
				} else {
					buf_adds(&inner, " + ");
				}
				add_cell_count(&inner, 2, f[i].row->key, f[i].col->key);
				amount |= f[i].col->kind == VK_WAN;
			}
		}
		buf_adds(&inner, " END AS ");
		add_column_name(&inner, sums[d].name);
		buf_adds(b, ",\n  ");
		{
			struct buf q = BUF_INIT(BUF_NOLIMIT);

			add_column_name(&q, sums[d].name);
			if (amount)
				buf_add(b, q.ptr, q.len);
			else
				add_int(b, buf_str(&q));
			buf_adds(b, " AS ");
			buf_add(b, q.ptr, q.len);
			buf_release(&q);
		}
	}
	buf_adds(b, "\nFROM (SELECT r.id AS report_id, r.body_id AS body_id, "
		    "b.name AS organization,\n  b.level AS level, p.name AS parent, r.year AS year, "
		    "r.format AS format");
	buf_add(b, inner.ptr, inner.len);
	buf_adds(b, "\nFROM " REPORT_JOIN "\n"
		    "  LEFT JOIN figures f ON f.report_id = r.id AND f.tbl <> 4\n"
		    "WHERE r.current = 1 AND r.year IS NOT NULL\nGROUP BY r.id);\n");
	buf_release(&inner);
	buf_release(&rate);
	buf_release(&done);
	buf_release(&c.names);
}

static void build_v6_others(struct buf *b)
{
	buf_adds(b, "CREATE VIEW v_findings AS\n"
		    "SELECT fd.id AS finding_id, fd.report_id AS report_id, b.name AS organization,\n"
		    "  r.year AS year, fd.rule AS rule, fd.kind AS kind, fd.where_ AS applies_to,\n"
		    "  fd.cells AS cells, fd.expected_expr AS expected_expr,\n  ");
	add_int(b, "fd.expected");
	buf_adds(b, " AS expected,\n  fd.found_expr AS found_expr,\n  ");
	add_int(b, "fd.found");
	buf_adds(b, " AS found,\n  fd.message AS message, r.location AS location,\n"
		    "  " BODY_COLS "\n"
		    "FROM findings fd JOIN reports r ON r.id = fd.report_id " BODY_JOIN "\n"
		    "WHERE r.current = 1;\n"
		    "CREATE VIEW v_claims AS\n"
		    "SELECT c.report_id AS report_id, b.name AS organization, r.year AS year,\n"
		    "  c.seq AS seq, c.claim_key AS claim_key,\n  ");
	add_int(b, "c.value");
	buf_adds(b, " AS value, c.raw AS raw,\n  " BODY_COLS "\n"
		    "FROM claims c JOIN reports r ON r.id = c.report_id " BODY_JOIN "\n"
		    "WHERE r.current = 1;\n"
		    "CREATE VIEW v_bodies AS\n"
		    "SELECT b.id AS body_id, b.name AS organization, b.level AS level,\n"
		    "  b.parent_id AS parent_id, p.name AS parent,\n"
		    "  (SELECT group_concat(a.alias, '; ') FROM (SELECT alias FROM body_aliases\n"
		    "    WHERE body_id = b.id ORDER BY alias) a) AS aliases,\n"
		    "  (SELECT count(*) FROM reports r WHERE r.body_id = b.id AND r.current = 1)\n"
		    "    AS reports,\n"
		    "  (SELECT min(year) FROM reports r WHERE r.body_id = b.id AND r.current = 1)\n"
		    "    AS first_year,\n"
		    "  (SELECT max(year) FROM reports r WHERE r.body_id = b.id AND r.current = 1)\n"
		    "    AS last_year,\n"
		    "  b.level_fixed AS level_fixed, b.parent_fixed AS parent_fixed\n"
		    "FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id;\n"
		    "CREATE VIEW v_aliases AS\n"
		    "SELECT a.alias AS alias, a.body_id AS body_id, b.name AS organization,\n"
		    "  a.kind AS kind, a.added_at AS added_at\n"
		    "FROM body_aliases a JOIN bodies b ON b.id = a.body_id;\n"
		    "CREATE VIEW v_fixes AS\n"
		    "SELECT x.report_id AS report_id, b.name AS organization, r.year AS year,\n"
		    "  x.tbl AS tbl, x.row_key AS row_key, x.col_key AS col_key,\n"
		    "  x.row_key || CASE x.tbl");
	for (int t = 2; t <= 4; t++) {
		char sep[2] = { key_separator(t), '\0' };

		buf_addf(b, " WHEN %d THEN ", t);
		add_literal(b, sep);
	}
	buf_adds(b, " END || x.col_key AS key,\n  ");
	add_value(b, "x");
	buf_adds(b, " AS value,\n  x.parsed_state AS parsed_state, ");
	add_int(b, "x.parsed_value");
	buf_adds(b, " AS parsed_value,\n  x.parsed_raw AS parsed_raw, x.why AS why, x.fixed_at AS fixed_at,\n"
		    "  r.body_id AS body_id, r.current AS current\n"
		    "FROM fixes x JOIN reports r ON r.id = x.report_id\n"
		    "  JOIN bodies b ON b.id = r.body_id;\n"
		    "CREATE VIEW v_exclusions AS\n"
		    "SELECT x.location AS location, r.id AS report_id, b.name AS organization,\n"
		    "  r.year AS year, x.why AS why, x.excluded_at AS excluded_at\n"
		    "FROM exclusions x LEFT JOIN reports r ON r.location = x.location\n"
		    "  LEFT JOIN bodies b ON b.id = r.body_id;\n");
}

/* The codebook: one row per field of each format, from the format table. */
static void build_v6_labels(struct buf *b)
{
	static const enum fmt_version versions[] = { FMT_2019, FMT_2021 };

	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		size_t n;
		const struct fmt_field *f = fmt_fields(versions[v], &n);

		for (size_t i = 0; i < n; i++) {
			struct buf label = BUF_INIT(BUF_NOLIMIT);

			buf_addf(&label, "%s %s", f[i].row->label, f[i].col->label);
			buf_adds(b, "INSERT INTO labels VALUES (");
			add_literal(b, fmt_version_name(versions[v]));
			buf_adds(b, ", ");
			add_literal(b, f[i].key);
			buf_addf(b, ", %d, ", f[i].table);
			add_literal(b, f[i].row->key);
			buf_adds(b, ", ");
			add_literal(b, f[i].col->key);
			buf_adds(b, ", ");
			add_literal(b, buf_str(&label));
			buf_adds(b, ", ");
			add_literal(b, f[i].row->label);
			buf_adds(b, ", ");
			add_literal(b, f[i].col->label);
			buf_adds(b, ", ");
			add_literal(b, fmt_kind_name(f[i].col->kind));
			buf_adds(b, ", ");
			add_literal(b, fmt_unit_name(f[i].col->kind));
			buf_adds(b, ");\n");
			buf_release(&label);
		}
	}
}

static void build_v6(struct buf *b)
{
	build_v6_reports(b);
	build_v6_figures(b, "v_figures", 0);
	build_v6_figures(b, "v_figures_all", 1);
	build_v6_t3(b);
	build_v6_pivot(b, "v_t3_totals", 3);
	build_v6_pivot(b, "v_t4", 4);
	build_v6_volumes(b);
	build_v6_others(b);
	build_v6_labels(b);
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

/*
 * The views a migration creates, made at its end.  Every ALTER TABLE
 * makes SQLite parse the whole schema again, and the generated pivot
 * views are large: a new warehouse, going through every step, parsed the
 * views of the early steps once per later ALTER, about 0.1 s of CPU (300
 * million instructions) before its first page.  So "CREATE VIEW name"
 * statements wait, a "DROP VIEW name" of one that waits forgets it, and
 * the others run in order.  A step must not read a view it or an earlier
 * step of the same migration creates; none does.
 */
struct view_def {
	char *name;
	char *sql;
};

struct views {
	struct view_def *v;
	size_t n, alloc;
};

static void views_release(struct views *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		free(vs->v[i].name);
		free(vs->v[i].sql);
	}
	free(vs->v);
}

/* The name after a prefix ("CREATE VIEW ") at s, or NULL; *len its length. */
static const char *view_name(const char *s, const char *prefix, size_t *len)
{
	size_t p = strlen(prefix);

	if (strncmp(s, prefix, p))
		return NULL;
	s += p;
	*len = strcspn(s, " \t\n(;");
	return *len ? s : NULL;
}

/*
 * Just past the ';' ending the statement at sql (or its end): the steps'
 * own SQL, with quoted strings and names but no comments.
 */
static const char *statement_end(const char *sql)
{
	char quote = 0;

	for (; *sql; sql++) {
		if (quote) {
			if (*sql == quote)
				quote = 0;	/* a doubled quote closes and opens again */
		} else if (*sql == '\'' || *sql == '"') {
			quote = *sql;
		} else if (*sql == ';') {
			return sql + 1;
		}
	}
	return sql;
}

/* Index of the waiting view name[0..len), or -1. */
static ssize_t views_find(const struct views *vs, const char *name, size_t len)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].name) == len && !memcmp(vs->v[i].name, name, len))
			return (ssize_t)i;
	return -1;
}

/* Runs one step's SQL, statement by statement, its views put aside (struct views). */
static int run_step(sqlite3 *db, const char *path, const char *sql, struct views *vs,
		    struct err *err)
{
	while (*sql) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL, *name;
		size_t len;
		ssize_t k;
		int rc;

		sql += strspn(sql, " \t\r\n");
		if (!*sql)
			break;
		if ((name = view_name(sql, "CREATE VIEW ", &len))) {
			/* not prepared: it is parsed when it runs, at the end */
			tail = statement_end(sql);
			ALLOC_GROW(vs->v, vs->n + 1, vs->alloc);
			vs->v[vs->n].name = xmemdup(name, len);
			vs->v[vs->n++].sql = xmemdup(sql, (size_t)(tail - sql));
			sql = tail;
			continue;
		}
		if ((name = view_name(sql, "DROP VIEW ", &len)) &&
		    (k = views_find(vs, name, len)) >= 0) {
			/* not prepared either: the view is not there yet */
			free(vs->v[k].name);
			free(vs->v[k].sql);
			memmove(&vs->v[k], &vs->v[k + 1], (vs->n - (size_t)k - 1) * sizeof(*vs->v));
			vs->n--;
			sql = statement_end(sql);
			continue;
		}
		if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK)
			return db_error(db, path, "migrate", err);
		if (!st) {
			sql = tail;	/* a lone ';' */
			continue;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_error(db, path, "migrate", err);
		sql = tail;
	}
	return 0;
}

int schema_migrate(sqlite3 *db, const char *path, const struct schema_step *list, size_t n,
		   struct err *err)
{
	struct buf gen = BUF_INIT(BUF_NOLIMIT);
	struct views views = { 0 };
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
	for (size_t i = 0; i < n && !ret; i++) {
		if (list[i].version <= version)
			continue;
		if (list[i].sql)
			ret = run_step(db, path, list[i].sql, &views, err);
		if (!ret && list[i].build) {
			buf_reset(&gen);
			list[i].build(&gen);
			ret = run_step(db, path, buf_str(&gen), &views, err);
		}
	}
	for (size_t i = 0; i < views.n && !ret; i++)
		if (sqlite3_exec(db, views.v[i].sql, NULL, NULL, NULL) != SQLITE_OK)
			ret = db_error(db, path, "migrate", err);
	if (ret)
		goto out;
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
	views_release(&views);
	buf_release(&gen);
	return ret;
}
