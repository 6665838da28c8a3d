/*
 * libFuzzer target for parser/html.c: the input as a page (read as UTF-8,
 * as parse_report() hands it over), through the nesting guard, the sniffer
 * and the table and text reader.  Spans, columns, rows and depth stay
 * within the bounds html.h sets.
 */
#include "fuzz/fuzz.h"

#include "parser/html.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, blen = 0, run = 0;
	char *utf8 = fuzz_utf8(data, size, &len), *bounded = NULL;
	struct doc doc;
	int n, last = -1;

	n = html_bound_nesting(utf8, len, &bounded, &blen);
	FUZZ_ASSERT(n >= 0);
	FUZZ_ASSERT(n ? bounded != NULL : bounded == NULL);
	if (bounded) {
		char *again = NULL;
		size_t alen = 0;

		FUZZ_ASSERT(bounded[blen] == '\0');
		/* The guard's output is within bounds: a second pass has nothing to do. */
		FUZZ_ASSERT(html_bound_nesting(bounded, blen, &again, &alen) == 0);
		free(again);
	}
	free(bounded);
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
