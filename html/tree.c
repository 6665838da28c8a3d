#include "html/tree.h"

#include <stdlib.h>
#include <string.h>

#include "html/nesting.h"
#include "util/xalloc.h"
#include "util/banned.h"

static void *gumbo_xalloc(void *userdata, size_t size)
{
	(void)userdata;
	return xmalloc(size ? size : 1);
}

static void gumbo_xfree(void *userdata, void *ptr)
{
	(void)userdata;
	free(ptr);
}

int html_tree_parse(struct html_tree *t, const char *utf8, size_t len)
{
	size_t blen;

	memset(t, 0, sizeof(*t));
	t->opt = kGumboDefaultOptions;
	t->opt.allocator = gumbo_xalloc;
	t->opt.deallocator = gumbo_xfree;
	t->opt.max_errors = 0;
	if (len && html_nesting_bound(utf8, len, &t->bounded, &blen)) {
		utf8 = t->bounded;
		len = blen;
	}
	t->out = gumbo_parse_with_options(&t->opt, len ? utf8 : "", len);
	if (!t->out || !t->out->document) {
		html_tree_release(t);
		return -1;
	}
	return 0;
}

void html_tree_release(struct html_tree *t)
{
	if (t->out)
		gumbo_destroy_output(&t->opt, t->out);
	t->out = NULL;
	free(t->bounded);
	t->bounded = NULL;
}
