#ifndef OGI_FORMAT_H
#define OGI_FORMAT_H
/*
 * The national report format as data, written once (see
 * ../shared/spec/report-format.md).  Every canonical key, label and label
 * pattern lives in format.c; the extractor, the warehouse, the checks and
 * the reports read these tables and never re-spell a key.
 *
 * A figure is addressed by (table, row key, column key):
 *   table 2: row "rules", column "issued"    -> public key "rules.issued"
 *   table 3: row "granted", column "total"   -> t3["granted"]["total"]
 *   table 4: row "review", column "upheld"   -> public key "review.upheld"
 */
#include <stddef.h>

enum fmt_version {
	FMT_UNKNOWN = 0,
	FMT_PRE2019 = 1,	/* free-form reports on 2018 and earlier */
	FMT_2019 = 2,		/* 国办公开办函〔2019〕60号 */
	FMT_2021 = 4		/* 国办公开办函〔2021〕30号 */
};

enum value_kind {
	VK_COUNT,	/* non-negative integer */
	VK_SIGNED,	/* signed integer, e.g. 本年增/减 "+19" */
	VK_WAN		/* decimal amount in 万元; "251000元" is converted */
};

/* Row flags: what a row means to the consistency rules. */
enum {
	FR_INFLOW = 1 << 0,	/* new, carried_over: the left side of T3-BALANCE */
	FR_TOTAL = 1 << 1,	/* (七)总计 */
	FR_OUTFLOW = 1 << 2,	/* carried_forward */
	FR_OUTCOME = 1 << 3,	/* an outcome row, summed by T3-OUTCOMES */
	FR_CARRIED_IN = 1 << 4,	/* carried_over: compared by YEAR-CARRY */
	FR_T4 = 1 << 5,		/* a block of table 4 */
	FR_NEEDS_GROUP = 1 << 6	/* its label ("3.其他") names it only under its group's heading */
};

/* Column flags. */
enum {
	FC_APPLICANT = 1 << 0,	/* one of the six applicant columns of table 3 */
	FC_TOTAL = 1 << 1,	/* the total column of table 3 or a table-4 block */
	FC_PART = 1 << 2	/* a table-4 column that adds up to the block total */
};

struct fmt_col {
	const char *key;
	const char *label;
	enum value_kind kind;
	unsigned flags;
};

struct fmt_row {
	int table;		/* 2, 3 or 4 */
	unsigned formats;	/* FMT_2019 | FMT_2021 */
	const char *key;
	const char *label;	/* as printed on the form */
	/*
	 * PCRE2 over a label normalised by fmt_norm_label() and stripped of
	 * annotations; for a table-4 block, over the heading that names it.
	 */
	const char *pattern;
	const char *group;	/* outcome group ("refused", ...) or NULL */
	unsigned flags;		/* FR_* */
	const struct fmt_col *cols;
	size_t ncols;
};

/* One cell of a format: the unit every report value is indexed by. */
struct fmt_field {
	const struct fmt_row *row;
	const struct fmt_col *col;
	int table;
	char key[48];		/* "rules.issued" (t2, t4) or "granted/natural_person" (t3) */
};

/* A figure the narrative text states, compared with the tables by TEXT-TABLE. */
struct fmt_claim {
	const char *key;	/* "granted_partial" */
	const char *pattern;	/* PCRE2; group 1 is the number, absent means 0 */
	const char *rows;	/* space-separated table-3 row keys or "group:" prefixes it sums */
	const char *label;	/* what the text states, for messages */
};

/*
 * A figure derived from table 2: the sum of the fields (space-separated
 * public keys) that the report's format has, e.g. docs_issued.
 */
struct fmt_t2_sum {
	const char *name;
	const char *fields;
};

/* A rate: 100 * the table-3 rows of a claim (fmt_claim.key) / the total row (FR_TOTAL). */
struct fmt_rate {
	const char *name;
	const char *claim;
};

const char *fmt_version_name(enum fmt_version v);	/* "2019", "2021", "pre2019", "unknown" */
enum fmt_version fmt_version_parse(const char *s);	/* FMT_UNKNOWN when not a name */

/* All rows of all tables, in the order they stand on the form. */
const struct fmt_row *fmt_rows(size_t *n);
/* The fields of version v in a stable order (table, row, column); NULL for no tables. */
const struct fmt_field *fmt_fields(enum fmt_version v, size_t *n);
/* Index of (table, row key, col key) among fmt_fields(v), or -1. */
int fmt_field_index(enum fmt_version v, int table, const char *row, const char *col);

/*
 * A figure's full name, "t3.granted.total": table, row and column keys, as
 * ogi show's JSON names provenance and OCR and ogi fix takes it.
 */
#define FMT_PATH_SIZE 128
void fmt_field_path(int table, const char *row, const char *col, char out[FMT_PATH_SIZE]);

/* The table-3 columns, shared by both versions. */
const struct fmt_col *fmt_t3_cols(size_t *n);
const struct fmt_claim *fmt_claims(size_t *n);

/* One name of a list of table-3 rows (fmt_claim.rows): a row key, or an outcome group. */
struct fmt_row_name {
	const char *name;	/* not NUL-terminated: len bytes */
	size_t len;
	int group;		/* "group:<g>": every row of outcome group g */
};

/* Reads the next name of the list at *p into out and moves *p past it; 0 at its end. */
int fmt_next_row_name(const char **p, struct fmt_row_name *out);
/* Whether row is one that n names (a row of table 3 of either format). */
int fmt_row_named(const struct fmt_row *row, const struct fmt_row_name *n);
/* The derived figures of `report volumes` and the view v_volumes, in their column order. */
const struct fmt_t2_sum *fmt_t2_sums(size_t *n);
const struct fmt_rate *fmt_rates(size_t *n);
/* "count", "signed", "amount": how a value of kind k is counted (the codebook). */
const char *fmt_kind_name(enum value_kind k);
/* The unit of a value of kind k: "万元" for amounts, "count" for the others. */
const char *fmt_unit_name(enum value_kind k);
/* Whether a line of text can hold a claim at all: a cheap test before the patterns. */
int fmt_line_may_claim(const char *line);

/*
 * Label matching.  fmt_norm_label() folds full-width ASCII to half-width,
 * （）to (), drops white space (including NBSP and U+3000), quotes and
 * colons; returns a new string the caller frees.
 */
char *fmt_norm_label(const char *label);
/* The row of version v whose pattern matches the normalised label, or NULL. */
const struct fmt_row *fmt_match_row(const char *norm, enum fmt_version v);
/* The same among the rows of one table (2 or 3; 0 for either); table-4 blocks never match. */
const struct fmt_row *fmt_match_row_in(const char *norm, enum fmt_version v, int table);
/*
 * A copy of norm without its bracketed annotations ("规范性文件(行政机关制定
 * 发布的决定、公告等)" -> "规范性文件"), an unclosed one at the end included
 * (a label wrapped onto the next line); enumerators such as "(一)" stay.
 */
char *fmt_strip_annotations(const char *norm);
/*
 * Where in norm a row's label may start, ascending, at most max of them:
 * 0, each enumerator ("(一)", "一、", "1."), and the end of each word that
 * heads the tables' columns and blocks ("对外公开总数量", "信息内容",
 * "第二十条第(一)项" ...).  Text whose cells ran together puts the headings
 * in front of the first row's label.  Returns how many.
 */
size_t fmt_label_starts(const char *norm, size_t *starts, size_t max);
/* Whether norm starts with an enumerator ("(一)", "一、", "1.") at s[0]; its length, or 0. */
size_t fmt_enumerator_at(const char *norm);
/*
 * The report's section a heading opens ("二、主动公开政府信息情况" -> 2),
 * 1 to 6, or 0 when norm starts with none.  fmt_section_table() says which
 * table a section holds: 2, 3, 4, or 0 for the narrative ones.
 */
int fmt_match_section(const char *norm);
int fmt_section_table(int section);
/* The sections whose headings text holds anywhere (text run together too), as bits 1 << section. */
unsigned fmt_sections_in(const char *text);
/*
 * The table-4 block the last block heading in norm names (its index among
 * the FR_T4 rows: 0 review, 1 suit_direct, 2 suit_after_review), or -1.
 */
int fmt_t4_block(const char *norm);
/* The outcome group ("refused", "unable", "rejected", "other") a label opens, or NULL. */
const char *fmt_match_group(const char *norm);
/* +1 per label marker of the 2021 format, -1 per marker of 2019; 0 if neither. */
int fmt_version_vote(const char *norm);
/* Whether the label heads table 4 (行政复议 / 行政诉讼). */
int fmt_is_t4_marker(const char *norm);

/*
 * The form's words in their short forms, for tables, charts and findings
 * written for people (defined here once; the reports never spell them):
 *   fmt_short_label("granted")        "予以公开"   (a table-3 row)
 *   fmt_short_label("refused")        "不予公开"   (an outcome group)
 *   fmt_short_label("new")            "新收"
 *   fmt_short_label("refused.state_secret")  "属于国家秘密" (the label without its number)
 *   fmt_short_label("review")         "行政复议"   (a table-4 block)
 * NULL for a key that is neither a row nor a group of the form.
 */
const char *fmt_short_label(const char *key);
/* An outcome group's heading as printed: "（三）不予公开"; NULL for no such group. */
const char *fmt_group_label(const char *group);
/* A column's label ("自然人", "结果维持") by its key in table 3 or 4; NULL when none. */
const char *fmt_col_label(int table, const char *key);

/* The headings the form prints above and beside the tables' cells. */
enum fmt_heading {
	FH_T2_ITEM,		/* 信息内容: the stub of each block of table 2 */
	FH_T3_NOTE,		/* table 3's top-left cell: the balance its columns keep */
	FH_T3_APPLICANT,	/* 申请人情况 */
	FH_T3_ORGS,		/* 法人或其他组织: over the five organisation columns */
	FH_T3_OUTCOMES,		/* 三、本年度办理结果: beside the outcome rows and the total */
	FH_T4_SUIT,		/* 行政诉讼: over the two lawsuit blocks */
	FH_SECTION2,		/* the headings of the sections that hold tables 2, 3 and 4 */
	FH_SECTION3,
	FH_SECTION4
};
const char *fmt_heading(enum fmt_heading h);

/* Frees compiled patterns (for leak checkers); optional. */
void fmt_cleanup(void);

#endif
