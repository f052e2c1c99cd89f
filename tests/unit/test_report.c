/* Unit tests for model/report: the daily report's text tables by display
 * width, CSV quoting (RFC 4180), durations, and the whole report of a day
 * as text and CSV. No catalogue loaded: labels are the English msgids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/report.h"
#include "model/text.h"

static const char *const headers[] = { "柜员", "服务人次", "过号" };

static void
test_text_aligned_by_width(void **state)
{
	char *r0[] = { "欧阳娜娜 clerk1", "12", "3" };
	char *r1[] = { "Li", "7", NULL };
	char **rows[] = { r0, r1 };
	struct report_table t = { 3, headers, 2, rows };
	char *s;

	(void)state;
	s = report_table_text(&t, 80);
	assert_string_equal(s,
	    "柜员            服务人次 过号\n"
	    "欧阳娜娜 clerk1       12    3\n"
	    "Li                     7\n");
	free(s);
}

static void
test_text_long_name_ellipsized(void **state)
{
	char *r0[] = { "基本医疗保险参保人员意外伤害待遇备案", "1", "2" };
	char **rows[] = { r0 };
	struct report_table t = { 3, headers, 1, rows };
	char *s, *nl;

	(void)state;
	s = report_table_text(&t, 24);
	nl = strchr(s, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_int_equal(text_width(s), 24);	/* name 10 + " 服务人次" 9 + " 过号" 5 */
	assert_true(text_width(nl + 1) <= 24);
	assert_non_null(strstr(nl + 1, "…"));
	assert_non_null(strstr(nl + 1, "基本医疗"));
	free(s);
}

static void
test_csv_fields(void **state)
{
	char *f;

	(void)state;
	f = report_csv_field("王五");
	assert_string_equal(f, "王五");
	free(f);
	f = report_csv_field("a,b");
	assert_string_equal(f, "\"a,b\"");
	free(f);
	f = report_csv_field("say \"hi\"");
	assert_string_equal(f, "\"say \"\"hi\"\"\"");
	free(f);
	f = report_csv_field("two\nlines");
	assert_string_equal(f, "\"two\nlines\"");
	free(f);
	f = report_csv_field(" padded");
	assert_string_equal(f, "\" padded\"");
	free(f);
	f = report_csv_field(NULL);
	assert_string_equal(f, "");
	free(f);
}

static void
test_csv_table(void **state)
{
	char *r0[] = { "张三", "2", NULL };
	char **rows[] = { r0 };
	struct report_table t = { 3, headers, 1, rows };
	char *s;

	(void)state;
	s = report_table_csv(&t);
	assert_string_equal(s, "柜员,服务人次,过号\r\n张三,2,\r\n");
	free(s);
}

static void
test_duration(void **state)
{
	char *s;

	(void)state;
	s = report_duration(0);
	assert_string_equal(s, "0 min 00 s");
	free(s);
	s = report_duration(7 * 60 + 5);
	assert_string_equal(s, "7 min 05 s");
	free(s);
	s = report_duration(125 * 60 + 59);
	assert_string_equal(s, "125 min 59 s");
	free(s);
	s = report_duration(-1);
	assert_string_equal(s, "");
	free(s);
}

/* A day with a clerk, a ticket nobody was signed in for, and the totals. */
static void
daily_sample(struct report_daily *d)
{
	static struct report_staff_row staff[3] = {
		{ false, "clerk1", "欧阳娜娜", 2, 1, 450, 465, { 2, 1, 0, 0, 0 } },
		{ false, NULL, NULL, 1, 0, 300, 840, { 0 } },
		{ true, NULL, NULL, 3, 1, 400, 590, { 2, 1, 0, 0, 0 } },
	};
	static struct report_type_row types[2] = {
		{ false, "002036007002", "生育医疗费支付", 3, 0, 2, 1, 1, 0, 1, 2 },
		{ true, "", NULL, 3, 0, 2, 1, 1, 0, 1, 2 },
	};

	*d = (struct report_daily){ .office_code = "360981", .office_name = "丰城市医疗保障服务中心",
	    .date = "2026-11-23", .staff = staff, .nstaff = 3, .types = types, .ntypes = 2,
	    .have_tickets = true, .issued = 6, .extended = 2, .extended_noon = 1, .extended_offday = 0 };
}

static void
test_daily_text(void **state)
{
	struct report_daily d;
	char *s;

	(void)state;
	daily_sample(&d);
	s = report_daily_text(&d, 80);
	assert_string_equal(s,
	    "丰城市医疗保障服务中心 (360981) daily report, 2026-11-23\n"
	    "\n"
	    "1. Window service by clerk\n"
	    "Clerk           Served No-shows   Avg wait Avg service 1 2 3 4 5\n"
	    "欧阳娜娜 clerk1      2        1 7 min 30 s  7 min 45 s 2 1 0 0 0\n"
	    "(unidentified)       1        0 5 min 00 s 14 min 00 s 0 0 0 0 0\n"
	    "Total                3        1 6 min 40 s  9 min 50 s 2 1 0 0 0\n"
	    "Ratings: 1 very satisfied, 2 satisfied, 3 basically satisfied, 4 dissatisfied, 5\n"
	    "very dissatisfied\n"
	    "\n"
	    "2. Case handling by type\n"
	    "Case type Acceptances At once Completions Overdue Notices Deferred Withdr. Ended\n"
	    "生育医疗…           3       0           2       1       1        0       1     2\n"
	    "Total               3       0           2       1       1        0       1     2\n"
	    "\n"
	    "3. Tickets and extended service\n"
	    "Tickets issued 6, outside the regular weekday hours (extended service) 2\n"
	    "of those at noon 1, on weekends and holidays 0\n");
	free(s);
	/* without the ticket counts (have_tickets false) the page ends after the case types */
	d.have_tickets = false;
	s = report_daily_text(&d, 80);
	assert_null(strstr(s, "3. Tickets"));
	assert_non_null(strstr(s, "Total               3       0           2       1       1        0       1     2\n"));
	free(s);
}

static void
test_daily_csv(void **state)
{
	struct report_daily d;
	char *s;

	(void)state;
	daily_sample(&d);
	d.staff[0].avg_wait_s = -1;	/* nobody served: an empty cell, not "-" */
	s = report_daily_csv(&d);
	d.staff[0].avg_wait_s = 450;
	assert_string_equal(s,
	    "Daily report,360981,丰城市医疗保障服务中心,2026-11-23\r\n"
	    "\r\n"
	    "Window service by clerk\r\n"
	    "Staff no.,Clerk,Served,No-shows,Avg wait (s),Avg service (s),Very satisfied,Satisfied,"
	    "Basically satisfied,Dissatisfied,Very dissatisfied\r\n"
	    "clerk1,欧阳娜娜,2,1,,465,2,1,0,0,0\r\n"
	    ",(unidentified),1,0,300,840,0,0,0,0,0\r\n"
	    ",Total,3,1,400,590,2,1,0,0,0\r\n"
	    "\r\n"
	    "Case handling by type\r\n"
	    "Case type code,Case type,Acceptances,At once,Completions,Overdue,Notices,Deferred,"
	    "Withdrawn,Ended\r\n"
	    "002036007002,生育医疗费支付,3,0,2,1,1,0,1,2\r\n"
	    ",Total,3,0,2,1,1,0,1,2\r\n"
	    "\r\n"
	    "Tickets and extended service\r\n"
	    "Tickets issued,Extended service,At noon,Weekends and holidays\r\n"
	    "6,2,1,0\r\n");
	free(s);
}

/* A city and two townships, the total their sum (figures as the store
 * gives them). */
static void
offices_fixture(struct report_offices *d, bool monthly)
{
	static struct report_office_row rows[4] = {
		{ false, "369901", "报表测试市医保中心", 0, 1, 1, 0, 120, 0, 0, 0, 0, 0, 0 },
		{ false, "369901001", "甲镇医保所", 1, 4, 3, 1, 180, 2, 2, 1, 4, 2, 1 },
		{ false, "369901002", "乙镇医保所", 1, 1, 1, 0, 240, 0, 1, 1, 2, 1, 1 },
		{ true, NULL, NULL, 0, 6, 5, 1, 180, 2, 3, 2, 6, 3, 2 },
	};

	memset(d, 0, sizeof *d);
	d->office_code = "369901";
	d->office_name = "报表测试市医保中心";
	d->period = monthly ? "2024-03" : "2024-03-05";
	d->last_day = monthly ? "2024-03-31" : NULL;
	d->monthly = monthly;
	d->below = true;
	d->rows = rows;
	d->nrows = 4;
}

static void
test_share(void **state)
{
	char *s;

	(void)state;
	s = report_share(2, 3, false);
	assert_string_equal(s, "66.7%");
	free(s);
	s = report_share(1, 3, true);
	assert_string_equal(s, "33.3%");
	free(s);
	s = report_share(1, 8, false);	/* 12.5: rounded half up */
	assert_string_equal(s, "12.5%");
	free(s);
	s = report_share(1, 16, false);	/* 6.25 -> 6.3 */
	assert_string_equal(s, "6.3%");
	free(s);
	s = report_share(3, 3, false);
	assert_string_equal(s, "100.0%");
	free(s);
	s = report_share(0, 0, false);
	assert_string_equal(s, "-");
	free(s);
	s = report_share(0, 0, true);
	assert_string_equal(s, "");
	free(s);
}

static void
test_offices_text(void **state)
{
	struct report_offices d;
	char *s;

	(void)state;
	offices_fixture(&d, true);
	s = report_offices_text(&d, 80);
	assert_string_equal(s,
	    "报表测试市医保中心 (369901) and below, monthly report, 2024-03 (to 2024-03-31)\n"
	    "\n"
	    "Office           Issued Served No-shows   Avg wait Acc. Fin. In time  Good   Bad\n"
	    "报表测试市医保…       1      1        0 2 min 00 s    0    0       -     -     -\n"
	    "  甲镇医保所          4      3        1 3 min 00 s    2    2   50.0% 50.0% 25.0%\n"
	    "  乙镇医保所          1      1        0 4 min 00 s    0    1  100.0% 50.0% 50.0%\n"
	    "Total                 6      5        1 3 min 00 s    2    3   66.7% 50.0% 33.3%\n"
	    "In time: completions within the promised limit; Good: ratings very satisfied or \n"
	    "satisfied, Bad: dissatisfied or very dissatisfied, of those rated\n");
	for (char *l = s; *l != '\0';) {
		char *nl = strchr(l, '\n');
		char *line = strndup(l, (size_t)(nl - l));

		assert_true(text_width(line) <= 80);
		free(line);
		l = nl + 1;
	}
	free(s);
}

static void
test_offices_csv(void **state)
{
	struct report_offices d;
	char *s;

	(void)state;
	offices_fixture(&d, false);
	s = report_offices_csv(&d);
	assert_string_equal(s,
	    "\"报表测试市医保中心 (369901) and below, daily report, 2024-03-05\"\r\n"
	    "\r\n"
	    "Office code,Office,Issued,Served,No-shows,Avg wait (s),Acceptances,Completions,"
	    "Completed in time,Share completed in time,Rated,Rated good,Rated bad,Good,Bad\r\n"
	    "369901,报表测试市医保中心,1,1,0,120,0,0,0,,0,0,0,,\r\n"
	    "369901001,甲镇医保所,4,3,1,180,2,2,1,50.0%,4,2,1,50.0%,25.0%\r\n"
	    "369901002,乙镇医保所,1,1,0,240,0,1,1,100.0%,2,1,1,50.0%,50.0%\r\n"
	    ",Total,6,5,1,180,2,3,2,66.7%,6,3,2,50.0%,33.3%\r\n");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_aligned_by_width),
		cmocka_unit_test(test_text_long_name_ellipsized),
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_csv_table),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_daily_text),
		cmocka_unit_test(test_daily_csv),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_offices_text),
		cmocka_unit_test(test_offices_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
