/* util/utc.h: times as the warehouse and the crawl's log write them. */
#include "tests/unit/t.h"
#include "util/utc.h"

static void test_text(void)
{
	char out[UTC_TEXT_SIZE];

	utc_text(0, -1, out);
	CHECK_STR(out, "1970-01-01T00:00:00Z");
	utc_text(1736475425, -1, out);
	CHECK_STR(out, "2025-01-10T02:17:05Z");
	utc_text(1736475425, 5, out);
	CHECK_STR(out, "2025-01-10T02:17:05.005Z");
	utc_text(1736475425, 999, out);
	CHECK_STR(out, "2025-01-10T02:17:05.999Z");
	utc_text(1736475425, 0, out);
	CHECK_STR(out, "2025-01-10T02:17:05.000Z");
}

int main(void)
{
	RUN(test_text);
	return t_done(__FILE__);
}
