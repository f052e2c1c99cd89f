/*
 * The 参保 rules of seed 003 (赣府厅发〔2024〕34号 二(四)) and seed 000
 * (items 1 and 2), db/functions/policy.sql:
 *
 *   table      yc.policy_compute against cases worked by hand from the
 *              seed's text (the comment of each row says how): continuous
 *              insurance, zero reimbursement, both, the 20 % limits, the
 *              reward clearing the zero-claim credit, a gap restarting the
 *              count but keeping what was earned, the gap penalty, the
 *              waiting period with and without paying back, the floor
 *              after 4 years or more, newborns, 困难人口, employee years,
 *              a 集中参保期 running into the new year, dates after the
 *              shipped calendar (2031, 2034)
 *   transfer   an employee's break of ≤ 3 months paid back: benefits the
 *              next day; 4 months: not this rule
 *   intake     a 城乡居民参保登记 finished at the window stores its figures
 *              on the case, records the year insured and the active
 *              insurance, audited; paying back more than the gap and
 *              registering an insured year are refused with nothing
 *              written; a 中断缴费补缴 of 3 months stores its start day
 *   preview    the figures for the counter: roles, bad ID, audited
 *   import     the provincial export: all or nothing, each bad line
 *              named; counts; replaces a window row; audited; clerks may
 *              not import
 *
 * Office 360930 of its own; staff pol_*.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/dbt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/cases.h"
#include "store/db.h"

#define OFFICE "360930"
#define PASSWORD "Pol-Secret-7"
#define T_REGISTER "002036001003"
#define T_TRANSFER "002036003003"

/* The settings' defaults (db/migrations/0031_insurance_policy.sql). */
#define RULES "{\"from_year\":2025,\"serious_cap_yuan\":400000,\"contribution_yuan\":400," \
	"\"step_yuan\":3000,\"continuous_years\":4,\"raise_cap_percent\":20,\"cut_cap_percent\":20," \
	"\"wait_fixed_months\":3,\"wait_floor_months\":6,\"wait_floor_gap_years\":4," \
	"\"central_from\":\"09-01\",\"central_until\":\"12-31\",\"newborn_days\":90,\"transfer_months\":3}"

static PGconn *su, *app;
static struct db *dsu;

static const char *const staff_rows[][3] = {
	{ "pol_clerk", "clerk", OFFICE }, { "pol_guide", "guide", OFFICE },
	{ "pol_admin", "admin", OFFICE },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dbt_office(su, OFFICE, "参保测算测试医保中心", 2);
	dbt_staff(su, PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	dbt_clear_cases(su, OFFICE);
	return dbt_disconnect(&su, &app, &dsu, "pol_");
}

/*
 * A history as a JSON array from a short form: "2025z 2026r 2027-":
 * r resident, insured, the fund reimbursed something; z resident, zero
 * reimbursement; u resident, a 大病 reimbursement used reward amounts;
 * e employee, insured; - not insured (a row saying so).
 */
static char *history(const char *s)
{
	static char out[4096];
	size_t n = 0;

	n += (size_t)snprintf(out + n, sizeof out - n, "[");
	while (*s != '\0') {
		int year;
		char k;

		if (*s == ' ') {
			s++;
			continue;
		}
		assert_int_equal(sscanf(s, "%4d%c", &year, &k), 2);
		n += (size_t)snprintf(out + n, sizeof out - n,
		    "%s{\"year\":%d,\"scheme\":\"%s\",\"insured\":%s,\"fund_paid\":%s,\"reward_used\":%s}",
		    n > 1 ? "," : "", year, k == 'e' ? "employee" : "resident", k == '-' ? "false" : "true",
		    k == 'r' || k == 'u' ? "true" : "false", k == 'u' ? "true" : "false");
		s += 5;
	}
	snprintf(out + n, sizeof out - n, "]");
	return out;
}

struct worked {
	const char *why;	/* how the figures follow from the seed's text */
	const char *birth, *on, *hist;
	int payback;
	const char *kind;	/* resident | aid_late */
	const char *rules;	/* merged over RULES ("{}" none) */
	const char *want;	/* "key=value key=value": yc.policy_compute's keys */
};

static const struct worked table[] = {
	{ "1 continuous, inside the 集中参保期: insured 2027 from 1 Jan, no wait; run 3 < 4: cap as is",
	  "1980-05-01", "2026-10-15", "2025r 2026r", 0, "resident", "{}",
	  "year=2027 inside_central=true exempt=central wait=0 start=2027-01-01 streak=3 cap=400000" },
	{ "2 continuous 2025-2030 = 6 years: 2 years beyond 4, +2×3000",
	  "1980-05-01", "2029-11-01", "2025r 2026r 2027r 2028r 2029r", 0, "resident", "{}",
	  "year=2030 streak=6 raise_continuous=6000 raise_zero=0 cap=406000" },
	{ "3 zero reimbursement 2025 and 2026: +3000 each, cumulative; run of 4 earns nothing yet",
	  "1980-05-01", "2027-10-01", "2025z 2026z 2027r", 0, "resident", "{}",
	  "year=2028 zero_years=2 raise_zero=6000 raise_continuous=0 cap=406000" },
	{ "4 both: 5 zero years (+15000) and a run of 6 (+6000) add up",
	  "1980-05-01", "2029-10-01", "2025z 2026z 2027z 2028z 2029z", 0, "resident", "{}",
	  "raise_continuous=6000 raise_zero=15000 raise=21000 raise_capped=false cap=421000" },
	{ "5 cap reached: original cap 100000, 20 % = 20000 < 21000",
	  "1980-05-01", "2029-10-01", "2025z 2026z 2027z 2028z 2029z", 0, "resident",
	  "{\"serious_cap_yuan\":100000}", "raise=20000 raise_capped=true cap=120000" },
	{ "6 a reward used in 2027 clears the zero years before it: only 2028 counts; run of 5 +3000",
	  "1980-05-01", "2028-10-01", "2025z 2026z 2027u 2028z", 0, "resident", "{}",
	  "zero_cleared=2027 zero_years=1 raise_zero=3000 raise_continuous=3000 cap=406000" },
	{ "7 a gap (2031) restarts the run but keeps 2025-2030's +6000; the gap year costs 3000",
	  "1980-05-01", "2032-10-01", "2025r 2026r 2027r 2028r 2029r 2030r 2031- 2032r", 0, "resident", "{}",
	  "year=2033 gap=0 gap_total=1 exempt=central streak=2 raise_continuous=6000 cut=3000 cap=403000" },
	{ "8 gap 2025-2026 (insured 2024), registering in the 集中参保期 for 2027: not continuous, "
	  "fixed 3 + variable 1 from 1 Jan 2027; penalty 2×3000",
	  "1985-03-10", "2026-12-04", "2024r", 0, "resident", "{}",
	  "year=2027 gap=2 fixed=3 variable=1 wait=4 start=2027-05-01 payback_max=2 cut=6000 cap=394000" },
	{ "9 the same paying back 1 year: the variable month goes, 400 at this year's standard; the cap "
	  "does not change",
	  "1985-03-10", "2026-12-04", "2024r", 1, "resident", "{}",
	  "payback=1 variable_after=0 wait=3 start=2027-04-01 payback_cost=400 cap=394000" },
	{ "10 continuous but outside the 集中参保期 (March): fixed 3 months from the day of payment",
	  "1980-05-01", "2027-03-10", "2025r 2026r", 0, "resident", "{}",
	  "year=2027 inside_central=false gap=0 fixed=3 variable=0 wait=3 start=2027-06-10 cap=400000" },
	{ "11 never insured, gap 2025-2029 = 5: 3 + 4; paying back 2 leaves 3 + 2 = 5, floor 6 "
	  "(gap ≥ 4)",
	  "1990-01-01", "2029-10-10", "", 2, "resident", "{}",
	  "year=2030 gap=5 variable=4 variable_after=2 wait=6 floored=true start=2030-07-01 "
	  "payback_cost=800 cut=15000 cap=385000" },
	{ "12 gap of exactly 4 without paying back: 3 + 3 = 6, the floor not needed",
	  "1990-01-01", "2028-10-10", "", 0, "resident", "{}",
	  "year=2029 gap=4 wait=6 floored=false start=2029-07-01" },
	{ "13 gap of 4 paying back 3: 3 + 0 = 3, raised to the floor of 6",
	  "1990-01-01", "2028-10-10", "", 3, "resident", "{}",
	  "variable_after=0 wait=6 floored=true payback_cost=1200 start=2029-07-01" },
	{ "14 gap 2025-2034 = 10 years: penalty 30000 limited to 20 % of 100000; wait 3 + 9 = 12",
	  "1980-01-01", "2034-10-10", "", 0, "resident", "{\"serious_cap_yuan\":100000}",
	  "year=2035 gap=10 wait=12 cut=20000 cut_capped=true cap=80000 start=2036-01-01" },
	{ "15 newborn registered 45 days after birth: no waiting period, benefits from birth",
	  "2026-10-01", "2026-11-15", "", 0, "resident", "{}",
	  "exempt=newborn wait=0 start=2026-10-01 gap=0 cut=0" },
	{ "16 a child registered 161 days after birth is no newborn: outside the period, fixed 3",
	  "2026-01-10", "2026-06-20", "", 0, "resident", "{}",
	  "year=2026 exempt=null gap=0 wait=3 start=2026-09-20" },
	{ "17 困难人口 identified after the 集中参保期: insures at any time, no waiting period (seed 000 "
	  "item 1) although not continuous",
	  "1970-02-02", "2026-05-20", "2024r", 0, "aid_late", "{}",
	  "year=2026 exempt=aid_late wait=0 start=2026-05-20 gap=1 cut=3000" },
	{ "18 the year already insured: nothing to register",
	  "1980-05-01", "2026-05-01", "2025r 2026r", 0, "resident", "{}",
	  "year=2026 already=true" },
	{ "19 paying back 3 of a 2-year gap: too many",
	  "1985-03-10", "2026-12-04", "2024r", 3, "resident", "{}",
	  "payback_over=true payback=2 payback_max=2" },
	{ "20 employee years are insured years: no gap, and no zero-claim credit (a resident rule)",
	  "1980-05-01", "2026-10-01", "2025e 2026e", 0, "resident", "{}",
	  "year=2027 gap=0 exempt=central zero_years=0 cap=400000" },
	{ "21 on 2031-12-31 (after the shipped calendar), insured 2027-2031: run 2027-2032 = 6 "
	  "(+6000), the gaps 2025-2026 cost 6000",
	  "1980-05-01", "2031-12-31", "2027r 2028r 2029r 2030r 2031r", 0, "resident", "{}",
	  "year=2032 exempt=central start=2032-01-01 streak=6 raise_continuous=6000 cut=6000 cap=400000" },
	{ "22 a 集中参保期 running to 28 February: 10 Feb 2027 is inside it for 2027",
	  "1980-05-01", "2027-02-10", "2025r 2026r", 0, "resident", "{\"central_until\":\"02-28\"}",
	  "year=2027 inside_central=true exempt=central start=2027-01-01" },
	{ "23 a gap of 1 year outside the period: fixed 3, no variable month, nothing to repair by it",
	  "1980-05-01", "2028-04-01", "2025r 2026r", 1, "resident", "{}",
	  "year=2028 gap=1 variable=0 payback=1 variable_after=0 wait=3 start=2028-07-01" },
};

static void test_worked_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < DBT_COUNT(table); i++) {
		const struct worked *w = &table[i];
		char payback[8], rules[1024], want[512], *tok, *save = NULL;
		const char *p[6];

		snprintf(payback, sizeof payback, "%d", w->payback);
		snprintf(rules, sizeof rules, "%s", RULES);
		p[0] = w->birth;
		p[1] = w->on;
		p[2] = history(w->hist);
		p[3] = payback;
		p[4] = w->kind;
		p[5] = rules;
		snprintf(want, sizeof want, "%s", w->want);
		for (tok = strtok_r(want, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
			char sql[512], *eq = strchr(tok, '='), *got;
			const char *pp[7] = { p[0], p[1], p[2], p[3], p[4], p[5], w->rules };

			assert_non_null(eq);
			*eq = '\0';
			snprintf(sql, sizeof sql, "SELECT coalesce(yc.policy_compute($1::date, $2::date, $3::jsonb, "
			    "$4::int, $5, $6::jsonb || $7::jsonb) ->> '%s', 'null')", tok);
			got = dbt_query_str(su, sql, 7, pp);
			if (strcmp(got, eq + 1) != 0)
				print_error("# case %s: %s = %s, want %s\n", w->why, tok, got, eq + 1);
			assert_string_equal(got, eq + 1);
			free(got);
		}
	}
}

/* The options a 2-year gap offers: paying back 0, 1 or 2 years. */
static void test_options(void **state)
{
	const char *p[] = { history("2024r"), RULES };

	(void)state;
	dbt_assert_query(su, "0:4:2027-05-01:0 1:3:2027-04-01:400 2:3:2027-04-01:800",
	    "SELECT string_agg(format('%s:%s:%s:%s', o ->> 'payback', o ->> 'wait', o ->> 'start', o ->> 'cost'),"
	    " ' ' ORDER BY (o ->> 'payback')::int)"
	    " FROM jsonb_array_elements(yc.policy_compute('1985-03-10', '2026-12-04', $1::jsonb, 0, 'resident',"
	    " $2::jsonb) -> 'options') o", 2, p);
}

static void test_transfer(void **state)
{
	const char *p[] = { RULES };

	(void)state;
	dbt_assert_query(su, "true 2026-12-05 true",
	    "SELECT concat_ws(' ', t ->> 'eligible', t ->> 'start', t ->> 'retroactive')"
	    " FROM yc.policy_transfer('2026-12-04', 3, $1::jsonb) t", 1, p);
	dbt_assert_query(su, "false null",
	    "SELECT concat_ws(' ', t ->> 'eligible', coalesce(t ->> 'start', 'null'))"
	    " FROM yc.policy_transfer('2026-12-31', 4, $1::jsonb) t", 1, p);
}

/* A registered person with only an insured 2024 (a 2-year gap in 2027). */
static void gap_person(char id[19], int seq)
{
	const char *p[] = { id };

	dbt_make_id(id, "19850310", seq);
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name, phone) VALUES ($1, '王断保', '13800000930')"
	    " ON CONFLICT (id_no) DO NOTHING", 1, p);
	dbt_exec_ok(su, "DELETE FROM yc.insurance_year WHERE id_no = $1", 1, p);
	dbt_exec_ok(su, "DELETE FROM yc.insurance WHERE id_no = $1", 1, p);
	dbt_exec_ok(su, "INSERT INTO yc.insurance_year (id_no, year, scheme, insured, fund_paid, source)"
	    " VALUES ($1, 2024, 'resident', true, true, 'import')", 1, p);
}

static struct cases_intake_req registration(const char *id, const char *payback)
{
	static const char *const seen[] = { "id_card" };
	struct cases_intake_req q = { 0 };
	const char **ids, **values;

	q.type_code = T_REGISTER;
	q.version = dbt_case_type_version(su, T_REGISTER);
	q.id_no = id;
	q.channel = CH_WINDOW;
	q.outcome = CO_IMMEDIATE;
	q.nfields = dbt_form(su, T_REGISTER, id, &ids, &values);
	for (size_t i = 0; i < q.nfields; i++)
		if (strcmp(ids[i], "payback") == 0)
			values[i] = payback;
	q.field_ids = ids;
	q.field_values = values;
	q.seen = seen;
	q.nseen = 1;
	return q;
}

static void test_intake(void **state)
{
	char id[19], case_no[40];
	long long sid, mark;
	struct cases_intake_req q;
	struct cases_intake_out out;
	const char *p[2];

	(void)state;
	dbt_clock(dsu, "2026-12-04 10:00:00+08");
	gap_person(id, 930);
	sid = dbt_login_db(dsu, "pol_clerk", PASSWORD, 1, "tests/db/policy");
	mark = dbt_audit_mark(su);

	q = registration(id, "n3");
	assert_int_equal(cases_intake(dsu, sid, &q, &out), CASES_PAYBACK_OVER);
	p[0] = id;
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.service_case WHERE id_no = $1", 1, p), 0);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.insurance_year WHERE id_no = $1", 1, p), 1);

	q = registration(id, "n1");
	assert_int_equal(cases_intake(dsu, sid, &q, &out), CASES_OK);
	snprintf(case_no, sizeof case_no, "%s", out.case_no);
	p[1] = case_no;
	dbt_assert_query(su, "finished 2027 3 2027-04-01 400 394000",
	    "SELECT concat_ws(' ', status, policy ->> 'year', policy ->> 'wait', policy ->> 'start',"
	    " policy ->> 'payback_cost', policy ->> 'cap') FROM yc.service_case WHERE case_no = $2 AND id_no = $1",
	    2, p);
	dbt_assert_query(su, "2027 true window",
	    "SELECT concat_ws(' ', year, central::text, source) FROM yc.insurance_year"
	    " WHERE id_no = $1 AND year = 2027", 1, p);
	dbt_assert_query(su, "active 2027-04-01", "SELECT concat_ws(' ', status, since) FROM yc.insurance"
	    " WHERE id_no = $1 AND scheme = 'resident'", 1, p);
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "policy_record", NULL), 1);

	/* 2027 is insured now: a second registration is refused */
	q = registration(id, "n0");
	assert_int_equal(cases_intake(dsu, sid, &q, &out), CASES_ALREADY_INSURED);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.service_case WHERE id_no = $1", 1, p), 1);
	dbt_logout_db(dsu, sid);
	dbt_clock(dsu, NULL);
}

static void test_transfer_intake(void **state)
{
	char id[19];
	long long sid;
	struct cases_intake_req q = { 0 };
	struct cases_intake_out out;
	static const char *const seen[] = { "credential", "application" };
	const char **ids, **values, *p[1];

	(void)state;
	dbt_clock(dsu, "2026-12-31 15:00:00+08");
	dbt_make_id(id, "19800202", 931);
	p[0] = id;
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name) VALUES ($1, '赵转移') ON CONFLICT DO NOTHING", 1, p);
	sid = dbt_login_db(dsu, "pol_clerk", PASSWORD, 1, "tests/db/policy");
	q.type_code = T_TRANSFER;
	q.version = dbt_case_type_version(su, T_TRANSFER);
	q.id_no = id;
	q.channel = CH_WINDOW;
	q.outcome = CO_IMMEDIATE;
	q.nfields = dbt_form(su, T_TRANSFER, id, &ids, &values);
	for (size_t i = 0; i < q.nfields; i++)
		if (strcmp(ids[i], "months") == 0)
			values[i] = "m3";
	q.field_ids = ids;
	q.field_values = values;
	q.seen = seen;
	q.nseen = 2;
	assert_int_equal(cases_intake(dsu, sid, &q, &out), CASES_OK);
	dbt_assert_query(su, "transfer true 2027-01-01", "SELECT concat_ws(' ', policy ->> 'kind',"
	    " policy ->> 'eligible', policy ->> 'start') FROM yc.service_case WHERE id_no = $1", 1, p);
	dbt_logout_db(dsu, sid);
	dbt_clock(dsu, NULL);
}

static void test_preview(void **state)
{
	char id[19], sid_s[24];
	long long sid, mark;
	const char *p[2];

	(void)state;
	gap_person(id, 932);
	mark = dbt_audit_mark(su);
	sid = dbt_login(app, "pol_guide", PASSWORD, 0, "tests/db/policy");
	snprintf(sid_s, sizeof sid_s, "%lld", sid);
	p[0] = sid_s;
	p[1] = id;
	dbt_assert_query(app, "2027 2 1 2027-04-01 400",
	    "SELECT concat_ws(' ', v ->> 'year', v ->> 'gap', v ->> 'payback', v ->> 'start', v ->> 'payback_cost')"
	    " FROM yc.policy_preview($1::bigint, $2, '2026-12-04', 1, false) v", 2, p);
	dbt_assert_query(app, "1", "SELECT jsonb_array_length(yc.policy_preview($1::bigint, $2, '2026-12-04', 0,"
	    " false) -> 'history')", 2, p);
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "policy_view", NULL), 2);
	p[1] = "110101198503100001";
	dbt_assert_query(app, "bad_id", "SELECT yc.policy_preview($1::bigint, $2, NULL, 0, false) ->> 'refused'",
	    2, p);
	dbt_logout(app, sid);
	sid = dbt_login(app, "pol_admin", PASSWORD, 0, "tests/db/policy");
	snprintf(sid_s, sizeof sid_s, "%lld", sid);
	p[1] = id;
	dbt_assert_query(app, "not_allowed", "SELECT yc.policy_preview($1::bigint, $2, NULL, 0, false)"
	    " ->> 'refused'", 2, p);
	dbt_logout(app, sid);
	/* the application role reads no history directly */
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.insurance_year");
}

static void test_import(void **state)
{
	char id1[19], id2[19], sid_s[24], rows[1024];
	long long sid, mark;
	const char *p[2];

	(void)state;
	dbt_make_id(id1, "19700101", 933);
	dbt_make_id(id2, "19750505", 934);
	p[0] = id1;
	dbt_exec_ok(su, "DELETE FROM yc.insurance_year WHERE id_no = $1", 1, p);
	dbt_exec_ok(su, "INSERT INTO yc.insurance_year (id_no, year, scheme, insured, source)"
	    " VALUES ($1, 2026, 'resident', true, 'window')", 1, p);
	p[0] = id2;
	dbt_exec_ok(su, "DELETE FROM yc.insurance_year WHERE id_no = $1", 1, p);
	sid = dbt_login(app, "pol_admin", PASSWORD, 0, "tests/db/policy");
	snprintf(sid_s, sizeof sid_s, "%lld", sid);
	p[0] = sid_s;

	/* bad lines: every one named, nothing stored */
	snprintf(rows, sizeof rows, "[{\"line\":2,\"id_no\":\"%s\",\"year\":\"2025\",\"scheme\":\"resident\","
	    "\"insured\":true},{\"line\":3,\"id_no\":\"110101198503100001\",\"year\":\"2025\",\"scheme\":\"resident\","
	    "\"insured\":true},{\"line\":4,\"id_no\":\"%s\",\"year\":\"2025\",\"scheme\":\"resident\","
	    "\"insured\":false,\"fund_paid\":true},{\"line\":5,\"id_no\":\"%s\",\"year\":\"2025\","
	    "\"scheme\":\"resident\",\"insured\":true}]", id1, id2, id1);
	p[1] = rows;
	dbt_assert_query(app, "3:bad_id: 4:bad_facts: 5:duplicate:2",
	    "SELECT string_agg(format('%s:%s:%s', line, result, coalesce(detail, '')), ' ' ORDER BY line)"
	    " FROM yc.insurance_import($1::bigint, $2::jsonb)", 2, p);
	p[1] = id1;
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.insurance_year WHERE id_no = $1", 1, p + 1), 1);

	/* a good file: one added, one replacing the window's row */
	mark = dbt_audit_mark(su);
	snprintf(rows, sizeof rows, "[{\"line\":2,\"id_no\":\"%s\",\"year\":\"2026\",\"scheme\":\"resident\","
	    "\"insured\":true,\"central\":true,\"fund_paid\":false},{\"line\":3,\"id_no\":\"%s\",\"year\":\"2025\","
	    "\"scheme\":\"employee\",\"insured\":true,\"fund_paid\":true}]", id1, id2);
	p[1] = rows;
	dbt_assert_query(app, "0:ok:1 1 0", "SELECT string_agg(format('%s:%s:%s', line, result, detail), ' ')"
	    " FROM yc.insurance_import($1::bigint, $2::jsonb)", 2, p);
	p[1] = id1;
	dbt_assert_query(su, "import true", "SELECT concat_ws(' ', source, central::text) FROM yc.insurance_year"
	    " WHERE id_no = $1 AND year = 2026", 1, p + 1);
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "insurance_import", NULL), 1);
	/* the same file again changes nothing */
	p[1] = rows;
	dbt_assert_query(app, "0:ok:0 0 2", "SELECT string_agg(format('%s:%s:%s', line, result, detail), ' ')"
	    " FROM yc.insurance_import($1::bigint, $2::jsonb)", 2, p);
	dbt_logout(app, sid);

	sid = dbt_login(app, "pol_clerk", PASSWORD, 1, "tests/db/policy");
	snprintf(sid_s, sizeof sid_s, "%lld", sid);
	dbt_assert_query(app, "not_allowed", "SELECT result FROM yc.insurance_import($1::bigint, '[]')", 1, p);
	dbt_logout(app, sid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_table),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_transfer),
		cmocka_unit_test(test_intake),
		cmocka_unit_test(test_transfer_intake),
		cmocka_unit_test(test_preview),
		cmocka_unit_test(test_import),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
