/*
 * Issue 19 in a real terminal: a terminal that cannot address the cursor
 * (TERM=dumb) gets a clear refusal instead of an unusable screen, from
 * the workstation, the kiosk and the calling board; an intake draft (it
 * may hold a bank card number) that nobody took up again for
 * draft_expire_days days (30) is not offered at the next sign-in, and
 * both copies, this machine's file and the database's row, are gone, with
 * an audit row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "screen/ws.h"

/* Each program started under TERM=dumb says why it cannot run and exits
 * with status 2, before any screen is drawn. */
static void
test_dumb_terminal_refused(void **state)
{
	static const char *const kiosk[] = { "kiosk", "--office", "360981", NULL };
	static const char *const board[] = { "board", "--office", "360981", NULL };
	const char *const *args[] = { NULL, kiosk, board };
	const char *env[] = { "TERM=dumb", NULL };

	(void)state;
	for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
		struct vt *vt = ws_start(24, 80, env, args[i], NULL);

		assert_true(vt_expect(vt, "TERM=dumb", WS_WAIT));
		assert_true(vt_expect(vt, "不能移动光标", WS_WAIT));
		assert_int_equal(vt_wait_exit(vt, WS_WAIT), 2);
		assert_false(vt_find(vt, "柜员登录", NULL, NULL));
		vt_free(&vt);
	}
}

/* No draft of clerk1 left behind (either copy), pass or fail: the suites
 * after this one sign clerk1 in and expect no offer. */
static int
forget_draft(void **state)
{
	char path[512];

	(void)state;
	snprintf(path, sizeof path, "%s/drafts/clerk1.draft", getenv("YICHUANG_VAR"));
	unlink(path);
	ws_sql_long("WITH d AS (DELETE FROM yc.intake_draft WHERE staff_no = 'clerk1' RETURNING 1) "
	    "SELECT count(*) FROM d", 0, NULL);
	return 0;
}

/* clerk1 begins an intake (an ID number and a name typed), the client is
 * killed; 31 days later (the file's time and the row's saved_at moved
 * back) the next sign-in offers nothing and both copies are deleted. */
static void
test_expired_draft_not_offered(void **state)
{
	const char *args[] = { "--printer", "file:/dev/null", NULL };
	char id[19], path[512];
	struct timespec times[2];
	struct vt *vt;
	struct stat st;
	long audits = ws_count_audit("clerk1", "draft_expired");

	(void)state;
	snprintf(path, sizeof path, "%s/drafts/clerk1.draft", getenv("YICHUANG_VAR"));
	ws_idno("36098119760606333", id);
	vt = ws_start(24, 80, NULL, args, NULL);
	ws_login(vt, "clerk1", "Demo-1234", "7");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025cqjcf");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：产前检查费支付", WS_WAIT));
	vt_send(vt, id);
	ws_tabs(vt, 1);
	vt_send(vt, "过期草稿");
	ws_tabs(vt, 1);			/* a move between rows: the database's copy too */
	vt_settle(vt, 200, 2000);
	vt_kill(vt, SIGKILL);
	vt_free(&vt);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.intake_draft WHERE staff_no = 'clerk1'", 0, NULL), 1);

	/* 31 days pass */
	times[0].tv_sec = times[1].tv_sec = time(NULL) - 31L * 24 * 60 * 60;
	times[0].tv_nsec = times[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	ws_sql_long("WITH d AS (UPDATE yc.intake_draft SET saved_at = now() - interval '31 days' "
	    "WHERE staff_no = 'clerk1' RETURNING 1) SELECT count(*) FROM d", 0, NULL);

	vt = ws_start(24, 80, NULL, args, NULL);
	ws_login(vt, "clerk1", "Demo-1234", "7");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_settle(vt, 300, 2000);
	assert_false(vt_find(vt, "未完成的受理", NULL, NULL));
	assert_int_not_equal(stat(path, &st), 0);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.intake_draft WHERE staff_no = 'clerk1'", 0, NULL), 0);
	assert_int_equal(ws_count_audit("clerk1", "draft_expired"), audits + 1);
	ws_sign_out(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dumb_terminal_refused),
		cmocka_unit_test_setup_teardown(test_expired_draft_not_offered, forget_draft, forget_draft),
	};

	return cmocka_run_group_tests_name("hardening", tests, NULL, NULL);
}
