#ifndef OGI_REPORT_H
#define OGI_REPORT_H
/*
 * One annual report as read from a page: who published it, for which year,
 * in which format, and every figure of tables 2, 3 and 4 under the
 * canonical keys of form/format.h.  A report owns all its strings.
 *
 * form/ is the bottom layer every other folder shares (the report struct,
 * the format table, the rules): it includes nothing but util/ and the C
 * library, and knows no bytes, SQL or HTTP.
 */
#include <stddef.h>

#include "form/format.h"

enum report_status {
	RS_COMPLETE,	/* every field of tables 2, 3 and 4 was read */
	RS_PARTIAL,	/* some tables or rows are missing: see report.missing */
	RS_NO_TABLES	/* no readable table (images, attachment only, free text) */
};

enum value_state {
	VAL_ABSENT = 0,	/* not found on the page: never counted as 0 */
	VAL_BLANK,	/* the cell is there and empty */
	VAL_NUMBER,	/* a number, normalised into num */
	VAL_INVALID	/* the cell holds text that is not a number */
};

/* How a figure's row was known: the evidence a supervisor weighs before trusting a flag. */
enum value_how {
	HOW_NONE = 0,	/* absent, or a report stored before provenance was kept */
	HOW_LABEL,	/* the row's own label names it */
	HOW_ORDER,	/* an unlabelled row, placed by the form's order between labelled ones */
	HOW_FIX		/* a reviewer's fix (ogi fix) stands for what the parser read */
};

/*
 * Where a figure stands on the page.  An HTML table cell: table (0-based
 * index among the page's tables), row and col of the expanded grid
 * (0-based), line 0.  Text: table -1, row -1, line the 1-based line of the
 * text it stands on, col its column in the row as read (0-based).
 */
struct value_src {
	int table;
	int row;
	int col;
	int line;
};

/*
 * A figure read from a picture by OCR (parser/imgtable.h): the picture
 * ("page 2" of a scanned PDF, a picture's URL or path), the cell's box
 * there in pixels (of the picture as straightened), Tesseract's confidence
 * (0-100), and whether the figure is uncertain: neither the form's
 * arithmetic (a row, column or block total that holds with it) nor a high
 * confidence where no rule reads it vouches for it (check_ocr()).
 */
struct value_ocr {
	unsigned char read;	/* 1 when the figure was read by OCR */
	unsigned char uncertain;
	char *image;
	int x, y, w, h;
	float conf;
};

struct report_value {
	enum value_state state;
	double num;
	char *raw;		/* the cell's text as published (NULL when absent) */
	enum value_how how;
	/*
	 * 1 when the cell's bounds were not printed but inferred: digits of a
	 * row that ran together split by the form's arithmetic, or a blank cell
	 * placed from the layout (empty lines, a row with fewer digits than cells).
	 */
	unsigned char inferred;
	struct value_src src;
	struct value_ocr ocr;
};

/* A figure the narrative text states (see fmt_claims()). */
struct report_claim {
	const struct fmt_claim *claim;
	double value;
	char *raw;		/* the sentence fragment it was read from */
};

/* Where the body or the year of a report was read: ogi show says it, weak guesses stand out. */
enum report_source {
	RSRC_NONE = 0,	/* not found */
	RSRC_TITLE,	/* the report's own title (page title, CMS title field, heading) */
	RSRC_HEADING,	/* the head lines of the text, alone or joined */
	RSRC_SENTENCE,	/* a sentence: the title announced, the statistics period */
	RSRC_ISSUER,	/* a publisher, compiler or contact line, CMS metadata */
	RSRC_SIGNATURE,	/* the signature block at the end */
	RSRC_PROSE,	/* a name or year in the running text */
	RSRC_SEED,	/* the crawl seed's body: the page names none */
	RSRC_GIVEN,	/* given on the command line (ingest --org) */
	RSRC_LINK	/* the text of the link (or the file name) that led to a file with no text */
};

/* Why a report has no readable table, when that is known. */
enum report_reason {
	RREASON_NONE = 0,
	/*
	 * Its tables are images: a scanned PDF (pages without a text layer),
	 * or a page that shows images where the tables would be, before its
	 * pictures are read with it (parser/parse.h, parse_input.pictures).
	 */
	RREASON_IMAGE
};

struct report {
	char *organization;
	enum report_source organization_from;
	enum report_source year_from;
	char *publisher;	/* who published the page (a crawl seed's body), or NULL */
	char *level;		/* province, city, county, township, department, or NULL */
	char *parent;		/* e.g. "晋江市", or NULL */
	char *title;
	char *published;	/* YYYY-MM-DD or NULL */
	char *charset;		/* the page's encoding as detected */
	int year;		/* 0 when unknown */
	enum fmt_version format;
	enum report_status status;
	enum report_reason reason;	/* with RS_NO_TABLES; RREASON_NONE otherwise */
	char *missing;		/* what could not be read, e.g. "t4; t3:total", or NULL */
	struct report_value *values;	/* indexed like fmt_fields(format) */
	size_t nvalues;
	struct report_claim *claims;
	size_t nclaims;
	/*
	 * A page whose tables are pictures: the src of each (as the page writes
	 * it, in order, at most 16), for a crawl to fetch and the pipeline to
	 * read with the page (parse_input.pictures).  Not stored.
	 */
	char **pictures;
	size_t npictures;
};

const char *report_status_name(enum report_status s);	/* "complete", "partial", "no_tables" */
int report_status_parse(const char *s, enum report_status *out);
/*
 * "title", "heading", "sentence", "issuer", "signature", "prose", "seed",
 * "given", "link"; NULL for none.
 */
const char *report_source_name(enum report_source s);
/* RSRC_NONE when s names no source. */
enum report_source report_source_parse(const char *s);
/* "image"; NULL for RREASON_NONE. */
const char *report_reason_name(enum report_reason r);
enum report_reason report_reason_parse(const char *s);	/* RREASON_NONE when not a name */
/* "label", "order", "fix"; NULL for HOW_NONE. */
const char *value_how_name(enum value_how h);
enum value_how value_how_parse(const char *s);	/* HOW_NONE when not a name */

void report_init(struct report *r);
/* Frees everything r owns; r can be reused after report_init(). */
void report_release(struct report *r);
/* Sizes r->values for version v (all VAL_ABSENT), dropping any old values. */
void report_set_format(struct report *r, enum fmt_version v);
/* The value at (table, row, col), or NULL when the format has no such field. */
const struct report_value *report_get(const struct report *r, int table, const char *row,
				      const char *col);
/*
 * Sets field i of r's format; takes a copy of raw.  Its provenance is
 * reset (HOW_NONE, src all -1 but line 0, no OCR): set it on r->values[i] after.
 */
void report_set_value(struct report *r, size_t i, enum value_state st, double num,
		      const char *raw);
void report_add_claim(struct report *r, const struct fmt_claim *c, double value, const char *raw);

#endif
