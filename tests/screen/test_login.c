/*
 * Sign-in and sign-out as a clerk sees them, through a real terminal:
 * the demo login, wrong passwords, the five-failure lock, window checks,
 * F10 and Esc-0, the help overlay, English and monochrome terminals, and
 * the clock in China time on a host in another time zone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen/ws.h"

static long
open_sessions(const char *staff)
{
	const char *p[] = { staff };

	return ws_sql_long("SELECT count(*) FROM yc.staff_session WHERE staff_no = $1 AND ended_at IS NULL",
	    1, p);
}

/* clerk1 signs in at window 3: the workbench greets 欧阳娜娜 with her
 * office and window in the status line; F10 signs her out again. */
static void
test_demo_login_and_f10(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);
	long logouts = ws_count_audit("clerk1", "logout");
	int r, c, r2, c2;

	(void)state;
	assert_true(vt_expect(vt, "演示账号", WS_WAIT));
	assert_true(vt_expect(vt, "clerk1", WS_WAIT));
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	/* The status line: office, window, clerk. */
	char *status = vt_row_text(vt, 0);
	assert_non_null(strstr(status, "丰城市医疗保障服务中心"));
	assert_non_null(strstr(status, "3号窗口"));
	assert_non_null(strstr(status, "欧阳娜娜"));
	free(status);
	/* 欧阳娜娜 takes 8 columns: the comma after it starts 8 cells later. */
	assert_true(vt_find(vt, "欧阳娜娜，您好", &r, &c));
	assert_true(vt_find(vt, "，您好", &r2, &c2));
	assert_int_equal(r, r2);
	assert_int_equal(c2 - c, 8);
	/* The F-key bar is on the last row. */
	assert_true(vt_expect(vt, "F10注销", WS_WAIT));
	assert_true(vt_find(vt, "F10注销", &r, &c));
	assert_int_equal(r, 23);
	assert_int_equal(open_sessions("clerk1"), 1);

	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "已注销", WS_WAIT));
	assert_true(vt_expect(vt, "柜员登录", WS_WAIT));
	assert_int_equal(open_sessions("clerk1"), 0);
	assert_int_equal(ws_count_audit("clerk1", "logout"), logouts + 1);
	/* F10 on the sign-in screen leaves the program. */
	vt_key(vt, VT_KEY_F10);
	assert_int_equal(vt_wait_exit(vt, WS_WAIT), 0);
	vt_free(&vt);
}

/* Esc then 0 does what F10 does; Esc then 1 opens the help. */
static void
test_esc_digit_keys(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);

	(void)state;
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "本帮助", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect_gone(vt, "本帮助", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	vt_send(vt, "0");
	assert_true(vt_expect(vt, "已注销", WS_WAIT));
	assert_true(vt_expect(vt, "柜员登录", WS_WAIT));
	assert_int_equal(open_sessions("clerk1"), 0);
	vt_free(&vt);
}

/* A wrong password is refused with a message; the staff number stays,
 * the password field is emptied, the failure is counted and audited. */
static void
test_wrong_password(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);
	long failures = ws_count_audit("clerk2", "login_failed");

	(void)state;
	ws_reset_staff("clerk2");
	ws_login(vt, "clerk2", "wrong-pass", "2");
	assert_true(vt_expect(vt, "工号或密码错误", WS_WAIT));
	assert_true(vt_expect(vt, "clerk2", WS_WAIT));
	assert_false(vt_find(vt, "**********", NULL, NULL));
	assert_false(vt_find(vt, "您好", NULL, NULL));
	assert_int_equal(ws_count_audit("clerk2", "login_failed"), failures + 1);
	/* Typing the right password now signs in without retyping the rest. */
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "王芳，您好！", WS_WAIT));
	ws_sign_out(&vt);
	ws_reset_staff("clerk2");
}

/* Five failures lock the account; then even the right password is
 * refused with the time the lock ends. */
static void
test_lockout_after_five_failures(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);
	long locks = ws_count_audit("clerk2", "account_locked");

	(void)state;
	ws_reset_staff("clerk2");
	assert_true(vt_expect(vt, "柜员登录", WS_WAIT));
	vt_send(vt, "clerk2");
	vt_key(vt, VT_KEY_TAB);
	for (int i = 1; i <= 4; i++) {
		char expect[64];

		vt_send(vt, "nope");
		vt_key(vt, VT_KEY_ENTER);
		vt_key(vt, VT_KEY_ENTER);
		if (5 - i <= 3) {
			snprintf(expect, sizeof expect, "再错 %d 次", 5 - i);
			assert_true(vt_expect(vt, expect, WS_WAIT));
		} else
			assert_true(vt_expect(vt, "工号或密码错误", WS_WAIT));
	}
	vt_send(vt, "nope");
	vt_key(vt, VT_KEY_ENTER);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "账号已锁定至", WS_WAIT));
	assert_int_equal(ws_count_audit("clerk2", "account_locked"), locks + 1);
	/* The right password does not open a locked account. */
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_ENTER);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "账号已锁定至", WS_WAIT));
	assert_false(vt_find(vt, "您好", NULL, NULL));
	assert_int_equal(open_sessions("clerk2"), 0);
	vt_free(&vt);
	ws_reset_staff("clerk2");
}

/* Clerks must give a window of their own office. */
static void
test_window_checks(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);

	(void)state;
	ws_login(vt, "clerk1", "Demo-1234", "9");
	assert_true(vt_expect(vt, "本机构没有 9号窗口", WS_WAIT));
	/* The window field is active: clear it and leave it empty. */
	vt_key(vt, VT_KEY_BACKSPACE);
	vt_key(vt, VT_KEY_UP);
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_ENTER);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "综合柜员登录须填写窗口号", WS_WAIT));
	vt_free(&vt);
	ws_reset_staff("clerk1");
}

/* A reviewer needs no window; the status line shows the role. */
static void
test_reviewer_without_window(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);

	(void)state;
	ws_login(vt, "review1", "Demo-1234", "");
	assert_true(vt_expect(vt, "陈志强，您好！", WS_WAIT));
	char *status = vt_row_text(vt, 0);
	assert_non_null(strstr(status, "审核员"));
	assert_null(strstr(status, "号窗口"));
	free(status);
	ws_sign_out(&vt);
}

/* --lang en and LANG=en_US give English; a vt100 without colour works. */
static void
test_english_and_monochrome(void **state)
{
	const char *args[] = { "--lang", "en", NULL };
	const char *env[] = { "TERM=vt100", NULL };
	const char *envlang[] = { "LANG=en_US.UTF-8", NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);

	(void)state;
	assert_true(vt_expect(vt, "Staff sign-in", WS_WAIT));
	vt_free(&vt);
	vt = ws_start(24, 80, envlang, NULL, NULL);
	assert_true(vt_expect(vt, "Staff sign-in", WS_WAIT));
	vt_free(&vt);
	/* A vt100 has no F10 key: Esc then 0 is the way out. */
	vt = ws_start(24, 80, env, NULL, NULL);
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	vt_send(vt, "0");
	assert_true(vt_expect(vt, "已注销", WS_WAIT));
	vt_free(&vt);
}

/* A host in New York still shows the hall's clock: the status line has
 * China's date and time (Asia/Shanghai), read from the database around
 * the screen so that a minute turning over in between is no failure. */
static void
test_clock_in_china_time(void **state)
{
	const char *env[] = { "TZ=America/New_York", NULL };
	const char *sql = "SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') || ' % ' || "
	    "to_char(now() AT TIME ZONE 'Asia/Shanghai', 'HH24:MI')";
	struct vt *vt = ws_start(24, 80, env, NULL, NULL);
	char *before, *after, *status, *pct;
	bool seen = false;

	(void)state;
	assert_true(vt_expect(vt, "柜员登录", WS_WAIT));
	before = ws_sql_text(sql, 0, NULL);
	status = vt_row_text(vt, 0);
	after = ws_sql_text(sql, 0, NULL);
	/* "YYYY-MM-DD % HH:MI": the weekday sits where the % is */
	for (char *want = before; want != NULL; want = want == before ? after : NULL) {
		char date[16], hm[8];

		pct = strchr(want, '%');
		assert_non_null(pct);
		snprintf(date, sizeof date, "%.*s", (int)(pct - want - 1), want);
		snprintf(hm, sizeof hm, "%s", pct + 2);
		if (strstr(status, date) != NULL && strstr(status, hm) != NULL)
			seen = true;
	}
	if (!seen)
		fail_msg("status line \"%s\" shows neither %s nor %s", status, before, after);
	free(before);
	free(after);
	free(status);
	vt_free(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_login_and_f10),
		cmocka_unit_test(test_clock_in_china_time),
		cmocka_unit_test(test_esc_digit_keys),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_lockout_after_five_failures),
		cmocka_unit_test(test_window_checks),
		cmocka_unit_test(test_reviewer_without_window),
		cmocka_unit_test(test_english_and_monochrome),
	};

	return cmocka_run_group_tests_name("screen: login", tests, NULL, NULL);
}
