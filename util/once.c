#include "util/once.h"

#include "util/banned.h"

void once_run_slow(struct once *o, void (*fn)(void))
{
	pthread_mutex_lock(&o->lock);
	if (!atomic_load_explicit(&o->done, memory_order_relaxed)) {
		fn();
		atomic_store_explicit(&o->done, 1, memory_order_release);
	}
	pthread_mutex_unlock(&o->lock);
}

int once_reset(struct once *o)
{
	int was;

	pthread_mutex_lock(&o->lock);
	was = atomic_load_explicit(&o->done, memory_order_relaxed);
	atomic_store_explicit(&o->done, 0, memory_order_relaxed);
	pthread_mutex_unlock(&o->lock);
	return was;
}
