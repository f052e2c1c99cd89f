/*
 * The self-service terminal (自助服务终端, issue 16), tried as the kiosk
 * role (yichuang_kiosk) it connects as (db/functions/selfservice.sql):
 *
 *   person     a valid, registered ID number gives the masked name and ID
 *              number and the idle timeout; bad and unknown numbers refused
 *   cases      查进度 lists the person's own cases only, with stage and
 *              promised date; another person's never
 *   insurance  the 参保凭证 data of the person (masked ID), refused without
 *              an insurance record; a self-print audited
 *   filing     the 承诺制 异地就医备案: a preview keeps nothing; the
 *              confirmation files, accepts and finishes it at once with
 *              channel selfservice and no clerk, audited; a second one is
 *              refused while the first is in force; bad kind or place
 *              refused; another person cannot revoke it; the person
 *              revokes it (audited), once
 *   date       a filing on the last day of 2027, after the shipped
 *              calendar, is finished that day
 *   role       the kiosk role reads no table; the workstations' role may
 *              not call the terminal's functions
 *
 * Environment as for every db suite (tests/run.sh), and
 *   YC_TEST_KIOSK_CONNINFO   the kiosk role (yichuang_kiosk)
 *
 * Office 360961 of its own.
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

#include "store/db.h"
#include "store/selfsvc.h"

#define OFFICE "360961"

static PGconn *su, *app;
static struct db *dsu, *kiosk;
static char id_a[19], id_b[19];

static int group_setup(void **state)
{
	const char *p[2];

	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	kiosk = db_open(getenv("YC_TEST_KIOSK_CONNINFO") != NULL ?
	    getenv("YC_TEST_KIOSK_CONNINFO") : "dbname=nonexistent");
	if (!db_connected(kiosk))
		return -1;
	dbt_office(su, OFFICE, "自助终端测试医保中心", 2);
	dbt_make_id(id_a, "19700312", 961);
	dbt_make_id(id_b, "19800415", 962);
	p[0] = id_a;
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name, phone) VALUES ($1, '张三丰', '13800000961')"
	    " ON CONFLICT (id_no) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone", 1, p);
	p[0] = id_b;
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name, phone) VALUES ($1, '李四', '13800000962')"
	    " ON CONFLICT (id_no) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone", 1, p);
	dbt_exec_ok(su, "DELETE FROM yc.insurance WHERE id_no = $1", 1, p);
	dbt_insured(su, id_a, OFFICE);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	db_close(&kiosk);
	dbt_clear_cases(su, OFFICE);
	return dbt_disconnect(&su, &app, &dsu, "ssv");
}

static int test_setup(void **state)
{
	(void)state;
	dbt_clear_of_midnight(su, 120);
	dbt_clock(dsu, "");
	dbt_clear_cases(su, OFFICE);
	return 0;
}

/* Files a 备案 for id (as the kiosk role); the case number. */
static void
file(struct db *db, const char *id, const char *kind, char case_no[32])
{
	char *form, *pledge;

	assert_int_equal(selfsvc_filing(db, OFFICE, id, kind, "上海市", true, case_no, &form, &pledge),
	    SELFSVC_OK);
	assert_true(case_no[0] != '\0');
	selfsvc_text_free(&form);
	selfsvc_text_free(&pledge);
}

static void test_person(void **state)
{
	struct selfsvc_person p;
	char bad[19];

	(void)state;
	assert_int_equal(selfsvc_person(kiosk, OFFICE, id_a, &p), SELFSVC_OK);
	assert_string_equal(p.name_masked, "张*丰");
	assert_null(strstr(p.id_masked, id_a + 6));
	assert_int_equal(strncmp(p.id_masked, id_a, 4), 0);
	assert_int_equal(p.idle_seconds, 60);
	memcpy(bad, id_a, sizeof bad);
	bad[17] = bad[17] == '1' ? '2' : '1';
	assert_int_equal(selfsvc_person(kiosk, OFFICE, bad, &p), SELFSVC_BAD_ID);
	dbt_make_id(bad, "19900101", 969);
	assert_int_equal(selfsvc_person(kiosk, OFFICE, bad, &p), SELFSVC_NOT_FOUND);
	assert_int_equal(selfsvc_person(kiosk, "369799", id_a, &p), SELFSVC_UNKNOWN_OFFICE);
}

static void test_cases_own_only(void **state)
{
	struct selfsvc_cases c;
	char ca[32], cb[32];

	(void)state;
	file(kiosk, id_a, "resident", ca);
	file(kiosk, id_b, "worker", cb);
	assert_int_equal(selfsvc_cases(kiosk, OFFICE, id_a, &c), SELFSVC_OK);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.rows[0].case_no, ca);
	assert_string_equal(c.rows[0].type_name, "异地就医备案（承诺制）");
	assert_string_equal(c.rows[0].stage, "已办结");
	assert_true(c.rows[0].promised[0] != '\0');
	assert_string_equal(c.rows[0].promised, c.rows[0].finished);
	assert_true(c.rows[0].revocable);
	for (int i = 0; i < c.n; i++)
		assert_string_not_equal(c.rows[i].case_no, cb);
	selfsvc_cases_free(&c);
	assert_null(c.rows);
	/* an open case of A's at a window shows its stage too */
	{
		const char *p[] = { ca };

		dbt_exec_ok(su, "UPDATE yc.service_case SET status = 'in_progress', finished_at = NULL,"
		    " promised_date = (accepted_at AT TIME ZONE 'Asia/Shanghai')::date + 10"
		    " WHERE case_no = $1", 1, p);
	}
	assert_int_equal(selfsvc_cases(kiosk, OFFICE, id_a, &c), SELFSVC_OK);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.rows[0].stage, "办理中");
	assert_false(c.rows[0].revocable);
	selfsvc_cases_free(&c);
	/* an unknown person: nothing */
	{
		char other[19];

		dbt_make_id(other, "19900101", 968);
		assert_int_equal(selfsvc_cases(kiosk, OFFICE, other, &c), SELFSVC_OK);
		assert_int_equal(c.n, 0);
	}
}

static void test_insurance(void **state)
{
	enum selfsvc_result r;
	long long mark = dbt_audit_mark(su);
	char *doc;

	(void)state;
	doc = selfsvc_insurance(kiosk, OFFICE, id_a, false, &r);
	assert_int_equal(r, SELFSVC_OK);
	assert_non_null(strstr(doc, "张三丰"));
	assert_non_null(strstr(doc, "居民医保"));
	assert_non_null(strstr(doc, "\"self_service\": true"));
	assert_null(strstr(doc, id_a));
	selfsvc_text_free(&doc);
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "selfsvc_certificate", NULL), 0);
	doc = selfsvc_insurance(kiosk, OFFICE, id_a, true, &r);
	assert_int_equal(r, SELFSVC_OK);
	selfsvc_text_free(&doc);
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "selfsvc_certificate", NULL), 1);
	doc = selfsvc_insurance(kiosk, OFFICE, id_b, true, &r);
	assert_null(doc);
	assert_int_equal(r, SELFSVC_NO_INSURANCE);
}

static void test_filing(void **state)
{
	long long mark = dbt_audit_mark(su);
	char ca[32], other[32], *form, *pledge;
	const char *p[1];

	(void)state;
	/* the preview: the documents, nothing kept */
	assert_int_equal(selfsvc_filing(kiosk, OFFICE, id_a, "referral", "广东省广州市", false, ca, &form,
	    &pledge), SELFSVC_OK);
	assert_string_equal(ca, "");
	assert_non_null(strstr(form, "异地转诊人员"));
	assert_non_null(strstr(form, "广东省广州市"));
	assert_non_null(strstr(form, "自助办理"));
	assert_non_null(strstr(pledge, "异地就医备案个人承诺书"));
	assert_null(strstr(form, id_a));
	/* on the public screen the phone number is masked */
	assert_null(strstr(form, "13800000961"));
	assert_non_null(strstr(form, "138****0961"));
	selfsvc_text_free(&form);
	selfsvc_text_free(&pledge);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.service_case WHERE office_code = '"
	    OFFICE "'", 0, NULL), 0);
	/* refusals */
	assert_int_equal(selfsvc_filing(kiosk, OFFICE, id_a, "abroad", "上海市", true, ca, &form,
	    &pledge), SELFSVC_BAD_INPUT);
	assert_int_equal(selfsvc_filing(kiosk, OFFICE, id_a, "worker", "x", true, ca, &form,
	    &pledge), SELFSVC_BAD_INPUT);
	/* filed: finished at once, no clerk, channel selfservice, audited */
	file(kiosk, id_a, "temporary", ca);
	p[0] = ca;
	dbt_assert_case(su, ca, "status || '/' || channel || '/' || coalesce(first_staff_no, '-')"
	    " || '/' || (form ->> 'filing_type')", "finished/selfservice/-/temporary");
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.case_material WHERE case_no = $1"
	    " AND state = 'missing'", 1, p), 0);
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "case_intake_immediate", NULL), 1);
	{
		char m[24];
		const char *q[] = { ca, m };

		snprintf(m, sizeof m, "%lld", mark);
		assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE action ="
		    " 'case_intake_immediate' AND staff_no IS NULL AND client = 'selfservice'"
		    " AND object = 'case:" OFFICE "/' || $1 AND audit_id > $2::bigint", 2, q), 1);
	}
	/* a second one while the first is in force */
	assert_int_equal(selfsvc_filing(kiosk, OFFICE, id_a, "worker", "上海市", true, other, &form,
	    &pledge), SELFSVC_ALREADY_FILED);
	/* another person cannot revoke it, nor reach it at all */
	assert_int_equal(selfsvc_revoke(kiosk, OFFICE, id_b, ca), SELFSVC_NOT_FOUND);
	dbt_assert_case(su, ca, "(revoked_at IS NULL)::text", "true");
	/* the person revokes it, once */
	assert_int_equal(selfsvc_revoke(kiosk, OFFICE, id_a, ca), SELFSVC_OK);
	dbt_assert_case(su, ca, "revoked_channel", "selfservice");
	/* the clerks' screens and documents say so */
	dbt_assert_case(su, ca, "yc.closing_status_name(service_case)", "已办结（备案已撤销）");
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "case_revoke", NULL), 1);
	assert_int_equal(selfsvc_revoke(kiosk, OFFICE, id_a, ca), SELFSVC_ALREADY_REVOKED);
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "case_revoke", NULL), 1);
	{
		struct selfsvc_cases c;

		assert_int_equal(selfsvc_cases(kiosk, OFFICE, id_a, &c), SELFSVC_OK);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.rows[0].stage, "备案已撤销");
		assert_false(c.rows[0].revocable);
		selfsvc_cases_free(&c);
	}
	/* revoked: a new one may be filed */
	file(kiosk, id_a, "worker", ca);
}

/* The last day of 2027, after the shipped calendar: finished that day. */
static void test_after_calendar(void **state)
{
	char ca[32];

	(void)state;
	dbt_clock(dsu, "2027-12-31 16:30:00+08");
	file(dsu, id_a, "resident", ca);
	assert_int_equal(strncmp(ca, OFFICE "20271231", strlen(OFFICE) + 8), 0);
	dbt_assert_case(su, ca, "promised_date::text || '/' || status", "2027-12-31/finished");
	dbt_clock(dsu, "");
}

static void test_roles(void **state)
{
	PGconn *k = PQconnectdb(getenv("YC_TEST_KIOSK_CONNINFO"));

	(void)state;
	assert_int_equal(PQstatus(k), CONNECTION_OK);
	dbt_expect_sqlstate(k, "42501", "SELECT count(*) FROM yc.service_case");
	dbt_expect_sqlstate(k, "42501", "SELECT count(*) FROM yc.person");
	dbt_expect_sqlstate(k, "42501", "SELECT yc.selfsvc_actor('" OFFICE "')");
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.selfsvc_cases('" OFFICE "', '110')");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.selfsvc_revoke('" OFFICE "', '110', '1')");
	PQfinish(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_person, test_setup),
		cmocka_unit_test_setup(test_cases_own_only, test_setup),
		cmocka_unit_test_setup(test_insurance, test_setup),
		cmocka_unit_test_setup(test_filing, test_setup),
		cmocka_unit_test_setup(test_after_calendar, test_setup),
		cmocka_unit_test_setup(test_roles, test_setup),
	};

	return cmocka_run_group_tests_name("db: self-service terminal", tests, group_setup,
	    group_teardown);
}
