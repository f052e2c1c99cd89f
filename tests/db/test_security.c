/*
 * No client reaches beyond its role, and sign-ins never race (issue 19,
 * points 2, 3, 6 and two of 11), tried as the application roles do:
 *
 *   sign-ins     a sign-in whose transaction began before another sign-in
 *                of the same staff (or at the same window) committed;
 *                eight sign-ins of one staff and five staff at one window
 *                queued on one lock in the order that makes each end a
 *                session begun after it: every one succeeds and the
 *                sessions never overlap; the replaced session's channel
 *                announces the end (yc_session_ID), yc.session_check
 *   persons      only roles that take cases register or change a person;
 *                every lookup audited; a guide, reviewer or administrator
 *                gets the bank card of a case masked (case_form,
 *                stage_case)
 *   roles        the kiosk role may issue tickets and read the board and
 *                nothing else (no staff list, no sign-in, no table); no
 *                application role reads another's queries or signals its
 *                backend; the other databases refuse them; a stranger's
 *                wrong passwords lock an account at the stranger's
 *                terminal only, several terminals the account itself
 *   audit        a password typed into the staff field is not kept; a
 *                session id used on another connection is audited with
 *                the function called
 *
 * Environment as for every db suite (tests/run.sh), and
 *   YC_TEST_KIOSK_CONNINFO   the kiosk role (yichuang_kiosk)
 *
 * Office 360969 (windows 1-4) and staff sec_* of its own; persons with
 * sequence numbers 919 and 920.
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
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/cases.h"
#include "store/db.h"

#define CITY "360969"
#define SEC_PASSWORD "Sec-Pass-77"
#define T_CLINIC "002036006001"	/* 门诊费用报销: a bank_card field */
#define CARD "6222021234567890128"	/* what dbt_form puts in a bankcard field */
#define CARD_MASKED "622202*********0128"

static PGconn *su;		/* superuser: fixtures and checks */
static PGconn *app;		/* yichuang_app */
static PGconn *kiosk;		/* yichuang_kiosk */
static struct db *dsu;		/* superuser through the store */
static char p1[19], p2[19];

static const char *const staff_rows[][3] = {
	{ "sec_clerk", "clerk", CITY }, { "sec_clerk2", "clerk", CITY },
	{ "sec_clerk3", "clerk", CITY }, { "sec_clerk4", "clerk", CITY },
	{ "sec_clerk5", "clerk", CITY }, { "sec_super", "supervisor", CITY },
	{ "sec_guide", "guide", CITY }, { "sec_review", "reviewer", CITY },
	{ "sec_admin", "admin", CITY }, { "sec_lock", "clerk", CITY },
};

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static PGconn *connect_to(const char *env)
{
	PGconn *c = PQconnectdb(getenv(env) != NULL ? getenv(env) : "dbname=nonexistent");

	if (PQstatus(c) != CONNECTION_OK)
		print_error("# %s: %s", env, PQerrorMessage(c));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

static PGconn *app_conn(void)
{
	return connect_to("YC_TEST_APP_CONNINFO");
}

#define LOGIN_SQL "SELECT result, session_id FROM yc.login($1, $2, $3::int, $4)"

/* A sign-in on c: its result ("ok", "locked", …) into result, the session
 * id returned (0: none). A statement that fails fails the test, saying
 * why. */
static long long sign_in_as(PGconn *c, const char *staff, const char *password, int window,
    const char *client, char result[32])
{
	char win[16];
	const char *p[] = { staff, password, window > 0 ? win : NULL, client };
	PGresult *r;
	long long sid;

	snprintf(win, sizeof win, "%d", window);
	r = dbt_run(c, LOGIN_SQL, 4, p);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		print_error("# sign-in of %s: %s", staff, PQresultErrorMessage(r));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	snprintf(result, 32, "%s", PQgetvalue(r, 0, 0));
	sid = PQgetisnull(r, 0, 1) ? 0 : strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	return sid;
}

/* A sign-in that must succeed: the session id. */
static long long sign_in(PGconn *c, const char *staff, int window, const char *client)
{
	char result[32];
	long long sid = sign_in_as(c, staff, SEC_PASSWORD, window, client, result);

	if (strcmp(result, "ok") != 0)
		print_error("# sign-in of %s: %s\n", staff, result);
	assert_string_equal(result, "ok");
	return sid;
}

/* Waits until the backend pid waits for a lock (a condition the server
 * reports, not a guess at a time); fails the test after 10 s. */
static void wait_blocked(int pid)
{
	char ps[16];
	const char *p[] = { ps };

	snprintf(ps, sizeof ps, "%d", pid);
	for (int i = 0; i < 2000; i++) {
		if (dbt_query_ll(su, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int"
		    " AND wait_event_type = 'Lock'", 1, p) == 1)
			return;
		usleep(5000);
	}
	fail_msg("backend %d never waited for the lock", pid);
}

/* Sessions of the test staff whose time spans overlap (one staff's, or
 * one window's): a session ended before it began, or replaced by one that
 * began before it ended. */
static long long overlapping(void)
{
	return dbt_query_ll(su, "SELECT count(*) FROM yc.staff_session a JOIN yc.staff_session b"
	    " ON a.session_id < b.session_id AND (a.staff_no = b.staff_no"
	    "   OR (a.office_code = b.office_code AND a.window_no = b.window_no))"
	    " WHERE a.staff_no LIKE 'sec\\_%' AND b.staff_no LIKE 'sec\\_%'"
	    " AND tstzrange(a.started_at, coalesce(a.ended_at, 'infinity'))"
	    "  && tstzrange(b.started_at, coalesce(b.ended_at, 'infinity'))", 0, NULL);
}

static long long open_sessions(const char *where)
{
	char *sql;
	long long n;

	assert_true(asprintf(&sql, "SELECT count(*) FROM yc.staff_session WHERE ended_at IS NULL"
	    " AND %s", where) > 0);
	n = dbt_query_ll(su, sql, 0, NULL);
	free(sql);
	return n;
}

/* Audit rows after mark with action and, unless NULL, after->>key = value. */
static long long audited(long long mark, const char *action, const char *key, const char *value)
{
	char m[24];
	const char *p[] = { m, action, key, value };

	snprintf(m, sizeof m, "%lld", mark);
	return dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND action = $2 AND ($3::text IS NULL OR after ->> $3 = $4)", 4, p);
}

/* The value of a query on c as text (exactly one row). */
static char *value_on(PGconn *c, const char *sql, int n, const char *const *p)
{
	return dbt_query_str(c, sql, n, p);
}

static void assert_value(PGconn *c, const char *want, const char *sql, int n, const char *const *p)
{
	dbt_assert_query(c, want, sql, n, p);
}

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	kiosk = PQconnectdb(getenv("YC_TEST_KIOSK_CONNINFO") != NULL ?
	    getenv("YC_TEST_KIOSK_CONNINFO") : "dbname=nonexistent");
	dbt_office(su, CITY, "安全测试市医保中心", 4);
	dbt_staff(su, SEC_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19750505", 919);
	dbt_make_id(p2, "19760606", 920);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	PQfinish(kiosk);
	kiosk = NULL;
	return dbt_disconnect(&su, &app, &dsu, "sec");
}

static int test_setup(void **state)
{
	(void)state;
	dbt_close_sessions(su, "sec");
	dbt_staff(su, SEC_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_clear_cases(su, CITY);
	dbt_clear_queue(su, CITY);
	return 0;
}

static int test_teardown(void **state)
{
	(void)state;
	dbt_close_sessions(su, "sec");
	return 0;
}

/* ------------------------------------------------------------------ */
/* point 2: concurrent sign-ins                                        */
/* ------------------------------------------------------------------ */

/* A sign-in whose transaction began before another sign-in committed
 * (it waited for the staff row, or the window row, meanwhile) ends the
 * session that one opened: today it ended it at its own transaction's
 * start, before that session began (staff_session_order). */
static void test_sign_in_after_a_later_one(void **state)
{
	PGconn *early = app_conn(), *late = app_conn();
	char ps[24];
	const char *p[] = { ps };
	long long s_late, s_early;

	(void)state;
	/* the same staff member */
	dbt_exec_ok(early, "BEGIN", 0, NULL);
	dbt_exec_ok(early, "SELECT now()", 0, NULL);
	s_late = sign_in(late, "sec_clerk", 1, "tests/db/security late");
	s_early = sign_in(early, "sec_clerk", 2, "tests/db/security early");
	dbt_exec_ok(early, "COMMIT", 0, NULL);
	snprintf(ps, sizeof ps, "%lld", s_late);
	assert_value(su, "replaced", "SELECT end_reason FROM yc.staff_session"
	    " WHERE session_id = $1::bigint", 1, p);
	snprintf(ps, sizeof ps, "%lld", s_early);
	assert_value(su, "2", "SELECT window_no::text FROM yc.staff_session"
	    " WHERE session_id = $1::bigint AND ended_at IS NULL", 1, p);
	assert_int_equal(open_sessions("staff_no = 'sec_clerk'"), 1);

	/* two staff at one window */
	dbt_exec_ok(early, "BEGIN", 0, NULL);
	dbt_exec_ok(early, "SELECT now()", 0, NULL);
	s_late = sign_in(late, "sec_clerk2", 3, "tests/db/security late");
	s_early = sign_in(early, "sec_clerk3", 3, "tests/db/security early");
	dbt_exec_ok(early, "COMMIT", 0, NULL);
	snprintf(ps, sizeof ps, "%lld", s_late);
	assert_value(su, "replaced", "SELECT end_reason FROM yc.staff_session"
	    " WHERE session_id = $1::bigint", 1, p);
	assert_int_equal(open_sessions("office_code = '" CITY "' AND window_no = 3"), 1);
	assert_int_equal(overlapping(), 0);
	(void)s_early;
	PQfinish(early);
	PQfinish(late);
}

/*
 * n sign-ins (staff[i] at window[i]) on n connections, each in a
 * transaction begun in the order 0 … n-1, queued on lock_sql's row
 * (held by the superuser meanwhile) in the order n-1 … 0: mostly, each
 * gets the lock after one begun later than itself committed its session
 * (the server does not promise the order). All must succeed, and leave
 * one session open and none overlapping.
 */
static void queued_sign_ins(int n, const char *const *staff, const int *window, const char *lock_sql)
{
	PGconn *c[8], *holder = PQconnectdb("");
	char win[8][16];
	bool done[8] = { false };
	int bad = 0;

	assert_true(n <= 8);
	assert_int_equal(PQstatus(holder), CONNECTION_OK);
	for (int i = 0; i < n; i++) {
		c[i] = app_conn();
		dbt_exec_ok(c[i], "BEGIN", 0, NULL);
		dbt_exec_ok(c[i], "SELECT now()", 0, NULL);
	}
	dbt_exec_ok(holder, "BEGIN", 0, NULL);
	dbt_exec_ok(holder, lock_sql, 0, NULL);
	for (int i = n - 1; i >= 0; i--) {
		const char *p[] = { staff[i], SEC_PASSWORD, win[i], "tests/db/security queued" };

		snprintf(win[i], sizeof win[i], "%d", window[i]);
		assert_int_equal(PQsendQueryParams(c[i], LOGIN_SQL, 4, NULL, p, NULL, NULL, 0), 1);
		wait_blocked(PQbackendPID(c[i]));
	}
	dbt_exec_ok(holder, "ROLLBACK", 0, NULL);
	/* each commits as soon as it has its answer (the next waits for that) */
	for (int left = n; left > 0;) {
		struct pollfd fds[8];
		int who[8], k = 0;

		for (int i = 0; i < n; i++)
			if (!done[i]) {
				fds[k].fd = PQsocket(c[i]);
				fds[k].events = POLLIN;
				who[k++] = i;
			}
		if (poll(fds, (nfds_t)k, 20000) <= 0)
			fail_msg("the queued sign-ins stopped answering");
		for (int j = 0; j < k; j++) {
			int i = who[j];
			PGresult *r;
			bool ok = false;

			if (fds[j].revents == 0)
				continue;
			assert_int_equal(PQconsumeInput(c[i]), 1);
			if (PQisBusy(c[i]))
				continue;
			while ((r = PQgetResult(c[i])) != NULL) {
				if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
				    strcmp(PQgetvalue(r, 0, 0), "ok") == 0)
					ok = true;
				else
					print_error("# sign-in %d of %s: %s%s\n", i, staff[i],
					    PQresultErrorMessage(r), PQresultStatus(r) == PGRES_TUPLES_OK ?
					    PQgetvalue(r, 0, 0) : "");
				PQclear(r);
			}
			bad += !ok;
			dbt_exec_ok(c[i], "COMMIT", 0, NULL);
			done[i] = true;
			left--;
		}
	}
	for (int i = 0; i < n; i++)
		PQfinish(c[i]);
	PQfinish(holder);
	assert_int_equal(bad, 0);
	assert_int_equal(overlapping(), 0);
}

/* Eight sign-ins of one staff member at once; five staff at one window. */
static void test_queued_sign_ins(void **state)
{
	static const char *const one[8] = { "sec_clerk", "sec_clerk", "sec_clerk", "sec_clerk",
		"sec_clerk", "sec_clerk", "sec_clerk", "sec_clerk" };
	static const int windows[8] = { 1, 2, 4, 1, 2, 4, 1, 2 };
	static const char *const five[5] = { "sec_clerk", "sec_clerk2", "sec_clerk3", "sec_clerk4",
		"sec_clerk5" };
	static const int at3[5] = { 3, 3, 3, 3, 3 };

	(void)state;
	queued_sign_ins(8, one, windows,
	    "SELECT 1 FROM yc.staff WHERE staff_no = 'sec_clerk' FOR UPDATE");
	assert_int_equal(open_sessions("staff_no = 'sec_clerk'"), 1);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.staff_session WHERE staff_no ="
	    " 'sec_clerk' AND end_reason = 'replaced' AND started_at > now() - interval '1 hour'",
	    0, NULL) >= 7, 1);
	for (int round = 0; round < 5; round++) {
		queued_sign_ins(5, five, at3, "SELECT 1 FROM yc.service_window WHERE office_code = '"
		    CITY "' AND window_no = 3 FOR UPDATE");
		assert_int_equal(open_sessions("office_code = '" CITY "' AND window_no = 3"), 1);
		assert_int_equal(open_sessions("staff_no = 'sec_clerk'"), 1);	/* the last one's */
	}
}

/* The replaced session's screen is told at once: its channel announces
 * who replaced it; yc.session_check says it has ended. */
static void test_replaced_session_is_told(void **state)
{
	PGconn *a = app_conn(), *b = app_conn();
	char sql[64], got[256], want[96], ps[24];
	const char *p[] = { ps };
	long long s;

	(void)state;
	s = sign_in(a, "sec_clerk", 1, "tests/db/security a");
	snprintf(ps, sizeof ps, "%lld", s);
	snprintf(sql, sizeof sql, "LISTEN yc_session_%lld", s);
	dbt_exec_ok(a, sql, 0, NULL);
	/* the same staff signs in at another terminal */
	sign_in(b, "sec_clerk", 2, "tests/db/security b");
	assert_int_equal(dbt_read_notifies(a, 1, got, sizeof got), 1);
	snprintf(want, sizeof want, "yc_session_%lld replaced_self\n", s);
	assert_string_equal(got, want);
	/* what the screen asks before it signs out (anyone may NOTIFY) */
	assert_value(a, "ended", "SELECT yc.session_check($1::bigint)", 1, p);
	s = sign_in(a, "sec_clerk4", 4, "tests/db/security a");
	snprintf(ps, sizeof ps, "%lld", s);
	assert_value(a, "open", "SELECT yc.session_check($1::bigint)", 1, p);
	assert_value(b, "ended", "SELECT yc.session_check($1::bigint)", 1, p);	/* not b's */

	/* someone else signs in at this window */
	s = sign_in(a, "sec_clerk2", 3, "tests/db/security a");
	snprintf(sql, sizeof sql, "LISTEN yc_session_%lld", s);
	dbt_exec_ok(a, sql, 0, NULL);
	sign_in(b, "sec_clerk3", 3, "tests/db/security b");
	assert_int_equal(dbt_read_notifies(a, 1, got, sizeof got), 1);
	snprintf(want, sizeof want, "yc_session_%lld replaced_window\n", s);
	assert_string_equal(got, want);
	PQfinish(a);
	PQfinish(b);
}

/* ------------------------------------------------------------------ */
/* point 3: persons and bank cards                                     */
/* ------------------------------------------------------------------ */

static const char *const REGISTER_SQL = "SELECT yc.person_register($1::bigint, $2, $3, $4)";

static void test_person_register_roles(void **state)
{
	long long clerk = sign_in(app, "sec_clerk", 1, "tests/db/security");
	long long super = sign_in(app, "sec_super", 0, "tests/db/security");
	long long others[] = {
		sign_in(app, "sec_guide", 0, "tests/db/security"),
		sign_in(app, "sec_review", 0, "tests/db/security"),
		sign_in(app, "sec_admin", 0, "tests/db/security"),
	};
	char s[24];
	const char *p[] = { s, p1, "安全测试甲", "13900009191" };
	const char *q[] = { p1 };
	long long mark;

	(void)state;
	snprintf(s, sizeof s, "%lld", clerk);
	assert_value(app, "ok", REGISTER_SQL, 4, p);
	/* a guide, a reviewer, an administrator: refused, nothing changed */
	mark = dbt_audit_mark(su);
	for (size_t i = 0; i < DBT_COUNT(others); i++) {
		const char *w[] = { s, p1, "冒名顶替", "13100000000" };

		snprintf(s, sizeof s, "%lld", others[i]);
		assert_value(app, "not_allowed", REGISTER_SQL, 4, w);
	}
	assert_value(su, "安全测试甲 13900009191", "SELECT name || ' ' || phone FROM yc.person"
	    " WHERE id_no = $1", 1, q);
	assert_int_equal(audited(mark, "person_register_refused", "reason", "not_allowed"), 3);
	assert_int_equal(audited(mark, "person_update", NULL, NULL), 0);
	/* nor can they read the register */
	snprintf(s, sizeof s, "%lld", others[0]);
	assert_value(app, "not_allowed", "SELECT result FROM yc.person_find($1::bigint, $2)", 2,
	    (const char *const[]){ s, p1 });
	/* a supervisor takes cases: allowed */
	snprintf(s, sizeof s, "%lld", super);
	p[2] = "安全测试乙";
	assert_value(app, "ok", REGISTER_SQL, 4, p);
	assert_value(su, "安全测试乙", "SELECT name FROM yc.person WHERE id_no = $1", 1, q);
}

/* Every lookup of the register is audited: who, from where, which person. */
static void test_person_find_audited(void **state)
{
	long long clerk = sign_in(app, "sec_clerk", 1, "tests/db/security");
	char s[24], obj[40];
	const char *p[] = { s, p1 };
	const char *q[] = { s, p2 };
	long long mark;

	(void)state;
	snprintf(s, sizeof s, "%lld", clerk);
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name, phone) VALUES ($1, '安全测试甲', '13900009191')"
	    " ON CONFLICT DO NOTHING", 1, (const char *const[]){ p1 });
	dbt_exec_ok(su, "DELETE FROM yc.person WHERE id_no = $1", 1, (const char *const[]){ p2 });
	mark = dbt_audit_mark(su);
	assert_value(app, "ok", "SELECT result FROM yc.person_find($1::bigint, $2)", 2, p);
	assert_value(app, "not_found", "SELECT result FROM yc.person_find($1::bigint, $2)", 2, q);
	snprintf(obj, sizeof obj, "person:%s", p1);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "person_find", obj), 1);
	assert_int_equal(audited(mark, "person_find", "found", "true"), 1);
	assert_int_equal(audited(mark, "person_find", "found", "false"), 1);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND action = 'person_find' AND staff_no = 'sec_clerk' AND window_no = 1"
	    " AND client = 'tests/db/security'", 1, (const char *const[]){ (snprintf(s, sizeof s, "%lld",
	    mark), s) }), 2);
}

/* A case's bank card (and ID numbers) leave the server whole only for
 * the roles that need them: the counter (clerk, supervisor) for case_form,
 * also the back office for the case view. */
static void test_bank_card_masked(void **state)
{
	long long clerk = sign_in(app, "sec_clerk", 1, "tests/db/security");
	long long review = sign_in(app, "sec_review", 0, "tests/db/security");
	long long guide = sign_in(app, "sec_guide", 0, "tests/db/security");
	long long admin = sign_in(app, "sec_admin", 0, "tests/db/security");
	struct cases_intake_req q = { 0 };
	struct cases_intake_out out;
	const char **ids, **values;
	char s[24];
	const char *p[] = { s, out.case_no };
	const char *form = "SELECT value FROM yc.case_form($1::bigint, $2) WHERE field_id = 'bank_card'";
	const char *view = "SELECT e ->> 'value' FROM yc.stage_case($1::bigint, $2) r,"
	    " jsonb_array_elements(r.body -> 'form') e WHERE e ->> 'id' = 'bank_card'";

	(void)state;
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name, phone) VALUES ($1, '安全测试甲', '13900009191')"
	    " ON CONFLICT DO NOTHING", 1, (const char *const[]){ p1 });
	q.type_code = T_CLINIC;
	q.version = dbt_case_type_version(su, T_CLINIC);
	q.id_no = p1;
	q.channel = CH_WINDOW;
	q.outcome = CO_SUPPLEMENT;
	q.nfields = dbt_form(su, T_CLINIC, p1, &ids, &values);
	q.field_ids = ids;
	q.field_values = values;
	assert_int_equal(cases_intake(dsu, clerk, &q, &out), CASES_OK);

	snprintf(s, sizeof s, "%lld", clerk);
	assert_value(app, CARD, form, 2, p);
	assert_value(app, CARD, view, 2, p);
	snprintf(s, sizeof s, "%lld", review);
	assert_value(app, CARD_MASKED, form, 2, p);
	assert_value(app, CARD, view, 2, p);	/* the back office pays to it */
	snprintf(s, sizeof s, "%lld", guide);
	assert_value(app, CARD_MASKED, form, 2, p);
	assert_value(app, CARD_MASKED, view, 2, p);
	snprintf(s, sizeof s, "%lld", admin);
	assert_value(app, CARD_MASKED, form, 2, p);
	assert_value(app, CARD_MASKED, view, 2, p);
}

/* ------------------------------------------------------------------ */
/* point 6: roles                                                      */
/* ------------------------------------------------------------------ */

/* The kiosks' and boards' role: tickets and the board, nothing else. */
static void test_kiosk_role(void **state)
{
	char *v;

	(void)state;
	if (PQstatus(kiosk) != CONNECTION_OK)
		print_error("# kiosk role: %s", PQerrorMessage(kiosk));
	assert_int_equal(PQstatus(kiosk), CONNECTION_OK);
	assert_value(kiosk, "yichuang_kiosk false false", "SELECT current_user || ' ' ||"
	    " pg_has_role(current_user, 'yichuang_app', 'MEMBER') || ' ' ||"
	    " pg_has_role(current_user, 'pg_signal_backend', 'MEMBER')", 0, NULL);
	/* the self-service terminal's calls (selfsvc_*) take the person's ID
	 * number and return that person's rows only (db/test_selfsvc) */
	assert_value(su, "hours_today queue_counts queue_issue queue_recent_calls selfsvc_cases"
	    " selfsvc_filing selfsvc_insurance selfsvc_person selfsvc_revoke window_screen_rate"
	    " window_screen_state",
	    "SELECT string_agg(p.proname, ' ' ORDER BY p.proname) FROM pg_proc p"
	    " WHERE p.pronamespace = 'yc'::regnamespace"
	    " AND has_function_privilege('yichuang_kiosk', p.oid, 'EXECUTE')", 0, NULL);
	assert_value(su, "0", "SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'yc'::regnamespace"
	    " AND c.relkind IN ('r', 'v', 'p') AND has_table_privilege('yichuang_kiosk', c.oid,"
	    " 'SELECT, INSERT, UPDATE, DELETE')", 0, NULL);
	/* what a kiosk and a board do */
	assert_value(kiosk, "ok", "SELECT result FROM yc.queue_issue('" CITY "', 'normal', NULL, NULL,"
	    " NULL, 'tests/db/security kiosk', NULL)", 0, NULL);
	assert_value(kiosk, "ok 1", "SELECT min(result) || ' ' || sum(waiting)"
	    " FROM yc.queue_counts('" CITY "')", 0, NULL);
	v = value_on(kiosk, "SELECT count(*) FROM yc.queue_recent_calls('" CITY "', 5)", 0, NULL);
	free(v);
	assert_value(kiosk, "ok", "SELECT result FROM yc.hours_today('" CITY "')", 0, NULL);
	/* and nothing more: the staff list (nor may a workstation read it), a
	 * sign-in, the register */
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.staff_public");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.staff_public");
	/* nor the key that signs read passes, nor sign one (0038) */
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.read_pass_key");
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.read_pass_key");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.read_pass_sign(1, 2000000000)");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.hmac_hex('x', '\\x00'::bytea)");
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.login('sec_clerk', 'x', 1, 'kiosk')");
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.office");
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.person_find(1, '110101199003070000')");
	dbt_expect_sqlstate(kiosk, "42501", "SELECT * FROM yc.demo_accounts()");
}

/* No application role reads another connection's queries or ends it; the
 * cluster's other databases take no application connection. */
static void test_no_role_signals_another(void **state)
{
	PGconn *victim = app_conn(), *other = app_conn(), *elsewhere;
	char pid[16], *sql, *q;
	const char *p[] = { pid };

	(void)state;
	assert_int_equal(PQstatus(kiosk), CONNECTION_OK);
	snprintf(pid, sizeof pid, "%d", PQbackendPID(victim));
	dbt_exec_ok(victim, "SELECT 'yc-secret-marker-19'", 0, NULL);
	q = value_on(kiosk, "SELECT coalesce(query, '') FROM pg_stat_activity WHERE pid = $1::int", 1, p);
	assert_null(strstr(q, "yc-secret-marker-19"));
	free(q);
	for (int i = 0; i < 2; i++) {
		PGconn *c = i == 0 ? kiosk : other;

		assert_true(asprintf(&sql, "SELECT pg_terminate_backend(%s)", pid) > 0);
		dbt_expect_sqlstate(c, "42501", sql);
		free(sql);
		assert_true(asprintf(&sql, "SELECT pg_cancel_backend(%s)", pid) > 0);
		dbt_expect_sqlstate(c, "42501", sql);
		free(sql);
	}
	assert_value(victim, "1", "SELECT 1", 0, NULL);
	assert_int_equal(PQstatus(victim), CONNECTION_OK);
	assert_value(su, "0", "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
	    " JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname IN ('yichuang_app', 'yichuang_kiosk')"
	    " AND g.rolname IN ('pg_signal_backend', 'pg_read_all_stats', 'pg_monitor')", 0, NULL);
	/* from another database of the cluster the signals would be open again */
	assert_true(asprintf(&sql, "%s dbname=postgres", getenv("YC_TEST_APP_CONNINFO")) > 0);
	elsewhere = PQconnectdb(sql);
	free(sql);
	assert_int_not_equal(PQstatus(elsewhere), CONNECTION_OK);
	PQfinish(elsewhere);
	PQfinish(victim);
	PQfinish(other);
}

/* A stranger's wrong passwords lock the account at the stranger's
 * terminal only; when several terminals are locked out of it at once, the
 * account itself is locked; an administrator unlocks it everywhere. */
static void test_stranger_cannot_lock_out(void **state)
{
	static const char *const strangers[] = { "kiosk-host /dev/pts/9", "hall-pc-2 /dev/tty1",
		"hall-pc-3 /dev/tty1" };
	char result[32], s[24];
	long long sid, admin, mark = dbt_audit_mark(su);

	(void)state;
	for (int i = 1; i <= 5; i++) {
		sign_in_as(app, "sec_lock", "Wrong-Pass-1", 1, strangers[0], result);
		assert_string_equal(result, i < 5 ? "bad_credentials" : "locked");
	}
	/* the stranger's terminal is locked out, even with the right password */
	sign_in_as(app, "sec_lock", SEC_PASSWORD, 1, strangers[0], result);
	assert_string_equal(result, "locked");
	/* the clerk at their own terminal is not */
	sid = sign_in(app, "sec_lock", 1, "clerk-pc /dev/pts/1");
	assert_true(sid > 0);
	dbt_logout(app, sid);
	assert_int_equal(audited(mark, "account_locked", "scope", "source"), 1);
	assert_value(su, "", "SELECT coalesce(locked_until::text, '') FROM yc.staff"
	    " WHERE staff_no = 'sec_lock'", 0, NULL);

	/* three terminals locked out at once: the account is locked */
	for (int t = 1; t < 3; t++)
		for (int i = 1; i <= 5; i++)
			sign_in_as(app, "sec_lock", "Wrong-Pass-1", 1, strangers[t], result);
	assert_string_equal(result, "locked");
	assert_int_equal(audited(mark, "account_locked", "scope", "account"), 1);
	sign_in_as(app, "sec_lock", SEC_PASSWORD, 1, "clerk-pc /dev/pts/1", result);
	assert_string_equal(result, "locked");
	/* the administrator sees it locked and unlocks it */
	admin = sign_in(app, "sec_admin", 0, "tests/db/security");
	snprintf(s, sizeof s, "%lld", admin);
	assert_value(app, "true", "SELECT (locked_until > now())::text FROM yc.staff_list($1::bigint,"
	    " NULL, NULL, 'locked', 'sec_lock')", 1, (const char *const[]){ s });
	assert_value(app, "ok", "SELECT yc.staff_unlock($1::bigint, 'sec_lock')", 1,
	    (const char *const[]){ s });
	sid = sign_in(app, "sec_lock", 1, strangers[0]);
	dbt_logout(app, sid);
}

/* ------------------------------------------------------------------ */
/* point 11: the audit log                                             */
/* ------------------------------------------------------------------ */

/* People type their password into the staff field: what an unknown staff
 * number was is not kept, a marker is. */
static void test_typed_password_not_kept(void **state)
{
	char result[32], m[24];
	long long mark = dbt_audit_mark(su);

	(void)state;
	sign_in_as(app, "Pa55-Word-19x", "Pa55-Word-19x", 1, "tests/db/security", result);
	assert_string_equal(result, "bad_credentials");
	snprintf(m, sizeof m, "%lld", mark);
	assert_value(su, "0", "SELECT count(*) FROM yc.audit_log l WHERE audit_id > $1::bigint"
	    " AND l::text LIKE '%Pa55-Word-19x%'", 1, (const char *const[]){ m });
	assert_value(su, "1", "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND action = 'login_failed' AND staff_no IS NULL AND object = 'staff:?'"
	    " AND after ->> 'reason' = 'unknown_staff'", 1, (const char *const[]){ m });
}

/* A session id used on a connection it is not bound to is refused, and
 * each refusal is audited with the function called. */
static void test_borrowed_session_audited(void **state)
{
	PGconn *thief = app_conn();
	long long sid = sign_in(app, "sec_clerk", 1, "tests/db/security");
	char s[24], m[24];
	const char *p[] = { s, p1 };
	long long mark = dbt_audit_mark(su);

	(void)state;
	snprintf(s, sizeof s, "%lld", sid);
	assert_value(thief, "no_session", "SELECT result FROM yc.person_find($1::bigint, $2)", 2, p);
	assert_value(thief, "no_session", "SELECT result FROM yc.queue_call_next($1::bigint)", 1, p);
	assert_value(thief, "no_session", "SELECT result FROM yc.case_lookup($1::bigint, $2)", 2, p);
	assert_int_equal(audited(mark, "session_refused", "call", "person_find"), 1);
	assert_int_equal(audited(mark, "session_refused", "call", "queue_call_next"), 1);
	assert_int_equal(audited(mark, "session_refused", "call", "case_lookup"), 1);
	/* the kiosk role is trusted with no session either */
	assert_int_equal(PQstatus(kiosk), CONNECTION_OK);
	assert_value(kiosk, "no_session", "SELECT result FROM yc.queue_issue('" CITY "', 'green', NULL,"
	    " NULL, $1::bigint, 'tests/db/security kiosk', NULL)", 1, p);
	assert_int_equal(audited(mark, "session_refused", "call", "queue_issue"), 1);
	/* the rows name the session, its staff and office */
	snprintf(m, sizeof m, "%lld", mark);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND action = 'session_refused' AND staff_no = 'sec_clerk' AND office_code = '" CITY "'"
	    " AND object = 'staff_session:" CITY "/' || $2", 2, (const char *const[]){ m, s }), 4);
	PQfinish(thief);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sign_in_after_a_later_one, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_queued_sign_ins, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_replaced_session_is_told, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_person_register_roles, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_person_find_audited, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_bank_card_masked, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_kiosk_role, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_no_role_signals_another, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_stranger_cannot_lock_out, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_typed_password_not_kept, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_borrowed_session_audited, test_setup, test_teardown),
	};
	return cmocka_run_group_tests_name("db_security", tests, group_setup, group_teardown);
}
