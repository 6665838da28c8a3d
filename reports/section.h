#ifndef OGI_SECTION_H
#define OGI_SECTION_H
/*
 * What every report builder produces: a section with its table (the data,
 * in any output format), a note saying what the figures mean, and, when
 * asked for, its charts as inline SVG.  The CLI writes one or several
 * sections in the format the user chose.
 */
#include <stdio.h>

#include "util/buf.h"
#include "util/table.h"

/* A file that goes with a page: the data behind a chart, as CSV. */
struct rfile {
	char *name;		/* path from the site's root: "data/index-new.csv" */
	struct buf data;
};

struct rsection {
	const char *id;		/* "volumes": JSON key and HTML anchor; static */
	const char *title;	/* static */
	struct buf note;	/* plain text, escaped on output */
	struct table *table;	/* owned */
	struct buf charts;	/* figures from reports/charts.c (text escaped there) */
	struct rfile *files;	/* the charts' data (a site writes them; a page drops them) */
	size_t nfiles, alloc_files;
};

/* Adds a file named name (copied) to s; returns its buffer to fill. */
struct buf *rsection_add_file(struct rsection *s, const char *name);

/* An empty section with an empty table. */
void rsection_init(struct rsection *s, const char *id, const char *title);
void rsection_release(struct rsection *s);

/*
 * Writes sections s[0..n) to out in format f (flags: TABLE_*):
 *   TF_TEXT  the table; with several sections each under a "== title ==" line
 *   TF_CSV   the table of a single section (n must be 1)
 *   TF_JSON  the table's array; several sections: an object keyed by id
 *   TF_HTML  one self-contained page (html_write_page()) framed by fr
 * Returns 0, -1 on a write error, -2 when f cannot hold n sections.
 */
struct html_frame;
int rsection_write(FILE *out, const struct rsection *s, size_t n, enum table_format f,
		   unsigned flags, const struct html_frame *fr);

#endif
