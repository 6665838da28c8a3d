/* util/buf.c: appending, the size limit, and buf_add_g17() against printf's "%.17g". */
#include <float.h>
#include <stdint.h>

#include "t.h"
#include "util/buf.h"

static void test_add_limit(void)
{
	struct buf b = BUF_INIT(8);

	CHECK_INT(buf_adds(&b, "abcd"), 0);
	CHECK_INT(buf_addc(&b, 'e'), 0);
	CHECK_INT(buf_addf(&b, "%d", 12), 0);
	CHECK_STR(buf_str(&b), "abcde12");
	CHECK_INT(buf_adds(&b, "xy"), -1);	/* over 8: refused whole */
	CHECK_STR(buf_str(&b), "abcde12");
	buf_release(&b);
	CHECK_STR(buf_str(&b), "");
}

/* Each value spelt as snprintf's "%.17g" spells it, whole or not, huge or tiny. */
static void test_g17(void)
{
	static const double fixed[] = {
		0, 1, -1, 9, 10, 99, 100, 162, 1234567, -42, 0.5, 1.5, -2.25, 0.1, 1e-7,
		123456789012345.0, -123456789012345.0, 999999999999999.0, 1e15, -1e15,
		1e16, 12345678901234567.0, 1e300, DBL_MAX, DBL_MIN, 4.9e-324,
	};
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	char want[64];
	uint64_t x = 0x9E3779B97F4A7C15u;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		buf_reset(&b);
		CHECK_INT(buf_add_g17(&b, fixed[i]), 0);
		snprintf(want, sizeof(want), "%.17g", fixed[i]);
		CHECK_STR(buf_str(&b), want);
	}
	/* -0, infinities and NaN as printf spells them */
	{
		const double odd[] = { -0.0, INFINITY, -INFINITY, NAN };

		for (size_t i = 0; i < 4; i++) {
			buf_reset(&b);
			buf_add_g17(&b, odd[i]);
			snprintf(want, sizeof(want), "%.17g", odd[i]);
			CHECK_STR(buf_str(&b), want);
		}
	}
	/* whole numbers of every size up to 15 digits, and halves */
	for (int i = 0; i < 2000; i++) {
		double v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = (double)(long long)(x % 1000000000000000ull) / (double)(1ull << (x % 16)) *
		    (x & 1 ? -1 : 1);
		v = i % 2 ? (double)(long long)v : v;
		buf_reset(&b);
		buf_add_g17(&b, v);
		snprintf(want, sizeof(want), "%.17g", v);
		if (strcmp(buf_str(&b), want))
			CHECK_STR(buf_str(&b), want);
	}
	buf_release(&b);
}

int main(void)
{
	RUN(test_add_limit);
	RUN(test_g17);
	return t_done(__FILE__);
}
