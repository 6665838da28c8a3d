#include "util/re.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"
#include "util/banned.h"

pcre2_code *re_builtin(const char *pattern)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_NO_UTF_CHECK, &errcode, &erroff, NULL);

	if (!re) {
		PCRE2_UCHAR msg[120];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		fprintf(stderr, "ogi: bad built-in pattern '%s' at %zu: %s\n", pattern,
			(size_t)erroff, (const char *)msg);
		abort();
	}
	/* Without JIT (e.g. an SELinux policy) the interpreter still matches. */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

pcre2_match_data *re_match_data(uint32_t ovecsize)
{
	pcre2_match_data *md = pcre2_match_data_create(ovecsize, NULL);

	if (!md)
		xalloc_die(st_mult(2 * (size_t)ovecsize, sizeof(PCRE2_SIZE)));
	return md;
}

/* The slots this thread filled: one per module with patterns. */
#define RE_MAX_SLOTS 16

struct slots {
	pcre2_match_data **v[RE_MAX_SLOTS];
	size_t n;
};

static _Thread_local struct slots slots;
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

/* At a thread's exit (the key's destructor): its match data go with it. */
static void on_thread_exit(void *unused)
{
	(void)unused;
	re_thread_cleanup();
}

static void make_key(void)
{
	if (pthread_key_create(&exit_key, on_thread_exit)) {
		fputs("ogi: cannot create a thread key\n", stderr);
		abort();
	}
}

pcre2_match_data *re_thread_md_new(pcre2_match_data **slot, uint32_t ovecsize)
{
	if (slots.n == RE_MAX_SLOTS) {
		fputs("ogi: too many pattern modules for re_thread_md()\n", stderr);
		abort();
	}
	pthread_once(&exit_once, make_key);
	/* Any non-NULL value makes the destructor run at the thread's exit. */
	if (!slots.n)
		pthread_setspecific(exit_key, &slots);
	*slot = re_match_data(ovecsize);
	slots.v[slots.n++] = slot;
	return *slot;
}

void re_thread_cleanup(void)
{
	for (size_t i = 0; i < slots.n; i++) {
		pcre2_match_data_free(*slots.v[i]);
		*slots.v[i] = NULL;
	}
	slots.n = 0;
}
