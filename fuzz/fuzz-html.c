/*
 * libFuzzer target for parser/html.c: the input as a page (read as UTF-8,
 * as parse_report() hands it over), through the nesting guard, the sniffer
 * and the table and text reader.  Spans, columns, rows and depth stay
 * within the bounds html.h sets.
 */
#include <gumbo.h>

#include "fuzz/fuzz.h"
#include "parser/html.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Elements gumbo may add around the guarded ones: html, body, and implied table parts. */
#define DEPTH_SLACK 8

/* The depth of gumbo's tree, walked with a stack of its own. */
static size_t tree_depth(GumboNode *root)
{
	struct frame {
		GumboNode *n;
		size_t d;
	} *st = NULL;
	size_t sp = 0, alloc = 0, best = 0;

	ALLOC_GROW(st, sp + 1, alloc);
	st[sp++] = (struct frame){ root, 1 };
	while (sp) {
		struct frame f = st[--sp];
		GumboVector *kids;

		if (f.d > best)
			best = f.d;
		if (f.n->type == GUMBO_NODE_DOCUMENT)
			kids = &f.n->v.document.children;
		else if (f.n->type == GUMBO_NODE_ELEMENT || f.n->type == GUMBO_NODE_TEMPLATE)
			kids = &f.n->v.element.children;
		else
			continue;
		for (unsigned i = 0; i < kids->length; i++) {
			ALLOC_GROW(st, sp + 1, alloc);
			st[sp++] = (struct frame){ kids->data[i], f.d + 1 };
		}
	}
	free(st);
	return best;
}

/*
 * What the guard promises: gumbo never holds more than HTML_MAX_NESTING open
 * elements.  Checked only on pages with enough tags to go past it, as each
 * tag opens at most a few elements (one plus implied table parts).
 */
static void check_depth(const char *s, size_t len)
{
	GumboOptions opt = kGumboDefaultOptions;
	size_t tags = 0;
	GumboOutput *g;

	for (const char *p = s; (p = memchr(p, '<', len - (size_t)(p - s))); p++)
		tags++;
	if (tags * 3 + DEPTH_SLACK <= HTML_MAX_NESTING)
		return;
	/* No error list: gumbo copies the open elements into every error (quadratic). */
	opt.max_errors = 0;
	g = gumbo_parse_with_options(&opt, s, len);
	FUZZ_ASSERT(g);
	FUZZ_ASSERT(tree_depth(g->document) <= HTML_MAX_NESTING + DEPTH_SLACK);
	gumbo_destroy_output(&opt, g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, blen = 0, run = 0;
	char *utf8 = fuzz_utf8(data, size, &len), *bounded = NULL;
	struct doc doc;
	int n, last = -1;

	n = html_bound_nesting(utf8, len, &bounded, &blen);
	FUZZ_ASSERT(n >= 0);
	FUZZ_ASSERT(n ? bounded != NULL : bounded == NULL);
	if (bounded)
		FUZZ_ASSERT(bounded[blen] == '\0');
	check_depth(bounded ? bounded : utf8, bounded ? blen : len);
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
