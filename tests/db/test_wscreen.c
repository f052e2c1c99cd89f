/*
 * The window screen (窗口屏 / 评价器, issue 16), tried as the kiosk role
 * (yichuang_kiosk) it connects as:
 *
 *   state    yc.window_screen_state: the window's clerk (staff number and
 *            name), the ticket being served, 暂停 while paused, and the
 *            service the citizen may rate; an unknown window refused
 *   rating   yc.window_screen_rate records the grade of the window's last
 *            served ticket in yc.rating, for the clerk who served it, with
 *            its case when it had one, audited; a second rating of the
 *            same service, a rating after the clerk's prompt rated it, a
 *            rating of a service finished more than five minutes ago, a
 *            grade outside 1..5 and a window with no service are refused
 *   present  the clerk's prompt is left out while a window screen is
 *            connected at the clerk's window (yc.window_screen_present),
 *            until its connection ends
 *   role     the kiosk role calls these two and reads no table
 *
 * Environment as for every db suite (tests/run.sh), and
 *   YC_TEST_KIOSK_CONNINFO   the kiosk role (yichuang_kiosk)
 *
 * Office 360967 (windows 1-3) and staff wsc_* of its own.
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

#include "store/db.h"

#define OFFICE "360967"
#define PASSWORD "Wsc-Pass-31"

static PGconn *su, *app, *kiosk;
static struct db *dsu;

static const char *const staff_rows[][3] = {
	{ "wsc_clerk", "clerk", OFFICE }, { "wsc_clerk2", "clerk", OFFICE },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	kiosk = PQconnectdb(getenv("YC_TEST_KIOSK_CONNINFO") != NULL ?
	    getenv("YC_TEST_KIOSK_CONNINFO") : "dbname=nonexistent");
	dbt_office(su, OFFICE, "窗口屏测试医保中心", 3);
	dbt_staff(su, PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_exec_ok(su, "UPDATE yc.staff SET name = '王小明' WHERE staff_no = 'wsc_clerk'", 0, NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	PQfinish(kiosk);
	kiosk = NULL;
	return dbt_disconnect(&su, &app, &dsu, "wsc");
}

static int test_setup(void **state)
{
	(void)state;
	dbt_clear_of_midnight(su, 120);
	dbt_close_sessions(su, "wsc");
	dbt_exec_ok(su, "DELETE FROM yc.rating WHERE office_code = '" OFFICE "'", 0, NULL);
	dbt_clear_cases(su, OFFICE);
	dbt_clear_queue(su, OFFICE);
	assert_int_equal(PQstatus(kiosk), CONNECTION_OK);
	return 0;
}

static int test_teardown(void **state)
{
	(void)state;
	dbt_close_sessions(su, "wsc");
	return 0;
}

/* The session's next ticket called, started and finished (served); its
 * number. The ticket is issued by the kiosk role first. */
static char *serve_one(long long sid)
{
	char s[24];
	const char *p[] = { s };
	char *num;

	snprintf(s, sizeof s, "%lld", sid);
	dbt_assert_query(kiosk, "ok", "SELECT result FROM yc.queue_issue('" OFFICE "', 'normal',"
	    " NULL, NULL, NULL, 'tests/db/wscreen', NULL)", 0, NULL);
	num = dbt_query_str(app, "SELECT (tk).number FROM yc.queue_call_next($1::bigint)", 1, p);
	dbt_assert_query(app, "ok", "SELECT result FROM yc.queue_start($1::bigint)", 1, p);
	dbt_assert_query(app, "ok", "SELECT yc.queue_finish($1::bigint, true)", 1, p);
	return num;
}

#define STATE_SQL "SELECT concat_ws('|', result, state, staff_no, staff_name, serving, to_rate)" \
	" FROM yc.window_screen_state('" OFFICE "', $1::int)"

static void assert_state(const char *window, const char *want)
{
	const char *p[] = { window };

	dbt_assert_query(kiosk, want, STATE_SQL, 1, p);
}

static const char *rate(int window, int grade)
{
	static char out[64];
	char w[8], g[8];
	const char *p[] = { w, g };
	char *v;

	snprintf(w, sizeof w, "%d", window);
	snprintf(g, sizeof g, "%d", grade);
	v = dbt_query_str(kiosk, "SELECT yc.window_screen_rate('" OFFICE "', $1::int, $2::int)", 2, p);
	snprintf(out, sizeof out, "%s", v);
	free(v);
	return out;
}

/* The window's public state follows the clerk: nobody, the clerk, the
 * ticket served, the pause, the service to rate. */
static void test_state(void **state)
{
	long long sid;
	char s[24], *num, *want;
	const char *p[] = { s };

	(void)state;
	assert_state("1", "ok|idle");
	assert_state("9", "unknown_window");
	sid = dbt_login(app, "wsc_clerk", PASSWORD, 1, "tests/db/wscreen");
	snprintf(s, sizeof s, "%lld", sid);
	assert_state("1", "ok|idle|wsc_clerk|王小明");
	dbt_assert_query(kiosk, "ok", "SELECT result FROM yc.queue_issue('" OFFICE "', 'normal',"
	    " NULL, NULL, NULL, 'tests/db/wscreen', NULL)", 0, NULL);
	num = dbt_query_str(app, "SELECT (tk).number FROM yc.queue_call_next($1::bigint)", 1, p);
	dbt_assert_query(app, "ok", "SELECT result FROM yc.queue_start($1::bigint)", 1, p);
	assert_true(asprintf(&want, "ok|serving|wsc_clerk|王小明|%s", num) > 0);
	assert_state("1", want);
	free(want);
	dbt_assert_query(app, "ok", "SELECT yc.queue_finish($1::bigint, true)", 1, p);
	assert_true(asprintf(&want, "ok|idle|wsc_clerk|王小明|%s", num) > 0);
	assert_state("1", want);
	free(want);
	dbt_assert_query(app, "ok", "SELECT yc.queue_pause($1::bigint, NULL)", 1, p);
	assert_true(asprintf(&want, "ok|paused|wsc_clerk|王小明|%s", num) > 0);
	assert_state("1", want);
	free(want);
	/* another window shows nothing of this one */
	assert_state("2", "ok|idle");
	free(num);
	dbt_logout(app, sid);
}

/* A grade keyed on the screen is the rating of the window's last service,
 * once, for its clerk, audited; the prompt's rating and age also end it. */
static void test_rating_rules(void **state)
{
	long long sid, mark;
	char *num, s[24];
	const char *p[] = { s };

	(void)state;
	sid = dbt_login(app, "wsc_clerk", PASSWORD, 1, "tests/db/wscreen");
	snprintf(s, sizeof s, "%lld", sid);
	assert_string_equal(rate(1, 2), "nothing_to_rate");
	num = serve_one(sid);
	assert_string_equal(rate(1, 0), "bad_input");
	assert_string_equal(rate(1, 6), "bad_input");
	assert_string_equal(rate(9, 1), "unknown_window");
	assert_string_equal(rate(2, 1), "nothing_to_rate");
	mark = dbt_audit_mark(su);
	assert_string_equal(rate(1, 2), "ok");
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.rating r JOIN yc.ticket t"
	    " ON t.office_code = r.office_code AND t.ticket_id = r.ticket_id"
	    " WHERE r.office_code = '" OFFICE "' AND r.grade = 2 AND r.staff_no = 'wsc_clerk'"
	    " AND r.window_no = 1 AND t.number = $1 AND r.case_no IS NULL", 1,
	    (const char *const[]){ num });
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "rating_record", NULL), 1);
	/* the same service once only */
	assert_string_equal(rate(1, 5), "nothing_to_rate");
	assert_state("1", "ok|idle|wsc_clerk|王小明");
	free(num);

	/* rated by the clerk's prompt first: the screen may not rate it again */
	num = serve_one(sid);
	dbt_assert_query(app, "ok", "SELECT yc.rating_record($1::bigint, NULL,"
	    " (SELECT ticket_id FROM yc.ticket WHERE office_code = '" OFFICE "' AND status = 'served'"
	    "  ORDER BY finished_at DESC LIMIT 1), 1)", 1, p);
	assert_string_equal(rate(1, 3), "nothing_to_rate");
	free(num);

	/* finished more than five minutes ago: too late */
	num = serve_one(sid);
	dbt_exec_ok(su, "UPDATE yc.ticket SET issued_at = issued_at - interval '6 min',"
	    " called_at = called_at - interval '6 min', last_called_at = last_called_at - interval '6 min',"
	    " started_at = started_at - interval '6 min', finished_at = finished_at - interval '6 min'"
	    " WHERE office_code = '" OFFICE "' AND number = $1", 1, (const char *const[]){ num });
	assert_string_equal(rate(1, 1), "nothing_to_rate");
	free(num);

	/* a flagged grade (4, 5) after the clerk signed out: still the clerk's */
	num = serve_one(sid);
	dbt_logout(app, sid);
	assert_string_equal(rate(1, 5), "ok");
	dbt_assert_query(su, "t", "SELECT flagged AND staff_no = 'wsc_clerk' FROM yc.rating"
	    " WHERE office_code = '" OFFICE "' ORDER BY rating_id DESC LIMIT 1", 0, NULL);
	free(num);
}

/* The clerk's prompt is left out while a window screen is connected at the
 * clerk's window, and only then (yc.window_screen_present). */
static void
test_present(void **state)
{
	long long sid;
	char s[24];
	const char *p[] = { s };
	PGconn *screen;

	(void)state;
	/* the suite's own kiosk connection read window 1 before: no screen now */
	dbt_exec_ok(kiosk, "SELECT pg_advisory_unlock_all()", 0, NULL);
	sid = dbt_login(app, "wsc_clerk", PASSWORD, 1, "tests/db/wscreen");
	snprintf(s, sizeof s, "%lld", sid);
	dbt_assert_query(app, "f", "SELECT yc.window_screen_present($1::bigint)", 1, p);
	screen = PQconnectdb(getenv("YC_TEST_KIOSK_CONNINFO"));
	assert_int_equal(PQstatus(screen), CONNECTION_OK);
	/* a screen of another window does not count */
	dbt_assert_query(screen, "ok", "SELECT result FROM yc.window_screen_state('" OFFICE "', 2)", 0, NULL);
	dbt_assert_query(app, "f", "SELECT yc.window_screen_present($1::bigint)", 1, p);
	/* read twice: still one lock, held until the connection ends */
	dbt_assert_query(screen, "ok", "SELECT result FROM yc.window_screen_state('" OFFICE "', 1)", 0, NULL);
	dbt_assert_query(screen, "ok", "SELECT result FROM yc.window_screen_state('" OFFICE "', 1)", 0, NULL);
	dbt_assert_query(app, "t", "SELECT yc.window_screen_present($1::bigint)", 1, p);
	PQfinish(screen);
	for (int i = 0; i < 200 && dbt_query_ll(app, "SELECT yc.window_screen_present($1::bigint)::int",
	    1, p) != 0; i++)
		usleep(10000);
	dbt_assert_query(app, "f", "SELECT yc.window_screen_present($1::bigint)", 1, p);
	dbt_assert_query(app, "f", "SELECT yc.window_screen_present(0)", 0, NULL);
	dbt_logout(app, sid);
}

/* The kiosk role reads no table, and signs nobody in. */
static void test_role(void **state)
{
	(void)state;
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.rating");
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.staff_session");
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.rating_record(1, NULL, 1, 1)");
}

#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_state),
		T(test_rating_rules),
		T(test_present),
		T(test_role),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
