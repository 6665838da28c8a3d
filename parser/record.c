#include "parser/record.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

void recs_release(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		for (size_t l = 0; l < rs->v[i].nlabels; l++)
			free(rs->v[i].labels[l].norm);
		free(rs->v[i].labels);
		free(rs->v[i].values);
	}
	free(rs->v);
	for (size_t i = 0; i < rs->npool; i++)
		free(rs->pool[i]);
	free(rs->pool);
	memset(rs, 0, sizeof(*rs));
}

struct rec *recs_add(struct recs *rs)
{
	struct rec *r;

	ALLOC_GROW(rs->v, rs->n + 1, rs->alloc);
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->table = r->row = -1;
	r->gap_after = -1;
	r->region = -1;
	return r;
}

void rec_add_label(struct rec *r, char *norm, int line, int multi, int region)
{
	ALLOC_GROW(r->labels, r->nlabels + 1, r->alabels);
	r->labels[r->nlabels].norm = norm;
	r->labels[r->nlabels].line = line;
	r->labels[r->nlabels].multi = (unsigned char)multi;
	r->labels[r->nlabels].region = region;
	r->nlabels++;
}

void rec_add_value(struct rec *r, const char *text, int col, int line, int gap)
{
	ALLOC_GROW(r->values, r->nvalues + 1, r->avalues);
	r->values[r->nvalues].text = text;
	r->values[r->nvalues].col = col;
	r->values[r->nvalues].line = line;
	r->values[r->nvalues].gap = gap;
	r->nvalues++;
}

const char *recs_keep(struct recs *rs, const char *s, size_t n)
{
	ALLOC_GROW(rs->pool, rs->npool + 1, rs->apool);
	rs->pool[rs->npool] = xstrndup(s, n);
	return rs->pool[rs->npool++];
}
