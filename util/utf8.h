#ifndef OGI_UTF8_H
#define OGI_UTF8_H
/* UTF-8 decoding, validation and terminal display width. */
#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one code point at *p (never reading at or past end) into *cp and
 * advances *p.  Returns 0, or -1 on an invalid, overlong, surrogate or
 * truncated sequence, leaving *p where it was.
 */
int utf8_decode(const char **p, const char *end, uint32_t *cp);
/* Writes cp (<= 0x10FFFF) as UTF-8 into out[4]; returns the byte count. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Length of the longest valid UTF-8 prefix of s[0..n). */
size_t utf8_valid_prefix(const char *s, size_t n);
/* Columns a terminal uses for cp: 2 for East Asian wide/full-width, 0 for combining, else 1. */
int utf8_cp_width(uint32_t cp);
/* Display width of a NUL-terminated UTF-8 string; invalid bytes count 1. */
size_t utf8_width(const char *s);

#endif
