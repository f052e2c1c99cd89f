/*
 * One refresh of the supervisor's console on one year of history (goal:
 * <= 50 ms a refresh).
 *
 * First writes the history with bench/history.sql as bench_report does
 * (YC_BENCH_SCALE, default 1) unless the cluster already has it, then
 * copies one busy day of the city hall 360981 (2025-06-10) onto today, so
 * that the console of the busiest office has a full day of tickets to
 * count; the year's open cases (the last month of 2025, mostly overdue by
 * now) feed yc.hall_due. A supervisor of 360981 (bench_super) signs in
 * through yc.login on the benchmark's own connection as the application
 * role (sessions are bound to the connection that signed in, 0009); one
 * refresh is yc.hall_windows + yc.hall_queue + yc.hall_hourly +
 * yc.hall_waits + yc.hall_due (50 rows, as the console asks), timed
 * together: median, min and max over 20 runs, after one warm-up. Also
 * prints whether the plans inside the functions read a history table
 * sequentially (auto_explain on a superuser connection).
 *
 * Needs a database named by the libpq environment (PGHOST, PGDATABASE,
 * PGUSER ...) reached as a superuser, with the migrations, the demo offices
 * and the catalogue (bench/run.sh prepares one); the application role on
 * the same host and database. Without it prints why and exits 0. Run from
 * the source tree (reads bench/history.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "store/db.h"

#include "benchlib.h"

#define RUNS 20
#define OFFICE "360981"
#define PASSWORD "Bench-Secret-8"

static const char *const refresh_sql[] = {
	"SELECT * FROM yc.hall_windows($1::bigint, NULL)",
	"SELECT * FROM yc.hall_queue($1::bigint, NULL)",
	"SELECT * FROM yc.hall_hourly($1::bigint, NULL)",
	"SELECT * FROM yc.hall_waits($1::bigint, NULL)",
	"SELECT * FROM yc.hall_due($1::bigint, NULL, 50)",
};
#define NSQL (int)(sizeof refresh_sql / sizeof refresh_sql[0])

/* Today's tickets of the city hall (a copy of 2025-06-10 when it has none)
 * and the supervisor bench_super. */
static int
prepare(struct db *db)
{
	static const char *const sql =
	    "INSERT INTO yc.ticket (office_code, day, class, seq, number, status, window_no, issued_at,"
	    "  called_at, started_at, finished_at, last_called_at)"
	    " SELECT t.office_code, yc.queue_day(now()), t.class, t.seq, t.number, t.status, t.window_no,"
	    "  t.issued_at + d.shift, t.called_at + d.shift, t.started_at + d.shift,"
	    "  t.finished_at + d.shift, t.last_called_at + d.shift"
	    "  FROM yc.ticket t, (SELECT (yc.queue_day(now()) - date '2025-06-10') * interval '1 day'"
	    "  AS shift) d"
	    " WHERE t.office_code = '" OFFICE "' AND t.day = date '2025-06-10'"
	    "  AND NOT EXISTS (SELECT 1 FROM yc.ticket x WHERE x.office_code = '" OFFICE "'"
	    "   AND x.day = yc.queue_day(now()));"
	    "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
	    " VALUES ('bench_super', '压测值班长', 'supervisor', '" OFFICE "',"
	    "  yc.hash_password('" PASSWORD "'))"
	    " ON CONFLICT (staff_no) DO UPDATE SET active = true, failed_logins = 0, locked_until = NULL,"
	    "  password_hash = EXCLUDED.password_hash;"
	    "UPDATE yc.staff_session SET ended_at = now(), end_reason = 'logout'"
	    " WHERE staff_no = 'bench_super' AND ended_at IS NULL;"
	    "ANALYZE yc.ticket;";

	if (db_script(db, sql) != DB_OK) {
		fprintf(stderr, "bench_hall: preparing today: %s\n", db_detail(db));
		return -1;
	}
	return 0;
}

/* The application role's connection: the superuser's conninfo with
 * user=yichuang_app. */
static PGconn *
app_connect(void)
{
	PGconn *c = PQconnectdb("user=yichuang_app");

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "bench_hall: application role: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

static long long
sign_in(PGconn *c)
{
	PGresult *r = PQexec(c, "SELECT result, session_id FROM yc.login('bench_super', '" PASSWORD
	    "', NULL, 'bench/bench_hall')");
	long long sid = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    strcmp(PQgetvalue(r, 0, 0), "ok") == 0)
		sid = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	else
		fprintf(stderr, "bench_hall: yc.login: %s %s\n",
		    PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "", PQerrorMessage(c));
	PQclear(r);
	return sid;
}

/* One refresh; ms, or -1. rows: the rows each call returned. */
static double
refresh(PGconn *c, const char *sid, int rows[NSQL])
{
	const char *p[] = { sid };
	double t0 = bench_now_ms();

	for (int i = 0; i < NSQL; i++) {
		PGresult *r = PQexecParams(c, refresh_sql[i], 1, NULL, p, NULL, NULL, 0);

		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1 ||
		    strcmp(PQgetvalue(r, 0, 0), "ok") != 0) {
			fprintf(stderr, "bench_hall: %s: %s %s\n", refresh_sql[i],
			    PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "(no row)", PQerrorMessage(c));
			if (i < NSQL - 1 || PQresultStatus(r) != PGRES_TUPLES_OK) {
				PQclear(r);
				return -1;
			}
		}
		rows[i] = PQntuples(r);
		PQclear(r);
	}
	return bench_now_ms() - t0;
}

/* The plans of the statements inside the functions (auto_explain, nested
 * statements), on a superuser connection that the session is not bound to:
 * it is trusted with any session id. */
static void
check_plans(const char *sid)
{
	static const char *const tables[] = { "ticket", "service_case", "case_stage", "case_material",
		"staff_session" };
	const char *p[] = { sid };
	PGconn *c = bench_plans_open();

	for (int i = 0; i < NSQL; i++)
		PQclear(PQexecParams(c, refresh_sql[i], 1, NULL, p, NULL, NULL, 0));
	bench_plans_report(c, tables, sizeof tables / sizeof tables[0]);
}

int
main(void)
{
	struct db *db;
	PGconn *app;
	long long session;
	char sid[24];
	double ms[RUNS];
	int rows[NSQL], rc;

	if ((db = bench_open("bench_hall", &rc)) == NULL)
		return rc;
	if (prepare(db) != 0)
		return 1;
	printf("bench_hall: office %s today: %lld tickets; open cases of its jurisdiction: %lld\n", OFFICE,
	    bench_query_ll(db, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND day = yc.queue_day(now())"),
	    bench_query_ll(db, "SELECT count(*) FROM yc.service_case WHERE office_code LIKE '" OFFICE "%'"
	    " AND status NOT IN ('finished', 'rejected', 'cancelled')"));
	if ((app = app_connect()) == NULL || (session = sign_in(app)) < 0)
		return 1;
	snprintf(sid, sizeof sid, "%lld", session);
	check_plans(sid);
	if (refresh(app, sid, rows) < 0)	/* warm the plan caches */
		return 1;
	for (int i = 0; i < RUNS; i++)
		if ((ms[i] = refresh(app, sid, rows)) < 0)
			return 1;
	bench_sort(ms, RUNS);
	printf("bench_hall: rows per refresh: windows %d, queue %d, hourly %d, waits %d, due %d\n",
	    rows[0], rows[1], rows[2], rows[3], rows[4]);
	printf("bench_hall: %-40s median %.1f ms (min %.1f, max %.1f) over %d runs\n",
	    "console refresh, office " OFFICE, ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS);
	{
		const char *p[] = { sid };

		PQclear(PQexecParams(app, "SELECT yc.logout($1::bigint, 'logout')", 1, NULL, p, NULL, NULL, 0));
	}
	PQfinish(app);
	db_close(&db);
	return 0;
}
