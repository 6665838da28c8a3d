#include "parser/split.h"

#include "t.h"

/* The row shapes of the form, from the format table. */
static struct split_row t3_row(void)
{
	size_t n;
	const struct fmt_col *cols = fmt_t3_cols(&n);
	struct split_row r = { cols, n, 1 };

	return r;
}

static struct split_row t4_row(size_t nblocks)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n);
	struct split_row r = { NULL, 0, nblocks };

	for (size_t i = 0; i < n; i++)
		if (rows[i].flags & FR_T4) {
			r.cols = rows[i].cols;
			r.ncols = rows[i].ncols;
			break;
		}
	return r;
}

static struct split_row t2_docs(void)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n);
	struct split_row r = { NULL, 0, 1 };

	for (size_t i = 0; i < n; i++)
		if (rows[i].table == 2 && rows[i].ncols == 3) {
			r.cols = rows[i].cols;
			r.ncols = rows[i].ncols;
			break;
		}
	return r;
}

#define BLANK -1

struct scase {
	const char *what;
	const char *digits;
	const char *cuts;	/* '|' before a digit where the text had cells apart; NULL for none */
	int table;		/* 2 (three cells, no sums), 3 (one row), 4 (three blocks) */
	enum split_result want;
	long cells[15];		/* BLANK for a cell left blank */
};

static void test_split(void)
{
	static const struct scase cs[] = {
		{ "one digit a cell", "1000001", NULL, 3, SPLIT_FULL, { 1, 0, 0, 0, 0, 0, 1 } },
		{ "the row's total decides", "160000016", NULL, 3, SPLIT_FULL,
		  { 16, 0, 0, 0, 0, 0, 16 } },
		{ "two cells of two digits", "341002037", NULL, 3, SPLIT_FULL,
		  { 34, 1, 0, 0, 2, 0, 37 } },
		{ "two readings add up: undecided", "270020130", NULL, 3, SPLIT_NONE, { 0 } },
		{ "no reading adds up", "123456789", NULL, 3, SPLIT_NONE, { 0 } },
		{ "a cut the text made is kept", "0000000", "0|0|00|0|0|0", 3, SPLIT_FULL,
		  { 0, 0, 0, 0, 0, 0, 0 } },
		{ "pieces split only where the row adds up", "3010000", "30|1|0|0|0|0", 3, SPLIT_NONE,
		  { 0 } },
		{ "cuts decide what sums cannot", "270020130", "27|0|0|2|0|1|30", 3, SPLIT_FULL,
		  { 27, 0, 0, 2, 0, 1, 30 } },
		{ "six digits, seven cells: the total blank", "000000", NULL, 3, SPLIT_PARTS,
		  { 0, 0, 0, 0, 0, 0, BLANK } },
		{ "fewer digits with cuts: undecided", "00000", "0|0|0|0|0", 3, SPLIT_NONE, { 0 } },
		{ "five digits, seven cells: undecided", "00000", NULL, 3, SPLIT_NONE, { 0 } },
		{ "no zero-led cell", "0700007", NULL, 3, SPLIT_FULL, { 0, 7, 0, 0, 0, 0, 7 } },
		{ "table 4: three totals only", "000", NULL, 4, SPLIT_TOTALS,
		  { BLANK, BLANK, BLANK, BLANK, 0, BLANK, BLANK, BLANK, BLANK, 0, BLANK, BLANK, BLANK,
		    BLANK, 0 } },
		{ "as many digits as cells: the one reading, sums or not", "210033100010000", NULL, 4, SPLIT_FULL,
		  { 2, 1, 0, 0, 3, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0 } },
		{ "table 4: blocks add up", "10203120001200000", NULL, 4, SPLIT_FULL,
		  { 1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0 } },
		{ "table 2: as many digits as cells", "000", NULL, 2, SPLIT_FULL, { 0, 0, 0 } },
		{ "table 2: no sums, more digits: undecided", "161616", NULL, 2, SPLIT_NONE, { 0 } },
		{ "not digits", "12a4567", NULL, 3, SPLIT_NONE, { 0 } },
		{ "empty", "", NULL, 3, SPLIT_NONE, { 0 } },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		const struct scase *c = &cs[i];
		struct split_row row = c->table == 3 ? t3_row() : c->table == 4 ? t4_row(3) : t2_docs();
		size_t ncells = row.ncols * row.nblocks, n = strlen(c->digits);
		unsigned char cuts[SPLIT_MAX_DIGITS + 1] = { 0 }, present[SPLIT_MAX_DIGITS];
		long out[SPLIT_MAX_DIGITS];
		char d[SPLIT_MAX_DIGITS + 1];
		enum split_result got;

		t_case = c->what;
		if (c->cuts) {
			size_t k = 0;

			for (const char *p = c->cuts; *p; p++) {
				if (*p == '|')
					cuts[k] = 1;
				else
					d[k++] = *p;
			}
			d[k] = '\0';
			CHECK_STR(d, c->digits);
		}
		got = split_digits(c->digits, n, c->cuts ? cuts : NULL, &row, out, present);
		CHECK_INT(got, c->want);
		if (got != c->want || got == SPLIT_NONE)
			continue;
		for (size_t k = 0; k < ncells; k++) {
			CHECK_INT(present[k], c->cells[k] != BLANK);
			if (c->cells[k] != BLANK)
				CHECK_INT(out[k], c->cells[k]);
		}
	}
}

/* Every reading, for the columns of other rows to choose from. */
static void test_all(void)
{
	struct split_row row = t3_row();
	long out[4 * 7];
	size_t n = split_all("270020130", 9, NULL, &row, out, 4);

	CHECK_INT(n, 2);
	CHECK_INT(out[0], 2);	/* 2 7 0 0 20 1 30 */
	CHECK_INT(out[1], 7);
	CHECK_INT(out[4], 20);
	CHECK_INT(out[7], 27);	/* 27 0 0 2 0 1 30 */
	CHECK_INT(out[13], 30);
	CHECK_INT(split_all("270020130", 9, NULL, &row, out, 1), 2);	/* more than max */
}

/* Hostile runs stay cheap: a budget, then undecided. */
static void test_hostile(void)
{
	struct split_row row = t4_row(3);
	long out[SPLIT_MAX_DIGITS];
	unsigned char present[SPLIT_MAX_DIGITS];
	char d[SPLIT_MAX_DIGITS + 8];

	memset(d, '1', sizeof(d));
	CHECK_INT(split_digits(d, 40, NULL, &row, out, present), SPLIT_NONE);
	CHECK_INT(split_digits(d, SPLIT_MAX_DIGITS + 1, NULL, &row, out, present), SPLIT_NONE);
	memset(d, '9', sizeof(d));
	CHECK_INT(split_digits(d, 15, NULL, &row, out, present), SPLIT_FULL);	/* 9 9 9 9 9 ... */
	CHECK_INT(out[4], 9);
}

int main(void)
{
	RUN(test_split);
	RUN(test_all);
	RUN(test_hostile);
	fmt_cleanup();
	return t_done(__FILE__);
}
