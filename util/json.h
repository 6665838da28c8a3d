#ifndef OGI_JSON_H
#define OGI_JSON_H
/*
 * A small streaming JSON writer (one document) over a FILE * or a struct
 * buf.  It tracks nesting and commas; the caller calls the functions in
 * document order:
 *
 *	struct jw j;
 *	jw_init(&j, stdout, 1);
 *	jw_begin_object(&j);
 *	jw_key(&j, "year");
 *	jw_int(&j, 2023);
 *	jw_end_object(&j);
 *	if (jw_finish(&j)) ... write error or misuse ...
 *
 * Errors are sticky: after the first one (a write error, the buffer
 * maximum, nesting deeper than JW_MAX_DEPTH, or a call out of order such as
 * a value where a key is due) further calls do nothing and jw_finish()
 * returns -1.  Strings are escaped with esc_json_string(), so any bytes
 * give valid JSON.  Numbers are formatted with printf/strtod, which assume
 * the "C" LC_NUMERIC locale (ogi never changes it).
 */
#include <stdio.h>

#include "util/buf.h"

#define JW_MAX_DEPTH 64

struct jw {
	FILE *out;		/* exactly one of out and b is set */
	struct buf *b;
	int pretty;
	int err;
	int depth;
	int done;		/* the top-level value is complete */
	int want_value;		/* a key was written; its value is due */
	/* Per level: 'o' or 'a', and whether it has a member yet. */
	char kind[JW_MAX_DEPTH];
	char nonempty[JW_MAX_DEPTH];
};

/*
 * Writes to out.  pretty: members on their own lines indented by two spaces,
 * "key": value, and a newline after the document (as Python's
 * json.dumps(indent=2) plus the newline); 0: compact, no whitespace at all.
 * Allocates nothing; there is nothing to release.
 */
void jw_init(struct jw *j, FILE *out, int pretty);
/* The same, appending to b (whose maximum bounds the document). */
void jw_init_buf(struct jw *j, struct buf *b, int pretty);

void jw_begin_object(struct jw *j);
void jw_end_object(struct jw *j);
void jw_begin_array(struct jw *j);
void jw_end_array(struct jw *j);
/* The next member's name; only inside an object, before each value. */
void jw_key(struct jw *j, const char *name);
/* A string value; NULL writes null. */
void jw_string(struct jw *j, const char *s);
void jw_int(struct jw *j, long long v);
/* A number as jw_format_number() prints it; NaN and infinities write null. */
void jw_number(struct jw *j, double v);
void jw_null(struct jw *j);
void jw_bool(struct jw *j, int v);

/*
 * Ends the document: 0 when it is complete and every write succeeded,
 * else -1.  With a FILE it flushes the stream and checks ferror(), so a
 * full disk is reported here rather than lost.
 */
int jw_finish(struct jw *j);

#define JW_NUMBER_MAX 32
/*
 * Formats v into out as the shortest of %.15g, %.16g, %.17g that reads back
 * as exactly v: 25.1 gives "25.1" and 0.1 + 0.2 "0.30000000000000004".
 * Integers below 1e15 in magnitude print without a point or exponent
 * ("3", "-3", "0"; -0 gives "0"), larger ones as %g does ("1e+20").
 * Returns 0, or -1 for NaN and infinities, which JSON cannot express
 * (out is then "").
 */
int jw_format_number(double v, char out[JW_NUMBER_MAX]);

#endif
