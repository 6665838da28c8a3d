#ifndef OGI_UTC_H
#define OGI_UTC_H
/*
 * Times as the warehouse, the log and the messages write them: UTC,
 * ISO 8601, "2025-01-10T02:17:05Z", or with milliseconds
 * "2025-01-10T02:17:05.123Z".
 */
#include <time.h>

#define UTC_TEXT_SIZE 32

/* t as text; with millis >= 0 (0-999) its milliseconds too. */
void utc_text(time_t t, long millis, char out[UTC_TEXT_SIZE]);

#endif
