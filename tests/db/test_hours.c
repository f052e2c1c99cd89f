/*
 * Opening hours and the known settings (db/migrations/0023_opening_hours.sql,
 * db/functions/hours.sql, tui/store/hourstore.c, tui/store/settings.c):
 * which hours a day has (the default, an office's week, noon service, a
 * weekend, a statutory holiday with and without a holiday row, a make-up
 * working day, a dated exception), the next opening across a weekend,
 * across 春节 of 2027 (a provisional year), at the year's end and past the
 * statutory table; the kiosk's ticket refused outside the hours by the
 * server (a green ticket not); the changes audited, past days refused;
 * who may change what (jurisdiction, the owner's own connection only);
 * the application role's privileges; the settings' validation, audit and
 * who may change them; the daily report's 延时服务 count.
 *
 * Environment as for every db suite (tests/run.sh). The tests work in
 * their own city 360979 (township 360979001 with village 360979001001,
 * township 360979002) and a second city 360978, with their own staff
 * (th_*). Each test removes the hours of those offices first (dbt_office
 * gave them all-day hours), so the default applies; the clock is that of
 * the superuser connection of the store (yc.test_now), the application
 * role's is real. Dates: 2026-12-03 is a Thursday; 2026-10-01..07 are the
 * days off of 国庆 and 10-10 (Sat) a make-up working day (official 2026);
 * provisional 2027: 01-01 元旦, 02-05..02-10 春节.
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
#include <time.h>

#include <libpq-fe.h>

#include "model/hours.h"
#include "store/daily.h"
#include "store/db.h"
#include "store/hourstore.h"
#include "store/queue.h"
#include "store/settings.h"

#define CITY "360979"
#define TOWN "360979001"
#define TOWN2 "360979002"
#define VILLAGE "360979001001"
#define OTHER "360978"
#define TH_PASSWORD "Th-Secret-7"

static PGconn *su;
static PGconn *app;
static struct db *dsu;

static const char *const staff_rows[][3] = {
	{ "th_admin", "admin", CITY },
	{ "th_town_admin", "admin", TOWN },
	{ "th_other_admin", "admin", OTHER },
	{ "th_clerk", "clerk", CITY },
	{ "th_guide", "guide", CITY },
	{ "th_super", "supervisor", CITY },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dbt_office(su, CITY, "营业时间测试市医保中心", 3);
	dbt_office(su, TOWN, "营业时间测试一街道", 2);
	dbt_office(su, TOWN2, "营业时间测试二街道", 2);
	dbt_office(su, VILLAGE, "营业时间测试一社区", 1);
	dbt_office(su, OTHER, "营业时间另一测试市", 2);
	dbt_staff(su, TH_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	return 0;
}

/* The settings this suite changes, as the migration made them. */
static void settings_restore(void)
{
	dbt_exec_ok(su, "UPDATE yc.setting SET value = default_value WHERE key IN "
	    "('idle_lock_minutes', 'calendar_warn_from', 'password_min_length')", 0, NULL);
}

static int group_teardown(void **state)
{
	(void)state;
	if (su != NULL && PQstatus(su) == CONNECTION_OK) {
		dbt_close_sessions(su, "th");
		settings_restore();
	}
	db_close(&dsu);
	PQfinish(app);
	PQfinish(su);
	return 0;
}

static int test_setup(void **state)
{
	(void)state;
	dbt_close_sessions(su, "th");
	dbt_clear_queue(su, "36097");
	dbt_exec_ok(su, "DELETE FROM yc.office_hours WHERE office_code LIKE '36097%'", 0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.office_hours_exception WHERE office_code LIKE '36097%'", 0, NULL);
	dbt_clock(dsu, "");
	return 0;
}

/* "state next-opening" of an office at a time: "open -", "closed
 * 2026-12-07 08:30", … (the next opening in Beijing time). */
static void assert_at(const char *office, const char *when, const char *want)
{
	const char *p[] = { office, when };

	dbt_assert_query(su, want, "SELECT h.state || ' ' || coalesce(to_char(h.next_open AT TIME ZONE "
	    "'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '-') FROM yc.hours_at($1, $2::timestamptz) h", 2, p);
}

/* The kind, source and hours of a day: "workday default 08:30-12:00 14:30-17:30 f". */
static void assert_day(const char *office, const char *day, const char *want)
{
	const char *p[] = { office, day };

	dbt_assert_query(su, want, "SELECT d.kind || ' ' || d.source || ' ' || coalesce(yc.hours_hhmm("
	    "d.morning_open) || '-' || yc.hours_hhmm(d.morning_close), 'closed') || coalesce(' ' || "
	    "yc.hours_hhmm(d.afternoon_open) || '-' || yc.hours_hhmm(d.afternoon_close), '') || ' ' || "
	    "CASE WHEN d.noon THEN 't' ELSE 'f' END FROM yc.hours_day($1, $2::date) d", 2, p);
}

static struct hours_day day_of(const char *spec, bool noon)
{
	struct hours_day d;

	hours_day_closed(&d);
	d.noon = noon;
	assert_int_equal(hours_parse(spec, &d), HOURS_OK);
	return d;
}

/* Sets days of an office as the owner (session 0 on the superuser's own
 * connection). */
static void owner_set(const char *office, const int *dows, int n, const char *spec, bool noon)
{
	struct hours_day d = day_of(spec, noon);

	assert_int_equal(hourstore_set_days(dsu, 0, office, dows, n, &d), HS_OK);
}

static const int WORKDAYS[] = { 1, 2, 3, 4, 5 };
static const int WEEKEND[] = { 6, 7 };
static const int HOLIDAY[] = { 8 };

/* ------------------------------------------------------------------ */

/* No row: working days 08:30-12:00 and 14:30-17:30, weekends closed;
 * the next opening after the afternoon, over the noon break, over a
 * weekend. */
static void test_default_schedule(void **state)
{
	(void)state;
	assert_day(CITY, "2026-12-03", "workday default 08:30-12:00 14:30-17:30 f");
	assert_day(CITY, "2026-12-05", "weekend default closed f");
	assert_at(CITY, "2026-12-03 08:29+08", "closed 2026-12-03 08:30");
	assert_at(CITY, "2026-12-03 08:30+08", "open -");
	assert_at(CITY, "2026-12-03 11:59+08", "open -");
	assert_at(CITY, "2026-12-03 12:00+08", "closed 2026-12-03 14:30");
	assert_at(CITY, "2026-12-03 17:29+08", "open -");
	assert_at(CITY, "2026-12-03 17:30+08", "closed 2026-12-04 08:30");
	/* Friday evening and the weekend: Monday morning */
	assert_at(CITY, "2026-12-04 18:00+08", "closed 2026-12-07 08:30");
	assert_at(CITY, "2026-12-05 10:00+08", "closed 2026-12-07 08:30");
	assert_at(CITY, "2026-12-06 23:59+08", "closed 2026-12-07 08:30");
}

/* An office's week: noon service on working days (午间延时服务), weekend
 * service; hourstore_today on the test clock says so. */
static void test_noon_and_weekend(void **state)
{
	struct hourstore_today t;
	struct hourstore_week_day w[8];

	(void)state;
	owner_set(CITY, WORKDAYS, 5, "08:30-12:00,14:30-17:30", true);
	owner_set(CITY, WEEKEND, 2, "09:00-12:00,14:00-17:00", false);
	assert_at(CITY, "2026-12-03 12:30+08", "noon -");
	assert_at(CITY, "2026-12-03 14:30+08", "open -");
	assert_at(CITY, "2026-12-05 10:00+08", "open -");
	assert_at(CITY, "2026-12-05 12:30+08", "closed 2026-12-05 14:00");
	assert_at(CITY, "2026-12-06 17:00+08", "closed 2026-12-07 08:30");

	dbt_clock(dsu, "2026-12-03 12:30+08");
	assert_int_equal(hourstore_today(dsu, CITY, &t), HS_OK);
	assert_string_equal(t.day, "2026-12-03");
	assert_string_equal(t.kind, "workday");
	assert_string_equal(t.source, "office");
	assert_int_equal(t.state, HOURS_NOON);
	assert_true(t.hours.noon);
	assert_int_equal(t.hours.open1, 8 * 60 + 30);
	assert_int_equal(t.hours.close2, 17 * 60 + 30);
	assert_int_equal(t.changes_in, 2 * 3600);	/* at 14:30 the afternoon begins */
	assert_int_equal(t.next_open, 0);

	assert_int_equal(hourstore_week(dsu, CITY, w), HS_OK);
	assert_string_equal(w[0].source, "office");
	assert_true(w[0].hours.noon);
	assert_string_equal(w[5].source, "office");
	assert_int_equal(w[5].hours.open2, 14 * 60);
	assert_string_equal(w[7].source, "sunday");	/* no holiday row: as on Sunday */
	assert_string_equal(w[0].updated_by, "postgres");
}

/* A statutory holiday is not a working day: closed by default, as on
 * Sunday when the office has a Sunday row, its holiday row when it has
 * one; a make-up working day has the Monday hours; today's state closed
 * with the next opening after the holiday. */
static void test_holiday(void **state)
{
	struct hourstore_today t;

	(void)state;
	assert_day(CITY, "2026-10-01", "holiday default closed f");
	assert_at(CITY, "2026-09-30 18:00+08", "closed 2026-10-08 08:30");
	dbt_clock(dsu, "2026-10-02 10:00+08");
	assert_int_equal(hourstore_today(dsu, CITY, &t), HS_OK);
	assert_string_equal(t.kind, "holiday");
	assert_string_equal(t.label, "国庆节");
	assert_int_equal(t.state, HOURS_CLOSED);
	assert_true(hours_is_closed(&t.hours));
	assert_int_equal(t.next_open, 1791419400);	/* 2026-10-08 08:30+08 */

	owner_set(CITY, WEEKEND, 2, "09:00-12:00,14:00-17:00", false);
	assert_day(CITY, "2026-10-01", "holiday sunday 09:00-12:00 14:00-17:00 f");
	assert_at(CITY, "2026-10-01 15:00+08", "open -");
	owner_set(CITY, HOLIDAY, 1, "09:00-12:00", false);
	assert_day(CITY, "2026-10-01", "holiday office 09:00-12:00 f");
	assert_at(CITY, "2026-10-01 15:00+08", "closed 2026-10-02 09:00");
	/* 2026-10-10, a Saturday, is a make-up working day: Monday's hours */
	assert_day(CITY, "2026-10-10", "makeup default 08:30-12:00 14:30-17:30 f");
	assert_at(CITY, "2026-10-10 15:00+08", "open -");
	/* an ordinary Saturday keeps the weekend row */
	assert_day(CITY, "2026-10-17", "weekend office 09:00-12:00 14:00-17:00 f");
}

/* Dated exceptions: a closure on a working day, a duty day on 春节;
 * refused for a past day, without a note, with bad times; removed again;
 * each change audited with before and after. */
static void test_exception(void **state)
{
	struct hours_day closed, duty = day_of("09:00-12:00", false);
	struct hourstore_date x[8];
	enum hourstore_result r;
	long long mark = dbt_audit_mark(su);

	(void)state;
	hours_day_closed(&closed);
	dbt_clock(dsu, "2026-12-03 10:00+08");
	assert_int_equal(hourstore_set_exception(dsu, 0, CITY, "2026-12-07", &closed, "停电检修"), HS_OK);
	assert_day(CITY, "2026-12-07", "workday exception closed f");
	assert_at(CITY, "2026-12-04 18:00+08", "closed 2026-12-08 08:30");
	assert_int_equal(hourstore_set_exception(dsu, 0, CITY, "2027-02-06", &duty, "春节值班"), HS_OK);
	assert_at(CITY, "2027-02-06 10:00+08", "open -");
	assert_at(CITY, "2027-02-05 10:00+08", "closed 2027-02-06 09:00");

	assert_int_equal(hourstore_exceptions(dsu, CITY, "2026-12-03", x, 8, &r), 2);
	assert_int_equal(r, HS_OK);
	assert_string_equal(x[0].day, "2026-12-07");
	assert_string_equal(x[0].label, "停电检修");
	assert_string_equal(x[1].kind, "holiday");
	assert_string_equal(x[1].holiday, "春节");
	assert_int_equal(x[1].hours.open1, 9 * 60);

	/* refusals change nothing */
	assert_int_equal(hourstore_set_exception(dsu, 0, CITY, "2026-12-02", &closed, "过去"), HS_PAST_DAY);
	assert_int_equal(hourstore_set_exception(dsu, 0, CITY, "2026-12-08", &closed, "  "), HS_BAD_NOTE);
	assert_int_equal(hourstore_drop_exception(dsu, 0, CITY, "2026-12-09"), HS_NOT_FOUND);
	dbt_assert_query(su, "bad_order", "SELECT yc.hours_set_exception(NULL, '" CITY "', '2026-12-08',"
	    " '12:00', '09:00', NULL, NULL, false, 'x', 't')", 0, NULL);
	dbt_assert_query(su, "bad_time", "SELECT yc.hours_set_exception(NULL, '" CITY "', '2026-12-08',"
	    " '25:00', '26:00', NULL, NULL, false, 'x', 't')", 0, NULL);
	dbt_assert_query(su, "bad_noon", "SELECT yc.hours_set_exception(NULL, '" CITY "', '2026-12-08',"
	    " '09:00', '12:00', NULL, NULL, true, 'x', 't')", 0, NULL);
	dbt_assert_query(su, "2", "SELECT count(*) FROM yc.office_hours_exception WHERE office_code = '"
	    CITY "'", 0, NULL);

	assert_int_equal(hourstore_drop_exception(dsu, 0, CITY, "2026-12-07"), HS_OK);
	assert_day(CITY, "2026-12-07", "workday default 08:30-12:00 14:30-17:30 f");
	assert_int_equal(dbt_audit_count(su, mark, CITY, "hours_exception_set", NULL), 2);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "hours_exception_drop", NULL), 1);
	dbt_assert_query(su, "{\"noon\": false, \"label\": \"春节\", \"source\": \"default\", \"morning\": null, "
	    "\"afternoon\": null} {\"noon\": false, \"note\": \"春节值班\", \"morning\": \"09:00-12:00\", "
	    "\"afternoon\": null}", "SELECT before::text || ' ' || after::text FROM yc.audit_log WHERE "
	    "office_code = '" CITY "' AND action = 'hours_exception_set' AND object = "
	    "'office_hours_exception:" CITY "/2027-02-06' ORDER BY audit_id DESC LIMIT 1", 0, NULL);
}

/* The next opening on any date: across 春节 of 2027 (a provisional
 * year), at the year's end (元旦 and a weekend), and past the statutory
 * table (2100: by the weekdays). */
static void test_next_opening(void **state)
{
	struct hourstore_date d[10];
	enum hourstore_result r;

	(void)state;
	assert_at(TOWN, "2027-02-04 17:45+08", "closed 2027-02-11 08:30");
	assert_at(TOWN, "2027-02-07 10:00+08", "closed 2027-02-11 08:30");
	assert_at(TOWN, "2026-12-31 17:30+08", "closed 2027-01-04 08:30");
	assert_at(TOWN, "2027-12-31 18:00+08", "closed 2028-01-04 08:30");	/* 元旦补假 on Monday */
	assert_at(TOWN, "2099-12-31 18:00+08", "closed 2100-01-01 08:30");
	assert_int_equal(hourstore_days(dsu, TOWN, "2027-02-04", 8, d, 10, &r), 8);
	assert_string_equal(d[0].kind, "workday");
	assert_string_equal(d[1].kind, "holiday");
	assert_string_equal(d[1].label, "春节");
	assert_true(hours_is_closed(&d[1].hours));
	assert_string_equal(d[5].label, "春节补假");
	assert_string_equal(d[7].day, "2027-02-11");
	assert_int_equal(d[7].hours.open1, 8 * 60 + 30);
	/* an office that never opens: no next opening, no error */
	owner_set(TOWN2, (const int[]){ 1, 2, 3, 4, 5, 6, 7, 8 }, 8, "closed", false);
	assert_at(TOWN2, "2026-12-03 10:00+08", "closed -");
}

/* The kiosk's tickets are refused outside the hours by the server, with
 * the next opening, audited, nothing issued; a green ticket is not. */
static void test_kiosk_refused(void **state)
{
	struct queue_issue is;
	long long mark = dbt_audit_mark(su), guide, clerk;

	(void)state;
	dbt_clock(dsu, "2026-12-05 10:00+08");	/* Saturday, the default: closed */
	assert_int_equal(queue_issue(dsu, CITY, QC_NORMAL, NULL, NULL, 0, &is), QUEUE_CLOSED);
	assert_int_equal(is.opens_at, 1796603400);	/* 2026-12-07 08:30+08 */
	assert_int_equal(queue_issue(dsu, CITY, QC_PRIORITY, NULL, NULL, 0, &is), QUEUE_CLOSED);
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.ticket WHERE office_code = '" CITY "'", 0, NULL);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "queue_issue_refused", NULL), 2);
	dbt_assert_query(su, "closed", "SELECT after->>'reason' FROM yc.audit_log WHERE office_code = '"
	    CITY "' AND action = 'queue_issue_refused' ORDER BY audit_id DESC LIMIT 1", 0, NULL);

	/* 绿色通道: staff on duty take the citizen to a window */
	clerk = dbt_login_db(dsu, "th_clerk", TH_PASSWORD, 1, "tests/db/hours");
	guide = dbt_login_db(dsu, "th_guide", TH_PASSWORD, 0, "tests/db/hours");
	assert_int_equal(queue_issue_green(dsu, CITY, NULL, guide, 1, &is), QUEUE_OK);
	assert_int_equal(is.placed, QP_WINDOW);
	dbt_logout_db(dsu, guide);
	dbt_logout_db(dsu, clerk);

	/* Monday morning: open again */
	dbt_clock(dsu, "2026-12-07 08:30+08");
	assert_int_equal(queue_issue(dsu, CITY, QC_NORMAL, NULL, NULL, 0, &is), QUEUE_OK);
	assert_string_equal(is.t.number, "A001");
}

/* The application role (the kiosks' connection, on the real clock): a
 * closure today refuses its tickets, and it reads today's hours. */
static void test_app_role_refused(void **state)
{
	struct hours_day closed;
	char today[11];
	const char *p[] = { CITY };
	PGresult *r;

	(void)state;
	hours_day_closed(&closed);
	char *now = dbt_query_str(su, "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text", 0, NULL);

	snprintf(today, sizeof today, "%s", now);
	free(now);
	assert_int_equal(hourstore_set_exception(dsu, 0, CITY, today, &closed, "测试闭厅"), HS_OK);
	r = dbt_run(app, "SELECT result, opens_at IS NOT NULL FROM yc.queue_issue($1, 'normal', NULL, NULL,"
	    " NULL, 'tests/db/hours', NULL)", 1, p);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "closed");
	assert_string_equal(PQgetvalue(r, 0, 1), "t");
	PQclear(r);
	dbt_assert_query(app, "closed 测试闭厅 exception", "SELECT state || ' ' || label || ' ' || source FROM "
	    "yc.hours_today($1)", 1, p);
	dbt_assert_query(app, "8", "SELECT count(*) FROM yc.hours_week($1)", 1, p);
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.ticket WHERE office_code = '" CITY "'", 0, NULL);
}

/* Who may change hours: an administrator for the own office and those
 * below it, nobody else; session NULL only on the owner's connection. */
static void test_jurisdiction(void **state)
{
	long long town = dbt_login(app, "th_town_admin", TH_PASSWORD, 0, "tests/db/hours");
	long long other = dbt_login(app, "th_other_admin", TH_PASSWORD, 0, "tests/db/hours");
	long long clerk = dbt_login(app, "th_clerk", TH_PASSWORD, 1, "tests/db/hours");
	char st[24], so[24], sc[24];
	long long mark = dbt_audit_mark(su);

	(void)state;
	snprintf(st, sizeof st, "%lld", town);
	snprintf(so, sizeof so, "%lld", other);
	snprintf(sc, sizeof sc, "%lld", clerk);
#define SET(session, office) (const char *const[]){ session, office }
	const char *sql = "SELECT yc.hours_set_days($1::bigint, $2, '{6}', '09:00', '12:00', NULL, NULL, "
	    "false, 'tests/db/hours')";

	dbt_assert_query(app, "ok", sql, 2, SET(st, TOWN));
	dbt_assert_query(app, "ok", sql, 2, SET(st, VILLAGE));
	dbt_assert_query(app, "not_allowed", sql, 2, SET(st, CITY));
	dbt_assert_query(app, "not_allowed", sql, 2, SET(st, TOWN2));
	dbt_assert_query(app, "not_allowed", sql, 2, SET(so, CITY));
	dbt_assert_query(app, "not_allowed", sql, 2, SET(sc, CITY));
	dbt_assert_query(app, "no_session", sql, 2, SET(NULL, CITY));
	dbt_assert_query(app, "not_allowed", "SELECT yc.hours_set_exception($1::bigint, $2, '2099-01-05', "
	    "NULL, NULL, NULL, NULL, false, '闭厅', 't')", 2, SET(st, CITY));
	dbt_assert_query(app, "no_session", "SELECT yc.hours_clear_days(NULL, $1, '{6}', 't')", 1,
	    (const char *const[]){ TOWN });
#undef SET
	dbt_assert_query(su, "2", "SELECT count(*) FROM yc.office_hours WHERE office_code LIKE '36097%'",
	    0, NULL);
	assert_int_equal(dbt_audit_count(su, mark, TOWN, "hours_set", NULL), 1);
	dbt_assert_query(su, "th_town_admin", "SELECT staff_no FROM yc.audit_log WHERE office_code = '"
	    VILLAGE "' AND action = 'hours_set' ORDER BY audit_id DESC LIMIT 1", 0, NULL);
	/* the NOTIFY for boards and kiosks */
	dbt_exec_ok(su, "LISTEN yc_hours_" TOWN, 0, NULL);
	dbt_assert_query(app, "ok", "SELECT yc.hours_clear_days($1::bigint, $2, '{6}', 't')", 2,
	    (const char *const[]){ st, TOWN });
	{
		char buf[256] = "";

		assert_int_equal(dbt_read_notifies(su, 1, buf, sizeof buf), 1);
		assert_non_null(strstr(buf, "yc_hours_" TOWN));
	}
	dbt_exec_ok(su, "UNLISTEN *", 0, NULL);
	dbt_logout(app, town);
	dbt_logout(app, other);
	dbt_logout(app, clerk);
}

/* The application role reads the hours and changes them only through the
 * functions; the internal functions are closed to it. */
static void test_app_privileges(void **state)
{
	static const char *const closed_fns[] = {
		"yc.hours_at(text, timestamp with time zone)", "yc.hours_day(text, date)",
		"yc.hours_actor(bigint, text)", "yc.setting_invalid(yc.setting, text)",
		"yc.setting_actor(bigint, boolean)", "yc.report_daily_tickets(text, date)",
		"yc.hours_notify(text)",
	};
	static const char *const open_fns[] = {
		"yc.hours_today(text)", "yc.hours_set_days(bigint, text, integer[], text, text, text, text, boolean, text)",
		"yc.setting_set(bigint, text, text, text)", "yc.setting_list(bigint)",
		"yc.report_session_tickets(bigint, text, date)",
	};

	(void)state;
	for (size_t i = 0; i < DBT_COUNT(closed_fns); i++) {
		const char *p[] = { closed_fns[i] };

		dbt_assert_query(su, "f", "SELECT has_function_privilege('yichuang_app', $1, 'EXECUTE')", 1, p);
	}
	for (size_t i = 0; i < DBT_COUNT(open_fns); i++) {
		const char *p[] = { open_fns[i] };

		dbt_assert_query(su, "t", "SELECT has_function_privilege('yichuang_app', $1, 'EXECUTE')", 1, p);
	}
	dbt_assert_query(su, "true false false false", "SELECT has_table_privilege('yichuang_app', 'yc.office_hours', 'SELECT')"
	    " || ' ' || has_table_privilege('yichuang_app', 'yc.office_hours', 'INSERT') || ' ' ||"
	    " has_table_privilege('yichuang_app', 'yc.office_hours_exception', 'UPDATE') || ' ' ||"
	    " has_table_privilege('yichuang_app', 'yc.setting', 'UPDATE')", 0, NULL);
	dbt_expect_sqlstate(app, "42501", "DELETE FROM yc.office_hours");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.setting SET value = '1' WHERE key = 'login_max_failures'");
}

/* The known settings: listed with type, range and default; values checked
 * by the database (the function and, for anyone writing the table, the
 * trigger); changes audited with before and after; changed only by an
 * administrator of a city-level office (or the owner), read by any
 * administrator. */
static void test_settings(void **state)
{
	long long admin = dbt_login(app, "th_admin", TH_PASSWORD, 0, "tests/db/hours");
	long long town = dbt_login(app, "th_town_admin", TH_PASSWORD, 0, "tests/db/hours");
	long long clerk = dbt_login(app, "th_clerk", TH_PASSWORD, 1, "tests/db/hours");
	char sa[24], st[24], sc[24];
	long long mark = dbt_audit_mark(su);
	struct settings_row rows[32];
	struct settings_change c;
	enum settings_result r;
	int n;
	const char *set = "SELECT result || ' ' || coalesce(new_value, '-') FROM yc.setting_set($1::bigint, "
	    "$2, $3, 'tests/db/hours')";

	(void)state;
	snprintf(sa, sizeof sa, "%lld", admin);
	snprintf(st, sizeof st, "%lld", town);
	snprintf(sc, sizeof sc, "%lld", clerk);
	dbt_assert_query(app, "ok 10", "SELECT min(result) || ' ' || count(*) FILTER (WHERE key IN "
	    "('idle_lock_minutes', 'login_max_failures', 'login_lock_minutes', 'password_min_length', "
	    "'password_min_classes', 'password_history', 'password_max_age_days', 'queue_target_minutes', "
	    "'senior_age', 'calendar_warn_from')) FROM yc.setting_list($1::bigint)", 1, (const char *const[]){ sa });
	dbt_assert_query(app, "int 8 64 8 true", "SELECT value_type || ' ' || min_value || ' ' || max_value || ' ' "
	    "|| default_value || ' ' || may_change FROM yc.setting_list($1::bigint) WHERE key = "
	    "'password_min_length'", 1, (const char *const[]){ sa });
	dbt_assert_query(app, "5 90 3", "SELECT string_agg(value, ' ' ORDER BY key) FROM yc.setting_list("
	    "$1::bigint) WHERE key IN ('password_min_classes', 'password_history', 'password_max_age_days')", 1,
	    (const char *const[]){ sa });
	dbt_assert_query(app, "f", "SELECT bool_or(may_change) FROM yc.setting_list($1::bigint)", 1,
	    (const char *const[]){ st });
	dbt_assert_query(app, "not_allowed", "SELECT result FROM yc.setting_list($1::bigint)", 1,
	    (const char *const[]){ sc });
	dbt_assert_query(app, "no_session", "SELECT result FROM yc.setting_list(NULL)", 0, NULL);

	dbt_assert_query(app, "out_of_range -", set, 3, (const char *const[]){ sa, "idle_lock_minutes", "0" });
	dbt_assert_query(app, "out_of_range -", set, 3, (const char *const[]){ sa, "idle_lock_minutes", "121" });
	dbt_assert_query(app, "bad_value -", set, 3, (const char *const[]){ sa, "idle_lock_minutes", "ten" });
	dbt_assert_query(app, "bad_value -", set, 3, (const char *const[]){ sa, "idle_lock_minutes", "1.5" });
	dbt_assert_query(app, "unknown_setting -", set, 3, (const char *const[]){ sa, "no_such", "1" });
	dbt_assert_query(app, "unknown_setting -", set, 3, (const char *const[]){ sa, "demo", "off" });
	dbt_assert_query(app, "not_allowed -", set, 3, (const char *const[]){ st, "idle_lock_minutes", "15" });
	dbt_assert_query(app, "not_allowed -", set, 3, (const char *const[]){ sc, "idle_lock_minutes", "15" });
	dbt_assert_query(app, "out_of_range -", set, 3, (const char *const[]){ sa, "calendar_warn_from", "02-30" });
	dbt_assert_query(app, "out_of_range -", set, 3, (const char *const[]){ sa, "calendar_warn_from", "13-01" });
	dbt_assert_query(app, "bad_value -", set, 3, (const char *const[]){ sa, "calendar_warn_from", "1101" });
	dbt_assert_query(app, "out_of_range -", set, 3, (const char *const[]){ sa, "password_min_length", "6" });
	dbt_assert_query(su, "10", "SELECT value FROM yc.setting WHERE key = 'idle_lock_minutes'", 0, NULL);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "setting_set", NULL), 0);

	dbt_assert_query(app, "ok 15", set, 3, (const char *const[]){ sa, "idle_lock_minutes", " 015" });
	dbt_assert_query(app, "unchanged 15", set, 3, (const char *const[]){ sa, "idle_lock_minutes", "15" });
	dbt_assert_query(app, "ok 02-29", set, 3, (const char *const[]){ sa, "calendar_warn_from", "02-29" });
	dbt_assert_query(su, "15", "SELECT value FROM yc.setting WHERE key = 'idle_lock_minutes'", 0, NULL);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "setting_set", "setting:idle_lock_minutes"), 1);
	dbt_assert_query(su, "th_admin {\"value\": \"10\"} {\"value\": \"15\"}", "SELECT staff_no || ' ' || "
	    "before::text || ' ' || after::text FROM yc.audit_log WHERE action = 'setting_set' AND object = "
	    "'setting:idle_lock_minutes' ORDER BY audit_id DESC LIMIT 1", 0, NULL);

	/* the store: the owner's own connection, and the message of a refusal */
	n = settings_list(dsu, 0, rows, 32, &r);
	assert_int_equal(r, SET_OK);
	assert_true(n >= 10);
	assert_string_equal(rows[0].key, "idle_lock_minutes");	/* in their order */
	assert_string_equal(rows[0].value, "15");
	assert_int_equal(rows[0].max, 120);
	assert_true(rows[0].may_change);
	assert_int_equal(settings_set(dsu, 0, "login_lock_minutes", "2000", &c), SET_OUT_OF_RANGE);
	assert_int_equal(c.min, 1);
	assert_int_equal(c.max, 1440);
	assert_string_equal(c.old_value, "15");
	assert_int_equal(settings_set(dsu, 0, "password_min_length", "12", &c), SET_OK);
	assert_string_equal(c.new_value, "12");
	dbt_assert_query(su, "000000 postgres", "SELECT office_code || ' ' || staff_no FROM yc.audit_log WHERE "
	    "action = 'setting_set' AND object = 'setting:password_min_length' ORDER BY audit_id DESC LIMIT 1",
	    0, NULL);

	/* whoever writes the table: the trigger refuses a bad value */
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.setting SET value = '0' WHERE key = 'login_max_failures'");
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.setting SET value = 'x' WHERE key = 'calendar_warn_from'");
	dbt_logout(app, admin);
	dbt_logout(app, town);
	dbt_logout(app, clerk);
	settings_restore();
}

/* The daily report counts the tickets issued outside the regular weekday
 * hours (08:30-12:00, 14:30-17:30 on working days), whatever the office's
 * own hours: at noon, early, late, on a weekend or holiday; a make-up
 * working day is a working day. */
static void test_report_extended(void **state)
{
	struct report_daily d;
	long long sup;
	char ss[24];

	(void)state;
	dbt_exec_ok(su, "INSERT INTO yc.ticket (office_code, day, class, seq, number, status, issued_at)"
	    " SELECT '" CITY "', (t AT TIME ZONE 'Asia/Shanghai')::date, 'normal',"
	    " row_number() OVER (PARTITION BY (t AT TIME ZONE 'Asia/Shanghai')::date ORDER BY t),"
	    " 'A' || lpad((row_number() OVER (PARTITION BY (t AT TIME ZONE 'Asia/Shanghai')::date"
	    " ORDER BY t))::text, 3, '0'), 'waiting', t"
	    " FROM unnest(ARRAY['2026-12-03 08:00+08', '2026-12-03 09:00+08', '2026-12-03 12:10+08',"
	    " '2026-12-03 14:00+08', '2026-12-03 17:45+08', '2026-12-05 10:00+08', '2026-10-01 10:00+08',"
	    " '2026-10-10 10:00+08', '2026-10-10 12:30+08']::timestamptz[]) t", 0, NULL);
	dbt_assert_query(su, "5 4 2 0", "SELECT issued || ' ' || extended || ' ' || noon || ' ' || offday FROM "
	    "yc.report_daily_tickets('" CITY "', '2026-12-03')", 0, NULL);
	dbt_assert_query(su, "1 1 0 1", "SELECT issued || ' ' || extended || ' ' || noon || ' ' || offday FROM "
	    "yc.report_daily_tickets('" CITY "', '2026-12-05')", 0, NULL);
	dbt_assert_query(su, "1 1 0 1", "SELECT issued || ' ' || extended || ' ' || noon || ' ' || offday FROM "
	    "yc.report_daily_tickets('" CITY "', '2026-10-01')", 0, NULL);
	dbt_assert_query(su, "2 1 1 0", "SELECT issued || ' ' || extended || ' ' || noon || ' ' || offday FROM "
	    "yc.report_daily_tickets('" CITY "', '2026-10-10')", 0, NULL);
	dbt_assert_query(su, "0 0 0 0", "SELECT issued || ' ' || extended || ' ' || noon || ' ' || offday FROM "
	    "yc.report_daily_tickets('" CITY "', '2026-12-04')", 0, NULL);

	assert_int_equal(daily_fetch(dsu, 0, CITY, "2026-12-03", &d), DAILY_OK);
	assert_true(d.have_tickets);
	assert_int_equal(d.issued, 5);
	assert_int_equal(d.extended, 4);
	assert_int_equal(d.extended_noon, 2);
	report_daily_free(&d);

	/* the console's supervisor, on the application role */
	sup = dbt_login(app, "th_super", TH_PASSWORD, 0, "tests/db/hours");
	snprintf(ss, sizeof ss, "%lld", sup);
	dbt_assert_query(app, "ok 5 4", "SELECT result || ' ' || issued || ' ' || extended FROM "
	    "yc.report_session_tickets($1::bigint, '" CITY "', '2026-12-03')", 1, (const char *const[]){ ss });
	dbt_assert_query(app, "not_allowed", "SELECT result FROM yc.report_session_tickets($1::bigint, '"
	    OTHER "', '2026-12-03')", 1, (const char *const[]){ ss });
	dbt_logout(app, sup);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_default_schedule),
		T(test_noon_and_weekend),
		T(test_holiday),
		T(test_exception),
		T(test_next_opening),
		T(test_kiosk_refused),
		T(test_app_role_refused),
		T(test_jurisdiction),
		T(test_app_privileges),
		T(test_settings),
		T(test_report_extended),
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
