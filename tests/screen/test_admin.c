/*
 * Administration as an administrator and the people they manage see it:
 *   - admin1 adds a clerk on 人员管理 (F2 on the admin's workbench) and
 *     reads the temporary password off the screen, once; the clerk signs
 *     in with it and must choose a new one on the sign-in screen, a weak
 *     one refused with the rule named; the admin disables the clerk and
 *     the clerk's sign-in is refused;
 *   - a township administrator sees only the township's staff and can
 *     offer only the township's offices (the database refuses the rest:
 *     tests/db/test_admin.c);
 *   - any role changes its own password with P on the workbench; at a
 *     window the F8 menu offers it too.
 *
 * City hall 360981 (admin1, window 8 for the new clerk); township
 * 360981001 gets a test administrator. Test staff tsa_*.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen/ws.h"

#define TOWN "360981001"

static int
setup(void **state)
{
	(void)state;
	ws_sql_long("DELETE FROM yc.staff_session WHERE staff_no LIKE 'tsa\\_%'", 0, NULL);
	ws_sql_long("DELETE FROM yc.staff WHERE staff_no LIKE 'tsa\\_%'", 0, NULL);
	ws_sql_long("INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES "
	    "('tsa_tadmin', '韩梅', 'admin', '" TOWN "', yc.hash_password('Demo-1234')), "
	    "('tsa_guide', '孙丽', 'guide', '360981', yc.hash_password('Demo-1234')), "
	    "('tsa_wclerk', '钱进', 'clerk', '360981', yc.hash_password('Demo-1234'))", 0, NULL);
	ws_reset_staff("admin1");
	return 0;
}

static struct vt *
signed_in(const char *staff, const char *password, const char *window, const char *greeting)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);

	ws_login(vt, staff, password, window);
	assert_true(vt_expect(vt, greeting, WS_WAIT));
	return vt;
}

/* The text after "label" on the screen up to a space or a box line. */
static void
text_after(struct vt *vt, const char *label, char *out, size_t size)
{
	int r, c;
	char *row, *at;
	size_t n = 0;

	out[0] = '\0';
	assert_true(vt_find(vt, label, &r, &c));
	row = vt_row_text(vt, r);
	at = strstr(row, label);
	assert_non_null(at);
	at += strlen(label);
	while (at[n] != '\0' && at[n] != ' ' && (unsigned char)at[n] < 0x80 && n + 1 < size)
		n++;
	memcpy(out, at, n);
	out[n] = '\0';
	free(row);
}

/* Types the new password twice on the sign-in screen's change box. */
static void
new_password_twice(struct vt *vt, const char *pw)
{
	vt_send(vt, pw);
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, pw);
	vt_key(vt, VT_KEY_ENTER);
}

/* The Done-when flow of issue 14. */
static void
test_add_clerk_first_sign_in_disable(void **state)
{
	struct vt *vt = signed_in("admin1", "Demo-1234", "", "赵磊，您好！");
	char temp[32];
	long adds = ws_count_audit("admin1", "staff_add"), disables = ws_count_audit("admin1", "staff_disable");
	long refused, changed;

	(void)state;
	/* the administrator's workbench is a menu, F2 the staff */
	assert_true(vt_expect(vt, "系统管理", WS_WAIT));
	/* every key of the bar fits 80 columns, the lock among them */
	assert_true(vt_expect(vt, "F2人员", WS_WAIT));
	assert_true(vt_expect(vt, "F8锁屏", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "丰城市医疗保障服务中心及下属机构人员", WS_WAIT));
	/* the offices below are in the list: typing filters it (other suites
	 * may have added staff of the city before these rows) */
	vt_send(vt, "village1");
	assert_true(vt_expect(vt, "刘秀英", WS_WAIT));
	assert_true(vt_expect_gone(vt, "admin1 ", WS_WAIT));
	for (int i = 0; i < 8; i++)
		vt_key(vt, VT_KEY_BACKSPACE);
	assert_true(vt_expect(vt, "admin1 ", WS_WAIT));
	/* F2 adds: staff number, name, role (综合柜员 first), office (the city first) */
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "新增账号", WS_WAIT));
	vt_send(vt, "tsa_clerk");
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, "杜新");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "‹ 综合柜员 ›", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "‹ 360981 丰城市医疗保障服务中心 ›", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	/* the temporary password, shown once */
	assert_true(vt_expect(vt, "临时密码：", WS_WAIT));
	assert_true(vt_expect(vt, "只显示这一次", WS_WAIT));
	text_after(vt, "临时密码：", temp, sizeof temp);
	assert_int_equal(strlen(temp), 10);
	{
		const char *p[] = { temp };

		/* stored as a hash only, never in the audit log */
		assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.staff WHERE staff_no = 'tsa_clerk'"
		    " AND must_change_password AND password_hash <> $1", 1, p), 1);
		assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE after::text"
		    " LIKE '%' || $1 || '%'", 1, p), 0);
	}
	assert_int_equal(ws_count_audit("admin1", "staff_add"), adds + 1);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect_gone(vt, "临时密码：", WS_WAIT));
	assert_true(vt_expect(vt, "tsa_clerk", WS_WAIT));
	ws_sign_out(&vt);

	/* the clerk signs in with it and must choose a password of their own */
	refused = ws_count_audit("tsa_clerk", "password_change_refused");
	changed = ws_count_audit("tsa_clerk", "password_changed");
	vt = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(vt, "tsa_clerk", temp, "8");
	assert_true(vt_expect(vt, "设置新密码", WS_WAIT));
	assert_true(vt_expect(vt, "临时密码", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.staff_session WHERE staff_no = 'tsa_clerk'"
	    " AND ended_at IS NULL", 0, NULL), 0);
	new_password_twice(vt, "abc");
	assert_true(vt_expect(vt, "新密码太短：至少需要 8 个字符", WS_WAIT));
	new_password_twice(vt, "abcdefgh1");
	assert_true(vt_expect(vt, "新密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类", WS_WAIT));
	new_password_twice(vt, "Tsa_Clerk-9");
	assert_true(vt_expect(vt, "新密码不得包含工号", WS_WAIT));
	/* two different ones are not sent at all */
	vt_send(vt, "Good-Pass-26");
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, "Good-Pass-62");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "两次输入的新密码不一致", WS_WAIT));
	vt_send(vt, "Good-Pass-26");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "杜新，您好！", WS_WAIT));
	assert_true(vt_expect(vt, "8号窗口", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.staff WHERE staff_no = 'tsa_clerk'"
	    " AND NOT must_change_password", 0, NULL), 1);
	assert_int_equal(ws_count_audit("tsa_clerk", "password_change_refused"), refused + 3);
	assert_int_equal(ws_count_audit("tsa_clerk", "password_changed"), changed + 1);
	ws_sign_out(&vt);

	/* the administrator disables the clerk */
	vt = signed_in("admin1", "Demo-1234", "", "赵磊，您好！");
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "tsa_clerk", WS_WAIT));
	vt_send(vt, "tsa_c");
	assert_true(vt_expect_gone(vt, "village1", WS_WAIT));
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "停用 杜新（tsa_clerk）？", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "杜新（tsa_clerk）已停用，没有在办案件", WS_WAIT));
	assert_true(vt_expect(vt, "已停用", WS_WAIT));
	assert_int_equal(ws_count_audit("admin1", "staff_disable"), disables + 1);
	ws_sign_out(&vt);

	/* and the clerk's sign-in is refused */
	vt = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(vt, "tsa_clerk", "Good-Pass-26", "8");
	assert_true(vt_expect(vt, "该账号已停用", WS_WAIT));
	assert_false(vt_find(vt, "您好", NULL, NULL));
	vt_key(vt, VT_KEY_F10);
	assert_int_equal(vt_wait_exit(vt, WS_WAIT), 0);
	vt_free(&vt);
}

/* A township administrator's 人员管理: the township and its village only,
 * and only their offices to choose from. */
static void
test_township_admin_sees_its_township(void **state)
{
	struct vt *vt = signed_in("tsa_tadmin", "Demo-1234", "", "韩梅，您好！");

	(void)state;
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "剑光街道医保所及下属机构人员", WS_WAIT));
	assert_true(vt_expect(vt, "town1", WS_WAIT));
	assert_true(vt_expect(vt, "village1", WS_WAIT));
	assert_false(vt_find(vt, "clerk1", NULL, NULL));
	assert_false(vt_find(vt, "admin1", NULL, NULL));
	assert_false(vt_find(vt, "丰城市医疗保障服务中心", NULL, NULL));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "新增账号", WS_WAIT));
	for (int i = 0; i < 3; i++)
		vt_key(vt, VT_KEY_DOWN);
	assert_true(vt_expect(vt, "‹ 360981001 剑光街道医保所 ›", WS_WAIT));
	vt_key(vt, VT_KEY_RIGHT);
	assert_true(vt_expect(vt, "‹ 360981001001 剑光街道某社区医保站 ›", WS_WAIT));
	vt_key(vt, VT_KEY_RIGHT);
	assert_true(vt_expect(vt, "‹ 360981001 剑光街道医保所 ›", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "town1", WS_WAIT));
	/* its own account: not disabled by itself */
	vt_send(vt, "tsa_t");
	assert_true(vt_expect_gone(vt, "town1", WS_WAIT));
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "停用 ", WS_WAIT));	/* a menu digit is typed once it shows */
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "不能操作本人账号", WS_WAIT));
	ws_sign_out(&vt);
}

/* P on the workbench changes one's own password (here the guide desk):
 * the current one checked, the rules named; at a window F8 offers it. */
static void
test_own_password_with_p(void **state)
{
	struct vt *vt = signed_in("tsa_guide", "Demo-1234", "", "孙丽，您好！");
	long changed = ws_count_audit("tsa_guide", "password_changed");

	(void)state;
	assert_true(vt_expect(vt, "P 修改密码", WS_WAIT));
	vt_send(vt, "p");
	assert_true(vt_expect(vt, "修改本人密码", WS_WAIT));
	assert_true(vt_expect(vt, "至少 8 个字符", WS_WAIT));
	vt_send(vt, "Wrong-1234");
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, "Guide-Pass-7");
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, "Guide-Pass-7");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "当前密码错误", WS_WAIT));
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "新密码不得与当前密码及最近 5 次设置过的密码相同", WS_WAIT));
	vt_send(vt, "Guide-Pass-7");
	vt_key(vt, VT_KEY_ENTER);
	vt_send(vt, "Guide-Pass-7");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "密码已修改", WS_WAIT));
	assert_true(vt_expect(vt, "孙丽，您好！", WS_WAIT));
	assert_int_equal(ws_count_audit("tsa_guide", "password_changed"), changed + 1);
	ws_sign_out(&vt);
	vt = signed_in("tsa_guide", "Guide-Pass-7", "", "孙丽，您好！");
	ws_sign_out(&vt);

	/* at a window: F8, item 7 */
	vt = signed_in("tsa_wclerk", "Demo-1234", "7", "钱进，您好！");
	vt_key(vt, VT_KEY_F8);
	assert_true(vt_expect(vt, "7  修改本人密码", WS_WAIT));
	vt_send(vt, "7");
	assert_true(vt_expect(vt, "当前密码", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "密码没有修改", WS_WAIT));
	assert_true(vt_expect(vt, "钱进，您好！", WS_WAIT));
	ws_sign_out(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_clerk_first_sign_in_disable),
		cmocka_unit_test(test_township_admin_sees_its_township),
		cmocka_unit_test(test_own_password_with_p),
	};

	return cmocka_run_group_tests_name("screen_admin", tests, setup, NULL);
}
