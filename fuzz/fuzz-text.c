/*
 * libFuzzer target for the text readers: the input as a plain-text report
 * (read as UTF-8, as parse_report() hands it over) through text_parse(),
 * then parser/texttable.c (every text layout to records) and
 * parser/assign.c (records onto the form, digits split by the form's
 * arithmetic, blanks placed from the gaps).
 */
#include "fuzz/fuzz.h"

#include "parser/assign.h"
#include "parser/text.h"
#include "parser/texttable.h"
#include "util/banned.h"

static void check_records(const struct doc *doc, const struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct rec *r = &rs->v[i];

		FUZZ_ASSERT(r->nlabels || r->nvalues);
		FUZZ_ASSERT(r->table == -1 && r->row == -1);
		FUZZ_ASSERT(r->region >= -1 && r->region <= 4);
		FUZZ_ASSERT(r->gap_after >= -1);
		for (size_t l = 0; l < r->nlabels; l++) {
			fuzz_check_utf8(r->labels[l].norm);
			FUZZ_ASSERT(r->labels[l].line >= 1);
		}
		for (size_t v = 0; v < r->nvalues; v++) {
			const struct rec_value *x = &r->values[v];

			if (x->text)
				fuzz_check_utf8(x->text);
			FUZZ_ASSERT(x->gap >= -1);
			FUZZ_ASSERT(x->line >= 1 && (!doc->nlines || x->line <= doc->linenos[doc->nlines - 1]));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, nfields = 0, present = 0;
	char *utf8 = fuzz_utf8(data, size, &len);
	struct doc doc;
	struct recs rs = { 0 };
	struct report r;

	doc_init(&doc);
	text_parse(utf8, len, &doc);
	FUZZ_ASSERT(!doc.from_html && doc.ntables == 0 && doc.nrows == 0);
	fuzz_check_doc(&doc, SIZE_MAX);
	FUZZ_ASSERT(!doc.nlines == !doc.title);
	for (size_t i = 0; i < doc.nlines; i++) {
		FUZZ_ASSERT(doc.gaps[i] >= 0 && doc.linenos[i] >= 1);
		FUZZ_ASSERT(!i || doc.linenos[i] == doc.linenos[i - 1] + doc.gaps[i] + 1);
	}
	texttable_read(&doc, &rs);
	check_records(&doc, &rs);
	report_init(&r);
	present = assign_records(&rs, 0, &r);
	fmt_fields(r.format, &nfields);
	FUZZ_ASSERT(r.nvalues == nfields);
	for (size_t i = 0; i < r.nvalues; i++) {
		const struct report_value *v = &r.values[i];

		present -= v->state != VAL_ABSENT;
		FUZZ_ASSERT((v->state == VAL_ABSENT) == !v->raw);
		FUZZ_ASSERT((v->state == VAL_ABSENT) == (v->how == HOW_NONE));
		if (v->state != VAL_ABSENT) {
			fuzz_check_utf8(v->raw);
			FUZZ_ASSERT(v->src.table == -1 && v->src.line >= 1);
		}
	}
	FUZZ_ASSERT(present == 0);	/* assign_records() counts what it stored */
	report_release(&r);
	recs_release(&rs);
	doc_release(&doc);
	free(utf8);
	return 0;
}
