/*
 * parser/parse.h: pages parsed on several threads at once read exactly as
 * when parsed alone (the crawl parses on worker threads; the patterns are
 * shared, match data are per thread).  Run under the sanitizers, a race
 * on shared state shows as a wrong figure or a sanitizer report.
 */
#include <pthread.h>
#include <stdio.h>

#include "parser/format.h"
#include "parser/parse.h"
#include "util/re.h"
#include "util/xalloc.h"
#include "tests/unit/t.h"

#define NPAGES 4
#define NTHREADS 4
#define ROUNDS 8

static const char *const pages[NPAGES] = { "longhu-2023.txt", "shanghai-office-2019.html",
					   "real/40_hebei_jyt_2019.extracted.txt",
					   "shapes-more/M1_run_together_digits_by_arithmetic.txt" };

struct page {
	char *bytes;
	size_t len;
	struct report ref;	/* parsed alone, before any thread */
	int ok;
};

static struct page loaded[NPAGES];

static int parse(const struct page *pg, const char *name, struct report *r)
{
	struct parse_input in = { .bytes = pg->bytes, .len = pg->len, .location = name };
	struct err e = ERR_INIT;

	report_init(r);
	return parse_report(&in, r, &e);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* 1 when r reads like ref: every field, value and claim. */
static int same_report(const struct report *a, const struct report *b)
{
	if (!same_str(a->organization, b->organization) || !same_str(a->title, b->title) ||
	    a->organization_from != b->organization_from || a->year_from != b->year_from ||
	    !same_str(a->published, b->published) || !same_str(a->missing, b->missing) ||
	    a->year != b->year || a->format != b->format || a->status != b->status ||
	    a->nvalues != b->nvalues || a->nclaims != b->nclaims)
		return 0;
	for (size_t i = 0; i < a->nvalues; i++)
		if (a->values[i].state != b->values[i].state ||
		    a->values[i].num != b->values[i].num ||
		    !same_str(a->values[i].raw, b->values[i].raw) ||
		    a->values[i].how != b->values[i].how ||
		    a->values[i].inferred != b->values[i].inferred ||
		    memcmp(&a->values[i].src, &b->values[i].src, sizeof(a->values[i].src)))
			return 0;
	for (size_t i = 0; i < a->nclaims; i++)
		if (a->claims[i].claim != b->claims[i].claim ||
		    a->claims[i].value != b->claims[i].value)
			return 0;
	return 1;
}

struct worker {
	pthread_t t;
	int index;
	int parsed, differed;
};

static void *run(void *arg)
{
	struct worker *w = arg;

	for (int round = 0; round < ROUNDS; round++)
		for (int k = 0; k < NPAGES; k++) {
			/* the threads start on different pages */
			int i = (k + w->index) % NPAGES;
			struct report r;

			if (!loaded[i].ok)
				continue;
			if (!parse(&loaded[i], pages[i], &r)) {
				w->parsed++;
				w->differed += !same_report(&r, &loaded[i].ref);
				report_release(&r);
			} else {
				w->differed++;
			}
		}
	return NULL;
}

static void test_threads(void)
{
	struct worker w[NTHREADS];
	int started = 0, parsed = 0, differed = 0;

	for (int i = 0; i < NPAGES; i++) {
		loaded[i].bytes = t_slurp("", pages[i], &loaded[i].len);
		CHECK(loaded[i].bytes != NULL);
		loaded[i].ok = loaded[i].bytes && !parse(&loaded[i], pages[i], &loaded[i].ref);
		CHECK(loaded[i].ok);
		CHECK(loaded[i].ok && loaded[i].ref.nvalues > 0);
	}
	/* a fresh start: the threads race to compile the patterns too */
	fmt_cleanup();
	for (int i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].index = i;
		if (!pthread_create(&w[i].t, NULL, run, &w[i]))
			started++;
		else
			break;
	}
	CHECK_INT(started, NTHREADS);
	for (int i = 0; i < started; i++) {
		pthread_join(w[i].t, NULL);
		parsed += w[i].parsed;
		differed += w[i].differed;
	}
	CHECK_INT(parsed, started * ROUNDS * NPAGES);
	CHECK_INT(differed, 0);
	for (int i = 0; i < NPAGES; i++) {
		if (loaded[i].ok)
			report_release(&loaded[i].ref);
		free(loaded[i].bytes);
	}
}

int main(void)
{
	RUN(test_threads);
	fmt_cleanup();
	re_thread_cleanup();
	return t_done(__FILE__);
}
