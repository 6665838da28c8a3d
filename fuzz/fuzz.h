#ifndef OGI_FUZZ_H
#define OGI_FUZZ_H
/*
 * What the fuzz targets share: turning the fuzzer's bytes into the UTF-8
 * the parser's inner stages are promised (as parse_report() gives them),
 * and the invariants every struct doc must keep whatever the page.  A
 * broken invariant aborts, which libFuzzer and fuzz/replay.c report as a
 * crash.  Header-only: each target is one .c file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/charset.h"
#include "parser/doc.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                                 \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
				#cond);                                                   \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* s is a NUL-terminated, valid UTF-8 string. */
static inline void fuzz_check_utf8(const char *s)
{
	size_t n;

	FUZZ_ASSERT(s);
	n = strlen(s);
	FUZZ_ASSERT(utf8_valid_prefix(s, n) == n);
}

/* The bytes read as a page declared UTF-8: invalid sequences become U+FFFD. Caller frees. */
static inline char *fuzz_utf8(const uint8_t *data, size_t size, size_t *len)
{
	struct charset_result cs;
	char *out = NULL;

	if (charset_to_utf8((const char *)data, size, "text/html; charset=utf-8", &out, len, &cs,
			    NULL))
		abort();
	return out;
}

/* What html_parse() and text_parse() promise of a doc, whatever the page. */
static inline void fuzz_check_doc(const struct doc *d, size_t max_cols)
{
	int last_table = -1;

	if (d->title)
		fuzz_check_utf8(d->title);
	for (size_t i = 0; i < d->nlines; i++) {
		const char *l = d->lines[i];

		fuzz_check_utf8(l);
		FUZZ_ASSERT(*l);	/* empty lines are skipped */
	}
	for (size_t i = 0; i < d->nrows; i++) {
		const struct doc_row *r = &d->rows[i];

		FUZZ_ASSERT(r->ncells <= max_cols);
		FUZZ_ASSERT(!r->ncells || r->cells);
		FUZZ_ASSERT(r->table >= -1);
		if (r->table >= 0) {
			/* tables in document order, each a run of rows */
			FUZZ_ASSERT((size_t)r->table < d->ntables);
			FUZZ_ASSERT(r->table >= last_table);
			last_table = r->table;
		}
		for (size_t c = 0; c < r->ncells; c++) {
			fuzz_check_utf8(r->cells[c]);
			if (r->carried)
				FUZZ_ASSERT(r->carried[c] <= 1);
		}
	}
}

#endif
