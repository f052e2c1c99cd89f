/*
 * Issue 19 in the database, as the application role (its own clock):
 *   - no stored text holds a control character or a bidirectional
 *     override (yc.text_safe, the yc.text_guard triggers of
 *     db/functions/core.sql): a person's name, a form value, a refusal
 *     reason, a stage note are refused with bad_text and nothing written;
 *     the owner's own INSERT and UPDATE are refused too (YC010); a row
 *     stored before the rule still takes changes of its other columns;
 *   - races: a second completion of a stage already completed, and the
 *     loser of two simultaneous 补正 of one case (its call waiting on the
 *     winner's lock), are refused as not_pending, never not_found, and
 *     yc.case_last_change names who handled the case;
 *   - drafts older than draft_expire_days (30) are deleted, audited,
 *     by the next yc.draft_get of anyone; younger ones stay; the setting
 *     decides.
 *
 * Environment as for every db suite (tests/run.sh). The tests work in
 * their own county 360995 (of 宜春 3609) and a second county of the same
 * prefecture, 360996 (全市通办 reaches it), with their own staff (hd_*).
 *
 * Case type 002036007001 产前检查费支付 (20 working days, stages 12/5/3;
 * materials credential, invoice, bill, discharge | diagnosis, application).
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

#include "store/cases.h"
#include "store/db.h"
#include "store/stages.h"

#define CITY "360995"
#define OTHER "360996"
#define HD_PASSWORD "Hd-Secret-7"
#define T_BIRTH "002036007001"

#define IDS(...) ((const char *const[]){ __VA_ARGS__ })
#define NIDS(...) (sizeof(IDS(__VA_ARGS__)) / sizeof(const char *))
#define SEEN(q, ...) ((q).seen = IDS(__VA_ARGS__), (q).nseen = NIDS(__VA_ARGS__))

static PGconn *su;		/* superuser */
static PGconn *app;		/* yichuang_app, raw */
static struct db *adb;		/* yichuang_app through the store */
static struct db *adb2;		/* a second application connection */
static char p1[19];

static const char *const staff_rows[][3] = {
	{ "hd_clerk1", "clerk", CITY },
	{ "hd_clerk2", "clerk", CITY },
	{ "hd_other", "clerk", OTHER },
	{ "hd_review1", "reviewer", CITY },
	{ "hd_review2", "reviewer", CITY },
};

/* Rows of the case tables of the test offices: changes when anything is written. */
static long long rows_written(void)
{
	return dbt_query_ll(su, "SELECT (SELECT count(*) FROM yc.service_case WHERE left(office_code, 6) IN ('360995', '360996'))"
	    " + (SELECT count(*) FROM yc.case_material WHERE left(office_code, 6) IN ('360995', '360996'))"
	    " + (SELECT count(*) FROM yc.case_event WHERE left(office_code, 6) IN ('360995', '360996'))"
	    " + (SELECT count(*) FROM yc.case_stage WHERE left(office_code, 6) IN ('360995', '360996') AND finished_at IS NOT NULL)"
	    " + (SELECT count(*) FROM yc.notice WHERE left(office_code, 6) IN ('360995', '360996'))"
	    " + (SELECT count(*) FROM yc.person WHERE id_no LIKE '3609811966%')", 0, NULL);
}

static struct cases_intake_req req_of(const char *id_no, enum cases_outcome o)
{
	struct cases_intake_req q = { 0 };
	const char **ids, **values;

	q.type_code = T_BIRTH;
	q.version = dbt_case_type_version(su, T_BIRTH);
	q.id_no = id_no;
	q.channel = CH_WINDOW;
	q.outcome = o;
	q.nfields = dbt_form(su, T_BIRTH, id_no, &ids, &values);
	q.field_ids = ids;
	q.field_values = values;
	return q;
}

static struct cases_intake_out intake_ok(struct db *db, long long sid, const struct cases_intake_req *q)
{
	struct cases_intake_out out;
	enum cases_result r = cases_intake(db, sid, q, &out);

	if (r != CASES_OK)
		print_error("# intake: %s (%s)\n", cases_result_message(r), db_detail(db));
	assert_int_equal(r, CASES_OK);
	return out;
}

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, NULL) != 0)
		return -1;
	adb = db_open(getenv("YC_TEST_APP_CONNINFO"));
	adb2 = db_open(getenv("YC_TEST_APP_CONNINFO"));
	if (!db_connected(adb) || !db_connected(adb2)) {
		fprintf(stderr, "cannot connect as the application role\n");
		return -1;
	}
	dbt_office(su, CITY, "加固测试县医保中心", 4);
	dbt_office(su, OTHER, "加固测试另一县医保中心", 4);
	dbt_staff(su, HD_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19660606", 731);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	db_close(&adb);
	db_close(&adb2);
	return dbt_disconnect(&su, &app, NULL, "hd");
}

static int test_setup(void **state)
{
	(void)state;
	dbt_clear_cases(su, CITY);
	dbt_clear_cases(su, OTHER);
	dbt_exec_ok(su, "DELETE FROM yc.intake_draft WHERE staff_no LIKE 'hd\\_%'", 0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.person WHERE id_no LIKE '3609811966%'", 0, NULL);
	dbt_close_sessions(su, "hd");
	return 0;
}

/* ------------------------------------------------------------------ */

/* Point 4: what a terminal would obey never gets stored. */
static void test_texts_refused(void **state)
{
	(void)state;
	long long s = dbt_login_db(adb, "hd_clerk1", HD_PASSWORD, 1, "tests/db/hardening");
	long long before = rows_written();
	struct cases_intake_req q;
	struct cases_intake_out out;
	const char **values;

	/* a name with ESC [ 2 J, a right-to-left override, a C1 CSI */
	assert_int_equal(cases_person_register(adb, s, p1, "张三\033[2J", NULL), CASES_BAD_TEXT);
	assert_int_equal(cases_person_register(adb, s, p1, "张\xe2\x80\xae三", NULL), CASES_BAD_TEXT);
	assert_int_equal(cases_person_register(adb, s, p1, "张\xc2\x9b三", NULL), CASES_BAD_TEXT);
	assert_int_equal(rows_written(), before);
	assert_int_equal(cases_person_register(adb, s, p1, "张三", "13900000009"), CASES_OK);
	before = rows_written();

	/* a form value ending a pass-through print early */
	q = req_of(p1, CO_ACCEPT);
	SEEN(q, "credential", "invoice", "bill", "diagnosis", "application");
	values = (const char **)q.field_values;
	for (size_t i = 0; i < q.nfields; i++)
		if (strcmp(q.field_ids[i], "hospital") == 0)
			values[i] = "丰城市人民医院\033[4i";
	assert_int_equal(cases_intake(adb, s, &q, &out), CASES_BAD_TEXT);
	assert_int_equal(rows_written(), before);

	/* a refusal reason with an override */
	q = req_of(p1, CO_REJECT);
	q.reason = "材料不全\xe2\x80\xae";
	assert_int_equal(cases_intake(adb, s, &q, &out), CASES_BAD_TEXT);
	assert_int_equal(rows_written(), before);

	/* the owner's own SQL is refused as well, whatever the column */
	dbt_expect_sqlstate(su, "YC010", "UPDATE yc.person SET name = E'张三\\x1b[2J' WHERE id_no LIKE '3609811966%'");
	dbt_expect_sqlstate(su, "YC010", "UPDATE yc.office SET address = E'某路\\u202e1号' WHERE code = '" CITY "'");
	dbt_expect_sqlstate(su, "YC010", "UPDATE yc.staff SET name = E'测试\\x07' WHERE staff_no = 'hd_clerk2'");
	dbt_expect_sqlstate(su, "YC010", "INSERT INTO yc.workday_adjustment (day, kind, name) "
	    "VALUES ('2099-06-02', 'off', E'假\\u2066日')");
	/* a row from before the rule still takes a change of another column */
	dbt_exec_ok(su, "ALTER TABLE yc.person DISABLE TRIGGER person_text_guard", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.person SET name = E'旧\\x1b[2J名' WHERE id_no LIKE '3609811966%'", 0, NULL);
	dbt_exec_ok(su, "ALTER TABLE yc.person ENABLE TRIGGER person_text_guard", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.person SET phone = '13900000010' WHERE id_no LIKE '3609811966%'", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.person SET name = '张三' WHERE id_no LIKE '3609811966%'", 0, NULL);
	dbt_logout_db(adb, s);
}

/* Point 4: a stage note, on the back office's path. */
static void test_stage_note_refused(void **state)
{
	(void)state;
	long long s = dbt_login_db(adb, "hd_clerk1", HD_PASSWORD, 1, "tests/db/hardening");
	long long r1 = dbt_login_db(adb2, "hd_review1", HD_PASSWORD, 0, "tests/db/hardening");
	struct cases_intake_req q;
	struct cases_intake_out o;

	assert_int_equal(cases_person_register(adb, s, p1, "张三", "13900000009"), CASES_OK);
	q = req_of(p1, CO_ACCEPT);
	SEEN(q, "credential", "invoice", "bill", "diagnosis", "application");
	o = intake_ok(adb, s, &q);
	assert_int_equal(stages_complete(adb2, r1, o.case_no, 1, "已审核\033]0;x\007"), CASES_BAD_TEXT);
	dbt_assert_case(su, o.case_no, "stage_no", "1");
	dbt_logout_db(adb, s);
	dbt_logout_db(adb2, r1);
}

/* Point 10: a second completion of a finished stage says who did it. */
static void test_stage_completed_twice(void **state)
{
	(void)state;
	long long s = dbt_login_db(adb, "hd_clerk1", HD_PASSWORD, 1, "tests/db/hardening");
	long long r1 = dbt_login_db(adb2, "hd_review1", HD_PASSWORD, 0, "tests/db/hardening");
	long long r2;
	struct cases_intake_req q;
	struct cases_intake_out o;
	struct cases_change ch;
	char *msg;

	assert_int_equal(cases_person_register(adb, s, p1, "张三", "13900000009"), CASES_OK);
	q = req_of(p1, CO_ACCEPT);
	SEEN(q, "credential", "invoice", "bill", "diagnosis", "application");
	o = intake_ok(adb, s, &q);
	dbt_logout_db(adb, s);
	r2 = dbt_login_db(adb, "hd_review2", HD_PASSWORD, 0, "tests/db/hardening");
	/* both reviewers saw stage 1; the first completes it */
	assert_int_equal(stages_complete(adb2, r1, o.case_no, 1, NULL), CASES_OK);
	assert_int_equal(stages_complete(adb, r2, o.case_no, 1, NULL), CASES_NOT_PENDING);
	dbt_assert_case(su, o.case_no, "stage_no", "2");
	assert_int_equal(cases_last_change(adb, r2, o.case_no, &ch), CASES_OK);
	assert_string_equal(ch.staff_no, "hd_review1");
	assert_string_equal(ch.staff_name, "测试hd_review1");
	assert_string_equal(ch.office_name, "加固测试县医保中心");
	assert_non_null(strstr(ch.what, "完成“"));
	assert_int_equal((int)strlen(ch.at), 16);
	msg = cases_moved_on_message(adb, r2, o.case_no, CASES_NOT_PENDING);
	assert_non_null(strstr(msg, "测试hd_review1 (加固测试县医保中心)"));
	assert_null(strstr(msg, "material"));
	free(msg);
	/* nothing of a case out of reach */
	dbt_logout_db(adb, r2);
	r2 = dbt_login_db(adb, "hd_other", HD_PASSWORD, 1, "tests/db/hardening");
	assert_int_equal(cases_last_change(adb, r2, o.case_no, &ch), CASES_NOT_FOUND);
	dbt_logout_db(adb, r2);
	dbt_logout_db(adb2, r1);
}

/* The backend of conn waits for a lock (bounded: about 5 s). */
static bool waiting_on_lock(PGconn *conn)
{
	char pid[16];
	const char *p[] = { pid };

	snprintf(pid, sizeof pid, "%d", PQbackendPID(conn));
	for (int i = 0; i < 500; i++) {
		if (dbt_query_ll(su, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int "
		    "AND wait_event_type = 'Lock'", 1, p) == 1)
			return true;
		usleep(10000);
	}
	return false;
}

/* Point 10: two 补正 of one case at once, one at the case's county and one
 * at another county of the prefecture: the second waits on the first's
 * lock, then is refused as not_pending (not not_found, although the
 * accepted case is out of its reach now) and is told who did it. */
static void test_two_supplements_at_once(void **state)
{
	(void)state;
	long long s = dbt_login_db(adb, "hd_clerk1", HD_PASSWORD, 1, "tests/db/hardening");
	long long w, l;
	struct cases_intake_req q, k;
	struct cases_intake_out o, c;
	char sid[24];
	PGresult *res;

	assert_int_equal(cases_person_register(adb, s, p1, "张三", "13900000009"), CASES_OK);
	q = req_of(p1, CO_SUPPLEMENT);
	SEEN(q, "credential", "invoice", "diagnosis", "application");
	o = intake_ok(adb, s, &q);
	assert_string_equal(o.status, "pending_supplement");
	dbt_logout_db(adb, s);

	w = dbt_login_db(adb, "hd_clerk2", HD_PASSWORD, 2, "tests/db/hardening");
	l = dbt_login(app, "hd_other", HD_PASSWORD, 1, "tests/db/hardening");
	k = (struct cases_intake_req){ .continue_case = o.case_no, .outcome = CO_ACCEPT };
	SEEN(k, "bill");
	assert_int_equal(db_exec(adb, "BEGIN", 0, NULL), DB_OK);
	c = intake_ok(adb, w, &k);
	assert_string_equal(c.status, "accepted");
	/* the other county's 补正 of the same case, while the first is not committed */
	snprintf(sid, sizeof sid, "%lld", l);
	assert_int_equal(PQsendQueryParams(app, "SELECT result FROM yc.case_intake($1::bigint, $2, NULL, NULL, "
	    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{bill}', '{}', 'accept', NULL, NULL, NULL)",
	    2, NULL, (const char *[]){ sid, o.case_no }, NULL, NULL, 0), 1);
	assert_true(waiting_on_lock(app));
	assert_int_equal(db_exec(adb, "COMMIT", 0, NULL), DB_OK);
	res = PQgetResult(app);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(res, 0, 0), "not_pending");
	PQclear(res);
	while ((res = PQgetResult(app)) != NULL)
		PQclear(res);
	/* accepted once */
	dbt_assert_case(su, o.case_no, "status", "accepted");
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.case_event WHERE case_no = $1 AND kind LIKE 'continue_%'",
	    1, (const char *[]){ o.case_no });
	/* who did it, for the loser's message */
	dbt_assert_query(app, "ok hd_clerk2 测试hd_clerk2 加固测试县医保中心 补正后受理",
	    "SELECT result || ' ' || staff_no || ' ' || staff_name || ' ' || office_name || ' ' || what "
	    "FROM yc.case_last_change($1::bigint, $2)", 2, (const char *[]){ sid, o.case_no });
	dbt_logout(app, l);
	dbt_logout_db(adb, w);
}

/* Point 11: drafts (a bank card in them) expire after draft_expire_days. */
static void test_drafts_expire(void **state)
{
	(void)state;
	long long a = dbt_login(app, "hd_clerk1", HD_PASSWORD, 1, "tests/db/hardening");
	long long b;
	char sa[24], sb[24];
	long long mark = dbt_audit_mark(su);

	snprintf(sa, sizeof sa, "%lld", a);
	dbt_assert_query(app, "ok", "SELECT yc.draft_save($1::bigint, 'card 6222021234567890128')", 1,
	    (const char *[]){ sa });
	dbt_logout(app, a);
	b = dbt_login(app, "hd_clerk2", HD_PASSWORD, 2, "tests/db/hardening");
	snprintf(sb, sizeof sb, "%lld", b);
	dbt_assert_query(app, "ok", "SELECT yc.draft_save($1::bigint, 'card 6222021234567890136')", 1,
	    (const char *[]){ sb });
	dbt_exec_ok(su, "UPDATE yc.intake_draft SET saved_at = now() - interval '31 days' WHERE staff_no = 'hd_clerk1'",
	    0, NULL);
	dbt_exec_ok(su, "UPDATE yc.intake_draft SET saved_at = now() - interval '29 days' WHERE staff_no = 'hd_clerk2'",
	    0, NULL);
	/* the setting: known, 30 by default, 1 to 365 */
	dbt_assert_query(su, "30 30 1 365", "SELECT value || ' ' || default_value || ' ' || min_value || ' ' || "
	    "max_value FROM yc.setting WHERE key = 'draft_expire_days'", 0, NULL);
	/* with 60 days both stay */
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '60' WHERE key = 'draft_expire_days'", 0, NULL);
	dbt_assert_query(app, "ok", "SELECT result FROM yc.draft_get($1::bigint)", 1, (const char *[]){ sb });
	dbt_assert_query(su, "2", "SELECT count(*) FROM yc.intake_draft WHERE staff_no LIKE 'hd\\_%'", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '30' WHERE key = 'draft_expire_days'", 0, NULL);
	/* anyone's next draft_get sweeps the 31-day one, audited without its body */
	dbt_assert_query(app, "ok card 6222021234567890136", "SELECT result || ' ' || body FROM yc.draft_get($1::bigint)",
	    1, (const char *[]){ sb });
	dbt_assert_query(su, "hd_clerk2", "SELECT string_agg(staff_no, ',') FROM yc.intake_draft "
	    "WHERE staff_no LIKE 'hd\\_%'", 0, NULL);
	assert_int_equal(dbt_audit_count(su, mark, CITY, "draft_expired", "intake_draft:hd_clerk1"), 1);
	snprintf(sa, sizeof sa, "%lld", mark);
	dbt_assert_query(su, "f", "SELECT bool_or(coalesce(after::text, '') || coalesce(before::text, '') "
	    "LIKE '%6222%') FROM yc.audit_log WHERE action = 'draft_expired' AND audit_id > $1::bigint", 1,
	    (const char *[]){ sa });
	dbt_logout(app, b);
	a = dbt_login(app, "hd_clerk1", HD_PASSWORD, 1, "tests/db/hardening");
	snprintf(sa, sizeof sa, "%lld", a);
	dbt_assert_query(app, "not_found", "SELECT result FROM yc.draft_get($1::bigint)", 1, (const char *[]){ sa });
	dbt_logout(app, a);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_texts_refused),
		T(test_stage_note_refused),
		T(test_stage_completed_twice),
		T(test_two_supplements_at_once),
		T(test_drafts_expire),
	};
	return cmocka_run_group_tests_name("db_hardening", tests, group_setup, group_teardown);
}
