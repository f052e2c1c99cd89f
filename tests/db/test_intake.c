/*
 * The one-window intake (db/migrations/0005_intake.sql, tui/store/cases.c)
 * against a migrated cluster with the shipped catalogue loaded: numbers,
 * promised and stage dates by the official calendar, refusals that write
 * nothing, 一次性告知 and 补正 at another office of the city, 容缺, 不予受理,
 * 即时办结, lookup, duplicates, the deadline board, 好差评, drafts, audit,
 * NOTIFY, privileges and indexes.
 *
 * Environment as for every db suite (tests/run.sh):
 *   PGHOST, PGDATABASE, PGUSER=postgres    superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                    the application role
 *
 * The tests work in their own city, 360984 (city hall, townships
 * 360984001 and 360984002), with their own staff (tc_*), plus one clerk of
 * another prefecture (360185) who must see nothing. Each test empties the case
 * tables of these offices first, so the suite can run again on the same
 * cluster. Calls go through cases.c on the superuser connection, whose
 * clock the tests set (yc.test_now); the application role's rights are
 * checked separately. Dates were counted by hand on
 * db/calendar/cn-workday-calendar.tsv (2026: 国庆 10-01..07 with 10-10
 * worked, 春节 02-15..23 with 02-14 worked).
 *
 * Case types of forms/ used (the latest loaded version of each):
 *   002036012001 缴费基数申报   city only, 5 working days, any-of group
 *   002036007001 产前检查费支付 20 days, stages 12/5/3, deferrable any-of group
 *   002036006001 门诊费用报销   30 days, stages 20/5/5, chronic_cert defer 10, proxy
 *   002036003001 出具参保凭证   即时办结, proxy
 *   002036004002 异地长期居住人员备案 即时办结, every tier; 承诺制: the pledge
 *                of the any-of group residence_proof (unit_proof |
 *                residence | pledge)
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

#include "store/auth.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/stages.h"

#define CITY "360984"
#define TOWN "360984001"
#define TOWN2 "360984002"
#define OTHER_CITY "360185"	/* another prefecture (南昌): 全市通办 stops there */
#define TC_PASSWORD "Tc-Secret-7"

#define T_BASE "002036012001"	/* 5 working days, city only */
#define T_BIRTH "002036007001"	/* 20 days, stages 12/5/3 */
#define T_CLINIC "002036006001"	/* 30 days, stages 20/5/5, chronic_cert defer 10 */
#define T_CERT "002036003001"	/* 即时办结 */
#define T_RESIDE "002036004002"	/* 即时办结, 承诺制 */

#define IDS(...) ((const char *const[]){ __VA_ARGS__ })
#define NIDS(...) (sizeof(IDS(__VA_ARGS__)) / sizeof(const char *))
#define SEEN(q, ...) ((q).seen = IDS(__VA_ARGS__), (q).nseen = NIDS(__VA_ARGS__))
#define DEFER(q, ...) ((q).deferred = IDS(__VA_ARGS__), (q).ndeferred = NIDS(__VA_ARGS__))

static PGconn *su;		/* superuser */
static PGconn *app;		/* yichuang_app */
static struct db *dsu;		/* superuser through cases.c: may set the clock */
static char p1[19], p2[19];	/* two registered applicants */

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static long long login(const char *staff, int window)
{
	return dbt_login(app, staff, TC_PASSWORD, window, "tests/db/intake");
}

static void logout(long long sid)
{
	dbt_logout(app, sid);
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

/* Rows of the case tables in the test city: changes when anything is written. */
static long long rows_written(void)
{
	return dbt_query_ll(su, "SELECT (SELECT count(*) FROM yc.service_case WHERE office_code LIKE '360984%')"
	    " + (SELECT count(*) FROM yc.case_material WHERE office_code LIKE '360984%')"
	    " + (SELECT count(*) FROM yc.case_stage WHERE office_code LIKE '360984%')"
	    " + (SELECT count(*) FROM yc.notice WHERE office_code LIKE '360984%')"
	    " + (SELECT count(*) FROM yc.case_event WHERE office_code LIKE '360984%')"
	    " + (SELECT coalesce(sum(last_seq), 0) FROM yc.case_counter WHERE office_code LIKE '360984%')"
	    " + (SELECT count(*) FROM yc.audit_log WHERE office_code LIKE '360984%')", 0, NULL);
}

/* A new-case request: no agent, the whole form (dbt_form), no ticket, nothing seen. */
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

/* A 补正 request. */
static struct cases_intake_req req_continue(const char *case_no, enum cases_outcome o)
{
	struct cases_intake_req q = { 0 };

	q.continue_case = case_no;
	q.outcome = o;
	return q;
}

static struct cases_intake_out intake_ok(long long sid, const struct cases_intake_req *q)
{
	struct cases_intake_out out;
	enum cases_result r = cases_intake(dsu, sid, q, &out);

	if (r != CASES_OK)
		print_error("# intake: %s (%s)\n", cases_result_message(r), db_detail(dsu));
	assert_int_equal(r, CASES_OK);
	return out;
}

/* An intake that must be refused with want, writing nothing. */
static void intake_refused(long long sid, const struct cases_intake_req *q, enum cases_result want)
{
	struct cases_intake_out out;
	long long before = rows_written();
	enum cases_result r = cases_intake(dsu, sid, q, &out);

	if (r != want)
		print_error("# intake: got %d (%s), want %d\n", r, db_detail(dsu), want);
	assert_int_equal(r, want);
	assert_string_equal(out.case_no, "");
	assert_int_equal(rows_written(), before);
}

/* The state of one material of a case. */
static void assert_material(long long sid, const char *case_no, const char *id, const char *state,
    const char *due)
{
	struct cases_material m[16];
	enum cases_result r;
	int n = cases_materials(dsu, sid, case_no, m, 16, &r);

	assert_int_equal(r, CASES_OK);
	for (int i = 0; i < n; i++)
		if (strcmp(m[i].id, id) == 0) {
			assert_string_equal(m[i].state, state);
			assert_string_equal(m[i].due, due);
			return;
		}
	print_error("# material %s not in case %s\n", id, case_no);
	fail();
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static const char *const staff_rows[][3] = {
	{ "tc_clerk1", "clerk", CITY },
	{ "tc_clerk2", "clerk", CITY },
	{ "tc_town", "clerk", TOWN },
	{ "tc_town2", "clerk", TOWN2 },
	{ "tc_super", "supervisor", CITY },
	{ "tc_guide", "guide", CITY },
	{ "tc_other", "clerk", OTHER_CITY },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dbt_office(su, CITY, "受理测试市医保中心", 4);
	dbt_office(su, OTHER_CITY, "另一测试市医保中心", 4);
	dbt_office(su, TOWN, "受理测试一街道", 4);
	dbt_office(su, TOWN2, "受理测试二街道", 4);
	dbt_staff(su, TC_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19880101", 741);
	dbt_make_id(p2, "19900202", 742);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return dbt_disconnect(&su, &app, &dsu, "tc");
}

/* Empties the case tables of the test offices; registers the applicants. */
static int test_setup(void **state)
{
	(void)state;
	dbt_exec_ok(su, "DELETE FROM yc.rating WHERE office_code LIKE '36098_%'"
	    " AND staff_no LIKE 'tc\\_%'", 0, NULL);
	dbt_clear_cases(su, CITY);
	dbt_exec_ok(su, "DELETE FROM yc.intake_draft WHERE staff_no LIKE 'tc\\_%'", 0, NULL);
	dbt_close_sessions(su, "tc");
	dbt_clock(dsu, "");
	long long s = login("tc_clerk1", 1);
	assert_int_equal(cases_person_register(dsu, s, p1, "测试申请人甲", "13900000001"), CASES_OK);
	assert_int_equal(cases_person_register(dsu, s, p2, "测试申请人乙", NULL), CASES_OK);
	dbt_insured(su, p1, CITY);
	logout(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* numbers and dates                                                   */
/* ------------------------------------------------------------------ */

static void test_numbers(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1), t = login("tc_town", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_SUPPLEMENT);
	struct cases_intake_out a, b, c;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential");
	a = intake_ok(s, &q);
	b = intake_ok(s, &q);
	c = intake_ok(t, &q);
	/* office code + yyyymmdd + 4 digits, per office and day */
	assert_string_equal(a.case_no, "360984202609300001");
	assert_string_equal(a.notice_no, "N360984202609300001");
	assert_string_equal(b.case_no, "360984202609300002");
	assert_string_equal(b.notice_no, "N360984202609300002");
	assert_string_equal(c.case_no, "360984001202609300001");
	assert_string_equal(c.notice_no, "N360984001202609300001");
	/* a case without a notice takes no notice number */
	q.outcome = CO_ACCEPT;
	SEEN(q, "credential", "invoice", "bill", "discharge", "application");
	a = intake_ok(s, &q);
	assert_string_equal(a.case_no, "360984202609300003");
	assert_string_equal(a.notice_no, "");
	/* a refused intake uses no number */
	q.nseen = 1;
	intake_refused(s, &q, CASES_INCOMPLETE);
	/* the next day starts again at 0001 */
	dbt_clock(dsu, "2026-10-08 09:00+08");
	SEEN(q, "credential", "invoice", "bill", "discharge", "application");
	a = intake_ok(s, &q);
	assert_string_equal(a.case_no, "360984202610080001");

	/* 9999 a day at most */
	dbt_exec_ok(su, "UPDATE yc.case_counter SET last_seq = 9999 WHERE office_code = '" CITY "'"
	    " AND day = '2026-10-08' AND kind = 'case'", 0, NULL);
	intake_refused(s, &q, CASES_NUMBERS_EXHAUSTED);
	dbt_assert_query(su, "9999", "SELECT last_seq::text FROM yc.case_counter WHERE office_code = '" CITY "'"
	    " AND day = '2026-10-08' AND kind = 'case'", 0, NULL);
	logout(s);
	logout(t);
}

static void test_accept_promised_by_calendar(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 2);
	struct cases_intake_req q = req_of(T_BASE, p1, CO_ACCEPT);
	struct cases_intake_out o;

	SEEN(q, "agent_id", "base_form", "payroll");
	/* Wednesday before 国庆: 10-01..07 off, Saturday 10-10 worked */
	dbt_clock(dsu, "2026-09-30 16:30+08");
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "accepted");
	assert_string_equal(o.accepted, "2026-09-30");
	assert_string_equal(o.promised, "2026-10-13");
	dbt_assert_case(su, o.case_no, "limit_days", "5");
	dbt_assert_case(su, o.case_no, "promised_date", "2026-10-13");
	dbt_assert_case(su, o.case_no, "first_staff_no || '/' || window_no", "tc_clerk1/2");
	dbt_assert_case(su, o.case_no, "stage_no", "");
	/* the any-of alternative not presented is not needed */
	assert_material(s, o.case_no, "payroll", "seen", "");
	assert_material(s, o.case_no, "staff_detail", "not_needed", "");

	/* Friday before 春节: Saturday 02-14 worked, 02-15..23 off */
	dbt_clock(dsu, "2026-02-13 09:00+08");
	o = intake_ok(s, &q);
	assert_string_equal(o.accepted, "2026-02-13");
	assert_string_equal(o.promised, "2026-02-27");
	/* an acceptance late in the evening counts on its day in Beijing */
	dbt_clock(dsu, "2026-02-12 23:30+08");
	o = intake_ok(s, &q);
	assert_string_equal(o.accepted, "2026-02-12");
	assert_string_equal(o.promised, "2026-02-26");
	logout(s);
}

static void test_stages_cumulative(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_ACCEPT);
	struct cases_intake_out o;
	const char *p[1];

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential", "invoice", "bill", "diagnosis", "application");
	o = intake_ok(s, &q);
	p[0] = o.case_no;
	assert_string_equal(o.promised, "2026-11-03");
	/* 12, 12 + 5, 12 + 5 + 3 working days after acceptance */
	dbt_assert_query(su, "1:12:2026-10-22:t,2:5:2026-10-29:f,3:3:2026-11-03:f",
	    "SELECT string_agg(stage_no || ':' || days || ':' || due_date || ':'"
	    " || (started_at IS NOT NULL)::text::char, ',' ORDER BY stage_no)"
	    " FROM yc.case_stage WHERE case_no = $1", 1, p);
	dbt_assert_case(su, o.case_no, "stage_no", "1");
	dbt_assert_case(su, o.case_no, "limit_days", "20");
	logout(s);
}

static void test_calendar_beyond_loaded(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_ACCEPT);

	/* 20 working days after 2099-12-28 fall in 2100, past the statutory
	 * table: not loaded, an error and never a guess */
	dbt_clock(dsu, "2099-12-28 10:00+08");
	SEEN(q, "credential", "invoice", "bill", "diagnosis", "application");
	intake_refused(s, &q, CASES_CALENDAR);
	/* a notice needs no date: it works */
	q.outcome = CO_SUPPLEMENT;
	q.nseen = 1;
	intake_ok(s, &q);
	logout(s);
}

/* ------------------------------------------------------------------ */
/* outcomes                                                            */
/* ------------------------------------------------------------------ */

static void test_incomplete_writes_nothing(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_ACCEPT);

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential", "invoice", "bill", "application");
	intake_refused(s, &q, CASES_INCOMPLETE);
	q = req_of(T_CERT, p1, CO_IMMEDIATE);
	intake_refused(s, &q, CASES_INCOMPLETE);
	/* nothing missing: nothing to notify, nothing to defer */
	q = req_of(T_BASE, p1, CO_SUPPLEMENT);
	SEEN(q, "agent_id", "base_form", "staff_detail");
	intake_refused(s, &q, CASES_NOTHING_MISSING);
	q.outcome = CO_DEFER;
	intake_refused(s, &q, CASES_NOTHING_MISSING);
	logout(s);
}

static void test_supplement_then_continue_elsewhere(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 3), t = login("tc_town", 2);
	long long mark = audit_mark();
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_SUPPLEMENT);
	struct cases_intake_out o, c;
	struct cases_found f[4];
	enum cases_result r;
	const char *p[1];

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential", "invoice");
	o = intake_ok(s, &q);
	p[0] = o.case_no;
	assert_string_equal(o.status, "pending_supplement");
	assert_string_equal(o.accepted, "");
	assert_string_equal(o.promised, "");
	/* one notice lists every missing material, the group's members included */
	dbt_assert_query(su, "supplement:bill,discharge,diagnosis,application",
	    "SELECT kind || ':' || (SELECT string_agg(m->>'id', ',') FROM"
	    " jsonb_array_elements(body->'missing') m) FROM yc.notice WHERE case_no = $1", 1, p);
	dbt_assert_query(su, "bill,discharge,diagnosis,application", "SELECT string_agg(material_id, ','"
	    " ORDER BY ord) FROM yc.case_material WHERE case_no = $1 AND noticed", 1, p);

	/* a week later at a township office of the city, by the notice number */
	dbt_clock(dsu, "2026-10-09 10:00+08");
	assert_int_equal(cases_lookup(dsu, t, o.notice_no + 1, f, 4, &r), 1);
	assert_int_equal(r, CASES_OK);
	assert_string_equal(f[0].case_no, o.case_no);
	assert_string_equal(f[0].office_code, CITY);
	assert_string_equal(f[0].notice_no, o.notice_no);
	assert_string_equal(f[0].status, "pending_supplement");
	assert_string_equal(f[0].id_no, p1);
	assert_string_equal(f[0].person_name, "测试申请人甲");

	struct cases_intake_req k = req_continue(o.case_no, CO_ACCEPT);
	SEEN(k, "bill", "diagnosis", "application");
	c = intake_ok(t, &k);
	assert_string_equal(c.case_no, o.case_no);
	assert_string_equal(c.status, "accepted");
	assert_string_equal(c.accepted, "2026-10-09");
	assert_string_equal(c.promised, "2026-11-05");
	/* 首问负责: the case stays with its office and first clerk */
	dbt_assert_case(su, o.case_no, "office_code || '/' || first_staff_no || '/' || window_no",
	    CITY "/tc_clerk1/3");
	assert_material(t, o.case_no, "invoice", "seen", "");
	assert_material(t, o.case_no, "bill", "supplied", "");
	assert_material(t, o.case_no, "diagnosis", "supplied", "");
	assert_material(t, o.case_no, "discharge", "not_needed", "");
	/* who continued, where: in the event and the audit row */
	dbt_assert_query(su, "continue_accept:tc_town:" TOWN ":2", "SELECT kind || ':' || staff_no || ':'"
	    " || (detail->>'office_code') || ':' || (detail->>'window_no') FROM yc.case_event"
	    " WHERE case_no = $1 ORDER BY seq DESC LIMIT 1", 1, p);
	char *obj;
	assert_true(asprintf(&obj, "case:%s/%s", CITY, o.case_no) > 0);
	assert_int_equal(audit_count(mark, CITY, "case_intake_supplement", obj), 1);
	assert_int_equal(audit_count(mark, TOWN, "case_continue_accept", obj), 1);
	char m[24];
	const char *po[] = { obj, m };
	snprintf(m, sizeof m, "%lld", mark);
	dbt_assert_query(su, "tc_town:2:pending_supplement:accepted", "SELECT staff_no || ':' || window_no"
	    " || ':' || (before->>'status') || ':' || (after->>'status') FROM yc.audit_log"
	    " WHERE object = $1 AND action = 'case_continue_accept' AND audit_id > $2::bigint", 2, po);
	free(obj);
	/* once accepted it is no longer waiting */
	intake_refused(t, &k, CASES_NOT_PENDING);
	logout(s);
	logout(t);
}

/* 邮寄办: the return address and the waybill of what came, the waybill of
 * what went back; a case is found by a waybill number. */
static void test_mail(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1), g = login("tc_guide", 0), t = login("tc_town", 2);
	long long mark = audit_mark();
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_SUPPLEMENT);
	struct cases_intake_out o, c;
	struct cases_found f[4];
	enum cases_result r;
	const char *p[1];
	char *obj, *body;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	q.channel = CH_MAIL;
	SEEN(q, "credential", "invoice");
	/* a case by mail needs both, and a waybill that is one */
	intake_refused(s, &q, CASES_MAIL_NEEDED);
	q.mail_address = "江西省丰城市剑光街道测试路8号 测试申请人甲 13900000001";
	intake_refused(s, &q, CASES_MAIL_NEEDED);
	q.mail_tracking = "SF-12";
	intake_refused(s, &q, CASES_BAD_TRACKING);
	q.mail_tracking = "sf 1234 5678 9012";
	o = intake_ok(s, &q);
	p[0] = o.case_no;
	dbt_assert_query(su, "in|SF123456789012|申请材料|tc_clerk1|江西省丰城市剑光街道测试路8号 测试申请人甲 13900000001",
	    "SELECT concat_ws('|', direction, tracking_no, contents, staff_no, address) FROM yc.case_mail"
	    " WHERE case_no = $1", 1, p);
	assert_true(asprintf(&obj, "case:%s/%s", CITY, o.case_no) > 0);
	assert_int_equal(audit_count(mark, CITY, "case_mail_in", obj), 1);
	/* mail details on a case not taken by mail are refused */
	struct cases_intake_req w = req_of(T_BIRTH, p2, CO_SUPPLEMENT);
	SEEN(w, "credential");
	w.mail_tracking = "SF123456789013";
	intake_refused(s, &w, CASES_BAD_INPUT);

	/* the package with the 补正 materials, found by the first waybill at a
	 * township: the address stays the one recorded */
	dbt_clock(dsu, "2026-10-09 10:00+08");
	assert_int_equal(cases_lookup(dsu, t, "SF 1234 5678 9012", f, 4, &r), 1);
	assert_int_equal(r, CASES_OK);
	assert_string_equal(f[0].case_no, o.case_no);
	struct cases_intake_req k = req_continue(o.case_no, CO_ACCEPT);
	SEEN(k, "bill", "diagnosis", "application");
	k.mail_tracking = "EA123456789CN";
	c = intake_ok(t, &k);
	assert_string_equal(c.status, "accepted");
	dbt_assert_query(su, "2:in:EA123456789CN:补正材料:江西省丰城市剑光街道测试路8号 测试申请人甲 13900000001",
	    "SELECT seq || ':' || direction || ':' || tracking_no || ':' || contents || ':' || address"
	    " FROM yc.case_mail WHERE case_no = $1 ORDER BY seq DESC LIMIT 1", 1, p);

	/* the 受理通知书 mailed back: to the recorded address by default */
	assert_int_equal(stages_mail_out(dsu, g, o.case_no, "YT1234567890123", NULL, NULL), CASES_NOT_ALLOWED);
	assert_int_equal(stages_mail_out(dsu, s, o.case_no, "12", NULL, NULL), CASES_BAD_TRACKING);
	long long oth = login("tc_other", 1);
	assert_int_equal(stages_mail_out(dsu, oth, o.case_no, "YT1234567890123", NULL, NULL), CASES_NOT_FOUND);
	logout(oth);
	assert_int_equal(stages_mail_out(dsu, s, o.case_no, "YT1234567890123", "受理通知书", NULL), CASES_OK);
	dbt_assert_query(su, "out|YT1234567890123|受理通知书|江西省丰城市剑光街道测试路8号 测试申请人甲 13900000001",
	    "SELECT concat_ws('|', direction, tracking_no, contents, address) FROM yc.case_mail"
	    " WHERE case_no = $1 ORDER BY seq DESC LIMIT 1", 1, p);
	assert_int_equal(audit_count(mark, CITY, "case_mail_out", obj), 1);
	/* the case view lists the three packages, the history says so */
	body = stages_case(dsu, s, o.case_no, &r);
	assert_non_null(body);
	assert_non_null(strstr(body, "\"tracking_no\": \"EA123456789CN\""));
	assert_non_null(strstr(body, "邮寄送达受理通知书（运单号YT1234567890123）"));
	free(body);
	/* a case that came in person may have its result posted, to an address given */
	w.mail_tracking = NULL;
	o = intake_ok(s, &w);
	assert_int_equal(stages_mail_out(dsu, s, o.case_no, "JD0012345678", NULL, NULL), CASES_ADDRESS_NEEDED);
	assert_int_equal(stages_mail_out(dsu, s, o.case_no, "JD0012345678", NULL, "江西省丰城市测试镇1号"),
	    CASES_OK);
	/* the application role may call it, and cannot read the table */
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.case_mail");
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname = 'case_mail_out'"
	    " AND has_function_privilege('yichuang_app', p.oid, 'EXECUTE') AND p.prosecdef", 0, NULL), 1);
	free(obj);
	logout(s);
	logout(g);
	logout(t);
}

static void test_continue_only_what_the_notice_lists(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1), t = login("tc_town2", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p2, CO_SUPPLEMENT);
	struct cases_intake_out o, n2;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential", "invoice", "discharge");
	o = intake_ok(s, &q);
	dbt_clock(dsu, "2026-10-09 15:00+08");

	/* the group was satisfied: its other member was never asked for */
	struct cases_intake_req k = req_continue(o.case_no, CO_ACCEPT);
	SEEN(k, "bill", "application", "diagnosis");
	intake_refused(t, &k, CASES_NOT_ON_NOTICE);
	/* an id the case does not have */
	SEEN(k, "bill", "no_such_material");
	intake_refused(t, &k, CASES_BAD_INPUT);
	/* what was seen at the first visit may be ticked again: it stays seen */
	SEEN(k, "bill", "invoice");
	k.outcome = CO_SUPPLEMENT;
	n2 = intake_ok(t, &k);
	/* a second notice lists only what is still missing, numbered where issued */
	assert_string_equal(n2.status, "pending_supplement");
	assert_true(strncmp(n2.notice_no, "N" TOWN2 "20261009", 1 + 9 + 8) == 0);
	const char *pn[] = { n2.notice_no };
	dbt_assert_query(su, "supplement:" CITY ":application", "SELECT kind || ':' || office_code || ':'"
	    " || (SELECT string_agg(m->>'id', ',') FROM jsonb_array_elements(body->'missing') m)"
	    " FROM yc.notice WHERE notice_no = $1", 1, pn);
	assert_material(s, o.case_no, "invoice", "seen", "");
	assert_material(s, o.case_no, "bill", "supplied", "");
	/* lookup shows the latest notice */
	struct cases_found f[2];
	enum cases_result r;
	assert_int_equal(cases_lookup(dsu, s, o.case_no, f, 2, &r), 1);
	assert_string_equal(f[0].notice_no, n2.notice_no);
	/* the first notice still finds the case */
	assert_int_equal(cases_lookup(dsu, s, o.notice_no, f, 2, &r), 1);
	assert_string_equal(f[0].case_no, o.case_no);
	logout(s);
	logout(t);
}

static void test_defer(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_DEFER);
	struct cases_intake_out o;
	const char *p[1];

	dbt_clock(dsu, "2026-09-30 10:00+08");
	/* a key material (identity) can never be deferred */
	SEEN(q, "invoice", "bill");
	DEFER(q, "credential", "chronic_cert");
	intake_refused(s, &q, CASES_NOT_DEFERRABLE);
	/* nor one without defer days */
	SEEN(q, "credential", "bill");
	DEFER(q, "invoice", "chronic_cert");
	intake_refused(s, &q, CASES_NOT_DEFERRABLE);
	/* every missing material must be named */
	SEEN(q, "credential", "invoice", "bill");
	q.ndeferred = 0;
	intake_refused(s, &q, CASES_INCOMPLETE);
	/* a seen material cannot be deferred; deferring needs the defer outcome */
	DEFER(q, "chronic_cert", "bill");
	intake_refused(s, &q, CASES_BAD_INPUT);
	DEFER(q, "chronic_cert");
	q.outcome = CO_SUPPLEMENT;
	intake_refused(s, &q, CASES_BAD_INPUT);
	/* 即时办结 items are never deferred */
	struct cases_intake_req im = req_of(T_CERT, p1, CO_DEFER);
	intake_refused(s, &im, CASES_NOT_DEFERRABLE);

	q.outcome = CO_DEFER;
	o = intake_ok(s, &q);
	p[0] = o.case_no;
	assert_string_equal(o.status, "accepted");
	assert_string_equal(o.accepted, "2026-09-30");
	assert_string_equal(o.promised, "2026-11-17");
	/* due 10 working days after acceptance, across 国庆 */
	assert_material(s, o.case_no, "chronic_cert", "deferred", "2026-10-20");
	dbt_assert_query(su, "deferred:chronic_cert:2026-10-20", "SELECT kind || ':' || (body->'deferred'->0->>'id')"
	    " || ':' || (body->'deferred'->0->>'due') FROM yc.notice WHERE case_no = $1", 1, p);
	assert_true(strncmp(o.notice_no, "N" CITY "20260930", 15) == 0);
	/* supplied later: audited */
	long long mark = audit_mark();
	assert_int_equal(cases_supply(dsu, s, o.case_no, "bill"), CASES_NOT_PENDING);
	assert_int_equal(cases_supply(dsu, s, o.case_no, "nothing"), CASES_BAD_INPUT);
	assert_int_equal(cases_supply(dsu, s, "360984209901010001", "chronic_cert"), CASES_NOT_FOUND);
	assert_int_equal(cases_supply(dsu, s, o.case_no, "chronic_cert"), CASES_OK);
	assert_material(s, o.case_no, "chronic_cert", "supplied", "");
	assert_int_equal(audit_count(mark, CITY, "case_supply", NULL), 1);
	assert_int_equal(cases_supply(dsu, s, o.case_no, "chronic_cert"), CASES_NOT_PENDING);
	logout(s);
}

static void test_defer_group(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_DEFER);
	struct cases_intake_out o;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential", "invoice", "bill", "application");
	DEFER(q, "diagnosis");
	o = intake_ok(s, &q);
	assert_material(s, o.case_no, "diagnosis", "deferred", "2026-10-13");
	assert_material(s, o.case_no, "discharge", "not_needed", "");
	/* the 承诺书 names the group, not only the member the clerk ticked */
	dbt_assert_query(su, "出院记录或诊断证明 2026年10月13日", "SELECT (d->'deferred'->0->>'name') || ' ' ||"
	    " (d->'deferred'->0->>'due') FROM yc.case_document($1, 'commitment') d", 1,
	    (const char *[]){ o.case_no });
	/* the other member of the group may be brought instead */
	assert_int_equal(cases_supply(dsu, s, o.case_no, "discharge"), CASES_OK);
	assert_material(s, o.case_no, "discharge", "supplied", "");
	assert_material(s, o.case_no, "diagnosis", "not_needed", "");
	logout(s);
}

/* The acceptance document has the title the definition gives it: seed
 * 002's 《基本医疗保险医疗费用零星报销受理单》 for a 零星报销; none for an
 * item whose definition names none (the template says 受理通知书). */
static void test_document_title(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_ACCEPT);
	struct cases_intake_out o;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential", "invoice", "bill", "chronic_cert");
	o = intake_ok(s, &q);
	dbt_assert_query(su, "true|基本医疗保险医疗费用零星报销受理单", "SELECT (d->>'has_title') || '|' ||"
	    " (d->>'title') FROM yc.case_document($1, 'acceptance-notice') d", 1, (const char *[]){ o.case_no });
	q = req_of(T_BASE, p2, CO_ACCEPT);
	SEEN(q, "agent_id", "base_form", "payroll");
	o = intake_ok(s, &q);
	dbt_assert_query(su, "false|", "SELECT (d->>'has_title') || '|' || (d->>'title')"
	    " FROM yc.case_document($1, 'acceptance-notice') d", 1, (const char *[]){ o.case_no });
	logout(s);
}

/* 承诺制 (洪医保发〔2022〕83号 第（七）项): at a township office a 备案 is
 * finished at once with the ID, the filing form and the signed pledge,
 * no residence or unit proof; the pledge is recorded as seen (in the
 * material row, the event and the audit row) and the proofs as not
 * needed; the 个人承诺书 prints with the proofs it replaced. Without the
 * pledge the proofs are still needed; the pledge is no material of a type
 * without one (bad_input); a case that did not take it has no 承诺书. */
static void test_pledge(void **state)
{
	(void)state;
	long long t = login("tc_town", 1), s = login("tc_clerk1", 1);
	long long mark = audit_mark();
	struct cases_intake_req q = req_of(T_RESIDE, p1, CO_IMMEDIATE);
	struct cases_intake_out o;
	enum cases_result r;
	char *doc, *obj, m[24];
	const char *p[1];

	dbt_clock(dsu, "2026-09-30 10:00+08");
	/* the proofs are needed without the pledge */
	SEEN(q, "filing_form", "id_copy");
	intake_refused(t, &q, CASES_INCOMPLETE);
	SEEN(q, "filing_form", "pledge", "id_copy");
	o = intake_ok(t, &q);
	p[0] = o.case_no;
	assert_string_equal(o.status, "finished");
	assert_string_equal(o.accepted, "2026-09-30");
	assert_true(strncmp(o.case_no, TOWN, 9) == 0);
	assert_material(t, o.case_no, "pledge", "seen", "");
	assert_material(t, o.case_no, "unit_proof", "not_needed", "");
	assert_material(t, o.case_no, "residence", "not_needed", "");
	dbt_assert_query(su, "intake_immediate:true", "SELECT kind || ':' || (detail->'seen' ? 'pledge')::text"
	    " FROM yc.case_event WHERE case_no = $1", 1, p);
	assert_true(asprintf(&obj, "case:%s/%s", TOWN, o.case_no) > 0);
	snprintf(m, sizeof m, "%lld", mark);
	dbt_assert_query(su, "tc_town:finished:true:[]", "SELECT staff_no || ':' || (after->>'status') || ':'"
	    " || (after->'seen' ? 'pledge')::text || ':' || (after->>'missing') FROM yc.audit_log"
	    " WHERE object = $1 AND action = 'case_intake_immediate' AND audit_id > $2::bigint", 2,
	    (const char *[]){ obj, m });
	free(obj);
	/* the 承诺书: its title, the applicant masked, the proofs it replaced */
	dbt_assert_query(su, "true|异地就医备案个人承诺书|《异地就医备案个人承诺书》|true|2|"
	    "所在单位出具长期安置地工作或学习的证明材料|测试申请人甲",
	    "SELECT (d->>'has_title') || '|' || (d->>'title') || '|' || (d->>'pledge_name') || '|'"
	    " || (d->>'has_replaced') || '|' || jsonb_array_length(d->'replaced') || '|'"
	    " || (d->'replaced'->0->>'name') || '|' || (d->>'person_name')"
	    " FROM yc.case_document($1, 'pledge') d", 1, p);
	/* the workstation reads it as the application role, for the township's session */
	dbt_assert_query(app, "《异地就医备案个人承诺书》|360981********", "SELECT (d->>'pledge_name') || '|'"
	    " || left(d->>'id_masked', 14) FROM yc.case_document($1, 'pledge') d", 1, p);
	doc = cases_document(dsu, o.case_no, "pledge", &r);
	assert_int_equal(r, CASES_OK);
	assert_non_null(strstr(doc, "居住证（暂住证）等证明材料"));
	assert_null(strstr(doc, p1));
	free(doc);
	/* the receipt lists the pledge among what was received */
	doc = cases_document(dsu, o.case_no, "receipt", &r);
	assert_int_equal(r, CASES_OK);
	assert_non_null(strstr(doc, "《异地就医备案个人承诺书》"));
	free(doc);

	/* the same item with a proof: no 承诺书 */
	q = req_of(T_RESIDE, p2, CO_IMMEDIATE);
	SEEN(q, "filing_form", "residence", "id_copy");
	o = intake_ok(s, &q);
	assert_material(s, o.case_no, "pledge", "not_needed", "");
	p[0] = o.case_no;
	dbt_assert_query(su, "not_applicable", "SELECT yc.case_document($1, 'pledge')->>'refused'", 1, p);

	/* a type without a pledge: the pledge is no material of it */
	q = req_of(T_CLINIC, p1, CO_ACCEPT);
	SEEN(q, "credential", "invoice", "bill", "pledge");
	intake_refused(t, &q, CASES_BAD_INPUT);
	q = req_of(T_CERT, p1, CO_IMMEDIATE);
	SEEN(q, "pledge");
	intake_refused(t, &q, CASES_BAD_INPUT);
	SEEN(q, "credential");
	o = intake_ok(t, &q);
	p[0] = o.case_no;
	dbt_assert_query(su, "not_applicable", "SELECT yc.case_document($1, 'pledge')->>'refused'", 1, p);

	/* 补正: a notice lists the group with the pledge as an alternative;
	 * the citizen comes back and signs it */
	q = req_of(T_RESIDE, p2, CO_SUPPLEMENT);
	SEEN(q, "filing_form", "id_copy");
	o = intake_ok(t, &q);
	p[0] = o.case_no;
	dbt_assert_query(su, "unit_proof,residence,pledge", "SELECT (SELECT string_agg(m->>'id', ',') FROM"
	    " jsonb_array_elements(body->'missing') m) FROM yc.notice WHERE case_no = $1", 1, p);
	struct cases_intake_req k = req_continue(o.case_no, CO_IMMEDIATE);
	SEEN(k, "pledge");
	o = intake_ok(s, &k);
	assert_string_equal(o.status, "finished");
	assert_material(s, o.case_no, "pledge", "supplied", "");
	dbt_assert_query(su, "2", "SELECT jsonb_array_length(yc.case_document($1, 'pledge')->'replaced')", 1, p);
	logout(t);
	logout(s);
}

/* What is accepted carries its whole form: the database refuses 受理,
 * 即时办结 and 容缺 with a required field empty (the client checks it too,
 * but the database is the one that must); a notice needs no form, and the
 * form sent at the 补正 completes it. */
static void test_required_fields(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_ACCEPT);
	struct cases_intake_req k;
	struct cases_intake_out o;
	const char *vals[DBT_FORM_MAX];

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential", "invoice", "bill", "chronic_cert");
	memcpy(vals, q.field_values, q.nfields * sizeof *vals);
	for (size_t i = 0; i < q.nfields; i++)
		if (strcmp(q.field_ids[i], "bank_card") == 0)
			vals[i] = " \u3000";		/* blank is empty */
	q.field_values = vals;
	intake_refused(s, &q, CASES_FORM_INCOMPLETE);
	q.outcome = CO_DEFER;
	q.nseen = 3;
	DEFER(q, "chronic_cert");
	intake_refused(s, &q, CASES_FORM_INCOMPLETE);
	/* no form at all: refused too; a notice is given without one */
	q.nfields = 0;
	intake_refused(s, &q, CASES_FORM_INCOMPLETE);
	q.outcome = CO_SUPPLEMENT;
	q.ndeferred = 0;
	o = intake_ok(s, &q);
	/* the 补正 without a form keeps the empty one: refused */
	k = req_continue(o.case_no, CO_ACCEPT);
	SEEN(k, "chronic_cert");
	intake_refused(s, &k, CASES_FORM_INCOMPLETE);
	/* with the form completed at the window: accepted */
	struct cases_intake_req full = req_of(T_CLINIC, p1, CO_ACCEPT);
	k.field_ids = full.field_ids;
	k.field_values = full.field_values;
	k.nfields = full.nfields;
	o = intake_ok(s, &k);
	assert_string_equal(o.status, "accepted");
	dbt_assert_case(su, o.case_no, "form->>'bank_card'", "6222021234567890128");
	logout(s);
}

/* A 参保凭证 says what the record says, never that there is none: no
 * 即时办结 of 出具参保凭证 for a person without a record, and no
 * certificate document once the record is gone. */
static void test_certificate_needs_a_record(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_CERT, p2, CO_IMMEDIATE);
	struct cases_intake_out o;
	enum cases_result r;
	char *doc;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential");
	intake_refused(s, &q, CASES_NO_INSURANCE);
	q = req_of(T_CERT, p1, CO_IMMEDIATE);
	SEEN(q, "credential");
	o = intake_ok(s, &q);
	doc = cases_document(dsu, o.case_no, "certificate", &r);
	assert_int_equal(r, CASES_OK);
	assert_non_null(strstr(doc, "居民医保"));
	free(doc);
	dbt_exec_ok(su, "DELETE FROM yc.insurance WHERE id_no = $1", 1, (const char *[]){ p1 });
	assert_null(cases_document(dsu, o.case_no, "certificate", &r));
	assert_int_equal(r, CASES_NO_INSURANCE);
	assert_true(strlen(cases_result_message(r)) > 0);
	logout(s);
}

/* Late filing is never a reason to refuse a 零星报销 (洪医保发〔2022〕83号
 * 第（十七）项): the definition forbids the phrase and the database refuses
 * a refusal that gives it, however worded around it; another reason, or
 * the same phrase for a type that does not forbid it, goes through. */
static void test_refusal_reason_forbidden(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_REJECT);
	struct cases_intake_out o;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	q.reason = "超过申报时限";
	intake_refused(s, &q, CASES_REASON_FORBIDDEN);
	q.reason = "就诊已满两年，超申报时限";
	intake_refused(s, &q, CASES_REASON_FORBIDDEN);
	q.reason = "不属于本统筹区参保人员";
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "rejected");
	q = req_of(T_BIRTH, p2, CO_REJECT);
	q.reason = "超过申报时限";
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "rejected");
	logout(s);
}

static void test_reject_needs_reason(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_REJECT);
	struct cases_intake_out o;
	const char *p[1];

	dbt_clock(dsu, "2026-09-30 10:00+08");
	intake_refused(s, &q, CASES_REASON_NEEDED);
	q.reason = "  \t\u3000";
	intake_refused(s, &q, CASES_REASON_NEEDED);
	/* a reason is printed whole or refused, never cut: 500 characters */
	char long_reason[501 * 3 + 1] = "";
	for (int i = 0; i < 501; i++)
		strcat(long_reason, "理");
	q.reason = long_reason;
	intake_refused(s, &q, CASES_BAD_INPUT);
	q.reason = "不属于本统筹区参保人员";
	o = intake_ok(s, &q);
	p[0] = o.case_no;
	assert_string_equal(o.status, "rejected");
	assert_string_equal(o.promised, "");
	assert_true(strncmp(o.notice_no, "N" CITY, 7) == 0);
	dbt_assert_case(su, o.case_no, "reason", "不属于本统筹区参保人员");
	dbt_assert_query(su, "rejection:不属于本统筹区参保人员", "SELECT kind || ':' || (body->>'reason')"
	    " FROM yc.notice WHERE case_no = $1", 1, p);
	logout(s);
}

static void test_immediate_only_for_immediate_items(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_BASE, p1, CO_IMMEDIATE);
	struct cases_intake_out o;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "agent_id", "base_form", "payroll");
	intake_refused(s, &q, CASES_NOT_IMMEDIATE);

	q = req_of(T_CERT, p1, CO_IMMEDIATE);
	SEEN(q, "credential");
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "finished");
	assert_string_equal(o.accepted, "2026-09-30");
	dbt_assert_case(su, o.case_no, "finished_at = accepted_at AND limit_days = 0", "true");
	/* 受理 of a 即时办结 item finishes it too */
	q.outcome = CO_ACCEPT;
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "finished");
	const char *p[] = { o.case_no };
	dbt_assert_query(su, "intake_immediate", "SELECT kind FROM yc.case_event WHERE case_no = $1", 1, p);
	logout(s);
}

static void test_agent_and_form(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_CERT, p1, CO_SUPPLEMENT);
	struct cases_intake_out o;
	char agent[19];
	const char *const ids[] = { "insurance", "phone", "id_no" };
	const char *const vals[] = { "a \"quoted\", {braced} \\ value", "", "居民医保" };
	char **fi, **fv;
	size_t n;

	dbt_make_id(agent, "19700505", 743);
	dbt_clock(dsu, "2026-09-30 10:00+08");
	q.agent_id_no = agent;
	q.agent_name = "代办人丙";
	q.field_ids = ids;
	q.field_values = vals;
	q.nfields = 3;
	SEEN(q, "credential", "agent_id");
	o = intake_ok(s, &q);
	/* the proxy materials come after the checklist, each on its own line */
	const char *p[] = { o.case_no };
	dbt_assert_query(su, "1:credential:f,2:principal_id:t,3:agent_id:t,4:authorization:t",
	    "SELECT string_agg(item_no || ':' || material_id || ':' || proxy::text::char, ','"
	    " ORDER BY ord) FROM yc.case_material WHERE case_no = $1", 1, p);
	assert_material(s, o.case_no, "authorization", "missing", "");
	/* the form comes back whole, in the order of the definition */
	assert_int_equal(cases_form(dsu, s, o.case_no, &fi, &fv, &n), CASES_OK);
	assert_int_equal(n, 3);
	assert_string_equal(fi[0], "id_no");
	assert_string_equal(fv[0], "居民医保");
	assert_string_equal(fi[1], "phone");
	assert_string_equal(fv[1], "");
	assert_string_equal(fi[2], "insurance");
	assert_string_equal(fv[2], vals[0]);
	cases_form_free(fi, fv, n);
	assert_int_equal(cases_form(dsu, s, "360984209901010001", &fi, &fv, &n), CASES_NOT_FOUND);
	assert_null(fi);
	assert_int_equal(n, 0);

	/* the agent's number is checked; an agent needs a name; fields exist */
	char bad[19];
	memcpy(bad, agent, sizeof bad);
	bad[17] = bad[17] == '0' ? '1' : '0';
	q.agent_id_no = bad;
	intake_refused(s, &q, CASES_BAD_ID);
	q.agent_id_no = agent;
	q.agent_name = NULL;
	intake_refused(s, &q, CASES_BAD_INPUT);
	q.agent_name = "代办人丙";
	const char *const unknown[] = { "no_such_field" };
	q.field_ids = unknown;
	q.nfields = 1;
	intake_refused(s, &q, CASES_BAD_INPUT);
	/* no 委托办理 for a type without proxy */
	struct cases_intake_req b = req_of(T_BASE, p1, CO_SUPPLEMENT);
	b.agent_id_no = agent;
	b.agent_name = "代办人丙";
	intake_refused(s, &b, CASES_BAD_INPUT);
	/* the applicant must be valid and registered */
	char unknown_id[19];
	dbt_make_id(unknown_id, "19700505", 744);
	b = req_of(T_BIRTH, unknown_id, CO_SUPPLEMENT);
	intake_refused(s, &b, CASES_NOT_FOUND);
	b.id_no = bad;
	intake_refused(s, &b, CASES_BAD_ID);
	b = req_of(T_BIRTH, p1, CO_SUPPLEMENT);
	b.version = 99999;
	intake_refused(s, &b, CASES_UNKNOWN_TYPE);
	logout(s);
}

static void test_who_may_take_cases(void **state)
{
	(void)state;
	long long t = login("tc_town", 1), g = login("tc_guide", 0), s = login("tc_clerk1", 1);
	struct cases_intake_req q = req_of(T_BASE, p1, CO_ACCEPT);

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "agent_id", "base_form", "payroll");
	/* 缴费基数申报 is a city item: not at a township */
	intake_refused(t, &q, CASES_NOT_ALLOWED);
	/* a guide takes no cases */
	intake_refused(g, &q, CASES_NOT_ALLOWED);
	/* a closed session: nothing */
	logout(s);
	intake_refused(s, &q, CASES_NO_SESSION);
	struct cases_person pp;
	assert_int_equal(cases_person_find(dsu, s, p1, &pp), CASES_NO_SESSION);
	/* 补正 at a tier that does not offer the type is refused too */
	s = login("tc_clerk1", 1);
	q.outcome = CO_SUPPLEMENT;
	q.nseen = 1;
	struct cases_intake_out o = intake_ok(s, &q);
	struct cases_intake_req k = req_continue(o.case_no, CO_SUPPLEMENT);
	intake_refused(t, &k, CASES_NOT_ALLOWED);
	/* and nothing of another prefecture is found or continued */
	long long x = login("tc_other", 1);
	intake_refused(x, &k, CASES_NOT_FOUND);
	struct cases_found f[2];
	enum cases_result r;
	assert_int_equal(cases_lookup(dsu, x, o.case_no, f, 2, &r), 0);
	assert_int_equal(r, CASES_NOT_FOUND);
	logout(x);
	logout(t);
	logout(g);
	logout(s);
}

/* ------------------------------------------------------------------ */
/* lookup, duplicates, persons                                         */
/* ------------------------------------------------------------------ */

static void test_lookup(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1), t = login("tc_town", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_SUPPLEMENT);
	struct cases_intake_out a, b;
	struct cases_found f[4];
	enum cases_result r;
	char spaced[40], lower[40];

	SEEN(q, "credential");
	dbt_clock(dsu, "2026-09-29 10:00+08");
	a = intake_ok(s, &q);
	dbt_clock(dsu, "2026-09-30 10:00+08");
	b = intake_ok(t, &q);
	q.id_no = p2;
	intake_ok(s, &q);

	/* by ID number, newest first, every office of the city */
	snprintf(spaced, sizeof spaced, "%.6s %.8s %.4s", p1, p1 + 6, p1 + 14);
	assert_int_equal(cases_lookup(dsu, s, spaced, f, 4, &r), 2);
	assert_int_equal(r, CASES_OK);
	assert_string_equal(f[0].case_no, b.case_no);
	assert_string_equal(f[0].office_code, TOWN);
	assert_string_equal(f[0].office_name, "受理测试一街道");
	assert_string_equal(f[0].created, "2026-09-30");
	assert_string_equal(f[1].case_no, a.case_no);
	assert_string_equal(f[1].type_code, T_BIRTH);
	assert_int_equal(f[1].version, dbt_case_type_version(su, T_BIRTH));
	assert_string_equal(f[1].type_name, "产前检查费支付");
	assert_int_equal(f[1].channel, CH_WINDOW);
	/* max bounds what is copied */
	assert_int_equal(cases_lookup(dsu, s, p1, f, 1, &r), 1);
	assert_string_equal(f[0].case_no, b.case_no);
	/* by case number, by notice number with or without N, any case */
	assert_int_equal(cases_lookup(dsu, s, a.case_no, f, 4, &r), 1);
	assert_string_equal(f[0].notice_no, a.notice_no);
	snprintf(lower, sizeof lower, "n%.30s", b.notice_no + 1);
	assert_int_equal(cases_lookup(dsu, s, lower, f, 4, &r), 1);
	assert_string_equal(f[0].case_no, b.case_no);
	assert_int_equal(cases_lookup(dsu, s, b.notice_no + 1, f, 4, &r), 1);
	assert_string_equal(f[0].case_no, b.case_no);
	/* nothing, or nonsense */
	assert_int_equal(cases_lookup(dsu, s, "360984209901010001", f, 4, &r), 0);
	assert_int_equal(r, CASES_NOT_FOUND);
	assert_int_equal(cases_lookup(dsu, s, "x'; DROP", f, 4, &r), 0);
	assert_int_equal(r, CASES_BAD_INPUT);
	logout(s);
	logout(t);
}

static void test_open_same(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1), t = login("tc_town", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_SUPPLEMENT);
	struct cases_intake_out o;
	char no[32];

	dbt_clock(dsu, "2026-09-30 10:00+08");
	assert_int_equal(cases_open_same(dsu, s, p1, T_BIRTH, no), CASES_NOT_FOUND);
	assert_string_equal(no, "");
	SEEN(q, "credential");
	o = intake_ok(t, &q);
	/* waiting at a township: found from the city hall */
	assert_int_equal(cases_open_same(dsu, s, p1, T_BIRTH, no), CASES_OK);
	assert_string_equal(no, o.case_no);
	assert_int_equal(cases_open_same(dsu, s, p2, T_BIRTH, no), CASES_NOT_FOUND);
	assert_int_equal(cases_open_same(dsu, s, p1, T_CLINIC, no), CASES_NOT_FOUND);
	assert_int_equal(cases_open_same(dsu, s, "123", T_BIRTH, no), CASES_BAD_ID);
	/* a rejected case is not open */
	struct cases_intake_req k = req_continue(o.case_no, CO_REJECT);
	k.reason = "申请人撤回申请";
	intake_ok(s, &k);
	assert_int_equal(cases_open_same(dsu, s, p1, T_BIRTH, no), CASES_NOT_FOUND);
	logout(s);
	logout(t);
}

static void test_persons(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	struct cases_person pp;
	char id[19], lower[24];
	long long mark = audit_mark();

	const char *p[] = { id };

	/* a person of this test only: removed first, so the suite can run again */
	dbt_make_id(id, "20010304", 745);
	dbt_exec_ok(su, "DELETE FROM yc.person WHERE id_no = $1", 1, p);
	assert_int_equal(cases_person_find(dsu, s, id, &pp), CASES_NOT_FOUND);
	assert_int_equal(cases_person_register(dsu, s, id, "  周测试  ", "0795-1234567"), CASES_OK);
	assert_int_equal(cases_person_find(dsu, s, id, &pp), CASES_OK);
	assert_string_equal(pp.id_no, id);
	assert_string_equal(pp.name, "周测试");
	assert_string_equal(pp.phone, "0795-1234567");
	/* an update without a phone keeps the known one */
	assert_int_equal(cases_person_register(dsu, s, id, "周测验", ""), CASES_OK);
	assert_int_equal(cases_person_find(dsu, s, id, &pp), CASES_OK);
	assert_string_equal(pp.name, "周测验");
	assert_string_equal(pp.phone, "0795-1234567");
	/* the same again changes nothing and audits nothing */
	assert_int_equal(cases_person_register(dsu, s, id, "周测验", NULL), CASES_OK);
	char *obj;
	assert_true(asprintf(&obj, "person:%s", id) > 0);
	assert_int_equal(audit_count(mark, CITY, "person_register", obj), 1);
	assert_int_equal(audit_count(mark, CITY, "person_update", obj), 1);
	free(obj);
	/* the ID number is checked by the server (check character, date) */
	snprintf(lower, sizeof lower, "%s", p1);
	if (lower[17] == 'X')
		lower[17] = 'x';
	assert_int_equal(cases_person_find(dsu, s, lower, &pp), CASES_OK);
	char bad[19];
	memcpy(bad, id, sizeof bad);
	bad[17] = bad[17] == '1' ? '2' : '1';
	assert_int_equal(cases_person_register(dsu, s, bad, "周测试", NULL), CASES_BAD_ID);
	assert_int_equal(cases_person_find(dsu, s, bad, &pp), CASES_BAD_ID);
	char future[19];
	dbt_make_id(future, "20991231", 1);
	assert_int_equal(cases_person_register(dsu, s, future, "周测试", NULL), CASES_BAD_ID);
	assert_int_equal(cases_person_register(dsu, s, id, "  ", NULL), CASES_BAD_INPUT);
	assert_int_equal(cases_person_register(dsu, s, id, "周测试", "phone me"), CASES_BAD_INPUT);
	/* sex and birth date from the number */
	dbt_assert_query(su, "2001-03-04:M", "SELECT birth_date || ':' || sex FROM yc.person WHERE id_no = $1",
	    1, p);
	logout(s);
}

/* ------------------------------------------------------------------ */
/* the deadline board                                                  */
/* ------------------------------------------------------------------ */

static void test_deadlines(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1), s2 = login("tc_clerk2", 2), sv = login("tc_super", 0);
	struct cases_intake_req q;
	struct cases_intake_out a, b, c;
	struct cases_deadline d[8];
	enum cases_result r;
	int n;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	q = req_of(T_BASE, p1, CO_ACCEPT);
	SEEN(q, "agent_id", "base_form", "payroll");
	a = intake_ok(s, &q);			/* due 10-13 */
	q = req_of(T_CLINIC, p2, CO_DEFER);
	SEEN(q, "credential", "invoice", "bill");
	DEFER(q, "chronic_cert");
	b = intake_ok(s, &q);			/* material 10-20, stage 11-03, case 11-17 */
	dbt_clock(dsu, "2026-10-19 10:00+08");
	q = req_of(T_BASE, p2, CO_ACCEPT);
	SEEN(q, "agent_id", "base_form", "payroll");
	c = intake_ok(s2, &q);			/* due 10-26 */
	q = req_of(T_BIRTH, p1, CO_SUPPLEMENT);
	intake_ok(s, &q);			/* waiting: no due date */

	dbt_clock(dsu, "2026-10-20 09:00+08");
	n = cases_deadlines(dsu, s, false, d, 8, &r);
	assert_int_equal(r, CASES_OK);
	assert_int_equal(n, 4);
	assert_string_equal(d[0].case_no, a.case_no);
	assert_int_equal(d[0].kind, DUE_CASE);
	assert_string_equal(d[0].due, "2026-10-13");
	assert_int_equal(d[0].remaining, -5);	/* 10-13..16, 10-19 passed */
	assert_int_equal(d[0].limit_days, 5);
	assert_string_equal(d[0].label, "");
	assert_string_equal(d[0].staff_no, "tc_clerk1");
	assert_string_equal(d[0].status, "accepted");
	assert_string_equal(d[0].type_name, "参保单位缴费基数申报");
	assert_string_equal(d[0].person_name, "测试申请人甲");
	assert_string_equal(d[1].case_no, b.case_no);
	assert_int_equal(d[1].kind, DUE_MATERIAL);
	assert_string_equal(d[1].label, "慢性病证");
	assert_string_equal(d[1].material_id, "chronic_cert");
	assert_string_equal(d[0].material_id, "");
	assert_int_equal(d[1].remaining, 0);
	assert_int_equal(d[1].limit_days, 10);
	assert_int_equal(d[2].kind, DUE_STAGE);	/* only the current stage */
	assert_string_equal(d[2].label, "乡镇（街道）初审");
	assert_string_equal(d[2].due, "2026-11-03");
	assert_int_equal(d[2].remaining, 10);
	assert_int_equal(d[2].limit_days, 20);
	assert_int_equal(d[3].kind, DUE_CASE);
	assert_string_equal(d[3].due, "2026-11-17");
	assert_int_equal(d[3].remaining, 20);
	/* bounded */
	assert_int_equal(cases_deadlines(dsu, s, false, d, 2, &r), 2);
	assert_int_equal(d[1].kind, DUE_MATERIAL);
	/* the other clerk sees only theirs */
	n = cases_deadlines(dsu, s2, false, d, 8, &r);
	assert_int_equal(n, 1);
	assert_string_equal(d[0].case_no, c.case_no);
	assert_int_equal(d[0].remaining, 4);
	/* the whole office: supervisors only */
	assert_int_equal(cases_deadlines(dsu, s, true, d, 8, &r), 0);
	assert_int_equal(r, CASES_NOT_ALLOWED);
	n = cases_deadlines(dsu, sv, true, d, 8, &r);
	assert_int_equal(r, CASES_OK);
	assert_int_equal(n, 5);
	int want[] = { -5, 0, 4, 10, 20 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(d[i].remaining, want[i]);
	assert_string_equal(d[2].staff_no, "tc_clerk2");
	/* a supplied material leaves the board */
	assert_int_equal(cases_supply(dsu, s, b.case_no, "chronic_cert"), CASES_OK);
	assert_int_equal(cases_deadlines(dsu, s, false, d, 8, &r), 3);
	/* today beyond the loaded calendar (the provisional years end with 2099) */
	dbt_clock(dsu, "2100-01-04 09:00+08");
	assert_int_equal(cases_deadlines(dsu, s, false, d, 8, &r), 0);
	assert_int_equal(r, CASES_CALENDAR);
	logout(s);
	logout(s2);
	logout(sv);
}

static void test_workdays_between(void **state)
{
	(void)state;
	/* the inverse of add_workdays ahead; a passed due date counts itself */
	assert_int_equal(dbt_query_ll(app, "SELECT yc.workdays_between('2026-09-30', '2026-10-13')",
	    0, NULL), 5);
	assert_int_equal(dbt_query_ll(app, "SELECT yc.workdays_between('2026-10-13', '2026-10-13')",
	    0, NULL), 0);
	assert_int_equal(dbt_query_ll(app, "SELECT yc.workdays_between('2026-10-10', '2026-10-09')",
	    0, NULL), -1);
	assert_int_equal(dbt_query_ll(app, "SELECT yc.workdays_between('2026-10-11', '2026-10-09')",
	    0, NULL), -2);	/* Friday and the make-up Saturday */
	assert_int_equal(dbt_query_ll(app, "SELECT yc.workdays_between('2024-12-31', '2025-01-02')",
	    0, NULL), 1);
	/* into the provisional years, and beyond the last of them */
	assert_int_equal(dbt_query_ll(app, "SELECT yc.workdays_between('2026-12-31', '2027-01-04')",
	    0, NULL), 1);
	dbt_expect_sqlstate(app, "YC001", "SELECT yc.workdays_between('2099-12-31', '2100-01-04')");
}

/* ------------------------------------------------------------------ */
/* 好差评, drafts                                                      */
/* ------------------------------------------------------------------ */

static void test_rating(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 4);
	struct cases_intake_req q = req_of(T_CERT, p1, CO_IMMEDIATE);
	struct cases_intake_out o;
	long long mark = audit_mark();

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential");
	o = intake_ok(s, &q);
	assert_int_equal(cases_rate(dsu, s, o.case_no, 0, 5), CASES_OK);
	assert_int_equal(cases_rate(dsu, s, o.case_no, 0, 1), CASES_OK);
	const char *p[] = { o.case_no };
	dbt_assert_query(su, "1:f,5:t", "SELECT string_agg(grade || ':' || flagged::text::char, ','"
	    " ORDER BY grade) FROM yc.rating WHERE case_no = $1 AND staff_no = 'tc_clerk1'"
	    " AND window_no = 4 AND office_code = '" CITY "' AND case_office = '" CITY "'", 1, p);
	assert_int_equal(audit_count(mark, CITY, "rating_record", NULL), 2);
	assert_int_equal(cases_rate(dsu, s, o.case_no, 0, 6), CASES_BAD_INPUT);
	assert_int_equal(cases_rate(dsu, s, o.case_no, 0, 0), CASES_BAD_INPUT);
	assert_int_equal(cases_rate(dsu, s, NULL, 0, 3), CASES_BAD_INPUT);
	assert_int_equal(cases_rate(dsu, s, "360984209901010001", 0, 3), CASES_NOT_FOUND);
	assert_int_equal(cases_rate(dsu, s, NULL, 999999999, 3), CASES_NOT_FOUND);
	assert_int_equal(audit_count(mark, CITY, "rating_record", NULL), 2);
	logout(s);
}

static void test_drafts(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1);
	enum cases_result r;
	time_t at;
	char *body;

	body = cases_draft_get(dsu, s, &at, &r);
	assert_null(body);
	assert_int_equal(r, CASES_NOT_FOUND);
	dbt_clock(dsu, "2026-09-30 10:00+08");
	assert_int_equal(cases_draft_save(dsu, s, "yichuang-draft 1\ntype=" T_BIRTH "\n"), CASES_OK);
	assert_int_equal(cases_draft_save(dsu, s, "yichuang-draft 1\nname=张\\n三\n"), CASES_OK);
	assert_int_equal(cases_draft_save(dsu, s, ""), CASES_BAD_INPUT);
	/* offered back at another window, after signing in again */
	logout(s);
	assert_int_equal(cases_draft_save(dsu, s, "x"), CASES_NO_SESSION);
	s = login("tc_clerk1", 3);
	body = cases_draft_get(dsu, s, &at, &r);
	assert_int_equal(r, CASES_OK);
	assert_non_null(body);
	assert_string_equal(body, "yichuang-draft 1\nname=张\\n三\n");
	assert_int_equal((long long)at, 1790733600LL);	/* 2026-09-30 10:00 +08 */
	free(body);
	/* another clerk has none */
	long long s2 = login("tc_clerk2", 2);
	assert_null(cases_draft_get(dsu, s2, NULL, &r));
	assert_int_equal(r, CASES_NOT_FOUND);
	assert_int_equal(cases_draft_clear(dsu, s), CASES_OK);
	assert_null(cases_draft_get(dsu, s, &at, &r));
	assert_int_equal(r, CASES_NOT_FOUND);
	assert_int_equal(at, 0);
	assert_int_equal(cases_draft_clear(dsu, s), CASES_OK);
	logout(s);
	logout(s2);
}

/* ------------------------------------------------------------------ */
/* audit, notify, privileges, indexes                                  */
/* ------------------------------------------------------------------ */

static void test_audit_rows(void **state)
{
	(void)state;
	long long s = login("tc_clerk2", 2);
	long long mark = audit_mark();
	struct cases_intake_req q = req_of(T_BASE, p1, CO_ACCEPT);
	struct cases_intake_out o;
	char *obj;

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "agent_id", "base_form", "payroll");
	o = intake_ok(s, &q);
	assert_true(asprintf(&obj, "case:%s/%s", CITY, o.case_no) > 0);
	assert_int_equal(audit_count(mark, CITY, "case_intake_accept", obj), 1);
	char m[24];
	const char *p[] = { obj, p1, m };
	snprintf(m, sizeof m, "%lld", mark);
	/* who, where, what; never the applicant's ID number */
	dbt_assert_query(su, "tc_clerk2:2:accepted:" T_BASE ":2026-10-13:payroll", "SELECT staff_no || ':'"
	    " || window_no || ':' || (after->>'status') || ':' || (after->>'case_type') || ':'"
	    " || (after->>'promised') || ':' || (after->'seen'->>2) FROM yc.audit_log"
	    " WHERE object = $1 AND strpos(after::text, $2) = 0 AND before IS NULL"
	    " AND audit_id > $3::bigint", 3, p);
	assert_int_equal(audit_count(mark, CITY, "case_intake_accept", NULL), 1);
	const char *pc[] = { o.case_no };
	dbt_assert_query(su, "1:intake_accept:tc_clerk2", "SELECT seq || ':' || kind || ':' || staff_no"
	    " FROM yc.case_event WHERE case_no = $1", 1, pc);
	free(obj);
	logout(s);
}

static void test_notify(void **state)
{
	(void)state;
	PGconn *listener = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));
	struct db *dl = db_open(getenv("YC_TEST_APP_CONNINFO"));
	long long s = login("tc_clerk1", 1), t = login("tc_town", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_SUPPLEMENT);
	struct cases_intake_out o;
	char buf[2048], want[512], chan[40];

	assert_int_equal(PQstatus(listener), CONNECTION_OK);
	cases_channel(CITY, chan);
	assert_string_equal(chan, "yc_case_360984");
	PQclear(PQexec(listener, "LISTEN yc_case_360984; LISTEN yc_case_360984001"));
	assert_int_equal(cases_listen(dl, CITY), CASES_OK);
	assert_int_equal(cases_listen(dl, "360984; DROP TABLE yc.notice"), CASES_BAD_INPUT);
	assert_int_equal(cases_listen(dl, ""), CASES_BAD_INPUT);

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential");
	o = intake_ok(s, &q);
	snprintf(want, sizeof want, "yc_case_360984 {\"e\" : \"intake_supplement\", \"c\" : \"%s\","
	    " \"s\" : \"pending_supplement\"}\n", o.case_no);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 1);
	assert_string_equal(buf, want);
	assert_null(strstr(buf, p1));
	/* a refusal announces nothing */
	q.outcome = CO_ACCEPT;
	intake_refused(s, &q, CASES_INCOMPLETE);
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 0);
	/* 补正 elsewhere: the case's office and the continuing office hear it */
	struct cases_intake_req k = req_continue(o.case_no, CO_REJECT);
	k.reason = "材料不真实";
	intake_ok(t, &k);
	assert_int_equal(dbt_read_notifies(listener, 2, buf, sizeof buf), 2);
	assert_non_null(strstr(buf, "yc_case_360984 {\"e\" : \"continue_reject\""));
	assert_non_null(strstr(buf, "yc_case_360984001 {\"e\" : \"continue_reject\""));
	db_close(&dl);
	PQfinish(listener);
	logout(s);
	logout(t);
}

static void test_app_cannot_write_intake_tables(void **state)
{
	(void)state;
	static const char *const tables[] = {
		"case_counter", "case_material", "case_stage", "rating", "intake_draft", "insurance",
	};
	char sql[256];

	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		snprintf(sql, sizeof sql, "UPDATE yc.%s SET office_code = office_code", tables[i]);
		if (strcmp(tables[i], "intake_draft") == 0 || strcmp(tables[i], "insurance") == 0)
			snprintf(sql, sizeof sql, "UPDATE yc.%s SET id_no = id_no", tables[i]);
		if (strcmp(tables[i], "intake_draft") == 0)
			snprintf(sql, sizeof sql, "UPDATE yc.intake_draft SET body = body");
		dbt_expect_sqlstate(app, "42501", sql);
		snprintf(sql, sizeof sql, "DELETE FROM yc.%s", tables[i]);
		dbt_expect_sqlstate(app, "42501", sql);
	}
	dbt_expect_sqlstate(app, "42501", "INSERT INTO yc.case_counter (office_code, day, kind, last_seq)"
	    " VALUES ('" CITY "', '2026-01-05', 'case', 0)");
	dbt_expect_sqlstate(app, "42501", "INSERT INTO yc.intake_draft (staff_no, office_code, saved_at, body)"
	    " VALUES ('tc_clerk1', '" CITY "', now(), 'x')");
	dbt_expect_sqlstate(app, "42501", "INSERT INTO yc.rating (office_code, staff_no, grade)"
	    " VALUES ('" CITY "', 'tc_clerk1', 1)");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.service_case SET status = 'finished'");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.notice SET kind = 'receipt'");
	dbt_expect_sqlstate(app, "42501", "INSERT INTO yc.person (id_no, name) VALUES ('360981195001010019', 'x')");
	/* what it may not read */
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.intake_draft");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.rating");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.insurance");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.case_counter");
	/* internal helpers are not callable */
	dbt_expect_sqlstate(app, "42501", "SELECT yc.case_next_number('" CITY "', '2026-01-05', 'case')");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.case_refuse('ok')");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.case_due_rows('tc_clerk1', NULL, 5)");
	/* the 13 entry points: SECURITY DEFINER, pinned search_path, executable */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname IN ('person_find',"
	    " 'person_register', 'case_intake', 'case_lookup', 'case_open_same', 'case_materials',"
	    " 'case_form', 'case_supply', 'case_deadlines', 'rating_record', 'draft_save',"
	    " 'draft_get', 'draft_clear') AND has_function_privilege('yichuang_app', p.oid, 'EXECUTE')"
	    " AND p.prosecdef AND 'search_path=yc, pg_temp' = ANY(p.proconfig)", 0, NULL), 13);
	/* and the app role runs them, for real, through cases.c, signed in on
	 * its own connection (a session is bound to the connection that
	 * signed in: 0009_jurisdiction.sql) */
	struct db *da = db_open(getenv("YC_TEST_APP_CONNINFO"));
	struct auth_session as = { 0 };
	struct auth_outcome ao;
	auth_login(da, "tc_clerk1", TC_PASSWORD, 1, &as, &ao);
	assert_int_equal(ao.result, AUTH_OK);
	struct cases_intake_req q = req_of(T_CERT, p1, CO_IMMEDIATE);
	struct cases_intake_out o;
	SEEN(q, "credential");
	assert_int_equal(cases_intake(da, as.id, &q, &o), CASES_OK);
	assert_string_equal(o.status, "finished");
	auth_logout(da, &as, "user");
	auth_session_clear(&as);
	db_close(&da);
}

static char *plans;

static void collect_notice(void *arg, const PGresult *res)
{
	char **acc = arg;
	const char *m = PQresultErrorMessage(res);
	size_t old = *acc != NULL ? strlen(*acc) : 0;

	*acc = realloc(*acc, old + strlen(m) + 1);
	memcpy(*acc + old, m, strlen(m) + 1);
}

static void test_queries_use_indexes(void **state)
{
	(void)state;
	long long s = login("tc_clerk1", 1), sv = login("tc_super", 0);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_DEFER);
	struct cases_intake_out o;
	PGconn *c = PQconnectdb("");
	char sid[24], svid[24];

	dbt_clock(dsu, "2026-09-30 10:00+08");
	SEEN(q, "credential", "invoice", "bill");
	DEFER(q, "chronic_cert");
	o = intake_ok(s, &q);
	snprintf(sid, sizeof sid, "%lld", s);
	snprintf(svid, sizeof svid, "%lld", sv);
	const char *p[] = { sid, o.case_no, p1, o.notice_no, svid };
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PQsetNoticeReceiver(c, collect_notice, &plans);
	dbt_exec_ok(c, "LOAD 'auto_explain'", 0, NULL);
	dbt_exec_ok(c, "SET auto_explain.log_min_duration = 0", 0, NULL);
	dbt_exec_ok(c, "SET auto_explain.log_nested_statements = on", 0, NULL);
	dbt_exec_ok(c, "SET auto_explain.log_level = 'notice'", 0, NULL);
	dbt_exec_ok(c, "SET client_min_messages = notice", 0, NULL);
	dbt_exec_ok(c, "SET enable_seqscan = off", 0, NULL);
	dbt_exec_ok(c, "SELECT * FROM yc.case_lookup($1::bigint, $2)", 2, (const char *[]){ p[0], p[1] });
	dbt_exec_ok(c, "SELECT * FROM yc.case_lookup($1::bigint, $2)", 2, (const char *[]){ p[0], p[2] });
	dbt_exec_ok(c, "SELECT * FROM yc.case_lookup($1::bigint, $2)", 2, (const char *[]){ p[0], p[3] });
	dbt_exec_ok(c, "SELECT * FROM yc.case_open_same($1::bigint, $2, '" T_CLINIC "')", 2,
	    (const char *[]){ p[0], p[2] });
	dbt_exec_ok(c, "SELECT * FROM yc.case_deadlines($1::bigint, false, 50)", 1, p);
	dbt_exec_ok(c, "SELECT * FROM yc.case_deadlines($1::bigint, true, 50)", 1, p + 4);
	dbt_exec_ok(c, "SELECT * FROM yc.case_materials($1::bigint, $2)", 2, p);
	assert_non_null(plans);
	assert_non_null(strstr(plans, "Index"));
	for (const char *t = plans; (t = strstr(t, "Seq Scan on ")) != NULL; t++) {
		const char *rel = t + strlen("Seq Scan on ");
		static const char *const big[] = {
			"service_case", "case_material", "case_stage", "notice", "case_event",
			"person", "staff_session", "audit_log",
		};

		for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
			if (strncmp(rel, big[i], strlen(big[i])) == 0)
				print_error("# sequential scan: %.300s\n", t);
			assert_false(strncmp(rel, big[i], strlen(big[i])) == 0);
		}
	}
	free(plans);
	plans = NULL;
	PQfinish(c);
	logout(s);
	logout(sv);
}

static void test_messages(void **state)
{
	(void)state;
	/* every result has its own message; names of statuses */
	for (int i = CASES_OK; i <= CASES_DB_ERROR; i++) {
		assert_true(strlen(cases_result_message((enum cases_result)i)) > 0);
		for (int j = CASES_OK; j < i; j++)
			assert_string_not_equal(cases_result_message((enum cases_result)i),
			    cases_result_message((enum cases_result)j));
	}
	assert_string_equal(cases_status_name("accepted"), "Accepted");
	assert_string_equal(cases_status_name("pending_supplement"), "Waiting for materials");
	assert_string_equal(cases_status_name("strange"), "strange");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_numbers),
		T(test_accept_promised_by_calendar),
		T(test_stages_cumulative),
		T(test_calendar_beyond_loaded),
		T(test_incomplete_writes_nothing),
		T(test_supplement_then_continue_elsewhere),
		T(test_mail),
		T(test_continue_only_what_the_notice_lists),
		T(test_defer),
		T(test_defer_group),
		T(test_required_fields),
		T(test_document_title),
		T(test_pledge),
		T(test_certificate_needs_a_record),
		T(test_refusal_reason_forbidden),
		T(test_reject_needs_reason),
		T(test_immediate_only_for_immediate_items),
		T(test_agent_and_form),
		T(test_who_may_take_cases),
		T(test_lookup),
		T(test_open_same),
		T(test_persons),
		T(test_deadlines),
		T(test_workdays_between),
		T(test_rating),
		T(test_drafts),
		T(test_audit_rows),
		T(test_notify),
		T(test_app_cannot_write_intake_tables),
		T(test_queries_use_indexes),
		T(test_messages),
	};
	return cmocka_run_group_tests_name("db_intake", tests, group_setup, group_teardown);
}
