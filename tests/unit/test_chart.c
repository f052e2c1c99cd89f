/* Unit tests for model/chart: bar charts as text lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/chart.h"
#include "model/text.h"

/* How many times the UTF-8 string needle occurs in s. */
static int
count_of(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

static void
test_widths_by_columns(void **state)
{
	const char *labels[] = { "普通", "绿色通道", "A" };
	const long values[] = { 3, 10, 0 };
	struct chart c;

	(void)state;
	for (int width = 1; width <= 60; width++) {
		assert_int_equal(chart_render(&c, labels, values, 3, width, CHART_BLOCKS), 3);
		for (int i = 0; i < 3; i++)
			assert_int_equal(text_width(c.lines[i]), width);
		chart_free(&c);
		assert_null(c.lines);
		assert_int_equal(chart_render(&c, labels, values, 3, width, CHART_ASCII), 3);
		for (int i = 0; i < 3; i++)
			assert_int_equal(text_width(c.lines[i]), width);
		chart_free(&c);
	}
}

static void
test_layout(void **state)
{
	const char *labels[] = { "普通", "绿色通道" };
	const long values[] = { 5, 10 };
	struct chart c;

	(void)state;
	/* label column 8 (绿色通道), bar 30 - 9 - 3 = 18, value 2 */
	chart_render(&c, labels, values, 2, 30, CHART_ASCII);
	assert_string_equal(c.lines[0], "普通     #########           5");
	assert_string_equal(c.lines[1], "绿色通道 ################## 10");
	chart_free(&c);
}

static void
test_scaling_blocks(void **state)
{
	const char *labels[] = { "a", "b", "c", "d" };
	const long values[] = { 8, 4, 1, 3 };
	struct chart c;

	(void)state;
	/* width 8: label 1 + space, value 1 + space: bar 4 columns = 32 eighths;
	 * 8 → 32/8 full, 4 → 16 = 2 full, 1 → 4 eighths ▌, 3 → 12 = 1 full + ▌ */
	chart_render(&c, labels, values, 4, 8, CHART_BLOCKS);
	assert_string_equal(c.lines[0], "a ████ 8");
	assert_string_equal(c.lines[1], "b ██   4");
	assert_string_equal(c.lines[2], "c ▌    1");
	assert_string_equal(c.lines[3], "d █▌   3");
	chart_free(&c);
}

static void
test_small_value_shows(void **state)
{
	const char *labels[] = { "x", "y" };
	const long values[] = { 1000, 1 };
	struct chart c;

	(void)state;
	chart_render(&c, labels, values, 2, 20, CHART_BLOCKS);
	assert_int_equal(count_of(c.lines[1], "\u258F"), 1);	/* the smallest mark */
	chart_free(&c);
	chart_render(&c, labels, values, 2, 20, CHART_ASCII);
	assert_int_equal(count_of(c.lines[1], "#"), 1);
	chart_free(&c);
}

static void
test_zero_series(void **state)
{
	const char *labels[] = { "8", "9", "10" };
	const long values[] = { 0, 0, -4 };
	struct chart c;

	(void)state;
	chart_render(&c, labels, values, 3, 20, CHART_BLOCKS);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(text_width(c.lines[i]), 20);
		assert_int_equal(count_of(c.lines[i], "\u2588"), 0);
		assert_non_null(strstr(c.lines[i], " 0"));	/* negatives count as 0 */
	}
	chart_free(&c);
	assert_int_equal(chart_render(&c, labels, values, 0, 20, CHART_BLOCKS), 0);
	assert_null(c.lines);
	assert_int_equal(chart_render(&c, labels, values, 3, 0, CHART_BLOCKS), 0);
	chart_free(&c);
}

static void
test_ascii_fallback(void **state)
{
	const char *labels[] = { "a", "b" };
	const long values[] = { 7, 2 };
	struct chart c;

	(void)state;
	chart_render(&c, labels, values, 2, 12, CHART_ASCII);
	for (int i = 0; i < 2; i++)
		for (const char *p = c.lines[i]; *p != '\0'; p++)
			assert_true((unsigned char)*p < 0x80);
	assert_string_equal(c.lines[0], "a ######## 7");
	chart_free(&c);
	/* the choice of ink */
	assert_true(chart_blocks_ok("UTF-8", "xterm-256color", "C"));
	assert_true(chart_blocks_ok("GB18030", "xterm", "zh_CN.GB18030"));
	assert_false(chart_blocks_ok("GBK", "xterm", "zh_CN.GBK"));
	assert_false(chart_blocks_ok("ANSI_X3.4-1968", "xterm", "C"));
	assert_false(chart_blocks_ok(NULL, "xterm", NULL));
	assert_false(chart_blocks_ok("UTF-8", "vt100", "C"));
	assert_false(chart_blocks_ok("UTF-8", "linux", NULL));
	assert_true(chart_blocks_ok("UTF-8", "linux", "zh_CN.UTF-8"));
	assert_true(chart_blocks_ok("UTF-8", "vt220", "en_US.utf8"));
	assert_true(chart_blocks_ok("UTF-8", "vt100-like-but-not", "C") == false);
	assert_true(chart_blocks_ok("UTF-8", "linuxish", "C"));
}

/* Blocks that the terminal draws two columns wide (a GB18030 terminal's
 * wcwidth) turn into '#', so lines keep their width. */
static int
two_wide(uint32_t cp)
{
	return cp >= 0x2580 && cp <= 0x259F ? 2 : -1;
}

static void
test_wide_blocks_fall_back(void **state)
{
	const char *labels[] = { "a" };
	const long values[] = { 3 };
	struct chart c;

	(void)state;
	text_set_width_override(two_wide);
	chart_render(&c, labels, values, 1, 10, CHART_BLOCKS);
	text_set_width_override(NULL);
	assert_string_equal(c.lines[0], "a ###### 3");
	chart_free(&c);
}

static void
test_narrow(void **state)
{
	const char *labels[] = { "绿色通道", "b" };
	const long values[] = { 12345, 1 };
	struct chart c;

	(void)state;
	/* width 7: label cut to 2 columns, no room for the value: bar 4 */
	chart_render(&c, labels, values, 2, 7, CHART_ASCII);
	assert_string_equal(c.lines[0], "绿 ####");
	assert_string_equal(c.lines[1], "b  #   ");
	chart_free(&c);
	/* no labels at all: the bar starts at column 0 */
	chart_render(&c, NULL, values, 2, 10, CHART_ASCII);
	assert_string_equal(c.lines[0], "#### 12345");
	chart_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widths_by_columns),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_scaling_blocks),
		cmocka_unit_test(test_small_value_shows),
		cmocka_unit_test(test_zero_series),
		cmocka_unit_test(test_ascii_fallback),
		cmocka_unit_test(test_wide_blocks_fall_back),
		cmocka_unit_test(test_narrow),
	};

	return cmocka_run_group_tests_name("chart", tests, NULL, NULL);
}
