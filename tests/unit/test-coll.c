/* parser/coll.h: text gathered piece by piece, white space collapsed, breaks joining CJK words. */
#include <stdlib.h>
#include <string.h>

#include "parser/coll.h"
#include "tests/unit/t.h"

static void add(struct coll *c, const char *s)
{
	coll_add(c, s, strlen(s));
}

static void check_take(struct coll *c, const char *want)
{
	char *got = coll_take(c);

	CHECK_STR(got, want);
	free(got);
}

static void test_spaces(void)
{
	struct coll c;

	coll_init(&c, 1 << 20);
	add(&c, "  \t新收政府\n\r\n信息公开 ");
	add(&c, "申请\xC2\xA0\xC2\xA0数量\v\f");
	check_take(&c, "新收政府 信息公开 申请 数量");
	/* taken: empty again, nothing pending */
	add(&c, "   ");
	check_take(&c, "");
	coll_release(&c);
}

static void test_breaks(void)
{
	struct coll c;

	coll_init(&c, 1 << 20);
	/* a break inside a label joins CJK text... */
	add(&c, "本年新收");
	c.brk = 1;
	add(&c, "政府信息公开申请数量");
	check_take(&c, "本年新收政府信息公开申请数量");
	/* ...but keeps numbers and words apart */
	add(&c, "12");
	c.brk = 1;
	add(&c, "34");
	c.brk = 1;
	add(&c, "ab");
	check_take(&c, "12 34 ab");
	/* a digit after CJK text joins; white space always separates */
	add(&c, "共");
	c.brk = 1;
	add(&c, "5件");
	add(&c, " 其中");
	check_take(&c, "共5件 其中");
	/* reset drops what was gathered and the pending state */
	add(&c, "x ");
	coll_reset(&c);
	add(&c, "y");
	check_take(&c, "y");
	coll_release(&c);
}

static void test_limit(void)
{
	struct coll c;
	char *got;

	coll_init(&c, 8);
	add(&c, "1234");
	add(&c, " 5678 90");
	got = coll_take(&c);
	CHECK(strlen(got) <= 8);
	CHECK(!strncmp(got, "1234", 4));
	free(got);
	coll_release(&c);
}

int main(void)
{
	RUN(test_spaces);
	RUN(test_breaks);
	RUN(test_limit);
	return t_done(__FILE__);
}
