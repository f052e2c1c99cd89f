/*
 * Deadlines across the year's end (db/migrations/0015_calendar_provisional.sql,
 * tui/store/calstore.c): the provisional years `db migrate` computed from
 * the statutory rules, cases accepted in December with dates in them and
 * documents that say so, the official calendar of 2027 (an invented one)
 * replacing the provisional year and moving the open cases counted through
 * it, never later than printed, with events and audit rows, closed cases
 * untouched; the order of official years; the warning before the cliff.
 *
 * Environment as for every db suite (tests/run.sh). The tests work in
 * their own city, 360982, with their own staff (tk_*), on the superuser
 * connection of the store, whose clock they set (yc.test_now). The test
 * that loads an official 2027 puts the provisional 2027 back at its end
 * (the screen and shell suites that run later expect it), also when it
 * fails half-way (the group teardown does it again).
 *
 * Dates counted by hand. Provisional 2027: 01-01 (Fri) 元旦 only in
 * January; 2026-12 has 21 working days after 12-02 (03, 04, 07-11, 14-18,
 * 21-25, 28-31); 春节 02-05..02-10. The invented official 2027: 01-01
 * off, 01-05 (Tue) off, 01-09 and 01-10 (Sat, Sun) make-up working days,
 * and after January only the statutory days (a calendar load refuses a
 * year without them): 春节 02-05..08, 清明 04-05, 劳动节 05-01..02,
 * 端午 06-09, 中秋 09-15, 国庆 10-01..03, no 补假.
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
#include <unistd.h>

#include <libpq-fe.h>

#include "store/calstore.h"
#include "store/cases.h"
#include "store/db.h"

#define CITY "360982"
#define TK_PASSWORD "Tk-Secret-3"
#define T_CLINIC "002036006001"	/* 30 days, stages 20/5/5, chronic_cert defer 10 */
#define T_BASE "002036012001"	/* 5 working days */
#define STATUTORY "db/calendar/cn-statutory-dates.tsv"

#define IDS(...) ((const char *const[]){ __VA_ARGS__ })
#define NIDS(...) (sizeof(IDS(__VA_ARGS__)) / sizeof(const char *))

static PGconn *su;
static PGconn *app;
static struct db *dsu;
static char p1[19], p2[19];

static const char *const staff_rows[][3] = {
	{ "tk_clerk", "clerk", CITY },
	{ "tk_super", "supervisor", CITY },
};

/* Makes 2027 provisional again, as `db migrate` leaves it. */
static void restore_2027(void)
{
	char *err = NULL;

	dbt_exec_ok(su, "DELETE FROM yc.workday_adjustment WHERE day >= '2027-01-01' AND day < '2028-01-01'",
	    0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.calendar_year WHERE year = 2027", 0, NULL);
	if (calstore_provisional(dsu, STATUTORY, NULL, &err) != 1)
		fail_msg("restoring 2027: %s", err != NULL ? err : "not exactly one year");
	free(err);
}

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dbt_office(su, CITY, "日历测试市医保中心", 2);
	dbt_staff(su, TK_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19700315", 811);
	dbt_make_id(p2, "19850620", 812);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (su != NULL && PQstatus(su) == CONNECTION_OK) {
		dbt_close_sessions(su, "tk");
		if (dbt_query_ll(su, "SELECT count(*) FROM yc.calendar_year WHERE year = 2027 "
		    "AND basis = 'official' AND source LIKE '%yc-test-2027%'", 0, NULL) > 0)
			restore_2027();
	}
	db_close(&dsu);
	PQfinish(app);
	PQfinish(su);
	return 0;
}

static int test_setup(void **state)
{
	(void)state;
	dbt_clear_cases(su, CITY);
	dbt_close_sessions(su, "tk");
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '11-01' WHERE key = 'calendar_warn_from'", 0, NULL);
	dbt_clock(dsu, "");
	return 0;
}

static long long login(void)
{
	return dbt_login_db(dsu, "tk_clerk", TK_PASSWORD, 1, "tests/db/calendar");
}

static void register_people(long long s)
{
	assert_int_equal(cases_person_register(dsu, s, p1, "日历测试甲", "13900000011"), CASES_OK);
	assert_int_equal(cases_person_register(dsu, s, p2, "日历测试乙", NULL), CASES_OK);
}

/* Accepts a case of type at the clock's day with every material but the
 * deferred ones (n of them) seen. */
static struct cases_intake_out accept(long long s, const char *type, const char *id_no,
    const char *const *seen, size_t nseen, const char *const *deferred, size_t ndeferred)
{
	const char **ids, **values;
	struct cases_intake_req q = { 0 };
	struct cases_intake_out out;
	enum cases_result r;

	q.type_code = type;
	q.version = dbt_case_type_version(su, type);
	q.id_no = id_no;
	q.nfields = dbt_form(su, type, id_no, &ids, &values);
	q.field_ids = ids;
	q.field_values = values;
	q.channel = CH_WINDOW;
	q.outcome = ndeferred > 0 ? CO_DEFER : CO_ACCEPT;
	q.seen = seen;
	q.nseen = nseen;
	q.deferred = deferred;
	q.ndeferred = ndeferred;
	r = cases_intake(dsu, s, &q, &out);
	if (r != CASES_OK)
		print_error("# intake: %s (%s)\n", cases_result_message(r), db_detail(dsu));
	assert_int_equal(r, CASES_OK);
	return out;
}

static struct cases_intake_out accept_clinic(long long s, const char *id_no, bool defer)
{
	return defer ? accept(s, T_CLINIC, id_no, IDS("credential", "invoice", "bill"), 3,
	    IDS("chronic_cert"), 1) :
	    accept(s, T_CLINIC, id_no, IDS("credential", "invoice", "bill", "chronic_cert"), 4, NULL, 0);
}

/* The due dates of a case's stages, "no:due,…". */
static char *stage_dues(const char *case_no)
{
	const char *p[] = { case_no };

	return dbt_query_str(su, "SELECT string_agg(stage_no || ':' || due_date, ',' ORDER BY stage_no)"
	    " FROM yc.case_stage WHERE case_no = $1", 1, p);
}

static void assert_stages(const char *case_no, const char *want)
{
	char *got = stage_dues(case_no);

	assert_string_equal(got, want);
	free(got);
}

static void assert_material_due(const char *case_no, const char *want)
{
	const char *p[] = { case_no };

	dbt_assert_query(su, want, "SELECT due_date FROM yc.case_material WHERE case_no = $1"
	    " AND material_id = 'chronic_cert'", 1, p);
}

static long long events(const char *case_no, const char *kind)
{
	const char *p[] = { case_no, kind };

	return dbt_query_ll(su, "SELECT count(*) FROM yc.case_event WHERE case_no = $1 AND kind = $2", 2, p);
}

/* Writes the invented official 2027 (see the top) to a temporary file. */
static void write_official_2027(char path[64])
{
	FILE *f;

	snprintf(path, 64, "/tmp/yc-test-2027-%ld.tsv", (long)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# invented for tests/db/test_calendar.c\n"
	    "2027-01-01\t2027-01-01\toff\t元旦\n"
	    "2027-01-05\t2027-01-05\toff\t测试假日\n"
	    "2027-01-09\t2027-01-10\twork\t测试调休\n"
	    "2027-02-05\t2027-02-08\toff\t春节\n"
	    "2027-04-05\t2027-04-05\toff\t清明节\n"
	    "2027-05-01\t2027-05-02\toff\t劳动节\n"
	    "2027-06-09\t2027-06-09\toff\t端午节\n"
	    "2027-09-15\t2027-09-15\toff\t中秋节\n"
	    "2027-10-01\t2027-10-03\toff\t国庆节\n", f);
	assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------------ */

static void test_provisional_years(void **state)
{
	(void)state;
	/* after the official 2024-2026, 2027..2099 by the statutory rules */
	dbt_assert_query(su, "official", "SELECT basis FROM yc.calendar_year WHERE year = 2026", 0, NULL);
	dbt_assert_query(su, "provisional", "SELECT basis FROM yc.calendar_year WHERE year = 2027", 0, NULL);
	dbt_assert_query(su, "2099", "SELECT max(year) FROM yc.calendar_year", 0, NULL);
	dbt_assert_query(su, "73", "SELECT count(*) FROM yc.calendar_year WHERE basis = 'provisional'", 0, NULL);
	/* 劳动节 on a weekend: made up on Monday and Tuesday; no make-up Saturday invented */
	dbt_assert_query(su, "2027-05-01 off 劳动节,2027-05-02 off 劳动节,2027-05-03 off 劳动节补假,"
	    "2027-05-04 off 劳动节补假", "SELECT string_agg(day || ' ' || kind || ' ' || name, ',' ORDER BY day)"
	    " FROM yc.workday_adjustment WHERE day BETWEEN '2027-04-28' AND '2027-05-31'", 0, NULL);
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.workday_adjustment w JOIN yc.calendar_year cy"
	    " ON cy.year = extract(year FROM w.day) WHERE cy.basis = 'provisional' AND w.kind = 'work'", 0, NULL);
	/* what the application sees */
	dbt_assert_query(app, "2027-01-14", "SELECT yc.add_workdays('2026-12-02', 30)", 0, NULL);
	dbt_assert_query(app, "t", "SELECT yc.date_provisional('2027-01-14')", 0, NULL);
	dbt_assert_query(app, "f", "SELECT yc.date_provisional('2026-12-31')", 0, NULL);
	/* past the table an error, never a guess */
	dbt_expect_sqlstate(app, "YC001", "SELECT yc.add_workdays('2099-12-20', 10)");
	assert_int_equal(calstore_provisional_from(dsu), 2027);
	/* a second migrate writes nothing */
	char *err = NULL;
	int moved = -1;
	assert_int_equal(calstore_provisional(dsu, STATUTORY, &moved, &err), 0);
	assert_int_equal(moved, 0);
	/* a provisional year whose days differ from the rules' (a corrected
	 * table or rule in a new release) is written again */
	dbt_exec_ok(su, "UPDATE yc.workday_adjustment SET name = '旧规则' WHERE day = '2030-01-01'", 0, NULL);
	dbt_exec_ok(su, "INSERT INTO yc.workday_adjustment (day, kind, name) VALUES ('2030-03-01', 'off', '旧规则')",
	    0, NULL);
	assert_int_equal(calstore_provisional(dsu, STATUTORY, &moved, &err), 1);
	free(err);
	dbt_assert_query(su, "元旦", "SELECT name FROM yc.workday_adjustment WHERE day = '2030-01-01'", 0, NULL);
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.workday_adjustment WHERE name = '旧规则'", 0, NULL);
}

static void test_accept_in_december(void **state)
{
	(void)state;
	struct cases_intake_out a, b, c;
	const char *p[1];
	long long s;

	dbt_clock(dsu, "2026-12-02 10:00+08");
	s = login();
	register_people(s);
	/* 受理 and 容缺 of a 30-day item: into 2027, provisional */
	a = accept_clinic(s, p1, false);
	assert_string_equal(a.promised, "2027-01-14");
	assert_stages(a.case_no, "1:2026-12-30,2:2027-01-07,3:2027-01-14");
	b = accept_clinic(s, p2, true);
	assert_string_equal(b.promised, "2027-01-14");
	assert_material_due(b.case_no, "2026-12-16");
	/* the documents say so */
	p[0] = a.case_no;
	dbt_assert_query(su, "true 2027", "SELECT (d->>'calendar_provisional') || ' ' || (d->>'calendar_years')"
	    " FROM yc.case_document($1, 'acceptance-notice') d", 1, p);
	p[0] = b.case_no;
	dbt_assert_query(su, "true", "SELECT yc.case_document($1, 'commitment')->>'calendar_provisional'", 1, p);
	/* a 5-day item stays in 2026: official, and said so */
	c = accept(s, T_BASE, p1, IDS("agent_id", "base_form", "staff_detail"), 3, NULL, 0);
	assert_string_equal(c.promised, "2026-12-09");
	p[0] = c.case_no;
	dbt_assert_query(su, "false", "SELECT yc.case_document($1, 'acceptance-notice')->>'calendar_provisional'",
	    1, p);
	dbt_logout_db(dsu, s);
}

static void test_official_load_moves_open_cases(void **state)
{
	(void)state;
	struct cases_intake_out a, b, done, early;
	struct cases_deadline d[16];
	enum cases_result r;
	char path[64], *err = NULL;
	const char *p[1];
	long long s, mark;
	int moved = -1, n;

	s = login();
	register_people(s);
	dbt_clock(dsu, "2026-11-02 10:00+08");
	early = accept(s, T_BASE, p2, IDS("agent_id", "base_form", "staff_detail"), 3, NULL, 0);
	dbt_clock(dsu, "2026-12-02 10:00+08");
	a = accept_clinic(s, p1, false);
	done = accept_clinic(s, p2, false);
	/* a closed case keeps its dates */
	p[0] = done.case_no;
	dbt_exec_ok(su, "UPDATE yc.service_case SET status = 'finished', finished_at = now(), stage_no = NULL"
	    " WHERE case_no = $1", 1, p);
	dbt_clock(dsu, "2026-12-24 10:00+08");
	b = accept_clinic(s, p2, true);
	assert_string_equal(b.promised, "2027-02-11");	/* over 春节 02-05..10 */
	assert_material_due(b.case_no, "2027-01-08");

	dbt_clock(dsu, "2026-12-28 09:00+08");
	mark = dbt_audit_mark(su);
	write_official_2027(path);
	n = calstore_load(dsu, path, STATUTORY, false, &moved, &err);
	unlink(path);
	if (n < 0)
		fail_msg("load: %s", err);
	assert_int_equal(n, 1);
	assert_int_equal(moved, 2);
	dbt_assert_query(su, "official", "SELECT basis FROM yc.calendar_year WHERE year = 2027", 0, NULL);
	dbt_assert_query(su, "provisional", "SELECT basis FROM yc.calendar_year WHERE year = 2028", 0, NULL);

	/* A: promised earlier by the official days (printed 01-14, now 01-13);
	 * stage 2 due later (not printed), stage 3 never after the promise */
	dbt_assert_case(su, a.case_no, "promised_date", "2027-01-13");
	assert_stages(a.case_no, "1:2026-12-30,2:2027-01-08,3:2027-01-13");
	/* B: the promise earlier (02-11 → 02-04: the invented year gives no
	 * 补假 after 春节, which begins after it); the supply-by date would be
	 * later (01-09) and stays as printed */
	dbt_assert_case(su, b.case_no, "promised_date", "2027-02-04");
	assert_material_due(b.case_no, "2027-01-08");
	/* closed, and within 2026: untouched */
	dbt_assert_case(su, done.case_no, "promised_date", "2027-01-14");
	dbt_assert_case(su, early.case_no, "promised_date", "2026-11-09");
	assert_int_equal(events(done.case_no, "calendar_adjust"), 0);
	assert_int_equal(events(early.case_no, "calendar_adjust"), 0);
	/* one event and one audit row per moved case, with before and after */
	assert_int_equal(events(a.case_no, "calendar_adjust"), 1);
	assert_int_equal(events(b.case_no, "calendar_adjust"), 1);
	p[0] = a.case_no;
	dbt_assert_query(su, "2027-01-14 2027-01-13", "SELECT (detail->'before'->>'promised') || ' ' ||"
	    " (detail->'after'->>'promised') FROM yc.case_event WHERE case_no = $1 AND kind = 'calendar_adjust'",
	    1, p);
	dbt_assert_query(su, "按2027年正式工作日日历调整期限：承诺办结日期2027-01-14改为2027-01-13",
	    "SELECT yc.stage_event_text(kind, detail) FROM yc.case_event WHERE case_no = $1"
	    " AND kind = 'calendar_adjust'", 1, p);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "case_calendar_adjust", NULL), 2);
	dbt_assert_query(su, "2026-12-28", "SELECT calendar_adjusted FROM yc.service_case WHERE case_no = $1",
	    1, p);
	/* the deadline board says which cases moved */
	n = cases_deadlines(dsu, s, false, d, 16, &r);
	assert_true(n > 0);
	for (int i = 0; i < n; i++)
		assert_string_equal(d[i].adjusted, strcmp(d[i].case_no, a.case_no) == 0 ||
		    strcmp(d[i].case_no, b.case_no) == 0 ? "2026-12-28" : "");
	/* and the documents no longer call the dates provisional */
	dbt_assert_query(su, "false", "SELECT yc.case_document($1, 'acceptance-notice')->>'calendar_provisional'",
	    1, p);
	/* loading the same file again moves nothing */
	write_official_2027(path);
	n = calstore_load(dsu, path, STATUTORY, false, &moved, &err);
	unlink(path);
	assert_int_equal(n, 1);
	assert_int_equal(moved, 0);
	dbt_logout_db(dsu, s);
	restore_2027();
	dbt_assert_query(su, "provisional", "SELECT basis FROM yc.calendar_year WHERE year = 2027", 0, NULL);
	dbt_assert_query(app, "2027-01-14", "SELECT yc.add_workdays('2026-12-02', 30)", 0, NULL);
}

static void test_official_years_come_first(void **state)
{
	(void)state;
	char path[64], *err = NULL;
	FILE *f;
	int moved;

	snprintf(path, sizeof path, "/tmp/yc-test-2029-%ld.tsv", (long)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	/* a whole 2029 (every statutory day off), but 2028 is provisional */
	fputs("2029-01-01\t2029-01-01\toff\t元旦\n2029-02-12\t2029-02-15\toff\t春节\n"
	    "2029-04-04\t2029-04-04\toff\t清明节\n2029-05-01\t2029-05-02\toff\t劳动节\n"
	    "2029-06-16\t2029-06-16\toff\t端午节\n2029-09-22\t2029-09-22\toff\t中秋节\n"
	    "2029-10-01\t2029-10-03\toff\t国庆节\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(calstore_load(dsu, path, STATUTORY, false, &moved, &err), -1);
	unlink(path);
	assert_non_null(err);
	assert_non_null(strstr(err, "official years come first"));
	free(err);
	dbt_assert_query(su, "provisional", "SELECT basis FROM yc.calendar_year WHERE year = 2029", 0, NULL);
}

/* Issue 19: a file with one line of 2027 is not the official 2027 (it
 * would make every day of 2027 but that one a working day, 春节 and 国庆
 * included): refused, naming the first statutory day it lacks, and 2027
 * stays provisional with its deadlines. */
static void test_one_line_is_not_a_year(void **state)
{
	(void)state;
	char path[64], *err = NULL;
	FILE *f;
	int moved;

	snprintf(path, sizeof path, "/tmp/yc-test-2027-one-%ld.tsv", (long)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("2027-01-01\t2027-01-01\toff\t元旦\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(calstore_load(dsu, path, STATUTORY, false, &moved, &err), -1);
	unlink(path);
	assert_non_null(err);
	assert_non_null(strstr(err, "2027 is not a whole year: 2027-02-05 (春节) is not a day off"));
	free(err);
	dbt_assert_query(su, "provisional", "SELECT basis FROM yc.calendar_year WHERE year = 2027", 0, NULL);
	dbt_assert_query(su, "2027-02-11", "SELECT yc.add_workdays('2027-02-04', 1)", 0, NULL);
}

static void test_warning_before_the_cliff(void **state)
{
	(void)state;
	/* the workstation asks as the application role (its real clock) */
	assert_true(dbt_query_ll(app, "SELECT coalesce(yc.calendar_missing(), 0)", 0, NULL) >= 0);
	dbt_clock(dsu, "2026-10-31 12:00+08");
	assert_int_equal(calstore_missing(dsu), 0);
	dbt_clock(dsu, "2026-11-01 08:00+08");
	assert_int_equal(calstore_missing(dsu), 2027);
	/* this year itself provisional: always */
	dbt_clock(dsu, "2027-03-01 08:00+08");
	assert_int_equal(calstore_missing(dsu), 2027);
	/* the day is a setting */
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '12-15' WHERE key = 'calendar_warn_from'", 0, NULL);
	dbt_clock(dsu, "2026-12-02 08:00+08");
	assert_int_equal(calstore_missing(dsu), 0);
	/* a value that is not MM-DD never gets in (setting_guard, 0023_opening_hours) */
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.setting SET value = 'soon' WHERE key = 'calendar_warn_from'");
	assert_int_equal(calstore_missing(dsu), 0);	/* still 12-15 */
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_provisional_years),
		T(test_accept_in_december),
		T(test_official_load_moves_open_cases),
		T(test_official_years_come_first),
		T(test_one_line_is_not_a_year),
		T(test_warning_before_the_cliff),
	};
	return cmocka_run_group_tests_name("db_calendar", tests, group_setup, group_teardown);
}
