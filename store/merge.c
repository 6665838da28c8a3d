#include "store/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/schema.h"
#include "store/store-internal.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/*
 * The steps, in order, as fixed SQL over this warehouse (main), the other
 * one (o) and temporary maps from the other's ids to this one's (m_*).
 * A step's count (changes()) goes to the counter named, or nowhere.
 */
enum counter { C_NONE, C_BODIES, C_SOURCES, C_REPORTS_NEW, C_REPORTS_UPDATED, C_SEEDS, C_URLS };

static const struct {
	enum counter count;
	const char *sql;
} steps[] = {
	{ C_NONE, "CREATE TEMP TABLE m_body (oid INTEGER PRIMARY KEY, mid INTEGER)" },
	{ C_NONE, "CREATE TEMP TABLE m_source (oid INTEGER PRIMARY KEY, mid INTEGER)" },
	{ C_NONE, "CREATE TEMP TABLE m_report (oid INTEGER PRIMARY KEY, mid INTEGER, "
		  "copy INTEGER NOT NULL, existed INTEGER NOT NULL)" },
	{ C_NONE, "CREATE TEMP TABLE m_seed (oid INTEGER PRIMARY KEY, mid INTEGER)" },
	{ C_NONE, "CREATE TEMP TABLE m_run (oid INTEGER PRIMARY KEY, mid INTEGER)" },
	{ C_NONE, "CREATE TEMP TABLE m_url (oid INTEGER PRIMARY KEY, mid INTEGER, new INTEGER)" },
	/* bodies: by name, else by an alias of this one, else by an alias of the other's */
	{ C_NONE, "INSERT INTO m_body SELECT ob.id, coalesce("
		  "(SELECT id FROM main.bodies WHERE name = ob.name), "
		  "(SELECT body_id FROM main.body_aliases WHERE alias = ob.name), "
		  "(SELECT b.id FROM o.body_aliases oa JOIN main.bodies b ON b.name = oa.alias "
		  "  WHERE oa.body_id = ob.id ORDER BY b.id LIMIT 1)) FROM o.bodies ob" },
	{ C_BODIES, "INSERT INTO main.bodies (name, level, level_fixed, parent_fixed) "
		    "SELECT ob.name, ob.level, ob.level_fixed, ob.parent_fixed FROM o.bodies ob "
		    "JOIN m_body m ON m.oid = ob.id WHERE m.mid IS NULL ORDER BY ob.id" },
	{ C_NONE, "UPDATE m_body SET mid = (SELECT b.id FROM main.bodies b JOIN o.bodies ob "
		  "ON ob.name = b.name WHERE ob.id = m_body.oid) WHERE mid IS NULL" },
	{ C_NONE, "UPDATE main.bodies SET level = (SELECT ob.level FROM o.bodies ob "
		  "JOIN m_body m ON m.oid = ob.id WHERE m.mid = bodies.id AND ob.level IS NOT NULL "
		  "ORDER BY ob.id LIMIT 1) WHERE level IS NULL AND NOT level_fixed AND EXISTS "
		  "(SELECT 1 FROM o.bodies ob JOIN m_body m ON m.oid = ob.id "
		  "WHERE m.mid = bodies.id AND ob.level IS NOT NULL)" },
	{ C_NONE, "UPDATE main.bodies SET parent_id = (SELECT mp.mid FROM o.bodies ob "
		  "JOIN m_body m ON m.oid = ob.id JOIN m_body mp ON mp.oid = ob.parent_id "
		  "WHERE m.mid = bodies.id AND mp.mid <> bodies.id ORDER BY ob.id LIMIT 1) "
		  "WHERE parent_id IS NULL AND NOT parent_fixed AND EXISTS (SELECT 1 "
		  "FROM o.bodies ob JOIN m_body m ON m.oid = ob.id JOIN m_body mp "
		  "ON mp.oid = ob.parent_id WHERE m.mid = bodies.id AND mp.mid <> bodies.id)" },
	{ C_NONE, "INSERT INTO main.body_aliases (alias, body_id, kind, added_at) "
		  "SELECT oa.alias, m.mid, oa.kind, oa.added_at FROM o.body_aliases oa "
		  "JOIN m_body m ON m.oid = oa.body_id "
		  "WHERE oa.alias NOT IN (SELECT name FROM main.bodies) "
		  "ORDER BY oa.alias ON CONFLICT (alias) DO NOTHING" },
	/* sources: by content hash */
	{ C_SOURCES, "INSERT INTO main.sources (location, sha256, size, content_type, fetched_at, "
		     "http_status, etag, last_modified, first_seen, content) "
		     "SELECT location, sha256, size, content_type, fetched_at, http_status, etag, "
		     "last_modified, first_seen, content FROM o.sources "
		     "WHERE sha256 NOT IN (SELECT sha256 FROM main.sources) ORDER BY id" },
	{ C_NONE, "INSERT INTO m_source SELECT os.id, s.id FROM o.sources os "
		  "JOIN main.sources s ON s.sha256 = os.sha256" },
	/*
	 * reports: by location; one both have takes the other's content when
	 * that differs and was fetched later (the same bytes are the same
	 * report: merging again copies nothing)
	 */
	{ C_NONE, "INSERT INTO m_report SELECT r.id, m.id, "
		  "m.id IS NULL OR (os.sha256 <> ms.sha256 AND os.fetched_at > ms.fetched_at), "
		  "m.id IS NOT NULL "
		  "FROM o.reports r JOIN o.sources os ON os.id = r.source_id "
		  "LEFT JOIN main.reports m ON m.location = r.location "
		  "LEFT JOIN main.sources ms ON ms.id = m.source_id" },
	{ C_REPORTS_NEW, "INSERT INTO main.reports (location, source_id, body_id, year, format, "
			 "status, missing, title, published, charset, parser_version, parsed_at, "
			 "organization_from, year_from, publisher, reason, current, name_read) "
			 "SELECT r.location, ms.mid, mb.mid, r.year, r.format, r.status, r.missing, "
			 "r.title, r.published, r.charset, r.parser_version, r.parsed_at, "
			 "r.organization_from, r.year_from, r.publisher, r.reason, 0, r.name_read "
			 "FROM o.reports r JOIN m_report mr ON mr.oid = r.id "
			 "JOIN m_source ms ON ms.oid = r.source_id JOIN m_body mb ON mb.oid = r.body_id "
			 "WHERE mr.mid IS NULL ORDER BY r.id" },
	{ C_NONE, "UPDATE m_report SET mid = (SELECT m.id FROM main.reports m JOIN o.reports r "
		  "ON r.location = m.location WHERE r.id = m_report.oid) WHERE mid IS NULL" },
	{ C_REPORTS_UPDATED, "UPDATE main.reports SET (source_id, body_id, year, format, status, "
			     "missing, title, published, charset, parser_version, parsed_at, "
			     "organization_from, year_from, publisher, reason, name_read) = "
			     "(SELECT ms.mid, mb.mid, r.year, r.format, r.status, r.missing, r.title, "
			     "r.published, r.charset, r.parser_version, r.parsed_at, "
			     "r.organization_from, r.year_from, r.publisher, r.reason, r.name_read "
			     "FROM m_report mr JOIN o.reports r ON r.id = mr.oid "
			     "JOIN m_source ms ON ms.oid = r.source_id "
			     "JOIN m_body mb ON mb.oid = r.body_id WHERE mr.mid = reports.id) "
			     "WHERE id IN (SELECT mid FROM m_report WHERE copy AND existed)" },
	{ C_NONE, "DELETE FROM main.figures WHERE report_id IN "
		  "(SELECT mid FROM m_report WHERE copy AND existed)" },
	{ C_NONE, "DELETE FROM main.claims WHERE report_id IN "
		  "(SELECT mid FROM m_report WHERE copy AND existed)" },
	{ C_NONE, "DELETE FROM main.findings WHERE report_id IN "
		  "(SELECT mid FROM m_report WHERE copy AND existed)" },
	{ C_NONE, "DELETE FROM main.report_sources WHERE report_id IN "
		  "(SELECT mid FROM m_report WHERE copy AND existed)" },
	{ C_NONE, "INSERT INTO main.figures (report_id, tbl, row_key, col_key, value, raw, blank, "
		  "state, how, inferred, src_table, src_row, src_col, src_line) "
		  "SELECT mr.mid, f.tbl, f.row_key, f.col_key, f.value, f.raw, f.blank, f.state, "
		  "f.how, f.inferred, f.src_table, f.src_row, f.src_col, f.src_line "
		  "FROM o.figures f JOIN m_report mr ON mr.oid = f.report_id WHERE mr.copy" },
	{ C_NONE, "INSERT INTO main.claims (report_id, seq, claim_key, value, raw) "
		  "SELECT mr.mid, c.seq, c.claim_key, c.value, c.raw FROM o.claims c "
		  "JOIN m_report mr ON mr.oid = c.report_id WHERE mr.copy" },
	{ C_NONE, "INSERT INTO main.findings (report_id, rule, kind, where_, cells, expected_expr, "
		  "expected, found_expr, found, message) "
		  "SELECT mr.mid, fd.rule, fd.kind, fd.where_, fd.cells, fd.expected_expr, "
		  "fd.expected, fd.found_expr, fd.found, fd.message FROM o.findings fd "
		  "JOIN m_report mr ON mr.oid = fd.report_id WHERE mr.copy ORDER BY fd.id" },
	{ C_NONE, "INSERT INTO main.report_sources (report_id, location, source_id, role, status, "
		  "reason, parser_version, chosen) "
		  "SELECT mr.mid, rs.location, ms.mid, rs.role, rs.status, rs.reason, "
		  "rs.parser_version, rs.chosen FROM o.report_sources rs "
		  "JOIN m_report mr ON mr.oid = rs.report_id "
		  "JOIN m_source ms ON ms.oid = rs.source_id WHERE mr.copy" },
	/* corrections: those this one lacks; this one's fixes stand over copied figures */
	{ C_NONE, "INSERT INTO main.fixes SELECT mr.mid, x.tbl, x.row_key, x.col_key, x.value, "
		  "x.why, x.fixed_at, x.parsed_state, x.parsed_value, x.parsed_raw, x.parsed_how "
		  "FROM o.fixes x JOIN m_report mr ON mr.oid = x.report_id WHERE true "
		  "ON CONFLICT (report_id, tbl, row_key, col_key) DO NOTHING" },
	{ C_NONE, "INSERT INTO main.figures (report_id, tbl, row_key, col_key, value, raw, blank, "
		  "state, how, inferred) SELECT report_id, tbl, row_key, col_key, value, NULL, "
		  "value IS NULL, CASE WHEN value IS NULL THEN 'blank' ELSE 'number' END, 'fix', 0 "
		  "FROM main.fixes WHERE report_id IN (SELECT mid FROM m_report WHERE copy) "
		  "ON CONFLICT (report_id, tbl, row_key, col_key) DO UPDATE SET "
		  "value = excluded.value, blank = excluded.blank, state = excluded.state, how = 'fix'" },
	{ C_NONE, "INSERT INTO main.exclusions (location, report_id, why, excluded_at) "
		  "SELECT x.location, (SELECT id FROM main.reports WHERE location = x.location), "
		  "x.why, x.excluded_at FROM o.exclusions x WHERE true "
		  "ON CONFLICT (location) DO NOTHING" },
	/* crawl state: seeds by URL, runs by start and pid, the frontier by seed and URL */
	{ C_SEEDS, "INSERT INTO main.seeds (url, org, level, parent, scope, kind, added_at, body_id) "
		   "SELECT s.url, s.org, s.level, s.parent, s.scope, s.kind, s.added_at, "
		   "(SELECT mid FROM m_body WHERE oid = s.body_id) FROM o.seeds s "
		   "WHERE s.url NOT IN (SELECT url FROM main.seeds) ORDER BY s.id" },
	{ C_NONE, "INSERT INTO m_seed SELECT os.id, s.id FROM o.seeds os "
		  "JOIN main.seeds s ON s.url = os.url" },
	{ C_NONE, "INSERT INTO main.crawl_runs (pid, selection, started_at, finished_at, status, "
		  "stopped) "
		  "SELECT r.pid, r.selection, r.started_at, r.finished_at, r.status, r.stopped "
		  "FROM o.crawl_runs r WHERE NOT EXISTS (SELECT 1 FROM main.crawl_runs x "
		  "WHERE x.started_at = r.started_at AND x.pid = r.pid "
		  "AND x.selection = r.selection) ORDER BY r.id" },
	{ C_NONE, "INSERT INTO m_run SELECT r.id, (SELECT x.id FROM main.crawl_runs x "
		  "WHERE x.started_at = r.started_at AND x.pid = r.pid "
		  "AND x.selection = r.selection ORDER BY x.id LIMIT 1) FROM o.crawl_runs r" },
	{ C_NONE, "INSERT INTO m_url SELECT u.id, (SELECT x.id FROM main.crawl_urls x "
		  "WHERE x.seed_id = ms.mid AND x.url = u.url AND x.post_body = u.post_body), 0 "
		  "FROM o.crawl_urls u "
		  "JOIN m_seed ms ON ms.oid = u.seed_id" },
	{ C_NONE, "UPDATE m_url SET new = 1 WHERE mid IS NULL" },
	{ C_URLS, "INSERT INTO main.crawl_urls (seed_id, url, kind, depth, link_text, state, "
		  "run_id, result, note, error, http_status, etag, last_modified, sha256, "
		  "source_id, parsed, failures, first_seen, last_fetched, last_changed, "
		  "content_sha256, post_body) "
		  "SELECT ms.mid, u.url, u.kind, u.depth, u.link_text, u.state, "
		  "(SELECT mid FROM m_run WHERE oid = u.run_id), u.result, u.note, u.error, "
		  "u.http_status, u.etag, u.last_modified, u.sha256, "
		  "(SELECT mid FROM m_source WHERE oid = u.source_id), u.parsed, u.failures, "
		  "u.first_seen, u.last_fetched, u.last_changed, u.content_sha256, u.post_body "
		  "FROM o.crawl_urls u "
		  "JOIN m_seed ms ON ms.oid = u.seed_id JOIN m_url mu ON mu.oid = u.id "
		  "WHERE mu.new ORDER BY u.id" },
	{ C_NONE, "UPDATE m_url SET mid = (SELECT x.id FROM main.crawl_urls x "
		  "JOIN m_seed ms ON ms.mid = x.seed_id JOIN o.crawl_urls u ON u.seed_id = ms.oid "
		  "AND u.url = x.url AND u.post_body = x.post_body WHERE u.id = m_url.oid) WHERE new" },
	{ C_NONE, "UPDATE main.crawl_urls SET referrer_id = (SELECT mr.mid FROM m_url mu "
		  "JOIN o.crawl_urls u ON u.id = mu.oid JOIN m_url mr ON mr.oid = u.referrer_id "
		  "WHERE mu.mid = crawl_urls.id) "
		  "WHERE id IN (SELECT mid FROM m_url WHERE new)" },
	/* hosts paused: of an origin both paused, the pause that ends later */
	{ C_NONE, "INSERT INTO main.crawl_hosts (origin, paused_until, reason, detail, updated_at) "
		  "SELECT origin, paused_until, reason, detail, updated_at FROM o.crawl_hosts "
		  "WHERE true ON CONFLICT (origin) DO UPDATE SET "
		  "paused_until = excluded.paused_until, reason = excluded.reason, "
		  "detail = excluded.detail, updated_at = excluded.updated_at "
		  "WHERE coalesce(excluded.paused_until, '') > coalesce(crawl_hosts.paused_until, '')" },
};

/* Runs sql; 0 or the error. */
static int exec(struct store *st, const char *sql, const char *what, struct err *err)
{
	if (sqlite3_exec(store_sqlite(st), sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, what, err);
	return 0;
}

/* Every year of every body the other warehouse brought, chosen again and touched. */
static int refresh(struct store *st, const char *what, struct err *err)
{
	sqlite3_stmt *s = NULL;
	int ret = store_refresh_all_current(st, err), rc;

	if (ret)
		return ret;
	if (sqlite3_prepare_v2(store_sqlite(st),
			       "SELECT DISTINCT r.body_id, coalesce(r.year, 0) FROM main.reports r "
			       "WHERE r.body_id IN (SELECT mid FROM m_body)",
			       -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, what, err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		store_touch(st, sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

/* The other file as a read-only URI (its URI characters escaped); caller frees. */
static char *readonly_uri(const char *path)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	buf_adds(&b, path[0] == '/' ? "file://" : "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			buf_addf(&b, "%%%02X", (unsigned char)*p);
		else
			buf_addc(&b, *p);
	}
	buf_adds(&b, "?mode=ro");
	return buf_take(&b);
}

int store_merge(struct store *st, const char *path, struct merge_counts *out,
		int (*before_commit)(struct store *st, struct err *err), struct err *err)
{
	static const char what[] = "merge a warehouse";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *s = NULL;
	struct stat a, b;
	char *uri;
	int ret = 0, rc, version = 0, attached = 0;

	memset(out, 0, sizeof(*out));
	if (stat(path, &a))
		return err_set(err, OGI_EIO, "cannot merge '%s': no such file", path);
	if (!stat(store_path(st), &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return err_set(err, OGI_EINVAL, "cannot merge '%s' into itself", path);
	uri = readonly_uri(path);
	if (sqlite3_prepare_v2(db, "ATTACH ?1 AS o", -1, &s, NULL) != SQLITE_OK) {
		free(uri);
		return store_fail(st, what, err);
	}
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	free(uri);
	if (rc != SQLITE_DONE)
		return err_set(err, OGI_EDB, "cannot merge '%s': %s", path, sqlite3_errmsg(db));
	attached = 1;
	if (sqlite3_prepare_v2(db, "PRAGMA o.user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	else
		ret = err_set(err, OGI_EDB, "cannot merge '%s': %s", path, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	if (!ret && version != schema_version())
		ret = err_set(err, OGI_ESCHEMA,
			      "cannot merge '%s': schema version %d, not this ogi's %d (open it "
			      "with this ogi for writing once to migrate it)", path, version,
			      schema_version());
	if (!ret)
		ret = exec(st, "BEGIN IMMEDIATE", what, err);
	for (size_t i = 0; !ret && i < sizeof(steps) / sizeof(steps[0]); i++) {
		long n;

		ret = exec(st, steps[i].sql, what, err);
		n = ret ? 0 : sqlite3_changes(db);
		switch (steps[i].count) {
		case C_BODIES:
			out->bodies += n;
			break;
		case C_SOURCES:
			out->sources += n;
			break;
		case C_REPORTS_NEW:
			out->reports_new += n;
			break;
		case C_REPORTS_UPDATED:
			out->reports_updated += n;
			break;
		case C_SEEDS:
			out->seeds += n;
			break;
		case C_URLS:
			out->urls += n;
			break;
		case C_NONE:
			break;
		}
	}
	if (!ret)
		ret = refresh(st, what, err);
	if (!ret && before_commit)
		ret = before_commit(st, err);
	if (!ret)
		ret = exec(st, "COMMIT", what, err);
	if (ret && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.m_body; DROP TABLE IF EXISTS temp.m_source; "
			 "DROP TABLE IF EXISTS temp.m_report; DROP TABLE IF EXISTS temp.m_seed; "
			 "DROP TABLE IF EXISTS temp.m_run; DROP TABLE IF EXISTS temp.m_url",
		     NULL, NULL, NULL);
	if (attached)
		sqlite3_exec(db, "DETACH o", NULL, NULL, NULL);
	return ret;
}
