/*
 * Supervision at every level (issue 15), in the real binary at 80×24:
 * 值班长 ycsuper of 宜春市 (3609, an office without windows) presses F4
 * and lands on the halls of the offices below (辖区各厅): 丰城市 and 高安市
 * with their townships, never 南昌市's 东湖区. Enter on 高安市 opens its
 * live hall, titled with its name, where the ticket issued at 360983
 * waits; the count follows a second ticket without a key (the console
 * LISTENs on 高安's channel), F3 re-routes the first ticket to window 2 of
 * 高安 (audited under 360983 as ycsuper), F2 issues a 绿色通道 ticket there;
 * Esc goes back to the list, Esc again to the workbench. The county
 * supervisor super1 starts in the own hall, finds F9 on the key bar and
 * the list of 丰城's halls behind it (still drawn at 40×12), and comes
 * back with Esc; jxsuper's
 * list spans both prefectures, and F7 there shows the near-due cases of
 * every office below, each with its office.
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

#define GAOAN "360983"
#define MY_COUNTY "360981"
#define TODAY "(now() AT TIME ZONE 'Asia/Shanghai')::date"
#define CASE_NO GAOAN "202401029901"

static int
setup(void **state)
{
	char *out;

	(void)state;
	/* as tests/run.sh does for 丰城: open all day, whatever the hour */
	out = ws_run("hours set --as-owner --office " GAOAN " --day all --hours 00:00-24:00");
	free(out);
	ws_reset_staff("ycsuper");
	ws_reset_staff("jxsuper");
	ws_reset_staff("super1");
	return 0;
}

static char *
issue_gaoan(void)
{
	char *number = ws_run("ticket issue --office " GAOAN);

	assert_true(strlen(number) >= 4);
	return number;
}

/* Tickets waiting at 高安 today, as the database counts them. */
static long
waiting_gaoan(void)
{
	return ws_sql_long("SELECT count(*) FROM yc.ticket WHERE office_code = '" GAOAN "' AND day = "
	    TODAY " AND status = 'waiting'", 0, NULL);
}

/* Rows of a terminal that shows every office below prefix at once (the
 * other suites add offices of their own below 宜春市): 24 at least. */
static int
tall(const char *prefix)
{
	const char *p[] = { prefix };
	long n = ws_sql_long("SELECT count(*) FROM yc.office WHERE code LIKE $1 || '%'", 1, p);

	return n + 12 > 24 ? (int)n + 12 : 24;
}

/* Signs staff in without a window on a rows×80 terminal and opens the
 * console (Esc 4 = F4). */
static struct vt *
console_at(int rows, const char *staff, const char *expect)
{
	struct vt *vt = ws_start(rows, 80, NULL, NULL, NULL);

	ws_login(vt, staff, "Demo-1234", "");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_send(vt, "\0334");
	assert_true(vt_expect(vt, expect, WS_WAIT));
	return vt;
}

static struct vt *
console(const char *staff, const char *expect)
{
	return console_at(24, staff, expect);
}

static void
test_prefecture_halls(void **state)
{
	char *t1 = issue_gaoan(), *t2, line[96];
	const char *p1[1] = { t1 };
	long n = waiting_gaoan(), before, audits, greens;
	struct vt *sup;
	int at, bar;

	(void)state;
	/* no hall of its own: straight to the halls below, the whole list on
	 * a terminal tall enough */
	sup = console_at(tall("3609"), "ycsuper", "辖区各厅 · 宜春市医疗保障服务中心");
	assert_true(vt_expect(sup, "丰城市医疗保障服务中心", WS_WAIT));
	assert_true(vt_expect(sup, "剑光街道医保所", WS_WAIT));
	assert_true(ws_row_expect(sup, "高安市医疗保障服务中心", (const char *const[]){ "0/4", NULL },
	    WS_WAIT));
	assert_true(ws_row_expect(sup, "丰城市医疗保障服务中心", (const char *const[]){ "/8", NULL },
	    WS_WAIT));
	assert_true(vt_expect(sup, "筠阳街道医保所", WS_WAIT));
	assert_false(vt_find(sup, "东湖区", NULL, NULL));
	assert_false(vt_find(sup, "南昌市", NULL, NULL));
	/* the townships are indented below their county */
	{
		int c1, c2;

		assert_true(vt_find(sup, "丰城市医疗保障服务中心", NULL, &c1));
		assert_true(vt_find(sup, "剑光街道医保所", NULL, &c2));
		assert_true(c2 > c1);
	}
	vt_key(sup, VT_KEY_ESC);	/* F10 in the list is 返回 too */
	assert_true(vt_expect(sup, "您好", WS_WAIT));
	ws_sign_out(&sup);

	/* at 80×24 */
	sup = console("ycsuper", "辖区各厅 · 宜春市医疗保障服务中心");
	/* the list's key bar: Enter opens the chosen office's hall */
	assert_true(vt_expect(sup, "查看实况", WS_WAIT));
	assert_true(vt_find(sup, "查看实况", &bar, NULL));
	assert_int_equal(bar, 23);
	/* ↓ to 高安 (the offices before it in tree order): the list scrolls
	 * to keep it in sight; Enter */
	at = (int)ws_sql_long("SELECT count(*) FROM yc.office WHERE code LIKE '3609%' AND "
	    "(code COLLATE \"C\") < '" GAOAN "'", 0, NULL);
	for (int i = 0; i < at; i++)
		vt_key(sup, VT_KEY_DOWN);
	assert_true(ws_row_expect(sup, "高安市医疗保障服务中心", (const char *const[]){ "0/4", NULL },
	    WS_WAIT));
	vt_settle(sup, 100, 1000);
	vt_key(sup, VT_KEY_ENTER);
	snprintf(line, sizeof line, "等候 %ld 人", n);
	assert_true(ws_row_expect(sup, "大厅实况", (const char *const[]){ "高安市医疗保障服务中心", line,
	    NULL }, WS_WAIT));
	assert_true(ws_row_expect(sup, "1号窗口", (const char *const[]){ "未登录", NULL }, WS_WAIT));
	assert_true(vt_expect(sup, "4号窗口", WS_WAIT));
	/* the hall's keys, F9 back to the list among them */
	assert_true(ws_row_expect(sup, "F10返回", (const char *const[]){ "F3改派", "F9辖区各厅", NULL },
	    WS_WAIT));
	assert_false(vt_find(sup, "5号窗口", NULL, NULL));	/* 高安 has four */

	/* another ticket at 高安: the count follows, no key pressed */
	t2 = issue_gaoan();
	snprintf(line, sizeof line, "等候 %ld 人", n + 1);
	assert_true(ws_row_expect(sup, "大厅实况", (const char *const[]){ "高安市医疗保障服务中心", line,
	    NULL }, WS_WAIT));

	/* F3: the first ticket goes to window 2 of 高安 */
	audits = ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE office_code = '" GAOAN "' AND "
	    "action = 'queue_reroute' AND staff_no = 'ycsuper'", 0, NULL);
	vt_key(sup, VT_KEY_F3);
	assert_true(vt_expect(sup, "改派等候中的号", WS_WAIT));
	vt_send(sup, t1);
	vt_key(sup, VT_KEY_ENTER);
	snprintf(line, sizeof line, "将 %s 改派到窗口号", t1);
	assert_true(vt_expect(sup, line, WS_WAIT));
	vt_send(sup, "\025" "2");
	vt_key(sup, VT_KEY_ENTER);
	snprintf(line, sizeof line, "%s 已改派到 2号窗口", t1);
	assert_true(vt_expect(sup, line, WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT transfer_to FROM yc.ticket WHERE office_code = '" GAOAN "' "
	    "AND number = $1 AND day = " TODAY, 1, p1), 2);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE office_code = '" GAOAN "' "
	    "AND action = 'queue_reroute' AND staff_no = 'ycsuper' AND after->>'number' = $1 AND "
	    "after->>'supervisor_office' = '3609'", 1, p1), 1);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE office_code = '" GAOAN "' "
	    "AND action = 'queue_reroute' AND staff_no = 'ycsuper'", 0, NULL), audits + 1);

	/* F2: a 绿色通道 ticket of 高安 (no clerk signed in: it waits first) */
	greens = ws_sql_long("SELECT count(*) FROM yc.ticket WHERE office_code = '" GAOAN "' AND day = "
	    TODAY " AND class = 'green'", 0, NULL);
	before = waiting_gaoan();
	vt_key(sup, VT_KEY_F2);
	assert_true(vt_expect(sup, "绿色通道：身份证号码", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "送到几号窗口", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	snprintf(line, sizeof line, "等候 %ld 人", before + 1);
	assert_true(ws_row_expect(sup, "大厅实况", (const char *const[]){ "高安市医疗保障服务中心", line,
	    NULL }, WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.ticket WHERE office_code = '" GAOAN "' AND "
	    "day = " TODAY " AND class = 'green'", 0, NULL), greens + 1);
	assert_true(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE office_code = '" GAOAN "' AND "
	    "action = 'queue_issue' AND staff_no = 'ycsuper' AND after->>'class' = 'green'", 0, NULL) >= 1);

	/* Esc: the list again, 高安 still chosen; Esc: the workbench */
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "辖区各厅 · 宜春市医疗保障服务中心", WS_WAIT));
	assert_true(ws_row_expect(sup, "高安市医疗保障服务中心", (const char *const[]){ "0/4", NULL },
	    WS_WAIT));
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "您好", WS_WAIT));
	ws_sign_out(&sup);
	free(t1);
	free(t2);
}

static void
test_county_f9(void **state)
{
	struct vt *sup;
	int bar;

	(void)state;
	/* a county with a hall of its own starts there */
	sup = console("super1", "大厅实况");
	assert_true(vt_expect(sup, "丰城市医疗保障服务中心", WS_WAIT));
	/* F9 is on the bar at 80 columns */
	assert_true(vt_expect(sup, "辖区各厅", WS_WAIT));
	assert_true(vt_find(sup, "辖区各厅", &bar, NULL));
	assert_int_equal(bar, 23);
	vt_send(sup, "\0339");	/* Esc 9 = F9 */
	assert_true(vt_expect(sup, "辖区各厅 · 丰城市医疗保障服务中心", WS_WAIT));
	/* taller: the whole list of 丰城 and below, nothing else */
	vt_resize(sup, tall(MY_COUNTY), 80);
	assert_true(vt_expect(sup, "剑光街道某社区医保站", WS_WAIT));
	assert_true(vt_expect(sup, "河洲街道医保所", WS_WAIT));
	assert_false(vt_find(sup, "高安市", NULL, NULL));
	assert_false(vt_find(sup, "宜春市", NULL, NULL));
	/* smaller terminals: the list shrinks, the bar keeps 返回 */
	vt_resize(sup, 12, 40);
	assert_true(vt_expect_gone(sup, "河洲街道医保所", WS_WAIT));
	assert_true(vt_expect(sup, "辖区各厅", WS_WAIT));
	assert_true(ws_row_expect(sup, "F10", (const char *const[]){ "返回", NULL }, WS_WAIT));
	vt_resize(sup, 24, 80);
	assert_true(vt_expect(sup, "辖区各厅 · 丰城市医疗保障服务中心", WS_WAIT));
	/* Esc: up to the own hall, Esc: the workbench */
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "大厅实况", WS_WAIT));
	assert_true(vt_expect(sup, "8号窗口", WS_WAIT));
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "您好", WS_WAIT));
	ws_sign_out(&sup);
}

static void
test_province(void **state)
{
	struct vt *sup;
	char *screen;

	(void)state;
	/* an overdue case of 高安, due on the first working day of the
	 * calendar: the most urgent of the province */
	ws_sql_long("INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version,"
	    " id_no, status, first_staff_no, accepted_at, promised_date, limit_days)"
	    " SELECT '" GAOAN "', '" CASE_NO "', ct.code, ct.version, '360983195604120017', 'in_progress',"
	    " 'gaoan1', '2023-12-28 09:00+08', '2024-01-02', 3"
	    " FROM yc.case_type ct ORDER BY ct.code, ct.version LIMIT 1"
	    " ON CONFLICT DO NOTHING RETURNING 1", 0, NULL);
	sup = console_at(tall("36") + 12, "jxsuper", "辖区各厅 · 江西省医疗保障服务中心");
	assert_true(vt_expect(sup, "南昌市医疗保障服务中心", WS_WAIT));
	assert_true(vt_expect(sup, "东湖区医疗保障服务中心", WS_WAIT));
	assert_true(vt_expect(sup, "宜春市医疗保障服务中心", WS_WAIT));
	assert_true(vt_expect(sup, "丰城市医疗保障服务中心", WS_WAIT));
	/* F7: the near-due and overdue cases below, each with its office */
	vt_key(sup, VT_KEY_F7);
	assert_true(vt_expect(sup, "临期与超期件", WS_WAIT));
	assert_true(ws_row_expect(sup, CASE_NO, (const char *const[]){ "高安市医疗保障服务中心", NULL },
	    WS_WAIT));
	screen = vt_screen_text(sup);
	assert_non_null(strstr(screen, "东湖区医疗保障服务中心"));	/* the list stays above */
	free(screen);
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "您好", WS_WAIT));
	ws_sign_out(&sup);
	ws_sql_long("DELETE FROM yc.service_case WHERE case_no = '" CASE_NO "'", 0, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefecture_halls),
		cmocka_unit_test(test_county_f9),
		cmocka_unit_test(test_province),
	};

	return cmocka_run_group_tests_name("screen_halls", tests, setup, NULL);
}
