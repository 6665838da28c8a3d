/*
 * Extraction and ingest throughput on a folder of report pages, side by
 * side with a bare gumbo parse of the same bytes in the same run.
 *
 *   bench-extract DIR [LIMIT]
 *   bench-extract --stream DIR [LIMIT]
 *   bench-extract --pdf DIR [LIMIT]
 *
 * --stream reads, parses and stores one page at a time (as `ogi ingest`
 * does) and prints only the peak RSS: it must stay flat as LIMIT grows.
 *
 * Prints pages/s and MB/s for: gumbo alone, ogi's extraction (charset,
 * HTML grid, labels, numbers, metadata), and extraction plus storing into
 * a fresh SQLite warehouse; then the ratios and the peak RSS.
 *
 * --gumbo only runs the reference (a bare gumbo parse, GBK pages decoded
 * first) over DIR's files one at a time, as a process to time against
 * `ogi ingest DIR` (bench/run-ingest.sh).
 *
 * --pdf reads DIR's *.pdf files instead, side by side with poppler alone
 * extracting each page's text with its glyph boxes (what pdftotext does
 * before it lays the text out); figures per file and per PDF page.
 */
#include <dirent.h>
#include <gumbo.h>
#include <iconv.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "form/check.h"
#include "parser/parse.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct page {
	char *bytes;
	size_t len;
	char *name;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct page *)a)->name, ((const struct page *)b)->name);
}

static const char *wanted = ".htm";	/* the files load() takes: pages, or --pdf files */

/* The *.htm* pages (or PDFs) of dir in name order, at most limit (0: all); bytes read only if asked. */
static size_t load(const char *dir, struct page **out, size_t limit, int with_bytes)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct page *p = NULL;
	size_t n = 0, alloc = 0;

	if (!d) {
		perror(dir);
		exit(2);
	}
	while ((de = readdir(d))) {
		if (!strstr(de->d_name, wanted))
			continue;
		ALLOC_GROW(p, n + 1, alloc);
		memset(&p[n], 0, sizeof(p[n]));
		p[n++].name = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(p, n, sizeof(*p), cmp_name);
	if (limit && n > limit) {
		for (size_t i = limit; i < n; i++)
			free(p[i].name);
		n = limit;
	}
	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT(BUF_NOLIMIT);
		struct stat sb;
		FILE *f;

		buf_addf(&path, "%s/%s", dir, p[i].name);
		if (stat(buf_str(&path), &sb) == 0)
			p[i].len = (size_t)sb.st_size;
		if (with_bytes && (f = fopen(buf_str(&path), "rb"))) {
			p[i].bytes = xmalloc(p[i].len + 1);
			p[i].len = fread(p[i].bytes, 1, p[i].len, f);
			fclose(f);
		}
		buf_release(&path);
	}
	*out = p;
	return n;
}

/*
 * The reference: what any program must do to read a page, and no more.
 * A page declaring GB2312/GBK/GB18030 in its first KB is decoded with
 * iconv (as ogi decodes it), then gumbo parses the UTF-8.
 */
static int declares_gbk(const char *s, size_t n)
{
	size_t end = n < 1024 ? n : 1024;

	for (size_t i = 0; i + 3 <= end; i++)
		if ((s[i] == 'g' || s[i] == 'G') && (s[i + 1] == 'b' || s[i + 1] == 'B') &&
		    (s[i + 2] == 'k' || s[i + 2] == 'K' || s[i + 2] == '2' || s[i + 2] == '1'))
			return 1;
	return 0;
}

static void gumbo_page(const char *bytes, size_t len)
{
	char *utf8 = NULL;
	GumboOutput *o;

	if (declares_gbk(bytes, len)) {
		iconv_t cd = iconv_open("UTF-8", "GB18030");
		size_t cap = len * 2 + 1, left = cap;
		char *in = (char *)bytes, *out;
		size_t inleft = len;

		utf8 = out = xmalloc(cap);
		iconv(cd, &in, &inleft, &out, &left);
		iconv_close(cd);
		len = cap - left;
		bytes = utf8;
	}
	o = gumbo_parse_with_options(&kGumboDefaultOptions, bytes, len);
	gumbo_destroy_output(&kGumboDefaultOptions, o);
	free(utf8);
}

static void run_gumbo(const struct page *pages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		gumbo_page(pages[i].bytes, pages[i].len);
}

/*
 * --gumbo: the reference as a whole process, one page at a time from the
 * files, as `ogi ingest DIR` reads them (bench/run-ingest.sh times both).
 */
static int gumbo_process(const char *dir, size_t limit)
{
	struct page *pages;
	size_t n = load(dir, &pages, limit, 0);

	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT(BUF_NOLIMIT);
		FILE *f;

		buf_addf(&path, "%s/%s", dir, pages[i].name);
		if ((f = fopen(buf_str(&path), "rb"))) {
			char *bytes = xmalloc(pages[i].len + 1);
			size_t len = fread(bytes, 1, pages[i].len, f);

			fclose(f);
			gumbo_page(bytes, len);
			free(bytes);
		}
		buf_release(&path);
		free(pages[i].name);
	}
	free(pages);
	return 0;
}

/* Poppler alone: every page's text and glyph boxes; returns the pages read. */
static size_t run_poppler(const struct page *pages, size_t n)
{
	size_t npages = 0;

	for (size_t i = 0; i < n; i++) {
		GBytes *b = g_bytes_new_static(pages[i].bytes, pages[i].len);
		PopplerDocument *d = poppler_document_new_from_bytes(b, NULL, NULL);

		for (int p = 0; d && p < poppler_document_get_n_pages(d); p++) {
			PopplerPage *pg = poppler_document_get_page(d, p);
			PopplerRectangle *rects = NULL;
			guint nrects = 0;
			char *text = poppler_page_get_text(pg);

			poppler_page_get_text_layout(pg, &rects, &nrects);
			g_free(rects);
			g_free(text);
			g_object_unref(pg);
			npages++;
		}
		if (d)
			g_object_unref(d);
		g_bytes_unref(b);
	}
	return npages;
}

static size_t run_extract(const struct page *pages, size_t n)
{
	size_t complete = 0;

	for (size_t i = 0; i < n; i++) {
		struct parse_input in = { .bytes = pages[i].bytes, .len = pages[i].len,
					  .location = pages[i].name };
		struct report r;
		struct err e = ERR_INIT;

		report_init(&r);
		if (!parse_report(&in, &r, &e))
			complete += r.status == RS_COMPLETE;
		report_release(&r);
	}
	return complete;
}

static void remove_db(const char *path)
{
	struct buf p = BUF_INIT(BUF_NOLIMIT);

	unlink(path);
	buf_addf(&p, "%s-wal", path);
	unlink(buf_str(&p));
	buf_reset(&p);
	buf_addf(&p, "%s-shm", path);
	unlink(buf_str(&p));
	buf_release(&p);
}

static struct store *stream_st;
static char stream_db[] = "/tmp/ogi-bench-stream-XXXXXX";

static void ingest_page(struct store *st, const struct page *pg)
{
	struct parse_input in = { .bytes = pg->bytes, .len = pg->len, .location = pg->name };
	struct source_meta m = { .location = pg->name };
	struct err e = ERR_INIT;
	struct report r;
	struct finding_list fl;
	int64_t sid, rid;
	int is_new;

	report_init(&r);
	finding_list_init(&fl);
	if (!store_put_source(st, &m, pg->bytes, pg->len, &sid, &is_new, &e) &&
	    !parse_report(&in, &r, &e)) {
		check_report(&r, NULL, &fl);
		if (store_put_report(st, sid, &r, PARSER_VERSION, &rid, &e) ||
		    store_put_findings(st, rid, &fl, &e))
			fprintf(stderr, "store: %s\n", e.msg);
	}
	finding_list_release(&fl);
	report_release(&r);
}

static void run_ingest_one_free(struct page *pg)
{
	struct err e = ERR_INIT;

	if (!stream_st) {
		int fd = mkstemp(stream_db);

		if (fd < 0)
			exit(2);
		close(fd);
		unlink(stream_db);
		if (store_open(&stream_st, stream_db, 0, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			exit(2);
		}
	}
	store_begin(stream_st, &e);
	ingest_page(stream_st, pg);
	store_commit(stream_st, &e);
	free(pg->bytes);
	pg->bytes = NULL;
}

/* Extraction plus the warehouse: what `ogi ingest` does per page, one transaction. */
static double run_ingest(const struct page *pages, size_t n)
{
	char dbpath[] = "/tmp/ogi-bench-XXXXXX";
	struct store *st;
	struct err e = ERR_INIT;
	double t0, t;
	int fd = mkstemp(dbpath);

	if (fd < 0)
		exit(2);
	close(fd);
	remove_db(dbpath);
	if (store_open(&st, dbpath, 0, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		exit(2);
	}
	t0 = now();
	store_begin(st, &e);
	for (size_t i = 0; i < n; i++)
		ingest_page(st, &pages[i]);
	store_commit(st, &e);
	t = now() - t0;
	store_close(st);
	remove_db(dbpath);
	return t;
}

/* Pages one at a time from disk into a warehouse: the memory an ingest needs. */
static void stream_close(void)
{
	if (stream_st) {
		store_close(stream_st);
		remove_db(stream_db);
	}
}

static int stream(const char *dir, size_t limit)
{
	struct page *names;
	size_t n = load(dir, &names, limit, 0), bytes = 0;
	struct rusage ru;
	double t0 = now(), t;

	for (size_t i = 0; i < n; i++)
		bytes += names[i].len;
	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT(BUF_NOLIMIT);
		FILE *f;

		buf_addf(&path, "%s/%s", dir, names[i].name);
		f = fopen(buf_str(&path), "rb");
		buf_release(&path);
		if (!f)
			continue;
		names[i].bytes = xmalloc(names[i].len + 1);
		names[i].len = fread(names[i].bytes, 1, names[i].len, f);
		fclose(f);
		run_ingest_one_free(&names[i]);
	}
	t = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("%zu pages, %.1f MB, %.1f pages/s: peak RSS %.1f MB\n", n, (double)bytes / 1e6,
	       (double)n / t, (double)ru.ru_maxrss / 1024);
	for (size_t i = 0; i < n; i++)
		free(names[i].name);
	free(names);
	stream_close();
	return 0;
}

#define ROUNDS 3

static int bench_pdf(const char *dir, size_t limit)
{
	struct page *pages;
	size_t n = load(dir, &pages, limit, 1), bytes = 0, npages = 0, complete = 0;
	double t_poppler = 1e30, t_extract = 1e30, t0, t;

	if (!n) {
		fprintf(stderr, "no PDFs in %s\n", dir);
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		bytes += pages[i].len;
	for (int round = 0; round < ROUNDS; round++) {
		t0 = now();
		npages = run_poppler(pages, n);
		t = now() - t0;
		if (t < t_poppler)
			t_poppler = t;
		t0 = now();
		complete = run_extract(pages, n);
		t = now() - t0;
		if (t < t_extract)
			t_extract = t;
	}
	printf("PDFs %zu (%zu pages), %.1f MB; %zu read complete (best of %d rounds)\n", n, npages,
	       (double)bytes / 1e6, complete, ROUNDS);
	printf("%-28s %8.1f files/s %8.1f pages/s\n", "poppler text + boxes", (double)n / t_poppler,
	       (double)npages / t_poppler);
	printf("%-28s %8.1f files/s %8.1f pages/s  (%.2fx poppler's time)\n", "ogi extraction",
	       (double)n / t_extract, (double)npages / t_extract, t_extract / t_poppler);
	for (size_t i = 0; i < n; i++) {
		free(pages[i].bytes);
		free(pages[i].name);
	}
	free(pages);
	return 0;
}

int main(int argc, char **argv)
{
	struct page *pages;
	size_t n, bytes = 0, complete = 0;
	double t_gumbo = 1e30, t_extract = 1e30, t_ingest = 1e30, t0, t;
	struct rusage ru;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-extract [--stream|--pdf|--gumbo] DIR [LIMIT]\n");
		return 2;
	}
	if (!strcmp(argv[1], "--gumbo") && argc > 2)
		return gumbo_process(argv[2], argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 0);
	if (!strcmp(argv[1], "--stream") && argc > 2)
		return stream(argv[2], argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 0);
	if (!strcmp(argv[1], "--pdf") && argc > 2) {
		wanted = ".pdf";
		return bench_pdf(argv[2], argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 0);
	}
	n = load(argv[1], &pages, argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 0, 1);
	for (size_t i = 0; i < n; i++)
		bytes += pages[i].len;
	if (!n) {
		fprintf(stderr, "no pages in %s\n", argv[1]);
		return 2;
	}
	/* Interleaved rounds, best of each: a busy machine slows all three alike. */
	for (int round = 0; round < ROUNDS; round++) {
		t0 = now();
		run_gumbo(pages, n);
		t = now() - t0;
		if (t < t_gumbo)
			t_gumbo = t;
		t0 = now();
		complete = run_extract(pages, n);
		t = now() - t0;
		if (t < t_extract)
			t_extract = t;
		t = run_ingest(pages, n);
		if (t < t_ingest)
			t_ingest = t;
	}
	getrusage(RUSAGE_SELF, &ru);

	printf("pages %zu, %.1f MB, mean %.0f KB; %zu read complete (best of %d rounds)\n", n,
	       (double)bytes / 1e6, (double)bytes / (double)n / 1024, complete, ROUNDS);
	printf("%-28s %8.1f pages/s %7.2f MB/s\n", "bare gumbo (GBK decoded)", (double)n / t_gumbo,
	       (double)bytes / 1e6 / t_gumbo);
	printf("%-28s %8.1f pages/s %7.2f MB/s  (%.2fx gumbo)\n", "ogi extraction",
	       (double)n / t_extract, (double)bytes / 1e6 / t_extract, t_gumbo / t_extract);
	printf("%-28s %8.1f pages/s %7.2f MB/s  (%.2fx gumbo)\n", "ogi extraction + SQLite",
	       (double)n / t_ingest, (double)bytes / 1e6 / t_ingest, t_gumbo / t_ingest);
	printf("peak RSS %.1f MB (corpus held in memory: %.1f MB)\n", (double)ru.ru_maxrss / 1024,
	       (double)bytes / 1e6 / 1.048576);
	for (size_t i = 0; i < n; i++) {
		free(pages[i].bytes);
		free(pages[i].name);
	}
	free(pages);
	return 0;
}
