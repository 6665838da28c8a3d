#ifndef OGI_WORDS_H
#define OGI_WORDS_H
/*
 * What people read: the names of columns, measures, kinds and statuses in
 * the form's own Chinese words (or the canonical keys with --lang en), and
 * numbers as a reader writes them: counts as integers with thousands
 * separators from 10,000, rates to one decimal with "%".  The form's
 * labels come from the format table (fmt_short_label() and friends);
 * this module names only what the form does not: the report's own
 * columns (单位, 年度, ...) and the rates.  Data formats (CSV, JSON) keep
 * the keys and plain numbers; these words are for text and HTML.
 */
#include "util/buf.h"

enum rlang {
	RL_ZH = 0,	/* the form's words (default) */
	RL_EN		/* the canonical keys */
};

/* "zh" or "en" into *out: 0, or -1 for anything else. */
int words_lang_parse(const char *s, enum rlang *out);

/*
 * The heading of a column named key ("organization", "grant_pct",
 * "new_natural_person", "refused", ...) in lang: a report column's
 * Chinese name, else the form's short label of the key, else key itself.
 * The string is static or owned by the format table.
 */
const char *words_column(const char *key, enum rlang lang);

/* A status or kind value ("no report", "contradiction", "township") in lang; else s. */
const char *words_value(const char *s, enum rlang lang);

/*
 * Appends v as a count: an integer ("1,234,567" from 10,000 on), or up to
 * two decimals when v is not whole (万元 amounts); "–" for NaN.  0 or -1.
 */
int words_count(struct buf *b, double v);
/* Appends v as a rate: one decimal and "%" ("33.3%"); "–" for NaN.  0 or -1. */
int words_pct(struct buf *b, double v);

#endif
