#include "parser/record.h"

#include <stdlib.h>
#include <string.h>

#include "form/format.h"
#include "util/utf8.h"
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

/* Words that head a unit or a column, never a count: "万元" beside a fee, "单位". */
static const char *const not_counts[] = { "元", "万元", "亿元", "件", "个", "项", "次" };

int rec_count_text(const char *cell, size_t max_han)
{
	char *norm = fmt_norm_label(cell), *bare;
	const char *p = norm, *end = norm + strlen(norm);
	size_t chars = 0, han = 0;
	int yes = 0;

	if (!*norm)
		goto out;
	while (p < end) {
		uint32_t cp;

		if (utf8_decode(&p, end, &cp))
			goto out;
		chars++;
		han += (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
	}
	if (chars > REC_COUNT_TEXT_CHARS || han > max_han)
		goto out;
	bare = fmt_strip_annotations(norm);
	if (strstr(norm, "单位"))
		goto done;
	for (size_t i = 0; i < sizeof(not_counts) / sizeof(not_counts[0]); i++)
		if (!strcmp(bare, not_counts[i]))
			goto done;
	/* a heading word ends in it: a start after it, with a mark after the text to start at */
	{
		size_t starts[4], len = strlen(norm);
		char *marked = xmalloc(len + 2);

		memcpy(marked, norm, len);
		memcpy(marked + len, "#", 2);
		len = fmt_label_starts(marked, starts, 4);
		free(marked);
		if (len > 1)
			goto done;
	}
	if (fmt_enumerator_at(norm) || fmt_match_section(norm) || fmt_match_group(norm) ||
	    fmt_is_t4_marker(norm) || fmt_t4_block(norm) >= 0 ||
	    fmt_match_row(bare, FMT_2019) || fmt_match_row(bare, FMT_2021))
		goto done;
	yes = 1;
done:
	free(bare);
out:
	free(norm);
	return yes;
}
