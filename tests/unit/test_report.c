/* Unit tests for model/report: the daily report's text tables by display
 * width, CSV quoting (RFC 4180), durations. No catalogue loaded: labels
 * are the English msgids. */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_aligned_by_width),
		cmocka_unit_test(test_text_long_name_ellipsized),
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_csv_table),
		cmocka_unit_test(test_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
