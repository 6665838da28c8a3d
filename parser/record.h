#ifndef OGI_RECORD_H
#define OGI_RECORD_H
/*
 * A table row as a page shows it, before the form is applied: the label
 * pieces in front of it and the value cells after them, each with where it
 * stands.  HTML grid rows (extract.c) and text tables in any of their
 * published layouts (texttable.c) both come to this one row model;
 * assign.c puts the records onto the form.
 */
#include <stddef.h>

struct rec_label {
	char *norm;		/* fmt_norm_label() of the piece */
	int line;		/* text: its 1-based line; 0 in HTML */
	/* Several headings on one line ("结果维持 结果纠正 ..."): names no row by itself. */
	unsigned char multi;
	int region;		/* the section it stands in: 2, 3, 4; 0 prose; -1 unknown */
};

struct rec_value {
	const char *text;	/* the cell as published; NULL: a blank cell the layout shows */
	int col;		/* HTML: grid column; text: place among its line's cells */
	int line;		/* text: 1-based line; 0 in HTML */
	/* text: empty lines just before it when it starts its line, else -1 */
	int gap;
};

struct rec {
	struct rec_label *labels;
	size_t nlabels, alabels;
	struct rec_value *values;
	size_t nvalues, avalues;
	/* A row of headings: labels only, several cells.  Names no row, opens no group. */
	unsigned char header;
	int table, row;		/* HTML: the table and its grid row; -1 in text */
	int region;		/* text: the section its values stand in (as rec_label.region) */
	/* text: empty lines after its last value when the next item starts a line, else -1 */
	int gap_after;
};

/* Records in page order; strings the text reader cuts out are owned by the pool. */
struct recs {
	struct rec *v;
	size_t n, alloc;
	char **pool;
	size_t npool, apool;
};

void recs_release(struct recs *rs);
/* A new, empty record at the end (text: table and row -1, gap_after -1). */
struct rec *recs_add(struct recs *rs);
/* Appends a label piece; takes norm (xmalloc'd). */
void rec_add_label(struct rec *r, char *norm, int line, int multi, int region);
void rec_add_value(struct rec *r, const char *text, int col, int line, int gap);
/*
 * Whether a text cell (num_is_value() false) standing where a row's counts
 * stand, before the first of them, reads as that count cell's text (a
 * word, a mark, OCR's "?") rather than a piece of the row's label: at most
 * REC_COUNT_TEXT_CHARS characters, max_han of them Han, no enumerator, no
 * unit or heading of its own, and nothing the form names (a row, a group,
 * a section, table 4's headings).  After a row's first count every cell
 * is a count: this is for the cells the row's grid alone cannot place.
 */
#define REC_COUNT_TEXT_CHARS 8
int rec_count_text(const char *cell, size_t max_han);
/* A copy of s[0..n) that lives as long as rs. */
const char *recs_keep(struct recs *rs, const char *s, size_t n);

#endif
