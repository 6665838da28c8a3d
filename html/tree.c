#include "html/tree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html/nesting.h"
#include "util/xalloc.h"
#include "util/banned.h"

/*
 * gumbo's memory comes from a per-page arena: it makes several small
 * allocations per node and frees each one again, which cost as much as
 * its tokenizer; here they are pointer bumps, and the page's whole tree
 * goes in one html_tree_release().  Each block carries a header saying
 * where it came from: once an arena has handed out ARENA_MAX bytes
 * (hostile pages), further blocks come from malloc and are freed one by
 * one, so a page's memory stays bounded by what gumbo keeps, as before.
 */
#define ARENA_CHUNK ((size_t)256 << 10)
#define ARENA_MAX ((size_t)32 << 20)
#define ARENA_BIG (ARENA_CHUNK / 4)	/* larger blocks get a chunk of their own */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct html_arena {
	struct arena_chunk *chunks;	/* the current one first */
	size_t total;			/* bytes of chunks */
};

/* In front of every block: whether free() must give it back. */
union block_head {
	size_t heap;
	max_align_t align;
};

static void *arena_alloc(struct html_arena *a, size_t size)
{
	size_t need = sizeof(union block_head) + size, round = sizeof(max_align_t);
	struct arena_chunk *c = a->chunks;
	union block_head *h;

	need = (need + round - 1) / round * round;
	if (!c || c->size - c->used < need) {
		size_t cs = need > ARENA_BIG ? need : ARENA_CHUNK;

		if (a->total + cs > ARENA_MAX) {
			h = xmalloc(sizeof(*h) + size);
			h->heap = 1;
			return h + 1;
		}
		c = xmalloc(sizeof(*c) + cs);
		c->size = cs;
		c->used = 0;
		a->total += cs;
		if (need > ARENA_BIG && a->chunks) {
			/* a big block: the chunk being filled stays the current one */
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	h = (union block_head *)((char *)c->data + c->used);
	c->used += need;
	h->heap = 0;
	return h + 1;
}

static void *gumbo_alloc(void *userdata, size_t size)
{
	return arena_alloc(userdata, size);
}

static void gumbo_free(void *userdata, void *ptr)
{
	union block_head *h;

	(void)userdata;
	if (!ptr)
		return;
	h = (union block_head *)ptr - 1;
	if (h->heap)
		free(h);
}

static void arena_free(struct html_arena *a)
{
	while (a && a->chunks) {
		struct arena_chunk *c = a->chunks;

		a->chunks = c->next;
		free(c);
	}
	free(a);
}

int html_tree_parse(struct html_tree *t, const char *utf8, size_t len)
{
	size_t blen;

	memset(t, 0, sizeof(*t));
	t->arena = xcalloc(1, sizeof(*t->arena));
	t->opt = kGumboDefaultOptions;
	t->opt.allocator = gumbo_alloc;
	t->opt.deallocator = gumbo_free;
	t->opt.userdata = t->arena;
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
	/*
	 * gumbo_destroy_output() would walk the tree to free each node; the
	 * arena goes whole.  Only blocks past ARENA_MAX need the walk.
	 */
	if (t->out && t->arena && t->arena->total + ARENA_CHUNK > ARENA_MAX)
		gumbo_destroy_output(&t->opt, t->out);
	t->out = NULL;
	arena_free(t->arena);
	t->arena = NULL;
	free(t->bounded);
	t->bounded = NULL;
}
