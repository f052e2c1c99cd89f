/*
 * Layout under resizes and terminal codesets: 80×24 → 60×20 → 80×24 keeps
 * the status line on top and the F-key bar at the bottom; below 40×12 a
 * clear message instead of a crash; a GB18030 terminal shows and accepts
 * Chinese.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen/ws.h"

/* The workbench frame is intact at the terminal's current size. */
static void
assert_frame(struct vt *vt)
{
	int rows = vt_rows(vt), r, c;
	char *top, *bottom;

	vt_settle(vt, 150, 2000);
	top = vt_row_text(vt, 0);
	bottom = vt_row_text(vt, rows - 1);
	assert_non_null(strstr(top, "欧阳娜娜"));
	assert_non_null(strstr(top, "3号窗口"));
	assert_non_null(strstr(bottom, "F10"));
	assert_non_null(strstr(bottom, "注销"));
	assert_true(vt_find(vt, "欧阳娜娜，您好！", &r, &c));
	assert_true(r > 0 && r < rows - 2);
	free(top);
	free(bottom);
}

static void
test_resize_keeps_layout(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);

	(void)state;
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	assert_frame(vt);
	vt_resize(vt, 20, 60);
	assert_frame(vt);
	vt_resize(vt, 24, 80);
	assert_frame(vt);
	/* Far too small: a message, and the program is still alive. */
	vt_resize(vt, 10, 30);
	assert_true(vt_expect(vt, "窗口太小", WS_WAIT));
	vt_resize(vt, 12, 40);
	assert_frame(vt);
	vt_resize(vt, 24, 80);
	assert_frame(vt);
	ws_sign_out(&vt);
}

/* The sign-in screen at 60×20 and at 40×12 still offers every field. */
static void
test_small_login_screen(void **state)
{
	struct vt *vt = ws_start(20, 60, NULL, NULL, NULL);

	(void)state;
	assert_true(vt_expect(vt, "柜员登录", WS_WAIT));
	assert_true(vt_expect(vt, "窗口号", WS_WAIT));
	vt_resize(vt, 12, 40);
	assert_true(vt_expect(vt, "窗口号", WS_WAIT));
	assert_true(vt_expect(vt, "F10", WS_WAIT));
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	ws_sign_out(&vt);
}

/* Under a GB18030 locale the terminal receives GB18030 (the harness
 * converts it back for libvterm) and Chinese typed in GB18030 arrives. */
static void
test_gb18030_terminal(void **state)
{
	const char *locpath = getenv("YC_TEST_LOCPATH");
	char lp[512];
	const char *env[] = { "LANG=zh_CN.GB18030", lp, NULL };
	struct vt *vt;
	int r, c, r2, c2;

	(void)state;
	if (locpath == NULL)
		fail_msg("YC_TEST_LOCPATH is not set: the GB18030 locale was not built");
	snprintf(lp, sizeof lp, "LOCPATH=%s", locpath);
	vt = ws_start(24, 80, env, NULL, "GB18030");
	assert_true(vt_expect(vt, "柜员登录", WS_WAIT));
	assert_true(vt_expect(vt, "欧阳娜娜", WS_WAIT));
	/* Chinese input is decoded: type two characters, see them, erase one. */
	vt_send(vt, "张三");
	assert_true(vt_expect(vt, "张三", WS_WAIT));
	vt_key(vt, VT_KEY_BACKSPACE);
	assert_true(vt_expect_gone(vt, "张三", WS_WAIT));
	assert_true(vt_expect(vt, "张", WS_WAIT));
	vt_key(vt, VT_KEY_BACKSPACE);
	vt_send(vt, "clerk1");
	vt_key(vt, VT_KEY_TAB);
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_TAB);
	vt_send(vt, "3");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	assert_true(vt_find(vt, "欧阳娜娜，您好", &r, &c));
	assert_true(vt_find(vt, "，您好", &r2, &c2));
	assert_int_equal(c2 - c, 8);
	/* "·" and "…" are two columns on a GB18030 terminal. The hint line is
	 * shortened to fit by that count, so it neither runs into the next
	 * row nor loses its end. */
	vt_settle(vt, 150, 2000);
	assert_true(vt_find(vt, "F2 叫号 ·", &r, &c));
	{
		char *next = vt_row_text(vt, r + 1), *hint = vt_row_text(vt, r);

		assert_string_equal(next, "");
		assert_non_null(strstr(hint, "…"));
		free(next);
		free(hint);
	}
	ws_sign_out(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resize_keeps_layout),
		cmocka_unit_test(test_small_login_screen),
		cmocka_unit_test(test_gb18030_terminal),
	};

	return cmocka_run_group_tests_name("screen: layout", tests, NULL, NULL);
}
