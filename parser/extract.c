#include "parser/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/number.h"
#include "parser/text.h"
#include "util/buf.h"
#include "util/once.h"
#include "util/re.h"
#include "util/xalloc.h"
#include "util/banned.h"

/*
 * A record is a table row as the extractor sees it: its label cells
 * (including labels carried down by a rowspan) and its value cells.  In
 * HTML every grid row is a record; in flattened text, where row breaks are
 * lost, a run of labels followed by a run of values is one.
 */
struct rec {
	char **labels;		/* normalised (fmt_norm_label) */
	size_t nlabels, alabels;
	const char **values;	/* raw cell text, borrowed from the doc */
	size_t nvalues, avalues;
};

struct recs {
	struct rec *items;
	size_t n, alloc;
};

/* Labels longer than this are prose, not row labels: not worth matching. */
#define MAX_LABEL_BYTES 400

static struct rec *rec_new(struct recs *rs)
{
	ALLOC_GROW(rs->items, rs->n + 1, rs->alloc);
	memset(&rs->items[rs->n], 0, sizeof(rs->items[0]));
	return &rs->items[rs->n++];
}

static void rec_add_label(struct rec *r, const char *cell)
{
	if (strlen(cell) > MAX_LABEL_BYTES)
		return;
	ALLOC_GROW(r->labels, r->nlabels + 1, r->alabels);
	r->labels[r->nlabels++] = fmt_norm_label(cell);
}

static void rec_add_value(struct rec *r, const char *cell)
{
	ALLOC_GROW(r->values, r->nvalues + 1, r->avalues);
	r->values[r->nvalues++] = cell;
}

static void recs_release(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		for (size_t l = 0; l < rs->items[i].nlabels; l++)
			free(rs->items[i].labels[l]);
		free(rs->items[i].labels);
		free(rs->items[i].values);
	}
	free(rs->items);
	memset(rs, 0, sizeof(*rs));
}

/* by_row: each doc row is a record (HTML grids); else label/value runs (text). */
static void build_records(const struct doc *doc, int by_row, struct recs *rs)
{
	struct rec *cur = NULL;

	for (size_t i = 0; i < doc->nrows; i++) {
		const struct doc_row *row = &doc->rows[i];

		if (by_row)
			cur = rec_new(rs);
		for (size_t c = 0; c < row->ncells; c++) {
			const char *cell = row->cells[c];

			if (!num_is_value(cell)) {
				/* In text a label after values starts the next record. */
				if (!by_row && (!cur || cur->nvalues))
					cur = rec_new(rs);
				rec_add_label(cur, cell);
			} else if (!row->carried || !row->carried[c]) {
				if (!cur)
					cur = rec_new(rs);
				rec_add_value(cur, cell);
			}
		}
	}
}

static enum fmt_version vote_version(const struct recs *rs, int year_hint)
{
	int votes = 0;

	for (size_t i = 0; i < rs->n; i++)
		for (size_t l = 0; l < rs->items[i].nlabels; l++)
			votes += fmt_version_vote(rs->items[i].labels[l]);
	if (votes > 0)
		return FMT_2021;
	if (votes < 0)
		return FMT_2019;
	if (year_hint >= 2021)
		return FMT_2021;
	if (year_hint >= 2019)
		return FMT_2019;
	if (year_hint > 0)
		return FMT_PRE2019;
	return FMT_2021;
}

/* Reads up to row->ncols values of rec into the row's fields; returns how many were read. */
static size_t assign_row(struct report *r, const struct fmt_row *row, const char *const *values,
			 size_t nvalues)
{
	int first = fmt_field_index(r->format, row->table, row->key, row->cols[0].key);
	size_t n = nvalues < row->ncols ? nvalues : row->ncols;

	if (first < 0 || r->values[first].state != VAL_ABSENT)
		return 0;	/* the first row with a label wins; later ones are repeats */
	for (size_t c = 0; c < n; c++) {
		double num = 0;
		enum num_result res = num_parse(values[c], row->cols[c].kind, &num);
		enum value_state st = res == NUM_VALUE ? VAL_NUMBER
				      : res == NUM_BLANK ? VAL_BLANK
							 : VAL_INVALID;

		report_set_value(r, (size_t)first + c, st, num, values[c]);
	}
	return n;
}

/* Table 4: the first 15 values fill review, suit_direct, suit_after_review in order. */
static void assign_t4(struct report *r, const struct rec *rec)
{
	size_t nrows;
	const struct fmt_row *rows = fmt_rows(&nrows);
	size_t used = 0;

	for (size_t i = 0; i < nrows && used < rec->nvalues; i++) {
		if (!(rows[i].flags & FR_T4) || !(rows[i].formats & r->format))
			continue;
		used += assign_row(r, &rows[i], rec->values + used, rec->nvalues - used);
	}
}

static const struct fmt_row *match_label(const char *label, enum fmt_version v,
					 const char *group)
{
	const struct fmt_row *row = fmt_match_row(label, v);

	/* A sub-row ("3.其他") only counts under its own group once a group is known. */
	if (row && row->group && group && strcmp(row->group, group))
		return NULL;
	return row;
}

/* A header row of blank cells is not the data row: want all 15 cells or some figure. */
static int looks_like_t4(const struct rec *rec)
{
	if (rec->nvalues >= 15)
		return 1;
	for (size_t v = 0; v < rec->nvalues; v++)
		if (num_parse(rec->values[v], VK_COUNT, &(double){ 0 }) == NUM_VALUE)
			return 1;
	return 0;
}

static void read_tables(const struct recs *rs, struct report *r)
{
	const char *group = NULL;
	int t4_seen = 0, t4_done = 0;

	for (size_t i = 0; i < rs->n; i++) {
		const struct rec *rec = &rs->items[i];
		const struct fmt_row *row = NULL;
		int t4_here = 0;

		for (size_t l = 0; l < rec->nlabels; l++) {
			const char *g = fmt_match_group(rec->labels[l]);

			if (g)
				group = g;
			if (fmt_is_t4_marker(rec->labels[l]))
				t4_here = t4_seen = 1;
		}
		if (!rec->nvalues)
			continue;
		/* The row label is the last label that names a row: earlier ones are groups. */
		for (size_t l = rec->nlabels; l-- > 0 && !row;)
			row = match_label(rec->labels[l], r->format, group);
		if (!t4_done && (t4_here || (t4_seen && !row)) && looks_like_t4(rec)) {
			assign_t4(r, rec);
			t4_done = 1;
			continue;
		}
		if (!row || (row->flags & FR_T4))
			continue;
		assign_row(r, row, rec->values, rec->nvalues);
		if (!row->group)
			group = NULL;
	}
}

static size_t count_found(const struct report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nvalues; i++)
		n += r->values[i].state != VAL_ABSENT;
	return n;
}

/* Describes what is absent: whole tables as "t4", rows as "t3:total", partial rows as "t3:new(3/7)". */
static void describe_missing(struct report *r)
{
	size_t nfields;
	const struct fmt_field *f = fmt_fields(r->format, &nfields);
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	int tables[5] = { 0 }, found[5] = { 0 };

	for (size_t i = 0; i < nfields; i++) {
		tables[f[i].table]++;
		found[f[i].table] += r->values[i].state != VAL_ABSENT;
	}
	for (int t = 2; t <= 4; t++)
		if (tables[t] && !found[t])
			buf_addf(&b, "%st%d", b.len ? "; " : "", t);
	for (size_t i = 0; i < nfields;) {
		size_t j = i, have = 0;

		while (j < nfields && f[j].row == f[i].row)
			have += r->values[j++].state != VAL_ABSENT;
		if (found[f[i].table] && have < j - i) {
			buf_addf(&b, "%st%d:%s", b.len ? "; " : "", f[i].table, f[i].row->key);
			if (have)
				buf_addf(&b, "(%zu/%zu)", have, j - i);
		}
		i = j;
	}
	free(r->missing);
	r->missing = b.len ? buf_take(&b) : NULL;
	buf_release(&b);
}

/* Tries the records of doc; returns how many fields were found. */
static size_t try_doc(const struct doc *doc, int by_row, int year_hint, struct report *r)
{
	struct recs rs = { 0 };

	build_records(doc, by_row, &rs);
	report_set_format(r, vote_version(&rs, year_hint));
	if (r->format & (FMT_2019 | FMT_2021))
		read_tables(&rs, r);
	recs_release(&rs);
	return count_found(r);
}

/* The doc's text lines read as a flattened text, for pages that lost their <table>s. */
static void text_of_lines(const struct doc *doc, struct doc *out)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < doc->nlines; i++) {
		buf_adds(&b, doc->lines[i]);
		buf_addc(&b, '\n');
	}
	doc_init(out);
	text_parse(buf_str(&b), b.len, out);
	buf_release(&b);
}

static pcre2_code *claim_re[16];
static _Thread_local pcre2_match_data *claim_md;
static struct once claims_compiled = ONCE_INIT;

static void compile_claims(void)
{
	size_t nclaims;
	const struct fmt_claim *claims = fmt_claims(&nclaims);

	for (size_t c = 0; c < nclaims && c < sizeof(claim_re) / sizeof(claim_re[0]); c++)
		claim_re[c] = re_builtin(claims[c].pattern);
}

static void read_claims(const struct doc *doc, struct report *r)
{
	size_t nclaims;
	const struct fmt_claim *claims = fmt_claims(&nclaims);
	unsigned char *seen = xcalloc(nclaims, 1);
	pcre2_match_data *md = re_thread_md(&claim_md, 4);

	once_run(&claims_compiled, compile_claims);
	for (size_t i = 0; i < doc->nlines; i++) {
		char *norm;

		if (!fmt_line_may_claim(doc->lines[i]))
			continue;
		norm = fmt_norm_label(doc->lines[i]);
		size_t len = strlen(norm);

		for (size_t c = 0; c < nclaims && c < sizeof(claim_re) / sizeof(claim_re[0]); c++) {
			PCRE2_SIZE *ov;
			double value = 0;

			if (seen[c] || pcre2_match(claim_re[c], (PCRE2_SPTR)norm, len, 0,
						   PCRE2_NO_UTF_CHECK, md, NULL) < 0)
				continue;
			ov = pcre2_get_ovector_pointer(md);
			if (ov[2] != PCRE2_UNSET) {
				char digits[16];
				size_t dl = ov[3] - ov[2];

				if (dl >= sizeof(digits))
					continue;	/* not a count anyone writes */
				memcpy(digits, norm + ov[2], dl);
				digits[dl] = '\0';
				value = strtod(digits, NULL);
			}
			{
				char *raw = xstrndup(norm + ov[0], ov[1] - ov[0]);

				report_add_claim(r, &claims[c], value, raw);
				free(raw);
			}
			seen[c] = 1;
		}
		free(norm);
	}
	free(seen);
}

void extract_report(const struct doc *doc, int year_hint, struct report *r)
{
	size_t found = 0, nfields = 0;

	if (doc->from_html && doc->nrows)
		found = try_doc(doc, 1, year_hint, r);
	else if (!doc->from_html)
		found = try_doc(doc, 0, year_hint, r);
	if (doc->from_html && !found) {
		/* Tables pasted as paragraphs, one cell per <p>: read the text. */
		struct doc flat;

		text_of_lines(doc, &flat);
		found = try_doc(&flat, 0, year_hint, r);
		doc_release(&flat);
	}
	fmt_fields(r->format, &nfields);
	if (!found) {
		if (r->format != FMT_PRE2019)
			r->format = FMT_UNKNOWN;
		report_set_format(r, r->format);
		r->status = RS_NO_TABLES;
		free(r->missing);
		r->missing = xstrdup("t2; t3; t4");
	} else {
		r->status = found == nfields ? RS_COMPLETE : RS_PARTIAL;
		describe_missing(r);
	}
	read_claims(doc, r);
}
