/* Database test fixtures; see dbt.h. */
#include "db/dbt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

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
