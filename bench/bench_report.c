/*
 * The daily report on one year of history (goal: <= 200 ms a report).
 *
 * First writes the history with bench/history.sql (about 2 M tickets and
 * 1 M cases at scale 1; YC_BENCH_SCALE=0.1 for a tenth) unless the cluster
 * already has it. Then, for the busiest office (the city hall, 3,300
 * tickets and 1,650 cases a day at scale 1) and a township, on 20 days
 * spread over the year: the two queries `yichuang report daily` runs
 * (yc.report_daily_staff and yc.report_daily_types), timed together, and
 * the whole command (connect, both queries, text layout, written to
 * /dev/null) when YC_TEST_BIN names the binary. Also checks that the plans
 * read the history tables by index only (no sequential scan).
 *
 * Needs a database named by the libpq environment (PGHOST, PGDATABASE,
 * PGUSER ...) reached as a superuser, with the migrations, the demo offices
 * and the catalogue (bench/run.sh prepares one). Without it prints why and
 * exits 0. Run from the source tree (reads bench/history.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"

#include "benchlib.h"

#define DAYS 20

static const char *const staff_sql =
    "SELECT is_total, staff_no, staff_name, served, no_show, avg_wait_s, avg_service_s, "
    "grade1, grade2, grade3, grade4, grade5 FROM yc.report_daily_staff($1, $2::date)";
static const char *const types_sql =
    "SELECT is_total, case_type_code, case_type_name, accepted, immediate, finished, overdue, "
    "supplement, deferred FROM yc.report_daily_types($1, $2::date)";

/* The 20 days: 2025-01-08 and every 18 days after. */
static void
day_of(int i, char out[11])
{
	struct tm tm = { .tm_year = 125, .tm_mon = 0, .tm_mday = 8 + 18 * i, .tm_hour = 12 };

	mktime(&tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Both queries of one report; ms, or -1. */
static double
one_report(struct db *db, const char *office, const char *day)
{
	const char *params[2] = { office, day };
	double t0 = bench_now_ms();
	PGresult *a = db_query(db, NULL, staff_sql, 2, params);
	PGresult *b = a != NULL ? db_query(db, NULL, types_sql, 2, params) : NULL;
	double t = bench_now_ms() - t0;

	if (b == NULL) {
		fprintf(stderr, "bench_report: %s\n", db_detail(db));
		t = -1;
	}
	PQclear(a);
	PQclear(b);
	return t;
}

static void
print_stats(const char *what, double *ms, int n)
{
	bench_sort(ms, n);
	printf("bench_report: %-40s median %.1f ms (min %.1f, max %.1f) over %d days\n", what,
	    ms[n / 2], ms[0], ms[n - 1], n);
}

/* The plans of the statements inside the report functions (auto_explain,
 * nested statements, sent to this client): prints whether a history table
 * is read by a sequential scan. */
static void
check_plans(const char *office, const char *day)
{
	static const char *const tables[] = { "ticket", "service_case", "notice", "rating", "staff_session" };
	const char *params[2] = { office, day };
	PGconn *c = bench_plans_open();

	PQclear(PQexecParams(c, staff_sql, 2, NULL, params, NULL, NULL, 0));
	PQclear(PQexecParams(c, types_sql, 2, NULL, params, NULL, NULL, 0));
	bench_plans_report(c, tables, sizeof tables / sizeof tables[0]);
}

static double
run_cli(const char *bin, const char *office, const char *day)
{
	double t0 = bench_now_ms();
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execl(bin, bin, "report", "daily", "--office", office, "--date", day, "--to", "file:/dev/null",
		    (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return bench_now_ms() - t0;
}

int
main(void)
{
	static const char *const offices[] = { "360981", "360981101" };
	const char *bin = getenv("YC_TEST_BIN");
	struct db *db;
	double ms[DAYS];
	char day[11];
	int rc;

	if ((db = bench_open("bench_report", &rc)) == NULL)
		return rc;
	printf("bench_report: %lld tickets, %lld cases, %lld notices, %lld ratings\n",
	    bench_query_ll(db, "SELECT count(*) FROM yc.ticket"),
	    bench_query_ll(db, "SELECT count(*) FROM yc.service_case"),
	    bench_query_ll(db, "SELECT count(*) FROM yc.notice"),
	    bench_query_ll(db, "SELECT count(*) FROM yc.rating"));
	check_plans(offices[0], "2025-06-10");
	for (int o = 0; o < 2; o++) {
		char what[80];

		day_of(DAYS / 2, day);
		one_report(db, offices[o], day);	/* warm the plan cache */
		for (int i = 0; i < DAYS; i++) {
			day_of(i, day);
			if ((ms[i] = one_report(db, offices[o], day)) < 0)
				return 1;
		}
		snprintf(what, sizeof what, "report queries, office %s", offices[o]);
		print_stats(what, ms, DAYS);
	}
	if (bin != NULL) {
		for (int i = 0; i < DAYS; i++) {
			day_of(i, day);
			if ((ms[i] = run_cli(bin, offices[0], day)) < 0) {
				fprintf(stderr, "bench_report: %s report daily failed\n", bin);
				return 1;
			}
		}
		print_stats("yichuang report daily, office 360981", ms, DAYS);
	}
	db_close(&db);
	return 0;
}
