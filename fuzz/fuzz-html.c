/*
 * libFuzzer target for parser/html.c: the input as a page (read as UTF-8,
 * as parse_report() hands it over), through the sniffer and the table and
 * text reader (gumbo behind the nesting guard, which fuzz-nesting.c tests
 * against gumbo alone).  Spans, columns and rows stay within the bounds
 * html.h sets.
 */
#include "fuzz/fuzz.h"
#include "parser/html.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, run = 0;
	char *utf8 = fuzz_utf8(data, size, &len);
	struct doc doc;
	int last = -1;

	(void)html_sniff(utf8, len);

	doc_init(&doc);
	if (html_parse(utf8, len, &doc, NULL) == 0) {
		FUZZ_ASSERT(doc.from_html);
		fuzz_check_doc(&doc, HTML_MAX_COLS);
		for (size_t i = 0; i < doc.nrows; i++) {
			FUZZ_ASSERT(doc.rows[i].table >= 0);
			run = doc.rows[i].table == last ? run + 1 : 1;
			last = doc.rows[i].table;
			FUZZ_ASSERT(run <= HTML_MAX_ROWS);
		}
	}
	doc_release(&doc);
	free(utf8);
	return 0;
}
