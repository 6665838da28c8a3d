#ifndef OGI_TREE_H
#define OGI_TREE_H
/*
 * Safe HTML: a page's gumbo tree, parsed behind the nesting guard
 * (html/nesting.h), with gumbo allocating from a per-page arena over
 * xmalloc (out of memory ends in one place; the tree is freed at once)
 * and keeping no error list (gumbo copies the open elements into every
 * error: quadratic).  The only way into gumbo for the parser and the
 * crawler's link extractor.
 */
#include <stddef.h>

#include <gumbo.h>

struct html_arena;

struct html_tree {
	GumboOutput *out;	/* out->document is the root */
	GumboOptions opt;
	char *bounded;		/* the guarded page gumbo's nodes point into, or NULL */
	struct html_arena *arena;	/* where gumbo's memory comes from */
};

/*
 * Parses len bytes of UTF-8 (NUL-terminated at utf8[len]) into t.
 * Returns 0, or -1 when gumbo gave no document (t is then released).
 * Release t with html_tree_release() either way.
 */
int html_tree_parse(struct html_tree *t, const char *utf8, size_t len);
void html_tree_release(struct html_tree *t);

#endif
