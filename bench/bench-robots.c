/*
 * robots.txt matching at its worst: 250 rules built against backtracking
 * matchers ("/" then "*aaa...ab", "a*a*...*b", runs of 49 'a's between
 * stars), each about 1,900 octets, against a path of 8,000 'a's: the case
 * that took 4.9 s per URL with the earlier matcher (38 s per host).
 * Prints the time per robots_allowed() call; asserts nothing.
 *
 *   bench-robots [CALLS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crawler/robots.h"
#include "util/buf.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct buf txt = BUF_INIT(BUF_NOLIMIT);
	struct robots r;
	long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 20;
	size_t plen = 8000;
	char *path = malloc(plen + 2);
	double t0, t;
	int allowed = 0;

	if (!path || calls < 1)
		return 1;
	buf_adds(&txt, "User-agent: *\n");
	for (int k = 0; k < 250; k++) {
		buf_adds(&txt, "Disallow: /");
		for (int i = 0; i < 1900; i++) {
			int star = k % 3 == 0 ? i == 0 : k % 3 == 1 ? i % 2 : i % 50 == 0;

			buf_addc(&txt, star ? '*' : 'a');
		}
		buf_adds(&txt, "b\n");
	}
	robots_parse(buf_str(&txt), txt.len, "ogi", &r);
	path[0] = '/';
	memset(path + 1, 'a', plen);
	path[plen + 1] = '\0';
	t0 = now();
	for (long i = 0; i < calls; i++)
		allowed += robots_allowed(&r, path);
	t = now() - t0;
	printf("%zu rules of ~1900 octets, path of %zu octets: %.3f ms per URL (%ld calls, "
	       "%d allowed)\n", r.nrules, plen + 1, t * 1000 / (double)calls, calls, allowed);
	robots_release(&r);
	buf_release(&txt);
	free(path);
	return 0;
}
