/*
 * Conditional paths (when=, issue 17) on acceptance: the server reads a
 * case's materials, limit and stages from its stored definition and its
 * form's answers (db/functions/intake.sql: yc.case_when,
 * yc.case_def_materials, yc.case_def_stages, yc.case_def_limit), whatever
 * the client says.
 *
 * Environment as for every db suite (tests/run.sh). Offices 360940 (city
 * hall) and 360941, staff wh_*; each test empties their case tables first.
 * Dates counted by hand on the calendar `db migrate` leaves: 2026-12-31 is
 * a Thursday; 2027 is provisional (01-01 元旦 the only day off in
 * January), so ten working days after 12-31 end on 2027-01-15 (01-04..08,
 * 11..15), eight on 01-13, five on 01-08.
 *
 * Case types of forms/ used (the latest loaded version of each):
 *   002036009001 门诊慢特病病种待遇认定  path=filing 即时办结 (备案);
 *                path=admission 10 working days, stages 8 + 2 (准入, 专家鉴定),
 *                diagnosis and application only then
 *   002036010003 定点医药机构基础信息变更 onsite=yes 5 working days and one
 *                stage, else 即时办结
 *   002036011001 个人账户一次性支取 reason=death and death_shared!=yes: the
 *                death proof (any-of death_cert | death_pledge)
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
#include "store/stages.h"

#define CITY "360940"
#define CITY2 "360941"
#define WH_PASSWORD "Wh-Secret-7"

#define T_CHRONIC "002036009001"
#define T_ORGCHG "002036010003"
#define T_ACCOUNT "002036011001"

#define IDS(...) ((const char *const[]){ __VA_ARGS__ })
#define NIDS(...) (sizeof(IDS(__VA_ARGS__)) / sizeof(const char *))
#define SEEN(q, ...) ((q).seen = IDS(__VA_ARGS__), (q).nseen = NIDS(__VA_ARGS__))

static PGconn *su, *app;
static struct db *dsu;
static char p1[19];

static const char *const staff_rows[][3] = {
	{ "wh_clerk", "clerk", CITY },
	{ "wh_clerk2", "clerk", CITY2 },
	{ "wh_review", "reviewer", CITY },
};

static long long
login(const char *staff)
{
	return dbt_login(app, staff, WH_PASSWORD, strcmp(staff, "wh_review") == 0 ? 0 : 1, "tests/db/when");
}

/* The back office's queue entry of a case for a session, or NULL. */
static struct stage_item queue_items[64];

static const struct stage_item *
queued(long long sid, const char *case_no)
{
	enum cases_result r;
	int n = stages_queue(dsu, sid, queue_items, 64, &r);

	assert_int_equal(r, CASES_OK);
	for (int i = 0; i < n; i++)
		if (strcmp(queue_items[i].case_no, case_no) == 0)
			return &queue_items[i];
	return NULL;
}

static long long
rows_written(void)
{
	return dbt_query_ll(su, "SELECT (SELECT count(*) FROM yc.service_case WHERE office_code LIKE '36094_')"
	    " + (SELECT count(*) FROM yc.case_material WHERE office_code LIKE '36094_')"
	    " + (SELECT count(*) FROM yc.case_stage WHERE office_code LIKE '36094_')"
	    " + (SELECT count(*) FROM yc.notice WHERE office_code LIKE '36094_')", 0, NULL);
}

/* The form of type with every field as dbt_form fills it, then the
 * answers given ("field=value", NULL-terminated) instead. */
struct form {
	const char *ids[DBT_FORM_MAX], *values[DBT_FORM_MAX];
	size_t n;
};

static struct cases_intake_req
req(struct form *f, const char *type, enum cases_outcome o, const char *const *answers)
{
	struct cases_intake_req q = { 0 };
	const char **ids, **values;

	f->n = dbt_form(su, type, p1, &ids, &values);
	for (size_t i = 0; i < f->n; i++) {
		f->ids[i] = ids[i];
		f->values[i] = values[i];
		for (const char *const *a = answers; a != NULL && *a != NULL; a++) {
			size_t l = strlen(ids[i]);

			if (strncmp(*a, ids[i], l) == 0 && (*a)[l] == '=')
				f->values[i] = *a + l + 1;
		}
	}
	q.type_code = type;
	q.version = dbt_case_type_version(su, type);
	q.id_no = p1;
	q.channel = CH_WINDOW;
	q.outcome = o;
	q.field_ids = f->ids;
	q.field_values = f->values;
	q.nfields = f->n;
	return q;
}

static struct cases_intake_out
intake_ok(long long sid, const struct cases_intake_req *q)
{
	struct cases_intake_out out;
	enum cases_result r = cases_intake(dsu, sid, q, &out);

	if (r != CASES_OK)
		print_error("# intake: %s (%s)\n", cases_result_message(r), db_detail(dsu));
	assert_int_equal(r, CASES_OK);
	return out;
}

static void
intake_refused(long long sid, const struct cases_intake_req *q, enum cases_result want)
{
	struct cases_intake_out out;
	long long before = rows_written();
	enum cases_result r = cases_intake(dsu, sid, q, &out);

	if (r != want)
		print_error("# intake: got %d (%s), want %d\n", r, db_detail(dsu), want);
	assert_int_equal(r, want);
	assert_int_equal(rows_written(), before);
}

/* "stage_no:name:due,…" of a case */
static void
assert_stages(const char *case_no, const char *want)
{
	dbt_assert_query(su, want, "SELECT coalesce(string_agg(stage_no || ':' || name || ':' || due_date"
	    " || ':' || (started_at IS NOT NULL), ',' ORDER BY stage_no), '') FROM yc.case_stage"
	    " WHERE case_no = $1", 1, (const char *[]){ case_no });
}

static void
assert_materials(const char *case_no, const char *want)
{
	dbt_assert_query(su, want, "SELECT string_agg(item_no || '.' || material_id, ',' ORDER BY ord)"
	    " FROM yc.case_material WHERE case_no = $1", 1, (const char *[]){ case_no });
}

static int
group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dbt_office(su, CITY, "条件测试市医保中心", 2);
	dbt_office(su, CITY2, "条件测试县医保中心", 2);
	dbt_staff(su, WH_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(p1, "19660606", 940);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	dbt_clock(dsu, "");
	return dbt_disconnect(&su, &app, &dsu, "wh");
}

static int
test_setup(void **state)
{
	long long s;

	(void)state;
	dbt_clear_cases(su, CITY);
	dbt_clear_cases(su, CITY2);
	dbt_close_sessions(su, "wh");
	dbt_clock(dsu, "");
	s = login("wh_clerk");
	assert_int_equal(cases_person_register(dsu, s, p1, "条件测试人", "13900000940"), CASES_OK);
	dbt_insured(su, p1, CITY);
	dbt_logout(app, s);
	return 0;
}

/* ---- the evaluator ------------------------------------------------------- */

static void
test_case_when(void **state)
{
	static const struct {
		const char *cond, *form, *want;
	} cases[] = {
		{ "path=filing", "{\"path\": \"filing\"}", "true" },
		{ "path=filing", "{\"path\": \"admission\"}", "false" },
		{ "path!=filing", "{}", "true" },
		{ "path=filing", "{}", "false" },
		{ "path in (a b filing)", "{\"path\": \"filing\"}", "true" },
		{ "path in(a b)", "{\"path\": \"filing\"}", "false" },
		{ "reason=death and death_shared!=yes", "{\"reason\": \"death\", \"death_shared\": \"\"}", "true" },
		{ "reason=death and death_shared!=yes", "{\"reason\": \"death\", \"death_shared\": \"yes\"}", "false" },
		{ "a=x or b=y and c=z", "{\"a\": \"x\"}", "true" },
		{ "a=x or b=y and c=z", "{\"b\": \"y\"}", "false" },
		{ "a=x or b=y and c=z", "{\"b\": \"y\", \"c\": \"z\"}", "true" },
		{ "b=y and c=z or a=x", "{\"b\": \"y\"}", "false" },
		{ "", "{}", "true" },
	};
	static const char *const bad[] = { "path", "path=", "path in ()", "path in (a", "a=b and", "a=b c=d",
		"a<>b", "(a=b)" };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		dbt_assert_query(su, cases[i].want, "SELECT yc.case_when($1, $2::jsonb)::text", 2,
		    (const char *[]){ cases[i].cond, cases[i].form });
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		PGresult *r = PQexecParams(su, "SELECT yc.case_when($1, '{}')", 1, NULL,
		    (const char *[]){ bad[i] }, NULL, NULL, 0);

		if (PQresultStatus(r) != PGRES_FATAL_ERROR)
			print_error("# \"%s\" was evaluated\n", bad[i]);
		assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
		assert_string_equal(PQresultErrorField(r, PG_DIAG_SQLSTATE), "YC010");
		PQclear(r);
	}
}

/* ---- 门诊慢特病: 备案 and 准入 ---------------------------------------------- */

static void
test_chronic_filing(void **state)
{
	long long s = login("wh_clerk");
	struct form f;
	struct cases_intake_req q = req(&f, T_CHRONIC, CO_ACCEPT, IDS("path=filing", NULL));
	struct cases_intake_out o;

	(void)state;
	dbt_clock(dsu, "2026-12-31 10:00+08");
	SEEN(q, "credential", "discharge");
	o = intake_ok(s, &q);
	/* 备案: accepted and finished at once, no stage, no appraisal material */
	assert_string_equal(o.status, "finished");
	assert_string_equal(o.accepted, "2026-12-31");
	assert_string_equal(o.promised, "2026-12-31");
	dbt_assert_case(su, o.case_no, "limit_days::text || '/' || (finished_at IS NOT NULL)", "0/true");
	assert_stages(o.case_no, "");
	assert_materials(o.case_no, "1.credential,2.outpatient_record,2.discharge,2.exam_report");
	/* its papers say 即时办结 */
	dbt_assert_query(su, "即时办结/true", "SELECT (d->>'limit') || '/' || (d->>'immediate')"
	    " FROM yc.case_document($1, 'receipt') d", 1, (const char *[]){ o.case_no });
	/* nothing waits in the back office */
	{
		long long rv = login("wh_review");

		assert_null(queued(rv, o.case_no));
		dbt_logout(app, rv);
	}

	/* 即时办结 asked directly is the same path */
	q.outcome = CO_IMMEDIATE;
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "finished");
	dbt_logout(app, s);
}

static void
test_chronic_admission(void **state)
{
	long long s = login("wh_clerk");
	struct form f;
	struct cases_intake_req q = req(&f, T_CHRONIC, CO_ACCEPT, IDS("path=admission", NULL));
	struct cases_intake_out o;

	(void)state;
	dbt_clock(dsu, "2026-12-31 10:00+08");
	SEEN(q, "credential", "exam_report", "diagnosis", "application");
	o = intake_ok(s, &q);
	/* 准入: 10 working days into the provisional 2027, the expert appraisal first */
	assert_string_equal(o.status, "accepted");
	assert_string_equal(o.accepted, "2026-12-31");
	assert_string_equal(o.promised, "2027-01-15");
	dbt_assert_case(su, o.case_no, "limit_days::text || '/' || coalesce(stage_no, 0)", "10/1");
	assert_stages(o.case_no, "1:组织专家鉴定:2027-01-13:true,2:认定结果录入、告知:2027-01-15:false");
	assert_materials(o.case_no, "1.credential,2.outpatient_record,2.discharge,2.exam_report,"
	    "3.diagnosis,4.application");
	dbt_assert_query(su, "10个工作日/false", "SELECT (d->>'limit') || '/' || (d->>'immediate')"
	    " FROM yc.case_document($1, 'acceptance-notice') d", 1, (const char *[]){ o.case_no });
	/* the back office works the expert appraisal, then the second stage */
	{
		long long rv = login("wh_review");
		const struct stage_item *it = queued(rv, o.case_no);

		assert_non_null(it);
		assert_int_equal(it->stage_no, 1);
		assert_int_equal(it->nstages, 2);
		assert_string_equal(it->stage_name, "组织专家鉴定");
		assert_string_equal(it->due, "2027-01-13");
		assert_string_equal(it->promised, "2027-01-15");
		dbt_clock(dsu, "2027-01-12 10:00+08");
		assert_int_equal(stages_complete(dsu, rv, o.case_no, 1, "专家鉴定意见：符合认定标准"), CASES_OK);
		it = queued(rv, o.case_no);
		assert_non_null(it);
		assert_int_equal(it->stage_no, 2);
		assert_string_equal(it->due, "2027-01-14");
		dbt_logout(app, rv);
		dbt_clock(dsu, "2026-12-31 10:00+08");
	}

	/* not 即时办结 on this path */
	q.outcome = CO_IMMEDIATE;
	intake_refused(s, &q, CASES_NOT_IMMEDIATE);
	/* without the appraisal materials it is incomplete */
	q.outcome = CO_ACCEPT;
	SEEN(q, "credential", "exam_report");
	intake_refused(s, &q, CASES_INCOMPLETE);
	dbt_logout(app, s);
}

/* A material list that does not match the answers is refused, and the
 * notice of a path lists only that path's materials. */
static void
test_chronic_mismatch(void **state)
{
	long long s = login("wh_clerk");
	struct form f, f2;
	struct cases_intake_req q = req(&f, T_CHRONIC, CO_ACCEPT, IDS("path=filing", NULL));
	struct cases_intake_req c = req(&f2, T_CHRONIC, CO_ACCEPT, IDS("path=admission", NULL));
	struct cases_intake_out o;

	(void)state;
	dbt_clock(dsu, "2026-12-14 10:00+08");
	/* 备案 with the 准入 path's materials ticked */
	SEEN(q, "credential", "discharge", "diagnosis");
	intake_refused(s, &q, CASES_BAD_INPUT);
	q.outcome = CO_SUPPLEMENT;
	SEEN(q, "credential", "application");
	intake_refused(s, &q, CASES_BAD_INPUT);

	/* 一次性告知 on the 准入 path: the appraisal materials are on it */
	c.outcome = CO_SUPPLEMENT;
	SEEN(c, "credential", "discharge");
	o = intake_ok(s, &c);
	dbt_assert_query(su, "diagnosis,application", "SELECT string_agg(m->>'id', ',') FROM yc.notice n,"
	    " jsonb_array_elements(n.body->'missing') m WHERE n.case_no = $1", 1, (const char *[]){ o.case_no });
	/* ... and on the 备案 path they are not */
	q.outcome = CO_SUPPLEMENT;
	SEEN(q, "credential");
	{
		struct cases_intake_out o2 = intake_ok(s, &q);

		dbt_assert_query(su, "outpatient_record,discharge,exam_report", "SELECT string_agg(m->>'id', ',')"
		    " FROM yc.notice n,"
		    " jsonb_array_elements(n.body->'missing') m WHERE n.case_no = $1", 1,
		    (const char *[]){ o2.case_no });
	}

	/* the 补正 cannot change the path: its notice said what this one needs */
	{
		struct form f3;
		struct cases_intake_req r = req(&f3, T_CHRONIC, CO_ACCEPT, IDS("path=filing", NULL));

		r.type_code = NULL;
		r.version = 0;
		r.id_no = NULL;
		r.continue_case = o.case_no;
		SEEN(r, "diagnosis", "application");
		intake_refused(s, &r, CASES_BAD_INPUT);
		/* with the answers it was given, it goes on */
		r.field_values = f2.values;
		{
			struct cases_intake_out o3 = intake_ok(s, &r);

			assert_string_equal(o3.status, "accepted");
			assert_string_equal(o3.promised, "2026-12-28");
		}
	}
	dbt_logout(app, s);
}

/* ---- 定点医药机构基础信息变更: on-site check or not -------------------------- */

static void
test_orgchange_limit(void **state)
{
	long long s = login("wh_clerk2");
	struct form f;
	struct cases_intake_req q = req(&f, T_ORGCHG, CO_ACCEPT, IDS("onsite=no", "org_code=H36094000001", NULL));
	struct cases_intake_out o;

	(void)state;
	dbt_clock(dsu, "2026-12-31 15:00+08");
	SEEN(q, "agent_id", "new_licence", "change_form");
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "finished");
	assert_string_equal(o.promised, "2026-12-31");
	assert_stages(o.case_no, "");

	/* needs an on-site check: at most 5 working days, one stage */
	for (size_t i = 0; i < f.n; i++)
		if (strcmp(f.ids[i], "onsite") == 0)
			f.values[i] = "yes";
	q.outcome = CO_IMMEDIATE;
	intake_refused(s, &q, CASES_NOT_IMMEDIATE);
	q.outcome = CO_ACCEPT;
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "accepted");
	assert_string_equal(o.promised, "2027-01-08");
	dbt_assert_case(su, o.case_no, "limit_days::text", "5");
	assert_stages(o.case_no, "1:现场核查、变更:2027-01-08:true");
	dbt_assert_query(su, "5个工作日", "SELECT d->>'limit' FROM yc.case_document($1, 'acceptance-notice') d",
	    1, (const char *[]){ o.case_no });
	dbt_logout(app, s);
}

/* ---- 个人账户一次性支取: the death proof unless the death is in shared data ----- */

static void
test_death_proof(void **state)
{
	long long s = login("wh_clerk");
	struct form f, g;
	struct cases_intake_req q = req(&f, T_ACCOUNT, CO_ACCEPT, IDS("reason=death", "death_shared=no", NULL));
	struct cases_intake_req y = req(&g, T_ACCOUNT, CO_ACCEPT, IDS("reason=death", "death_shared=yes", NULL));
	struct cases_intake_out o;

	(void)state;
	dbt_clock(dsu, "2026-12-15 10:00+08");
	SEEN(q, "credential");
	intake_refused(s, &q, CASES_INCOMPLETE);
	SEEN(q, "credential", "death_cert");
	o = intake_ok(s, &q);
	assert_string_equal(o.status, "accepted");
	assert_materials(o.case_no, "1.credential,2.death_cert,2.death_pledge");
	/* in shared data: no proof asked, and none may be ticked */
	SEEN(y, "credential");
	o = intake_ok(s, &y);
	assert_materials(o.case_no, "1.credential");
	SEEN(y, "credential", "death_cert");
	intake_refused(s, &y, CASES_BAD_INPUT);
	dbt_logout(app, s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_when),
		cmocka_unit_test_setup(test_chronic_filing, test_setup),
		cmocka_unit_test_setup(test_chronic_admission, test_setup),
		cmocka_unit_test_setup(test_chronic_mismatch, test_setup),
		cmocka_unit_test_setup(test_orgchange_limit, test_setup),
		cmocka_unit_test_setup(test_death_proof, test_setup),
	};

	return cmocka_run_group_tests_name("db_when", tests, group_setup, group_teardown);
}
