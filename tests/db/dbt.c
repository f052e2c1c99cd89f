/* Database test fixtures; see dbt.h. */
#include "db/dbt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

PGresult *
dbt_run(PGconn *c, const char *sql, int n, const char *const *params)
{
	return PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
}

void
dbt_exec_ok(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = dbt_run(c, sql, n, params);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		print_error("# statement failed: %s\n#   %s", sql, PQresultErrorMessage(r));
	assert_true(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
	PQclear(r);
}

long long
dbt_query_ll(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = dbt_run(c, sql, n, params);
	long long v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		print_error("# query failed: %s\n#   %s", sql, PQresultErrorMessage(r));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	v = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

void
dbt_make_id(char out[19], const char *birth, int seq)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	snprintf(out, 19, "360981%.8s%03d", birth, seq % 1000);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

long long
dbt_login(PGconn *c, const char *staff, const char *password, int window, const char *client)
{
	char win[16];
	const char *p[] = { staff, password, window > 0 ? win : NULL, client };
	PGresult *r;
	long long id;

	snprintf(win, sizeof win, "%d", window);
	r = dbt_run(c, "SELECT result, session_id FROM yc.login($1, $2, $3::int, $4)", 4, p);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	if (strcmp(PQgetvalue(r, 0, 0), "ok") != 0)
		print_error("# login %s: %s\n", staff, PQgetvalue(r, 0, 0));
	assert_string_equal(PQgetvalue(r, 0, 0), "ok");
	id = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	return id;
}

void
dbt_logout(PGconn *c, long long session)
{
	char s[24];
	const char *p[] = { s };

	snprintf(s, sizeof s, "%lld", session);
	dbt_exec_ok(c, "SELECT yc.logout($1::bigint, 'user')", 1, p);
}

long long
dbt_audit_mark(PGconn *su)
{
	return dbt_query_ll(su, "SELECT coalesce(max(audit_id), 0) FROM yc.audit_log", 0, NULL);
}

long long
dbt_audit_count(PGconn *su, long long mark, const char *office, const char *action, const char *object)
{
	char m[24];
	const char *p[] = { m, office, action, object };

	snprintf(m, sizeof m, "%lld", mark);
	return dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND office_code = $2 AND action = $3 AND ($4::text IS NULL OR object = $4)", 4, p);
}

int
dbt_read_notifies(PGconn *c, int want, char *buf, size_t size)
{
	int n = 0;

	buf[0] = '\0';
	for (int i = 0; i < 100 && n < want; i++) {
		PGnotify *nt;

		PQconsumeInput(c);
		while ((nt = PQnotifies(c)) != NULL) {
			size_t len = strlen(buf);

			snprintf(buf + len, size - len, "%s %s\n", nt->relname, nt->extra);
			PQfreemem(nt);
			n++;
		}
		if (n < want)
			usleep(10000);
	}
	return n;
}
