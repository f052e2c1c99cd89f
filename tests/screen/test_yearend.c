/*
 * The year's end at the window, in a real terminal, with the database's
 * clock at 2026-12-02 (the workstation connects as the superuser with
 * yc.test_now set through PGOPTIONS; the application role could not fake
 * it): a 30-working-day item is accepted with 容缺 and with 受理 although
 * 2027 has no official calendar. Its promised date, 2027-01-14, is shown
 * as provisional (预计) after acceptance and on the deadline board, and the
 * printed 容缺受理通知书 and 承诺书 say the date follows the statutory
 * holidays. When the official 2027 is loaded (an invented one) the open
 * board moves to the official, earlier date by itself and says which cases
 * an official calendar moved. Supervisors see the warning about the missing official 2027 at
 * sign-in and in the console; clerks do not, nor does anybody before
 * 1 November.
 *
 * Case type 002036006001 门诊费用报销 (30 working days; fields phone,
 * amount, visit date, bank card, reason; materials 1 credential (key),
 * 2 invoice, 3 bill, 4 chronic_cert (deferrable 10 days)).
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

static char dir[64] = "/tmp/yc-yearend.XXXXXX";

/* The workstation on the superuser's connection with the clock at when
 * (ISO, no spaces), printing to DIR/name.txt. */
static struct vt *
start_at(const char *when, const char *name)
{
	static char conninfo[256], spec[160], opts[128];
	const char *args[] = { "--db", conninfo, "--printer", spec, NULL };
	const char *env[] = { opts, NULL };

	snprintf(conninfo, sizeof conninfo, "host=%s dbname=yichuang user=postgres",
	    getenv("YC_TEST_SOCKET_DIR"));
	snprintf(spec, sizeof spec, "file:%s/%s.txt", dir, name);
	snprintf(opts, sizeof opts, "PGOPTIONS=-c yc.test_now=%s", when);
	return ws_start(24, 80, env, args, NULL);
}



/* `calendar load` of an invented official 2027 as the administrator. */
static void
load_official_2027(void)
{
	char path[160], args[512], *out;
	FILE *f;

	snprintf(path, sizeof path, "%s/2027.tsv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	/* every statutory day of 2027 off, as a calendar load requires */
	fputs("2027-01-01\t2027-01-01\toff\t元旦\n2027-01-05\t2027-01-05\toff\t测试假日\n"
	    "2027-01-09\t2027-01-10\twork\t测试调休\n2027-02-05\t2027-02-08\toff\t春节\n"
	    "2027-04-05\t2027-04-05\toff\t清明节\n2027-05-01\t2027-05-02\toff\t劳动节\n"
	    "2027-06-09\t2027-06-09\toff\t端午节\n2027-09-15\t2027-09-15\toff\t中秋节\n"
	    "2027-10-01\t2027-10-03\toff\t国庆节\n", f);
	assert_int_equal(fclose(f), 0);
	snprintf(args, sizeof args, "--db '%s' calendar load '%s'", getenv("YC_TEST_ADMIN_CONNINFO"), path);
	out = ws_run(args);
	free(out);
}

/* Puts the provisional 2027 back, as db migrate makes it. */
static void
restore_provisional_2027(void)
{
	char args[512], *out;

	ws_sql_long("WITH a AS (DELETE FROM yc.workday_adjustment WHERE day BETWEEN '2027-01-01' AND "
	    "'2027-12-31' RETURNING 1), b AS (DELETE FROM yc.calendar_year WHERE year = 2027 RETURNING 1) "
	    "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)", 0, NULL);
	snprintf(args, sizeof args, "--db '%s' db migrate", getenv("YC_TEST_ADMIN_CONNINFO"));
	out = ws_run(args);
	free(out);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.calendar_year WHERE year = 2027 AND "
	    "basis = 'provisional'", 0, NULL), 1);
}

/* Prints the document shown, skips the rating. */
static void
print_and_skip_rating(struct vt *vt)
{
	assert_true(vt_expect(vt, "F6 打印", WS_WAIT));
	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "已打印", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "非常满意", WS_WAIT));
	vt_send(vt, "6");
	assert_true(vt_expect_gone(vt, "非常满意", WS_WAIT));
}

static void
test_accepted_into_the_provisional_year(void **state)
{
	char id[19], id2[19], *doc;
	struct vt *vt;
	int row, col;

	(void)state;
	char digits[24], draft[200];

	/* new applicants and no draft left by an earlier run, so that the
	 * suite can run again on the same cluster */
	ws_sql_long("WITH d AS (DELETE FROM yc.intake_draft WHERE staff_no = 'clerk2' RETURNING 1) "
	    "SELECT count(*) FROM d", 0, NULL);
	snprintf(draft, sizeof draft, "%s/drafts/clerk2.draft", getenv("YICHUANG_VAR"));
	unlink(draft);
	snprintf(digits, sizeof digits, "36098119580303%03d", (int)(getpid() % 1000));
	ws_idno(digits, id);
	snprintf(digits, sizeof digits, "36098119620404%03d", (int)(getpid() % 1000));
	ws_idno(digits, id2);
	vt = start_at("2026-12-02T10:00:00+08", "w5");
	ws_login(vt, "clerk2", "Demo-1234", "5");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	/* no warning for a clerk */
	assert_false(vt_find(vt, "正式工作日日历尚未加载", &row, &col));

	/* 容缺受理: chronic_cert deferred */
	ws_fill_clinic(vt, id, "年末甲", false);
	ws_choose(vt, "容缺受理");
	assert_true(vt_expect(vt, "容缺受理通知书", WS_WAIT));
	print_and_skip_rating(vt);
	assert_true(vt_expect(vt, "承诺办结日期 2027-01-14（预计）", WS_WAIT));
	doc = ws_printed(dir, "w5");
	assert_non_null(strstr(doc, "承诺办结日期：2027年1月14日"));
	assert_non_null(strstr(doc, "容缺受理承诺书"));
	/* the line on both documents (the 容缺受理通知书 and the 承诺书) */
	assert_non_null(strstr(doc, "2027年的节假日安排尚未公布"));
	assert_non_null(strstr(strstr(doc, "容缺受理承诺书"), "以国务院办公厅公布的当年节假日安排为准"));
	free(doc);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = $1 AND "
	    "status = 'accepted' AND promised_date = '2027-01-14'", 1, (const char *[]){ id }), 1);

	/* 受理 with every material */
	ws_fill_clinic(vt, id2, "年末乙", true);
	ws_choose(vt, "受理");
	assert_true(vt_expect(vt, "基本医疗保险医疗费用零星报销受理单", WS_WAIT));
	print_and_skip_rating(vt);
	assert_true(vt_expect(vt, "承诺办结日期 2027-01-14（预计）", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.service_case WHERE id_no = $1 AND "
	    "status = 'accepted' AND promised_date = '2027-01-14'", 1, (const char *[]){ id2 }), 1);

	/* the deadline board marks the date */
	vt_key(vt, VT_KEY_F7);
	assert_true(vt_expect(vt, "2027-01-14（预计）", WS_WAIT));
	assert_true(vt_expect(vt, "年末乙", WS_WAIT));

	/* the official 2027 arrives (an invented one: 01-05 off, 01-09 and
	 * 01-10 worked): the open board follows by itself, the dates are
	 * official and earlier, and the board says which cases moved */
	load_official_2027();
	assert_true(vt_expect(vt, "2027-01-13（已按正式日历调整）", WS_WAIT));
	vt_settle(vt, 200, 2000);
	for (int r = 1; r < 22; r++) {	/* the board; the message line keeps what it said */
		char *text = vt_row_text(vt, r);

		assert_null(strstr(text, "（预计）"));
		assert_true(strstr(text, "（已按正式日历调整）") == NULL || strstr(text, "2027-01-13") != NULL);
		free(text);
	}
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.case_event e JOIN yc.service_case c "
	    "USING (office_code, case_no) WHERE c.id_no IN ($1, $2) AND e.kind = 'calendar_adjust' "
	    "AND c.promised_date = '2027-01-13'", 2, (const char *[]){ id, id2 }), 2);
	restore_provisional_2027();
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "F7", WS_WAIT));
	ws_sign_out(&vt);
}

static void
test_supervisor_warned_before_the_cliff(void **state)
{
	struct vt *vt;
	int row, col;

	(void)state;
	vt = start_at("2026-12-02T10:00:00+08", "s1");
	ws_login(vt, "super1", "Demo-1234", "");
	assert_true(vt_expect(vt, "2027年正式工作日日历尚未加载", WS_WAIT));
	/* and in the console */
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "大厅实况", WS_WAIT));
	assert_true(vt_expect(vt, "2027年正式工作日日历尚未加载", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	ws_sign_out(&vt);

	/* on 31 October not yet */
	vt = start_at("2026-10-31T10:00:00+08", "s1");
	ws_login(vt, "super1", "Demo-1234", "");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_settle(vt, 300, 2000);
	assert_false(vt_find(vt, "正式工作日日历尚未加载", &row, &col));
	ws_sign_out(&vt);
}

/* An official 2027 this suite loaded (also in an earlier run that failed
 * half-way) is put back as provisional. */
static int
restore_if_loaded(void **state)
{
	(void)state;
	if (ws_sql_long("SELECT count(*) FROM yc.calendar_year WHERE year = 2027 AND basis = 'official' "
	    "AND source LIKE '/tmp/yc-yearend.%'", 0, NULL) > 0)
		restore_provisional_2027();
	return 0;
}

/* The same as the application role on the real clock (the workstation as
 * deployed): the warning whenever the database says a year is missing. */
static void
test_supervisor_warned_as_the_application(void **state)
{
	long missing = ws_sql_long("SELECT coalesce(yc.calendar_missing(), 0)", 0, NULL);
	char text[64];
	struct vt *vt;
	int row, col;

	(void)state;
	vt = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(vt, "super1", "Demo-1234", "");
	assert_true(vt_expect(vt, "周敏", WS_WAIT));
	vt_settle(vt, 300, 2000);
	snprintf(text, sizeof text, "%ld年正式工作日日历尚未加载", missing);
	if (missing > 0)
		assert_true(vt_expect(vt, text, WS_WAIT));
	else
		assert_false(vt_find(vt, "正式工作日日历尚未加载", &row, &col));
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
		cmocka_unit_test_setup(test_accepted_into_the_provisional_year, restore_if_loaded),
		cmocka_unit_test_setup(test_supervisor_warned_before_the_cliff, restore_if_loaded),
		cmocka_unit_test_setup(test_supervisor_warned_as_the_application, restore_if_loaded),
	};

	return cmocka_run_group_tests_name("yearend", tests, setup, restore_if_loaded);
}
