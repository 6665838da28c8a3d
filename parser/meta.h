#ifndef OGI_META_H
#define OGI_META_H
/*
 * Who published a report, for which year and when: read from the page
 * title, headings and the first lines of text.  Also the body's level and
 * parent as far as its name tells them.
 */
#include "parser/doc.h"

#include "form/report.h"

struct meta {
	char *organization;	/* "晋江市龙湖镇人民政府" */
	char *title;		/* the report's own title, site suffix removed */
	char *published;	/* YYYY-MM-DD */
	int year;		/* the year reported on, 0 if unknown */
	enum report_source organization_from, year_from;
	/* Evidence of a report where no table is readable: */
	enum report_source title_from;	/* where the report's title was read; RSRC_NONE: none */
	unsigned char has_period;	/* the statistics-period sentence ("统计期限自...") */
};

void meta_init(struct meta *m);
void meta_release(struct meta *m);
/*
 * Fills m from the page title and the first lines (dates also from the last
 * ten lines), replacing what m held; fields stay NULL / 0 when not found.
 */
void meta_detect(const struct doc *doc, struct meta *m);

/* "township", "county", "city", "province", "department" or NULL. */
const char *meta_level_from_name(const char *name);
/* The parent place named by the prefix ("晋江市龙湖镇人民政府" -> "晋江市"), or NULL; caller frees. */
char *meta_parent_from_name(const char *name);

/* Frees the compiled patterns (for leak checkers); optional, detection may resume after it. */
void meta_cleanup(void);

#endif
