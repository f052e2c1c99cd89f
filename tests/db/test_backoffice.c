/*
 * The back office (db/migrations/0007_backoffice.sql, tui/store/stages.c)
 * against a migrated cluster with the shipped catalogue loaded: a case
 * accepted at a village through 初审 at its township and 复核 and 拨付 at
 * the city to 办结 with its outbox row; stage due dates counted from each
 * stage's start over a holiday; 退回 to the previous stage and to the
 * citizen, then 补正 at a window; 延期 within the special limit;
 * reassignment of an absent clerk's cases; refusals for the wrong role,
 * tier or jurisdiction; audit, NOTIFY, privileges and indexes.
 *
 * Environment as for every db suite (tests/run.sh):
 *   PGHOST, PGDATABASE, PGUSER=postgres    superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                    the application role
 *
 * The tests work in their own city, 360988 (city centre; township
 * 360988001 with village 360988001001; township 360988002), with their own
 * staff (tb_*), plus staff of another city (360989) who must see nothing.
 * Each test empties the case tables of these offices first. Calls go
 * through stages.c and cases.c on the superuser connection, whose clock
 * the tests set (yc.test_now). Dates counted by hand on
 * db/calendar/cn-workday-calendar.tsv (2026: 中秋 09-25..27 off, 国庆
 * 10-01..07 off with 10-10 worked).
 *
 * Case types of forms/ used (the latest loaded version of each):
 *   002036006001 门诊费用报销   30 days, stages 乡镇初审 20 / 市复核 5 /
 *                               市拨付 5, offered down to the villages
 *   002036012001 缴费基数申报   city only, 5 working days, no stages
 *   002036003001 出具参保凭证   即时办结
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

#include "model/json.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/stages.h"

#define CITY "360988"
#define TOWN "360988001"
#define VILLAGE "360988001001"
#define TOWN2 "360988002"
#define OTHER_CITY "360989"
#define TB_PASSWORD "Tb-Secret-7"

#define T_CLINIC "002036006001"	/* 30 days, stages township 20, city 5, city 5 */
#define T_INJURY "002036005001"	/* 15 days: 外伤调查 10, 系统审核 5, both city */
#define T_BASE "002036012001"	/* city only, 5 days, no stages */
#define T_CERT "002036003001"	/* 即时办结 */

#define IDS(...) ((const char *const[]){ __VA_ARGS__ })
#define NIDS(...) (sizeof(IDS(__VA_ARGS__)) / sizeof(const char *))
#define SEEN(q, ...) ((q).seen = IDS(__VA_ARGS__), (q).nseen = NIDS(__VA_ARGS__))

static PGconn *su;		/* superuser */
static PGconn *app;		/* yichuang_app */
static struct db *dsu;		/* superuser through the store: may set the clock */
static char p1[19], p2[19];	/* applicants: p1 with a phone, p2 without */

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* The stages of a case as "no:started:due:finished,…" (dates or -). */
static void assert_stages(const char *case_no, const char *want)
{
	const char *p[] = { case_no };

	dbt_assert_query(su, want, "SELECT string_agg(stage_no || ':'"
	    " || coalesce(to_char(started_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD'), '-') || ':'"
	    " || to_char(due_date, 'MM-DD') || ':'"
	    " || coalesce(to_char(finished_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD'), '-'), ','"
	    " ORDER BY stage_no) FROM yc.case_stage WHERE case_no = $1", 1, p);
}

static long long login(const char *staff, int window)
{
	return dbt_login(app, staff, TB_PASSWORD, window, "tests/db/backoffice");
}

static void logout(long long sid)
{
	dbt_logout(app, sid);
}

/* Audit rows after mark by an office's staff of an action on a case (the
 * case's office is its number without the 12 digits of day and sequence). */
static long long audit_count(long long mark, const char *office, const char *action,
    const char *case_no)
{
	char obj[80];

	snprintf(obj, sizeof obj, "case:%.*s/%s", (int)strlen(case_no) - 12, case_no, case_no);
	return dbt_audit_count(su, mark, office, action, obj);
}

/* Accepts a case at the session's office: every material of the type seen
 * (a 即时办结 item finished at once); a 门诊费用报销 with a phone and a
 * bank card in its form. */
static struct cases_intake_out accept(long long sid, const char *type, const char *id_no)
{
	static const char *const clinic[] = { "credential", "invoice", "bill", "chronic_cert" };
	static const char *const base[] = { "agent_id", "base_form", "payroll" };
	static const char *const cert[] = { "credential" };
	static const char *const injury[] = { "credential", "filing_form", "pledge", "admission",
					      "discharge", "diagnosis", "invoice", "bill" };
	const char **ids, **values;
	struct cases_intake_req q = { 0 };
	struct cases_intake_out out;
	enum cases_result r;

	q.type_code = type;
	q.version = dbt_case_type_version(su, type);
	q.id_no = id_no;
	q.channel = CH_WINDOW;
	q.outcome = CO_ACCEPT;
	/* the whole form; the card and phone the outbox rows are checked against */
	q.nfields = dbt_form(su, type, id_no, &ids, &values);
	q.field_ids = ids;
	q.field_values = values;
	for (size_t i = 0; i < q.nfields; i++) {
		if (strcmp(ids[i], "bank_card") == 0)
			values[i] = "6222 0202 0202 0201 234";
		else if (strcmp(ids[i], "phone") == 0)
			values[i] = "13900000009";
	}
	if (strcmp(type, T_CLINIC) == 0) {
		q.seen = clinic;
		q.nseen = 4;
	} else if (strcmp(type, T_BASE) == 0) {
		q.seen = base;
		q.nseen = 3;
	} else if (strcmp(type, T_INJURY) == 0) {
		q.seen = injury;
		q.nseen = 8;
	} else {
		q.seen = cert;
		q.nseen = 1;
		q.outcome = CO_IMMEDIATE;
	}
	r = cases_intake(dsu, sid, &q, &out);
	if (r != CASES_OK)
		print_error("# intake: %s (%s)\n", cases_result_message(r), db_detail(dsu));
	assert_int_equal(r, CASES_OK);
	return out;
}

/* The queue entry of a case for a session, or NULL (res must be ok). */
static struct stage_item queue_items[64];
static const struct stage_item *queued(long long sid, const char *case_no)
{
	enum cases_result r;
	int n = stages_queue(dsu, sid, queue_items, 64, &r);

	assert_int_equal(r, CASES_OK);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++)
		if (strcmp(queue_items[i].case_no, case_no) == 0)
			return &queue_items[i];
	return NULL;
}

static void complete_ok(long long sid, const char *case_no, const char *note)
{
	enum cases_result r = stages_complete(dsu, sid, case_no, -1, note);

	if (r != CASES_OK)
		print_error("# complete: %s (%s)\n", cases_result_message(r), db_detail(dsu));
	assert_int_equal(r, CASES_OK);
}

/* A string member of an object member of j: json_str(j, "case", "status"). */
static const char *json_str(const struct json *j, const char *obj, const char *key)
{
	const struct json *v = json_get(json_get(j, obj), key);

	assert_non_null(v);
	return v->kind == JSON_STRING || v->kind == JSON_NUMBER ? v->text : "";
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static const char *const staff_rows[][3] = {
	{ "tb_village", "clerk", VILLAGE },
	{ "tb_town", "clerk", TOWN },
	{ "tb_town2", "clerk", TOWN2 },
	{ "tb_review", "reviewer", CITY },
	{ "tb_clerk", "clerk", CITY },
	{ "tb_clerk2", "clerk", CITY },
	{ "tb_super", "supervisor", CITY },
	{ "tb_tsuper", "supervisor", TOWN },
	{ "tb_guide", "guide", CITY },
	{ "tb_other", "reviewer", OTHER_CITY },
	{ "tb_oclerk", "clerk", OTHER_CITY },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	/* quiet about the ROLLBACK of test_setup outside a transaction */
	db_exec(dsu, "SET client_min_messages = error", 0, NULL);
	dbt_office(su, CITY, "后台测试市医保中心", 4);
	dbt_office(su, OTHER_CITY, "后台另一测试市医保中心", 4);
	dbt_office(su, TOWN, "后台测试一街道", 4);
	dbt_office(su, TOWN2, "后台测试二街道", 4);
	dbt_office(su, VILLAGE, "后台测试一社区", 4);
	dbt_staff(su, TB_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19700303", 881);
	dbt_make_id(p2, "19750505", 882);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return dbt_disconnect(&su, &app, &dsu, "tb");
}

/* Empties the case tables of the test offices; registers the applicants. */
static int test_setup(void **state)
{
	(void)state;
	/* a test that failed inside its own transaction left it open */
	db_exec(dsu, "ROLLBACK", 0, NULL);
	dbt_clear_cases(su, CITY);
	dbt_clear_cases(su, OTHER_CITY);
	dbt_close_sessions(su, "tb");
	dbt_clock(dsu, "");
	long long s = login("tb_clerk", 1);
	assert_int_equal(cases_person_register(dsu, s, p1, "后台申请人甲", "13900000001"), CASES_OK);
	assert_int_equal(cases_person_register(dsu, s, p2, "后台申请人乙", NULL), CASES_OK);
	dbt_insured(su, p1, CITY);
	logout(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* the way of a case                                                   */
/* ------------------------------------------------------------------ */

/*
 * 门诊费用报销 accepted at the village on Monday 2026-09-21: 初审 at its
 * township (20 days from acceptance: 10-26), then 复核 (5 days) and 拨付
 * (5 days) at the city, each counted from its own start over 国庆:
 * started 09-29 → due 10-12 (09-30, 10-08, 10-09, 10-10 worked, 10-12);
 * started 10-09 → due 10-15.
 */
static void test_village_case_to_finish(void **state)
{
	(void)state;
	long long v = login("tb_village", 1), t = login("tb_town", 1), t2 = login("tb_town2", 1);
	long long rv = login("tb_review", 0), sv = login("tb_super", 0), ts = login("tb_tsuper", 0);
	long long mark = dbt_audit_mark(su);
	const struct stage_item *it;
	struct cases_intake_out o;
	enum cases_result r;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(v, T_CLINIC, p1);
	assert_string_equal(o.status, "accepted");
	assert_string_equal(o.promised, "2026-11-09");
	assert_stages(o.case_no, "1:09-21:10-26:-,2:-:11-02:-,3:-:11-09:-");

	/* 初审 waits at the township of the village: its clerk and its supervisor
	 * see it, as does the city's supervisor; nobody else */
	dbt_clock(dsu, "2026-09-22 09:00+08");
	it = queued(t, o.case_no);
	assert_non_null(it);
	assert_string_equal(it->office_code, VILLAGE);
	assert_string_equal(it->type_name, "门诊费用报销");
	assert_string_equal(it->person_name, "后台申请人甲");
	assert_int_equal(it->stage_no, 1);
	assert_int_equal(it->nstages, 3);
	assert_string_equal(it->stage_name, "乡镇（街道）初审");
	assert_string_equal(it->tier, "township");
	assert_string_equal(it->started, "2026-09-21");
	assert_string_equal(it->due, "2026-10-26");
	assert_int_equal(it->remaining, 19);
	assert_int_equal(it->days, 20);
	assert_string_equal(it->promised, "2026-11-09");
	assert_non_null(queued(ts, o.case_no));
	assert_non_null(queued(sv, o.case_no));
	assert_null(queued(rv, o.case_no));
	assert_null(queued(t2, o.case_no));
	assert_null(queued(v, o.case_no));

	/* the township completes: 复核 starts at the city and the city hears it */
	PGconn *listener = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));
	char buf[2048];
	assert_int_equal(PQstatus(listener), CONNECTION_OK);
	PQclear(PQexec(listener, "LISTEN yc_case_360988"));
	dbt_clock(dsu, "2026-09-29 15:00+08");
	complete_ok(t, o.case_no, "初审通过");
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 1);
	assert_non_null(strstr(buf, "\"e\" : \"stage_complete\""));
	assert_non_null(strstr(buf, o.case_no));
	assert_null(strstr(buf, p1));
	PQfinish(listener);
	dbt_assert_case(su, o.case_no, "status || '/' || stage_no", "in_progress/2");
	assert_stages(o.case_no, "1:09-21:10-26:09-29,2:09-29:10-12:-,3:-:11-09:-");
	assert_null(queued(t, o.case_no));
	it = queued(rv, o.case_no);
	assert_non_null(it);
	assert_int_equal(it->stage_no, 2);
	assert_string_equal(it->tier, "county");
	assert_string_equal(it->started, "2026-09-29");
	assert_string_equal(it->due, "2026-10-12");
	assert_int_equal(it->remaining, 5);
	/* the township may not work the city's stage */
	assert_int_equal(stages_complete(dsu, t, o.case_no, -1, NULL), CASES_NOT_ALLOWED);

	dbt_clock(dsu, "2026-10-09 11:00+08");
	complete_ok(rv, o.case_no, NULL);
	assert_stages(o.case_no, "1:09-21:10-26:09-29,2:09-29:10-12:10-09,3:10-09:10-15:-");
	/* a second key press on stage 2 (the case is at 3 now) changes nothing */
	assert_int_equal(stages_complete(dsu, rv, o.case_no, 2, NULL), CASES_NOT_PENDING);
	assert_int_equal(stages_finish(dsu, rv, o.case_no, 2, "重复"), CASES_NOT_PENDING);
	assert_stages(o.case_no, "1:09-21:10-26:09-29,2:09-29:10-12:10-09,3:10-09:10-15:-");
	/* after the last stage the case waits for 办结 in the city's queue */
	dbt_clock(dsu, "2026-10-13 11:00+08");
	complete_ok(rv, o.case_no, "已拨付");
	dbt_assert_case(su, o.case_no, "status || '/' || coalesce(stage_no::text, 'none')", "in_progress/none");
	it = queued(rv, o.case_no);
	assert_non_null(it);
	assert_int_equal(it->stage_no, 0);
	assert_string_equal(it->stage_name, "待办结");
	assert_string_equal(it->started, "2026-10-13");
	assert_string_equal(it->due, "2026-11-09");
	assert_int_equal(it->days, 30);
	assert_null(queued(ts, o.case_no));
	assert_int_equal(stages_complete(dsu, rv, o.case_no, -1, NULL), CASES_NOT_PENDING);

	/* 办结: result, time, stages closed, the SMS with the 动账提醒 */
	dbt_clock(dsu, "2026-10-14 10:00+08");
	assert_int_equal(stages_finish(dsu, rv, o.case_no, -1, "  "), CASES_REASON_NEEDED);
	assert_int_equal(stages_finish(dsu, rv, o.case_no, -1, "准予报销1,234.50元"), CASES_OK);
	dbt_assert_case(su, o.case_no, "status || '/' || result || '/' || to_char(finished_at AT TIME ZONE"
	    " 'Asia/Shanghai', 'YYYY-MM-DD')", "finished/准予报销1,234.50元/2026-10-14");
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.case_stage WHERE case_no = $1 AND finished_at IS NULL",
	    1, (const char *[]){ o.case_no });
	/* the 办结 text of print_templates/sms/finished.mustache (one SMS: the
	 * 受理 message went at acceptance) */
	dbt_assert_query(su, "sms|13900000001|【医保】您的门诊费用报销已办结，结果：准予报销1,234.50元。"
	    "应付款项将转入您尾号1234的银行卡。|t",
	    "SELECT channel || '|' || recipient || '|' || body || '|' || (sent_at IS NULL)::text::char"
	    " FROM yc.outbox WHERE case_no = $1 AND kind = 'finished'", 1, (const char *[]){ o.case_no });
	assert_null(queued(rv, o.case_no));
	assert_int_equal(stages_finish(dsu, rv, o.case_no, -1, "再次"), CASES_NOT_PENDING);

	/* every step audited where it was taken */
	assert_int_equal(audit_count(mark, TOWN, "case_stage_complete", o.case_no), 1);
	assert_int_equal(audit_count(mark, CITY, "case_stage_complete", o.case_no), 2);
	assert_int_equal(audit_count(mark, CITY, "case_finish", o.case_no), 1);
	char m[24];
	snprintf(m, sizeof m, "%lld", mark);
	dbt_assert_query(su, "tb_town:1:accepted/1:in_progress/2:初审通过", "SELECT staff_no || ':' || window_no"
	    " || ':' || (before->>'status') || '/' || (before->>'stage_no') || ':' || (after->>'status')"
	    " || '/' || (after->>'stage_no') || ':' || (after->'event'->>'note') FROM yc.audit_log"
	    " WHERE audit_id > $1::bigint AND action = 'case_stage_complete' AND office_code = '" TOWN "'",
	    1, (const char *[]){ m });

	/* the case view: the whole history, oldest first */
	char *json = stages_case(dsu, t, o.case_no, &r);
	char *err = NULL;
	assert_int_equal(r, CASES_OK);
	assert_non_null(json);
	struct json *j = json_parse(json, &err);
	assert_non_null(j);
	assert_string_equal(json_str(j, "case", "status"), "finished");
	assert_string_equal(json_str(j, "case", "status_name"), "已办结");
	assert_string_equal(json_str(j, "case", "result"), "准予报销1,234.50元");
	assert_string_equal(json_str(j, "case", "office_name"), "后台测试一社区");
	assert_string_equal(json_str(j, "case", "clerk"), "测试tb_village");
	assert_string_equal(json_str(j, "case", "accepted"), "2026-09-21");
	assert_string_equal(json_str(j, "case", "finished"), "2026-10-14");
	assert_int_equal(json_get(j, "stages")->n, 3);
	assert_string_equal(json_get(json_get(j, "stages")->items[1], "started")->text, "2026-09-29");
	assert_string_equal(json_get(json_get(j, "stages")->items[1], "by")->text, "测试tb_review");
	assert_int_equal(json_get(j, "materials")->n, 4);
	const struct json *ev = json_get(j, "events");
	assert_int_equal(ev->n, 5);
	assert_string_equal(json_get(ev->items[0], "text")->text, "受理");
	assert_string_equal(json_get(ev->items[1], "text")->text,
	    "完成“乡镇（街道）初审”：初审通过，转“市医保中心复审、录入、复核”");
	assert_string_equal(json_get(ev->items[3], "text")->text, "完成“市医保中心资金拨付”：已拨付，待办结");
	assert_string_equal(json_get(ev->items[4], "text")->text, "办结：准予报销1,234.50元");
	assert_string_equal(json_get(ev->items[4], "at")->text, "2026-10-14 10:00");
	assert_string_equal(json_get(json_get(j, "form")->items[0], "label")->text, "参保人身份证号码");
	assert_string_equal(json_get(json_get(j, "form")->items[1], "label")->text, "联系电话");
	json_free(&j);
	free(json);
	/* another township's or another city's case does not exist for them */
	assert_null(stages_case(dsu, t2, o.case_no, &r));
	assert_int_equal(r, CASES_NOT_FOUND);
	long long oth = login("tb_other", 0);
	assert_null(stages_case(dsu, oth, o.case_no, &r));
	assert_int_equal(r, CASES_NOT_FOUND);
	logout(oth);
	logout(v);
	logout(t);
	logout(t2);
	logout(rv);
	logout(sv);
	logout(ts);
}

/* A 零星报销 accepted at the city centre: its 乡镇初审 is the city's own
 * (no township ever sees a city case); the stage keeps its planned date. */
static void test_city_case_first_stage_at_city(void **state)
{
	(void)state;
	long long c = login("tb_clerk", 2), t = login("tb_town", 1), rv = login("tb_review", 0);
	struct cases_intake_out o;
	const struct stage_item *it;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(c, T_CLINIC, p2);
	it = queued(rv, o.case_no);
	assert_non_null(it);
	assert_int_equal(it->stage_no, 1);
	assert_string_equal(it->tier, "township");
	assert_string_equal(it->due, "2026-10-26");
	assert_null(queued(t, o.case_no));
	assert_int_equal(stages_complete(dsu, t, o.case_no, -1, NULL), CASES_NOT_FOUND);
	/* a counter clerk of the city works no stage */
	assert_int_equal(stages_complete(dsu, c, o.case_no, -1, NULL), CASES_NOT_ALLOWED);
	complete_ok(rv, o.case_no, NULL);
	dbt_assert_case(su, o.case_no, "stage_no", "2");
	logout(c);
	logout(t);
	logout(rv);
}

/* 意外伤害待遇备案 is registered at once but reviewed only on the 外伤调查
 * result (seed 002 附件1 第9项): an open case whose investigation stage has
 * its own due date, never 即时办结 and forgotten. From Monday 09-21:
 * 10 working days (中秋 09-25..27, 国庆 10-01..07, 10-10 worked) end on
 * 10-12, 15 on 10-19. */
static void test_injury_waits_for_investigation(void **state)
{
	(void)state;
	long long c = login("tb_clerk", 2), rv = login("tb_review", 0);
	struct cases_intake_out o;
	const struct stage_item *it;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(c, T_INJURY, p2);
	assert_string_equal(o.status, "accepted");
	assert_string_equal(o.promised, "2026-10-19");
	assert_stages(o.case_no, "1:09-21:10-12:-,2:-:10-19:-");
	it = queued(rv, o.case_no);
	assert_non_null(it);
	assert_int_equal(it->stage_no, 1);
	assert_string_equal(it->due, "2026-10-12");
	complete_ok(rv, o.case_no, "调查结果：可报");
	dbt_assert_case(su, o.case_no, "stage_no", "2");
	dbt_assert_case(su, o.case_no, "status", "in_progress");
	logout(c);
	logout(rv);
}

/* No money on an incomplete file: a 容缺 case is not paid (its last
 * stage, 拨付) nor finished while its deferred material is outstanding. */
static void test_no_payment_while_deferred(void **state)
{
	(void)state;
	long long c = login("tb_clerk", 2), rv = login("tb_review", 0);
	const char **ids, **values;
	struct cases_intake_req q = { 0 };
	struct cases_intake_out o;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	q.type_code = T_CLINIC;
	q.version = dbt_case_type_version(su, T_CLINIC);
	q.id_no = p2;
	q.channel = CH_WINDOW;
	q.outcome = CO_DEFER;
	q.nfields = dbt_form(su, T_CLINIC, p2, &ids, &values);
	q.field_ids = ids;
	q.field_values = values;
	q.seen = (const char *const[]){ "credential", "invoice", "bill" };
	q.nseen = 3;
	q.deferred = (const char *const[]){ "chronic_cert" };
	q.ndeferred = 1;
	assert_int_equal(cases_intake(dsu, c, &q, &o), CASES_OK);
	complete_ok(rv, o.case_no, NULL);
	complete_ok(rv, o.case_no, NULL);
	dbt_assert_case(su, o.case_no, "stage_no", "3");
	/* 拨付 and 办结 refused, nothing changed */
	assert_int_equal(stages_complete(dsu, rv, o.case_no, -1, NULL), CASES_DEFERRED_MISSING);
	assert_int_equal(stages_finish(dsu, rv, o.case_no, -1, "准予报销"), CASES_DEFERRED_MISSING);
	dbt_assert_case(su, o.case_no, "stage_no", "3");
	dbt_assert_case(su, o.case_no, "status", "in_progress");
	/* supplied: paid and finished */
	assert_int_equal(cases_supply(dsu, c, o.case_no, "chronic_cert"), CASES_OK);
	complete_ok(rv, o.case_no, NULL);
	assert_int_equal(stages_finish(dsu, rv, o.case_no, -1, "准予报销"), CASES_OK);
	dbt_assert_case(su, o.case_no, "status", "finished");
	logout(c);
	logout(rv);
}

/* ------------------------------------------------------------------ */
/* 退回                                                                 */
/* ------------------------------------------------------------------ */

static void test_return_to_previous_stage(void **state)
{
	(void)state;
	long long v = login("tb_village", 1), t = login("tb_town", 1), rv = login("tb_review", 0);
	long long mark = dbt_audit_mark(su);
	struct cases_intake_out o;
	const struct stage_item *it;
	char notice[32];

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(v, T_CLINIC, p1);
	/* the first stage has nothing before it */
	assert_int_equal(stages_return(dsu, t, o.case_no, -1, false, "材料有误", notice), CASES_NOT_ALLOWED);
	dbt_clock(dsu, "2026-09-24 10:00+08");
	complete_ok(t, o.case_no, NULL);
	/* back from 复核 to 初审, with a reason; 初审 starts again, due from today */
	dbt_clock(dsu, "2026-09-30 10:00+08");
	assert_int_equal(stages_return(dsu, rv, o.case_no, -1, false, "", notice), CASES_REASON_NEEDED);
	assert_int_equal(stages_return(dsu, rv, o.case_no, -1, false, "清单未盖章", notice), CASES_OK);
	assert_string_equal(notice, "");
	dbt_assert_case(su, o.case_no, "status || '/' || stage_no", "in_progress/1");
	/* 20 working days after 09-30: 10-08 … 11-03 (10-10 worked); 复核 is
	 * not started and keeps the date of its last start */
	assert_stages(o.case_no, "1:09-30:11-03:-,2:-:10-09:-,3:-:11-09:-");
	it = queued(t, o.case_no);
	assert_non_null(it);
	assert_string_equal(it->due, "2026-11-03");
	assert_null(queued(rv, o.case_no));
	assert_int_equal(audit_count(mark, CITY, "case_stage_return", o.case_no), 1);
	/* and up again */
	dbt_clock(dsu, "2026-10-08 10:00+08");
	complete_ok(t, o.case_no, "已补盖章");
	assert_stages(o.case_no, "1:09-30:11-03:10-08,2:10-08:10-14:-,3:-:11-09:-");
	/* a case waiting for 办结 goes back to its last stage */
	complete_ok(rv, o.case_no, NULL);
	complete_ok(rv, o.case_no, NULL);
	assert_int_equal(stages_return(dsu, rv, o.case_no, -1, false, "金额复核", notice), CASES_OK);
	dbt_assert_case(su, o.case_no, "stage_no", "3");
	logout(v);
	logout(t);
	logout(rv);
}

/* 退回 to the citizen with a reason only (nothing is missing), then the
 * 补正 at a window: the same case goes on at the same stage, and the
 * working days the citizen took do not count against the limit. */
static void test_return_to_citizen_then_continue(void **state)
{
	(void)state;
	long long v = login("tb_village", 1), t = login("tb_town", 2), rv = login("tb_review", 0);
	long long mark = dbt_audit_mark(su);
	struct cases_intake_out o, c;
	struct cases_intake_req k = { 0 };
	struct cases_found f[4];
	enum cases_result r;
	char notice[32];

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(v, T_CLINIC, p1);
	dbt_clock(dsu, "2026-09-22 10:00+08");
	complete_ok(t, o.case_no, NULL);
	dbt_clock(dsu, "2026-09-23 10:00+08");
	assert_int_equal(stages_return(dsu, rv, o.case_no, -1, true, "请补充异地就医备案说明", notice),
	    CASES_OK);
	assert_string_equal(notice, "N" CITY "202609230001");
	dbt_assert_case(su, o.case_no, "status || '/' || stage_no", "pending_supplement/2");
	dbt_assert_query(su, "supplement|t|请补充异地就医备案说明|0", "SELECT kind || '|' || (body->>'returned')::bool::text::char"
	    " || '|' || (body->>'reason') || '|' || jsonb_array_length(body->'missing')"
	    " FROM yc.notice WHERE notice_no = $1", 1, (const char *[]){ notice });
	assert_int_equal(audit_count(mark, CITY, "case_stage_return_citizen", o.case_no), 1);
	assert_null(queued(rv, o.case_no));
	assert_int_equal(stages_complete(dsu, rv, o.case_no, -1, NULL), CASES_NOT_PENDING);

	/* the citizen comes back to their township a week later with the notice */
	dbt_clock(dsu, "2026-09-30 09:30+08");
	assert_int_equal(cases_lookup(dsu, t, notice, f, 4, &r), 1);
	assert_string_equal(f[0].case_no, o.case_no);
	k.continue_case = o.case_no;
	k.outcome = CO_ACCEPT;
	assert_int_equal(cases_intake(dsu, t, &k, &c), CASES_OK);
	assert_string_equal(c.status, "in_progress");
	assert_string_equal(c.accepted, "2026-09-21");
	/* waited 09-24, 09-28, 09-29, 09-30: 4 working days; 30 + 4 from 09-21 */
	dbt_assert_case(su, o.case_no, "suspended_days", "4");
	assert_string_equal(c.promised, "2026-11-13");
	dbt_assert_case(su, o.case_no, "promised_date", "2026-11-13");
	/* 复核 starts again today: 09-30 + 5 → 10-13 */
	assert_stages(o.case_no, "1:09-21:10-26:09-22,2:09-30:10-13:-,3:-:11-09:-");
	assert_non_null(queued(rv, o.case_no));
	/* the materials seen stay seen */
	dbt_assert_query(su, "4", "SELECT count(*) FROM yc.case_material WHERE case_no = $1 AND state = 'seen'",
	    1, (const char *[]){ o.case_no });
	/* once continued it is no longer waiting */
	assert_int_equal(cases_intake(dsu, t, &k, &c), CASES_NOT_PENDING);
	logout(v);
	logout(t);
	logout(rv);
}

/* ------------------------------------------------------------------ */
/* 办结 of a case without stages                                        */
/* ------------------------------------------------------------------ */

static void test_finish_without_stages(void **state)
{
	(void)state;
	long long c = login("tb_clerk", 1), rv = login("tb_review", 0), sv = login("tb_super", 0);
	long long t = login("tb_town", 1);
	struct cases_intake_out o;
	const struct stage_item *it;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(c, T_BASE, p2);
	it = queued(rv, o.case_no);
	assert_non_null(it);
	assert_int_equal(it->stage_no, 0);
	assert_int_equal(it->nstages, 0);
	assert_string_equal(it->started, "2026-09-21");
	assert_string_equal(it->due, "2026-09-29");
	assert_int_equal(it->days, 5);
	assert_non_null(queued(sv, o.case_no));
	assert_int_equal(stages_complete(dsu, rv, o.case_no, -1, NULL), CASES_NOT_PENDING);
	assert_int_equal(stages_return(dsu, rv, o.case_no, -1, false, "无", NULL), CASES_NOT_ALLOWED);
	assert_int_equal(stages_finish(dsu, t, o.case_no, -1, "已核定"), CASES_NOT_FOUND);
	assert_int_equal(stages_finish(dsu, c, o.case_no, -1, "已核定"), CASES_NOT_ALLOWED);
	dbt_clock(dsu, "2026-09-24 10:00+08");
	assert_int_equal(stages_finish(dsu, rv, o.case_no, -1, "缴费基数已核定"), CASES_OK);
	dbt_assert_case(su, o.case_no, "status", "finished");
	/* the 办结通知书 says the result */
	dbt_assert_query(su, "true|缴费基数已核定", "SELECT (d->>'has_result') || '|' || (d->>'result')"
	    " FROM yc.case_document($1, 'completion-notice') d", 1, (const char *[]){ o.case_no });
	/* no phone on record for the person: by SMS to the form's (经办人联系电话,
	 * required); nothing paid: no 动账提醒 */
	dbt_assert_query(su, "sms|t|f", "SELECT channel || '|' || (recipient = $2)::text::char || '|'"
	    " || (body LIKE '%银行卡%')::text::char FROM yc.outbox WHERE case_no = $1 AND kind = 'finished'", 2,
	    (const char *[]){ o.case_no, "13900000009" });
	logout(c);
	logout(rv);
	logout(sv);
	logout(t);
}

/* ------------------------------------------------------------------ */
/* 延期                                                                 */
/* ------------------------------------------------------------------ */

/* Inside a transaction that is rolled back, a version of 缴费基数申报
 * with 5 days, 10 in special cases; then the shipped 门诊费用报销. */
static void test_extend(void **state)
{
	(void)state;
	long long c = login("tb_clerk", 1), sv = login("tb_super", 0), ts = login("tb_tsuper", 0);
	struct cases_intake_req q = { 0 };
	const char **form_ids, **form_values;
	struct cases_intake_out o;
	char promised[11];
	PGresult *res;

	assert_int_equal(db_exec(dsu, "BEGIN", 0, NULL), DB_OK);
	assert_int_equal(db_exec(dsu, "INSERT INTO yc.catalogue_version (version, loaded_by, file_count)"
	    " VALUES (90007, 'tests/db/backoffice', 1)", 0, NULL), DB_OK);
	assert_int_equal(db_exec(dsu, "INSERT INTO yc.case_type (code, version, name, category, pinyin,"
	    " tiers, definition, revision, local, category_pinyin, limit_kind, limit_days, special_days)"
	    " SELECT code, 90007, name, category, pinyin, tiers, definition, revision, local,"
	    " category_pinyin, limit_kind, limit_days, 10 FROM yc.case_type"
	    " WHERE code = '" T_BASE "' ORDER BY version DESC LIMIT 1", 0, NULL), DB_OK);
	dbt_clock(dsu, "2026-09-21 10:00+08");
	q.type_code = T_BASE;
	q.version = 90007;
	q.id_no = p1;
	q.channel = CH_WINDOW;
	q.outcome = CO_ACCEPT;
	q.nfields = dbt_form(su, T_BASE, p1, &form_ids, &form_values);
	q.field_ids = form_ids;
	q.field_values = form_values;
	SEEN(q, "agent_id", "base_form", "payroll");
	assert_int_equal(cases_intake(dsu, c, &q, &o), CASES_OK);
	assert_string_equal(o.promised, "2026-09-29");
	/* no 延期办理告知书 before an extension */
	res = db_query(dsu, NULL, "SELECT yc.case_document($1, 'extension-notice')->>'refused'", 1,
	    (const char *[]){ o.case_no });
	assert_non_null(res);
	assert_string_equal(PQgetvalue(res, 0, 0), "not_applicable");
	PQclear(res);

	/* supervisors only, of the case's office or above, with a reason */
	assert_int_equal(stages_extend(dsu, c, o.case_no, 10, "病历调取", promised), CASES_NOT_ALLOWED);
	assert_int_equal(stages_extend(dsu, ts, o.case_no, 10, "病历调取", promised), CASES_NOT_FOUND);
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 10, " ", promised), CASES_REASON_NEEDED);
	/* longer than now, not beyond the special limit */
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 11, "病历调取", promised), CASES_NOT_ALLOWED);
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 5, "病历调取", promised), CASES_NOT_ALLOWED);
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 0, "病历调取", promised), CASES_BAD_INPUT);
	assert_string_equal(promised, "");
	/* 10 working days from the acceptance on 09-21: 10-12 */
	dbt_clock(dsu, "2026-09-25 10:00+08");
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 10, "需调取外院病历", promised), CASES_OK);
	assert_string_equal(promised, "2026-10-12");
	res = db_query(dsu, NULL, "SELECT limit_days || '/' || promised_date FROM yc.service_case"
	    " WHERE case_no = $1", 1, (const char *[]){ o.case_no });
	assert_non_null(res);
	assert_string_equal(PQgetvalue(res, 0, 0), "10/2026-10-12");
	PQclear(res);
	res = db_query(dsu, NULL, "SELECT (before->>'limit_days') || '>' || (after->>'limit_days')"
	    " || ':' || (after->'event'->>'reason') FROM yc.audit_log WHERE action = 'case_extend'"
	    " AND office_code = '" CITY "' AND object LIKE '%' || $1", 1, (const char *[]){ o.case_no });
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(PQgetvalue(res, 0, 0), "5>10:需调取外院病历");
	PQclear(res);
	/* the 延期办理告知书 for the citizen: both limits and promised dates, the
	 * reason, the day and the supervisor; not listed by the definition */
	dbt_clock(dsu, "2026-09-28 10:00+08");
	res = db_query(dsu, NULL, "SELECT concat_ws('|', d->>'template', d->>'old_limit_days',"
	    " d->>'new_limit_days', d->>'extension_reason', d->>'has_old_promised', d->>'old_promised',"
	    " d->>'new_promised', d->>'extended', d->>'supervisor', d->>'promised', d->>'date',"
	    " d->>'id_masked' = yc.doc_mask_idno($2), d ? 'refused')"
	    " FROM yc.case_document($1, 'extension-notice') d", 2, (const char *[]){ o.case_no, p1 });
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(PQgetvalue(res, 0, 0), "extension-notice|5|10|需调取外院病历|true"
	    "|2026年9月29日|2026年10月12日|2026年9月25日|测试tb_super|2026年10月12日|2026年9月28日"
	    "|t|f");
	PQclear(res);
	/* only for the extension notice; the completion notice has its result */
	res = db_query(dsu, NULL, "SELECT (yc.case_document($1, 'acceptance-notice') ? 'new_promised')::text"
	    " || '|' || (yc.case_document($1, 'extension-notice') ? 'has_result')::text", 1,
	    (const char *[]){ o.case_no });
	assert_non_null(res);
	assert_string_equal(PQgetvalue(res, 0, 0), "false|false");
	PQclear(res);
	/* the limit is now the special one: no further */
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 10, "再延", promised), CASES_NOT_ALLOWED);
	assert_int_equal(db_exec(dsu, "ROLLBACK", 0, NULL), DB_OK);

	/* 门诊费用报销 as shipped: 30 working days, 10 more in special cases
	 * (the national list's 10 → 20); 30 working days from 09-21 are 11-09, 40 are 11-23 */
	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(c, T_CLINIC, p1);
	assert_string_equal(o.promised, "2026-11-09");
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 41, "病历调取", promised), CASES_NOT_ALLOWED);
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 40, "需调取外院病历", promised), CASES_OK);
	assert_string_equal(promised, "2026-11-23");
	dbt_assert_query(su, "2026年11月23日", "SELECT yc.case_document($1, 'extension-notice')->>'new_promised'", 1,
	    (const char *[]){ o.case_no });
	/* an item without a special limit (缴费基数申报, 5 days) is never extended */
	o = accept(c, T_BASE, p1);
	assert_int_equal(stages_extend(dsu, sv, o.case_no, 6, "病历调取", promised), CASES_NOT_ALLOWED);
	dbt_assert_query(su, "not_applicable", "SELECT yc.case_document($1, 'extension-notice')->>'refused'", 1,
	    (const char *[]){ o.case_no });
	logout(c);
	logout(sv);
	logout(ts);
}

/* ------------------------------------------------------------------ */
/* reassignment                                                        */
/* ------------------------------------------------------------------ */

static void test_reassign(void **state)
{
	(void)state;
	long long c = login("tb_clerk", 1), t = login("tb_town", 1), sv = login("tb_super", 0);
	long long ts = login("tb_tsuper", 0), rv = login("tb_review", 0);
	long long mark = dbt_audit_mark(su);
	struct cases_intake_out a, b, d, e;
	int moved = -1;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	a = accept(c, T_BASE, p1);
	b = accept(c, T_CLINIC, p2);
	d = accept(c, T_CERT, p1);		/* finished at once: stays */
	e = accept(t, T_CLINIC, p1);

	assert_int_equal(stages_reassign(dsu, rv, "tb_clerk", "tb_clerk2", &moved), CASES_NOT_ALLOWED);
	assert_int_equal(stages_reassign(dsu, c, "tb_clerk", "tb_clerk2", &moved), CASES_NOT_ALLOWED);
	assert_int_equal(stages_reassign(dsu, sv, "tb_clerk", "tb_clerk", &moved), CASES_BAD_INPUT);
	assert_int_equal(stages_reassign(dsu, sv, "tb_clerk", "", &moved), CASES_BAD_INPUT);
	assert_int_equal(stages_reassign(dsu, sv, "tb_clerk", "tb_nobody", &moved), CASES_NOT_FOUND);
	/* to an active clerk of the supervisor's office or below only */
	assert_int_equal(stages_reassign(dsu, sv, "tb_clerk", "tb_review", &moved), CASES_NOT_ALLOWED);
	assert_int_equal(stages_reassign(dsu, sv, "tb_clerk", "tb_oclerk", &moved), CASES_NOT_ALLOWED);
	assert_int_equal(stages_reassign(dsu, ts, "tb_clerk", "tb_clerk2", &moved), CASES_NOT_ALLOWED);
	assert_int_equal(moved, 0);

	assert_int_equal(stages_reassign(dsu, sv, "tb_clerk", "tb_clerk2", &moved), CASES_OK);
	assert_int_equal(moved, 2);
	dbt_assert_case(su, a.case_no, "first_staff_no", "tb_clerk2");
	dbt_assert_case(su, b.case_no, "first_staff_no", "tb_clerk2");
	dbt_assert_case(su, d.case_no, "first_staff_no", "tb_clerk");
	assert_int_equal(audit_count(mark, CITY, "case_reassign", a.case_no), 1);
	char m[24];
	snprintf(m, sizeof m, "%lld", mark);
	dbt_assert_query(su, "tb_clerk>tb_clerk2", "SELECT (before->>'first_staff_no') || '>'"
	    " || (after->>'first_staff_no') FROM yc.audit_log WHERE action = 'case_reassign'"
	    " AND audit_id > $2::bigint AND object LIKE '%' || $1", 2,
	    (const char *[]){ b.case_no, m });
	dbt_assert_query(su, "reassign", "SELECT kind FROM yc.case_event WHERE case_no = $1"
	    " ORDER BY seq DESC LIMIT 1", 1, (const char *[]){ a.case_no });
	/* the township's supervisor moves only what lies in its township */
	assert_int_equal(stages_reassign(dsu, ts, "tb_clerk2", "tb_town", &moved), CASES_OK);
	assert_int_equal(moved, 0);
	dbt_assert_case(su, a.case_no, "first_staff_no", "tb_clerk2");
	assert_int_equal(stages_reassign(dsu, ts, "tb_town", "tb_village", &moved), CASES_OK);
	assert_int_equal(moved, 1);
	dbt_assert_case(su, e.case_no, "first_staff_no", "tb_village");
	/* an inactive clerk takes nothing */
	dbt_exec_ok(su, "UPDATE yc.staff SET active = false WHERE staff_no = 'tb_town2'", 0, NULL);
	assert_int_equal(stages_reassign(dsu, sv, "tb_clerk2", "tb_town2", &moved), CASES_NOT_ALLOWED);
	dbt_exec_ok(su, "UPDATE yc.staff SET active = true WHERE staff_no = 'tb_town2'", 0, NULL);
	logout(c);
	logout(t);
	logout(sv);
	logout(ts);
	logout(rv);
}

/* ------------------------------------------------------------------ */
/* refusals                                                            */
/* ------------------------------------------------------------------ */

static void test_who_may_work_a_stage(void **state)
{
	(void)state;
	long long v = login("tb_village", 1), t = login("tb_town", 1), t2 = login("tb_town2", 1);
	long long rv = login("tb_review", 0), g = login("tb_guide", 0), oth = login("tb_other", 0);
	long long c = login("tb_clerk", 1), ts = login("tb_tsuper", 0);
	struct cases_intake_out o;
	struct stage_item items[4];
	enum cases_result r;
	char sid[24], big[700];

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(v, T_CLINIC, p1);
	/* the township stage of a village case: its township only; staff who
	 * see the case but do not work the stage are refused */
	assert_int_equal(stages_complete(dsu, rv, o.case_no, -1, NULL), CASES_NOT_ALLOWED);
	assert_int_equal(stages_complete(dsu, v, o.case_no, -1, NULL), CASES_NOT_ALLOWED);
	assert_int_equal(stages_complete(dsu, c, o.case_no, -1, NULL), CASES_NOT_ALLOWED);
	assert_int_equal(stages_complete(dsu, g, o.case_no, -1, NULL), CASES_NOT_ALLOWED);
	assert_int_equal(stages_finish(dsu, rv, o.case_no, -1, "驳回"), CASES_NOT_ALLOWED);
	assert_int_equal(stages_return(dsu, v, o.case_no, -1, true, "驳回", NULL), CASES_NOT_ALLOWED);
	/* for another township and another city the case does not exist */
	assert_int_equal(stages_complete(dsu, t2, o.case_no, -1, NULL), CASES_NOT_FOUND);
	assert_int_equal(stages_finish(dsu, t2, o.case_no, -1, "驳回"), CASES_NOT_FOUND);
	assert_int_equal(stages_return(dsu, t2, o.case_no, -1, true, "驳回", NULL), CASES_NOT_FOUND);
	assert_int_equal(stages_complete(dsu, oth, o.case_no, -1, NULL), CASES_NOT_FOUND);
	assert_int_equal(stages_complete(dsu, t, "360988001001202609219999", -1, NULL), CASES_NOT_FOUND);
	/* who works no stage has no queue */
	assert_int_equal(stages_queue(dsu, c, items, 4, &r), -1);
	assert_int_equal(r, CASES_NOT_ALLOWED);
	assert_int_equal(stages_queue(dsu, g, items, 4, &r), -1);
	assert_int_equal(r, CASES_NOT_ALLOWED);
	/* the township's supervisor works its township's stages */
	assert_int_equal(stages_queue(dsu, ts, items, 4, &r), 1);
	/* a note of over 500 characters */
	memset(big, 'x', 600);
	big[600] = '\0';
	assert_int_equal(stages_complete(dsu, t, o.case_no, -1, big), CASES_BAD_INPUT);
	/* a stale screen: the stage the worker saw is gone (a key pressed twice) */
	snprintf(sid, sizeof sid, "%lld", t);
	dbt_assert_query(su, "ok", "SELECT yc.stage_complete($1::bigint, $2, NULL, 1)", 2,
	    (const char *[]){ sid, o.case_no });
	snprintf(sid, sizeof sid, "%lld", rv);
	dbt_assert_query(su, "not_pending", "SELECT yc.stage_complete($1::bigint, $2, NULL, 1)", 2,
	    (const char *[]){ sid, o.case_no });
	dbt_assert_case(su, o.case_no, "stage_no", "2");
	/* a closed session */
	logout(rv);
	assert_int_equal(stages_complete(dsu, rv, o.case_no, -1, NULL), CASES_NO_SESSION);
	assert_int_equal(stages_queue(dsu, rv, items, 4, &r), -1);
	assert_int_equal(r, CASES_NO_SESSION);
	assert_null(stages_case(dsu, rv, o.case_no, &r));
	assert_int_equal(r, CASES_NO_SESSION);
	logout(v);
	logout(t);
	logout(t2);
	logout(g);
	logout(oth);
	logout(c);
	logout(ts);
}

/* Earliest due first, at most what was asked. */
static void test_queue_order_and_bound(void **state)
{
	(void)state;
	long long c = login("tb_clerk", 1), rv = login("tb_review", 0);
	struct stage_item items[8];
	struct cases_intake_out a, b, d;
	enum cases_result r;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	a = accept(c, T_CLINIC, p1);		/* stage 1 due 10-26 */
	b = accept(c, T_BASE, p2);		/* 办结 due 09-29 */
	dbt_clock(dsu, "2026-09-22 10:00+08");
	d = accept(c, T_CLINIC, p2);		/* stage 1 due 10-27 */
	assert_int_equal(stages_queue(dsu, rv, items, 8, &r), 3);
	assert_string_equal(items[0].case_no, b.case_no);
	assert_string_equal(items[1].case_no, a.case_no);
	assert_string_equal(items[2].case_no, d.case_no);
	assert_int_equal(stages_queue(dsu, rv, items, 2, &r), 2);
	assert_string_equal(items[1].case_no, a.case_no);
	/* overdue counts below zero */
	dbt_clock(dsu, "2026-09-30 10:00+08");
	assert_int_equal(stages_queue(dsu, rv, items, 1, &r), 1);
	assert_int_equal(items[0].remaining, -1);
	/* today beyond the loaded calendar (the provisional years end with 2099) */
	dbt_clock(dsu, "2100-01-04 09:00+08");
	assert_int_equal(stages_queue(dsu, rv, items, 8, &r), -1);
	assert_int_equal(r, CASES_CALENDAR);
	logout(c);
	logout(rv);
}

/* ------------------------------------------------------------------ */
/* privileges and indexes                                              */
/* ------------------------------------------------------------------ */

static void test_app_privileges(void **state)
{
	(void)state;
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.outbox");
	dbt_expect_sqlstate(app, "42501", "INSERT INTO yc.outbox (office_code, case_no, channel, recipient,"
	    " body, created_at) VALUES ('" CITY "', 'x', 'sms', '1', 'x', now())");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.outbox SET sent_at = now()");
	dbt_expect_sqlstate(app, "42501", "DELETE FROM yc.outbox");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.case_stage SET note = 'x'");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.service_case SET result = 'x'");
	/* internal helpers are not callable */
	dbt_expect_sqlstate(app, "42501", "SELECT yc.stage_offices(NULL::yc.case_actor)");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.stage_outbox(NULL::yc.service_case)");
	/* the entry points: SECURITY DEFINER, pinned search_path, executable */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname IN ('stage_queue',"
	    " 'stage_case', 'stage_complete', 'stage_return', 'stage_finish', 'stage_extend',"
	    " 'stage_reassign') AND has_function_privilege('yichuang_app', p.oid, 'EXECUTE')"
	    " AND p.prosecdef AND 'search_path=yc, pg_temp' = ANY(p.proconfig)", 0, NULL), 7);
	/* nothing of this migration is executable by PUBLIC */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND (p.proname LIKE 'stage\\_%'"
	    " OR p.proname = 'case_accept') AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM"
	    " aclexplode(p.proacl) x WHERE x.grantee = 0))", 0, NULL), 0);
	/* the application role runs them, for real, through stages.c, the
	 * reviewer signed in on that very connection (a session may be bound to
	 * the connection that opened it) */
	struct db *da = db_open(getenv("YC_TEST_APP_CONNINFO"));
	long long c = login("tb_clerk", 1);
	struct stage_item items[4];
	enum cases_result r;
	struct cases_intake_out o = accept(c, T_BASE, p1);
	PGresult *res = db_query(da, NULL, "SELECT result, session_id FROM yc.login($1, $2, NULL, $3)",
	    3, (const char *[]){ "tb_review", TB_PASSWORD, "tests/db/backoffice" });
	assert_non_null(res);
	assert_string_equal(PQgetvalue(res, 0, 0), "ok");
	long long rv = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	PQclear(res);
	assert_int_equal(stages_queue(da, rv, items, 4, &r), 1);
	assert_int_equal(r, CASES_OK);
	assert_int_equal(stages_finish(da, rv, o.case_no, -1, "已核定"), CASES_OK);
	char *json = stages_case(da, rv, o.case_no, &r);
	assert_non_null(json);
	free(json);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", rv);
	assert_int_equal(db_exec(da, "SELECT yc.logout($1::bigint, 'user')", 1,
	    (const char *[]){ sid }), DB_OK);
	db_close(&da);
	logout(c);
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
	long long v = login("tb_village", 1), t = login("tb_town", 1), rv = login("tb_review", 0);
	long long sv = login("tb_super", 0), c = login("tb_clerk", 1);
	struct cases_intake_out o;
	PGconn *pc = PQconnectdb("");
	char sid[3][24];

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = accept(v, T_CLINIC, p1);
	accept(c, T_BASE, p2);
	snprintf(sid[0], sizeof sid[0], "%lld", t);
	snprintf(sid[1], sizeof sid[1], "%lld", rv);
	snprintf(sid[2], sizeof sid[2], "%lld", sv);
	assert_int_equal(PQstatus(pc), CONNECTION_OK);
	PQsetNoticeReceiver(pc, collect_notice, &plans);
	dbt_exec_ok(pc, "LOAD 'auto_explain'", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_min_duration = 0", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_nested_statements = on", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_level = 'notice'", 0, NULL);
	dbt_exec_ok(pc, "SET client_min_messages = notice", 0, NULL);
	dbt_exec_ok(pc, "SET enable_seqscan = off", 0, NULL);
	for (int i = 0; i < 3; i++)
		dbt_exec_ok(pc, "SELECT * FROM yc.stage_queue($1::bigint, 50)", 1,
		    (const char *[]){ sid[i] });
	dbt_exec_ok(pc, "SELECT * FROM yc.stage_case($1::bigint, $2)", 2,
	    (const char *[]){ sid[0], o.case_no });
	dbt_exec_ok(pc, "SELECT yc.stage_complete($1::bigint, $2, NULL)", 2,
	    (const char *[]){ sid[0], o.case_no });
	assert_non_null(plans);
	assert_non_null(strstr(plans, "case_stage_work_idx"));
	assert_non_null(strstr(plans, "service_case_finish_idx"));
	for (const char *p = plans; (p = strstr(p, "Seq Scan on ")) != NULL; p++) {
		const char *rel = p + strlen("Seq Scan on ");
		static const char *const big[] = {
			"service_case", "case_material", "case_stage", "notice", "case_event",
			"person", "staff_session", "audit_log", "outbox",
		};

		for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
			if (strncmp(rel, big[i], strlen(big[i])) == 0)
				print_error("# sequential scan: %.300s\n", p);
			assert_false(strncmp(rel, big[i], strlen(big[i])) == 0);
		}
	}
	free(plans);
	plans = NULL;
	PQfinish(pc);
	logout(v);
	logout(t);
	logout(rv);
	logout(sv);
	logout(c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_village_case_to_finish),
		T(test_city_case_first_stage_at_city),
		T(test_no_payment_while_deferred),
		T(test_return_to_previous_stage),
		T(test_return_to_citizen_then_continue),
		T(test_finish_without_stages),
		T(test_injury_waits_for_investigation),
		T(test_extend),
		T(test_reassign),
		T(test_who_may_work_a_stage),
		T(test_queue_order_and_bound),
		T(test_app_privileges),
		T(test_queries_use_indexes),
	};
	return cmocka_run_group_tests_name("db_backoffice", tests, group_setup, group_teardown);
}
