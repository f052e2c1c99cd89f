/*
 * Fixtures shared by the database tests: statements through libpq with
 * parameters only, failing the current cmocka test (and printing the
 * statement and the server's message) when something that must work does
 * not.
 */
#ifndef YC_TEST_DBT_H
#define YC_TEST_DBT_H

#include <stddef.h>

#include <libpq-fe.h>

struct db;

PGresult *dbt_run(PGconn *c, const char *sql, int n, const char *const *params);
/* A statement that must succeed. */
void dbt_exec_ok(PGconn *c, const char *sql, int n, const char *const *params);
/* A query that must return exactly one row: its first value as a number
 * (SQL NULL reads as 0). */
long long dbt_query_ll(PGconn *c, const char *sql, int n, const char *const *params);

/* The one value of a query that must return exactly one row, as a
 * malloc'd string ("" for SQL NULL); the caller frees it. */
char *dbt_query_str(PGconn *c, const char *sql, int n, const char *const *params);
/* Fails the test unless that one value, as text, is want. */
void dbt_assert_query(PGconn *c, const char *want, const char *sql, int n,
    const char *const *params);
/* Fails the test unless sql (no parameters) fails on c with SQLSTATE state. */
void dbt_expect_sqlstate(PGconn *c, const char *state, const char *sql);

/* A fact about a case as text ("" for NULL): expr is an SQL expression over
 * the columns of yc.service_case, e.g. dbt_assert_case(su, no, "status",
 * "finished"). */
void dbt_assert_case(PGconn *su, const char *case_no, const char *expr, const char *want);
/* The latest loaded version of a case type. */
int dbt_case_type_version(PGconn *su, const char *code);
/* A registered person insured (resident scheme, active since 2020) at
 * office, unless they are already: what 出具参保凭证 needs. */
void dbt_insured(PGconn *su, const char *id_no, const char *office);
/* A whole form of the latest version of a case type: every field of its
 * definition (at most DBT_FORM_MAX) with a value of its type (id_no for
 * ID-number fields); how many, with *ids and *values pointing at arrays
 * the caller may change. They stay valid for the next seven calls. */
#define DBT_FORM_MAX 32
size_t dbt_form(PGconn *su, const char *code, const char *id_no, const char ***ids,
    const char ***values);

/* Opens the connections of a group setup: *su as the superuser
 * (PQconnectdb(""), client_min_messages = warning) and, unless app is NULL,
 * *app as the application role (YC_TEST_APP_CONNINFO, which must be set
 * either way); unless dsu is NULL, *dsu as the superuser through the store
 * (db_open("")). 0, or -1 after saying on stderr what failed (the group
 * setup returns it); what was opened is left for the teardown to close. */
int dbt_connect(PGconn **su, PGconn **app, struct db **dsu);
/* The group teardown of dbt_connect: the open sessions of the staff whose
 * numbers start with staff_prefix (NULL: none) are ended, then whatever
 * was opened is closed (app and dsu may be NULL). Returns 0. */
int dbt_disconnect(PGconn **su, PGconn **app, struct db **dsu, const char *staff_prefix);

/* An office of the tests, unless it exists, and the offices above it that
 * are missing: its code's length says its level (GB/T 2260: 2 digits a
 * province, 4 a prefecture, 6 a county, 9 a township, 12 a village, each
 * below the office of its code cut to the level above), the region is its
 * first 6 digits padded with 0; with windows 1..windows labelled "n号窗口" (0: none). Unless the
 * office has opening hours, it is open all day every day (00:00-24:00,
 * holidays too): suites on the real clock issue tickets at any hour. */
void dbt_office(PGconn *su, const char *code, const char *name, int windows);
/* Staff of the tests, rows of { staff_no, role, office }, named "测试" and
 * the staff number, all with password; existing rows are made so again
 * (name, role, office, password, active, not locked, the password neither
 * temporary nor old). The password is hashed once, on su. */
void dbt_staff(PGconn *su, const char *password, const char *const rows[][3], size_t n);
#define DBT_COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* Ends the open sessions of the staff whose numbers start with prefix and
 * an underscore ("tc": tc_*), reason 'test'. */
void dbt_close_sessions(PGconn *su, const char *prefix);

/* Empties the case tables (outbox, rating by case office, case_stage,
 * case_material, notice, case_event, proactive_link by either of its
 * cases, service_case, case_counter) of the
 * offices whose codes start with prefix. */
void dbt_clear_cases(PGconn *su, const char *prefix);
/* Empties the queue tables (appointment, ticket, ticket_counter,
 * window_state, queue_office_state, queue_config) of the offices whose
 * codes start with prefix. */
void dbt_clear_queue(PGconn *su, const char *prefix);

/* The test clock of db: when is a timestamptz as text ("" for the real
 * clock); db must be a superuser's. */
void dbt_clock(struct db *db, const char *when);
/* For tests on the real clock that must not straddle midnight in
 * Asia/Shanghai (the day of a ticket or a case number): when fewer than
 * margin seconds remain of the day, sleeps past it. */
void dbt_clear_of_midnight(PGconn *su, int margin);

/* A valid GB 11643 ID number: region 360981, birth "yyyymmdd", sequence
 * (mod 1000), and the check character computed here. */
void dbt_make_id(char out[19], const char *birth, int seq);

/* Signs staff in through yc.login on c with password (window 0: none),
 * client naming the test; the session id. */
long long dbt_login(PGconn *c, const char *staff, const char *password, int window, const char *client);
void dbt_logout(PGconn *c, long long session);
/* The same on a connection of the store (the server binds a session to the
 * connection it was signed in on). */
long long dbt_login_db(struct db *db, const char *staff, const char *password, int window,
    const char *client);
void dbt_logout_db(struct db *db, long long session);
/* The newest audit row id (su: a superuser connection), and how many rows
 * came after mark for an office and action (and object, unless NULL). */
long long dbt_audit_mark(PGconn *su);
/* Waits (up to about a second) for want notifications on c, LISTENing
 * already; appends "channel payload\n" for each to buf; returns how many
 * arrived. */
int dbt_read_notifies(PGconn *c, int want, char *buf, size_t size);
long long dbt_audit_count(PGconn *su, long long mark, const char *office, const char *action,
    const char *object);

#endif
