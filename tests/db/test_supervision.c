/*
 * The supervisor's console and the handover notes
 * (db/migrations/0010_supervision.sql, tui/store/hall.c) against a migrated
 * cluster: the state of every window (serving, called, idle, paused,
 * logged out), the queue and today's service level under a controlled
 * clock, tickets per hour and the wait distribution, re-routing a waiting
 * ticket (audited, announced, called next at that window), the 差评 of the
 * office and the offices below it with their follow-up, the near-due and
 * overdue cases of the office and the offices below it
 * (db/migrations/0011_hall_due.sql), handover notes,
 * refusals for other roles and closed sessions, and the privileges of the
 * application role. Supervision at every level (0025_hall_offices): a
 * prefecture's supervisor sees the hall of each county below it and
 * re-routes its tickets, never an office outside the prefecture; the
 * offices of the jurisdiction with their figures (yc.hall_offices); the
 * near-due and overdue cases of every county below.
 *
 * Environment as for every db suite (tests/run.sh):
 *   PGHOST, PGDATABASE, PGUSER=postgres    superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                    the application role
 *
 * The tests work in their own offices, 360992 (county, windows 1–4) and
 * 360992001 (township), and for the levels above a county the prefecture
 * 3698 (no window) with the counties 369801 (windows 1–3, township
 * 369801001 with one) and 369802 (windows 1–2), and 369701 (a county of
 * another prefecture), with their own staff (ts_*); each test empties
 * their queue, rating and handover rows first, so the suite can run again
 * on the same cluster. Sessions are signed in on the application role's
 * connection; the calls go through hall.c and queue.c on a superuser
 * connection (trusted with any session id), whose clock the tests set
 * (yc.test_now): 2026-03-02, a Monday, Asia/Shanghai.
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
#include "store/hall.h"
#include "store/queue.h"

#define CITY "360992"
#define TOWN "360992001"
#define PREF "3698"
#define PC1 "369801"
#define PC1T "369801001"
#define PC2 "369802"
#define OUTSIDE "369701"
#define TS_PASSWORD "Ts-Secret-8"
#define DAY "2026-03-02 "

static PGconn *su;		/* superuser */
static PGconn *app;		/* yichuang_app: sessions are signed in here */
static struct db *dsu;		/* superuser through the store: may set the clock */

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* The test clock of dsu: "HH:MM" on DAY, or "" for the real clock. */
static void clock_at(const char *hhmm)
{
	char when[64] = "";

	if (hhmm[0] != '\0')
		snprintf(when, sizeof when, DAY "%s:00+08", hhmm);
	dbt_clock(dsu, when);
}

static long long login(const char *staff, int window)
{
	return dbt_login(app, staff, TS_PASSWORD, window, "tests/db/supervision");
}

static void logout(long long sid)
{
	dbt_logout(app, sid);
}

static struct queue_issue issue(enum queue_class cls)
{
	struct queue_issue is;
	enum queue_result r = queue_issue(dsu, CITY, cls, NULL, NULL, 0, &is);

	if (r != QUEUE_OK)
		print_error("# issue: %s (%s)\n", queue_result_message(r), db_detail(dsu));
	assert_int_equal(r, QUEUE_OK);
	return is;
}

static struct queue_ticket call(long long sid)
{
	struct queue_ticket t;
	enum queue_result r = queue_call_next(dsu, sid, &t);

	if (r != QUEUE_OK)
		print_error("# call: %s (%s)\n", queue_result_message(r), db_detail(dsu));
	assert_int_equal(r, QUEUE_OK);
	return t;
}

/* The windows of CITY as the supervisor sees them (4 expected). */
static void windows_of(long long sup, struct hall_window w[4])
{
	enum hall_result r;

	assert_int_equal(hall_windows(dsu, sup, NULL, w, 4, &r), 4);
	assert_int_equal(r, HALL_OK);
}

/* A flagged-or-not rating written directly: its id. */
static long long rating(const char *office, const char *staff, int window, int grade, const char *hhmm)
{
	char g[8], w[8], at[64];
	const char *p[] = { office, staff, w, g, at };

	snprintf(g, sizeof g, "%d", grade);
	snprintf(w, sizeof w, "%d", window);
	snprintf(at, sizeof at, DAY "%s:00+08", hhmm);
	return dbt_query_ll(su, "INSERT INTO yc.rating (office_code, staff_no, window_no, grade, rated_at)"
	    " VALUES ($1, $2, $3::int, $4::smallint, $5::timestamptz) RETURNING rating_id", 5, p);
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static const char *const staff_rows[][3] = {
	{ "ts_clerk1", "clerk", CITY },
	{ "ts_clerk2", "clerk", CITY },
	{ "ts_clerk3", "clerk", CITY },
	{ "ts_super", "supervisor", CITY },
	{ "ts_guide", "guide", CITY },
	{ "ts_town", "clerk", TOWN },
	{ "ts_tsuper", "supervisor", TOWN },
	{ "ts_psuper", "supervisor", PREF },
	{ "ts_p1super", "supervisor", PC1 },
	{ "ts_p1clerk", "clerk", PC1 },
	{ "ts_p2clerk", "clerk", PC2 },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dbt_office(su, CITY, "监督测试市医保中心", 4);
	dbt_office(su, TOWN, "监督测试街道", 4);
	dbt_office(su, PREF, "监督测试设区市", 0);
	dbt_office(su, PC1, "监督测试甲县", 3);
	dbt_office(su, PC1T, "监督测试甲县乙镇", 1);
	dbt_office(su, PC2, "监督测试丙县", 2);
	dbt_office(su, OUTSIDE, "别的设区市某县", 1);
	dbt_staff(su, TS_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (su != NULL && PQstatus(su) == CONNECTION_OK) {
		dbt_close_sessions(su, "ts");
		PQclear(PQexec(su, "DELETE FROM yc.ticket WHERE office_code LIKE '360992%'"));
		PQclear(PQexec(su, "DELETE FROM yc.ticket WHERE office_code LIKE '3698%'"));
	}
	db_close(&dsu);
	PQfinish(app);
	PQfinish(su);
	return 0;
}

/* Empties the queue, ratings and handover notes of the test offices. */
static int test_setup(void **state)
{
	(void)state;
	dbt_close_sessions(su, "ts");
	dbt_exec_ok(su, "DELETE FROM yc.rating WHERE office_code LIKE '" CITY "%'", 0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.handover WHERE office_code LIKE '" CITY "%'", 0, NULL);
	dbt_clear_queue(su, CITY);
	dbt_clear_queue(su, PREF);
	dbt_clear_queue(su, OUTSIDE);
	dbt_clear_cases(su, PREF);
	clock_at("");
	return 0;
}

/* ------------------------------------------------------------------ */
/* the live hall                                                       */
/* ------------------------------------------------------------------ */

static void test_window_states(void **state)
{
	long long c1 = login("ts_clerk1", 1), c2 = login("ts_clerk2", 2), c3 = login("ts_clerk3", 3);
	long long sup = login("ts_super", 0);
	struct hall_window w[4];
	struct queue_ticket t;
	struct queue_issue a1, a2;

	(void)state;
	clock_at("09:00");
	a1 = issue(QC_NORMAL);
	a2 = issue(QC_NORMAL);
	clock_at("09:02");
	call(c1);
	clock_at("09:03");
	assert_int_equal(queue_start(dsu, c1, &t), QUEUE_OK);
	assert_int_equal(queue_pause(dsu, c3, "会议"), QUEUE_OK);
	clock_at("09:10");

	windows_of(sup, w);
	assert_int_equal(w[0].window_no, 1);
	assert_string_equal(w[0].label, "1号窗口");
	assert_string_equal(w[0].staff_no, "ts_clerk1");
	assert_string_equal(w[0].staff_name, "测试ts_clerk1");
	assert_int_equal(w[0].state, HW_SERVING);
	assert_string_equal(w[0].ticket, a1.t.number);
	assert_int_equal(w[0].cls, QC_NORMAL);
	assert_int_equal(w[0].since, t.started_at);

	assert_string_equal(w[1].staff_no, "ts_clerk2");
	assert_int_equal(w[1].state, HW_IDLE);
	assert_string_equal(w[1].ticket, "");
	assert_int_equal(w[1].since, 0);

	assert_int_equal(w[2].state, HW_PAUSED);
	assert_string_equal(w[2].pause_reason, "会议");
	assert_true(w[2].since > 0);

	assert_int_equal(w[3].window_no, 4);
	assert_int_equal(w[3].state, HW_LOGGED_OUT);
	assert_string_equal(w[3].staff_no, "");

	/* window 2 calls: called, since the call */
	t = call(c2);
	assert_string_equal(t.number, a2.t.number);
	windows_of(sup, w);
	assert_int_equal(w[1].state, HW_CALLED);
	assert_string_equal(w[1].ticket, a2.t.number);
	assert_int_equal(w[1].since, t.called_at);

	/* the clerk of window 3 signs out: logged out, whatever the window was
	 * doing, and announced on the office's channel */
	{
		char buf[512];

		PQclear(PQexec(su, "LISTEN yc_queue_" CITY));
		dbt_read_notifies(su, 100, buf, sizeof buf);
		logout(c3);
		assert_int_equal(dbt_read_notifies(su, 1, buf, sizeof buf), 1);
		assert_string_equal(buf, "yc_queue_" CITY " {\"e\" : \"session\", \"n\" : null, \"w\" : 3}\n");
		c3 = login("ts_clerk3", 3);
		assert_int_equal(dbt_read_notifies(su, 1, buf, sizeof buf), 1);
		logout(c3);
		dbt_read_notifies(su, 1, buf, sizeof buf);
		PQclear(PQexec(su, "UNLISTEN *"));
	}
	windows_of(sup, w);
	assert_int_equal(w[2].state, HW_LOGGED_OUT);
	assert_string_equal(w[2].staff_no, "");

	/* an inactive window is not shown */
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = false WHERE office_code = '" CITY "'"
	    " AND window_no = 4", 0, NULL);
	{
		struct hall_window all[8];
		enum hall_result r;

		assert_int_equal(hall_windows(dsu, sup, NULL, all, 8, &r), 3);
	}
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = true WHERE office_code = '" CITY "'"
	    " AND window_no = 4", 0, NULL);
	logout(c1);
	logout(c2);
	logout(sup);
}

static void test_queue_and_service_level(void **state)
{
	long long c1 = login("ts_clerk1", 1), sup = login("ts_super", 0);
	struct hall_queue q;
	struct queue_ticket t;
	int hourly[24], waits[HALL_WAIT_BUCKETS];
	const int want_waits[HALL_WAIT_BUCKETS] = { 0, 2, 0, 1, 0, 0, 0, 0 };

	(void)state;
	/* the office's own target: 10 minutes */
	dbt_exec_ok(su, "INSERT INTO yc.queue_config (office_code, target_minutes) VALUES ('" CITY "', 10)",
	    0, NULL);
	clock_at("09:00");
	issue(QC_NORMAL);	/* A001 */
	issue(QC_NORMAL);	/* A002 */
	issue(QC_NORMAL);	/* A003 */
	issue(QC_PRIORITY);	/* B001: counts as issued 08:45 (credit 15) */
	assert_int_equal(hall_queue(dsu, sup, NULL, &q), HALL_OK);
	assert_int_equal(q.waiting[QC_NORMAL], 3);
	assert_int_equal(q.waiting[QC_PRIORITY], 1);
	assert_int_equal(q.target_minutes, 10);
	assert_int_equal(hall_service_level(&q, QC_COUNT), -1);	/* nothing counts yet */

	clock_at("09:05");
	t = call(c1);
	assert_string_equal(t.number, "B001");	/* waited 5 min: within */
	clock_at("09:08");
	t = call(c1);
	assert_string_equal(t.number, "A001");	/* 8 min: within */
	clock_at("09:12");
	issue(QC_NORMAL);	/* A004 */
	clock_at("09:15");
	t = call(c1);
	assert_string_equal(t.number, "A002");	/* 15 min: late */

	assert_int_equal(hall_queue(dsu, sup, NULL, &q), HALL_OK);
	assert_int_equal(q.waiting[QC_NORMAL], 2);			/* A003, A004 */
	assert_int_equal(q.longest_wait_seconds[QC_NORMAL], 15 * 60);	/* A003 */
	assert_int_equal(q.waiting[QC_PRIORITY], 0);
	assert_int_equal(q.longest_wait_seconds[QC_PRIORITY], 0);
	/* normal: A001 within; A002 called late and A003 waiting beyond the
	 * target count against; A004 (3 min) does not count yet */
	assert_int_equal(q.level_within[QC_NORMAL], 1);
	assert_int_equal(q.level_base[QC_NORMAL], 3);
	assert_int_equal(hall_service_level(&q, QC_NORMAL), 33);
	assert_int_equal(hall_service_level(&q, QC_PRIORITY), 100);
	assert_int_equal(hall_service_level(&q, QC_GREEN), -1);
	assert_int_equal(hall_service_level(&q, QC_COUNT), 50);	/* 2 of 4 */

	clock_at("10:30");
	issue(QC_NORMAL);	/* A005 */
	assert_int_equal(hall_hourly(dsu, sup, NULL, hourly), HALL_OK);
	for (int h = 0; h < 24; h++)
		assert_int_equal(hourly[h], h == 9 ? 5 : h == 10 ? 1 : 0);
	/* waits of the called tickets: 5 and 8 minutes in [5,10), 15 in [15,20) */
	assert_int_equal(hall_waits(dsu, sup, NULL, waits), HALL_OK);
	for (int b = 0; b < HALL_WAIT_BUCKETS; b++)
		assert_int_equal(waits[b], want_waits[b]);
	assert_string_equal(hall_wait_label(0), "0-5");
	assert_string_equal(hall_wait_label(7), "60+");

	/* another day: nothing of today's */
	{
		const char *p[] = { "2026-03-03 09:00:00+08" };

		assert_int_equal(db_exec(dsu, "SELECT set_config('yc.test_now', $1, false)", 1, p), DB_OK);
	}
	assert_int_equal(hall_hourly(dsu, sup, NULL, hourly), HALL_OK);
	for (int h = 0; h < 24; h++)
		assert_int_equal(hourly[h], 0);
	logout(c1);
	logout(sup);
}

/* ------------------------------------------------------------------ */
/* re-route                                                            */
/* ------------------------------------------------------------------ */

static void test_reroute(void **state)
{
	long long c1 = login("ts_clerk1", 1), c2 = login("ts_clerk2", 2), sup = login("ts_super", 0);
	struct queue_issue a1, a2, a3;
	struct hall_ticket tk;
	struct queue_ticket t;
	char buf[1024], obj[64];
	long long mark;

	(void)state;
	clock_at("09:00");
	a1 = issue(QC_NORMAL);
	clock_at("09:01");
	a2 = issue(QC_NORMAL);
	a3 = issue(QC_NORMAL);

	/* found by number, any case */
	assert_int_equal(hall_find_waiting(dsu, sup, NULL, "a002", &tk), HALL_OK);
	assert_int_equal(tk.id, a2.t.id);
	assert_string_equal(tk.number, a2.t.number);
	assert_int_equal(tk.transfer_to, 0);
	assert_int_equal(hall_find_waiting(dsu, sup, NULL, "A999", &tk), HALL_NOT_FOUND);

	PQclear(PQexec(su, "LISTEN yc_queue_" CITY));
	dbt_read_notifies(su, 100, buf, sizeof buf);	/* drop what came before */
	mark = dbt_audit_mark(su);
	assert_int_equal(hall_reroute(dsu, sup, NULL, a2.t.id, 2), HALL_OK);
	snprintf(obj, sizeof obj, "ticket:%s/%lld", CITY, a2.t.id);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "queue_reroute", obj), 1);
	assert_int_equal(dbt_read_notifies(su, 1, buf, sizeof buf), 1);
	assert_non_null(strstr(buf, "\"e\" : \"reroute\""));
	assert_non_null(strstr(buf, a2.t.number));
	assert_int_equal(hall_find_waiting(dsu, sup, NULL, a2.t.number, &tk), HALL_OK);
	assert_int_equal(tk.transfer_to, 2);

	/* window 1 calls in the normal order; window 2 gets the re-routed one first */
	t = call(c1);
	assert_string_equal(t.number, a1.t.number);
	t = call(c2);
	assert_string_equal(t.number, a2.t.number);

	/* refusals: a called ticket, an unknown window, another office's ticket */
	assert_int_equal(hall_reroute(dsu, sup, NULL, a1.t.id, 2), HALL_NOT_WAITING);
	assert_int_equal(hall_reroute(dsu, sup, NULL, a3.t.id, 9), HALL_UNKNOWN_WINDOW);
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = false WHERE office_code = '" CITY "'"
	    " AND window_no = 4", 0, NULL);
	assert_int_equal(hall_reroute(dsu, sup, NULL, a3.t.id, 4), HALL_UNKNOWN_WINDOW);
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = true WHERE office_code = '" CITY "'"
	    " AND window_no = 4", 0, NULL);
	{
		struct queue_issue other;

		assert_int_equal(queue_issue(dsu, TOWN, QC_NORMAL, NULL, NULL, 0, &other), QUEUE_OK);
		assert_int_equal(hall_reroute(dsu, sup, NULL, other.t.id, 1), HALL_NOT_FOUND);
	}
	/* a clerk may not */
	assert_int_equal(hall_reroute(dsu, c1, NULL, a3.t.id, 1), HALL_NOT_ALLOWED);

	/* to window 3 and back to the queue (window 0) */
	assert_int_equal(hall_reroute(dsu, sup, NULL, a3.t.id, 3), HALL_OK);
	assert_int_equal(hall_reroute(dsu, sup, NULL, a3.t.id, 0), HALL_OK);
	assert_int_equal(hall_find_waiting(dsu, sup, NULL, a3.t.number, &tk), HALL_OK);
	assert_int_equal(tk.transfer_to, 0);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "queue_reroute", NULL), 3);
	PQclear(PQexec(su, "UNLISTEN *"));
	logout(c1);
	logout(c2);
	logout(sup);
}

/* ------------------------------------------------------------------ */
/* 差评 follow-up                                                      */
/* ------------------------------------------------------------------ */

static void test_ratings_follow_up(void **state)
{
	long long sup = login("ts_super", 0), tsup = login("ts_tsuper", 0), c1 = login("ts_clerk1", 1);
	long long r5 = rating(CITY, "ts_clerk1", 1, 5, "09:10");
	long long r4 = rating(CITY, "ts_clerk2", 2, 4, "09:20");
	long long r2 = rating(CITY, "ts_clerk1", 1, 2, "09:30");
	long long rt = rating(TOWN, "ts_town", 1, 5, "09:40");
	struct hall_rating list[10];
	enum hall_result r;
	char obj[64], *note;
	long long mark;

	(void)state;
	/* the city sees its own and the township's, oldest first; never a good grade */
	assert_int_equal(hall_ratings(dsu, sup, list, 10, &r), 3);
	assert_int_equal(r, HALL_OK);
	assert_int_equal(list[0].id, r5);
	assert_int_equal(list[0].grade, 5);
	assert_string_equal(list[0].staff_no, "ts_clerk1");
	assert_string_equal(list[0].staff_name, "测试ts_clerk1");
	assert_int_equal(list[0].window_no, 1);
	assert_string_equal(list[0].office_name, "监督测试市医保中心");
	assert_int_equal(list[1].id, r4);
	assert_int_equal(list[2].id, rt);
	assert_string_equal(list[2].office_code, TOWN);
	assert_int_equal(hall_ratings(dsu, sup, list, 1, &r), 1);
	/* the township sees only its own */
	assert_int_equal(hall_ratings(dsu, tsup, list, 10, &r), 1);
	assert_int_equal(list[0].id, rt);

	mark = dbt_audit_mark(su);
	assert_int_equal(hall_follow_up(dsu, sup, CITY, r5, "  已电话回访，群众表示理解  "), HALL_OK);
	snprintf(obj, sizeof obj, "rating:%s/%lld", CITY, r5);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "rating_follow_up", obj), 1);
	{
		char id[24];
		const char *p[] = { id };
		PGresult *res;

		snprintf(id, sizeof id, "%lld", r5);
		res = dbt_run(su, "SELECT handled_by, follow_up, handled_at IS NOT NULL FROM yc.rating"
		    " WHERE rating_id = $1::bigint", 1, p);
		assert_int_equal(PQntuples(res), 1);
		assert_string_equal(PQgetvalue(res, 0, 0), "ts_super");
		assert_string_equal(PQgetvalue(res, 0, 1), "已电话回访，群众表示理解");
		assert_string_equal(PQgetvalue(res, 0, 2), "t");
		PQclear(res);
	}
	assert_int_equal(hall_ratings(dsu, sup, list, 10, &r), 2);
	assert_int_equal(list[0].id, r4);

	/* refusals */
	assert_int_equal(hall_follow_up(dsu, sup, CITY, r5, "again"), HALL_HANDLED);
	assert_int_equal(hall_follow_up(dsu, sup, CITY, r4, "   "), HALL_BAD_INPUT);
	note = malloc(502);
	memset(note, 'x', 501);
	note[501] = '\0';
	assert_int_equal(hall_follow_up(dsu, sup, CITY, r4, note), HALL_BAD_INPUT);
	free(note);
	assert_int_equal(hall_follow_up(dsu, sup, CITY, r2, "not a 差评"), HALL_NOT_FOUND);
	assert_int_equal(hall_follow_up(dsu, sup, TOWN, r4, "wrong office"), HALL_NOT_FOUND);
	assert_int_equal(hall_follow_up(dsu, tsup, CITY, r4, "above me"), HALL_NOT_FOUND);
	assert_int_equal(hall_follow_up(dsu, c1, CITY, r4, "a clerk"), HALL_NOT_ALLOWED);
	assert_int_equal(hall_ratings(dsu, c1, list, 10, &r), -1);
	assert_int_equal(r, HALL_NOT_ALLOWED);
	/* the township's supervisor handles its own; the city's list shrinks */
	assert_int_equal(hall_follow_up(dsu, tsup, TOWN, rt, "已处理"), HALL_OK);
	assert_int_equal(hall_ratings(dsu, sup, list, 10, &r), 1);
	assert_int_equal(list[0].id, r4);
	logout(sup);
	logout(tsup);
	logout(c1);
}

/* ------------------------------------------------------------------ */
/* near-due and overdue cases (0011)                                   */
/* ------------------------------------------------------------------ */

/* An open case written directly: office, number, promised date, limit. */
static void due_case(const char *office, const char *case_no, const char *accepted,
    const char *promised, const char *limit)
{
	const char *p[] = { office, case_no, accepted, promised, limit };

	dbt_exec_ok(su, "INSERT INTO yc.service_case (office_code, case_no, case_type_code,"
	    " case_type_version, id_no, status, first_staff_no, accepted_at, promised_date, limit_days)"
	    " SELECT $1, $2, ct.code, ct.version, '360983199001011234', 'in_progress', 'ts_clerk1',"
	    " ($3 || ' 09:00:00+08')::timestamptz, $4::date, $5::int"
	    " FROM yc.case_type ct ORDER BY ct.code, ct.version LIMIT 1", 5, p);
}

static void test_due(void **state)
{
	long long sup = login("ts_super", 0), tsup = login("ts_tsuper", 0), c1 = login("ts_clerk1", 1);
	struct hall_due d[10];
	enum hall_result r;
	int n;

	(void)state;
	dbt_office(su, "360993", "别的县医保中心", 0);
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name) VALUES ('360983199001011234', '临期测试人')"
	    " ON CONFLICT (id_no) DO NOTHING", 0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.service_case WHERE case_no IN ('360992001202602120001',"
	    " '360992202602200001', '360992202602270001', '360993202602120001')", 0, NULL);
	/* 2026-03-02 is a Monday: the township's promise of Thursday 26 February
	 * is 3 working days overdue (Saturday 28 February is a working day of
	 * the Spring Festival calendar); the city's of Wednesday 4 March has 2
	 * left; the city's of 20 March 14 (of 25: not urgent); another city's
	 * overdue one is never seen */
	due_case(TOWN, "360992001202602120001", "2026-02-12", "2026-02-26", "10");
	due_case(CITY, "360992202602200001", "2026-02-20", "2026-03-04", "10");
	due_case(CITY, "360992202602270001", "2026-02-27", "2026-03-20", "25");
	due_case("360993", "360993202602120001", "2026-02-12", "2026-02-26", "10");
	clock_at("09:00");

	n = hall_due(dsu, sup, NULL, d, 10, &r);
	assert_int_equal(r, HALL_OK);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].case_no, "360992001202602120001");
	assert_string_equal(d[0].office_code, TOWN);
	assert_string_equal(d[0].office_name, "监督测试街道");
	assert_string_equal(d[0].person_name, "临期测试人");
	assert_int_equal(d[0].kind, HD_CASE);
	assert_string_equal(d[0].due, "2026-02-26");
	assert_int_equal(d[0].remaining, -3);
	assert_int_equal(d[0].limit_days, 10);
	assert_true(d[0].type_name[0] != '\0');
	assert_string_equal(d[1].case_no, "360992202602200001");
	assert_int_equal(d[1].remaining, 2);
	/* the limit */
	assert_int_equal(hall_due(dsu, sup, NULL, d, 1, &r), 1);
	assert_string_equal(d[0].case_no, "360992001202602120001");
	/* the township's supervisor sees only the township's */
	assert_int_equal(hall_due(dsu, tsup, NULL, d, 10, &r), 1);
	assert_string_equal(d[0].case_no, "360992001202602120001");
	/* two weeks on, the 20 March promise has 4 working days of 25 left
	 * (at most 20 %): urgent */
	{
		const char *p[] = { "2026-03-16 09:00:00+08" };

		assert_int_equal(db_exec(dsu, "SELECT set_config('yc.test_now', $1, false)", 1, p), DB_OK);
	}
	assert_int_equal(hall_due(dsu, sup, NULL, d, 10, &r), 3);
	assert_string_equal(d[2].case_no, "360992202602270001");
	assert_int_equal(d[2].remaining, 4);
	/* clerks are refused */
	assert_int_equal(hall_due(dsu, c1, NULL, d, 10, &r), -1);
	assert_int_equal(r, HALL_NOT_ALLOWED);
	/* the application role may call it; PUBLIC may not */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname = 'hall_due'"
	    " AND has_function_privilege('yichuang_app', p.oid, 'EXECUTE')"
	    " AND NOT has_function_privilege('public', p.oid, 'EXECUTE') AND p.prosecdef", 0, NULL), 1);
	dbt_exec_ok(su, "DELETE FROM yc.service_case WHERE case_no IN ('360992001202602120001',"
	    " '360992202602200001', '360992202602270001', '360993202602120001')", 0, NULL);
	logout(sup);
	logout(tsup);
	logout(c1);
}

/* ------------------------------------------------------------------ */
/* supervision at every level (0025)                                   */
/* ------------------------------------------------------------------ */

static struct queue_issue issue_at(const char *office)
{
	struct queue_issue is;
	enum queue_result r = queue_issue(dsu, office, QC_NORMAL, NULL, NULL, 0, &is);

	if (r != QUEUE_OK)
		print_error("# issue at %s: %s (%s)\n", office, queue_result_message(r), db_detail(dsu));
	assert_int_equal(r, QUEUE_OK);
	return is;
}

/* Every hall function of office as session s answers want. */
static void hall_refused(long long s, const char *office, enum hall_result want)
{
	struct hall_window w[4];
	struct hall_queue q;
	struct hall_ticket tk;
	struct hall_due d[2];
	int series[24];
	enum hall_result r;

	assert_int_equal(hall_windows(dsu, s, office, w, 4, &r), -1);
	assert_int_equal(r, want);
	assert_int_equal(hall_queue(dsu, s, office, &q), want);
	assert_int_equal(hall_hourly(dsu, s, office, series), want);
	assert_int_equal(hall_waits(dsu, s, office, series), want);
	assert_int_equal(hall_find_waiting(dsu, s, office, "A001", &tk), want);
	assert_int_equal(hall_reroute(dsu, s, office, 1, 1), want);
	assert_int_equal(hall_due(dsu, s, office, d, 2, &r), -1);
	assert_int_equal(r, want);
}

static void test_every_level_jurisdiction(void **state)
{
	long long ps = login("ts_psuper", 0), p1 = login("ts_p1super", 0), c = login("ts_p1clerk", 1);
	struct hall_window w[8];
	struct hall_queue q;
	enum hall_result r;

	(void)state;
	clock_at("09:00");
	issue_at(PC2);
	issue_at(PC2);
	/* the prefecture's supervisor: each county's hall below it */
	assert_int_equal(hall_windows(dsu, ps, PC1, w, 8, &r), 3);
	assert_int_equal(r, HALL_OK);
	assert_string_equal(w[0].staff_no, "ts_p1clerk");
	assert_int_equal(hall_windows(dsu, ps, PC2, w, 8, &r), 2);
	assert_int_equal(hall_windows(dsu, ps, " " PC1T " ", w, 8, &r), 1);	/* trimmed */
	assert_int_equal(hall_queue(dsu, ps, PC2, &q), HALL_OK);
	assert_int_equal(q.waiting[QC_NORMAL], 2);
	assert_int_equal(hall_queue(dsu, ps, PC1, &q), HALL_OK);
	assert_int_equal(q.waiting[QC_NORMAL], 0);
	/* its own office (NULL or empty) has no window */
	assert_int_equal(hall_windows(dsu, ps, NULL, w, 8, &r), 0);
	assert_int_equal(r, HALL_OK);
	assert_int_equal(hall_windows(dsu, ps, "", w, 8, &r), 0);
	/* nothing outside the prefecture, nor a code of it that is no office */
	hall_refused(ps, OUTSIDE, HALL_OUT_OF_JURISDICTION);
	hall_refused(ps, CITY, HALL_OUT_OF_JURISDICTION);
	hall_refused(ps, "36", HALL_OUT_OF_JURISDICTION);
	hall_refused(ps, "369809", HALL_UNKNOWN_OFFICE);
	/* a county's supervisor: its own and below, not the neighbour county
	 * nor the prefecture above */
	assert_int_equal(hall_windows(dsu, p1, PC1T, w, 8, &r), 1);
	hall_refused(p1, PC2, HALL_OUT_OF_JURISDICTION);
	hall_refused(p1, PREF, HALL_OUT_OF_JURISDICTION);
	/* a clerk: not at all */
	hall_refused(c, PC1, HALL_NOT_ALLOWED);
	logout(ps);
	logout(p1);
	logout(c);
}

/* An open case of office (see due_case) with its promise: case number,
 * promised date, limit. */
static void pref_case(const char *office, const char *case_no, const char *promised, const char *limit)
{
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name) VALUES ('360983199001011234', '临期测试人')"
	    " ON CONFLICT (id_no) DO NOTHING", 0, NULL);
	due_case(office, case_no, "2026-02-12", promised, limit);
}

static void test_hall_offices(void **state)
{
	long long ps = login("ts_psuper", 0), p1 = login("ts_p1super", 0);
	long long c1 = login("ts_p1clerk", 1);
	struct hall_office o[10];
	struct queue_ticket t;
	enum hall_result r;
	int n;

	(void)state;
	/* 2026-03-02: 丙县 has a promise overdue since 26 February and one of
	 * 4 March (2 working days left); 乙镇 one due 3 March */
	pref_case(PC2, "369802202602120001", "2026-02-26", "10");
	pref_case(PC2, "369802202602120002", "2026-03-04", "10");
	pref_case(PC1T, "369801001202602120001", "2026-03-03", "10");
	pref_case(OUTSIDE, "369701202602120001", "2026-02-26", "10");
	clock_at("09:00");
	issue_at(PC1);
	issue_at(PC1);
	issue_at(PC2);
	clock_at("09:04");
	call(c1);
	assert_int_equal(queue_start(dsu, c1, &t), QUEUE_OK);
	assert_int_equal(queue_finish(dsu, c1, true), QUEUE_OK);
	clock_at("09:10");

	n = hall_offices(dsu, ps, o, 10, &r);
	assert_int_equal(r, HALL_OK);
	/* tree order, the prefecture first; never the other prefecture's county */
	assert_int_equal(n, 4);
	assert_string_equal(o[0].code, PREF);
	assert_string_equal(o[0].name, "监督测试设区市");
	assert_string_equal(o[0].tier, "prefecture");
	assert_int_equal(o[0].depth, 0);
	assert_int_equal(o[0].windows_active, 0);
	assert_string_equal(o[1].code, PC1);
	assert_string_equal(o[1].tier, "county");
	assert_int_equal(o[1].depth, 1);
	assert_int_equal(o[1].windows_active, 3);
	assert_int_equal(o[1].windows_open, 1);		/* ts_p1clerk at window 1 */
	assert_int_equal(o[1].waiting, 1);
	assert_int_equal(o[1].longest_wait_seconds, 10 * 60);
	assert_int_equal(o[1].target_minutes, 20);
	assert_int_equal(o[1].served_today, 1);
	assert_int_equal(o[1].overdue, 0);
	assert_int_equal(o[1].near_due, 0);		/* 乙镇's case is 乙镇's */
	assert_string_equal(o[2].code, PC1T);
	assert_int_equal(o[2].depth, 2);
	assert_int_equal(o[2].windows_active, 1);
	assert_int_equal(o[2].windows_open, 0);
	assert_int_equal(o[2].waiting, 0);
	assert_int_equal(o[2].longest_wait_seconds, 0);
	assert_int_equal(o[2].near_due, 1);
	assert_string_equal(o[3].code, PC2);
	assert_int_equal(o[3].windows_active, 2);
	assert_int_equal(o[3].windows_open, 0);		/* nobody signed in */
	assert_int_equal(o[3].waiting, 1);
	assert_int_equal(o[3].served_today, 0);
	assert_int_equal(o[3].overdue, 1);
	assert_int_equal(o[3].near_due, 1);
	assert_false(o[3].due_more);
	/* at most max rows */
	assert_int_equal(hall_offices(dsu, ps, o, 2, &r), 2);
	assert_string_equal(o[1].code, PC1);
	/* a county's supervisor lists its county and below */
	n = hall_offices(dsu, p1, o, 10, &r);
	assert_int_equal(n, 2);
	assert_string_equal(o[0].code, PC1);
	assert_int_equal(o[0].depth, 0);
	assert_string_equal(o[1].code, PC1T);
	/* a clerk: refused */
	assert_int_equal(hall_offices(dsu, c1, o, 10, &r), -1);
	assert_int_equal(r, HALL_NOT_ALLOWED);

	/* F7 of the prefecture: the due cases of every county below, each
	 * with its office; of a county shown: that county and below */
	{
		struct hall_due d[10];

		n = hall_due(dsu, ps, NULL, d, 10, &r);
		assert_int_equal(r, HALL_OK);
		assert_int_equal(n, 3);
		assert_string_equal(d[0].case_no, "369802202602120001");
		assert_string_equal(d[0].office_name, "监督测试丙县");
		assert_int_equal(d[0].remaining, -3);
		assert_string_equal(d[1].case_no, "369801001202602120001");
		assert_string_equal(d[1].office_name, "监督测试甲县乙镇");
		assert_string_equal(d[2].case_no, "369802202602120002");
		n = hall_due(dsu, ps, PC1, d, 10, &r);
		assert_int_equal(n, 1);
		assert_string_equal(d[0].office_code, PC1T);
		assert_int_equal(hall_due(dsu, p1, PC2, d, 10, &r), -1);
		assert_int_equal(r, HALL_OUT_OF_JURISDICTION);
	}
	dbt_clear_cases(su, OUTSIDE);
	logout(ps);
	logout(p1);
	logout(c1);
}

static void test_reroute_viewed_office(void **state)
{
	long long ps = login("ts_psuper", 0), p1 = login("ts_p1super", 0), c2 = login("ts_p2clerk", 2);
	struct queue_issue a1, a2, g;
	struct hall_ticket tk;
	struct queue_ticket t;
	char buf[1024], obj[64], id[24];
	const char *p[] = { obj };
	long long mark;

	(void)state;
	clock_at("09:00");
	a1 = issue_at(PC2);
	a2 = issue_at(PC2);
	/* the ticket of the county shown, by number */
	assert_int_equal(hall_find_waiting(dsu, ps, PC2, a2.t.number, &tk), HALL_OK);
	assert_int_equal(tk.id, a2.t.id);
	/* not in another county's hall: that county's A002 is none */
	assert_int_equal(hall_find_waiting(dsu, ps, PC1, a2.t.number, &tk), HALL_NOT_FOUND);
	assert_int_equal(hall_reroute(dsu, ps, PC1, a2.t.id, 1), HALL_NOT_FOUND);

	PQclear(PQexec(su, "LISTEN yc_queue_" PC2));
	dbt_read_notifies(su, 100, buf, sizeof buf);
	mark = dbt_audit_mark(su);
	assert_int_equal(hall_reroute(dsu, ps, PC2, a2.t.id, 2), HALL_OK);
	/* audited under the county's office, by the prefecture's supervisor */
	snprintf(obj, sizeof obj, "ticket:%s/%lld", PC2, a2.t.id);
	assert_int_equal(dbt_audit_count(su, mark, PC2, "queue_reroute", obj), 1);
	snprintf(id, sizeof id, "%lld", mark);
	{
		const char *q[] = { obj, id };

		assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
		    " AND audit_id > $2::bigint AND staff_no = 'ts_psuper' AND window_no IS NULL"
		    " AND after->>'supervisor_office' = '" PREF "' AND after->>'transfer_to' = '2'",
		    2, q), 1);
	}
	(void)p;
	/* announced on the county's channel: its halls follow */
	assert_int_equal(dbt_read_notifies(su, 1, buf, sizeof buf), 1);
	assert_non_null(strstr(buf, "\"e\" : \"reroute\""));
	/* window 2 of the county calls it first */
	t = call(c2);
	assert_string_equal(t.number, a2.t.number);
	/* refusals: a window the county does not have, a county supervisor
	 * next door */
	assert_int_equal(hall_reroute(dsu, ps, PC2, a1.t.id, 3), HALL_UNKNOWN_WINDOW);
	assert_int_equal(hall_reroute(dsu, p1, PC2, a1.t.id, 1), HALL_OUT_OF_JURISDICTION);
	assert_int_equal(dbt_audit_count(su, mark, PC2, "queue_reroute", NULL), 1);

	/* a 绿色通道 ticket of the county shown, issued by the prefecture's
	 * supervisor; not by the supervisor of the county next door */
	assert_int_equal(queue_issue_green(dsu, PC2, NULL, ps, 0, &g), QUEUE_OK);
	assert_int_equal(g.t.cls, QC_GREEN);
	snprintf(obj, sizeof obj, "ticket:%s/%lld", PC2, g.t.id);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
	    " AND action = 'queue_issue' AND staff_no = 'ts_psuper'", 1, p), 1);
	assert_int_equal(queue_issue_green(dsu, PC2, NULL, p1, 0, &g), QUEUE_NOT_ALLOWED);
	assert_int_equal(queue_issue_green(dsu, OUTSIDE, NULL, ps, 0, &g), QUEUE_NOT_ALLOWED);
	PQclear(PQexec(su, "UNLISTEN *"));
	logout(ps);
	logout(p1);
	logout(c2);
}

/* ------------------------------------------------------------------ */
/* handover                                                            */
/* ------------------------------------------------------------------ */

static void test_handover(void **state)
{
	long long c1 = login("ts_clerk1", 1), sup = login("ts_super", 0), c2;
	struct hall_handover h;
	long long mark = dbt_audit_mark(su);

	(void)state;
	clock_at("17:30");
	assert_int_equal(hall_handover_write(dsu, c1, "打印机缺纸，已报修"), HALL_OK);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "handover_write", NULL), 1);
	/* the writer's own note is nothing new for the writer */
	assert_int_equal(hall_handover_latest(dsu, c1, &h), HALL_NOT_FOUND);
	assert_int_equal(hall_handover_write(dsu, c1, " \t "), HALL_BAD_INPUT);
	/* without a window: nothing to hand over */
	assert_int_equal(hall_handover_write(dsu, sup, "x"), HALL_NOT_ALLOWED);
	assert_int_equal(hall_handover_latest(dsu, sup, &h), HALL_NOT_ALLOWED);
	logout(c1);

	/* the next clerk at window 1 reads it; at window 2 there is none */
	c2 = login("ts_clerk2", 1);
	clock_at("18:00");
	assert_int_equal(hall_handover_latest(dsu, c2, &h), HALL_OK);
	assert_string_equal(h.staff_no, "ts_clerk1");
	assert_string_equal(h.staff_name, "测试ts_clerk1");
	assert_string_equal(h.note, "打印机缺纸，已报修");
	assert_int_equal(h.written_at, dbt_query_ll(su, "SELECT extract(epoch FROM timestamptz '"
	    DAY "17:30:00+08')::bigint", 0, NULL));
	logout(c2);
	c2 = login("ts_clerk2", 2);
	assert_int_equal(hall_handover_latest(dsu, c2, &h), HALL_NOT_FOUND);
	logout(c2);

	/* a week later it is gone */
	c2 = login("ts_clerk2", 1);
	{
		const char *p[] = { "2026-03-09 18:00:00+08" };

		assert_int_equal(db_exec(dsu, "SELECT set_config('yc.test_now', $1, false)", 1, p), DB_OK);
	}
	assert_int_equal(hall_handover_latest(dsu, c2, &h), HALL_NOT_FOUND);
	logout(c2);
	logout(sup);
}

/* ------------------------------------------------------------------ */
/* refusals and privileges                                             */
/* ------------------------------------------------------------------ */

static void test_refusals(void **state)
{
	long long c1 = login("ts_clerk1", 1), g = login("ts_guide", 2), sup = login("ts_super", 0);
	struct hall_window w[4];
	struct hall_queue q;
	struct hall_ticket tk;
	struct hall_rating rt[2];
	struct hall_handover h;
	int series[24];
	enum hall_result r;
	long long closed;

	(void)state;
	for (int i = 0; i < 2; i++) {
		long long s = i == 0 ? c1 : g;

		assert_int_equal(hall_windows(dsu, s, NULL, w, 4, &r), -1);
		assert_int_equal(r, HALL_NOT_ALLOWED);
		assert_int_equal(hall_queue(dsu, s, NULL, &q), HALL_NOT_ALLOWED);
		assert_int_equal(hall_hourly(dsu, s, NULL, series), HALL_NOT_ALLOWED);
		assert_int_equal(hall_waits(dsu, s, NULL, series), HALL_NOT_ALLOWED);
		assert_int_equal(hall_find_waiting(dsu, s, NULL, "A001", &tk), HALL_NOT_ALLOWED);
		assert_int_equal(hall_reroute(dsu, s, NULL, 1, 1), HALL_NOT_ALLOWED);
		assert_int_equal(hall_ratings(dsu, s, rt, 2, &r), -1);
		assert_int_equal(r, HALL_NOT_ALLOWED);
	}
	/* any role at a window writes a handover note */
	assert_int_equal(hall_handover_write(dsu, g, "导服台交接"), HALL_OK);
	/* a closed session: no_session everywhere */
	closed = sup;
	logout(sup);
	assert_int_equal(hall_windows(dsu, closed, NULL, w, 4, &r), -1);
	assert_int_equal(r, HALL_NO_SESSION);
	assert_int_equal(hall_queue(dsu, closed, NULL, &q), HALL_NO_SESSION);
	assert_int_equal(hall_reroute(dsu, closed, NULL, 1, 1), HALL_NO_SESSION);
	assert_int_equal(hall_follow_up(dsu, closed, CITY, 1, "x"), HALL_NO_SESSION);
	assert_int_equal(hall_handover_write(dsu, closed, "x"), HALL_NO_SESSION);
	assert_int_equal(hall_handover_latest(dsu, closed, &h), HALL_NO_SESSION);
	logout(c1);
	logout(g);
}

static void test_privileges(void **state)
{
	(void)state;
	/* the eleven entry points: SECURITY DEFINER, pinned search_path,
	 * executable; one signature each (the old ones without the office
	 * are gone) */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname IN ('hall_windows',"
	    " 'hall_queue', 'hall_hourly', 'hall_waits', 'hall_waiting', 'hall_reroute',"
	    " 'rating_flagged', 'rating_follow_up', 'handover_write', 'handover_latest',"
	    " 'hall_offices')"
	    " AND has_function_privilege('yichuang_app', p.oid, 'EXECUTE')"
	    " AND NOT has_function_privilege('public', p.oid, 'EXECUTE')"
	    " AND p.prosecdef AND 'search_path=yc, pg_temp' = ANY(p.proconfig)", 0, NULL), 11);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname LIKE 'hall\\_%'"
	    " AND p.prosecdef", 0, NULL), 9);	/* with hall_appointments (appoint.sql) */
	/* the helpers are not callable; the table is neither readable nor writable */
	dbt_expect_sqlstate(app, "42501", "SELECT yc.hall_refusal(NULL::yc.case_actor)");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.hall_office_refusal(NULL::yc.case_actor, '36')");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.hall_due_dates('36', current_date,"
	    " current_date, current_date, ARRAY[0], 1)");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.handover");
	dbt_expect_sqlstate(app, "42501", "INSERT INTO yc.handover (office_code, window_no, written_at,"
	    " staff_no, note) VALUES ('" CITY "', 1, now(), 'ts_clerk1', 'x')");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.rating SET handled_at = now(), handled_by = 'ts_super'");
	/* a session id on a connection it is not bound to is unknown there */
	{
		long long s = login("ts_super", 0);
		struct db *other = db_open(getenv("YC_TEST_APP_CONNINFO"));
		struct hall_queue q;

		assert_true(db_connected(other));
		assert_int_equal(hall_queue(other, s, NULL, &q), HALL_NO_SESSION);
		db_close(&other);
		logout(s);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_window_states),
		T(test_queue_and_service_level),
		T(test_reroute),
		T(test_ratings_follow_up),
		T(test_due),
		T(test_every_level_jurisdiction),
		T(test_hall_offices),
		T(test_reroute_viewed_office),
		T(test_handover),
		T(test_refusals),
		T(test_privileges),
	};

	return cmocka_run_group_tests_name("db_supervision", tests, group_setup, group_teardown);
}
