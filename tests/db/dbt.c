/* Database test fixtures; see dbt.h. */
#include "db/dbt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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
