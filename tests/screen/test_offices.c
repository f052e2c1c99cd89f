/*
 * Offices and windows in a real terminal (tui/admin/offices.c,
 * tui/ui/printout.c):
 *   the window's printer from the database: a clerk signs in at window 1
 *          of an office whose window 1 prints to a file at 40 columns (set
 *          with `yichuang window add`, no --printer on the command line):
 *          the sign-in says where the window prints, the 受理通知书 of an
 *          intake lands in that file, 40 columns wide, with the office's
 *          咨询电话 (set with `yichuang office add`), and nothing goes to
 *          the default file;
 *   the command line overrides it: --printer and --print-width win;
 *   the administrator's F3 (机构与窗口): the offices of the
 *          administrator's jurisdiction only; a township added below the
 *          city (F2: code, name), a bad code refused with the reason,
 *          renamed (F3), given an address and 咨询电话 (F4), a window
 *          added (F5) and given a printer (F6: channel, encoding, width),
 *          the window and then the township deactivated (F8), each change
 *          in the database and the audit log as that administrator.
 *
 * Office 360975 of its own (created here with the commands as the
 * database owner), staff sc_clerk and sc_admin; case type 002036006001
 * 门诊费用报销 (ws_fill_clinic).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/text.h"
#include "screen/ws.h"

#define OFFICE "360975"
#define PHONE "0795-6305555"

static char dir[64] = "/tmp/yc-offices-scr.XXXXXX";

static void
run(const char *fmt, const char *arg)
{
	char args[512];

	snprintf(args, sizeof args, fmt, arg);
	free(ws_run(args));
}

static int
group_setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The office, its window 1 printing to DIR/w1.txt at 40 columns, and
 * the staff; by the commands where there are commands. */
static void
office_setup(void)
{
	run("office add " OFFICE " 测试五市医疗保障服务中心 --address 测试五市示例路5号 --phone " PHONE
	    " --as-owner%s", "");
	run("window add --office " OFFICE " --window 1 --printer file:%s/w1.txt --print-width 40 --as-owner", dir);
	free(ws_sql_text("INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES"
	    " ('sc_clerk', '五市柜员', 'clerk', '" OFFICE "', yc.hash_password('Demo-1234')),"
	    " ('sc_admin', '五市管理员', 'admin', '" OFFICE "', yc.hash_password('Demo-1234'))"
	    " ON CONFLICT (staff_no) DO UPDATE SET active = true RETURNING staff_no", 0, NULL));
	ws_reset_staff("sc_clerk");
	ws_reset_staff("sc_admin");
	/* no intake of an earlier run left to offer */
	free(ws_sql_text("DELETE FROM yc.intake_draft WHERE staff_no = 'sc_clerk' RETURNING 1", 0, NULL));
	{
		char path[256];

		snprintf(path, sizeof path, "%s/drafts/sc_clerk.draft", getenv("YICHUANG_VAR"));
		unlink(path);
	}
}

/* The size of DIR/name.txt, 0 when there is none. */
static long
printed_size(const char *name)
{
	char path[160];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s.txt", dir, name);
	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* text without spaces (wrapped lines are indented) and line ends */
static char *
squeeze(const char *text)
{
	char *out = strdup(text), *o = out;

	for (const char *s = text; *s != '\0'; s++)
		if (*s != ' ' && *s != '\n')
			*o++ = *s;
	*o = '\0';
	return out;
}

static void
test_window_printer_from_database(void **state)
{
	char id[19], path[256], *doc, *flat, *line, *save = NULL, *where;
	struct vt *vt;
	struct stat st;

	(void)state;
	office_setup();
	{
		char d17[24];

		snprintf(d17, sizeof d17, "36098119790505%03d", (int)(getpid() % 1000));
		ws_idno(d17, id);
	}
	vt = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(vt, "sc_clerk", "Demo-1234", "1");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	where = NULL;
	if (asprintf(&where, "1号窗口打印到 file:%s/w1.txt（窗口设置）", dir) < 0)
		fail();
	assert_true(vt_expect(vt, where, WS_WAIT));
	free(where);
	ws_fill_clinic(vt, id, "五市申请人", true);
	ws_choose(vt, "受理");
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "非常满意", WS_WAIT));
	vt_send(vt, "6");
	assert_true(vt_expect_gone(vt, "非常满意", WS_WAIT));

	doc = ws_printed(dir, "w1");
	assert_non_null(strstr(doc, "测试五市医疗保障服务中心"));
	flat = squeeze(doc);
	assert_non_null(strstr(flat, "基本医疗保险医疗费用零星报销受理单"));	/* the 受理通知书 */
	assert_non_null(strstr(flat, "办理进度可拨打咨询电话" PHONE "查询"));
	free(flat);
	/* laid out for the window's 40 columns */
	for (line = strtok_r(doc, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		assert_true(text_width(line) <= 40);
	free(doc);
	/* and not to the default file of the office and window */
	snprintf(path, sizeof path, "%s/print/" OFFICE "-1.txt", getenv("YICHUANG_VAR"));
	assert_int_not_equal(stat(path, &st), 0);
	ws_sign_out(&vt);
}

static void
test_command_line_overrides(void **state)
{
	static char spec[160];
	const char *args[] = { "--printer", spec, "--print-width", "80", NULL };
	long before;
	char *doc;
	struct vt *vt;
	bool wide = false;

	(void)state;
	office_setup();
	before = printed_size("w1");
	snprintf(spec, sizeof spec, "file:%s/flag.txt", dir);
	vt = ws_start(24, 80, NULL, args, NULL);
	ws_login(vt, "sc_clerk", "Demo-1234", "1");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025mzfybx");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "办理时限", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "办事指南已打印", WS_WAIT));
	doc = ws_printed(dir, "flag");
	assert_non_null(strstr(doc, "门诊费用报销"));
	for (char *line = strtok(doc, "\n"); line != NULL; line = strtok(NULL, "\n"))
		wide |= text_width(line) > 40;
	assert_true(wide);			/* 80 columns, not the window's 40 */
	free(doc);
	assert_int_equal(printed_size("w1"), before);
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	ws_sign_out(&vt);
}

/* Answers an input prompt: Ctrl-U, text, Enter. */
static void
answer(struct vt *vt, const char *text)
{
	vt_send(vt, "\025");
	vt_send(vt, text);
	vt_key(vt, VT_KEY_ENTER);
}

static void
test_admin_keeps_offices_and_windows(void **state)
{
	char spec[160], *v;
	struct vt *vt;

	(void)state;
	office_setup();
	vt = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(vt, "sc_admin", "Demo-1234", "");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	assert_true(vt_expect(vt, "机构与窗口", WS_WAIT));	/* F3 in the bar */
	vt_key(vt, VT_KEY_F3);
	assert_true(vt_expect(vt, "机构与窗口：" OFFICE " 测试五市医疗保障服务中心 及下级机构", WS_WAIT));
	assert_true(vt_expect(vt, PHONE, WS_WAIT));
	assert_true(vt_expect(vt, "测试五市示例路5号", WS_WAIT));	/* the selected office's address */
	assert_true(vt_expect(vt, "1号窗口", WS_WAIT));
	assert_false(vt_find(vt, "丰城市医疗保障服务中心", NULL, NULL));	/* another city */

	/* F2: a code that is not one is refused with the reason */
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "在 " OFFICE " 之下新增机构", WS_WAIT));
	vt_send(vt, "0019");		/* after the city's code already in the field */
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "的名称", WS_WAIT));
	answer(vt, "坏代码");
	assert_true(vt_expect(vt, "有误：省2位、设区市4位、县6位", WS_WAIT));
	/* a township */
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "之下新增机构", WS_WAIT));
	vt_send(vt, "001");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "新机构 " OFFICE "001 的名称", WS_WAIT));
	answer(vt, "五市一镇");
	assert_true(vt_expect(vt, OFFICE "001 已添加", WS_WAIT));
	assert_true(vt_expect(vt, "五市一镇", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.office WHERE code = '" OFFICE "001' AND tier = 'township'"
	    " AND parent_code = '" OFFICE "' AND active", 0, NULL), 1);
	/* F3 renames the selected office (the new one) */
	vt_key(vt, VT_KEY_F3);
	assert_true(vt_expect(vt, OFFICE "001 的新名称", WS_WAIT));
	answer(vt, "五市剑光镇");
	assert_true(vt_expect(vt, OFFICE "001 已更新", WS_WAIT));
	/* F4: address, then 咨询电话 */
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "的地址", WS_WAIT));
	answer(vt, "五市剑光镇示例街1号");
	assert_true(vt_expect(vt, "的咨询电话", WS_WAIT));
	answer(vt, "0795-6305556");
	assert_true(vt_expect(vt, "0795-6305556", WS_WAIT));
	v = ws_sql_text("SELECT name || '|' || address || '|' || phone FROM yc.office WHERE code = '" OFFICE "001'",
	    0, NULL);
	assert_string_equal(v, "五市剑光镇|五市剑光镇示例街1号|0795-6305556");
	free(v);
	/* F5: window 1 of the township, its label as offered */
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "新增窗口：窗口号", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "1号窗口的名称", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "已添加", WS_WAIT));
	/* Tab to the windows, F6: its printer */
	vt_key(vt, VT_KEY_TAB);
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "1号窗口打印到（", WS_WAIT));
	snprintf(spec, sizeof spec, "file:%s/t1.txt", dir);
	answer(vt, spec);
	assert_true(vt_expect(vt, "打印编码", WS_WAIT));
	vt_send(vt, "3");		/* GB18030 */
	assert_true(vt_expect(vt, "打印宽度", WS_WAIT));
	vt_send(vt, "3");		/* 40 columns */
	assert_true(vt_expect(vt, "已更新", WS_WAIT));
	assert_true(vt_expect(vt, "gb18030", WS_WAIT));
	v = ws_sql_text("SELECT print_channel || '|' || print_encoding || '|' || print_width FROM yc.service_window"
	    " WHERE office_code = '" OFFICE "001' AND window_no = 1", 0, NULL);
	snprintf(spec, sizeof spec, "file:%s/t1.txt|gb18030|40", dir);
	assert_string_equal(v, spec);
	free(v);
	/* F8 on the window, then on the township */
	vt_key(vt, VT_KEY_F8);
	assert_true(vt_expect(vt, "停用 " OFFICE "001 的 1 号窗口", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "1 号窗口已停用", WS_WAIT));
	vt_key(vt, VT_KEY_TAB);
	vt_key(vt, VT_KEY_F8);
	assert_true(vt_expect(vt, "停用 " OFFICE "001 五市剑光镇", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, OFFICE "001 已停用", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.office o JOIN yc.service_window w ON w.office_code = o.code"
	    " WHERE o.code = '" OFFICE "001' AND NOT o.active AND NOT w.active", 0, NULL), 1);
	/* the city's own office cannot be deactivated */
	vt_key(vt, VT_KEY_UP);
	vt_key(vt, VT_KEY_F8);
	assert_true(vt_expect(vt, "停用 " OFFICE " 测试五市", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "不能停用本机构", WS_WAIT));
	/* every change audited as the administrator */
	assert_int_equal(ws_sql_long("SELECT count(DISTINCT action) FROM yc.audit_log WHERE staff_no = 'sc_admin'"
	    " AND action IN ('office_add', 'office_update', 'office_disable', 'window_add', 'window_update',"
	    " 'window_disable') AND office_code = '" OFFICE "001'", 0, NULL), 6);
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "F3", WS_WAIT));
	ws_sign_out(&vt);
	/* leave the township as it was before this test */
	free(ws_sql_text("UPDATE yc.service_window SET active = true WHERE office_code = '" OFFICE "001'"
	    " RETURNING 1", 0, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_printer_from_database),
		cmocka_unit_test(test_command_line_overrides),
		cmocka_unit_test(test_admin_keeps_offices_and_windows),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
