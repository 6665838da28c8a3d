#ifndef OGI_JSONR_H
#define OGI_JSONR_H
/*
 * A small strict JSON reader (RFC 8259) for the list APIs of CMS sites
 * (crawler/lists.h): scraped bytes, so it is bounded.  The whole text must
 * be one value with white space around it (a UTF-8 byte order mark is
 * allowed before it); anything else is an error, not a guess.  Nesting
 * past JV_MAX_DEPTH, more than JV_MAX_NODES values, a string past
 * JV_MAX_STRING bytes, a control character in a string, a lone surrogate
 * escape or a number that is not JSON's grammar are errors.  Strings come
 * out as NUL-terminated UTF-8 (an escaped \u0000 is refused: it could not
 * be told from the end).  util/json.h writes JSON; this reads it.
 */
#include <stddef.h>

#include "util/err.h"

#define JV_MAX_DEPTH 64
#define JV_MAX_NODES 1000000
#define JV_MAX_STRING (1u << 20)

enum jv_type { JV_NULL, JV_FALSE, JV_TRUE, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_type type;
	char *key;		/* the member's name in an object; NULL elsewhere */
	char *str;		/* a string's UTF-8, a number's text; NULL for the others */
	double num;		/* a number's value (strtod) */
	struct jv *v;		/* an array's elements, an object's members, in order */
	size_t n;
};

/*
 * Parses len bytes of s into *out (free with jv_free).  0, or OGI_EINVAL
 * with err saying what is wrong and at which byte.
 */
int jv_parse(const char *s, size_t len, struct jv **out, struct err *err);

/* Frees v and everything in it; NULL is fine. */
void jv_free(struct jv *v);

/* The first member of object o named key, or NULL (o not an object, or no such member). */
const struct jv *jv_get(const struct jv *o, const char *key);

/* A string's text, or NULL when v is not a string (or is NULL). */
const char *jv_string(const struct jv *v);

/*
 * A whole number in v (a number, or a string of decimal digits, as some
 * APIs send counts) into *out: 0, or -1 when v is neither, not whole, or
 * past +-2^53.
 */
int jv_integer(const struct jv *v, long long *out);

#endif
