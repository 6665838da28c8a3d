#include "util/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/banned.h"

static void jw_init_common(struct jw *j, FILE *out, struct buf *b, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->b = b;
	j->pretty = pretty;
}

void jw_init(struct jw *j, FILE *out, int pretty)
{
	jw_init_common(j, out, NULL, pretty);
}

void jw_init_buf(struct jw *j, struct buf *b, int pretty)
{
	jw_init_common(j, NULL, b, pretty);
}

static void put(struct jw *j, const char *p, size_t n)
{
	if (j->err || !n)
		return;
	if (j->b) {
		if (buf_add(j->b, p, n))
			j->err = 1;
	} else if (fwrite(p, 1, n, j->out) != n) {
		j->err = 1;
	}
}

static void put_s(struct jw *j, const char *s)
{
	put(j, s, strlen(s));
}

static void newline_indent(struct jw *j, int depth)
{
	static const char spaces[] = "                                ";

	put(j, "\n", 1);
	for (size_t n = (size_t)depth * 2; n && !j->err;) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		put(j, spaces, k);
		n -= k;
	}
}

/*
 * Everything that goes before a value or a key at the current level: the
 * comma and the indentation.  Returns 0 when a value (is_key 0) or a key
 * (is_key 1) is allowed here, else marks the error.
 */
static int before(struct jw *j, int is_key)
{
	int d = j->depth;

	if (j->err)
		return -1;
	if (j->want_value) {
		/* The key already wrote the separator; only a value may follow. */
		if (is_key)
			goto bad;
		j->want_value = 0;
		return 0;
	}
	if (d == 0) {
		if (j->done || is_key)
			goto bad;
		return 0;
	}
	if ((j->kind[d - 1] == 'o') != is_key)
		goto bad;
	if (j->nonempty[d - 1])
		put(j, ",", 1);
	j->nonempty[d - 1] = 1;
	if (j->pretty)
		newline_indent(j, d);
	return j->err ? -1 : 0;
bad:
	j->err = 1;
	return -1;
}

/* A scalar or a container was completed at the current level. */
static void after_value(struct jw *j)
{
	if (j->depth == 0)
		j->done = 1;
}

static void begin(struct jw *j, char kind)
{
	if (before(j, 0))
		return;
	if (j->depth >= JW_MAX_DEPTH) {
		j->err = 1;
		return;
	}
	put(j, kind == 'o' ? "{" : "[", 1);
	j->kind[j->depth] = kind;
	j->nonempty[j->depth] = 0;
	j->depth++;
}

static void end(struct jw *j, char kind)
{
	int d = j->depth;

	if (j->err)
		return;
	if (d == 0 || j->kind[d - 1] != kind || j->want_value) {
		j->err = 1;
		return;
	}
	j->depth--;
	if (j->pretty && j->nonempty[d - 1])
		newline_indent(j, j->depth);
	put(j, kind == 'o' ? "}" : "]", 1);
	after_value(j);
}

void jw_begin_object(struct jw *j)
{
	begin(j, 'o');
}

void jw_end_object(struct jw *j)
{
	end(j, 'o');
}

void jw_begin_array(struct jw *j)
{
	begin(j, 'a');
}

void jw_end_array(struct jw *j)
{
	end(j, 'a');
}

static void put_string(struct jw *j, const char *s)
{
	struct buf tmp = BUF_INIT(BUF_NOLIMIT);

	if (j->b) {
		/* Straight into the caller's buffer, which enforces its maximum. */
		if (!j->err && esc_json_string(j->b, s))
			j->err = 1;
		return;
	}
	if (esc_json_string(&tmp, s))
		j->err = 1;
	put(j, tmp.ptr, tmp.len);
	buf_release(&tmp);
}

void jw_key(struct jw *j, const char *name)
{
	if (before(j, 1))
		return;
	put_string(j, name ? name : "");
	put_s(j, j->pretty ? ": " : ":");
	j->want_value = 1;
}

static void scalar(struct jw *j, const char *text)
{
	if (before(j, 0))
		return;
	put_s(j, text);
	after_value(j);
}

void jw_string(struct jw *j, const char *s)
{
	if (!s) {
		scalar(j, "null");
		return;
	}
	if (before(j, 0))
		return;
	put_string(j, s);
	after_value(j);
}

void jw_int(struct jw *j, long long v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld", v);
	scalar(j, tmp);
}

void jw_number(struct jw *j, double v)
{
	char tmp[JW_NUMBER_MAX];

	scalar(j, jw_format_number(v, tmp) ? "null" : tmp);
}

void jw_null(struct jw *j)
{
	scalar(j, "null");
}

void jw_bool(struct jw *j, int v)
{
	scalar(j, v ? "true" : "false");
}

int jw_finish(struct jw *j)
{
	if (!j->err && (j->depth || !j->done || j->want_value))
		j->err = 1;
	if (j->pretty && !j->err)
		put(j, "\n", 1);
	if (j->out && (fflush(j->out) || ferror(j->out)))
		j->err = 1;
	return j->err ? -1 : 0;
}

int jw_format_number(double v, char out[JW_NUMBER_MAX])
{
	out[0] = '\0';
	if (!isfinite(v))
		return -1;
	if (v == 0) {
		/* Also -0, which would print as "-0". */
		snprintf(out, JW_NUMBER_MAX, "0");
		return 0;
	}
	if (fabs(v) < 1e15 && v == trunc(v)) {
		snprintf(out, JW_NUMBER_MAX, "%.0f", v);
		return 0;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, JW_NUMBER_MAX, "%.*g", prec, v);
		/* %.17g always reads back exactly; stop there regardless. */
		if (prec == 17 || strtod(out, NULL) == v)
			break;
	}
	return 0;
}
