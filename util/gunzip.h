#ifndef OGI_GUNZIP_H
#define OGI_GUNZIP_H
/*
 * gzip files (RFC 1952) served as they are, not as a Content-Encoding:
 * sitemap.xml.gz.  Bounded: at most max bytes come out.
 */
#include <stddef.h>

/* 1 when p starts as a gzip file does (1f 8b). */
int gunzip_sniff(const char *p, size_t n);

/*
 * Inflates the gzip data in [p, p+n) (several members are read one after
 * the other) into *out (malloc'd, NUL-terminated), *outlen its length.
 * 0, or -1 for damaged data or more than max bytes (*out NULL).
 */
int gunzip(const char *p, size_t n, size_t max, char **out, size_t *outlen);

#endif
