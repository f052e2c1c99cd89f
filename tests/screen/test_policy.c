/*
 * 参保测算 on screen (issue 17: seed 003's 参保长效机制), in an office of the
 * test's own, 360981080 (a township of the demo city, window 1), with the
 * database's clock set through PGOPTIONS:
 *
 *   on 4 December 2026 (inside the 集中参保期 for 2027) a clerk registers a
 *   resident last insured in 2024 (a gap of 2 years: 2025 and 2026): the
 *   line under the form says benefits from 1 May 2027 after a waiting
 *   period of 4 months; paying back one year makes it 1 April and 3
 *   months; F9 explains it rule by rule (fixed 3 months for not being
 *   continuous, 1 variable month removed by the payback at 400 yuan, the
 *   大病 cap 394000 = 400000 − 2 × 3000); F6 there takes 2 years into the
 *   form and F9 again 1 year back; the registration is finished at once,
 *   its 办结回执 prints when the benefits start, the payback and the cap,
 *   and the case stores them; the year 2027 is now insured
 *   on 31 December 2031, after the shipped calendar, I on a workbench
 *   opens it for a person insured 2027 to 2031: continuous and paid in the
 *   period, no waiting period, benefits from 1 January 2032
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

#define OFFICE "360981080"

static char dir[64] = "/tmp/yc-policy-screen.XXXXXX";
static char id_gap[19], id_cont[19];

static struct vt *
start(const char *when, const char *staff)
{
	static char printer[128];
	const char *args[] = { "--printer", printer, NULL };
	struct vt *vt;

	snprintf(printer, sizeof printer, "file:%s/w1.txt", dir);
	vt = ws_start_at(when, args);
	ws_login(vt, staff, "Demo-1234", "1");
	assert_true(vt_expect(vt, "F2叫号", WS_WAIT));
	return vt;
}

/* The printed text with its lines joined again (the page wraps at 80
 * columns, continuation lines indented). In place. */
static char *
flat(char *doc)
{
	char *o = doc;

	for (const char *s = doc; *s != '\0';) {
		if (*s == '\n') {
			for (s++; *s == ' ' || strncmp(s, "\u3000", 3) == 0; s += *s == ' ' ? 1 : 3)
				;
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
	return doc;
}

static int
group_setup(void **state)
{
	const char *p[2];

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	ws_township(OFFICE, "参保测算测试街道");
	ws_staff("tpol_c", "钟测", "clerk", OFFICE);
	ws_staff("tpol_d", "钟算", "clerk", OFFICE);
	ws_idno("36098119850310080", id_gap);
	ws_idno("36098119800501081", id_cont);
	p[0] = id_gap;
	p[1] = id_cont;
	ws_sql_long("WITH d AS (DELETE FROM yc.insurance_year WHERE id_no IN ($1, $2) RETURNING 1) "
	    "SELECT count(*) FROM d", 2, p);
	ws_sql_long("WITH i AS (INSERT INTO yc.insurance_year (id_no, year, scheme, insured, fund_paid, source) "
	    "VALUES ($1, 2024, 'resident', true, true, 'import') RETURNING 1) SELECT count(*) FROM i", 1, p);
	ws_sql_long("WITH i AS (INSERT INTO yc.insurance_year (id_no, year, scheme, insured, fund_paid, source) "
	    "SELECT $1, y, 'resident', true, true, 'import' FROM generate_series(2027, 2031) y RETURNING 1) "
	    "SELECT count(*) FROM i", 1, p + 1);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	return ws_rmdir(dir);
}

static void
test_register_with_gap(void **state)
{
	struct vt *vt;
	const char *p[] = { id_gap };
	char *doc, *v;

	(void)state;
	vt = start("2026-12-04T10:00:00+08", "tpol_c");
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025cxjmcbdj");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：城乡居民参保登记", WS_WAIT));
	vt_send(vt, id_gap);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "参保测算：2027年5月1日起享受待遇 · 等待期4个月 · 大病限额394000元", WS_WAIT));
	vt_send(vt, "王断保");
	ws_tabs(vt, 1);
	vt_send(vt, "13907950080");
	ws_tabs(vt, 2);			/* phone, then 委托办理 stays 否 */
	ws_tabs(vt, 2);			/* the form's ID and phone came from the applicant */
	vt_send(vt, " ");		/* 参保人员类别: 普通城乡居民 */
	assert_true(vt_expect(vt, "< 普通城乡居民 >", WS_WAIT));
	ws_tabs(vt, 1);
	vt_send(vt, "丰城市剑光街道");
	ws_tabs(vt, 3);			/* 资助类别 and 新认定困难人口 stay empty */
	vt_send(vt, "  ");		/* 补缴断保年度: 不补缴, then 补缴1年 */
	assert_true(vt_expect(vt, "< 补缴1年 >", WS_WAIT));
	assert_true(vt_expect(vt, "参保测算：2027年4月1日起享受待遇 · 等待期3个月 · 大病限额394000元", WS_WAIT));

	/* the whole of it, rule by rule */
	vt_key(vt, VT_KEY_F9);
	assert_true(vt_expect(vt, "待遇等待期3个月（固定3个月＋变动0个月），自2027年4月1日起享受待遇。", WS_WAIT));
	assert_true(vt_expect(vt, "未连续参保（断保2年）：设参保后固定待遇等待期3个月", WS_WAIT));
	assert_true(vt_expect(vt, "补缴1年（按当年个人缴费标准400元/年，共400元），减少变动待遇等待期1个月。", WS_WAIT));
	assert_true(vt_expect(vt, "2027年度大病保险最高支付限额394000元＝原封顶线400000元＋提高0元", WS_WAIT));
	assert_true(vt_expect(vt, "断保降低：断保2年，每年降低3000元，共6000元。", WS_WAIT));
	/* 2 years: the same waiting period, 800 yuan; F6 takes it into the form */
	vt_key(vt, VT_KEY_RIGHT);
	assert_true(vt_expect(vt, "< 补缴2年 >", WS_WAIT));
	assert_true(vt_expect(vt, "补缴2年（按当年个人缴费标准400元/年，共800元）", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "受理：城乡居民参保登记", WS_WAIT));
	assert_true(vt_expect(vt, "< 补缴2年 >", WS_WAIT));
	/* back to one year from the view again */
	vt_key(vt, VT_KEY_F9);
	assert_true(vt_expect(vt, "< 补缴2年 >", WS_WAIT));
	vt_key(vt, VT_KEY_LEFT);
	assert_true(vt_expect(vt, "< 补缴1年 >", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "受理：城乡居民参保登记", WS_WAIT));
	assert_true(vt_expect(vt, "< 补缴1年 >", WS_WAIT));

	/* the material, then 即时办结 */
	ws_tabs(vt, 1);
	vt_send(vt, " ");
	assert_true(vt_expect(vt, "材料齐全", WS_WAIT));
	ws_choose(vt, "即时办结");
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "非常满意", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "已即时办结", WS_WAIT));

	doc = flat(ws_printed(dir, "w1"));
	assert_non_null(strstr(doc, "办结回执"));
	assert_non_null(strstr(doc, "待遇等待期3个月（固定3个月，变动0个月），自2027年4月1日起享受城乡居民医保待遇。"));
	assert_non_null(strstr(doc, "补缴断保年度：1年，按当年个人缴费标准缴费400元"));
	assert_non_null(strstr(doc, "2027年度大病保险最高支付限额：394000元（原封顶线400000元，断保2年降低6000元）"));
	assert_non_null(strstr(doc, "补缴断保年度：补缴1年"));	/* the form's answer */
	assert_null(strstr(doc, id_gap));
	free(doc);
	v = ws_sql_text("SELECT concat_ws(' ', status, policy ->> 'wait', policy ->> 'start', policy ->> 'payback')"
	    " FROM yc.service_case WHERE id_no = $1 AND case_type_code = '002036001003'", 1, p);
	assert_string_equal(v, "finished 3 2027-04-01 1");
	free(v);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.insurance_year WHERE id_no = $1 AND year = 2027"
	    " AND source = 'window' AND central", 1, p), 1);
	ws_sign_out(&vt);
}

static void
test_continuous_after_the_calendar(void **state)
{
	struct vt *vt;

	(void)state;
	vt = start("2031-12-31T15:00:00+08", "tpol_d");
	vt_send(vt, "i");
	assert_true(vt_expect(vt, "参保测算：待遇等待期", WS_WAIT));
	vt_send(vt, id_cont);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "参保年度：2032年，在集中参保期内缴费。", WS_WAIT));
	assert_true(vt_expect(vt, "连续参保且在集中参保期内缴费：不设待遇等待期，自2032年1月1日起享受待遇。", WS_WAIT));
	assert_true(vt_expect(vt, "2031 居民 参保 · 有基金报销", WS_WAIT));
	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "F2叫号", WS_WAIT));
	ws_sign_out(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_with_gap),
		cmocka_unit_test(test_continuous_after_the_calendar),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
