#ifndef OGI_SHA256_H
#define OGI_SHA256_H
/*
 * SHA-256 (FIPS 180-4), for content-addressing stored pages.  Incremental:
 * init, any number of updates, final; or one call for a whole buffer.
 * Nothing is allocated, so there is nothing to release.
 */
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32		/* bytes of a digest */
#define SHA256_HEX_LEN 65	/* lowercase hex digest plus the NUL */

struct sha256_ctx {
	uint32_t h[8];
	uint64_t nbytes;	/* message length so far */
	unsigned char block[64];
	size_t nblock;		/* bytes waiting in block */
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Writes the digest; c must be initialised again before reuse. */
void sha256_final(struct sha256_ctx *c, unsigned char out[SHA256_LEN]);

/* The digest of data[0..len) in one call. */
void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);
/* Formats a digest as 64 lowercase hex digits and a NUL. */
void sha256_to_hex(const unsigned char digest[SHA256_LEN], char out[SHA256_HEX_LEN]);
/* The lowercase hex digest of data[0..len) in one call. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN]);

#endif
