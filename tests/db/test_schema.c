/*
 * Integration tests of the database schema (db/migrations, db/demo.sql):
 * login and lockout, sessions, audit (append-only), privileges of the
 * application role, integrity constraints, the working-day calendar.
 *
 * The runner provides a migrated cluster with the calendar and demo data:
 *   PGHOST, PGDATABASE=yichuang, PGUSER=postgres   superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                            conninfo of yichuang_app
 * Optional: YC_SOURCE_DIR, the source tree (db/calendar, db/demo.sql);
 * otherwise they are looked for from the current directory upwards.
 *
 * Tests leave the demo staff usable: they lock only their own staff rows
 * (tdb_*), and undo constraint probes with ROLLBACK.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/dbt.h"
#include "util/file.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#define DEMO_PASSWORD "Demo-1234"
#define TDB_PASSWORD "Tdb-Secret-7"

static PGconn *su;  /* superuser postgres */
static PGconn *app; /* yichuang_app */

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* The error message of a result without its trailing newline. */
static const char *errmsg(const PGresult *r)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%s", PQresultErrorMessage(r));
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static bool res_ok(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Run a query that must return exactly one row; return a copy of its first
 * value, or NULL for SQL NULL. The caller frees. */
static char *query_value(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = dbt_run(c, sql, n, params);
	char *v = NULL;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		print_error("# query failed: %s\n#   %s\n", sql, errmsg(r));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	if (!PQgetisnull(r, 0, 0))
		v = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static void assert_query_str(PGconn *c, const char *expected, const char *sql, int n,
			     const char *const *params)
{
	char *v = query_value(c, sql, n, params);
	if (expected == NULL) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	assert_string_equal(v, expected);
	free(v);
}

/* Run a statement that must fail with the given SQLSTATE. Inside a
 * transaction block the failure is undone with a savepoint, so the
 * transaction goes on. */
static void expect_error(PGconn *c, const char *sqlstate, const char *sql, int n,
			 const char *const *params)
{
	bool in_tx = PQtransactionStatus(c) == PQTRANS_INTRANS;
	PGresult *r;
	const char *got;

	if (in_tx)
		dbt_exec_ok(c, "SAVEPOINT probe", 0, NULL);
	r = dbt_run(c, sql, n, params);
	got = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (PQresultStatus(r) != PGRES_FATAL_ERROR || got == NULL || strcmp(got, sqlstate) != 0)
		print_error("# expected SQLSTATE %s from: %s\n#   got status %s, sqlstate %s: %s\n",
			    sqlstate, sql, PQresStatus(PQresultStatus(r)), got ? got : "(none)",
			    errmsg(r));
	assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
	assert_non_null(got);
	assert_string_equal(got, sqlstate);
	PQclear(r);
	if (in_tx)
		dbt_exec_ok(c, "ROLLBACK TO SAVEPOINT probe", 0, NULL);
}

static void begin(PGconn *c)
{
	dbt_exec_ok(c, "BEGIN", 0, NULL);
}

static void rollback(PGconn *c)
{
	dbt_exec_ok(c, "ROLLBACK", 0, NULL);
}

/* Highest audit id so far: audit rows of an action are those above it. */
static long long audit_mark(void)
{
	return dbt_audit_mark(su);
}

/* Audit rows after mark for a staff (as typed) and action, optionally with
 * after->>'reason' = reason. */
static long long audit_count(long long mark, const char *staff_no, const char *action,
			     const char *reason)
{
	char m[32];
	snprintf(m, sizeof m, "%lld", mark);
	const char *p[4] = { m, staff_no, action, reason };
	return dbt_query_ll(su,
			"SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
			" AND staff_no IS NOT DISTINCT FROM $2 AND action = $3"
			" AND ($4::text IS NULL OR after->>'reason' = $4)",
			4, p);
}

/* Create (or reset) a test account with password TDB_PASSWORD. */
static void make_test_staff(const char *staff_no, const char *role, const char *office,
			    bool active)
{
	const char *p[5] = { staff_no, role, office, active ? "true" : "false", TDB_PASSWORD };
	dbt_exec_ok(su,
		"INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash, active)"
		" VALUES ($1, '测试' || $1, $2, $3, yc.hash_password($5), $4::boolean)"
		" ON CONFLICT (staff_no) DO UPDATE SET role = EXCLUDED.role,"
		"   office_code = EXCLUDED.office_code, active = EXCLUDED.active,"
		"   failed_logins = 0, locked_until = NULL",
		5, p);
	dbt_exec_ok(su, "DELETE FROM yc.login_throttle WHERE staff_no = $1", 1, p);
}

static void reset_staff(const char *staff_no)
{
	const char *p[1] = { staff_no };
	dbt_exec_ok(su, "WITH t AS (DELETE FROM yc.login_throttle WHERE staff_no = $1)"
		" UPDATE yc.staff SET failed_logins = 0, locked_until = NULL WHERE staff_no = $1",
		1, p);
}

struct login {
	char result[32];
	char session_id[24]; /* "" when NULL */
	char staff_no[40];
	char staff_name[64];
	char role[16];
	char office_code[16];
	char office_name[128];
	char office_tier[16];
	int window_no;       /* -1 when NULL */
	int locked_state;    /* -1 NULL, 1 locked for at least 14 more minutes, 0 otherwise */
	int failures_left;   /* -1 when NULL */
};

static void copy_field(char *dst, size_t size, const PGresult *r, int col)
{
	snprintf(dst, size, "%s", PQgetisnull(r, 0, col) ? "" : PQgetvalue(r, 0, col));
}

static int int_field(const PGresult *r, int col)
{
	return PQgetisnull(r, 0, col) ? -1 : atoi(PQgetvalue(r, 0, col));
}

/* Call yc.login on connection c; window NULL for no window. */
static struct login do_login(PGconn *c, const char *staff_no, const char *password,
			     const char *window)
{
	struct login l;
	const char *p[4] = { staff_no, password, window, "tests/db" };
	PGresult *r = dbt_run(c,
			  "SELECT result, session_id, staff_no, staff_name, role, office_code,"
			  " office_name, office_tier, window_no,"
			  " CASE WHEN locked_until IS NULL THEN NULL"
			  "      ELSE (locked_until > now() + interval '14 minutes')::int END,"
			  " failures_left"
			  " FROM yc.login($1, $2, $3::int, $4)",
			  4, p);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		print_error("# yc.login failed: %s\n", errmsg(r));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	memset(&l, 0, sizeof l);
	copy_field(l.result, sizeof l.result, r, 0);
	copy_field(l.session_id, sizeof l.session_id, r, 1);
	copy_field(l.staff_no, sizeof l.staff_no, r, 2);
	copy_field(l.staff_name, sizeof l.staff_name, r, 3);
	copy_field(l.role, sizeof l.role, r, 4);
	copy_field(l.office_code, sizeof l.office_code, r, 5);
	copy_field(l.office_name, sizeof l.office_name, r, 6);
	copy_field(l.office_tier, sizeof l.office_tier, r, 7);
	l.window_no = int_field(r, 8);
	l.locked_state = int_field(r, 9);
	l.failures_left = int_field(r, 10);
	PQclear(r);
	return l;
}

struct unlock {
	char result[32];
	int locked_state;
	int failures_left;
};

static struct unlock do_unlock(const char *session_id, const char *password)
{
	struct unlock u;
	const char *p[2] = { session_id, password };
	PGresult *r = dbt_run(app,
			  "SELECT result,"
			  " CASE WHEN locked_until IS NULL THEN NULL"
			  "      ELSE (locked_until > now() + interval '14 minutes')::int END,"
			  " failures_left FROM yc.screen_unlock($1::bigint, $2)",
			  2, p);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		print_error("# yc.screen_unlock failed: %s\n", errmsg(r));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	copy_field(u.result, sizeof u.result, r, 0);
	u.locked_state = int_field(r, 1);
	u.failures_left = int_field(r, 2);
	PQclear(r);
	return u;
}

static void do_logout(const char *session_id, const char *reason)
{
	const char *p[2] = { session_id, reason };
	dbt_exec_ok(app, "SELECT yc.logout($1::bigint, $2)", 2, p);
}

/* Find a file of the source tree: $YC_SOURCE_DIR, then the current
 * directory and its parents. Returns a malloc'ed path or NULL. */
static char *source_file(const char *rel)
{
	const char *env = getenv("YC_SOURCE_DIR");
	const char *bases[] = { env, ".", "..", "../..", "../../.." };
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		char *path;
		if (bases[i] == NULL || bases[i][0] == '\0')
			continue;
		if (asprintf(&path, "%s/%s", bases[i], rel) < 0)
			return NULL;
		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

/* Load the official calendar TSV (no-op for rows already there). */
static int load_calendar(void)
{
	char *path = source_file("db/calendar/cn-workday-calendar.tsv");
	char *text, *line, *save = NULL;
	int min_year = 9999, max_year = 0;

	if (path == NULL) {
		/* the runner may have loaded it already */
		PGresult *r = dbt_run(su, "SELECT 1 FROM yc.calendar_year LIMIT 1", 0, NULL);
		int rc = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? 0 : -1;
		PQclear(r);
		if (rc != 0)
			fprintf(stderr, "# no calendar loaded and its TSV not found (set YC_SOURCE_DIR)\n");
		return rc;
	}
	text = file_read(path, 1u << 20, NULL);
	free(path);
	if (text == NULL)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4], *s = line, *tab;
		int nf = 0;
		if (line[0] == '#' || line[0] == '\0' || line[0] == '\r')
			continue;
		while (nf < 4) {
			f[nf++] = s;
			tab = strchr(s, '\t');
			if (tab == NULL)
				break;
			*tab = '\0';
			s = tab + 1;
		}
		if (nf < 4)
			continue;
		f[3][strcspn(f[3], "\r")] = '\0';
		PGresult *r = dbt_run(su,
				  "INSERT INTO yc.workday_adjustment (day, kind, name)"
				  " SELECT d::date, $3, $4"
				  " FROM generate_series($1::date, $2::date, interval '1 day') d"
				  " ON CONFLICT (day) DO NOTHING",
				  4, (const char *const *)f);
		if (!res_ok(r)) {
			fprintf(stderr, "# calendar row %s: %s", f[0], PQresultErrorMessage(r));
			PQclear(r);
			free(text);
			return -1;
		}
		PQclear(r);
		int y1 = atoi(f[0]), y2 = atoi(f[1]);
		if (y1 < min_year)
			min_year = y1;
		if (y2 > max_year)
			max_year = y2;
	}
	free(text);
	if (max_year == 0)
		return -1;
	char a[16], b[16];
	snprintf(a, sizeof a, "%d", min_year);
	snprintf(b, sizeof b, "%d", max_year);
	const char *p[2] = { a, b };
	PGresult *r = dbt_run(su,
			  "INSERT INTO yc.calendar_year (year, source)"
			  " SELECT y, 'tests/db' FROM generate_series($1::int, $2::int) y"
			  " ON CONFLICT (year) DO NOTHING",
			  2, p);
	int rc = res_ok(r) ? 0 : -1;
	PQclear(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, NULL) != 0)
		return -1;
	if (load_calendar() != 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (su && PQstatus(su) == CONNECTION_OK)
		PQclear(PQexec(su, "WITH t AS (DELETE FROM yc.login_throttle WHERE staff_no LIKE 'tdb\\_%')"
				   " UPDATE yc.staff SET failed_logins = 0, locked_until = NULL"
				   " WHERE staff_no LIKE 'tdb\\_%'"));
	PQfinish(app);
	PQfinish(su);
	return 0;
}

/* After each test, even a failed one: no transaction left open. */
static void end_transaction(PGconn *c)
{
	if (c && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
}

static int test_teardown(void **state)
{
	(void)state;
	end_transaction(su);
	end_transaction(app);
	if (su && PQstatus(su) == CONNECTION_OK)
		PQclear(PQexec(su, "RESET session_replication_role"));
	return 0;
}

/* ------------------------------------------------------------------ */
/* login                                                               */
/* ------------------------------------------------------------------ */

static void test_app_connection_is_app_role(void **state)
{
	(void)state;
	assert_query_str(app, "yichuang_app", "SELECT current_user::text", 0, NULL);
	assert_query_str(app, "false", "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user",
			 0, NULL);
}

static void test_login_ok_opens_session(void **state)
{
	(void)state;
	long long mark = audit_mark();
	struct login l = do_login(app, "clerk1", DEMO_PASSWORD, "3");

	assert_string_equal(l.result, "ok");
	assert_true(l.session_id[0] != '\0');
	assert_string_equal(l.staff_no, "clerk1");
	assert_string_equal(l.staff_name, "欧阳娜娜");
	assert_string_equal(l.role, "clerk");
	assert_string_equal(l.office_code, "360981");
	assert_string_equal(l.office_name, "丰城市医疗保障服务中心");
	assert_string_equal(l.office_tier, "county");
	assert_int_equal(l.window_no, 3);
	assert_int_equal(l.locked_state, -1);

	const char *p[1] = { l.session_id };
	assert_query_str(su, "clerk1|360981|3|open",
			 "SELECT staff_no || '|' || office_code || '|' || window_no || '|' ||"
			 " CASE WHEN ended_at IS NULL THEN 'open' ELSE 'closed' END"
			 " FROM yc.staff_session WHERE session_id = $1::bigint",
			 1, p);
	assert_query_str(su, "0", "SELECT failed_logins::text FROM yc.staff WHERE staff_no = 'clerk1'",
			 0, NULL);
	assert_int_equal(audit_count(mark, "clerk1", "login", NULL), 1);
	assert_query_str(su, "1",
			 "SELECT count(*)::text FROM yc.audit_log WHERE action = 'login'"
			 " AND object = 'staff_session:360981/' || $1 AND window_no = 3",
			 1, p);

	/* logout closes it, once */
	mark = audit_mark();
	do_logout(l.session_id, "user");
	do_logout(l.session_id, "user");
	assert_query_str(su, "user",
			 "SELECT end_reason FROM yc.staff_session"
			 " WHERE session_id = $1::bigint AND ended_at IS NOT NULL",
			 1, p);
	assert_int_equal(audit_count(mark, "clerk1", "logout", NULL), 1);
}

static void test_login_replaces_sessions(void **state)
{
	(void)state;
	struct login a = do_login(app, "clerk1", DEMO_PASSWORD, "3");
	assert_string_equal(a.result, "ok");

	/* another clerk takes window 3: clerk1's session is replaced */
	long long mark = audit_mark();
	struct login b = do_login(app, "clerk2", DEMO_PASSWORD, "3");
	assert_string_equal(b.result, "ok");
	const char *pa[1] = { a.session_id };
	assert_query_str(su, "replaced",
			 "SELECT end_reason FROM yc.staff_session WHERE session_id = $1::bigint", 1, pa);
	assert_int_equal(audit_count(mark, "clerk1", "session_replaced", NULL), 1);

	/* clerk2 moves to window 4: its own session at window 3 is replaced */
	struct login c = do_login(app, "clerk2", DEMO_PASSWORD, "4");
	assert_string_equal(c.result, "ok");
	const char *pb[1] = { b.session_id };
	assert_query_str(su, "replaced",
			 "SELECT end_reason FROM yc.staff_session WHERE session_id = $1::bigint", 1, pb);
	assert_query_str(su, "1",
			 "SELECT count(*)::text FROM yc.staff_session"
			 " WHERE staff_no = 'clerk2' AND ended_at IS NULL",
			 0, NULL);
	do_logout(c.session_id, "user");
	assert_query_str(su, "0",
			 "SELECT count(*)::text FROM yc.staff_session"
			 " WHERE staff_no IN ('clerk1', 'clerk2') AND ended_at IS NULL",
			 0, NULL);
}

static void test_wrong_password(void **state)
{
	(void)state;
	make_test_staff("tdb_bad1", "clerk", "360981", true);
	long long mark = audit_mark();
	struct login l = do_login(app, "tdb_bad1", "wrong-password", "3");

	assert_string_equal(l.result, "bad_credentials");
	assert_int_equal(l.failures_left, 4);
	assert_string_equal(l.session_id, "");
	assert_string_equal(l.staff_name, "");
	/* counted at the terminal that typed it (yc.login_throttle), not
	 * against the account for everyone */
	assert_query_str(su, "1",
			 "SELECT coalesce(sum(failures), 0)::text FROM yc.login_throttle"
			 " WHERE staff_no = 'tdb_bad1'", 0, NULL);
	assert_int_equal(audit_count(mark, "tdb_bad1", "login_failed", "bad_password"), 1);

	l = do_login(app, "tdb_bad1", "wrong-again", "3");
	assert_string_equal(l.result, "bad_credentials");
	assert_int_equal(l.failures_left, 3);

	/* a right password resets the counter */
	l = do_login(app, "tdb_bad1", TDB_PASSWORD, "3");
	assert_string_equal(l.result, "ok");
	assert_query_str(su, "0",
			 "SELECT coalesce(sum(failures), 0)::text FROM yc.login_throttle"
			 " WHERE staff_no = 'tdb_bad1'", 0, NULL);
	do_logout(l.session_id, "user");

	/* the password is checked before the window: bad_credentials, not unknown_window */
	l = do_login(app, "tdb_bad1", "wrong-password", "9");
	assert_string_equal(l.result, "bad_credentials");
	assert_int_equal(l.failures_left, 4);
	l = do_login(app, "tdb_bad1", NULL, "3");
	assert_string_equal(l.result, "bad_credentials");
	reset_staff("tdb_bad1");
}

static void test_unknown_staff(void **state)
{
	(void)state;
	long long mark = audit_mark();
	struct login l = do_login(app, "tdb_nobody", DEMO_PASSWORD, "3");

	assert_string_equal(l.result, "bad_credentials");
	assert_int_equal(l.failures_left, -1);
	assert_string_equal(l.session_id, "");
	assert_string_equal(l.staff_no, "");
	/* what was typed is not kept (it may be a password): a marker */
	assert_int_equal(audit_count(mark, NULL, "login_failed", "unknown_staff"), 1);
	char m[32];
	snprintf(m, sizeof m, "%lld", mark);
	const char *p[1] = { m };
	assert_query_str(su, "000000",
			 "SELECT office_code FROM yc.audit_log"
			 " WHERE audit_id > $1::bigint AND object = 'staff:?'",
			 1, p);
	assert_query_str(su, "0",
			 "SELECT count(*)::text FROM yc.audit_log l"
			 " WHERE audit_id > $1::bigint AND l::text LIKE '%tdb_nobody%'",
			 1, p);
}

static void test_lockout_after_five_failures(void **state)
{
	(void)state;
	make_test_staff("tdb_lock1", "clerk", "360981", true);
	long long mark = audit_mark();
	struct login l;

	for (int i = 1; i <= 4; i++) {
		l = do_login(app, "tdb_lock1", "wrong-password", "3");
		assert_string_equal(l.result, "bad_credentials");
		assert_int_equal(l.failures_left, 5 - i);
		assert_int_equal(l.locked_state, -1);
	}
	/* the fifth failure locks the account at this terminal (not for
	 * everyone: tests/db/test_security.c) */
	l = do_login(app, "tdb_lock1", "wrong-password", "3");
	assert_string_equal(l.result, "locked");
	assert_int_equal(l.locked_state, 1);
	assert_int_equal(audit_count(mark, "tdb_lock1", "login_failed", "bad_password"), 5);
	assert_int_equal(audit_count(mark, "tdb_lock1", "account_locked", NULL), 1);
	assert_query_str(su, "0|true",
			 "SELECT failures || '|' ||"
			 " (locked_until BETWEEN now() + interval '14 minutes'"
			 "  AND now() + interval '16 minutes')::text"
			 " FROM yc.login_throttle WHERE staff_no = 'tdb_lock1'",
			 0, NULL);

	/* the sixth attempt, with the RIGHT password, is still refused */
	mark = audit_mark();
	l = do_login(app, "tdb_lock1", TDB_PASSWORD, "3");
	assert_string_equal(l.result, "locked");
	assert_int_equal(l.locked_state, 1);
	assert_string_equal(l.session_id, "");
	assert_int_equal(audit_count(mark, "tdb_lock1", "login_refused_locked", NULL), 1);
	assert_query_str(su, "0",
			 "SELECT count(*)::text FROM yc.staff_session"
			 " WHERE staff_no = 'tdb_lock1' AND ended_at IS NULL",
			 0, NULL);

	/* once the lock has expired, the right password works again */
	dbt_exec_ok(su,
		"UPDATE yc.login_throttle SET locked_until = now() - interval '1 second'"
		" WHERE staff_no = 'tdb_lock1'",
		0, NULL);
	l = do_login(app, "tdb_lock1", TDB_PASSWORD, "3");
	assert_string_equal(l.result, "ok");
	do_logout(l.session_id, "user");
	reset_staff("tdb_lock1");
}

static void test_window_required(void **state)
{
	(void)state;
	long long mark = audit_mark();
	struct login l = do_login(app, "clerk1", DEMO_PASSWORD, NULL);

	assert_string_equal(l.result, "window_required");
	assert_string_equal(l.session_id, "");
	assert_int_equal(audit_count(mark, "clerk1", "login_failed", "window_required"), 1);
	assert_query_str(su, "0",
			 "SELECT count(*)::text FROM yc.staff_session"
			 " WHERE staff_no = 'clerk1' AND ended_at IS NULL",
			 0, NULL);

	/* a reviewer needs no window */
	l = do_login(app, "review1", DEMO_PASSWORD, NULL);
	assert_string_equal(l.result, "ok");
	assert_int_equal(l.window_no, -1);
	do_logout(l.session_id, "user");
}

static void test_unknown_window(void **state)
{
	(void)state;
	long long mark = audit_mark();
	struct login l = do_login(app, "clerk1", DEMO_PASSWORD, "9");

	assert_string_equal(l.result, "unknown_window");
	assert_string_equal(l.session_id, "");
	assert_int_equal(audit_count(mark, "clerk1", "login_failed", "unknown_window"), 1);

	/* a window of another office is unknown too (town office has 2) */
	l = do_login(app, "town1", DEMO_PASSWORD, "3");
	assert_string_equal(l.result, "unknown_window");

	/* an inactive window is unknown (undone by ROLLBACK) */
	begin(su);
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = false"
		    " WHERE office_code = '360981' AND window_no = 8",
		0, NULL);
	l = do_login(su, "clerk1", DEMO_PASSWORD, "8");
	assert_string_equal(l.result, "unknown_window");
	rollback(su);
	assert_query_str(su, "0",
			 "SELECT count(*)::text FROM yc.staff_session"
			 " WHERE staff_no = 'clerk1' AND ended_at IS NULL",
			 0, NULL);
}

static void test_disabled_account(void **state)
{
	(void)state;
	make_test_staff("tdb_off1", "clerk", "360981", false);
	long long mark = audit_mark();
	struct login l = do_login(app, "tdb_off1", TDB_PASSWORD, "3");
	assert_string_equal(l.result, "disabled");
	assert_string_equal(l.session_id, "");
	assert_int_equal(audit_count(mark, "tdb_off1", "login_refused_disabled", NULL), 1);
	/* a wrong password reveals nothing */
	l = do_login(app, "tdb_off1", "wrong-password", "3");
	assert_string_equal(l.result, "bad_credentials");
	reset_staff("tdb_off1");
}

static void test_screen_lock_unlock(void **state)
{
	(void)state;
	make_test_staff("tdb_unlock1", "clerk", "360981", true);
	struct login l = do_login(app, "tdb_unlock1", TDB_PASSWORD, "7");
	assert_string_equal(l.result, "ok");
	const char *p[1] = { l.session_id };

	long long mark = audit_mark();
	dbt_exec_ok(app, "SELECT yc.screen_lock($1::bigint)", 1, p);
	assert_int_equal(audit_count(mark, "tdb_unlock1", "screen_lock", NULL), 1);

	struct unlock u = do_unlock(l.session_id, "wrong-password");
	assert_string_equal(u.result, "bad_credentials");
	assert_int_equal(u.failures_left, 4);
	assert_int_equal(audit_count(mark, "tdb_unlock1", "screen_unlock_failed", "bad_password"), 1);

	u = do_unlock(l.session_id, TDB_PASSWORD);
	assert_string_equal(u.result, "ok");
	assert_int_equal(audit_count(mark, "tdb_unlock1", "screen_unlock", NULL), 1);
	assert_query_str(su, "0",
			 "SELECT failed_logins::text FROM yc.staff WHERE staff_no = 'tdb_unlock1'", 0,
			 NULL);

	/* five wrong passwords at the lock screen: locked, session closed */
	for (int i = 1; i <= 4; i++) {
		u = do_unlock(l.session_id, "wrong-password");
		assert_string_equal(u.result, "bad_credentials");
		assert_int_equal(u.failures_left, 5 - i);
	}
	u = do_unlock(l.session_id, "wrong-password");
	assert_string_equal(u.result, "locked");
	assert_int_equal(u.locked_state, 1);
	assert_int_equal(audit_count(mark, "tdb_unlock1", "account_locked", NULL), 1);
	assert_query_str(su, "locked",
			 "SELECT end_reason FROM yc.staff_session"
			 " WHERE session_id = $1::bigint AND ended_at IS NOT NULL",
			 1, p);
	/* the closed session cannot be unlocked any more */
	u = do_unlock(l.session_id, TDB_PASSWORD);
	assert_string_equal(u.result, "no_session");
	reset_staff("tdb_unlock1");
}

static void test_logout_unknown_session_is_noop(void **state)
{
	(void)state;
	long long mark = audit_mark();
	char m[32];
	snprintf(m, sizeof m, "%lld", mark);
	const char *p[1] = { m };

	do_logout("-1", "user");
	do_logout("999999999", NULL);
	dbt_exec_ok(app, "SELECT yc.screen_lock(-1)", 0, NULL);
	assert_query_str(su, "0",
			 "SELECT count(*)::text FROM yc.audit_log"
			 " WHERE audit_id > $1::bigint AND action IN ('logout', 'screen_lock')",
			 1, p);
}

/* ------------------------------------------------------------------ */
/* audit log                                                           */
/* ------------------------------------------------------------------ */

static void test_audit_log_append_only(void **state)
{
	(void)state;
	/* make sure there is at least one row */
	struct login l = do_login(app, "tdb_nobody", "x", "1");
	assert_string_equal(l.result, "bad_credentials");
	long long before = dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log", 0, NULL);
	assert_true(before > 0);

	/* probes run in a transaction, so a failing test cannot lose audit rows */
	begin(su);
	expect_error(su, "YC002", "UPDATE yc.audit_log SET action = 'tampered'", 0, NULL);
	expect_error(su, "YC002",
		     "UPDATE yc.audit_log SET after = NULL"
		     " WHERE audit_id = (SELECT max(audit_id) FROM yc.audit_log)",
		     0, NULL);
	expect_error(su, "YC002", "DELETE FROM yc.audit_log", 0, NULL);
	expect_error(su, "YC002", "TRUNCATE yc.audit_log", 0, NULL);

	/* not even in replica mode, where ordinary triggers do not fire */
	dbt_exec_ok(su, "SET session_replication_role = replica", 0, NULL);
	expect_error(su, "YC002", "DELETE FROM yc.audit_log", 0, NULL);
	expect_error(su, "YC002", "TRUNCATE yc.audit_log", 0, NULL);
	dbt_exec_ok(su, "RESET session_replication_role", 0, NULL);
	rollback(su);

	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log", 0, NULL), before);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE action = 'tampered'",
				  0, NULL),
			 0);
}

/* ------------------------------------------------------------------ */
/* privileges                                                          */
/* ------------------------------------------------------------------ */

static void test_app_privileges(void **state)
{
	(void)state;
	/* no access to staff rows or hashes */
	expect_error(app, "42501", "SELECT count(*) FROM yc.staff", 0, NULL);
	expect_error(app, "42501", "SELECT password_hash FROM yc.staff", 0, NULL);
	expect_error(app, "42703", "SELECT password_hash FROM yc.staff_public", 0, NULL);
	/* nor the list of staff numbers a stranger would try (issue 19) */
	expect_error(app, "42501", "SELECT name FROM yc.staff_public WHERE staff_no = 'clerk1'",
		     0, NULL);

	/* the audit log can be neither written nor read directly */
	expect_error(app, "42501",
		     "INSERT INTO yc.audit_log (office_code, action) VALUES ('360981', 'forged')", 0,
		     NULL);
	expect_error(app, "42501", "SELECT count(*) FROM yc.audit_log", 0, NULL);
	expect_error(app, "42501",
		     "SELECT yc.audit_write('360981', 'clerk1', 1, 'forged', NULL, NULL, NULL, NULL)",
		     0, NULL);

	/* no writes to reference data, no internal helpers */
	expect_error(app, "42501", "UPDATE yc.setting SET value = '99' WHERE key = 'login_max_failures'",
		     0, NULL);
	expect_error(app, "42501", "UPDATE yc.staff SET failed_logins = 0", 0, NULL);
	expect_error(app, "42501", "SELECT yc.hash_password('x')", 0, NULL);
	expect_error(app, "42501", "INSERT INTO yc.office (code, name, tier, region_code)"
				   " VALUES ('99', 'x', 'province', '990000')",
		     0, NULL);
	expect_error(app, "42501", "SELECT count(*) FROM yc.staff_session", 0, NULL);

	/* what it may read and call */
	assert_true(dbt_query_ll(app, "SELECT count(*) FROM yc.office", 0, NULL) >= 4);
	assert_true(dbt_query_ll(app, "SELECT count(*) FROM yc.service_window", 0, NULL) >= 13);
	assert_true(dbt_query_ll(app, "SELECT count(*) FROM yc.workday_adjustment", 0, NULL) > 0);
	dbt_query_ll(app, "SELECT count(*) FROM yc.case_type", 0, NULL);
	dbt_query_ll(app, "SELECT count(*) FROM yc.catalogue_version", 0, NULL);
	dbt_query_ll(app, "SELECT count(*) FROM yc.calendar_year", 0, NULL);
	dbt_query_ll(app, "SELECT count(*) FROM yc.ticket", 0, NULL);
	dbt_query_ll(app, "SELECT count(*) FROM yc.service_case", 0, NULL);
	struct login l = do_login(app, "clerk1", DEMO_PASSWORD, "5");
	assert_string_equal(l.result, "ok");
	do_logout(l.session_id, "user");
	assert_int_equal(dbt_query_ll(app, "SELECT yc.setting_int('login_max_failures')", 0, NULL), 5);
	assert_int_equal(dbt_query_ll(app, "SELECT yc.setting_int('senior_age')", 0, NULL), 60);
	expect_error(app, "YC003", "SELECT yc.setting_int('no_such_setting')", 0, NULL);
}

static void test_functions_not_public(void **state)
{
	(void)state;
	/* no function of schema yc (extensions aside) is executable by PUBLIC */
	assert_query_str(su, "",
			 "SELECT coalesce(string_agg(p.proname, ','), '')"
			 " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
			 " WHERE n.nspname = 'yc'"
			 " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass"
			 "   AND d.objid = p.oid AND d.deptype = 'e')"
			 " AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a"
			 "   WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))",
			 0, NULL);
	/* every SECURITY DEFINER function pins its search_path */
	assert_query_str(su, "",
			 "SELECT coalesce(string_agg(p.proname, ','), '')"
			 " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
			 " WHERE n.nspname = 'yc' AND p.prosecdef"
			 " AND NOT coalesce('search_path=yc, pg_temp' = ANY(p.proconfig), false)",
			 0, NULL);
	/* the auth functions are SECURITY DEFINER */
	assert_query_str(su, "demo_accounts,login,logout,screen_lock,screen_unlock,setting_int",
			 "SELECT string_agg(p.proname, ',' ORDER BY p.proname)"
			 " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
			 " WHERE n.nspname = 'yc' AND p.prosecdef AND p.proname IN ('demo_accounts',"
			 " 'login', 'logout', 'screen_lock', 'screen_unlock', 'setting_int')",
			 0, NULL);
}

/* ------------------------------------------------------------------ */
/* constraints                                                         */
/* ------------------------------------------------------------------ */

static void test_office_constraints(void **state)
{
	(void)state;
	begin(su);
	/* a village whose parent is a city */
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('360981001009', '测试村', 'village', '360981', '360981')",
		     0, NULL);
	/* a township whose parent is a township */
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('360981009', '测试镇', 'township', '360981001', '360981')",
		     0, NULL);
	/* a county below a county, a province with a parent, a prefecture
	 * below nothing, a county whose code is a prefecture's, a township
	 * without a parent, the old tier word city */
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('360982', '测试县', 'county', '360981', '360982')",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('37', '测试省', 'province', '36', '370000')",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('3608', '测试设区市', 'prefecture', NULL, '360800')",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('3608', '测试设区市', 'county', '36', '360800')",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('360982', '测试市', 'city', '3609', '360982')",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('360981009', '测试镇', 'township', NULL, '360981')",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('360982', '测试', 'county', NULL, '360982')",
		     0, NULL);
	/* a village under a township that does not exist */
	expect_error(su, "23503",
		     "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		     " VALUES ('360981009001', '测试村', 'village', '360981009', '360981')",
		     0, NULL);
	/* the right shapes are accepted, at every level */
	dbt_exec_ok(su,
		"INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		" VALUES ('360981009', '测试镇', 'township', '360981', '360981'),"
		"        ('360981009001', '测试村', 'village', '360981009', '360981'),"
		"        ('37', '测试省', 'province', NULL, '370000'),"
		"        ('3701', '测试设区市', 'prefecture', '37', '370100'),"
		"        ('370102', '测试区', 'county', '3701', '370102')",
		0, NULL);
	/* windows 1..999 */
	expect_error(su, "23514",
		     "INSERT INTO yc.service_window (office_code, window_no, label)"
		     " VALUES ('360981009', 0, '0号窗口')",
		     0, NULL);
	rollback(su);
}

static void test_staff_constraints(void **state)
{
	(void)state;
	begin(su);
	expect_error(su, "23514",
		     "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
		     " VALUES ('Bad Name', '测试', 'clerk', '360981', yc.hash_password('x'))",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
		     " VALUES ('tdb_role', '测试', 'boss', '360981', yc.hash_password('x'))",
		     0, NULL);
	/* only bcrypt hashes */
	expect_error(su, "23514",
		     "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
		     " VALUES ('tdb_md5', '测试', 'clerk', '360981', md5('x'))",
		     0, NULL);
	expect_error(su, "23514", "UPDATE yc.staff SET failed_logins = -1 WHERE staff_no = 'clerk1'",
		     0, NULL);
	rollback(su);
}

static void test_person_id_pattern(void **state)
{
	(void)state;
	begin(su);
	const char *bad[] = { "12345", "11010119900101123x", "1101011990010112345",
			      "A10101199001011234", "110101199001011" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *p[1] = { bad[i] };
		expect_error(su, "23514", "INSERT INTO yc.person (id_no, name) VALUES ($1, '张三')", 1,
			     p);
	}
	dbt_exec_ok(su,
		"INSERT INTO yc.person (id_no, name, sex) VALUES"
		" ('36098119500101001X', '张三', 'M'), ('360981199001010028', '李四', 'F')",
		0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.person (id_no, name, sex) VALUES ('360981199001010036', '王五', 'X')",
		     0, NULL);
	rollback(su);
}

static void test_ticket_constraints(void **state)
{
	(void)state;
	begin(su);
	const char *ins = "INSERT INTO yc.ticket (office_code, day, class, seq, number)"
			  " VALUES ($1, '2000-01-03', $2, $3::int, $4)";
	const char *ok1[4] = { "360981", "normal", "1", "A001" };
	dbt_exec_ok(su, ins, 4, ok1);

	/* bad class */
	const char *bad_class[4] = { "360981", "vip", "1", "V001" };
	expect_error(su, "23514", ins, 4, bad_class);
	/* duplicate number for the same office, day and class */
	const char *dup[4] = { "360981", "normal", "1", "A001" };
	expect_error(su, "23505", ins, 4, dup);
	/* the number is the class letter and the sequence, so the unique
	 * number also makes class and sequence unique */
	const char *wrong_seq[4] = { "360981", "normal", "2", "A901" };
	expect_error(su, "23514", ins, 4, wrong_seq);
	const char *wrong_letter[4] = { "360981", "priority", "1", "A001" };
	expect_error(su, "23514", ins, 4, wrong_letter);
	const char *wide[4] = { "360981", "normal", "3", "A0003" };
	expect_error(su, "23514", ins, 4, wide);
	const char *long_seq[4] = { "360981", "normal", "1234", "A1234" };
	dbt_exec_ok(su, ins, 4, long_seq);
	/* the same number in another office, or another class, is fine */
	const char *other_office[4] = { "360981001", "normal", "1", "A001" };
	dbt_exec_ok(su, ins, 4, other_office);
	const char *other_class[4] = { "360981", "priority", "1", "B001" };
	dbt_exec_ok(su, ins, 4, other_class);
	/* seq > 0, unknown office */
	const char *zero[4] = { "360981", "normal", "0", "A000" };
	expect_error(su, "23514", ins, 4, zero);
	const char *nowhere[4] = { "999999", "normal", "1", "A001" };
	expect_error(su, "23503", ins, 4, nowhere);

	/* state rules: a served ticket has finished_at; a window must exist */
	expect_error(su, "23514",
		     "UPDATE yc.ticket SET status = 'served', window_no = 1, started_at = issued_at"
		     " WHERE office_code = '360981' AND number = 'A001' AND day = '2000-01-03'",
		     0, NULL);
	expect_error(su, "23503",
		     "UPDATE yc.ticket SET status = 'called', window_no = 9, called_at = issued_at"
		     " WHERE office_code = '360981' AND number = 'A001' AND day = '2000-01-03'",
		     0, NULL);
	dbt_exec_ok(su,
		"UPDATE yc.ticket SET status = 'called', window_no = 2, called_at = issued_at"
		" WHERE office_code = '360981' AND number = 'A001' AND day = '2000-01-03'",
		0, NULL);
	/* ticket_id is generated */
	expect_error(su, "428C9",
		     "INSERT INTO yc.ticket (office_code, ticket_id, day, class, seq, number)"
		     " VALUES ('360981', 1, '2000-01-03', 'green', 1, 'G001')",
		     0, NULL);
	rollback(su);
}

static void test_session_constraints(void **state)
{
	(void)state;
	begin(su);
	dbt_exec_ok(su, "UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test'"
		    " WHERE ended_at IS NULL",
		0, NULL);
	dbt_exec_ok(su, "INSERT INTO yc.staff_session (office_code, staff_no, window_no)"
		    " VALUES ('360981', 'clerk1', 6)",
		0, NULL);
	/* a second open session at the same window */
	expect_error(su, "23505",
		     "INSERT INTO yc.staff_session (office_code, staff_no, window_no)"
		     " VALUES ('360981', 'clerk2', 6)",
		     0, NULL);
	/* a second open session of the same staff */
	expect_error(su, "23505",
		     "INSERT INTO yc.staff_session (office_code, staff_no, window_no)"
		     " VALUES ('360981', 'clerk1', 7)",
		     0, NULL);
	/* a window that does not exist */
	expect_error(su, "23503",
		     "INSERT INTO yc.staff_session (office_code, staff_no, window_no)"
		     " VALUES ('360981', 'clerk2', 9)",
		     0, NULL);
	/* ended without a reason */
	expect_error(su, "23514",
		     "UPDATE yc.staff_session SET ended_at = now()"
		     " WHERE staff_no = 'clerk1' AND ended_at IS NULL",
		     0, NULL);
	rollback(su);
}

static void test_case_constraints(void **state)
{
	(void)state;
	begin(su);
	dbt_exec_ok(su,
		"INSERT INTO yc.catalogue_version (version, loaded_by, file_count)"
		" VALUES (90001, 'test', 1)",
		0, NULL);
	dbt_exec_ok(su,
		"INSERT INTO yc.case_type (code, version, name, pinyin, tiers, definition)"
		" VALUES ('900000000001', 90001, '测试事项', 'csxs', '{county,township}', '<case-type/>')",
		0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.case_type (code, version, name, pinyin, tiers, definition)"
		     " VALUES ('900000000002', 90001, '测试事项', 'csxs', '{city}', '<case-type/>')",
		     0, NULL);
	/* accepted below county level only: no centre would take it */
	expect_error(su, "23514",
		     "INSERT INTO yc.case_type (code, version, name, pinyin, tiers, definition)"
		     " VALUES ('900000000003', 90001, '测试事项', 'csxs', '{township,village}', '<case-type/>')",
		     0, NULL);
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name) VALUES ('36098119500101001X', '张三')", 0,
		NULL);
	const char *ins = "INSERT INTO yc.service_case (office_code, case_no, case_type_code,"
			  " case_type_version, id_no, status, first_staff_no, window_no,"
			  " accepted_at, promised_date)"
			  " VALUES ('360981', $1, '900000000001', 90001, '36098119500101001X', $2, 'clerk1', 3,"
			  " $3::timestamptz, $4::date)";
	const char *ok[4] = { "360981200001030001", "accepted", "2000-01-03 09:00+08", "2000-01-10" };
	dbt_exec_ok(su, ins, 4, ok);
	/* case number: office code + yyyymmdd + 4 digits */
	const char *bad_no[4] = { "360981001200001030001", "draft", NULL, NULL };
	expect_error(su, "23514", ins, 4, bad_no);
	const char *short_no[4] = { "36098120000103001", "draft", NULL, NULL };
	expect_error(su, "23514", ins, 4, short_no);
	/* accepted without accepted_at; unknown status */
	const char *no_time[4] = { "360981200001030002", "accepted", NULL, NULL };
	expect_error(su, "23514", ins, 4, no_time);
	const char *bad_status[4] = { "360981200001030003", "lost", NULL, NULL };
	expect_error(su, "23514", ins, 4, bad_status);
	/* promised before acceptance */
	const char *early[4] = { "360981200001030004", "accepted", "2000-01-03 09:00+08",
				 "2000-01-02" };
	expect_error(su, "23514", ins, 4, early);
	/* a stage is worked by the case's office cut to the stage's level: a
	 * prefecture stage of a county case by the prefecture, a township
	 * stage of a county case by the county itself; the old word city is
	 * no level */
	dbt_exec_ok(su,
		"INSERT INTO yc.case_stage (office_code, case_no, stage_no, name, tier, days, due_date)"
		" VALUES ('360981', '360981200001030001', 1, '乡镇初审', 'township', 2, '2000-01-05'),"
		"        ('360981', '360981200001030001', 2, '县级复核', 'county', 2, '2000-01-07'),"
		"        ('360981', '360981200001030001', 3, '设区市复核', 'prefecture', 2, '2000-01-09'),"
		"        ('360981', '360981200001030001', 4, '省级备案', 'province', 1, '2000-01-10')",
		0, NULL);
	assert_query_str(su, "1:360981,2:360981,3:3609,4:36",
			 "SELECT string_agg(stage_no || ':' || work_office, ',' ORDER BY stage_no)"
			 " FROM yc.case_stage WHERE case_no = '360981200001030001'", 0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.case_stage (office_code, case_no, stage_no, name, tier, days, due_date)"
		     " VALUES ('360981', '360981200001030001', 5, '旧', 'city', 1, '2000-01-10')",
		     0, NULL);
	/* events and notices belong to an existing case */
	dbt_exec_ok(su,
		"INSERT INTO yc.case_event (office_code, case_no, seq, staff_no, kind)"
		" VALUES ('360981', '360981200001030001', 1, 'clerk1', 'accepted')",
		0, NULL);
	expect_error(su, "23505",
		     "INSERT INTO yc.case_event (office_code, case_no, seq, staff_no, kind)"
		     " VALUES ('360981', '360981200001030001', 1, 'clerk1', 'note')",
		     0, NULL);
	expect_error(su, "23503",
		     "INSERT INTO yc.case_event (office_code, case_no, seq, staff_no, kind)"
		     " VALUES ('360981001', '360981200001030001', 1, 'clerk1', 'note')",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.notice (office_code, notice_no, case_no, kind, staff_no)"
		     " VALUES ('360981', 'N1', '360981200001030001', 'love_letter', 'clerk1')",
		     0, NULL);
	dbt_exec_ok(su,
		"INSERT INTO yc.notice (office_code, notice_no, case_no, kind, staff_no)"
		" VALUES ('360981', 'N1', '360981200001030001', 'supplement', 'clerk1')",
		0, NULL);
	rollback(su);
}

/* ------------------------------------------------------------------ */
/* calendar                                                            */
/* ------------------------------------------------------------------ */

static void assert_add_workdays(const char *day, const char *n, const char *expected)
{
	const char *p[2] = { day, n };
	char *v = query_value(app, "SELECT yc.add_workdays($1::date, $2::int)::text", 2, p);
	assert_non_null(v);
	if (strcmp(v, expected) != 0)
		print_error("# add_workdays(%s, %s) = %s, expected %s\n", day, n, v, expected);
	assert_string_equal(v, expected);
	free(v);
}

static void assert_is_workday(const char *day, const char *expected)
{
	const char *p[1] = { day };
	char *v = query_value(app, "SELECT yc.is_workday($1::date)::text", 1, p);
	assert_non_null(v);
	if (strcmp(v, expected) != 0)
		print_error("# is_workday(%s) = %s, expected %s\n", day, v, expected);
	assert_string_equal(v, expected);
	free(v);
}

static void test_is_workday(void **state)
{
	(void)state;
	assert_is_workday("2026-10-01", "false"); /* 国庆, a Thursday */
	assert_is_workday("2026-10-09", "true");  /* Friday */
	assert_is_workday("2026-10-10", "true");  /* Saturday, 国庆调休 */
	assert_is_workday("2026-10-11", "false"); /* Sunday */
	assert_is_workday("2026-02-16", "false"); /* 春节, a Monday */
	assert_is_workday("2025-01-26", "true");  /* Sunday, 春节调休 */
	assert_is_workday("2024-06-10", "false"); /* 端午, a Monday */
	assert_is_workday("2024-06-11", "true");
}

static void test_add_workdays(void **state)
{
	(void)state;
	assert_add_workdays("2026-09-30", "1", "2026-10-08");  /* across 国庆 */
	assert_add_workdays("2026-09-30", "5", "2026-10-13");  /* counts Sat 10-10 */
	assert_add_workdays("2026-02-13", "1", "2026-02-14");  /* Sat 春节调休 */
	assert_add_workdays("2026-02-14", "1", "2026-02-24");  /* across 春节 */
	assert_add_workdays("2025-01-24", "2", "2025-01-27");  /* Sun 01-26 works */
	assert_add_workdays("2025-01-27", "1", "2025-02-05");  /* 春节 2025 */
	assert_add_workdays("2024-09-30", "1", "2024-10-08");  /* 国庆 2024 */
	assert_add_workdays("2024-10-11", "1", "2024-10-12");  /* Sat 国庆调休 */
	assert_add_workdays("2025-12-31", "1", "2026-01-04");  /* 元旦 + Sun 调休, across years */
	assert_add_workdays("2025-09-15", "30", "2025-10-31"); /* 30 working days */
	assert_add_workdays("2024-02-01", "20", "2024-03-05"); /* 20 working days over 春节 */
	assert_add_workdays("2026-10-09", "0", "2026-10-09");  /* 即时办结 */
}

static void test_calendar_beyond_loaded(void **state)
{
	(void)state;
	const char *p[1] = { "2100-06-01" };	/* after the last provisional year */
	PGresult *r = dbt_run(app, "SELECT yc.is_workday($1::date)", 1, p);
	assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
	assert_string_equal(PQresultErrorField(r, PG_DIAG_SQLSTATE), "YC001");
	assert_string_equal(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY),
			    "date beyond loaded calendar");
	PQclear(r);
	expect_error(app, "YC001", "SELECT yc.add_workdays('2099-12-20', 10)", 0, NULL);
	expect_error(app, "YC001", "SELECT yc.is_workday('1990-01-01')", 0, NULL);
}

static void test_calendar_constraints(void **state)
{
	(void)state;
	begin(su);
	/* a make-up working day must be a Saturday or Sunday */
	expect_error(su, "23514",
		     "INSERT INTO yc.workday_adjustment (day, kind, name)"
		     " VALUES ('2099-01-07', 'work', '测试')",
		     0, NULL);
	expect_error(su, "23514",
		     "INSERT INTO yc.workday_adjustment (day, kind, name)"
		     " VALUES ('2099-01-10', 'holiday', '测试')",
		     0, NULL);
	dbt_exec_ok(su,
		"INSERT INTO yc.workday_adjustment (day, kind, name) VALUES"
		" ('2099-01-10', 'work', '测试调休'), ('2099-01-07', 'off', '测试假日')",
		0, NULL);
	rollback(su);
}

/* ------------------------------------------------------------------ */
/* demo data and passwords                                             */
/* ------------------------------------------------------------------ */

static void test_password_hashes_are_bcrypt(void **state)
{
	(void)state;
	assert_int_equal(dbt_query_ll(su,
				  "SELECT count(*) FROM yc.staff WHERE staff_no IN ('clerk1', 'clerk2',"
				  " 'town1', 'village1', 'review1', 'super1', 'guide1', 'admin1')"
				  " AND (password_hash LIKE '$2a$%' OR password_hash LIKE '$2b$%')"
				  " AND substr(password_hash, 5, 2)::int >= 10",
				  0, NULL),
			 8);
	assert_int_equal(dbt_query_ll(su,
				  "SELECT count(*) FROM yc.staff"
				  " WHERE NOT (password_hash LIKE '$2a$%' OR password_hash LIKE '$2b$%')",
				  0, NULL),
			 0);
	/* two hashes of one password differ (salted) and both verify */
	assert_query_str(su, "true|true|true",
			 "WITH h AS (SELECT yc.hash_password('Demo-1234') a, yc.hash_password('Demo-1234') b)"
			 " SELECT (a <> b)::text || '|' || yc.password_matches('Demo-1234', a)::text"
			 " || '|' || (NOT yc.password_matches('demo-1234', b))::text FROM h",
			 0, NULL);
}

static void test_demo_accounts(void **state)
{
	(void)state;
	PGresult *r = dbt_run(app, "SELECT staff_no, name, role, office_name FROM yc.demo_accounts()", 0,
			  NULL);
	static const char *const want[][4] = {
		{ "clerk1", "欧阳娜娜", "clerk", "丰城市医疗保障服务中心" },
		{ "clerk2", "王芳", "clerk", "丰城市医疗保障服务中心" },
		{ "town1", "李建国", "clerk", "剑光街道医保所" },
		{ "village1", "刘秀英", "clerk", "剑光街道某社区医保站" },
		{ "review1", "陈志强", "reviewer", "丰城市医疗保障服务中心" },
		{ "super1", "周敏", "supervisor", "丰城市医疗保障服务中心" },
		{ "guide1", "吴静", "guide", "丰城市医疗保障服务中心" },
		{ "admin1", "赵磊", "admin", "丰城市医疗保障服务中心" },
		{ "gaoan1", "黄晓燕", "clerk", "高安市医疗保障服务中心" },
		{ "donghu1", "孙伟", "clerk", "东湖区医疗保障服务中心" },
		{ "ycsuper", "邓文华", "supervisor", "宜春市医疗保障服务中心" },
		{ "jxsuper", "罗志明", "supervisor", "江西省医疗保障服务中心" },
	};
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 12);
	for (int i = 0; i < 12; i++)
		for (int j = 0; j < 4; j++)
			assert_string_equal(PQgetvalue(r, i, j), want[i][j]);
	PQclear(r);

	/* every demo account logs in with the demo password */
	const char *windows[] = { "1", "2", "1", "1", NULL, NULL, NULL, NULL, "1", "1", NULL, NULL };
	for (int i = 0; i < 12; i++) {
		struct login l = do_login(app, want[i][0], DEMO_PASSWORD, windows[i]);
		assert_string_equal(l.result, "ok");
		assert_string_equal(l.staff_name, want[i][1]);
		do_logout(l.session_id, "user");
	}

	/* not a demo installation: no rows */
	begin(su);
	dbt_exec_ok(su, "UPDATE yc.setting SET value = 'off' WHERE key = 'demo'", 0, NULL);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.demo_accounts()", 0, NULL), 0);
	rollback(su);
}

static void test_demo_offices_and_windows(void **state)
{
	(void)state;
	assert_query_str(app,
			 "36:province::0,3601:prefecture:36:0,360102:county:3601:4,"
			 "360103:county:3601:4,3609:prefecture:36:0,360981:county:3609:8,"
			 "360981001:township:360981:2,360981001001:village:360981001:1,"
			 "360981002:township:360981:2,360983:county:3609:4,360983001:township:360983:1",
			 "SELECT string_agg(o.code || ':' || o.tier || ':' || coalesce(o.parent_code, '')"
			 " || ':' || (SELECT count(*) FROM yc.service_window w"
			 "            WHERE w.office_code = o.code AND w.active), ',' ORDER BY o.code COLLATE \"C\")"
			 " FROM yc.office o WHERE o.code IN ('36', '3601', '360102', '360103', '3609',"
			 " '360981', '360981001', '360981002', '360981001001', '360983', '360983001')",
			 0, NULL);
	assert_query_str(app, "3号窗口",
			 "SELECT label FROM yc.service_window WHERE office_code = '360981' AND window_no = 3",
			 0, NULL);
}

static void test_demo_sql_idempotent(void **state)
{
	(void)state;
	char *path = source_file("db/demo.sql");
	if (path == NULL)
		print_error("# db/demo.sql not found (set YC_SOURCE_DIR)\n");
	assert_non_null(path);
	char *sql = file_read(path, 1u << 20, NULL);
	free(path);
	assert_non_null(sql);

	static const char *counts = "SELECT (SELECT count(*) FROM yc.office) || '/' ||"
				    " (SELECT count(*) FROM yc.service_window) || '/' ||"
				    " (SELECT count(*) FROM yc.staff) || '/' ||"
				    " (SELECT count(*) FROM yc.setting)";
	begin(su);
	char *before = query_value(su, counts, 0, NULL);
	/* changed data must survive a rerun */
	dbt_exec_ok(su,
		"UPDATE yc.staff SET password_hash = yc.hash_password('Changed-9876')"
		" WHERE staff_no = 'clerk2'",
		0, NULL);
	dbt_exec_ok(su, "UPDATE yc.service_window SET label = '改名窗口'"
		    " WHERE office_code = '360981' AND window_no = 8",
		0, NULL);
	dbt_exec_ok(su, "UPDATE yc.setting SET value = 'off' WHERE key = 'demo'", 0, NULL);
	for (int i = 0; i < 2; i++) {
		PGresult *r = PQexec(su, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			print_error("# demo.sql: %s\n", errmsg(r));
		assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
		PQclear(r);
	}
	char *after = query_value(su, counts, 0, NULL);
	assert_string_equal(before, after);
	assert_query_str(su, "true",
			 "SELECT yc.password_matches('Changed-9876', password_hash)::text"
			 " FROM yc.staff WHERE staff_no = 'clerk2'",
			 0, NULL);
	assert_query_str(su, "改名窗口",
			 "SELECT label FROM yc.service_window WHERE office_code = '360981' AND window_no = 8",
			 0, NULL);
	assert_query_str(su, "off", "SELECT value FROM yc.setting WHERE key = 'demo'", 0, NULL);
	rollback(su);

	/* missing demo rows are added again (deleted inside a transaction) */
	begin(su);
	dbt_exec_ok(su, "DELETE FROM yc.demo_account", 0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.setting WHERE key = 'demo'", 0, NULL);
	PGresult *r = PQexec(su, sql);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.demo_accounts()", 0, NULL), 12);
	rollback(su);

	free(before);
	free(after);
	free(sql);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_app_connection_is_app_role),
		T(test_login_ok_opens_session),
		T(test_login_replaces_sessions),
		T(test_wrong_password),
		T(test_unknown_staff),
		T(test_lockout_after_five_failures),
		T(test_window_required),
		T(test_unknown_window),
		T(test_disabled_account),
		T(test_screen_lock_unlock),
		T(test_logout_unknown_session_is_noop),
		T(test_audit_log_append_only),
		T(test_app_privileges),
		T(test_functions_not_public),
		T(test_office_constraints),
		T(test_staff_constraints),
		T(test_person_id_pattern),
		T(test_ticket_constraints),
		T(test_session_constraints),
		T(test_case_constraints),
		T(test_is_workday),
		T(test_add_workdays),
		T(test_calendar_beyond_loaded),
		T(test_calendar_constraints),
		T(test_password_hashes_are_bcrypt),
		T(test_demo_accounts),
		T(test_demo_offices_and_windows),
		T(test_demo_sql_idempotent),
	};
	return cmocka_run_group_tests_name("db_schema", tests, group_setup, group_teardown);
}
