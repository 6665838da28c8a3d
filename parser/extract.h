#ifndef OGI_EXTRACT_H
#define OGI_EXTRACT_H
/*
 * struct doc to figures: finds the rows of tables 2, 3 and 4 by their
 * labels (form/format.c patterns), reads their cells, decides the format
 * version from the labels, and sets the report's status and what is
 * missing.  Also reads the figures the narrative states (fmt_claims()).
 */
#include "parser/doc.h"
#include "form/report.h"

/*
 * Fills r->format, r->values, r->status, r->missing and r->claims from doc.
 * year_hint (0 if unknown) decides the format only when no label does.
 */
void extract_report(const struct doc *doc, int year_hint, struct report *r);

#endif
