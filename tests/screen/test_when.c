/*
 * Conditional paths at the counter (when=, issue 17), in an office of the
 * test's own, 360981085 (a township of the demo city, window 1), with the
 * database's clock set through PGOPTIONS: a clerk takes 门诊慢特病病种待遇认定
 * (002036009001) down both paths of its 认定方式:
 *
 *   备案 (filing): the appraisal materials (3 疾病诊断证明书, 4 申请表) leave
 *   the checklist and the limit says 即时办结; a tick given on the 准入 path
 *   comes back with it; the 一次性告知书 printed lists only the medical
 *   record the 备案 path still needs; complete, it is finished at once
 *   准入 (admission) on 2026-12-31: four lines, 10 working days, accepted
 *   with its promised date in 2027 (provisional calendar: 01-15) and the
 *   two stages of the expert appraisal
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

#include "screen/ws.h"

#define OFFICE "360981085"

static char dir[64] = "/tmp/yc-when-screen.XXXXXX";
static char id1[19], id2[19], id3[19];

static struct vt *
start(const char *when, const char *printer)
{
	static char spec[128];
	const char *args[] = { "--printer", spec, NULL };
	struct vt *vt;

	snprintf(spec, sizeof spec, "file:%s/%s.txt", dir, printer);
	vt = ws_start_at(when, args);
	ws_login(vt, "wh_scr", "Demo-1234", "1");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	return vt;
}

/* F5, the type by its initials, F2; the applicant (registered, so the
 * name and phone come from the register), the disease: the cursor ends
 * on 认定方式. */
static void
open_chronic(struct vt *vt, const char *id)
{
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025mzmtbbzdyrd");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	/* the list gives the default limit and says there is another */
	assert_true(ws_row_expect(vt, "门诊慢特病病种待遇认定", (const char *const[]){ "10个工作日（部分情形",
	    NULL }, WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：门诊慢特病病种待遇认定", WS_WAIT));
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "条件测试", WS_WAIT));	/* found in the register */
	ws_tabs(vt, 4);		/* phone, 委托办理, the form's ID and phone */
	vt_send(vt, "2型糖尿病");
	ws_tabs(vt, 1);
}

/* From 认定方式 to the first material, past the hospitals. */
static void
to_materials(struct vt *vt)
{
	ws_tabs(vt, 1);
	vt_send(vt, "宜春市人民医院");
	ws_tabs(vt, 2);
}

static void
print_and_rate(struct vt *vt)
{
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "非常满意", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect_gone(vt, "非常满意", WS_WAIT));
}

static void
person(const char *id, const char *name)
{
	ws_sql_long("WITH i AS (INSERT INTO yc.person (id_no, name, phone) VALUES ($1, $2, '13800000985')"
	    " ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM i", 2, (const char *[]){ id, name });
}

static int
group_setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	ws_township(OFFICE, "条件画面测试街道");
	ws_staff("wh_scr", "温慧", "clerk", OFFICE);
	ws_idno("36098119660606851", id1);
	ws_idno("36098119660606852", id2);
	ws_idno("36098119660606853", id3);
	person(id1, "条件测试甲");
	person(id2, "条件测试乙");
	person(id3, "条件测试丙");
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	return ws_rmdir(dir);
}

static int
test_setup(void **state)
{
	(void)state;
	ws_sql_long("UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test' "
	    "WHERE staff_no = 'wh_scr' AND ended_at IS NULL", 0, NULL);
	ws_sql_long("WITH d AS (DELETE FROM yc.intake_draft WHERE staff_no = 'wh_scr' RETURNING 1) "
	    "SELECT count(*) FROM d", 0, NULL);
	/* the local copy of a draft an earlier run left */
	if (getenv("YICHUANG_VAR") != NULL) {
		char path[256];

		snprintf(path, sizeof path, "%s/drafts/wh_scr.draft", getenv("YICHUANG_VAR"));
		unlink(path);
	}
	return 0;
}

/* The newest case of the applicant: expr of it. */
static char *
case_of(const char *id, const char *expr)
{
	char sql[1024];

	snprintf(sql, sizeof sql, "SELECT %s FROM yc.service_case c WHERE c.office_code = '" OFFICE "'"
	    " AND c.id_no = $1 ORDER BY c.created_at DESC LIMIT 1", expr);
	return ws_sql_text(sql, 1, (const char *[]){ id });
}

static void
test_filing_path(void **state)
{
	struct vt *vt = start("2026-12-14T10:00:00+08", "filing");
	char *doc, *v;

	(void)state;
	open_chronic(vt, id1);
	/* unanswered: neither path's limit; the appraisal materials not asked */
	vt_key(vt, VT_KEY_RIGHT);		/* 备案 */
	assert_true(vt_expect(vt, "< 备案（可直接认定） >", WS_WAIT));
	assert_true(vt_expect(vt, "时限 即时办结", WS_WAIT));
	vt_key(vt, VT_KEY_RIGHT);		/* 准入 */
	assert_true(vt_expect(vt, "< 准入（需专家鉴定） >", WS_WAIT));
	assert_true(vt_expect(vt, "时限 10个工作日", WS_WAIT));
	to_materials(vt);
	vt_send(vt, " ");			/* 1 credential */
	ws_tabs(vt, 4);				/* the list scrolls to the end */
	assert_true(vt_expect(vt, "[  ] 3. 疾病诊断证明书", WS_WAIT));
	vt_send(vt, " ");			/* 3 the diagnosis */
	assert_true(vt_expect(vt, "[√] 3. 疾病诊断证明书", WS_WAIT));
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "[  ] 4. 《门诊慢特病病种待遇认定申请表》", WS_WAIT));
	assert_true(vt_expect(vt, "缺 2 项", WS_WAIT));

	/* back up to 认定方式 and turn it to 备案: the appraisal lines go */
	for (int i = 0; i < 8; i++)
		vt_key(vt, VT_KEY_UP);
	assert_true(vt_expect(vt, "< 准入（需专家鉴定） >", WS_WAIT));
	vt_key(vt, VT_KEY_LEFT);
	assert_true(vt_expect(vt, "< 备案（可直接认定） >", WS_WAIT));
	assert_true(vt_expect(vt, "时限 即时办结", WS_WAIT));
	assert_true(vt_expect_gone(vt, "疾病诊断证明书", WS_WAIT));
	assert_true(vt_expect_gone(vt, "申请表", WS_WAIT));
	assert_true(vt_expect(vt, "[√] 1. 医保电子凭证", WS_WAIT));
	assert_true(vt_expect(vt, "缺 1 项", WS_WAIT));
	/* and back to 准入: the diagnosis is still ticked */
	vt_key(vt, VT_KEY_RIGHT);
	assert_true(vt_expect(vt, "缺 2 项", WS_WAIT));
	for (int i = 0; i < 7; i++)
		vt_key(vt, VT_KEY_DOWN);
	assert_true(vt_expect(vt, "[√] 3. 疾病诊断证明书", WS_WAIT));
	for (int i = 0; i < 7; i++)
		vt_key(vt, VT_KEY_UP);
	assert_true(vt_expect(vt, "< 准入（需专家鉴定） >", WS_WAIT));
	vt_key(vt, VT_KEY_LEFT);
	assert_true(vt_expect_gone(vt, "疾病诊断证明书", WS_WAIT));

	/* 一次性告知: only what the 备案 path needs */
	ws_choose(vt, "一次性告知");
	assert_true(vt_expect(vt, "一次性告知书", WS_WAIT));
	print_and_rate(vt);
	doc = ws_printed(dir, "filing");
	assert_non_null(strstr(doc, "一次性告知书"));
	assert_non_null(strstr(doc, "门诊病历"));
	assert_non_null(strstr(doc, "（共1项）"));
	assert_null(strstr(doc, "疾病诊断证明书"));
	assert_null(strstr(doc, "申请表"));
	free(doc);
	v = case_of(id1, "c.status || '/' || (SELECT string_agg(material_id, ',' ORDER BY ord) FROM "
	    "yc.case_material m WHERE m.office_code = c.office_code AND m.case_no = c.case_no)");
	assert_string_equal(v, "pending_supplement/credential,outpatient_record,discharge,exam_report");
	free(v);

	/* a complete 备案 is finished at once */
	open_chronic(vt, id2);
	vt_key(vt, VT_KEY_RIGHT);
	assert_true(vt_expect(vt, "< 备案（可直接认定） >", WS_WAIT));
	to_materials(vt);
	vt_send(vt, " ");
	ws_tabs(vt, 2);
	vt_send(vt, " ");			/* 2b 出院记录 */
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
	ws_choose(vt, "即时办结");
	print_and_rate(vt);
	assert_true(vt_expect(vt, "已即时办结", WS_WAIT));
	v = case_of(id2, "c.status || '/' || c.promised_date || '/' || (SELECT count(*) FROM yc.case_stage s "
	    "WHERE s.office_code = c.office_code AND s.case_no = c.case_no)");
	assert_string_equal(v, "finished/2026-12-14/0");
	free(v);
	vt_free(&vt);
}

static void
test_admission_path(void **state)
{
	struct vt *vt = start("2026-12-31T10:00:00+08", "admission");
	char *doc, *v;

	(void)state;
	open_chronic(vt, id3);
	vt_key(vt, VT_KEY_LEFT);		/* from blank, Left is the last option */
	assert_true(vt_expect(vt, "< 准入（需专家鉴定） >", WS_WAIT));
	to_materials(vt);
	vt_send(vt, " ");
	ws_tabs(vt, 3);
	vt_send(vt, " ");			/* 2c 检查检验报告 */
	ws_tabs(vt, 1);
	vt_send(vt, " ");
	ws_tabs(vt, 1);
	vt_send(vt, " ");
	assert_true(vt_expect(vt, "[√] 4. 《门诊慢特病病种待遇认定申请表》", WS_WAIT));
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
	ws_choose(vt, "受理");
	print_and_rate(vt);
	/* the promised date on screen says the 2027 calendar is provisional */
	assert_true(vt_expect(vt, "已受理，承诺办结日期 2027-01-15（预计）", WS_WAIT));
	v = case_of(id3, "c.status || '/' || c.promised_date || '/' || c.limit_days || '/' || (SELECT "
	    "string_agg(s.name || ':' || s.due_date, ',' ORDER BY s.stage_no) FROM yc.case_stage s "
	    "WHERE s.office_code = c.office_code AND s.case_no = c.case_no)");
	assert_string_equal(v, "accepted/2027-01-15/10/组织专家鉴定:2027-01-13,认定结果录入、告知:2027-01-15");
	free(v);
	doc = ws_printed(dir, "admission");
	assert_non_null(strstr(doc, "2027年1月15日"));
	free(doc);
	vt_free(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_filing_path, test_setup),
		cmocka_unit_test_setup(test_admission_path, test_setup),
	};

	return cmocka_run_group_tests_name("screen_when", tests, group_setup, group_teardown);
}
