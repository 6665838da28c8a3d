/*
 * The report filter (store.h) and the SQL it becomes: every reading
 * query of store/ (store_list_reports(), query.c) builds its conditions
 * here, so that --org, --parent, --level, --id, --body and --year mean
 * the same everywhere.  Values are always bound; the SQL text holds only
 * placeholders numbered from FILTER_FIRST_PARAM.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store-internal.h"
#include "util/xalloc.h"
#include "util/banned.h"

void report_filter_init(struct report_filter *f)
{
	memset(f, 0, sizeof(*f));
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void report_filter_release(struct report_filter *f)
{
	free_strings(f->orgs, f->norgs);
	free_strings(f->parents, f->nparents);
	free_strings(f->levels, f->nlevels);
	free(f->ids);
	free(f->bodies);
	free(f->years);
	report_filter_init(f);
}

#define ADD_STRING(list, n, alloc, s)                    \
	do {                                             \
		ALLOC_GROW(list, st_add(n, 1), alloc);   \
		(list)[(n)++] = xstrdup(s);              \
	} while (0)

void report_filter_add_org(struct report_filter *f, const char *org)
{
	ADD_STRING(f->orgs, f->norgs, f->alloc_orgs, org);
}

void report_filter_add_parent(struct report_filter *f, const char *parent)
{
	ADD_STRING(f->parents, f->nparents, f->alloc_parents, parent);
}

void report_filter_add_level(struct report_filter *f, const char *level)
{
	ADD_STRING(f->levels, f->nlevels, f->alloc_levels, level);
}

void report_filter_add_id(struct report_filter *f, int64_t id)
{
	ALLOC_GROW(f->ids, st_add(f->nids, 1), f->alloc_ids);
	f->ids[f->nids++] = id;
}

void report_filter_add_body(struct report_filter *f, int64_t body_id)
{
	ALLOC_GROW(f->bodies, st_add(f->nbodies, 1), f->alloc_bodies);
	f->bodies[f->nbodies++] = body_id;
}

void report_filter_add_years(struct report_filter *f, int from, int to)
{
	ALLOC_GROW(f->years, st_add(f->nyears, 1), f->alloc_years);
	f->years[f->nyears].from = from;
	f->years[f->nyears].to = to;
	f->nyears++;
	if (!f->year_from || from < f->year_from)
		f->year_from = from;
	if (!f->year_to || to > f->year_to)
		f->year_to = to;
}

int report_filter_empty(const struct report_filter *f)
{
	return !f->norgs && !f->nparents && !f->nlevels && !f->nids && !f->nbodies &&
	       !f->year_from && !f->year_to;
}

/* "?N, ?N+1, ..." for n values; *param advances. */
static void add_params(struct buf *b, size_t n, int *param)
{
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%s?%d", i ? ", " : "", (*param)++);
}

/*
 * The year conditions: the ranges asked for, or the span alone (as a
 * caller such as `report compare` narrows it).  More than one range
 * matches any of them.
 */
static void add_years(struct buf *b, const struct report_filter *f, int *param)
{
	if (f->nyears > 1) {
		buf_adds(b, " AND (");
		for (size_t i = 0; i < f->nyears; i++) {
			buf_addf(b, "%sr.year BETWEEN ?%d AND ?%d", i ? " OR " : "", *param,
				 *param + 1);
			*param += 2;
		}
		buf_adds(b, ")");
		return;
	}
	if (f->year_from) {
		buf_addf(b, " AND r.year >= ?%d", (*param)++);
	}
	if (f->year_to)
		buf_addf(b, " AND r.year <= ?%d", (*param)++);
}

void filter_sql(struct buf *b, const struct report_filter *f, unsigned what, int *param)
{
	static const struct report_filter any;

	if (!f)
		f = &any;
	buf_adds(b, "1");
	if (f->norgs) {
		buf_adds(b, " AND (");
		for (size_t i = 0; i < f->norgs; i++, (*param)++)
			buf_addf(b, "%sinstr(b.name, ?%d) > 0 OR EXISTS (SELECT 1 FROM body_aliases a "
				 "WHERE a.body_id = b.id AND instr(a.alias, ?%d) > 0)",
				 i ? " OR " : "", *param, *param);
		buf_adds(b, ")");
	}
	if (f->nparents) {
		int first = *param;

		buf_adds(b, " AND (b.parent_id IN (SELECT id FROM bodies WHERE name IN (");
		add_params(b, f->nparents, param);
		buf_adds(b, ")) OR b.parent_id IN (SELECT body_id FROM body_aliases WHERE alias IN (");
		for (size_t i = 0; i < f->nparents; i++)
			buf_addf(b, "%s?%d", i ? ", " : "", first + (int)i);
		buf_adds(b, ")))");
	}
	if (f->nlevels) {
		buf_adds(b, " AND b.level IN (");
		add_params(b, f->nlevels, param);
		buf_adds(b, ")");
	}
	if (f->nbodies) {
		buf_adds(b, " AND b.id IN (");
		add_params(b, f->nbodies, param);
		buf_adds(b, ")");
	}
	if (!(what & FILTER_REPORTS))
		return;
	if (f->nids) {
		buf_adds(b, " AND r.id IN (");
		add_params(b, f->nids, param);
		buf_adds(b, ")");
	}
	add_years(b, f, param);
	/* Reports asked for by id are given whatever their version. */
	if (!f->all_versions && !f->nids && !(what & FILTER_ANY_VERSION))
		buf_adds(b, " AND r.current = 1");
}

int filter_bind(sqlite3_stmt *s, const struct report_filter *f, unsigned what, int param)
{
	static const struct report_filter any;
	int rc = 0;

	if (!f)
		f = &any;
	for (size_t i = 0; i < f->norgs; i++)
		rc |= sqlite3_bind_text(s, param++, f->orgs[i], -1, SQLITE_STATIC);
	for (size_t i = 0; i < f->nparents; i++)
		rc |= sqlite3_bind_text(s, param++, f->parents[i], -1, SQLITE_STATIC);
	for (size_t i = 0; i < f->nlevels; i++)
		rc |= sqlite3_bind_text(s, param++, f->levels[i], -1, SQLITE_STATIC);
	for (size_t i = 0; i < f->nbodies; i++)
		rc |= sqlite3_bind_int64(s, param++, f->bodies[i]);
	if (!(what & FILTER_REPORTS))
		return rc;
	for (size_t i = 0; i < f->nids; i++)
		rc |= sqlite3_bind_int64(s, param++, f->ids[i]);
	if (f->nyears > 1) {
		for (size_t i = 0; i < f->nyears; i++) {
			rc |= sqlite3_bind_int(s, param++, f->years[i].from);
			rc |= sqlite3_bind_int(s, param++, f->years[i].to);
		}
	} else {
		if (f->year_from)
			rc |= sqlite3_bind_int(s, param++, f->year_from);
		if (f->year_to)
			rc |= sqlite3_bind_int(s, param++, f->year_to);
	}
	return rc;
}
