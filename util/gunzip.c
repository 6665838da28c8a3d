#include "util/gunzip.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/banned.h"

int gunzip_sniff(const char *p, size_t n)
{
	return n >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b;
}

int gunzip(const char *p, size_t n, size_t max, char **out, size_t *outlen)
{
	struct buf b = BUF_INIT(max);
	z_stream z;
	char chunk[16384];
	int rc = Z_OK, ret = -1;

	*out = NULL;
	*outlen = 0;
	if (n > UINT_MAX)
		return -1;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	for (;;) {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END)
			goto out;
		if (buf_add(&b, chunk, sizeof(chunk) - z.avail_out))
			goto out;	/* past max */
		if (rc == Z_STREAM_END) {
			/* another member, or trailing bytes some servers leave */
			if (!z.avail_in || !gunzip_sniff((const char *)z.next_in, z.avail_in))
				break;
			if (inflateReset(&z) != Z_OK)
				goto out;
		} else if (z.avail_out && !z.avail_in) {
			break;	/* all input read, no more output: cut short */
		}
	}
	if (rc != Z_STREAM_END)
		goto out;
	buf_addc(&b, '\0');
	b.len--;
	*outlen = b.len;
	*out = buf_take(&b);
	ret = 0;
out:
	inflateEnd(&z);
	buf_release(&b);
	return ret;
}
