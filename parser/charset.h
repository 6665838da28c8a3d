#ifndef OGI_CHARSET_H
#define OGI_CHARSET_H
/*
 * A page's bytes to UTF-8.  Evidence in order: a BOM, the HTTP
 * Content-Type charset, a <meta> charset in the first 64 KiB, UTF-8
 * validity, then GB18030 (GB2312 and GBK are read as GB18030, a superset).
 * Invalid sequences become U+FFFD; nothing is silently dropped or cut.
 */
#include <stddef.h>

#include "util/err.h"

/* Canonical name of the encoding chosen ("UTF-8", "GB18030", ...). */
struct charset_result {
	char name[32];
	const char *evidence;	/* "bom", "content-type", "meta", "valid-utf8", "fallback" */
	size_t replaced;	/* invalid sequences replaced by U+FFFD */
};

/*
 * Converts bytes to a NUL-terminated UTF-8 string in *out (caller frees),
 * its length in *outlen.  content_type may be NULL.  Fails only on an
 * unknown declared charset that iconv cannot open and on size limits.
 */
int charset_to_utf8(const char *bytes, size_t len, const char *content_type, char **out,
		    size_t *outlen, struct charset_result *res, struct err *err);

/* The charset named in a Content-Type header value or <meta> tag text, or 0. */
int charset_from_content_type(const char *ct, char *name, size_t namesz);
int charset_sniff_meta(const char *bytes, size_t len, char *name, size_t namesz);

#endif
