#ifndef OGI_NESTING_H
#define OGI_NESTING_H
/*
 * The nesting guard: what stands between a hostile page and gumbo.
 *
 * Why it exists.  Debian ships gumbo 0.10.1, which is no longer
 * maintained.  It aborts the process on assertions for some foreign
 * content in tables (<svg>, <math>), some of its clean-up recurses over
 * the depth of the tree (about 100,000 nested elements overflow an 8 MiB
 * stack), and its scope checks walk the open elements for every tag, so
 * deep pages take time quadratic in their depth.  Crawled pages are
 * hostile input; a crash or a minute's stall on one loses the night's
 * crawl.
 *
 * What it does.  Renames <svg>, <math> and <frameset> tags to unknown ones
 * (report pages use none of them), then models gumbo's stack of open
 * elements over the bytes and drops the start tags (and their end tags)
 * that would open elements past HTML_MAX_NESTING.  Pages within the bound
 * reach gumbo byte for byte.
 *
 * How it is tested.  tests/unit/test-html.c holds the cases the model
 * must follow (implied ends, formatting elements, tables, templates,
 * selects, raw text).  fuzz/fuzz-nesting.c is a differential fuzz against
 * gumbo itself: over the fuzz corpus it parses each input with and without
 * the guard, and checks that the guarded tree is never deeper than the
 * bound, and that the guard leaves alone every page gumbo reads within
 * the bound with room to spare.
 */
#include <stddef.h>

#define HTML_MAX_NESTING 1024	/* open elements gumbo is allowed to see at once */

/*
 * Returns how many tags were renamed or dropped; when > 0, *out is the
 * page to parse instead (NUL-terminated, caller frees) and *outlen its
 * length, else *out is NULL.
 */
int html_nesting_bound(const char *utf8, size_t len, char **out, size_t *outlen);

#endif
