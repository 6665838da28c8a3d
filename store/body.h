#ifndef OGI_BODY_H
#define OGI_BODY_H
/*
 * Bodies with identity (schema version 6): a body keeps its integer id
 * for good; its name is the canonical one, and its aliases (names it had,
 * bodies merged into it, names a user gave) find it too, so that a page
 * naming an old or misspelt name files its report under the same body.
 * Part of store/; each write is its own transaction or joins the
 * caller's (store.h).  Each write that moves reports or changes which are
 * current records the body's years as touched (store_take_touched()):
 * the caller runs their checks again (pipeline_recheck_touched()).
 */
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

struct body {
	int64_t id;
	char *name;
	char *level;		/* township, county, ...; NULL when not known */
	int64_t parent_id;	/* 0: none */
	char *parent;		/* the parent's name, or NULL */
	int level_fixed;	/* set by a user: the parser leaves it */
	int parent_fixed;
	char *aliases;		/* "a; b" in name order, or NULL */
	long reports;		/* current reports */
	int first_year, last_year;	/* of its current reports; 0 when none */
};

struct body_list {
	struct body *v;
	size_t n, alloc;
};

void store_body_release(struct body *b);
void store_body_list_release(struct body_list *l);

/*
 * The body which names: its id ("12"), or its name or one of its aliases.
 * OGI_ENOTFOUND (err set) when none; out is filled otherwise (released by
 * the caller with store_body_release()).
 */
int store_body_find(struct store *st, const char *which, struct body *out, struct err *err);
int store_body_get(struct store *st, int64_t id, struct body *out, struct err *err);
/*
 * Appends the bodies that f's body conditions select (orgs, parents,
 * levels, bodies; not ids or years), in name order.
 */
int store_body_list(struct store *st, const struct report_filter *f, struct body_list *out,
		    struct err *err);

/*
 * Gives body id the name name; the old name becomes an alias
 * ('old_name').  OGI_EINVAL when another body has that name or alias
 * (merge it instead).
 */
int store_body_rename(struct store *st, int64_t id, const char *name, struct err *err);
/*
 * Moves every report, alias, child and seed of body from into body into,
 * whose alias from's name becomes ('merged'); then from is gone.  The
 * current report of each year of into is chosen again.
 */
int store_body_merge(struct store *st, int64_t from, int64_t into, struct err *err);
/*
 * Adds alias to body id (remove: takes it away).  OGI_EINVAL when alias
 * is another body's name or alias; OGI_ENOTFOUND when removing one the
 * body does not have.
 */
int store_body_alias(struct store *st, int64_t id, const char *alias, int remove,
		     struct err *err);
/* Sets and pins the level (NULL: unpinned, the parser's again). */
int store_body_set_level(struct store *st, int64_t id, const char *level, struct err *err);
/*
 * Sets and pins the parent (parent_id 0: none); unpin: the parser's
 * again.  OGI_EINVAL when it would make a loop.
 */
int store_body_set_parent(struct store *st, int64_t id, int64_t parent_id, int unpin,
			  struct err *err);
/*
 * The seed publishes for body_id: its org, level and parent become the
 * body's, and follow the body's renames and merges.
 */
int store_seed_set_body(struct store *st, int64_t seed_id, int64_t body_id, struct err *err);

#endif
