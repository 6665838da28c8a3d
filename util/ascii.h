#ifndef OGI_ASCII_H
#define OGI_ASCII_H
/*
 * ASCII character tests for markup and headers, whatever the locale
 * (<ctype.h> follows it, and takes no negative char).  Bytes >= 0x80 are
 * never letters or space here.
 */
#include <stddef.h>

/* HTML's white space: space, tab, LF, CR, FF. */
static inline int ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static inline int ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Whether s[0..n) starts with lower (a lowercase literal), ignoring ASCII case. */
static inline int ascii_ci_prefix(const char *s, size_t n, const char *lower)
{
	size_t i;

	for (i = 0; lower[i]; i++)
		if (i >= n || ascii_lower((unsigned char)s[i]) != lower[i])
			return 0;
	return 1;
}

/*
 * The next word of a list of words apart by spaces (the checks' cell
 * lists, the form's field lists): its start, *len its length, *p moved
 * past it; NULL when no word is left.
 */
static inline const char *ascii_next_word(const char **p, size_t *len)
{
	const char *w = *p, *e;

	while (*w == ' ')
		w++;
	for (e = w; *e && *e != ' '; e++)
		;
	*p = e;
	*len = (size_t)(e - w);
	return *len ? w : NULL;
}

#endif
