#ifndef OGI_ESCAPE_H
#define OGI_ESCAPE_H
/*
 * Escaping text for the output formats.  Each function appends to b and
 * returns 0, or -1 when b would exceed its maximum (b then holds a
 * prefix of the escaped text; discard it).  s is a NUL-terminated string
 * that may hold any bytes, including invalid UTF-8 from a scraped page.
 */
#include "util/buf.h"

/*
 * Appends s as a JSON string literal, with its double quotes.  '"' and
 * '\\' are backslash-escaped; \b \f \n \r \t use their short forms and the
 * other control characters (< 0x20) \u00XX; DEL and valid UTF-8 pass
 * through unchanged; each byte that is not part of a valid UTF-8 sequence
 * becomes U+FFFD, so the output is always valid UTF-8 and valid JSON.
 */
int esc_json_string(struct buf *b, const char *s);

/*
 * Appends s with & < > " ' replaced by entities (&amp; &lt; &gt; &quot;
 * &#39;), safe in element content and in quoted attribute values.  Invalid
 * UTF-8 bytes become U+FFFD, as in esc_json_string().
 */
int esc_html(struct buf *b, const char *s);

/*
 * Appends s as one CSV field (RFC 4180).  The field is put in double quotes,
 * with each '"' doubled, when it contains ',' '"' CR or LF, or begins or
 * ends with a space.  Bytes pass through unchanged otherwise (no UTF-8
 * repair: CSV is for data, and the reader decides).
 *
 * Formula-injection guard: a spreadsheet runs a cell beginning with
 * = + - @ TAB or CR as a formula (a hostile page could put
 * "=HYPERLINK(...)" in a table).  Such a field gets a leading single quote
 * ('), which spreadsheets hide and which keeps the text literal, unless
 * the whole field is a plain number ("-3", "+1.5", "-2.5e-3"), which is
 * left alone so that negative figures stay numbers.  A consumer reading
 * the CSV as data will see the quote: that is the price of opening safely
 * in Excel.
 */
int esc_csv_field(struct buf *b, const char *s);

#endif
