/*
 * The self-service terminal (yichuang kiosk --self-service, issue 16)
 * through a real terminal, as the kiosk role:
 *
 *   progress     查进度 of one person shows their own case (事项, stage,
 *                promised date) and nothing of another person's; the ID
 *                number is never on screen whole
 *   certificate  参保信息查询 shows the insurance record; 1 prints the
 *                参保凭证 with the person's data to the printer file
 *   filing       a 承诺制 异地就医备案: type, place, the 备案登记表 and
 *                承诺书 on screen, Enter: accepted and finished without a
 *                clerk (channel selfservice), both printed; then revoked
 *                at the terminal
 *   idle         left alone for --idle-seconds the terminal clears the
 *                person from the screen and returns to the ID prompt
 *   year end     a filing on 2027-12-31 (after the shipped calendar, the
 *                clock faked on the superuser's connection) is finished
 *                and printed with that date
 *
 * Office 360962 of its own.
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

#include "model/i18n.h"
#include "screen/ws.h"
#include "util/xalloc.h"

#define OFFICE "360962"

static char dir[64] = "/tmp/yc-selfsvc.XXXXXX";
static char print_arg[128];
static char id_a[19], id_b[19];

static void
clear_cases(void)
{
	static const char *const tables[] = { "outbox", "case_mail", "case_stage", "case_material",
		"notice", "case_event", "service_case", "case_counter" };

	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[160];

		snprintf(sql, sizeof sql, "WITH d AS (DELETE FROM yc.%s WHERE office_code = '"
		    OFFICE "' RETURNING 1) SELECT count(*) FROM d", tables[i]);
		ws_sql_long(sql, 0, NULL);
	}
}

/* Files a 备案 for id through the server (as the superuser); its number. */
static char *
file_by_sql(const char *id, const char *kind)
{
	const char *p[] = { id, kind };

	return ws_sql_text("SELECT case_no FROM yc.selfsvc_filing('" OFFICE "', $1, $2, '上海市', true)",
	    2, p);
}

static char *
printed(void)
{
	char path[160], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/docs.txt", dir);
	f = fopen(path, "r");
	if (f == NULL)
		return xstrdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xcalloc((size_t)n + 1, 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static struct vt *
start(const char *idle)
{
	const char *args[] = { "kiosk", "--self-service", "--office", OFFICE, "--printer", print_arg,
	    idle != NULL ? "--idle-seconds" : NULL, idle, NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);

	assert_true(vt_expect(vt, "请刷身份证，或输入身份证号码", WS_WAIT));
	return vt;
}

/* Types id and Enter; expects the menu with the masked name. */
static void
sign_on(struct vt *vt, const char *id, const char *masked_name)
{
	vt_send(vt, id);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "请选择服务", WS_WAIT));
	assert_true(vt_expect(vt, masked_name, WS_WAIT));
	assert_true(vt_expect(vt, "查进度", WS_WAIT));
	assert_false(vt_find(vt, id, NULL, NULL));
	assert_false(vt_find(vt, id + 6, NULL, NULL));
}

static int
setup(void **state)
{
	char *mo;
	const char *p[2];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(print_arg, sizeof print_arg, "file:%s/docs.txt", dir);
	mo = xasprintf("%.*s/locale/zh_CN/LC_MESSAGES/yichuang.mo",
	    (int)(strrchr(getenv("YC_TEST_BIN"), '/') - getenv("YC_TEST_BIN")), getenv("YC_TEST_BIN"));
	if (i18n_load(mo) != 0) {
		free(mo);
		return -1;
	}
	free(mo);
	ws_sql_long("WITH o AS (INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
	    " VALUES ('" OFFICE "', '自助终端测试医保中心', 'county', '3609', '" OFFICE "')"
	    " ON CONFLICT (code) DO NOTHING RETURNING 1) SELECT count(*) FROM o", 0, NULL);
	ws_idno("36098119700312961", id_a);
	ws_idno("36098119800415962", id_b);
	p[0] = id_a;
	p[1] = "张三丰";
	ws_sql_long("WITH i AS (INSERT INTO yc.person (id_no, name, phone) VALUES ($1, $2, '13800000961')"
	    " ON CONFLICT (id_no) DO UPDATE SET name = EXCLUDED.name RETURNING 1) SELECT count(*) FROM i",
	    2, p);
	ws_sql_long("WITH i AS (INSERT INTO yc.insurance (id_no, scheme, status, since, unit_name,"
	    " office_code) VALUES ($1, 'employee', 'active', '2015-07-01', '丰城市自助测试单位', '"
	    OFFICE "') ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM i", 1, p);
	p[0] = id_b;
	p[1] = "李四海";
	ws_sql_long("WITH i AS (INSERT INTO yc.person (id_no, name, phone) VALUES ($1, $2, '13800000962')"
	    " ON CONFLICT (id_no) DO UPDATE SET name = EXCLUDED.name RETURNING 1) SELECT count(*) FROM i",
	    2, p);
	return 0;
}

static int
teardown(void **state)
{
	char path[160];

	(void)state;
	clear_cases();
	snprintf(path, sizeof path, "%s/docs.txt", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int
each(void **state)
{
	char path[160];

	(void)state;
	clear_cases();
	snprintf(path, sizeof path, "%s/docs.txt", dir);
	unlink(path);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void
test_progress(void **state)
{
	char *ca = file_by_sql(id_a, "resident"), *cb = file_by_sql(id_b, "worker");
	struct vt *vt = start(NULL);

	(void)state;
	assert_int_equal(strlen(ca), strlen(OFFICE) + 12);
	assert_int_equal(strlen(cb), strlen(OFFICE) + 12);
	/* typing: only the first six characters visible */
	vt_send(vt, id_a);
	assert_true(vt_expect(vt, "360981************", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "张*丰", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "我的办件", WS_WAIT));
	assert_true(vt_expect(vt, "异地就医备案（承诺制）", WS_WAIT));
	assert_true(vt_expect(vt, ca, WS_WAIT));
	assert_true(vt_expect(vt, "已办结", WS_WAIT));
	assert_true(vt_expect(vt, "承诺办结日期", WS_WAIT));
	assert_false(vt_find(vt, cb, NULL, NULL));
	assert_false(vt_find(vt, "李", NULL, NULL));
	assert_false(vt_find(vt, id_a + 6, NULL, NULL));
	/* Esc: the menu, then the start, with nothing of the person left */
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "请选择服务", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "请刷身份证，或输入身份证号码", WS_WAIT));
	assert_false(vt_find(vt, "张*丰", NULL, NULL));
	/* the other person sees their own case only */
	sign_on(vt, id_b, "李*海");
	vt_send(vt, "1");
	assert_true(vt_expect(vt, cb, WS_WAIT));
	assert_false(vt_find(vt, ca, NULL, NULL));
	vt_free(&vt);
	free(ca);
	free(cb);
}

static void
test_certificate(void **state)
{
	struct vt *vt = start(NULL);
	char *doc;

	(void)state;
	sign_on(vt, id_a, "张*丰");
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "参保信息", WS_WAIT));
	assert_true(vt_expect(vt, "职工医保：参保缴费", WS_WAIT));
	assert_true(vt_expect(vt, "丰城市自助测试单位", WS_WAIT));
	doc = printed();
	assert_string_equal(doc, "");
	free(doc);
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "参保凭证已打印", WS_WAIT));
	doc = printed();
	assert_non_null(strstr(doc, "参保凭证"));
	assert_non_null(strstr(doc, "张三丰"));
	assert_non_null(strstr(doc, "职工医保"));
	assert_non_null(strstr(doc, "2015年7月1日"));
	assert_non_null(strstr(doc, "自助服务终端"));
	assert_null(strstr(doc, id_a));
	assert_null(strstr(doc, "办件编号"));
	free(doc);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE action = 'selfsvc_certificate'"
	    " AND office_code = '" OFFICE "' AND at > now() - interval '1 minute'", 0, NULL), 1);
	/* a person without an insurance record gets none */
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "请选择服务", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "请刷身份证，或输入身份证号码", WS_WAIT));
	sign_on(vt, id_b, "李*海");
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "没有参保记录", WS_WAIT));
	vt_free(&vt);
}

static void
test_filing_and_revoke(void **state)
{
	struct vt *vt = start(NULL);
	const char *p[] = { id_a };
	char *doc, *case_no, *row;

	(void)state;
	sign_on(vt, id_a, "张*丰");
	vt_send(vt, "3");
	assert_true(vt_expect(vt, "请选择备案类型", WS_WAIT));
	assert_true(vt_expect(vt, "异地长期居住人员", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "请选择就医地", WS_WAIT));
	assert_true(vt_expect(vt, "上海市", WS_WAIT));
	vt_send(vt, "9");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "请阅读备案登记表和个人承诺书", WS_WAIT));
	assert_true(vt_expect(vt, "异地就医登记备案表", WS_WAIT));
	assert_true(vt_expect(vt, "上海市", WS_WAIT));
	/* a preview keeps nothing */
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = $1", 1, p), 0);
	/* read on to the 承诺书 */
	{
		bool seen = false;

		for (int i = 0; i < 6 && !seen; i++) {
			vt_key(vt, VT_KEY_PGDN);
			seen = vt_expect(vt, "异地就医备案个人承诺书", 700);
		}
		assert_true(seen);
	}
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "备案已办结", WS_WAIT));
	assert_true(vt_expect(vt, "系统已受理并办结", WS_WAIT));
	assert_true(vt_expect(vt, "备案登记表和个人承诺书已打印", WS_WAIT));
	case_no = ws_sql_text("SELECT case_no || '/' || status || '/' || channel || '/'"
	    " || coalesce(first_staff_no, 'none') FROM yc.service_case WHERE id_no = $1", 1, p);
	assert_non_null(strstr(case_no, "/finished/selfservice/none"));
	*strchr(case_no, '/') = '\0';
	assert_true(vt_expect(vt, case_no, WS_WAIT));
	doc = printed();
	assert_non_null(strstr(doc, "异地就医登记备案表"));
	assert_non_null(strstr(doc, "异地就医备案个人承诺书"));
	assert_non_null(strstr(doc, "自助办理"));
	assert_non_null(strstr(doc, "异地长期居住人员"));
	assert_non_null(strstr(doc, "上海市"));
	assert_non_null(strstr(doc, case_no));
	assert_non_null(strstr(doc, "张三丰"));
	assert_null(strstr(doc, id_a));
	free(doc);
	/* revoked at the terminal */
	assert_true(vt_expect(vt, "按任意键返回菜单", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "请选择服务", WS_WAIT));
	vt_send(vt, "4");
	assert_true(vt_expect(vt, "请选择要撤销的备案", WS_WAIT));
	assert_true(vt_expect(vt, case_no, WS_WAIT));	/* the list is drawn after its heading */
	row = ws_row_with(vt, case_no);
	assert_non_null(strstr(row, "1  异地就医备案（承诺制）"));
	free(row);
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "已撤销", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = $1"
	    " AND revoked_channel = 'selfservice' AND revoked_at IS NOT NULL", 1, p), 1);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE action = 'case_revoke'"
	    " AND object LIKE '%' || $1", 1, (const char *const[]){ case_no }), 1);
	vt_send(vt, "4");
	assert_true(vt_expect(vt, "您没有有效的异地就医备案", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "请选择服务", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "备案已撤销", WS_WAIT));
	free(case_no);
	vt_free(&vt);
}

static void
test_idle_timeout(void **state)
{
	struct vt *vt = start("2");

	(void)state;
	sign_on(vt, id_a, "张*丰");
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "职工医保", WS_WAIT));
	/* left alone: back to the ID prompt, nothing of the person left */
	assert_true(vt_expect_gone(vt, "职工医保", 6000));
	assert_true(vt_expect(vt, "请刷身份证，或输入身份证号码", WS_WAIT));
	assert_false(vt_find(vt, "张*丰", NULL, NULL));
	assert_false(vt_find(vt, "身份证号 3609", NULL, NULL));
	/* a half-typed number goes too */
	vt_send(vt, "360981197");
	assert_true(vt_expect(vt, "360981***", WS_WAIT));
	assert_true(vt_expect_gone(vt, "360981***", 6000));
	vt_free(&vt);
}

/* 2027-12-31, after the shipped calendar, on the superuser's connection
 * with the clock faked: filed and finished that day. */
static void
test_year_end(void **state)
{
	static char conninfo[256], opts[128];
	const char *args[] = { "--db", conninfo, "kiosk", "--self-service", "--office", OFFICE,
	    "--printer", print_arg, NULL };
	const char *env[] = { opts, NULL };
	const char *p[] = { id_a };
	struct vt *vt;
	char *doc, *when;

	(void)state;
	snprintf(conninfo, sizeof conninfo, "host=%s dbname=yichuang user=postgres",
	    getenv("YC_TEST_SOCKET_DIR"));
	snprintf(opts, sizeof opts, "PGOPTIONS=-c yc.test_now=2027-12-31T15:00:00+08");
	vt = ws_start(24, 80, env, args, NULL);
	assert_true(vt_expect(vt, "请刷身份证，或输入身份证号码", WS_WAIT));
	sign_on(vt, id_a, "张*丰");
	vt_send(vt, "3");
	assert_true(vt_expect(vt, "请选择备案类型", WS_WAIT));
	vt_send(vt, "4");
	vt_send(vt, "19");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "广东省", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "备案已办结", WS_WAIT));
	when = ws_sql_text("SELECT promised_date::text || '/' || status || '/' || left(case_no, 14)"
	    " FROM yc.service_case WHERE id_no = $1", 1, p);
	assert_string_equal(when, "2027-12-31/finished/" OFFICE "20271231");
	free(when);
	doc = printed();
	assert_non_null(strstr(doc, "2027年12月31日"));
	assert_non_null(strstr(doc, "其他临时外出就医人员"));
	free(doc);
	vt_free(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_progress, each),
		cmocka_unit_test_setup(test_certificate, each),
		cmocka_unit_test_setup(test_filing_and_revoke, each),
		cmocka_unit_test_setup(test_idle_timeout, each),
		cmocka_unit_test_setup(test_year_end, each),
	};

	return cmocka_run_group_tests_name("screen: self-service terminal", tests, setup, teardown);
}
