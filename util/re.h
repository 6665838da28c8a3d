#ifndef OGI_RE_H
#define OGI_RE_H
/*
 * PCRE2 patterns written into the program (labels, titles, numbers).  A
 * pattern that does not compile is a bug in ogi, not bad input, so
 * re_builtin() aborts with a message instead of returning an error.
 * Patterns a user supplies (crawler link patterns) are compiled by their
 * module with a proper error instead.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Compiles pattern with PCRE2_UTF and JIT; never NULL.  Free with pcre2_code_free(). */
pcre2_code *re_builtin(const char *pattern);

/* Match data for ovecsize pairs; never NULL (out of memory aborts, as xmalloc). */
pcre2_match_data *re_match_data(uint32_t ovecsize);

/*
 * Match data of the calling thread for a module whose compiled patterns
 * are shared by threads: *slot is the module's own _Thread_local pointer
 * (so its ovector survives other modules' matches), made on first use
 * with ovecsize pairs.  A thread's match data are freed when it exits, or
 * by re_thread_cleanup() (which also empties the slots).
 */
pcre2_match_data *re_thread_md_new(pcre2_match_data **slot, uint32_t ovecsize);

static inline pcre2_match_data *re_thread_md(pcre2_match_data **slot, uint32_t ovecsize)
{
	return *slot ? *slot : re_thread_md_new(slot, ovecsize);
}

void re_thread_cleanup(void);

#endif
