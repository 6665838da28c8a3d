/*
 * libFuzzer target for parser/meta.c: the input as a page (read as UTF-8,
 * HTML or text as parse_report() decides) whose title, body, year and
 * publication date are detected; then the level and parent of every name
 * found and of every line, as if each were a body's name.
 */
#include "fuzz/fuzz.h"

#include "parser/html.h"
#include "parser/meta.h"
#include "parser/text.h"
#include "util/banned.h"

static void check_name(const char *name)
{
	const char *level = meta_level_from_name(name);
	char *parent = meta_parent_from_name(name);

	if (level)
		fuzz_check_utf8(level);
	if (parent) {
		fuzz_check_utf8(parent);
		FUZZ_ASSERT(*parent);
	}
	free(parent);
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	char *utf8 = fuzz_utf8(data, size, &len);
	struct doc doc;
	struct meta m;

	doc_init(&doc);
	meta_init(&m);
	if (html_sniff(utf8, len)) {
		if (html_parse(utf8, len, &doc, NULL))
			goto out;
	} else {
		text_parse(utf8, len, &doc);
	}
	meta_detect(&doc, &m);
	FUZZ_ASSERT(m.year == 0 || (m.year >= 1990 && m.year <= 2100));
	if (m.title) {
		fuzz_check_utf8(m.title);
		FUZZ_ASSERT(*m.title);
	}
	if (m.organization) {
		fuzz_check_utf8(m.organization);
		check_name(m.organization);
	}
	if (m.published) {
		const char *p = m.published;
		int mon, day;

		FUZZ_ASSERT(strlen(p) == 10 && p[4] == '-' && p[7] == '-');
		FUZZ_ASSERT(digits(p, 4) && digits(p + 5, 2) && digits(p + 8, 2));
		mon = (p[5] - '0') * 10 + (p[6] - '0');
		day = (p[8] - '0') * 10 + (p[9] - '0');
		FUZZ_ASSERT(mon >= 1 && mon <= 12 && day >= 1 && day <= 31);
	}
	/* detection replaces what m held */
	meta_detect(&doc, &m);
	for (size_t i = 0; i < doc.nlines && i < 64; i++)
		check_name(doc.lines[i]);
out:
	meta_release(&m);
	doc_release(&doc);
	free(utf8);
	return 0;
}
