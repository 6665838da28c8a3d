/*
 * libFuzzer target for parser/charset.c: the input's first line is an HTTP
 * Content-Type value (an empty line: none), the rest the page's bytes.
 * Whatever the bytes, the output is valid UTF-8 without NULs, and a page
 * that is valid UTF-8 and declares nothing comes out unchanged.
 */
#include "fuzz/fuzz.h"

#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t ctl = nl ? (size_t)(nl - s) : 0;
	const char *page = nl ? nl + 1 : s;
	size_t len = nl ? size - ctl - 1 : size;
	char ct[256], name[64];
	char *out = NULL;
	size_t outlen = 0;
	struct charset_result res;
	int declared;

	if (ctl >= sizeof(ct))
		ctl = sizeof(ct) - 1;
	memcpy(ct, s, ctl);
	ct[ctl] = '\0';

	if (charset_from_content_type(ct, name, sizeof(name)))
		FUZZ_ASSERT(strlen(name) < sizeof(name));
	declared = ctl && charset_from_content_type(ct, name, sizeof(name));
	if (charset_sniff_meta(page, len, name, sizeof(name))) {
		FUZZ_ASSERT(strlen(name) < sizeof(name));
		declared = 1;
	}

	FUZZ_ASSERT(charset_to_utf8(page, len, ctl ? ct : NULL, &out, &outlen, &res, NULL) == 0);
	FUZZ_ASSERT(out && out[outlen] == '\0');
	FUZZ_ASSERT(strlen(out) == outlen);	/* NULs were replaced */
	FUZZ_ASSERT(utf8_valid_prefix(out, outlen) == outlen);
	FUZZ_ASSERT(res.name[0] && res.evidence);
	/* Undeclared valid UTF-8 without a BOM or NULs: nothing to change. */
	if (!declared && len && utf8_valid_prefix(page, len) == len && !memchr(page, 0, len) &&
	    !(len >= 3 && !memcmp(page, "\xEF\xBB\xBF", 3)))
		FUZZ_ASSERT(outlen == len && !memcmp(out, page, len) && res.replaced == 0);
	free(out);
	return 0;
}
