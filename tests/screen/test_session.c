/*
 * Sessions over time: the idle screen lock, a database lost mid-session
 * and found again, a database that cannot be reached at all, a session
 * replaced by a sign-in elsewhere.
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

/* With a 2-second idle limit the work area locks; a wrong password is
 * refused, the right one opens it again; both are audited. */
static void
test_idle_lock(void **state)
{
	const char *args[] = { "--idle-lock", "2", NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);
	long locks = ws_count_audit("clerk1", "screen_lock");
	long unlocks = ws_count_audit("clerk1", "screen_unlock");

	(void)state;
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	assert_true(vt_expect(vt, "屏幕已锁定", 8000));
	assert_false(vt_find(vt, "您好", NULL, NULL));
	assert_int_equal(ws_count_audit("clerk1", "screen_lock"), locks + 1);
	vt_send(vt, "bad-pass");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "密码错误", WS_WAIT));
	assert_true(vt_expect(vt, "屏幕已锁定", WS_WAIT));
	vt_send(vt, "Demo-1234");
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	assert_int_equal(ws_count_audit("clerk1", "screen_unlock"), unlocks + 1);
	ws_sign_out(&vt);
	ws_reset_staff("clerk1");
}

/* Away from a window (a reviewer), F8 locks at once. */
static void
test_f8_locks(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);

	(void)state;
	ws_login(vt, "review1", "Demo-1234", "");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_key(vt, VT_KEY_F8);
	assert_true(vt_expect(vt, "屏幕已锁定", WS_WAIT));
	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "已注销", WS_WAIT));
	vt_free(&vt);
}

/* The server ends the connection mid-session: the clerk is told, stays
 * signed in, and the workstation reconnects by itself. */
static void
test_connection_lost_and_restored(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);
	long killed;

	(void)state;
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	killed = ws_sql_long("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	    "WHERE usename = 'yichuang_app' AND application_name = 'yichuang'", 0, NULL);
	assert_true(killed >= 1);
	assert_true(vt_expect(vt, "数据库连接中断", WS_WAIT));
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	assert_true(vt_expect(vt, "数据库连接已恢复", 15000));
	ws_sign_out(&vt);
}

/* The server stops for a while: the clerk is told, the screen keeps
 * working (help opens), and when the server is back the workstation
 * reconnects by itself. */
static void
test_server_down_and_back(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);
	char *out;

	(void)state;
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	out = ws_run("db down");
	free(out);
	assert_true(vt_expect(vt, "数据库连接中断", WS_WAIT));
	vt_key(vt, VT_KEY_F1);
	assert_true(vt_expect(vt, "本帮助", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect_gone(vt, "本帮助", WS_WAIT));
	out = ws_run("db up");
	free(out);
	assert_true(vt_expect(vt, "数据库连接已恢复", 20000));
	ws_sign_out(&vt);
}

/* Signing out while the server is down: the sign-in screen at once, and
 * the session ended on the server as soon as it is back (the window does
 * not stay occupied on the supervisor's console until the next sign-in). */
static void
test_sign_out_while_server_down(void **state)
{
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);
	char sid[24], *out, *reason = NULL;
	const char *p[] = { sid };

	(void)state;
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	snprintf(sid, sizeof sid, "%ld", ws_sql_long("SELECT session_id FROM yc.staff_session "
	    "WHERE staff_no = 'clerk1' AND ended_at IS NULL", 0, NULL));
	out = ws_run("db down");
	free(out);
	assert_true(vt_expect(vt, "数据库连接中断", WS_WAIT));
	vt_send(vt, "\0330");		/* Esc 0 = F10 */
	assert_true(vt_expect(vt, "已注销", WS_WAIT));
	assert_true(vt_expect(vt, "柜员登录", WS_WAIT));
	out = ws_run("db up");
	free(out);
	for (int waited = 0; waited < 30000; waited += 200) {
		free(reason);
		reason = ws_sql_text("SELECT coalesce(end_reason, '') FROM yc.staff_session "
		    "WHERE session_id = $1::bigint", 1, p);
		if (reason[0] != '\0')
			break;
		vt_settle(vt, 100, 200);
	}
	assert_string_equal(reason, "offline_logout");
	free(reason);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.staff_session WHERE staff_no = 'clerk1' "
	    "AND ended_at IS NULL", 0, NULL), 0);
	vt_free(&vt);
}

/* No server behind the connection string: a message and a way out. */
static void
test_database_unreachable(void **state)
{
	const char *args[] = { "--db", "host=/nonexistent-yc dbname=yichuang", NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);

	(void)state;
	assert_true(vt_expect(vt, "无法连接数据库", WS_WAIT));
	assert_false(vt_find(vt, "could not connect", NULL, NULL));
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "无法连接数据库", WS_WAIT));
	assert_false(vt_find(vt, "您好", NULL, NULL));
	vt_key(vt, VT_KEY_F10);
	assert_int_equal(vt_wait_exit(vt, WS_WAIT), 0);
	vt_free(&vt);
}

/* The terminal goes away (SSH dropped, window closed): the session ends
 * in the database instead of staying open at the window. */
static void
test_terminal_closed_ends_session(void **state)
{
	const char *p[] = { "clerk1" };
	struct vt *vt = ws_start(24, 80, NULL, NULL, NULL);

	(void)state;
	ws_login(vt, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.staff_session "
	    "WHERE staff_no = $1 AND ended_at IS NULL", 1, p), 1);
	vt_free(&vt);	/* closes the pty and reaps the program */
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.staff_session "
	    "WHERE staff_no = $1 AND ended_at IS NULL", 1, p), 0);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM (SELECT end_reason FROM yc.staff_session "
	    "WHERE staff_no = $1 ORDER BY started_at DESC LIMIT 1) s "
	    "WHERE end_reason IN ('hangup', 'terminated')", 1, p), 1);
}

/* A sign-in elsewhere ends this screen's session: the screen says so at
 * once, without a key pressed, and shows the sign-in screen (the database
 * announces it on the session's channel). */
static void
test_replaced_elsewhere_told_at_once(void **state)
{
	struct vt *a = ws_start(24, 80, NULL, NULL, NULL), *b;

	(void)state;
	ws_login(a, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(a, "欧阳娜娜，您好！", WS_WAIT));
	/* the same clerk at another terminal */
	b = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(b, "clerk1", "Demo-1234", "4");
	assert_true(vt_expect(b, "欧阳娜娜，您好！", WS_WAIT));
	assert_true(vt_expect(a, "您的账号已在其他终端登录，本终端已退出。", WS_WAIT));
	assert_true(vt_expect(a, "柜员登录", WS_WAIT));
	assert_false(vt_find(a, "您好", NULL, NULL));
	ws_sign_out(&b);
	vt_free(&a);
	/* someone else at this window */
	a = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(a, "clerk1", "Demo-1234", "3");
	assert_true(vt_expect(a, "欧阳娜娜，您好！", WS_WAIT));
	b = ws_start(24, 80, NULL, NULL, NULL);
	ws_login(b, "clerk2", "Demo-1234", "3");
	assert_true(vt_expect(b, "王芳，您好！", WS_WAIT));
	assert_true(vt_expect(a, "其他人员已在本窗口登录，您已退出。", WS_WAIT));
	assert_true(vt_expect(a, "柜员登录", WS_WAIT));
	ws_sign_out(&b);
	vt_free(&a);
}

/* clerk2 signs in at window 2 and out again under env. */
static void
sign_in_and_out(const char *const *env)
{
	struct vt *vt = ws_start(24, 80, env, NULL, NULL);

	ws_login(vt, "clerk2", "Demo-1234", "2");
	assert_true(vt_expect(vt, "王芳，您好！", WS_WAIT));
	ws_sign_out(&vt);
}

/* A shared server named the libpq way: PGHOST/PGDATABASE/PGUSER, and a
 * service in a pg_service.conf; no private cluster involved. */
static void
test_libpq_environment(void **state)
{
	const char *sock = getenv("YC_TEST_SOCKET_DIR");
	char host[512], svcfile[600], path[] = "/tmp/yc-service.XXXXXX";
	const char *env_host[] = { host, "PGDATABASE=yichuang", "PGUSER=yichuang_app",
		"YICHUANG_VAR=/nonexistent-yc", NULL };
	const char *env_svc[] = { "PGSERVICE=yichuang", svcfile, "YICHUANG_VAR=/nonexistent-yc", NULL };
	FILE *fp;
	int fd;

	(void)state;
	assert_non_null(sock);
	snprintf(host, sizeof host, "PGHOST=%s", sock);
	sign_in_and_out(env_host);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fprintf(fp, "[yichuang]\nhost=%s\ndbname=yichuang\nuser=yichuang_app\n", sock);
	fclose(fp);
	snprintf(svcfile, sizeof svcfile, "PGSERVICEFILE=%s", path);
	sign_in_and_out(env_svc);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_lock),
		cmocka_unit_test(test_f8_locks),
		cmocka_unit_test(test_connection_lost_and_restored),
		cmocka_unit_test(test_server_down_and_back),
		cmocka_unit_test(test_sign_out_while_server_down),
		cmocka_unit_test(test_database_unreachable),
		cmocka_unit_test(test_libpq_environment),
		cmocka_unit_test(test_terminal_closed_ends_session),
		cmocka_unit_test(test_replaced_elsewhere_told_at_once),
	};

	return cmocka_run_group_tests_name("screen: session", tests, NULL, NULL);
}
