/*
 * ogi seed add|import|list|rm|urls: the pages a crawl starts from (a
 * report-listing page or a single report page, with the body that
 * publishes it), and what the crawl found from each.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "crawler/crawl.h"
#include "crawler/discover.h"
#include "parser/meta.h"
#include "pipeline/pipeline.h"
#include "store/body.h"
#include "store/crawl.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A seeds file line longer than this is an error, not a seed. */
#define SEED_LINE_MAX (64 * 1024)

static const char usage_text[] =
	"usage: ogi seed add URL (--org NAME | --body BODY) [--level LEVEL] [--parent NAME]\n"
	"                    [--scope PATH] [--kind auto|listing|report]\n"
	"       ogi seed import FILE\n"
	"       ogi seed discover URL [--add] [--max-pages N] [--depth N] [--delay S]\n"
	"                     [--connect-to H:P:H2:P2]... [--user-agent UA]\n"
	"       ogi seed list [--org TEXT] [--format text|csv|json|html]\n"
	"       ogi seed rm ID...\n"
	"       ogi seed urls [--seed ID] [--state STATE] [--kind KIND] [--attachment-only]\n"
	"                     [--format text|csv|json|html]\n"
	"\n"
	"A seed is a page the crawl starts from: a report-listing (column) page,\n"
	"whose pagination and report links are followed, or a single report page.\n"
	"Adding a seed whose URL is known updates it.\n"
	"\n"
	"  --org NAME      the body that publishes the reports (required)\n"
	"  --body BODY     instead of --org: a known body (an id from 'ogi body list',\n"
	"                  or a name or alias); the seed takes its name, level and\n"
	"                  parent and follows its renames and merges\n"
	"  --level LEVEL   township, county, city, department or province\n"
	"  --parent NAME   the place the body belongs to (e.g. 晋江市)\n"
	"  --scope PATH    stay under this path on the seed's host (default: the host)\n"
	"  --kind KIND     listing, report, or auto (default): a listing page unless\n"
	"                  it shows no report or page link\n"
	"\n"
	"import reads a tab-separated file ('-': standard input), one seed a line:\n"
	"  URL <tab> ORG [<tab> LEVEL [<tab> PARENT [<tab> SCOPE [<tab> KIND]]]]\n"
	"Empty fields are absent; blank lines, lines starting with '#' and a header\n"
	"line starting with 'url' are skipped.  Bad lines are reported and skipped.\n"
	"\n"
	"discover walks a portal's 政府信息公开 catalogue from its home page or\n"
	"catalogue page (politely: robots.txt, --delay, default 1 s; at most\n"
	"--max-pages pages, default 300, --depth link hops, default 5) to every\n"
	"body's annual-report column (and the sitemaps robots.txt names), and prints\n"
	"them as a seeds file (body, level and parent guessed from the body's name\n"
	"and the catalogue, scope, kind) to review and import; --add adds them.\n"
	"What it cannot classify is said on stderr.\n"
	"\n"
	"list prints each seed with the URLs it led to, the report pages stored and\n"
	"the URLs whose last fetch failed.  rm removes seeds and their crawl state;\n"
	"the pages and reports they brought in stay.  urls lists what the crawl knows:\n"
	"kind (listing, report, attachment), state (new, ok, failed, skipped, listed),\n"
	"the last result and why it failed, the method (a list API's POST with its\n"
	"form body); --attachment-only lists the reports published only as an\n"
	"attachment (PDF, DOC, ...).\n";

static int usage_error(const char *msg)
{
	if (msg)
		cli_error("%s", msg);
	cli_usage(stderr, usage_text);
	return EXIT_USAGE;
}

/* ---- add ---- */

static int seed_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "level", required_argument, NULL, 'l' },
		{ "parent", required_argument, NULL, 'p' },
		{ "scope", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "body", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct seed s;
	struct store *st = NULL;
	struct err e = ERR_INIT;
	struct body body = { 0 };
	const char *body_arg = NULL;
	int64_t id = 0;
	int opt, created = 0, ret;

	store_seed_init(&s);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			free(s.org);
			s.org = xstrdup(optarg);
			break;
		case 'l':
			free(s.level);
			s.level = xstrdup(optarg);
			break;
		case 'p':
			free(s.parent);
			s.parent = xstrdup(optarg);
			break;
		case 's':
			free(s.scope);
			s.scope = xstrdup(optarg);
			break;
		case 'b':
			body_arg = optarg;
			break;
		case 'k':
			if (store_seed_kind_parse(optarg, &s.kind)) {
				cli_error("seed add: unknown kind '%s' (auto, listing, report)",
					  optarg);
				store_seed_release(&s);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			store_seed_release(&s);
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		default:
			store_seed_release(&s);
			return usage_error(NULL);
		}
	}
	if (optind != argc - 1) {
		store_seed_release(&s);
		return usage_error("seed add: want one URL");
	}
	if (body_arg && s.org) {
		store_seed_release(&s);
		return usage_error("seed add: --org or --body, not both");
	}
	s.url = xstrdup(argv[optind]);
	ret = cli_open_store(&st, 0);
	if (ret)
		goto out;
	if (body_arg) {
		if (store_body_find(st, body_arg, &body, &e)) {
			ret = cli_fail(&e);
			goto out;
		}
		s.org = xstrdup(body.name);
	}
	if (crawl_seed_check(&s, &e)) {
		cli_error("seed add: %s", e.msg);
		ret = EXIT_USAGE;
		goto out;
	}
	if (store_seed_put(st, &s, &id, &created, &e) ||
	    (body_arg && store_seed_set_body(st, id, body.id, &e))) {
		ret = cli_fail(&e);
		goto out;
	}
	if (!cli_quiet)
		cli_printf("%s seed %lld: %s  %s\n", created ? "added" : "updated", (long long)id,
			   s.org, s.url);
	ret = EXIT_OK;
out:
	store_close(st);
	store_body_release(&body);
	store_seed_release(&s);
	return ret;
}

/* ---- import ---- */

/* Reads one line of at most SEED_LINE_MAX bytes into b; 1, 0 at the end, -1 when too long. */
static int read_line(FILE *f, struct buf *b)
{
	int c;

	buf_reset(b);
	while ((c = getc(f)) != EOF) {
		if (c == '\n')
			return 1;
		if (buf_addc(b, (char)c)) {
			while ((c = getc(f)) != EOF && c != '\n')
				;
			return -1;
		}
	}
	return b->len ? 1 : 0;
}

static int seed_import(int argc, char **argv)
{
	const char *path;
	FILE *f;
	struct store *st = NULL;
	struct buf line = BUF_INIT(SEED_LINE_MAX);
	struct err e = ERR_INIT;
	size_t lineno = 0, added = 0, updated = 0, bad = 0;
	int ret, r;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cli_usage(stdout, usage_text);
		return EXIT_OK;
	}
	if (argc != 2)
		return usage_error("seed import: want one file");
	path = argv[1];
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		cli_error("cannot read '%s': %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	ret = cli_open_store(&st, 0);
	if (ret)
		goto out;
	/* All the file's seeds in one transaction: a crash imports all or none. */
	if (store_begin(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	while ((r = read_line(f, &line)) != 0) {
		struct seed s;
		int64_t id;
		int created, k;

		lineno++;
		if (r < 0) {
			cli_error("%s:%zu: line longer than %d bytes", path, lineno, SEED_LINE_MAX);
			bad++;
			continue;
		}
		store_seed_init(&s);
		k = crawl_parse_seed_line(buf_str(&line), &s, &e);
		if (k < 0) {
			cli_error("%s:%zu: %s", path, lineno, e.msg);
			bad++;
			continue;
		}
		if (k == 0)
			continue;
		if (store_seed_put(st, &s, &id, &created, &e)) {
			store_seed_release(&s);
			store_rollback(st);
			ret = cli_fail(&e);
			goto out;
		}
		if (created)
			added++;
		else
			updated++;
		store_seed_release(&s);
	}
	if (ferror(f)) {
		store_rollback(st);
		cli_error("cannot read '%s': %s", path, strerror(errno));
		ret = EXIT_FAIL;
		goto out;
	}
	if (store_commit(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (!cli_quiet)
		printf("%zu seeds: %zu added, %zu updated, %zu bad lines\n", added + updated, added,
		       updated, bad);
	ret = bad ? EXIT_FOUND : EXIT_OK;
out:
	if (f && f != stdin)
		fclose(f);
	buf_release(&line);
	store_close(st);
	return ret;
}

/* ---- discover ---- */

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* The place a site's name names: "海滨市人民政府" -> "海滨市"; NULL when none. */
static char *place_of(const char *site)
{
	static const char *const rests[] = { "人民政府门户网站", "政府门户网站", "人民政府",
					     "政府网", "政府", NULL };

	if (!site)
		return NULL;
	for (size_t i = 0; rests[i]; i++)
		if (ends_with(site, rests[i]) && strlen(site) > strlen(rests[i]))
			return xstrndup(site, strlen(site) - strlen(rests[i]));
	return NULL;
}

/*
 * The body of a column as its full name: the name found on the way (or
 * the site's), its government's word added (东湖镇 -> 东湖镇人民政府,
 * 城关街道 -> 城关街道办事处), and for a township or department named
 * without its place, the place of its site before it.
 */
static char *full_body_name(const struct discovered *d)
{
	const char *name = d->body ? d->body : d->site;
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	char *place = place_of(d->site);
	const char *level;

	if (!name) {
		free(place);
		return NULL;
	}
	buf_adds(&b, name);
	if (ends_with(name, "镇") || ends_with(name, "乡") || ends_with(name, "县") ||
	    ends_with(name, "区") || ends_with(name, "市") || ends_with(name, "旗"))
		buf_adds(&b, "人民政府");
	else if (ends_with(name, "街道"))
		buf_adds(&b, "办事处");
	level = meta_level_from_name(buf_str(&b));
	if (place && level && (!strcmp(level, "township") || !strcmp(level, "department")) &&
	    !starts_with(buf_str(&b), place)) {
		struct buf full = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&full, "%s%s", place, buf_str(&b));
		buf_release(&b);
		b = full;
	}
	free(place);
	return buf_take(&b);
}

/* The place a body belongs to: named in its name, else its site's or the portal's place. */
static char *parent_of(const char *full, const char *level, const struct discovered *d)
{
	char *p = meta_parent_from_name(full), *own;

	if (p || !level)
		return p;
	if (!strcmp(level, "township") || !strcmp(level, "department"))
		return place_of(d->site);
	if (strcmp(level, "county"))
		return NULL;
	p = place_of(d->start_site);
	own = place_of(full);
	if (p && own && !strcmp(p, own)) {
		free(p);
		p = NULL;
	}
	free(own);
	return p;
}

/* What discover says of a column's body. */
struct found_body {
	char *org, *parent;
	const char *level;
	int by_name;	/* a 市 whose level nothing but its name tells */
};

/*
 * A 市 is a prefecture or a county-level city (县级市); the name alone
 * says city.  The catalogue tells them apart: a 市 whose bodies found are
 * townships and no county or district, and which a portal of another 市
 * links as one of its bodies, is county-level (its parent that portal's
 * place).  A 市 with counties under it is a prefecture; any other keeps
 * its name's guess (by_name: a walk cut short by --depth may not have
 * seen its counties).
 */
static void structure_levels(const struct discover_result *r, struct found_body *fb)
{
	for (size_t i = 0; i < r->n; i++) {
		char *place, *portal;
		int towns = 0, counties = 0, listed;

		if (!fb[i].level || strcmp(fb[i].level, "city") || !(place = place_of(fb[i].org)))
			continue;
		for (size_t k = 0; k < r->n; k++) {
			if (k == i || !fb[k].parent || strcmp(fb[k].parent, place) || !fb[k].level)
				continue;
			towns += !strcmp(fb[k].level, "township");
			counties += !strcmp(fb[k].level, "county") || !strcmp(fb[k].level, "city");
		}
		portal = place_of(r->v[i].start_site);
		listed = r->v[i].body && portal && ends_with(portal, "市") && strcmp(portal, place);
		if (!counties && towns && listed) {
			fb[i].level = "county";
			if (!fb[i].parent && listed) {
				fb[i].parent = portal;
				portal = NULL;
			}
		} else if (!counties) {
			fb[i].by_name = 1;
		}
		free(portal);
		free(place);
	}
}

static int seed_discover(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "add", no_argument, NULL, 'a' },
		{ "max-pages", required_argument, NULL, 'm' },
		{ "depth", required_argument, NULL, 'd' },
		{ "delay", required_argument, NULL, 'w' },
		{ "connect-to", required_argument, NULL, 'c' },
		{ "user-agent", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct discover_opts o;
	struct discover_result res = { 0 };
	struct found_body *fb = NULL;
	struct store *st = NULL;
	struct err e = ERR_INIT;
	const char **connect = NULL;
	size_t nconnect = 0, aconnect = 0, added = 0, updated = 0, skipped = 0;
	int add = 0, c, ret = EXIT_OK;
	long v;

	discover_opts_init(&o);
	o.decode = pipeline_decode_page;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			add = 1;
			break;
		case 'm':
			if (cli_parse_long(optarg, &v) || v < 1)
				goto bad;
			o.max_pages = v;
			break;
		case 'd':
			if (cli_parse_long(optarg, &v) || v < 0 || v > 100)
				goto bad;
			o.max_depth = (int)v;
			break;
		case 'w': {
			char *end;
			double d = strtod(optarg, &end);

			if (end == optarg || *end || !(d >= 0 && d <= 3600))
				goto bad;
			o.fetch.host_delay = d;
			break;
		}
		case 'c':
			ALLOC_GROW(connect, nconnect + 2, aconnect);
			connect[nconnect++] = optarg;
			connect[nconnect] = NULL;
			break;
		case 'u':
			o.fetch.user_agent = optarg;
			break;
		case 'h':
			cli_usage(stdout, usage_text);
			free(connect);
			return EXIT_OK;
		default:
			free(connect);
			return usage_error(NULL);
		}
	}
	if (argc - optind != 1) {
		free(connect);
		return usage_error("seed discover: want one URL");
	}
	o.fetch.connect_to = connect;
	if (add && (ret = cli_open_store(&st, 0)))
		goto out;
	if (discover_run(argv[optind], &o, &res, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (st && store_begin(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (!add)
		printf("# url\torganization\tlevel\tparent\tscope\tkind\n");
	fb = xcalloc(res.n ? res.n : 1, sizeof(*fb));
	for (size_t i = 0; i < res.n; i++) {
		fb[i].org = full_body_name(&res.v[i]);
		fb[i].level = fb[i].org ? meta_level_from_name(fb[i].org) : NULL;
		fb[i].parent = fb[i].org ? parent_of(fb[i].org, fb[i].level, &res.v[i]) : NULL;
	}
	structure_levels(&res, fb);
	for (size_t i = 0; i < res.n; i++) {
		const struct discovered *d = &res.v[i];
		char *org = fb[i].org, *parent = fb[i].parent;
		const char *level = fb[i].level;
		const char *kind = d->report ? "report" : "listing";

		fb[i].org = fb[i].parent = NULL;
		if (!org) {
			cli_error("seed discover: no body named on the way to '%s': left out", d->url);
			skipped++;
			continue;
		}
		if (fb[i].by_name)
			cli_error("seed discover: '%s' taken to be a city from its name alone "
				  "(no township or county found under it): a county-level city "
				  "is a county", org);
		if (d->sitemap && !d->linked)
			cli_error("seed discover: '%s' (%s) found only in a sitemap: no page "
				  "links it", d->url, org);
		if (!level)
			cli_error("seed discover: cannot tell the level of '%s' (%s): left empty",
				  org, d->url);
		if (!d->report && !d->fetched)
			cli_error("seed discover: '%s' (%s) could not be fetched: scope left to the "
				  "whole host", d->url, org);
		else if (!d->report && !d->reports)
			cli_error("seed discover: '%s' (%s) shows no report yet", d->url, org);
		if (add) {
			struct seed s;
			int created;

			store_seed_init(&s);
			s.url = xstrdup(d->url);
			s.org = org;
			s.level = level ? xstrdup(level) : NULL;
			s.parent = parent;
			s.scope = d->scope ? xstrdup(d->scope) : NULL;
			s.kind = d->report ? SEED_REPORT : SEED_LISTING;
			org = parent = NULL;
			if (crawl_seed_check(&s, &e) || store_seed_put(st, &s, NULL, &created, &e)) {
				store_seed_release(&s);
				store_rollback(st);
				ret = cli_fail(&e);
				goto out;
			}
			if (created)
				added++;
			else
				updated++;
			store_seed_release(&s);
		} else {
			cli_printf("%s\t%s\t%s\t%s\t%s\t%s\n", d->url, org, level ? level : "",
				   parent ? parent : "", d->scope ? d->scope : "", kind);
		}
		free(org);
		free(parent);
	}
	if (st && store_commit(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (res.cut)
		cli_error("seed discover: %ld links not followed: past --max-pages %ld", res.cut,
			  o.max_pages);
	if (!cli_quiet)
		fprintf(stderr, "ogi: seed discover: %zu columns in %ld pages (%ld failed)\n",
			res.n, res.pages, res.failed);
	if (add && !cli_quiet)
		printf("%zu seeds: %zu added, %zu updated, %zu left out\n", added + updated, added,
		       updated, skipped);
	ret = res.n ? EXIT_OK : EXIT_FOUND;
out:
	for (size_t i = 0; fb && i < res.n; i++) {
		free(fb[i].org);
		free(fb[i].parent);
	}
	free(fb);
	discover_result_release(&res);
	store_close(st);
	free(connect);
	return ret;
bad:
	free(connect);
	cli_error("seed discover: bad value '%s'", optarg);
	return EXIT_USAGE;
}

/* ---- list ---- */

static int parse_format(const char *arg, enum table_format *tf)
{
	if (!table_format_parse(arg, tf))
		return 0;
	cli_error("seed: unknown format '%s'", arg);
	return -1;
}

static int seed_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct seed_list l = { 0 };
	struct store *st = NULL;
	struct table *t = NULL;
	struct err e = ERR_INIT;
	enum table_format tf = TF_TEXT;
	const char *org = NULL;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'o') {
			org = optarg;
		} else if (opt == 'f') {
			if (parse_format(optarg, &tf))
				return EXIT_USAGE;
		} else if (opt == 'h') {
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		} else {
			return usage_error(NULL);
		}
	}
	if (optind != argc)
		return usage_error("seed list: unexpected argument");
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret)
		return ret;
	if (store_seed_list(st, org, &l, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	t = table_new();
	table_add_column(t, "id", TA_RIGHT);
	table_add_column(t, "organization", TA_LEFT);
	table_add_column(t, "level", TA_LEFT);
	table_add_column(t, "parent", TA_LEFT);
	table_add_column(t, "kind", TA_LEFT);
	table_add_column(t, "urls", TA_RIGHT);
	table_add_column(t, "reports", TA_RIGHT);
	table_add_column(t, "failed", TA_RIGHT);
	table_add_column(t, "last_fetched", TA_LEFT);
	table_add_column(t, "scope", TA_LEFT);
	table_add_column(t, "url", TA_LEFT);
	for (size_t i = 0; i < l.n; i++) {
		const struct seed *s = &l.v[i];

		table_add_row(t);
		table_set_num(t, 0, (double)s->id);
		table_set_str(t, 1, s->org);
		table_set_str(t, 2, s->level);
		table_set_str(t, 3, s->parent);
		table_set_str(t, 4, store_seed_kind_name(s->kind));
		table_set_num(t, 5, (double)s->urls);
		table_set_num(t, 6, (double)s->reports);
		table_set_num(t, 7, (double)s->failed);
		table_set_str(t, 8, s->last_fetched);
		table_set_str(t, 9, s->scope);
		table_set_str(t, 10, s->url);
	}
	ret = cli_write_table(t, tf, 0);
out:
	table_free(t);
	store_seed_list_release(&l);
	store_close(st);
	return ret;
}

/* ---- rm ---- */

static int seed_rm(int argc, char **argv)
{
	struct store *st = NULL;
	struct err e = ERR_INIT;
	int ret = EXIT_OK;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cli_usage(stdout, usage_text);
		return EXIT_OK;
	}
	if (argc < 2)
		return usage_error("seed rm: want a seed id");
	for (int i = 1; i < argc; i++) {
		long id;

		if (cli_parse_long(argv[i], &id) || !id) {
			cli_error("seed rm: bad seed id '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	ret = cli_open_store(&st, 0);
	if (ret)
		return ret;
	for (int i = 1; i < argc; i++) {
		long id;

		cli_parse_long(argv[i], &id);
		if (store_seed_remove(st, id, &e)) {
			int r = cli_fail(&e);

			/* an unknown id is the user's mistake; go on with the others */
			if (e.code != OGI_ENOTFOUND) {
				ret = r;
				break;
			}
			ret = EXIT_FOUND;
			continue;
		}
		if (!cli_quiet)
			printf("removed seed %ld\n", id);
	}
	store_close(st);
	return ret;
}

/* ---- urls ---- */

static int parse_name(const char *arg, const char *(*name)(int), int n, int *out)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(arg, name(i))) {
			*out = i;
			return 0;
		}
	return -1;
}

static const char *state_name(int i)
{
	return store_frontier_state_name((enum frontier_state)i);
}

static const char *kind_name(int i)
{
	return store_frontier_kind_name((enum frontier_kind)i);
}

static int seed_urls(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 'S' },
		{ "kind", required_argument, NULL, 'k' },
		{ "attachment-only", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct frontier_filter flt = { 0, 0, -1, -1, 0 };
	struct frontier_list l = { 0 };
	struct store *st = NULL;
	struct table *t = NULL;
	struct err e = ERR_INIT;
	enum table_format tf = TF_TEXT;
	int opt, ret;
	long id;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (cli_parse_long(optarg, &id) || !id) {
				cli_error("seed urls: bad seed id '%s'", optarg);
				return EXIT_USAGE;
			}
			flt.seed_id = id;
			break;
		case 'S':
			if (parse_name(optarg, state_name, FS_LISTED + 1, &flt.state)) {
				cli_error("seed urls: unknown state '%s' (new, ok, failed, "
					  "skipped, listed)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'k':
			if (parse_name(optarg, kind_name, FK_ATTACHMENT + 1, &flt.kind)) {
				cli_error("seed urls: unknown kind '%s' (listing, report, "
					  "attachment)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'a':
			flt.attachment_only = 1;
			break;
		case 'f':
			if (parse_format(optarg, &tf))
				return EXIT_USAGE;
			break;
		case 'h':
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		default:
			return usage_error(NULL);
		}
	}
	if (optind != argc)
		return usage_error("seed urls: unexpected argument");
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret)
		return ret;
	if (store_frontier_list(st, &flt, &l, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	t = table_new();
	table_add_column(t, "seed", TA_RIGHT);
	table_add_column(t, "kind", TA_LEFT);
	table_add_column(t, "state", TA_LEFT);
	table_add_column(t, "result", TA_LEFT);
	table_add_column(t, "note", TA_LEFT);
	table_add_column(t, "http", TA_RIGHT);
	table_add_column(t, "error", TA_LEFT);
	table_add_column(t, "text", TA_LEFT);
	/* a POSTed list request is its URL and its form body: two rows of one URL */
	table_add_column(t, "method", TA_LEFT);
	table_add_column(t, "body", TA_LEFT);
	table_add_column(t, "url", TA_LEFT);
	for (size_t i = 0; i < l.n; i++) {
		const struct frontier_url *u = &l.v[i];

		table_add_row(t);
		table_set_num(t, 0, (double)u->seed_id);
		table_set_str(t, 1, store_frontier_kind_name(u->kind));
		table_set_str(t, 2, store_frontier_state_name(u->state));
		table_set_str(t, 3, u->result);
		table_set_str(t, 4, u->note);
		if (u->http_status)
			table_set_num(t, 5, u->http_status);
		table_set_str(t, 6, u->error);
		table_set_str(t, 7, u->link_text);
		table_set_str(t, 8, u->post_body ? "POST" : "GET");
		table_set_str(t, 9, u->post_body);
		table_set_str(t, 10, u->url);
	}
	ret = cli_write_table(t, tf, 0);
out:
	table_free(t);
	store_frontier_list_release(&l);
	store_close(st);
	return ret;
}

int cmd_seed(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} subs[] = {
		{ "add", seed_add }, { "import", seed_import }, { "list", seed_list },
		{ "rm", seed_rm }, { "urls", seed_urls }, { "discover", seed_discover },
	};

	if (argc < 2)
		return usage_error("seed: want add, import, discover, list, rm or urls");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage(stdout, usage_text);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1);
	cli_error("seed: unknown subcommand '%s' (add, import, discover, list, rm, urls)",
		  argv[1]);
	cli_usage(stderr, usage_text);
	return EXIT_USAGE;
}
