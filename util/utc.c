#include "util/utc.h"

#include <stdio.h>

#include "util/banned.h"

void utc_text(time_t t, long millis, char out[UTC_TEXT_SIZE])
{
	struct tm tm;
	char s[UTC_TEXT_SIZE];

	if (!gmtime_r(&t, &tm) || !strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(s, sizeof(s), "%lld", (long long)t);
	if (millis >= 0)
		snprintf(out, UTC_TEXT_SIZE, "%.20s.%03ldZ", s, millis % 1000);
	else
		snprintf(out, UTC_TEXT_SIZE, "%.20sZ", s);
}
