/* Unit tests for model/calendar: dates, the facts file, working days. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/calendar.h"
#include "model/docdata.h"
#include "util/file.h"

#define CAL_FILE "db/calendar/cn-workday-calendar.tsv"

static struct cal_date
D(const char *s)
{
	struct cal_date d = { 0, 0, 0 };

	if (!cal_date_parse(s, &d))
		fail_msg("bad date in test: %s", s);
	return d;
}

static void
assert_date(struct cal_date d, const char *want)
{
	char buf[11];

	cal_date_format(d, buf);
	assert_string_equal(buf, want);
}

/* ---- dates --------------------------------------------------------------- */

static void
test_date_parse(void **state)
{
	struct cal_date d = { 1, 2, 3 };

	(void)state;
	assert_true(cal_date_parse("2026-10-01", &d));
	assert_int_equal(d.y, 2026);
	assert_int_equal(d.m, 10);
	assert_int_equal(d.d, 1);
	assert_true(cal_date_parse("2024-02-29", &d));    /* leap year */
	assert_true(cal_date_parse("2000-02-29", &d));    /* 400 rule */
	assert_true(cal_date_parse("0001-01-01", &d));
	assert_true(cal_date_parse("9999-12-31", &d));

	d.y = 7;
	assert_false(cal_date_parse("2026-02-29", &d));
	assert_false(cal_date_parse("1900-02-29", &d));   /* 100 rule */
	assert_false(cal_date_parse("2026-04-31", &d));
	assert_false(cal_date_parse("2026-13-01", &d));
	assert_false(cal_date_parse("2026-00-10", &d));
	assert_false(cal_date_parse("2026-01-00", &d));
	assert_false(cal_date_parse("0000-01-01", &d));
	assert_false(cal_date_parse("2026-1-01", &d));
	assert_false(cal_date_parse("2026-01-1", &d));
	assert_false(cal_date_parse("2026/01/01", &d));
	assert_false(cal_date_parse("2026-01-01 ", &d));
	assert_false(cal_date_parse(" 2026-01-01", &d));
	assert_false(cal_date_parse("2026-01-0x", &d));
	assert_false(cal_date_parse("+026-01-01", &d));
	assert_false(cal_date_parse("", &d));
	assert_false(cal_date_parse(NULL, &d));
	assert_int_equal(d.y, 7);                         /* untouched */
}

static void
test_date_format(void **state)
{
	struct cal_date d = { 2026, 2, 3 }, early = { 5, 1, 9 };
	struct cal_date bad = { 2026, 2, 30 };

	(void)state;
	assert_date(d, "2026-02-03");
	assert_date(early, "0005-01-09");
	assert_date(bad, "?\?\?\?-?\?-?\?");
}

static void
test_days_weekday(void **state)
{
	long k;

	(void)state;
	assert_int_equal(cal_days(D("1970-01-01")), 0);
	assert_int_equal(cal_days(D("1970-01-02")), 1);
	assert_int_equal(cal_days(D("1969-12-31")), -1);
	assert_int_equal(cal_days(D("2000-03-01")), 11017);
	assert_int_equal(cal_days(D("2026-10-01")), 20727);
	assert_int_equal(cal_days(D("0001-01-01")), -719162);
	assert_date(cal_from_days(20727), "2026-10-01");
	assert_date(cal_from_days(-1), "1969-12-31");
	assert_date(cal_from_days(11016), "2000-02-29");
	assert_date(cal_from_days(-719162), "0001-01-01");
	assert_date(cal_from_days(cal_days(D("9999-12-31"))), "9999-12-31");

	assert_int_equal(cal_weekday(D("1970-01-01")), 4);  /* Thursday */
	assert_int_equal(cal_weekday(D("2026-10-01")), 4);
	assert_int_equal(cal_weekday(D("2026-10-10")), 6);  /* Saturday */
	assert_int_equal(cal_weekday(D("2026-02-28")), 6);
	assert_int_equal(cal_weekday(D("2026-03-01")), 0);  /* Sunday */
	assert_int_equal(cal_weekday(D("1969-12-28")), 0);
	assert_int_equal(cal_weekday(D("2000-01-01")), 6);

	/* round trip and consecutive weekdays across four centuries */
	for (k = -800; k < 146097 + 800; k++) {
		long day = k + cal_days(D("1900-01-01"));
		struct cal_date d = cal_from_days(day);

		assert_true(cal_date_valid(d));
		assert_int_equal(cal_days(d), day);
		assert_int_equal(cal_weekday(cal_from_days(day + 1)),
				 (cal_weekday(d) + 1) % 7);
	}
}

/* ---- the real facts file ------------------------------------------------- */

static int
load_real(void **state)
{
	size_t len;
	char *text = file_read(CAL_FILE, 1u << 20, &len);
	char *err = (char *)"unset";
	struct calendar *cal;

	if (text == NULL)
		fail_msg("cannot read %s: %s (run from the repository root)",
			 CAL_FILE, strerror(errno));
	cal = cal_parse(text, len, &err);
	free(text);
	if (cal == NULL) {
		fprintf(stderr, "%s: %s\n", CAL_FILE, err ? err : "?");
		free(err);
		return -1;
	}
	if (err != NULL)
		return -1;
	*state = cal;
	return 0;
}

static int
free_real(void **state)
{
	struct calendar *cal = *state;

	cal_free(&cal);
	assert_null(cal);
	return 0;
}

static int
workday(void **state, const char *date)
{
	return cal_is_workday(*state, D(date));
}

static void
test_real_entries(void **state)
{
	const struct calendar *cal = *state;
	size_t i, n = cal_count(cal);
	const struct cal_entry *e;

	assert_true(n > 100);
	for (i = 1; i < n; i++)
		assert_true(cal_days(cal_entry_at(cal, i - 1)->day) <
			    cal_days(cal_entry_at(cal, i)->day));
	assert_null(cal_entry_at(cal, n));

	/* the first line is 2024-01-01 元旦; ranges are expanded per day */
	e = cal_entry_at(cal, 0);
	assert_date(e->day, "2024-01-01");
	assert_int_equal(e->kind, 'o');
	assert_string_equal(e->name, "元旦");
	for (i = 0; i < n; i++) {
		e = cal_entry_at(cal, i);
		if (e->day.y == 2026 && e->day.m == 10 && e->day.d <= 10)
			break;
	}
	assert_true(i + 7 < n);
	assert_date(cal_entry_at(cal, i)->day, "2026-10-01");
	assert_date(cal_entry_at(cal, i + 6)->day, "2026-10-07");
	assert_string_equal(cal_entry_at(cal, i + 6)->name, "国庆节");
	assert_int_equal(cal_entry_at(cal, i + 6)->kind, 'o');
	assert_date(cal_entry_at(cal, i + 7)->day, "2026-10-10");
	assert_int_equal(cal_entry_at(cal, i + 7)->kind, 'w');
	assert_date(cal_entry_at(cal, n - 1)->day, "2026-10-10");
}

static void
test_real_workdays(void **state)
{
	(void)state;
	assert_int_equal(workday(state, "2026-10-01"), 0);   /* 国庆 (Thu) */
	assert_int_equal(workday(state, "2026-10-05"), 0);   /* 国庆 (Mon) */
	assert_int_equal(workday(state, "2026-10-08"), 1);
	assert_int_equal(workday(state, "2026-10-10"), 1);   /* Sat, 调休 */
	assert_int_equal(workday(state, "2026-10-11"), 0);   /* plain Sunday */
	assert_int_equal(workday(state, "2026-02-28"), 1);   /* Sat, 调休 */
	assert_int_equal(workday(state, "2026-03-07"), 0);   /* plain Saturday */
	assert_int_equal(workday(state, "2026-03-09"), 1);   /* plain Monday */
	assert_int_equal(workday(state, "2026-02-16"), 0);   /* 春节 (Mon) */
	assert_int_equal(workday(state, "2025-10-08"), 0);
	assert_int_equal(workday(state, "2024-02-04"), 1);   /* Sun, 调休 */
	assert_true(cal_year_loaded(*state, 2024));
	assert_true(cal_year_loaded(*state, 2026));
	assert_false(cal_year_loaded(*state, 2023));
	assert_false(cal_year_loaded(*state, 2027));
	assert_int_equal(workday(state, "2027-01-04"), -1);  /* not loaded */
	assert_int_equal(workday(state, "2023-12-29"), -1);
	assert_int_equal(cal_is_workday(NULL, D("2026-10-08")), -1);
	{
		struct cal_date bad = { 2026, 2, 30 };

		assert_int_equal(cal_is_workday(*state, bad), -1);
	}
}

static void
check_add(void **state, const char *from, int n, const char *want)
{
	struct cal_date out = { 0, 0, 0 };

	assert_int_equal(cal_add_workdays(*state, D(from), n, &out), 0);
	assert_date(out, want);
}

static void
check_add_fails(void **state, const char *from, int n)
{
	struct cal_date out = { 1, 1, 1 };

	assert_int_equal(cal_add_workdays(*state, D(from), n, &out), -1);
	assert_int_equal(out.y, 1);     /* untouched */
}

static void
test_real_add_workdays(void **state)
{
	(void)state;
	/* 国庆 2026: Wed 09-30 + 1 skips 10-01..07 */
	check_add(state, "2026-09-30", 1, "2026-10-08");
	check_add(state, "2026-09-30", 2, "2026-10-09");
	check_add(state, "2026-09-30", 3, "2026-10-10");    /* Sat 调休 */
	check_add(state, "2026-09-30", 4, "2026-10-12");
	/* 春节 2026: Fri 02-13, Sat 02-14 works, 02-15..23 off */
	check_add(state, "2026-02-13", 1, "2026-02-14");
	check_add(state, "2026-02-13", 2, "2026-02-24");
	check_add(state, "2026-02-12", 5, "2026-02-26");
	check_add(state, "2026-02-14", 1, "2026-02-24");
	/* the start day is not counted, even when it is a working day */
	check_add(state, "2026-03-09", 1, "2026-03-10");
	check_add(state, "2026-03-06", 1, "2026-03-09");    /* over a weekend */
	check_add(state, "2026-03-07", 0, "2026-03-07");
	/* backwards */
	check_add(state, "2026-10-08", -1, "2026-09-30");
	check_add(state, "2026-02-24", -1, "2026-02-14");
	/* across a year boundary inside loaded years */
	check_add(state, "2024-12-31", 1, "2025-01-02");
	/* needs a day of 2027 (or 2023): not loaded, never guessed */
	check_add_fails(state, "2026-12-31", 1);
	check_add_fails(state, "2026-12-30", 2);
	check_add_fails(state, "2027-01-04", 1);
	check_add_fails(state, "2024-01-02", -1);           /* 01-01 off */
	{
		struct cal_date out, bad = { 2026, 13, 1 };

		assert_int_equal(cal_add_workdays(*state, bad, 1, &out), -1);
		assert_int_equal(cal_add_workdays(NULL, D("2026-03-09"), 1,
						  &out), -1);
	}
}

/* ---- parsing small texts ------------------------------------------------- */

static struct calendar *
parse(const char *text, char **err)
{
	*err = (char *)"unset";
	return cal_parse(text, strlen(text), err);
}

static void
expect_error(const char *text, const char *want)
{
	char *err;
	struct calendar *cal = parse(text, &err);

	assert_null(cal);
	assert_non_null(err);
	assert_string_equal(err, want);
	free(err);
	/* err may be NULL: no message, still NULL */
	assert_null(cal_parse(text, strlen(text), NULL));
}

static void
test_parse_ok(void **state)
{
	const char *text =
		"# comment\n"
		"\n"
		"   \t \n"
		"  # indented comment\r\n"
		"2030-10-01\t2030-10-03\toff\tNational Day\r\n"
		"2030-09-29\t2030-09-29\twork\t调休\n"
		"2031-01-01\t2031-01-01\toff\t元旦";   /* no final newline */
	char *err;
	struct calendar *cal = parse(text, &err);
	const struct cal_entry *e;

	(void)state;
	assert_non_null(cal);
	assert_null(err);
	assert_int_equal(cal_count(cal), 5);
	e = cal_entry_at(cal, 0);
	assert_date(e->day, "2030-09-29");
	assert_int_equal(e->kind, 'w');
	assert_string_equal(e->name, "调休");
	e = cal_entry_at(cal, 3);
	assert_date(e->day, "2030-10-03");
	assert_string_equal(e->name, "National Day");   /* CR stripped */
	assert_string_equal(cal_entry_at(cal, 4)->name, "元旦");
	assert_true(cal_year_loaded(cal, 2030));
	assert_true(cal_year_loaded(cal, 2031));
	assert_false(cal_year_loaded(cal, 2029));
	assert_int_equal(cal_is_workday(cal, D("2030-09-29")), 1);  /* Sun */
	assert_int_equal(cal_is_workday(cal, D("2030-10-02")), 0);
	assert_int_equal(cal_is_workday(cal, D("2030-10-04")), 1);  /* Fri */
	assert_int_equal(cal_is_workday(cal, D("2030-10-05")), 0);  /* Sat */
	cal_free(&cal);
	assert_null(cal);
	cal_free(&cal);         /* freeing NULL is harmless */
	cal_free(NULL);

	/* an empty file (or only comments) is a valid, empty calendar */
	cal = parse("# nothing yet\n", &err);
	assert_non_null(cal);
	assert_null(err);
	assert_int_equal(cal_count(cal), 0);
	assert_false(cal_year_loaded(cal, 2026));
	assert_int_equal(cal_is_workday(cal, D("2026-03-09")), -1);
	cal_free(&cal);
	cal = cal_parse(NULL, 0, &err);
	assert_non_null(cal);
	cal_free(&cal);

	/* a range across new year loads both years */
	cal = parse("2032-12-31\t2033-01-01\toff\tx\n", &err);
	assert_non_null(cal);
	assert_true(cal_year_loaded(cal, 2032));
	assert_true(cal_year_loaded(cal, 2033));
	cal_free(&cal);

	/* the length is what counts, not a NUL: the second line is cut off */
	{
		const char *two = "2030-10-01\t2030-10-01\toff\ta\n"
				  "2030-10-02\t2030-10-02\toff\tb\n";

		cal = cal_parse(two, 28, &err);
		assert_non_null(cal);
		assert_int_equal(cal_count(cal), 1);
		cal_free(&cal);
	}
	assert_null(cal_entry_at(NULL, 0));
	assert_int_equal(cal_count(NULL), 0);
	assert_false(cal_year_loaded(NULL, 2026));
}

static void
test_parse_errors(void **state)
{
	static const char good[] = "# header\n"
				   "2030-10-01\t2030-10-03\toff\tNational Day\n";

	(void)state;
	expect_error("2030-10-01\t2030-10-03\toff\n", "line 1: missing field");
	expect_error("# c\n\n2030-10-01\t2030-10-03\toff\t\n",
		     "line 3: missing field");
	expect_error("2030-10-01\t\toff\tx\n", "line 1: missing field");
	expect_error("2030-10-01 2030-10-03 off x\n", "line 1: missing field");
	expect_error("2030-10-01\t2030-10-03\toff\tx\ty\n",
		     "line 1: too many fields");
	expect_error("2030-10-01\t2030-10-03\toff\tx\t\n",
		     "line 1: too many fields");
	expect_error("2030-02-30\t2030-03-01\toff\tx\n",
		     "line 1: bad date '2030-02-30'");
	expect_error("# a\n2030-10-01\t2030-10-3\toff\tx\n",
		     "line 2: bad date '2030-10-3'");
	expect_error("2030-10-01\t 2030-10-03\toff\tx\n",
		     "line 1: bad date ' 2030-10-03'");
	expect_error("2030-10-01\t2030-10-01 00:00:00 plus a lot more\toff\tx\n",
		     "line 1: bad date '2030-10-01 00:00:00 plus'");
	expect_error("2030-10-03\t2030-10-01\toff\tx\n", "line 1: to before from");
	expect_error("2030-01-01\t2031-01-02\toff\tx\n",
		     "line 1: range longer than 366 days");
	expect_error("2030-10-01\t2030-10-03\tholiday\tx\n",
		     "line 1: unknown kind 'holiday'");
	expect_error("2030-10-01\t2030-10-03\tOff\tx\n",
		     "line 1: unknown kind 'Off'");
	/* 2030-10-04 is a Friday */
	expect_error("\n\n\n2030-10-05\t2030-10-06\twork\tok\n"
		     "2030-10-04\t2030-10-05\twork\tx\n",
		     "line 5: 2030-10-04 is not a weekend");
	expect_error("2030-10-01\t2030-10-01\toff\t\xE5\x85\n",
		     "line 1: name is not valid UTF-8");
	/* issue 19: names bounded, no control characters nor overrides */
	expect_error("# a\n2030-10-01\t2030-10-01\toff\t国庆\033[2J\n",
		     "line 2: name holds a control character");
	expect_error("2030-10-01\t2030-10-01\toff\t国庆\xE2\x80\xAE\n",
		     "line 1: name holds a control character");
	expect_error("2030-10-01\t2030-10-01\toff\t"
		     "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\n",
		     "line 1: name longer than 40 characters");
	{
		static const char forty[] = "2030-10-01\t2030-10-01\toff\t"
		    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\n";
		struct calendar *c = cal_parse(forty, sizeof(forty) - 1, NULL);

		assert_non_null(c);
		cal_free(&c);
	}
	{
		static const char nul[] = "2030-10-01\t2030-10-01\toff\ta\0b\n";

		char *err = NULL;

		assert_null(cal_parse(nul, sizeof(nul) - 1, &err));
		assert_string_equal(err, "line 1: NUL byte");
		free(err);
	}
	/* the same day twice: reported on the second line, naming the first */
	expect_error("2030-10-01\t2030-10-07\toff\tNational Day\n"
		     "# between\n"
		     "2030-10-05\t2030-10-05\twork\tswap\n",
		     "line 3: 2030-10-05 listed twice (line 1)");
	/* two duplicates: the one on the lower line, not the earlier day */
	expect_error("2030-10-09\t2030-10-09\toff\ta\n"
		     "2030-10-01\t2030-10-01\toff\tb\n"
		     "2030-10-09\t2030-10-09\toff\tc\n"
		     "2030-10-01\t2030-10-01\toff\td\n",
		     "line 3: 2030-10-09 listed twice (line 1)");
	/* the first error wins: a duplicate above a syntax error ... */
	expect_error("2030-10-01\t2030-10-01\toff\ta\n"
		     "2030-10-01\t2030-10-01\toff\tb\n"
		     "2030-10-01\t2030-10-01\tbad\tc\n",
		     "line 2: 2030-10-01 listed twice (line 1)");
	/* ... and a syntax error above a duplicate */
	expect_error("2030-10-01\t2030-10-01\toff\ta\n"
		     "2030-10-02\t2030-10-01\toff\tb\n"
		     "2030-10-01\t2030-10-01\toff\tc\n",
		     "line 2: to before from");
	/* CRLF line numbers count like LF ones */
	expect_error("# a\r\n# b\r\nx\r\n", "line 3: missing field");
	/* and the good text really is good */
	{
		char *err;
		struct calendar *cal = parse(good, &err);

		assert_non_null(cal);
		cal_free(&cal);
	}
}

/* The day in China, whatever the host's time zone: 2026-01-04 16:00 UTC
 * is midnight of 5 January in Beijing, when New York still has the 4th;
 * and the printed form of documents has no leading zeros. */
static void
test_date_cn(void **state)
{
	struct cal_date d;
	char out[64];

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	d = cal_date_cn(1767542400);
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20260105);
	d = cal_date_cn(1767542399);
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20260104);
	docdata_date(1767542400, out);
	assert_string_equal(out, "2026年1月5日");
	docdata_date(1767542400 + 340 * 86400, out);
	assert_string_equal(out, "2026年12月11日");
	unsetenv("TZ");
	tzset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_days_weekday),
		cmocka_unit_test_setup_teardown(test_real_entries,
						load_real, free_real),
		cmocka_unit_test_setup_teardown(test_real_workdays,
						load_real, free_real),
		cmocka_unit_test_setup_teardown(test_real_add_workdays,
						load_real, free_real),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_date_cn),
		cmocka_unit_test(test_parse_errors),
	};

	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
