/*
 * libFuzzer target for crawler/links.c: any bytes as a listing page.
 *   clang -fsanitize=fuzzer,address,undefined -I. fuzz/fuzz-links.c <crawler, util sources> \
 *         $(pkg-config --cflags --libs libcurl gumbo libpcre2-8)
 */
#include <stddef.h>
#include <stdint.h>

#include "crawler/links.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct links l;

	links_init(&l);
	links_extract((const char *)data, size, "http://a.test/col/index_1.html", NULL, &l, NULL);
	links_release(&l);
	return 0;
}
