/* Case-type search at the window: code prefix, pinyin initials, Chinese text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "model/search.h"

static const struct cat_summary outpatient = {
	.code = "002036006001", .name = "门诊费用报销", .category = "零星报销",
	.pinyin = "mzfybx", .category_pinyin = "lxbx",
};
static const struct cat_summary resettled = {
	.code = "002036004001", .name = "异地安置退休人员备案", .category = "异地就医备案",
	.pinyin = "ydaztxryba", .category_pinyin = "ydjyba",
};

static void
test_empty_query_matches_all(void **state)
{
	(void)state;
	assert_true(search_match(&outpatient, ""));
	assert_true(search_match(&outpatient, "   "));
}

static void
test_code_prefix(void **state)
{
	(void)state;
	assert_true(search_match(&outpatient, "002036006"));
	assert_true(search_match(&outpatient, "002036006001"));
	assert_false(search_match(&resettled, "002036006"));
	/* A prefix, not a substring: the tail of a code finds nothing. */
	assert_false(search_match(&outpatient, "006001"));
}

static void
test_pinyin_initials_of_name_and_category(void **state)
{
	(void)state;
	assert_true(search_match(&outpatient, "mzfybx"));
	assert_true(search_match(&outpatient, "fybx"));
	assert_true(search_match(&outpatient, "MZFY"));
	assert_true(search_match(&outpatient, " lxbx "));
	/* ydjy is in the category's initials, not the name's. */
	assert_true(search_match(&resettled, "ydjy"));
	assert_false(search_match(&outpatient, "ydjy"));
	assert_false(search_match(&resettled, "mzfybx"));
}

static void
test_chinese_substring(void **state)
{
	(void)state;
	assert_true(search_match(&outpatient, "报销"));
	assert_true(search_match(&outpatient, "门诊"));
	assert_true(search_match(&resettled, "就医"));
	assert_false(search_match(&resettled, "报销"));
	assert_false(search_match(&outpatient, "门诊x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_query_matches_all),
		cmocka_unit_test(test_code_prefix),
		cmocka_unit_test(test_pinyin_initials_of_name_and_category),
		cmocka_unit_test(test_chinese_substring),
	};

	return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
