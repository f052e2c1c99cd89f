/*
 * 绿色通道 means no queue and no calling (seed 001 item 20): the guide desk
 * sends the ticket to a window it names, and the clerk there sees it
 * arrive without pressing a key, never called and never on the board; at
 * a township without a guide desk the clerk at a window issues one with G,
 * to a colleague's window or, by default, to the own one; at the city
 * hall, which has a guide desk, G at a window is refused. The
 * supervisor's console asks the window the same way.
 *
 * City hall 360981: guide1 and clerk2 at window 5. Township 360981002
 * (河洲街道医保所, 2 windows) gets two test clerks of its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen/ws.h"

#define TOWN "360981002"

static int
setup(void **state)
{
	(void)state;
	ws_sql_long("INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES "
	    "('tgrn1', '邓佳', 'clerk', '" TOWN "', yc.hash_password('Demo-1234')), "
	    "('tgrn2', '罗勇', 'clerk', '" TOWN "', yc.hash_password('Demo-1234')) "
	    "ON CONFLICT (staff_no) DO NOTHING", 0, NULL);
	ws_sql_long("UPDATE yc.ticket SET status = 'cancelled', finished_at = now(), transfer_to = NULL "
	    "WHERE office_code = '" TOWN "' AND status IN ('waiting', 'called', 'serving', 'held')",
	    0, NULL);
	ws_sql_long("UPDATE yc.window_state SET state = 'idle', current_ticket_id = NULL, "
	    "pause_reason = NULL WHERE office_code = '" TOWN "'", 0, NULL);
	return 0;
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

/* The green ticket number G… that follows prefix ("…G") on the screen
 * ("" when none). */
static void
number_after(struct vt *vt, const char *prefix, char out[16])
{
	int r, c;
	char *row, *at;

	out[0] = '\0';
	if (!vt_find(vt, prefix, &r, &c))
		return;
	row = vt_row_text(vt, r);
	at = strstr(row, prefix);
	if (at != NULL) {
		out[0] = 'G';
		sscanf(at + strlen(prefix), "%14[0-9]", out + 1);
	}
	free(row);
}

static long
on_board(const char *office, const char *number)
{
	const char *p[] = { office, number };

	return ws_sql_long("SELECT count(*) FROM yc.queue_recent_calls($1, 50) WHERE number = $2", 2, p);
}

/* The guide names window 5: the clerk there sees the ticket arrive by
 * itself; the board never shows it. */
static void
test_guide_sends_to_window(void **state)
{
	struct vt *w = at_window("clerk2", "5"), *g = ws_start(24, 80, NULL, NULL, NULL);
	char green[16], text[96];

	(void)state;
	/* the city hall has a guide desk: G at a window is not the clerk's */
	vt_send(w, "g");
	assert_true(vt_expect(w, "绿色通道号须由导服台或值班长发放", WS_WAIT));
	ws_login(g, "guide1", "Demo-1234", "");
	assert_true(vt_expect(g, "吴静，您好！", WS_WAIT));
	vt_key(g, VT_KEY_F2);
	assert_true(vt_expect(g, "身份证号码", WS_WAIT));
	vt_key(g, VT_KEY_ENTER);
	assert_true(vt_expect(g, "送到几号窗口（回车：下一个空闲窗口）", WS_WAIT));
	vt_send(g, "5");
	vt_key(g, VT_KEY_ENTER);
	assert_true(vt_expect(g, "号窗口。", WS_WAIT));
	number_after(g, "绿色通道 G", green);
	assert_true(strlen(green) >= 4);
	snprintf(text, sizeof text, "绿色通道 %s 已送到 5 号窗口", green);
	assert_true(vt_expect(g, text, WS_WAIT));
	/* window 5, without a key press */
	snprintf(text, sizeof text, "绿色通道 %s：导服人员陪同到 5 号窗口", green);
	assert_true(vt_expect(w, text, WS_WAIT));
	snprintf(text, sizeof text, "当前 %s：绿色通道，导服人员陪同到窗（不叫号）", green);
	assert_true(vt_expect(w, text, WS_WAIT));
	assert_int_equal(on_board("360981", green), 0);
	vt_key(w, VT_KEY_ENTER);
	assert_true(vt_expect(w, "办理中", WS_WAIT));
	vt_key(w, VT_KEY_F6);
	assert_true(vt_expect(w, "办理完毕", WS_WAIT));
	ws_sign_out(&g);
	ws_sign_out(&w);
}

/* The supervisor's console (F4, then F2) asks the window too: one the
 * office does not have is refused with nothing issued; window 5 gets it. */
static void
test_console_sends_to_window(void **state)
{
	struct vt *w = at_window("clerk2", "5"), *sup = ws_start(24, 80, NULL, NULL, NULL);
	long before = ws_sql_long("SELECT count(*) FROM yc.ticket WHERE office_code = '360981' "
	    "AND class = 'green'", 0, NULL);
	char green[16], text[96];

	(void)state;
	ws_login(sup, "super1", "Demo-1234", "");
	assert_true(vt_expect(sup, "您好", WS_WAIT));
	vt_key(sup, VT_KEY_F4);
	assert_true(vt_expect(sup, "大厅实况", WS_WAIT));
	vt_key(sup, VT_KEY_F2);
	assert_true(vt_expect(sup, "身份证号码", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "送到几号窗口（回车：下一个空闲窗口）", WS_WAIT));
	vt_send(sup, "9");
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "本机构没有这个窗口", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.ticket WHERE office_code = '360981' "
	    "AND class = 'green'", 0, NULL), before);
	vt_key(sup, VT_KEY_F2);
	assert_true(vt_expect(sup, "身份证号码", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "送到几号窗口", WS_WAIT));
	vt_send(sup, "5");
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "已送到 5 号窗口", WS_WAIT));
	number_after(sup, "绿色通道 G", green);
	assert_true(strlen(green) >= 4);
	snprintf(text, sizeof text, "绿色通道 %s：导服人员陪同到 5 号窗口", green);
	assert_true(vt_expect(w, text, WS_WAIT));
	vt_key(w, VT_KEY_F6);
	assert_true(vt_expect(w, "办理完毕", WS_WAIT));
	vt_key(sup, VT_KEY_ESC);
	ws_sign_out(&sup);
	ws_sign_out(&w);
}

/* A township has no guide desk: the clerk at window 1 issues with G, to
 * window 2 (whose clerk sees it arrive), then to the own window (Enter). */
static void
test_township_clerk_issues(void **state)
{
	struct vt *w1 = at_window("tgrn1", "1"), *w2 = at_window("tgrn2", "2");
	char green[16], text[128];

	(void)state;
	assert_true(vt_expect(w1, "G 绿色通道", WS_WAIT));	/* the hint line */
	vt_key(w1, VT_KEY_F1);
	assert_true(vt_expect(w1, "柜员在窗口发放绿色通道号", WS_WAIT));
	vt_key(w1, VT_KEY_ESC);
	assert_true(vt_expect(w1, "G 绿色通道", WS_WAIT));

	vt_send(w1, "G");
	assert_true(vt_expect(w1, "身份证号码", WS_WAIT));
	vt_key(w1, VT_KEY_ENTER);
	assert_true(vt_expect(w1, "送到几号窗口（回车：本窗口；0：下一个空闲窗口）", WS_WAIT));
	vt_send(w1, "2");
	vt_key(w1, VT_KEY_ENTER);
	assert_true(vt_expect(w1, "号窗口。", WS_WAIT));
	number_after(w1, "绿色通道 G", green);
	assert_true(strlen(green) >= 4);
	snprintf(text, sizeof text, "绿色通道 %s 已送到 2 号窗口", green);
	assert_true(vt_expect(w1, text, WS_WAIT));
	snprintf(text, sizeof text, "绿色通道 %s：直接到 2 号窗口办理（不叫号）", green);
	assert_true(vt_expect(w2, text, WS_WAIT));
	snprintf(text, sizeof text, "当前 %s：绿色通道（不叫号）", green);
	assert_true(vt_expect(w2, text, WS_WAIT));
	assert_int_equal(on_board(TOWN, green), 0);
	vt_key(w2, VT_KEY_F6);
	assert_true(vt_expect(w2, "办理完毕", WS_WAIT));

	/* Enter: the own window, on terminals without F-keys too (vt_send) */
	vt_send(w1, "g");
	assert_true(vt_expect(w1, "身份证号码", WS_WAIT));
	vt_key(w1, VT_KEY_ENTER);
	assert_true(vt_expect(w1, "回车：本窗口", WS_WAIT));
	vt_key(w1, VT_KEY_ENTER);
	assert_true(vt_expect(w1, "已送到 1 号窗口", WS_WAIT));
	number_after(w1, "当前 G", green);
	assert_true(strlen(green) >= 4);
	snprintf(text, sizeof text, "当前 %s：绿色通道（不叫号）", green);
	assert_true(vt_expect(w1, text, WS_WAIT));
	vt_key(w1, VT_KEY_F6);
	assert_true(vt_expect(w1, "办理完毕", WS_WAIT));
	ws_sign_out(&w2);
	ws_sign_out(&w1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_sends_to_window),
		cmocka_unit_test(test_console_sends_to_window),
		cmocka_unit_test(test_township_clerk_issues),
	};

	return cmocka_run_group_tests_name("screen: green channel", tests, setup, NULL);
}
