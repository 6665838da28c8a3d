/*
 * The warehouse: opening and schema versions, sources, reports (round
 * trips, replacement), listing, neighbours, stale sources, findings, the
 * views, foreign keys, transactions and faults.  Every case works in a
 * fresh file under a mkdtemp() directory; the views are read with SQLite
 * directly, as an analyst would.
 */
#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "t.h"
#include "form/check.h"
#include "form/format.h"
#include "form/report.h"
#include "store/query.h"
#include "store/schema.h"
#include "store/store-internal.h"
#include "store/store.h"
#include "util/xalloc.h"

static char tmpdir[] = "/tmp/ogi-test-store-XXXXXX";
static int nfile;

/* A new file name in the temporary directory (the file is not created). */
static const char *new_path(char *out, size_t n)
{
	snprintf(out, n, "%s/t%d.db", tmpdir, ++nfile);
	return out;
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char p[4096];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(tmpdir);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = xmalloc((size_t)n + 1);
		*len = fread(data, 1, (size_t)n, f);
	}
	fclose(f);
	return data;
}

static void write_all(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static int file_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* ---- direct SQLite access, as an analyst with `sqlite3 ogi.db` ---- */

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return db;
}

/* The first column of the first row as an integer; -999 when there is no row or an error. */
static long long q_int(sqlite3 *db, const char *sql, int64_t arg)
{
	sqlite3_stmt *s = NULL;
	long long v = -999;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "  sql error: %s: %s\n", sqlite3_errmsg(db), sql);
		return v;
	}
	if (sqlite3_bind_parameter_count(s))
		sqlite3_bind_int64(s, 1, arg);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static double q_dbl(sqlite3 *db, const char *sql, int64_t arg)
{
	sqlite3_stmt *s = NULL;
	double v = -999;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "  sql error: %s: %s\n", sqlite3_errmsg(db), sql);
		return v;
	}
	if (sqlite3_bind_parameter_count(s))
		sqlite3_bind_int64(s, 1, arg);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first row's columns joined by '|' (NULL as "NULL") into out; "" when no row. */
static const char *q_row(sqlite3 *db, const char *sql, int64_t arg, char *out, size_t n)
{
	sqlite3_stmt *s = NULL;
	size_t len = 0;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(out, n, "sql error: %s", sqlite3_errmsg(db));
		return out;
	}
	if (sqlite3_bind_parameter_count(s))
		sqlite3_bind_int64(s, 1, arg);
	if (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			const char *t = (const char *)sqlite3_column_text(s, i);

			len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "|" : "",
						t ? t : "NULL");
			if (len >= n)
				break;
		}
	}
	sqlite3_finalize(s);
	return out;
}

static int raw_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* ---- building reports ---- */

static int field(enum fmt_version v, int table, const char *row, const char *col)
{
	int i = fmt_field_index(v, table, row, col);

	if (i < 0) {
		fprintf(stderr, "  no field %d %s %s\n", table, row, col);
		abort();
	}
	return i;
}

static const struct fmt_claim *claim(const char *key)
{
	size_t n;
	const struct fmt_claim *c = fmt_claims(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].key, key))
			return &c[i];
	abort();
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void set_meta(struct report *r, const char *org, const char *level, const char *parent,
		     int year)
{
	r->organization = dup_or_null(org);
	r->level = dup_or_null(level);
	r->parent = dup_or_null(parent);
	r->year = year;
}

/*
 * Provenance of every kind, varied by seed: over seeds 0..5 the body and
 * the year together take every report_source (none included), the
 * publisher is NULL, the body itself or another, and the cells are placed
 * by label, by order or not at all, inferred or not, in an HTML table
 * (including table 0, row 0, col 0, which must not read back as "none"),
 * in a line of text, or nowhere.
 */
static void set_provenance(struct report *r, int seed)
{
	r->organization_from = (enum report_source)(seed * 2 % 9);
	r->year_from = (enum report_source)((seed * 2 + 1) % 9);
	free(r->publisher);
	r->publisher = seed % 3 == 0 ? NULL
		       : seed % 3 == 1 ? dup_or_null(r->organization)
				       : xstrdup("晋江市人民政府");
	for (size_t i = 0; i < r->nvalues; i++) {
		struct report_value *v = &r->values[i];

		if (v->state == VAL_ABSENT)
			continue;
		v->how = (enum value_how)((i + (size_t)seed) % 3);
		v->inferred = (i / 2 + (size_t)seed) % 2;
		if (i % 3 == 0) {
			v->src.table = (int)(i % 4);
			v->src.row = (int)i;
			v->src.col = (int)(i % 7);
		} else if (i % 3 == 1) {
			v->src.col = (int)(i % 5);
			v->src.line = (int)i + 1;
		}
	}
}

/*
 * A report of version v with every kind of value: absent, blank, invalid
 * and numbers (integers, a decimal, a negative) and two claims.  seed
 * varies the numbers, so that two reports differ.
 */
static void make_report(struct report *r, enum fmt_version v, const char *org, int year,
			int seed)
{
	report_init(r);
	set_meta(r, org, "township", "晋江市", year);
	r->title = xstrdup("龙湖镇人民政府关于2023年政府信息公开工作年度报告");
	r->published = xstrdup("2024-01-19");
	r->charset = xstrdup("GB18030");
	r->status = RS_PARTIAL;
	r->missing = xstrdup("t4");
	report_set_format(r, v);
	for (size_t i = 0; i < r->nvalues; i++) {
		char raw[32];

		switch ((i + (size_t)seed) % 6) {
		case 0:
			break;	/* absent */
		case 1:
			report_set_value(r, i, VAL_BLANK, 0, "\xc2\xa0");
			break;
		case 2:
			report_set_value(r, i, VAL_INVALID, 0, "无");
			break;
		default:
			snprintf(raw, sizeof(raw), "%zu", i * 7 + (size_t)seed);
			report_set_value(r, i, VAL_NUMBER, (double)(i * 7 + (size_t)seed), raw);
		}
	}
	if (v == FMT_2021) {
		report_set_value(r, (size_t)field(v, 2, "fees", "amount"), VAL_NUMBER, 25.1,
				 "251000元");
	} else if (v == FMT_2019) {
		report_set_value(r, (size_t)field(v, 2, "licensing", "change"), VAL_NUMBER, -19,
				 "-19");
		report_set_value(r, (size_t)field(v, 2, "procurement", "amount"), VAL_NUMBER,
				 0.125, "0.125");
	}
	report_add_claim(r, claim("new"), 42 + seed, "共收到政府信息公开申请42件");
	report_add_claim(r, claim("refused"), 0, NULL);
	set_provenance(r, seed);
}

static void set_num(struct report *r, int table, const char *row, const char *col, double v)
{
	char raw[32];

	snprintf(raw, sizeof(raw), "%g", v);
	report_set_value(r, (size_t)field(r->format, table, row, col), VAL_NUMBER, v, raw);
}

static void check_same(const struct report *a, const struct report *b)
{
	CHECK_STR(a->organization, b->organization);
	CHECK_STR(a->level, b->level);
	CHECK_STR(a->parent, b->parent);
	CHECK_STR(a->title, b->title);
	CHECK_STR(a->published, b->published);
	CHECK_STR(a->charset, b->charset);
	CHECK_STR(a->missing, b->missing);
	CHECK_INT(a->year, b->year);
	CHECK_INT(a->format, b->format);
	CHECK_INT(a->status, b->status);
	CHECK_INT(a->organization_from, b->organization_from);
	CHECK_INT(a->year_from, b->year_from);
	CHECK_STR(a->publisher, b->publisher);
	CHECK_INT(a->nvalues, b->nvalues);
	for (size_t i = 0; i < a->nvalues && i < b->nvalues; i++) {
		const struct report_value *x = &a->values[i], *y = &b->values[i];

		CHECK_INT(x->state, y->state);
		CHECK_DBL(x->num, y->num);
		CHECK_STR(x->raw, y->raw);
		if (x->state == VAL_ABSENT)
			continue;	/* not stored: nothing to compare */
		CHECK_INT(x->how, y->how);
		CHECK_INT(x->inferred, y->inferred);
		CHECK_INT(x->src.table, y->src.table);
		CHECK_INT(x->src.row, y->src.row);
		CHECK_INT(x->src.col, y->src.col);
		CHECK_INT(x->src.line, y->src.line);
	}
	CHECK_INT(a->nclaims, b->nclaims);
	for (size_t i = 0; i < a->nclaims && i < b->nclaims; i++) {
		CHECK(a->claims[i].claim == b->claims[i].claim);
		CHECK_DBL(a->claims[i].value, b->claims[i].value);
		CHECK_STR(a->claims[i].raw, b->claims[i].raw);
	}
}

static struct store *open_new(char *path, size_t n)
{
	struct store *st = NULL;
	struct err e = ERR_INIT;

	new_path(path, n);
	if (store_open(&st, path, 0, &e)) {
		fprintf(stderr, "  store_open: %s\n", e.msg);
		abort();
	}
	return st;
}

/* Stores bytes at location and r as its report; returns the report id (0 on failure). */
static int64_t put(struct store *st, const char *location, const char *bytes,
		   const struct report *r, int parser_version, int64_t *source_id)
{
	struct source_meta m = { .location = location, .content_type = "text/html" };
	struct err e = ERR_INIT;
	int64_t sid = 0, rid = 0;
	int is_new;

	if (store_put_source(st, &m, bytes, strlen(bytes), &sid, &is_new, &e) ||
	    store_put_report(st, sid, r, parser_version, &rid, &e)) {
		fprintf(stderr, "  put '%s': %s\n", location, e.msg);
		return 0;
	}
	if (source_id)
		*source_id = sid;
	return rid;
}

static int64_t put_simple(struct store *st, const char *location, const char *org, int year)
{
	struct report r;
	int64_t id;

	report_init(&r);
	set_meta(&r, org, NULL, NULL, year);
	r.status = RS_NO_TABLES;
	id = put(st, location, location, &r, 1, NULL);
	report_release(&r);
	return id;
}

/* ---- opening ---- */

static void test_open_create_reopen(void)
{
	char path[256], row[256];
	struct store *st = NULL;
	struct err e = ERR_INIT;
	sqlite3 *db;

	new_path(path, sizeof(path));
	CHECK_INT(store_open(&st, path, 0, &e), 0);
	CHECK_INT(e.code, 0);
	CHECK(file_exists(path));
	store_close(st);
	st = NULL;

	db = raw_open(path);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), store_schema_version());
	CHECK(store_schema_version() >= 1);
	CHECK_STR(q_row(db, "PRAGMA journal_mode", 0, row, sizeof(row)), "wal");
	/* Every table and view of the documented interface is there. */
	CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
			"('bodies','sources','reports','figures','claims','findings')", 0), 6);
	CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name IN "
			"('v_reports','v_figures','v_t3','v_t3_totals','v_t4','v_findings',"
			"'v_claims')", 0), 7);
	CHECK_INT(q_int(db, "SELECT count(*) FROM v_t4", 0), 0);
	sqlite3_close(db);

	/* Reopening neither fails nor migrates again; read-only works on it too. */
	CHECK_INT(store_open(&st, path, 0, &e), 0);
	store_close(st);
	st = NULL;
	CHECK_INT(store_open(&st, path, STORE_READONLY, &e), 0);
	store_close(st);

	/* An empty (0-byte) file is a new warehouse. */
	new_path(path, sizeof(path));
	write_all(path, "", 0);
	st = NULL;
	CHECK_INT(store_open(&st, path, 0, &e), 0);
	store_close(st);
	db = raw_open(path);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), store_schema_version());
	sqlite3_close(db);
}

static void test_open_errors(void)
{
	static const struct {
		const char *name;
		const char *content;	/* NULL: no file */
		unsigned flags;
		int code;
		const char *msg;	/* a substring of the message */
	} cases[] = {
		{ "missing-ro", NULL, STORE_READONLY, OGI_EIO, "no such file" },
		{ "garbage", "this is not a database, just text\n", 0, OGI_EDB, "not a database" },
		{ "garbage-ro", "this is not a database, just text\n", STORE_READONLY, OGI_EDB,
		  "not a database" },
		{ "empty-ro", "", STORE_READONLY, OGI_EDB, "not an ogi warehouse" },
		/* said before SQLite's "unable to open database file", with the reason */
		{ "nodir/x.db", NULL, 0, OGI_EIO, "cannot create" },
		{ "nodir/y.db", NULL, 0, OGI_EIO, "No such file or directory" },
		{ "", NULL, 0, OGI_EINVAL, "no path" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[256];
		const char *msg;
		struct store *st = (struct store *)&path;	/* must be reset to NULL */
		struct err e = ERR_INIT;
		char *before = NULL, *after = NULL;
		size_t nb = 0, na = 0;
		int rc;

		if (*cases[i].name)
			snprintf(path, sizeof(path), "%s/%s", tmpdir, cases[i].name);
		else
			path[0] = '\0';
		if (cases[i].content) {
			/* 8 KiB of it, so SQLite reads a whole header of garbage. */
			FILE *f = fopen(path, "wb");

			for (int k = 0; f && *cases[i].content && k < 240; k++)
				fputs(cases[i].content, f);
			if (f)
				fclose(f);
			before = read_all(path, &nb);
		}
		rc = store_open(&st, path, cases[i].flags, &e);
		CHECK_INT(rc, cases[i].code);
		CHECK_INT(e.code, cases[i].code);
		CHECK(st == NULL);
		msg = e.msg;
		if (!strstr(msg, cases[i].msg))
			fprintf(stderr, "  message: %s\n", msg);
		CHECK(strstr(msg, cases[i].msg) != NULL);
		if (*path)
			CHECK(strstr(msg, path) != NULL);	/* the path is quoted */
		if (cases[i].content) {
			after = read_all(path, &na);
			CHECK_INT(na, nb);
			CHECK(nb == na && (!nb || !memcmp(before, after, nb)));
		} else if (*path) {
			CHECK(!file_exists(path));	/* read-only never creates */
		}
		free(before);
		free(after);
	}
}

static void test_schema_newer(void)
{
	char path[256], expect[400];
	struct store *st = NULL;
	struct err e = ERR_INIT;
	char *before, *after;
	size_t nb, na;
	sqlite3 *db;
	int newer = store_schema_version() + 1;

	new_path(path, sizeof(path));
	CHECK_INT(store_open(&st, path, 0, &e), 0);
	CHECK(put_simple(st, "http://x.gov.cn/a.html", "甲局", 2023) > 0);
	store_close(st);
	db = raw_open(path);
	snprintf(expect, sizeof(expect), "PRAGMA user_version = %d", newer);
	CHECK_INT(raw_exec(db, expect), SQLITE_OK);
	sqlite3_close(db);

	before = read_all(path, &nb);
	for (int ro = 0; ro < 2; ro++) {
		st = NULL;
		err_clear(&e);
		CHECK_INT(store_open(&st, path, ro ? STORE_READONLY : 0, &e), OGI_ESCHEMA);
		CHECK(st == NULL);
		snprintf(expect, sizeof(expect),
			 "warehouse '%s' has schema version %d, newer than this ogi (%d)", path,
			 newer, store_schema_version());
		CHECK_STR(e.msg, expect);
	}
	after = read_all(path, &na);
	CHECK_INT(na, nb);
	CHECK(na == nb && !memcmp(before, after, nb));
	free(before);
	free(after);

	db = raw_open(path);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), newer);
	CHECK_INT(q_int(db, "SELECT count(*) FROM reports", 0), 1);
	sqlite3_close(db);
}

/* An SQLite file of some other program (tables, user_version 0) is left alone. */
static void test_foreign_database(void)
{
	char path[256];
	struct store *st = NULL;
	struct err e = ERR_INIT;
	sqlite3 *db;

	new_path(path, sizeof(path));
	db = raw_open(path);
	CHECK_INT(raw_exec(db, "CREATE TABLE bodies (x); INSERT INTO bodies VALUES (1);"),
		  SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(&st, path, 0, &e), OGI_EDB);
	CHECK(strstr(e.msg, "not an ogi warehouse") != NULL);
	db = raw_open(path);
	CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master", 0), 1);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), 0);
	sqlite3_close(db);
}

/* ---- the migration engine, with steps of the test's own ---- */

static void build_extra(struct buf *sql)
{
	buf_adds(sql, "CREATE VIEW v_a AS SELECT x FROM a;");
}

static void test_migrations(void)
{
	static const struct schema_step v1[] = {
		{ 1, "CREATE TABLE a (x);", NULL },
	};
	static const struct schema_step v2[] = {
		{ 1, "CREATE TABLE a (x);", NULL },
		{ 2, "ALTER TABLE a ADD COLUMN y;", build_extra },
	};
	static const struct schema_step broken[] = {
		{ 1, "CREATE TABLE a (x);", NULL },
		{ 2, "ALTER TABLE a ADD COLUMN y;", build_extra },
		{ 3, "CREATE TABLE b (", NULL },	/* a syntax error */
	};
	char path[256];
	struct err e = ERR_INIT;
	sqlite3 *db;
	size_t n;

	new_path(path, sizeof(path));
	db = raw_open(path);
	CHECK_INT(schema_migrate(db, path, v1, 1, &e), 0);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), 1);

	/* A failing step undoes the steps before it: the file stays at version 1. */
	CHECK_INT(schema_migrate(db, path, broken, 3, &e), OGI_EDB);
	CHECK(strstr(e.msg, path) != NULL);
	CHECK(sqlite3_get_autocommit(db));
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), 1);
	CHECK_INT(q_int(db, "SELECT count(*) FROM pragma_table_info('a')", 0), 1);
	CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'v_a'", 0), 0);

	CHECK_INT(schema_migrate(db, path, v2, 2, &e), 0);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), 2);
	CHECK_INT(q_int(db, "SELECT count(*) FROM pragma_table_info('a')", 0), 2);
	CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'v_a'", 0), 1);
	/* Up to date: nothing to do; and an older list than the file is refused. */
	CHECK_INT(schema_migrate(db, path, v2, 2, &e), 0);
	CHECK_INT(schema_migrate(db, path, v1, 1, &e), OGI_ESCHEMA);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), 2);
	sqlite3_close(db);

	/*
	 * Views a migration creates are made at its end: one dropped again
	 * within it is never made, one made again has its last definition,
	 * one there before is dropped as written, and a broken one fails the
	 * migration as a broken statement does.
	 */
	{
		static const struct schema_step views[] = {
			{ 1, "CREATE TABLE a (x); CREATE VIEW v_old AS SELECT x FROM a;", NULL },
			{ 2, "DROP VIEW v_old; CREATE VIEW v_a AS SELECT x FROM a;\n"
			     "CREATE VIEW v_gone AS SELECT 1;", NULL },
			{ 3, "ALTER TABLE a ADD COLUMN y; DROP VIEW v_a; DROP VIEW v_gone;\n"
			     "CREATE VIEW v_a AS SELECT x, y, 'a;b' AS \"semi;colon\" FROM a;\n"
			     "CREATE VIEW v_b AS SELECT * FROM v_a;", NULL },
		};
		static const struct schema_step bad_view[] = {
			{ 1, "CREATE TABLE a (x); CREATE VIEW v_old AS SELECT x FROM a;", NULL },
			{ 2, "CREATE VIEW v_bad AS SELECT FROM;", NULL },
		};

		new_path(path, sizeof(path));
		db = raw_open(path);
		CHECK_INT(schema_migrate(db, path, views, 1, &e), 0);
		CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'v_old'", 0), 1);
		CHECK_INT(schema_migrate(db, path, views, 3, &e), 0);
		CHECK_INT(q_int(db, "PRAGMA user_version", 0), 3);
		CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'view'", 0), 2);
		CHECK_INT(q_int(db, "SELECT count(*) FROM pragma_table_info('v_a')", 0), 3);
		CHECK_INT(q_int(db, "SELECT count(*) FROM pragma_table_info('v_b')", 0), 3);
		CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'v_old'", 0), 0);
		sqlite3_close(db);

		new_path(path, sizeof(path));
		db = raw_open(path);
		CHECK_INT(schema_migrate(db, path, bad_view, 2, &e), OGI_EDB);
		CHECK_INT(q_int(db, "PRAGMA user_version", 0), 0);
		CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master", 0), 0);
		sqlite3_close(db);
	}

	/* The real list: versions 1.. without gaps, the last one the current. */
	const struct schema_step *s = schema_steps(&n);

	CHECK(n >= 1);
	for (size_t i = 0; i < n; i++)
		CHECK_INT(s[i].version, (int)i + 1);
	CHECK_INT(s[n - 1].version, store_schema_version());
}

/* ---- sources ---- */

static void test_sources(void)
{
	static const char page[] = "<html>\0binary\xff\xfe 晋江</html>";
	char path[256], *bytes, *loc, *ct;
	struct store *st;
	struct err e = ERR_INIT;
	struct source_meta m = { .location = "/abs/a.html",
				 .content_type = "text/html; charset=gbk",
				 .fetched_at = "2024-01-02T03:04:05Z", .http_status = 200,
				 .etag = "\"abc\"", .last_modified = "Tue, 02 Jan 2024" };
	struct source_meta m2 = { .location = "https://mirror.example/a.html" };
	int64_t id1 = 0, id2 = 0, id3 = 0, id4 = 0;
	int is_new = -1;
	size_t len;
	sqlite3 *db;

	st = open_new(path, sizeof(path));
	CHECK_INT(store_put_source(st, &m, page, sizeof(page), &id1, &is_new, &e), 0);
	CHECK(id1 > 0);
	CHECK_INT(is_new, 1);
	/* The same bytes elsewhere: the first copy's id, nothing written. */
	CHECK_INT(store_put_source(st, &m2, page, sizeof(page), &id2, &is_new, &e), 0);
	CHECK_INT(id2, id1);
	CHECK_INT(is_new, 0);
	/* Other bytes at the same location: a new source. */
	CHECK_INT(store_put_source(st, &m, "abc", 3, &id3, &is_new, &e), 0);
	CHECK(id3 != id1);
	CHECK_INT(is_new, 1);
	/* An empty page is a page; NULL output pointers are allowed. */
	CHECK_INT(store_put_source(st, &m2, NULL, 0, &id4, NULL, &e), 0);
	CHECK(id4 > id3);
	CHECK_INT(store_put_source(st, &m2, "", 0, NULL, &is_new, &e), 0);
	CHECK_INT(is_new, 0);

	CHECK_INT(store_get_source(st, id1, &bytes, &len, &loc, &ct, &e), 0);
	CHECK_INT(len, sizeof(page));
	CHECK(len == sizeof(page) && !memcmp(bytes, page, len));
	CHECK_STR(loc, "/abs/a.html");
	CHECK_STR(ct, "text/html; charset=gbk");
	free(bytes);
	free(loc);
	free(ct);
	CHECK_INT(store_get_source(st, id4, &bytes, &len, NULL, &ct, &e), 0);
	CHECK_INT(len, 0);
	CHECK_STR(bytes, "");
	CHECK(ct == NULL);
	free(bytes);
	CHECK_INT(store_get_source(st, 999, &bytes, &len, &loc, &ct, &e), OGI_ENOTFOUND);
	CHECK(bytes == NULL && loc == NULL && ct == NULL);

	/* Bad arguments write nothing. */
	CHECK_INT(store_put_source(st, NULL, "x", 1, &id2, &is_new, &e), OGI_EINVAL);
	m2.location = NULL;
	CHECK_INT(store_put_source(st, &m2, "x", 1, &id2, &is_new, &e), OGI_EINVAL);
	m2.location = "x";
	CHECK_INT(store_put_source(st, &m2, NULL, 5, &id2, &is_new, &e), OGI_EINVAL);
	store_close(st);

	db = raw_open(path);
	CHECK_INT(q_int(db, "SELECT count(*) FROM sources", 0), 3);
	/* the FIPS 180-2 digest of "abc" */
	CHECK_INT(q_int(db, "SELECT count(*) FROM sources WHERE sha256 = 'ba7816bf8f01cfea4141"
			"40de5dae2223b00361a396177a9cb410ff61f20015ad'", 0), 1);
	CHECK_INT(q_int(db, "SELECT size FROM sources WHERE id = ?", id1), (long long)sizeof(page));
	{
		char row[512];

		CHECK_STR(q_row(db, "SELECT location, fetched_at, http_status, etag, last_modified "
				"FROM sources WHERE id = ?", id1, row, sizeof(row)),
			  "/abs/a.html|2024-01-02T03:04:05Z|200|\"abc\"|Tue, 02 Jan 2024");
		/* fetched_at defaults to now, in ISO 8601 UTC. */
		q_row(db, "SELECT fetched_at, first_seen FROM sources WHERE id = ?", id4, row,
		      sizeof(row));
		CHECK_INT(strlen(row), 41);
		CHECK(row[4] == '-' && row[10] == 'T' && row[19] == 'Z');
	}
	sqlite3_close(db);
}

/* ---- reports ---- */

/*
 * store_get_report_table(): the header and table 3's figures as stored,
 * nothing else; with rows, only those of the rows so flagged.
 */
static void check_one_table(struct store *st, int64_t id, const struct report *in)
{
	static const unsigned rows[] = { 0, FR_OUTFLOW, FR_CARRIED_IN, FR_OUTFLOW | FR_TOTAL };
	struct report out;
	struct err e = ERR_INIT;
	size_t n;
	const struct fmt_field *f = fmt_fields(in->format, &n);

	report_init(&out);
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		CHECK_INT(store_get_report_table(st, id, 3, rows[k], &out, &e), 0);
		CHECK_INT(out.format, in->format);
		CHECK_INT(out.year, in->year);
		CHECK_INT(out.status, in->status);
		CHECK_INT(out.nclaims, 0);
		CHECK_INT(out.nvalues, in->nvalues);
		for (size_t i = 0; i < out.nvalues && i < n; i++) {
			int wanted = f[i].table == 3 && (!rows[k] || (f[i].row->flags & rows[k]));
			enum value_state want = wanted ? in->values[i].state : VAL_ABSENT;

			CHECK_INT(out.values[i].state, want);
			if (want == VAL_NUMBER)
				CHECK_DBL(out.values[i].num, in->values[i].num);
		}
	}
	CHECK_INT(store_get_report_table(st, id, 0, 0, &out, &e), OGI_EINVAL);
	CHECK_INT(store_get_report_table(st, 12345, 3, 0, &out, &e), OGI_ENOTFOUND);
	report_release(&out);
}

static void test_report_round_trip(void)
{
	static const enum fmt_version versions[] = { FMT_2021, FMT_2019, FMT_PRE2019,
						     FMT_UNKNOWN };
	char path[256], loc[64];
	struct store *st = open_new(path, sizeof(path));

	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		for (int seed = 0; seed < 6; seed++) {
			struct report in, out;
			struct report_info info;
			struct err e = ERR_INIT;
			int64_t sid = 0, id;

			make_report(&in, versions[v], seed == 5 ? NULL : "龙湖镇人民政府",
				    2019 + seed, seed);
			snprintf(loc, sizeof(loc), "/r/%zu-%d.html", v, seed);
			id = put(st, loc, loc, &in, 3, &sid);
			CHECK(id > 0);
			report_init(&out);
			CHECK_INT(store_get_report(st, id, &out, &info, &e), 0);
			check_same(&in, &out);
			CHECK_INT(info.id, id);
			CHECK_INT(info.source_id, sid);
			CHECK_INT(info.parser_version, 3);
			CHECK_STR(info.location, loc);
			CHECK_INT(strlen(info.fetched_at), 20);
			/* r is released by the next get, not leaked */
			CHECK_INT(store_get_report(st, id, &out, NULL, &e), 0);
			check_same(&in, &out);
			check_one_table(st, id, &in);
			report_release(&in);
			report_release(&out);
		}
	}
	{
		struct report out;
		struct err e = ERR_INIT;

		report_init(&out);
		CHECK_INT(store_get_report(st, 12345, &out, NULL, &e), OGI_ENOTFOUND);
		CHECK(out.organization == NULL && out.nvalues == 0);
	}
	store_close(st);
}

/* Hostile strings: quotes, invalid UTF-8, a huge raw cell, a location over report_info's size. */
static void test_report_hostile(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct report in, out;
	struct report_info info;
	struct err e = ERR_INIT;
	struct source_meta m = { 0 };
	char *big = xmalloc(1 << 20), *loc = xmalloc(5000);
	int64_t sid, id;
	int is_new;

	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	/* 1500 three-byte characters: truncated in info on a character boundary */
	for (int i = 0; i < 1500; i++)
		memcpy(loc + 3 * i, "镇", 3);
	loc[4500] = '\0';
	report_init(&in);
	set_meta(&in, "x'); DROP TABLE reports; --", "\xff\xfe", "\"晋江市\"", 2023);
	report_set_format(&in, FMT_2021);
	report_set_value(&in, 0, VAL_INVALID, 0, big);
	report_set_value(&in, 1, VAL_NUMBER, 1e15, "1000000000000000");
	m.location = loc;
	CHECK_INT(store_put_source(st, &m, "p", 1, &sid, &is_new, &e), 0);
	CHECK_INT(store_put_report(st, sid, &in, 1, &id, &e), 0);
	report_init(&out);
	CHECK_INT(store_get_report(st, id, &out, &info, &e), 0);
	check_same(&in, &out);
	CHECK_INT(strlen(info.location), 1023 - 1023 % 3);
	CHECK(!memcmp(info.location, loc, strlen(info.location)));
	report_release(&out);

	/* Bad reports are refused before anything is written. */
	in.nvalues++;
	CHECK_INT(store_put_report(st, sid, &in, 1, &id, &e), OGI_EINVAL);
	in.nvalues--;
	in.values[2].state = (enum value_state)17;
	CHECK_INT(store_put_report(st, sid, &in, 1, &id, &e), OGI_EINVAL);
	in.values[2].state = VAL_ABSENT;
	report_add_claim(&in, NULL, 1, "x");
	CHECK_INT(store_put_report(st, sid, &in, 1, &id, &e), OGI_EINVAL);
	CHECK_INT(store_put_report(st, 999, &in, 1, &id, &e), OGI_EINVAL);
	in.nclaims--;
	free(in.claims[in.nclaims].raw);
	CHECK_INT(store_put_report(st, 999, &in, 1, &id, &e), OGI_ENOTFOUND);
	CHECK_INT(id, 0);
	CHECK_INT(store_put_report(st, sid, NULL, 1, &id, &e), OGI_EINVAL);
	report_release(&in);
	store_close(st);
	{
		sqlite3 *db = raw_open(path);

		CHECK_INT(q_int(db, "SELECT count(*) FROM reports", 0), 1);
		CHECK_INT(q_int(db, "SELECT count(*) FROM figures", 0), 2);
		sqlite3_close(db);
	}
	free(big);
	free(loc);
}

/* ---- provenance (schema version 4) ---- */

static int on_report_copy(void *ctx, const struct report *r, const struct report_info *info)
{
	struct report *out = ctx;
	int i = fmt_field_index(r->format, 3, "granted", "total");

	(void)info;
	/* Keep what the checks below read: one cell and the report's own fields. */
	report_release(out);
	out->organization_from = r->organization_from;
	out->year_from = r->year_from;
	out->publisher = dup_or_null(r->publisher);
	report_set_format(out, r->format);
	if (i >= 0 && (size_t)i < r->nvalues) {
		out->values[i] = r->values[i];
		out->values[i].raw = dup_or_null(r->values[i].raw);
	}
	return 0;
}

static void test_provenance(void)
{
	/* How each place is stored: NULL where it does not apply, never -1 or 0. */
	static const struct {
		const char *row, *col;
		enum value_how how;
		unsigned char inferred;
		struct value_src src;
		const char *stored;	/* how|inferred|src_table|src_row|src_col|src_line */
	} cases[] = {
		{ "new", "natural_person", HOW_LABEL, 0, { 2, 5, 3, 0 }, "label|0|2|5|3|NULL" },
		{ "new", "commercial", HOW_ORDER, 1, { 0, 0, 0, 0 }, "order|1|0|0|0|NULL" },
		{ "new", "research", HOW_LABEL, 1, { -1, -1, 4, 17 }, "label|1|NULL|NULL|4|17" },
		{ "new", "nonprofit", HOW_ORDER, 0, { -1, -1, 0, 1 }, "order|0|NULL|NULL|0|1" },
		{ "new", "legal", HOW_NONE, 0, { -1, -1, -1, 0 }, "NULL|0|NULL|NULL|NULL|NULL" },
		/* an absent cell's provenance is not stored: it has no row */
		{ "new", "other_org", HOW_LABEL, 1, { 1, 1, 1, 0 }, "" },
	};
	char path[256], row[256];
	struct store *st = open_new(path, sizeof(path));
	struct report in, out;
	struct err e = ERR_INIT;
	int64_t id;
	sqlite3 *db;

	report_init(&in);
	set_meta(&in, "龙湖镇人民政府", "township", "晋江市", 2023);
	in.status = RS_PARTIAL;
	in.organization_from = RSRC_SIGNATURE;
	in.year_from = RSRC_PROSE;
	in.publisher = xstrdup("晋江市人民政府 '\"; --");
	report_set_format(&in, FMT_2021);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t i = (size_t)field(FMT_2021, 3, cases[c].row, cases[c].col);

		if (*cases[c].stored)
			report_set_value(&in, i, VAL_NUMBER, (double)c, "1");
		in.values[i].how = cases[c].how;
		in.values[i].inferred = cases[c].inferred;
		in.values[i].src = cases[c].src;
	}
	set_num(&in, 3, "granted", "total", 9);
	in.values[field(FMT_2021, 3, "granted", "total")].how = HOW_ORDER;
	in.values[field(FMT_2021, 3, "granted", "total")].src.line = 40;
	id = put(st, "/p/1.html", "p1", &in, 1, NULL);
	CHECK(id > 0);
	report_init(&out);
	CHECK_INT(store_get_report(st, id, &out, NULL, &e), 0);
	check_same(&in, &out);
	CHECK_INT(out.organization_from, RSRC_SIGNATURE);
	CHECK_INT(out.year_from, RSRC_PROSE);
	CHECK_STR(out.publisher, "晋江市人民政府 '\"; --");

	/* query_reports: provenance only when asked for; the report's own fields always. */
	CHECK_INT(query_reports(st, NULL, QUERY_ALL | QUERY_FIGURES | QUERY_PROVENANCE,
				on_report_copy, &out, &e), 0);
	CHECK_INT(out.organization_from, RSRC_SIGNATURE);
	CHECK_INT(out.year_from, RSRC_PROSE);
	CHECK_STR(out.publisher, in.publisher);
	{
		const struct report_value *v = report_get(&out, 3, "granted", "total");

		CHECK(v && v->how == HOW_ORDER && v->src.line == 40 && v->src.table == -1 &&
		      v->src.row == -1 && v->src.col == -1 && !v->inferred);
	}
	CHECK_INT(query_reports(st, NULL, QUERY_ALL | QUERY_FIGURES, on_report_copy, &out, &e), 0);
	{
		const struct report_value *v = report_get(&out, 3, "granted", "total");

		CHECK(v && v->state == VAL_NUMBER && v->how == HOW_NONE && v->src.line == 0);
	}
	/* ... also through the table-3 totals index, which holds no provenance */
	CHECK_INT(query_reports(st, NULL, QUERY_ALL | QUERY_T3_TOTALS | QUERY_PROVENANCE,
				on_report_copy, &out, &e), 0);
	{
		const struct report_value *v = report_get(&out, 3, "granted", "total");

		CHECK(v && v->how == HOW_ORDER && v->src.line == 40);
	}
	report_release(&out);

	/* Values the names do not cover are refused, not stored as "none". */
	in.values[field(FMT_2021, 3, "new", "legal")].how = (enum value_how)(HOW_FIX + 1);
	CHECK_INT(store_put_report(st, 1, &in, 1, &id, &e), OGI_EINVAL);
	in.values[field(FMT_2021, 3, "new", "legal")].how = HOW_NONE;
	in.year_from = (enum report_source)(RSRC_LINK + 1);
	CHECK_INT(store_put_report(st, 1, &in, 1, &id, &e), OGI_EINVAL);
	in.year_from = RSRC_NONE;
	in.organization_from = (enum report_source)-1;
	CHECK_INT(store_put_report(st, 1, &in, 1, &id, &e), OGI_EINVAL);
	in.organization_from = RSRC_NONE;

	/* Replacing the report replaces its provenance, down to none. */
	free(in.publisher);
	in.publisher = NULL;
	CHECK_INT(store_put_report(st, 1, &in, 1, &id, &e), 0);
	report_init(&out);
	CHECK_INT(store_get_report(st, id, &out, NULL, &e), 0);
	check_same(&in, &out);
	CHECK_INT(out.organization_from, RSRC_NONE);
	CHECK(out.publisher == NULL);
	report_release(&out);
	report_release(&in);
	store_close(st);

	db = raw_open(path);
	CHECK_STR(q_row(db, "SELECT organization_from, year_from, publisher FROM reports "
			"WHERE id = ?", id, row, sizeof(row)),
		  "NULL|NULL|NULL");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		sqlite3_stmt *q = NULL;
		char want[64];

		CHECK_INT(sqlite3_prepare_v2(db, "SELECT how, inferred, src_table, src_row, "
					     "src_col, src_line FROM v_figures WHERE tbl = 3 "
					     "AND row_key = ?1 AND col_key = ?2", -1, &q, NULL),
			  SQLITE_OK);
		sqlite3_bind_text(q, 1, cases[c].row, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, cases[c].col, -1, SQLITE_STATIC);
		want[0] = '\0';
		row[0] = '\0';
		if (sqlite3_step(q) == SQLITE_ROW)
			for (int k = 0, len = 0; k < 6; k++) {
				const char *t = (const char *)sqlite3_column_text(q, k);

				len += snprintf(row + len, sizeof(row) - (size_t)len, "%s%s",
						k ? "|" : "", t ? t : "NULL");
			}
		sqlite3_finalize(q);
		snprintf(want, sizeof(want), "%s", cases[c].stored);
		CHECK_STR(row, want);
	}
	sqlite3_close(db);
}

/* The views' columns in order: those of older versions first, unchanged, then the newer ones. */
static void test_view_columns(void)
{
	static const struct {
		const char *view, *columns;
	} cases[] = {
		{ "v_reports", "report_id,organization,level,parent,year,format,status,missing,"
			       "title,published,location,fetched_at,parser_version,"
			       "organization_from,year_from,publisher,reason,source,source_role,"
			       "body_id,parent_id,current,superseded_by,excluded,excluded_why,"
			       "name_read" },
		{ "v_report_sources", "report_id,organization,year,role,location,status,reason,"
				      "chosen,parser_version,sha256,content_type,fetched_at,"
				      "body_id,current" },
		{ "v_figures", "report_id,organization,year,format,tbl,row_key,col_key,key,value,"
			       "blank,state,raw,location,"
			       "how,inferred,src_table,src_row,src_col,src_line,"
			       "body_id,level,parent,current" },
	};
	char path[256], sql[128], got[512];
	struct store *st = open_new(path, sizeof(path));
	sqlite3 *db;

	store_close(st);
	db = raw_open(path);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		snprintf(sql, sizeof(sql), "SELECT group_concat(name, ',') FROM "
			 "(SELECT name FROM pragma_table_info('%s') ORDER BY cid)", cases[c].view);
		CHECK_STR(q_row(db, sql, 0, got, sizeof(got)), cases[c].columns);
	}
	sqlite3_close(db);
}

/*
 * A warehouse written before provenance: built by the first three schema
 * steps, filled as ogi of schema version 3 filled it, then opened by this
 * one.  It migrates, reads its reports as they were with no provenance,
 * and takes new ones with provenance.
 */
static void test_migrate_v3(void)
{
	char path[256], row[256];
	struct store *st = NULL;
	struct err e = ERR_INIT;
	struct report r, in;
	const struct report_value *v;
	size_t nsteps;
	const struct schema_step *steps = schema_steps(&nsteps);
	int64_t id;
	sqlite3 *db;

	CHECK(nsteps >= 4 && steps[2].version == 3);
	new_path(path, sizeof(path));
	db = raw_open(path);
	CHECK_INT(schema_migrate(db, path, steps, 3, &e), 0);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), 3);
	CHECK_INT(raw_exec(db,
		"INSERT INTO bodies (id, name, level) VALUES (1, '龙湖镇人民政府', 'township');"
		"INSERT INTO sources (id, location, sha256, size, fetched_at, first_seen, content) "
		"  VALUES (1, '/old.html', 'abc', 1, '2024-01-01T00:00:00Z', "
		"  '2024-01-01T00:00:00Z', x'00');"
		"INSERT INTO reports (id, location, source_id, body_id, year, format, status, "
		"  parser_version, parsed_at) VALUES (1, '/old.html', 1, 1, 2023, '2021', "
		"  'complete', 2, '2024-01-01T00:00:00Z');"
		"INSERT INTO figures VALUES (1, 3, 'new', 'total', 6, '6', 0, 'number');"
		"INSERT INTO figures VALUES (1, 3, 'new', 'commercial', NULL, '', 1, 'blank');"
		"INSERT INTO figures VALUES (1, 2, 'rules', 'issued', NULL, '见附件', 0, "
		"  'invalid');"), SQLITE_OK);
	sqlite3_close(db);

	/* Read-only refuses to migrate; opening for writing does it. */
	CHECK_INT(store_open(&st, path, STORE_READONLY, &e), OGI_ESCHEMA);
	CHECK_INT(store_open(&st, path, 0, &e), 0);
	report_init(&r);
	CHECK_INT(store_get_report(st, 1, &r, NULL, &e), 0);
	CHECK_STR(r.organization, "龙湖镇人民政府");
	CHECK_INT(r.year, 2023);
	CHECK_INT(r.organization_from, RSRC_NONE);
	CHECK_INT(r.year_from, RSRC_NONE);
	CHECK(r.publisher == NULL);
	v = report_get(&r, 3, "new", "total");
	CHECK(v && v->state == VAL_NUMBER && v->num == 6);
	v = report_get(&r, 3, "new", "commercial");
	CHECK(v && v->state == VAL_BLANK);
	v = report_get(&r, 2, "rules", "issued");
	CHECK(v && v->state == VAL_INVALID);
	for (size_t i = 0; i < r.nvalues; i++) {
		v = &r.values[i];
		if (v->state == VAL_ABSENT)
			continue;
		CHECK_INT(v->how, HOW_NONE);
		CHECK_INT(v->inferred, 0);
		CHECK(v->src.table == -1 && v->src.row == -1 && v->src.col == -1 &&
		      v->src.line == 0);
	}
	report_release(&r);

	/* The migrated file takes provenance like a new one. */
	make_report(&in, FMT_2021, "甲局", 2022, 4);
	id = put(st, "/new.html", "new", &in, 3, NULL);
	CHECK(id > 1);
	report_init(&r);
	CHECK_INT(store_get_report(st, id, &r, NULL, &e), 0);
	check_same(&in, &r);
	report_release(&r);
	report_release(&in);
	store_close(st);

	db = raw_open(path);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), store_schema_version());
	CHECK_STR(q_row(db, "SELECT organization, year, organization_from, year_from, publisher "
			"FROM v_reports WHERE report_id = 1", 0, row, sizeof(row)),
		  "龙湖镇人民政府|2023|NULL|NULL|NULL");
	CHECK_STR(q_row(db, "SELECT key, value, how, inferred, src_table, src_row, src_col, "
			"src_line FROM v_figures WHERE report_id = 1 AND key = 'new/total'", 0,
			row, sizeof(row)),
		  "new/total|6|NULL|0|NULL|NULL|NULL|NULL");
	CHECK_INT(q_int(db, "SELECT count(*) FROM v_figures WHERE report_id = 1", 0), 3);
	sqlite3_close(db);
}

/* ---- a report's sources (schema version 5) ---- */

/* Stores bytes at location as a source only; returns its id. */
static int64_t put_bytes(struct store *st, const char *location, const char *bytes)
{
	struct source_meta m = { .location = location };
	struct err e = ERR_INIT;
	int64_t sid = 0;
	int is_new;

	if (store_put_source(st, &m, bytes, strlen(bytes), &sid, &is_new, &e))
		fprintf(stderr, "  put_bytes '%s': %s\n", location, e.msg);
	return sid;
}

/*
 * A page and the PDF it links, the same report: one report keyed by the
 * page, both sources kept, the chosen one gives the figures and the views
 * say which; the reason of a report without tables round-trips.
 */
static void test_report_sources(void)
{
	char path[256], row[512];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct report page, pdf, got;
	struct report_source_list l = { 0 };
	struct report_origin att = { 0, NULL, "http://x.test/a/r.pdf", SOURCE_ATTACHMENT };
	enum source_role role;
	char *where = NULL;
	int64_t sp, sa, id = 0, id2 = 0, *ids = NULL;
	int version = 0;
	size_t n = 0;
	sqlite3 *db;

	report_init(&page);
	set_meta(&page, "甲镇人民政府", "township", "乙市", 2023);
	page.status = RS_NO_TABLES;
	page.reason = RREASON_IMAGE;
	make_report(&pdf, FMT_2021, "甲镇人民政府", 2023, 5);
	sp = put_bytes(st, "http://x.test/a/r.htm", "<p>see the attachment</p>");
	sa = put_bytes(st, "http://x.test/a/r.pdf", "%PDF-1.4 stand-in");
	CHECK(sp > 0 && sa > 0);

	/* the page first: its own report, its one source chosen */
	CHECK_INT(store_put_report(st, sp, &page, 3, &id, &e), 0);
	CHECK_INT(store_report_sources(st, id, &l, &e), 0);
	CHECK_INT(l.n, 1);
	CHECK(l.n == 1 && l.v[0].source_id == sp && l.v[0].chosen && l.v[0].read &&
	      l.v[0].role == SOURCE_PAGE && l.v[0].status == RS_NO_TABLES &&
	      l.v[0].reason == RREASON_IMAGE && l.v[0].parser_version == 3);
	store_report_source_list_release(&l);
	report_init(&got);
	CHECK_INT(store_get_report(st, id, &got, NULL, &e), 0);
	CHECK_INT(got.reason, RREASON_IMAGE);
	report_release(&got);

	/* the PDF, one more source not chosen: the report is unchanged */
	CHECK_INT(store_put_report_source(st, id, sa, att.source_location, SOURCE_ATTACHMENT,
					  NULL, 3, &e), 0);
	CHECK_INT(store_report_sources(st, id, &l, &e), 0);
	CHECK(l.n == 2 && l.v[0].source_id == sp && l.v[0].chosen && l.v[1].source_id == sa &&
	      !l.v[1].chosen && !l.v[1].read && l.v[1].role == SOURCE_ATTACHMENT);
	store_report_source_list_release(&l);

	/* ... read as a report and chosen: its figures, the page's key and id */
	att.report_id = id;
	CHECK_INT(store_put_report_from(st, sa, &att, &pdf, 3, &id2, &e), 0);
	CHECK_INT(id2, id);
	report_init(&got);
	CHECK_INT(store_get_report(st, id, &got, NULL, &e), 0);
	check_same(&pdf, &got);
	CHECK_INT(got.reason, RREASON_NONE);
	report_release(&got);
	CHECK_INT(store_report_sources(st, id, &l, &e), 0);
	CHECK(l.n == 2 && l.v[0].source_id == sa && l.v[0].chosen && l.v[0].read &&
	      l.v[0].status == pdf.status && l.v[1].source_id == sp && !l.v[1].chosen);
	store_report_source_list_release(&l);
	CHECK_INT(store_source_origin(st, sa, &id2, &role, &where, &e), 0);
	CHECK(id2 == id && role == SOURCE_ATTACHMENT);
	CHECK_STR(where, "http://x.test/a/r.pdf");
	free(where);
	CHECK_INT(store_report_of_source(st, sp, &id2, &version, &e), 0);
	CHECK(id2 == id && version == 3);
	CHECK_INT(store_report_at_location(st, "http://x.test/a/r.pdf", &id2, NULL, &e), 0);
	CHECK_INT(id2, 0);	/* keyed by the page */
	/* both are sources of a report: neither is stale but for an older parser */
	CHECK_INT(store_list_stale_sources(st, 3, &ids, &n, &e), 0);
	CHECK_INT(n, 0);
	free(ids);
	CHECK_INT(store_list_stale_sources(st, 4, &ids, &n, &e), 0);
	CHECK(n == 2 && ids[0] == sp && ids[1] == sa);
	free(ids);
	/* the page read again, not chosen: only its own row changes */
	page.reason = RREASON_NONE;
	CHECK_INT(store_put_report_source(st, id, sp, "http://x.test/a/r.htm", SOURCE_PAGE, &page,
					  3, &e), 0);
	store_close(st);

	db = raw_open(path);
	CHECK_STR(q_row(db, "SELECT location, status, reason, source, source_role FROM v_reports", 0,
			row, sizeof(row)),
		  "http://x.test/a/r.htm|partial|NULL|http://x.test/a/r.pdf|attachment");
	CHECK_STR(q_row(db, "SELECT group_concat(role || ':' || coalesce(status, '-') || ':' || "
			"chosen, ' ') FROM (SELECT * FROM v_report_sources ORDER BY role)", 0, row,
			sizeof(row)),
		  "attachment:partial:1 page:no_tables:0");
	CHECK_INT(q_int(db, "SELECT count(*) FROM report_sources WHERE chosen = 1", 0), 1);
	sqlite3_close(db);
	report_release(&page);
	report_release(&pdf);
}

/* A warehouse of schema version 4: each report gets its one source, chosen, as its page. */
static void test_migrate_v4(void)
{
	char path[256], row[256];
	struct store *st = NULL;
	struct err e = ERR_INIT;
	struct report_source_list l = { 0 };
	size_t nsteps;
	const struct schema_step *steps = schema_steps(&nsteps);
	sqlite3 *db;

	CHECK(nsteps >= 5 && steps[3].version == 4);
	new_path(path, sizeof(path));
	db = raw_open(path);
	CHECK_INT(schema_migrate(db, path, steps, 4, &e), 0);
	CHECK_INT(raw_exec(db,
		"INSERT INTO bodies (id, name, level) VALUES (1, '龙湖镇人民政府', 'township');"
		"INSERT INTO sources (id, location, sha256, size, fetched_at, first_seen, content) "
		"  VALUES (1, '/old.html', 'abc', 1, '2024-01-01T00:00:00Z', "
		"  '2024-01-01T00:00:00Z', x'00');"
		"INSERT INTO reports (id, location, source_id, body_id, year, format, status, "
		"  parser_version, parsed_at) VALUES (1, '/old.html', 1, 1, 2023, '2021', "
		"  'partial', 2, '2024-01-01T00:00:00Z');"), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(&st, path, 0, &e), 0);
	CHECK_INT(store_report_sources(st, 1, &l, &e), 0);
	CHECK(l.n == 1 && l.v[0].source_id == 1 && l.v[0].chosen && l.v[0].role == SOURCE_PAGE &&
	      l.v[0].read && l.v[0].status == RS_PARTIAL && l.v[0].parser_version == 2);
	CHECK(l.n == 1 && !strcmp(l.v[0].location, "/old.html"));
	store_report_source_list_release(&l);
	store_close(st);
	db = raw_open(path);
	CHECK_STR(q_row(db, "SELECT reason, source, source_role FROM v_reports", 0, row,
			sizeof(row)), "NULL|/old.html|page");
	sqlite3_close(db);
}

static void test_bodies(void)
{
	char path[256], row[256];
	struct store *st = open_new(path, sizeof(path));
	struct report r;
	int64_t a, b, c;
	sqlite3 *db;

	report_init(&r);
	set_meta(&r, "龙湖镇人民政府", "township", "晋江市", 2023);
	a = put(st, "/a", "a", &r, 1, NULL);
	report_release(&r);
	/* The parent gets its level from its own report; a later level does not overwrite. */
	report_init(&r);
	set_meta(&r, "晋江市", "county", "泉州市", 2023);
	b = put(st, "/b", "b", &r, 1, NULL);
	report_release(&r);
	report_init(&r);
	set_meta(&r, "龙湖镇人民政府", "city", NULL, 2022);
	c = put(st, "/c", "c", &r, 1, NULL);
	report_release(&r);
	/* Its own parent: not linked. */
	report_init(&r);
	set_meta(&r, "泉州市", NULL, "泉州市", 2023);
	CHECK(put(st, "/d", "d", &r, 1, NULL) > 0);
	report_release(&r);
	CHECK(a > 0 && b > 0 && c > 0);
	store_close(st);

	db = raw_open(path);
	CHECK_INT(q_int(db, "SELECT count(*) FROM bodies", 0), 3);
	CHECK_STR(q_row(db, "SELECT b.level, p.name, p.level FROM bodies b "
			"JOIN bodies p ON p.id = b.parent_id WHERE b.name = '龙湖镇人民政府'", 0,
			row, sizeof(row)),
		  "township|晋江市|county");
	CHECK_STR(q_row(db, "SELECT level, parent_id FROM bodies WHERE name = '泉州市'", 0, row,
			sizeof(row)),
		  "NULL|NULL");
	CHECK_STR(q_row(db, "SELECT organization, level, parent FROM v_reports "
			"WHERE report_id = ?", c, row, sizeof(row)),
		  "龙湖镇人民政府|township|晋江市");
	sqlite3_close(db);
}

static void test_replace(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct report r1, r2, r3, out;
	struct report_info info;
	struct finding_list fl;
	struct source_meta m = { .location = "/x/report.html" };
	struct err e = ERR_INIT;
	int64_t s1, s2, id1, id2, id3, rid;
	int is_new, pv;
	sqlite3 *db;
	long long figs2;

	make_report(&r1, FMT_2021, "甲局", 2023, 0);
	make_report(&r2, FMT_2019, "乙局", 2022, 1);
	make_report(&r3, FMT_2021, "甲局", 2023, 2);
	CHECK_INT(store_put_source(st, &m, "v1", 2, &s1, &is_new, &e), 0);
	CHECK_INT(store_put_report(st, s1, &r1, 1, &id1, &e), 0);
	finding_list_init(&fl);
	finding_list_add(&fl, "T3-BALANCE", FK_CONTRADICTION, "column total", "t3:new/total", "a",
			 1, "b", 2, "msg");
	CHECK_INT(store_put_findings(st, id1, &fl, &e), 0);
	finding_list_release(&fl);

	/* The same source parsed again: same id, old figures, claims and findings gone. */
	CHECK_INT(store_put_report(st, s1, &r2, 2, &id2, &e), 0);
	CHECK_INT(id2, id1);
	report_init(&out);
	CHECK_INT(store_get_report(st, id2, &out, &info, &e), 0);
	check_same(&r2, &out);
	CHECK_INT(info.parser_version, 2);
	CHECK_INT(store_report_of_source(st, s1, &rid, &pv, &e), 0);
	CHECK_INT(rid, id1);
	CHECK_INT(pv, 2);

	db = raw_open(path);
	figs2 = q_int(db, "SELECT count(*) FROM figures WHERE report_id = ?", id1);
	{
		long long want = 0;

		for (size_t i = 0; i < r2.nvalues; i++)
			want += r2.values[i].state != VAL_ABSENT;
		CHECK_INT(figs2, want);
	}
	CHECK_INT(q_int(db, "SELECT count(*) FROM figures WHERE report_id = ? AND row_key = "
			"'other_services'", id1) > 0, 1);	/* only 2019 has it */
	CHECK_INT(q_int(db, "SELECT count(*) FROM figures WHERE report_id = ? AND row_key = "
			"'other.no_fee'", id1), 0);	/* only 2021 has it */
	CHECK_INT(q_int(db, "SELECT count(*) FROM findings", 0), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM claims", 0), 2);
	CHECK_INT(q_int(db, "SELECT count(*) FROM reports", 0), 1);

	/* The page changed: new bytes at the same location replace the report, id kept. */
	CHECK_INT(store_put_source(st, &m, "v2", 2, &s2, &is_new, &e), 0);
	CHECK_INT(is_new, 1);
	CHECK_INT(store_put_report(st, s2, &r3, 1, &id3, &e), 0);
	CHECK_INT(id3, id1);
	CHECK_INT(store_get_report(st, id3, &out, &info, &e), 0);
	check_same(&r3, &out);
	CHECK_INT(info.source_id, s2);
	CHECK_INT(store_report_of_source(st, s1, &rid, &pv, &e), 0);
	CHECK_INT(rid, 0);
	CHECK_INT(pv, 0);
	CHECK_INT(store_report_of_source(st, s2, &rid, NULL, &e), 0);
	CHECK_INT(rid, id1);
	CHECK_INT(q_int(db, "SELECT count(*) FROM reports", 0), 1);
	CHECK_INT(q_int(db, "SELECT count(*) FROM figures WHERE row_key = 'other_services'", 0),
		  0);
	sqlite3_close(db);
	report_release(&out);
	report_release(&r1);
	report_release(&r2);
	report_release(&r3);
	store_close(st);
}

/* ---- listing and neighbours ---- */

static void check_ids(const int64_t *got, size_t n, const int64_t *want, size_t nwant)
{
	CHECK_INT(n, nwant);
	for (size_t i = 0; i < n && i < nwant; i++)
		CHECK_INT(got[i], want[i]);
}

static void test_list(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct report r;
	int64_t beta21, alpha22, alpha20, town23, alpha21, unk, *ids;
	size_t n;

	beta21 = put_simple(st, "/1", "Beta", 2021);
	alpha22 = put_simple(st, "/2", "Alpha", 2022);
	alpha20 = put_simple(st, "/3", "Alpha", 2020);
	report_init(&r);
	set_meta(&r, "龙湖镇", "township", "晋江市", 2023);
	town23 = put(st, "/4", "/4", &r, 1, NULL);
	report_release(&r);
	alpha21 = put_simple(st, "/5", "Alpha", 2021);
	unk = put_simple(st, "/6", NULL, 0);

	{
		/* each list is any of its values (org2, year2); the lists together: all */
		const struct {
			const char *org, *org2, *parent, *level;
			int64_t id;
			int from, to, from2, to2;
			int64_t want[8];
			size_t n;
		} cases[] = {
			{ .n = 6, .want = { unk, alpha20, alpha21, alpha22, beta21, town23 } },
			{ .org = "lph", .want = { alpha20, alpha21, alpha22 }, .n = 3 },
			{ .org = "", .want = { 0 }, .n = 0 },	/* "" is in no name but every */
			{ .org = "湖", .want = { town23 }, .n = 1 },
			{ .org = "%", .want = { 0 }, .n = 0 },	/* not a LIKE pattern */
			{ .org = "nobody", .want = { 0 }, .n = 0 },
			{ .from = 2021, .want = { alpha21, alpha22, beta21, town23 }, .n = 4 },
			{ .to = 2021, .want = { alpha20, alpha21, beta21 }, .n = 3 },
			{ .from = 2021, .to = 2021, .want = { alpha21, beta21 }, .n = 2 },
			{ .from = 2022, .to = 2021, .want = { 0 }, .n = 0 },
			{ .id = 0, .from = 2020, .to = 2020, .from2 = 2022, .to2 = 2022,
			  .want = { alpha20, alpha22 }, .n = 2 },
			{ .id = -1, .want = { alpha22 }, .n = 1 },
			{ .id = -1, .org = "Beta", .want = { 0 }, .n = 0 },
			{ .parent = "晋江市", .want = { town23 }, .n = 1 },
			{ .level = "township", .want = { town23 }, .n = 1 },
			{ .level = "county", .want = { 0 }, .n = 0 },
			{ .org = "Alpha", .from = 2021, .want = { alpha21, alpha22 }, .n = 2 },
			{ .org = "Alpha", .org2 = "Beta", .from = 2021, .to = 2021,
			  .want = { alpha21, beta21 }, .n = 2 },
			{ .org = "Alpha", .org2 = "湖", .want = { alpha20, alpha21, alpha22, town23 },
			  .n = 4 },
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct report_filter f;

			report_filter_init(&f);
			if (cases[i].org && *cases[i].org)
				report_filter_add_org(&f, cases[i].org);
			if (cases[i].org && !*cases[i].org)
				report_filter_add_org(&f, "\x01");
			if (cases[i].org2)
				report_filter_add_org(&f, cases[i].org2);
			if (cases[i].parent)
				report_filter_add_parent(&f, cases[i].parent);
			if (cases[i].level)
				report_filter_add_level(&f, cases[i].level);
			if (cases[i].id)
				report_filter_add_id(&f, alpha22);
			if (cases[i].from && cases[i].to)
				report_filter_add_years(&f, cases[i].from, cases[i].to);
			else if (cases[i].from)
				f.year_from = cases[i].from;
			else if (cases[i].to)
				f.year_to = cases[i].to;
			if (cases[i].from2)
				report_filter_add_years(&f, cases[i].from2, cases[i].to2);
			CHECK_INT(store_list_reports(st, &f, &ids, &n, &e), 0);
			check_ids(ids, n, cases[i].want, cases[i].n);
			free(ids);
			report_filter_release(&f);
		}
	}
	CHECK_INT(store_list_reports(st, NULL, &ids, &n, &e), 0);
	CHECK_INT(n, 6);
	free(ids);
	store_close(st);
}

static void test_neighbours(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	int64_t a20, a20b, a21, a22, a24, b21, u, got;

	a20 = put_simple(st, "/a20", "A", 2020);
	a21 = put_simple(st, "/a21", "A", 2021);
	a20b = put_simple(st, "/a20b", "A", 2020);	/* a second copy, stored later */
	a22 = put_simple(st, "/a22", "A", 2022);
	a24 = put_simple(st, "/a24", "A", 2024);
	b21 = put_simple(st, "/b21", "B", 2021);
	u = put_simple(st, "/u", "A", 0);
	{
		const struct {
			int64_t id;
			int64_t prev, next;
		} cases[] = {
			{ a20, 0, a21 },   { a20b, 0, a21 }, { a21, a20b, a22 },
			{ a22, a21, 0 },   { a24, 0, 0 },	{ b21, 0, 0 },
			{ u, 0, 0 },
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			got = -1;
			CHECK_INT(store_previous_report(st, cases[i].id, &got, &e), 0);
			CHECK_INT(got, cases[i].prev);
			got = -1;
			CHECK_INT(store_next_report(st, cases[i].id, &got, &e), 0);
			CHECK_INT(got, cases[i].next);
		}
	}
	CHECK(a20 < a20b);
	CHECK_INT(store_previous_report(st, 999, &got, &e), OGI_ENOTFOUND);
	CHECK_INT(got, 0);
	CHECK_INT(store_next_report(st, 999, &got, &e), OGI_ENOTFOUND);
	{
		/* every version of a body and year, by id: the superseded copy too */
		int64_t *ids = NULL;
		size_t n = 99;
		int64_t body = 0;
		struct report_info info;
		struct report r;

		report_init(&r);
		CHECK_INT(store_get_report(st, a20, &r, &info, &e), 0);
		body = info.body_id;
		report_release(&r);
		CHECK_INT(store_reports_of_group(st, body, 2020, &ids, &n, &e), 0);
		CHECK_INT(n, 2);
		if (n == 2) {
			CHECK_INT(ids[0], a20);
			CHECK_INT(ids[1], a20b);
		}
		free(ids);
		CHECK_INT(store_reports_of_group(st, body, 2023, &ids, &n, &e), 0);
		CHECK_INT(n, 0);
		free(ids);
	}
	{
		/*
		 * What a write touched: a report with tables becomes current
		 * (changed); a copy without tables stored after it does not, and
		 * the group says the same report is current, not changed.
		 */
		struct report t;
		struct store_group *g = NULL;
		int64_t tid, nid;
		size_t n;

		n = store_take_touched(st, &g);		/* what the puts above touched */
		free(g);
		make_report(&t, FMT_2021, "C", 2030, 1);
		tid = put(st, "/c30", "/c30", &t, 1, NULL);
		report_release(&t);
		n = store_take_touched(st, &g);
		CHECK_INT(n, 1);
		if (n == 1) {
			CHECK_INT(g[0].year, 2030);
			CHECK_INT(g[0].changed, 1);
			CHECK_INT(g[0].current, tid);
		}
		free(g);
		nid = put_simple(st, "/c30b", "C", 2030);
		CHECK(nid > tid);
		n = store_take_touched(st, &g);
		CHECK_INT(n, 1);
		if (n == 1) {
			CHECK_INT(g[0].changed, 0);
			CHECK_INT(g[0].current, tid);
		}
		free(g);
	}
	store_close(st);
}

static void test_stale(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct source_meta m = { .location = "/s2" };
	struct report r;
	int64_t s1, s2, s3, s4, *ids;
	int is_new;
	size_t n;

	report_init(&r);
	set_meta(&r, "A", NULL, NULL, 2023);
	CHECK(put(st, "/s1", "one", &r, 1, &s1) > 0);
	CHECK_INT(store_put_source(st, &m, "two", 3, &s2, &is_new, &e), 0);	/* not parsed */
	CHECK(put(st, "/s3", "three", &r, 2, &s3) > 0);
	/* /s1 changed: s4 replaces s1's report, so s1 is superseded, not stale. */
	CHECK(put(st, "/s1", "four", &r, 1, &s4) > 0);
	report_release(&r);
	{
		const struct {
			int version;
			int64_t want[4];
			size_t n;
		} cases[] = {
			{ 1, { s2 }, 1 },
			{ 2, { s2, s4 }, 2 },
			{ 3, { s2, s3, s4 }, 3 },
			{ 0, { s2 }, 1 },
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			CHECK_INT(store_list_stale_sources(st, cases[i].version, &ids, &n, &e), 0);
			check_ids(ids, n, cases[i].want, cases[i].n);
			free(ids);
		}
	}
	store_close(st);
}

/* ---- findings ---- */

static void test_findings(void)
{
	char path[256], row[512];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct finding_list fl;
	int64_t id = put_simple(st, "/f", "甲局", 2023), other = put_simple(st, "/g", "乙局", 2023);
	sqlite3 *db = raw_open(path);

	finding_list_init(&fl);
	finding_list_add(&fl, "T3-BALANCE", FK_CONTRADICTION, "column total",
			 "t3:new/total t3:carried_over/total", "new+carried_over", 12, "total", 11,
			 "new + carried_over = 12, total = 11");
	finding_list_add(&fl, "T3-ROWSUM", FK_BLANK, "row granted", "t3:granted/total", "sum", 3,
			 "total", NAN, "blank total");
	finding_list_add(&fl, "TEXT-TABLE", FK_TEXT, NULL, NULL, NULL, 0, NULL, 0, NULL);
	CHECK_INT(store_put_findings(st, id, &fl, &e), 0);
	CHECK_INT(store_put_findings(st, other, &fl, &e), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ?", id), 3);
	CHECK_STR(q_row(db, "SELECT rule, kind, where_, cells, expected_expr, expected, "
			"found_expr, found, message FROM findings WHERE report_id = ? ORDER BY id",
			id, row, sizeof(row)),
		  "T3-BALANCE|contradiction|column total|t3:new/total t3:carried_over/total|"
		  "new+carried_over|12.0|total|11.0|new + carried_over = 12, total = 11");
	CHECK_STR(q_row(db, "SELECT kind, found FROM findings WHERE report_id = ? AND "
			"rule = 'T3-ROWSUM'", id, row, sizeof(row)),
		  "blank|NULL");	/* NaN: no number */
	finding_list_release(&fl);

	/* Replaced, not appended; the other report's findings untouched. */
	finding_list_init(&fl);
	finding_list_add(&fl, "T4-BLOCK", FK_CONTRADICTION, "block review", "", "", 1, "", 2,
			 "m");
	CHECK_INT(store_put_findings(st, id, &fl, &e), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ?", id), 1);
	CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ?", other), 3);
	CHECK_INT(store_put_findings(st, 999, &fl, &e), OGI_ENOTFOUND);
	finding_list_release(&fl);
	finding_list_init(&fl);
	CHECK_INT(store_put_findings(st, id, &fl, &e), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ?", id), 0);
	CHECK_INT(store_put_findings(st, other, NULL, &e), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM findings", 0), 0);
	finding_list_release(&fl);

	/* One rule's findings replaced, the others kept; a finding of another rule refused. */
	{
		static const char *const carry[] = { "YEAR-CARRY", NULL };

		finding_list_init(&fl);
		finding_list_add(&fl, "T4-BLOCK", FK_CONTRADICTION, "block review", "", "", 1, "",
				 2, "m");
		CHECK_INT(store_put_findings(st, id, &fl, &e), 0);
		finding_list_release(&fl);
		finding_list_init(&fl);
		finding_list_add(&fl, "YEAR-CARRY", FK_CONTRADICTION, "column total", "", "", 1,
				 "", 2, "m");
		CHECK_INT(store_put_rule_findings(st, id, carry, &fl, &e), 0);
		CHECK_INT(store_put_rule_findings(st, id, carry, &fl, &e), 0);
		CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ?", id), 2);
		CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ? AND "
				"rule = 'YEAR-CARRY'", id), 1);
		finding_list_release(&fl);
		finding_list_init(&fl);
		CHECK_INT(store_put_rule_findings(st, id, carry, &fl, &e), 0);
		CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ?", id), 1);
		finding_list_add(&fl, "T3-BALANCE", FK_CONTRADICTION, "", "", "", 1, "", 2, "m");
		CHECK_INT(store_put_rule_findings(st, id, carry, &fl, &e), OGI_EINVAL);
		CHECK_INT(store_put_rule_findings(st, id, NULL, &fl, &e), OGI_EINVAL);
		finding_list_release(&fl);
	}
	/*
	 * A report's findings of one rule are found by the index on both, not
	 * among every finding of the rule in the warehouse (schema v10).
	 */
	q_row(db, "EXPLAIN QUERY PLAN DELETE FROM findings WHERE report_id = ?1 AND rule = 'x'", id,
	      row, sizeof(row));
	CHECK(strstr(row, "findings_report_rule") != NULL);
	q_row(db, "EXPLAIN QUERY PLAN SELECT count(*) FROM findings WHERE report_id = ?1", id, row,
	      sizeof(row));
	CHECK(strstr(row, "findings_report_rule") != NULL);
	sqlite3_close(db);
	store_close(st);
}

/* ---- views ---- */

static void test_views(void)
{
	char path[256], row[1024];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct report r;
	struct finding_list fl;
	int64_t id21, id19, idnt;
	sqlite3 *db;

	report_init(&r);
	set_meta(&r, "龙湖镇人民政府", "township", "晋江市", 2023);
	r.status = RS_COMPLETE;
	r.title = xstrdup("标题");
	r.published = xstrdup("2024-01-19");
	report_set_format(&r, FMT_2021);
	set_num(&r, 2, "rules", "issued", 3);
	set_num(&r, 2, "fees", "amount", 1.5);
	set_num(&r, 3, "new", "natural_person", 5);
	set_num(&r, 3, "new", "other_org", 1);
	set_num(&r, 3, "new", "total", 6);
	report_set_value(&r, (size_t)field(FMT_2021, 3, "new", "commercial"), VAL_BLANK, 0, "");
	report_set_value(&r, (size_t)field(FMT_2021, 3, "new", "research"), VAL_INVALID, 0, "—");
	set_num(&r, 3, "carried_over", "total", 2);
	set_num(&r, 3, "refused.state_secret", "total", 1);
	set_num(&r, 3, "other.no_fee", "total", 4);
	set_num(&r, 4, "review", "upheld", 7);
	set_num(&r, 4, "suit_after_review", "total", 9);
	report_add_claim(&r, claim("new"), 6, "收到申请6件");
	id21 = put(st, "/v/2021.html", "p21", &r, 1, NULL);
	report_release(&r);

	report_init(&r);
	set_meta(&r, "乙局", NULL, NULL, 2020);
	r.status = RS_PARTIAL;
	r.missing = xstrdup("t4");
	report_set_format(&r, FMT_2019);
	set_num(&r, 3, "other", "total", 8);
	set_num(&r, 2, "licensing", "change", -19);
	id19 = put(st, "/v/2019.html", "p19", &r, 1, NULL);
	report_release(&r);

	idnt = put_simple(st, "/v/none.html", "丙局", 2018);

	finding_list_init(&fl);
	finding_list_add(&fl, "T3-BALANCE", FK_CONTRADICTION, "column total", "t3:new/total",
			 "new+carried_over", 8, "total+carried_forward", 0, "off by 8");
	CHECK_INT(store_put_findings(st, id21, &fl, &e), 0);
	finding_list_release(&fl);
	store_close(st);

	db = raw_open(path);
	/* v_reports */
	CHECK_INT(q_int(db, "SELECT count(*) FROM v_reports", 0), 3);
	CHECK_STR(q_row(db, "SELECT report_id, organization, level, parent, year, format, status, "
			"missing, title, published, location, parser_version FROM v_reports "
			"WHERE report_id = ?", id21, row, sizeof(row)),
		  "1|龙湖镇人民政府|township|晋江市|2023|2021|complete|NULL|标题|2024-01-19|"
		  "/v/2021.html|1");
	CHECK_STR(q_row(db, "SELECT format, status, missing, level, parent FROM v_reports "
			"WHERE report_id = ?", id19, row, sizeof(row)),
		  "2019|partial|t4|NULL|NULL");
	CHECK_STR(q_row(db, "SELECT format, status FROM v_reports WHERE report_id = ?", idnt,
			row, sizeof(row)),
		  "unknown|no_tables");
	CHECK_INT(strlen(q_row(db, "SELECT fetched_at FROM v_reports WHERE report_id = ?", id21,
			       row, sizeof(row))), 20);

	/* v_figures: long form with the public keys */
	CHECK_INT(q_int(db, "SELECT count(*) FROM v_figures WHERE report_id = ?", id21), 12);
	CHECK_STR(q_row(db, "SELECT organization, year, format, tbl, row_key, col_key, value, "
			"blank, state, raw, location FROM v_figures WHERE report_id = ? AND "
			"key = 'new/natural_person'", id21, row, sizeof(row)),
		  "龙湖镇人民政府|2023|2021|3|new|natural_person|5|0|number|5|/v/2021.html");
	CHECK_STR(q_row(db, "SELECT value, blank, state, raw FROM v_figures WHERE report_id = ? "
			"AND key = 'new/commercial'", id21, row, sizeof(row)),
		  "NULL|1|blank|");
	CHECK_STR(q_row(db, "SELECT value, blank, state, raw FROM v_figures WHERE report_id = ? "
			"AND key = 'new/research'", id21, row, sizeof(row)),
		  "NULL|0|invalid|—");
	CHECK_DBL(q_dbl(db, "SELECT value FROM v_figures WHERE report_id = ? AND "
			"key = 'fees.amount'", id21), 1.5);
	CHECK_DBL(q_dbl(db, "SELECT value FROM v_figures WHERE report_id = ? AND "
			"key = 'review.upheld'", id21), 7);
	CHECK_DBL(q_dbl(db, "SELECT value FROM v_figures WHERE report_id = ? AND "
			"key = 'licensing.change'", id19), -19);
	/* every key in the view is a key of the format table */
	{
		sqlite3_stmt *s = NULL;
		int bad = 0, rows = 0;

		CHECK_INT(sqlite3_prepare_v2(db, "SELECT format, tbl, row_key, col_key, key "
					     "FROM v_figures", -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			enum fmt_version v = fmt_version_parse(
				(const char *)sqlite3_column_text(s, 0));
			int i = fmt_field_index(v, sqlite3_column_int(s, 1),
						(const char *)sqlite3_column_text(s, 2),
						(const char *)sqlite3_column_text(s, 3));
			size_t nf;
			const struct fmt_field *f = fmt_fields(v, &nf);

			rows++;
			if (i < 0 || strcmp(f[i].key, (const char *)sqlite3_column_text(s, 4)))
				bad++;
		}
		sqlite3_finalize(s);
		CHECK_INT(rows, 14);
		CHECK_INT(bad, 0);
	}

	/* v_t3: one row per report and table-3 row */
	CHECK_INT(q_int(db, "SELECT count(*) FROM v_t3 WHERE report_id = ?", id21), 4);
	CHECK_STR(q_row(db, "SELECT organization, year, row_key, natural_person, commercial, "
			"research, nonprofit, legal, other_org, total FROM v_t3 "
			"WHERE report_id = ? AND row_key = 'new'", id21, row, sizeof(row)),
		  "龙湖镇人民政府|2023|new|5|NULL|NULL|NULL|NULL|1|6");
	CHECK_STR(q_row(db, "SELECT row_key, total FROM v_t3 WHERE report_id = ?", id19, row,
			sizeof(row)),
		  "other|8");

	/* v_t3_totals: every report, one column per table-3 row of either format */
	CHECK_INT(q_int(db, "SELECT count(*) FROM v_t3_totals", 0), 3);
	CHECK_STR(q_row(db, "SELECT organization, year, format, new, carried_over, granted, "
			"refused_state_secret, other_no_fee, other, total, carried_forward "
			"FROM v_t3_totals WHERE report_id = ?", id21, row, sizeof(row)),
		  "龙湖镇人民政府|2023|2021|6|2|NULL|1|4|NULL|NULL|NULL");
	CHECK_STR(q_row(db, "SELECT new, other, other_no_fee FROM v_t3_totals "
			"WHERE report_id = ?", id19, row, sizeof(row)),
		  "NULL|8|NULL");
	CHECK_STR(q_row(db, "SELECT organization, new FROM v_t3_totals WHERE report_id = ?", idnt,
			row, sizeof(row)),
		  "丙局|NULL");
	{
		size_t nrows, want = 0;
		const struct fmt_row *rows = fmt_rows(&nrows);

		for (size_t i = 0; i < nrows; i++)
			want += rows[i].table == 3;	/* t3 rows are listed once per key */
		CHECK_INT(q_int(db, "SELECT count(*) FROM pragma_table_info('v_t3_totals')", 0),
			  (long long)want + 4 + 3);
	}

	/* v_t4: 15 columns after the report's, then body_id, level, parent */
	CHECK_INT(q_int(db, "SELECT count(*) FROM pragma_table_info('v_t4')", 0), 4 + 15 + 3);
	CHECK_STR(q_row(db, "SELECT review_upheld, review_total, suit_direct_pending, "
			"suit_after_review_total FROM v_t4 WHERE report_id = ?", id21, row,
			sizeof(row)),
		  "7|NULL|NULL|9");
	CHECK_INT(q_int(db, "SELECT count(*) FROM v_t4", 0), 3);

	/* v_findings and v_claims */
	CHECK_STR(q_row(db, "SELECT report_id, organization, year, rule, kind, applies_to, cells, "
			"expected_expr, expected, found_expr, found, message, location "
			"FROM v_findings", 0, row, sizeof(row)),
		  "1|龙湖镇人民政府|2023|T3-BALANCE|contradiction|column total|t3:new/total|"
		  "new+carried_over|8|total+carried_forward|0|off by 8|/v/2021.html");
	CHECK_STR(q_row(db, "SELECT organization, year, claim_key, value, raw FROM v_claims", 0,
			row, sizeof(row)),
		  "龙湖镇人民政府|2023|new|6|收到申请6件");
	sqlite3_close(db);
}

/* ---- integrity ---- */

static void test_foreign_keys(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct report r;
	struct finding_list fl;
	struct err e = ERR_INIT;
	int64_t id, keep, sid;
	sqlite3 *db;

	make_report(&r, FMT_2021, "甲局", 2023, 0);
	id = put(st, "/fk1", "fk1", &r, 1, &sid);
	keep = put(st, "/fk2", "fk2", &r, 1, NULL);
	report_release(&r);
	finding_list_init(&fl);
	finding_list_add(&fl, "NONNEG", FK_CONTRADICTION, "", "", "", 0, "", -1, "");
	CHECK_INT(store_put_findings(st, id, &fl, &e), 0);
	CHECK_INT(store_put_findings(st, keep, &fl, &e), 0);
	finding_list_release(&fl);
	store_close(st);

	db = raw_open(path);
	CHECK(q_int(db, "SELECT count(*) FROM figures WHERE report_id = ?", id) > 50);
	/* A source with a report cannot go; a figure needs a report. */
	CHECK(raw_exec(db, "DELETE FROM sources WHERE id = 1") != SQLITE_OK);
	CHECK(raw_exec(db, "INSERT INTO figures VALUES (999, 3, 'new', 'total', 1, '1', 0, "
		       "'number')") != SQLITE_OK);
	CHECK(raw_exec(db, "INSERT INTO figures VALUES (1, 5, 'new', 'total', 1, '1', 0, "
		       "'number')") != SQLITE_OK);	/* no table 5 */
	CHECK(raw_exec(db, "INSERT INTO figures VALUES (1, 3, 'x', 'y', 1, '1', 0, 'zero')") !=
	      SQLITE_OK);
	/* Deleting a report takes its figures, claims and findings with it. */
	CHECK_INT(raw_exec(db, "DELETE FROM reports WHERE id = 1"), SQLITE_OK);
	CHECK_INT(q_int(db, "SELECT count(*) FROM figures WHERE report_id = ?", id), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM claims WHERE report_id = ?", id), 0);
	CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ?", id), 0);
	CHECK(q_int(db, "SELECT count(*) FROM figures WHERE report_id = ?", keep) > 50);
	CHECK_INT(q_int(db, "SELECT count(*) FROM findings WHERE report_id = ?", keep), 1);
	CHECK_INT(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check", 0), 0);
	CHECK_INT(raw_exec(db, "DELETE FROM sources WHERE id = 1"), SQLITE_OK);
	sqlite3_close(db);
}

static void test_transactions(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path)), *st2 = NULL;
	struct err e = ERR_INIT;
	struct report r;
	int64_t *ids, id, a, b;
	size_t n;
	char loc[32];

	CHECK_INT(store_commit(st, &e), OGI_EDB);	/* nothing to commit */
	/* Rolled back: nothing stays. */
	CHECK_INT(store_begin(st, &e), 0);
	CHECK_INT(store_begin(st, &e), OGI_EDB);	/* no nesting of batches */
	for (int i = 0; i < 20; i++) {
		snprintf(loc, sizeof(loc), "/t/%d", i);
		CHECK(put_simple(st, loc, "甲局", 2000 + i) > 0);
	}
	store_rollback(st);
	store_rollback(st);	/* harmless without a transaction */
	CHECK_INT(store_list_reports(st, NULL, &ids, &n, &e), 0);
	CHECK_INT(n, 0);
	free(ids);

	/* A failing write inside a batch undoes itself only. */
	CHECK_INT(store_begin(st, &e), 0);
	a = put_simple(st, "/t/a", "甲局", 2020);
	report_init(&r);
	CHECK_INT(store_put_report(st, 4242, &r, 1, &id, &e), OGI_ENOTFOUND);
	report_release(&r);
	b = put_simple(st, "/t/b", "甲局", 2021);
	CHECK(a > 0 && b > 0);

	/* Another handle does not see the batch before it commits (WAL readers). */
	CHECK_INT(store_open(&st2, path, STORE_READONLY, &e), 0);
	CHECK_INT(store_list_reports(st2, NULL, &ids, &n, &e), 0);
	CHECK_INT(n, 0);
	free(ids);
	CHECK_INT(store_commit(st, &e), 0);
	CHECK_INT(store_list_reports(st2, NULL, &ids, &n, &e), 0);
	CHECK_INT(n, 2);
	free(ids);
	/* A read-only handle refuses to write. */
	{
		struct source_meta m = { .location = "/ro" };
		int64_t sid;
		int is_new;

		CHECK(store_put_source(st2, &m, "ro", 2, &sid, &is_new, &e) != 0);
		CHECK(strstr(e.msg, path) != NULL);
	}
	store_close(st2);

	/* Many reports in one batch (ingest's shape). */
	CHECK_INT(store_begin(st, &e), 0);
	for (int i = 0; i < 300; i++) {
		make_report(&r, i % 2 ? FMT_2021 : FMT_2019, i % 3 ? "甲局" : "乙局", 2000 + i, i);
		snprintf(loc, sizeof(loc), "/bulk/%d", i);
		CHECK(put(st, loc, loc, &r, 1, NULL) > 0);
		report_release(&r);
	}
	CHECK_INT(store_commit(st, &e), 0);
	{
		struct report_filter all;

		report_filter_init(&all);
		all.all_versions = 1;
		CHECK_INT(store_list_reports(st, &all, &ids, &n, &e), 0);
		CHECK_INT(n, 302);
		free(ids);
		/* one of the 300 has the body and year of one stored before: one current */
		CHECK_INT(store_list_reports(st, NULL, &ids, &n, &e), 0);
		CHECK_INT(n, 301);
		free(ids);
	}
	store_close(st);
}

/*
 * A disk that fills up in the middle of a large report: the write fails
 * with an error naming the file, the report stored before is intact and
 * the file passes integrity_check.
 */
static void test_disk_full(void)
{
	char path[256], sql[128], row[64];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct report r1, big, out;
	char *huge = xmalloc(4001);
	int64_t sid, id, id2, other;
	sqlite3 *db = store_sqlite(st);
	long long pages, figs;

	memset(huge, 'y', 4000);
	huge[4000] = '\0';
	make_report(&r1, FMT_2021, "甲局", 2023, 0);
	id = put(st, "/full", "full", &r1, 1, &sid);
	CHECK(id > 0);
	make_report(&big, FMT_2021, "乙局", 2024, 1);
	for (size_t i = 0; i < big.nvalues; i++)
		report_set_value(&big, i, VAL_INVALID, 0, huge);	/* ~600 KB of figures */
	figs = q_int(db, "SELECT count(*) FROM figures", 0);

	pages = q_int(db, "PRAGMA page_count", 0);
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld", pages + 8);
	CHECK_INT(raw_exec(db, sql), SQLITE_OK);

	/* Alone: its own transaction, rolled back. */
	CHECK_INT(store_put_report(st, sid, &big, 2, &id2, &e), OGI_EIO);
	CHECK(strstr(e.msg, "full") != NULL);
	CHECK(strstr(e.msg, path) != NULL);
	CHECK_INT(id2, 0);
	CHECK(sqlite3_get_autocommit(db));

	/*
	 * Inside a batch: on a full disk SQLite rolls back either the whole
	 * transaction (a statement without a statement journal), so the batch
	 * is lost, the error says so and commit fails; or the statement alone
	 * (a figure insert of several rows), so the write is undone to its
	 * savepoint and the batch commits without it.  Nothing of the report
	 * that failed is left either way.
	 */
	CHECK_INT(store_begin(st, &e), 0);
	other = put_simple(st, "/small", "丙局", 2023);
	CHECK(other > 0);
	CHECK_INT(store_put_report(st, sid, &big, 2, &id2, &e), OGI_EIO);
	if (sqlite3_get_autocommit(db)) {
		CHECK(strstr(e.msg, "rolled back") != NULL);
		CHECK_INT(store_commit(st, &e), OGI_EDB);
		CHECK(strstr(e.msg, "no transaction") != NULL);
		other = 0;
	} else {
		CHECK(strstr(e.msg, "rolled back") == NULL);
		CHECK_INT(store_commit(st, &e), 0);
		figs += q_int(db, "SELECT count(*) FROM figures f JOIN reports r "
				  "ON r.id = f.report_id WHERE r.location = '/small'", 0);
	}

	CHECK_INT(raw_exec(db, "PRAGMA max_page_count = 1073741823"), SQLITE_OK);
	report_init(&out);
	CHECK_INT(store_get_report(st, id, &out, NULL, &e), 0);
	check_same(&r1, &out);
	CHECK_INT(q_int(db, "SELECT count(*) FROM figures", 0), figs);
	CHECK_INT(q_int(db, "SELECT count(*) FROM reports", 0), other ? 2 : 1);
	CHECK_STR(q_row(db, "PRAGMA integrity_check", 0, row, sizeof(row)), "ok");
	CHECK_INT(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check", 0), 0);

	/* With room again the same write goes through. */
	CHECK_INT(store_put_report(st, sid, &big, 2, &id2, &e), 0);
	CHECK_INT(id2, id);
	CHECK_INT(store_get_report(st, id, &out, NULL, &e), 0);
	check_same(&big, &out);
	report_release(&out);
	report_release(&r1);
	report_release(&big);
	free(huge);
	store_close(st);
}

/*
 * A warehouse of schema version 7, with a crawl's frontier, opened by this
 * ogi: version 8 builds crawl_urls again keyed by URL and POST body; the
 * rows, their ids and referrers stay, and one URL POSTed with two bodies
 * is two rows.
 */
static void test_migrate_v7(void)
{
	char path[256], row[256];
	struct store *st = NULL;
	struct err e = ERR_INIT;
	size_t nsteps;
	const struct schema_step *steps = schema_steps(&nsteps);
	sqlite3 *db;

	CHECK(nsteps >= 8 && steps[6].version == 7 && steps[7].version == 8);
	new_path(path, sizeof(path));
	db = raw_open(path);
	CHECK_INT(schema_migrate(db, path, steps, 7, &e), 0);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), 7);
	CHECK_INT(raw_exec(db,
		"INSERT INTO seeds (id, url, org, kind, added_at) VALUES (1, 'http://a.test/col/', "
		"  '甲镇', 'listing', '2024-01-01T00:00:00Z');"
		"INSERT INTO crawl_urls (id, seed_id, url, kind, depth, state, first_seen, etag) "
		"  VALUES (5, 1, 'http://a.test/col/', 'listing', 0, 'ok', '2024-01-01T00:00:00Z', "
		"  '\"e1\"');"
		"INSERT INTO crawl_urls (id, seed_id, url, kind, depth, referrer_id, state, "
		"  first_seen) VALUES (9, 1, 'http://a.test/col/r.htm', 'report', 1, 5, 'new', "
		"  '2024-01-01T00:00:00Z');"), SQLITE_OK);
	sqlite3_close(db);

	CHECK_INT(store_open(&st, path, 0, &e), 0);
	store_close(st);
	db = raw_open(path);
	CHECK_INT(q_int(db, "PRAGMA user_version", 0), schema_version());
	CHECK_STR(q_row(db, "SELECT id, url, etag, post_body FROM crawl_urls WHERE id = ?1", 5,
			row, sizeof(row)), "5|http://a.test/col/|\"e1\"|");
	CHECK_INT(q_int(db, "SELECT referrer_id FROM crawl_urls WHERE id = ?1", 9), 5);
	CHECK_INT(q_int(db, "SELECT count(*) FROM v_crawl WHERE post_body IS NULL", 0), 2);
	CHECK_INT(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'crawl_urls%'",
			0), 4);	/* the table and its three indexes, no copy left */
	CHECK_INT(raw_exec(db,
		"INSERT INTO crawl_urls (seed_id, url, kind, depth, state, first_seen, post_body) "
		"  VALUES (1, 'http://a.test/p.jsp', 'listing', 1, 'new', 'x', 'a=1');"
		"INSERT INTO crawl_urls (seed_id, url, kind, depth, state, first_seen, post_body) "
		"  VALUES (1, 'http://a.test/p.jsp', 'listing', 1, 'new', 'x', 'a=2');"), SQLITE_OK);
	CHECK(raw_exec(db,
		"INSERT INTO crawl_urls (seed_id, url, kind, depth, state, first_seen, post_body) "
		"  VALUES (1, 'http://a.test/p.jsp', 'listing', 1, 'new', 'x', 'a=2');") !=
	      SQLITE_OK);
	/* deleting the referrer still clears the reference: the key points at the new table */
	CHECK_INT(raw_exec(db, "PRAGMA foreign_keys = ON; DELETE FROM crawl_urls WHERE id = 5;"),
		  SQLITE_OK);
	CHECK_INT(q_int(db, "SELECT referrer_id IS NULL FROM crawl_urls WHERE id = ?1", 9), 1);
	sqlite3_close(db);
}

/*
 * Version 9: a warehouse of version 8 migrates, its figures read as not
 * read by OCR; a figure read by OCR keeps its picture, box, confidence
 * and whether it is uncertain.
 */
static void test_migrate_v8_ocr(void)
{
	char path[256], row[256];
	struct store *st = NULL;
	struct err e = ERR_INIT;
	struct report r, out;
	size_t nsteps;
	const struct schema_step *steps = schema_steps(&nsteps);
	const struct report_value *v;
	sqlite3 *db;
	int64_t id;
	int i;

	CHECK(nsteps >= 9 && steps[7].version == 8 && steps[8].version == 9);
	new_path(path, sizeof(path));
	db = raw_open(path);
	CHECK_INT(schema_migrate(db, path, steps, 8, &e), 0);
	CHECK_INT(raw_exec(db,
		"INSERT INTO bodies (id, name, level) VALUES (1, '龙湖镇人民政府', 'township');"
		"INSERT INTO sources (id, location, sha256, size, fetched_at, first_seen, content) "
		"  VALUES (1, '/old.html', 'abc', 1, '2024-01-01T00:00:00Z', "
		"  '2024-01-01T00:00:00Z', x'00');"
		"INSERT INTO reports (id, location, source_id, body_id, year, format, status, "
		"  parser_version, parsed_at) VALUES (1, '/old.html', 1, 1, 2023, '2021', "
		"  'partial', 3, '2024-01-01T00:00:00Z');"
		"INSERT INTO report_sources (report_id, location, source_id, role, status, "
		"  parser_version, chosen) VALUES (1, '/old.html', 1, 'page', 'partial', 3, 1);"
		"INSERT INTO figures (report_id, tbl, row_key, col_key, value, raw, blank, state) "
		"  VALUES (1, 4, 'review', 'upheld', 7, '7', 0, 'number');"), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(&st, path, 0, &e), 0);
	report_init(&out);
	CHECK_INT(store_get_report(st, 1, &out, NULL, &e), 0);
	v = report_get(&out, 4, "review", "upheld");
	CHECK(v && v->state == VAL_NUMBER && v->num == 7 && !v->ocr.read && !v->ocr.image);
	report_release(&out);

	report_init(&r);
	set_meta(&r, "海棠市教育局", "department", NULL, 2022);
	report_set_format(&r, FMT_2021);
	r.status = RS_PARTIAL;
	set_num(&r, 4, "review", "upheld", 3);
	set_num(&r, 4, "review", "total", 30);
	i = field(FMT_2021, 4, "review", "upheld");
	r.values[i].ocr.read = 1;
	r.values[i].ocr.image = xstrdup("page 2");
	r.values[i].ocr.x = 10;
	r.values[i].ocr.y = 20;
	r.values[i].ocr.w = 30;
	r.values[i].ocr.h = 40;
	r.values[i].ocr.conf = 87;
	r.values[i].ocr.uncertain = 1;
	id = put(st, "/scan.pdf", "scan", &r, 4, NULL);
	CHECK(id > 0);
	report_init(&out);
	CHECK_INT(store_get_report(st, id, &out, NULL, &e), 0);
	v = report_get(&out, 4, "review", "upheld");
	CHECK(v && v->ocr.read && v->ocr.uncertain && v->ocr.x == 10 && v->ocr.y == 20 &&
	      v->ocr.w == 30 && v->ocr.h == 40 && v->ocr.conf == 87);
	CHECK_STR(v ? v->ocr.image : NULL, "page 2");
	v = report_get(&out, 4, "review", "total");
	CHECK(v && !v->ocr.read && !v->ocr.uncertain);
	report_release(&out);
	report_release(&r);
	store_close(st);
	db = raw_open(path);
	CHECK_STR(q_row(db, "SELECT ocr_image, ocr_box, ocr_conf, uncertain FROM figures "
			"WHERE report_id = ?1 ORDER BY col_key DESC", id, row, sizeof(row)),
		  "page 2|10,20,30,40|87.0|1");
	CHECK_INT(q_int(db, "SELECT count(*) FROM figures WHERE report_id = 1 AND "
			"ocr_conf IS NULL AND uncertain = 0", 0), 1);
	sqlite3_close(db);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	RUN(test_open_create_reopen);
	RUN(test_open_errors);
	RUN(test_schema_newer);
	RUN(test_foreign_database);
	RUN(test_migrations);
	RUN(test_sources);
	RUN(test_report_round_trip);
	RUN(test_report_hostile);
	RUN(test_provenance);
	RUN(test_view_columns);
	RUN(test_migrate_v3);
	RUN(test_migrate_v7);
	RUN(test_report_sources);
	RUN(test_migrate_v4);
	RUN(test_migrate_v8_ocr);
	RUN(test_bodies);
	RUN(test_replace);
	RUN(test_list);
	RUN(test_neighbours);
	RUN(test_stale);
	RUN(test_findings);
	RUN(test_views);
	RUN(test_foreign_keys);
	RUN(test_transactions);
	RUN(test_disk_full);
	remove_tmpdir();
	fmt_cleanup();
	return t_done(__FILE__);
}
