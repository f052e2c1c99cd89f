/*
 * A 生育津贴 case opened by the periodic job (免申即享,
 * db/functions/proactive.sql), in a real terminal: a 生育医疗费支付 case of
 * a township of the test's own (360981087) paid out last month, the job's
 * run of today opens the 生育津贴支付 case at the county centre 360981; a
 * clerk there finds it by its number (F7) and the case view shows the
 * channel 免申即享 (through the message catalogue), no clerk of its own
 * but the system, and the history line naming the source case. The
 * rows are removed again at the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "screen/ws.h"

#define OFFICE "360981087"
#define SOURCE OFFICE "202504300001"

static char id[19];

/* Removes what the test made (also what a failed run left). */
static void
forget(void)
{
	const char *p[] = { SOURCE };

	ws_sql_long("WITH l AS (DELETE FROM yc.proactive_link WHERE source_case = $1 RETURNING case_office,"
	    " case_no), o AS (DELETE FROM yc.outbox WHERE case_no IN (SELECT case_no FROM l)),"
	    " e AS (DELETE FROM yc.case_event WHERE case_no IN (SELECT case_no FROM l))"
	    " SELECT count(*) FROM l", 1, p);
	ws_sql_long("DELETE FROM yc.service_case WHERE channel = 'proactive' AND id_no = $1 RETURNING 1", 1,
	    (const char *[]){ id });
	ws_sql_long("DELETE FROM yc.service_case WHERE case_no = $1 RETURNING 1", 1, p);
	ws_sql_long("DELETE FROM yc.insurance WHERE id_no = $1 RETURNING 1", 1, (const char *[]){ id });
	ws_sql_long("DELETE FROM yc.person WHERE id_no = $1 RETURNING 1", 1, (const char *[]){ id });
	ws_sql_long("DELETE FROM yc.staff WHERE staff_no = 'mj_scr' RETURNING 1", 0, NULL);
	ws_sql_long("DELETE FROM yc.office WHERE code = '" OFFICE "' RETURNING 1", 0, NULL);
}

static int
setup(void **state)
{
	(void)state;
	ws_idno("36098119920202087", id);
	forget();
	ws_sql_long("INSERT INTO yc.office (code, name, tier, parent_code, region_code) VALUES ('" OFFICE "',"
	    " '免申即享测试乡镇', 'township', '360981', '360981') ON CONFLICT (code) DO NOTHING RETURNING 1",
	    0, NULL);
	ws_sql_long("INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES"
	    " ('mj_scr', '免申测试', 'clerk', '" OFFICE "', yc.hash_password('Mj-Screen-32'))"
	    " ON CONFLICT (staff_no) DO NOTHING RETURNING 1", 0, NULL);
	ws_sql_long("INSERT INTO yc.person (id_no, name, sex) VALUES ($1, '免申屏幕', 'F')"
	    " ON CONFLICT (id_no) DO NOTHING RETURNING 1", 1, (const char *[]){ id });
	ws_sql_long("INSERT INTO yc.insurance (id_no, scheme, status, since, unit_name, office_code)"
	    " VALUES ($1, 'employee', 'active', '2019-01-01', '宜春市屏幕测试有限公司', '360981') RETURNING 1",
	    1, (const char *[]){ id });
	/* paid out on the 10th of last month */
	return ws_sql_long("INSERT INTO yc.service_case (office_code, case_no, case_type_code,"
	    " case_type_version, id_no, status, channel, first_staff_no, accepted_at, promised_date,"
	    " finished_at, form, result)"
	    " SELECT '" OFFICE "', $1, t.code, max(t.version), $2, 'finished', 'window', 'mj_scr',"
	    " f - interval '5 days', (f - interval '5 days')::date + 28, f,"
	    " jsonb_build_object('delivery_date', '2025-04-10', 'delivery_type', 'cesarean'), '已拨付'"
	    " FROM yc.case_type t, (SELECT date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')"
	    " AT TIME ZONE 'Asia/Shanghai' - interval '1 month' + interval '9 days 10 hours' AS f) x"
	    " WHERE t.code = '002036007002' GROUP BY t.code, x.f RETURNING 1", 2,
	    (const char *[]){ SOURCE, id }) == 1 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	forget();
	return 0;
}

static void
test_case_view_shows_the_channel(void **state)
{
	char *case_no, *row;
	struct vt *vt;

	(void)state;
	case_no = ws_sql_text("SELECT case_no FROM yc.proactive_run(NULL) WHERE source_case = $1"
	    " AND outcome = 'opened'", 1, (const char *[]){ SOURCE });
	assert_int_equal(strlen(case_no), 18);
	assert_true(strncmp(case_no, "360981", 6) == 0);

	vt = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(vt, "clerk1", "Demo-1234", "5");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	ws_find(vt, case_no, "已受理");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "生育津贴支付", WS_WAIT));
	assert_true(vt_expect(vt, "免申即享", WS_WAIT));
	/* the channel in the language of the screen, the system as the clerk */
	row = ws_row_with(vt, "免申屏幕");
	assert_non_null(strstr(row, "· 免申即享 ·"));
	assert_null(strstr(row, "Without application"));
	free(row);
	assert_true(vt_expect(vt, "系统（免申即享）", WS_WAIT));
	/* the history, at the end */
	for (int i = 0; i < 3; i++) {
		vt_key(vt, VT_KEY_PGDN);
		vt_settle(vt, 50, 500);
	}
	assert_true(vt_expect(vt, "免申即享：依生育医疗费办件" SOURCE, WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "查询结果", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "我的在办件", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	ws_sign_out(&vt);
	free(case_no);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_view_shows_the_channel),
	};

	return cmocka_run_group_tests_name("proactive", tests, setup, teardown);
}
