#include "parser/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/assign.h"
#include "parser/number.h"
#include "parser/record.h"
#include "parser/texttable.h"
#include "util/buf.h"
#include "util/once.h"
#include "util/re.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Labels longer than this are prose, not row labels: not worth matching. */
#define MAX_LABEL_BYTES 400

/*
 * Whether cell c of row i goes on into the next grid row (a rowspan or a
 * vertical merge): that row then holds a carried cell in the same column.
 */
static int spans_down(const struct doc *doc, size_t i, size_t c)
{
	const struct doc_row *row = &doc->rows[i], *next = i + 1 < doc->nrows ? row + 1 : NULL;

	if (!next || next->table != row->table || next->row != row->row + 1 || !next->carried ||
	    !row->cols || !next->cols)
		return 0;
	for (size_t k = 0; k < next->ncells; k++)
		if (next->cols[k] == row->cols[c])
			return next->carried[k];
	return 0;
}

/* Grid columns past this are all alike for finding where a table's counts start. */
#define MAX_START_COL 64

/*
 * Per table, the grid column its counts start in: the leftmost column that
 * holds a number, after a label, in at least a quarter as many rows as the
 * column that holds most (count cells holding text do not move it, nor
 * does one odd row; label columns hold none); -1 when no row has one.  A
 * text cell from there on, in a row of counts, is a count cell that holds
 * text, not a label.
 */
static int *count_starts(const struct doc *doc, enum num_result *const *cls)
{
	int *start = xmalloc((doc->ntables ? doc->ntables : 1) * sizeof(*start));
	unsigned *votes = xcalloc((doc->ntables ? doc->ntables : 1) * MAX_START_COL, sizeof(*votes));

	for (size_t i = 0; i < doc->nrows; i++) {
		const struct doc_row *row = &doc->rows[i];
		int label = 0;

		if (row->table < 0 || (size_t)row->table >= doc->ntables)
			continue;
		for (size_t c = 0; c < row->ncells; c++) {
			int col = row->cols ? row->cols[c] : (int)c;

			if (cls[i][c] == NUM_VALUE) {
				if (label && col < MAX_START_COL)
					votes[(size_t)row->table * MAX_START_COL + (size_t)col]++;
			} else if (cls[i][c] == NUM_TEXT && !label) {
				label = 1;
			}
		}
	}
	for (size_t t = 0; t < doc->ntables; t++) {
		const unsigned *v = votes + t * MAX_START_COL;
		unsigned most = 0;

		for (int col = 0; col < MAX_START_COL; col++)
			if (v[col] > most)
				most = v[col];
		start[t] = -1;
		for (int col = 0; col < MAX_START_COL && most && start[t] < 0; col++)
			if (v[col] && v[col] * 4 >= most)
				start[t] = col;
	}
	free(votes);
	return start;
}

/*
 * Whether text cell c of a row stands among its counts: after the row's
 * first number (fv, the cell index, or -1), or before it but where the
 * table's counts start (start) in a row with a label left of there
 * (labelled), and reading as a count cell's text (rec_count_text()).  A
 * count cell that holds text ("不详", "?", a stray word) keeps its column:
 * it is that column's invalid value, not a label that shifts the row's
 * counts.
 */
static int count_cell(const struct doc_row *row, size_t c, long fv, int start, int labelled)
{
	int col = row->cols ? row->cols[c] : (int)c;

	if (fv < 0)
		return 0;	/* no count in the row: labels or headings */
	if ((long)c > fv)
		return start < 0 || (row->cols ? row->cols[fv] : (int)fv) >= start;
	return start >= 0 && col >= start && labelled &&
	       rec_count_text(row->cells[c], REC_COUNT_TEXT_CHARS);
}

/*
 * Each grid row a record: its label cells (rowspan labels carried down
 * included) and its value cells (not those carried down: a value belongs
 * to the row it starts in), each value with its grid column.  A blank cell
 * that spans rows is no value either: it is a label cell left empty, as
 * where a table was split through a merged label (Word leaves the lower
 * part empty).  A text cell among the counts is a value (count_cell()).
 * A row of labels only, two or more, is a row of headings.
 */
/*
 * What each grid cell reads as (num_parse(), counts in 万元 aside: a unit
 * changes a value, not whether it is one), cls[row][cell], read once for
 * count_starts() and grid_records(); free the result, one block.
 */
static enum num_result **cell_classes(const struct doc *doc)
{
	size_t ncells = 0;
	enum num_result **cls, *p;

	for (size_t i = 0; i < doc->nrows; i++)
		ncells += doc->rows[i].ncells;
	cls = xmalloc(doc->nrows * sizeof(*cls) + ncells * sizeof(**cls) + 1);
	p = (enum num_result *)(void *)(cls + doc->nrows);
	for (size_t i = 0; i < doc->nrows; i++) {
		cls[i] = p;
		for (size_t c = 0; c < doc->rows[i].ncells; c++)
			*p++ = num_parse(doc->rows[i].cells[c], VK_WAN, &(double){ 0 });
	}
	return cls;
}

static void grid_records(const struct doc *doc, struct recs *rs)
{
	enum num_result **cls = cell_classes(doc);
	int *start = count_starts(doc, cls);

	for (size_t i = 0; i < doc->nrows; i++) {
		const struct doc_row *row = &doc->rows[i];
		struct rec *rec = recs_add(rs);
		int tstart = row->table >= 0 && (size_t)row->table < doc->ntables ? start[row->table] : -1;
		long fv = -1;
		int labelled = 0;

		rec->table = row->table;
		rec->row = row->row;
		for (size_t c = 0; c < row->ncells && fv < 0; c++) {
			if (cls[i][c] == NUM_VALUE)
				fv = (long)c;
			else if ((row->cols ? row->cols[c] : (int)c) < tstart &&
				 cls[i][c] == NUM_TEXT)
				labelled = 1;
		}
		for (size_t c = 0; c < row->ncells; c++) {
			const char *cell = row->cells[c];
			int carried = row->carried && row->carried[c];

			if (cls[i][c] == NUM_TEXT) {
				if (count_cell(row, c, fv, tstart, labelled)) {
					if (!carried)
						rec_add_value(rec, cell, row->cols ? row->cols[c] : (int)c,
							      0, -1);
				} else if (strlen(cell) <= MAX_LABEL_BYTES) {
					rec_add_label(rec, fmt_norm_label(cell), 0, 0, -1);
				}
			} else if (!carried && !(cls[i][c] == NUM_BLANK && spans_down(doc, i, c))) {
				rec_add_value(rec, cell, row->cols ? row->cols[c] : (int)c, 0, -1);
			}
		}
		rec->header = !rec->nvalues && rec->nlabels >= 2;
	}
	free(start);
	free(cls);
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

/* Reads doc's tables, its grids or else its text; returns how many fields were found. */
static size_t read_doc(const struct doc *doc, int grids, int year_hint, struct report *r)
{
	struct recs rs = { 0 };
	size_t found;

	if (grids)
		grid_records(doc, &rs);
	else
		texttable_read(doc, &rs);
	found = assign_records(&rs, year_hint, r);
	recs_release(&rs);
	return found;
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
		found = read_doc(doc, 1, year_hint, r);
	if (!found)
		found = read_doc(doc, 0, year_hint, r);	/* text, or tables pasted as paragraphs */
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
