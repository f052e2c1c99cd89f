/*
 * The history partitioned by month (db/migrations/0039_history_partitions.sql,
 * db/functions/history.sql, tui/store/history.c) against a migrated
 * cluster, the job's history step on the test clock:
 *
 *   layout      yc.audit_log and yc.case_event are partitioned by range
 *               on at, their keys hold it, DEFAULT partitions exist, the
 *               publication goes through the partition root, audit_id
 *               keeps counting
 *   routing     rows go to the partition of their month in China (a row
 *               of 03:00 on 1 January +08 is January's, not December's),
 *               a row of a month without one to DEFAULT
 *   pruning     a query by office and time reads only its months' partitions
 *   yearend     runs on 2026-12-20 and 2029-01-05 make the day's month and
 *               the three after it across the year end, audited; a second
 *               run makes nothing
 *   moved       rows in DEFAULT go to new partitions of their months, ids
 *               kept, DEFAULT left empty and still guarded, audited
 *   retention   audit months older than the setting before the day are
 *               dropped whole, the younger kept, each drop audited; case
 *               events of those months survive
 *   minimum     the setting refuses fewer than 6 months; a smaller value
 *               stored anyway is clamped to 6 and said; a run on a clock
 *               years ahead leaves the last 6 months of the real clock
 *               (rolled back)
 *   guards      a partition is append-only like its parent (DELETE, and
 *               TRUNCATE even in replica mode), no application role reads
 *               one, a case's event numbers stay unique across months
 *   roles       only yichuang_jobs (and the owner) may run the step;
 *               a day after today does nothing
 *   tickets     yc.ticket is partitioned by range on day (0041), its key
 *               and the keys that refer to it hold the day, a ticket goes
 *               to its day's month, a lookup with the day reads one month
 *   tickets_moved  tickets in DEFAULT go to their months while a case and
 *               the queue refer to them: ids and references kept, audited;
 *               where the owner may not replay them, they stay, said so
 *
 * Audit rows of these tests are of office 360948 and action history_test;
 * their old months are in 2001-2003, long before any real row, so that
 * the retention runs drop nothing of what other suites wrote. Staff hs_*.
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

#include "store/db.h"
#include "store/history.h"

#define OFFICE "360948"
#define CASE_NO OFFICE "200101150001"
#define PASSWORD "Hs-Pass-32"

static PGconn *su, *app;
static struct db *dsu;
static char person[19];

static const char *const staff_rows[][3] = {
	{ "hs_clerk", "clerk", OFFICE },
};

/* The retention setting as shipped: at least 6, 36 months. */
static void retention_reset(void)
{
	dbt_exec_ok(su, "UPDATE yc.setting SET min_value = 6, value = '36'"
	    " WHERE key = 'audit_retention_months'", 0, NULL);
}

static int group_setup(void **state)
{
	const char *p[2];

	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	db_exec(dsu, "SET client_min_messages = error", 0, NULL);
	dbt_office(su, OFFICE, "历史分区测试县", 1);
	dbt_staff(su, PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	dbt_make_id(person, "19800101", 948);
	p[0] = person;
	dbt_exec_ok(su, "INSERT INTO yc.person (id_no, name, sex) VALUES ($1, '历史测试', 'F')"
	    " ON CONFLICT DO NOTHING", 1, p);
	dbt_clear_cases(su, OFFICE);
	/* the months of these tests left by an earlier run on this database,
	 * when nobody else has rows in them */
	dbt_exec_ok(su, "DO $$ DECLARE r record; v_other boolean; BEGIN"
	    " FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
	    "  WHERE i.inhparent IN ('yc.audit_log'::regclass, 'yc.case_event'::regclass)"
	    "    AND c.relname ~ '_(199[0-9]|200[0-3])[0-9]{2}$' LOOP"
	    "  EXECUTE format('SELECT EXISTS (SELECT 1 FROM yc.%I WHERE office_code <> ''" OFFICE "'')',"
	    "   r.relname) INTO v_other;"
	    "  IF NOT v_other THEN EXECUTE format('DROP TABLE yc.%I', r.relname); END IF;"
	    " END LOOP; END $$", 0, NULL);
	p[1] = CASE_NO;
	dbt_exec_ok(su, "INSERT INTO yc.service_case (office_code, case_no, case_type_code,"
	    " case_type_version, id_no, first_staff_no, created_at)"
	    " SELECT '" OFFICE "', $2, t.code, t.version, $1, 'hs_clerk', '2001-01-15 10:00+08'"
	    " FROM yc.case_type t ORDER BY t.code, t.version LIMIT 1", 2, p);
	retention_reset();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	dbt_clock(dsu, "");
	retention_reset();
	dbt_clear_cases(su, OFFICE);
	return dbt_disconnect(&su, &app, &dsu, "hs");
}

/* The step on day at 09:00 in China on the test clock; must succeed. */
static void run_on(const char *day, struct history_result *h)
{
	char clock[40];
	enum history_status rc;

	snprintf(clock, sizeof clock, "%s 09:00+08", day);
	dbt_clock(dsu, clock);
	rc = history_run(dsu, day, h);
	if (rc != HISTORY_OK)
		print_error("# history_run %s: %s\n", day, db_detail(dsu));
	assert_int_equal(rc, HISTORY_OK);
	dbt_clock(dsu, "");
}

/* How many rows of h are of action a (and name part, unless NULL). */
static size_t count_of(const struct history_result *h, enum history_action a, const char *part)
{
	size_t k = 0;

	for (size_t i = 0; i < h->n; i++)
		if (h->rows[i].action == a && (part == NULL || strcmp(h->rows[i].part, part) == 0))
			k++;
	return k;
}

static bool rel_exists(const char *name)
{
	const char *p[] = { name };

	return dbt_query_ll(su, "SELECT (to_regclass($1) IS NOT NULL)::int", 1, p) == 1;
}

/* An audit row of the tests at when (any timestamptz text); its id. */
static long long audit_at(const char *when)
{
	const char *p[] = { when };

	return dbt_query_ll(su, "INSERT INTO yc.audit_log (office_code, at, action, object)"
	    " VALUES ('" OFFICE "', $1::timestamptz, 'history_test', 'test:' || $1)"
	    " RETURNING audit_id", 1, p);
}

/* The partition an audit row is in. */
static char *audit_part(long long id)
{
	char buf[24];
	const char *p[] = { buf };

	snprintf(buf, sizeof buf, "%lld", id);
	return dbt_query_str(su, "SELECT coalesce((SELECT tableoid::regclass::text FROM yc.audit_log"
	    " WHERE audit_id = $1::bigint), 'gone')", 1, p);
}

static void assert_audit_part(long long id, const char *want)
{
	char *got = audit_part(id);

	assert_string_equal(got, want);
	free(got);
}

/* An event of the test case, number seq, at when; and its partition. */
static void event_at(int seq, const char *when)
{
	char s[12];
	const char *p[] = { s, when };

	snprintf(s, sizeof s, "%d", seq);
	dbt_exec_ok(su, "INSERT INTO yc.case_event (office_code, case_no, seq, at, staff_no, kind)"
	    " VALUES ('" OFFICE "', '" CASE_NO "', $1::int, $2::timestamptz, 'hs_clerk', 'history_test')",
	    2, p);
}

static void assert_event_part(int seq, const char *want)
{
	char s[12];
	const char *p[] = { s };
	char *got;

	snprintf(s, sizeof s, "%d", seq);
	got = dbt_query_str(su, "SELECT coalesce((SELECT tableoid::regclass::text FROM yc.case_event"
	    " WHERE office_code = '" OFFICE "' AND case_no = '" CASE_NO "' AND seq = $1::int), 'gone')",
	    1, p);
	assert_string_equal(got, want);
	free(got);
}

/* The partitions an EXPLAIN of sql names, sorted, comma-separated. */
static char *plan_parts(const char *sql, int n, const char *const *params)
{
	PGresult *r = dbt_run(su, sql, n, params);
	size_t len = 1;
	char *plan, *parts;
	const char *p[1];

	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (int i = 0; i < PQntuples(r); i++)
		len += strlen(PQgetvalue(r, i, 0)) + 1;
	plan = calloc(1, len);
	assert_non_null(plan);
	for (int i = 0; i < PQntuples(r); i++) {
		strcat(plan, PQgetvalue(r, i, 0));
		strcat(plan, "\n");
	}
	PQclear(r);
	p[0] = plan;
	parts = dbt_query_str(su, "SELECT coalesce(string_agg(DISTINCT m[1], ',' ORDER BY m[1]), '')"
	    " FROM regexp_matches($1, '((?:audit_log|case_event|ticket)_(?:[0-9]{6}|default))', 'g') m",
	    1, p);
	free(plan);
	return parts;
}

/* ------------------------------------------------------------------ */

static void test_layout(void **state)
{
	long long before, id;

	(void)state;
	dbt_assert_query(su, "RANGE (at) RANGE (at)",
	    "SELECT string_agg(pg_get_partkeydef(c.oid), ' ' ORDER BY c.relname) FROM pg_class c"
	    " WHERE c.oid IN ('yc.audit_log'::regclass, 'yc.case_event'::regclass)", 0, NULL);
	/* the keys: office first, the partition key in them */
	dbt_assert_query(su, "PRIMARY KEY (office_code, audit_id, at)",
	    "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
	    " WHERE conrelid = 'yc.audit_log'::regclass AND contype = 'p'", 0, NULL);
	dbt_assert_query(su, "PRIMARY KEY (office_code, case_no, seq, at)",
	    "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
	    " WHERE conrelid = 'yc.case_event'::regclass AND contype = 'p'", 0, NULL);
	/* the event's foreign keys and checks are kept */
	dbt_assert_query(su, "case_event_kind_check,case_event_office_code_case_no_fkey,"
	    "case_event_pkey,case_event_seq_check,case_event_staff_no_fkey",
	    "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint"
	    " WHERE conrelid = 'yc.case_event'::regclass", 0, NULL);
	assert_true(rel_exists("yc.audit_log_default"));
	assert_true(rel_exists("yc.case_event_default"));
	/* the publication publishes through the root */
	dbt_assert_query(su, "true", "SELECT pubviaroot::text FROM pg_publication"
	    " WHERE pubname = 'yc_province'", 0, NULL);
	/* audit ids go on from the largest */
	before = dbt_query_ll(su, "SELECT max(audit_id) FROM yc.audit_log", 0, NULL);
	id = audit_at("now");
	assert_true(id > before);
	/* the case events stay under row-level security */
	dbt_assert_query(su, "true", "SELECT relrowsecurity::text FROM pg_class"
	    " WHERE oid = 'yc.case_event'::regclass", 0, NULL);
	dbt_assert_query(su, "1", "SELECT count(*) FROM pg_policy"
	    " WHERE polrelid = 'yc.case_event'::regclass", 0, NULL);
}

static void test_routing(void **state)
{
	struct history_result h;
	long long dec, jan, far;

	(void)state;
	run_on("2026-12-20", &h);
	free(h.rows);
	/* 2026-12-31 23:59 and 2027-01-01 03:00 in China: 16:00 and 19:00 UTC
	 * of the same 31 December */
	dec = audit_at("2026-12-31 23:59:59+08");
	jan = audit_at("2027-01-01 03:00+08");
	assert_audit_part(dec, "yc.audit_log_202612");
	assert_audit_part(jan, "yc.audit_log_202701");
	event_at(1, "2026-12-31 23:59:59+08");
	event_at(2, "2027-01-01 03:00+08");
	assert_event_part(1, "yc.case_event_202612");
	assert_event_part(2, "yc.case_event_202701");
	/* a month without a partition: DEFAULT (until a run moves it) */
	far = audit_at("2003-05-10 10:00+08");
	assert_audit_part(far, "yc.audit_log_default");
	dbt_exec_ok(su, "DELETE FROM yc.case_event WHERE office_code = '" OFFICE "'", 0, NULL);
}

static void test_pruning(void **state)
{
	const char *p[] = { "2027-01-01 00:00+08", "2027-02-01 00:00+08" };
	char *parts;

	(void)state;
	parts = plan_parts("EXPLAIN (COSTS OFF) SELECT count(*) FROM yc.audit_log"
	    " WHERE office_code = '" OFFICE "' AND at >= '2027-01-01 00:00+08'"
	    " AND at < '2027-02-01 00:00+08'", 0, NULL);
	assert_string_equal(parts, "audit_log_202701");
	free(parts);
	/* the same with the bounds as parameters, and two months */
	p[1] = "2027-03-01 00:00+08";
	parts = plan_parts("EXPLAIN (COSTS OFF) SELECT * FROM yc.audit_log"
	    " WHERE office_code = '" OFFICE "' AND at >= $1::timestamptz AND at < $2::timestamptz"
	    " ORDER BY at", 2, p);
	assert_string_equal(parts, "audit_log_202701,audit_log_202702");
	free(parts);
	/* a case's events of a month */
	parts = plan_parts("EXPLAIN (COSTS OFF) SELECT * FROM yc.case_event"
	    " WHERE office_code = '" OFFICE "' AND at >= '2026-12-01 00:00+08'"
	    " AND at < '2027-01-01 00:00+08'", 0, NULL);
	assert_string_equal(parts, "case_event_202612");
	free(parts);
}

/* Runs on day and checks that the months want (YYYYMM, NULL-terminated)
 * of every partitioned table exist after it, that the run reported and audited
 * exactly those that were missing, and that a second run makes nothing. */
static void assert_ahead(const char *day, const char *const *want)
{
	static const char *const tables[] = { "audit_log", "case_event", "ticket" };
	enum { NTABLES = sizeof tables / sizeof tables[0] };
	char name[64], part[64];
	bool missing[NTABLES][8];
	struct history_result h;
	long long mark = dbt_audit_mark(su);
	size_t nmissing = 0, k;

	for (size_t t = 0; t < NTABLES; t++)
		for (k = 0; want[k] != NULL; k++) {
			snprintf(name, sizeof name, "yc.%s_%s", tables[t], want[k]);
			missing[t][k] = !rel_exists(name);
			nmissing += missing[t][k];
		}
	run_on(day, &h);
	for (size_t t = 0; t < NTABLES; t++)
		for (k = 0; want[k] != NULL; k++) {
			snprintf(name, sizeof name, "yc.%s_%s", tables[t], want[k]);
			snprintf(part, sizeof part, "%s_%s", tables[t], want[k]);
			assert_true(rel_exists(name));
			assert_int_equal(count_of(&h, HIST_CREATED, name), missing[t][k] ? 1 : 0);
			if (missing[t][k])
				assert_int_equal(dbt_audit_count(su, mark, "000000",
				    "history_partition_create", name), 1);
		}
	/* those, and the partitions of rows set aside from DEFAULT */
	assert_true(count_of(&h, HIST_CREATED, NULL) >= nmissing);
	assert_int_equal(h.months, 36);
	free(h.rows);
	run_on(day, &h);
	assert_int_equal(count_of(&h, HIST_CREATED, NULL), 0);
	free(h.rows);
}

static void test_yearend(void **state)
{
	(void)state;
	assert_ahead("2026-12-20", (const char *const[]){ "202612", "202701", "202702", "202703", NULL });
	/* years after the shipped calendar: the month before the day is not made */
	assert_ahead("2029-01-05", (const char *const[]){ "202901", "202902", "202903", "202904", NULL });
	/* the last day of a year */
	assert_ahead("2030-12-31", (const char *const[]){ "203012", "203101", "203102", "203103", NULL });
}

static void test_moved(void **state)
{
	struct history_result h;
	long long mark, a1, a2;
	char *gone;

	(void)state;
	a1 = audit_at("2003-05-10 10:00+08");
	a2 = audit_at("2003-06-30 23:30+08");
	event_at(1, "2003-05-10 10:00+08");
	assert_audit_part(a1, "yc.audit_log_default");
	assert_event_part(1, "yc.case_event_default");
	mark = dbt_audit_mark(su);
	run_on("2003-07-01", &h);
	assert_audit_part(a1, "yc.audit_log_200305");
	assert_audit_part(a2, "yc.audit_log_200306");
	assert_event_part(1, "yc.case_event_200305");
	assert_int_equal(count_of(&h, HIST_MOVED, "yc.audit_log_default"), 1);
	assert_int_equal(count_of(&h, HIST_MOVED, "yc.case_event_default"), 1);
	assert_int_equal(count_of(&h, HIST_CREATED, "yc.audit_log_200305"), 1);
	assert_int_equal(count_of(&h, HIST_CREATED, "yc.case_event_200305"), 1);
	free(h.rows);
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.audit_log_default", 0, NULL);
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.case_event_default", 0, NULL);
	assert_int_equal(dbt_audit_count(su, mark, "000000", "history_default_move", "yc.audit_log"), 1);
	assert_int_equal(dbt_audit_count(su, mark, "000000", "history_default_move", "yc.case_event"), 1);
	/* the new DEFAULT partition is guarded as the old one was */
	dbt_exec_ok(su, "BEGIN", 0, NULL);
	audit_at("1999-01-01 10:00+08");
	dbt_expect_sqlstate(su, "YC002", "DELETE FROM yc.audit_log_default");
	dbt_exec_ok(su, "ROLLBACK", 0, NULL);
	dbt_expect_sqlstate(su, "YC002", "TRUNCATE yc.audit_log_default");
	gone = dbt_query_str(su, "SELECT coalesce(to_regclass('yc.audit_log_moving')::text, 'gone')",
	    0, NULL);
	assert_string_equal(gone, "gone");
	free(gone);
}

static void test_retention(void **state)
{
	struct history_result h;
	long long mark, jan, jun, jul, aug, sep;

	(void)state;
	/* in DEFAULT until the run makes their months */
	jan = audit_at("2001-01-15 10:00+08");
	jun = audit_at("2001-06-30 23:59:59+08");
	jul = audit_at("2001-07-01 00:00+08");
	aug = audit_at("2001-08-20 10:00+08");
	sep = audit_at("2001-09-15 10:00+08");
	event_at(11, "2001-01-15 10:00+08");
	event_at(12, "2001-06-15 10:00+08");
	dbt_exec_ok(su, "UPDATE yc.setting SET value = '6' WHERE key = 'audit_retention_months'",
	    0, NULL);
	mark = dbt_audit_mark(su);
	/* 2002-01-20 less 6 months: 2001-07-20; January to June end before it */
	run_on("2002-01-20", &h);
	assert_int_equal(h.months, 6);
	assert_string_equal(h.cutoff, "2001-07-20");
	assert_audit_part(jan, "gone");
	assert_audit_part(jun, "gone");
	assert_audit_part(jul, "yc.audit_log_200107");
	assert_audit_part(aug, "yc.audit_log_200108");
	assert_audit_part(sep, "yc.audit_log_200109");
	assert_int_equal(count_of(&h, HIST_DROPPED, "yc.audit_log_200101"), 1);
	assert_int_equal(count_of(&h, HIST_DROPPED, "yc.audit_log_200106"), 1);
	assert_int_equal(count_of(&h, HIST_DROPPED, "yc.audit_log_200107"), 0);
	for (size_t i = 0; i < h.n; i++)
		if (h.rows[i].action == HIST_DROPPED && strcmp(h.rows[i].part, "yc.audit_log_200101") == 0)
			assert_int_equal(h.rows[i].rows, 1);
	free(h.rows);
	assert_false(rel_exists("yc.audit_log_200101"));
	/* each drop audited with the partition, its rows and the setting */
	assert_int_equal(dbt_audit_count(su, mark, "000000", "audit_partition_drop",
	    "yc.audit_log_200101"), 1);
	dbt_assert_query(su, "1 6 2001-07-20", "SELECT (before ->> 'rows') || ' ' ||"
	    " (after ->> 'retention_months') || ' ' ||"
	    " ((after ->> 'cutoff')::timestamptz AT TIME ZONE 'Asia/Shanghai')::date"
	    " FROM yc.audit_log WHERE action = 'audit_partition_drop' AND object = 'yc.audit_log_200101'"
	    " ORDER BY audit_id DESC LIMIT 1", 0, NULL);
	/* the case's events of those months are kept: cases are records */
	assert_event_part(11, "yc.case_event_200101");
	assert_event_part(12, "yc.case_event_200106");
	/* a month goes only once all of it is older: 2002-02-28 less 6 is
	 * 2001-08-28, so July goes and August stays */
	run_on("2002-02-28", &h);
	assert_int_equal(count_of(&h, HIST_DROPPED, NULL), 1);
	assert_int_equal(count_of(&h, HIST_DROPPED, "yc.audit_log_200107"), 1);
	free(h.rows);
	assert_audit_part(aug, "yc.audit_log_200108");
	/* the default, 36 months: nothing more goes */
	retention_reset();
	run_on("2002-03-10", &h);
	assert_int_equal(count_of(&h, HIST_DROPPED, NULL), 0);
	assert_int_equal(h.months, 36);
	free(h.rows);
	assert_audit_part(sep, "yc.audit_log_200109");
}

static void test_minimum(void **state)
{
	struct history_result h;
	long long session, sep, now_id;
	char sid[24], *part;
	const char *p[1];

	(void)state;
	/* the setting refuses fewer than 6 months, whoever writes it */
	dbt_expect_sqlstate(su, "23514",
	    "UPDATE yc.setting SET value = '5' WHERE key = 'audit_retention_months'");
	dbt_staff(su, PASSWORD, (const char *const[][3]){ { "hs_admin", "admin", "3609" } }, 1);
	session = dbt_login(app, "hs_admin", PASSWORD, 0, "tests/db/history");
	snprintf(sid, sizeof sid, "%lld", session);
	p[0] = sid;
	dbt_assert_query(app, "out_of_range 6 1200", "SELECT result || ' ' || min_value || ' ' || max_value"
	    " FROM yc.setting_set($1::bigint, 'audit_retention_months', '3', 'tests/db/history')", 1, p);
	dbt_assert_query(app, "ok", "SELECT result"
	    " FROM yc.setting_set($1::bigint, 'audit_retention_months', '6', 'tests/db/history')", 1, p);
	dbt_logout(app, session);
	/* stored anyway (the owner lowering the minimum): 6 are kept */
	dbt_exec_ok(su, "UPDATE yc.setting SET min_value = 1, value = '3'"
	    " WHERE key = 'audit_retention_months'", 0, NULL);
	sep = audit_at("2001-09-15 10:00+08");
	/* 2002-03-10 less 3 months would drop September 2001; less 6, not */
	run_on("2002-03-10", &h);
	assert_int_equal(count_of(&h, HIST_CLAMPED, NULL), 1);
	assert_int_equal(h.rows[0].action, HIST_CLAMPED);
	assert_int_equal(h.rows[0].rows, 3);
	assert_int_equal(h.rows[0].months, 6);
	assert_int_equal(h.months, 6);
	assert_string_equal(h.cutoff, "2001-09-10");
	free(h.rows);
	assert_audit_part(sep, "yc.audit_log_200109");
	/* a clock years ahead (a test's) leaves the last 6 months of the real
	 * clock: today's rows stay. In a transaction rolled back, so that
	 * nothing older of this database (the round-1 rows of the upgraded
	 * one) is dropped for good. */
	now_id = audit_at("now");
	dbt_exec_ok(su, "BEGIN", 0, NULL);
	dbt_exec_ok(su, "SELECT set_config('yc.test_now', '2045-03-10 09:00+08', true)", 0, NULL);
	dbt_assert_query(su, "6", "SELECT keep_months FROM yc.history_run('2045-03-10')"
	    " WHERE action = 'done'", 0, NULL);
	part = audit_part(now_id);
	assert_string_not_equal(part, "gone");
	free(part);
	assert_audit_part(sep, "gone");
	dbt_exec_ok(su, "ROLLBACK", 0, NULL);
	assert_audit_part(sep, "yc.audit_log_200109");
	retention_reset();
}

static void test_guards(void **state)
{
	char *part;

	(void)state;
	part = dbt_query_str(su, "SELECT tableoid::regclass::text FROM yc.audit_log"
	    " WHERE audit_id = (SELECT max(audit_id) FROM yc.audit_log)", 0, NULL);
	/* append-only in every partition, even in replica mode */
	dbt_exec_ok(su, "BEGIN", 0, NULL);
	{
		char sql[160];

		snprintf(sql, sizeof sql, "DELETE FROM %s", part);
		dbt_expect_sqlstate(su, "YC002", sql);
		dbt_exec_ok(su, "ROLLBACK", 0, NULL);
		dbt_exec_ok(su, "BEGIN", 0, NULL);
		dbt_exec_ok(su, "SET LOCAL session_replication_role = replica", 0, NULL);
		snprintf(sql, sizeof sql, "TRUNCATE %s", part);
		dbt_expect_sqlstate(su, "YC002", sql);
		dbt_exec_ok(su, "ROLLBACK", 0, NULL);
		dbt_exec_ok(su, "BEGIN", 0, NULL);
		snprintf(sql, sizeof sql, "UPDATE %s SET action = 'tampered'", part);
		dbt_expect_sqlstate(su, "YC002", sql);
	}
	dbt_exec_ok(su, "ROLLBACK", 0, NULL);
	free(part);
	/* no application role reads a partition; the parent stays closed */
	dbt_expect_sqlstate(app, "42501", "SELECT count(*) FROM yc.audit_log_default");
	dbt_expect_sqlstate(app, "42501", "SELECT count(*) FROM yc.case_event_default");
	dbt_expect_sqlstate(app, "42501", "SELECT count(*) FROM yc.audit_log");
	/* a case's event number once, across months (23505 as the old key) */
	event_at(21, "2001-03-15 10:00+08");
	dbt_expect_sqlstate(su, "23505", "INSERT INTO yc.case_event (office_code, case_no, seq, at, kind)"
	    " VALUES ('" OFFICE "', '" CASE_NO "', 21, '2026-12-15 10:00+08', 'history_test')");
	/* events added the usual way number on from every month */
	dbt_exec_ok(su, "SELECT yc.case_event_add('" OFFICE "', '" CASE_NO "', 'hs_clerk', 'history_test',"
	    " '{}')", 0, NULL);
	dbt_assert_query(su, "22", "SELECT max(seq) FROM yc.case_event WHERE office_code = '" OFFICE "'"
	    " AND case_no = '" CASE_NO "'", 0, NULL);
}

/* A waiting ticket of the tests (the owner's insert) on day, number A
 * and seq; its id. */
static long long ticket_on(const char *day, int seq)
{
	char s[12];
	const char *p[] = { day, s };

	snprintf(s, sizeof s, "%d", seq);
	return dbt_query_ll(su, "INSERT INTO yc.ticket (office_code, day, class, seq, number, issued_at)"
	    " VALUES ('" OFFICE "', $1::date, 'normal', $2::int, 'A' || lpad($2::text, 3, '0'),"
	    "  ($1::date + time '09:00') AT TIME ZONE 'Asia/Shanghai') RETURNING ticket_id", 2, p);
}

/* The partition a ticket is in. */
static void assert_ticket_part(long long id, const char *want)
{
	char buf[24], *got;
	const char *p[] = { buf };

	snprintf(buf, sizeof buf, "%lld", id);
	got = dbt_query_str(su, "SELECT coalesce((SELECT tableoid::regclass::text FROM yc.ticket"
	    " WHERE office_code = '" OFFICE "' AND ticket_id = $1::bigint), 'gone')", 1, p);
	assert_string_equal(got, want);
	free(got);
}

static void clear_tickets(void)
{
	dbt_exec_ok(su, "UPDATE yc.service_case SET ticket_id = NULL, ticket_day = NULL"
	    " WHERE office_code = '" OFFICE "'", 0, NULL);
	dbt_exec_ok(su, "DELETE FROM yc.ticket WHERE office_code = '" OFFICE "'", 0, NULL);
}

static void test_tickets(void **state)
{
	struct history_result h;
	long long dec, jan;
	char *parts;

	(void)state;
	dbt_assert_query(su, "RANGE (day)", "SELECT pg_get_partkeydef('yc.ticket'::regclass)", 0, NULL);
	dbt_assert_query(su, "PRIMARY KEY (office_code, ticket_id, day)",
	    "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
	    " WHERE conrelid = 'yc.ticket'::regclass AND contype = 'p'", 0, NULL);
	/* what refers to a ticket names its day (the queue table's day is
	 * its trigger's), checked at once */
	dbt_assert_query(su,
	    "appointment_ticket (office_code, ticket_id, ticket_day) -;"
	    "service_case_ticket (office_code, ticket_id, ticket_day) -",
	    "SELECT string_agg(conname || ' ' || substring(pg_get_constraintdef(oid) FROM '^FOREIGN KEY ([(][^)]*[)])')"
	    " || CASE WHEN condeferrable THEN ' d' ELSE ' -' END, ';' ORDER BY conname)"
	    " FROM pg_constraint WHERE confrelid = 'yc.ticket'::regclass AND conparentid = 0", 0, NULL);
	assert_true(rel_exists("yc.ticket_default"));
	/* a key without its day is refused rather than left unchecked */
	dbt_expect_sqlstate(su, "23514", "UPDATE yc.service_case SET ticket_id = 1"
	    " WHERE office_code = '" OFFICE "' AND case_no = '" CASE_NO "'");

	run_on("2026-12-20", &h);
	free(h.rows);
	dec = ticket_on("2026-12-31", 1);
	jan = ticket_on("2027-01-01", 1);
	assert_ticket_part(dec, "yc.ticket_202612");
	assert_ticket_part(jan, "yc.ticket_202701");
	/* the queue's lookups say the day: one month's partition */
	parts = plan_parts("EXPLAIN (COSTS OFF) SELECT * FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND ticket_id = 1 AND day = '2027-01-01' FOR UPDATE", 0, NULL);
	assert_string_equal(parts, "ticket_202701");
	free(parts);
	/* the day's tickets of an office (the board, the reports) as well */
	parts = plan_parts("EXPLAIN (COSTS OFF) SELECT count(*) FROM yc.ticket"
	    " WHERE office_code = '" OFFICE "' AND day = $1::date", 1, (const char *const[]){ "2026-12-31" });
	assert_string_equal(parts, "ticket_202612");
	free(parts);
	clear_tickets();
}

static void test_tickets_moved(void **state)
{
	struct history_result h;
	long long mark, t1, t2;
	char s1[24];
	const char *p1[] = { s1 };
	char *gone;

	(void)state;
	t1 = ticket_on("2003-05-10", 1);
	t2 = ticket_on("2003-06-02", 1);
	snprintf(s1, sizeof s1, "%lld", t1);
	assert_ticket_part(t1, "yc.ticket_default");
	assert_ticket_part(t2, "yc.ticket_default");
	/* the case refers to t1, the queue has it waiting */
	dbt_exec_ok(su, "UPDATE yc.service_case SET ticket_id = $1::bigint, ticket_day = '2003-05-10'"
	    " WHERE office_code = '" OFFICE "' AND case_no = '" CASE_NO "'", 1, p1);
	dbt_assert_query(su, "2003-05-10", "SELECT day::text FROM yc.ticket_queue"
	    " WHERE office_code = '" OFFICE "' AND ticket_id = $1::bigint", 1, p1);
	mark = dbt_audit_mark(su);
	run_on("2003-07-01", &h);
	assert_ticket_part(t1, "yc.ticket_200305");
	assert_ticket_part(t2, "yc.ticket_200306");
	assert_int_equal(count_of(&h, HIST_MOVED, "yc.ticket_default"), 1);
	assert_int_equal(count_of(&h, HIST_CREATED, "yc.ticket_200305"), 1);
	free(h.rows);
	assert_int_equal(dbt_audit_count(su, mark, "000000", "history_default_move", "yc.ticket"), 1);
	dbt_assert_query(su, "0", "SELECT count(*) FROM yc.ticket_default", 0, NULL);
	/* the case still refers to it, by its whole key */
	dbt_assert_query(su, "A001", "SELECT t.number FROM yc.service_case sc"
	    " JOIN yc.ticket t ON t.office_code = sc.office_code AND t.ticket_id = sc.ticket_id"
	    "  AND t.day = sc.ticket_day"
	    " WHERE sc.office_code = '" OFFICE "' AND sc.case_no = '" CASE_NO "'", 0, NULL);
	/* it still waits in the queue, and it is still guarded by the key */
	dbt_assert_query(su, "2003-05-10", "SELECT day::text FROM yc.ticket_queue"
	    " WHERE office_code = '" OFFICE "' AND ticket_id = $1::bigint", 1, p1);
	dbt_expect_sqlstate(su, "23503", "DELETE FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND day = '2003-05-10'");
	gone = dbt_query_str(su, "SELECT coalesce(to_regclass('yc.ticket_moving')::text, 'gone')",
	    0, NULL);
	assert_string_equal(gone, "gone");
	free(gone);
	clear_tickets();

	/* an owner that may not set replica mode leaves them in DEFAULT, and
	 * their month without a partition, and says so (rolled back) */
	dbt_exec_ok(su, "BEGIN", 0, NULL);
	dbt_exec_ok(su, "CREATE OR REPLACE FUNCTION yc.history_replay_allowed() RETURNS boolean"
	    " LANGUAGE sql STABLE SET search_path = yc, pg_temp AS 'SELECT false'", 0, NULL);
	t1 = ticket_on("2004-02-10", 1);
	dbt_exec_ok(su, "SELECT set_config('yc.test_now', '2004-03-01 09:00+08', true)", 0, NULL);
	dbt_assert_query(su, "true", "SELECT (n_rows >= 1)::text FROM yc.history_run('2004-03-01')"
	    " WHERE action = 'kept' AND tbl = 'ticket'", 0, NULL);
	assert_ticket_part(t1, "yc.ticket_default");
	assert_false(rel_exists("yc.ticket_200402"));
	assert_true(rel_exists("yc.ticket_200403"));
	dbt_exec_ok(su, "ROLLBACK", 0, NULL);
}

static void test_roles(void **state)
{
	struct history_result h;

	(void)state;
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.history_run(NULL)");
	dbt_exec_ok(su, "SET ROLE yichuang_kiosk", 0, NULL);
	dbt_expect_sqlstate(su, "42501", "SELECT * FROM yc.history_run(NULL)");
	dbt_exec_ok(su, "RESET ROLE", 0, NULL);
	dbt_exec_ok(su, "SET ROLE yichuang_jobs", 0, NULL);
	dbt_assert_query(su, "done", "SELECT action FROM yc.history_run(NULL) WHERE action = 'done'",
	    0, NULL);
	dbt_expect_sqlstate(su, "42501", "SELECT count(*) FROM yc.audit_log");
	dbt_expect_sqlstate(su, "42501", "SELECT count(*) FROM yc.case_event_default");
	dbt_exec_ok(su, "RESET ROLE", 0, NULL);
	/* a day after today does nothing */
	dbt_clock(dsu, "2026-12-20 09:00+08");
	assert_int_equal(history_run(dsu, "2026-12-21", &h), HISTORY_FUTURE);
	assert_null(h.rows);
	dbt_clock(dsu, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_routing),
		cmocka_unit_test(test_pruning),
		cmocka_unit_test(test_yearend),
		cmocka_unit_test(test_moved),
		cmocka_unit_test(test_retention),
		cmocka_unit_test(test_minimum),
		cmocka_unit_test(test_guards),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_tickets),
		cmocka_unit_test(test_tickets_moved),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
