#ifndef OGI_MERGE_H
#define OGI_MERGE_H
/*
 * Merging warehouses: a crawl split across machines (by seed list) made
 * whole again.  Part of store/.  Everything of the other warehouse comes
 * in, in one transaction of this one, matched so that merging twice
 * changes nothing:
 *   bodies     by name, or a name one of them has as an alias; a body
 *              new here keeps its name, level, parent and aliases;
 *   sources    by content hash (the same bytes are stored once);
 *   reports    by location; a report both have takes the content of the
 *              one fetched later when the bytes differ (this one's on a
 *              tie or the same bytes), with its figures,
 *              claims, findings and sources;
 *   fixes, exclusions   those this one lacks;
 *   seeds      by URL; the frontier by seed URL and URL (one both have
 *              keeps this one's state); crawl runs by start time and pid.
 * Then the current report of every year of every body it brought is
 * chosen again and those groups are touched (store_take_touched()): the
 * caller runs their checks again.  The other file is only read.
 */
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

struct merge_counts {
	long bodies, sources, reports_new, reports_updated, seeds, urls;
};

/*
 * Merges the warehouse at path into st (which must not be inside a
 * transaction: ATTACH cannot be), then calls before_commit (may be NULL)
 * in the same transaction: the caller's checks of the groups touched.
 * All or nothing.  OGI_ESCHEMA when the other's schema version is not
 * this ogi's; OGI_EINVAL when it is st's own file.
 */
int store_merge(struct store *st, const char *path, struct merge_counts *out,
		int (*before_commit)(struct store *st, struct err *err), struct err *err);

#endif
