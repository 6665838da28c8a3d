/*
 * libFuzzer target for parser/docx.c.  An input that starts as a ZIP does
 * ("PK\3\4") goes to docx_parse() as it is: the directory checks, libzip
 * and the limits.  Any other input is word/document.xml itself, stored in
 * a ZIP made here around it (mutating deflated bytes reaches little of the
 * XML reader): the DOCTYPE guard, libxml2's reader and the table grid.
 * Whatever the bytes, the doc keeps html_parse()'s promises (fuzz.h) and
 * the bounds docx.h sets.
 */
#include "fuzz/fuzz.h"

#include "parser/docx.h"
#include "util/xalloc.h"
#include "util/banned.h"

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

static uint8_t *put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	return put16(put16(p, v & 0xFFFF), v >> 16);
}

/* A ZIP holding data, stored, as word/document.xml; caller frees. */
static uint8_t *stored_docx(const uint8_t *data, size_t size, size_t *len)
{
	static const char name[] = DOCX_PART;
	size_t nl = sizeof(name) - 1, cd = 30 + nl + size;
	uint8_t *z = xmalloc(cd + 46 + nl + 22), *p = z;
	uint32_t crc = crc32_of(data, size);

	/* local header: version, flags, method (stored), time, date, crc, sizes, name */
	p = put32(p, 0x04034b50);
	p = put16(p, 20);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put32(p, 0);
	p = put32(p, crc);
	p = put32(p, (uint32_t)size);
	p = put32(p, (uint32_t)size);
	p = put16(p, (unsigned)nl);
	p = put16(p, 0);
	memcpy(p, name, nl);
	p += nl;
	if (size)
		memcpy(p, data, size);
	p += size;
	/* central directory header */
	p = put32(p, 0x02014b50);
	p = put16(p, 20);
	p = put16(p, 20);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put32(p, 0);
	p = put32(p, crc);
	p = put32(p, (uint32_t)size);
	p = put32(p, (uint32_t)size);
	p = put16(p, (unsigned)nl);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put32(p, 0);
	p = put32(p, 0);
	memcpy(p, name, nl);
	p += nl;
	/* end of central directory */
	p = put32(p, 0x06054b50);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put16(p, 1);
	p = put16(p, 1);
	p = put32(p, (uint32_t)(46 + nl));
	p = put32(p, (uint32_t)cd);
	p = put16(p, 0);
	*len = (size_t)(p - z);
	return z;
}

static void check_grid(const struct doc *d)
{
	size_t run = 0;
	int last = -1, last_row = -1;

	FUZZ_ASSERT(d->from_html);
	FUZZ_ASSERT(d->ntables <= DOCX_MAX_TABLES);
	fuzz_check_doc(d, DOCX_MAX_COLS);
	for (size_t i = 0; i < d->nrows; i++) {
		const struct doc_row *r = &d->rows[i];

		FUZZ_ASSERT(r->table >= 0 && r->ncells >= 1 && r->carried && r->cols);
		if (r->table != last)
			last_row = -1;
		run = r->table == last ? run + 1 : 1;
		FUZZ_ASSERT(run <= DOCX_MAX_ROWS);
		/* grid rows in order, each cell in a column of its own, left to right */
		FUZZ_ASSERT(r->row > last_row && r->row < DOCX_MAX_ROWS);
		for (size_t c = 0; c < r->ncells; c++) {
			FUZZ_ASSERT(r->cols[c] < DOCX_MAX_COLS);
			FUZZ_ASSERT(!c || r->cols[c] > r->cols[c - 1]);
			/* the first row of a table has nothing above it to carry */
			FUZZ_ASSERT(!r->carried[c] || r->row > 0);
		}
		last = r->table;
		last_row = r->row;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc doc;
	struct err e = ERR_INIT;
	uint8_t *zip = NULL;
	const char *bytes = (const char *)data;
	size_t len = size;

	if (size < 4 || memcmp(data, "PK\3\4", 4)) {
		zip = stored_docx(data, size, &len);
		bytes = (const char *)zip;
		FUZZ_ASSERT(docx_sniff(bytes, len));
	} else {
		(void)docx_sniff(bytes, len);
	}
	doc_init(&doc);
	if (docx_parse(bytes, len, &doc, &e) == 0)
		check_grid(&doc);
	else
		FUZZ_ASSERT(e.code != OGI_OK && e.msg[0]);
	doc_release(&doc);
	free(zip);
	return 0;
}
