/*
 * Out of memory and size overflow end in one place (util/xalloc.c) with a
 * message and abort().  Each case runs in a child (this binary run again
 * with the case's name), as the abort is the thing tested; under ASan the
 * child is told to let malloc return NULL, as glibc does.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/re.h"
#include "util/xalloc.h"
#include "tests/unit/t.h"

struct die_case {
	const char *name;
	const char *message;	/* what stderr must hold */
};

static const struct die_case cases[] = {
	{ "xmalloc-huge", "ogi: out of memory: cannot allocate 18446744073709551615 bytes" },
	{ "xrealloc-huge", "ogi: out of memory: cannot allocate 18446744073709551614 bytes" },
	{ "xcalloc-huge", "ogi: out of memory: cannot allocate 18446744073709551614 bytes" },
	{ "xcalloc-overflow", "ogi: size overflow: 9223372036854775807 * 4" },
	{ "xreallocarray-overflow", "ogi: size overflow: 3 * 6148914691236517206" },
	{ "xmemdup-overflow", "ogi: size overflow: 18446744073709551615 + 1" },
	{ "st-add", "ogi: size overflow: 18446744073709551615 + 2" },
	{ "alloc-grow", "ogi: size overflow: 18446744073709551615 * 8" },
	{ "xalloc-die", "ogi: out of memory: cannot allocate 123 bytes" },
};

/* The child's side: does what the case says, which must not return. */
static int child(const char *name)
{
	volatile size_t huge = SIZE_MAX;	/* volatile: no compile-time warning or folding */
	void *p = NULL;

	if (!strcmp(name, "xmalloc-huge"))
		p = xmalloc(huge);
	else if (!strcmp(name, "xrealloc-huge"))
		p = xrealloc(NULL, huge - 1);
	else if (!strcmp(name, "xcalloc-huge"))
		p = xcalloc(huge / 2, 2);
	else if (!strcmp(name, "xcalloc-overflow"))
		p = xcalloc(huge / 2, 4);
	else if (!strcmp(name, "xreallocarray-overflow"))
		p = xreallocarray(NULL, 3, huge / 3 + 1);
	else if (!strcmp(name, "xmemdup-overflow"))
		p = xmemdup("", huge);
	else if (!strcmp(name, "st-add"))
		printf("%zu\n", st_add(huge, 2));
	else if (!strcmp(name, "alloc-grow")) {
		uint64_t *arr = NULL;
		size_t alloc = 0;

		ALLOC_GROW(arr, huge, alloc);
		p = arr;
	} else if (!strcmp(name, "xalloc-die"))
		xalloc_die(123);
	free(p);
	return 0;	/* reaching here is the failure */
}

/* Runs case c in a child; its exit status in *status, its stderr into out. */
static void run_child(const struct die_case *c, int *status, char *out, size_t outsz)
{
	int fd[2];
	pid_t pid;
	size_t got = 0;
	ssize_t n;

	out[0] = '\0';
	if (pipe(fd)) {
		CHECK(!"pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		const char *asan = getenv("ASAN_OPTIONS");
		char opts[512];
		struct rlimit nocore = { 0, 0 };

		setrlimit(RLIMIT_CORE, &nocore);
		snprintf(opts, sizeof(opts), "%s%sallocator_may_return_null=1", asan ? asan : "",
			 asan && *asan ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		execl("/proc/self/exe", "test-xalloc", c->name, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while (got + 1 < outsz && (n = read(fd[0], out + got, outsz - 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	out[got] = '\0';
	close(fd[0]);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

static void test_dies_with_message(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[4096];
		int status = 0;

		run_child(&cases[i], &status, out, sizeof(out));
		if (!CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT))
			fprintf(stderr, "    case %s: status %#x, stderr: %s\n", cases[i].name,
				status, out);
		if (!CHECK(strstr(out, cases[i].message)))
			fprintf(stderr, "    case %s: want '%s' in: %s\n", cases[i].name,
				cases[i].message, out);
	}
}

/* What does not die: zero sizes and sums at the edge. */
static void test_edges(void)
{
	char *p = xmalloc(0), *q = xcalloc(0, 0), *s = xstrndup("abc", 2);
	pcre2_match_data *md = re_match_data(4);

	CHECK(p && q && md);
	CHECK_STR(s, "ab");
	CHECK_INT(st_add(SIZE_MAX - 1, 1) == SIZE_MAX, 1);
	CHECK_INT(st_mult(SIZE_MAX / 2, 2) == SIZE_MAX - 1, 1);
	CHECK_INT(st_mult(0, SIZE_MAX), 0);
	p = xrealloc(p, 0);
	CHECK(p);
	free(p);
	free(q);
	free(s);
	pcre2_match_data_free(md);
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return child(argv[1]);
	RUN(test_dies_with_message);
	RUN(test_edges);
	return t_done(__FILE__);
}
