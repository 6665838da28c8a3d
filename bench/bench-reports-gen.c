/*
 * Builds a national-scale warehouse for `make bench` (bench/run-reports.sh):
 * N reports of generated bodies (provinces, cities, counties, townships)
 * over five years, stored through the store API exactly as ingest stores
 * them, with the findings of the consistency rules.  Pages are not
 * rendered and parsed: that is bench-extract's job; this measures reading.
 *
 *   bench-reports-gen DB [N]      (N defaults to 200000)
 *
 * Prints the number of bodies, reports, figures and findings, the file
 * size and the time taken.  Deterministic: the same N gives the same file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "form/check.h"
#include "parser/parse.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define YEAR_FIRST 2019
#define NYEARS 5
#define BATCH 2000

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

/* xorshift64*: fast, deterministic, good enough for figures. */
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return n ? (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 33) % n : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct body {
	char name[160];
	char parent[96];
	const char *level;
	double scale;
};

/* The generated country: 31 provinces, 10 cities each, 10 counties each, townships under those. */
static struct body *make_bodies(size_t want, size_t *n)
{
	struct body *b = NULL;
	size_t count = 0, alloc = 0;

	for (int p = 1; p <= 31 && count < want; p++) {
		char prov[32];

		snprintf(prov, sizeof(prov), "省%02d", p);
		ALLOC_GROW(b, count + 1, alloc);
		snprintf(b[count].name, sizeof(b[count].name), "%s人民政府", prov);
		b[count].parent[0] = '\0';
		b[count].level = "province";
		b[count++].scale = 20;
		for (int c = 1; c <= 10 && count < want; c++) {
			char city[48];

			snprintf(city, sizeof(city), "%s市%02d", prov, c);
			ALLOC_GROW(b, count + 1, alloc);
			snprintf(b[count].name, sizeof(b[count].name), "%s人民政府", city);
			snprintf(b[count].parent, sizeof(b[count].parent), "%s", prov);
			b[count].level = "city";
			b[count++].scale = 8;
			for (int k = 1; k <= 10 && count < want; k++) {
				char county[64];

				snprintf(county, sizeof(county), "%s县%02d", city, k);
				ALLOC_GROW(b, count + 1, alloc);
				snprintf(b[count].name, sizeof(b[count].name), "%s人民政府",
					 county);
				snprintf(b[count].parent, sizeof(b[count].parent), "%s", city);
				b[count].level = "county";
				b[count++].scale = 3;
			}
		}
	}
	/* Townships fill the rest, dealt round the counties. */
	{
		size_t *counties = NULL, ncounties = 0, calloc_ = 0;

		for (size_t i = 0; i < count; i++)
			if (!strcmp(b[i].level, "county")) {
				ALLOC_GROW(counties, ncounties + 1, calloc_);
				counties[ncounties++] = i;
			}
		for (size_t t = 0; ncounties && count < want; t++) {
			size_t county = counties[t % ncounties];

			ALLOC_GROW(b, count + 1, alloc);
			/* the county's place: its government's name without 人民政府 */
			snprintf(b[count].parent, sizeof(b[count].parent), "%.*s",
				 (int)(strlen(b[county].name) - strlen("人民政府")),
				 b[county].name);
			snprintf(b[count].name, sizeof(b[count].name), "%s镇%03zu人民政府",
				 b[count].parent, t / ncounties + 1);
			b[count].level = "township";
			b[count++].scale = 1;
		}
		free(counties);
	}
	*n = count;
	return b;
}

/* Sets every field of r's format, as make_report() of tests/gen/genreport.py does. */
static void fill_report(struct report *r, const double *carry_in, double *carry_out,
			double scale, int broken)
{
	static const int choices[] = { 0, 0, 1, 2, 5, 12, 40 };
	size_t nf, nrows, ncols;
	const struct fmt_field *f = fmt_fields(r->format, &nf);
	const struct fmt_row *rows = fmt_rows(&nrows);
	const struct fmt_col *cols = fmt_t3_cols(&ncols);
	double t3[64][8];
	size_t outc[64], nout = 0, inflow_new = 0, inflow_co = 0, total = 0, fwd = 0;

	memset(t3, 0, sizeof(t3));
	for (size_t i = 0; i < nrows && i < 64; i++) {
		if (rows[i].table != 3 || !(rows[i].formats & r->format))
			continue;
		if (rows[i].flags & FR_OUTCOME)
			outc[nout++] = i;
		else if (rows[i].flags & FR_CARRIED_IN)
			inflow_co = i;
		else if (rows[i].flags & FR_INFLOW)
			inflow_new = i;
		else if (rows[i].flags & FR_TOTAL)
			total = i;
		else if (rows[i].flags & FR_OUTFLOW)
			fwd = i;
	}
	for (size_t c = 0; c + 1 < ncols && c < 7; c++) {
		double apps = choices[rnd(7)] * scale * (c == 0 ? 3 : 1), left;

		t3[inflow_new][c] = apps;
		t3[inflow_co][c] = carry_in ? carry_in[c] : rnd(3);
		left = apps + t3[inflow_co][c];
		t3[fwd][c] = left >= 4 ? rnd((uint32_t)left / 4) : 0;
		left -= t3[fwd][c];
		while (left > 0) {
			size_t o = rnd(10) < 7 ? outc[rnd(4)] : outc[rnd((uint32_t)nout)];
			double k = 1 + rnd((uint32_t)(left / 2 > 1 ? left / 2 : 1));

			if (k > left)
				k = left;
			t3[o][c] += k;
			t3[total][c] += k;
			left -= k;
		}
	}
	if (broken) {
		t3[fwd][0] += 2;	/* T3-BALANCE in the natural_person column */
	}
	for (size_t i = 0; i < 64 && i < nrows; i++) {
		double sum = 0;

		for (size_t c = 0; c + 1 < ncols; c++)
			sum += t3[i][c];
		t3[i][ncols - 1] = sum;
	}
	for (size_t c = 0; c < ncols && c < 7; c++)
		carry_out[c] = t3[fwd][c];
	for (size_t i = 0; i < nf; i++) {
		double v;

		if (f[i].table == 3) {
			size_t ri = (size_t)(f[i].row - rows), ci = (size_t)(f[i].col - cols);

			v = t3[ri][ci];
		} else if (f[i].table == 4) {
			v = (f[i].col->flags & FC_TOTAL) ? 0 : rnd(5) < 3 ? 0 : rnd(3);
		} else {
			v = f[i].col->kind == VK_SIGNED ? (double)rnd(25) - 5
			    : f[i].col->kind == VK_WAN ? rnd(4) * 12.5 : rnd(40);
		}
		report_set_value(r, i, VAL_NUMBER, v, NULL);
	}
	/* table-4 totals: the sum of their parts */
	for (size_t i = 0; i < nf; i++) {
		if (f[i].table != 4 || !(f[i].col->flags & FC_TOTAL))
			continue;
		for (size_t j = 0; j < nf; j++)
			if (f[j].row == f[i].row && (f[j].col->flags & FC_PART))
				r->values[i].num += r->values[j].num;
	}
}

int main(int argc, char **argv)
{
	size_t want = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 200000;
	size_t nbodies, reports = 0, findings = 0, pending = 0;
	struct body *bodies;
	struct store *st = NULL;
	struct err e = ERR_INIT;
	double t0 = now();
	struct stat sb;

	if (argc < 2 || !want) {
		fprintf(stderr, "usage: bench-reports-gen DB [N]\n");
		return 2;
	}
	unlink(argv[1]);
	/* one body in 50 misses one year: some bodies have "no report" for flags */
	bodies = make_bodies(want / NYEARS + want / NYEARS / 40 + 1, &nbodies);
	if (store_open(&st, argv[1], 0, &e) || store_begin(st, &e)) {
		fprintf(stderr, "bench-reports-gen: %s\n", e.msg);
		return 1;
	}
	for (size_t b = 0; b < nbodies && reports < want; b++) {
		struct report prev;
		double carry[8] = { 0 };
		int have_prev = 0;
		int skip_year = b % 50 == 7 ? (int)(b / 50 % NYEARS) : -1;

		report_init(&prev);
		for (int y = 0; y < NYEARS && reports < want; y++) {
			struct report r;
			struct finding_list fl;
			struct source_meta m = { 0 };
			struct buf loc = BUF_INIT(BUF_NOLIMIT);
			double carry_out[8] = { 0 };
			int64_t sid, rid;
			int is_new;

			if (y == skip_year) {
				have_prev = 0;
				continue;
			}
			report_init(&r);
			finding_list_init(&fl);
			r.organization = xstrdup(bodies[b].name);
			r.level = xstrdup(bodies[b].level);
			r.parent = bodies[b].parent[0] ? xstrdup(bodies[b].parent) : NULL;
			r.year = YEAR_FIRST + y;
			r.status = RS_COMPLETE;
			report_set_format(&r, r.year >= 2021 ? FMT_2021 : FMT_2019);
			fill_report(&r, have_prev ? carry : NULL, carry_out, bodies[b].scale,
				    rnd(20) == 0);
			buf_addf(&loc, "https://gov.example.cn/b%06zu/%d/report.html", b, r.year);
			m.location = buf_str(&loc);
			m.fetched_at = "2024-03-01T08:00:00Z";
			check_report(&r, have_prev ? &prev : NULL, &fl);
			if (store_put_source(st, &m, m.location, strlen(m.location), &sid, &is_new,
					     &e) ||
			    store_put_report(st, sid, &r, PARSER_VERSION, &rid, &e) ||
			    (fl.n && store_put_findings(st, rid, &fl, &e))) {
				fprintf(stderr, "bench-reports-gen: %s\n", e.msg);
				return 1;
			}
			findings += fl.n;
			finding_list_release(&fl);
			memcpy(carry, carry_out, sizeof(carry));
			report_release(&prev);
			prev = r;	/* kept for YEAR-CARRY of the next year */
			have_prev = 1;
			buf_release(&loc);
			reports++;
			if (++pending == BATCH) {
				pending = 0;
				if (store_commit(st, &e) || store_begin(st, &e)) {
					fprintf(stderr, "bench-reports-gen: %s\n", e.msg);
					return 1;
				}
				if (isatty(2))
					fprintf(stderr, "\r%zu reports", reports);
			}
		}
		report_release(&prev);
	}
	if (store_commit(st, &e)) {
		fprintf(stderr, "bench-reports-gen: %s\n", e.msg);
		return 1;
	}
	store_close(st);
	if (isatty(2))
		fputc('\n', stderr);
	stat(argv[1], &sb);
	printf("generated %zu reports of %zu bodies, %zu findings: %.0f MB in %.0f s\n", reports,
	       nbodies, findings, (double)sb.st_size / 1e6, now() - t0);
	free(bodies);
	return 0;
}
