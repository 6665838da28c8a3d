#ifndef OGI_ESCAPE_H
#define OGI_ESCAPE_H
/*
 * Escaping text for the output formats.  Each function appends to b and
 * returns 0, or -1 when b would exceed its maximum (b then holds a
 * prefix of the escaped text; discard it).  s is a NUL-terminated string
 * that may hold any bytes, including invalid UTF-8 from a scraped page.
 *
 * Terminal safety is decided here, once, by esc_unsafe(): a scraped title
 * can hold ESC sequences (colours, cursor moves, a retitled window, OSC 8
 * links) or bidi overrides that make text read backwards.  Every output
 * layer strips or escapes what it names: text tables (util/table.c),
 * lines the CLI prints (cli_printf, cli_error: esc_text), CSV and HTML
 * (esc_text inside esc_csv_field and esc_html), JSON (esc_json_string:
 * \uXXXX escapes, so the data survives and the bytes never reach a
 * terminal).
 */
#include <stdint.h>

#include "util/buf.h"

enum esc_class {
	ESC_SAFE = 0,
	ESC_CONTROL,	/* C0 (U+0000-001F), DEL, C1 (U+0080-009F), U+2028, U+2029 */
	ESC_INVISIBLE	/* bidi formatting: U+061C, U+200E, U+200F, U+202A-202E, U+2066-2069 */
};

/* What code point cp is to a terminal (enum esc_class). */
enum esc_class esc_unsafe(uint32_t cp);

/* esc_text: keep TAB and LF (lines, CSV fields) instead of making them spaces. */
#define ESC_KEEP_TAB_LF 0x1u

/*
 * Appends s made safe for a terminal: ESC_CONTROL characters become a
 * space (so "a\tb" stays two words and an ESC sequence loses its ESC),
 * ESC_INVISIBLE ones are dropped, and bytes that are not valid UTF-8
 * become U+FFFD (a lone 0x9B is CSI to an 8-bit terminal).
 */
int esc_text(struct buf *b, const char *s, unsigned flags);

/*
 * Appends s as a JSON string literal, with its double quotes.  '"' and
 * '\\' are backslash-escaped; \b \f \n \r \t use their short forms and the
 * other control characters (< 0x20) \u00XX; the other characters
 * esc_unsafe() names (DEL, C1, U+2028/2029, bidi controls) are escaped as
 * \uXXXX too; the rest of valid UTF-8 passes through unchanged; each byte
 * that is not part of a valid UTF-8 sequence becomes U+FFFD, so the output
 * is always valid UTF-8 and valid JSON, and holds no byte a terminal acts on.
 */
int esc_json_string(struct buf *b, const char *s);

/*
 * Appends s with & < > " ' replaced by entities (&amp; &lt; &gt; &quot;
 * &#39;), safe in element content and in quoted attribute values, after
 * esc_text(ESC_KEEP_TAB_LF): controls become spaces, bidi controls are
 * dropped, invalid UTF-8 bytes become U+FFFD.
 */
int esc_html(struct buf *b, const char *s);

/*
 * Appends p[0..n) in base64 (RFC 4648, with padding): bytes embedded in a
 * page as a data: URI, which can hold nothing but its alphabet.
 */
int esc_base64(struct buf *b, const void *p, size_t n);

/*
 * Appends s as one CSV field (RFC 4180), after esc_text(ESC_KEEP_TAB_LF):
 * TAB and LF stay (a quoted field may hold lines), the other controls (CR
 * included) become spaces, bidi controls are dropped and invalid UTF-8
 * bytes become U+FFFD, so a CSV shown in a terminal or a spreadsheet is
 * what the page said, not what its escape sequences make of the screen.
 * The field is put in double quotes, with each '"' doubled, when it
 * contains ',' '"' or LF, or begins or ends with a space.
 *
 * Formula-injection guard: a spreadsheet runs a cell beginning with
 * = + - @ or TAB as a formula (a hostile page could put
 * "=HYPERLINK(...)" in a table).  Such a field gets a leading single quote
 * ('), which spreadsheets hide and which keeps the text literal, unless
 * the whole field is a plain number ("-3", "+1.5", "-2.5e-3"), which is
 * left alone so that negative figures stay numbers.  A consumer reading
 * the CSV as data will see the quote: that is the price of opening safely
 * in Excel.
 */
int esc_csv_field(struct buf *b, const char *s);

#endif
