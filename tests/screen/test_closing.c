/*
 * A case closed before 办结, in a real terminal (db/functions/closing.sql,
 * tui/cases/caseview.c):
 *   撤回   a clerk accepts a 门诊费用报销, finds it again on the case desk
 *          (F7), opens it in the case view, presses F4, types the
 *          citizen's reason and answers the explicit 确认撤回？ with yes:
 *          the 撤回申请确认书 with the case number and the reason goes to
 *          the window's print file, and the case view says 已撤回;
 *   终止办理 a 容缺 case whose deferred 慢性病证 is past its supply-by date
 *          (the date moved back to the last working day before today, as
 *          the days passing would): the supervisor's office deadline board
 *          marks it 容缺逾期, the case view offers F5 (终止办理) and says
 *          why; the 终止办理告知书 with the case number and the overdue
 *          material goes to the print file.
 *
 * Case type 002036006001 门诊费用报销 (ws_fill_clinic; materials 1
 * credential (key), 2 invoice, 3 bill, 4 慢性病证 (deferrable 10 days)).
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

static char dir[64] = "/tmp/yc-closing.XXXXXX";

#define TODAY "(now() AT TIME ZONE 'Asia/Shanghai')::date"

/* The workstation printing to DIR/printer.txt, signed in as staff. */
static struct vt *
start(const char *printer, const char *staff, const char *window)
{
	static char spec[160];
	const char *args[] = { "--printer", spec, NULL };
	struct vt *vt;

	snprintf(spec, sizeof spec, "file:%s/%s.txt", dir, printer);
	vt = ws_start(24, 80, NULL, args, NULL);
	ws_login(vt, staff, "Demo-1234", window);
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	return vt;
}

/* The intake filled by ws_fill_clinic ended with outcome (its menu
 * label), the documents printed, the rating skipped: the case number. */
static char *
take_case(struct vt *vt, const char *id, const char *name, bool all, const char *outcome)
{
	ws_fill_clinic(vt, id, name, all);
	ws_choose(vt, outcome);
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "非常满意", WS_WAIT));
	vt_send(vt, "6");			/* no rating */
	assert_true(vt_expect_gone(vt, "非常满意", WS_WAIT));
	return ws_sql_text("SELECT case_no FROM yc.service_case WHERE id_no = $1 AND status = 'accepted'",
	    1, (const char *[]){ id });
}

/* F7, the case number in the lookup, Enter twice: the case view. */
static void
open_case(struct vt *vt, const char *case_no)
{
	ws_find(vt, case_no, "已受理");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "办理环节", WS_WAIT));
}

/* Whether the screen row holding needle also holds also (waits). */
static bool
row_holds(struct vt *vt, const char *needle, const char *also)
{
	for (int waited = 0; waited <= WS_WAIT; waited += 100) {
		int row;

		if (vt_find(vt, needle, &row, NULL)) {
			char *text = vt_row_text(vt, row);
			bool ok = strstr(text, also) != NULL;

			if (ok || waited + 100 > WS_WAIT) {
				if (!ok) {
					char *screen = vt_screen_text(vt);

					fprintf(stderr, "row \"%s\" lacks \"%s\"\n%s\n", text, also, screen);
					free(screen);
				}
				free(text);
				return ok;
			}
			free(text);
		}
		vt_settle(vt, 50, 100);
	}
	return false;
}

/* Whether the F-key bar (the last row) comes to show label. */
static bool
bar_has(struct vt *vt, const char *label)
{
	for (int waited = 0; waited <= WS_WAIT; waited += 100) {
		char *bar = vt_row_text(vt, vt_rows(vt) - 1);
		bool ok = strstr(bar, label) != NULL;

		if (!ok && waited + 100 > WS_WAIT)
			fprintf(stderr, "the key bar \"%s\" never showed \"%s\"\n", bar, label);
		free(bar);
		if (ok)
			return true;
		vt_settle(vt, 50, 100);
	}
	return false;
}

/* Whether the key bar shows label now. */
static bool
bar_shows(struct vt *vt, const char *label)
{
	char *bar = vt_row_text(vt, vt_rows(vt) - 1);
	bool ok = strstr(bar, label) != NULL;

	free(bar);
	return ok;
}

static void
test_clerk_withdraws_from_the_case_view(void **state)
{
	char id[19], digits[24], *case_no, *doc;
	struct vt *vt;

	(void)state;
	snprintf(digits, sizeof digits, "36098119800505%03d", (int)(getpid() % 1000));
	ws_idno(digits, id);
	vt = start("w5", "clerk1", "5");
	case_no = take_case(vt, id, "撤回甲", true, "受理");
	assert_int_equal(strlen(case_no), 18);

	open_case(vt, case_no);
	assert_true(bar_has(vt, "撤回"));
	assert_false(bar_shows(vt, "终止办理"));	/* nothing deferred, and not a supervisor */
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "撤回理由", WS_WAIT));
	vt_send(vt, "本人放弃申请");
	vt_key(vt, VT_KEY_ENTER);
	/* what will happen, and the explicit question */
	assert_true(vt_expect(vt, "确认撤回？", WS_WAIT));
	assert_true(vt_expect(vt, "本件不再办理", WS_WAIT));
	assert_true(vt_expect(vt, "是，确认撤回", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE case_no = $1 AND"
	    " status = 'accepted'", 1, (const char *[]){ case_no }), 1);
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "撤回申请确认书", WS_WAIT));
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	doc = ws_printed(dir, "w5");
	assert_non_null(strstr(doc, "撤回申请确认书"));
	assert_non_null(strstr(doc, case_no));
	assert_non_null(strstr(doc, "撤回理由：本人放弃申请"));
	assert_non_null(strstr(doc, "申请人（签字）"));
	free(doc);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE case_no = $1 AND"
	    " status = 'cancelled' AND closed_as = 'withdrawn' AND closed_reason = '本人放弃申请'", 1,
	    (const char *[]){ case_no }), 1);

	/* back in the case view: where it stands, the history line, no F4 */
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "状态：已撤回", WS_WAIT));
	assert_true(vt_expect(vt, "申请人已于", WS_WAIT));	/* withdrawn on …: the reason */
	assert_false(bar_shows(vt, "撤回"));
	/* the history, at the end */
	for (int i = 0; i < 3; i++) {
		vt_key(vt, VT_KEY_PGDN);
		vt_settle(vt, 50, 500);
	}
	assert_true(vt_expect(vt, "申请人撤回申请：本人放弃申请", WS_WAIT));
	/* a second withdrawal is refused with the reason */
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "该办件已结束", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "查询结果", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "我的在办件", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	ws_sign_out(&vt);
	free(case_no);
}

static void
test_supervisor_ends_an_overdue_deferred_case(void **state)
{
	char id[19], digits[24], *case_no, *doc;
	struct vt *vt;

	(void)state;
	snprintf(digits, sizeof digits, "36098119810606%03d", (int)(getpid() % 1000));
	ws_idno(digits, id);
	vt = start("w6", "clerk2", "6");
	case_no = take_case(vt, id, "终止乙", false, "容缺受理");
	ws_sign_out(&vt);
	/* the days pass: 慢性病证 was due on the last working day before today */
	assert_int_equal(ws_sql_long("UPDATE yc.case_material SET due_date = (SELECT max(d)::date FROM"
	    " generate_series(" TODAY " - 10, " TODAY " - 1, interval '1 day') d WHERE yc.is_workday(d::date))"
	    " WHERE case_no = $1 AND state = 'deferred' RETURNING 1", 1, (const char *[]){ case_no }), 1);

	vt = start("super", "super1", "");
	/* the office's deadline board marks it */
	vt_key(vt, VT_KEY_F7);
	assert_true(vt_expect(vt, "查询（", WS_WAIT));
	vt_key(vt, VT_KEY_TAB);
	vt_key(vt, VT_KEY_TAB);
	assert_true(vt_expect(vt, "本单位在办件", WS_WAIT));
	assert_true(row_holds(vt, case_no, "容缺逾期：慢性病证"));

	vt_send(vt, case_no);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "已受理", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "办理环节", WS_WAIT));
	assert_true(vt_expect(vt, "容缺逾期：申请人未按期补交容缺材料", WS_WAIT));
	assert_true(bar_has(vt, "终止办理"));
	assert_true(bar_shows(vt, "撤回"));		/* a supervisor takes cases too */
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "终止理由", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);		/* the default reason */
	assert_true(vt_expect(vt, "确认终止办理？", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	doc = ws_printed(dir, "super");
	assert_non_null(strstr(doc, "终止办理告知书"));
	assert_non_null(strstr(doc, case_no));
	assert_non_null(strstr(doc, "慢性病证"));
	assert_non_null(strstr(doc, "终止理由：申请人未在承诺期限内补交容缺材料"));
	assert_non_null(strstr(doc, "如未能按期补交上述材料"));
	free(doc);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE case_no = $1 AND"
	    " status = 'cancelled' AND closed_as = 'terminated'", 1, (const char *[]){ case_no }), 1);
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "状态：已终止办理", WS_WAIT));
	assert_false(bar_shows(vt, "终止办理"));
	/* printed again from the case view */
	vt_key(vt, VT_KEY_F8);
	assert_true(vt_expect(vt, "预览（1 份文书）", WS_WAIT));
	assert_true(vt_expect(vt, "告知书编号：N360981", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "状态：已终止办理", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "查询结果", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "本单位在办件", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	ws_sign_out(&vt);
	free(case_no);
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
		cmocka_unit_test(test_clerk_withdraws_from_the_case_view),
		cmocka_unit_test(test_supervisor_ends_an_overdue_deferred_case),
	};

	return cmocka_run_group_tests_name("closing", tests, setup, NULL);
}
