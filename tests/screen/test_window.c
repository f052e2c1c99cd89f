/*
 * Calling at the window, as a clerk works it: F2 call, F3 recall, F4
 * no-show, Enter start with the service time ticking, F6 done; F8 transfer
 * to another window, back to the queue in the original place, hold and
 * call back; F9 pause (the screen locks) and resume; the waiting counts
 * change live when a kiosk issues a ticket; the guide desk's 绿色通道
 * ticket, issued while no window is free, goes before anyone else
 * (tests/screen/test_green.c: straight to a window).
 *
 * Office 360981002 (河洲街道医保所, 2 windows) gets two test clerks so no
 * other suite's tickets are in its queue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen/ws.h"

#define OFFICE "360981002"

static int
setup(void **state)
{
	(void)state;
	ws_sql_long("INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES "
	    "('twin1', '黄晓明', 'clerk', '" OFFICE "', yc.hash_password('Demo-1234')), "
	    "('twin2', '孙丽', 'clerk', '" OFFICE "', yc.hash_password('Demo-1234')) "
	    "ON CONFLICT (staff_no) DO NOTHING", 0, NULL);
	ws_sql_long("UPDATE yc.ticket SET status = 'cancelled', finished_at = now() "
	    "WHERE office_code = '" OFFICE "' AND status IN ('waiting', 'called', 'serving', 'held')",
	    0, NULL);
	return 0;
}

static char *
issue(void)
{
	char *number = ws_run("ticket issue --office " OFFICE);

	assert_true(strlen(number) >= 4);
	return number;
}

static const char *
status_of(const char *number)
{
	static char st[32];
	const char *p[] = { number };
	long code = ws_sql_long("SELECT CASE status WHEN 'waiting' THEN 1 WHEN 'called' THEN 2 "
	    "WHEN 'serving' THEN 3 WHEN 'held' THEN 4 WHEN 'served' THEN 5 WHEN 'no_show' THEN 6 "
	    "WHEN 'cancelled' THEN 7 END FROM yc.ticket WHERE office_code = '" OFFICE "' "
	    "AND number = $1 AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date", 1, p);
	const char *names[] = { "none", "waiting", "called", "serving", "held", "served", "no_show",
		"cancelled" };

	snprintf(st, sizeof st, "%s", names[code >= 0 && code <= 7 ? code : 0]);
	return st;
}

static struct vt *
at_window(const char *staff, const char *window)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);

	ws_login(vt, staff, "Demo-1234", window);
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	assert_true(vt_expect(vt, "F2叫号", WS_WAIT));
	return vt;
}

static void
expect_called(struct vt *vt, const char *number, const char *window)
{
	char text[64];

	snprintf(text, sizeof text, "请 %s 号到 %s 号窗口", number, window);
	assert_true(vt_expect(vt, text, WS_WAIT));
}

/* F2 calls number to window, F6 finishes it. */
static void
call_and_finish(struct vt *vt, const char *number, const char *window)
{
	vt_key(vt, VT_KEY_F2);
	expect_called(vt, number, window);
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "办理完毕", WS_WAIT));
}

static void
test_call_recall_noshow_start_done(void **state)
{
	char *t1 = issue(), *t2 = issue();
	struct vt *vt = at_window("twin1", "1");
	const char *p[] = { t1 };

	(void)state;
	assert_true(vt_expect(vt, "普通 2", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	expect_called(vt, t1, "1");
	assert_string_equal(status_of(t1), "called");
	vt_key(vt, VT_KEY_F3);
	assert_true(vt_expect(vt, "再次请", WS_WAIT));	/* the recall is done, not just the call */
	assert_true(vt_expect(vt, "已叫号", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT recalls FROM yc.ticket WHERE office_code = '" OFFICE "' "
	    "AND number = $1 AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date", 1, p), 1);
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "已过号", WS_WAIT));	/* the message: 过号 alone is on the F-key bar */
	assert_string_equal(status_of(t1), "no_show");
	vt_key(vt, VT_KEY_F2);
	expect_called(vt, t2, "1");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "办理中", WS_WAIT));
	/* The service time ticks on its own. */
	assert_true(vt_expect(vt, "00:02", 5000));
	assert_string_equal(status_of(t2), "serving");
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "办理完毕", WS_WAIT));
	assert_string_equal(status_of(t2), "served");
	ws_sign_out(&vt);
	free(t1);
	free(t2);
}

static void
test_transfer_back_to_queue_and_hold(void **state)
{
	char *ta = issue(), *tb = issue();
	struct vt *w1 = at_window("twin1", "1"), *w2;

	(void)state;
	vt_key(w1, VT_KEY_F2);
	expect_called(w1, ta, "1");
	/* F8 1: to window 2. */
	vt_key(w1, VT_KEY_F8);
	assert_true(vt_expect(w1, "转到其他窗口", WS_WAIT));
	vt_send(w1, "1");
	assert_true(vt_expect(w1, "转到几号窗口", WS_WAIT));
	vt_send(w1, "2");
	vt_key(w1, VT_KEY_ENTER);
	assert_true(vt_expect(w1, "已转到 2号窗口", WS_WAIT));
	assert_string_equal(status_of(ta), "waiting");
	/* Window 2 gets it first although tb waits too. */
	w2 = at_window("twin2", "2");
	vt_key(w2, VT_KEY_F2);
	expect_called(w2, ta, "2");
	/* Back to the queue in its original place: window 1 gets ta before tb. */
	vt_key(w2, VT_KEY_F8);
	assert_true(vt_expect(w2, "转到其他窗口", WS_WAIT));
	vt_send(w2, "2");
	assert_true(vt_expect(w2, "已退回队列", WS_WAIT));
	ws_sign_out(&w2);
	vt_key(w1, VT_KEY_F2);
	expect_called(w1, ta, "1");
	/* Hold ta, serve tb, call ta back. */
	vt_key(w1, VT_KEY_F8);
	assert_true(vt_expect(w1, "转到其他窗口", WS_WAIT));
	vt_send(w1, "3");
	assert_true(vt_expect(w1, "已挂起", WS_WAIT));
	assert_string_equal(status_of(ta), "held");
	call_and_finish(w1, tb, "1");
	vt_key(w1, VT_KEY_F8);
	assert_true(vt_expect(w1, "转到其他窗口", WS_WAIT));
	vt_send(w1, "4");
	assert_true(vt_expect(w1, "叫回哪个号？", WS_WAIT));	/* the menu, not the held line */
	assert_true(vt_expect(w1, ta, WS_WAIT));
	vt_send(w1, "1");
	expect_called(w1, ta, "1");
	vt_key(w1, VT_KEY_F6);
	assert_true(vt_expect(w1, "办理完毕", WS_WAIT));
	assert_string_equal(status_of(ta), "served");
	assert_string_equal(status_of(tb), "served");
	ws_sign_out(&w1);
	free(ta);
	free(tb);
}

static void
test_pause_locks_and_blocks_calls(void **state)
{
	char *t = issue();
	struct vt *vt = at_window("twin1", "1");

	(void)state;
	vt_key(vt, VT_KEY_F9);
	assert_true(vt_expect(vt, "暂停原因", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "屏幕已锁定", WS_WAIT));
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "本窗口已暂停（休息）", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "本窗口已暂停，请先恢复", WS_WAIT));
	assert_string_equal(status_of(t), "waiting");
	vt_key(vt, VT_KEY_F9);
	assert_true(vt_expect(vt, "窗口已恢复", WS_WAIT));
	call_and_finish(vt, t, "1");
	ws_sign_out(&vt);
	free(t);
}

/* A ticket issued elsewhere shows in the counts without a key press. */
static void
test_counts_update_live(void **state)
{
	struct vt *vt = at_window("twin1", "1");
	char *t;

	(void)state;
	assert_true(vt_expect(vt, "普通 0", WS_WAIT));
	t = issue();
	assert_true(vt_expect(vt, "普通 1", 3000));
	call_and_finish(vt, t, "1");
	ws_sign_out(&vt);
	free(t);
}

/* The guide desk issues a green-channel ticket while no window is free
 * (nobody is signed in): the next window that calls takes it before the
 * walk-ins. */
static void
test_green_channel_first(void **state)
{
	struct vt *g = ws_start(24, 80, NULL, NULL, NULL), *w;
	char *walkin = ws_run("ticket issue --office 360981"), green[16] = "", text[96];
	char *row;
	int r, c;

	(void)state;
	ws_sql_long("UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test' "
	    "WHERE office_code = '360981' AND window_no IS NOT NULL AND ended_at IS NULL", 0, NULL);
	ws_login(g, "guide1", "Demo-1234", "");
	assert_true(vt_expect(g, "吴静，您好！", WS_WAIT));
	vt_key(g, VT_KEY_F2);
	assert_true(vt_expect(g, "绿色通道", WS_WAIT));
	vt_key(g, VT_KEY_ENTER);
	assert_true(vt_expect(g, "送到几号窗口", WS_WAIT));
	vt_key(g, VT_KEY_ENTER);
	assert_true(vt_expect(g, "暂无空闲窗口，已排在最前", WS_WAIT));
	assert_true(vt_find(g, "暂无空闲窗口", &r, &c));
	row = vt_row_text(g, r);
	sscanf(strstr(row, "绿色通道 ") + strlen("绿色通道 "), "%15[A-Z0-9]", green);
	free(row);
	assert_int_equal(green[0], 'G');
	ws_sign_out(&g);
	w = at_window("clerk1", "8");
	/* 不用排队、叫号: the clerk is told the guide brings the citizen, and
	 * the calling board never announces it */
	vt_key(w, VT_KEY_F2);
	snprintf(text, sizeof text, "绿色通道 %s：导服人员陪同到 8 号窗口", green);
	assert_true(vt_expect(w, text, WS_WAIT));
	assert_true(vt_expect(w, "导服人员陪同到窗（不叫号）", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.queue_recent_calls('360981', 50) WHERE number = $1",
	    1, (const char *[]){ green }), 0);
	vt_key(w, VT_KEY_F6);
	assert_true(vt_expect(w, "办理完毕", WS_WAIT));
	ws_sign_out(&w);
	free(walkin);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_recall_noshow_start_done),
		cmocka_unit_test(test_transfer_back_to_queue_and_hold),
		cmocka_unit_test(test_pause_locks_and_blocks_calls),
		cmocka_unit_test(test_counts_update_live),
		cmocka_unit_test(test_green_channel_first),
	};

	return cmocka_run_group_tests_name("screen: window", tests, setup, NULL);
}
