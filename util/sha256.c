#include "util/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/banned.h"

void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN])
{
	static const unsigned char empty[1];
	unsigned int n = SHA256_LEN;

	/* Fails only without memory or a broken libcrypto: nothing can go on then. */
	if (!EVP_Digest(len ? data : empty, len, out, &n, EVP_sha256(), NULL) || n != SHA256_LEN) {
		fputs("ogi: SHA-256 failed (libcrypto)\n", stderr);
		abort();
	}
}

void sha256_to_hex(const unsigned char digest[SHA256_LEN], char out[SHA256_HEX_LEN])
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < SHA256_LEN; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * SHA256_LEN] = '\0';
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN])
{
	unsigned char d[SHA256_LEN];

	sha256(data, len, d);
	sha256_to_hex(d, out);
}
