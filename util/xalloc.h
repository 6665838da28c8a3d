#ifndef OGI_XALLOC_H
#define OGI_XALLOC_H
/*
 * Allocation that cannot fail: out of memory is handled here, once, by
 * printing a message and aborting (as git's xmalloc).  Sizes computed from
 * input go through st_add()/st_mult(), which abort on overflow instead of
 * wrapping around.
 */
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* xrealloc(ptr, nmemb * size) with the multiplication checked. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* Copies at most n bytes of s and NUL-terminates; caller frees. */
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);

size_t st_add(size_t a, size_t b);
size_t st_mult(size_t a, size_t b);

/*
 * Prints "ogi: out of memory: cannot allocate N bytes" and aborts: the one
 * way out of memory ends, also for libraries that allocate for us and
 * return NULL (PCRE2 match data, say).
 */
void xalloc_die(size_t size) __attribute__((noreturn));

/* Grow *arr (of *alloc elements of elsize) so that it holds at least need. */
#define ALLOC_GROW(arr, need, alloc)                                                   \
	do {                                                                           \
		if ((need) > (alloc)) {                                                \
			size_t alloc_grow_n_ = (alloc) < 8 ? 8 : st_mult((alloc), 2); \
			if (alloc_grow_n_ < (need))                                    \
				alloc_grow_n_ = (need);                                \
			(arr) = xreallocarray((arr), alloc_grow_n_, sizeof(*(arr)));   \
			(alloc) = alloc_grow_n_;                                       \
		}                                                                      \
	} while (0)

#endif
