#include "form/report.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

static const char *const status_names[] = {
	[RS_COMPLETE] = "complete",
	[RS_PARTIAL] = "partial",
	[RS_NO_TABLES] = "no_tables",
};

const char *report_status_name(enum report_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s]
									    : "unknown";
}

int report_status_parse(const char *s, enum report_status *out)
{
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum report_status)i;
			return 0;
		}
	return -1;
}

static const char *const source_names[] = {
	[RSRC_TITLE] = "title",	      [RSRC_HEADING] = "heading",   [RSRC_SENTENCE] = "sentence",
	[RSRC_ISSUER] = "issuer",     [RSRC_SIGNATURE] = "signature", [RSRC_PROSE] = "prose",
	[RSRC_SEED] = "seed",	      [RSRC_GIVEN] = "given",	    [RSRC_LINK] = "link",
};

const char *report_source_name(enum report_source s)
{
	return (unsigned)s < sizeof(source_names) / sizeof(source_names[0]) ? source_names[s]
									    : NULL;
}

enum report_source report_source_parse(const char *s)
{
	for (size_t i = 1; s && i < sizeof(source_names) / sizeof(source_names[0]); i++)
		if (!strcmp(s, source_names[i]))
			return (enum report_source)i;
	return RSRC_NONE;
}

static const char *const reason_names[] = { [RREASON_IMAGE] = "image" };

const char *report_reason_name(enum report_reason r)
{
	return (unsigned)r < sizeof(reason_names) / sizeof(reason_names[0]) ? reason_names[r]
									    : NULL;
}

enum report_reason report_reason_parse(const char *s)
{
	for (size_t i = 1; s && i < sizeof(reason_names) / sizeof(reason_names[0]); i++)
		if (!strcmp(s, reason_names[i]))
			return (enum report_reason)i;
	return RREASON_NONE;
}

static const char *const how_names[] = { [HOW_LABEL] = "label", [HOW_ORDER] = "order",
					  [HOW_FIX] = "fix" };

const char *value_how_name(enum value_how h)
{
	return (unsigned)h < sizeof(how_names) / sizeof(how_names[0]) ? how_names[h] : NULL;
}

enum value_how value_how_parse(const char *s)
{
	for (size_t i = 1; s && i < sizeof(how_names) / sizeof(how_names[0]); i++)
		if (!strcmp(s, how_names[i]))
			return (enum value_how)i;
	return HOW_NONE;
}

void report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->status = RS_NO_TABLES;
}

static void free_values(struct report *r)
{
	for (size_t i = 0; i < r->nvalues; i++) {
		free(r->values[i].raw);
		free(r->values[i].ocr.image);
	}
	free(r->values);
	r->values = NULL;
	r->nvalues = 0;
}

void report_release(struct report *r)
{
	free(r->organization);
	free(r->publisher);
	free(r->level);
	free(r->parent);
	free(r->title);
	free(r->published);
	free(r->charset);
	free(r->missing);
	free_values(r);
	for (size_t i = 0; i < r->npictures; i++)
		free(r->pictures[i]);
	free(r->pictures);
	for (size_t i = 0; i < r->nclaims; i++)
		free(r->claims[i].raw);
	free(r->claims);
	report_init(r);
}

void report_set_format(struct report *r, enum fmt_version v)
{
	size_t n;

	free_values(r);
	r->format = v;
	fmt_fields(v, &n);
	if (n) {
		r->values = xcalloc(n, sizeof(*r->values));
		r->nvalues = n;
	}
}

const struct report_value *report_get(const struct report *r, int table, const char *row,
				      const char *col)
{
	int i = fmt_field_index(r->format, table, row, col);

	return i < 0 || (size_t)i >= r->nvalues ? NULL : &r->values[i];
}

void report_set_value(struct report *r, size_t i, enum value_state st, double num,
		      const char *raw)
{
	struct report_value *v;

	if (i >= r->nvalues)
		return;
	v = &r->values[i];
	free(v->raw);
	v->state = st;
	v->num = num;
	v->raw = raw ? xstrdup(raw) : NULL;
	v->how = HOW_NONE;
	v->inferred = 0;
	v->src.table = v->src.row = v->src.col = -1;
	v->src.line = 0;
	free(v->ocr.image);
	memset(&v->ocr, 0, sizeof(v->ocr));
}

void report_add_claim(struct report *r, const struct fmt_claim *c, double value, const char *raw)
{
	r->claims = xreallocarray(r->claims, st_add(r->nclaims, 1), sizeof(*r->claims));
	r->claims[r->nclaims].claim = c;
	r->claims[r->nclaims].value = value;
	r->claims[r->nclaims].raw = raw ? xstrdup(raw) : NULL;
	r->nclaims++;
}
