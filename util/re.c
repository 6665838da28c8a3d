#include "util/re.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"
#include "util/banned.h"

pcre2_code *re_builtin(const char *pattern)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_NO_UTF_CHECK, &errcode, &erroff, NULL);

	if (!re) {
		PCRE2_UCHAR msg[120];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		fprintf(stderr, "ogi: bad built-in pattern '%s' at %zu: %s\n", pattern,
			(size_t)erroff, (const char *)msg);
		abort();
	}
	/* Without JIT (e.g. an SELinux policy) the interpreter still matches. */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

pcre2_match_data *re_match_data(uint32_t ovecsize)
{
	pcre2_match_data *md = pcre2_match_data_create(ovecsize, NULL);

	if (!md)
		xalloc_die(st_mult(2 * (size_t)ovecsize, sizeof(PCRE2_SIZE)));
	return md;
}
