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
	/*
	 * "bom", "content-type", "meta", "valid-utf8", "fallback"; a declared
	 * charset iconv does not know reads as "valid-utf8 (unknown declared
	 * charset)" or "fallback (unknown declared charset)".  Static strings.
	 */
	const char *evidence;
	size_t replaced;	/* invalid sequences (and NULs) replaced by U+FFFD */
};

/*
 * Converts bytes to a NUL-terminated UTF-8 string in *out (caller frees),
 * its length in *outlen; a UTF-8 BOM is not copied.  content_type may be
 * NULL.  A declared GBK-family or ASCII/Latin-1 charset on bytes that are
 * valid UTF-8 with non-ASCII characters is taken for a mislabel (UTF-8);
 * otherwise the declaration wins.  An unknown declared charset falls back
 * to sniffing.  Fails only over the size limit (64 MiB, OGI_ETOOBIG).
 */
int charset_to_utf8(const char *bytes, size_t len, const char *content_type, char **out,
		    size_t *outlen, struct charset_result *res, struct err *err);

/*
 * The charset label named in a Content-Type header value, or in a <meta>
 * within the first 64 KiB of a page, copied into name: 1, or 0 if none.
 */
int charset_from_content_type(const char *ct, char *name, size_t namesz);
int charset_sniff_meta(const char *bytes, size_t len, char *name, size_t namesz);

#endif
