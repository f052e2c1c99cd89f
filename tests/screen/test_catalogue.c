/*
 * Choosing a case type at the window: F5 lists what the office's level
 * (GB/T 2260) may accept, filtered as the clerk types a code prefix, pinyin
 * initials or part of the name; Enter shows the 办事指南 with materials,
 * the levels that accept it and stages.
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

static char slip[64] = "/tmp/yc-guide-print.XXXXXX";
static char printer_arg[96];

static struct vt *
open_picker(const char *staff, const char *window)
{
	const char *args[] = { "--printer", printer_arg, NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);

	ws_login(vt, staff, "Demo-1234", window);
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	return vt;
}

static void
type_query(struct vt *vt, const char *q)
{
	vt_send(vt, "\025");	/* Ctrl-U clears the query */
	vt_send(vt, q);
	assert_true(vt_expect(vt, q, WS_WAIT));
	vt_settle(vt, 100, 2000);
}

/* A city clerk finds items by initials, code prefix and name. */
static void
test_search_by_initials_code_and_name(void **state)
{
	struct vt *vt = open_picker("clerk1", "3");

	(void)state;
	/* Unfiltered: the catalogue in code order, each with its limit. */
	assert_true(vt_expect(vt, "单位参保登记", WS_WAIT));
	assert_true(vt_expect(vt, "即时办结", WS_WAIT));
	type_query(vt, "ydjy");
	assert_true(vt_expect(vt, "异地安置退休人员备案", WS_WAIT));
	assert_true(vt_expect(vt, "异地转诊人员备案", WS_WAIT));
	assert_false(vt_find(vt, "门诊费用报销", NULL, NULL));
	type_query(vt, "002036006");
	assert_true(vt_expect(vt, "门诊费用报销", WS_WAIT));
	assert_true(vt_expect(vt, "住院费用报销", WS_WAIT));
	assert_true(vt_expect(vt, "异地急诊抢救费用报销", WS_WAIT));
	assert_false(vt_find(vt, "异地安置", NULL, NULL));
	assert_true(vt_expect(vt, "3 / ", WS_WAIT));
	/* The time limit stands beside each item. */
	assert_true(vt_expect(vt, "30个工作日", WS_WAIT));
	type_query(vt, "mzfybx");
	assert_true(vt_expect(vt, "门诊费用报销", WS_WAIT));
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	type_query(vt, "意外伤害");
	assert_true(vt_expect(vt, "意外伤害待遇备案", WS_WAIT));
	/* Unit registration, for the county (and prefecture) only, is offered at
	 * the county-level city hall. */
	type_query(vt, "单位参保");
	assert_true(vt_expect(vt, "单位参保登记", WS_WAIT));
	ws_sign_out(&vt);
}

/* Enter opens the guide: limit, stages, every material, proxy, steps. */
static void
test_guide_lists_materials_and_stages(void **state)
{
	struct vt *vt = open_picker("clerk1", "3");

	(void)state;
	type_query(vt, "002036006001");
	assert_true(vt_expect(vt, "门诊费用报销", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "门诊费用报销  002036006001", WS_WAIT));
	assert_true(vt_expect(vt, "办理时限：30个工作日", WS_WAIT));
	assert_true(vt_expect(vt, "乡镇（街道）初审", WS_WAIT));
	/* the levels of GB/T 2260 that accept it and that work each stage */
	assert_true(vt_expect(vt, "可受理层级：设区市级、县级、乡镇（街道）、村（社区）", WS_WAIT));
	assert_true(vt_expect(vt, "环节2：市医保中心复审、录入、复核（县级，5个工作日）", WS_WAIT));
	assert_true(vt_expect(vt, "医保电子凭证或有效身份证件或社保卡", WS_WAIT));
	assert_true(vt_expect(vt, "费用清单（原件）— 加盖医院公章", WS_WAIT));
	/* Scroll to the end: proxy materials and the steps. */
	vt_key(vt, VT_KEY_END);
	assert_true(vt_expect(vt, "授权委托书", WS_WAIT));
	assert_true(vt_expect(vt, "丰府办明〔2022〕12号", WS_WAIT));
	/* F6 prints what the screen shows to the window's printer. */
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "办事指南已打印", WS_WAIT));
	{
		FILE *fp = fopen(slip, "r");
		char buf[8192] = "";
		size_t n;

		assert_non_null(fp);
		n = fread(buf, 1, sizeof buf - 1, fp);
		buf[n] = '\0';
		fclose(fp);
		assert_non_null(strstr(buf, "门诊费用报销\n事项编码：002036006001"));
		assert_non_null(strstr(buf, "慢性病证（复印件，可容缺，受理后10个工作日内补交）"));
		assert_non_null(strstr(buf, "丰城市医疗保障服务中心"));
	}
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	ws_sign_out(&vt);
}

/* A village station sees the 附件2 items and those 荆医保发〔2023〕18号
 * item 19 sinks to every tier; a township also 附件1. */
static void
test_tier_filtering(void **state)
{
	struct vt *vt = open_picker("village1", "1");

	(void)state;
	type_query(vt, "002036006");
	assert_true(vt_expect(vt, "门诊费用报销", WS_WAIT));
	type_query(vt, "意外伤害");
	assert_true(vt_expect(vt, "没有符合的事项", WS_WAIT));
	type_query(vt, "单位参保");
	assert_true(vt_expect(vt, "没有符合的事项", WS_WAIT));
	/* the 高频事项 荆医保发〔2023〕18号 item 19 puts at every tier */
	type_query(vt, "其他临时外出");
	assert_true(vt_expect(vt, "其他临时外出就医人员备案", WS_WAIT));
	type_query(vt, "门诊慢特病病种");
	assert_true(vt_expect(vt, "门诊慢特病病种待遇认定", WS_WAIT));
	type_query(vt, "医疗救助对象");
	assert_true(vt_expect(vt, "医疗救助对象手工（零星）报销", WS_WAIT));
	ws_sign_out(&vt);

	vt = open_picker("town1", "1");
	type_query(vt, "意外伤害");
	assert_true(vt_expect(vt, "意外伤害待遇备案", WS_WAIT));
	/* 个人账户一次性支取 is for the county (and prefecture) only. */
	type_query(vt, "个人账户");
	assert_true(vt_expect(vt, "没有符合的事项", WS_WAIT));
	ws_sign_out(&vt);
}

/* 承诺制 in the guide at a village station: 其他临时外出就医人员备案 can be
 * done on a signed pledge, the guide says which proofs that replaces, and
 * the pledge stands as the last alternative of its group. */
static void
test_guide_pledge(void **state)
{
	struct vt *vt = open_picker("village1", "1");

	(void)state;
	type_query(vt, "qtlswcjyryba");
	assert_true(vt_expect(vt, "其他临时外出就医人员备案", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "其他临时外出就医人员备案  002036004008", WS_WAIT));
	assert_true(vt_expect(vt, "承诺制：可在窗口签署《异地就医备案个人承诺书》办理", WS_WAIT));
	assert_true(vt_expect(vt, "· 转诊转院证明或急诊证明等外出就医证明材料", WS_WAIT));
	assert_true(vt_expect(vt, "b) 承诺制：《异地就医备案个人承诺书》（原件）", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	ws_sign_out(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_by_initials_code_and_name),
		cmocka_unit_test(test_guide_lists_materials_and_stages),
		cmocka_unit_test(test_guide_pledge),
		cmocka_unit_test(test_tier_filtering),
	};

	int fd = mkstemp(slip), rc;

	if (fd < 0)
		return 1;
	close(fd);
	unlink(slip);
	snprintf(printer_arg, sizeof printer_arg, "file:%s", slip);
	rc = cmocka_run_group_tests_name("screen: catalogue", tests, NULL, NULL);
	unlink(slip);
	return rc;
}
