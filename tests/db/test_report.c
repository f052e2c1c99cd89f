/*
 * The daily report for the supervisor's console
 * (db/migrations/0013_report_console.sql, tui/store/daily.c): the same
 * figures as the administrator's report (0008) for a supervisor's own
 * office and the offices below it; refused for an office beside or above
 * it, for other roles, for an unknown office and for a closed session, or
 * a session signed in on another connection; the administrator's
 * functions stay closed to the application role.
 *
 * Environment as for every db suite (tests/run.sh):
 *   PGHOST, PGDATABASE, PGUSER=postgres    superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                    the application role
 *
 * Works on the demo offices (360981 city, 360981001 and 360981002
 * townships, 360981001001 village below the first) and demo staff
 * (db/demo.sql), plus a township supervisor of its own (rp_sup_t). The
 * day reported is 2025-01-06, where the suite writes one served ticket and
 * one rating at the village (removed first, so it can run again).
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

#include "model/report.h"
#include "store/daily.h"
#include "store/db.h"

#define DEMO_PASSWORD "Demo-1234"
#define DAY "2025-01-06"
#define VILLAGE "360981001001"

static PGconn *su;		/* superuser */
static PGconn *app;		/* yichuang_app: sessions are signed in here */
static struct db *dsu;		/* superuser through the store: trusted with any session */

/* Signs staff in (clerks need a window: window 1 of their office). */
static long long login(const char *staff, int window)
{
	return dbt_login(app, staff, DEMO_PASSWORD, window, "tests/db/report");
}

/* The report of office through the store as session (0: the admin's). */
static enum daily_result fetch(long long session, const char *office, struct report_daily *d)
{
	return daily_fetch(dsu, session, office, DAY, d);
}

static const char *const fixture[] = {
	"DELETE FROM yc.rating WHERE office_code = '" VILLAGE "' AND rated_at::date = '" DAY "'",
	"DELETE FROM yc.ticket WHERE office_code = '" VILLAGE "' AND day = '" DAY "'",
	"DELETE FROM yc.staff_session WHERE office_code = '" VILLAGE "' AND started_at::date = '" DAY "'",
	"INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
	" VALUES ('rp_sup_t', '街道值班长', 'supervisor', '360981001', yc.hash_password('" DEMO_PASSWORD "'))"
	" ON CONFLICT (staff_no) DO UPDATE SET active = true, failed_logins = 0, locked_until = NULL",
	"INSERT INTO yc.staff_session (office_code, staff_no, window_no, started_at, ended_at, end_reason)"
	" VALUES ('" VILLAGE "', 'village1', 1, '" DAY " 08:30+08', '" DAY " 12:00+08', 'logout')",
	"INSERT INTO yc.ticket (office_code, day, class, seq, number, status, window_no, issued_at,"
	" called_at, started_at, finished_at) VALUES ('" VILLAGE "', '" DAY "', 'normal', 1, 'A001',"
	" 'served', 1, '" DAY " 09:00+08', '" DAY " 09:04+08', '" DAY " 09:05+08', '" DAY " 09:15+08')",
	"INSERT INTO yc.rating (office_code, staff_no, window_no, grade, rated_at)"
	" VALUES ('" VILLAGE "', 'village1', 1, 4, '" DAY " 09:16+08')",
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	for (size_t i = 0; i < sizeof fixture / sizeof fixture[0]; i++)
		dbt_exec_ok(su, fixture[i], 0, NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return dbt_disconnect(&su, &app, &dsu, NULL);
}

/* The city's supervisor reads the village's day: the clerk's figures,
 * and the very text the administrator's report gives. */
static void test_supervisor_reads_an_office_below(void **state)
{
	long long sup = login("super1", 0);
	struct report_daily mine, admin;
	char *a, *b;

	(void)state;
	assert_int_equal(fetch(sup, VILLAGE, &mine), DAILY_OK);
	assert_int_equal(mine.nstaff, 2);
	assert_string_equal(mine.staff[0].staff_no, "village1");
	assert_int_equal(mine.staff[0].served, 1);
	assert_int_equal(mine.staff[0].avg_wait_s, 240);
	assert_int_equal(mine.staff[0].avg_service_s, 600);
	assert_int_equal(mine.staff[0].grades[3], 1);
	assert_true(mine.staff[1].total);
	assert_string_equal(mine.office_name, "剑光街道某社区医保站");

	assert_int_equal(fetch(0, VILLAGE, &admin), DAILY_OK);
	a = report_daily_text(&mine, 80);
	b = report_daily_text(&admin, 80);
	assert_string_equal(a, b);
	free(a);
	free(b);
	a = report_daily_csv(&mine);
	b = report_daily_csv(&admin);
	assert_string_equal(a, b);
	free(a);
	free(b);
	report_daily_free(&mine);
	report_daily_free(&admin);

	assert_int_equal(fetch(sup, "360981", &mine), DAILY_OK);
	report_daily_free(&mine);
	dbt_logout(app, sup);
}

/* A township supervisor: its own office and its village, never the
 * neighbouring township nor the city above. */
static void test_township_supervisor_stays_in_jurisdiction(void **state)
{
	long long sup = login("rp_sup_t", 0);
	struct report_daily d;

	(void)state;
	assert_int_equal(fetch(sup, "360981001", &d), DAILY_OK);
	report_daily_free(&d);
	assert_int_equal(fetch(sup, VILLAGE, &d), DAILY_OK);
	assert_int_equal(d.staff[0].served, 1);
	report_daily_free(&d);
	assert_int_equal(fetch(sup, "360981002", &d), DAILY_NOT_ALLOWED);
	assert_int_equal(d.nstaff, 0);
	assert_int_equal(fetch(sup, "360981", &d), DAILY_NOT_ALLOWED);
	dbt_logout(app, sup);
}

static void test_refusals(void **state)
{
	long long clerk = login("clerk1", 1), reviewer = login("review1", 0), sup = login("super1", 0);
	struct report_daily d;

	(void)state;
	assert_int_equal(fetch(clerk, "360981", &d), DAILY_NOT_ALLOWED);
	assert_int_equal(fetch(reviewer, "360981", &d), DAILY_NOT_ALLOWED);
	assert_int_equal(fetch(sup, "360981009", &d), DAILY_UNKNOWN_OFFICE);
	dbt_logout(app, clerk);
	assert_int_equal(fetch(clerk, "360981", &d), DAILY_NO_SESSION);
	dbt_logout(app, reviewer);
	dbt_logout(app, sup);
	assert_int_equal(fetch(sup, "360981", &d), DAILY_NO_SESSION);
}

/* On the application role: the session's own connection gets the rows,
 * another connection of the same role gets nothing with the same session
 * number, and the administrator's functions are not executable at all. */
static void test_application_role(void **state)
{
	long long sup = login("super1", 0);
	char sid[24];
	const char *p[] = { sid };
	PGconn *other = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));
	PGresult *r;

	(void)state;
	snprintf(sid, sizeof sid, "%lld", sup);
	r = dbt_run(app, "SELECT result, staff_no, served FROM yc.report_session_staff($1::bigint, '"
	    VILLAGE "', '" DAY "') ORDER BY is_total", 1, p);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 2);
	assert_string_equal(PQgetvalue(r, 0, 0), "ok");
	assert_string_equal(PQgetvalue(r, 0, 1), "village1");
	PQclear(r);

	assert_int_equal(PQstatus(other), CONNECTION_OK);
	r = dbt_run(other, "SELECT result FROM yc.report_session_types($1::bigint, '" VILLAGE "', '"
	    DAY "')", 1, p);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	assert_string_equal(PQgetvalue(r, 0, 0), "no_session");
	PQclear(r);

	r = dbt_run(app, "SELECT * FROM yc.report_daily_staff('" VILLAGE "', '" DAY "')", 0, NULL);
	assert_string_equal(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42501");
	PQclear(r);
	PQfinish(other);
	dbt_logout(app, sup);
}

/* The per-office report (yc.report_session_offices): a township
 * supervisor gets its township and the offices below it in tree order
 * and a total equal to their sum, never the city above; the same rows as
 * the administrator's; on the application role the session's rows, the
 * administrator's function not executable. */
static void test_offices_below(void **state)
{
	long long sup = login("rp_sup_t", 0);
	struct report_offices mine, admin;
	int served = 0, issued = 0, rated = 0, bad = 0;
	bool village = false;
	char sid[24], *a, *b;
	const char *p[] = { sid };
	PGresult *r;

	(void)state;
	assert_int_equal(daily_offices_fetch(dsu, sup, "360981001", DAY, false, true, &mine), DAILY_OK);
	assert_true(mine.nrows >= 3);
	assert_string_equal(mine.rows[0].code, "360981001");
	assert_int_equal(mine.rows[0].depth, 0);
	for (size_t i = 0; i + 1 < mine.nrows; i++) {
		assert_false(mine.rows[i].total);
		assert_int_equal(strncmp(mine.rows[i].code, "360981001", 9), 0);
		if (i > 0)
			assert_true(strcmp(mine.rows[i - 1].code, mine.rows[i].code) < 0);
		if (strcmp(mine.rows[i].code, VILLAGE) == 0) {
			village = true;
			assert_int_equal(mine.rows[i].depth, 1);
			assert_int_equal(mine.rows[i].served, 1);
			assert_int_equal(mine.rows[i].avg_wait_s, 240);
			assert_int_equal(mine.rows[i].rated_bad, 1);
		}
		served += mine.rows[i].served;
		issued += mine.rows[i].issued;
		rated += mine.rows[i].rated;
		bad += mine.rows[i].rated_bad;
	}
	assert_true(village);
	assert_true(mine.rows[mine.nrows - 1].total);
	assert_int_equal(mine.rows[mine.nrows - 1].served, served);
	assert_int_equal(mine.rows[mine.nrows - 1].issued, issued);
	assert_int_equal(mine.rows[mine.nrows - 1].rated, rated);
	assert_int_equal(mine.rows[mine.nrows - 1].rated_bad, bad);

	assert_int_equal(daily_offices_fetch(dsu, 0, "360981001", DAY, false, true, &admin), DAILY_OK);
	a = report_offices_csv(&mine);
	b = report_offices_csv(&admin);
	assert_string_equal(a, b);
	free(a);
	free(b);
	report_offices_free(&mine);
	report_offices_free(&admin);

	assert_int_equal(daily_offices_fetch(dsu, sup, "360981001",
	    "2025-01-01", true, false, &mine), DAILY_OK);
	assert_int_equal(mine.nrows, 2);
	assert_string_equal(mine.last_day, "2025-01-31");
	assert_int_equal(mine.rows[1].served, mine.rows[0].served);
	report_offices_free(&mine);
	assert_int_equal(daily_offices_fetch(dsu, sup, "360981", DAY, false, true, &mine),
	    DAILY_NOT_ALLOWED);
	assert_int_equal(daily_offices_fetch(dsu, sup, "360981002", DAY, false, true, &mine),
	    DAILY_NOT_ALLOWED);
	assert_int_equal(daily_offices_fetch(dsu, sup, "360981001", "2099-01-01", true, true, &mine),
	    DAILY_NOT_BEGUN);

	snprintf(sid, sizeof sid, "%lld", sup);
	r = dbt_run(app, "SELECT result, office_code, served FROM yc.report_session_offices($1::bigint, '"
	    "360981001', '" DAY "', '" DAY "', true) WHERE office_code = '" VILLAGE "'", 1, p);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	assert_string_equal(PQgetvalue(r, 0, 0), "ok");
	assert_string_equal(PQgetvalue(r, 0, 2), "1");
	PQclear(r);
	r = dbt_run(app, "SELECT result FROM yc.report_session_offices($1::bigint, '360981', '" DAY "', '"
	    DAY "', true)", 1, p);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "not_allowed");
	PQclear(r);
	r = dbt_run(app, "SELECT * FROM yc.report_offices('360981', '" DAY "', '" DAY "', true)", 0, NULL);
	assert_string_equal(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42501");
	PQclear(r);
	dbt_logout(app, sup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supervisor_reads_an_office_below),
		cmocka_unit_test(test_township_supervisor_stays_in_jurisdiction),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_application_role),
		cmocka_unit_test(test_offices_below),
	};

	return cmocka_run_group_tests_name("db_report", tests, group_setup, group_teardown);
}
