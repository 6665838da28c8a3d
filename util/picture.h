#ifndef OGI_PICTURE_H
#define OGI_PICTURE_H
/*
 * The pictures ogi reads (parser/imgtable.h) and shows (a report page's
 * cells cut from them), told by their first bytes.
 */
#include <stddef.h>
#include <string.h>

/* "image/png" or "image/jpeg" when bytes begin as one, else NULL. */
static inline const char *picture_type(const char *bytes, size_t len)
{
	if (len >= 8 && !memcmp(bytes, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (len >= 3 && !memcmp(bytes, "\xFF\xD8\xFF", 3))
		return "image/jpeg";
	return NULL;
}

#endif
