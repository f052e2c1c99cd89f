/*
 * Staff administration and the password policy (db/functions/admin.sql,
 * db/functions/auth.sql, migration 0021) through the store
 * (tui/store/staffstore.c, tui/store/auth.c) on the application role, as
 * the workstation calls them:
 *   - an administrator adds an account with a one-time temporary password
 *     (never stored in clear, never in the audit log); the sign-in with it
 *     opens no session until a new password that keeps the policy is
 *     chosen, each rule refused by name; expiry after
 *     password_max_age_days (0: never); the history of the last 5;
 *   - the signed-in user changes their own password (a wrong current one
 *     counts towards the lock);
 *   - jurisdiction: a township administrator reaches its township and the
 *     villages below, never the city's staff nor another township's, and
 *     nothing changes when refused; a clerk, a closed session and the
 *     application role without a session are refused; the database owner
 *     reaches every office;
 *   - disable (the session ends, the sign-in is refused, the open cases
 *     listed), enable, reset (unlocks, ends the session), unlock, edit;
 *     one's own account; the last administrator of a city office, also
 *     against direct SQL, a DELETE and two administrators disabling each
 *     other at the same moment;
 *   - every change audited with before and after and announced on
 *     yc_staff_CODE of the office and the offices above;
 *   - the application role's privileges.
 *
 * Environment as for every db suite (tests/run.sh):
 *   PGHOST, PGDATABASE, PGUSER=postgres    superuser, PQconnectdb("")
 *   YC_TEST_APP_CONNINFO                    the application role
 * Offices of its own: city 360979 with townships 360979001 (and its
 * village 360979001001) and 360979002; city 360978; city 360977 (its
 * administrator never signs in); staff ta_*.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/dbt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/auth.h"
#include "store/db.h"
#include "store/staffstore.h"

#define CITY "360979"
#define TOWN "360979001"
#define VILLAGE "360979001001"
#define TOWN2 "360979002"
#define OTHER_CITY "360978"
#define LONE_CITY "360977"
#define TA_PASSWORD "Ta-Secret-7"
#define T_CLINIC "002036006001"

static PGconn *su;		/* superuser */
static struct db *dsu;		/* superuser through the store: the database owner */
static struct db *adb;		/* the application role, as a workstation */
static struct db *adb2;		/* a second workstation */

static const char *const staff_rows[][3] = {
	{ "ta_admin", "admin", CITY },
	{ "ta_tadmin", "admin", TOWN },
	{ "ta_clerk", "clerk", CITY },
	{ "ta_super", "supervisor", CITY },
	{ "ta_tclerk", "clerk", TOWN },
	{ "ta_vclerk", "clerk", VILLAGE },
	{ "ta_t2clerk", "clerk", TOWN2 },
	{ "ta_oadmin", "admin", OTHER_CITY },
	{ "ta_lone", "admin", LONE_CITY },
};

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static long long login(struct db *db, const char *staff, int window)
{
	return dbt_login_db(db, staff, TA_PASSWORD, window, "tests/db/admin");
}

/* The result word of yc.login for staff with password (window 0: none). */
static char *login_result(const char *staff, const char *password, int window)
{
	struct auth_session s = { 0 };
	struct auth_outcome o;
	static const char *const names[] = { "ok", "bad_credentials", "locked", "disabled",
	    "window_required", "unknown_window", "password_reset", "password_expired" };
	char *r;

	auth_login(adb2, staff, password, window, &s, &o);
	r = strdup((size_t)o.result < sizeof names / sizeof names[0] ? names[o.result] : "other");
	if (s.id != 0)
		auth_logout(adb2, &s, "test");
	auth_session_clear(&s);
	return r;
}

static void assert_login(const char *staff, const char *password, int window, const char *want)
{
	char *got = login_result(staff, password, window);

	if (strcmp(got, want) != 0)
		print_error("# login %s: %s, not %s\n", staff, got, want);
	assert_string_equal(got, want);
	free(got);
}

/* A fact about an account as text: expr over the columns of yc.staff. */
static void assert_staff(const char *staff, const char *expr, const char *want)
{
	char *sql;

	assert_true(asprintf(&sql, "SELECT (%s)::text FROM yc.staff WHERE staff_no = $1", expr) > 0);
	dbt_assert_query(su, want, sql, 1, (const char *[]){ staff });
	free(sql);
}

/* Audit rows after mark of action on staff:NO. */
static long long audit_count(long long mark, const char *action, const char *staff)
{
	char m[24], obj[64];

	snprintf(m, sizeof m, "%lld", mark);
	snprintf(obj, sizeof obj, "staff:%s", staff);
	return dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND action = $2 AND object = $3", 3, (const char *[]){ m, action, obj });
}

/* An expression over the newest audit row after mark of action on staff. */
static void assert_audit(long long mark, const char *action, const char *staff, const char *expr,
    const char *want)
{
	char m[24], obj[64], *sql;

	snprintf(m, sizeof m, "%lld", mark);
	snprintf(obj, sizeof obj, "staff:%s", staff);
	assert_true(asprintf(&sql, "SELECT (%s)::text FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND action = $2 AND object = $3 ORDER BY audit_id DESC LIMIT 1", expr) > 0);
	dbt_assert_query(su, want, sql, 3, (const char *[]){ m, action, obj });
	free(sql);
}

/* Whether text appears anywhere in the audit rows after mark. */
static long long audit_mentions(long long mark, const char *text)
{
	char m[24];

	snprintf(m, sizeof m, "%lld", mark);
	return dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND (coalesce(before::text, '') || coalesce(after::text, '')) LIKE '%' || $2 || '%'",
	    2, (const char *[]){ m, text });
}

static long long open_sessions(const char *staff)
{
	return dbt_query_ll(su, "SELECT count(*) FROM yc.staff_session WHERE staff_no = $1"
	    " AND ended_at IS NULL", 1, (const char *[]){ staff });
}

/* The change of one's own password, as the password screen makes it. */
static enum auth_result change_own(struct db *db, long long session, const char *old,
    const char *new_password, int *left)
{
	struct auth_session s = { .id = session };
	struct auth_outcome o;

	auth_password_change(db, &s, old, new_password, &o);
	if (left != NULL)
		*left = o.failures_left;
	return o.result;
}

/* The sign-in with a new password (the sign-in screen after a reset). */
static enum auth_result login_change(const char *staff, const char *old, const char *new_password,
    int window)
{
	struct auth_session s = { 0 };
	struct auth_outcome o;

	auth_login_change(adb2, staff, old, new_password, window, &s, &o);
	if (o.result == AUTH_OK) {
		assert_true(s.id != 0);
		auth_logout(adb2, &s, "test");
	} else {
		assert_true(s.id == 0);
	}
	auth_session_clear(&s);
	return o.result;
}

static void assert_ss(enum staffstore_result got, enum staffstore_result want)
{
	if (got != want)
		print_error("# %s (%d), not %s (%d)\n", staffstore_message(got), got,
		    staffstore_message(want), want);
	assert_int_equal(got, want);
}

/* An open case (accepted, 首问负责 staff) at office, inserted directly. */
static void open_case(const char *office, const char *staff, const char *case_no)
{
	char ver[16], id[19];

	dbt_make_id(id, "19800101", 979);
	snprintf(ver, sizeof ver, "%d", dbt_case_type_version(su, T_CLINIC));
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name) VALUES ($1, '管理测试')"
	    " ON CONFLICT DO NOTHING", 1, (const char *[]){ id });
	dbt_exec_ok(su, "INSERT INTO yc.service_case (office_code, case_no, case_type_code,"
	    " case_type_version, id_no, status, first_staff_no, accepted_at, promised_date)"
	    " VALUES ($1, $2, $3, $4::int, $5, 'accepted', $6, now(), current_date + 30)", 6,
	    (const char *[]){ office, case_no, T_CLINIC, ver, id, staff });
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static void reset(void)
{
	dbt_close_sessions(su, "ta");
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '90' WHERE key = 'password_max_age_days'", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '5' WHERE key = 'password_history'", 0, NULL);
	dbt_staff(su, TA_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_clear_cases(su, CITY);
	dbt_exec_ok(su, "DELETE FROM yc.staff_session WHERE staff_no LIKE 'ta\\_new%'", 0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.staff WHERE staff_no LIKE 'ta\\_new%'", 0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.password_history WHERE staff_no LIKE 'ta\\_%'", 0, NULL);
}

static int group_setup(void **state)
{
	const char *app_info = getenv("YC_TEST_APP_CONNINFO");

	(void)state;
	if (dbt_connect(&su, NULL, &dsu) != 0)
		return -1;
	adb = db_open(app_info);
	adb2 = db_open(app_info);
	if (!db_connected(adb) || !db_connected(adb2)) {
		fprintf(stderr, "# app connection: %s\n", db_detail(adb));
		return -1;
	}
	dbt_office(su, CITY, "管理测试市医保中心", 2);
	dbt_office(su, TOWN, "管理测试一街道", 1);
	dbt_office(su, VILLAGE, "管理测试一社区", 1);
	dbt_office(su, TOWN2, "管理测试二街道", 1);
	dbt_office(su, OTHER_CITY, "管理另一测试市医保中心", 1);
	dbt_office(su, LONE_CITY, "管理第三测试市医保中心", 1);
	reset();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (su != NULL && PQstatus(su) == CONNECTION_OK)
		reset();
	db_close(&adb);
	db_close(&adb2);
	db_close(&dsu);
	PQfinish(su);
	return 0;
}

static int test_setup(void **state)
{
	(void)state;
	reset();
	return 0;
}

/* ------------------------------------------------------------------ */
/* adding an account, the first sign-in                                */
/* ------------------------------------------------------------------ */

/* The city administrator adds a township clerk: a temporary password
 * shown once, only its hash stored, audited without it, announced to the
 * township and the city; it opens no session until a new password that
 * keeps every rule is chosen. */
static void test_add_and_first_sign_in(void **state)
{
	long long admin = login(adb, "ta_admin", 0), mark = dbt_audit_mark(su);
	PGconn *listen = PQconnectdb("");
	char temp[64], buf[512] = "";

	(void)state;
	assert_int_equal(PQstatus(listen), CONNECTION_OK);
	PQclear(PQexec(listen, "LISTEN yc_staff_" CITY));
	PQclear(PQexec(listen, "LISTEN yc_staff_" TOWN));
	assert_ss(staffstore_add(adb, admin, "ta_new1", " 新柜员 ", "clerk", TOWN, temp), SS_OK);
	/* 10 letters and digits, none easily misread, every class */
	assert_int_equal(strlen(temp), 10);
	assert_int_equal(dbt_query_ll(su, "SELECT ($1 ~ '^[A-HJ-NP-Za-km-z2-9]{10}$' AND $1 ~ '[A-Z]'"
	    " AND $1 ~ '[a-z]' AND $1 ~ '[0-9]')::int", 1, (const char *[]){ temp }), 1);
	assert_staff("ta_new1", "name || '|' || role || '|' || office_code || '|' || active || '|' ||"
	    " must_change_password", "新柜员|clerk|" TOWN "|true|true");
	assert_staff("ta_new1", "password_hash ~ '^\\$2[ab]\\$10\\$' AND password_hash <> $1",
	    "true");
	assert_int_equal(audit_count(mark, "staff_add", "ta_new1"), 1);
	assert_audit(mark, "staff_add", "ta_new1", "staff_no || '|' || office_code || '|' ||"
	    " (before IS NULL) || '|' || (after ->> 'role') || '|' || (after ->> 'must_change_password')",
	    "ta_admin|" TOWN "|true|clerk|true");
	assert_int_equal(audit_mentions(mark, temp), 0);
	assert_int_equal(audit_mentions(mark, "$2"), 0);
	assert_int_equal(dbt_read_notifies(listen, 2, buf, sizeof buf), 2);
	assert_non_null(strstr(buf, "yc_staff_" CITY " {\"e\": \"staff_add\", \"s\": \"ta_new1\"}"));
	assert_non_null(strstr(buf, "yc_staff_" TOWN " "));
	PQfinish(listen);

	/* the temporary password opens no session */
	mark = dbt_audit_mark(su);
	assert_login("ta_new1", "wrong-One-1", 1, "bad_credentials");
	assert_login("ta_new1", temp, 1, "password_reset");
	assert_int_equal(open_sessions("ta_new1"), 0);
	assert_int_equal(audit_count(mark, "login_password_change", "ta_new1"), 1);
	assert_int_equal(audit_count(mark, "login", "ta_new1"), 0);
	/* every rule by name, nothing changed */
	assert_int_equal(login_change("ta_new1", temp, "Ab1!xyz", 1), AUTH_RULE_TOO_SHORT);
	assert_int_equal(login_change("ta_new1", temp, "abcdefgh1", 1), AUTH_RULE_TOO_FEW_CLASSES);
	assert_int_equal(login_change("ta_new1", temp, "Abcdefghij", 1), AUTH_RULE_TOO_FEW_CLASSES);
	assert_int_equal(login_change("ta_new1", temp, "My-TA_NEW1-x", 1), AUTH_RULE_CONTAINS_STAFF_NO);
	assert_int_equal(login_change("ta_new1", temp, temp, 1), AUTH_RULE_REUSED);
	assert_int_equal(login_change("ta_new1", temp, "Aa1\tbcdefg", 1), AUTH_RULE_BAD_CHARACTERS);
	assert_int_equal(login_change("ta_new1", temp, "Aa1医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保医保", 1),
	    AUTH_RULE_TOO_LONG);
	assert_int_equal(audit_count(mark, "password_change_refused", "ta_new1"), 7);
	assert_staff("ta_new1", "must_change_password", "true");
	/* the wrong current password is not taken either */
	assert_int_equal(login_change("ta_new1", "not-It-9", "Good-Pass-1", 1), AUTH_BAD_CREDENTIALS);
	/* Chinese counts as "other characters": 3 classes */
	assert_int_equal(login_change("ta_new1", temp, "医保sample9", 1), AUTH_OK);
	assert_staff("ta_new1", "must_change_password || '|' || (password_changed_at > now() - interval"
	    " '1 minute')", "false|true");
	assert_int_equal(audit_count(mark, "password_changed", "ta_new1"), 1);
	assert_audit(mark, "password_changed", "ta_new1", "(before ->> 'temporary') || '|' ||"
	    " (after ->> 'reason')", "true|password_reset");
	assert_int_equal(audit_mentions(mark, "医保sample9"), 0);
	/* the old one is gone, the new one works */
	assert_login("ta_new1", temp, 1, "bad_credentials");
	assert_login("ta_new1", "医保sample9", 1, "ok");
	explicit_bzero(temp, sizeof temp);
	dbt_logout_db(adb, admin);
}

/* What the database refuses when adding, each by name, and nothing is
 * added. */
static void test_add_refusals(void **state)
{
	long long admin = login(adb, "ta_admin", 0), clerk = login(adb, "ta_clerk", 1);
	long long before = dbt_query_ll(su, "SELECT count(*) FROM yc.staff", 0, NULL), mark;
	char temp[64];

	(void)state;
	assert_ss(staffstore_add(adb, admin, "TA_NEW2", "甲", "clerk", CITY, temp), SS_BAD_STAFF_NO);
	assert_ss(staffstore_add(adb, admin, "ta", "甲", "clerk", CITY, temp), SS_BAD_STAFF_NO);
	assert_ss(staffstore_add(adb, admin, "ta_new2_aaaaaaaaaaaaaaaaaaaaaaaaaa", "甲", "clerk", CITY,
	    temp), SS_BAD_STAFF_NO);
	assert_ss(staffstore_add(adb, admin, "ta_new2", "  ", "clerk", CITY, temp), SS_BAD_NAME);
	assert_ss(staffstore_add(adb, admin, "ta_new2", "一二三四五六七八九十一二三四五六七八九十"
	    "一二三四五六七八九十一二三四五六七八九十一", "clerk", CITY, temp), SS_BAD_NAME);
	assert_ss(staffstore_add(adb, admin, "ta_new2", "甲", "boss", CITY, temp), SS_BAD_ROLE);
	assert_ss(staffstore_add(adb, admin, "ta_new2", "甲", "clerk", "360979009", temp),
	    SS_UNKNOWN_OFFICE);
	assert_ss(staffstore_add(adb, admin, "ta_new2", "甲", "clerk", OTHER_CITY, temp),
	    SS_OUT_OF_JURISDICTION);
	assert_ss(staffstore_add(adb, admin, "ta_clerk", "甲", "clerk", CITY, temp), SS_EXISTS);
	assert_ss(staffstore_add(adb, clerk, "ta_new2", "甲", "clerk", CITY, temp), SS_NOT_ALLOWED);
	/* the application role without a session, and a closed session */
	assert_ss(staffstore_add(adb, 0, "ta_new2", "甲", "clerk", CITY, temp), SS_NOT_ALLOWED);
	dbt_logout_db(adb, clerk);
	assert_ss(staffstore_add(adb, clerk, "ta_new2", "甲", "clerk", CITY, temp), SS_NO_SESSION);
	/* another connection's session is no session */
	assert_ss(staffstore_add(adb2, admin, "ta_new2", "甲", "clerk", CITY, temp), SS_NO_SESSION);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.staff", 0, NULL), before);
	/* the database owner (first set-up) may add anywhere */
	mark = dbt_audit_mark(su);
	assert_ss(staffstore_add(dsu, 0, "ta_new2", "甲", "admin", OTHER_CITY, temp), SS_OK);
	assert_audit(mark, "staff_add", "ta_new2", "staff_no", "db:postgres");
	dbt_logout_db(adb, admin);
}

/* ------------------------------------------------------------------ */
/* passwords                                                           */
/* ------------------------------------------------------------------ */

/* The signed-in user changes their own password: the current one is
 * checked (a failure counted), the rules apply, the last 5 are refused,
 * the 6th back is allowed. */
static void test_own_password_and_history(void **state)
{
	static const char *const pw[] = { "Hist-Pass-1", "Hist-Pass-2", "Hist-Pass-3", "Hist-Pass-4",
	    "Hist-Pass-5", "Hist-Pass-6" };
	long long s = login(adb, "ta_super", 0), mark = dbt_audit_mark(su);
	const char *cur = TA_PASSWORD;
	int left = 0;

	(void)state;
	assert_int_equal(change_own(adb, s, "wrong", "Other-Pass-1", &left), AUTH_BAD_CREDENTIALS);
	assert_int_equal(left, 4);
	assert_staff("ta_super", "failed_logins", "1");
	assert_int_equal(audit_count(mark, "password_change_failed", "ta_super"), 1);
	assert_int_equal(change_own(adb, s, cur, "short1A", NULL), AUTH_RULE_TOO_SHORT);
	assert_int_equal(change_own(adb, s, cur, "ta_super-X1", NULL), AUTH_RULE_CONTAINS_STAFF_NO);
	assert_int_equal(change_own(adb, s, cur, TA_PASSWORD, NULL), AUTH_RULE_REUSED);
	/* another connection may not use the session */
	assert_int_equal(change_own(adb2, s, cur, pw[0], NULL), AUTH_NO_SESSION);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(change_own(adb, s, cur, pw[i], NULL), AUTH_OK);
		cur = pw[i];
	}
	assert_staff("ta_super", "failed_logins", "0");
	assert_int_equal(audit_count(mark, "password_changed", "ta_super"), 6);
	assert_int_equal(audit_mentions(mark, "Hist-Pass"), 0);
	/* the current and the last 5 are refused; only 5 hashes are kept */
	for (size_t i = 1; i < 6; i++)
		assert_int_equal(change_own(adb, s, cur, pw[i], NULL), AUTH_RULE_REUSED);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.password_history"
	    " WHERE staff_no = 'ta_super'", 0, NULL), 5);
	assert_int_equal(change_own(adb, s, cur, pw[0], NULL), AUTH_OK);
	assert_login("ta_super", pw[0], 0, "ok");
	/* a smaller history setting lets older ones back */
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '1' WHERE key = 'password_history'", 0, NULL);
	s = dbt_login_db(adb, "ta_super", pw[0], 0, "tests/db/admin");
	assert_int_equal(change_own(adb, s, pw[0], pw[3], NULL), AUTH_OK);
	dbt_logout_db(adb, s);
}

/* Five wrong current passwords lock the account and end the session. */
static void test_own_password_lockout(void **state)
{
	long long s = login(adb, "ta_tclerk", 1);

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(change_own(adb, s, "nope", "Other-Pass-1", NULL), AUTH_BAD_CREDENTIALS);
	assert_int_equal(change_own(adb, s, "nope", "Other-Pass-1", NULL), AUTH_LOCKED);
	assert_int_equal(open_sessions("ta_tclerk"), 0);
	assert_staff("ta_tclerk", "locked_until > now()", "true");
	assert_login("ta_tclerk", TA_PASSWORD, 1, "locked");
}

/* A password older than password_max_age_days must be changed at the
 * sign-in; 0 days: never. */
static void test_expiry(void **state)
{
	(void)state;
	dbt_exec_ok(su, "UPDATE yc.staff SET password_changed_at = now() - interval '91 days'"
	    " WHERE staff_no = 'ta_clerk'", 0, NULL);
	assert_login("ta_clerk", TA_PASSWORD, 1, "password_expired");
	assert_int_equal(open_sessions("ta_clerk"), 0);
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '0' WHERE key = 'password_max_age_days'", 0, NULL);
	assert_login("ta_clerk", TA_PASSWORD, 1, "ok");
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '90' WHERE key = 'password_max_age_days'", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.staff SET password_changed_at = now() - interval '89 days'"
	    " WHERE staff_no = 'ta_clerk'", 0, NULL);
	assert_login("ta_clerk", TA_PASSWORD, 1, "ok");
	dbt_exec_ok(su, "UPDATE yc.staff SET password_changed_at = now() - interval '91 days'"
	    " WHERE staff_no = 'ta_clerk'", 0, NULL);
	assert_int_equal(login_change("ta_clerk", TA_PASSWORD, TA_PASSWORD, 1), AUTH_RULE_REUSED);
	assert_int_equal(login_change("ta_clerk", TA_PASSWORD, "Renewed-Pass-1", 1), AUTH_OK);
	assert_login("ta_clerk", "Renewed-Pass-1", 1, "ok");
}

/* ------------------------------------------------------------------ */
/* jurisdiction                                                        */
/* ------------------------------------------------------------------ */

/* A township administrator lists and changes its township and the
 * villages below it; the city's staff and another township's are out of
 * reach, and a refusal changes nothing. */
static void test_township_admin(void **state)
{
	long long t = login(adb, "ta_tadmin", 0), o = login(adb2, "ta_oadmin", 0);
	struct staffstore_filter all = { 0 }, city = { .office = CITY };
	struct staffstore_row *rows;
	struct staffstore_case *cases;
	size_t n;
	char temp[64], *hash;
	int open;

	(void)state;
	assert_ss(staffstore_list(adb, t, &all, &rows, &n), SS_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].staff_no, "ta_tadmin");
	assert_string_equal(rows[1].staff_no, "ta_tclerk");
	assert_string_equal(rows[2].staff_no, "ta_vclerk");
	free(rows);
	assert_ss(staffstore_list(adb, t, &city, &rows, &n), SS_OUT_OF_JURISDICTION);
	hash = dbt_query_str(su, "SELECT password_hash FROM yc.staff WHERE staff_no = 'ta_clerk'", 0, NULL);
	assert_ss(staffstore_edit(adb, t, "ta_clerk", "改名", NULL, NULL), SS_OUT_OF_JURISDICTION);
	assert_ss(staffstore_set_active(adb, t, "ta_clerk", false, &open), SS_OUT_OF_JURISDICTION);
	assert_ss(staffstore_reset_password(adb, t, "ta_clerk", temp), SS_OUT_OF_JURISDICTION);
	assert_ss(staffstore_unlock(adb, t, "ta_clerk"), SS_OUT_OF_JURISDICTION);
	assert_ss(staffstore_open_cases(adb, t, "ta_clerk", &cases, &n), SS_OUT_OF_JURISDICTION);
	assert_ss(staffstore_set_active(adb, t, "ta_t2clerk", false, &open), SS_OUT_OF_JURISDICTION);
	assert_ss(staffstore_add(adb, t, "ta_new3", "甲", "clerk", CITY, temp), SS_OUT_OF_JURISDICTION);
	/* its own staff cannot be moved up to the city either */
	assert_ss(staffstore_edit(adb, t, "ta_tclerk", NULL, NULL, CITY), SS_OUT_OF_JURISDICTION);
	assert_staff("ta_clerk", "name || '|' || active", "测试ta_clerk|true");
	dbt_assert_query(su, "t", "SELECT (password_hash = $1)::text::char FROM yc.staff"
	    " WHERE staff_no = 'ta_clerk'", 1, (const char *[]){ hash });
	free(hash);
	assert_staff("ta_tclerk", "office_code", TOWN);
	/* another city's administrator does not reach this city */
	assert_ss(staffstore_set_active(adb2, o, "ta_tclerk", false, &open), SS_OUT_OF_JURISDICTION);
	assert_ss(staffstore_edit(adb2, o, "ta_admin", NULL, "clerk", NULL), SS_OUT_OF_JURISDICTION);
	/* within reach: the village below */
	assert_ss(staffstore_edit(adb, t, "ta_vclerk", "村柜员", NULL, NULL), SS_OK);
	assert_ss(staffstore_add(adb, t, "ta_new3", "乙", "clerk", VILLAGE, temp), SS_OK);
	assert_staff("ta_new3", "office_code || '|' || must_change_password", VILLAGE "|true");
	dbt_logout_db(adb, t);
	dbt_logout_db(adb2, o);
}

/* The same refusals as plain SQL on the application role, the session
 * bound to that connection. */
static void test_township_admin_sql(void **state)
{
	PGconn *app = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));
	long long t;
	char sid[24];

	(void)state;
	assert_int_equal(PQstatus(app), CONNECTION_OK);
	t = dbt_login(app, "ta_tadmin", TA_PASSWORD, 0, "tests/db/admin");
	snprintf(sid, sizeof sid, "%lld", t);
	dbt_assert_query(app, "out_of_jurisdiction",
	    "SELECT result FROM yc.staff_set_active($1::bigint, 'ta_clerk', false)", 1,
	    (const char *[]){ sid });
	dbt_assert_query(app, "out_of_jurisdiction",
	    "SELECT yc.staff_edit($1::bigint, 'ta_admin', NULL, 'clerk', NULL)", 1, (const char *[]){ sid });
	dbt_assert_query(app, "out_of_jurisdiction",
	    "SELECT result FROM yc.staff_reset_password($1::bigint, 'ta_clerk')", 1, (const char *[]){ sid });
	dbt_assert_query(app, "", "SELECT coalesce(string_agg(staff_no, ','), '') FROM"
	    " yc.staff_list($1::bigint, NULL, NULL, NULL, NULL) WHERE office_code = '" CITY "'", 1,
	    (const char *[]){ sid });
	dbt_assert_query(app, "ok", "SELECT result FROM yc.staff_set_active($1::bigint, 'ta_tclerk', false)",
	    1, (const char *[]){ sid });
	/* and the tables themselves stay closed to it */
	dbt_expect_sqlstate(app, "42501", "UPDATE yc.staff SET active = false WHERE staff_no = 'ta_clerk'");
	dbt_expect_sqlstate(app, "42501", "SELECT count(*) FROM yc.password_history");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.password_temporary()");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.password_store('ta_clerk', 'Xx-123456', false)");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.password_rule_broken('ta_clerk', 'x')");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.admin_actor(NULL)");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.staff_close_sessions('ta_clerk', 'x')");
	dbt_assert_query(app, "8|3|5|90", "SELECT min_length || '|' || min_classes || '|' || history"
	    " || '|' || max_age_days FROM yc.password_policy()", 0, NULL);
	dbt_assert_query(app, "not_allowed", "SELECT result FROM yc.staff_add(NULL, 'ta_new4', '甲',"
	    " 'clerk', '" CITY "')", 0, NULL);
	dbt_logout(app, t);
	PQfinish(app);
}

/* ------------------------------------------------------------------ */
/* disable, enable, reset, unlock, edit                                */
/* ------------------------------------------------------------------ */

/* Disabling a signed-in clerk ends the session and refuses the sign-in;
 * the open cases of which they are 首问负责 are counted and listed;
 * enabling lets them in again. */
static void test_disable_enable(void **state)
{
	long long admin = login(adb, "ta_admin", 0), clerk = login(adb2, "ta_clerk", 2);
	long long mark = dbt_audit_mark(su);
	struct staffstore_case *cases;
	size_t n;
	int open = -1;
	char sid[24];

	(void)state;
	snprintf(sid, sizeof sid, "%lld", clerk);
	open_case(CITY, "ta_clerk", CITY "202601050001");
	assert_ss(staffstore_set_active(adb, admin, "ta_clerk", false, &open), SS_OK);
	assert_int_equal(open, 1);
	assert_int_equal(open_sessions("ta_clerk"), 0);
	dbt_assert_query(su, "disabled", "SELECT end_reason FROM yc.staff_session WHERE session_id = $1::bigint",
	    1, (const char *[]){ sid });
	assert_login("ta_clerk", TA_PASSWORD, 2, "disabled");
	assert_audit(mark, "staff_disable", "ta_clerk", "(before ->> 'active') || '|' || (after ->> 'active')"
	    " || '|' || (after ->> 'open_cases')", "true|false|1");
	assert_ss(staffstore_open_cases(adb, admin, "ta_clerk", &cases, &n), SS_OK);
	assert_int_equal(n, 1);
	assert_string_equal(cases[0].case_no, CITY "202601050001");
	assert_string_equal(cases[0].status, "accepted");
	free(cases);
	assert_ss(staffstore_set_active(adb, admin, "ta_clerk", false, &open), SS_UNCHANGED);
	assert_ss(staffstore_set_active(adb, admin, "ta_clerk", true, NULL), SS_OK);
	assert_audit(mark, "staff_enable", "ta_clerk", "after ->> 'active'", "true");
	assert_login("ta_clerk", TA_PASSWORD, 2, "ok");
	assert_ss(staffstore_set_active(adb, admin, "ta_nobody", false, &open), SS_NOT_FOUND);
	dbt_logout_db(adb, admin);
}

/* A reset makes a temporary password, unlocks the account and ends its
 * session; unlock ends a lock only. */
static void test_reset_and_unlock(void **state)
{
	long long admin = login(adb, "ta_admin", 0), clerk = login(adb2, "ta_tclerk", 1);
	long long mark = dbt_audit_mark(su);
	char temp[64], sid[24];

	(void)state;
	snprintf(sid, sizeof sid, "%lld", clerk);
	dbt_exec_ok(su, "UPDATE yc.staff SET locked_until = now() + interval '10 minutes',"
	    " failed_logins = 3 WHERE staff_no = 'ta_tclerk'", 0, NULL);
	assert_ss(staffstore_reset_password(adb, admin, "ta_tclerk", temp), SS_OK);
	assert_staff("ta_tclerk", "must_change_password || '|' || (locked_until IS NULL) || '|' || failed_logins",
	    "true|true|0");
	dbt_assert_query(su, "password_reset", "SELECT end_reason FROM yc.staff_session"
	    " WHERE session_id = $1::bigint", 1, (const char *[]){ sid });
	assert_audit(mark, "staff_password_reset", "ta_tclerk", "(before ->> 'locked_until' IS NOT NULL)"
	    " || '|' || (after ->> 'locked_until' IS NULL) || '|' || (after ->> 'must_change_password')",
	    "true|true|true");
	assert_int_equal(audit_mentions(mark, temp), 0);
	assert_login("ta_tclerk", TA_PASSWORD, 1, "bad_credentials");
	assert_login("ta_tclerk", temp, 1, "password_reset");
	/* a second reset makes another password; the first one is gone */
	{
		char temp2[64];

		assert_ss(staffstore_reset_password(adb, admin, "ta_tclerk", temp2), SS_OK);
		assert_string_not_equal(temp, temp2);
		assert_login("ta_tclerk", temp, 1, "bad_credentials");
		explicit_bzero(temp2, sizeof temp2);
	}
	explicit_bzero(temp, sizeof temp);

	mark = dbt_audit_mark(su);
	dbt_exec_ok(su, "UPDATE yc.staff SET locked_until = now() + interval '10 minutes'"
	    " WHERE staff_no = 'ta_clerk'", 0, NULL);
	assert_login("ta_clerk", TA_PASSWORD, 1, "locked");
	assert_ss(staffstore_unlock(adb, admin, "ta_clerk"), SS_OK);
	assert_audit(mark, "staff_unlock", "ta_clerk", "(before ->> 'locked_until' IS NOT NULL) || '|' ||"
	    " (after ->> 'locked_until' IS NULL)", "true|true");
	assert_login("ta_clerk", TA_PASSWORD, 1, "ok");
	assert_ss(staffstore_unlock(adb, admin, "ta_clerk"), SS_NOT_LOCKED);
	dbt_logout_db(adb, admin);
}

/* Name, role and office; a new role ends the session; bad values refused
 * by name. */
static void test_edit(void **state)
{
	long long admin = login(adb, "ta_admin", 0), clerk = login(adb2, "ta_clerk", 1);
	long long mark = dbt_audit_mark(su);

	(void)state;
	(void)clerk;
	assert_ss(staffstore_edit(adb, admin, "ta_clerk", "  新名字 ", NULL, NULL), SS_OK);
	assert_staff("ta_clerk", "name", "新名字");
	assert_int_equal(open_sessions("ta_clerk"), 1);
	assert_audit(mark, "staff_edit", "ta_clerk", "(before ->> 'name') || '|' || (after ->> 'name')",
	    "测试ta_clerk|新名字");
	assert_ss(staffstore_edit(adb, admin, "ta_clerk", "新名字", "clerk", CITY), SS_UNCHANGED);
	assert_ss(staffstore_edit(adb, admin, "ta_clerk", "", NULL, NULL), SS_BAD_NAME);
	assert_ss(staffstore_edit(adb, admin, "ta_clerk", NULL, "king", NULL), SS_BAD_ROLE);
	assert_ss(staffstore_edit(adb, admin, "ta_clerk", NULL, NULL, "360979777"), SS_UNKNOWN_OFFICE);
	assert_ss(staffstore_edit(adb, admin, "ta_clerk", NULL, "supervisor", TOWN), SS_OK);
	assert_staff("ta_clerk", "role || '|' || office_code", "supervisor|" TOWN);
	assert_int_equal(open_sessions("ta_clerk"), 0);
	assert_audit(mark, "staff_edit", "ta_clerk", "(before ->> 'role') || (before ->> 'office_code') || '|' ||"
	    " (after ->> 'role') || (after ->> 'office_code')", "clerk" CITY "|supervisor" TOWN);
	dbt_logout_db(adb, admin);
}

/* ------------------------------------------------------------------ */
/* oneself and the last administrator                                  */
/* ------------------------------------------------------------------ */

/* An administrator does not disable, demote, move or reset themselves;
 * the last active administrator of a city office cannot be removed by
 * anyone (the owner's SQL included), a township's can; two
 * administrators disabling each other at once leave one. */
static void test_self_and_last_admin(void **state)
{
	long long admin = login(adb, "ta_admin", 0), admin2;
	PGconn *c1 = PQconnectdb(""), *c2 = PQconnectdb("");
	char temp[64];
	int open;
	PGresult *r;

	(void)state;
	assert_ss(staffstore_set_active(adb, admin, "ta_admin", false, &open), SS_SELF);
	assert_ss(staffstore_reset_password(adb, admin, "ta_admin", temp), SS_SELF);
	assert_ss(staffstore_edit(adb, admin, "ta_admin", NULL, "clerk", NULL), SS_SELF);
	assert_ss(staffstore_edit(adb, admin, "ta_admin", NULL, NULL, TOWN), SS_SELF);
	assert_ss(staffstore_edit(adb, admin, "ta_admin", "管理员甲", NULL, NULL), SS_OK);
	/* the only administrator of the city: not even the owner removes it */
	assert_ss(staffstore_set_active(dsu, 0, "ta_admin", false, &open), SS_LAST_ADMIN);
	assert_ss(staffstore_edit(dsu, 0, "ta_admin", NULL, "supervisor", NULL), SS_LAST_ADMIN);
	assert_ss(staffstore_edit(dsu, 0, "ta_admin", NULL, NULL, TOWN), SS_LAST_ADMIN);
	dbt_expect_sqlstate(su, "YC021", "UPDATE yc.staff SET active = false WHERE staff_no = 'ta_admin'");
	dbt_expect_sqlstate(su, "YC021", "UPDATE yc.staff SET role = 'clerk' WHERE staff_no = 'ta_admin'");
	dbt_expect_sqlstate(su, "YC021", "DELETE FROM yc.staff WHERE staff_no = 'ta_lone'");
	assert_staff("ta_admin", "active || role", "trueadmin");
	/* a township's only administrator is not protected: the city's are above */
	assert_ss(staffstore_set_active(adb, admin, "ta_tadmin", false, &open), SS_OK);
	assert_ss(staffstore_set_active(adb, admin, "ta_tadmin", true, NULL), SS_OK);
	/* with a second administrator, one may go */
	assert_ss(staffstore_add(dsu, 0, "ta_new5", "管理员乙", "admin", CITY, temp), SS_OK);
	dbt_exec_ok(su, "UPDATE yc.staff SET password_hash = yc.hash_password($1),"
	    " must_change_password = false WHERE staff_no = 'ta_new5'", 1, (const char *[]){ TA_PASSWORD });
	admin2 = login(adb2, "ta_new5", 0);
	assert_ss(staffstore_set_active(adb2, admin2, "ta_admin", false, &open), SS_OK);
	assert_int_equal(open_sessions("ta_admin"), 0);
	assert_ss(staffstore_set_active(dsu, 0, "ta_new5", false, &open), SS_LAST_ADMIN);
	assert_ss(staffstore_set_active(adb2, admin2, "ta_admin", true, NULL), SS_OK);

	/* both at once: the second waits for the first and is refused */
	assert_int_equal(PQstatus(c1), CONNECTION_OK);
	assert_int_equal(PQstatus(c2), CONNECTION_OK);
	PQclear(PQexec(c1, "BEGIN"));
	r = PQexec(c1, "SELECT result FROM yc.staff_set_active(NULL, 'ta_admin', false)");
	assert_string_equal(PQgetvalue(r, 0, 0), "ok");
	PQclear(r);
	assert_int_equal(PQsendQuery(c2, "SELECT result FROM yc.staff_set_active(NULL, 'ta_new5', false)"), 1);
	/* c2 is blocked on the city office's row until c1 commits */
	dbt_exec_ok(su, "SELECT pg_sleep(0.3)", 0, NULL);
	PQconsumeInput(c2);
	assert_int_equal(PQisBusy(c2), 1);
	PQclear(PQexec(c1, "COMMIT"));
	r = PQgetResult(c2);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "last_admin");
	PQclear(r);
	while ((r = PQgetResult(c2)) != NULL)
		PQclear(r);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.staff WHERE office_code = '" CITY "'"
	    " AND role = 'admin' AND active", 0, NULL), 1);
	PQfinish(c1);
	PQfinish(c2);
	dbt_close_sessions(su, "ta");
}

/* The temporary passwords differ and keep the alphabet. */
static void test_temporary_passwords(void **state)
{
	(void)state;
	dbt_assert_query(su, "20|20", "SELECT count(DISTINCT p) || '|' || count(*) FILTER"
	    " (WHERE p ~ '^[A-HJ-NP-Za-km-z2-9]{10}$' AND p ~ '[A-Z]' AND p ~ '[a-z]' AND p ~ '[0-9]')"
	    " FROM (SELECT yc.password_temporary() AS p FROM generate_series(1, 20)) t", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '14' WHERE key = 'password_min_length'", 0, NULL);
	dbt_assert_query(su, "14", "SELECT length(yc.password_temporary())", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '8' WHERE key = 'password_min_length'", 0, NULL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
		T(test_add_and_first_sign_in),
		T(test_add_refusals),
		T(test_own_password_and_history),
		T(test_own_password_lockout),
		T(test_expiry),
		T(test_township_admin),
		T(test_township_admin_sql),
		T(test_disable_enable),
		T(test_reset_and_unlock),
		T(test_edit),
		T(test_self_and_last_admin),
		T(test_temporary_passwords),
	};
	return cmocka_run_group_tests_name("db_admin", tests, group_setup, group_teardown);
}
