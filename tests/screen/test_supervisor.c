/*
 * The shift supervisor's console, as 值班长 super1 works it in office
 * 360981 while clerk1 serves at window 3 in another terminal: the console
 * (F4 on the supervisor's workbench) shows window 3 with the clerk, 办理中,
 * the ticket number and the service time ticking; the waiting count
 * changes live when a ticket is issued; F3 re-routes a waiting ticket to
 * window 3, which calls it next; F4 lists the 差评 and Enter writes the
 * follow-up note. On a tall terminal the charts appear, in block
 * characters, or in '#' on a vt100 without UTF-8. F6 hands the open cases
 * of a clerk who is away to another clerk: a case clerk1 accepted at the
 * counter goes to clerk2, with its event and audit row; an unknown or
 * non-clerk recipient is refused and nothing moves. F8 prints the daily
 * report: a wrong date or office is refused with the reason, and the
 * printed page is the administrator's `report daily` of the same day,
 * signed with the supervisor's name.
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
	assert_true(ws_row_expect(sup, "3号窗口", (const char *const[]){ "欧阳娜娜 clerk1", "办理中", t1,
	    NULL }, WS_WAIT));
	assert_true(ws_row_expect(sup, "3号窗口", (const char *const[]){ "00:02", NULL }, 6000));
	assert_true(ws_row_expect(sup, "1号窗口", (const char *const[]){ "未登录", NULL }, WS_WAIT));
	assert_true(vt_expect(sup, "等候 2 人", WS_WAIT));
	assert_true(ws_row_expect(sup, "最长等候", (const char *const[]){ "00:", NULL }, WS_WAIT));

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
	assert_true(ws_row_expect(sup, "3号窗口", (const char *const[]){ "已叫号", t3, NULL }, WS_WAIT));
	assert_true(vt_expect(sup, "等候 2 人", WS_WAIT));

	/* the clerk leaves: no-show, sign out; the console shows it */
	vt_key(clerk, VT_KEY_F4);
	assert_true(vt_expect(clerk, "已过号", WS_WAIT));	/* the message: 过号 alone is on the F-key bar */
	ws_sign_out(&clerk);
	assert_true(ws_row_expect(sup, "3号窗口", (const char *const[]){ "未登录", NULL }, WS_WAIT));
	row = ws_row_with(sup, "3号窗口");
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
	assert_true(ws_row_expect(sup, "非常不满意", (const char *const[]){ "王芳 clerk2", "2号窗口", NULL },
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

/*
 * clerk1 at window 3 accepts a 产前检查费支付 (002036007001, 20 working
 * days) for a new person id with every material, prints the 受理通知书 to
 * a file under dir, and signs out: the case stays open in clerk1's name.
 */
static void
accept_case_as_clerk1(const char *id, const char *dir)
{
	char spec[160];
	const char *args[] = { "--printer", spec, NULL };
	struct vt *vt;

	snprintf(spec, sizeof spec, "file:%s/w3.txt", dir);
	vt = ws_start(24, 80, NULL, args, NULL);
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025cqjcf");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：产前检查费支付", WS_WAIT));
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "岁", WS_WAIT));
	vt_send(vt, "测试戊");
	ws_tabs(vt, 1);
	vt_send(vt, "13907950002");
	ws_tabs(vt, 4);			/* phone, 委托办理 否, the form's ID and phone */
	vt_send(vt, "860");
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "860.00", WS_WAIT));
	vt_send(vt, "2026-11-02");
	ws_tabs(vt, 1);
	vt_send(vt, "丰城市人民医院");
	ws_tabs(vt, 1);
	vt_send(vt, "6222021234567890128");
	ws_tabs(vt, 1);
	/* materials: credential, invoice, bill, discharge (the any-of group), application */
	for (int i = 0; i < 4; i++) {
		vt_send(vt, " ");
		ws_tabs(vt, 1);
	}
	ws_tabs(vt, 1);			/* diagnosis: the group is complete */
	vt_send(vt, " ");
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
	ws_choose(vt, "受理");
	assert_true(vt_expect(vt, "生育保险医疗费用报销受理单", WS_WAIT));
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "非常满意", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "已受理", WS_WAIT));
	ws_sign_out(&vt);
}

/* The open cases (not finished, rejected or cancelled) of staff in the city. */
static long
open_cases_of(const char *staff)
{
	return ws_sql_long("SELECT count(*) FROM yc.service_case WHERE first_staff_no = $1 AND "
	    "office_code LIKE '" OFFICE "%' AND status NOT IN ('finished', 'rejected', 'cancelled')", 1,
	    (const char *[]){ staff });
}

/* F6, the absent clerk (the prefill cleared), Enter, the recipient, Enter. */
static void
reassign(struct vt *sup, const char *from, const char *to)
{
	char line[96];

	vt_key(sup, VT_KEY_F6);
	assert_true(vt_expect(sup, "转交在办件：原承办人工号：", WS_WAIT));
	vt_send(sup, "\025");		/* Ctrl-U: whatever the selected window prefilled */
	vt_send(sup, from);
	vt_key(sup, VT_KEY_ENTER);
	snprintf(line, sizeof line, "将 %s 的在办件转给工号：", from);
	assert_true(vt_expect(sup, line, WS_WAIT));
	vt_send(sup, to);
	vt_key(sup, VT_KEY_ENTER);
}

/* What a refused reassignment must leave as it was: the case, its events, the audit. */
static void
assert_untouched(const char *case_no, long clerk1_open, long audits)
{
	const char *p[] = { case_no };

	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE case_no = $1 AND "
	    "first_staff_no = 'clerk1' AND status = 'accepted'", 1, p), 1);
	assert_int_equal(open_cases_of("clerk1"), clerk1_open);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_event WHERE case_no = $1 AND "
	    "kind = 'reassign'", 1, p), 0);
	assert_int_equal(ws_count_audit("super1", "case_reassign"), audits);
}

static void
test_reassign_absent_clerk(void **state)
{
	char dir[64] = "/tmp/yc-reassign.XXXXXX", id[19], path[96], line[128], *case_no;
	long n, clerk2_open, audits;
	const char *p[1];
	struct vt *sup;

	(void)state;
	assert_non_null(mkdtemp(dir));
	ws_idno("36098119750505222", id);
	accept_case_as_clerk1(id, dir);

	/* before: the case is open, at the city, in the name of clerk1 */
	case_no = ws_sql_text("SELECT case_no FROM yc.service_case WHERE id_no = $1", 1, (const char *[]){ id });
	p[0] = case_no;
	assert_true(strncmp(case_no, OFFICE, strlen(OFFICE)) == 0);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE case_no = $1 AND "
	    "office_code = '" OFFICE "' AND status = 'accepted' AND first_staff_no = 'clerk1'", 1, p), 1);
	n = open_cases_of("clerk1");
	assert_true(n >= 1);
	clerk2_open = open_cases_of("clerk2");
	audits = ws_count_audit("super1", "case_reassign");
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_event WHERE case_no = $1 AND "
	    "kind = 'reassign'", 1, p), 0);

	sup = supervisor(24, 80, NULL);
	/* clerk1 is away: window 3 is signed out */
	assert_true(ws_row_expect(sup, "3号窗口", (const char *const[]){ "未登录", NULL }, WS_WAIT));

	/* an unknown recipient: refused, nothing moves */
	reassign(sup, "clerk1", "nobody9");
	assert_true(vt_expect(sup, "没有工号为 clerk1 或 nobody9 的工作人员", WS_WAIT));
	assert_untouched(case_no, n, audits);

	/* a reviewer is no clerk: refused too */
	reassign(sup, "clerk1", "review1");
	assert_true(vt_expect(sup, "review1 不能接收：在办件只能转给本机构或下级机构在岗的综合柜员", WS_WAIT));
	assert_untouched(case_no, n, audits);

	/* to clerk2: every open case of clerk1 */
	reassign(sup, "clerk1", "clerk2");
	snprintf(line, sizeof line, "已将 %ld 件在办件从 clerk1 转给 clerk2。", n);
	assert_true(vt_expect(sup, line, WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE case_no = $1 AND "
	    "first_staff_no = 'clerk2' AND status = 'accepted'", 1, p), 1);
	assert_int_equal(open_cases_of("clerk1"), 0);
	assert_int_equal(open_cases_of("clerk2"), clerk2_open + n);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_event WHERE case_no = $1 AND "
	    "kind = 'reassign' AND staff_no = 'super1' AND detail->>'from' = 'clerk1' AND "
	    "detail->>'to' = 'clerk2' AND detail->>'to_name' = '王芳'", 1, p), 1);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE action = 'case_reassign' "
	    "AND staff_no = 'super1' AND office_code = '" OFFICE "' AND object = 'case:" OFFICE "/' || $1 "
	    "AND before->>'first_staff_no' = 'clerk1' AND after->>'first_staff_no' = 'clerk2'", 1, p), 1);
	assert_int_equal(ws_count_audit("super1", "case_reassign"), audits + n);

	/* again: clerk1 has nothing left */
	reassign(sup, "clerk1", "clerk2");
	assert_true(vt_expect(sup, "已将 0 件在办件从 clerk1 转给 clerk2。", WS_WAIT));
	assert_int_equal(ws_count_audit("super1", "case_reassign"), audits + n);
	leave(&sup);

	snprintf(path, sizeof path, "%s/w3.txt", dir);
	unlink(path);
	rmdir(dir);
	free(case_no);
}

/* The whole file (malloc'd; "" when it cannot be read). */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = calloc(1, 1 << 16);
	size_t n = 0;

	assert_non_null(buf);
	if (fp != NULL) {
		n = fread(buf, 1, (1 << 16) - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

static void
test_daily_report(void **state)
{
	char dir[64] = "/tmp/yc-daily.XXXXXX", spec[96], cmd[192], printed[96], cli[96], *today, *doc, *want;
	const char *args[] = { "--printer", spec, NULL };
	struct vt *sup;
	char *out;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(spec, sizeof spec, "file:%s/w.txt", dir);
	snprintf(printed, sizeof printed, "%s/w.txt", dir);
	snprintf(cli, sizeof cli, "%s/cli.txt", dir);
	today = ws_sql_text("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text", 0, NULL);
	sup = ws_start(24, 80, NULL, args, NULL);
	ws_login(sup, "super1", "Demo-1234", "");
	assert_true(vt_expect(sup, "您好", WS_WAIT));
	vt_key(sup, VT_KEY_F4);
	assert_true(vt_expect(sup, "大厅实况", WS_WAIT));

	/* a day that does not exist: the reason, and the question again */
	vt_key(sup, VT_KEY_F8);
	assert_true(vt_expect(sup, "业务日报：哪一天？", WS_WAIT));
	assert_true(vt_expect(sup, today, WS_WAIT));		/* today, ready for Enter */
	vt_send(sup, "\025" "2026-02-30");
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "日期不存在", WS_WAIT));
	assert_true(vt_expect(sup, "业务日报：哪一天？", WS_WAIT));
	/* emptied: today; then an office that does not exist */
	vt_send(sup, "\025");
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "业务日报：机构代码", WS_WAIT));
	vt_send(sup, "\025" "360981999");
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "没有这个机构代码", WS_WAIT));
	assert_true(vt_expect(sup, "大厅实况", WS_WAIT));

	/* today, this office: the preview, then F6 prints it */
	vt_key(sup, VT_KEY_F8);
	assert_true(vt_expect(sup, "业务日报：哪一天？", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "业务日报：机构代码", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	/* the city has offices below: asked, this office only (2) */
	assert_true(vt_expect(sup, "是否包含下级机构", WS_WAIT));
	assert_true(vt_expect(sup, "仅本机构", WS_WAIT));
	vt_send(sup, "2");
	assert_true(vt_expect(sup, "丰城市医疗保障服务中心（360981）业务日报", WS_WAIT));
	assert_true(vt_expect(sup, "一、窗口服务（按柜员）", WS_WAIT));
	vt_key(sup, VT_KEY_F6);
	assert_true(vt_expect(sup, "业务日报已打印", WS_WAIT));

	/* the page: the administrator's report of the day, then who printed it */
	snprintf(cmd, sizeof cmd, "report daily --office " OFFICE " --date %s --to file:%s", today, cli);
	out = ws_run(cmd);
	free(out);
	want = slurp(cli);
	doc = slurp(printed);
	assert_true(strlen(want) > 200);
	assert_non_null(strstr(want, "合计"));
	if (strncmp(doc, want, strlen(want)) != 0)
		fail_msg("printed:\n%s\nreport daily:\n%s", doc, want);
	assert_non_null(strstr(doc + strlen(want), "周敏（super1）"));
	assert_non_null(strstr(doc + strlen(want), "值班长（签字）"));

	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "大厅实况", WS_WAIT));

	/* the default (Enter): with the offices below, one row each and the
	 * total, on the same page */
	vt_key(sup, VT_KEY_F8);
	assert_true(vt_expect(sup, "业务日报：哪一天？", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "业务日报：机构代码", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "是否包含下级机构", WS_WAIT));
	vt_key(sup, VT_KEY_ENTER);
	assert_true(vt_expect(sup, "丰城市医疗保障服务中心（360981）及下级机构业务日报", WS_WAIT));
	assert_true(vt_expect(sup, "按时率", WS_WAIT));
	assert_true(vt_expect(sup, "合计", WS_WAIT));
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "不打印离开", WS_WAIT));	/* not printed: Esc once more */
	vt_key(sup, VT_KEY_ESC);
	assert_true(vt_expect(sup, "大厅实况", WS_WAIT));
	leave(&sup);
	unlink(printed);
	unlink(cli);
	rmdir(dir);
	free(want);
	free(doc);
	free(today);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_poor_rating_follow_up),
		cmocka_unit_test(test_charts),
		cmocka_unit_test(test_reassign_absent_clerk),
		cmocka_unit_test(test_daily_report),
	};

	return cmocka_run_group_tests_name("screen_supervisor", tests, setup, NULL);
}
