/*
 * Unit tests for model/policy (the server's 参保 figures put into
 * sentences, each naming its rule) and model/inscsv (the insurance
 * history export). Messages in English (no catalogue loaded).
 *
 *   gap        a 2-year gap paid back by one year: the waiting period with
 *              its parts and the day benefits start, the fixed and the
 *              variable rule, the payback and its cost, the options, the
 *              note that paying back leaves the cap alone, the cap's sum
 *              and the gap's reduction
 *   exempt     newborn, 困难人口 and the 集中参保期: one sentence, no wait
 *   cap        continuous and zero-claim raises, the reward clearing, the
 *              limit; the summary line
 *   refused    a refusal is no figures
 *   csv        the export: names and words normalised, every bad line
 *              reported with its line
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/inscsv.h"
#include "model/json.h"
#include "model/policy.h"
#include "util/xalloc.h"

#define RULES "\"rules\":{\"step_yuan\":3000,\"continuous_years\":4,\"raise_cap_percent\":20," \
	"\"cut_cap_percent\":20,\"wait_floor_months\":6,\"wait_floor_gap_years\":4}"

/* yc.policy_preview's answer for worked case 9 of tests/db/test_policy.c. */
static const char gap_json[] = "{\"year\":2027,\"inside_central\":true,\"already\":false,\"exempt\":null,"
	"\"gap\":2,\"gap_total\":2,\"fixed\":3,\"variable\":1,\"payback\":1,\"payback_max\":2,"
	"\"payback_over\":false,\"variable_after\":0,\"wait\":3,\"floored\":false,\"from\":\"2027-01-01\","
	"\"start\":\"2027-04-01\",\"contribution\":400,\"payback_cost\":400,\"options\":["
	"{\"payback\":0,\"wait\":4,\"start\":\"2027-05-01\",\"cost\":0},"
	"{\"payback\":1,\"wait\":3,\"start\":\"2027-04-01\",\"cost\":400},"
	"{\"payback\":2,\"wait\":3,\"start\":\"2027-04-01\",\"cost\":800}],"
	"\"cap_base\":400000,\"streak\":1,\"raise_continuous\":0,\"zero_years\":0,\"zero_cleared\":null,"
	"\"raise_zero\":0,\"raise\":0,\"raise_capped\":false,\"cut\":6000,\"cut_capped\":false,\"cap\":394000,"
	"\"history\":[{\"year\":2024,\"scheme\":\"resident\",\"insured\":true,\"central\":false,"
	"\"fund_paid\":true,\"reward_used\":false}]," RULES "}";

/* All lines of the explanation joined by "\n"; malloc'd. */
static char *
explained(const char *json, struct policy *p)
{
	char *err = NULL, *out = xstrdup("");
	struct json *j = json_parse(json, &err);
	char **lines;
	size_t n;

	assert_non_null(j);
	assert_true(policy_read(j, p));
	json_free(&j);
	lines = policy_explain(p, &n);
	for (size_t i = 0; i < n; i++) {
		char *next = xasprintf("%s%s\n", out, lines[i]);

		free(out);
		out = next;
		free(lines[i]);
	}
	free(lines);
	return out;
}

static void
has(const char *text, const char *part)
{
	if (strstr(text, part) == NULL)
		print_error("# missing \"%s\" in:\n%s", part, text);
	assert_non_null(strstr(text, part));
}

static void
test_gap(void **state)
{
	struct policy p;
	char *t = explained(gap_json, &p), **h, *s;
	size_t n;

	(void)state;
	has(t, "Insurance year 2027, paid inside the 集中参保期.");
	has(t, "Waiting period 3 month(s) (fixed 3 + variable 0); benefits from 2027-4-1.");
	has(t, "a gap of 2 year(s)): fixed waiting period of 3 months (seed 003)");
	has(t, "2 year(s) of gap, variable waiting period 1 month(s)");
	has(t, "Paying back 1 year(s) at this year's contribution of 400 yuan (400 yuan in all) removes 1 month(s)");
	has(t, "paying back 0 year(s), 0 yuan: waiting 4 month(s), benefits from 2027-5-1");
	has(t, "paying back 2 year(s), 800 yuan: waiting 3 month(s)");
	has(t, "the gap and the 大病 cap stay as they are");
	has(t, "大病保险 cap 2027: 394000 yuan = original 400000 + raised 0 - reduced 6000.");
	has(t, "Gap: 2 year(s) not insured since the rules began, 3000 yuan less each: 6000 yuan.");
	assert_null(strstr(t, "never less than"));
	free(t);
	h = policy_history(&p, &n);
	assert_int_equal(n, 1);
	assert_string_equal(h[0], "2024 resident insured · reimbursed");
	free(h[0]);
	free(h);
	s = policy_summary(&p);
	assert_string_equal(s, "参保测算: benefits from 2027-4-1 · waiting 3 month(s) · 大病 cap 394000 yuan (F9 details)");
	free(s);
}

static void
test_exempt(void **state)
{
	static const char *const cases[][2] = {
		{ "newborn", "Newborn: no waiting period, benefits from birth (2026-10-1)" },
		{ "aid_late", "no waiting period, benefits from 2026-10-1 (seed 000 item 1)" },
		{ "central", "paid inside the 集中参保期: no waiting period, benefits from 2026-10-1." },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char json[512], *t;
		struct policy p;

		snprintf(json, sizeof json, "{\"year\":2027,\"exempt\":\"%s\",\"wait\":0,\"start\":\"2026-10-01\","
		    "\"cap\":400000,\"cap_base\":400000," RULES "}", cases[i][0]);
		t = explained(json, &p);
		has(t, cases[i][1]);
		assert_null(strstr(t, "Waiting period"));
		assert_null(strstr(t, "Paying back"));
		free(t);
	}
}

static void
test_cap(void **state)
{
	static const char json[] = "{\"year\":2030,\"exempt\":\"central\",\"start\":\"2030-01-01\",\"gap\":0,"
		"\"streak\":6,\"raise_continuous\":6000,\"zero_years\":5,\"zero_cleared\":2027,\"raise_zero\":15000,"
		"\"raise\":20000,\"raise_capped\":true,\"cut\":0,\"cap_base\":100000,\"cap\":120000," RULES "}";
	struct policy p;
	char *t = explained(json, &p);

	(void)state;
	has(t, "大病保险 cap 2030: 120000 yuan = original 100000 + raised 20000 - reduced 0.");
	has(t, "after 4 full years each further year adds 3000 yuan: 6000 yuan (insured 6 year(s) in a row up to 2030)");
	has(t, "Zero reimbursement: 5 year(s) without fund reimbursement, each adding 3000 yuan the next year: 15000 yuan.");
	has(t, "A 大病 reimbursement of 2027 used reward amounts");
	has(t, "limited to 20% of the original cap");
	assert_null(strstr(t, "Gap:"));
	free(t);
}

static void
test_refused(void **state)
{
	char *err = NULL;
	struct json *j = json_parse("{\"refused\":\"bad_id\"}", &err);
	struct policy p;

	(void)state;
	assert_false(policy_read(j, &p));
	assert_false(policy_read(NULL, &p));
	json_free(&j);
}

static void
test_csv(void **state)
{
	static const char good[] = "\xEF\xBB\xBFID_NO, Year ,scheme,insured,reward_used,fund_paid\r\n"
		"36010219850310001x,2024,居民,是,否,是\r\n"
		"360102198503100019,2025,employee,1,,0\r\n";
	static const char bad[] = "id_no,year,scheme,insured\n"
		"36010219850310001,2024,居民,是\n"
		"360102198503100019,24,居民,是\n"
		"360102198503100019,2024,农民,是\n"
		"360102198503100019,2024,职工,\n"
		"360102198503100019,2024,职工,maybe\n"
		"360102198503100019,2024,职工,0\n";
	struct inscsv *c = inscsv_parse(good, sizeof good - 1);

	(void)state;
	assert_int_equal(c->nerrors, 0);
	assert_int_equal(c->nrows, 2);
	assert_string_equal(c->rows[0].id_no, "36010219850310001X");
	assert_string_equal(c->rows[0].scheme, "resident");
	assert_string_equal(c->rows[0].insured, "t");
	assert_string_equal(c->rows[0].fund_paid, "t");
	assert_string_equal(c->rows[0].reward_used, "f");
	assert_string_equal(c->rows[0].central, "f");
	assert_string_equal(c->rows[1].scheme, "employee");
	assert_string_equal(c->rows[1].year, "2025");
	assert_int_equal(c->rows[1].line, 3);
	inscsv_free(&c);

	c = inscsv_parse(bad, sizeof bad - 1);
	assert_int_equal(c->nrows, 1);
	assert_int_equal(c->rows[0].line, 7);
	assert_int_equal(c->nerrors, 5);
	assert_int_equal(c->errors[0].line, 2);
	has(c->errors[0].message, "is not an ID number");
	assert_int_equal(c->errors[1].line, 3);
	has(c->errors[1].message, "year \"24\" is not a year");
	has(c->errors[2].message, "scheme \"农民\"");
	has(c->errors[3].message, "insured is empty");
	has(c->errors[4].message, "insured \"maybe\" is not yes or no");
	inscsv_free(&c);

	c = inscsv_parse("id_no,year,scheme\n", 18);
	assert_int_equal(c->nerrors, 1);
	has(c->errors[0].message, "the header has no column \"insured\"");
	inscsv_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_exempt),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
