/*
 * util/workq: items come back in the order pushed, whatever order the
 * workers finish them in; with no workers the push does the work; freeing
 * a queue with items left hands each to discard once.
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "util/workq.h"
#include "tests/unit/t.h"

struct item {
	int n;
	int done_by_worker;
	pthread_t thread;
};

struct ctx {
	pthread_t owner;
	int notified;		/* atomically: notifications from workers */
	int discarded;
};

static void work(void *p, void *arg)
{
	struct item *it = p;
	struct ctx *c = arg;
	struct timespec ts = { 0, (long)(it->n % 7) * 200000L };

	/* later items often finish first: the order must still hold */
	nanosleep(&ts, NULL);
	it->thread = pthread_self();
	it->done_by_worker = !pthread_equal(it->thread, c->owner);
}

static void notify(void *arg)
{
	struct ctx *c = arg;

	__atomic_add_fetch(&c->notified, 1, __ATOMIC_RELAXED);
}

static void discard(void *p, void *arg)
{
	struct ctx *c = arg;

	c->discarded++;
	free(p);
}

static void run_order(size_t threads)
{
	struct ctx c = { pthread_self(), 0, 0 };
	struct workq *q = workq_new(threads, work, notify, &c);
	int next = 0, bad_order = 0, on_worker = 0;
	const int n = 200;

	CHECK_INT(workq_threads(q), threads);
	for (int i = 0; i < n; i++) {
		struct item *it = calloc(1, sizeof(*it)), *got;

		it->n = i;
		workq_push(q, it);
		/* take what is ready now and then, as the crawl does */
		while ((got = workq_pop(q))) {
			bad_order += got->n != next++;
			on_worker += got->done_by_worker;
			free(got);
		}
	}
	for (struct item *got; (got = workq_pop_wait(q));) {
		bad_order += got->n != next++;
		on_worker += got->done_by_worker;
		free(got);
	}
	CHECK_INT(next, n);
	CHECK_INT(bad_order, 0);
	CHECK_INT(on_worker, threads ? n : 0);
	CHECK_INT(workq_count(q), 0);
	CHECK(workq_pop(q) == NULL);
	CHECK(workq_pop_wait(q) == NULL);
	workq_free(q, discard);
	CHECK_INT(c.discarded, 0);
	CHECK_INT(__atomic_load_n(&c.notified, __ATOMIC_RELAXED), threads ? n : 0);
}

static void test_order(void)
{
	static const size_t threads[] = { 0, 1, 4 };

	for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++) {
		t_case = threads[i] == 0 ? "no worker" : threads[i] == 1 ? "one worker"
									 : "four workers";
		run_order(threads[i]);
	}
}

/* Items not popped when the queue is freed are finished, then discarded, once each. */
static void test_free_with_items(void)
{
	struct ctx c = { pthread_self(), 0, 0 };
	struct workq *q = workq_new(2, work, NULL, &c);

	for (int i = 0; i < 37; i++) {
		struct item *it = calloc(1, sizeof(*it));

		it->n = i;
		workq_push(q, it);
	}
	CHECK_INT(workq_count(q), 37);
	workq_free(q, discard);
	CHECK_INT(c.discarded, 37);
	workq_free(NULL, discard);
}

int main(void)
{
	RUN(test_order);
	RUN(test_free_with_items);
	return t_done(__FILE__);
}
