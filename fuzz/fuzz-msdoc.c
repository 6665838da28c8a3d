/*
 * libFuzzer target for parser/msdoc.c: the input as an OLE2 compound file
 * (sector chains, the directory, the mini stream, the FIB, the piece
 * table) through msdoc_parse(), then the text-table reader and the
 * assigner on what it made.  Inputs without the OLE signature get one.
 */
#include "fuzz/fuzz.h"

#include "parser/assign.h"
#include "parser/msdoc.h"
#include "parser/texttable.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char magic[8] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
	char *bytes = xmalloc(size + sizeof(magic) + 512);
	size_t len = size;
	struct doc doc;
	struct err e = ERR_INIT;
	struct recs rs = { 0 };
	struct report r;

	memcpy(bytes, data, size);
	if (!msdoc_sniff(bytes, len)) {
		memset(bytes, 0, 512);
		memcpy(bytes, magic, sizeof(magic));
		memcpy(bytes + sizeof(magic), data, size < 504 ? size : 504);
		if (size > 504)
			memcpy(bytes + 512, data + 504, size - 504);
		len = size > 504 ? size + 8 : 512;
	}
	doc_init(&doc);
	if (msdoc_parse(bytes, len, &doc, &e)) {
		FUZZ_ASSERT(e.code != OGI_OK && e.msg[0]);
		doc_release(&doc);
		free(bytes);
		return 0;
	}
	fuzz_check_doc(&doc, SIZE_MAX);
	FUZZ_ASSERT(doc.nrows == 0 && !doc.from_html);
	texttable_read(&doc, &rs);
	report_init(&r);
	(void)assign_records(&rs, 0, &r);
	report_release(&r);
	recs_release(&rs);
	doc_release(&doc);
	free(bytes);
	return 0;
}
