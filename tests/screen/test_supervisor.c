/*
 * The shift supervisor's console, as 值班长 super1 works it in office
 * 360981 while clerk1 serves at window 3 in another terminal: the console
 * (F4 on the supervisor's workbench) shows window 3 with the clerk, 办理中,
 * the ticket number and the service time ticking; the waiting count
 * changes live when a ticket is issued; F3 re-routes a waiting ticket to
 * window 3, which calls it next; F4 lists the 差评 and Enter writes the
 * follow-up note. On a tall terminal the charts appear, in block
 * characters, or in '#' on a vt100 without UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen/ws.h"

#define OFFICE "360981"
#define TODAY "(now() AT TIME ZONE 'Asia/Shanghai')::date"

static int
setup(void **state)
{
	(void)state;
	ws_drain_office();
	/* Only this test's 差评 waits for follow-up. */
	ws_sql_long("UPDATE yc.rating SET handled_at = now(), handled_by = 'super1', "
	    "follow_up = 'tests/screen/supervisor setup' WHERE office_code LIKE '" OFFICE "%' "
	    "AND flagged AND handled_at IS NULL", 0, NULL);
	ws_reset_staff("clerk1");
	ws_reset_staff("super1");
	return 0;
}

static char *
issue(void)
{
	char *number = ws_run("ticket issue --office " OFFICE);

	assert_true(strlen(number) >= 4);
	return number;
}

/* The text of the screen row that contains needle ("" when none; malloc'd). */
static char *
row_with(struct vt *vt, const char *needle)
{
	int row;

	if (!vt_find(vt, needle, &row, NULL))
		return strdup("");
	return vt_row_text(vt, row);
}

/* Waits until the row holding key also holds each of want (NULL-ended). */
static bool
row_expect(struct vt *vt, const char *key, const char *const *want, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 100) {
		char *row = row_with(vt, key);
		bool all = row[0] != '\0';

		for (int i = 0; all && want[i] != NULL; i++)
			all = strstr(row, want[i]) != NULL;
		if (all) {
			free(row);
			return true;
		}
		if (waited + 100 > timeout_ms) {
			char *screen = vt_screen_text(vt);

			fprintf(stderr, "row with \"%s\" never held all of it; last: \"%s\"\n%s\n", key, row,
			    screen);
			free(screen);
		}
		free(row);
		vt_settle(vt, 50, 100);
	}
	return false;
}

static struct vt *
supervisor(int rows, int cols, const char *const *env)
{
	struct vt *vt = ws_start(rows, cols, env, NULL, NULL);

	ws_login(vt, "super1", "Demo-1234", "");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_send(vt, "\0334");	/* Esc 4 = F4: the console */
	assert_true(vt_expect(vt, "大厅实况", WS_WAIT));
	return vt;
}

/* Esc from the console to the workbench, and sign out. */
static void
leave(struct vt **vt)
{
	vt_key(*vt, VT_KEY_ESC);
	assert_true(vt_expect(*vt, "您好", WS_WAIT));
	vt_send(*vt, "\0330");	/* Esc 0 = F10, on a vt100 too */
	assert_true(vt_expect(*vt, "已注销", WS_WAIT));
	assert_true(vt_expect(*vt, "柜员登录", WS_WAIT));
	vt_free(vt);
}

static void
test_console(void **state)
{
	char *t1 = issue(), *t2 = issue(), *t3 = issue(), *t4;
	struct vt *clerk = ws_start(24, 80, NULL, NULL, NULL), *sup;
	char line[64], *row;
	const char *p3[] = { t3 };

	(void)state;
	ws_login(clerk, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(clerk, "您好", WS_WAIT));
	vt_key(clerk, VT_KEY_F2);
	snprintf(line, sizeof line, "请 %s 号到 3 号窗口", t1);
	assert_true(vt_expect(clerk, line, WS_WAIT));
	vt_key(clerk, VT_KEY_ENTER);
	assert_true(vt_expect(clerk, "办理中", WS_WAIT));

	sup = supervisor(24, 80, NULL);
	/* window 3: the clerk, serving, the ticket; the time ticks */
	assert_true(row_expect(sup, "3号窗口", (const char *const[]){ "欧阳娜娜 clerk1", "办理中", t1,
	    NULL }, WS_WAIT));
	assert_true(row_expect(sup, "3号窗口", (const char *const[]){ "00:02", NULL }, 6000));
	assert_true(row_expect(sup, "1号窗口", (const char *const[]){ "未登录", NULL }, WS_WAIT));
	assert_true(vt_expect(sup, "等候 2 人", WS_WAIT));
	assert_true(row_expect(sup, "最长等候", (const char *const[]){ "00:", NULL }, WS_WAIT));

	/* a kiosk issues a ticket: the count changes without a key */
	t4 = issue();
	assert_true(vt_expect(sup, "等候 3 人", WS_WAIT));

	/* F3: re-route t3 to window 3 */
	vt_key(sup, VT_KEY_F3);
	assert_true(vt_expect(sup, "改派等候中的号", WS_WAIT));
	vt_send(sup, t3);
	vt_key(sup, VT_KEY_ENTER);
	snprintf(line, sizeof line, "将 %s 改派到窗口号", t3);
	assert_true(vt_expect(sup, line, WS_WAIT));
	vt_send(sup, "\025" "3");	/* Ctrl-U, then window 3 */
	vt_key(sup, VT_KEY_ENTER);
	snprintf(line, sizeof line, "%s 已改派到 3号窗口", t3);
	assert_true(vt_expect(sup, line, WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT transfer_to FROM yc.ticket WHERE office_code = '" OFFICE "' "
	    "AND number = $1 AND day = " TODAY, 1, p3), 3);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE office_code = '" OFFICE "' "
	    "AND action = 'queue_reroute' AND staff_no = 'super1' AND after->>'number' = $1", 1, p3), 1);

	/* window 3 calls next: t3 before t2; the console follows */
	vt_key(clerk, VT_KEY_F2);
	snprintf(line, sizeof line, "请 %s 号到 3 号窗口", t3);
	assert_true(vt_expect(clerk, line, WS_WAIT));
	assert_true(row_expect(sup, "3号窗口", (const char *const[]){ "已叫号", t3, NULL }, WS_WAIT));
	assert_true(vt_expect(sup, "等候 2 人", WS_WAIT));

	/* the clerk leaves: no-show, sign out; the console shows it */
	vt_key(clerk, VT_KEY_F4);
	assert_true(vt_expect(clerk, "过号", WS_WAIT));
	ws_sign_out(&clerk);
	assert_true(row_expect(sup, "3号窗口", (const char *const[]){ "未登录", NULL }, WS_WAIT));
	row = row_with(sup, "3号窗口");
	assert_null(strstr(row, "clerk1"));
	free(row);

	/* Esc: back to the workbench */
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "您好", WS_WAIT));
	ws_sign_out(&sup);
	ws_drain_office();
	free(t1);
	free(t2);
	free(t3);
	free(t4);
}

static void
test_poor_rating_follow_up(void **state)
{
	struct vt *sup;
	long id = ws_sql_long("INSERT INTO yc.rating (office_code, staff_no, window_no, grade, rated_at) "
	    "VALUES ('" OFFICE "', 'clerk2', 2, 5, now()) RETURNING rating_id", 0, NULL);
	char sid[24], *note;
	const char *p[] = { sid };

	(void)state;
	snprintf(sid, sizeof sid, "%ld", id);
	sup = supervisor(24, 80, NULL);
	vt_key(sup, VT_KEY_F4);
	assert_true(vt_expect(sup, "待回访差评：1 条", WS_WAIT));
	assert_true(row_expect(sup, "非常不满意", (const char *const[]){ "王芳 clerk2", "2号窗口", NULL },
	    WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "处理情况", WS_WAIT));
	vt_send(sup, "已电话回访，群众表示理解");
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "回访说明已保存", WS_WAIT));
	assert_true(vt_expect(sup, "没有待回访的差评", WS_WAIT));
	note = ws_sql_text("SELECT handled_by || ' ' || follow_up FROM yc.rating WHERE rating_id = $1::bigint",
	    1, p);
	assert_string_equal(note, "super1 已电话回访，群众表示理解");
	free(note);
	assert_true(ws_count_audit("super1", "rating_follow_up") >= 1);
	/* Esc: the hall again, Esc: the workbench */
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "大厅实况", WS_WAIT));
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "您好", WS_WAIT));
	ws_sign_out(&sup);
}

/* Today has tickets (the first test): a tall terminal shows both charts. */
static void
test_charts(void **state)
{
	const char *vt100[] = { "TERM=vt100", "LANG=C", NULL };
	struct vt *sup;
	char *screen;

	(void)state;
	sup = supervisor(40, 100, NULL);
	assert_true(vt_expect(sup, "今日每小时取号数", WS_WAIT));
	assert_true(vt_expect(sup, "今日等候时长分布", WS_WAIT));
	assert_true(vt_expect(sup, "█", WS_WAIT));
	leave(&sup);

	sup = supervisor(40, 100, vt100);
	assert_true(vt_expect(sup, "今日每小时取号数", WS_WAIT));
	assert_true(vt_expect(sup, "#", WS_WAIT));
	screen = vt_screen_text(sup);
	assert_null(strstr(screen, "█"));
	assert_null(strstr(screen, "▏"));
	free(screen);
	leave(&sup);

	/* 80×24: no room for the charts, the windows all shown */
	sup = supervisor(24, 80, NULL);
	assert_true(vt_expect(sup, "8号窗口", WS_WAIT));
	assert_false(vt_find(sup, "今日每小时取号数", NULL, NULL));
	leave(&sup);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_poor_rating_follow_up),
		cmocka_unit_test(test_charts),
	};

	return cmocka_run_group_tests_name("screen_supervisor", tests, setup, NULL);
}
