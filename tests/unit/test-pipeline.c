/*
 * pipeline/pipeline.h: a report page and a file it links that is the same
 * report become one report with both sources, the better one chosen; the
 * choice follows their bytes as they change (the chosen source getting
 * worse gives the figures back to the other, read again from the store);
 * a file of another report stands alone; reparse reads an attachment as
 * the crawl did; events say what became of each.  Driven through the
 * crawl's hooks (pipeline_crawl_hooks()) with frontier rows set up by
 * hand, as the crawl leaves them, so no network is needed.  And pages
 * parsed on worker threads come out as on one: the same events in the same
 * order, the same reports (run again under ThreadSanitizer).
 */
#include <dirent.h>
#include <unistd.h>

#include <leptonica/allheaders.h>

#include "tests/unit/t.h"
#include "form/format.h"
#include "pipeline/pipeline.h"
#include "store/crawl.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char tmpdir[] = "/tmp/ogi-test-pipeline-XXXXXX";

#define PAGE_URL "http://x.test/col/202401/t20240117_1.htm"
#define PDF_URL "http://x.test/col/202401/P020240117.pdf"

static char *fixture(const char *name, size_t *len)
{
	char path[4096];
	const char *dir = getenv("OGI_FIXTURES");
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc((size_t)n + 1);
	*len = fread(data, 1, (size_t)n, f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

/* The events of one run: the last one, and how many of each outcome. */
struct seen {
	enum pipeline_outcome last;
	char location[256];
	int count[PIPELINE_SKIPPED + 1];
};

static void on_event(const struct pipeline_event *ev, void *arg)
{
	struct seen *s = arg;

	s->last = ev->outcome;
	snprintf(s->location, sizeof(s->location), "%s", ev->location ? ev->location : "");
	s->count[ev->outcome]++;
}

struct world {
	struct store *st;
	struct frontier *fr;
	struct pipeline pl;
	struct crawl_opts o;
	struct seed seed;
	struct seen seen;
	int64_t run, page_row, pdf_row;
};

static void world_open(struct world *w, const char *name)
{
	char path[256];
	struct err e = ERR_INIT;
	struct seed s;

	memset(w, 0, sizeof(*w));
	snprintf(path, sizeof(path), "%s/%s.db", tmpdir, name);
	if (store_open(&w->st, path, 0, &e) || store_frontier_open(w->st, &w->fr, &e)) {
		fprintf(stderr, "  open: %s\n", e.msg);
		abort();
	}
	store_seed_init(&s);
	s.url = "http://x.test/col/";
	s.org = "晋江市人民政府";
	CHECK_INT(store_seed_put(w->st, &s, &w->seed.id, NULL, &e), 0);
	w->seed.url = s.url;
	w->seed.org = s.org;
	CHECK_INT(store_crawl_run_start(w->st, "all", 1, &w->run, &(int){ 0 }, &e), 0);
	CHECK_INT(store_frontier_add(w->fr, w->seed.id, PAGE_URL, FK_REPORT, 1, 0, NULL, NULL,
				     &w->page_row, NULL, &e), 0);
	CHECK_INT(store_frontier_add(w->fr, w->seed.id, PDF_URL, FK_ATTACHMENT, 2, w->page_row,
				     "晋江市龙湖镇人民政府2023年政府信息公开工作年度报告.pdf", NULL,
				     &w->pdf_row, NULL, &e), 0);
	pipeline_init(&w->pl, w->st);
	w->pl.on_event = on_event;
	w->pl.arg = &w->seen;
	crawl_opts_init(&w->o);
	pipeline_crawl_hooks(&w->pl, &w->o);
}

static void world_close(struct world *w)
{
	store_frontier_close(w->fr);
	store_close(w->st);
}

/*
 * What the crawl does with new bytes of row (the page or the PDF): stores
 * them, settles the row, parses them with the hooks and stores the parse,
 * in one transaction.  Returns the hook's outcome.
 */
static int fetched(struct world *w, int64_t row, const char *url, const char *bytes,
		   size_t len)
{
	struct source_meta m = { .location = url };
	struct frontier_result res = {
		.id = row, .run_id = w->run, .state = FS_OK, .result = "new", .http_status = 200,
		.parsed = 0, .fetched = 1, .changed = 1,
	};
	struct crawl_bytes b = {
		.seed = &w->seed, .url = url, .bytes = bytes, .len = len,
		.attachment = row == w->pdf_row,
		.link_text = row == w->pdf_row ? "晋江市龙湖镇人民政府2023年政府信息公开工作年度报告.pdf"
					       : NULL,
	};
	struct crawl_page page = {
		.seed = &w->seed, .url_id = row, .url = url, .is_new = 1,
		.attachment = row == w->pdf_row, .referrer_id = row == w->pdf_row ? w->page_row : 0,
	};
	struct err e = ERR_INIT;
	void *parsed;
	int outcome = -1;

	CHECK_INT(store_begin(w->st, &e), 0);
	CHECK_INT(store_put_source(w->st, &m, bytes, len, &res.source_id, NULL, &e), 0);
	CHECK_INT(store_frontier_settle(w->fr, &res, &e), 0);
	page.source_id = res.source_id;
	parsed = w->o.parse(&b, w->o.hooks_arg);
	outcome = w->o.store(&page, parsed, w->o.hooks_arg, &e);
	w->o.discard(parsed, w->o.hooks_arg);
	CHECK_INT(store_commit(w->st, &e), 0);
	return outcome;
}

/* "role:status:chosen ..." of the report at the page, pages first; "" when there is none. */
static const char *sources_of(struct world *w, int64_t id, char *out, size_t n)
{
	struct report_source_list l = { 0 };
	struct err e = ERR_INIT;
	size_t k = 0;

	out[0] = '\0';
	CHECK_INT(store_report_sources(w->st, id, &l, &e), 0);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l.n; i++)
			if ((l.v[i].role == SOURCE_PAGE) == !pass && k < n)
				k += (size_t)snprintf(out + k, n - k, "%s%s:%s:%d", k ? " " : "",
						      store_source_role_name(l.v[i].role),
						      l.v[i].read ? report_status_name(l.v[i].status)
								  : "-",
						      l.v[i].chosen);
	store_report_source_list_release(&l);
	return out;
}

static int64_t report_at(struct world *w, const char *location)
{
	struct err e = ERR_INIT;
	int64_t id = 0;

	CHECK_INT(store_report_at_location(w->st, location, &id, NULL, &e), 0);
	return id;
}

static enum report_status status_of(struct world *w, int64_t id, int64_t *source_id)
{
	struct report r;
	struct report_info info;
	struct err e = ERR_INIT;
	enum report_status s;

	report_init(&r);
	CHECK_INT(store_get_report(w->st, id, &r, &info, &e), 0);
	s = r.status;
	if (source_id)
		*source_id = info.source_id;
	report_release(&r);
	return s;
}

/* A page that only says the report is in its attachment: a report without tables. */
static const char see_attachment[] =
	"<html><head><title>晋江市龙湖镇人民政府2023年政府信息公开工作年度报告</title></head>"
	"<body><h1>晋江市龙湖镇人民政府2023年政府信息公开工作年度报告</h1>"
	"<p>详见附件。</p><p><a href=\"P020240117.pdf\">附件</a></p></body></html>";

static void test_pairing(void)
{
	struct world w;
	struct err e = ERR_INIT;
	char buf[256];
	size_t tlen = 0;
	char *text = fixture("longhu-2023.txt", &tlen);
	struct buf worse = BUF_INIT(BUF_NOLIMIT), better = BUF_INIT(BUF_NOLIMIT);
	int64_t id, src;

	CHECK(text != NULL);
	if (!text)
		return;
	world_open(&w, "pairing");

	/* the page first: a report of its own, no tables */
	CHECK_INT(fetched(&w, w.page_row, PAGE_URL, see_attachment, strlen(see_attachment)),
		  CRAWL_PARSED_NO_TABLES);
	CHECK_INT(w.seen.last, PIPELINE_ADDED);
	id = report_at(&w, PAGE_URL);
	CHECK(id > 0);
	CHECK_STR(sources_of(&w, id, buf, sizeof(buf)), "page:no_tables:1");

	/* its attachment, the same body and year, with tables: one report, the file chosen */
	CHECK_INT(fetched(&w, w.pdf_row, PDF_URL, text, tlen), CRAWL_PARSED_TABLES);
	CHECK_INT(w.seen.last, PIPELINE_UPDATED);
	CHECK_STR(w.seen.location, PDF_URL);
	CHECK_INT(report_at(&w, PDF_URL), 0);
	CHECK_STR(sources_of(&w, id, buf, sizeof(buf)), "page:no_tables:0 attachment:complete:1");
	CHECK_INT(status_of(&w, id, NULL), RS_COMPLETE);

	/* the page changes, still no tables: recorded, the figures stay the file's */
	buf_adds(&worse, see_attachment);
	buf_adds(&worse, "\n");
	CHECK_INT(fetched(&w, w.page_row, PAGE_URL, buf_str(&worse), worse.len),
		  CRAWL_PARSED_NO_TABLES);
	CHECK_INT(w.seen.last, PIPELINE_ATTACHED);
	CHECK_STR(sources_of(&w, id, buf, sizeof(buf)), "page:no_tables:0 attachment:complete:1");
	CHECK_INT(status_of(&w, id, NULL), RS_COMPLETE);

	/* the file changes for the worse: the page, read again from the store, gives the report */
	buf_reset(&worse);
	buf_adds(&worse, see_attachment);
	buf_adds(&worse, "\n\n\n");
	CHECK_INT(fetched(&w, w.pdf_row, PDF_URL, buf_str(&worse), worse.len),
		  CRAWL_PARSED_NO_TABLES);
	CHECK_INT(w.seen.last, PIPELINE_UPDATED);
	CHECK_STR(sources_of(&w, id, buf, sizeof(buf)), "page:no_tables:1 attachment:no_tables:0");
	CHECK_INT(status_of(&w, id, &src), RS_NO_TABLES);

	/* the page gets its tables: chosen, the file kept */
	buf_adds(&better, text);
	buf_adds(&better, "\n");
	CHECK_INT(fetched(&w, w.page_row, PAGE_URL, buf_str(&better), better.len),
		  CRAWL_PARSED_TABLES);
	CHECK_INT(w.seen.last, PIPELINE_UPDATED);
	CHECK_STR(sources_of(&w, id, buf, sizeof(buf)), "page:complete:1 attachment:no_tables:0");

	/* the file reads complete again: a tie, the page stays chosen */
	CHECK_INT(fetched(&w, w.pdf_row, PDF_URL, text, tlen), CRAWL_PARSED_TABLES);
	CHECK_INT(w.seen.last, PIPELINE_ATTACHED);
	CHECK_STR(sources_of(&w, id, buf, sizeof(buf)), "page:complete:1 attachment:complete:0");
	CHECK_INT(status_of(&w, id, &src), RS_COMPLETE);

	/* reparse reads each source as the crawl did: still one report, the same choice */
	{
		int64_t *ids = NULL;
		size_t n = 0;

		memset(&w.seen, 0, sizeof(w.seen));
		CHECK_INT(store_list_stale_sources(w.st, PARSER_VERSION + 1, &ids, &n, &e), 0);
		CHECK_INT(n, 2);
		w.pl.force = 1;
		for (size_t i = 0; i < n; i++)
			CHECK_INT(pipeline_source(&w.pl, ids[i], &e), 0);
		CHECK_INT(pipeline_finish(&w.pl, &e), 0);
		free(ids);
		CHECK_INT(w.seen.count[PIPELINE_ADDED], 0);
		CHECK_INT(w.seen.count[PIPELINE_UPDATED] + w.seen.count[PIPELINE_ATTACHED], 2);
		CHECK_STR(sources_of(&w, id, buf, sizeof(buf)),
			  "page:complete:1 attachment:complete:0");
		CHECK_INT(report_at(&w, PDF_URL), 0);
	}
	buf_release(&worse);
	buf_release(&better);
	free(text);
	world_close(&w);
}

/* A file the page links that is another year's report stands alone, at its own URL. */
static void test_other_report(void)
{
	struct world w;
	char buf[256];
	size_t tlen = 0;
	char *text = fixture("longhu-2023.txt", &tlen);
	const char *page2022 =
		"<html><head><title>晋江市龙湖镇人民政府2022年政府信息公开工作年度报告</title></head>"
		"<body><h1>晋江市龙湖镇人民政府2022年政府信息公开工作年度报告</h1>"
		"<p>详见附件。</p></body></html>";
	int64_t id;

	CHECK(text != NULL);
	if (!text)
		return;
	world_open(&w, "other");
	CHECK_INT(fetched(&w, w.page_row, PAGE_URL, page2022, strlen(page2022)),
		  CRAWL_PARSED_NO_TABLES);
	CHECK_INT(fetched(&w, w.pdf_row, PDF_URL, text, tlen), CRAWL_PARSED_TABLES);
	CHECK_INT(w.seen.last, PIPELINE_ADDED);
	id = report_at(&w, PDF_URL);
	CHECK(id > 0);
	CHECK_STR(sources_of(&w, id, buf, sizeof(buf)), "attachment:complete:1");
	CHECK_STR(sources_of(&w, report_at(&w, PAGE_URL), buf, sizeof(buf)), "page:no_tables:1");
	free(text);
	world_close(&w);
}

/* Every event of a run, in order: "outcome report-id location" a line. */
static void log_event(const struct pipeline_event *ev, void *arg)
{
	buf_addf(arg, "%d %lld %s\n", (int)ev->outcome, (long long)ev->report_id,
		 ev->location ? ev->location : "");
}

/* A warehouse NAME-JOBS.db and a pipeline into it on jobs threads, its events logged to log. */
static struct store *open_logged(struct pipeline *pl, const char *name, size_t jobs,
				 struct buf *log)
{
	struct store *st = NULL;
	struct err e = ERR_INIT;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s-%zu.db", tmpdir, name, jobs);
	CHECK_INT(store_open(&st, path, 0, &e), 0);
	pipeline_init(pl, st);
	pipeline_set_jobs(pl, jobs);
	pl->on_event = log_event;
	pl->arg = log;
	return st;
}

/*
 * The real fixtures, twice each (the second time unchanged), a page that is
 * no report, an empty one and a skipped entry, through a pipeline on jobs
 * threads; returns the events and, after them, each report's body, year,
 * status and figure count.
 */
static char *run_jobs(size_t jobs)
{
	static const char *const names[] = {
		"real/53_pingtan_2024.html", "real/52_huaian_2024.pdf",
		"real/40_hebei_jyt_2019.extracted.txt", "shanghai-office-2019.html",
		"longhu-2023.txt", "real/63_pingtan_jinjing_2019.page.txt",
	};
	struct buf log = BUF_INIT(BUF_NOLIMIT);
	struct store *st;
	struct pipeline pl;
	struct err e = ERR_INIT, said = ERR_INIT;
	struct report_filter all = { 0 };
	int64_t *ids = NULL;
	size_t n = 0;

	st = open_logged(&pl, "jobs", jobs, &log);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			size_t len = 0;
			char *bytes = fixture(names[i], &len);
			struct source_meta m = { .location = names[i] };

			CHECK(bytes != NULL);
			if (bytes)
				CHECK_INT(pipeline_bytes(&pl, &m, bytes, len, &e), 0);
			free(bytes);
		}
		{
			static const char weather[] = "<html><body><p>晴</p></body></html>";
			struct source_meta m = { .location = "weather.html" };

			CHECK_INT(pipeline_bytes(&pl, &m, weather, sizeof(weather) - 1, &e), 0);
		}
		err_set(&said, OGI_EIO, "skipping 'loop': a link to a folder read already");
		CHECK_INT(pipeline_skip(&pl, "loop", &said, 0, &e), 0);
	}
	CHECK_INT(pipeline_finish(&pl, &e), 0);
	CHECK_INT(store_list_reports(st, &all, &ids, &n, &e), 0);
	for (size_t i = 0; i < n; i++) {
		struct report r;
		struct report_info info;
		double sum = 0;
		size_t cells = 0;

		report_init(&r);
		CHECK_INT(store_get_report(st, ids[i], &r, &info, &e), 0);
		for (size_t k = 0; k < r.nvalues; k++)
			if (r.values[k].state == VAL_NUMBER) {
				cells++;
				sum += r.values[k].num;
			}
		buf_addf(&log, "%s %d %s %zu %.0f\n", r.organization ? r.organization : "-", r.year,
			 report_status_name(r.status), cells, sum);
		report_release(&r);
	}
	free(ids);
	store_close(st);
	return buf_take(&log);
}

static void test_jobs(void)
{
	char *one = run_jobs(1), *three = run_jobs(3);

	CHECK(strstr(one, "\n0 ") != NULL || !strncmp(one, "0 ", 2));	/* something added */
	CHECK(strstr(one, "loop\n") != NULL);
	CHECK_STR(three, one);
	free(one);
	free(three);
}

/*
 * A picture of a ruled table of digits (Leptonica's bitmap font), n: which
 * digits; PNG bytes the caller frees with lept_free().
 */
static l_uint8 *picture(int n, size_t *len)
{
	PIX *pix = pixCreate(320, 140, 8);
	L_BMF *font = bmfCreate(NULL, 10);
	l_uint8 *png = NULL;
	char digits[16];

	pixSetAll(pix);
	for (int k = 0; k <= 2; k++)	/* 3 lines across, 4 down: 2 rows of 3 cells */
		pixRasterop(pix, 10, 10 + 60 * k, 301, 2, PIX_CLR, NULL, 0, 0);
	for (int k = 0; k <= 3; k++)
		pixRasterop(pix, 10 + 100 * k, 10, 2, 121, PIX_CLR, NULL, 0, 0);
	for (int k = 0; k < 6; k++) {
		snprintf(digits, sizeof(digits), "%d", n * 10 + k);
		pixSetTextline(pix, font, digits, 0, 40 + 100 * (k % 3), 50 + 60 * (k / 3), NULL,
			       NULL);
	}
	if (pixWriteMem(&png, len, pix, IFF_PNG))
		png = NULL;
	pixDestroy(&pix);
	bmfDestroy(&font);
	return png;
}

/*
 * Pictures are read with OCR on the parse workers (each its own Tesseract):
 * the same warehouse for one thread or two, under ThreadSanitizer too.  A
 * picture without the form's labels is a scan whose tables are not read.
 */
static char *run_pictures(size_t jobs)
{
	struct buf log = BUF_INIT(BUF_NOLIMIT);
	struct store *st;
	struct pipeline pl;
	struct err e = ERR_INIT;
	struct report_filter all = { 0 };
	int64_t *ids = NULL;
	size_t n = 0, images = 0;
	char name[32];

	st = open_logged(&pl, "pictures", jobs, &log);
	for (int i = 1; i <= 3; i++) {
		size_t len = 0;
		l_uint8 *png = picture(i, &len);
		struct source_meta m = { .location = name, .content_type = "image/png" };

		snprintf(name, sizeof(name), "table-%d.png", i);
		CHECK(png != NULL);
		if (png)
			CHECK_INT(pipeline_bytes(&pl, &m, (const char *)png, len, &e), 0);
		lept_free(png);
	}
	CHECK_INT(pipeline_finish(&pl, &e), 0);
	CHECK_INT(store_list_reports(st, &all, &ids, &n, &e), 0);
	for (size_t i = 0; i < n; i++) {
		struct report r;

		report_init(&r);
		CHECK_INT(store_get_report(st, ids[i], &r, NULL, &e), 0);
		images += r.status == RS_NO_TABLES && r.reason == RREASON_IMAGE;
		report_release(&r);
	}
	buf_addf(&log, "no_tables/image: %zu\n", images);
	free(ids);
	store_close(st);
	return buf_take(&log);
}

static void test_pictures_jobs(void)
{
	char *one = run_pictures(1), *two = run_pictures(2);

	CHECK(strstr(one, "table-3.png\n") != NULL);
	CHECK(strstr(one, "no_tables/image: 3\n") != NULL);
	CHECK_STR(two, one);
	free(one);
	free(two);
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	char p[4096];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(tmpdir);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	RUN(test_pairing);
	RUN(test_other_report);
	RUN(test_jobs);
	RUN(test_pictures_jobs);
	remove_tmpdir();
	fmt_cleanup();
	return t_done(__FILE__);
}
