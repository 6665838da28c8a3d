/*
 * reports/model.c: the rules every report computes by, on reports built in
 * memory: a row's figure (total, or the sum of its applicant cells), blank
 * as 0, absent as blank, the outcome groups of both formats, the rates, the
 * table-2 and table-4 measures and group sums.
 */
#include <math.h>
#include <string.h>

#include "reports/model.h"
#include "t.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define A -1.0	/* absent */
#define B -2.0	/* blank */
#define I -3.0	/* invalid */

static const char *const applicants[] = { "natural_person", "commercial", "research",
					  "nonprofit", "legal", "other_org" };

static void set(struct report *r, int table, const char *row, const char *col, double v)
{
	int i = fmt_field_index(r->format, table, row, col);

	if (i < 0) {
		fprintf(stderr, "  no field %d %s %s\n", table, row, col);
		CHECK(i >= 0);
		return;
	}
	if (v == A)
		report_set_value(r, (size_t)i, VAL_ABSENT, 0, NULL);
	else if (v == B)
		report_set_value(r, (size_t)i, VAL_BLANK, 0, "");
	else if (v == I)
		report_set_value(r, (size_t)i, VAL_INVALID, 0, "无");
	else
		report_set_value(r, (size_t)i, VAL_NUMBER, v, NULL);
}

/* A row of table 3: six applicant cells then the total. */
static void set_row(struct report *r, const char *row, const double v[7])
{
	for (size_t c = 0; c < 6; c++)
		set(r, 3, row, applicants[c], v[c]);
	set(r, 3, row, "total", v[6]);
}

static const struct fmt_row *row_of(const char *key)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n);

	for (size_t i = 0; i < n; i++)
		if (rows[i].table == 3 && !strcmp(rows[i].key, key))
			return &rows[i];
	return NULL;
}

static void test_row_figure(void)
{
	static const struct {
		double v[7];
		double want;	/* NAN: blank */
	} cases[] = {
		{ { 1, 2, 3, 4, 5, 6, 10 }, 10 },	/* the total cell, whatever the sum */
		{ { 1, 2, B, B, B, B, B }, 3 },		/* blank total: the applicant cells */
		{ { 1, 2, 0, 0, 0, 7, A }, 10 },	/* no total column: the applicant cells */
		{ { B, B, B, B, B, B, B }, 0 },		/* all blank: 0 */
		{ { 1, 2, 3, 4, 5, 6, I }, NAN },	/* a total that is text */
		{ { 1, A, 3, 4, 5, 6, B }, NAN },	/* blank total, an applicant cell missing */
		{ { 1, I, 3, 4, 5, 6, B }, NAN },	/* blank total, an applicant cell text */
		{ { A, A, A, A, A, A, A }, NAN },	/* the row is not there */
		{ { A, A, A, A, A, A, 0 }, 0 },		/* only the total */
	};
	const struct fmt_row *granted = row_of("granted");

	CHECK(granted != NULL);
	for (size_t i = 0; granted && i < NELEM(cases); i++) {
		struct report r;
		double got;

		report_init(&r);
		report_set_format(&r, FMT_2021);
		set_row(&r, "granted", cases[i].v);
		got = model_row_figure(&r, granted, FC_TOTAL, FC_APPLICANT);
		if (isnan(cases[i].want) ? !isnan(got) : got != cases[i].want) {
			fprintf(stderr, "  FAIL row figure case %zu: got %g want %g\n", i, got,
				cases[i].want);
			CHECK(0);
		}
		report_release(&r);
	}
}

/* A consistent report of format v: every table-3 row's applicant cells and total. */
static void fill(struct report *r, enum fmt_version v, double each)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n);

	report_init(r);
	report_set_format(r, v);
	r->organization = strdup("晋江市龙湖镇人民政府");
	r->year = v == FMT_2019 ? 2019 : 2023;
	for (size_t i = 0; i < n; i++) {
		double row[7] = { each, 0, 0, 0, 0, 0, each };

		if (rows[i].table == 3 && (rows[i].formats & v))
			set_row(r, rows[i].key, row);
	}
}

static double value_of(const struct model *md, const struct report *r, double *vals,
		       const char *name)
{
	long k = model_find(md, name);

	if (k < 0) {
		fprintf(stderr, "  no measure %s\n", name);
		return NAN;
	}
	for (size_t i = 0; i < md->nm; i++)
		vals[i] = model_value(md, i, r, vals);
	return vals[k];
}

static void test_outcomes_and_rates(void)
{
	struct model md;
	struct report r;
	double vals[256];
	size_t n, nt2;

	model_init(&md);
	model_add_inflow(&md, 1);
	model_add_outcomes(&md, &n);
	CHECK_INT(n, 6);	/* granted partial refused unable rejected other */
	model_add_total(&md);
	model_add_outflow(&md);
	model_add_rates(&md);
	model_add_t2(&md, &nt2);
	CHECK_INT(nt2, 5);
	CHECK(md.nm < NELEM(vals));
	CHECK(model_find(&md, "new_natural_person") >= 0);
	CHECK(model_find(&md, "carried_over") >= 0);
	CHECK_INT(model_new_requests(&md), model_find(&md, "new"));

	/* 2021: three other.* rows make "other" */
	fill(&r, FMT_2021, 2);
	set_row(&r, "total", (double[7]){ 50, 0, 0, 0, 0, 0, 50 });
	CHECK_DBL(value_of(&md, &r, vals, "refused"), 16);	/* eight grounds */
	CHECK_DBL(value_of(&md, &r, vals, "unable"), 6);
	CHECK_DBL(value_of(&md, &r, vals, "rejected"), 10);
	CHECK_DBL(value_of(&md, &r, vals, "other"), 6);
	CHECK_DBL(value_of(&md, &r, vals, "grant_pct"), 100.0 * 4 / 50);
	CHECK_DBL(value_of(&md, &r, vals, "refusal_pct"), 100.0 * 16 / 50);
	CHECK_DBL(value_of(&md, &r, vals, "new_natural_person"), 2);
	CHECK_DBL(value_of(&md, &r, vals, "new_commercial"), 0);
	/* a ground missing: the group and its rate are blank, not short */
	set_row(&r, "refused.inquiry", (double[7]){ A, A, A, A, A, A, A });
	CHECK(isnan(value_of(&md, &r, vals, "refused")));
	CHECK(isnan(value_of(&md, &r, vals, "refusal_pct")));
	CHECK_DBL(value_of(&md, &r, vals, "grant_pct"), 8);
	/* a total of 0: no rate */
	set_row(&r, "total", (double[7]){ 0, 0, 0, 0, 0, 0, 0 });
	CHECK(isnan(value_of(&md, &r, vals, "grant_pct")));
	/* table 2 absent: blank figures */
	CHECK(isnan(value_of(&md, &r, vals, "licensing")));
	set(&r, 2, "rules", "issued", 3);
	set(&r, 2, "normative", "issued", B);
	set(&r, 2, "fees", "amount", 12.5);
	CHECK_DBL(value_of(&md, &r, vals, "docs_issued"), 3);
	CHECK_DBL(value_of(&md, &r, vals, "fees"), 12.5);
	report_release(&r);

	/* 2019: one "other" row; documents made; no fee amount */
	fill(&r, FMT_2019, 1);
	CHECK_DBL(value_of(&md, &r, vals, "other"), 1);
	CHECK_DBL(value_of(&md, &r, vals, "refused"), 8);
	set(&r, 2, "rules", "made", 4);
	set(&r, 2, "normative", "made", 5);
	set(&r, 2, "licensing", "decisions", I);
	CHECK_DBL(value_of(&md, &r, vals, "docs_issued"), 9);
	CHECK(isnan(value_of(&md, &r, vals, "fees")));
	CHECK(isnan(value_of(&md, &r, vals, "licensing")));
	report_release(&r);

	/* no tables at all */
	report_init(&r);
	report_set_format(&r, FMT_PRE2019);
	CHECK(isnan(value_of(&md, &r, vals, "new")));
	CHECK(isnan(value_of(&md, &r, vals, "grant_pct")));
	report_release(&r);
	model_release(&md);
}

static void test_t4(void)
{
	struct model md;
	struct report r;
	double vals[128];
	size_t first, nblocks, stride;

	model_init(&md);
	first = model_add_t4(&md, &nblocks, &stride);
	CHECK_INT(first, 0);
	CHECK_INT(nblocks, 3);
	CHECK_INT(stride, 6);
	CHECK(!strcmp(md.m[5].name, "review_corrected_pct"));
	report_init(&r);
	report_set_format(&r, FMT_2021);
	set(&r, 4, "review", "upheld", 3);
	set(&r, 4, "review", "corrected", 1);
	set(&r, 4, "review", "other", B);
	set(&r, 4, "review", "pending", 0);
	set(&r, 4, "review", "total", B);
	CHECK_DBL(value_of(&md, &r, vals, "review_total"), 4);	/* blank total: the parts */
	CHECK_DBL(value_of(&md, &r, vals, "review_corrected_pct"), 25);
	CHECK_DBL(value_of(&md, &r, vals, "review_other"), 0);
	set(&r, 4, "review", "total", 8);
	CHECK_DBL(value_of(&md, &r, vals, "review_corrected_pct"), 12.5);
	CHECK(isnan(value_of(&md, &r, vals, "suit_direct_total")));	/* absent */
	report_release(&r);
	model_release(&md);
}

static int pick_all(const struct mrow *r, void *ctx)
{
	(void)r;
	(void)ctx;
	return 1;
}

static void test_sum(void)
{
	struct model md;
	double a[8], b[8], c[8], sum[8];
	size_t num, den, rate;

	model_init(&md);
	model_add_outcomes(&md, &num);
	num = 0;			/* granted */
	den = model_add_total(&md);
	rate = model_add_rate(&md, "x_pct", num, den);
	CHECK(md.nm <= 8);
	for (size_t i = 0; i < 8; i++)
		a[i] = b[i] = c[i] = NAN;
	a[num] = 1, a[den] = 4;
	b[num] = 3, b[den] = NAN;
	c[num] = NAN, c[den] = 6;
	md.rows = (struct mrow[3]){ { .v = a }, { .v = b }, { .v = c } };
	md.n = 3;
	CHECK_INT(model_sum(&md, pick_all, NULL, sum), 3);
	CHECK_DBL(sum[num], 4);		/* blanks left out */
	CHECK_DBL(sum[den], 10);
	CHECK_DBL(sum[rate], 40);	/* the rate of the sums */
	CHECK(isnan(sum[1]));		/* blank in every row */
	md.rows = NULL;
	md.n = 0;
	model_release(&md);

	CHECK_DBL(model_round_pct(34.16149), 34.2);
	CHECK_DBL(model_round_pct(4.3478), 4.3);
	CHECK_DBL(model_round_pct(100), 100);
	CHECK(isnan(model_round_pct(NAN)));
}

/*
 * Bodies that miss years, as rows (body, year, new requests): the default
 * year is the latest most bodies report for, and year-over-year sums are
 * like for like.
 */
static void test_default_year_and_like_for_like(void)
{
	static const struct {
		const char *name;
		struct { int64_t body; int year; double v; } rows[12];
		size_t n;
		int want_year;
		const char *why;
		int y0, y1;
		size_t matched, left_out;
		double s0, s1;
	} cases[] = {
		/* early in 2024 one body has published: 2023 stays the default */
		{ "one early report", { { 1, 2022, 10 }, { 1, 2023, 20 }, { 1, 2024, 5 },
					{ 2, 2022, 30 }, { 2, 2023, 40 },
					{ 3, 2022, 50 }, { 3, 2023, 60 } }, 7,
		  2023, "2023年：3个单位中3个有该年报告（最近的2024年仅1个）", 2022, 2023, 3, 0, 90, 120 },
		/* two of three: most */
		{ "most", { { 1, 2022, 10 }, { 1, 2023, 20 }, { 2, 2023, 40 }, { 3, 2022, 50 } }, 4,
		  2023, "2023年：3个单位中2个有该年报告", 2022, 2023, 1, 2, 10, 20 },
		/* half is not most: the year with the most bodies, the latest of equals */
		{ "half", { { 1, 2021, 1 }, { 2, 2021, 2 }, { 3, 2022, 3 }, { 4, 2022, 4 },
			    { 1, 2023, 5 }, { 2, 2023, 6 } }, 6,
		  2023, "2023年：4个单位中2个有该年报告", 2021, 2023, 2, 0, 3, 11 },
		/* a body new in the later year and one gone: both left out */
		{ "churn", { { 1, 2019, 100 }, { 2, 2019, 7 }, { 2, 2020, 9 }, { 3, 2020, 1000 } }, 4,
		  2020, "2020年：3个单位中2个有该年报告", 2019, 2020, 1, 2, 7, 9 },
		{ "nothing", { { 0, 0, 0 } }, 0, 0, "", 2019, 2020, 0, 0, NAN, NAN },
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct model md;
		struct mrow rows[12];
		double vals[12][4], s0[4], s1[4];
		struct buf why = BUF_INIT(BUF_NOLIMIT);
		size_t left = 99, matched, nm;

		model_init(&md);
		model_add_inflow(&md, 0);
		nm = md.nm;
		CHECK(nm <= 4);
		memset(rows, 0, sizeof(rows));
		for (size_t i = 0; i < cases[c].n; i++) {
			rows[i].body_id = cases[c].rows[i].body;
			rows[i].year = cases[c].rows[i].year;
			rows[i].organization = (char *)"x";
			for (size_t m = 0; m < nm; m++)
				vals[i][m] = m == 0 ? cases[c].rows[i].v : NAN;
			rows[i].v = vals[i];
		}
		/* rows come in (body, year) order, as the store gives them */
		for (size_t i = 1; i < cases[c].n; i++)
			for (size_t j = i; j > 0 && (rows[j].body_id < rows[j - 1].body_id ||
						     (rows[j].body_id == rows[j - 1].body_id &&
						      rows[j].year < rows[j - 1].year)); j--) {
				struct mrow t = rows[j];

				rows[j] = rows[j - 1];
				rows[j - 1] = t;
			}
		md.rows = rows;
		md.n = cases[c].n;
		CHECK_INT(model_default_year(&md, RL_ZH, &why), cases[c].want_year);
		CHECK_STR(buf_str(&why), cases[c].why);
		matched = model_like_for_like(&md, cases[c].y0, cases[c].y1, s0, s1, &left);
		CHECK_INT(matched, cases[c].matched);
		CHECK_INT(left, cases[c].left_out);
		if (isnan(cases[c].s0)) {
			CHECK(isnan(s0[0]) && isnan(s1[0]));
		} else {
			CHECK_DBL(s0[0], cases[c].s0);
			CHECK_DBL(s1[0], cases[c].s1);
		}
		if (t_case_failed)
			fprintf(stderr, "    case '%s'\n", cases[c].name);
		md.rows = NULL;
		md.n = 0;
		model_release(&md);
		buf_release(&why);
	}
}

int main(void)
{
	RUN(test_row_figure);
	RUN(test_outcomes_and_rates);
	RUN(test_t4);
	RUN(test_sum);
	RUN(test_default_year_and_like_for_like);
	fmt_cleanup();
	return t_done(__FILE__);
}
