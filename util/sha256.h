#ifndef OGI_SHA256_H
#define OGI_SHA256_H
/*
 * SHA-256 (FIPS 180-4), for content-addressing stored pages: OpenSSL's
 * libcrypto, already loaded through libcurl, does it at memory speed.
 * Nothing is allocated, so there is nothing to release.
 */
#include <stddef.h>

#define SHA256_LEN 32		/* bytes of a digest */
#define SHA256_HEX_LEN 65	/* lowercase hex digest plus the NUL */

/* The digest of data[0..len) (data may be NULL when len is 0). */
void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);
/* Formats a digest as 64 lowercase hex digits and a NUL. */
void sha256_to_hex(const unsigned char digest[SHA256_LEN], char out[SHA256_HEX_LEN]);
/* The lowercase hex digest of data[0..len) in one call. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN]);

#endif
