/*
 * Opening hours on screen, with the database's clock set through
 * PGOPTIONS on the superuser's connection (the application role could not
 * fake it), in an office of the test's own, 360981093 (a township of the
 * demo city with the default hours: working days 08:30-12:00 and
 * 14:30-17:30): on Saturday the kiosk says the hall takes no more tickets
 * today and opens on Monday at 08:30 (the time in large type), and a key
 * is refused by the server with the same sentence, nothing issued; at noon
 * it says tickets resume at 14:30 today; when an administrator gives the
 * office Saturday hours the waiting kiosk offers tickets by itself (LISTEN);
 * in the hours it issues one and shows today's hours; the calling board
 * shows today's hours; an administrator sees the week on F4 and changes a
 * day, and the system settings on F6 with a value refused and one saved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/bigfont.h"
#include "screen/ws.h"

#define OFFICE "360981093"

static char dir[64] = "/tmp/yc-hours-screen.XXXXXX";


static struct vt *
start_kiosk(const char *when)
{
	static char printer[128];
	const char *args[] = { "kiosk", "--office", OFFICE, "--printer", printer, "--result-seconds", "60",
	    NULL };

	snprintf(printer, sizeof printer, "file:%s/slips.txt", dir);
	return ws_start_at(when, args);
}

/* Whether text is on screen in large type (block ink, any size). */
static bool
screen_has_big(struct vt *vt, const char *text)
{
	for (int sz = BF_HALF; sz < BF_NSIZES; sz++) {
		struct bigfont b;
		bool found = false;

		if (!bigfont_render(text, (enum bigfont_size)sz, BF_INK_HALF, &b)) {
			bigfont_free(&b);
			continue;
		}
		for (int r = 0; !found && r + b.rows <= vt_rows(vt); r++)
			for (int c = 0; !found && c + b.width <= vt_cols(vt); c++)
				found = ws_big_at(vt, &b, r, c);
		bigfont_free(&b);
		if (found)
			return true;
	}
	return false;
}

/* The same, waiting for the screen to show it (up to WS_WAIT); the
 * screen is dumped to stderr when it never does. */
static bool
wait_big(struct vt *vt, const char *text)
{
	for (int waited = 0; waited < WS_WAIT; waited += 100) {
		vt_settle(vt, 50, 200);
		if (screen_has_big(vt, text))
			return true;
	}
	vt_dump(vt, stderr);
	return false;
}

static long
tickets(void)
{
	return ws_sql_long("SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'", 0, NULL);
}

static int
group_setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	ws_township(OFFICE, "营业时间画面测试街道");
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

/* The office with the default hours and no tickets. */
static int
test_setup(void **state)
{
	(void)state;
	ws_sql_long("WITH a AS (DELETE FROM yc.office_hours WHERE office_code = '" OFFICE "' RETURNING 1), "
	    "b AS (DELETE FROM yc.office_hours_exception WHERE office_code = '" OFFICE "' RETURNING 1), "
	    "c AS (DELETE FROM yc.ticket WHERE office_code = '" OFFICE "' RETURNING 1), "
	    "d AS (DELETE FROM yc.ticket_counter WHERE office_code = '" OFFICE "' RETURNING 1) "
	    "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c) "
	    "+ (SELECT count(*) FROM d)", 0, NULL);
	return 0;
}

/* Saturday: no more tickets today, Monday 08:30 in large type; a key is
 * refused by the server with the same sentence; nothing issued. */
static void
test_kiosk_closed(void **state)
{
	long mark = ws_sql_long("SELECT coalesce(max(audit_id), 0) FROM yc.audit_log", 0, NULL);
	const char *p[1];
	char id[19], marks[24];
	struct vt *vt = start_kiosk("2026-12-05T10:00:00+08");

	(void)state;
	snprintf(marks, sizeof marks, "%ld", mark);
	p[0] = marks;
	assert_true(vt_expect(vt, "本厅今日已停止取号", WS_WAIT));
	assert_true(vt_expect(vt, "下次开放：12月7日（周一）08:30", WS_WAIT));
	assert_true(wait_big(vt, "08:30"));
	assert_true(vt_expect(vt, "今日办公时间：休息", WS_WAIT));
	assert_false(vt_find(vt, "普通取号", NULL, NULL));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "本厅今日已停止取号，下次开放：12月7日（周一）08:30", WS_WAIT));
	assert_int_equal(tickets(), 0);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint AND "
	    "office_code = '" OFFICE "' AND action = 'queue_issue_refused' AND after->>'reason' = 'closed'",
	    1, p), 1);
	/* 3 (by ID card) is refused the same way */
	vt_send(vt, "3");
	assert_true(vt_expect(vt, "刷身份证", WS_WAIT));
	ws_idno("36098119580303001", id);
	vt_send(vt, id);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "本厅今日已停止取号，下次开放：12月7日（周一）08:30", WS_WAIT));
	assert_int_equal(tickets(), 0);
	vt_free(&vt);
}

/* At noon without noon service: paused, back at 14:30 today. */
static void
test_kiosk_noon(void **state)
{
	struct vt *vt = start_kiosk("2026-12-03T12:30:00+08");

	(void)state;
	assert_true(vt_expect(vt, "本厅暂停取号", WS_WAIT));
	assert_true(vt_expect(vt, "下次开放：今天 14:30", WS_WAIT));
	assert_true(wait_big(vt, "14:30"));
	assert_true(vt_expect(vt, "今日办公时间：08:30-12:00 14:30-17:30", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "本厅暂停取号，今天 14:30恢复取号。", WS_WAIT));
	assert_int_equal(tickets(), 0);
	vt_free(&vt);
}

/* An administrator gives the office Saturday hours: the kiosk waiting on
 * Saturday offers tickets without a key, and issues one. */
static void
test_kiosk_follows_a_change(void **state)
{
	struct vt *vt = start_kiosk("2026-12-05T10:00:00+08");
	char args[384], *out;

	(void)state;
	assert_true(vt_expect(vt, "本厅今日已停止取号", WS_WAIT));
	snprintf(args, sizeof args, "--db '%s' hours set --office " OFFICE " --day sat --hours 09:00-12:00 "
	    "--as-owner", getenv("YC_TEST_ADMIN_CONNINFO"));
	out = ws_run(args);
	free(out);
	assert_true(vt_expect(vt, "普通取号", WS_WAIT));
	assert_true(vt_expect(vt, "今日办公时间：09:00-12:00", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "您的号码", WS_WAIT));
	assert_int_equal(tickets(), 1);
	vt_free(&vt);
}

/* In the hours: tickets, and today's hours at the bottom. */
static void
test_kiosk_open(void **state)
{
	struct vt *vt = start_kiosk("2026-12-03T10:00:00+08");

	(void)state;
	assert_true(vt_expect(vt, "普通取号", WS_WAIT));
	assert_true(vt_expect(vt, "今日办公时间：08:30-12:00 14:30-17:30", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "您的号码", WS_WAIT));
	assert_true(wait_big(vt, "A001"));
	assert_int_equal(tickets(), 1);
	vt_free(&vt);
}

/* The calling board shows today's hours. */
static void
test_board_hours(void **state)
{
	const char *args[] = { "board", "--office", OFFICE, NULL };
	struct vt *vt;

	(void)state;
	vt = ws_start_at("2026-12-03T10:00:00+08", args);
	assert_true(vt_expect(vt, "今日 08:30-12:00 14:30-17:30 · 叫到号请到相应窗口办理", WS_WAIT));
	vt_free(&vt);
	vt = ws_start_at("2026-12-05T10:00:00+08", args);
	assert_true(vt_expect(vt, "今日 休息 · 叫到号", WS_WAIT));
	vt_free(&vt);
}

/* An administrator: F4 shows the week and changes a day (audited), F6 the
 * settings, a value out of range refused and one saved. */
static void
test_admin_screens(void **state)
{
	const char *args[] = { NULL };
	struct vt *vt;

	(void)state;
	ws_reset_staff("admin1");
	vt = ws_start_at("2026-12-03T10:00:00+08", args);
	ws_login(vt, "admin1", "Demo-1234", "");
	assert_true(vt_expect(vt, "营业时间", WS_WAIT));
	assert_true(vt_expect(vt, "系统设置", WS_WAIT));
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "营业时间 · 丰城市医疗保障服务中心（360981）", WS_WAIT));
	/* the demo city on the test cluster is open all day, every day */
	assert_true(vt_expect(vt, "今天 2026-12-03 周四（工作日）：营业中", WS_WAIT));
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "机构代码", WS_WAIT));
	vt_send(vt, OFFICE);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "营业时间画面测试街道（" OFFICE "）", WS_WAIT));
	assert_true(vt_expect(vt, "周一", WS_WAIT));
	assert_true(vt_expect(vt, "08:30-12:00 14:30-17:30", WS_WAIT));
	assert_true(vt_expect(vt, "（无）F2 新增", WS_WAIT));
	/* Saturday (the sixth row): from closed to a morning, then noon refused */
	for (int i = 0; i < 5; i++)
		vt_key(vt, VT_KEY_DOWN);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "周六 办公时间", WS_WAIT));
	vt_send(vt, "09:00-11:30");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "已保存", WS_WAIT));
	assert_true(vt_expect(vt, "09:00-11:30", WS_WAIT));
	assert_true(vt_expect(vt, "本机构设置（admin1）", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.office_hours WHERE office_code = '" OFFICE "' "
	    "AND dow = 6 AND morning_close = '11:30' AND updated_by = 'admin1'", 0, NULL), 1);
	assert_true(ws_count_audit("admin1", "hours_set") >= 1);
	vt_key(vt, VT_KEY_F3);
	assert_true(vt_expect(vt, "午间延时服务须有上午和下午两段时间", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "F6", WS_WAIT));

	/* the settings */
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "系统设置（适用于全部机构）", WS_WAIT));
	assert_true(vt_expect(vt, "工作站无操作多少分钟后自动锁屏", WS_WAIT));
	assert_true(vt_expect(vt, "idle_lock_minutes · 按 Enter 修改", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "（1-120，默认 10）", WS_WAIT));
	vt_send(vt, "\025");
	vt_send(vt, "500");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "idle_lock_minutes 须为 1 至 120 的整数", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, "\025");
	vt_send(vt, "12");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "idle_lock_minutes：10 → 12", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT value::int FROM yc.setting WHERE key = 'idle_lock_minutes'", 0,
	    NULL), 12);
	ws_sql_long("WITH s AS (UPDATE yc.setting SET value = '10' WHERE key = 'idle_lock_minutes' "
	    "RETURNING 1) SELECT count(*) FROM s", 0, NULL);
	vt_key(vt, VT_KEY_ESC);
	ws_sign_out(&vt);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_kiosk_closed),
		T(test_kiosk_noon),
		T(test_kiosk_follows_a_change),
		T(test_kiosk_open),
		T(test_board_hours),
		T(test_admin_screens),
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
