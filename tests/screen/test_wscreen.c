/*
 * The window screen (窗口屏 / 评价器) through a real terminal, connected
 * as the kiosk role: clerk2 signs in at window 3 of 360981 and serves a
 * ticket; the screen shows the window, the clerk's name and staff number
 * and the ticket being served, by LISTEN/NOTIFY; after the service it asks
 * for the rating, key 2 records 满意 for that ticket in yc.rating, and a
 * second key records nothing, and the daily report counts it for clerk2;
 * a pause shows 暂停服务, the clerk's sign-out
 * an empty window. Also: the command
 * line's refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/i18n.h"
#include "screen/ws.h"
#include "store/auth.h"
#include "store/queue.h"
#include "util/xalloc.h"

/* clerk2's 满意 count in today's daily report of 360981 (the CSV of
 * `yichuang report daily`, as the owner), -1 when the row is missing. */
static long
report_satisfied(void)
{
	char cmd[1024], line[512];
	char *day = ws_sql_text("SELECT yc.queue_day(now())::text", 0, NULL);
	long n = -1;
	FILE *fp;

	snprintf(cmd, sizeof cmd, "'%s' report daily --office 360981 --date %s --format csv --to -",
	    getenv("YC_TEST_BIN"), day);
	free(day);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		char *f = line;

		if (strncmp(line, "clerk2,", 7) != 0)
			continue;
		for (int i = 0; i < 7 && f != NULL; i++) {
			f = strchr(f, ',');
			if (f != NULL)
				f++;
		}
		if (f != NULL)
			n = strtol(f, NULL, 10);
	}
	assert_int_equal(pclose(fp), 0);
	return n;
}

static int
setup(void **state)
{
	const char *bin = getenv("YC_TEST_BIN");
	char *mo;

	(void)state;
	if (bin == NULL || strrchr(bin, '/') == NULL)
		return -1;
	mo = xasprintf("%.*s/locale/zh_CN/LC_MESSAGES/yichuang.mo", (int)(strrchr(bin, '/') - bin), bin);
	if (i18n_load(mo) != 0) {
		fprintf(stderr, "cannot load %s\n", mo);
		free(mo);
		return -1;
	}
	free(mo);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ws_drain_office();
	return 0;
}

/* Serve, rate on the screen's keypad, pause. */
static void
test_serve_and_rate(void **state)
{
	const char *args[] = { "window-screen", "--office", "360981", "--window", "3", NULL };
	struct db *db;
	struct auth_session s = { 0 };
	struct auth_outcome o;
	struct queue_ticket t;
	struct vt *vt;
	char *name, *num, *want, *issued, *rated;
	long before;
	const char *p[1];

	(void)state;
	ws_drain_office();
	ws_reset_staff("clerk2");
	db = db_open(getenv("YC_TEST_ADMIN_CONNINFO"));
	auth_login(db, "clerk2", "Demo-1234", 3, &s, &o);
	assert_int_equal(o.result, AUTH_OK);
	name = ws_sql_text("SELECT name FROM yc.staff WHERE staff_no = 'clerk2'", 0, NULL);

	vt = ws_start(24, 80, NULL, args, NULL);
	assert_true(vt_expect(vt, "3 号窗口", WS_WAIT));
	want = xasprintf("工作人员：%s  工号 clerk2", name);
	assert_true(vt_expect(vt, want, WS_WAIT));
	free(want);

	issued = ws_run("ticket issue --office 360981");
	assert_int_equal(queue_call_next(db, s.id, &t), QUEUE_OK);
	assert_string_equal(t.number, issued);
	assert_int_equal(queue_start(db, s.id, &t), QUEUE_OK);
	num = xstrdup(t.number);
	want = xasprintf("正在办理 %s 号", num);
	assert_true(vt_expect(vt, want, WS_WAIT));
	free(want);
	/* nothing to rate while serving: a key records nothing */
	vt_send(vt, "1");
	vt_settle(vt, 300, 2000);
	p[0] = num;
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.rating r JOIN yc.ticket t"
	    " ON t.office_code = r.office_code AND t.ticket_id = r.ticket_id"
	    " WHERE r.office_code = '360981' AND t.number = $1 AND t.day = yc.queue_day(now())",
	    1, p), 0);

	before = report_satisfied();
	assert_int_equal(queue_finish(db, s.id, true), QUEUE_OK);
	want = xasprintf("请对本次服务（%s 号）作出评价", num);
	assert_true(vt_expect(vt, want, WS_WAIT));
	free(want);
	assert_true(vt_expect(vt, "5 非常不满意", WS_WAIT));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "感谢您的评价", WS_WAIT));
	assert_true(vt_expect_gone(vt, "作出评价", WS_WAIT));
	vt_send(vt, "5");
	vt_settle(vt, 300, 2000);
	rated = ws_sql_text("SELECT string_agg(r.grade || ' ' || r.staff_no || ' ' ||"
	    " r.window_no, ',') FROM yc.rating r JOIN yc.ticket t"
	    " ON t.office_code = r.office_code AND t.ticket_id = r.ticket_id"
	    " WHERE r.office_code = '360981' AND t.number = $1 AND t.day = yc.queue_day(now())",
	    1, p);
	assert_string_equal(rated, "2 clerk2 3");
	free(rated);
	/* the rating counts in the daily report, as the clerk-side one */
	assert_int_equal(report_satisfied(), (before < 0 ? 0 : before) + 1);

	assert_int_equal(queue_pause(db, s.id, NULL), QUEUE_OK);
	assert_true(vt_expect(vt, "暂停服务", WS_WAIT));
	assert_int_equal(queue_resume(db, s.id), QUEUE_OK);
	assert_true(vt_expect_gone(vt, "暂停服务", WS_WAIT));
	/* nothing personal of the citizen, no case */
	assert_false(vt_find(vt, "身份证", NULL, NULL));

	auth_logout(db, &s, "test");
	/* the sign-out is announced: the screen shows nobody at the window */
	assert_true(vt_expect(vt, "本窗口暂无工作人员", WS_WAIT));
	auth_session_clear(&s);
	db_close(&db);
	free(issued);
	free(num);
	free(name);
	vt_free(&vt);
}

/* The command line: --window required and a number, an unknown window
 * refused. */
static void
test_command_line(void **state)
{
	const char *bad[] = { "window-screen", "--office", "360981", "--window", "x", NULL };
	const char *none[] = { "window-screen", "--office", "360981", NULL };
	const char *unknown[] = { "window-screen", "--office", "360981", "--window", "99", NULL };
	struct vt *vt;

	(void)state;
	vt = ws_start(24, 80, NULL, bad, NULL);
	assert_int_equal(vt_wait_exit(vt, WS_WAIT), 2);
	vt_free(&vt);
	vt = ws_start(24, 80, NULL, none, NULL);
	assert_int_equal(vt_wait_exit(vt, WS_WAIT), 2);
	vt_free(&vt);
	vt = ws_start(24, 80, NULL, unknown, NULL);
	assert_int_equal(vt_wait_exit(vt, WS_WAIT), 1);
	vt_free(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_serve_and_rate, teardown),
		cmocka_unit_test(test_command_line),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
