/*
 * Differential fuzz of the nesting guard (html/nesting.h) against gumbo:
 * each input goes to gumbo with and without the guard, and
 *  - behind the guard, gumbo's tree is never deeper than HTML_MAX_NESTING
 *    (plus the few elements gumbo adds itself: html, body, implied table
 *    parts);
 *  - the guard never makes a tree deeper than gumbo makes it alone;
 *  - a page without <svg>, <math> or <frameset> and with too few tags to
 *    reach the bound reaches gumbo byte for byte: the guard costs nothing
 *    to ordinary pages;
 *  - what the guard hands over is NUL-terminated and no longer than the
 *    page (it renames and drops, never adds).
 * Unguarded parses are limited to inputs of DIFF_MAX_INPUT bytes, where
 * gumbo's quadratic time stays within libFuzzer's 1 s per input.
 */
#include <gumbo.h>

#include "fuzz/fuzz.h"
#include "html/nesting.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DEPTH_SLACK 8
#define TAG_OPENS 4		/* elements one tag can open: <td> in a table adds tbody, tr */
#define DIFF_MAX_INPUT ((size_t)64 << 10)

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

static size_t gumbo_depth(const char *s, size_t len)
{
	GumboOptions opt = kGumboDefaultOptions;
	GumboOutput *g;
	size_t d;

	/* No error list: gumbo copies the open elements into every error (quadratic). */
	opt.max_errors = 0;
	g = gumbo_parse_with_options(&opt, s, len);
	FUZZ_ASSERT(g && g->document);
	d = tree_depth(g->document);
	gumbo_destroy_output(&opt, g);
	return d;
}

/* Whether s[0..n) names a tag the guard renames (any case). */
static int has_renamed_tag(const char *s, size_t n)
{
	static const char *const names[] = { "svg", "math", "frameset" };

	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != '<')
			continue;
		for (size_t j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			size_t k = i + 1 + (s[i + 1] == '/'), m = 0;

			while (names[j][m] && k + m < n &&
			       (s[k + m] | 0x20) == names[j][m])
				m++;
			if (!names[j][m])
				return 1;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, blen = 0, tags = 0, guarded, alone;
	char *utf8 = fuzz_utf8(data, size, &len), *bounded = NULL;
	int n, renames;

	for (const char *p = utf8; (p = memchr(p, '<', len - (size_t)(p - utf8))); p++)
		tags++;
	renames = has_renamed_tag(utf8, len);
	n = html_nesting_bound(utf8, len, &bounded, &blen);
	FUZZ_ASSERT(n >= 0);
	FUZZ_ASSERT(n ? bounded != NULL : bounded == NULL);
	if (bounded) {
		FUZZ_ASSERT(bounded[blen] == '\0');
		FUZZ_ASSERT(blen <= len);
	}
	if (!renames && tags * TAG_OPENS + DEPTH_SLACK <= HTML_MAX_NESTING)
		FUZZ_ASSERT(n == 0);
	if (len <= DIFF_MAX_INPUT) {
		guarded = gumbo_depth(bounded ? bounded : utf8, bounded ? blen : len);
		FUZZ_ASSERT(guarded <= HTML_MAX_NESTING + DEPTH_SLACK);
		if (bounded && !renames) {
			alone = gumbo_depth(utf8, len);
			FUZZ_ASSERT(guarded <= alone + DEPTH_SLACK);
		}
	}
	free(bounded);
	free(utf8);
	return 0;
}
