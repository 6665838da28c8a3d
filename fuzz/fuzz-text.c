/*
 * libFuzzer target for parser/text.c: the input as a plain-text report
 * (read as UTF-8, as parse_report() hands it over).
 */
#include "fuzz/fuzz.h"

#include "parser/text.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	char *utf8 = fuzz_utf8(data, size, &len);
	struct doc doc;

	doc_init(&doc);
	text_parse(utf8, len, &doc);
	FUZZ_ASSERT(!doc.from_html && doc.ntables == 0);
	fuzz_check_doc(&doc, SIZE_MAX);
	for (size_t i = 0; i < doc.nrows; i++)
		FUZZ_ASSERT(doc.rows[i].table == -1 && doc.rows[i].ncells > 0);
	/* one row per non-blank line at most; the title is the first line */
	FUZZ_ASSERT(doc.nrows <= doc.nlines);
	FUZZ_ASSERT(!doc.nlines == !doc.title);
	doc_release(&doc);
	free(utf8);
	return 0;
}
