/*
 * Offices and windows kept by administrators (db/functions/offices.sql,
 * tui/store/offices.c) against a migrated cluster, every call through the
 * store on the application role (each administrator on a connection of
 * its own, as the workstation and the commands make them):
 *   jurisdiction  a township administrator adds a village below its
 *                 township, renames its own township, and is refused
 *                 below another township, on the city above it, in
 *                 another city, and for its own office's deactivation;
 *                 the city's administrator works the whole city; a clerk,
 *                 no session, and a session of another connection are
 *                 refused; the application role changes no row directly;
 *   rules         codes, tiers, parents (wrong, of the wrong tier,
 *                 missing, deactivated), names, addresses, phones; a
 *                 deactivation refused while an office below it or its
 *                 staff are active; windows with their label and print
 *                 settings, bad channels, encodings, widths; a window
 *                 refused deactivation while someone is signed in at it;
 *   audit, NOTIFY every change with before and after, announced on the
 *                 office's channel and the channels above it;
 *   import        all or nothing: one bad line keeps every line out
 *                 (audit rows too), each refused line with its word,
 *                 duplicates and the lines below a refused parent; a
 *                 re-import updates what changed and says so;
 *   documents     the issuing office's address and phone reach the data
 *                 of the closing documents; the owner's list in tree order.
 *
 * Environment as for every db suite (tests/run.sh): PGHOST, PGDATABASE,
 * PGUSER=postgres (superuser, PQconnectdb("")), YC_TEST_APP_CONNINFO.
 *
 * Offices of its own: city 360972 with townships 360972001, 360972002,
 * village 360972001001; another city 360971; staff of_*.
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
#include "store/offices.h"

#define CITY "360972"
#define TOWN "360972001"
#define TOWN2 "360972002"
#define VILLAGE "360972001001"
#define OTHER_CITY "360971"
#define OF_PASSWORD "Of-Secret-7"

static PGconn *su;		/* superuser: fixtures and checks only */
static PGconn *raw;		/* yichuang_app, nobody signed in */

static const char *const staff_rows[][3] = {
	{ "of_cadmin", "admin", CITY },
	{ "of_tadmin", "admin", TOWN },
	{ "of_oadmin", "admin", OTHER_CITY },
	{ "of_clerk", "clerk", TOWN },
	{ "of_super", "supervisor", CITY },
};

/* A workstation or command: its own connection as the application role. */
struct ws {
	struct db *db;
	struct auth_session s;
};

static struct ws cadmin, tadmin, oadmin, clerk;

static void sign_in(struct ws *w, const char *staff, int window)
{
	struct auth_outcome o;

	w->db = db_open(getenv("YC_TEST_APP_CONNINFO"));
	assert_true(db_connected(w->db));
	auth_login(w->db, staff, OF_PASSWORD, window, &w->s, &o);
	if (o.result != AUTH_OK)
		print_error("# login %s: %d (%s)\n", staff, (int)o.result, db_detail(w->db));
	assert_int_equal(o.result, AUTH_OK);
}

static void sign_out(struct ws *w)
{
	if (w->db == NULL)
		return;
	if (w->s.id != 0)
		auth_logout(w->db, &w->s, "user");
	auth_session_clear(&w->s);
	db_close(&w->db);
}

/* An office save by w: the result (the detail in det, may be NULL). */
static enum offices_result save(struct ws *w, const char *code, const char *name, const char *parent,
    const char *tier, const char *address, const char *phone, char det[32])
{
	char d[32];

	return offices_save(w->db, w->s.id, code, name, parent, tier, address, phone, det != NULL ? det : d);
}

static char *q1(const char *sql, const char *a)
{
	return dbt_query_str(su, sql, 1, (const char *const[]){ a });
}

static long long n_offices(void)
{
	return dbt_query_ll(su, "SELECT count(*) FROM yc.office WHERE code ~ '^36097[012]'", 0, NULL);
}

/* Leaves the tree as the group setup made it. */
static void reset(void)
{
	dbt_exec_ok(su, "DELETE FROM yc.service_window WHERE office_code ~ '^36097[012]' AND"
	    " NOT (office_code IN ('" CITY "', '" TOWN "', '" TOWN2 "', '" VILLAGE "') AND window_no <= 2)",
	    0, NULL);
	dbt_exec_ok(su, "UPDATE yc.service_window SET active = true, label = window_no || '号窗口',"
	    " print_channel = NULL, print_encoding = NULL, print_width = NULL WHERE office_code ~ '^36097[012]'",
	    0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.office WHERE code ~ '^36097[012]' AND code NOT IN"
	    " ('" CITY "', '" TOWN "', '" TOWN2 "', '" VILLAGE "', '" OTHER_CITY "')"
	    " AND code NOT IN (SELECT office_code FROM yc.staff) ", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.office SET active = true, address = NULL, phone = NULL,"
	    " name = '机构测试' || code WHERE code ~ '^36097[012]'", 0, NULL);
	dbt_exec_ok(su, "UPDATE yc.staff SET active = true WHERE staff_no LIKE 'of\\_%'", 0, NULL);
}

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &raw, NULL) != 0)
		return -1;
	dbt_office(su, CITY, "机构测试" CITY, 2);
	dbt_office(su, TOWN, "机构测试" TOWN, 2);
	dbt_office(su, TOWN2, "机构测试" TOWN2, 2);
	dbt_office(su, VILLAGE, "机构测试" VILLAGE, 2);
	dbt_office(su, OTHER_CITY, "机构测试" OTHER_CITY, 2);
	dbt_staff(su, OF_PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (su != NULL && PQstatus(su) == CONNECTION_OK) {
		dbt_close_sessions(su, "of");
		reset();
	}
	PQfinish(raw);
	PQfinish(su);
	return 0;
}

static int test_setup(void **state)
{
	(void)state;
	dbt_close_sessions(su, "of");
	reset();
	sign_in(&cadmin, "of_cadmin", 0);
	sign_in(&tadmin, "of_tadmin", 0);
	sign_in(&oadmin, "of_oadmin", 0);
	sign_in(&clerk, "of_clerk", 1);
	return 0;
}

static int test_teardown(void **state)
{
	(void)state;
	sign_out(&cadmin);
	sign_out(&tadmin);
	sign_out(&oadmin);
	sign_out(&clerk);
	return 0;
}

/* ------------------------------------------------------------------ */

/* A township administrator: its township and the villages below it. */
static void test_township_admin_jurisdiction(void **state)
{
	struct offices_office *o;
	struct offices_window *w;
	enum db_status st;
	char det[32], *v;
	long long before;
	size_t n;

	(void)state;
	assert_int_equal(save(&tadmin, TOWN "002", "机构测试新村", NULL, NULL, "新村路1号", "0795-6201111", NULL),
	    OFFICES_ADDED);
	v = q1("SELECT tier || '/' || parent_code || '/' || region_code || '/' || address || '/' || phone"
	    " || '/' || active FROM yc.office WHERE code = $1", TOWN "002");
	assert_string_equal(v, "village/" TOWN "/" CITY "/新村路1号/0795-6201111/true");
	free(v);
	/* its own office: renamed, given an address; not deactivated */
	assert_int_equal(save(&tadmin, TOWN, "机构测试改名镇", NULL, NULL, "某镇某路", NULL, NULL), OFFICES_UPDATED);
	assert_int_equal(save(&tadmin, TOWN, "机构测试改名镇", NULL, NULL, "某镇某路", NULL, NULL),
	    OFFICES_UNCHANGED);
	assert_int_equal(offices_set_active(tadmin.db, tadmin.s.id, TOWN, false, det), OFFICES_OWN_OFFICE);
	/* not below another township, not the city above, not another city */
	before = n_offices();
	assert_int_equal(save(&tadmin, TOWN2 "001", "机构测试越权村", NULL, NULL, NULL, NULL, NULL),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(save(&tadmin, TOWN2, "机构测试越权", NULL, NULL, NULL, NULL, NULL),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(save(&tadmin, CITY, NULL, NULL, NULL, NULL, "0795-6200000", NULL),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(save(&tadmin, "360970", "机构测试新市", NULL, NULL, NULL, NULL, NULL),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(offices_set_active(tadmin.db, tadmin.s.id, TOWN2, false, det),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, CITY, 9, NULL, NULL, NULL, -1, det),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(offices_window_set_active(tadmin.db, tadmin.s.id, TOWN2, 1, false, det),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(n_offices(), before);
	v = q1("SELECT name || '/' || coalesce(phone, '-') FROM yc.office WHERE code = $1", CITY);
	assert_string_equal(v, "机构测试" CITY "/-");
	free(v);
	/* the lists: its township and what is below it, nothing else */
	n = offices_list(tadmin.db, tadmin.s.id, &o, &st);
	assert_int_equal(st, DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(o[0].code, TOWN);
	assert_string_equal(o[0].address, "某镇某路");
	assert_string_equal(o[1].code, VILLAGE);
	assert_string_equal(o[2].code, TOWN "002");
	assert_int_equal(o[1].windows, 2);
	assert_int_equal(o[1].windows_active, 2);
	free(o);
	assert_int_equal(offices_windows(tadmin.db, tadmin.s.id, TOWN2, &w, &st), 0);
	assert_null(w);
	assert_int_equal(offices_windows(tadmin.db, tadmin.s.id, VILLAGE, &w, &st), 2);
	free(w);
	/* the village it added: deactivated, and active again */
	assert_int_equal(offices_set_active(tadmin.db, tadmin.s.id, TOWN "002", false, det), OFFICES_OK);
	assert_int_equal(offices_set_active(tadmin.db, tadmin.s.id, TOWN "002", false, det), OFFICES_UNCHANGED);
	assert_int_equal(offices_set_active(tadmin.db, tadmin.s.id, TOWN "002", true, det), OFFICES_OK);
}

/* The city's administrator works the whole city, not another one; the
 * owner every office. */
static void test_city_admin_and_owner(void **state)
{
	struct offices_office *o;
	struct db *owner;
	enum db_status st;
	char det[32];
	size_t n;

	(void)state;
	assert_int_equal(save(&cadmin, TOWN2 "001", "机构测试二镇一村", NULL, NULL, NULL, NULL, NULL), OFFICES_ADDED);
	assert_int_equal(save(&cadmin, CITY, NULL, NULL, NULL, "某市某路1号", "12393", NULL), OFFICES_UPDATED);
	assert_int_equal(save(&cadmin, OTHER_CITY "001", "机构测试他市镇", NULL, NULL, NULL, NULL, NULL),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(save(&oadmin, TOWN, "机构测试越权", NULL, NULL, NULL, NULL, NULL),
	    OFFICES_OUT_OF_JURISDICTION);
	assert_int_equal(save(&cadmin, "360970", "机构测试新市", NULL, NULL, NULL, NULL, NULL),
	    OFFICES_OUT_OF_JURISDICTION);
	/* the owner: a trusted connection, no session (0) */
	owner = db_open("");
	assert_true(db_connected(owner));
	assert_int_equal(offices_save(owner, 0, "360970", "机构测试新市", NULL, "county", NULL, NULL, det),
	    OFFICES_ADDED);
	n = offices_list(owner, 0, &o, &st);
	assert_int_equal(st, DB_OK);
	/* tree order: the province, its prefectures, their counties and the
	 * offices below them, each parent before what is below it */
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(o[i - 1].code, o[i].code) < 0);
	free(o);
	db_close(&owner);
	n = offices_list(cadmin.db, cadmin.s.id, &o, &st);
	assert_int_equal(n, 5);		/* city, two townships, the village, the new village */
	assert_string_equal(o[0].code, CITY);
	assert_string_equal(o[0].phone, "12393");
	free(o);
}

/* Nobody else: a clerk, no session on the application role, a session
 * of another connection; and no direct writes. */
static void test_who_may(void **state)
{
	struct offices_office *o;
	struct offices_row row = { 2, TOWN "003", "机构测试村", TOWN, "village", NULL, NULL };
	struct offices_line *lines;
	struct db *app;
	enum db_status st;
	char det[32];
	size_t n;
	PGresult *r;

	(void)state;
	assert_int_equal(save(&clerk, TOWN "003", "机构测试村", NULL, NULL, NULL, NULL, NULL), OFFICES_NOT_ALLOWED);
	assert_int_equal(offices_window_save(clerk.db, clerk.s.id, TOWN, 5, NULL, NULL, NULL, -1, det),
	    OFFICES_NOT_ALLOWED);
	assert_int_equal(offices_list(clerk.db, clerk.s.id, &o, &st), 0);
	assert_int_equal(offices_import(clerk.db, clerk.s.id, &row, 1, &lines, &n), OFFICES_NOT_ALLOWED);
	assert_int_equal(n, 0);
	/* the application role without a session is not the owner */
	app = db_open(getenv("YC_TEST_APP_CONNINFO"));
	assert_int_equal(offices_save(app, 0, TOWN "003", "机构测试村", NULL, NULL, NULL, NULL, det),
	    OFFICES_NOT_ALLOWED);
	assert_int_equal(offices_set_active(app, 0, TOWN2, false, det), OFFICES_NOT_ALLOWED);
	/* the administrator's session on another connection is unknown there */
	assert_int_equal(offices_save(app, tadmin.s.id, TOWN "003", "机构测试村", NULL, NULL, NULL, NULL, det),
	    OFFICES_NO_SESSION);
	assert_int_equal(offices_window_set_active(app, tadmin.s.id, TOWN, 1, false, det), OFFICES_NO_SESSION);
	assert_int_equal(offices_list(app, tadmin.s.id, &o, &st), 0);
	db_close(&app);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.office WHERE code = $1", 1,
	    (const char *const[]){ TOWN "003" }), 0);
	/* no direct writes, no internal functions for the application role */
	dbt_expect_sqlstate(raw, "42501", "UPDATE yc.office SET phone = '12345' WHERE code = '" TOWN "'");
	dbt_expect_sqlstate(raw, "42501", "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
	    " VALUES ('" TOWN "004', 'x', 'village', '" TOWN "', '" CITY "')");
	dbt_expect_sqlstate(raw, "42501", "UPDATE yc.service_window SET print_channel = 'lp' WHERE office_code = '"
	    TOWN "'");
	dbt_expect_sqlstate(raw, "42501", "SELECT yc.office_apply(NULL::yc.case_actor, '" TOWN "004', 'x', NULL,"
	    " NULL, NULL, NULL)");
	dbt_expect_sqlstate(raw, "42501", "SELECT yc.office_admin(NULL)");
	/* what it may read: the printer of a window (the workstation at sign-in) */
	r = dbt_run(raw, "SELECT print_channel, print_encoding, print_width FROM yc.service_window LIMIT 1", 0, NULL);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
}

/* Codes, tiers, parents, names, addresses and phones, each refused with
 * its word and nothing stored. */
static void test_office_rules(void **state)
{
	static const struct {
		const char *code, *name, *parent, *tier, *address, *phone;
		enum offices_result want;
		const char *detail;
	} cases[] = {
		{ "36097200", "x", NULL, NULL, NULL, NULL, OFFICES_BAD_CODE, "" },
		{ "3609720050", "x", NULL, NULL, NULL, NULL, OFFICES_BAD_CODE, "" },
		{ "36097200a", "x", NULL, NULL, NULL, NULL, OFFICES_BAD_CODE, "" },
		{ TOWN "005", "x", NULL, "hamlet", NULL, NULL, OFFICES_BAD_TIER, "village" },
		{ TOWN "005", "x", NULL, "township", NULL, NULL, OFFICES_TIER_MISMATCH, "village" },
		{ "360972005", "x", "", NULL, NULL, NULL, OFFICES_PARENT_REQUIRED, CITY },
		{ "360972005", "x", "360971", NULL, NULL, NULL, OFFICES_BAD_PARENT, CITY },
		{ "360", "x", NULL, NULL, NULL, NULL, OFFICES_BAD_CODE, "" },
		{ "36097", "x", NULL, NULL, NULL, NULL, OFFICES_BAD_CODE, "" },
		{ TOWN "005", "x", NULL, "city", NULL, NULL, OFFICES_BAD_TIER, "village" },
		{ TOWN "005", "x", NULL, "county", NULL, NULL, OFFICES_TIER_MISMATCH, "village" },
		{ TOWN "005", "x", "3609", NULL, NULL, NULL, OFFICES_PARENT_TIER, TOWN },
		{ TOWN "005", "x", CITY, "village", NULL, NULL, OFFICES_PARENT_TIER, TOWN },
		{ "360972009001", "x", NULL, NULL, NULL, NULL, OFFICES_UNKNOWN_PARENT, "360972009" },
		{ "360972005", "", NULL, NULL, NULL, NULL, OFFICES_BAD_NAME, "" },
		{ "360972005", "  ", NULL, NULL, NULL, NULL, OFFICES_BAD_NAME, "" },
		{ "360972005", NULL, NULL, NULL, NULL, NULL, OFFICES_BAD_NAME, "" },
		{ "360972005", "一\t二", NULL, NULL, NULL, NULL, OFFICES_BAD_NAME, "" },
		{ "360972005", "x", NULL, NULL, "a\nb", NULL, OFFICES_BAD_ADDRESS, "" },
		{ "360972005", "x", NULL, NULL, NULL, "0795--62", OFFICES_BAD_PHONE, "" },
		{ "360972005", "x", NULL, NULL, NULL, "1234", OFFICES_BAD_PHONE, "" },
		{ "360972005", "x", NULL, NULL, NULL, "0795 6200000", OFFICES_BAD_PHONE, "" },
	};
	long long before = n_offices();
	char det[32];

	(void)state;
	for (size_t i = 0; i < DBT_COUNT(cases); i++) {
		enum offices_result r = save(&cadmin, cases[i].code, cases[i].name, cases[i].parent, cases[i].tier,
		    cases[i].address, cases[i].phone, det);

		if (r != cases[i].want || strcmp(det, cases[i].detail) != 0)
			print_error("# case %zu (%s): got %d/%s\n", i, cases[i].code, (int)r, det);
		assert_int_equal(r, cases[i].want);
		assert_string_equal(det, cases[i].detail);
		assert_true(offices_result_input(r));
	}
	assert_int_equal(n_offices(), before);
	/* a province takes no parent, a prefecture and a county need theirs
	 * (owner: every office is in reach) */
	{
		struct db *owner = db_open("");

		assert_int_equal(offices_save(owner, 0, "37", "x", "36", NULL, NULL, NULL, det),
		    OFFICES_ROOT_PARENT);
		assert_int_equal(offices_save(owner, 0, "3708", "x", "", NULL, NULL, NULL, det),
		    OFFICES_PARENT_REQUIRED);
		assert_string_equal(det, "37");
		assert_int_equal(offices_save(owner, 0, "3708", "x", NULL, NULL, NULL, NULL, det),
		    OFFICES_UNKNOWN_PARENT);
		assert_string_equal(det, "37");
		assert_int_equal(offices_save(owner, 0, "360870", "x", "36", NULL, NULL, NULL, det),
		    OFFICES_PARENT_TIER);
		assert_string_equal(det, "3608");
		db_close(&owner);
	}
	/* the right parent and tier given, spaces around: stored trimmed */
	assert_int_equal(save(&cadmin, " 360972005 ", " 机构测试五镇 ", CITY, "township", "", "", det), OFFICES_ADDED);
	dbt_assert_query(su, "机构测试五镇||", "SELECT name || '|' || coalesce(address, '') || '|' ||"
	    " coalesce(phone, '') FROM yc.office WHERE code = '360972005'", 0, NULL);
	/* an address and phone cleared with "" */
	assert_int_equal(save(&cadmin, "360972005", NULL, NULL, NULL, "某路", "0795-6200005", det), OFFICES_UPDATED);
	assert_int_equal(save(&cadmin, "360972005", NULL, NULL, NULL, "", NULL, det), OFFICES_UPDATED);
	dbt_assert_query(su, "-|0795-6200005", "SELECT coalesce(address, '-') || '|' || phone FROM yc.office"
	    " WHERE code = '360972005'", 0, NULL);
}

/* Deactivation: not while an office below or the staff are active; then
 * nothing is added below it, and it comes back only under an active parent. */
static void test_deactivation(void **state)
{
	char det[32];

	(void)state;
	assert_int_equal(offices_set_active(cadmin.db, cadmin.s.id, TOWN, false, det), OFFICES_ACTIVE_BELOW);
	assert_string_equal(det, VILLAGE);
	assert_int_equal(offices_set_active(cadmin.db, cadmin.s.id, VILLAGE, false, det), OFFICES_OK);
	/* a deactivated office's kiosk takes no ticket */
	dbt_assert_query(su, "unknown_office", "SELECT result FROM yc.queue_issue('" VILLAGE "', 'normal',"
	    " NULL, NULL, NULL, 'tests/db/offices', NULL)", 0, NULL);
	assert_int_equal(offices_set_active(cadmin.db, cadmin.s.id, TOWN, false, det), OFFICES_ACTIVE_STAFF);
	assert_string_equal(det, "of_clerk");
	dbt_exec_ok(su, "UPDATE yc.staff SET active = false WHERE office_code = '" TOWN "'", 0, NULL);
	assert_int_equal(offices_set_active(cadmin.db, cadmin.s.id, TOWN, false, det), OFFICES_OK);
	dbt_assert_query(su, "false", "SELECT active::text FROM yc.office WHERE code = '" TOWN "'", 0, NULL);
	/* nothing new below it, no window added to it */
	assert_int_equal(save(&cadmin, TOWN "007", "机构测试七村", NULL, NULL, NULL, NULL, det), OFFICES_PARENT_INACTIVE);
	assert_string_equal(det, TOWN);
	assert_int_equal(offices_window_save(cadmin.db, cadmin.s.id, TOWN, 7, NULL, NULL, NULL, -1, det),
	    OFFICES_OFFICE_INACTIVE);
	/* the village comes back only after its township */
	assert_int_equal(offices_set_active(cadmin.db, cadmin.s.id, VILLAGE, true, det), OFFICES_PARENT_INACTIVE);
	assert_int_equal(offices_set_active(cadmin.db, cadmin.s.id, TOWN, true, det), OFFICES_OK);
	assert_int_equal(offices_set_active(cadmin.db, cadmin.s.id, VILLAGE, true, det), OFFICES_OK);
	assert_int_equal(offices_set_active(cadmin.db, cadmin.s.id, "360972099", false, det),
	    OFFICES_UNKNOWN_OFFICE);
}

/* Windows: label and print settings, kept and cleared, and the refusals. */
static void test_windows(void **state)
{
	struct offices_printer p;
	struct offices_window *w;
	struct ws at;
	enum db_status st;
	char det[32];
	size_t n;

	(void)state;
	assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, TOWN, 3, NULL, "file:/tmp/yc-of/w3.txt",
	    "GB18030", 40, det), OFFICES_ADDED);
	dbt_assert_query(su, "3号窗口|file:/tmp/yc-of/w3.txt|gb18030|40|true", "SELECT label || '|' ||"
	    " print_channel || '|' || print_encoding || '|' || print_width || '|' || active FROM yc.service_window"
	    " WHERE office_code = '" TOWN "' AND window_no = 3", 0, NULL);
	/* what the workstation reads at sign-in */
	assert_true(offices_window_printer(clerk.db, TOWN, 3, &p));
	assert_string_equal(p.channel, "file:/tmp/yc-of/w3.txt");
	assert_string_equal(p.encoding, "gb18030");
	assert_int_equal(p.width, 40);
	assert_true(offices_window_printer(clerk.db, TOWN, 1, &p));
	assert_string_equal(p.channel, "");
	assert_int_equal(p.width, 0);
	assert_false(offices_window_printer(clerk.db, TOWN, 77, &p));
	/* NULL keeps, "" and 0 clear */
	assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, TOWN, 3, "帮办窗口", NULL, NULL, -1, det),
	    OFFICES_UPDATED);
	assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, TOWN, 3, NULL, "lp:hall-1", "", 0, det),
	    OFFICES_UPDATED);
	assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, TOWN, 3, NULL, "lp:hall-1", NULL, -1, det),
	    OFFICES_UNCHANGED);
	dbt_assert_query(su, "帮办窗口|lp:hall-1|-|-", "SELECT label || '|' || print_channel || '|' ||"
	    " coalesce(print_encoding, '-') || '|' || coalesce(print_width::text, '-') FROM yc.service_window"
	    " WHERE office_code = '" TOWN "' AND window_no = 3", 0, NULL);
	assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, TOWN, 3, NULL, "passthrough", NULL, -1, det),
	    OFFICES_UPDATED);
	assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, TOWN, 3, NULL, "lp", NULL, -1, det),
	    OFFICES_UPDATED);
	/* refused, nothing changed */
	{
		static const struct {
			int no;
			const char *label, *channel, *encoding;
			int width;
			enum offices_result want;
		} bad[] = {
			{ 0, NULL, NULL, NULL, -1, OFFICES_BAD_WINDOW },
			{ 1000, NULL, NULL, NULL, -1, OFFICES_BAD_WINDOW },
			{ 3, "", NULL, NULL, -1, OFFICES_BAD_LABEL },
			{ 3, "一二三四五六七八九十一二三四五六七八九十一", NULL, NULL, -1, OFFICES_BAD_LABEL },
			{ 3, NULL, "lp:-d", NULL, -1, OFFICES_BAD_CHANNEL },
			{ 3, NULL, "lp:my queue", NULL, -1, OFFICES_BAD_CHANNEL },
			{ 3, NULL, "file:", NULL, -1, OFFICES_BAD_CHANNEL },
			{ 3, NULL, "ftp://x", NULL, -1, OFFICES_BAD_CHANNEL },
			{ 3, NULL, "term", NULL, -1, OFFICES_BAD_CHANNEL },
			{ 3, NULL, "file:/tmp/a\nb", NULL, -1, OFFICES_BAD_CHANNEL },
			{ 3, NULL, NULL, "big5", -1, OFFICES_BAD_ENCODING },
			{ 3, NULL, NULL, NULL, 60, OFFICES_BAD_WIDTH },
		};

		for (size_t i = 0; i < DBT_COUNT(bad); i++) {
			enum offices_result r = offices_window_save(tadmin.db, tadmin.s.id, TOWN, bad[i].no, bad[i].label,
			    bad[i].channel, bad[i].encoding, bad[i].width, det);

			if (r != bad[i].want)
				print_error("# bad window %zu: %d\n", i, (int)r);
			assert_int_equal(r, bad[i].want);
		}
	}
	assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, "360972404", 1, NULL, NULL, NULL, -1, det),
	    OFFICES_UNKNOWN_OFFICE);
	dbt_assert_query(su, "帮办窗口|lp", "SELECT label || '|' || print_channel FROM yc.service_window"
	    " WHERE office_code = '" TOWN "' AND window_no = 3", 0, NULL);
	/* the table refuses what the function refuses, for anyone */
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.service_window SET print_channel = 'lp:-x'"
	    " WHERE office_code = '" TOWN "' AND window_no = 3");
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.service_window SET print_width = 132"
	    " WHERE office_code = '" TOWN "' AND window_no = 3");
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.office SET phone = 'call us' WHERE code = '" TOWN "'");

	/* not deactivated while the clerk is signed in at it; then no sign-in */
	assert_int_equal(offices_window_set_active(tadmin.db, tadmin.s.id, TOWN, 1, false, det), OFFICES_IN_USE);
	assert_string_equal(det, "of_clerk");
	sign_out(&clerk);
	assert_int_equal(offices_window_set_active(tadmin.db, tadmin.s.id, TOWN, 1, false, det), OFFICES_OK);
	assert_int_equal(offices_window_set_active(tadmin.db, tadmin.s.id, TOWN, 1, false, det), OFFICES_UNCHANGED);
	at.db = db_open(getenv("YC_TEST_APP_CONNINFO"));
	{
		struct auth_outcome o;

		memset(&at.s, 0, sizeof at.s);
		auth_login(at.db, "of_clerk", OF_PASSWORD, 1, &at.s, &o);
		assert_int_equal(o.result, AUTH_UNKNOWN_WINDOW);
	}
	sign_out(&at);
	n = offices_windows(tadmin.db, tadmin.s.id, TOWN, &w, &st);
	assert_int_equal(n, 3);
	assert_false(w[0].active);
	assert_true(w[1].active);
	assert_string_equal(w[2].label, "帮办窗口");
	assert_string_equal(w[2].channel, "lp");
	free(w);
	assert_int_equal(offices_window_set_active(tadmin.db, tadmin.s.id, TOWN, 1, true, det), OFFICES_OK);
	assert_int_equal(offices_window_set_active(tadmin.db, tadmin.s.id, TOWN, 9, true, det),
	    OFFICES_UNKNOWN_WINDOW);
	sign_in(&clerk, "of_clerk", 1);
	n = offices_windows(tadmin.db, tadmin.s.id, TOWN, &w, &st);
	assert_string_equal(w[0].staff_no, "of_clerk");
	free(w);
}

/* Every change audited with before and after, and announced on the
 * office's channel and the channels above it. */
static void test_audit_and_notify(void **state)
{
	PGconn *listener = PQconnectdb(getenv("YC_TEST_APP_CONNINFO"));
	long long mark = dbt_audit_mark(su);
	char det[32], buf[2048], *v;

	(void)state;
	assert_int_equal(PQstatus(listener), CONNECTION_OK);
	PQclear(PQexec(listener, "LISTEN yc_queue_" CITY "; LISTEN yc_queue_" TOWN "; LISTEN yc_queue_" TOWN2));
	assert_int_equal(save(&tadmin, VILLAGE, "机构测试新名村", NULL, NULL, NULL, "0795-6202222", det), OFFICES_UPDATED);
	/* the village's channel has no listener here: the township's and the city's heard it */
	assert_int_equal(dbt_read_notifies(listener, 2, buf, sizeof buf), 2);
	assert_non_null(strstr(buf, "yc_queue_" CITY " "));
	assert_non_null(strstr(buf, "yc_queue_" TOWN " "));
	assert_null(strstr(buf, "yc_queue_" TOWN2));
	assert_non_null(strstr(buf, "\"office\""));
	{
		char m[24];

		snprintf(m, sizeof m, "%lld", mark);
		v = q1("SELECT staff_no || '|' || office_code || '|' || (before ->> 'name') || '|' || (after ->> 'name')"
		    " || '|' || coalesce(before ->> 'phone', '-') || '|' || (after ->> 'phone') FROM yc.audit_log"
		    " WHERE audit_id > $1::bigint AND action = 'office_update' AND object = 'office:" VILLAGE "'", m);
		assert_string_equal(v, "of_tadmin|" VILLAGE "|机构测试" VILLAGE "|机构测试新名村|-|0795-6202222");
		free(v);
		/* a window changed and deactivated */
		assert_int_equal(offices_window_save(tadmin.db, tadmin.s.id, TOWN, 2, NULL, "file:/tmp/w2.txt", NULL, -1,
		    det), OFFICES_UPDATED);
		assert_int_equal(dbt_read_notifies(listener, 2, buf, sizeof buf), 2);
		assert_non_null(strstr(buf, "\"window\""));
		assert_int_equal(offices_window_set_active(tadmin.db, tadmin.s.id, TOWN, 2, false, det), OFFICES_OK);
		v = q1("SELECT string_agg(action || ':' || coalesce(before ->> 'print_channel', '-') || '>' ||"
		    " coalesce(after ->> 'print_channel', '-') || ':' || (before ->> 'active') || '>' ||"
		    " (after ->> 'active'), ',' ORDER BY audit_id) FROM yc.audit_log WHERE audit_id > $1::bigint"
		    " AND object = 'window:" TOWN "/2'", m);
		assert_string_equal(v, "window_update:->file:/tmp/w2.txt:true>true,"
		    "window_disable:file:/tmp/w2.txt>file:/tmp/w2.txt:true>false");
		free(v);
		/* an addition has no before; a refusal writes nothing */
		assert_int_equal(save(&cadmin, TOWN2 "009", "机构测试九村", NULL, NULL, NULL, NULL, det), OFFICES_ADDED);
		assert_int_equal(dbt_audit_count(su, mark, TOWN2 "009", "office_add", "office:" TOWN2 "009"), 1);
		dbt_assert_query(su, "1", "SELECT count(*) FROM yc.audit_log WHERE action = 'office_add' AND object ="
		    " 'office:" TOWN2 "009' AND before IS NULL AND after ->> 'tier' = 'village'", 0, NULL);
		snprintf(m, sizeof m, "%lld", dbt_audit_mark(su));
		assert_int_equal(save(&tadmin, TOWN2 "010", "x", NULL, NULL, NULL, NULL, det), OFFICES_OUT_OF_JURISDICTION);
		assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint", 1,
		    (const char *const[]){ m }), 0);
	}
	PQfinish(listener);
}

/* Import: all or nothing, every refused line reported. */
static void test_import(void **state)
{
	struct offices_row good[] = {
		{ 2, TOWN2 "011", "机构测试十一村", TOWN2, "village", "某村", "0795-6203333" },
		{ 3, "360972006", "机构测试六镇", CITY, "township", "六镇路", NULL },
		{ 4, "360972006001", "机构测试六镇一村", "360972006", "village", NULL, NULL },
		{ 5, TOWN, "机构测试" TOWN, CITY, "township", NULL, NULL },
	};
	struct offices_row bad[] = {
		{ 2, "360972007", "机构测试七镇", CITY, "township", NULL, NULL },
		{ 3, "360972008", "机构测试八镇", CITY, "town", NULL, NULL },
		{ 4, "360972008001", "机构测试八镇一村", "360972008", "village", NULL, NULL },
		{ 5, "360972007", "机构测试七镇重复", CITY, "township", NULL, NULL },
		{ 6, "360972007001", "", "360972007", "village", NULL, NULL },
		{ 7, OTHER_CITY "001", "机构测试他市", OTHER_CITY, "township", NULL, NULL },
		{ 8, "360972007002", "机构测试", CITY, "village", NULL, NULL },
	};
	static const struct {
		int line;
		enum offices_result r;
		const char *detail;
	} want[] = {
		{ 3, OFFICES_BAD_TIER, "township" },
		{ 4, OFFICES_PARENT_REFUSED, "3" },
		{ 5, OFFICES_DUPLICATE, "2" },
		{ 6, OFFICES_BAD_NAME, "" },
		{ 7, OFFICES_OUT_OF_JURISDICTION, "" },
		{ 8, OFFICES_PARENT_TIER, "360972007" },
	};
	struct offices_line *lines;
	long long before = n_offices(), mark = dbt_audit_mark(su);
	char m[24];
	size_t n;

	(void)state;
	snprintf(m, sizeof m, "%lld", mark);
	assert_int_equal(offices_import(cadmin.db, cadmin.s.id, bad, DBT_COUNT(bad), &lines, &n), OFFICES_BAD_INPUT);
	assert_int_equal(n, DBT_COUNT(want));
	for (size_t i = 0; i < n; i++) {
		if (lines[i].line != want[i].line || lines[i].r != want[i].r)
			print_error("# line %d: %d/%s\n", lines[i].line, (int)lines[i].r, lines[i].detail);
		assert_int_equal(lines[i].line, want[i].line);
		assert_int_equal(lines[i].r, want[i].r);
		assert_string_equal(lines[i].detail, want[i].detail);
	}
	free(lines);
	/* nothing of it stored, not even line 2, nor an audit row */
	assert_int_equal(n_offices(), before);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint", 1,
	    (const char *const[]){ m }), 0);

	/* the good file: parents before their offices whatever the order */
	{
		struct offices_row shuffled[] = { good[2], good[0], good[3], good[1] };

		assert_int_equal(offices_import(cadmin.db, cadmin.s.id, shuffled, 4, &lines, &n), OFFICES_OK);
	}
	assert_int_equal(n, 4);
	assert_int_equal(lines[0].line, 2);
	assert_int_equal(lines[0].r, OFFICES_ADDED);
	assert_int_equal(lines[1].r, OFFICES_ADDED);
	assert_int_equal(lines[2].r, OFFICES_ADDED);
	assert_int_equal(lines[3].r, OFFICES_UNCHANGED);
	free(lines);
	assert_int_equal(n_offices(), before + 3);
	dbt_assert_query(su, "六镇路", "SELECT address FROM yc.office WHERE code = '360972006'", 0, NULL);
	dbt_assert_query(su, "1", "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint AND action ="
	    " 'office_import' AND office_code = '" CITY "' AND staff_no = 'of_cadmin' AND (after ->> 'added')::int = 3"
	    " AND (after ->> 'unchanged')::int = 1", 1, (const char *const[]){ m });
	/* again with a new name and no address column: updated, the address kept */
	good[1].name = "机构测试六镇新名";
	good[1].address = NULL;
	assert_int_equal(offices_import(cadmin.db, cadmin.s.id, good, DBT_COUNT(good), &lines, &n), OFFICES_OK);
	assert_int_equal(lines[1].r, OFFICES_UPDATED);
	assert_string_equal(lines[1].code, "360972006");
	assert_int_equal(lines[0].r, OFFICES_UNCHANGED);
	free(lines);
	dbt_assert_query(su, "机构测试六镇新名|六镇路", "SELECT name || '|' || address FROM yc.office"
	    " WHERE code = '360972006'", 0, NULL);
	/* a township administrator imports only its own part */
	assert_int_equal(offices_import(tadmin.db, tadmin.s.id, good, DBT_COUNT(good), &lines, &n), OFFICES_BAD_INPUT);
	assert_int_equal(n, 3);
	assert_int_equal(lines[0].r, OFFICES_OUT_OF_JURISDICTION);
	free(lines);
}

/* The documents of the closing of a case print the issuing office's
 * address and phone (yc.closing_document_keys reads them from the row). */
static void test_documents_print_address_and_phone(void **state)
{
	char det[32], *v;

	(void)state;
	v = q1("SELECT k ->> 'has_phone' FROM (SELECT yc.closing_document_keys("
	    "jsonb_populate_record(NULL::yc.service_case, jsonb_build_object('office_code', $1::text)),"
	    "jsonb_populate_record(NULL::yc.notice, '{\"kind\": \"withdrawal\"}')) AS k) x", TOWN);
	assert_string_equal(v, "false");
	free(v);
	assert_int_equal(save(&tadmin, TOWN, NULL, NULL, NULL, "某镇某路8号", "0795-6208888", det), OFFICES_UPDATED);
	v = q1("SELECT (k ->> 'address') || '|' || (k ->> 'phone') || '|' || (k ->> 'has_phone') FROM ("
	    "SELECT yc.closing_document_keys("
	    "jsonb_populate_record(NULL::yc.service_case, jsonb_build_object('office_code', $1::text)),"
	    "jsonb_populate_record(NULL::yc.notice, '{\"kind\": \"withdrawal\"}')) AS k) x", TOWN);
	assert_string_equal(v, "某镇某路8号|0795-6208888|true");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_township_admin_jurisdiction, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_city_admin_and_owner, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_who_may, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_office_rules, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_deactivation, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_windows, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_audit_and_notify, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_import, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_documents_print_address_and_phone, test_setup, test_teardown),
	};

	return cmocka_run_group_tests_name("db_offices", tests, group_setup, group_teardown);
}
