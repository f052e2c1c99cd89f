/*
 * The one-window intake, end to end in a real terminal: call a ticket,
 * choose the case type by its initials, type the ID number and the form,
 * tick the materials with one missing, print the 一次性告知书 to a file;
 * the citizen comes back to an office of another county of the same
 * prefecture (全市通办: 丰城 → 高安, both of 宜春), the case is found by the
 * notice number and goes on to 受理 with the promised date of the official
 * calendar; in another prefecture (南昌) it is not found. Also 容缺受理 with its 承诺书, 不予受理, the draft that
 * survives a killed client, the deadline board, and a 备案 finished at a
 * township on the 承诺制 pledge instead of the residence proofs.
 *
 * Case type 002036007001 产前检查费支付 (limit 20 working days; materials
 * 1 credential (key), 2 invoice, 3 bill, 4 discharge | diagnosis (both
 * deferrable 5 days), 5 application; 委托办理 allowed).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "screen/ws.h"
#include "util/file.h"

static char dir[64] = "/tmp/yc-intake.XXXXXX";

/* The print channel of a terminal: a file of its own. */
static void
printer_spec(const char *name, char out[160])
{
	snprintf(out, 160, "file:%s/%s.txt", dir, name);
}


static struct vt *
start(const char *printer, const char *staff, const char *window)
{
	char spec[160];
	const char *args[] = { "--printer", spec, NULL };
	struct vt *vt;

	printer_spec(printer, spec);
	vt = ws_start(24, 80, NULL, args, NULL);
	ws_login(vt, staff, "Demo-1234", window);
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	return vt;
}

/* F5, the type by its initials, F2: the intake screen. */
static void
open_intake(struct vt *vt)
{
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025cqjcf");	/* Ctrl-U: the last query stays in the list */
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：产前检查费支付", WS_WAIT));
}

/*
 * Applicant (new person), the form, and the materials: every one ticked
 * except those in skip ("bill", "group" for the any-of line).
 */
static void
fill_intake(struct vt *vt, const char *id, const char *name, bool skip_bill, bool skip_group)
{
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "岁", WS_WAIT));	/* sex and age from the number */
	vt_send(vt, name);
	ws_tabs(vt, 1);
	vt_send(vt, "13907950001");
	ws_tabs(vt, 2);			/* phone, then 委托办理 stays 否 */
	ws_tabs(vt, 2);			/* form: ID and phone came from the applicant */
	vt_send(vt, "1234.5");
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "1,234.50", WS_WAIT));	/* normalised on leaving */
	vt_send(vt, "2026-11-02");
	ws_tabs(vt, 1);
	vt_send(vt, "丰城市人民医院");
	ws_tabs(vt, 1);
	vt_send(vt, "6222021234567890128");
	ws_tabs(vt, 1);
	/* materials: credential, invoice, bill, discharge, diagnosis, application */
	vt_send(vt, " ");
	ws_tabs(vt, 1);
	vt_send(vt, " ");
	ws_tabs(vt, 1);
	if (!skip_bill)
		vt_send(vt, " ");
	ws_tabs(vt, 1);
	if (!skip_group)
		vt_send(vt, " ");
	ws_tabs(vt, 2);
	vt_send(vt, " ");
	vt_settle(vt, 100, 2000);
}

/* Leaves the printed preview and answers the rating with grade key. */
static void
print_and_rate(struct vt *vt, const char *grade_key)
{
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "非常满意", WS_WAIT));
	vt_send(vt, grade_key);
	/* the rating is recorded before the question goes */
	assert_true(vt_expect_gone(vt, "非常满意", WS_WAIT));
}

static void
test_notice_then_supplement_elsewhere_then_accept(void **state)
{
	char id[19], *number, *doc, *notice, *case_no, *promised, *masked;
	struct vt *vt;

	(void)state;
	ws_drain_office();
	ws_idno("36098119880808123", id);
	number = ws_run("ticket issue --office 360981");
	vt = start("w3", "clerk1", "3");
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, number, WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "F6", WS_WAIT));
	open_intake(vt);
	fill_intake(vt, id, "测试甲", true, false);
	assert_true(vt_expect(vt, "缺 1 项", WS_WAIT));
	ws_choose(vt, "一次性告知");
	assert_true(vt_expect(vt, "一次性告知书", WS_WAIT));
	print_and_rate(vt, "2");
	assert_true(vt_expect(vt, "待补正", WS_WAIT));

	/* stored: the case waits, linked to the ticket, the notice lists the bill */
	notice = ws_sql_text("SELECT n.notice_no FROM yc.notice n JOIN yc.service_case c USING "
	    "(office_code, case_no) WHERE c.id_no = $1 AND n.kind = 'supplement'", 1,
	    (const char *[]){ id });
	assert_true(notice[0] == 'N');
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case c JOIN yc.ticket t "
	    "ON t.office_code = c.office_code AND t.ticket_id = c.ticket_id "
	    "WHERE c.id_no = $1 AND c.status = 'pending_supplement' AND t.number = $2", 2,
	    (const char *[]){ id, number }), 1);
	assert_int_equal(ws_sql_long("SELECT grade FROM yc.rating r JOIN yc.service_case c ON "
	    "c.office_code = r.case_office AND c.case_no = r.case_no WHERE c.id_no = $1", 1,
	    (const char *[]){ id }), 2);
	doc = ws_printed(dir, "w3");
	masked = strdup(id);
	memset(masked + 6, '*', 8);
	assert_non_null(strstr(doc, "一次性告知书"));
	assert_non_null(strstr(doc, notice));
	assert_non_null(strstr(doc, "费用清单"));
	assert_non_null(strstr(doc, masked));
	assert_null(strstr(doc, id));
	assert_non_null(strstr(doc, "（共1项）"));	/* only the bill is asked for */
	free(doc);
	vt_key(vt, VT_KEY_F6);			/* the ticket is served */
	ws_sign_out(&vt);

	/* in another prefecture (南昌市东湖区): not found, not even by notice */
	vt = start("donghu", "donghu1", "1");
	ws_find(vt, notice, "没有找到");
	assert_false(vt_find(vt, "测试甲", NULL, NULL));	/* the applicant's name */
	vt_key(vt, VT_KEY_F10);				/* back to the workbench */
	assert_true(vt_expect(vt, "当前没有号", WS_WAIT));
	ws_sign_out(&vt);

	/* back at 高安's hall, another county of 宜春: found by the notice number */
	vt = start("town", "gaoan1", "1");
	ws_find(vt, notice, "待补正");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "补正", WS_WAIT));
	assert_true(vt_expect(vt, "[已收]", WS_WAIT));	/* what was seen stays ticked */
	/* only the bill can be ticked: the cursor starts on it */
	vt_send(vt, " ");
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
	ws_choose(vt, "受理");
	assert_true(vt_expect(vt, "生育保险医疗费用报销受理单", WS_WAIT));
	print_and_rate(vt, "1");
	assert_true(vt_expect(vt, "已受理", WS_WAIT));

	case_no = ws_sql_text("SELECT case_no FROM yc.service_case WHERE id_no = $1", 1, (const char *[]){ id });
	promised = ws_sql_text("SELECT to_char(yc.add_workdays((now() AT TIME ZONE 'Asia/Shanghai')::date, 20), "
	    "'YYYY\"年\"FMMM\"月\"FMDD\"日\"')", 0, NULL);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = $1 AND "
	    "status = 'accepted' AND promised_date = yc.add_workdays((now() AT TIME ZONE 'Asia/Shanghai')::date, 20) AND "
	    "first_staff_no = 'clerk1' AND office_code = '360981'", 1, (const char *[]){ id }), 1);
	/* the 补正 is recorded as 高安's, by its clerk */
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_event e JOIN yc.service_case c USING "
	    "(office_code, case_no) WHERE c.id_no = $1 AND e.detail ->> 'office_code' = '360983' "
	    "AND e.staff_no = 'gaoan1'", 1, (const char *[]){ id }), 1);
	doc = ws_printed(dir, "town");
	/* the acceptance document under seed 002's own title */
	assert_non_null(strstr(doc, "生育保险医疗费用报销受理单"));
	assert_non_null(strstr(doc, case_no));
	assert_non_null(strstr(doc, promised));
	free(doc);
	ws_sign_out(&vt);
	free(masked);
	free(case_no);
	free(promised);
	free(notice);
	free(number);
}

static void
test_deferred_and_refused(void **state)
{
	char id[19], id2[19], *doc, *due;
	struct vt *vt;

	(void)state;
	ws_idno("36098119770707321", id);
	ws_idno("36098119660606432", id2);
	vt = start("w4", "clerk2", "4");
	open_intake(vt);
	fill_intake(vt, id, "测试乙", false, true);
	assert_true(vt_expect(vt, "均可容缺", WS_WAIT));
	ws_choose(vt, "容缺受理");
	assert_true(vt_expect(vt, "容缺受理通知书", WS_WAIT));
	print_and_rate(vt, "6");		/* skipped */
	assert_true(vt_expect(vt, "已受理", WS_WAIT));
	due = ws_sql_text("SELECT to_char(yc.add_workdays((now() AT TIME ZONE 'Asia/Shanghai')::date, 5), "
	    "'YYYY\"年\"FMMM\"月\"FMDD\"日\"')", 0, NULL);
	doc = ws_printed(dir, "w4");
	assert_non_null(strstr(doc, "容缺受理通知书"));
	assert_non_null(strstr(doc, "承诺书"));
	assert_non_null(strstr(doc, due));
	free(doc);
	/* the group is deferred through one member; the other is then not needed */
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_material m JOIN yc.service_case c "
	    "USING (office_code, case_no) WHERE c.id_no = $1 AND m.state = 'deferred' AND "
	    "m.due_date = yc.add_workdays((now() AT TIME ZONE 'Asia/Shanghai')::date, 5)", 1,
	    (const char *[]){ id }), 1);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_material m JOIN yc.service_case c "
	    "USING (office_code, case_no) WHERE c.id_no = $1 AND m.state = 'not_needed'", 1,
	    (const char *[]){ id }), 1);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.rating r JOIN yc.service_case c ON "
	    "c.office_code = r.case_office AND c.case_no = r.case_no WHERE c.id_no = $1", 1,
	    (const char *[]){ id }), 0);

	/* the deadline board shows the deferred materials */
	vt_key(vt, VT_KEY_F7);
	assert_true(vt_expect(vt, "出院记录", WS_WAIT));

	/* the same person and type again: the open case is shown first */
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "F7", WS_WAIT));
	open_intake(vt);
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "已有同一事项的在办件", WS_WAIT));
	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "放弃本次受理", WS_WAIT));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "确定放弃本次受理", WS_WAIT));	/* asked first */
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "已放弃", WS_WAIT));

	/* refused, with the reason printed */
	open_intake(vt);
	fill_intake(vt, id2, "测试丙", true, true);
	ws_choose(vt, "不予受理");
	assert_true(vt_expect(vt, "理由", WS_WAIT));
	vt_send(vt, "不属于本市参保范围");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "不予受理通知书", WS_WAIT));
	print_and_rate(vt, "4");
	doc = ws_printed(dir, "w4");
	assert_non_null(strstr(doc, "不属于本市参保范围"));
	free(doc);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.rating r JOIN yc.service_case c ON "
	    "c.office_code = r.case_office AND c.case_no = r.case_no WHERE c.id_no = $1 AND r.flagged", 1,
	    (const char *[]){ id2 }), 1);
	ws_sign_out(&vt);
	free(due);
}

/* 邮寄办: the clerk switches the channel, the return address and the
 * waybill appear and are needed; the acceptance document prints both; the
 * case is found by the waybill and the documents mailed back are recorded
 * in the case view (F7). */
static void
test_by_mail(void **state)
{
	char id[19], *doc;
	struct vt *vt;

	(void)state;
	ws_idno("36098119750505432", id);
	vt = start("w6", "clerk2", "6");
	open_intake(vt);
	vt_key(vt, VT_KEY_UP);			/* from the ID number to the channel */
	vt_key(vt, VT_KEY_LEFT);		/* 窗口办理 -> 邮寄办 */
	assert_true(vt_expect(vt, "< 邮寄办 >", WS_WAIT));
	assert_true(vt_expect(vt, "回寄地址", WS_WAIT));
	assert_true(vt_expect(vt, "来件运单号", WS_WAIT));
	ws_tabs(vt, 1);
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "岁", WS_WAIT));
	vt_send(vt, "测试邮");
	ws_tabs(vt, 1);
	vt_send(vt, "13907950006");
	ws_tabs(vt, 2);				/* 委托办理 stays 否 */
	vt_send(vt, "江西省丰城市河洲街道测试路6号");
	ws_tabs(vt, 1);
	vt_send(vt, "sf-1");			/* not a waybill: said on leaving the row */
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "运单号为8至30位字母或数字", WS_WAIT));
	vt_key(vt, VT_KEY_BTAB);		/* back to it (what was typed stays) */
	vt_send(vt, "\025sf 2233 4455 6677");	/* Ctrl-U, then the real one */
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "SF223344556677", WS_WAIT));	/* normalised on leaving */
	ws_tabs(vt, 2);				/* the form's ID and phone came from the applicant */
	vt_send(vt, "880");
	ws_tabs(vt, 1);
	vt_send(vt, "2026-11-02");
	ws_tabs(vt, 1);
	vt_send(vt, "丰城市人民医院");
	ws_tabs(vt, 1);
	vt_send(vt, "6222021234567890128");
	ws_tabs(vt, 1);
	for (int i = 0; i < 6; i++) {
		if (i != 4)			/* the any-of group needs one of its two */
			vt_send(vt, " ");
		ws_tabs(vt, 1);
	}
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
	ws_choose(vt, "受理");
	assert_true(vt_expect(vt, "生育保险医疗费用报销受理单", WS_WAIT));
	print_and_rate(vt, "1");
	assert_true(vt_expect(vt, "已受理", WS_WAIT));
	doc = ws_printed(dir, "w6");
	assert_non_null(strstr(doc, "办理方式：邮寄办"));
	assert_non_null(strstr(doc, "来件运单号：SF223344556677"));
	assert_non_null(strstr(doc, "文书寄往：江西省丰城市河洲街道测试路6号"));
	free(doc);

	/* found by the waybill; the receipt mailed back is recorded */
	ws_find(vt, "SF223344556677", "已受理");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "收到申请材料，运单号 SF223344556677", WS_WAIT));
	vt_key(vt, VT_KEY_F7);
	assert_true(vt_expect(vt, "寄给申请人的邮件运单号", WS_WAIT));
	vt_send(vt, "YT1234567890123");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "邮件内容", WS_WAIT));
	vt_send(vt, "受理单");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "已登记：文书已邮寄给申请人", WS_WAIT));
	assert_true(vt_expect(vt, "寄出受理单，运单号 YT1234567890123", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_mail m JOIN yc.service_case c "
	    "USING (office_code, case_no) WHERE c.id_no = $1 AND m.direction = 'out' AND "
	    "m.address = '江西省丰城市河洲街道测试路6号' AND m.staff_no = 'clerk2'", 1, (const char *[]){ id }), 1);
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "查询结果", WS_WAIT));
	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "F2叫号", WS_WAIT));
	ws_sign_out(&vt);
}

/* 不予受理 of a 零星报销: the definition's reasons are offered; a typed
 * reason of late filing is refused with the reason on the message line and
 * nothing is written; a listed reason is printed on the notice. */
static void
test_refusal_reasons(void **state)
{
	char id[19], digits[24], *doc;
	struct vt *vt;

	(void)state;
	snprintf(digits, sizeof digits, "36098119710202%03d", (int)(getpid() % 1000));
	ws_idno(digits, id);
	vt = start("w6", "clerk2", "6");
	ws_fill_clinic(vt, id, "拒办甲", true);
	ws_choose(vt, "不予受理");
	assert_true(vt_expect(vt, "不属于本统筹区参保人员", WS_WAIT));
	assert_true(vt_expect(vt, "其他理由（自行填写）", WS_WAIT));
	vt_send(vt, "3");			/* another reason, typed */
	assert_true(vt_expect_gone(vt, "其他理由（自行填写）", WS_WAIT));	/* the menu went */
	assert_true(vt_expect(vt, "理由", WS_WAIT));
	vt_send(vt, "已超过申报时限");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "不得以超申报时限为由拒绝受理", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = $1", 1,
	    (const char *[]){ id }), 0);
	ws_choose(vt, "不予受理");
	assert_true(vt_expect(vt, "不属于本统筹区参保人员", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "不予受理通知书", WS_WAIT));
	print_and_rate(vt, "6");
	doc = ws_printed(dir, "w6");
	assert_non_null(strstr(doc, "不属于本统筹区参保人员"));
	free(doc);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = $1 AND "
	    "status = 'rejected'", 1, (const char *[]){ id }), 1);
	ws_sign_out(&vt);
}

/* 即时办结 for a registered person: the receipt and the 参保凭证 with the
 * insurance record, the ID masked. */
static void
test_finished_at_once_with_certificate(void **state)
{
	struct vt *vt;
	char *doc;

	(void)state;
	vt = start("w7", "clerk2", "7");
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025cjcbpz");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：出具《参保凭证》", WS_WAIT));
	vt_send(vt, "360981198503150023");
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "张丽（已登记）", WS_WAIT));
	assert_true(vt_expect(vt, "13907950123", WS_WAIT));	/* the phone on record */
	ws_tabs(vt, 4);			/* phone, 委托办理, the form's ID and phone */
	vt_send(vt, " ");		/* 参保险种: the first choice */
	assert_true(vt_expect(vt, "< 职工基本医疗保险 >", WS_WAIT));
	ws_tabs(vt, 1);
	vt_send(vt, " ");
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
	ws_choose(vt, "即时办结");
	assert_true(vt_expect(vt, "预览（2 份文书）", WS_WAIT));
	print_and_rate(vt, "1");
	assert_true(vt_expect(vt, "已即时办结", WS_WAIT));
	doc = ws_printed(dir, "w7");
	assert_non_null(strstr(doc, "参保凭证"));
	assert_non_null(strstr(doc, "张丽"));
	assert_non_null(strstr(doc, "360981********0023"));
	assert_null(strstr(doc, "360981198503150023"));
	assert_non_null(strstr(doc, "参保缴费"));
	free(doc);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = "
	    "'360981198503150023' AND status = 'finished' AND form->>'insurance' = 'employee'", 0, NULL), 1);
	ws_sign_out(&vt);
}

/* Esc from the case view, Esc from the case desk. */
static void
back_to_workbench(struct vt *vt)
{
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "查询（", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "您好", WS_WAIT));
}

/* Opens the first case of the stage work list and completes its stage. */
static void
complete_stage(struct vt *vt, const char *stage, const char *case_no)
{
	assert_true(vt_expect(vt, stage, WS_WAIT));
	assert_true(vt_expect(vt, case_no, WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "办理环节", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "本环节已办完", WS_WAIT));
}

/* 前台受理、后台分办: accepted at a village station, 初审 at its township,
 * 复核 and 拨付 at the city, 办结 with the citizen's notification queued. */
static void
test_village_case_through_the_stages(void **state)
{
	char id[19], *case_no;
	struct vt *vt;

	(void)state;
	ws_idno("36098119830303111", id);
	vt = start("village", "village1", "1");
	open_intake(vt);
	fill_intake(vt, id, "测试丁", false, false);
	ws_choose(vt, "受理");
	print_and_rate(vt, "1");
	assert_true(vt_expect(vt, "已受理", WS_WAIT));
	ws_sign_out(&vt);
	case_no = ws_sql_text("SELECT case_no FROM yc.service_case WHERE id_no = $1", 1, (const char *[]){ id });
	assert_true(strncmp(case_no, "360981001001", 12) == 0);

	/* the township: Tab to the stage work */
	vt = start("town", "town1", "1");
	vt_key(vt, VT_KEY_F7);
	assert_true(vt_expect(vt, "我的在办件", WS_WAIT));
	vt_key(vt, VT_KEY_TAB);
	complete_stage(vt, "乡镇（街道）初审", case_no);
	back_to_workbench(vt);
	ws_sign_out(&vt);

	/* the city: the reviewer's desk opens on the stage work */
	vt = start("city", "review1", "");
	vt_key(vt, VT_KEY_F7);
	complete_stage(vt, "市医保中心复审", case_no);
	/* two F2 in one read (a double press on a slow line) complete
	 * nothing: 拨付 is still open */
	vt_send(vt, "\033OQ\033OQ");
	assert_true(vt_expect(vt, "请单独按一次 F2", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT stage_no FROM yc.service_case WHERE case_no = $1", 1,
	    (const char *[]){ case_no }), 3);
	vt_key(vt, VT_KEY_F2);		/* 拨付, shown in the same case view */
	assert_true(vt_expect(vt, "待办结", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "办理结果", WS_WAIT));
	vt_send(vt, "已拨付至参保人银行卡");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "打印办结通知", WS_WAIT));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "已拨付至参保人银行卡", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE case_no = $1 AND "
	    "status = 'finished'", 1, (const char *[]){ case_no }), 1);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.outbox WHERE case_no = $1 AND "
	    "kind = 'finished' AND sent_at IS NULL", 1, (const char *[]){ case_no }), 1);
	/* a second F2 on the finished case does nothing, and says what
	 * happened to it (issue 19), not that a material is missing */
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "已由陈志强（丰城市医疗保障服务中心）办理", WS_WAIT));
	assert_false(vt_find(vt, "材料", NULL, NULL));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE case_no = $1 AND "
	    "status = 'finished'", 1, (const char *[]){ case_no }), 1);
	back_to_workbench(vt);
	ws_sign_out(&vt);
	free(case_no);
}

/* 承诺制 at a township (洪医保发〔2022〕83号 第（七）项): 异地长期居住人员备案
 * (002036004002) with the ID, the filing form and the pledge, no residence
 * or unit proof: F3 ticks the pledge line, the case is finished at once,
 * and the 个人承诺书 is printed with the receipt, the proofs it replaces
 * listed and the ID masked. */
static void
test_pledge_at_a_township(void **state)
{
	char id[19], *doc, *case_no;
	struct vt *vt;

	(void)state;
	ws_idno("36098119701111222", id);
	vt = start("pledge", "town1", "1");
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025ydcqjzryba");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：异地长期居住人员备案", WS_WAIT));
	assert_true(vt_expect(vt, "F3承诺制", WS_WAIT));	/* the key, where the type has the path */
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "岁", WS_WAIT));
	vt_send(vt, "测试承诺");
	ws_tabs(vt, 1);
	vt_send(vt, "13907950009");
	ws_tabs(vt, 2);			/* phone, then 委托办理 stays 否 */
	ws_tabs(vt, 2);			/* form: ID and phone came from the applicant */
	vt_send(vt, "广东省深圳市");
	ws_tabs(vt, 1);
	vt_send(vt, "2026-11-02");
	ws_tabs(vt, 1);
	/* materials: 1 filing form, 2a unit proof, 2b residence, 2c pledge, 3 ID */
	vt_send(vt, " ");
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "缺 2 项材料", WS_WAIT));	/* the residence group and the ID */
	vt_key(vt, VT_KEY_F3);
	assert_true(vt_expect(vt, "[√] 2c. 承诺制：当场签署《异地就医备案个人承诺书》，代替 2a、2b", WS_WAIT));
	assert_true(vt_expect(vt, "受理后打印承诺书", WS_WAIT));
	ws_tabs(vt, 1);
	vt_send(vt, " ");
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
	ws_choose(vt, "即时办结");
	assert_true(vt_expect(vt, "预览（2 份文书）", WS_WAIT));
	print_and_rate(vt, "1");
	assert_true(vt_expect(vt, "已即时办结", WS_WAIT));
	ws_sign_out(&vt);

	case_no = ws_sql_text("SELECT case_no FROM yc.service_case WHERE id_no = $1 AND status = 'finished'",
	    1, (const char *[]){ id });
	assert_true(strncmp(case_no, "360981001", 9) == 0);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_material WHERE case_no = $1 AND "
	    "((material_id = 'pledge' AND state = 'seen') OR (material_id IN ('unit_proof', 'residence') "
	    "AND state = 'not_needed'))", 1, (const char *[]){ case_no }), 3);
	doc = ws_printed(dir, "pledge");
	assert_non_null(strstr(doc, "办结回执"));
	assert_non_null(strstr(doc, "\n异地就医备案个人承诺书\n"));
	assert_non_null(strstr(doc, "以本承诺书代替"));
	assert_non_null(strstr(doc, "不再提供：\n 1. 所在单位出具长期安置地工作或学习的证明材料\n"
	    " 2. 本人、配偶、子女或其他亲属"));
	assert_non_null(strstr(doc, "如有虚假，愿承担相应责任"));
	assert_non_null(strstr(doc, "申请人（签字）："));
	assert_non_null(strstr(doc, "广东省深圳市"));
	assert_non_null(strstr(doc, "360981********"));
	assert_null(strstr(doc, id));
	free(doc);
	free(case_no);
}

/* F7, the notice number, Enter, Enter: the 补正 of a waiting case, the
 * bill (the one missing material) ticked. */
static void
pull_up(struct vt *vt, const char *notice)
{
	vt_key(vt, VT_KEY_F7);
	assert_true(vt_expect(vt, "查询", WS_WAIT));
	vt_send(vt, notice);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "待补正", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "[已收]", WS_WAIT));
	vt_send(vt, " ");
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
}

/* Two windows take up the same 补正 at once (issue 19): 高安 and 丰城 both
 * pull up the notice, 丰城 accepts first; 高安's 受理 changes nothing and
 * says who did it (已由王芳…办理), not that the case was not found. */
static void
test_two_supplements_at_once(void **state)
{
	char id[19], *notice, *draft;
	struct vt *vt, *other;

	(void)state;
	ws_idno("36098119870505222", id);
	vt = start("w7", "clerk1", "7");
	open_intake(vt);
	fill_intake(vt, id, "测试戊", true, false);
	assert_true(vt_expect(vt, "缺 1 项", WS_WAIT));
	ws_choose(vt, "一次性告知");
	print_and_rate(vt, "1");
	assert_true(vt_expect(vt, "待补正", WS_WAIT));
	ws_sign_out(&vt);
	notice = ws_sql_text("SELECT n.notice_no FROM yc.notice n JOIN yc.service_case c USING "
	    "(office_code, case_no) WHERE c.id_no = $1 AND n.kind = 'supplement'", 1,
	    (const char *[]){ id });
	assert_true(notice[0] == 'N');

	vt = start("gaoan", "gaoan1", "2");
	pull_up(vt, notice);
	other = start("w8", "clerk2", "8");
	pull_up(other, notice);
	ws_choose(other, "受理");
	print_and_rate(other, "1");
	assert_true(vt_expect(other, "已受理", WS_WAIT));
	ws_sign_out(&other);

	ws_choose(vt, "受理");
	assert_true(vt_expect(vt, "已由王芳（丰城市医疗保障服务中心）办理", WS_WAIT));
	assert_true(vt_expect(vt, "补正后受理", WS_WAIT));
	assert_false(vt_find(vt, "没有找到", NULL, NULL));
	/* accepted once, by 丰城 */
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_event e JOIN yc.service_case c USING "
	    "(office_code, case_no) WHERE c.id_no = $1 AND e.kind LIKE 'continue_%'", 1,
	    (const char *[]){ id }), 1);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = $1 AND "
	    "status = 'accepted'", 1, (const char *[]){ id }), 1);
	/* the intake left on 高安's screen is not kept for the next test */
	vt_kill(vt, SIGKILL);
	vt_free(&vt);
	ws_sql_long("WITH d AS (DELETE FROM yc.intake_draft WHERE staff_no = 'gaoan1' RETURNING 1) "
	    "SELECT count(*) FROM d", 0, NULL);
	draft = malloc(strlen(getenv("YICHUANG_VAR")) + 32);
	sprintf(draft, "%s/drafts/gaoan1.draft", getenv("YICHUANG_VAR"));
	unlink(draft);
	free(draft);
	free(notice);
}

/* A client killed mid-intake, after typing while the connection was
 * down: the next sign-in offers everything typed. */
static void
test_draft_survives_a_killed_client(void **state)
{
	char id[19], path[512], *text;
	bool saved = false;
	struct vt *vt;
	size_t len;

	(void)state;
	ws_idno("36098119991212543", id);
	vt = start("w5", "clerk2", "5");
	open_intake(vt);
	vt_send(vt, id);
	ws_tabs(vt, 1);
	vt_send(vt, "草稿人");
	vt_settle(vt, 200, 2000);
	/* the connection drops; what is typed meanwhile is kept on this machine */
	assert_true(ws_sql_long("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	    "WHERE usename = 'yichuang_app' AND application_name = 'yichuang'", 0, NULL) >= 1);
	assert_true(vt_expect(vt, "数据库连接中断", WS_WAIT));
	vt_send(vt, "乙");
	/* written within a moment (draft writes are at most a few a second) */
	snprintf(path, sizeof path, "%s/drafts/clerk2.draft", getenv("YICHUANG_VAR"));
	for (int waited = 0; waited < WS_WAIT; waited += 100) {
		text = file_read(path, 65536, &len);
		saved = text != NULL && strstr(text, "name=草稿人乙\n") != NULL;
		free(text);
		if (saved)
			break;
		vt_settle(vt, 50, 100);
	}
	assert_true(saved);
	vt_kill(vt, SIGKILL);
	vt_free(&vt);

	vt = start("w6", "clerk2", "6");
	assert_true(vt_expect(vt, "未完成的受理", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "受理：产前检查费支付", WS_WAIT));
	assert_true(vt_expect(vt, id, WS_WAIT));
	assert_true(vt_expect(vt, "草稿人乙", WS_WAIT));
	/* discarded on purpose: gone for the next sign-in */
	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "离开受理界面", WS_WAIT));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "确定放弃本次受理", WS_WAIT));	/* asked first */
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "已放弃", WS_WAIT));
	ws_sign_out(&vt);
	vt = start("w6", "clerk2", "6");
	vt_settle(vt, 300, 2000);
	assert_false(vt_find(vt, "未完成的受理", NULL, NULL));
	ws_sign_out(&vt);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notice_then_supplement_elsewhere_then_accept),
		cmocka_unit_test(test_deferred_and_refused),
		cmocka_unit_test(test_by_mail),
		cmocka_unit_test(test_refusal_reasons),
		cmocka_unit_test(test_finished_at_once_with_certificate),
		cmocka_unit_test(test_village_case_through_the_stages),
		cmocka_unit_test(test_pledge_at_a_township),
		cmocka_unit_test(test_draft_survives_a_killed_client),
		cmocka_unit_test(test_two_supplements_at_once),
	};

	return cmocka_run_group_tests_name("intake", tests, setup, NULL);
}
