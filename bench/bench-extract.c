/*
 * Extraction and ingest throughput on a folder of report pages, side by
 * side with a bare gumbo parse of the same bytes in the same run.
 *
 *   bench-extract DIR [LIMIT]
 *
 * Prints pages/s and MB/s for: gumbo alone, ogi's extraction (charset,
 * HTML grid, labels, numbers, metadata), and extraction plus storing into
 * a fresh SQLite warehouse; then the ratios and the peak RSS.
 */
#include <dirent.h>
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "parser/check.h"
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

static size_t load(const char *dir, struct page **out, size_t limit)
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
		struct buf path = BUF_INIT(BUF_NOLIMIT);
		FILE *f;
		long sz;

		if (!strstr(de->d_name, ".htm"))
			continue;
		buf_addf(&path, "%s/%s", dir, de->d_name);
		f = fopen(buf_str(&path), "rb");
		buf_release(&path);
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		sz = ftell(f);
		fseek(f, 0, SEEK_SET);
		ALLOC_GROW(p, n + 1, alloc);
		p[n].bytes = xmalloc((size_t)sz + 1);
		p[n].len = fread(p[n].bytes, 1, (size_t)sz, f);
		p[n].name = xstrdup(de->d_name);
		fclose(f);
		n++;
	}
	closedir(d);
	qsort(p, n, sizeof(*p), cmp_name);
	if (limit && n > limit)
		n = limit;
	*out = p;
	return n;
}

int main(int argc, char **argv)
{
	struct page *pages;
	size_t n, bytes = 0, complete = 0;
	double t0, t_gumbo, t_extract, t_ingest;
	char dbpath[] = "/tmp/ogi-bench-XXXXXX";
	struct store *st;
	struct err e = ERR_INIT;
	struct rusage ru;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-extract DIR [LIMIT]\n");
		return 2;
	}
	n = load(argv[1], &pages, argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 0);
	for (size_t i = 0; i < n; i++)
		bytes += pages[i].len;
	if (!n) {
		fprintf(stderr, "no pages in %s\n", argv[1]);
		return 2;
	}

	t0 = now();
	for (size_t i = 0; i < n; i++) {
		GumboOutput *o = gumbo_parse_with_options(&kGumboDefaultOptions, pages[i].bytes,
							  pages[i].len);

		gumbo_destroy_output(&kGumboDefaultOptions, o);
	}
	t_gumbo = now() - t0;

	t0 = now();
	for (size_t i = 0; i < n; i++) {
		struct parse_input in = { .bytes = pages[i].bytes, .len = pages[i].len,
					  .location = pages[i].name };
		struct report r;

		report_init(&r);
		if (!parse_report(&in, &r, &e))
			complete += r.status == RS_COMPLETE;
		report_release(&r);
	}
	t_extract = now() - t0;

	fd = mkstemp(dbpath);
	if (fd < 0)
		return 2;
	close(fd);
	unlink(dbpath);
	if (store_open(&st, dbpath, 0, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	t0 = now();
	store_begin(st, &e);
	for (size_t i = 0; i < n; i++) {
		struct parse_input in = { .bytes = pages[i].bytes, .len = pages[i].len,
					  .location = pages[i].name };
		struct source_meta m = { .location = pages[i].name };
		struct report r;
		struct finding_list fl;
		int64_t sid, rid;
		int is_new;

		report_init(&r);
		finding_list_init(&fl);
		if (store_put_source(st, &m, pages[i].bytes, pages[i].len, &sid, &is_new, &e) ||
		    parse_report(&in, &r, &e) == 0) {
			check_report(&r, NULL, &fl);
			if (store_put_report(st, sid, &r, PARSER_VERSION, &rid, &e) ||
			    store_put_findings(st, rid, &fl, &e))
				fprintf(stderr, "store: %s\n", e.msg);
		}
		finding_list_release(&fl);
		report_release(&r);
	}
	store_commit(st, &e);
	t_ingest = now() - t0;
	store_close(st);
	{
		struct buf p = BUF_INIT(BUF_NOLIMIT);

		unlink(dbpath);
		buf_addf(&p, "%s-wal", dbpath);
		unlink(buf_str(&p));
		buf_reset(&p);
		buf_addf(&p, "%s-shm", dbpath);
		unlink(buf_str(&p));
		buf_release(&p);
	}
	getrusage(RUSAGE_SELF, &ru);

	printf("pages %zu, %.1f MB, mean %.0f KB; %zu read complete\n", n, (double)bytes / 1e6,
	       (double)bytes / (double)n / 1024, complete);
	printf("%-28s %8.1f pages/s %7.2f MB/s\n", "bare gumbo parse", (double)n / t_gumbo,
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
