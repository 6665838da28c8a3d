#ifndef OGI_WORKQ_H
#define OGI_WORKQ_H
/*
 * An ordered work queue: items pushed by one thread are handed to worker
 * threads, and come back to that thread, finished, in the order they were
 * pushed.  The crawl uses it to parse pages on the second core while its
 * own thread fetches and writes the warehouse (SQLite stays on one thread).
 *
 * Only the thread that made the queue pushes and pops.  With no worker
 * threads (or when none could be started), workq_push runs the work itself,
 * so the queue always works, only not in parallel.
 */
#include <stddef.h>

struct workq;

/* The work, run on a worker thread; item is the pushed pointer. */
typedef void (*workq_fn)(void *item, void *arg);
/* Called on the worker thread after each item is finished (e.g. to wake a poll); may be NULL. */
typedef void (*workq_notify_fn)(void *arg);

/*
 * A queue with up to nthreads workers.  Never NULL: a thread that cannot be
 * started leaves the work to fewer (or to workq_push itself).
 */
struct workq *workq_new(size_t nthreads, workq_fn fn, workq_notify_fn notify, void *arg);

/* Queues item (not NULL) for the work. */
void workq_push(struct workq *q, void *item);

/* The oldest pushed item when it is finished, else NULL (nothing pushed, or still at work). */
void *workq_pop(struct workq *q);

/* The oldest pushed item once it is finished; NULL when nothing is pushed. */
void *workq_pop_wait(struct workq *q);

/* Items pushed and not popped yet. */
size_t workq_count(const struct workq *q);

/* Worker threads running (0: workq_push does the work). */
size_t workq_threads(const struct workq *q);

/*
 * Waits for the items pushed and not popped, passes each to discard (may
 * be NULL), stops the workers and frees q.  NULL is a no-op.
 */
void workq_free(struct workq *q, void (*discard)(void *item, void *arg));

#endif
