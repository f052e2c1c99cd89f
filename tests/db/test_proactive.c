/*
 * 生育津贴“免申即享” (db/functions/proactive.sql, tui/store/proactive.c)
 * against a migrated cluster with the shipped catalogue loaded, on the
 * test clock:
 *
 *   opened      a 生育医疗费支付 case accepted at a township and paid out
 *               (初审, 复核, 拨付, 办结) in November: a run in November
 *               opens nothing; the run of 1 December opens one 生育津贴支付
 *               case at the county centre (channel proactive, no clerk,
 *               the form from the source and the employee insurance, 10
 *               working days, in the reviewers' queue, event, audit row,
 *               text message, link); a second run opens nothing
 *   resident    a person with resident insurance only: no case, said once
 *   applied     the unit applied at a window for the delivery already: no
 *               second case (outcome duplicate), said once
 *   not_paid    a case only accepted, one not accepted (不予受理), one
 *               finished with a negative result at 初审: nothing
 *   yearend     finished 2026-12-30: nothing on 12-31, opened on 2027-01-01
 *               with its promised date on the provisional 2027 calendar;
 *               and a run on 2031-12-31 for a case of November 2031
 *   concurrent  a second run while the first holds its transaction waits
 *               and then opens nothing; a day after today does nothing
 *   roles       only yichuang_jobs may run the job; the channel's clerk
 *               constraint
 *
 * Offices 360945 (county) and 360945001 (township); staff mj_*.
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
#include "store/proactive.h"
#include "store/stages.h"

#define COUNTY "360945"
#define TOWN "360945001"
#define PASSWORD "Mj-Pass-32"
#define T_MEDICAL "002036007002"
#define T_ALLOWANCE "002036007004"
#define UNIT "宜春市一窗科技有限公司"

static PGconn *su, *app;
static struct db *dsu;
static char worker[19], resident[19];
static const char *delivery;		/* the delivery date of the next intake */

static const char *const staff_rows[][3] = {
	{ "mj_town", "clerk", TOWN }, { "mj_rev", "reviewer", COUNTY }, { "mj_clerk", "clerk", COUNTY },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	db_exec(dsu, "SET client_min_messages = error", 0, NULL);
	dbt_office(su, COUNTY, "免申测试县医保中心", 1);
	dbt_office(su, TOWN, "免申测试乡镇", 1);
	dbt_staff(su, PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(worker, "19950606", 321);
	dbt_make_id(resident, "19960707", 322);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	dbt_clock(dsu, "");
	dbt_clear_cases(su, COUNTY);
	return dbt_disconnect(&su, &app, &dsu, "mj");
}

static int test_setup(void **state)
{
	const char *p[] = { worker, resident, COUNTY };

	(void)state;
	delivery = "2026-10-28";
	db_exec(dsu, "ROLLBACK", 0, NULL);
	dbt_clock(dsu, "");
	dbt_clear_cases(su, COUNTY);
	dbt_close_sessions(su, "mj");
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name, sex, phone) VALUES"
	    " ($1, '免申职工', 'F', '13900003201'), ($2, '免申居民', 'F', '13900003202')"
	    " ON CONFLICT (id_no) DO NOTHING", 2, p);
	dbt_exec_ok(su, "DELETE FROM yc.insurance WHERE id_no IN ($1, $2)", 2, p);
	dbt_exec_ok(su, "INSERT INTO yc.insurance (id_no, scheme, status, since, unit_name, office_code)"
	    " VALUES ($1, 'employee', 'active', '2020-01-01', '" UNIT "', $3),"
	    " ($2, 'resident', 'active', '2020-01-01', NULL, $3)", 3, p);
	return 0;
}

/* The test clock at a Beijing time "YYYY-MM-DD HH:MM". */
static void at(const char *when)
{
	char t[40];

	snprintf(t, sizeof t, "%s+08", when);
	dbt_clock(dsu, t);
}

static long long login(const char *staff, int window)
{
	return dbt_login(app, staff, PASSWORD, window, "tests/db/proactive");
}

/* A case of type (生育医疗费支付 at the township, else 生育津贴支付 at the
 * county) of person id accepted at the clock's time, every material seen
 * (cesarean delivery on the day delivery says); outcome CO_ACCEPT or
 * CO_REJECT. Its number. */
static const char *intake_type(const char *type, const char *id, enum cases_outcome outcome)
{
	static const char *const medical[] = { "credential", "invoice", "bill", "discharge", "application" };
	static const char *const allowance[] = { "agent_id", "credential", "medical_record" };
	static char no[4][32];
	static int next;
	struct cases_intake_req q = { 0 };
	struct cases_intake_out out;
	const char **ids, **values;
	bool is_medical = strcmp(type, T_MEDICAL) == 0;
	long long sid = login(is_medical ? "mj_town" : "mj_clerk", 1);
	enum cases_result r;

	q.type_code = type;
	q.version = dbt_case_type_version(su, type);
	q.id_no = id;
	q.channel = CH_WINDOW;
	q.outcome = outcome;
	q.reason = outcome == CO_REJECT ? "非本统筹区参保" : NULL;
	q.nfields = dbt_form(su, type, id, &ids, &values);
	q.field_ids = ids;
	q.field_values = values;
	for (size_t i = 0; i < q.nfields; i++)
		if (strcmp(ids[i], "delivery_date") == 0)
			values[i] = delivery;
		else if (strcmp(ids[i], "delivery_type") == 0)
			values[i] = "cesarean";
	q.seen = is_medical ? medical : allowance;
	q.nseen = is_medical ? DBT_COUNT(medical) : DBT_COUNT(allowance);
	r = cases_intake(dsu, sid, &q, &out);
	if (r != CASES_OK)
		print_error("# intake: %s (%s)\n", cases_result_message(r), db_detail(dsu));
	assert_int_equal(r, CASES_OK);
	dbt_logout(app, sid);
	next = (next + 1) % 4;
	snprintf(no[next], sizeof no[next], "%s", out.case_no);
	return no[next];
}

static const char *intake(const char *id, enum cases_outcome outcome)
{
	return intake_type(T_MEDICAL, id, outcome);
}

/* A 生育医疗费支付 case of person id accepted and paid out at time when:
 * 初审 at the township, 复核 and 拨付 at the county, 办结. */
static const char *paid(const char *id, const char *when)
{
	const char *no;
	long long t, rv;

	at(when);
	no = intake(id, CO_ACCEPT);
	t = login("mj_town", 1);
	assert_int_equal(stages_complete(dsu, t, no, 1, NULL), CASES_OK);
	dbt_logout(app, t);
	rv = login("mj_rev", 0);
	assert_int_equal(stages_complete(dsu, rv, no, 2, NULL), CASES_OK);
	assert_int_equal(stages_finish(dsu, rv, no, 3, "已拨付"), CASES_OK);
	dbt_logout(app, rv);
	return no;
}

/* The job run for day at the clock "day 09:00"; the rows of the test's
 * offices (others' cases are theirs) into out (at most 8); how many. */
static size_t run(const char *day, struct proactive_row out[8])
{
	struct proactive_row *rows;
	size_t n, mine = 0;
	char when[20];

	snprintf(when, sizeof when, "%s 09:00", day);
	at(when);
	assert_int_equal(proactive_run(dsu, day, &rows, &n), PROACTIVE_OK);
	for (size_t i = 0; i < n; i++)
		if (strncmp(rows[i].source_case, COUNTY, strlen(COUNTY)) == 0 && mine < 8)
			out[mine++] = rows[i];
	free(rows);
	return mine;
}

/* A fact about the 津贴 case opened for source case no, as text. */
static void assert_opened(const char *no, const char *expr, const char *want)
{
	char sql[512];
	const char *p[] = { no };

	snprintf(sql, sizeof sql, "SELECT %s FROM yc.service_case c JOIN yc.proactive_link l"
	    " ON l.case_office = c.office_code AND l.case_no = c.case_no WHERE l.source_case = $1", expr);
	dbt_assert_query(su, want, sql, 1, p);
}

static void test_opened(void **state)
{
	struct proactive_row r[8];
	const char *src;
	long long mark, rv;
	const char *p[1];
	enum cases_result res;
	struct stage_item items[32];
	char want[96];
	int n;
	bool queued = false;

	(void)state;
	src = paid(worker, "2026-11-10 10:00");
	assert_int_equal(run("2026-11-25", r), 0);		/* the same month */
	assert_int_equal(run("2026-11-30", r), 0);
	mark = dbt_audit_mark(su);
	assert_int_equal(run("2026-12-01", r), 1);
	assert_int_equal(r[0].outcome, PRO_OPENED);
	assert_string_equal(r[0].source_case, src);
	assert_string_equal(r[0].office, COUNTY);
	assert_string_equal(r[0].case_no, COUNTY "202612010001");
	assert_string_equal(r[0].unit_name, UNIT);
	assert_string_equal(r[0].promised, "2026-12-15");	/* 10 working days from Tuesday 12-01 */
	assert_false(r[0].provisional);
	snprintf(want, sizeof want, "%.6s********%s", worker, worker + 14);
	assert_string_equal(r[0].id_masked, want);

	/* the case: type, channel, no clerk, accepted, limit, form */
	assert_opened(src, "c.case_type_code || '/' || c.channel || '/' || coalesce(c.first_staff_no, '-')"
	    " || '/' || c.status || '/' || c.limit_days || '/' || c.promised_date"
	    " || '/' || coalesce(c.stage_no::text, 'none')",
	    T_ALLOWANCE "/proactive/-/accepted/10/2026-12-15/none");
	p[0] = src;
	dbt_assert_query(su, worker, "SELECT c.id_no FROM yc.service_case c JOIN yc.proactive_link l"
	    " ON l.case_no = c.case_no WHERE l.source_case = $1", 1, p);
	assert_opened(src, "c.form ->> 'id_no' = c.id_no AND c.form ->> 'unit_name' = '" UNIT "'"
	    " AND c.form ->> 'delivery_date' = '2026-10-28' AND c.form ->> 'delivery_type' = 'cesarean'"
	    " AND c.form ->> 'phone' = ''", "t");
	assert_opened(src, "(SELECT count(*) FROM yc.case_material m WHERE m.case_no = c.case_no)", "0");
	/* the event, the audit row, the text message, the link */
	snprintf(want, sizeof want, "proactive_open:%s:-", src);
	assert_opened(src, "(SELECT string_agg(e.kind || ':' || (e.detail ->> 'source_case') || ':'"
	    " || coalesce(e.staff_no, '-'), ',') FROM yc.case_event e WHERE e.case_no = c.case_no)", want);
	p[0] = r[0].case_no;
	{
		char obj[64];

		snprintf(obj, sizeof obj, "case:%s/%s", COUNTY, r[0].case_no);
		assert_int_equal(dbt_audit_count(su, mark, COUNTY, "case_proactive_open", obj), 1);
	}
	dbt_assert_query(su, "proactive:sms:13900003201:true", "SELECT kind || ':' || channel || ':' || recipient"
	    " || ':' || (body LIKE '%' || $1 || '%2026年12月15日%') FROM yc.outbox WHERE case_no = $1", 1, p);
	assert_opened(src, "l.outcome || ':' || l.run_day", "opened:2026-12-01");

	/* in the reviewers' queue: waiting for 办结 at the county centre */
	rv = login("mj_rev", 0);
	n = stages_queue(dsu, rv, items, 32, &res);
	assert_int_equal(res, CASES_OK);
	for (int i = 0; i < n; i++)
		if (strcmp(items[i].case_no, r[0].case_no) == 0)
			queued = items[i].stage_no == 0;
	assert_true(queued);
	/* the case view names the channel and the source */
	{
		char *json = stages_case(dsu, rv, r[0].case_no, &res);

		assert_non_null(json);
		assert_non_null(strstr(json, "\"channel\": \"proactive\""));
		assert_non_null(strstr(json, "免申即享"));
		assert_non_null(strstr(json, src));
		free(json);
	}
	dbt_logout(app, rv);

	/* again: nothing more, whatever the day of the month */
	assert_int_equal(run("2026-12-01", r), 0);
	assert_int_equal(run("2026-12-20", r), 0);
	p[0] = worker;
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.service_case WHERE id_no = $1"
	    " AND case_type_code = '" T_ALLOWANCE "'", 1, p);
}

static void test_resident(void **state)
{
	struct proactive_row r[8];
	const char *src, *p[1];
	long long mark;

	(void)state;
	src = paid(resident, "2026-11-12 15:00");
	mark = dbt_audit_mark(su);
	assert_int_equal(run("2026-12-02", r), 1);
	assert_int_equal(r[0].outcome, PRO_NO_INSURANCE);
	assert_string_equal(r[0].case_no, "");
	p[0] = resident;
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.service_case WHERE id_no = $1"
	    " AND case_type_code = '" T_ALLOWANCE "'", 1, p);
	p[0] = src;
	dbt_assert_query(su, "no_insurance", "SELECT outcome || coalesce(case_no, '')"
	    " FROM yc.proactive_link WHERE source_case = $1", 1, p);
	{
		char obj[64];

		snprintf(obj, sizeof obj, "case:%s/%s", TOWN, src);
		assert_int_equal(dbt_audit_count(su, mark, TOWN, "proactive_no_insurance", obj), 1);
	}
	assert_int_equal(run("2026-12-03", r), 0);	/* decided once */
}

/* The unit applied at a window for the same delivery before the job ran:
 * no second 津贴 case. */
static void test_applied(void **state)
{
	struct proactive_row r[8];
	const char *window, *src, *p[1];
	char obj[64];
	long long mark;

	(void)state;
	at("2026-11-05 10:00");
	window = intake_type(T_ALLOWANCE, worker, CO_ACCEPT);
	src = paid(worker, "2026-11-10 10:00");
	mark = dbt_audit_mark(su);
	assert_int_equal(run("2026-12-01", r), 1);
	assert_int_equal(r[0].outcome, PRO_DUPLICATE);
	assert_string_equal(r[0].case_no, window);
	assert_false(proactive_failed(r[0].outcome));
	p[0] = worker;
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.service_case WHERE id_no = $1"
	    " AND case_type_code = '" T_ALLOWANCE "'", 1, p);
	p[0] = src;
	dbt_assert_query(su, "duplicate", "SELECT outcome || coalesce(case_no, '')"
	    " FROM yc.proactive_link WHERE source_case = $1", 1, p);
	snprintf(obj, sizeof obj, "case:%s/%s", TOWN, src);
	assert_int_equal(dbt_audit_count(su, mark, TOWN, "proactive_duplicate", obj), 1);
	assert_int_equal(run("2026-12-02", r), 0);
}

static void test_not_paid(void **state)
{
	struct proactive_row r[8];
	const char *open, *rejected, *negative;
	long long t;

	(void)state;
	at("2026-11-16 10:00");
	open = intake(worker, CO_ACCEPT);
	rejected = intake(worker, CO_REJECT);
	negative = intake(worker, CO_ACCEPT);
	t = login("mj_town", 1);
	assert_int_equal(stages_finish(dsu, t, negative, 1, "不符合生育医疗费报销条件"), CASES_OK);
	dbt_logout(app, t);
	dbt_assert_case(su, rejected, "status", "rejected");
	dbt_assert_case(su, negative, "status", "finished");
	dbt_assert_case(su, open, "status", "accepted");
	assert_int_equal(run("2026-12-01", r), 0);
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.proactive_link WHERE source_office LIKE '"
	    COUNTY "%'", 0, NULL);
}

static void test_yearend(void **state)
{
	struct proactive_row r[8];
	const char *src;

	(void)state;
	src = paid(worker, "2026-12-30 16:00");
	assert_int_equal(run("2026-12-31", r), 0);
	assert_int_equal(run("2027-01-01", r), 1);	/* 元旦, a holiday: the job runs every day */
	assert_int_equal(r[0].outcome, PRO_OPENED);
	assert_string_equal(r[0].case_no, COUNTY "202701010001");
	/* 2027 is provisional: 元旦 off, then 10 working days from Monday 01-04 */
	assert_string_equal(r[0].promised, "2027-01-15");
	assert_true(r[0].provisional);
	assert_opened(src, "c.promised_date::text", "2027-01-15");

	/* and years later (another child): a case of November 2031, the run
	 * of 31 December */
	delivery = "2031-11-02";
	src = paid(worker, "2031-11-20 11:00");
	assert_int_equal(run("2031-11-30", r), 0);
	assert_int_equal(run("2031-12-31", r), 1);
	assert_int_equal(r[0].outcome, PRO_OPENED);
	assert_string_equal(r[0].case_no, COUNTY "203112310001");
	/* 2032-01-01 off; 01-02, 01-05..09, 01-12..15 */
	assert_string_equal(r[0].promised, "2032-01-15");
	assert_true(r[0].provisional);
}

static void test_concurrent(void **state)
{
	struct proactive_row *rows;
	size_t n;
	PGconn *other;
	PGresult *res;
	const char *src, *p[1];

	(void)state;
	src = paid(worker, "2026-11-18 10:00");
	other = PQconnectdb("");
	assert_int_equal(PQstatus(other), CONNECTION_OK);
	dbt_exec_ok(other, "SET client_min_messages = error", 0, NULL);
	dbt_exec_ok(other, "SELECT set_config('yc.test_now', '2026-12-01 09:00+08', false)", 0, NULL);
	at("2026-12-01 09:00");
	assert_int_equal(db_exec(dsu, "BEGIN", 0, NULL), DB_OK);
	assert_int_equal(proactive_run(dsu, "2026-12-01", &rows, &n), PROACTIVE_OK);
	free(rows);
	/* the second run waits for the first one's lock */
	assert_int_equal(PQsendQuery(other, "SELECT count(*) FILTER (WHERE outcome = 'opened'"
	    " AND source_case LIKE '" COUNTY "%') FROM yc.proactive_run('2026-12-01')"), 1);
	assert_int_equal(db_exec(dsu, "COMMIT", 0, NULL), DB_OK);
	res = PQgetResult(other);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(res, 0, 0), "0");
	PQclear(res);
	while ((res = PQgetResult(other)) != NULL)
		PQclear(res);
	PQfinish(other);
	p[0] = src;
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.proactive_link WHERE source_case = $1"
	    " AND outcome = 'opened'", 1, p);

	/* a day after today opens nothing */
	at("2026-12-01 09:00");
	assert_int_equal(proactive_run(dsu, "2026-12-02", &rows, &n), PROACTIVE_FUTURE);
	assert_null(rows);
}

static void test_roles(void **state)
{
	const char *src, *p[1];

	(void)state;
	src = paid(worker, "2026-11-19 10:00");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.proactive_run('2026-12-01')");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.proactive_link");
	dbt_exec_ok(su, "SET ROLE yichuang_kiosk", 0, NULL);
	dbt_expect_sqlstate(su, "42501", "SELECT * FROM yc.proactive_run('2026-12-01')");
	dbt_exec_ok(su, "RESET ROLE", 0, NULL);
	/* the job's role may run it, and nothing else */
	dbt_exec_ok(su, "SET ROLE yichuang_jobs", 0, NULL);
	dbt_expect_sqlstate(su, "42501", "SELECT count(*) FROM yc.service_case");
	dbt_expect_sqlstate(su, "42501", "SELECT yc.case_today()");
	dbt_exec_ok(su, "SELECT set_config('yc.test_now', '2026-12-01 09:00+08', false)", 0, NULL);
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.proactive_run('2026-12-01')"
	    " WHERE outcome = 'opened' AND source_case LIKE '" COUNTY "%'", 0, NULL);
	dbt_exec_ok(su, "RESET ROLE", 0, NULL);
	dbt_exec_ok(su, "SELECT set_config('yc.test_now', '', false)", 0, NULL);
	p[0] = src;
	dbt_assert_query(su, "opened", "SELECT outcome FROM yc.proactive_link WHERE source_case = $1", 1, p);
	/* a case of the channel has no clerk, and only a case of the channel */
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.service_case SET first_staff_no = 'mj_rev'"
	    " WHERE channel = 'proactive' AND office_code = '" COUNTY "'");
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.service_case SET channel = 'proactive'"
	    " WHERE office_code = '" TOWN "'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_opened, test_setup),
		cmocka_unit_test_setup(test_resident, test_setup),
		cmocka_unit_test_setup(test_applied, test_setup),
		cmocka_unit_test_setup(test_not_paid, test_setup),
		cmocka_unit_test_setup(test_yearend, test_setup),
		cmocka_unit_test_setup(test_concurrent, test_setup),
		cmocka_unit_test_setup(test_roles, test_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
