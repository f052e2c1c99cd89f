/*
 * A case closed before 办结 (db/functions/closing.sql, tui/store/closing.c)
 * against a migrated cluster with the shipped catalogue loaded:
 *   撤回   a case waiting for 补正 withdrawn at another township of the
 *          city (全市通办), an accepted one at the city above its township;
 *          refused at an office that cannot see the case, in another city,
 *          for roles that take no cases, and a second time; its stages
 *          closed, the event in the history, the audit row with before and
 *          after, the NOTIFY, the numbered notice and the printed
 *          撤回申请确认书; gone from the deadline board and the stage queue;
 *   终止办理 of a 容缺 case: refused for a clerk, on the supply-by date
 *          itself, for a township supervisor; allowed the day after, the
 *          deferred material no longer asked for, the 终止办理告知书 listing
 *          it with its date and the 容缺受理通知书;
 * the daily report counting both (by an index), the supervisor's deadline
 * board and console listing the overdue material, and both functions on
 * the application role.
 *
 * Environment as for every db suite (tests/run.sh):
 *   PGHOST, PGDATABASE, PGUSER=postgres    superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                    the application role
 * Run from the repository root (the print templates are rendered).
 *
 * Offices of its own: city 360986 with townships 360986001 and 360986002,
 * and another prefecture's county, 360180; staff tz_*. Calls go through the store on the
 * superuser connection, whose clock the tests set (yc.test_now). Dates
 * counted by hand on db/calendar/cn-workday-calendar.tsv (2026: 中秋
 * 09-25..27 off, 国庆 10-01..07 off with 10-10 worked).
 *
 * Case type 002036006001 门诊费用报销: 30 working days, stages 乡镇初审 20
 * / 市复核 5 / 市拨付 5; materials credential (key), invoice, bill,
 * chronic_cert (deferrable 10 days).
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

#include "model/document.h"
#include "model/i18n.h"
#include "model/json.h"
#include "model/mustache.h"
#include "model/report.h"
#include "store/cases.h"
#include "store/closing.h"
#include "store/daily.h"
#include "store/db.h"
#include "store/hall.h"
#include "store/stages.h"

#define CITY "360986"
#define TOWN "360986001"
#define TOWN2 "360986002"
#define OTHER_CITY "360180"	/* another prefecture (南昌) */
#define TZ_PASSWORD "Tz-Secret-5"
#define T_CLINIC "002036006001"

static PGconn *su;		/* superuser */
static PGconn *app;		/* yichuang_app: sessions are signed in here */
static struct db *dsu;		/* superuser through the store: trusted, may set the clock */
static char p1[19];
static char zh_mo[4096];	/* the build's Chinese catalogue, beside this test's build directory */

static const char *const staff_rows[][3] = {
	{ "tz_clerk", "clerk", CITY },
	{ "tz_super", "supervisor", CITY },
	{ "tz_review", "reviewer", CITY },
	{ "tz_guide", "guide", CITY },
	{ "tz_town", "clerk", TOWN },
	{ "tz_tsuper", "supervisor", TOWN },
	{ "tz_town2", "clerk", TOWN2 },
	{ "tz_other", "clerk", OTHER_CITY },
};

static long long login(const char *staff, int window)
{
	return dbt_login(app, staff, TZ_PASSWORD, window, "tests/db/closing");
}

/* An intake of 门诊费用报销 for p1 at the session's office: every material
 * seen but those named missing (CO_SUPPLEMENT: a 一次性告知书 lists them;
 * CO_DEFER: they are deferred; CO_ACCEPT: none). */
static struct cases_intake_out intake(long long sid, enum cases_outcome outcome, const char *missing)
{
	static const char *const all[] = { "credential", "invoice", "bill", "chronic_cert" };
	const char *seen[4], *deferred[1] = { missing }, **ids, **values;
	struct cases_intake_req q = { 0 };
	struct cases_intake_out out;
	enum cases_result r;
	size_t n = 0;

	for (size_t i = 0; i < 4; i++)
		if (missing == NULL || strcmp(all[i], missing) != 0)
			seen[n++] = all[i];
	q.type_code = T_CLINIC;
	q.version = dbt_case_type_version(su, T_CLINIC);
	q.id_no = p1;
	q.channel = CH_WINDOW;
	q.outcome = outcome;
	q.nfields = dbt_form(su, T_CLINIC, p1, &ids, &values);
	q.field_ids = ids;
	q.field_values = values;
	q.seen = seen;
	q.nseen = n;
	if (outcome == CO_DEFER) {
		q.deferred = deferred;
		q.ndeferred = 1;
	}
	r = cases_intake(dsu, sid, &q, &out);
	if (r != CASES_OK)
		print_error("# intake: %s (%s)\n", cases_result_message(r), db_detail(dsu));
	assert_int_equal(r, CASES_OK);
	return out;
}

/* The audit row after mark of action on a case: "before|after" of the
 * expressions (over its before and after) given. */
static void assert_audit(long long mark, const char *action, const char *case_no, const char *what,
    const char *want)
{
	char m[24], *sql;

	snprintf(m, sizeof m, "%lld", mark);
	assert_true(asprintf(&sql, "SELECT %s FROM yc.audit_log WHERE audit_id > $1 AND action = $2"
	    " AND object LIKE '%%/' || $3", what) > 0);
	dbt_assert_query(su, want, sql, 3, (const char *[]){ m, action, case_no });
	free(sql);
}

/* Audit rows after mark by office's staff of action on a case. */
static long long audit_count(long long mark, const char *office, const char *action, const char *case_no)
{
	char obj[80];

	snprintf(obj, sizeof obj, "case:%.*s/%s", (int)strlen(case_no) - 12, case_no, case_no);
	return dbt_audit_count(su, mark, office, action, obj);
}

/* A document of a case rendered as printed (80 columns), malloc'd. */
static char *render(const char *case_no, const char *template)
{
	enum cases_result r;
	char *text = cases_document(dsu, case_no, template, &r), *err = NULL, *doc;
	struct json *j;
	struct mu_value *data;

	if (text == NULL)
		print_error("# %s of %s: %s\n", template, case_no, cases_result_message(r));
	assert_non_null(text);
	j = json_parse(text, &err);
	assert_non_null(j);
	data = json_to_mu(j);
	doc = document_render("print_templates", template, data, 80, &err);
	if (doc == NULL)
		print_error("# %s\n", err);
	assert_non_null(doc);
	mu_value_free(&data);
	json_free(&j);
	free(text);
	return doc;
}

/* The document text with its line breaks and hanging indents removed. */
static char *flatten(const char *doc)
{
	char *flat = strdup(doc), *w = flat;

	for (const char *r = doc; *r != '\0'; r++) {
		if (*r == '\n') {
			while (r[1] == ' ')
				r++;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
	return flat;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		print_error("# \"%s\" not in:\n%s\n", needle, hay);
	assert_non_null(strstr(hay, needle));
}

/* The case view's JSON of a case for a session, or NULL. */
static struct json *case_view(long long sid, const char *case_no)
{
	enum cases_result r;
	char *text = stages_case(dsu, sid, case_no, &r), *err = NULL;
	struct json *j;

	if (text == NULL)
		return NULL;
	j = json_parse(text, &err);
	free(text);
	free(err);
	return j;
}

static const char *head(const struct json *j, const char *key)
{
	const struct json *v = json_get(json_get(j, "case"), key);

	assert_non_null(v);
	return v->kind == JSON_STRING || v->kind == JSON_NUMBER ? v->text : "";
}

/* Whether the session's deadline board (office_wide: the office's) has a
 * row of the case of kind, with its working days left in *remaining. */
static bool on_board(long long sid, bool office_wide, const char *case_no, enum cases_due_kind kind,
    int *remaining)
{
	static struct cases_deadline rows[100];
	enum cases_result r;
	int n = cases_deadlines(dsu, sid, office_wide, rows, 100, &r);

	assert_int_equal(r, CASES_OK);
	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].case_no, case_no) == 0 && rows[i].kind == kind) {
			if (remaining != NULL)
				*remaining = rows[i].remaining;
			return true;
		}
	return false;
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	db_exec(dsu, "SET client_min_messages = error", 0, NULL);
	dbt_office(su, CITY, "撤回测试市医保中心", 2);
	dbt_office(su, TOWN, "撤回测试一街道", 2);
	dbt_office(su, TOWN2, "撤回测试二街道", 2);
	dbt_office(su, OTHER_CITY, "撤回另一测试市医保中心", 2);
	dbt_staff(su, TZ_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19720404", 861);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return dbt_disconnect(&su, &app, &dsu, "tz");
}

static int test_setup(void **state)
{
	(void)state;
	db_exec(dsu, "ROLLBACK", 0, NULL);
	dbt_clear_cases(su, CITY);
	dbt_clear_cases(su, OTHER_CITY);
	dbt_close_sessions(su, "tz");
	dbt_clock(dsu, "");
	long long s = login("tz_clerk", 1);
	assert_int_equal(cases_person_register(dsu, s, p1, "撤回申请人", "13900000086"), CASES_OK);
	dbt_logout(app, s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* 撤回                                                                 */
/* ------------------------------------------------------------------ */

/* A 一次性告知书 at one township; the citizen withdraws at the other
 * (全市通办), never in another city nor through a role that takes no
 * cases; once only. */
static void test_withdraw_waiting_case_elsewhere(void **state)
{
	(void)state;
	long long t = login("tz_town", 1), t2 = login("tz_town2", 1), oth = login("tz_other", 1);
	long long guide = login("tz_guide", 0), rv = login("tz_review", 0);
	long long mark;
	struct cases_intake_out o;
	char notice[32], *doc, *flat;
	struct json *j;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = intake(t, CO_SUPPLEMENT, "bill");
	assert_string_equal(o.status, "pending_supplement");

	dbt_clock(dsu, "2026-09-23 15:00+08");
	mark = dbt_audit_mark(su);
	assert_int_equal(closing_withdraw(dsu, oth, o.case_no, NULL, notice), CASES_NOT_FOUND);
	assert_string_equal(notice, "");
	assert_int_equal(closing_withdraw(dsu, guide, o.case_no, NULL, notice), CASES_NOT_ALLOWED);
	assert_int_equal(closing_withdraw(dsu, rv, o.case_no, NULL, notice), CASES_NOT_ALLOWED);
	assert_int_equal(closing_withdraw(dsu, t2, "360986001202609219999", NULL, notice), CASES_NOT_FOUND);
	dbt_assert_case(su, o.case_no, "status", "pending_supplement");

	assert_int_equal(closing_withdraw(dsu, t2, o.case_no, "  本人不再申请报销  ", notice), CASES_OK);
	/* numbered where it was withdrawn, stored with the case */
	assert_string_equal(notice, "N" TOWN2 "202609230001");
	dbt_assert_case(su, o.case_no, "status || '/' || closed_as || '/' || closed_reason || '/' || "
	    "to_char(closed_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') || '/' || "
	    "(finished_at IS NULL)::text", "cancelled/withdrawn/本人不再申请报销/09-23 15:00/true");
	dbt_assert_query(su, "withdrawal|" TOWN "|本人不再申请报销|" TOWN2 "|pending_supplement",
	    "SELECT kind || '|' || office_code || '|' || (body ->> 'reason') || '|' || (body ->> 'issued_by')"
	    " || '|' || (body ->> 'status_before') FROM yc.notice WHERE notice_no = $1", 1,
	    (const char *[]){ notice });
	dbt_assert_query(su, "withdraw|tz_town2|" TOWN2,
	    "SELECT kind || '|' || staff_no || '|' || (detail ->> 'office_code') FROM yc.case_event"
	    " WHERE case_no = $1 ORDER BY seq DESC LIMIT 1", 1, (const char *[]){ o.case_no });
	assert_int_equal(audit_count(mark, TOWN2, "case_withdraw", o.case_no), 1);
	/* the citizen is told (print_templates/sms/withdrawn.mustache) */
	char sms[160];
	snprintf(sms, sizeof sms, "withdrawn|sms|【医保】您的门诊费用报销（编号%s）已按您的申请撤回。", o.case_no);
	dbt_assert_query(su, sms, "SELECT kind || '|' || channel || '|' || body FROM yc.outbox"
	    " WHERE case_no = $1 AND kind = 'withdrawn'", 1, (const char *[]){ o.case_no });
	assert_audit(mark, "case_withdraw", o.case_no,
	    "(before ->> 'status') || '|' || (after ->> 'status') || '|' || (after ->> 'closed_as')",
	    "pending_supplement|cancelled|withdrawn");

	/* the office that withdrew it still sees it: the case view and the
	 * history say so, and the confirmation prints again */
	j = case_view(t2, o.case_no);
	assert_non_null(j);
	assert_string_equal(head(j, "status_name"), "已撤回");
	assert_string_equal(head(j, "closed_as"), "withdrawn");
	assert_string_equal(head(j, "closed"), "2026-09-23");
	assert_string_equal(head(j, "closed_reason"), "本人不再申请报销");
	{
		const struct json *ev = json_get(j, "events");
		const struct json *last = ev->items[ev->n - 1];

		assert_string_equal(json_get(last, "kind")->text, "withdraw");
		assert_string_equal(json_get(last, "text")->text,
		    "申请人撤回申请：本人不再申请报销（撤回申请确认书N360986002202609230001）");
	}
	json_free(&j);
	doc = render(o.case_no, "withdrawal-notice");
	flat = flatten(doc);
	assert_contains(flat, "撤回测试二街道");		/* the office that took the withdrawal */
	assert_contains(flat, "撤回申请确认书");
	assert_contains(flat, notice);
	assert_contains(flat, o.case_no);
	assert_contains(flat, "门诊费用报销");
	assert_contains(flat, "撤回理由：本人不再申请报销");
	assert_contains(flat, "申请日期：2026年9月21日");	/* never accepted */
	assert_contains(flat, "撤回日期：2026年9月23日");
	assert_contains(flat, "申请材料退还申请人");
	assert_contains(flat, "重新申请");
	assert_contains(flat, "申请人（签字）");
	assert_null(strstr(flat, p1));			/* the ID masked */
	free(flat);
	free(doc);

	/* once only; nor can it be continued at a window */
	assert_int_equal(closing_withdraw(dsu, t2, o.case_no, NULL, notice), CASES_CLOSED);
	assert_int_equal(closing_withdraw(dsu, t, o.case_no, NULL, notice), CASES_CLOSED);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.notice WHERE case_no = $1 AND kind ="
	    " 'withdrawal'", 1, (const char *[]){ o.case_no }), 1);
	dbt_logout(app, t);
	dbt_logout(app, t2);
	dbt_logout(app, oth);
	dbt_logout(app, guide);
	dbt_logout(app, rv);
}

/* An accepted case of a township withdrawn at the city centre above it
 * (the reason left out); the other township cannot see it. Its stages
 * close, it leaves the stage queue and the deadline board, the township
 * hears of it, and the day's report counts it. */
static void test_withdraw_accepted_case(void **state)
{
	(void)state;
	long long t = login("tz_town", 1), t2 = login("tz_town2", 1), c = login("tz_clerk", 1);
	long long mark;
	struct cases_intake_out o;
	struct stage_item items[16];
	struct report_daily d;
	enum cases_result r;
	char notice[32], buf[1024];
	PGconn *listener;
	int n;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = intake(t, CO_ACCEPT, NULL);
	assert_string_equal(o.status, "accepted");
	assert_true(on_board(t, false, o.case_no, DUE_CASE, NULL));
	n = stages_queue(dsu, t, items, 16, &r);
	assert_int_equal(n, 1);

	dbt_clock(dsu, "2026-09-24 11:00+08");
	assert_int_equal(closing_withdraw(dsu, t2, o.case_no, NULL, notice), CASES_NOT_FOUND);
	dbt_assert_case(su, o.case_no, "status", "accepted");

	listener = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));
	assert_int_equal(PQstatus(listener), CONNECTION_OK);
	PQclear(PQexec(listener, "LISTEN yc_case_" TOWN));
	mark = dbt_audit_mark(su);
	assert_int_equal(closing_withdraw(dsu, c, o.case_no, "", notice), CASES_OK);
	assert_string_equal(notice, "N" CITY "202609240001");
	assert_int_equal(dbt_read_notifies(listener, 1, buf, sizeof buf), 1);
	assert_contains(buf, "\"e\" : \"withdraw\"");
	assert_contains(buf, o.case_no);
	assert_null(strstr(buf, p1));
	PQfinish(listener);

	dbt_assert_case(su, o.case_no, "status || '/' || closed_reason || '/' || coalesce(stage_no::text, '-')",
	    "cancelled/申请人主动申请撤回/-");
	/* every stage closed by the clerk, none left open */
	dbt_assert_query(su, "1:09-24:未办完，申请人撤回时关闭,2:09-24:未经此环节，申请人撤回时关闭,"
	    "3:09-24:未经此环节，申请人撤回时关闭",
	    "SELECT string_agg(stage_no || ':' || to_char(finished_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD')"
	    " || ':' || note, ',' ORDER BY stage_no) FROM yc.case_stage WHERE case_no = $1 AND"
	    " finished_by = 'tz_clerk'", 1, (const char *[]){ o.case_no });
	assert_int_equal(audit_count(mark, CITY, "case_withdraw", o.case_no), 1);
	assert_audit(mark, "case_withdraw", o.case_no,
	    "(before ->> 'status') || '|' || (before ->> 'open_stages') || '|' || (after ->> 'status')"
	    " || '|' || (after ->> 'open_stages')", "accepted|[1, 2, 3]|cancelled|[]");

	/* nothing waits any more */
	assert_int_equal(stages_queue(dsu, t, items, 16, &r), 0);
	assert_false(on_board(t, false, o.case_no, DUE_CASE, NULL));
	assert_false(on_board(t, false, o.case_no, DUE_STAGE, NULL));
	assert_int_equal(stages_complete(dsu, t, o.case_no, -1, NULL), CASES_NOT_PENDING);

	/* the report of the township's day: accepted 09-21, withdrawn 09-24 */
	assert_int_equal(daily_fetch(dsu, 0, TOWN, "2026-09-24", &d), DAILY_OK);
	assert_int_equal(d.ntypes, 2);
	assert_int_equal(d.types[0].withdrawn, 1);
	assert_int_equal(d.types[0].terminated, 0);
	assert_int_equal(d.types[0].finished, 0);
	assert_int_equal(d.types[1].withdrawn, 1);
	report_daily_free(&d);
	assert_int_equal(daily_fetch(dsu, 0, TOWN, "2026-09-23", &d), DAILY_OK);
	assert_int_equal(d.types[d.ntypes - 1].withdrawn, 0);
	report_daily_free(&d);

	{
		char *doc = render(o.case_no, "withdrawal-notice"), *flat = flatten(doc);

		assert_contains(flat, "撤回测试市医保中心");
		assert_contains(flat, "撤回理由：申请人主动申请撤回");
		assert_contains(flat, "受理日期：2026年9月21日");
		free(flat);
		free(doc);
	}
	dbt_logout(app, t);
	dbt_logout(app, t2);
	dbt_logout(app, c);
}

/* ------------------------------------------------------------------ */
/* 终止办理                                                             */
/* ------------------------------------------------------------------ */

/* 容缺 on Monday 2026-09-21: 慢性病证 due 10 working days later, 10-12.
 * Ending the case is a supervisor's, and only once that date has passed. */
static void test_terminate_after_the_supply_date(void **state)
{
	(void)state;
	long long c = login("tz_clerk", 1), sv = login("tz_super", 0), ts = login("tz_tsuper", 0);
	long long mark;
	struct cases_intake_out o;
	struct hall_due due[50];
	enum hall_result hr;
	struct report_daily d;
	struct json *j;
	char notice[32], *deferred_no, *doc, *flat;
	int remaining = 0, n;
	bool listed = false;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = intake(c, CO_DEFER, "chronic_cert");
	assert_string_equal(o.status, "accepted");
	deferred_no = strdup(o.notice_no);
	assert_true(deferred_no[0] == 'N');
	dbt_assert_query(su, "2026-10-12", "SELECT due_date::text FROM yc.case_material WHERE case_no = $1"
	    " AND material_id = 'chronic_cert' AND state = 'deferred'", 1, (const char *[]){ o.case_no });

	/* on the supply-by date itself: not yet */
	dbt_clock(dsu, "2026-10-12 16:00+08");
	assert_int_equal(closing_terminate(dsu, sv, o.case_no, NULL, notice), CASES_NOT_OVERDUE);
	/* the message the supervisor reads, in the default catalogue */
	assert_int_equal(i18n_load(zh_mo), 0);
	assert_string_equal(cases_result_message(CASES_NOT_OVERDUE), "容缺材料尚未逾期，不能终止办理");
	i18n_unload();
	j = case_view(sv, o.case_no);
	assert_string_equal(head(j, "overdue_deferred"), "0");
	json_free(&j);

	dbt_clock(dsu, "2026-10-13 09:00+08");
	/* the supervisor finds it: the office's board and the console */
	assert_true(on_board(sv, true, o.case_no, DUE_MATERIAL, &remaining));
	assert_int_equal(remaining, -1);
	n = hall_due(dsu, sv, NULL, due, 50, &hr);
	assert_int_equal(hr, HALL_OK);
	for (int i = 0; i < n; i++)
		if (strcmp(due[i].case_no, o.case_no) == 0 && due[i].kind == HD_MATERIAL && due[i].remaining < 0)
			listed = true;
	assert_true(listed);
	j = case_view(sv, o.case_no);
	assert_string_equal(head(j, "overdue_deferred"), "1");
	json_free(&j);

	/* a clerk may not; nor a township supervisor (not its case) */
	assert_int_equal(closing_terminate(dsu, c, o.case_no, NULL, notice), CASES_NOT_ALLOWED);
	assert_int_equal(closing_terminate(dsu, ts, o.case_no, NULL, notice), CASES_NOT_FOUND);
	dbt_assert_case(su, o.case_no, "status", "accepted");

	mark = dbt_audit_mark(su);
	assert_int_equal(closing_terminate(dsu, sv, o.case_no, NULL, notice), CASES_OK);
	assert_string_equal(notice, "N" CITY "202610130001");
	dbt_assert_case(su, o.case_no, "status || '/' || closed_as || '/' || closed_reason",
	    "cancelled/terminated/申请人未在承诺期限内补交容缺材料");
	/* no longer asked for, its date kept; off the board */
	dbt_assert_query(su, "missing|2026-10-12", "SELECT state || '|' || due_date FROM yc.case_material"
	    " WHERE case_no = $1 AND material_id = 'chronic_cert'", 1, (const char *[]){ o.case_no });
	assert_false(on_board(sv, true, o.case_no, DUE_MATERIAL, NULL));
	dbt_assert_query(su, "terminate|tz_super", "SELECT kind || '|' || staff_no FROM yc.case_event"
	    " WHERE case_no = $1 ORDER BY seq DESC LIMIT 1", 1, (const char *[]){ o.case_no });
	assert_int_equal(audit_count(mark, CITY, "case_terminate", o.case_no), 1);
	/* the citizen is told why, and the unsent 容缺 reminder never goes */
	dbt_assert_query(su, "【医保】您的门诊费用报销已终止办理，原因：申请人未在承诺期限内补交容缺材料。",
	    "SELECT body FROM yc.outbox WHERE case_no = $1 AND kind = 'terminated'", 1,
	    (const char *[]){ o.case_no });
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.outbox WHERE case_no = $1 AND kind ="
	    " 'deferred_reminder' AND cancelled_at IS NULL AND sent_at IS NULL", 1, (const char *[]){ o.case_no });
	assert_audit(mark, "case_terminate", o.case_no,
	    "(before ->> 'status') || '|' || (before ->> 'deferred') || '|' || (after ->> 'status') || '|'"
	    " || (after ->> 'deferred')", "accepted|[\"chronic_cert\"]|cancelled|[]");
	dbt_assert_query(su, "termination|chronic_cert|2026-10-12",
	    "SELECT kind || '|' || (body -> 'overdue' -> 0 ->> 'id') || '|' || (body -> 'overdue' -> 0 ->> 'due')"
	    " FROM yc.notice WHERE notice_no = $1", 1, (const char *[]){ notice });
	j = case_view(sv, o.case_no);
	assert_string_equal(head(j, "status_name"), "已终止办理");
	assert_string_equal(head(j, "overdue_deferred"), "0");
	json_free(&j);

	doc = render(o.case_no, "termination-notice");
	flat = flatten(doc);
	assert_contains(flat, "终止办理告知书");
	assert_contains(flat, "告知书编号：" "N" CITY "202610130001");
	assert_contains(flat, o.case_no);
	assert_contains(flat, deferred_no);		/* the 容缺受理通知书 */
	assert_contains(flat, "承诺书签署日期：2026年9月21日");
	assert_contains(flat, "受理日期：2026年9月21日");
	assert_contains(flat, "慢性病证（复印件）");
	assert_contains(flat, "应于2026年10月12日前补交");
	assert_contains(flat, "如未能按期补交上述材料，本人同意经办机构终止办理本事项");
	assert_contains(flat, "终止日期：2026年10月13日");
	assert_contains(flat, "备齐全部申请材料");
	assert_contains(flat, "撤回测试市医保中心");
	free(flat);
	free(doc);

	/* once only, nor withdrawn afterwards */
	assert_int_equal(closing_terminate(dsu, sv, o.case_no, NULL, notice), CASES_CLOSED);
	assert_int_equal(closing_withdraw(dsu, c, o.case_no, NULL, notice), CASES_CLOSED);

	assert_int_equal(daily_fetch(dsu, 0, CITY, "2026-10-13", &d), DAILY_OK);
	assert_int_equal(d.types[d.ntypes - 1].terminated, 1);
	assert_int_equal(d.types[d.ntypes - 1].withdrawn, 0);
	report_daily_free(&d);
	free(deferred_no);
	dbt_logout(app, c);
	dbt_logout(app, sv);
	dbt_logout(app, ts);
}

/* A case with nothing deferred, and one finished: never ended. */
static void test_terminate_refusals(void **state)
{
	(void)state;
	long long c = login("tz_clerk", 1), sv = login("tz_super", 0), rv = login("tz_review", 0);
	struct cases_intake_out o;
	char notice[32], long_reason[1600];

	dbt_clock(dsu, "2026-09-21 10:00+08");
	o = intake(c, CO_ACCEPT, NULL);
	dbt_clock(dsu, "2026-12-01 10:00+08");
	assert_int_equal(closing_terminate(dsu, sv, o.case_no, NULL, notice), CASES_NOT_OVERDUE);
	assert_int_equal(closing_terminate(dsu, rv, o.case_no, NULL, notice), CASES_NOT_ALLOWED);
	/* a reason too long */
	long_reason[0] = '\0';
	for (int i = 0; i < 501; i++)
		strcat(long_reason, "撤");
	assert_int_equal(closing_withdraw(dsu, c, o.case_no, long_reason, notice), CASES_BAD_INPUT);
	dbt_assert_case(su, o.case_no, "status", "accepted");
	/* a finished case is closed */
	dbt_exec_ok(su, "UPDATE yc.service_case SET status = 'finished', finished_at = now(), result = '已办结'"
	    " WHERE case_no = $1", 1, (const char *[]){ o.case_no });
	assert_int_equal(closing_withdraw(dsu, c, o.case_no, NULL, notice), CASES_CLOSED);
	assert_int_equal(closing_terminate(dsu, sv, o.case_no, NULL, notice), CASES_CLOSED);
	dbt_logout(app, c);
	dbt_logout(app, sv);
	dbt_logout(app, rv);
}

/* ------------------------------------------------------------------ */
/* the application role, indexes                                       */
/* ------------------------------------------------------------------ */

/* Both entry points run on the application role's own connection, the
 * sessions signed in there; the helpers are not callable. The case ended
 * is 容缺 of 2026-09-21, overdue by the real clock. */
static void test_application_role(void **state)
{
	(void)state;
	long long c = login("tz_clerk", 1), sv = login("tz_super", 0);
	struct cases_intake_out w, e;
	char sid[2][24];
	PGresult *r;

	dbt_clock(dsu, "2026-09-21 10:00+08");
	w = intake(c, CO_ACCEPT, NULL);
	e = intake(c, CO_DEFER, "chronic_cert");
	snprintf(sid[0], sizeof sid[0], "%lld", c);
	snprintf(sid[1], sizeof sid[1], "%lld", sv);
	r = dbt_run(app, "SELECT result, notice_no FROM yc.case_withdraw($1::bigint, $2, $3)", 3,
	    (const char *[]){ sid[0], w.case_no, "窗口测试" });
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "ok");
	assert_true(PQgetvalue(r, 0, 1)[0] == 'N');
	PQclear(r);
	r = dbt_run(app, "SELECT result, notice_no FROM yc.case_terminate($1::bigint, $2, NULL)", 2,
	    (const char *[]){ sid[0], e.case_no });
	assert_string_equal(PQgetvalue(r, 0, 0), "not_allowed");
	PQclear(r);
	r = dbt_run(app, "SELECT result, notice_no FROM yc.case_terminate($1::bigint, $2, NULL)", 2,
	    (const char *[]){ sid[1], e.case_no });
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "ok");
	PQclear(r);
	/* the documents print on the session's connection */
	r = dbt_run(app, "SELECT yc.case_document($1, 'termination-notice') ->> 'overdue_count'", 1,
	    (const char *[]){ e.case_no });
	assert_string_equal(PQgetvalue(r, 0, 0), "1");
	PQclear(r);
	dbt_assert_case(su, w.case_no, "closed_as", "withdrawn");
	dbt_assert_case(su, e.case_no, "closed_as", "terminated");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.closing_close(NULL::yc.case_actor,"
	    " NULL::yc.service_case, 'withdrawn', 'withdrawal', 'x', '{}')");
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.service_case SET closed_as = 'withdrawn'");
	/* SECURITY DEFINER with a pinned search_path, nothing for PUBLIC */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
	    " ON n.oid = p.pronamespace WHERE n.nspname = 'yc' AND p.proname IN ('case_withdraw',"
	    " 'case_terminate') AND has_function_privilege('yichuang_app', p.oid, 'EXECUTE')"
	    " AND p.prosecdef AND 'search_path=yc, pg_temp' = ANY(p.proconfig)", 0, NULL), 2);
	/* another connection of the same role is not the session's */
	{
		PGconn *other = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));

		r = dbt_run(other, "SELECT result FROM yc.case_withdraw($1::bigint, $2, NULL)", 2,
		    (const char *[]){ sid[0], e.case_no });
		assert_string_equal(PQgetvalue(r, 0, 0), "no_session");
		PQclear(r);
		PQfinish(other);
	}
	dbt_logout(app, c);
	dbt_logout(app, sv);
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

/* The day's withdrawn and ended cases come from an index range. */
static void test_report_uses_the_index(void **state)
{
	(void)state;
	PGconn *pc = PQconnectdb("");

	assert_int_equal(PQstatus(pc), CONNECTION_OK);
	PQsetNoticeReceiver(pc, collect_notice, &plans);
	dbt_exec_ok(pc, "LOAD 'auto_explain'", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_min_duration = 0", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_nested_statements = on", 0, NULL);
	dbt_exec_ok(pc, "SET auto_explain.log_level = 'notice'", 0, NULL);
	dbt_exec_ok(pc, "SET client_min_messages = notice", 0, NULL);
	dbt_exec_ok(pc, "SET enable_seqscan = off", 0, NULL);
	dbt_exec_ok(pc, "SELECT * FROM yc.report_daily_types('" CITY "', '2026-10-13')", 0, NULL);
	assert_non_null(plans);
	assert_contains(plans, "service_case_closed_idx");
	free(plans);
	plans = NULL;
	PQfinish(pc);
}

int main(int argc, char **argv)
{
	/* BUILD/tests/db/test_closing -> BUILD/locale/zh_CN/LC_MESSAGES/yichuang.mo */
	const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;

	snprintf(zh_mo, sizeof zh_mo, "%.*s/../../locale/zh_CN/LC_MESSAGES/yichuang.mo",
	    slash != NULL ? (int)(slash - argv[0]) : 1, slash != NULL ? argv[0] : ".");
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_withdraw_waiting_case_elsewhere),
		T(test_withdraw_accepted_case),
		T(test_terminate_after_the_supply_date),
		T(test_terminate_refusals),
		T(test_application_role),
		T(test_report_uses_the_index),
	};
	return cmocka_run_group_tests_name("db_closing", tests, group_setup, group_teardown);
}
