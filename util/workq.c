#include "util/workq.h"

#include <pthread.h>
#include <stdlib.h>

#include "util/xalloc.h"
#include "util/banned.h"

enum { NODE_QUEUED, NODE_WORKING, NODE_DONE };

struct node {
	struct node *next;
	void *item;
	int state;
};

struct workq {
	pthread_mutex_t lock;
	pthread_cond_t work;	/* a node was queued, or stop */
	pthread_cond_t done;	/* a node is finished */
	struct node *head;	/* oldest not popped */
	struct node *tail;
	struct node *next;	/* oldest not taken by a worker */
	size_t count;		/* pushed, not popped: the owner's alone */
	int stop;
	workq_fn fn;
	workq_notify_fn notify;
	void *arg;
	pthread_t *threads;
	size_t nthreads;
};

static void *worker(void *p)
{
	struct workq *q = p;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct node *n;

		while (!q->next && !q->stop)
			pthread_cond_wait(&q->work, &q->lock);
		if (!q->next)
			break;	/* stopped with nothing left to take */
		n = q->next;
		q->next = n->next;
		n->state = NODE_WORKING;
		pthread_mutex_unlock(&q->lock);

		q->fn(n->item, q->arg);

		pthread_mutex_lock(&q->lock);
		n->state = NODE_DONE;
		pthread_cond_broadcast(&q->done);
		if (q->notify) {
			pthread_mutex_unlock(&q->lock);
			q->notify(q->arg);
			pthread_mutex_lock(&q->lock);
		}
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

struct workq *workq_new(size_t nthreads, workq_fn fn, workq_notify_fn notify, void *arg)
{
	struct workq *q = xcalloc(1, sizeof(*q));

	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->done, NULL);
	q->fn = fn;
	q->notify = notify;
	q->arg = arg;
	if (nthreads)
		q->threads = xcalloc(nthreads, sizeof(*q->threads));
	while (q->nthreads < nthreads &&
	       !pthread_create(&q->threads[q->nthreads], NULL, worker, q))
		q->nthreads++;
	return q;
}

void workq_push(struct workq *q, void *item)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->item = item;
	if (!q->nthreads) {
		q->fn(item, q->arg);
		n->state = NODE_DONE;
	}
	pthread_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	if (!q->next && n->state == NODE_QUEUED)
		q->next = n;
	q->count++;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->lock);
}

/* Unlinks the head, which is finished; under the lock. */
static void *take_head(struct workq *q)
{
	struct node *n = q->head;
	void *item = n->item;

	q->head = n->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	free(n);
	return item;
}

void *workq_pop(struct workq *q)
{
	void *item = NULL;

	pthread_mutex_lock(&q->lock);
	if (q->head && q->head->state == NODE_DONE)
		item = take_head(q);
	pthread_mutex_unlock(&q->lock);
	return item;
}

void *workq_pop_wait(struct workq *q)
{
	void *item = NULL;

	pthread_mutex_lock(&q->lock);
	while (q->head && q->head->state != NODE_DONE)
		pthread_cond_wait(&q->done, &q->lock);
	if (q->head)
		item = take_head(q);
	pthread_mutex_unlock(&q->lock);
	return item;
}

size_t workq_count(const struct workq *q)
{
	return q->count;
}

size_t workq_threads(const struct workq *q)
{
	return q->nthreads;
}

void workq_free(struct workq *q, void (*discard)(void *item, void *arg))
{
	void *item;

	if (!q)
		return;
	while ((item = workq_pop_wait(q)))
		if (discard)
			discard(item, q->arg);
	pthread_mutex_lock(&q->lock);
	q->stop = 1;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->lock);
	for (size_t i = 0; i < q->nthreads; i++)
		pthread_join(q->threads[i], NULL);
	free(q->threads);
	pthread_cond_destroy(&q->done);
	pthread_cond_destroy(&q->work);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
