/*
 * The fetch engine's scale: N URLs over H virtual hosts of the loopback
 * fixture server (all reached through CURLOPT_CONNECT_TO), no politeness
 * delay, robots.txt ignored.  Prints the memory held by the queue and the
 * peak while it drains, and the request rate (a loopback figure: it says
 * what the engine costs, not what a real crawl will do).
 *
 *   bench-fetch PORT N [HOSTS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "crawler/fetch.h"

static size_t delivered, failed;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, resident = 0;

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * 4;
}

static void on_done(struct fetcher *f, const struct fetch_result *r, void *arg)
{
	(void)f;
	(void)arg;
	delivered++;
	/* the tree has no such pages: a 404 is the expected answer */
	if (r->cls != FETCH_HTTP_4XX)
		failed++;
}

int main(int argc, char **argv)
{
	static char names[256][64];
	static const char *list[257];
	struct fetch_opts o;
	struct fetch_stats st;
	struct err e = ERR_INIT;
	struct fetcher *f;
	struct rusage ru;
	long port, n, hosts, i, rss0, rss1;
	double t0, t1;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-fetch PORT N [HOSTS]\n");
		return 2;
	}
	port = strtol(argv[1], NULL, 10);
	n = strtol(argv[2], NULL, 10);
	hosts = argc > 3 ? strtol(argv[3], NULL, 10) : 50;
	if (hosts < 1 || hosts > 256 || n < 1)
		return 2;
	for (i = 0; i < hosts; i++) {
		snprintf(names[i], sizeof(names[i]), "h%ld.test:80:127.0.0.1:%ld", i, port);
		list[i] = names[i];
	}
	list[hosts] = NULL;
	fetch_opts_init(&o);
	o.connect_to = list;
	o.host_delay = 0;
	o.ignore_robots = 1;
	o.done = on_done;
	f = fetcher_new(&o, &e);
	if (!f) {
		fprintf(stderr, "bench-fetch: %s\n", e.msg);
		return 1;
	}
	rss0 = rss_kb();
	for (i = 0; i < n; i++) {
		char url[160];

		snprintf(url, sizeof(url),
			 "http://h%ld.test/xxgk/zfxxgkzl/zjdgk/%ld/zfxxgkndbg/202601/t20260119_%ld.htm",
			 i % hosts, i % 97, 3000000 + i);
		fetcher_add(f, url, NULL, NULL, (void *)(intptr_t)i);
	}
	rss1 = rss_kb();
	t0 = now();
	if (fetcher_run(f, &e)) {
		fprintf(stderr, "bench-fetch: %s\n", e.msg);
		return 1;
	}
	t1 = now();
	fetcher_stats(f, &st);
	fetcher_free(f);
	getrusage(RUSAGE_SELF, &ru);
	printf("%ld URLs over %ld hosts: queue holds %ld KB (%.0f bytes/URL)\n", n, hosts,
	       rss1 - rss0, (double)(rss1 - rss0) * 1024 / (double)n);
	printf("  %lu requests in %.2f s: %.0f requests/s, %zu unexpected results\n", st.requests,
	       t1 - t0, (double)st.requests / (t1 - t0), failed);
	printf("  peak RSS %ld KB\n", ru.ru_maxrss);
	return delivered == (size_t)n ? 0 : 1;
}
