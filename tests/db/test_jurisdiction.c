/*
 * Jurisdiction and audit, enforced by the database
 * (db/migrations/0009_jurisdiction.sql): each office connects as the
 * application does (role yichuang_app, through tui/store, a clerk signed in
 * on that connection) and must not see or change another office's tickets
 * and cases, except a case waiting for 补正 anywhere in its prefecture
 * (全市通办; only its county with the setting tongban_scope = county);
 * a session id is worth nothing on another connection; a reconnect binds
 * the new connection with the session's token; every change is audited
 * with before and after, and the audit log is append-only for the
 * application role.
 *
 * Environment as for every db suite (tests/run.sh):
 *   PGHOST, PGDATABASE, PGUSER=postgres    superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                    the application role
 *
 * Offices of its own: county 360987 (window 1), townships 360987001 and
 * 360987002, village 360987001001 (below the first township), all of the
 * prefecture 3609; a township 360988007 of another county of the same
 * prefecture (near), and a county 360188 of another prefecture, 3601
 * (far); staff tj_*. Everything runs on the real clock with outcomes that
 * need no calendar beyond today (一次性告知, 即时办结, 不予受理).
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

#include "store/auth.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/queue.h"

#define CITY "360987"
#define TOWN "360987001"
#define TOWN2 "360987002"
#define VILLAGE "360987001001"
#define NEAR_TOWN "360988007"	/* a township of another county of 3609 */
#define OTHER_CITY "360188"	/* a county of another prefecture, 3601 */
#define TJ_PASSWORD "Tj-Secret-9"

#define T_BIRTH "002036007001"	/* 20 days, stages; prefecture county township village */
#define T_CERT "002036003001"	/* 即时办结; prefecture county township village */

#define IDS(...) ((const char *const[]){ __VA_ARGS__ })
#define NIDS(...) (sizeof(IDS(__VA_ARGS__)) / sizeof(const char *))
#define SEEN(q, ...) ((q).seen = IDS(__VA_ARGS__), (q).nseen = NIDS(__VA_ARGS__))

static PGconn *su;		/* superuser: fixtures and checks only */
static PGconn *raw;		/* yichuang_app, nobody signed in */
static char p1[19], p2[19];

/* One office's workstation: its own connection as the application role. */
struct ws {
	struct db *db;
	struct auth_session s;
};

static struct ws town, town2, city, village, near, other;

static void sign_in(struct ws *w, const char *staff, int window)
{
	struct auth_outcome o;

	w->db = db_open(getenv("YC_TEST_APP_CONNINFO"));
	assert_true(db_connected(w->db));
	auth_login(w->db, staff, TJ_PASSWORD, window, &w->s, &o);
	if (o.result != AUTH_OK)
		print_error("# login %s: %d (%s)\n", staff, (int)o.result, db_detail(w->db));
	assert_int_equal(o.result, AUTH_OK);
	assert_true(w->s.id != 0);
}

static void sign_out(struct ws *w)
{
	if (w->db == NULL)
		return;
	if (w->s.id != 0)
		auth_logout(w->db, &w->s, "user");
	auth_session_clear(&w->s);
	db_close(&w->db);
}

/* The number of rows a query on c returns (it must succeed). */
static long long rows(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *r = dbt_run(c, sql, n, p);
	long long k;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		print_error("# %s: %s", sql, PQresultErrorMessage(r));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	k = PQntuples(r);
	PQclear(r);
	return k;
}

/* A count over db (a workstation's connection). */
static long long count_on(struct db *db, const char *sql)
{
	enum db_status st;
	PGresult *r = db_query(db, &st, sql, 0, NULL);
	long long v;

	if (st != DB_OK)
		print_error("# %s: %s", sql, db_detail(db));
	assert_int_equal(st, DB_OK);
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/* Audit rows after mark for an action and object, with who, window, when,
 * before (unless NULL is allowed: a creation) and after. */
static long long audited(long long mark, const char *action, const char *object, bool with_before)
{
	char m[24];
	const char *p[] = { m, action, object, with_before ? "t" : "f" };

	snprintf(m, sizeof m, "%lld", mark);
	return dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND action = $2 AND object = $3 AND staff_no IS NOT NULL AND at IS NOT NULL"
	    " AND after IS NOT NULL AND (NOT $4::boolean OR before IS NOT NULL)", 4, p);
}

static struct cases_intake_req req_of(const char *type, const char *id_no, enum cases_outcome o)
{
	struct cases_intake_req q = { 0 };
	const char **ids, **values;

	q.type_code = type;
	q.version = dbt_case_type_version(su, type);
	q.id_no = id_no;
	q.channel = CH_WINDOW;
	q.outcome = o;
	q.nfields = dbt_form(su, type, id_no, &ids, &values);
	q.field_ids = ids;
	q.field_values = values;
	return q;
}

static struct cases_intake_out intake_ok(struct ws *w, const struct cases_intake_req *q)
{
	struct cases_intake_out out;
	enum cases_result r = cases_intake(w->db, w->s.id, q, &out);

	if (r != CASES_OK)
		print_error("# intake: %d (%s)\n", (int)r, db_detail(w->db));
	assert_int_equal(r, CASES_OK);
	return out;
}

/* How many cases a lookup by key finds for w (0 with CASES_NOT_FOUND). */
static int found(struct ws *w, const char *key)
{
	struct cases_found f[8];
	enum cases_result r;
	int n = cases_lookup(w->db, w->s.id, key, f, 8, &r);

	assert_true(r == CASES_OK || r == CASES_NOT_FOUND);
	return n;
}

/* Whether a lookup by key finds the case case_no for w (a case number may
 * also be the digits of another case's notice number: both are found). */
static bool finds(struct ws *w, const char *key, const char *case_no)
{
	struct cases_found f[8];
	enum cases_result r;
	int n = cases_lookup(w->db, w->s.id, key, f, 8, &r);

	assert_true(r == CASES_OK || r == CASES_NOT_FOUND);
	for (int i = 0; i < n; i++)
		if (strcmp(f[i].case_no, case_no) == 0)
			return true;
	return false;
}

static bool has_document(struct ws *w, const char *key, const char *template)
{
	enum cases_result r;
	char *doc = cases_document(w->db, key, template, &r);
	bool ok = doc != NULL;

	free(doc);
	return ok;
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static const char *const staff_rows[][3] = {
	{ "tj_city", "clerk", CITY },
	{ "tj_town", "clerk", TOWN },
	{ "tj_town2", "clerk", TOWN2 },
	{ "tj_village", "clerk", VILLAGE },
	{ "tj_near", "clerk", NEAR_TOWN },
	{ "tj_other", "clerk", OTHER_CITY },
};

static void clear_offices(void)
{
	dbt_exec_ok(su, "DELETE FROM yc.rating WHERE office_code LIKE '36098_%'"
	    " AND staff_no LIKE 'tj\\_%'", 0, NULL);
	dbt_clear_cases(su, CITY);
	dbt_clear_queue(su, CITY);
	dbt_clear_queue(su, OTHER_CITY);
	dbt_clear_queue(su, NEAR_TOWN);
}

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &raw, NULL) != 0)
		return -1;
	dbt_office(su, CITY, "辖区测试市医保中心", 2);
	dbt_office(su, OTHER_CITY, "辖区测试另一设区市之县", 2);
	dbt_office(su, NEAR_TOWN, "辖区测试邻县一镇", 2);
	dbt_office(su, TOWN, "辖区测试一镇", 2);
	dbt_office(su, TOWN2, "辖区测试二镇", 2);
	dbt_office(su, VILLAGE, "辖区测试一村", 2);
	dbt_staff(su, TJ_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19880303", 871);
	dbt_make_id(p2, "19920404", 872);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (su != NULL && PQstatus(su) == CONNECTION_OK)
		dbt_close_sessions(su, "tj");
	PQfinish(raw);
	PQfinish(su);
	return 0;
}

/* Every test: empty offices, the five offices signed in, two applicants. */
static int test_setup(void **state)
{
	(void)state;
	clear_offices();
	dbt_close_sessions(su, "tj");
	sign_in(&town, "tj_town", 1);
	sign_in(&town2, "tj_town2", 1);
	sign_in(&city, "tj_city", 1);
	sign_in(&village, "tj_village", 1);
	sign_in(&near, "tj_near", 1);
	sign_in(&other, "tj_other", 1);
	assert_int_equal(cases_person_register(town.db, town.s.id, p1, "辖区申请人甲", NULL), CASES_OK);
	assert_int_equal(cases_person_register(town.db, town.s.id, p2, "辖区申请人乙", NULL), CASES_OK);
	dbt_insured(su, p1, TOWN);
	return 0;
}

static int test_teardown(void **state)
{
	(void)state;
	sign_out(&town);
	sign_out(&town2);
	sign_out(&city);
	sign_out(&village);
	sign_out(&near);
	sign_out(&other);
	return 0;
}

/* ------------------------------------------------------------------ */
/* sessions                                                            */
/* ------------------------------------------------------------------ */

/* A session id is refused on any connection but the one that signed in. */
static void test_session_of_another_connection(void **state)
{
	(void)state;
	char sid[24];
	const char *p[] = { sid };
	long long mark = dbt_audit_mark(su);
	struct queue_ticket t;
	struct cases_found f[2];
	enum cases_result r;

	snprintf(sid, sizeof sid, "%lld", town.s.id);
	/* the raw application connection, nobody signed in on it */
	assert_int_equal(rows(raw, "SELECT 1 FROM yc.case_lookup($1::bigint, '" TOWN "') r"
	    " WHERE r.result = 'no_session'", 1, p), 1);
	assert_int_equal(rows(raw, "SELECT 1 FROM yc.queue_call_next($1::bigint) r"
	    " WHERE r.result = 'no_session'", 1, p), 1);
	assert_int_equal(rows(raw, "SELECT 1 FROM yc.screen_unlock($1::bigint, '" TJ_PASSWORD "') r"
	    " WHERE r.result = 'no_session'", 1, p), 1);
	dbt_exec_ok(raw, "SELECT yc.logout($1::bigint, 'forged')", 1, p);
	dbt_exec_ok(raw, "SELECT yc.screen_lock($1::bigint)", 1, p);
	/* another office's workstation, with a session of its own */
	assert_int_equal(queue_call_next(town2.db, town.s.id, &t), QUEUE_NO_SESSION);
	assert_int_equal(cases_lookup(town2.db, town.s.id, p1, f, 2, &r), 0);
	assert_int_equal(r, CASES_NO_SESSION);
	assert_int_equal(cases_draft_save(town2.db, town.s.id, "x"), CASES_NO_SESSION);
	/* the session is still open, and still works where it was signed in */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.staff_session WHERE session_id ="
	    " $1::bigint AND ended_at IS NULL", 1, p), 1);
	assert_int_equal(queue_call_next(town.db, town.s.id, &t), QUEUE_EMPTY);
	/* every refused attempt is audited (issue 19), each with its call:
	 * raw's five, town2's three */
	assert_int_equal(dbt_audit_count(su, mark, TOWN, "session_refused", NULL), 8);
	assert_int_equal(dbt_audit_count(su, mark, TOWN, "logout", NULL), 0);
	assert_int_equal(dbt_audit_count(su, mark, TOWN, "screen_lock", NULL), 0);
	/* ids are no secret: the one next to it is no better */
	snprintf(sid, sizeof sid, "%lld", town.s.id + 1);
	assert_int_equal(rows(raw, "SELECT 1 FROM yc.case_deadlines($1::bigint, false, 5) r"
	    " WHERE r.result = 'no_session'", 1, p), 1);
}

/* After a reconnect the client binds the new connection with its token;
 * a wrong token binds nothing. */
static void test_reconnect_resumes_with_token(void **state)
{
	(void)state;
	long long pid = count_on(town.db, "SELECT pg_backend_pid()");
	char ps[24], sid[24];
	const char *p[] = { ps };
	const char *q[] = { sid };
	struct queue_ticket t;
	long long mark = dbt_audit_mark(su);

	snprintf(ps, sizeof ps, "%lld", pid);
	snprintf(sid, sizeof sid, "%lld", town.s.id);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM (SELECT pg_terminate_backend($1::int)) x",
	    1, p), 1);
	for (int i = 0; i < 100 && dbt_query_ll(su, "SELECT count(*) FROM pg_stat_activity"
	    " WHERE pid = $1::int", 1, p) > 0; i++)
		usleep(20000);
	assert_int_equal(queue_call_next(town.db, town.s.id, &t), QUEUE_DB_LOST);
	assert_true(db_reconnect(town.db));
	assert_int_equal(queue_call_next(town.db, town.s.id, &t), QUEUE_EMPTY);
	assert_int_equal(dbt_audit_count(su, mark, TOWN, "session_resume", NULL), 1);

	/* the token is the only way in: a guess is refused and audited */
	assert_int_equal(rows(raw, "SELECT 1 FROM yc.session_resume($1::bigint, 'guess')"
	    " AS r(x) WHERE x = 'no_session'", 1, q), 1);
	assert_int_equal(dbt_audit_count(su, mark, TOWN, "session_resume_failed", NULL), 1);
	assert_int_equal(rows(raw, "SELECT 1 FROM yc.queue_window_state($1::bigint) r"
	    " WHERE r.result = 'no_session'", 1, q), 1);
	/* only a hash of the token is stored */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.staff_session WHERE session_id ="
	    " $1::bigint AND length(token_hash) = 32", 1, q), 1);
}

/* ------------------------------------------------------------------ */
/* tickets                                                             */
/* ------------------------------------------------------------------ */

static void test_tickets_of_own_office(void **state)
{
	(void)state;
	struct queue_issue a, b;
	struct queue_ticket t;
	long long mark = dbt_audit_mark(su);
	char obj[64];

	/* kiosks of both townships (no session): by office code */
	assert_int_equal(queue_issue(town.db, TOWN, QC_NORMAL, NULL, NULL, 0, &a), QUEUE_OK);
	assert_int_equal(queue_issue(town2.db, TOWN2, QC_NORMAL, NULL, NULL, 0, &b), QUEUE_OK);
	/* direct reads: each workstation sees its own office's tickets only */
	assert_int_equal(count_on(town.db, "SELECT count(*) FROM yc.ticket WHERE office_code LIKE '36098%'"), 1);
	assert_int_equal(count_on(town.db, "SELECT count(*) FROM yc.ticket WHERE office_code = '" TOWN2 "'"), 0);
	assert_int_equal(count_on(city.db, "SELECT count(*) FROM yc.ticket WHERE office_code LIKE '36098%'"), 0);
	assert_int_equal(rows(raw, "SELECT * FROM yc.ticket", 0, NULL), 0);
	/* a window calls its own office's queue */
	assert_int_equal(queue_call_next(town.db, town.s.id, &t), QUEUE_OK);
	assert_int_equal(t.id, a.t.id);
	assert_int_equal(queue_call_next(village.db, village.s.id, &t), QUEUE_EMPTY);
	/* another office's ticket cannot be taken up, nor rated */
	assert_int_equal(queue_hold(town.db, town.s.id), QUEUE_OK);
	assert_int_equal(queue_resume_held(town.db, town.s.id, b.t.id, &t), QUEUE_NO_TICKET);
	assert_int_equal(cases_rate(town.db, town.s.id, NULL, b.t.id, 1), CASES_NOT_FOUND);
	assert_int_equal(queue_resume_held(town.db, town.s.id, a.t.id, &t), QUEUE_OK);
	assert_int_equal(queue_start(town.db, town.s.id, &t), QUEUE_OK);
	assert_int_equal(queue_finish(town.db, town.s.id, true), QUEUE_OK);
	/* nothing of the other township's ticket changed */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" TOWN2 "'"
	    " AND status = 'waiting'", 0, NULL), 1);

	/* every change of the ticket: who, window, when, before and after (the
	 * kiosk's issue: after only, nobody signed in) */
	snprintf(obj, sizeof obj, "ticket:%s/%lld", TOWN, a.t.id);
	assert_int_equal(dbt_audit_count(su, mark, TOWN, "queue_issue", obj), 1);
	assert_int_equal(audited(mark, "queue_call", obj, true), 1);
	assert_int_equal(audited(mark, "queue_hold", obj, true), 1);
	assert_int_equal(audited(mark, "queue_resume_held", obj, true), 1);
	assert_int_equal(audited(mark, "queue_start", obj, true), 1);
	assert_int_equal(audited(mark, "queue_finish", obj, true), 1);
	char m[24];
	snprintf(m, sizeof m, "%lld", mark);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND object = $2 AND action <> 'queue_issue'"
	    " AND (window_no IS DISTINCT FROM 1 OR staff_no IS DISTINCT FROM 'tj_town'"
	    "      OR office_code <> '" TOWN "')", 2, (const char *[]){ m, obj }), 0);
}

/* ------------------------------------------------------------------ */
/* cases                                                               */
/* ------------------------------------------------------------------ */

static void test_cases_by_jurisdiction(void **state)
{
	(void)state;
	struct cases_intake_req q = req_of(T_CERT, p1, CO_IMMEDIATE);
	struct cases_intake_out done2, done_v, pend2;
	struct cases_material m[16];
	enum cases_result r;
	char no[32], m0[24];

	/* case numbers come again when the suite runs again on a day: the
	 * audit rows of this run are those after m0 */
	snprintf(m0, sizeof m0, "%lld", dbt_audit_mark(su));

	/* 即时办结 at the second township and at the village; one waiting for
	 * 补正 at the second township */
	SEEN(q, "credential");
	done2 = intake_ok(&town2, &q);
	assert_string_equal(done2.status, "finished");
	done_v = intake_ok(&village, &q);
	struct cases_intake_req s = req_of(T_BIRTH, p2, CO_SUPPLEMENT);
	SEEN(s, "credential", "invoice");
	pend2 = intake_ok(&town2, &s);
	assert_string_equal(pend2.status, "pending_supplement");

	/* the first township: the other township's finished case is invisible */
	assert_false(finds(&town, done2.case_no, done2.case_no));
	assert_int_equal(found(&town, p1), 1);		/* the village's, below it */
	assert_true(finds(&town, done_v.case_no, done_v.case_no));
	assert_int_equal(cases_materials(town.db, town.s.id, done2.case_no, m, 16, &r), 0);
	assert_int_equal(r, CASES_NOT_FOUND);
	assert_false(has_document(&town, done2.case_no, "certificate"));
	assert_true(has_document(&town2, done2.case_no, "certificate"));
	/* and unchangeable */
	assert_int_equal(cases_rate(town.db, town.s.id, done2.case_no, 0, 1), CASES_NOT_FOUND);
	assert_int_equal(cases_supply(town.db, town.s.id, done2.case_no, "credential"), CASES_NOT_FOUND);
	struct cases_intake_req k = { .continue_case = done2.case_no, .outcome = CO_SUPPLEMENT };
	struct cases_intake_out out;
	assert_int_equal(cases_intake(town.db, town.s.id, &k, &out), CASES_NOT_FOUND);
	/* direct reads: its own office and the village below */
	assert_int_equal(count_on(town.db, "SELECT count(*) FROM yc.service_case"
	    " WHERE office_code LIKE '360987%'"), 1);
	assert_int_equal(count_on(town.db, "SELECT count(*) FROM yc.case_material"
	    " WHERE office_code = '" TOWN2 "'"), 0);
	assert_int_equal(count_on(town.db, "SELECT count(*) FROM yc.notice WHERE office_code = '" TOWN2 "'"), 0);
	assert_int_equal(count_on(town.db, "SELECT count(*) FROM yc.case_event WHERE office_code = '" TOWN2 "'"), 0);
	assert_int_equal(rows(raw, "SELECT * FROM yc.service_case", 0, NULL), 0);
	assert_int_equal(rows(raw, "SELECT * FROM yc.case_material", 0, NULL), 0);
	/* the village sees only itself */
	assert_int_equal(found(&village, p1), 1);
	assert_int_equal(count_on(village.db, "SELECT count(*) FROM yc.service_case"
	    " WHERE office_code LIKE '360987%'"), 1);
	/* a township of another county of the prefecture sees none of them:
	 * not by number, nor by ID, nor directly */
	assert_false(finds(&near, done2.case_no, done2.case_no));
	assert_false(finds(&near, done_v.case_no, done_v.case_no));
	assert_int_equal(found(&near, p1), 0);
	assert_false(has_document(&near, done2.case_no, "certificate"));
	assert_int_equal(cases_rate(near.db, near.s.id, done2.case_no, 0, 1), CASES_NOT_FOUND);
	assert_int_equal(count_on(near.db, "SELECT count(*) FROM yc.service_case"
	    " WHERE office_code LIKE '360987%'"), 0);
	assert_int_equal(count_on(near.db, "SELECT count(*) FROM yc.case_event"
	    " WHERE office_code LIKE '360987%'"), 0);
	/* the city sees the whole city */
	assert_int_equal(found(&city, p1), 2);
	assert_true(finds(&city, done2.case_no, done2.case_no));
	assert_true(has_document(&city, done2.case_no, "certificate"));
	assert_int_equal(count_on(city.db, "SELECT count(*) FROM yc.service_case"
	    " WHERE office_code LIKE '360987%'"), 3);

	/* 全市通办: the waiting case is found anywhere in the city, by notice,
	 * case or ID number, and continued there */
	assert_true(finds(&town, pend2.notice_no, pend2.case_no));
	assert_true(finds(&town, pend2.case_no, pend2.case_no));
	assert_int_equal(found(&town, p2), 1);
	assert_true(finds(&village, pend2.notice_no, pend2.case_no));
	assert_int_equal(cases_open_same(town.db, town.s.id, p2, T_BIRTH, no), CASES_OK);
	assert_true(has_document(&town, pend2.notice_no, "supplement-notice"));
	/* and at a township of another county of the same prefecture, by
	 * notice or ID number (the other county's finished cases stay hidden) */
	assert_true(finds(&near, pend2.notice_no, pend2.case_no));
	assert_int_equal(found(&near, p2), 1);
	assert_true(has_document(&near, pend2.notice_no, "supplement-notice"));
	assert_int_equal(count_on(near.db, "SELECT count(*) FROM yc.service_case"
	    " WHERE office_code LIKE '360987%'"), 0);
	/* a county-only deployment (tongban_scope = county): not there */
	dbt_exec_ok(su, "UPDATE yc.setting SET value = 'county' WHERE key = 'tongban_scope'", 0, NULL);
	assert_false(finds(&near, pend2.notice_no, pend2.case_no));
	assert_int_equal(found(&near, p2), 0);
	assert_false(has_document(&near, pend2.notice_no, "supplement-notice"));
	assert_true(finds(&town, pend2.notice_no, pend2.case_no));
	dbt_exec_ok(su, "UPDATE yc.setting SET value = 'prefecture' WHERE key = 'tongban_scope'", 0, NULL);
	/* never in another prefecture */
	assert_false(finds(&other, pend2.notice_no, pend2.case_no));
	assert_int_equal(found(&other, p2), 0);
	assert_false(has_document(&other, pend2.notice_no, "supplement-notice"));
	struct cases_intake_req c = { .continue_case = pend2.case_no, .outcome = CO_SUPPLEMENT };
	assert_int_equal(cases_intake(other.db, other.s.id, &c, &out), CASES_NOT_FOUND);

	long long mark = dbt_audit_mark(su);
	c.outcome = CO_REJECT;
	c.reason = "申请人撤回申请";
	out = intake_ok(&town, &c);
	assert_string_equal(out.status, "rejected");
	/* no longer waiting: the township that took it keeps it, the village
	 * (which never worked on it) no longer finds it */
	assert_true(finds(&town, pend2.case_no, pend2.case_no));
	assert_true(has_document(&town, pend2.case_no, "rejection-notice"));
	assert_false(finds(&village, pend2.case_no, pend2.case_no));
	assert_false(finds(&village, p2, pend2.case_no));
	assert_true(finds(&town2, pend2.case_no, pend2.case_no));
	assert_int_equal(cases_open_same(village.db, village.s.id, p2, T_BIRTH, no), CASES_NOT_FOUND);
	/* audited by the continuing office: who, window, before and after */
	char obj[64];
	snprintf(obj, sizeof obj, "case:%s/%s", TOWN2, pend2.case_no);
	assert_int_equal(audited(mark, "case_continue_reject", obj, true), 1);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE action ="
	    " 'case_continue_reject' AND object = $1 AND office_code = '" TOWN "' AND window_no = 1"
	    " AND staff_no = 'tj_town' AND before->>'status' = 'pending_supplement'"
	    " AND after->>'status' = 'rejected' AND audit_id > $2::bigint", 2,
	    (const char *[]){ obj, m0 }), 1);
	/* the intake of each case was audited too */
	snprintf(obj, sizeof obj, "case:%s/%s", TOWN2, done2.case_no);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE object = $1"
	    " AND action = 'case_intake_immediate' AND staff_no = 'tj_town2' AND window_no = 1"
	    " AND after->>'status' = 'finished' AND audit_id > $2::bigint", 2,
	    (const char *[]){ obj, m0 }), 1);
}

/* ------------------------------------------------------------------ */
/* audit                                                               */
/* ------------------------------------------------------------------ */

static void test_audit_append_only_for_the_app(void **state)
{
	(void)state;
	/* a signed-in workstation cannot touch the audit log either */
	assert_int_equal(db_exec(town.db, "UPDATE yc.audit_log SET action = 'tampered'", 0, NULL), DB_ERROR);
	assert_string_equal(db_sqlstate(town.db), "42501");
	assert_int_equal(db_exec(town.db, "DELETE FROM yc.audit_log", 0, NULL), DB_ERROR);
	assert_string_equal(db_sqlstate(town.db), "42501");
	dbt_expect_sqlstate(raw, "42501", "UPDATE yc.audit_log SET action = 'tampered'");
	dbt_expect_sqlstate(raw, "42501", "DELETE FROM yc.audit_log");
	dbt_expect_sqlstate(raw, "42501", "TRUNCATE yc.audit_log");
	dbt_expect_sqlstate(raw, "42501", "SELECT * FROM yc.audit_log");
	dbt_expect_sqlstate(raw, "42501", "SELECT yc.audit_write('" TOWN "', 'x', 1, 'forged', NULL, NULL, NULL, NULL)");
	/* nor the sessions, nor the bindings, nor the internal functions */
	dbt_expect_sqlstate(raw, "42501", "SELECT * FROM yc.session_binding");
	dbt_expect_sqlstate(raw, "42501", "INSERT INTO yc.session_binding (backend_pid, backend_start, session_id)"
	    " VALUES (pg_backend_pid(), now(), 1)");
	dbt_expect_sqlstate(raw, "42501", "SELECT * FROM yc.staff_session");
	dbt_expect_sqlstate(raw, "42501", "SELECT yc.session_bind(1)");
	dbt_expect_sqlstate(raw, "42501", "SELECT * FROM yc.login_password('tj_town', 'x', 1, 'x')");
	dbt_expect_sqlstate(raw, "42501", "SELECT * FROM yc.case_document_data('x', 'receipt')");
	/* and the application role has no way around row-level security */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_roles WHERE rolname = 'yichuang_app'"
	    " AND (rolbypassrls OR rolsuper)", 0, NULL), 0);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
	    " ON n.oid = c.relnamespace WHERE n.nspname = 'yc' AND c.relrowsecurity AND c.relname IN"
	    " ('ticket', 'service_case', 'case_event', 'notice', 'case_material', 'case_stage')", 0, NULL), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_of_another_connection, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_reconnect_resumes_with_token, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_tickets_of_own_office, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_cases_by_jurisdiction, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_audit_append_only_for_the_app, test_setup, test_teardown),
	};
	return cmocka_run_group_tests_name("db_jurisdiction", tests, group_setup, group_teardown);
}
