/*
 * The supervisor's console reading from a hot standby (--read-db), run by
 * tests/standby.sh with the primary ($YC_TEST_ADMIN_CONNINFO, the private
 * cluster of $YICHUANG_VAR) and its streaming standby ($YC_STANDBY_CONNINFO
 * as superuser, $YC_STANDBY_APP and $YC_PRIMARY_APP as the application
 * role): the console's reads run on the standby with a read pass the
 * primary gave and audited; a ticket issued on the primary shows at once,
 * also while the standby's replay is paused (the console then reads the
 * primary: never less than the primary has); and the pass itself: no pass,
 * a forged, another session's or an expired one, or a session signed out
 * since, is refused on the standby, and a valid one still writes nothing.
 * Not a test_* suite: it needs the clusters that script makes.
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

#define OFFICE "360981"

static PGconn *
connect_to(const char *env)
{
	PGconn *c = PQconnectdb(getenv(env));

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

/* The first value of sql on c (malloc'd), or its SQLSTATE prefixed "!". */
static char *
value(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	char *v;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		v = xstrdup(PQgetvalue(res, 0, 0));
	else
		v = xasprintf("!%s", PQresultErrorField(res, PG_DIAG_SQLSTATE) != NULL ?
		    PQresultErrorField(res, PG_DIAG_SQLSTATE) : "none");
	PQclear(res);
	return v;
}

static void
expect_sql(PGconn *c, const char *want, const char *sql, int n, const char *const *params)
{
	char *v = value(c, sql, n, params);

	if (strcmp(v, want) != 0)
		fprintf(stderr, "%s: %s, expected %s\n", sql, v, want);
	assert_string_equal(v, want);
	free(v);
}

/* Sets the read pass of connection c. */
static void
set_pass(PGconn *c, const char *pass)
{
	const char *p[] = { pass };

	expect_sql(c, pass, "SELECT pg_catalog.set_config('yc.read_pass', $1, false)", 1, p);
}

static void
issue(void)
{
	free(ws_run("ticket issue --office " OFFICE));
}

static bool
expect_waiting(struct vt *vt, long n)
{
	char want[32];

	snprintf(want, sizeof want, "等候 %ld 人", n);
	if (vt_expect(vt, want, WS_WAIT))
		return true;
	fprintf(stderr, "console: expected %s\n", want);
	vt_dump(vt, stderr);
	return false;
}

static long
waiting(void)
{
	return ws_sql_long("SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date AND status = 'waiting'", 0, NULL);
}

/* The console of super1 with --read-db: reads on the standby, the pass
 * audited; changes show at once, lagging standby or not. */
static void
test_console_reads_standby(void **state)
{
	const char *args[] = { "--read-db", getenv("YC_STANDBY_APP"), NULL };
	long passes = ws_count_audit("super1", "read_pass"), n;
	struct vt *vt;
	int i;

	(void)state;
	ws_drain_office();
	ws_reset_staff("super1");
	issue();
	ws_standby_caught_up();
	n = waiting();
	vt = ws_start(24, 80, NULL, args, NULL);
	ws_login(vt, "super1", "Demo-1234", "");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	vt_send(vt, "\0334");	/* Esc 4 = F4: the console */
	assert_true(vt_expect(vt, "大厅实况", WS_WAIT));
	assert_true(expect_waiting(vt, n));
	/* its reads ran on the standby, with a pass the primary audited */
	for (i = 0; i < 100 && !ws_standby_true("SELECT count(*) > 0 FROM pg_stat_activity"
	    " WHERE usename = 'yichuang_app' AND query LIKE '%yc.hall_%'"); i++)
		usleep(50000);
	assert_true(i < 100);
	assert_true(ws_count_audit("super1", "read_pass") > passes);

	issue();
	assert_true(expect_waiting(vt, n + 1));
	ws_standby_pause(true);
	issue();
	assert_true(expect_waiting(vt, n + 2));
	ws_standby_pause(false);
	issue();
	assert_true(expect_waiting(vt, n + 3));
	vt_key(vt, VT_KEY_ESC);	/* back to the workbench, and sign out */
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	ws_sign_out(&vt);
	ws_drain_office();
}

/* The pass on the standby: only a valid one for an open session reads,
 * and nothing writes. */
static void
test_read_pass(void **state)
{
	const char *const windows = "SELECT result FROM yc.hall_windows($1::bigint, NULL)";
	PGconn *pri = connect_to("YC_PRIMARY_APP"), *stb = connect_to("YC_STANDBY_APP");
	char *sid, *pass, *forged, *other, *expired;
	const char *p[1];

	(void)state;
	ws_reset_staff("super1");
	sid = value(pri, "SELECT session_id FROM yc.login('super1', 'Demo-1234', NULL, 'standby_console')",
	    0, NULL);
	p[0] = sid;
	pass = value(pri, "SELECT pass FROM yc.session_read_pass($1::bigint)", 1, p);
	assert_non_null(strchr(pass, '.'));
	/* the primary gives none to a connection the session is not bound to */
	{
		PGconn *stranger = connect_to("YC_PRIMARY_APP");

		expect_sql(stranger, "no_session", "SELECT result FROM yc.session_read_pass($1::bigint)", 1, p);
		PQfinish(stranger);
	}
	ws_standby_caught_up();

	expect_sql(stb, "no_session", windows, 1, p);
	forged = xstrdup(pass);
	forged[strlen(forged) - 1] = forged[strlen(forged) - 1] == '0' ? '1' : '0';
	set_pass(stb, forged);
	expect_sql(stb, "no_session", windows, 1, p);

	other = ws_sql_text("SELECT yc.read_pass_sign($1::bigint + 1, extract(epoch FROM now())::bigint + 60)",
	    1, p);
	expired = ws_sql_text("SELECT yc.read_pass_sign($1::bigint, extract(epoch FROM now())::bigint - 1)",
	    1, p);
	ws_standby_caught_up();
	set_pass(stb, other);
	expect_sql(stb, "no_session", windows, 1, p);
	set_pass(stb, expired);
	expect_sql(stb, "no_session", windows, 1, p);

	set_pass(stb, pass);
	expect_sql(stb, "ok", windows, 1, p);
	/* a valid pass still writes nothing on a standby */
	expect_sql(stb, "!25006", "SELECT yc.session_read_pass($1::bigint)", 1, p);

	/* signed out on the primary: the pass reads no more */
	{
		const char *lp[] = { sid, "logout" };

		free(value(pri, "SELECT yc.logout($1::bigint, $2)", 2, lp));
	}
	ws_standby_caught_up();
	expect_sql(stb, "no_session", windows, 1, p);
	PQfinish(pri);
	PQfinish(stb);
	free(sid);
	free(pass);
	free(forged);
	free(other);
	free(expired);
}

static int
setup(void **state)
{
	const char *bin = getenv("YC_TEST_BIN");
	char *mo;
	int rc;

	(void)state;
	if (bin == NULL || strrchr(bin, '/') == NULL || getenv("YC_STANDBY_CONNINFO") == NULL ||
	    getenv("YC_STANDBY_APP") == NULL || getenv("YC_PRIMARY_APP") == NULL)
		return -1;
	mo = xasprintf("%.*s/locale/zh_CN/LC_MESSAGES/yichuang.mo", (int)(strrchr(bin, '/') - bin), bin);
	rc = i18n_load(mo);
	free(mo);
	return rc;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_reads_standby),
		cmocka_unit_test(test_read_pass),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
