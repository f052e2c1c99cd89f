/*
 * Fixtures shared by the database tests: statements through libpq with
 * parameters only, failing the current cmocka test (and printing the
 * statement and the server's message) when something that must work does
 * not.
 */
#ifndef YC_TEST_DBT_H
#define YC_TEST_DBT_H

#include <libpq-fe.h>

PGresult *dbt_run(PGconn *c, const char *sql, int n, const char *const *params);
/* A statement that must succeed. */
void dbt_exec_ok(PGconn *c, const char *sql, int n, const char *const *params);
/* A query that must return exactly one row: its first value as a number
 * (SQL NULL reads as 0). */
long long dbt_query_ll(PGconn *c, const char *sql, int n, const char *const *params);

/* A valid GB 11643 ID number: region 360981, birth "yyyymmdd", sequence
 * (mod 1000), and the check character computed here. */
void dbt_make_id(char out[19], const char *birth, int seq);

/* Signs staff in through yc.login on c with password (window 0: none),
 * client naming the test; the session id. */
long long dbt_login(PGconn *c, const char *staff, const char *password, int window, const char *client);
void dbt_logout(PGconn *c, long long session);
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
