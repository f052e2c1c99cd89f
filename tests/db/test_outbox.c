/*
 * The citizen's text messages at every outcome (db/functions/outbox.sql,
 * db/migrations/0018_outbox_kinds.sql, print_templates/sms/): one row of
 * yc.outbox per outcome with its recipient and its exact text — 受理,
 * 即时办结, 一次性告知 and a 补正 that ends in acceptance, 容缺 with its
 * reminder, 终止 and 撤回 through yc.outbox_citizen — the reminder's send
 * time counted in working days across holidays, cancelled (not deleted)
 * when the deferred material is supplied or the case closes, no message
 * for 不予受理, the values cut to their declared lengths, the sender's
 * query on its index, nothing of it open to the application.
 *
 * Environment as for every db suite (tests/run.sh); the templates are those
 * `db migrate` loaded from print_templates/sms/. The tests work in their
 * own city, 360991 (city hall, township 360991001), with their own staff
 * (to_*). Dates counted by hand on db/calendar/cn-workday-calendar.tsv
 * (2026: 中秋 09-25..27 off with Sunday 09-20 worked, 国庆 10-01..07 off
 * with Saturday 10-10 worked).
 *
 * Case types of forms/ used (the latest loaded version of each):
 *   002036012001 参保单位缴费基数申报 prefecture and county only, 5 working days
 *   002036007001 产前检查费支付     20 days, any-of group discharge|diagnosis defer 5
 *   002036006001 门诊费用报销       30 days, chronic_cert defer 10, a bank card
 *   002036003001 出具《参保凭证》   即时办结
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

#include "store/cases.h"
#include "store/db.h"

#define CITY "360991"
#define TOWN "360991001"
#define TO_PASSWORD "To-Secret-9"

#define T_BASE "002036012001"
#define T_BIRTH "002036007001"
#define T_CLINIC "002036006001"
#define T_CERT "002036003001"

#define IDS(...) ((const char *const[]){ __VA_ARGS__ })
#define NIDS(...) (sizeof(IDS(__VA_ARGS__)) / sizeof(const char *))
#define SEEN(q, ...) ((q).seen = IDS(__VA_ARGS__), (q).nseen = NIDS(__VA_ARGS__))
#define DEFER(q, ...) ((q).deferred = IDS(__VA_ARGS__), (q).ndeferred = NIDS(__VA_ARGS__))

static PGconn *su;		/* superuser */
static PGconn *app;		/* yichuang_app */
static struct db *dsu;		/* superuser through cases.c: may set the clock */
static char p1[19], p2[19];	/* p1 with a phone on record, p2 without */

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static long long login(const char *staff, int window)
{
	return dbt_login(app, staff, TO_PASSWORD, window, "tests/db/outbox");
}

static void logout(long long sid)
{
	dbt_logout(app, sid);
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

static struct cases_intake_out intake_ok(struct db *db, long long sid, const struct cases_intake_req *q)
{
	struct cases_intake_out out;
	enum cases_result r = cases_intake(db, sid, q, &out);

	if (r != CASES_OK)
		print_error("# intake: %s (%s)\n", cases_result_message(r), db_detail(db));
	assert_int_equal(r, CASES_OK);
	return out;
}

/* The one message of a kind of a case, as
 * "channel|recipient|body|send_after (Beijing)|state", state "unsent",
 * "sent" or "cancelled". */
static void assert_message(const char *case_no, const char *kind, const char *want)
{
	dbt_assert_query(su, want, "SELECT channel || '|' || recipient || '|' || body || '|'"
	    " || to_char(send_after AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || '|'"
	    " || CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN cancelled_at IS NOT NULL"
	    " THEN 'cancelled' ELSE 'unsent' END FROM yc.outbox WHERE case_no = $1 AND kind = $2",
	    2, (const char *[]){ case_no, kind });
}

/* The test clock of both connections (dsu for cases.c, su for the
 * functions called directly). */
static void clock_at(const char *when)
{
	dbt_clock(dsu, when);
	dbt_exec_ok(su, "SELECT set_config('yc.test_now', $1, false)", 1, (const char *[]){ when });
}

static long long messages(const char *case_no)
{
	return dbt_query_ll(su, "SELECT count(*) FROM yc.outbox WHERE case_no = $1", 1,
	    (const char *[]){ case_no });
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static const char *const staff_rows[][3] = {
	{ "to_clerk", "clerk", CITY },
	{ "to_town", "clerk", TOWN },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dbt_office(su, CITY, "短信测试市医保中心", 4);
	dbt_office(su, TOWN, "短信测试街道", 2);
	dbt_staff(su, TO_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19850505", 761);
	dbt_make_id(p2, "19860606", 762);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return dbt_disconnect(&su, &app, &dsu, "to");
}

static int test_setup(void **state)
{
	(void)state;
	dbt_clear_cases(su, CITY);
	dbt_close_sessions(su, "to");
	clock_at("");
	long long s = login("to_clerk", 1);
	assert_int_equal(cases_person_register(dsu, s, p1, "短信申请人甲", "13900000071"), CASES_OK);
	assert_int_equal(cases_person_register(dsu, s, p2, "短信申请人乙", NULL), CASES_OK);
	dbt_insured(su, p1, CITY);
	logout(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* outcomes at the window                                              */
/* ------------------------------------------------------------------ */

/* 受理: the item, the case number, the promised date, to the phone on
 * record; the event and the audit row name the message. */
static void test_accepted(void **state)
{
	(void)state;
	long long s = login("to_clerk", 1);
	struct cases_intake_req q = req_of(T_BASE, p1, CO_ACCEPT);
	struct cases_intake_out o;

	SEEN(q, "agent_id", "base_form", "payroll");
	clock_at("2026-09-30 16:30+08");
	o = intake_ok(dsu, s, &q);
	assert_string_equal(o.case_no, CITY "202609300001");
	assert_string_equal(o.promised, "2026-10-13");
	assert_message(o.case_no, "accepted", "sms|13900000071|【医保】您的参保单位缴费基数申报已受理，"
	    "编号" CITY "202609300001，承诺2026年10月13日前办结。|2026-09-30 16:30|unsent");
	assert_int_equal(messages(o.case_no), 1);
	dbt_assert_query(su, "t", "SELECT ((SELECT (detail->>'outbox_id')::bigint FROM yc.case_event"
	    " WHERE case_no = $1 AND kind = 'intake_accept') = (SELECT outbox_id FROM yc.outbox"
	    " WHERE case_no = $1))::text::char", 1, (const char *[]){ o.case_no });
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.audit_log WHERE action = 'case_intake_accept'"
	    " AND object = 'case:' || $2 || '/' || $1 AND after ? 'outbox_id'", 2,
	    (const char *[]){ o.case_no, CITY });

	/* no phone on record: to the form's phone field */
	q = req_of(T_BASE, p2, CO_ACCEPT);
	SEEN(q, "agent_id", "base_form", "payroll");
	o = intake_ok(dsu, s, &q);
	assert_message(o.case_no, "accepted", "sms|13900000000|【医保】您的参保单位缴费基数申报已受理，"
	    "编号" CITY "202609300002，承诺2026年10月13日前办结。|2026-09-30 16:30|unsent");
	/* neither: by the app, to the ID number (the rule of yc.outbox_citizen) */
	dbt_exec_ok(su, "UPDATE yc.service_case SET form = form - 'phone' WHERE case_no = $1", 1,
	    (const char *[]){ o.case_no });
	char *id = dbt_query_str(su, "SELECT yc.outbox_citizen(sc, 'withdrawn', '{}')::text"
	    " FROM yc.service_case sc WHERE case_no = $1", 1, (const char *[]){ o.case_no });
	dbt_assert_query(su, p2, "SELECT recipient FROM yc.outbox WHERE outbox_id = $1::bigint AND"
	    " channel = 'app'", 1, (const char *[]){ id });
	free(id);
	logout(s);
}

/* 即时办结 instead of 受理 for an item without a limit. */
static void test_finished_now(void **state)
{
	(void)state;
	long long s = login("to_clerk", 2);
	struct cases_intake_req q = req_of(T_CERT, p1, CO_ACCEPT);
	struct cases_intake_out o;

	SEEN(q, "credential");
	clock_at("2026-09-30 10:00+08");
	o = intake_ok(dsu, s, &q);
	assert_string_equal(o.status, "finished");
	assert_message(o.case_no, "finished_now", "sms|13900000071|【医保】您的出具《参保凭证》已于2026年9月30日"
	    "即时办结，编号" CITY "202609300001。|2026-09-30 10:00|unsent");
	assert_int_equal(messages(o.case_no), 1);
	logout(s);
}

/* 一次性告知: how many checklist lines are missing (an any-of group is
 * one) and the notice; a second 补正 still short, a new notice; then the
 * 补正 at a township office that ends in acceptance. */
static void test_supplement_then_accepted(void **state)
{
	(void)state;
	long long s = login("to_clerk", 1), t = login("to_town", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p1, CO_SUPPLEMENT), k = { 0 };
	struct cases_intake_out o, c;

	SEEN(q, "credential");
	clock_at("2026-09-30 10:00+08");
	o = intake_ok(dsu, s, &q);
	assert_string_equal(o.notice_no, "N" CITY "202609300001");
	assert_message(o.case_no, "supplement", "sms|13900000071|【医保】您的产前检查费支付还缺4项材料，"
	    "请备齐后持一次性告知书N" CITY "202609300001办理。|2026-09-30 10:00|unsent");

	clock_at("2026-10-08 09:30+08");
	k.continue_case = o.case_no;
	k.outcome = CO_SUPPLEMENT;
	SEEN(k, "invoice", "bill");
	c = intake_ok(dsu, t, &k);
	assert_string_equal(c.notice_no, "N" TOWN "202610080001");
	dbt_assert_query(su, "2", "SELECT count(*) FROM yc.outbox WHERE case_no = $1 AND kind = 'supplement'",
	    1, (const char *[]){ o.case_no });
	dbt_assert_query(su, "【医保】您的产前检查费支付还缺2项材料，请备齐后持一次性告知书N" TOWN "202610080001办理。",
	    "SELECT body FROM yc.outbox WHERE case_no = $1 AND kind = 'supplement' ORDER BY outbox_id DESC"
	    " LIMIT 1", 1, (const char *[]){ o.case_no });

	clock_at("2026-10-09 10:00+08");
	k.outcome = CO_ACCEPT;
	SEEN(k, "diagnosis", "application");
	c = intake_ok(dsu, t, &k);
	assert_string_equal(c.status, "accepted");
	assert_string_equal(c.promised, "2026-11-05");
	assert_message(o.case_no, "accepted", "sms|13900000071|【医保】您的产前检查费支付已受理，编号"
	    CITY "202609300001，承诺2026年11月5日前办结。|2026-10-09 10:00|unsent");
	assert_int_equal(messages(o.case_no), 3);
	logout(s);
	logout(t);
}

/* 不予受理: no message (the seeds ask for none; the citizen holds the
 * 不予受理通知书). */
static void test_rejected_no_message(void **state)
{
	(void)state;
	long long s = login("to_clerk", 1);
	struct cases_intake_req q = req_of(T_BASE, p1, CO_REJECT);
	struct cases_intake_out o;

	q.reason = "不属于本机构受理范围";
	clock_at("2026-09-30 10:00+08");
	o = intake_ok(dsu, s, &q);
	assert_string_equal(o.status, "rejected");
	assert_int_equal(messages(o.case_no), 0);
	logout(s);
}

/* ------------------------------------------------------------------ */
/* 容缺 and its reminder                                                */
/* ------------------------------------------------------------------ */

/* Accepted on Friday 2026-09-18 with 慢性病证 deferred 10 working days:
 * 09-20 (the Sunday worked for 中秋) 1, 09-21..24 2-5, 09-25..27 off,
 * 09-28..30 6-8, 国庆 off, 10-08 9, 10-09 10: due Friday 10-09. The
 * reminder three working days before: 10-08 1, back across 国庆 to 09-30
 * 2, 09-29 3: Tuesday 2026-09-29 at 09:00. Promised (30 days): 11-05. */
static void test_deferred_and_reminder(void **state)
{
	(void)state;
	long long s = login("to_clerk", 1);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_DEFER);
	struct cases_intake_out o;
	const char *sender = "SELECT count(*) FROM yc.outbox WHERE sent_at IS NULL AND cancelled_at IS NULL"
	    " AND send_after <= $1::timestamptz AND case_no = $2 AND kind = 'deferred_reminder'";

	SEEN(q, "credential", "invoice", "bill");
	DEFER(q, "chronic_cert");
	clock_at("2026-09-18 10:00+08");
	o = intake_ok(dsu, s, &q);
	assert_string_equal(o.promised, "2026-11-05");
	dbt_assert_query(su, "2026-10-09", "SELECT due_date::text FROM yc.case_material WHERE case_no = $1"
	    " AND material_id = 'chronic_cert'", 1, (const char *[]){ o.case_no });
	assert_message(o.case_no, "deferred", "sms|13900000071|【医保】您的门诊费用报销已容缺受理，"
	    "承诺2026年11月5日前办结；所缺1项材料请于2026年10月9日前补交。|2026-09-18 10:00|unsent");
	assert_message(o.case_no, "deferred_reminder", "sms|13900000071|【医保】提醒：您的门诊费用报销"
	    "容缺受理所缺1项材料，请于2026年10月9日前补交，以免影响办结。|2026-09-29 09:00|unsent");
	/* the sender's query: not a minute before 09:00 that day */
	dbt_assert_query(su, "0", sender, 2, (const char *[]){ "2026-09-29 08:59+08", o.case_no });
	dbt_assert_query(su, "1", sender, 2, (const char *[]){ "2026-09-29 09:00+08", o.case_no });

	/* supplied before it went: cancelled, not deleted, not planned again */
	clock_at("2026-09-24 15:00+08");
	assert_int_equal(cases_supply(dsu, s, o.case_no, "chronic_cert"), CASES_OK);
	assert_message(o.case_no, "deferred_reminder", "sms|13900000071|【医保】提醒：您的门诊费用报销"
	    "容缺受理所缺1项材料，请于2026年10月9日前补交，以免影响办结。|2026-09-29 09:00|cancelled");
	dbt_assert_query(su, "2026-09-24 15:00", "SELECT to_char(cancelled_at AT TIME ZONE 'Asia/Shanghai',"
	    " 'YYYY-MM-DD HH24:MI') FROM yc.outbox WHERE case_no = $1 AND kind = 'deferred_reminder'", 1,
	    (const char *[]){ o.case_no });
	dbt_assert_query(su, "0", sender, 2, (const char *[]){ "2026-09-29 09:00+08", o.case_no });
	assert_int_equal(messages(o.case_no), 2);
	/* the 容缺 message stays as it was */
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.outbox WHERE case_no = $1 AND cancelled_at IS NULL",
	    1, (const char *[]){ o.case_no });
	logout(s);
}

/* Accepted Thursday 2026-09-24, the any-of group deferred 5 working days:
 * 09-28 1, 09-29 2, 09-30 3, 10-08 4, 10-09 5: due 10-09; the reminder on
 * 09-29 at 09:00. Presenting the other member of the group settles it. A
 * reminder whose time has passed is not written again. */
static void test_reminder_group_and_time_passed(void **state)
{
	(void)state;
	long long s = login("to_clerk", 1);
	struct cases_intake_req q = req_of(T_BIRTH, p2, CO_DEFER);
	struct cases_intake_out o, o2;

	SEEN(q, "credential", "invoice", "bill", "application");
	DEFER(q, "discharge");
	clock_at("2026-09-24 10:00+08");
	o = intake_ok(dsu, s, &q);
	assert_string_equal(o.promised, "2026-10-29");
	assert_message(o.case_no, "deferred", "sms|13900000000|【医保】您的产前检查费支付已容缺受理，"
	    "承诺2026年10月29日前办结；所缺1项材料请于2026年10月9日前补交。|2026-09-24 10:00|unsent");
	assert_message(o.case_no, "deferred_reminder", "sms|13900000000|【医保】提醒：您的产前检查费支付"
	    "容缺受理所缺1项材料，请于2026年10月9日前补交，以免影响办结。|2026-09-29 09:00|unsent");
	assert_int_equal(cases_supply(dsu, s, o.case_no, "diagnosis"), CASES_OK);
	dbt_assert_query(su, "cancelled:0", "SELECT CASE WHEN cancelled_at IS NOT NULL THEN 'cancelled' END"
	    " || ':' || (SELECT count(*) FROM yc.outbox WHERE case_no = $1 AND kind = 'deferred_reminder'"
	    " AND cancelled_at IS NULL) FROM yc.outbox WHERE case_no = $1 AND kind = 'deferred_reminder'",
	    1, (const char *[]){ o.case_no });

	/* planned again after its time (10-08, the reminder was for 09-29):
	 * none, the old one cancelled */
	o2 = intake_ok(dsu, s, &q);
	clock_at("2026-10-08 10:00+08");
	dbt_assert_query(su, "", "SELECT coalesce(yc.outbox_remind(sc)::text, '') FROM yc.service_case sc"
	    " WHERE case_no = $1", 1, (const char *[]){ o2.case_no });
	dbt_assert_query(su, "1|0", "SELECT count(*) || '|' || count(*) FILTER (WHERE cancelled_at IS NULL)"
	    " FROM yc.outbox WHERE case_no = $1 AND kind = 'deferred_reminder'", 1,
	    (const char *[]){ o2.case_no });
	/* a reminder already sent is left as it was */
	clock_at("2026-09-24 11:00+08");
	dbt_assert_query(su, "t", "SELECT (yc.outbox_remind(sc) IS NOT NULL)::text::char FROM yc.service_case sc"
	    " WHERE case_no = $1", 1, (const char *[]){ o2.case_no });
	dbt_exec_ok(su, "UPDATE yc.outbox SET sent_at = '2026-09-29 09:00+08' WHERE case_no = $1"
	    " AND kind = 'deferred_reminder' AND cancelled_at IS NULL", 1, (const char *[]){ o2.case_no });
	clock_at("2026-09-30 10:00+08");
	assert_int_equal(cases_supply(dsu, s, o2.case_no, "discharge"), CASES_OK);
	dbt_assert_query(su, "sent", "SELECT string_agg(CASE WHEN sent_at IS NOT NULL THEN 'sent' END, ',')"
	    " FROM yc.outbox WHERE case_no = $1 AND kind = 'deferred_reminder'", 1,
	    (const char *[]){ o2.case_no });
	/* and a message is never both sent and cancelled */
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.outbox SET cancelled_at = now() WHERE sent_at IS NOT NULL");
	logout(s);
}

/* Accepted Monday 2026-12-28, 慢性病证 due 10 working days later by the
 * provisional 2027 (元旦 01-01 off): 12-29..31 1-3, 01-04..08 4-8,
 * 01-11 9, 01-12 10; the reminder 01-11, 01-08, 01-07: 2027-01-07 09:00.
 * An official 2027 that works Saturday 01-02 brings the date to 01-11 and
 * the reminder with it, to 01-06 (in a transaction rolled back). */
static void test_reminder_follows_calendar(void **state)
{
	(void)state;
	long long s = login("to_clerk", 1);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_DEFER);
	struct cases_intake_out o;
	const char *p[1];
	const char *rows = "SELECT string_agg(to_char(send_after AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI')"
	    " || CASE WHEN cancelled_at IS NULL THEN '' ELSE ' cancelled' END || ' ' || body, ' / '"
	    " ORDER BY outbox_id) FROM yc.outbox WHERE case_no = $1 AND kind = 'deferred_reminder'";

	SEEN(q, "credential", "invoice", "bill");
	DEFER(q, "chronic_cert");
	clock_at("2026-12-28 11:00+08");
	o = intake_ok(dsu, s, &q);
	p[0] = o.case_no;
	dbt_assert_query(su, "01-07 09:00 【医保】提醒：您的门诊费用报销容缺受理所缺1项材料，请于2027年1月12日前补交，"
	    "以免影响办结。", rows, 1, p);
	dbt_exec_ok(su, "BEGIN", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.calendar_year SET basis = 'official' WHERE year = 2027", 0, NULL);
	dbt_exec_ok(su, "INSERT INTO yc.workday_adjustment (day, kind, name) VALUES ('2027-01-02', 'work',"
	    " '测试调休')", 0, NULL);
	assert_true(dbt_query_ll(su, "SELECT yc.calendar_recompute(2027)", 0, NULL) >= 1);
	dbt_assert_query(su, "2027-01-11", "SELECT due_date::text FROM yc.case_material WHERE case_no = $1"
	    " AND material_id = 'chronic_cert'", 1, p);
	dbt_assert_query(su, "01-07 09:00 cancelled 【医保】提醒：您的门诊费用报销容缺受理所缺1项材料，请于2027年1月12日前补交，"
	    "以免影响办结。 / 01-06 09:00 【医保】提醒：您的门诊费用报销容缺受理所缺1项材料，请于2027年1月11日前补交，"
	    "以免影响办结。", rows, 1, p);
	dbt_exec_ok(su, "ROLLBACK", 0, NULL);
	logout(s);
}

/* ------------------------------------------------------------------ */
/* 终止 and 撤回 through yc.outbox_citizen, as their functions call it   */
/* ------------------------------------------------------------------ */

static void test_terminated_and_withdrawn(void **state)
{
	(void)state;
	long long s = login("to_clerk", 1);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_DEFER);
	struct cases_intake_out o, w;
	char *id;

	SEEN(q, "credential", "invoice", "bill");
	DEFER(q, "chronic_cert");
	clock_at("2026-09-18 10:00+08");
	o = intake_ok(dsu, s, &q);
	clock_at("2026-09-22 14:00+08");
	/* 终止: with the reason; the unsent reminder cancelled with it */
	id = dbt_query_str(su, "SELECT yc.outbox_citizen(sc, 'terminated', jsonb_build_object('reason',"
	    " '申请人书面申请终止办理'))::text FROM yc.service_case sc WHERE case_no = $1", 1,
	    (const char *[]){ o.case_no });
	dbt_assert_query(su, "terminated|sms|13900000071|【医保】您的门诊费用报销已终止办理，原因：申请人书面申请终止办理。",
	    "SELECT kind || '|' || channel || '|' || recipient || '|' || body FROM yc.outbox"
	    " WHERE outbox_id = $1::bigint", 1, (const char *[]){ id });
	free(id);
	assert_message(o.case_no, "deferred_reminder", "sms|13900000071|【医保】提醒：您的门诊费用报销"
	    "容缺受理所缺1项材料，请于2026年10月9日前补交，以免影响办结。|2026-09-29 09:00|cancelled");
	/* a reason longer than the template allows is cut to 30 characters */
	id = dbt_query_str(su, "SELECT yc.outbox_citizen(sc, 'terminated', jsonb_build_object('reason',"
	    " '一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三'))::text"
	    " FROM yc.service_case sc WHERE case_no = $1", 1, (const char *[]){ o.case_no });
	dbt_assert_query(su, "【医保】您的门诊费用报销已终止办理，原因：一二三四五六七八九十一二三四五六七八九十一二三四五六七八九…。",
	    "SELECT body FROM yc.outbox WHERE outbox_id = $1::bigint", 1, (const char *[]){ id });
	free(id);

	/* 撤回 */
	q = req_of(T_BASE, p1, CO_ACCEPT);
	SEEN(q, "agent_id", "base_form", "payroll");
	w = intake_ok(dsu, s, &q);
	id = dbt_query_str(su, "SELECT yc.outbox_citizen(sc, 'withdrawn', '{}')::text FROM yc.service_case sc"
	    " WHERE case_no = $1", 1, (const char *[]){ w.case_no });
	dbt_assert_query(su, "withdrawn|sms|13900000071|【医保】您的参保单位缴费基数申报（编号" CITY
	    "202609220001）已按您的申请撤回。|2026-09-22 14:00",
	    "SELECT kind || '|' || channel || '|' || recipient || '|' || body || '|'"
	    " || to_char(send_after AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') FROM yc.outbox"
	    " WHERE outbox_id = $1::bigint", 1, (const char *[]){ id });
	free(id);
	/* a kind without a template is an error, not a silent nothing */
	dbt_expect_sqlstate(su, "P0001", "SELECT yc.outbox_citizen(sc, 'rejected', '{}') FROM yc.service_case sc"
	    " LIMIT 1");
	logout(s);
}

/* ------------------------------------------------------------------ */
/* the renderer, the application role, the sender's index              */
/* ------------------------------------------------------------------ */

static void test_render(void **state)
{
	(void)state;
	/* the bank-card sentence only for items that pay to a card */
	dbt_assert_query(su, "【医保】您的甲已办结，结果：准予。应付款项将转入您尾号1234的银行卡。",
	    "SELECT yc.sms_render('finished', '{\"item\": \"甲\", \"result\": \"准予\", \"pays\": true,"
	    " \"card\": \"尾号1234\"}')", 0, NULL);
	dbt_assert_query(su, "【医保】您的甲已办结，结果：准予。", "SELECT yc.sms_render('finished',"
	    " '{\"item\": \"甲\", \"result\": \"准予\", \"pays\": false, \"card\": \"尾号1234\"}')", 0, NULL);
	/* a result cut to its 20 characters, a line break made a space, a missing value empty */
	dbt_assert_query(su, "【医保】您的已办结，结果：一二三四五 七八九十一二三四五六七八九…。",
	    "SELECT yc.sms_render('finished', jsonb_build_object('result',"
	    " '一二三四五' || chr(10) || '七八九十一二三四五六七八九十一二'))", 0, NULL);
	/* numbers print as they are */
	dbt_assert_query(su, "t", "SELECT (yc.sms_render('supplement', '{\"count\": 3}') LIKE '%还缺3项%')::text::char",
	    0, NULL);
	/* the templates loaded are the files' (the longest counted by the loader) */
	dbt_assert_query(su, "12|70", "SELECT count(*) || '|' || max(longest) FROM yc.sms_template", 0, NULL);
	dbt_assert_query(su, "{\"date\": 11, \"item\": 16, \"case_no\": 24, \"promised\": 11}",
	    "SELECT vars::text FROM yc.sms_template WHERE kind = 'accepted'", 0, NULL);
}

/* The application neither reads nor writes the outbox or the templates,
 * nor calls the functions; its intake still writes the message. */
static void test_app_role(void **state)
{
	(void)state;
	struct db *da = db_open(getenv("YC_TEST_APP_CONNINFO"));
	struct cases_intake_req q = req_of(T_BASE, p1, CO_ACCEPT);
	struct cases_intake_out o;
	long long s;

	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.outbox");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.sms_template");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.sms_template SET body = '【医保】x'");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.outbox SET cancelled_at = now()");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.sms_render('accepted', '{}')");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.outbox_citizen(NULL::yc.service_case, 'withdrawn', '{}')");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.outbox_remind(NULL::yc.service_case)");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.outbox_cancel(NULL::yc.service_case, 'deferred_reminder')");
	assert_non_null(da);
	s = dbt_login_db(da, "to_clerk", TO_PASSWORD, 3, "tests/db/outbox");
	SEEN(q, "agent_id", "base_form", "payroll");
	o = intake_ok(da, s, &q);
	assert_int_equal(messages(o.case_no), 1);
	dbt_logout_db(da, s);
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

/* The sender's query, in order, on outbox_unsent_idx; cancelling on
 * outbox_case_unsent_idx.  Seq scans, bitmap scans and sorts are all
 * discouraged, so the plan does not depend on the table's statistics
 * (a small table once planned as bitmap scan + sort): what is checked is
 * that an index giving the sender's order exists and serves the query. */
static void test_sender_index(void **state)
{
	(void)state;
	PGconn *pc = PQconnectdb("");
	assert_int_equal(PQstatus(pc), CONNECTION_OK);
	dbt_exec_ok(pc, "SET enable_seqscan = off", 0, NULL);
	dbt_exec_ok(pc, "SET enable_bitmapscan = off", 0, NULL);
	dbt_exec_ok(pc, "SET enable_sort = off", 0, NULL);
	PGresult *res = PQexec(pc, "EXPLAIN SELECT office_code, outbox_id, channel, recipient, body"
	    " FROM yc.outbox WHERE sent_at IS NULL AND cancelled_at IS NULL AND send_after <= now()"
	    " ORDER BY send_after, office_code, outbox_id LIMIT 100");
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	bool found = false, sorted = false;
	for (int i = 0; i < PQntuples(res); i++) {
		found = found || strstr(PQgetvalue(res, i, 0), "outbox_unsent_idx") != NULL;
		sorted = sorted || strstr(PQgetvalue(res, i, 0), "Sort") != NULL;
	}
	PQclear(res);
	assert_true(found);
	assert_false(sorted);

	/* writing and cancelling at 容缺 and 补齐 read no table whole */
	long long s = login("to_clerk", 1);
	struct cases_intake_req q = req_of(T_CLINIC, p1, CO_DEFER);
	struct cases_intake_out o;
	char sid[24];

	SEEN(q, "credential", "invoice", "bill");
	DEFER(q, "chronic_cert");
	clock_at("2026-09-18 10:00+08");
	o = intake_ok(dsu, s, &q);
	snprintf(sid, sizeof sid, "%lld", s);
	PQsetNoticeReceiver(pc, collect_notice, &plans);
	dbt_exec_ok(pc, "LOAD 'auto_explain'", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_min_duration = 0", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_nested_statements = on", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_level = 'notice'", 0, NULL);
	dbt_exec_ok(pc, "SET client_min_messages = notice", 0, NULL);
	dbt_exec_ok(pc, "SELECT set_config('yc.test_now', '2026-09-24 10:00+08', false)", 0, NULL);
	dbt_exec_ok(pc, "SELECT yc.outbox_remind(sc) FROM yc.service_case sc WHERE office_code = $1"
	    " AND case_no = $2", 2, (const char *[]){ CITY, o.case_no });
	assert_non_null(plans);
	assert_non_null(strstr(plans, "Index Scan using outbox_case_unsent_idx on outbox"));
	assert_null(strstr(plans, "Seq Scan on outbox"));
	free(plans);
	plans = NULL;
	PQfinish(pc);
	logout(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_accepted),
		T(test_finished_now),
		T(test_supplement_then_accepted),
		T(test_rejected_no_message),
		T(test_deferred_and_reminder),
		T(test_reminder_group_and_time_passed),
		T(test_reminder_follows_calendar),
		T(test_terminated_and_withdrawn),
		T(test_render),
		T(test_app_role),
		T(test_sender_index),
	};
	return cmocka_run_group_tests_name("db_outbox", tests, group_setup, group_teardown);
}
