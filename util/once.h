#ifndef OGI_ONCE_H
#define OGI_ONCE_H
/*
 * Set-up done on first use (built-in patterns compiled, tables built)
 * that threads may reach at the same time, and that a leak-checked test
 * may undo and redo: pthread_once() cannot be undone.
 */
#include <pthread.h>
#include <stdatomic.h>

struct once {
	atomic_int done;
	pthread_mutex_t lock;
};

#define ONCE_INIT { 0, PTHREAD_MUTEX_INITIALIZER }

void once_run_slow(struct once *o, void (*fn)(void));

/* Runs fn unless it has run: the first caller runs it, the others wait for it. */
static inline void once_run(struct once *o, void (*fn)(void))
{
	if (!atomic_load_explicit(&o->done, memory_order_acquire))
		once_run_slow(o, fn);
}

/*
 * Lets the next once_run() run fn again, after the caller has undone
 * what it set up; only while no other thread uses that.  0 when fn had
 * not run (nothing to undo), else 1.
 */
int once_reset(struct once *o);

#endif
