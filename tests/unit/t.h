#ifndef OGI_T_H
#define OGI_T_H
/*
 * A minimal table-friendly unit test harness.  Each test file defines
 * test functions and a main() that RUNs them and returns t_done().  A test
 * case fails when any of its CHECKs fails; the file prints
 * "# <file>: N passed, N failed" and tests/run.sh adds the files up.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int t_case_failed, t_passed, t_failed;
static const char *t_case;

static inline int t_check(int ok, const char *file, int line, const char *what)
{
	if (!ok) {
		fprintf(stderr, "  FAIL %s:%d [%s]: %s\n", file, line, t_case ? t_case : "", what);
		t_case_failed = 1;
	}
	return ok;
}

#define CHECK(cond) t_check(!!(cond), __FILE__, __LINE__, #cond)

/* Failure details go straight to stderr: no fixed buffer to truncate. */
static inline void t_fail_at(const char *file, int line)
{
	fprintf(stderr, "  FAIL %s:%d [%s]: ", file, line, t_case ? t_case : "");
	t_case_failed = 1;
}

#define CHECK_INT(a, b)                                                                    \
	do {                                                                               \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);                    \
		if (t_a_ != t_b_) {                                                        \
			t_fail_at(__FILE__, __LINE__);                                     \
			fprintf(stderr, "%s == %s (%lld vs %lld)\n", #a, #b, t_a_, t_b_); \
		}                                                                          \
	} while (0)

#define CHECK_DBL(a, b)                                                                      \
	do {                                                                                 \
		double t_a_ = (a), t_b_ = (b);                                               \
		if (!(fabs(t_a_ - t_b_) < 1e-9)) {                                           \
			t_fail_at(__FILE__, __LINE__);                                       \
			fprintf(stderr, "%s == %s (%.10g vs %.10g)\n", #a, #b, t_a_, t_b_); \
		}                                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                                     \
	do {                                                                                \
		const char *t_a_ = (a), *t_b_ = (b);                                        \
		if (!((!t_a_ && !t_b_) || (t_a_ && t_b_ && !strcmp(t_a_, t_b_)))) {        \
			t_fail_at(__FILE__, __LINE__);                                      \
			fprintf(stderr, "%s == %s ('%s' vs '%s')\n", #a, #b,              \
				t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)");            \
		}                                                                           \
	} while (0)

#define RUN(fn)                                                   \
	do {                                                      \
		t_case = #fn;                                     \
		t_case_failed = 0;                                \
		fn();                                             \
		if (t_case_failed) {                              \
			t_failed++;                               \
			fprintf(stderr, "not ok %s\n", #fn);      \
		} else {                                          \
			t_passed++;                               \
		}                                                 \
	} while (0)

static inline int t_done(const char *file)
{
	printf("# %s: %d passed, %d failed\n", file, t_passed, t_failed);
	return t_failed ? 1 : 0;
}

/* Directory holding tests/fixtures, from the environment (set by tests/run.sh). */
static inline const char *t_fixtures(void)
{
	const char *d = getenv("OGI_FIXTURES");

	return d ? d : "tests/fixtures";
}

/*
 * The bytes of the fixture file <t_fixtures()>/<dir><name> (dir "" or ending
 * in '/'), NUL-terminated and malloc'd, their count in *len; NULL when it
 * cannot be read.
 */
static inline char *t_slurp(const char *dir, const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	char *p = NULL;
	long n;

	*len = 0;
	snprintf(path, sizeof(path), "%s/%s%s", t_fixtures(), dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		p = malloc((size_t)n + 1);
		if (p) {
			*len = fread(p, 1, (size_t)n, f);
			p[*len] = '\0';
		}
	}
	fclose(f);
	return p;
}

#endif
