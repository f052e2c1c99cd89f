/*
 * The hall queue (db/migrations/0004_queue.sql, tui/store/queue.c) against
 * a migrated cluster: numbering, seniors, 绿色通道, appointments, transfer,
 * back to the queue, hold, pause, no-show, final states, audit, NOTIFY,
 * privileges, the test clock, indexes, and the calling policies proved under
 * a controlled clock (the guarantees are written at the top of 0004_queue.sql).
 *
 * Environment as for every db suite (tests/run.sh):
 *   PGHOST, PGDATABASE, PGUSER=postgres    superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                    the application role
 *
 * The tests work in their own offices, 360981007 (functions, real clock;
 * it has a guide desk), 360981008 (clock-controlled) and 360981006 (a
 * township without a guide desk: its clerks issue 绿色通道 tickets), with
 * their own staff (tq_*); each test
 * empties the queue tables of its office first, so the suite can run again
 * on the same cluster. The audit log is append-only: audit checks count the
 * rows after a mark.
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
#include <unistd.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "store/queue.h"

#define OFFICE "360981007"	/* functional tests, real clock */
#define POLICY "360981008"	/* clock-controlled tests */
#define TOWN "360981006"	/* 绿色通道 without a guide desk, real clock */
#define TQ_PASSWORD "Tq-Secret-5"
#define DAY "2025-03-03"
#define BASE DAY " 09:00:00+08"

static PGconn *su;		/* superuser */
static PGconn *app;		/* yichuang_app */
static struct db *dsu;		/* superuser through queue.c: may set the clock */
static struct db *dapp;		/* yichuang_app through queue.c */

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* The test clock of dsu: BASE + minutes (seconds with sec), or off. */
static void clock_at(int minutes, int sec)
{
	char m[16], s[16];
	const char *p[] = { BASE, m, s };

	snprintf(m, sizeof m, "%d", minutes);
	snprintf(s, sizeof s, "%d", sec);
	assert_int_equal(db_exec(dsu, "SELECT set_config('yc.test_now', ($1::timestamptz"
	    " + make_interval(mins => $2::int, secs => $3::int))::text, false)", 3, p), DB_OK);
}

/* Empties the queue tables of an office and closes its sessions. */
static void reset_office(const char *office)
{
	const char *p[] = { office };

	dbt_exec_ok(su, "UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test'"
	    " WHERE office_code = $1 AND ended_at IS NULL", 1, p);
	dbt_clear_queue(su, office);
	dbt_clock(dsu, "");
}

/* Sessions are signed in on dapp, the connection that uses them: the
 * server binds a session to its connection (0009_jurisdiction.sql). */
static long long login(const char *staff, int window)
{
	return dbt_login_db(dapp, staff, TQ_PASSWORD, window, "tests/db/queue");
}

static void logout(long long sid)
{
	dbt_logout_db(dapp, sid);
}

static long long audit_mark(void)
{
	return dbt_audit_mark(su);
}

static long long audit_count(long long mark, const char *office, const char *action,
    const char *object)
{
	return dbt_audit_count(su, mark, office, action, object);
}

static char *ticket_object(const char *office, long long id)
{
	char *s;

	assert_true(asprintf(&s, "ticket:%s/%lld", office, id) > 0);
	return s;
}

/* Issues a ticket that must be issued; returns it. */
static struct queue_issue issue_ok(struct db *db, const char *office, enum queue_class cls,
    const char *id_no, const char *appt, long long sid)
{
	struct queue_issue is;
	enum queue_result r = queue_issue(db, office, cls, id_no, appt, sid, &is);

	if (r != QUEUE_OK)
		print_error("# issue %s: %s (%s)\n", queue_class_key(cls), queue_result_message(r),
		    db_detail(db));
	assert_int_equal(r, QUEUE_OK);
	return is;
}

static struct queue_ticket call_ok(struct db *db, long long sid)
{
	struct queue_ticket t;
	enum queue_result r = queue_call_next(db, sid, &t);

	if (r != QUEUE_OK)
		print_error("# call: %s (%s)\n", queue_result_message(r), db_detail(db));
	assert_int_equal(r, QUEUE_OK);
	return t;
}

/* The status text of a ticket. */
static char *ticket_status(const char *office, long long id)
{
	char s[24];
	const char *p[] = { office, s };

	snprintf(s, sizeof s, "%lld", id);
	return dbt_query_str(su, "SELECT status FROM yc.ticket WHERE office_code = $1"
	    " AND ticket_id = $2::bigint", 2, p);
}

static void assert_status(const char *office, long long id, const char *want)
{
	char *st = ticket_status(office, id);

	assert_string_equal(st, want);
	free(st);
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static const char *const staff_rows[][3] = {
	{ "tq_clerk1", "clerk", OFFICE },
	{ "tq_clerk2", "clerk", OFFICE },
	{ "tq_clerk3", "clerk", OFFICE },
	{ "tq_guide", "guide", OFFICE },
	{ "tq_super", "supervisor", OFFICE },
	{ "tq_guide_city", "guide", "360981" },
	{ "tq_pol1", "clerk", POLICY },
	{ "tq_pol2", "clerk", POLICY },
	{ "tq_town1", "clerk", TOWN },
	{ "tq_town2", "clerk", TOWN },
	{ "tq_town_rev", "reviewer", TOWN },
	{ "tq_city_clerk", "clerk", "360981" },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dapp = db_open(getenv("YC_TEST_APP_CONNINFO"));
	if (!db_connected(dapp)) {
		fprintf(stderr, "# app connection through the store: %s\n", db_detail(dapp));
		return -1;
	}
	dbt_office(su, "360981", "丰城市医疗保障服务中心", 8);
	dbt_office(su, OFFICE, "队列测试街道", 4);
	dbt_office(su, POLICY, "叫号策略测试街道", 4);
	dbt_office(su, TOWN, "绿色通道测试街道", 3);
	/* the functional office is a hall with a guide desk (导服台); the
	 * township keeps what its tier gives it: none */
	dbt_exec_ok(su, "UPDATE yc.office SET guide_desk = true WHERE code = '" OFFICE "'", 0, NULL);
	dbt_staff(su, TQ_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (su != NULL && PQstatus(su) == CONNECTION_OK) {
		PQclear(PQexec(su, "UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test'"
		    " WHERE office_code IN ('360981006', '360981007', '360981008') AND ended_at IS NULL"));
		dbt_close_sessions(su, "tq");
	}
	db_close(&dsu);
	db_close(&dapp);
	PQfinish(app);
	PQfinish(su);
	return 0;
}

static int test_setup(void **state)
{
	(void)state;
	reset_office(OFFICE);
	reset_office(POLICY);
	reset_office(TOWN);
	dbt_clear_of_midnight(su, 15);
	return 0;
}

/* ------------------------------------------------------------------ */
/* numbering and issuing                                               */
/* ------------------------------------------------------------------ */

static void test_numbering(void **state)
{
	(void)state;
	long long guide = login("tq_guide", 0);
	struct queue_issue a1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, "", "", 0);
	struct queue_issue b1 = issue_ok(dapp, OFFICE, QC_PRIORITY, NULL, NULL, 0);
	struct queue_issue g1 = issue_ok(dapp, OFFICE, QC_GREEN, NULL, NULL, guide);
	struct queue_issue a3 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);

	assert_string_equal(a1.t.number, "A001");
	assert_string_equal(a2.t.number, "A002");
	assert_string_equal(b1.t.number, "B001");
	assert_string_equal(g1.t.number, "G001");
	assert_string_equal(a3.t.number, "A003");
	assert_int_equal(a1.t.cls, QC_NORMAL);
	assert_int_equal(b1.t.cls, QC_PRIORITY);
	assert_int_equal(g1.t.cls, QC_GREEN);
	assert_string_equal(a1.t.status, "waiting");
	assert_false(a1.t.has_id);
	assert_string_equal(a1.office_name, "队列测试街道");
	assert_true(a1.t.issued_at > 0 && llabs((long long)(a1.t.issued_at - time(NULL))) < 120);
	assert_int_equal(a1.t.called_at, 0);
	/* people ahead: the green ticket goes first, then priority before A003 */
	assert_int_equal(a1.ahead, 0);
	assert_int_equal(a2.ahead, 1);
	assert_int_equal(g1.ahead, 0);
	assert_int_equal(a3.ahead, 4);
	/* no session open at a window: the estimate assumes one window, 5 min */
	assert_int_equal(a3.est_wait_minutes, 20);

	/* beyond 999 the number keeps counting */
	dbt_exec_ok(su, "UPDATE yc.ticket_counter SET last_seq = 998 WHERE office_code = '" OFFICE "'"
	    " AND class = 'normal'", 0, NULL);
	assert_string_equal(issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0).t.number, "A999");
	assert_string_equal(issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0).t.number, "A1000");
	assert_string_equal(issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0).t.number, "A1001");

	/* unknown office */
	struct queue_issue x;
	assert_int_equal(queue_issue(dapp, "360981999", QC_NORMAL, NULL, NULL, 0, &x),
	    QUEUE_UNKNOWN_OFFICE);

	/* the next day starts again at 001 and closes what the last day left open */
	long long mark = audit_mark();
	assert_int_equal(db_exec(dsu, "SELECT set_config('yc.test_now',"
	    " (now() + interval '1 day')::text, false)", 0, NULL), DB_OK);
	struct queue_issue next = issue_ok(dsu, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_string_equal(next.t.number, "A001");
	assert_int_equal(next.ahead, 0);
	dbt_clock(dsu, "");
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE
	    "' AND status = 'cancelled' AND finished_at IS NOT NULL", 0, NULL), 8);
	assert_int_equal(audit_count(mark, OFFICE, "queue_cancel", NULL), 8);
	logout(guide);
}

static void test_senior_priority(void **state)
{
	(void)state;
	char id60[19], id59[19], id1950[19], bad[19], future[19], idx[19];

	clock_at(60, 0);	/* 2025-03-03 10:00 */
	dbt_make_id(id60, "19650303", 11);	/* 60 today */
	dbt_make_id(id59, "19650304", 12);	/* 60 tomorrow */
	dbt_make_id(id1950, "19500101", 13);
	dbt_make_id(future, "20250304", 14);
	dbt_make_id(bad, "19500101", 15);
	bad[17] = bad[17] == '0' ? '1' : '0';	/* wrong check character */

	struct queue_issue s = issue_ok(dsu, POLICY, QC_NORMAL, id60, NULL, 0);
	assert_int_equal(s.t.cls, QC_PRIORITY);
	assert_string_equal(s.t.number, "B001");
	assert_true(s.t.has_id);
	s = issue_ok(dsu, POLICY, QC_NORMAL, id59, NULL, 0);
	assert_int_equal(s.t.cls, QC_NORMAL);
	assert_string_equal(s.t.number, "A001");
	assert_true(s.t.has_id);
	s = issue_ok(dsu, POLICY, QC_NORMAL, id1950, NULL, 0);
	assert_int_equal(s.t.cls, QC_PRIORITY);

	/* an ID number with spaces and a lower-case x is read like the printed one */
	for (int seq = 0; seq < 1000; seq++) {
		dbt_make_id(idx, "19400101", seq);
		if (idx[17] == 'X')
			break;
	}
	assert_int_equal(idx[17], 'X');
	char spaced[32];
	snprintf(spaced, sizeof spaced, "%.6s %.8s %.3sx", idx, idx + 6, idx + 14);
	assert_int_equal(issue_ok(dsu, POLICY, QC_NORMAL, spaced, NULL, 0).t.cls, QC_PRIORITY);

	struct queue_issue x;
	assert_int_equal(queue_issue(dsu, POLICY, QC_NORMAL, bad, NULL, 0, &x), QUEUE_BAD_ID);
	assert_int_equal(queue_issue(dsu, POLICY, QC_NORMAL, future, NULL, 0, &x), QUEUE_BAD_ID);
	assert_int_equal(queue_issue(dsu, POLICY, QC_NORMAL, "12345", NULL, 0, &x), QUEUE_BAD_ID);
	assert_int_equal(queue_issue(dsu, POLICY, QC_NORMAL, "360981195002301234", NULL, 0, &x),
	    QUEUE_BAD_ID);

	/* the office's own threshold */
	dbt_exec_ok(su, "INSERT INTO yc.queue_config (office_code, senior_age) VALUES ('" POLICY "', 70)",
	    0, NULL);
	assert_int_equal(issue_ok(dsu, POLICY, QC_NORMAL, id60, NULL, 0).t.cls, QC_NORMAL);
	assert_int_equal(issue_ok(dsu, POLICY, QC_NORMAL, id1950, NULL, 0).t.cls, QC_PRIORITY);

	/* the ID number is never stored unless the person is known, nor audited */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" POLICY
	    "' AND id_no IS NOT NULL", 0, NULL), 0);
	const char *p[] = { id1950 };
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE office_code = '" POLICY
	    "' AND (after::text LIKE '%' || $1 || '%' OR before::text LIKE '%' || $1 || '%')", 1, p), 0);
}

static void test_green_requires_guide(void **state)
{
	(void)state;
	long long clerk = login("tq_clerk1", 1);
	long long guide = login("tq_guide", 0);
	long long super = login("tq_super", 0);
	long long city_guide = login("tq_guide_city", 0);
	struct queue_issue x;
	long long mark = audit_mark();

	assert_int_equal(queue_issue(dapp, OFFICE, QC_GREEN, NULL, NULL, 0, &x), QUEUE_NOT_ALLOWED);
	assert_int_equal(queue_issue(dapp, OFFICE, QC_GREEN, NULL, NULL, clerk, &x), QUEUE_NOT_ALLOWED);
	assert_int_equal(queue_issue(dapp, OFFICE, QC_GREEN, NULL, NULL, city_guide, &x),
	    QUEUE_NOT_ALLOWED);
	assert_int_equal(audit_count(mark, OFFICE, "queue_issue_refused", NULL), 3);

	/* the only window is paused: no window is free, the green tickets wait */
	assert_int_equal(queue_pause(dapp, clerk, "午休"), QUEUE_OK);
	struct queue_issue a = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue b = issue_ok(dapp, OFFICE, QC_PRIORITY, NULL, NULL, 0);
	struct queue_issue g1 = issue_ok(dapp, OFFICE, QC_GREEN, NULL, NULL, guide);
	struct queue_issue g2 = issue_ok(dapp, OFFICE, QC_GREEN, NULL, NULL, super);
	assert_string_equal(g1.t.number, "G001");
	assert_string_equal(g2.t.number, "G002");
	assert_int_equal(g1.placed, QP_QUEUE);
	assert_int_equal(g1.to_window, 0);
	assert_string_equal(g1.t.status, "waiting");
	assert_int_equal(g2.ahead, 1);
	assert_int_equal(a.placed, QP_NONE);
	assert_int_equal(queue_resume(dapp, clerk), QUEUE_OK);

	/* the issuing staff is in the audit row */
	char *obj = ticket_object(OFFICE, g1.t.id);
	const char *p[] = { obj };
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE action = 'queue_issue'"
	    " AND object = $1 AND staff_no = 'tq_guide'", 1, p), 1);
	free(obj);

	/* the next window that calls takes the green tickets before anything */
	assert_int_equal(call_ok(dapp, clerk).id, g1.t.id);
	assert_int_equal(call_ok(dapp, clerk).id, g2.t.id);
	assert_int_equal(call_ok(dapp, clerk).id, b.t.id);
	assert_int_equal(call_ok(dapp, clerk).id, a.t.id);

	/* a closed session issues nothing */
	logout(guide);
	assert_int_equal(queue_issue(dapp, OFFICE, QC_GREEN, NULL, NULL, guide, &x), QUEUE_NO_SESSION);
	logout(super);
	logout(city_guide);
	logout(clerk);
}

/* ------------------------------------------------------------------ */
/* 绿色通道: no queue and no calling (seed 001 item 20)                */
/* ------------------------------------------------------------------ */

static struct queue_issue green_ok(const char *office, long long sid, int window)
{
	struct queue_issue is;
	enum queue_result r = queue_issue_green(dapp, office, NULL, sid, window, &is);

	if (r != QUEUE_OK)
		print_error("# green to %d: %s (%s)\n", window, queue_result_message(r), db_detail(dapp));
	assert_int_equal(r, QUEUE_OK);
	assert_int_equal(is.t.cls, QC_GREEN);
	return is;
}

/* The current ticket of a session's window (0: none). */
static long long current_of(long long sid)
{
	struct queue_window win;

	assert_int_equal(queue_window_state(dapp, sid, &win), QUEUE_OK);
	return win.current.id;
}

/* Whether the calling board (yc.queue_recent_calls) shows a number. */
static bool on_board(const char *office, const char *number)
{
	struct queue_call calls[50];
	enum queue_result r;
	int n = queue_recent_calls(dapp, office, calls, 50, &r);

	assert_int_equal(r, QUEUE_OK);
	for (int i = 0; i < n; i++)
		if (strcmp(calls[i].number, number) == 0)
			return true;
	return false;
}

static long long green_tickets_today(const char *office)
{
	const char *p[] = { office };

	return dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = $1 AND class = 'green'"
	    " AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date", 1, p);
}

/* Offices say whether they have a guide desk: by tier unless set. */
static void test_green_guide_desk_by_tier(void **state)
{
	(void)state;
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.office WHERE code = '360981'"
	    " AND guide_desk", 0, NULL), 1);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.office WHERE code = '" TOWN "'"
	    " AND NOT guide_desk", 0, NULL), 1);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.office WHERE code = '" OFFICE "'"
	    " AND guide_desk", 0, NULL), 1);
	/* the application role reads it (the workbench does, at sign-in) */
	bool desk = true;
	assert_int_equal(queue_office_guide_desk(dapp, TOWN, &desk), QUEUE_OK);
	assert_false(desk);
	assert_int_equal(queue_office_guide_desk(dapp, "360981", &desk), QUEUE_OK);
	assert_true(desk);
	assert_int_equal(queue_office_guide_desk(dapp, "360981999", &desk), QUEUE_UNKNOWN_OFFICE);
	/* one yc.queue_issue: the old signature is gone */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname = 'queue_issue'", 0, NULL), 1);
}

/* A township has no guide desk: its clerk at a window issues the green
 * ticket, to the own window by default. */
static void test_green_township_clerk(void **state)
{
	(void)state;
	long long w1 = login("tq_town1", 1), w2 = login("tq_town2", 2);
	long long rev = login("tq_town_rev", 0);
	long long mark = audit_mark();
	struct queue_issue x;
	struct queue_ticket t;

	/* the clerk's own window, idle: its current ticket at once, not called */
	struct queue_issue g1 = green_ok(TOWN, w1, 1);
	assert_string_equal(g1.t.number, "G001");
	assert_int_equal(g1.placed, QP_WINDOW);
	assert_int_equal(g1.to_window, 1);
	assert_string_equal(g1.t.status, "called");
	assert_int_equal(g1.t.window_no, 1);
	assert_true(g1.t.called_at > 0);
	assert_int_equal(g1.ahead, 0);
	assert_int_equal(current_of(w1), g1.t.id);
	assert_false(on_board(TOWN, "G001"));

	/* while it is served, the next one waits for window 1, not for window 2 */
	assert_int_equal(queue_start(dapp, w1, &t), QUEUE_OK);
	struct queue_issue g2 = green_ok(TOWN, w1, 1);
	assert_int_equal(g2.placed, QP_RESERVED);
	assert_int_equal(g2.to_window, 1);
	assert_string_equal(g2.t.status, "waiting");
	assert_int_equal(current_of(w1), g1.t.id);
	assert_int_equal(queue_call_next(dapp, w2, &t), QUEUE_EMPTY);
	t = call_ok(dapp, w1);
	assert_int_equal(t.id, g2.t.id);
	assert_status(TOWN, g1.t.id, "served");

	/* to a colleague's window, and to the free one (0) */
	struct queue_issue g3 = green_ok(TOWN, w1, 2);
	assert_int_equal(g3.placed, QP_WINDOW);
	assert_int_equal(current_of(w2), g3.t.id);
	assert_int_equal(queue_finish(dapp, w2, true), QUEUE_OK);
	struct queue_issue g4 = green_ok(TOWN, w1, 0);
	assert_int_equal(g4.placed, QP_WINDOW);
	assert_int_equal(g4.to_window, 2);
	assert_false(on_board(TOWN, g4.t.number));

	/* staff without a window still may not */
	assert_int_equal(queue_issue_green(dapp, TOWN, NULL, rev, 0, &x), QUEUE_NOT_ALLOWED);
	assert_int_equal(queue_issue_green(dapp, TOWN, NULL, 0, 0, &x), QUEUE_NOT_ALLOWED);
	assert_int_equal(green_tickets_today(TOWN), 4);

	/* audited: the clerk issued, and placed at the window */
	assert_int_equal(audit_count(mark, TOWN, "queue_issue", NULL), 4);
	assert_int_equal(audit_count(mark, TOWN, "queue_place", NULL), 3);
	assert_int_equal(audit_count(mark, TOWN, "queue_call", NULL), 1);	/* g2, by window 1 */
	assert_int_equal(audit_count(mark, TOWN, "queue_issue_refused", NULL), 2);
	char *obj = ticket_object(TOWN, g3.t.id);
	const char *p[] = { obj };
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
	    " AND action = 'queue_place' AND staff_no = 'tq_town1' AND window_no = 2"
	    " AND after->>'status' = 'called' AND before->>'status' = 'waiting'", 1, p), 1);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
	    " AND action = 'queue_issue' AND staff_no = 'tq_town1' AND after->>'placed' = 'window'"
	    " AND (after->>'to_window')::int = 2", 1, p), 1);
	free(obj);
	logout(w1);
	logout(w2);
	logout(rev);
}

/* Where the office has a guide desk, a clerk is still refused. */
static void test_green_city_clerk_refused(void **state)
{
	(void)state;
	long long clerk = login("tq_city_clerk", 8);
	long long before = green_tickets_today("360981");
	long long mark = audit_mark();
	struct queue_issue x;

	assert_int_equal(queue_issue_green(dapp, "360981", NULL, clerk, 8, &x), QUEUE_NOT_ALLOWED);
	assert_int_equal(queue_issue_green(dapp, "360981", NULL, clerk, 0, &x), QUEUE_NOT_ALLOWED);
	assert_int_equal(queue_issue(dapp, "360981", QC_GREEN, NULL, NULL, clerk, &x), QUEUE_NOT_ALLOWED);
	assert_int_equal(green_tickets_today("360981"), before);
	char m[24];
	const char *pm[] = { m };
	snprintf(m, sizeof m, "%lld", mark);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND office_code = '360981' AND action = 'queue_issue_refused' AND staff_no = 'tq_city_clerk'"
	    " AND window_no = 8 AND after->>'reason' = 'not_allowed'", 1, pm), 3);
	logout(clerk);
}

/* The guide names window 3: it is that window's current ticket at once,
 * announced to its screen (NOTIFY), never on the board. */
static void test_green_guide_chooses_window(void **state)
{
	(void)state;
	PGconn *listener = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));
	long long w1 = login("tq_clerk1", 1), w2 = login("tq_clerk2", 2), w3 = login("tq_clerk3", 3);
	long long guide = login("tq_guide", 0);
	char buf[4096];
	long long mark;
	struct queue_ticket t;

	assert_int_equal(PQstatus(listener), CONNECTION_OK);
	struct queue_issue a1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(call_ok(dapp, w1).id, a1.t.id);	/* on the board */
	PQclear(PQexec(listener, "LISTEN yc_queue_360981007"));
	mark = audit_mark();

	struct queue_issue g = green_ok(OFFICE, guide, 3);
	assert_int_equal(g.placed, QP_WINDOW);
	assert_int_equal(g.to_window, 3);
	assert_string_equal(g.t.status, "called");
	assert_int_equal(current_of(w3), g.t.id);
	assert_int_equal(current_of(w2), 0);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 1);
	assert_string_equal(buf, "yc_queue_360981007 {\"e\" : \"issue\", \"n\" : \"G001\", \"w\" : 3}\n");
	assert_true(on_board(OFFICE, a1.t.number));
	assert_false(on_board(OFFICE, "G001"));
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND number = 'G001' AND last_called_at IS NULL AND called_at IS NOT NULL", 0, NULL), 1);
	/* a recall would show it on no board either */
	assert_int_equal(queue_recall(dapp, w3, &t), QUEUE_OK);
	assert_false(on_board(OFFICE, "G001"));

	/* audited: issued by the guide, placed at window 3 */
	char *obj = ticket_object(OFFICE, g.t.id);
	const char *p[] = { obj };
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
	    " AND action = 'queue_issue' AND staff_no = 'tq_guide'", 1, p), 1);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
	    " AND action = 'queue_place' AND staff_no = 'tq_guide' AND window_no = 3"
	    " AND (after->>'chosen')::boolean", 1, p), 1);
	assert_int_equal(audit_count(mark, OFFICE, "queue_call", NULL), 0);
	free(obj);

	/* window 3's next call finishes it as served and calls a2 */
	assert_int_equal(call_ok(dapp, w3).id, a2.t.id);
	assert_status(OFFICE, g.t.id, "served");
	PQfinish(listener);
	logout(w1);
	logout(w2);
	logout(w3);
	logout(guide);
}

/* No window named: the free window idle longest gets it at once; none
 * free: the next window that calls takes it first. */
static void test_green_next_free_window(void **state)
{
	(void)state;
	long long w3 = login("tq_clerk3", 3), w1 = login("tq_clerk1", 1), w2 = login("tq_clerk2", 2);
	long long guide = login("tq_guide", 0);

	struct queue_issue a1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(call_ok(dapp, w1).id, a1.t.id);	/* window 1 busy */
	assert_int_equal(call_ok(dapp, w2).id, a2.t.id);
	assert_int_equal(queue_finish(dapp, w2, true), QUEUE_OK);	/* window 2 idle since now */
	/* window 3 idle since its clerk signed in, before: longest */
	struct queue_issue g1 = green_ok(OFFICE, guide, 0);
	assert_int_equal(g1.placed, QP_WINDOW);
	assert_int_equal(g1.to_window, 3);
	assert_int_equal(current_of(w3), g1.t.id);
	/* the only free window left */
	struct queue_issue g2 = issue_ok(dapp, OFFICE, QC_GREEN, NULL, NULL, guide);
	assert_int_equal(g2.placed, QP_WINDOW);
	assert_int_equal(g2.to_window, 2);
	assert_int_equal(current_of(w2), g2.t.id);
	/* none free: it waits, first for whichever window calls next */
	struct queue_issue a3 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue b1 = issue_ok(dapp, OFFICE, QC_PRIORITY, NULL, NULL, 0);
	struct queue_issue g3 = green_ok(OFFICE, guide, 0);
	assert_int_equal(g3.placed, QP_QUEUE);
	assert_int_equal(g3.to_window, 0);
	assert_string_equal(g3.t.status, "waiting");
	assert_int_equal(g3.ahead, 0);
	struct queue_counts c;
	assert_int_equal(queue_counts(dapp, OFFICE, &c), QUEUE_OK);
	assert_int_equal(c.waiting[QC_GREEN], 1);
	assert_int_equal(call_ok(dapp, w1).id, g3.t.id);
	assert_int_equal(call_ok(dapp, w1).id, b1.t.id);
	assert_int_equal(call_ok(dapp, w1).id, a3.t.id);
	assert_false(on_board(OFFICE, g1.t.number));
	assert_false(on_board(OFFICE, g3.t.number));
	/* a paused window is not free */
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_OK);
	assert_int_equal(queue_pause(dapp, w1, "午休"), QUEUE_OK);
	struct queue_issue g4 = green_ok(OFFICE, guide, 0);
	assert_int_equal(g4.placed, QP_QUEUE);
	logout(w1);
	logout(w2);
	logout(w3);
	logout(guide);
}

/* The window named is busy (or paused): the ticket waits for it; its next
 * call takes it before anything else, another window never does. */
static void test_green_busy_window_reserved(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1), w2 = login("tq_clerk2", 2);
	long long guide = login("tq_guide", 0);
	struct queue_ticket t;

	struct queue_issue a1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a3 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(call_ok(dapp, w2).id, a1.t.id);	/* window 2 busy */
	assert_int_equal(call_ok(dapp, w1).id, a2.t.id);
	assert_int_equal(queue_transfer(dapp, w1, 2), QUEUE_OK);	/* a2 waits for window 2 */

	/* window 1 is free, but the guide names window 2 */
	struct queue_issue g = green_ok(OFFICE, guide, 2);
	assert_int_equal(g.placed, QP_RESERVED);
	assert_int_equal(g.to_window, 2);
	assert_string_equal(g.t.status, "waiting");
	assert_int_equal(current_of(w2), a1.t.id);
	assert_int_equal(current_of(w1), 0);
	/* window 1 does not take it */
	assert_int_equal(call_ok(dapp, w1).id, a3.t.id);
	assert_int_equal(queue_call_next(dapp, w1, &t), QUEUE_EMPTY);
	/* window 2: the green ticket first, before what was transferred earlier */
	assert_int_equal(call_ok(dapp, w2).id, g.t.id);
	assert_int_equal(call_ok(dapp, w2).id, a2.t.id);
	char *obj = ticket_object(OFFICE, g.t.id);
	const char *p[] = { obj };
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
	    " AND action = 'queue_call' AND window_no = 2 AND after->>'step' = 'green'", 1, p), 1);
	free(obj);

	/* a paused window named: it waits there until the window calls again */
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_NO_TICKET);
	assert_int_equal(queue_pause(dapp, w1, "午休"), QUEUE_OK);
	struct queue_issue g2 = green_ok(OFFICE, guide, 1);
	assert_int_equal(g2.placed, QP_RESERVED);
	assert_int_equal(g2.to_window, 1);
	assert_int_equal(queue_finish(dapp, w2, true), QUEUE_OK);
	assert_int_equal(queue_call_next(dapp, w2, &t), QUEUE_EMPTY);
	assert_int_equal(queue_resume(dapp, w1), QUEUE_OK);
	assert_int_equal(call_ok(dapp, w1).id, g2.t.id);
	logout(w1);
	logout(w2);
	logout(guide);
}

/* A window that is not the office's, closed, or nobody's: refused, nothing
 * issued, the refusal audited. */
static void test_green_bad_window(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1), guide = login("tq_guide", 0);
	long long mark = audit_mark();
	struct queue_issue x;

	assert_int_equal(queue_issue_green(dapp, OFFICE, NULL, guide, 9, &x), QUEUE_BAD_WINDOW);
	assert_int_equal(queue_issue_green(dapp, OFFICE, NULL, guide, -1, &x), QUEUE_BAD_WINDOW);
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = false WHERE office_code = '" OFFICE "'"
	    " AND window_no = 4", 0, NULL);
	assert_int_equal(queue_issue_green(dapp, OFFICE, NULL, guide, 4, &x), QUEUE_BAD_WINDOW);
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = true WHERE office_code = '" OFFICE "'"
	    " AND window_no = 4", 0, NULL);
	assert_int_equal(queue_issue_green(dapp, OFFICE, NULL, guide, 4, &x), QUEUE_WINDOW_CLOSED);
	assert_int_equal(green_tickets_today(OFFICE), 0);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket_counter WHERE office_code = '"
	    OFFICE "'", 0, NULL), 0);
	assert_int_equal(audit_count(mark, OFFICE, "queue_issue", NULL), 0);
	assert_int_equal(audit_count(mark, OFFICE, "queue_issue_refused", NULL), 4);
	char m[24];
	const char *pm[] = { m };
	snprintf(m, sizeof m, "%lld", mark);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND office_code = '" OFFICE "' AND action = 'queue_issue_refused' AND staff_no = 'tq_guide'"
	    " AND after->>'reason' = 'window_closed' AND (after->>'to_window')::int = 4", 1, pm), 1);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND office_code = '" OFFICE "' AND action = 'queue_issue_refused'"
	    " AND after->>'reason' = 'bad_window'", 1, pm), 3);
	assert_int_equal(current_of(w1), 0);
	/* a bad ID number is refused before any window is looked at */
	assert_int_equal(queue_issue_green(dapp, OFFICE, "12345", guide, 1, &x), QUEUE_BAD_ID);
	/* the numbers are not used up: the next one is G001 */
	assert_string_equal(green_ok(OFFICE, guide, 1).t.number, "G001");
	/* only a green ticket is sent to a window */
	PGresult *res = PQexec(app, "SELECT * FROM yc.queue_issue('" OFFICE "', 'normal', NULL, NULL,"
	    " NULL, 't', 1)");
	assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
	assert_string_equal(PQresultErrorField(res, PG_DIAG_SQLSTATE), "22023");
	PQclear(res);
	logout(w1);
	logout(guide);
}

/* ------------------------------------------------------------------ */
/* appointments                                                        */
/* ------------------------------------------------------------------ */

static void add_appointment(const char *office, const char *code, const char *start,
    const char *end, const char *id_no)
{
	const char *p[] = { office, code, start, end, id_no };

	dbt_exec_ok(su, "INSERT INTO yc.appointment (office_code, code, slot_start, slot_end, id_no)"
	    " VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5)", 5, p);
}

static void test_appointment(void **state)
{
	(void)state;
	char id[19], other[19];
	struct queue_issue x;
	long long sid = login("tq_pol1", 1);

	dbt_make_id(id, "19800101", 21);
	dbt_make_id(other, "19800101", 22);
	add_appointment(POLICY, "T1", DAY " 10:00+08", DAY " 10:30+08", id);
	add_appointment(POLICY, "T2", DAY " 10:00+08", DAY " 10:30+08", NULL);
	add_appointment(POLICY, "OLD", "2025-03-02 10:00+08", "2025-03-02 10:30+08", NULL);
	add_appointment(POLICY, "NEXT", "2025-03-04 10:00+08", "2025-03-04 10:30+08", NULL);
	add_appointment(OFFICE, "ELSE", DAY " 10:00+08", DAY " 10:30+08", NULL);

	clock_at(40, 0);	/* 09:40 */
	assert_int_equal(queue_issue(dsu, POLICY, QC_APPOINTMENT, NULL, "NOPE", 0, &x),
	    QUEUE_BAD_APPOINTMENT);
	assert_int_equal(queue_issue(dsu, POLICY, QC_APPOINTMENT, NULL, "ELSE", 0, &x),
	    QUEUE_BAD_APPOINTMENT);
	assert_int_equal(queue_issue(dsu, POLICY, QC_APPOINTMENT, NULL, "NEXT", 0, &x),
	    QUEUE_BAD_APPOINTMENT);
	assert_int_equal(queue_issue(dsu, POLICY, QC_APPOINTMENT, NULL, NULL, 0, &x),
	    QUEUE_BAD_APPOINTMENT);
	assert_int_equal(queue_issue(dsu, POLICY, QC_APPOINTMENT, other, "T1", 0, &x),
	    QUEUE_BAD_APPOINTMENT);
	/* a slot of an earlier day is missed */
	assert_int_equal(queue_issue(dsu, POLICY, QC_APPOINTMENT, NULL, "OLD", 0, &x),
	    QUEUE_BAD_APPOINTMENT);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.appointment WHERE office_code = '"
	    POLICY "' AND code = 'OLD' AND status = 'missed'", 0, NULL), 1);

	/* before its slot the appointment ticket waits */
	struct queue_issue y1 = issue_ok(dsu, POLICY, QC_APPOINTMENT, id, "T1", 0);
	assert_string_equal(y1.t.number, "Y001");
	assert_int_equal(y1.t.cls, QC_APPOINTMENT);
	assert_int_equal(queue_issue(dsu, POLICY, QC_APPOINTMENT, NULL, "T1", 0, &x),
	    QUEUE_BAD_APPOINTMENT);	/* used */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.appointment a JOIN yc.ticket t"
	    " ON t.office_code = a.office_code AND t.ticket_id = a.ticket_id WHERE a.office_code = '"
	    POLICY "' AND a.code = 'T1' AND a.status = 'used' AND t.number = 'Y001'", 0, NULL), 1);
	struct queue_issue a1 = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	clock_at(50, 0);
	assert_int_equal(call_ok(dsu, sid).id, a1.t.id);
	struct queue_ticket t;
	assert_int_equal(queue_call_next(dsu, sid, &t), QUEUE_EMPTY);

	/* from its slot on it goes ahead of walk-ins issued before it */
	clock_at(55, 0);
	struct queue_issue a2 = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue b1 = issue_ok(dsu, POLICY, QC_PRIORITY, NULL, NULL, 0);
	clock_at(58, 0);
	struct queue_issue ax = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	clock_at(59, 0);
	struct queue_issue y2 = issue_ok(dsu, POLICY, QC_APPOINTMENT, NULL, "T2", 0);
	clock_at(60, 0);	/* 10:00 */
	t = call_ok(dsu, sid);
	assert_int_equal(t.id, y1.t.id);
	assert_int_equal(t.called_at, y1.t.issued_at + 20 * 60);
	assert_int_equal(call_ok(dsu, sid).id, y2.t.id);
	assert_int_equal(call_ok(dsu, sid).id, b1.t.id);
	assert_int_equal(call_ok(dsu, sid).id, a2.t.id);

	/* a slot that ended before the call: the normal order, by issue time */
	add_appointment(POLICY, "T3", DAY " 10:00+08", DAY " 10:30+08", NULL);
	clock_at(61, 0);
	struct queue_issue y3 = issue_ok(dsu, POLICY, QC_APPOINTMENT, NULL, "T3", 0);
	clock_at(62, 0);
	struct queue_issue ay = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	clock_at(91, 0);	/* 10:31 */
	assert_int_equal(call_ok(dsu, sid).id, ax.t.id);	/* issued 09:58 */
	assert_int_equal(call_ok(dsu, sid).id, y3.t.id);	/* 10:01 */
	assert_int_equal(call_ok(dsu, sid).id, ay.t.id);	/* 10:02 */
	assert_int_equal(queue_call_next(dsu, sid, &t), QUEUE_EMPTY);
	logout(sid);
}

/* ------------------------------------------------------------------ */
/* the window: transfer, back to the queue, hold, pause, finish        */
/* ------------------------------------------------------------------ */

static void test_transfer_to_window(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1), w2 = login("tq_clerk2", 2), w3;
	long long guide = login("tq_guide", 0);
	struct queue_issue a1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_ticket t = call_ok(dapp, w1);
	struct queue_window win;
	long long mark = audit_mark();

	assert_int_equal(t.id, a1.t.id);
	assert_int_equal(t.window_no, 1);
	assert_int_equal(queue_transfer(dapp, w1, 9), QUEUE_UNKNOWN_WINDOW);	/* no such window */
	assert_int_equal(queue_transfer(dapp, w1, 1), QUEUE_UNKNOWN_WINDOW);	/* itself */
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = false WHERE office_code = '" OFFICE "'"
	    " AND window_no = 4", 0, NULL);
	assert_int_equal(queue_transfer(dapp, w1, 4), QUEUE_UNKNOWN_WINDOW);	/* closed */
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = true WHERE office_code = '" OFFICE "'"
	    " AND window_no = 4", 0, NULL);
	/* window 3: nobody is signed in yet; the ticket waits for its next call */
	assert_int_equal(queue_transfer(dapp, w1, 3), QUEUE_OK);
	assert_int_equal(queue_transfer(dapp, w1, 3), QUEUE_NO_TICKET);
	assert_status(OFFICE, a1.t.id, "waiting");
	assert_int_equal(queue_window_state(dapp, w1, &win), QUEUE_OK);
	assert_int_equal(win.current.id, 0);

	/* window 1 does not get it back */
	assert_int_equal(call_ok(dapp, w1).id, a2.t.id);
	assert_int_equal(queue_transfer(dapp, w1, 0), QUEUE_OK);	/* a2 back to the queue */
	/* no window free: the green ticket waits for the next call */
	assert_int_equal(queue_pause(dapp, w1, NULL), QUEUE_OK);
	assert_int_equal(queue_pause(dapp, w2, NULL), QUEUE_OK);
	struct queue_issue g = issue_ok(dapp, OFFICE, QC_GREEN, NULL, NULL, guide);
	assert_int_equal(g.placed, QP_QUEUE);
	assert_int_equal(queue_resume(dapp, w1), QUEUE_OK);
	assert_int_equal(queue_resume(dapp, w2), QUEUE_OK);

	/* window 3 calls it first, before the green ticket and the older queue */
	w3 = login("tq_clerk3", 3);
	t = call_ok(dapp, w3);
	assert_int_equal(t.id, a1.t.id);
	assert_int_equal(t.window_no, 3);
	/* on to window 2, which also calls it first */
	assert_int_equal(queue_transfer(dapp, w3, 2), QUEUE_OK);
	t = call_ok(dapp, w2);
	assert_int_equal(t.id, a1.t.id);
	assert_string_equal(t.number, a1.t.number);
	assert_int_equal(t.issued_at, a1.t.issued_at);
	assert_int_equal(t.window_no, 2);
	assert_string_equal(t.status, "called");
	assert_int_equal(call_ok(dapp, w1).id, g.t.id);
	assert_int_equal(call_ok(dapp, w1).id, a2.t.id);
	assert_int_equal(audit_count(mark, OFFICE, "queue_transfer", NULL), 3);
	char *obj = ticket_object(OFFICE, a1.t.id);
	assert_int_equal(audit_count(mark, OFFICE, "queue_call", obj), 2);
	free(obj);
	logout(w1);
	logout(w2);
	logout(w3);
	logout(guide);
}

static void test_back_to_queue_keeps_place(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1), w2 = login("tq_clerk2", 2);
	struct queue_issue a1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a3 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_ticket t = call_ok(dapp, w1);

	assert_int_equal(t.id, a1.t.id);
	assert_int_equal(queue_start(dapp, w1, &t), QUEUE_OK);
	assert_int_equal(queue_transfer(dapp, w1, 0), QUEUE_OK);
	assert_status(OFFICE, a1.t.id, "waiting");

	struct queue_counts c;
	assert_int_equal(queue_counts(dapp, OFFICE, &c), QUEUE_OK);
	assert_int_equal(c.waiting[QC_NORMAL], 3);

	/* any window calls it next: it keeps its original time */
	t = call_ok(dapp, w2);
	assert_int_equal(t.id, a1.t.id);
	assert_string_equal(t.number, "A001");
	assert_int_equal(t.issued_at, a1.t.issued_at);
	assert_int_equal(call_ok(dapp, w1).id, a2.t.id);
	assert_int_equal(call_ok(dapp, w2).id, a3.t.id);
	logout(w1);
	logout(w2);
}

static void test_hold_and_resume(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1), w2 = login("tq_clerk2", 2);
	struct queue_issue a1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_ticket t;
	struct queue_window win;

	assert_int_equal(queue_hold(dapp, w1), QUEUE_NO_TICKET);
	call_ok(dapp, w1);
	assert_int_equal(queue_start(dapp, w1, &t), QUEUE_OK);
	assert_int_equal(queue_hold(dapp, w1), QUEUE_OK);
	assert_int_equal(queue_window_state(dapp, w1, &win), QUEUE_OK);
	assert_int_equal(win.current.id, 0);
	assert_int_equal(win.nheld, 1);
	assert_int_equal(win.held[0].id, a1.t.id);
	assert_string_equal(win.held[0].status, "held");

	/* the window is free meanwhile */
	t = call_ok(dapp, w1);
	assert_int_equal(t.id, a2.t.id);
	assert_int_equal(queue_resume_held(dapp, w1, a1.t.id, &t), QUEUE_BUSY);
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_OK);
	/* another window cannot take it */
	assert_int_equal(queue_resume_held(dapp, w2, a1.t.id, &t), QUEUE_NO_TICKET);
	assert_int_equal(queue_resume_held(dapp, w1, a1.t.id, &t), QUEUE_OK);
	assert_int_equal(t.id, a1.t.id);
	assert_string_equal(t.status, "serving");	/* it had started */
	assert_int_equal(queue_window_state(dapp, w1, &win), QUEUE_OK);
	assert_int_equal(win.current.id, a1.t.id);
	assert_int_equal(win.nheld, 0);
	assert_int_equal(queue_resume_held(dapp, w1, a1.t.id, &t), QUEUE_BUSY);
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_OK);
	assert_int_equal(queue_resume_held(dapp, w1, a1.t.id, &t), QUEUE_NO_TICKET);
	assert_status(OFFICE, a1.t.id, "served");
	logout(w1);
	logout(w2);
}

/* The difference between the waiting and held tickets of OFFICE and its
 * rows of yc.ticket_queue (ticket, transfer, held window), both ways. */
static const char *const QUEUE_DIFF =
    "WITH t AS (SELECT ticket_id, transfer_to,"
    "                  CASE WHEN status = 'held' THEN window_no END AS held"
    "             FROM yc.ticket WHERE office_code = '" OFFICE "' AND status IN ('waiting', 'held')),"
    " q AS (SELECT ticket_id, transfer_to, held_window AS held FROM yc.ticket_queue"
    "        WHERE office_code = '" OFFICE "')"
    " SELECT (SELECT count(*) FROM (TABLE t EXCEPT TABLE q) a)"
    "      + (SELECT count(*) FROM (TABLE q EXCEPT TABLE t) b)";

/* yc.ticket_queue matches the tickets and has n rows for OFFICE. */
static void assert_queue_table(long long n)
{
	assert_int_equal(dbt_query_ll(su, QUEUE_DIFF, 0, NULL), 0);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket_queue"
	    " WHERE office_code = '" OFFICE "'", 0, NULL), n);
}

/* The table call-next picks from holds exactly the waiting and held
 * tickets, whoever changed them: the queue's functions or the owner
 * writing yc.ticket by hand. And no index of a ticket has a column a call
 * changes (the calls' updates stay HOT, 0040_ticket_queue). */
static void test_queue_table_follows_tickets(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1), w2 = login("tq_clerk2", 2);
	char x[24], y[24];
	const char *px[] = { x }, *py[] = { y };
	struct queue_ticket t;

	issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	issue_ok(dapp, OFFICE, QC_PRIORITY, NULL, NULL, 0);
	assert_queue_table(3);
	t = call_ok(dapp, w1);
	snprintf(x, sizeof x, "%lld", t.id);
	assert_queue_table(2);
	assert_int_equal(queue_hold(dapp, w1), QUEUE_OK);	/* back in it, held at window 1 */
	assert_queue_table(3);
	assert_int_equal(dbt_query_ll(su, "SELECT held_window FROM yc.ticket_queue"
	    " WHERE office_code = '" OFFICE "' AND ticket_id = $1::bigint", 1, px), 1);
	t = call_ok(dapp, w2);
	snprintf(y, sizeof y, "%lld", t.id);
	assert_queue_table(2);
	assert_int_equal(queue_transfer(dapp, w2, 1), QUEUE_OK);	/* waits for window 1 */
	assert_queue_table(3);
	assert_int_equal(dbt_query_ll(su, "SELECT transfer_to FROM yc.ticket_queue"
	    " WHERE office_code = '" OFFICE "' AND ticket_id = $1::bigint", 1, py), 1);

	/* by hand: cancelled, waiting again, deleted */
	dbt_exec_ok(su, "UPDATE yc.ticket SET status = 'cancelled', transfer_to = NULL,"
	    " finished_at = now() WHERE office_code = '" OFFICE "' AND ticket_id = $1::bigint", 1, py);
	assert_queue_table(2);
	dbt_exec_ok(su, "UPDATE yc.ticket SET status = 'waiting', finished_at = NULL"
	    " WHERE office_code = '" OFFICE "' AND ticket_id = $1::bigint", 1, py);
	assert_queue_table(3);
	dbt_exec_ok(su, "DELETE FROM yc.ticket WHERE office_code = '" OFFICE "' AND ticket_id = $1::bigint",
	    1, py);
	assert_queue_table(2);

	call_ok(dapp, w2);
	assert_queue_table(1);
	assert_int_equal(queue_resume_held(dapp, w1, atoll(x), &t), QUEUE_OK);
	assert_queue_table(0);

	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_index i"
	    " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0"
	    " WHERE i.indrelid = 'yc.ticket'::regclass AND a.attname IN ('status', 'window_no',"
	    "   'transfer_to', 'called_at', 'started_at', 'finished_at', 'last_called_at', 'recalls')"
	    "   AND (a.attnum = ANY (i.indkey::int2[])"
	    "        OR coalesce(pg_get_expr(i.indpred, i.indrelid), '')"
	    "           || coalesce(pg_get_expr(i.indexprs, i.indrelid), '') ~ ('\\m' || a.attname || '\\M'))",
	    0, NULL), 0);
	logout(w1);
	logout(w2);
}

/* A call reads and writes the tickets of the months around today only
 * (yc.ticket_recent, 0041_ticket_partitions): however many months of
 * tickets there are, its statements open no partition of another month,
 * not even once the connection has made enough calls to keep their plans
 * (a cached plan on yc.ticket itself would hold every month's). And a
 * ticket of a day outside those months is called all the same. */
static void test_call_reads_recent_months(void **state)
{
	(void)state;
	long long w = dbt_login(app, "tq_clerk1", TQ_PASSWORD, 1, "tests/db/queue");
	char sid[24], *parts, *want;
	const char *p[] = { sid }, *pp[2];
	struct queue_issue old;

	snprintf(sid, sizeof sid, "%lld", w);
	/* months outside the recent ones exist (the history suite's, 200305
	 * and on, or this one's) */
	dbt_exec_ok(su, "SELECT yc.history_partition_make('ticket', '2001-02-01')", 0, NULL);
	for (int i = 0; i < 10; i++)
		issue_ok(dapp, OFFICE, i % 3 == 0 ? QC_PRIORITY : QC_NORMAL, NULL, NULL, 0);
	for (int i = 0; i < 8; i++)
		dbt_assert_query(app, "ok", "SELECT result FROM yc.queue_call_next($1::bigint)", 1, p);
	dbt_exec_ok(app, "BEGIN", 0, NULL);
	dbt_assert_query(app, "ok", "SELECT result FROM yc.queue_call_next($1::bigint)", 1, p);
	parts = dbt_query_str(app, "SELECT string_agg(DISTINCT c.relname, ',' ORDER BY c.relname)"
	    " FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
	    " WHERE l.pid = pg_backend_pid() AND c.relkind = 'r'"
	    "   AND c.relname ~ '^ticket_([0-9]{6}|default)$'", 0, NULL);
	dbt_exec_ok(app, "COMMIT", 0, NULL);
	/* the recent months: today's and the next */
	want = dbt_query_str(su, "SELECT string_agg('ticket_' || to_char(m, 'YYYYMM'), ',' ORDER BY m)"
	    " FROM generate_series(date_trunc('month', yc.queue_day(now())),"
	    "  date_trunc('month', yc.queue_day(now())) + interval '1 month', interval '1 month') m"
	    " WHERE to_regclass('yc.ticket_' || to_char(m, 'YYYYMM')) IS NOT NULL", 0, NULL);
	/* each of them (a plan made for the day holds today's month alone, a
	 * kept one all the recent months), and always today's month */
	pp[0] = parts;
	pp[1] = want;
	dbt_assert_query(su, "true", "SELECT (string_to_array($1, ',') <@ string_to_array($2, ',')"
	    " AND 'ticket_' || to_char(yc.queue_day(now()), 'YYYYMM') = ANY (string_to_array($1, ',')))::text",
	    2, pp);
	free(parts);
	free(want);
	dbt_logout(app, w);

	/* a ticket of 2025 (the test clock): outside them, called as well */
	reset_office(POLICY);
	clock_at(0, 0);
	w = login("tq_pol1", 1);
	old = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(call_ok(dsu, w).id, old.t.id);
	assert_status(POLICY, old.t.id, "called");
	assert_int_equal(queue_finish(dsu, w, true), QUEUE_OK);
	assert_status(POLICY, old.t.id, "served");
	logout(w);
}

static void test_pause_blocks_calling(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1);
	struct queue_ticket t;
	struct queue_window win;
	long long mark = audit_mark();

	issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	call_ok(dapp, w1);
	assert_int_equal(queue_pause(dapp, w1, "午休"), QUEUE_BUSY);
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_OK);
	assert_int_equal(queue_pause(dapp, w1, "午休"), QUEUE_OK);
	assert_int_equal(queue_window_state(dapp, w1, &win), QUEUE_OK);
	assert_true(win.paused);
	assert_string_equal(win.pause_reason, "午休");
	assert_int_equal(queue_call_next(dapp, w1, &t), QUEUE_PAUSED);
	assert_int_equal(t.id, 0);
	assert_status(OFFICE, a2.t.id, "waiting");
	assert_int_equal(queue_resume(dapp, w1), QUEUE_OK);
	assert_int_equal(queue_window_state(dapp, w1, &win), QUEUE_OK);
	assert_false(win.paused);
	assert_string_equal(win.pause_reason, "");
	assert_int_equal(call_ok(dapp, w1).id, a2.t.id);
	assert_int_equal(audit_count(mark, OFFICE, "queue_pause", "window:" OFFICE "/1"), 1);
	assert_int_equal(audit_count(mark, OFFICE, "queue_resume", "window:" OFFICE "/1"), 1);

	/* a long reason is cut at a character boundary */
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_OK);
	assert_int_equal(queue_pause(dapp, w1, "系统故障等待维修人员到场处理预计需要半小时左右"), QUEUE_OK);
	assert_int_equal(queue_window_state(dapp, w1, &win), QUEUE_OK);
	assert_true(strlen(win.pause_reason) < sizeof win.pause_reason);
	assert_int_equal(strlen(win.pause_reason) % 3, 0);
	assert_int_equal(queue_resume(dapp, w1), QUEUE_OK);
	logout(w1);
}

static void test_no_show_and_final_states(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1);
	struct queue_issue a1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue a3 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_ticket t;
	long long mark = audit_mark();

	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_NO_TICKET);
	assert_int_equal(queue_start(dapp, w1, &t), QUEUE_NO_TICKET);
	call_ok(dapp, w1);
	assert_int_equal(queue_start(dapp, w1, &t), QUEUE_OK);
	assert_string_equal(t.status, "serving");
	assert_true(t.started_at >= t.called_at && t.called_at >= t.issued_at);
	assert_int_equal(queue_finish(dapp, w1, false), QUEUE_NOT_CALLED);	/* started */
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_OK);
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_NO_TICKET);	/* once */

	call_ok(dapp, w1);
	assert_int_equal(queue_recall(dapp, w1, &t), QUEUE_OK);
	assert_int_equal(t.recalls, 1);
	assert_int_equal(queue_finish(dapp, w1, false), QUEUE_OK);	/* 过号 */
	assert_int_equal(queue_finish(dapp, w1, false), QUEUE_NO_TICKET);

	/* call-next ends the current ticket as served */
	call_ok(dapp, w1);
	assert_int_equal(queue_call_next(dapp, w1, &t), QUEUE_EMPTY);
	assert_status(OFFICE, a3.t.id, "served");

	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE
	    "' AND finished_at IS NOT NULL AND called_at IS NOT NULL"
	    " AND status IN ('served', 'no_show')", 0, NULL), 3);
	assert_status(OFFICE, a1.t.id, "served");
	assert_status(OFFICE, a2.t.id, "no_show");
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE
	    "' AND status = 'no_show' AND started_at IS NULL", 0, NULL), 1);
	/* exactly one final audit row per ticket */
	for (int i = 0; i < 3; i++) {
		long long id = i == 0 ? a1.t.id : i == 1 ? a2.t.id : a3.t.id;
		char *obj = ticket_object(OFFICE, id);

		assert_int_equal(audit_count(mark, OFFICE, "queue_finish", obj), 1);
		assert_int_equal(audit_count(mark, OFFICE, "queue_call", obj), 1);
		free(obj);
	}
	char *obj = ticket_object(OFFICE, a2.t.id);
	assert_int_equal(audit_count(mark, OFFICE, "queue_recall", obj), 1);
	free(obj);
	logout(w1);
}

static void test_window_sessions(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1), guide = login("tq_guide", 0);
	struct queue_ticket t;
	struct queue_window win;

	issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	/* a session without a window does not call */
	assert_int_equal(queue_call_next(dapp, guide, &t), QUEUE_NOT_ALLOWED);
	logout(w1);
	assert_int_equal(queue_call_next(dapp, w1, &t), QUEUE_NO_SESSION);
	assert_int_equal(queue_window_state(dapp, w1, &win), QUEUE_NO_SESSION);
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_NO_SESSION);
	assert_int_equal(queue_pause(dapp, w1, "x"), QUEUE_NO_SESSION);
	assert_int_equal(queue_call_next(dapp, 0, &t), QUEUE_NO_SESSION);

	/* the current ticket belongs to the window, not to the session */
	w1 = login("tq_clerk1", 1);
	struct queue_ticket c = call_ok(dapp, w1);
	logout(w1);
	long long w1b = login("tq_clerk3", 1);
	assert_int_equal(queue_window_state(dapp, w1b, &win), QUEUE_OK);
	assert_int_equal(win.current.id, c.id);

	/* a window never has two current tickets, whoever writes */
	issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	dbt_expect_sqlstate(su, "23505", "UPDATE yc.ticket SET status = 'called', window_no = 1,"
	    " called_at = issued_at WHERE office_code = '" OFFICE "' AND status = 'waiting'");
	logout(w1b);
	logout(guide);
}

/* ------------------------------------------------------------------ */
/* reading: counts, recent calls                                       */
/* ------------------------------------------------------------------ */

static void test_counts_and_recent_calls(void **state)
{
	(void)state;
	long long w1 = login("tq_pol1", 1), w2 = login("tq_pol2", 2);
	struct queue_counts c;
	struct queue_call calls[8];
	enum queue_result r;

	clock_at(0, 0);
	assert_int_equal(queue_recent_calls(dsu, POLICY, calls, 8, &r), 0);
	assert_int_equal(r, QUEUE_OK);
	issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);		/* A001 09:00 */
	clock_at(3, 0);
	issue_ok(dsu, POLICY, QC_PRIORITY, NULL, NULL, 0);	/* B001 09:03 */
	issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);		/* A002 */
	clock_at(10, 30);
	assert_int_equal(queue_counts(dsu, POLICY, &c), QUEUE_OK);
	assert_int_equal(c.waiting[QC_NORMAL], 2);
	assert_int_equal(c.waiting[QC_PRIORITY], 1);
	assert_int_equal(c.waiting[QC_GREEN], 0);
	assert_int_equal(c.waiting[QC_APPOINTMENT], 0);
	assert_int_equal(c.longest_wait_seconds[QC_NORMAL], 630);
	assert_int_equal(c.longest_wait_seconds[QC_PRIORITY], 450);
	assert_int_equal(c.longest_wait_seconds[QC_GREEN], 0);
	assert_int_equal(c.target_minutes, 20);
	assert_string_equal(c.office_name, "叫号策略测试街道");
	dbt_exec_ok(su, "INSERT INTO yc.queue_config (office_code, target_minutes) VALUES ('" POLICY
	    "', 25)", 0, NULL);
	assert_int_equal(queue_counts(dsu, POLICY, &c), QUEUE_OK);
	assert_int_equal(c.target_minutes, 25);
	assert_int_equal(queue_counts(dsu, "360981999", &c), QUEUE_UNKNOWN_OFFICE);

	/* credit 15: B001 (09:03 - 15 min) before A001 (09:00) */
	assert_string_equal(call_ok(dsu, w1).number, "B001");
	clock_at(11, 0);
	assert_string_equal(call_ok(dsu, w2).number, "A001");
	clock_at(12, 0);
	assert_string_equal(call_ok(dsu, w1).number, "A002");
	clock_at(13, 0);
	struct queue_ticket t;
	assert_int_equal(queue_recall(dsu, w2, &t), QUEUE_OK);

	int n = queue_recent_calls(dsu, POLICY, calls, 8, &r);
	assert_int_equal(r, QUEUE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(calls[0].number, "A001");	/* recalled: newest */
	assert_int_equal(calls[0].window_no, 2);
	assert_string_equal(calls[1].number, "A002");
	assert_int_equal(calls[1].window_no, 1);
	assert_string_equal(calls[2].number, "B001");
	assert_true(calls[0].called_at > calls[1].called_at && calls[1].called_at > calls[2].called_at);
	assert_int_equal(queue_recent_calls(dsu, POLICY, calls, 2, &r), 2);
	assert_int_equal(queue_recent_calls(dsu, "360981999", calls, 2, &r), 0);
	assert_int_equal(r, QUEUE_UNKNOWN_OFFICE);
	assert_int_equal(queue_counts(dsu, POLICY, &c), QUEUE_OK);
	assert_int_equal(c.waiting[QC_NORMAL] + c.waiting[QC_PRIORITY], 0);
	assert_int_equal(c.longest_wait_seconds[QC_NORMAL], 0);
	logout(w1);
	logout(w2);
}

static void test_estimated_wait(void **state)
{
	(void)state;
	long long w1 = login("tq_pol1", 1), w2 = login("tq_pol2", 2);
	struct queue_ticket t;

	/* two services of 4 and 6 minutes: 5 minutes on average */
	clock_at(0, 0);
	issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	call_ok(dsu, w1);
	call_ok(dsu, w2);
	clock_at(1, 0);
	assert_int_equal(queue_start(dsu, w1, &t), QUEUE_OK);
	assert_int_equal(queue_start(dsu, w2, &t), QUEUE_OK);
	clock_at(5, 0);
	assert_int_equal(queue_finish(dsu, w1, true), QUEUE_OK);
	clock_at(7, 0);
	assert_int_equal(queue_finish(dsu, w2, true), QUEUE_OK);
	/* the average is of services, not waits: a 4-minute wait changes nothing */
	issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	clock_at(11, 0);
	call_ok(dsu, w1);
	assert_int_equal(queue_finish(dsu, w1, false), QUEUE_OK);	/* no-show: not counted */

	for (int i = 0; i < 3; i++)
		issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	/* 3 ahead x 5 min / 2 windows = 7.5 -> 8 */
	struct queue_issue is = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(is.ahead, 3);
	assert_int_equal(is.est_wait_minutes, 8);
	logout(w2);
	/* one window open: 4 ahead x 5 min */
	is = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(is.ahead, 4);
	assert_int_equal(is.est_wait_minutes, 20);
	logout(w1);
}

/* ------------------------------------------------------------------ */
/* audit and NOTIFY                                                    */
/* ------------------------------------------------------------------ */

static void test_notify(void **state)
{
	(void)state;
	PGconn *listener = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));
	struct db *board = db_open(getenv("YC_TEST_APP_CONNINFO"));
	char buf[4096], chan[40], id[19];
	long long w1 = login("tq_clerk1", 1);
	struct queue_ticket t;

	assert_int_equal(PQstatus(listener), CONNECTION_OK);
	queue_channel(OFFICE, chan);
	assert_string_equal(chan, "yc_queue_360981007");
	PQclear(PQexec(listener, "LISTEN yc_queue_360981007"));

	/* queue_listen accepts office codes only */
	assert_int_equal(queue_listen(board, OFFICE), QUEUE_OK);
	assert_int_equal(queue_listen(board, "360981007; DROP TABLE yc.ticket"), QUEUE_UNKNOWN_OFFICE);
	assert_int_equal(queue_listen(board, "36098"), QUEUE_UNKNOWN_OFFICE);
	assert_int_equal(queue_listen(board, ""), QUEUE_UNKNOWN_OFFICE);

	dbt_make_id(id, "19500101", 31);
	struct queue_issue a = issue_ok(dapp, OFFICE, QC_NORMAL, id, NULL, 0);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 1);
	assert_string_equal(buf, "yc_queue_360981007 {\"e\" : \"issue\", \"n\" : \"B001\", \"w\" : null}\n");
	assert_null(strstr(buf, id));

	call_ok(dapp, w1);
	assert_int_equal(queue_recall(dapp, w1, &t), QUEUE_OK);
	assert_int_equal(queue_start(dapp, w1, &t), QUEUE_OK);
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_OK);
	assert_int_equal(dbt_read_notifies(listener, 4, buf, sizeof buf), 4);
	assert_string_equal(buf,
	    "yc_queue_360981007 {\"e\" : \"call\", \"n\" : \"B001\", \"w\" : 1}\n"
	    "yc_queue_360981007 {\"e\" : \"recall\", \"n\" : \"B001\", \"w\" : 1}\n"
	    "yc_queue_360981007 {\"e\" : \"start\", \"n\" : \"B001\", \"w\" : 1}\n"
	    "yc_queue_360981007 {\"e\" : \"finish\", \"n\" : \"B001\", \"w\" : 1}\n");
	assert_int_equal(queue_pause(dapp, w1, "午休"), QUEUE_OK);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 1);
	assert_string_equal(buf, "yc_queue_360981007 {\"e\" : \"pause\", \"n\" : null, \"w\" : 1}\n");
	assert_int_equal(queue_resume(dapp, w1), QUEUE_OK);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 1);

	/* a refusal changes nothing and announces nothing */
	assert_int_equal(queue_finish(dapp, w1, true), QUEUE_NO_TICKET);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 0);

	/* call-next announces once per call, after its commit: the ticket
	 * called (not the one it finished), or, when it finds the queue empty
	 * after finishing one, that one; nothing when it changed nothing */
	char want[160];
	struct queue_issue n1 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	struct queue_issue n2 = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(dbt_read_notifies(listener, 2, buf, sizeof buf), 2);
	call_ok(dapp, w1);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 1);
	snprintf(want, sizeof want, "yc_queue_360981007 {\"e\" : \"call\", \"n\" : \"%s\", \"w\" : 1}\n",
	    n1.t.number);
	assert_string_equal(buf, want);
	call_ok(dapp, w1);
	assert_int_equal(dbt_read_notifies(listener, 2, buf, sizeof buf), 1);
	snprintf(want, sizeof want, "yc_queue_360981007 {\"e\" : \"call\", \"n\" : \"%s\", \"w\" : 1}\n",
	    n2.t.number);
	assert_string_equal(buf, want);
	assert_int_equal(queue_call_next(dapp, w1, &t), QUEUE_EMPTY);
	assert_int_equal(dbt_read_notifies(listener, 2, buf, sizeof buf), 1);
	snprintf(want, sizeof want, "yc_queue_360981007 {\"e\" : \"finish\", \"n\" : \"%s\", \"w\" : 1}\n",
	    n2.t.number);
	assert_string_equal(buf, want);
	assert_int_equal(queue_call_next(dapp, w1, &t), QUEUE_EMPTY);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 0);
	/* the setting the call leaves is used once: announcing again sends nothing */
	assert_int_equal(db_exec(dapp, "SELECT yc.queue_call_announce()", 0, NULL), DB_OK);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 0);

	/* another office's channel stays quiet */
	issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 0);

	/* the issue audit row names neither the ID number nor the person */
	char *obj = ticket_object(OFFICE, a.t.id);
	const char *p[] = { obj, id };
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
	    " AND action = 'queue_issue' AND (after->>'has_id')::boolean AND (after->>'senior')::boolean"
	    " AND strpos(after::text, $2) = 0", 2, p), 1);
	free(obj);
	db_close(&board);
	PQfinish(listener);
	logout(w1);
}

/* ------------------------------------------------------------------ */
/* privileges and the clock                                            */
/* ------------------------------------------------------------------ */

static void test_app_cannot_write_queue_tables(void **state)
{
	(void)state;
	issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.ticket SET status = 'served'");
	dbt_expect_sqlstate(app, "42501", "DELETE FROM yc.ticket");
	dbt_expect_sqlstate(app, "42501", "INSERT INTO yc.ticket (office_code, day, class, seq, number)"
	    " VALUES ('" OFFICE "', '2000-01-03', 'normal', 1, 'A001')");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.ticket_counter SET last_seq = 1");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.window_state SET state = 'idle'");
	dbt_expect_sqlstate(app, "42501", "INSERT INTO yc.appointment (office_code, code, slot_start,"
	    " slot_end) VALUES ('" OFFICE "', 'X', now(), now() + interval '1 hour')");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.queue_config SET policy = 'strict'");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.appointment");
	/* internal helpers are not callable */
	dbt_expect_sqlstate(app, "42501", "SELECT yc.queue_cancel_stale('" OFFICE "', '2100-01-01', now())");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.queue_take('" OFFICE "', current_date, 1, 'normal', now())");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.now()");

	/* every queue function is SECURITY DEFINER with a pinned search_path,
	 * and none is executable by PUBLIC */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname LIKE 'queue\\_%'"
	    " AND has_function_privilege('yichuang_app', p.oid, 'EXECUTE')"
	    " AND p.prosecdef AND 'search_path=yc, pg_temp' = ANY(p.proconfig)", 0, NULL), 14);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc'"
	    " AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a"
	    "   WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))", 0, NULL), 0);
}

static void test_app_cannot_fake_clock(void **state)
{
	(void)state;
	/* the application role may set the variable; it has no effect */
	assert_int_equal(db_exec(dapp, "SELECT set_config('yc.test_now', '2001-02-03 04:05+08', false)",
	    0, NULL), DB_OK);
	struct queue_issue a = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_true(llabs((long long)(a.t.issued_at - time(NULL))) < 120);
	assert_int_equal(db_exec(dapp, "SET yc.test_now = '2001-02-03 04:05+08'", 0, NULL), DB_OK);
	a = issue_ok(dapp, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_true(llabs((long long)(a.t.issued_at - time(NULL))) < 120);
	assert_int_equal(db_exec(dapp, "RESET yc.test_now", 0, NULL), DB_OK);

	/* a superuser session may */
	clock_at(0, 0);
	a = issue_ok(dsu, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_int_equal(a.t.issued_at, 1740963600);	/* 2025-03-03 09:00 +08 */
	assert_string_equal(a.t.number, "A001");	/* that day's first */
	/* ... but not after becoming the application role for its session */
	assert_int_equal(db_exec(dsu, "SET SESSION AUTHORIZATION yichuang_app", 0, NULL), DB_OK);
	a = issue_ok(dsu, OFFICE, QC_NORMAL, NULL, NULL, 0);
	assert_true(llabs((long long)(a.t.issued_at - time(NULL))) < 120);
	assert_int_equal(db_exec(dsu, "RESET SESSION AUTHORIZATION", 0, NULL), DB_OK);
	dbt_clock(dsu, "");
}

/* ------------------------------------------------------------------ */
/* indexes: every query a screen runs on refresh, and call-next        */
/* ------------------------------------------------------------------ */

static void collect_notice(void *arg, const PGresult *res)
{
	char **acc = arg;
	const char *msg = PQresultErrorMessage(res);
	size_t old = *acc != NULL ? strlen(*acc) : 0;
	char *n = realloc(*acc, old + strlen(msg) + 1);

	assert_non_null(n);
	memcpy(n + old, msg, strlen(msg) + 1);
	*acc = n;
}

static void test_refresh_queries_use_indexes(void **state)
{
	(void)state;
	long long w1 = login("tq_clerk1", 1), w2 = login("tq_clerk2", 2), guide = login("tq_guide", 0);
	PGconn *c = PQconnectdb("");
	char *plans = NULL, sid[24], gsid[24];
	const char *p[] = { sid }, *gp[] = { gsid };

	for (int i = 0; i < 5; i++)
		issue_ok(dapp, OFFICE, i % 2 ? QC_PRIORITY : QC_NORMAL, NULL, NULL, 0);
	call_ok(dapp, w1);
	call_ok(dapp, w2);
	snprintf(sid, sizeof sid, "%lld", w1);
	snprintf(gsid, sizeof gsid, "%lld", guide);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PQsetNoticeReceiver(c, collect_notice, &plans);
	/* auto_explain shows the plan of every statement inside the functions;
	 * with sequential scans disabled, one still chosen has no index to use */
	dbt_exec_ok(c, "LOAD 'auto_explain'", 0, NULL);
	dbt_exec_ok(c, "SET auto_explain.log_min_duration = 0", 0, NULL);
	dbt_exec_ok(c, "SET auto_explain.log_nested_statements = on", 0, NULL);
	dbt_exec_ok(c, "SET auto_explain.log_level = 'notice'", 0, NULL);
	dbt_exec_ok(c, "SET client_min_messages = notice", 0, NULL);
	dbt_exec_ok(c, "SET enable_seqscan = off", 0, NULL);
	dbt_exec_ok(c, "SELECT * FROM yc.queue_counts('" OFFICE "')", 0, NULL);
	dbt_exec_ok(c, "SELECT * FROM yc.queue_recent_calls('" OFFICE "', 10)", 0, NULL);
	dbt_exec_ok(c, "SELECT * FROM yc.queue_window_state($1::bigint)", 1, p);
	dbt_exec_ok(c, "SELECT * FROM yc.queue_call_next($1::bigint)", 1, p);
	dbt_exec_ok(c, "SELECT * FROM yc.queue_issue('" OFFICE "', 'normal', NULL, NULL, NULL, 't', NULL)",
	    0, NULL);
	dbt_exec_ok(c, "SELECT * FROM yc.queue_recall($1::bigint)", 1, p);
	dbt_exec_ok(c, "SELECT yc.queue_finish($1::bigint, true)", 1, p);
	/* a green ticket looks for the free window (window 1, idle now) */
	dbt_exec_ok(c, "SELECT * FROM yc.queue_issue('" OFFICE "', 'green', NULL, NULL, $1::bigint, 't', NULL)",
	    1, gp);
	dbt_exec_ok(c, "SELECT * FROM yc.queue_issue('" OFFICE "', 'green', NULL, NULL, $1::bigint, 't', 2)",
	    1, gp);
	assert_non_null(plans);
	assert_non_null(strstr(plans, "Index"));
	for (const char *t = plans; (t = strstr(t, "Seq Scan on ")) != NULL; t++) {
		const char *rel = t + strlen("Seq Scan on ");

		static const char *const big[] = {
			"ticket", "staff_session", "window_state", "audit_log", "appointment", "staff ",
		};

		for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
			if (strncmp(rel, big[i], strlen(big[i])) == 0)
				print_error("# sequential scan: %.300s\n", t);
			assert_false(strncmp(rel, big[i], strlen(big[i])) == 0);
		}
	}
	free(plans);
	PQfinish(c);
	logout(w1);
	logout(w2);
	logout(guide);
}

/* ------------------------------------------------------------------ */
/* the calling policies under a controlled clock                       */
/* ------------------------------------------------------------------ */

static void set_policy(const char *policy, int param)
{
	char v[16];
	const char *p[] = { policy, v };

	snprintf(v, sizeof v, "%d", param);
	dbt_exec_ok(su, "INSERT INTO yc.queue_config (office_code, policy, ratio_n, credit_minutes)"
	    " VALUES ('" POLICY "', $1, CASE WHEN $1 = 'ratio' THEN $2::int ELSE 3 END,"
	    " CASE WHEN $1 = 'credit' THEN $2::int ELSE 15 END)"
	    " ON CONFLICT (office_code) DO UPDATE SET policy = EXCLUDED.policy,"
	    " ratio_n = EXCLUDED.ratio_n, credit_minutes = EXCLUDED.credit_minutes", 2, p);
}

/*
 * The stream of the brief: a backlog of 5 priority tickets at 09:00, then
 * every minute one priority ticket issued and one call; a single normal
 * ticket issued at minute 2 (after that minute's priority ticket). Returns
 * the minute the normal ticket was called, or -1 if not within `minutes`.
 * *calls: how many calls it took, counted from its issue.
 */
static int single_normal_in_priority_stream(int minutes, int *calls, int *ahead)
{
	long long sid = login("tq_pol1", 1);
	long long normal = 0;
	int called = -1;

	*calls = 0;
	clock_at(0, 0);
	for (int i = 0; i < 5; i++)
		issue_ok(dsu, POLICY, QC_PRIORITY, NULL, NULL, 0);
	for (int m = 0; m < minutes && called < 0; m++) {
		clock_at(m, 0);
		issue_ok(dsu, POLICY, QC_PRIORITY, NULL, NULL, 0);
		if (m == 2) {
			struct queue_issue is = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);

			normal = is.t.id;
			*ahead = is.ahead;
		}
		clock_at(m, 30);
		struct queue_ticket t = call_ok(dsu, sid);
		if (normal != 0)
			++*calls;
		if (t.id == normal)
			called = m;
	}
	logout(sid);
	return called;
}

static void test_policy_strict_starves_normal(void **state)
{
	(void)state;
	int calls, ahead;

	set_policy("strict", 0);
	/* strict gives no bound for normal tickets: two hours, still waiting */
	assert_int_equal(single_normal_in_priority_stream(120, &calls, &ahead), -1);
	assert_int_equal(calls, 118);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" POLICY
	    "' AND class = 'normal' AND status = 'waiting'", 0, NULL), 1);
	/* ... while every priority ticket was called in issue order */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM (SELECT seq, row_number() OVER"
	    " (ORDER BY called_at) AS k FROM yc.ticket WHERE office_code = '" POLICY "'"
	    " AND class = 'priority' AND called_at IS NOT NULL) x WHERE seq <> k", 0, NULL), 0);
}

static void test_policy_ratio_bound(void **state)
{
	(void)state;
	for (int n = 1; n <= 4; n++) {
		int calls, ahead, m;

		reset_office(POLICY);
		set_policy("ratio", n);
		m = single_normal_in_priority_stream(60, &calls, &ahead);
		/* called within N + 1 calls, and not earlier: the bound is tight */
		assert_true(m >= 0);
		assert_int_equal(calls, n + 1);
		/* on its slip: N of the 6 priority tickets waiting go before it */
		assert_int_equal(ahead, n);
	}
}

static void test_policy_credit_bound(void **state)
{
	(void)state;
	int calls, ahead, m;

	set_policy("credit", 15);
	m = single_normal_in_priority_stream(60, &calls, &ahead);
	/* issued at minute 2: wait <= M + calls owed to those ahead */
	assert_true(m >= 0);
	assert_true(m - 2 <= 15 + ahead);
	/* ... and the priority tickets did go first for M minutes */
	assert_true(m - 2 >= 15);
}

/*
 * A long mixed stream, checked ticket by ticket against the written
 * guarantees: 180 minutes; every minute a priority ticket, every 7th minute
 * a normal ticket, one call per minute. The window cannot keep up (the
 * queue grows by one ticket every 7 minutes): strict would never call a
 * normal ticket here.
 */
struct simticket {
	long long id;
	int minute;		/* issued */
	int ahead;		/* on its slip */
	int normals_ahead;	/* normal tickets still waiting when it was issued */
	int prio_later;		/* priority tickets issued in (t, t + M) */
	int call_no;		/* the office's call count when issued */
	int called_minute, called_call;
};

static void run_mixed_stream(const char *policy, int param, struct simticket *nt, int *nn,
    int minutes)
{
	long long sid = login("tq_pol1", 1);
	int calls = 0, prio_minutes[400], np = 0;

	set_policy(policy, param);
	*nn = 0;
	for (int m = 0; m < minutes; m++) {
		clock_at(m, 0);
		issue_ok(dsu, POLICY, QC_PRIORITY, NULL, NULL, 0);
		prio_minutes[np++] = m;
		if (m % 7 == 0) {
			struct queue_issue is = issue_ok(dsu, POLICY, QC_NORMAL, NULL, NULL, 0);
			struct simticket *s = &nt[(*nn)++];

			memset(s, 0, sizeof *s);
			s->id = is.t.id;
			s->minute = m;
			s->ahead = is.ahead;
			s->call_no = calls;
			s->called_minute = -1;
			for (int i = 0; i < *nn - 1; i++)
				if (nt[i].called_minute < 0)
					s->normals_ahead++;
		}
		struct queue_ticket t;

		clock_at(m, 30);
		if (queue_call_next(dsu, sid, &t) != QUEUE_OK)
			continue;
		calls++;
		for (int i = 0; i < *nn; i++)
			if (nt[i].id == t.id) {
				nt[i].called_minute = m;
				nt[i].called_call = calls;
			}
	}
	for (int i = 0; i < *nn; i++)
		for (int j = 0; j < np; j++)
			if (prio_minutes[j] > nt[i].minute && prio_minutes[j] < nt[i].minute + param)
				nt[i].prio_later++;
	logout(sid);
}

static void test_policy_credit_bound_mixed(void **state)
{
	(void)state;
	struct simticket nt[64];
	int nn, checked = 0;
	const int M = 15;

	run_mixed_stream("credit", M, nt, &nn, 180);
	for (int i = 0; i < nn; i++) {
		if (nt[i].called_minute < 0) {
			/* only those issued too late to be due yet may still wait */
			assert_true(nt[i].minute + M + nt[i].ahead >= 180);
			continue;
		}
		int calls = nt[i].called_call - nt[i].call_no;
		int wait = nt[i].called_minute - nt[i].minute;

		if (calls > nt[i].ahead + nt[i].prio_later + 1 || wait > M + nt[i].ahead)
			print_error("# ticket issued at %d: %d calls, wait %d, ahead %d, later %d\n",
			    nt[i].minute, calls, wait, nt[i].ahead, nt[i].prio_later);
		assert_true(calls <= nt[i].ahead + nt[i].prio_later + 1);
		assert_true(wait <= M + nt[i].ahead);
		checked++;
	}
	assert_true(checked >= 20);
}

static void test_policy_ratio_bound_mixed(void **state)
{
	(void)state;
	struct simticket nt[64];
	int nn, checked = 0;
	const int N = 3;

	run_mixed_stream("ratio", N, nt, &nn, 180);
	for (int i = 0; i < nn; i++) {
		assert_true(nt[i].called_minute >= 0 || nt[i].minute > 150);
		if (nt[i].called_minute < 0)
			continue;
		int calls = nt[i].called_call - nt[i].call_no;

		assert_true(calls <= (nt[i].normals_ahead + 1) * (N + 1));
		checked++;
	}
	assert_true(checked >= 20);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_numbering),
		T(test_senior_priority),
		T(test_green_requires_guide),
		T(test_green_guide_desk_by_tier),
		T(test_green_township_clerk),
		T(test_green_city_clerk_refused),
		T(test_green_guide_chooses_window),
		T(test_green_next_free_window),
		T(test_green_busy_window_reserved),
		T(test_green_bad_window),
		T(test_appointment),
		T(test_transfer_to_window),
		T(test_back_to_queue_keeps_place),
		T(test_hold_and_resume),
		T(test_queue_table_follows_tickets),
		T(test_call_reads_recent_months),
		T(test_pause_blocks_calling),
		T(test_no_show_and_final_states),
		T(test_window_sessions),
		T(test_counts_and_recent_calls),
		T(test_estimated_wait),
		T(test_notify),
		T(test_app_cannot_write_queue_tables),
		T(test_app_cannot_fake_clock),
		T(test_refresh_queries_use_indexes),
		T(test_policy_strict_starves_normal),
		T(test_policy_ratio_bound),
		T(test_policy_credit_bound),
		T(test_policy_credit_bound_mixed),
		T(test_policy_ratio_bound_mixed),
	};
	return cmocka_run_group_tests_name("db_queue", tests, group_setup, group_teardown);
}
