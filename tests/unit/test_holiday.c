/* Unit tests for model/holiday: the statutory days by the law and their
 * 补假, from the generated anchor-date table. */
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
#include "model/holiday.h"
#include "util/file.h"
#include "util/xalloc.h"

#define DATES_FILE "db/calendar/cn-statutory-dates.tsv"
#define CAL_FILE   "db/calendar/cn-workday-calendar.tsv"

static struct cal_date
D(const char *s)
{
	struct cal_date d = { 0, 0, 0 };

	if (!cal_date_parse(s, &d))
		fail_msg("bad date in test: %s", s);
	return d;
}

static int
load_table(void **state)
{
	size_t len;
	char *text = file_read(DATES_FILE, 1u << 20, &len);
	char *err = (char *)"unset";
	struct holiday_table *t;

	if (text == NULL)
		fail_msg("cannot read %s: %s (run from the repository root)",
			 DATES_FILE, strerror(errno));
	t = holiday_parse(text, len, &err);
	free(text);
	if (t == NULL) {
		fprintf(stderr, "%s: %s\n", DATES_FILE, err ? err : "?");
		free(err);
		return -1;
	}
	if (err != NULL)
		return -1;
	*state = t;
	return 0;
}

static int
free_table(void **state)
{
	struct holiday_table *t = *state;

	holiday_free(&t);
	assert_null(t);
	return 0;
}

/* The days off of year, as "YYYY-MM-DD name" lines, restricted to the
 * days from..to (inclusive, "YYYY-MM-DD"); checks the count is sane. */
static char *
listing(const struct holiday_table *t, int year, const char *from, const char *to)
{
	struct holiday_day d[HOLIDAY_MAX_DAYS];
	char *s = xstrdup(""), *next, date[11];
	int n = holiday_year(t, year, d, HOLIDAY_MAX_DAYS), i;

	assert_in_range(n, 13, HOLIDAY_MAX_DAYS);
	for (i = 0; i < n; i++) {
		cal_date_format(d[i].day, date);
		if (strcmp(date, from) < 0 || strcmp(date, to) > 0)
			continue;
		/* a 补假 is named so, a statutory day never is */
		assert_int_equal(d[i].makeup, strstr(d[i].name, "补假") != NULL);
		next = xasprintf("%s%s %s\n", s, date, d[i].name);
		free(s);
		s = next;
	}
	return s;
}

static void
assert_listing(const struct holiday_table *t, int year, const char *from,
	       const char *to, const char *want)
{
	char *got = listing(t, year, from, to);

	assert_string_equal(got, want);
	free(got);
}

/* ---- the cases the rules are about -------------------------------------- */

static void
test_labour_day_on_weekend(void **state)
{
	/* 2027-05-01 Saturday, 05-02 Sunday: both made up Mon/Tue */
	assert_listing(*state, 2027, "2027-05-01", "2027-05-31",
		       "2027-05-01 劳动节\n"
		       "2027-05-02 劳动节\n"
		       "2027-05-03 劳动节补假\n"
		       "2027-05-04 劳动节补假\n");
	/* 2026-05-02 Saturday: one 补假, Monday 05-04 (the official 05-01..05
	 * break also has 05-03 and 05-05, by 调休 the law does not give) */
	assert_listing(*state, 2026, "2026-05-01", "2026-05-31",
		       "2026-05-01 劳动节\n"
		       "2026-05-02 劳动节\n"
		       "2026-05-04 劳动节补假\n");
}

static void
test_spring_festival_over_weekend(void **state)
{
	/* 除夕 Fri 02-05, 初一 Sat, 初二 Sun, 初三 Mon 02-08 */
	assert_listing(*state, 2027, "2027-01-02", "2027-03-31",
		       "2027-02-05 春节\n"
		       "2027-02-06 春节\n"
		       "2027-02-07 春节\n"
		       "2027-02-08 春节\n"
		       "2027-02-09 春节补假\n"
		       "2027-02-10 春节补假\n");
}

static void
test_new_year_on_saturday(void **state)
{
	assert_int_equal(cal_weekday(D("2033-01-01")), 6);
	assert_listing(*state, 2033, "2033-01-01", "2033-01-29",
		       "2033-01-01 元旦\n"
		       "2033-01-03 元旦补假\n");
	/* 2028-01-01 Saturday too; 2034-01-01 Sunday */
	assert_listing(*state, 2028, "2028-01-01", "2028-01-20",
		       "2028-01-01 元旦\n"
		       "2028-01-03 元旦补假\n");
	assert_listing(*state, 2034, "2034-01-01", "2034-01-31",
		       "2034-01-01 元旦\n"
		       "2034-01-02 元旦补假\n");
}

static void
test_midautumn_on_national_day(void **state)
{
	struct holiday_day d[HOLIDAY_MAX_DAYS];
	int n = holiday_year(*state, 2031, d, HOLIDAY_MAX_DAYS), i, stat = 0;

	/* 中秋 2031 = 10-01 (Wed): 国庆 Wed-Fri, 中秋 made up on Monday */
	assert_listing(*state, 2031, "2031-09-01", "2031-12-31",
		       "2031-10-01 国庆节\n"
		       "2031-10-02 国庆节\n"
		       "2031-10-03 国庆节\n"
		       "2031-10-06 中秋节补假\n");
	for (i = 0; i < n; i++)
		stat += !d[i].makeup;
	assert_int_equal(stat, 12);     /* 13 claims, one day shared */

	/* 2028: 中秋 10-03 (Tue); 10-01 Sun earns 国庆节补假 first (Wed
	 * 10-04), 中秋 then the next free weekday (Thu 10-05) */
	assert_listing(*state, 2028, "2028-09-01", "2028-12-31",
		       "2028-10-01 国庆节\n"
		       "2028-10-02 国庆节\n"
		       "2028-10-03 国庆节\n"
		       "2028-10-04 国庆节补假\n"
		       "2028-10-05 中秋节补假\n");
}

static void
test_whole_years(void **state)
{
	/* Every day off of 2027, for the record. */
	assert_listing(*state, 2027, "2027-01-01", "2027-12-31",
		       "2027-01-01 元旦\n"
		       "2027-02-05 春节\n"
		       "2027-02-06 春节\n"
		       "2027-02-07 春节\n"
		       "2027-02-08 春节\n"
		       "2027-02-09 春节补假\n"
		       "2027-02-10 春节补假\n"
		       "2027-04-05 清明节\n"
		       "2027-05-01 劳动节\n"
		       "2027-05-02 劳动节\n"
		       "2027-05-03 劳动节补假\n"
		       "2027-05-04 劳动节补假\n"
		       "2027-06-09 端午节\n"
		       "2027-09-15 中秋节\n"
		       "2027-10-01 国庆节\n"
		       "2027-10-02 国庆节\n"
		       "2027-10-03 国庆节\n"
		       "2027-10-04 国庆节补假\n"
		       "2027-10-05 国庆节补假\n");
	/* 2025: only 端午 (Sat 05-31) needs a 补假 */
	assert_listing(*state, 2025, "2025-01-01", "2025-12-31",
		       "2025-01-01 元旦\n"
		       "2025-01-28 春节\n"
		       "2025-01-29 春节\n"
		       "2025-01-30 春节\n"
		       "2025-01-31 春节\n"
		       "2025-04-04 清明节\n"
		       "2025-05-01 劳动节\n"
		       "2025-05-02 劳动节\n"
		       "2025-05-31 端午节\n"
		       "2025-06-02 端午节补假\n"
		       "2025-10-01 国庆节\n"
		       "2025-10-02 国庆节\n"
		       "2025-10-03 国庆节\n"
		       "2025-10-06 中秋节\n");
}

/* ---- against the official calendar ------------------------------------- */

static void
test_official_2025_2026(void **state)
{
	size_t len, i, n;
	char *text = file_read(CAL_FILE, 1u << 20, &len), *err = NULL, date[11];
	struct calendar *cal;
	struct holiday_day d[HOLIDAY_MAX_DAYS];
	int year, k, m;

	if (text == NULL)
		fail_msg("cannot read %s: %s (run from the repository root)",
			 CAL_FILE, strerror(errno));
	cal = cal_parse(text, len, &err);
	free(text);
	if (cal == NULL)
		fail_msg("%s: %s", CAL_FILE, err ? err : "?");
	n = cal_count(cal);
	for (year = 2025; year <= 2026; year++) {
		assert_true(cal_year_loaded(cal, year));
		m = holiday_year(*state, year, d, HOLIDAY_MAX_DAYS);
		assert_true(m >= 13);
		for (k = 0; k < m; k++) {
			const struct cal_entry *e = NULL;

			for (i = 0; i < n; i++) {
				e = cal_entry_at(cal, i);
				if (cal_days(e->day) == cal_days(d[k].day))
					break;
			}
			cal_date_format(d[k].day, date);
			if (i == n || e->kind != 'o')
				fail_msg("%s %s is not off in %s", date,
					 d[k].name, CAL_FILE);
			assert_int_equal(cal_is_workday(cal, d[k].day), 0);
		}
	}
	cal_free(&cal);
}

/* ---- every year of the table ------------------------------------------- */

struct anchors {
	int year;
	long spring, qingming, dragon, midautumn;
};

/* The table's rows read independently of holiday_parse. */
static size_t
read_anchors(struct anchors *a, size_t max)
{
	size_t n = 0;
	char *text = file_read(DATES_FILE, 1u << 20, NULL), *line, *save = NULL;

	if (text == NULL)
		fail_msg("cannot read %s: %s (run from the repository root)",
			 DATES_FILE, strerror(errno));
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char s[4][11];

		if (line[0] == '#')
			continue;
		assert_true(n < max);
		assert_int_equal(sscanf(line, "%d\t%10s\t%10s\t%10s\t%10s",
					&a[n].year, s[0], s[1], s[2], s[3]), 5);
		a[n].spring = cal_days(D(s[0]));
		a[n].qingming = cal_days(D(s[1]));
		a[n].dragon = cal_days(D(s[2]));
		a[n].midautumn = cal_days(D(s[3]));
		n++;
	}
	free(text);
	return n;
}

static long
day_of(int y, int m, int d)
{
	struct cal_date c = { y, m, d };

	return cal_days(c);
}

static bool
weekend(long day)
{
	int wd = cal_weekday(cal_from_days(day));

	return wd == 0 || wd == 6;
}

/* Issue 19: an official calendar holds each of its years whole. The
 * shipped 2024-2026 do (2024 by the fixed days of the law before 2025);
 * one line of 2027 does not, nor a 2027 without its 国庆; a statutory day
 * on a weekend need not be listed; a year before the table needs its
 * fixed days (1 May, 1-3 October) but not 2 May. */
static void
test_official_complete(void **state)
{
	static const char one[] = "2027-01-01\t2027-01-01\toff\t元旦\n";
	static const char no_national[] = "2027-01-01\t2027-01-01\toff\t元旦\n"
	    "2027-02-05\t2027-02-08\toff\t春节\n2027-04-05\t2027-04-05\toff\t清明节\n"
	    "2027-05-01\t2027-05-02\toff\t劳动节\n2027-06-09\t2027-06-09\toff\t端午节\n"
	    "2027-09-15\t2027-09-15\toff\t中秋节\n";
	/* 05-01, 05-02 (Sat, Sun) and 10-02, 10-03 (Sat, Sun) left out */
	static const char weekends[] = "2027-01-01\t2027-01-01\toff\t元旦\n"
	    "2027-02-05\t2027-02-05\toff\t春节\n2027-02-08\t2027-02-08\toff\t春节\n"
	    "2027-04-05\t2027-04-05\toff\t清明节\n2027-06-09\t2027-06-09\toff\t端午节\n"
	    "2027-09-15\t2027-09-15\toff\t中秋节\n2027-10-01\t2027-10-01\toff\t国庆节\n";
	static const char old_law[] = "2023-01-02\t2023-01-02\toff\t元旦\n"
	    "2023-05-01\t2023-05-01\toff\t劳动节\n2023-10-02\t2023-10-03\toff\t国庆节\n";
	size_t len;
	char *text = file_read(CAL_FILE, 1u << 20, &len), *err = NULL, day[11];
	struct calendar *cal = cal_parse(text, len, &err);
	struct cal_date d;
	const char *name;

	free(text);
	assert_non_null(cal);
	for (int y = 2024; y <= 2026; y++)
		assert_true(holiday_official_complete(*state, cal, y, &d, &name));
	cal_free(&cal);

	cal = cal_parse(one, sizeof one - 1, NULL);
	assert_false(holiday_official_complete(*state, cal, 2027, &d, &name));
	cal_date_format(d, day);
	assert_string_equal(day, "2027-02-05");
	assert_string_equal(name, "春节");
	cal_free(&cal);
	cal = cal_parse(no_national, sizeof no_national - 1, NULL);
	assert_false(holiday_official_complete(*state, cal, 2027, &d, &name));
	cal_date_format(d, day);
	assert_string_equal(day, "2027-10-01");
	assert_string_equal(name, "国庆节");
	cal_free(&cal);
	cal = cal_parse(weekends, sizeof weekends - 1, NULL);
	assert_true(holiday_official_complete(*state, cal, 2027, &d, &name));
	cal_free(&cal);
	/* 2023: 1 January a Sunday (not listed: off anyway), 10-01 a Sunday */
	cal = cal_parse(old_law, sizeof old_law - 1, NULL);
	assert_true(holiday_official_complete(*state, cal, 2023, &d, &name));
	cal_free(&cal);
	cal = cal_parse(one, sizeof one - 1, NULL);
	assert_false(holiday_official_complete(*state, cal, 2023, &d, &name));
	cal_free(&cal);
}

static void
test_every_year(void **state)
{
	static struct anchors a[200];
	static const char *const names[7] = {
		"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"
	};
	size_t na = read_anchors(a, 200), r;
	struct holiday_day d[HOLIDAY_MAX_DAYS];

	assert_true(na >= 24);
	assert_int_equal(holiday_first_year(*state), a[0].year);
	assert_int_equal(holiday_last_year(*state), a[na - 1].year);
	assert_true(holiday_first_year(*state) <= 2027);
	assert_true(holiday_last_year(*state) >= 2050);
	for (r = 0; r < na; r++) {
		int y = a[r].year, n, i, j, stat = 0, makeup = 0, want = 0;
		long first[7], last[7], k;
		bool shared = a[r].midautumn >= day_of(y, 10, 1) &&
			      a[r].midautumn <= day_of(y, 10, 3);

		first[0] = last[0] = day_of(y, 1, 1);
		first[1] = a[r].spring - 1;
		last[1] = a[r].spring + 2;
		first[2] = last[2] = a[r].qingming;
		first[3] = day_of(y, 5, 1);
		last[3] = day_of(y, 5, 2);
		first[4] = last[4] = a[r].dragon;
		first[5] = last[5] = a[r].midautumn;
		first[6] = day_of(y, 10, 1);
		last[6] = day_of(y, 10, 3);
		/* one 补假 per statutory day on a weekend, one more for a
		 * day claimed twice (when it is not a weekend, else both
		 * claims count as weekend days) */
		for (i = 0; i < 7; i++)
			for (k = first[i]; k <= last[i]; k++)
				want += weekend(k);
		want += shared && !weekend(a[r].midautumn);

		assert_true(holiday_has_year(*state, y));
		n = holiday_year(*state, y, d, HOLIDAY_MAX_DAYS);
		assert_in_range(n, 13, HOLIDAY_MAX_DAYS);
		for (i = 0; i < n; i++) {
			long day = cal_days(d[i].day);

			assert_int_equal(d[i].day.y, y);
			if (i > 0)      /* sorted, no duplicates */
				assert_true(cal_days(d[i - 1].day) < day);
			if (!d[i].makeup) {
				stat++;
				continue;
			}
			makeup++;
			assert_false(weekend(day));
			/* the 补假 of one of the seven, after its last day,
			 * the first weekday not otherwise off */
			for (j = 0; j < 7; j++)
				if (strncmp(d[i].name, names[j], strlen(names[j])) == 0 &&
				    strcmp(d[i].name + strlen(names[j]), "补假") == 0)
					break;
			assert_true(j < 7);
			assert_true(day > last[j]);
			for (k = last[j] + 1; k < day; k++) {
				int m;

				if (weekend(k))
					continue;
				for (m = 0; m < i; m++)
					if (cal_days(d[m].day) == k)
						break;
				if (m == i)
					fail_msg("%d: %s on %ld skips a free weekday",
						 y, d[i].name, day);
			}
		}
		/* the 13 statutory days, each once */
		for (i = 0; i < 7; i++)
			for (k = first[i]; k <= last[i]; k++) {
				for (j = 0; j < n; j++)
					if (cal_days(d[j].day) == k)
						break;
				assert_true(j < n);
				assert_false(d[j].makeup);
			}
		assert_int_equal(stat, shared ? 12 : 13);
		if (makeup != want)
			fail_msg("%d: %d 补假, want %d", y, makeup, want);
	}
}

static void
test_outside_table(void **state)
{
	struct holiday_day d[HOLIDAY_MAX_DAYS];
	int first = holiday_first_year(*state), last = holiday_last_year(*state);

	d[0].name = "untouched";
	assert_false(holiday_has_year(*state, first - 1));
	assert_false(holiday_has_year(*state, last + 1));
	assert_int_equal(holiday_year(*state, first - 1, d, HOLIDAY_MAX_DAYS), -1);
	assert_int_equal(holiday_year(*state, last + 1, d, HOLIDAY_MAX_DAYS), -1);
	assert_int_equal(holiday_year(*state, 2024, d, HOLIDAY_MAX_DAYS), -1);
	assert_int_equal(holiday_year(NULL, 2027, d, HOLIDAY_MAX_DAYS), -1);
	assert_string_equal(d[0].name, "untouched");
	assert_false(holiday_has_year(NULL, 2027));
	assert_int_equal(holiday_first_year(NULL), 0);
	assert_int_equal(holiday_last_year(NULL), 0);

	/* a short out gets the first max days, the count is still whole */
	d[2].name = "untouched";
	assert_int_equal(holiday_year(*state, 2027, d, 2), 19);
	assert_string_equal(d[0].name, "元旦");
	assert_string_equal(d[1].name, "春节");
	assert_string_equal(d[2].name, "untouched");
	assert_int_equal(holiday_year(*state, 2027, NULL, 0), 19);
}

/* ---- parsing small texts ------------------------------------------------ */

static void
test_parse_ok(void **state)
{
	const char *text =
		"# comment\n"
		"\n"
		"  \t \n"
		"  # indented comment\r\n"
		"2027\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-15\r\n"
		"2031\t2031-01-23\t2031-04-05\t2031-06-24\t2031-10-01";  /* no \n */
	struct holiday_day d[HOLIDAY_MAX_DAYS];
	char *err = (char *)"unset";
	struct holiday_table *t = holiday_parse(text, strlen(text), &err);

	(void)state;
	assert_non_null(t);
	assert_null(err);
	assert_int_equal(holiday_first_year(t), 2027);
	assert_int_equal(holiday_last_year(t), 2031);
	assert_true(holiday_has_year(t, 2027));
	assert_false(holiday_has_year(t, 2028));   /* gaps are allowed */
	assert_true(holiday_has_year(t, 2031));
	assert_int_equal(holiday_year(t, 2027, d, HOLIDAY_MAX_DAYS), 19);
	assert_int_equal(holiday_year(t, 2031, d, HOLIDAY_MAX_DAYS), 15);
	assert_int_equal(holiday_year(t, 2029, d, HOLIDAY_MAX_DAYS), -1);
	holiday_free(&t);
	assert_null(t);
	holiday_free(&t);       /* NULL-safe */
	holiday_free(NULL);

	/* empty and comment-only files: valid, no year */
	t = holiday_parse("", 0, &err);
	assert_non_null(t);
	assert_null(err);
	assert_int_equal(holiday_first_year(t), 0);
	assert_int_equal(holiday_last_year(t), 0);
	assert_int_equal(holiday_year(t, 2027, d, HOLIDAY_MAX_DAYS), -1);
	holiday_free(&t);
	t = holiday_parse(NULL, 0, &err);
	assert_non_null(t);
	holiday_free(&t);
	t = holiday_parse("# only\n\n", 8, NULL);
	assert_non_null(t);
	holiday_free(&t);

	/* len bounds the text: what follows is not read */
	{
		static const char row[] =
			"2027\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-15\n";
		char buf[sizeof(row) + 2];

		memcpy(buf, row, sizeof(row) - 1);
		memcpy(buf + sizeof(row) - 1, "xx", 2);   /* no NUL */
		t = holiday_parse(buf, sizeof(row) - 1, &err);
		assert_non_null(t);
		assert_true(holiday_has_year(t, 2027));
		holiday_free(&t);
		assert_null(holiday_parse(buf, sizeof(row), &err));
		assert_string_equal(err, "line 2: missing field");
		free(err);
	}
}

static void
expect_error(const char *text, const char *want)
{
	char *err = (char *)"unset";
	struct holiday_table *t = holiday_parse(text, strlen(text), &err);

	assert_null(t);
	assert_non_null(err);
	assert_string_equal(err, want);
	free(err);
	assert_null(holiday_parse(text, strlen(text), NULL));
}

#define ROW27 "2027\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-15\n"
#define ROW28 "2028\t2028-01-26\t2028-04-04\t2028-05-28\t2028-10-03\n"

static void
test_parse_errors(void **state)
{
	(void)state;
	expect_error("# x\n2027\t2027-02-06\t2027-04-05\t2027-06-09\n",
		     "line 2: missing field");
	expect_error("2027\t2027-02-06\t\t2027-06-09\t2027-09-15\n",
		     "line 1: missing field");
	expect_error("2027\t2027-02-06 2027-04-05 2027-06-09 2027-09-15\n",
		     "line 1: missing field");
	expect_error(ROW27 "2028\t2028-01-26\t2028-04-04\t2028-05-28\t2028-10-03\tx\n",
		     "line 2: too many fields");
	expect_error("2027\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-15\t\n",
		     "line 1: too many fields");
	expect_error("27\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-15\n",
		     "line 1: bad year '27'");
	expect_error("0000\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-15\n",
		     "line 1: bad year '0000'");
	expect_error(ROW27 "\n2028\t2028-01-26\t2028-04-31\t2028-05-28\t2028-10-03\n",
		     "line 3: bad date '2028-04-31'");
	expect_error("2027\t2027-2-06\t2027-04-05\t2027-06-09\t2027-09-15\n",
		     "line 1: bad date '2027-2-06'");
	expect_error("2027\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-15 \n",
		     "line 1: bad date '2027-09-15 '");
	expect_error("2027\t2027-02-06\t2027-04-05\t2028-06-09\t2027-09-15\n",
		     "line 1: dragon 2028-06-09 is not in year 2027");
	expect_error("2027\t2027-04-05\t2027-02-06\t2027-06-09\t2027-09-15\n",
		     "line 1: spring 2027-04-05 is not between 01-15 and 02-25");
	expect_error("2027\t2027-02-06\t2027-04-07\t2027-06-09\t2027-09-15\n",
		     "line 1: qingming 2027-04-07 is not between 04-03 and 04-06");
	expect_error(ROW27 "# x\n" ROW27,
		     "line 3: year 2027 listed twice (line 1)");
	expect_error(ROW27 ROW28 ROW27,
		     "line 3: year 2027 listed twice (line 1)");
	expect_error(ROW28 ROW27,
		     "line 2: year 2027 out of order (after 2028)");
	/* the first error is the lowest line's */
	expect_error(ROW28 ROW27 "2029\tbad\n", "line 2: year 2027 out of order (after 2028)");
	{
		static const char nul[] = "2027\t2027-02-06\t2027-04-05\t2027-06-09\t2027-09-1\0\n";
		char *err = NULL;

		assert_null(holiday_parse(nul, sizeof(nul) - 1, &err));
		assert_string_equal(err, "line 1: NUL byte");
		free(err);
	}
	/* long fields are cut to 24 bytes, not inside a character */
	expect_error("2027\t2027-02-06\t2027-04-05\t2027-06-09\t中秋中秋中秋中秋中秋中秋中秋\n",
		     "line 1: bad date '中秋中秋中秋中秋'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_labour_day_on_weekend, load_table, free_table),
		cmocka_unit_test_setup_teardown(test_spring_festival_over_weekend, load_table, free_table),
		cmocka_unit_test_setup_teardown(test_new_year_on_saturday, load_table, free_table),
		cmocka_unit_test_setup_teardown(test_midautumn_on_national_day, load_table, free_table),
		cmocka_unit_test_setup_teardown(test_whole_years, load_table, free_table),
		cmocka_unit_test_setup_teardown(test_official_2025_2026, load_table, free_table),
		cmocka_unit_test_setup_teardown(test_official_complete, load_table, free_table),
		cmocka_unit_test_setup_teardown(test_every_year, load_table, free_table),
		cmocka_unit_test_setup_teardown(test_outside_table, load_table, free_table),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
