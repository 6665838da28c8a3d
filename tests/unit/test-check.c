/*
 * The consistency rules: the two fixture reports as expected.json describes
 * them, then one change at a time to a consistent report, for every rule.
 */
#include "t.h"

#include <math.h>

#include "form/check.h"
#include "form/format.h"
#include "form/report.h"
#include "util/buf.h"

/* Cell states in the tables below; any other value is a number. */
#define BLANK (-1e300)
#define ABSENT (-2e300)
#define INVALID (-3e300)
#define END { 0, NULL, NULL, 0 }

struct cellv {
	int table;
	const char *row, *col;
	double v;
};

static void set(struct report *r, int table, const char *row, const char *col, double v)
{
	int i = fmt_field_index(r->format, table, row, col);
	char what[160];

	snprintf(what, sizeof(what), "field t%d %s %s exists", table, row, col);
	if (!t_check(i >= 0, __FILE__, __LINE__, what))
		return;
	if (v == BLANK)
		report_set_value(r, (size_t)i, VAL_BLANK, 0, "\xc2\xa0");
	else if (v == ABSENT)
		report_set_value(r, (size_t)i, VAL_ABSENT, 0, NULL);
	else if (v == INVALID)
		report_set_value(r, (size_t)i, VAL_INVALID, 0, "abc");
	else
		report_set_value(r, (size_t)i, VAL_NUMBER, v, NULL);
}

static void set_all(struct report *r, const struct cellv *c)
{
	for (; c && c->row; c++)
		set(r, c->table, c->row, c->col, c->v);
}

/* A report of version v: table 2 all 0, tables 3 and 4 all 0 or all blank, then cells. */
static void build(struct report *r, enum fmt_version v, int t34_blank, const struct cellv *c)
{
	size_t n;
	const struct fmt_field *f;

	report_init(r);
	report_set_format(r, v);
	r->status = RS_COMPLETE;
	f = fmt_fields(v, &n);
	for (size_t i = 0; i < n; i++)
		if (f[i].table != 2 && t34_blank)
			report_set_value(r, i, VAL_BLANK, 0, "");
		else
			report_set_value(r, i, VAL_NUMBER, 0, NULL);
	set_all(r, c);
}

/* "RULE/kind/where; ..." */
static char *summary(const struct finding_list *l)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < l->n; i++)
		buf_addf(&b, "%s%s/%s/%s", i ? "; " : "", l->items[i].rule,
			 finding_kind_name(l->items[i].kind), l->items[i].where);
	return buf_take(&b);
}

static char *run(const struct report *r, const struct report *prev)
{
	struct finding_list l;
	char *s;

	finding_list_init(&l);
	check_report(r, prev, &l);
	s = summary(&l);
	finding_list_release(&l);
	return s;
}

/* ---- the fixtures, from tests/fixtures/expected.json ---- */

static const struct cellv longhu[] = {
	{ 2, "normative", "issued", 2 },
	{ 2, "normative", "repealed", 1 },
	{ 2, "normative", "in_force", 3 },
	{ 3, "carried_over", "natural_person", 6 },
	{ 3, "carried_over", "total", 6 },
	END
};

/* Every other cell of tables 3 and 4 is blank in the source. */
static const struct cellv shanghai[] = {
	{ 2, "rules", "made", 13 },
	{ 2, "rules", "published", 13 },
	{ 2, "rules", "public_total", 524 },
	{ 2, "normative", "made", 60 },
	{ 2, "normative", "published", 60 },
	{ 2, "normative", "public_total", 368 },
	{ 2, "procurement", "items", 6 },
	{ 2, "procurement", "amount", 25.1 },
	{ 3, "new", "natural_person", 821 },
	{ 3, "new", "commercial", 35 },
	{ 3, "new", "legal", 2 },
	{ 3, "new", "other_org", 1 },
	{ 3, "new", "total", 859 },
	{ 3, "carried_over", "natural_person", 18 },
	{ 3, "carried_over", "total", 18 },
	{ 3, "granted", "natural_person", 258 },
	{ 3, "granted", "commercial", 12 },
	{ 3, "granted", "legal", 1 },
	{ 3, "granted", "other_org", 1 },
	{ 3, "partial", "natural_person", 3 },
	{ 3, "refused.state_secret", "natural_person", 14 },
	{ 3, "refused.internal", "natural_person", 5 },
	{ 3, "refused.process", "natural_person", 3 },
	{ 3, "refused.process", "commercial", 1 },
	{ 3, "refused.inquiry", "natural_person", 10 },
	{ 3, "refused.inquiry", "commercial", 2 },
	{ 3, "unable.not_held", "natural_person", 252 },
	{ 3, "unable.not_held", "commercial", 12 },
	{ 3, "unable.not_held", "legal", 1 },
	{ 3, "unable.need_create", "natural_person", 44 },
	{ 3, "unable.need_create", "commercial", 3 },
	{ 3, "unable.unclear", "natural_person", 25 },
	{ 3, "rejected.petition", "natural_person", 148 },
	{ 3, "rejected.petition", "commercial", 1 },
	{ 3, "rejected.repeat", "natural_person", 5 },
	{ 3, "rejected.repeat", "commercial", 4 },
	{ 3, "total", "natural_person", 767 },
	{ 3, "total", "commercial", 35 },
	{ 3, "total", "legal", 2 },
	{ 3, "total", "other_org", 1 },
	{ 3, "total", "total", 805 },
	{ 3, "carried_forward", "natural_person", 72 },
	{ 3, "carried_forward", "total", 72 },
	{ 4, "review", "upheld", 5 },
	{ 4, "review", "pending", 2 },
	{ 4, "review", "total", 7 },
	{ 4, "suit_direct", "upheld", 8 },
	{ 4, "suit_direct", "pending", 1 },
	{ 4, "suit_direct", "total", 9 },
	END
};

static const struct fmt_claim *claim(const char *key)
{
	size_t n;
	const struct fmt_claim *c = fmt_claims(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].key, key))
			return &c[i];
	return NULL;
}

static void test_longhu(void)
{
	struct report r;
	struct finding_list l;
	const struct finding *f;

	build(&r, FMT_2021, 0, longhu);
	finding_list_init(&l);
	check_report(&r, NULL, &l);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		f = &l.items[0];
		CHECK_STR(f->rule, "T3-BALANCE");
		CHECK_INT(f->kind, FK_CONTRADICTION);
		CHECK_STR(f->where, "column natural_person");
		CHECK_STR(f->cells, "t3:new/natural_person t3:carried_over/natural_person "
				    "t3:total/natural_person t3:carried_forward/natural_person");
		CHECK_STR(f->expected_expr, "new+carried_over");
		CHECK_DBL(f->expected, 6);
		CHECK_STR(f->found_expr, "total+carried_forward");
		CHECK_DBL(f->found, 0);
		CHECK_STR(f->message, "T3-BALANCE fails in column natural_person: "
				      "new+carried_over = 6 but total+carried_forward = 0");
		f = &l.items[1];
		CHECK_STR(f->rule, "T3-BALANCE");
		CHECK_INT(f->kind, FK_CONTRADICTION);
		CHECK_STR(f->where, "column total");
		CHECK_DBL(f->expected, 6);
		CHECK_DBL(f->found, 0);
	}
	finding_list_release(&l);
	report_release(&r);
}

static void test_shanghai(void)
{
	static const char *const rows[] = {
		"granted", "partial", "refused.state_secret", "refused.internal",
		"refused.process", "refused.inquiry", "unable.not_held", "unable.need_create",
		"unable.unclear", "rejected.petition", "rejected.repeat",
	};
	struct report r;
	struct finding_list l;
	size_t nrows = sizeof(rows) / sizeof(rows[0]);

	build(&r, FMT_2019, 1, shanghai);
	finding_list_init(&l);
	check_report(&r, NULL, &l);
	CHECK_INT(l.n, nrows + 1);
	for (size_t i = 0; i < l.n && i < nrows; i++) {
		char where[64];

		snprintf(where, sizeof(where), "row %s", rows[i]);
		CHECK_STR(l.items[i].rule, "T3-ROWSUM");
		CHECK_INT(l.items[i].kind, FK_BLANK);
		CHECK_STR(l.items[i].where, where);
		CHECK_STR(l.items[i].expected_expr, "total");
		CHECK_STR(l.items[i].found_expr,
			  "natural_person+commercial+research+nonprofit+legal+other_org");
		CHECK_DBL(l.items[i].expected, 0);
	}
	if (l.n == nrows + 1) {
		const struct finding *f = &l.items[nrows];

		CHECK_DBL(l.items[0].found, 272);	/* granted: 258+12+1+1 */
		CHECK_STR(l.items[0].message,
			  "T3-ROWSUM fails in row granted: total = 0 but natural_person+commercial"
			  "+research+nonprofit+legal+other_org = 272 (blank cells read as 0)");
		CHECK_STR(f->rule, "T3-OUTCOMES");
		CHECK_INT(f->kind, FK_BLANK);
		CHECK_STR(f->where, "column total");
		CHECK_DBL(f->expected, 805);
		CHECK_DBL(f->found, 0);
		CHECK(strncmp(f->found_expr, "granted+partial+refused.state_secret+", 37) == 0);
		CHECK(strstr(f->cells, "t3:total/total t3:granted/total ") == f->cells);
	}
	finding_list_release(&l);
	report_release(&r);
}

static void test_shanghai_claims(void)
{
	static const char granted_cells[] =
		"t3:granted/natural_person t3:granted/commercial t3:granted/research "
		"t3:granted/nonprofit t3:granted/legal t3:granted/other_org";
	struct report r;
	struct finding_list l;

	build(&r, FMT_2019, 1, shanghai);
	report_add_claim(&r, claim("new"), 859, "收到申请859件");	/* holds */
	report_add_claim(&r, claim("handled"), 805, NULL);		/* holds */
	report_add_claim(&r, claim("granted_partial"), 258, "予以公开及部分公开258件");
	report_add_claim(&r, claim("refused"), 35, NULL);		/* 14+5+4+12 */
	report_add_claim(&r, claim("unable"), 265, "无法提供265件");
	report_add_claim(&r, claim("rejected"), 158, NULL);		/* 149+9 */
	finding_list_init(&l);
	check_report(&r, NULL, &l);
	CHECK_INT(l.n, 11 + 1 + 2);
	if (l.n == 14) {
		const struct finding *f = &l.items[12];

		CHECK_STR(f->rule, "TEXT-TABLE");
		CHECK_INT(f->kind, FK_TEXT);
		CHECK_STR(f->where, "claim granted_partial");
		CHECK_STR(f->expected_expr, "text:granted_partial");
		CHECK_DBL(f->expected, 258);
		CHECK_STR(f->found_expr, "granted+partial");
		CHECK_DBL(f->found, 275);
		/* both totals are blank: the applicant columns are summed */
		CHECK(strlen(f->cells) > sizeof(granted_cells) &&
		      !strncmp(f->cells, granted_cells, sizeof(granted_cells) - 1));
		if (strlen(f->cells) > sizeof(granted_cells))
			CHECK_STR(f->cells + sizeof(granted_cells),
				  "t3:partial/natural_person t3:partial/commercial "
				  "t3:partial/research t3:partial/nonprofit "
				  "t3:partial/legal t3:partial/other_org");
		CHECK_STR(f->message, "TEXT-TABLE fails in claim granted_partial: the text states "
				      "予以公开及部分公开 258 but granted+partial = 275");
		f = &l.items[13];
		CHECK_STR(f->rule, "TEXT-TABLE");
		CHECK_INT(f->kind, FK_TEXT);
		CHECK_STR(f->where, "claim unable");
		CHECK_STR(f->found_expr, "unable.not_held+unable.need_create+unable.unclear");
		CHECK_DBL(f->expected, 265);
		CHECK_DBL(f->found, 337);
	}
	finding_list_release(&l);
	report_release(&r);
}

/* ---- one change at a time to a consistent report ---- */

/* Consistent in both versions; the (六) row is added by build_base(). */
static const struct cellv base[] = {
	{ 3, "new", "natural_person", 5 },
	{ 3, "new", "commercial", 2 },
	{ 3, "new", "total", 7 },
	{ 3, "carried_over", "natural_person", 1 },
	{ 3, "carried_over", "total", 1 },
	{ 3, "granted", "natural_person", 3 },
	{ 3, "granted", "total", 3 },
	{ 3, "partial", "commercial", 2 },
	{ 3, "partial", "total", 2 },
	{ 3, "total", "natural_person", 4 },
	{ 3, "total", "commercial", 2 },
	{ 3, "total", "total", 6 },
	{ 3, "carried_forward", "natural_person", 2 },
	{ 3, "carried_forward", "total", 2 },
	{ 4, "review", "upheld", 1 },
	{ 4, "review", "pending", 1 },
	{ 4, "review", "total", 2 },
	END
};

static void build_base(struct report *r, enum fmt_version v, const struct cellv *change)
{
	/* 2019 has one (六) row; 2021 splits it, so the figure sits in other.no_fee */
	const char *other = v == FMT_2019 ? "other" : "other.no_fee";

	build(r, v, 0, base);
	set(r, 3, other, "natural_person", 1);
	set(r, 3, other, "total", 1);
	set_all(r, change);
}

static void test_rules_table(void)
{
	static const struct {
		const char *name;
		enum fmt_version v;
		struct cellv change[5];
		const char *expect;
	} cases[] = {
		{ "consistent 2019", FMT_2019, { END }, "" },
		{ "consistent 2021", FMT_2021, { END }, "" },
		{ "new figure off", FMT_2021, { { 3, "new", "natural_person", 6 }, END },
		  "T3-BALANCE/contradiction/column natural_person; "
		  "T3-ROWSUM/contradiction/row new" },
		{ "carried_forward off", FMT_2019,
		  { { 3, "carried_forward", "natural_person", 3 },
		    { 3, "carried_forward", "total", 3 }, END },
		  "T3-BALANCE/contradiction/column natural_person; "
		  "T3-BALANCE/contradiction/column total" },
		{ "blank grand total", FMT_2019, { { 3, "total", "total", BLANK }, END },
		  "T3-BALANCE/blank/column total; T3-ROWSUM/blank/row total; "
		  "T3-OUTCOMES/blank/column total" },
		{ "blank on the smaller side", FMT_2021, { { 3, "new", "commercial", BLANK }, END },
		  "T3-BALANCE/blank/column commercial; T3-ROWSUM/blank/row new" },
		{ "blank on the larger side cannot repair", FMT_2021,
		  { { 3, "granted", "total", 2 }, { 3, "granted", "research", BLANK }, END },
		  "T3-ROWSUM/contradiction/row granted; T3-OUTCOMES/contradiction/column total" },
		{ "blank read as 0 holds", FMT_2019, { { 3, "granted", "research", BLANK },
						     { 3, "total", "legal", BLANK }, END }, "" },
		{ "absent cell skips", FMT_2019, { { 3, "total", "total", ABSENT }, END }, "" },
		{ "absent row skips", FMT_2021,
		  { { 3, "carried_forward", "natural_person", ABSENT },
		    { 3, "carried_forward", "total", ABSENT }, END }, "" },
		{ "absent skips only its instances", FMT_2019,
		  { { 3, "total", "total", ABSENT }, { 3, "new", "total", 99 }, END },
		  "T3-ROWSUM/contradiction/row new" },
		{ "invalid cell", FMT_2021, { { 3, "new", "natural_person", INVALID }, END },
		  "NONNEG/contradiction/cell t3:new/natural_person" },
		{ "infinite cell", FMT_2021, { { 3, "new", "natural_person", INFINITY }, END },
		  "NONNEG/contradiction/cell t3:new/natural_person" },
		{ "negative count", FMT_2021, { { 2, "rules", "issued", -1 }, END },
		  "NONNEG/contradiction/cell t2:rules.issued" },
		{ "fractional count", FMT_2021, { { 2, "normative", "issued", 1.5 }, END },
		  "NONNEG/contradiction/cell t2:normative.issued" },
		{ "fractional fees in wan", FMT_2021, { { 2, "fees", "amount", 2.5 }, END }, "" },
		{ "negative fees", FMT_2021, { { 2, "fees", "amount", -0.5 }, END },
		  "NONNEG/contradiction/cell t2:fees.amount" },
		{ "signed change may be negative", FMT_2019,
		  { { 2, "licensing", "change", -19 }, { 2, "procurement", "amount", 25.1 }, END },
		  "" },
		{ "signed change must be whole", FMT_2019,
		  { { 2, "licensing", "change", 1.5 }, END },
		  "NONNEG/contradiction/cell t2:licensing.change" },
		{ "t4 total off", FMT_2019, { { 4, "review", "total", 3 }, END },
		  "T4-BLOCK/contradiction/block review" },
		{ "t4 total blank", FMT_2021, { { 4, "review", "total", BLANK }, END },
		  "T4-BLOCK/blank/block review" },
		{ "t4 negative part", FMT_2021, { { 4, "review", "upheld", -1 }, END },
		  "T4-BLOCK/contradiction/block review; "
		  "NONNEG/contradiction/cell t4:review.upheld" },
		{ "t4 second block", FMT_2021, { { 4, "suit_after_review", "other", 1 }, END },
		  "T4-BLOCK/contradiction/block suit_after_review" },
		{ "2021 other.* rows are outcomes", FMT_2021,
		  { { 3, "other.no_fee", "natural_person", 0 }, { 3, "other.no_fee", "total", 0 },
		    { 3, "other.no_correction", "natural_person", 1 },
		    { 3, "other.no_correction", "total", 1 } },
		  "" },
		{ "2021 extra in other.other", FMT_2021,
		  { { 3, "other.other", "natural_person", 1 }, END },
		  "T3-ROWSUM/contradiction/row other.other; "
		  "T3-OUTCOMES/contradiction/column natural_person" },
		{ "2019 other row is an outcome", FMT_2019,
		  { { 3, "other", "natural_person", 2 }, { 3, "other", "total", 2 }, END },
		  "T3-OUTCOMES/contradiction/column natural_person; "
		  "T3-OUTCOMES/contradiction/column total" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report r;
		char *got;

		t_case = cases[i].name;
		build_base(&r, cases[i].v, cases[i].change);
		got = run(&r, NULL);
		CHECK_STR(got, cases[i].expect);
		free(got);
		report_release(&r);
	}
	t_case = "test_rules_table";
}

/* The T3-OUTCOMES sum follows the format's outcome rows. */
static void test_outcome_rows_by_format(void)
{
	static const struct {
		enum fmt_version v;
		const char *tail;
	} cases[] = {
		{ FMT_2019, "+rejected.confirm+other" },
		{ FMT_2021, "+rejected.confirm+other.no_correction+other.no_fee+other.other" },
	};

	for (size_t i = 0; i < 2; i++) {
		static const struct cellv change[] = { { 3, "total", "total", 60 }, END };
		struct report r;
		struct finding_list l;
		const char *e;
		size_t tl = strlen(cases[i].tail);

		build_base(&r, cases[i].v, change);
		finding_list_init(&l);
		check_report(&r, NULL, &l);
		/* BALANCE, ROWSUM and OUTCOMES all see the changed grand total */
		CHECK_INT(l.n, 3);
		if (l.n == 3) {
			e = l.items[2].found_expr;
			CHECK_STR(l.items[2].rule, "T3-OUTCOMES");
			CHECK_STR(l.items[2].expected_expr, "total");
			CHECK(strlen(e) > tl && !strcmp(e + strlen(e) - tl, cases[i].tail));
			CHECK(!strncmp(e, "granted+partial+refused.state_secret+", 37));
			CHECK_DBL(l.items[2].expected, 60);
			CHECK_DBL(l.items[2].found, 6);
		}
		finding_list_release(&l);
		report_release(&r);
	}
}

static void test_nonneg_fields(void)
{
	/* the block still adds up: only the sign is wrong */
	static const struct cellv neg[] = { { 4, "review", "upheld", -1 },
					    { 4, "review", "corrected", 2 }, END };
	struct report r;
	struct finding_list l;

	build_base(&r, FMT_2021, neg);
	finding_list_init(&l);
	check_report(&r, NULL, &l);
	CHECK_INT(l.n, 1);
	if (l.n == 1) {
		const struct finding *f = &l.items[0];

		CHECK_STR(f->rule, "NONNEG");
		CHECK_INT(f->kind, FK_CONTRADICTION);
		CHECK_STR(f->where, "cell t4:review.upheld");
		CHECK_STR(f->cells, "t4:review.upheld");
		CHECK_STR(f->expected_expr, ">= 0");
		CHECK_STR(f->found_expr, "t4:review.upheld");
		CHECK_DBL(f->found, -1);
		CHECK_STR(f->message, "NONNEG fails in cell t4:review.upheld: "
				      "expected >= 0 but found -1");
	}
	finding_list_release(&l);
	report_release(&r);
}

/* Published text in a message is quoted, bounded and kept on one line. */
static void test_nonneg_invalid_text(void)
{
	struct report r;
	struct finding_list l;
	struct buf big = BUF_INIT(BUF_NOLIMIT);
	int i = -1;

	build_base(&r, FMT_2019, NULL);
	for (int k = 0; k < 2000; k++)
		buf_adds(&big, "不详\n\x01\xff");
	i = fmt_field_index(FMT_2019, 2, "rules", "made");
	report_set_value(&r, (size_t)i, VAL_INVALID, 0, buf_str(&big));
	i = fmt_field_index(FMT_2019, 2, "rules", "published");
	report_set_value(&r, (size_t)i, VAL_INVALID, 0, NULL);
	i = fmt_field_index(FMT_2019, 2, "rules", "public_total");
	report_set_value(&r, (size_t)i, VAL_INVALID, 0, "约10件");
	finding_list_init(&l);
	check_report(&r, NULL, &l);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		const char *m = l.items[0].message;

		CHECK_STR(l.items[0].where, "cell t2:rules.made");
		CHECK_STR(l.items[0].expected_expr, "number");
		CHECK(strchr(m, '\n') == NULL && strchr(m, '\x01') == NULL);
		CHECK(strlen(m) < 200);
		CHECK(strstr(m, "expected number but found '不详??") != NULL);
		CHECK(strstr(m, "...'") != NULL);
		CHECK_STR(l.items[1].message,
			  "NONNEG fails in cell t2:rules.published: expected number but found ''");
		CHECK_STR(l.items[2].message,
			  "NONNEG fails in cell t2:rules.public_total: "
			  "expected number but found '约10件'");
	}
	finding_list_release(&l);
	buf_release(&big);
	report_release(&r);
}

static void test_year_carry(void)
{
	static const struct cellv off[] = { { 3, "carried_forward", "natural_person", 2 },
					    { 3, "carried_forward", "total", 2 }, END };
	static const struct cellv match[] = { { 3, "carried_forward", "natural_person", 1 },
					      { 3, "carried_forward", "total", 1 }, END };
	static const struct cellv half_blank[] = {
		{ 3, "carried_forward", "natural_person", BLANK },
		{ 3, "carried_forward", "total", 2 }, END
	};
	static const struct cellv absent[] = {
		{ 3, "carried_forward", "natural_person", ABSENT },
		{ 3, "carried_forward", "total", ABSENT }, END
	};
	struct report r, p;
	struct finding_list l;
	char *got;

	/* this year: carried_over natural_person 1, total 1 */
	build_base(&r, FMT_2021, NULL);
	r.year = 2021;

	got = run(&r, NULL);
	CHECK_STR(got, "");
	free(got);

	/* a 2019-format report for 2020 carrying forward 2, not 1 */
	build(&p, FMT_2019, 0, off);
	p.year = 2020;
	finding_list_init(&l);
	check_report(&r, &p, &l);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		const struct finding *f = &l.items[0];

		CHECK_STR(f->rule, "YEAR-CARRY");
		CHECK_INT(f->kind, FK_CONTRADICTION);
		CHECK_STR(f->where, "column natural_person");
		CHECK_STR(f->cells,
			  "2020:t3:carried_forward/natural_person t3:carried_over/natural_person");
		CHECK_STR(f->expected_expr, "2020:carried_forward");
		CHECK_DBL(f->expected, 2);
		CHECK_STR(f->found_expr, "carried_over");
		CHECK_DBL(f->found, 1);
		CHECK_STR(f->message, "YEAR-CARRY fails in column natural_person: "
				      "2020:carried_forward = 2 but carried_over = 1");
		CHECK_STR(l.items[1].where, "column total");
	}
	finding_list_release(&l);

	p.year = 0;
	finding_list_init(&l);
	check_report(&r, &p, &l);
	CHECK_INT(l.n, 2);
	if (l.n == 2)
		CHECK_STR(l.items[1].expected_expr, "prev:carried_forward");
	finding_list_release(&l);

	p.status = RS_NO_TABLES;
	got = run(&r, &p);
	CHECK_STR(got, "");
	free(got);
	report_release(&p);

	build(&p, FMT_2021, 0, match);
	got = run(&r, &p);
	CHECK_STR(got, "");
	free(got);
	report_release(&p);

	/* only written figures are compared across years */
	build(&p, FMT_2021, 0, half_blank);
	got = run(&r, &p);
	CHECK_STR(got, "YEAR-CARRY/contradiction/column total");
	free(got);
	report_release(&p);

	build(&p, FMT_2021, 0, absent);
	got = run(&r, &p);
	CHECK_STR(got, "");
	free(got);
	report_release(&p);

	build(&p, FMT_UNKNOWN, 0, NULL);
	got = run(&r, &p);
	CHECK_STR(got, "");
	free(got);
	report_release(&p);

	/* a blank on this year's side is not compared either */
	build(&p, FMT_2019, 0, off);
	set(&r, 3, "carried_over", "natural_person", BLANK);
	got = run(&r, &p);
	CHECK_STR(got, "T3-BALANCE/blank/column natural_person; T3-ROWSUM/blank/row carried_over; "
		       "YEAR-CARRY/contradiction/column total");
	free(got);
	report_release(&p);
	report_release(&r);
}

/* check_within() and check_across() together find what check_report() finds. */
static void test_within_across(void)
{
	static const struct cellv off[] = { { 3, "carried_forward", "natural_person", 2 },
					    { 3, "new", "total", 7 }, END };
	struct report r, p;
	struct finding_list all, parts;
	const char *const *across = check_across_rules();

	build_base(&r, FMT_2021, NULL);
	r.year = 2021;
	set(&r, 3, "carried_over", "natural_person", BLANK);
	build(&p, FMT_2019, 0, off);
	p.year = 2020;
	finding_list_init(&all);
	finding_list_init(&parts);
	check_report(&r, &p, &all);
	check_within(&r, &parts);
	CHECK(parts.n > 0);
	for (size_t i = 0; i < parts.n; i++)
		CHECK(strcmp(parts.items[i].rule, "YEAR-CARRY") != 0);
	check_across(&r, &p, &parts);
	check_across(&r, NULL, &parts);		/* nothing to compare with: nothing */
	CHECK_INT(parts.n, all.n);
	for (size_t i = 0; i < all.n && i < parts.n; i++) {
		size_t k = 0;

		/* the same findings, perhaps in another order */
		while (k < parts.n && (strcmp(parts.items[k].rule, all.items[i].rule) ||
				       strcmp(parts.items[k].where, all.items[i].where)))
			k++;
		CHECK(k < parts.n);
	}
	CHECK_STR(across[0], "YEAR-CARRY");
	CHECK(across[1] == NULL);
	CHECK_INT(check_across_table(), 3);
	CHECK_INT(check_across_rows(1), FR_OUTFLOW);
	CHECK_INT(check_across_rows(0), FR_CARRIED_IN);
	{
		/* the rows check_across_rows() names are all the rules across years read */
		struct finding_list few;
		size_t n, carry = 0;
		const struct fmt_field *fr = fmt_fields(r.format, &n);
		const struct fmt_field *fp = fmt_fields(p.format, &n);

		for (size_t i = 0; i < r.nvalues; i++)
			if (fr[i].table != 3 || !(fr[i].row->flags & check_across_rows(0)))
				r.values[i].state = VAL_ABSENT;
		for (size_t i = 0; i < p.nvalues; i++)
			if (fp[i].table != 3 || !(fp[i].row->flags & check_across_rows(1)))
				p.values[i].state = VAL_ABSENT;
		for (size_t i = 0; i < all.n; i++)
			carry += !strcmp(all.items[i].rule, "YEAR-CARRY");
		finding_list_init(&few);
		check_across(&r, &p, &few);
		CHECK(carry > 0);
		CHECK_INT(few.n, carry);
		finding_list_release(&few);
	}
	finding_list_release(&all);
	finding_list_release(&parts);
	report_release(&p);
	report_release(&r);
}

static void test_text_table(void)
{
	/* custom claims exercise the rows syntax beyond the built-in ones */
	static const struct fmt_claim spaced = { "x", NULL, "  granted   partial ", "x" };
	static const struct fmt_claim nosuch = { "x", NULL, "granted nosuch", "x" };
	static const struct fmt_claim nogroup = { "x", NULL, "group:nosuch", "x" };
	static const struct fmt_claim emptytag = { "x", NULL, "group:", "x" };
	static const struct fmt_claim empty = { "x", NULL, "", "x" };
	static const struct fmt_claim other = { "other", NULL, "group:other", "其他处理" };
	static const struct {
		const char *name;
		enum fmt_version v;
		const struct fmt_claim *claim;	/* NULL: by key */
		const char *key;
		double value;
		struct cellv change[3];
		const char *expect;
	} cases[] = {
		{ "new holds", FMT_2021, NULL, "new", 7, { END }, "" },
		{ "new off", FMT_2021, NULL, "new", 8, { END }, "TEXT-TABLE/text/claim new" },
		{ "handled is the grand total", FMT_2019, NULL, "handled", 6, { END }, "" },
		{ "granted_partial holds", FMT_2021, NULL, "granted_partial", 5, { END }, "" },
		{ "group refused, all zero", FMT_2019, NULL, "refused", 0, { END }, "" },
		{ "group refused off", FMT_2019, NULL, "refused", 1, { END },
		  "TEXT-TABLE/text/claim refused" },
		{ "total column wins over applicants", FMT_2021, NULL, "granted", 3,
		  { { 3, "granted", "total", 9 }, END },
		  "T3-ROWSUM/contradiction/row granted; T3-OUTCOMES/contradiction/column total; "
		  "TEXT-TABLE/text/claim granted" },
		{ "blank total: applicants", FMT_2021, NULL, "granted", 3,
		  { { 3, "granted", "total", BLANK }, END },
		  "T3-ROWSUM/blank/row granted; T3-OUTCOMES/blank/column total" },
		{ "blank total, applicants off", FMT_2021, NULL, "granted", 4,
		  { { 3, "granted", "total", BLANK }, END },
		  "T3-ROWSUM/blank/row granted; T3-OUTCOMES/blank/column total; "
		  "TEXT-TABLE/text/claim granted" },
		{ "absent total: applicants", FMT_2019, NULL, "granted", 4,
		  { { 3, "granted", "total", ABSENT }, END }, "TEXT-TABLE/text/claim granted" },
		{ "absent row skips", FMT_2019, NULL, "granted", 4,
		  { { 3, "granted", "total", ABSENT }, { 3, "granted", "natural_person", ABSENT },
		    END }, "" },
		{ "invalid total skips", FMT_2019, NULL, "granted", 4,
		  { { 3, "granted", "total", INVALID }, END },
		  "NONNEG/contradiction/cell t3:granted/total" },
		{ "spaced rows", FMT_2021, &spaced, NULL, 5, { END }, "" },
		{ "spaced rows off", FMT_2021, &spaced, NULL, 6, { END },
		  "TEXT-TABLE/text/claim x" },
		{ "unknown row skips", FMT_2021, &nosuch, NULL, 99, { END }, "" },
		{ "unknown group skips", FMT_2021, &nogroup, NULL, 99, { END }, "" },
		{ "empty group skips", FMT_2021, &emptytag, NULL, 99, { END }, "" },
		{ "no rows skips", FMT_2021, &empty, NULL, 99, { END }, "" },
		{ "group other in 2021", FMT_2021, &other, NULL, 1, { END }, "" },
		{ "group other in 2021 off", FMT_2021, &other, NULL, 5, { END },
		  "TEXT-TABLE/text/claim other" },
		{ "no group other in 2019", FMT_2019, &other, NULL, 5, { END }, "" },
		{ "not a number skips", FMT_2021, NULL, "new", NAN, { END }, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fmt_claim *c = cases[i].claim ? cases[i].claim : claim(cases[i].key);
		struct report r;
		char *got;

		t_case = cases[i].name;
		CHECK(c != NULL);
		build_base(&r, cases[i].v, cases[i].change);
		report_add_claim(&r, c, cases[i].value, NULL);
		got = run(&r, NULL);
		CHECK_STR(got, cases[i].expect);
		free(got);
		report_release(&r);
	}
	t_case = "test_text_table";

	/* a claim without its format entry is ignored */
	{
		struct report r;
		char *got;

		build_base(&r, FMT_2021, NULL);
		report_add_claim(&r, NULL, 5, "x");
		got = run(&r, NULL);
		CHECK_STR(got, "");
		free(got);
		report_release(&r);
	}
}

static void test_group_claim_fields(void)
{
	static const struct fmt_claim other = { "other", NULL, "group:other", "其他处理" };
	struct report r;
	struct finding_list l;

	build_base(&r, FMT_2021, NULL);
	report_add_claim(&r, &other, 5, NULL);
	finding_list_init(&l);
	check_report(&r, NULL, &l);
	CHECK_INT(l.n, 1);
	if (l.n == 1) {
		CHECK_STR(l.items[0].found_expr, "other.no_correction+other.no_fee+other.other");
		CHECK_STR(l.items[0].cells,
			  "t3:other.no_correction/total t3:other.no_fee/total "
			  "t3:other.other/total");
		CHECK_DBL(l.items[0].expected, 5);
		CHECK_DBL(l.items[0].found, 1);
		CHECK_STR(l.items[0].message, "TEXT-TABLE fails in claim other: the text states "
					      "其他处理 5 but other.no_correction+other.no_fee"
					      "+other.other = 1");
	}
	finding_list_release(&l);
	report_release(&r);
}

/* Reports without tables of a known format are not checked at all. */
static void test_not_checked(void)
{
	static const struct cellv bad[] = { { 3, "new", "natural_person", -6 }, END };
	struct report r;
	char *got;

	build_base(&r, FMT_2021, bad);
	report_add_claim(&r, claim("new"), 100, NULL);
	got = run(&r, NULL);
	CHECK(strlen(got) > 0);
	free(got);

	r.status = RS_NO_TABLES;
	got = run(&r, NULL);
	CHECK_STR(got, "");
	free(got);

	r.status = RS_PARTIAL;
	r.format = FMT_UNKNOWN;	/* values sized for 2021, but the format is unknown */
	got = run(&r, NULL);
	CHECK_STR(got, "");
	free(got);
	r.format = FMT_2021;
	report_release(&r);

	report_init(&r);
	got = run(&r, NULL);
	CHECK_STR(got, "");
	free(got);

	report_set_format(&r, FMT_PRE2019);
	r.status = RS_PARTIAL;
	report_add_claim(&r, claim("new"), 100, NULL);
	got = run(&r, NULL);
	CHECK_STR(got, "");
	free(got);
	report_release(&r);

	/* format 2021 with no values (nothing read) */
	report_init(&r);
	r.format = FMT_2021;
	r.status = RS_PARTIAL;
	got = run(&r, NULL);
	CHECK_STR(got, "");
	free(got);
	report_release(&r);
}

/* A values array shorter than the format (a damaged report) is read within bounds. */
static void test_short_values(void)
{
	struct report r;
	size_t full;
	char *got;

	build_base(&r, FMT_2021, NULL);
	full = r.nvalues;
	for (size_t i = 0; i < full; i++)
		report_set_value(&r, i, VAL_NUMBER, -1, NULL);
	r.nvalues = 5;
	got = run(&r, NULL);
	/* only the five values present are checked; every sum touches a missing one */
	CHECK_STR(got, "NONNEG/contradiction/cell t2:rules.issued; "
		       "NONNEG/contradiction/cell t2:rules.repealed; "
		       "NONNEG/contradiction/cell t2:rules.in_force; "
		       "NONNEG/contradiction/cell t2:normative.issued; "
		       "NONNEG/contradiction/cell t2:normative.repealed");
	free(got);
	r.nvalues = full;
	report_release(&r);
}

static void test_appends(void)
{
	struct report r;
	struct finding_list l;

	build(&r, FMT_2021, 0, longhu);
	finding_list_init(&l);
	check_report(&r, NULL, &l);
	check_report(&r, NULL, &l);
	CHECK_INT(l.n, 4);
	finding_list_release(&l);
	CHECK_INT(l.n, 0);
	CHECK(l.items == NULL);
	report_release(&r);
}

static void test_kind_names(void)
{
	static const struct {
		enum finding_kind k;
		const char *name;
	} cases[] = {
		{ FK_CONTRADICTION, "contradiction" },
		{ FK_BLANK, "blank" },
		{ FK_TEXT, "text" },
		{ FK_REVIEW, "review" },
	};
	static const char *const bad[] = { "", "Blank", "blanks", "contra", "text ", "unknown" };
	enum finding_kind k;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_STR(finding_kind_name(cases[i].k), cases[i].name);
		k = FK_REVIEW + 1;
		CHECK_INT(finding_kind_parse(cases[i].name, &k), 0);
		CHECK_INT(k, cases[i].k);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(finding_kind_parse(bad[i], &k), -1);
	CHECK_STR(finding_kind_name((enum finding_kind)42), "unknown");
	CHECK_STR(finding_kind_name((enum finding_kind)-1), "unknown");
}

static void test_rule_ids(void)
{
	static const char *const want[] = { "T3-BALANCE", "T3-ROWSUM", "T3-OUTCOMES", "T4-BLOCK",
					     "NONNEG", "YEAR-CARRY", "TEXT-TABLE", NULL };
	const char *const *ids = check_rule_ids();
	size_t i;

	for (i = 0; want[i]; i++) {
		CHECK(ids[i] != NULL);
		if (!ids[i])
			return;
		CHECK_STR(ids[i], want[i]);
	}
	CHECK(ids[i] == NULL);
	CHECK(check_rule_ids() == ids);
}

static void test_finding_list(void)
{
	struct finding_list l;
	char where[32] = "row granted";

	finding_list_init(&l);
	CHECK_INT(l.n, 0);
	finding_list_add(&l, "T3-ROWSUM", FK_BLANK, where, "t3:granted/total", "total", 1,
			 "natural_person", 2, "msg");
	where[0] = 'X';	/* the list holds its own copy */
	CHECK_STR(l.items[0].where, "row granted");
	CHECK_STR(l.items[0].cells, "t3:granted/total");
	CHECK_STR(l.items[0].message, "msg");
	CHECK_DBL(l.items[0].expected, 1);
	CHECK_DBL(l.items[0].found, 2);
	finding_list_add(&l, "NONNEG", FK_CONTRADICTION, NULL, NULL, NULL, 0, NULL, 0, NULL);
	CHECK_STR(l.items[1].where, "");
	CHECK_STR(l.items[1].message, "");
	for (int i = 0; i < 5000; i++)
		finding_list_add(&l, "NONNEG", FK_TEXT, "w", "c", "e", i, "f", -i, "m");
	CHECK_INT(l.n, 5002);
	CHECK(l.alloc >= l.n);
	CHECK_DBL(l.items[5001].expected, 4999);
	CHECK_INT(l.items[5001].kind, FK_TEXT);
	CHECK_STR(l.items[0].rule, "T3-ROWSUM");
	finding_list_release(&l);
	CHECK_INT(l.n, 0);
	/* reusable after release */
	finding_list_add(&l, "NONNEG", FK_BLANK, "w", "c", "e", 0, "f", 0, "m");
	CHECK_INT(l.n, 1);
	finding_list_release(&l);
	finding_list_release(&l);
}

/* Marks every figure of r of table t as read by OCR at confidence conf. */
static void ocr_all(struct report *r, int t, float conf)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(r->format, &n);

	for (size_t i = 0; i < n && i < r->nvalues; i++)
		if (f[i].table == t) {
			r->values[i].ocr.read = 1;
			r->values[i].ocr.conf = conf;
		}
}

static const struct report_value *val(const struct report *r, int t, const char *row,
				      const char *col)
{
	const struct report_value *v = report_get(r, t, row, col);

	t_check(v != NULL, __FILE__, __LINE__, "field exists");
	return v;
}

/*
 * check_ocr(): the form's arithmetic vouches for what OCR read; a figure
 * no equation reads stands on its confidence; a figure in equations that
 * all fail is uncertain, the report partial, and the rule's failure is
 * for review, not a finding against the body.
 */
static void test_ocr_vouching(void)
{
	static const struct cellv t3[] = {
		{ 3, "new", "natural_person", 5 },
		{ 3, "new", "total", 5 },
		{ 3, "granted", "natural_person", 5 },
		{ 3, "granted", "total", 5 },
		{ 3, "total", "natural_person", 5 },
		{ 3, "total", "total", 5 },
		{ 4, "review", "upheld", 2 },
		{ 4, "review", "total", 2 },
		END
	};
	struct report r;
	struct finding_list l;
	char *got;

	/* all holds: everything OCR read is accepted, low confidence or not */
	build(&r, FMT_2021, 0, t3);
	ocr_all(&r, 3, 20);
	ocr_all(&r, 4, 20);
	ocr_all(&r, 2, 95);
	CHECK_INT((int)check_ocr(&r), 0);
	CHECK_INT(r.status, RS_COMPLETE);
	CHECK(!val(&r, 3, "new", "total")->ocr.uncertain);
	CHECK(!val(&r, 2, "rules", "issued")->ocr.uncertain);
	report_release(&r);

	/*
	 * new/total misread as 8: the row sum and the balance fail and nothing
	 * else reads that cell, so it is uncertain; the cells of new's row are
	 * vouched for by their columns, table 2 below the confidence asked is
	 * uncertain, at it accepted; a figure not read by OCR is never uncertain.
	 */
	build(&r, FMT_2021, 0, t3);
	set(&r, 3, "new", "total", 8);
	ocr_all(&r, 3, 99);
	ocr_all(&r, 2, CHECK_OCR_SURE - 1);
	r.values[fmt_field_index(r.format, 2, "rules", "issued")].ocr.conf = CHECK_OCR_SURE;
	CHECK_INT((int)check_ocr(&r), 1 + 9);
	CHECK(val(&r, 3, "new", "total")->ocr.uncertain);
	CHECK(!val(&r, 3, "new", "natural_person")->ocr.uncertain);
	CHECK(!val(&r, 3, "total", "total")->ocr.uncertain);
	CHECK(!val(&r, 2, "rules", "issued")->ocr.uncertain);
	CHECK(val(&r, 2, "rules", "repealed")->ocr.uncertain);
	CHECK(!val(&r, 4, "review", "upheld")->ocr.uncertain);
	CHECK_INT(r.status, RS_PARTIAL);
	CHECK_STR(r.missing, "ocr: 10 uncertain");
	/* the rules it breaks are to review, never a contradiction */
	got = run(&r, NULL);
	CHECK_STR(got, "T3-BALANCE/review/column total; T3-ROWSUM/review/row new");
	free(got);
	finding_list_init(&l);
	check_within(&r, &l);
	CHECK_INT((int)l.n, 2);
	CHECK_STR(check_kind_words(FK_REVIEW, 0), "待核对（OCR）");
	finding_list_release(&l);
	report_release(&r);

	/*
	 * a count cell OCR read as text (garbage where a figure stands): it is
	 * uncertain, and NONNEG on it is to review, not against the body
	 */
	build(&r, FMT_2021, 0, t3);
	ocr_all(&r, 3, 99);
	{
		size_t i = (size_t)fmt_field_index(r.format, 3, "new", "commercial");

		report_set_value(&r, i, VAL_INVALID, 0, "攻");
		r.values[i].ocr.read = 1;
		r.values[i].ocr.conf = 0;
	}
	CHECK_INT((int)check_ocr(&r), 1);
	CHECK(val(&r, 3, "new", "commercial")->ocr.uncertain);
	got = run(&r, NULL);
	CHECK_STR(got, "NONNEG/review/cell t3:new/commercial");
	free(got);
	report_release(&r);

	/* the same misreading, not read by OCR: a contradiction against the body */
	build(&r, FMT_2021, 0, t3);
	set(&r, 3, "new", "total", 8);
	CHECK_INT((int)check_ocr(&r), 0);
	got = run(&r, NULL);
	CHECK_STR(got, "T3-BALANCE/contradiction/column total; T3-ROWSUM/contradiction/row new");
	free(got);
	report_release(&r);
}

/* Every field of every format is found by its keys, and keys that are none are not. */
static void test_field_index(void)
{
	static const enum fmt_version vs[] = { FMT_2019, FMT_2021 };

	for (size_t k = 0; k < sizeof(vs) / sizeof(vs[0]); k++) {
		size_t n;
		const struct fmt_field *f = fmt_fields(vs[k], &n);
		size_t wrong = 0;

		CHECK(n > 100);
		for (size_t i = 0; i < n; i++)
			wrong += fmt_field_index(vs[k], f[i].table, f[i].row->key, f[i].col->key) !=
				 (int)i;
		CHECK_INT(wrong, 0);
		CHECK_INT(fmt_field_index(vs[k], 2, "rules", "nonesuch"), -1);
		CHECK_INT(fmt_field_index(vs[k], 9, f[0].row->key, f[0].col->key), -1);
		CHECK_INT(fmt_field_index(vs[k], 0, "", ""), -1);
	}
	CHECK_INT(fmt_field_index(FMT_UNKNOWN, 2, "rules", "made"), -1);
}

int main(void)
{
	RUN(test_field_index);
	RUN(test_longhu);
	RUN(test_shanghai);
	RUN(test_shanghai_claims);
	RUN(test_rules_table);
	RUN(test_outcome_rows_by_format);
	RUN(test_nonneg_fields);
	RUN(test_nonneg_invalid_text);
	RUN(test_year_carry);
	RUN(test_within_across);
	RUN(test_text_table);
	RUN(test_group_claim_fields);
	RUN(test_not_checked);
	RUN(test_short_values);
	RUN(test_appends);
	RUN(test_kind_names);
	RUN(test_rule_ids);
	RUN(test_finding_list);
	RUN(test_ocr_vouching);
	fmt_cleanup();
	return t_done(__FILE__);
}
