/*
 * libFuzzer target for table cells: parser/number.c (num_parse for every
 * value kind, num_is_value) and the label side of form/format.c
 * (fmt_norm_label and the matchers) on the input as one cell.  The input
 * is read up to its first NUL, as a cell string would be.
 */
#include <math.h>

#include "fuzz/fuzz.h"

#include "form/format.h"
#include "parser/number.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum value_kind kinds[] = { VK_COUNT, VK_SIGNED, VK_WAN };
	static const enum fmt_version versions[] = { FMT_2019, FMT_2021 };
	char *cell = malloc(size + 1), *norm;
	enum num_result res[3];

	if (!cell)
		abort();
	memcpy(cell, data, size);
	cell[size] = '\0';
	for (size_t k = 0; k < 3; k++) {
		double v = -12345.0;

		res[k] = num_parse(cell, kinds[k], &v);
		FUZZ_ASSERT(res[k] == NUM_TEXT || res[k] == NUM_BLANK || res[k] == NUM_VALUE);
		if (res[k] == NUM_VALUE)
			FUZZ_ASSERT(isfinite(v));
		else
			FUZZ_ASSERT(v == -12345.0);	/* written only for a value */
	}
	/* blank is blank whatever the kind */
	FUZZ_ASSERT((res[0] == NUM_BLANK) == (res[2] == NUM_BLANK));
	FUZZ_ASSERT(num_is_value(cell) == (res[2] != NUM_TEXT));

	/* Labels are cut from the same cells: stray bytes are dropped, the rest folded. */
	norm = fmt_norm_label(cell);
	fuzz_check_utf8(norm);
	{
		for (size_t v = 0; v < 2; v++) {
			const struct fmt_row *row = fmt_match_row(norm, versions[v]);

			if (row)
				FUZZ_ASSERT(row->formats & versions[v]);
		}
		(void)fmt_match_group(norm);
		(void)fmt_version_vote(norm);
		(void)fmt_is_t4_marker(norm);
		(void)fmt_line_may_claim(cell);
		free(norm);
	}
	free(cell);
	return 0;
}
