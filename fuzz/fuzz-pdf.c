/*
 * libFuzzer target for parser/pdf.c: the input as a PDF file through
 * pdf_parse() (the stream guard, poppler's text and glyph boxes, lines,
 * cells, table columns), then the text-table reader and the assigner on
 * what it made.  Inputs not starting as a PDF get one put in front, so
 * that the fuzzer spends its time past the sniffing.
 */
#include "fuzz/fuzz.h"

#include "parser/assign.h"
#include "parser/pdf.h"
#include "parser/texttable.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char header[] = "%PDF-1.4\n";
	char *bytes = xmalloc(size + sizeof(header));
	size_t len = size;
	struct doc doc;
	struct err e = ERR_INIT;
	struct recs rs = { 0 };
	struct report r;

	memcpy(bytes, data, size);
	if (!pdf_sniff(bytes, len)) {
		memcpy(bytes, header, sizeof(header) - 1);
		memcpy(bytes + sizeof(header) - 1, data, size);
		len = size + sizeof(header) - 1;
	}
	doc_init(&doc);
	if (pdf_parse(bytes, len, &doc, &e)) {
		FUZZ_ASSERT(e.code != OGI_OK && e.msg[0]);
		doc_release(&doc);
		free(bytes);
		return 0;
	}
	fuzz_check_doc(&doc, SIZE_MAX);
	FUZZ_ASSERT(doc.nrows == 0 && doc.linenos && doc.gaps);
	for (size_t i = 0; i < doc.nlines; i++)
		FUZZ_ASSERT(doc.linenos[i] == (int)i + 1 && doc.gaps[i] == 0);
	if (doc.title)
		fuzz_check_utf8(doc.title);
	texttable_read(&doc, &rs);
	report_init(&r);
	(void)assign_records(&rs, 0, &r);
	report_release(&r);
	recs_release(&rs);
	doc_release(&doc);
	free(bytes);
	return 0;
}
