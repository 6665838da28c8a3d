/*
 * libFuzzer target for crawler/discover.c's readers of scraped text: any
 * bytes (made UTF-8 as the walk's pages are) as a report link's text, a
 * column page's title and the path of a sitemap's entry.  A body named is
 * a body as discover_names_body() says, found in the text; a column's
 * directory is a canonical URL on the entry's host that the entry lies
 * under, ending in '/'.
 */
#include "fuzz/fuzz.h"

#include "crawler/discover.h"
#include "crawler/url.h"
#include "util/buf.h"
#include "util/banned.h"

/*
 * Discover hands these readers link texts and titles of at most a few
 * hundred bytes, and URLs of a few KB: a longer input (the replay's
 * fixtures are whole pages and PDFs) says nothing more, and under ASan
 * its strstr() scans made the replay take 36 s.
 */
#define DISCOVER_MAX_INPUT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf u = BUF_INIT(BUF_NOLIMIT);
	size_t len;
	char *text, *b, *dir, *entry;

	if (size > DISCOVER_MAX_INPUT)
		size = DISCOVER_MAX_INPUT;
	text = fuzz_utf8(data, size, &len);

	b = discover_report_body(text);
	FUZZ_ASSERT(!b || (discover_names_body(b) && !strncmp(text, b, strlen(b))));
	free(b);
	b = discover_title_body(text);
	FUZZ_ASSERT(!b || (discover_names_body(b) && strstr(text, b)));
	free(b);
	buf_addf(&u, "http://a.test/%s", text);
	entry = url_normalize(buf_str(&u));
	dir = entry ? discover_column_dir(entry, NULL) : NULL;
	if (dir) {
		char *n = url_normalize(dir);

		FUZZ_ASSERT(n && !strcmp(n, dir));
		free(n);
		FUZZ_ASSERT(!strncmp(dir, "http://a.test/", 14) && dir[strlen(dir) - 1] == '/');
		FUZZ_ASSERT(!strncmp(entry, dir, strlen(dir)));
	}
	free(dir);
	free(entry);
	buf_release(&u);
	free(text);
	return 0;
}
