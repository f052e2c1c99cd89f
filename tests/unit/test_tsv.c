/* Unit tests for model/tsv: lines, fields and messages of the facts files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/tsv.h"
#include "util/xalloc.h"

/* Collects the rows as "LINE:f1|f2|...\n"; fails on line stop_at. */
struct rows {
	char *seen;
	size_t stop_at;
};

static char *
collect(void *ctx, const struct tsv_field *f, size_t line)
{
	struct rows *r = ctx;
	char *next;

	if (line == r->stop_at)
		return tsv_errf(line, "stop at %zu", line);
	next = xasprintf("%s%zu:%.*s|%.*s\n", r->seen, line, (int)f[0].len,
			 f[0].p, (int)f[1].len, f[1].p);
	free(r->seen);
	r->seen = next;
	return NULL;
}

/* tsv_parse of len bytes of text into two fields: the error (or "") and
 * the rows seen, "<error>;<rows>", malloc'd. */
static char *
run(const char *text, size_t len, size_t stop_at)
{
	struct rows r = { xstrdup(""), stop_at };
	char *err = tsv_parse(text, len, 2, collect, &r);
	char *out = xasprintf("%s;%s", err ? err : "", r.seen);

	free(err);
	free(r.seen);
	return out;
}

static void
expect(const char *text, size_t stop_at, const char *want)
{
	char *got = run(text, strlen(text), stop_at);

	assert_string_equal(got, want);
	free(got);
}

static void
test_lines(void **state)
{
	(void)state;
	expect("", 0, ";");
	expect("\n\n", 0, ";");
	expect("a\tb", 0, ";1:a|b\n");                /* no final newline */
	expect("# c\n\n \t \n  # d\r\na\tb\r\nc\td\n", 0, ";5:a|b\n6:c|d\n");
	expect("a\tb\r\r\n", 0, ";1:a|b\r\n");       /* one CR only */
	expect("a\tb\n#\tx\tmore\n \n", 0, ";1:a|b\n");
	expect("a\tb\nc\td\ne\tf\n", 2, "line 2: stop at 2;1:a|b\n");

	/* text may be NULL, the length is what counts */
	{
		char *got = run(NULL, 5, 0);

		assert_string_equal(got, ";");
		free(got);
		got = run("a\tb\nc\td", 3, 0);
		assert_string_equal(got, ";1:a|b\n");
		free(got);
	}
}

static void
test_field_errors(void **state)
{
	static const char nul[] = "# \0 in a comment\na\tb\0c\n";
	char *got;

	(void)state;
	expect("a\n", 0, "line 1: missing field;");
	expect("a\t\n", 0, "line 1: missing field;");
	expect("\ta\n", 0, "line 1: missing field;");
	expect("a\tb\nx\ty\tz\n", 0, "line 2: too many fields;1:a|b\n");
	expect("a\tb\t\n", 0, "line 1: too many fields;");
	expect("a b\n", 0, "line 1: missing field;");
	got = run(nul, sizeof(nul) - 1, 0);
	assert_string_equal(got, "line 2: NUL byte;");
	free(got);
	/* a NUL is found before the fields are counted */
	got = run("a\tb\tc\0", 6, 0);
	assert_string_equal(got, "line 1: NUL byte;");
	free(got);
}

static void
test_messages(void **state)
{
	struct tsv_field f;
	struct cal_date d = { 1, 2, 3 };
	char *msg, *long_name;

	(void)state;
	msg = tsv_errf(7, "%s is %d", "x", 3);
	assert_string_equal(msg, "line 7: x is 3");
	free(msg);

	f.p = "holiday";
	f.len = 3;
	msg = tsv_bad_field(2, "unknown kind '%s'", f);
	assert_string_equal(msg, "line 2: unknown kind 'hol'");
	free(msg);

	/* at most 24 bytes, never half a character: 国 is 3 bytes */
	long_name = xasprintf("%s国国", "aaaaaaaaaaaaaaaaaaaaaa");
	f.p = long_name;
	f.len = strlen(long_name);
	msg = tsv_bad_field(1, "'%s'", f);
	assert_string_equal(msg, "line 1: 'aaaaaaaaaaaaaaaaaaaaaa'");
	free(msg);
	f.p = long_name + 1;
	f.len = strlen(long_name) - 1;
	msg = tsv_bad_field(1, "'%s'", f);
	assert_string_equal(msg, "line 1: 'aaaaaaaaaaaaaaaaaaaaa国'");
	free(msg);
	free(long_name);
	f.p = "2030-10-01 00:00:00 plus more";
	f.len = strlen(f.p);
	msg = tsv_bad_field(1, "'%s'", f);
	assert_string_equal(msg, "line 1: '2030-10-01 00:00:00 plus'");
	free(msg);

	f.p = "2030-10-01\tx";
	f.len = 10;
	assert_true(tsv_field_date(f, &d));
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20301001);
	f.len = 11;
	assert_false(tsv_field_date(f, &d));
	f.p = "2030-02-30";
	f.len = 10;
	assert_false(tsv_field_date(f, &d));
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20301001);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests_name("tsv", tests, NULL, NULL);
}
