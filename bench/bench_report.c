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
#include "util/file.h"

#define DAYS 20

static const char *const staff_sql =
    "SELECT is_total, staff_no, staff_name, served, no_show, avg_wait_s, avg_service_s, "
    "grade1, grade2, grade3, grade4, grade5 FROM yc.report_daily_staff($1, $2::date)";
static const char *const types_sql =
    "SELECT is_total, case_type_code, case_type_name, accepted, immediate, finished, overdue, "
    "supplement, deferred FROM yc.report_daily_types($1, $2::date)";

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static long long
query_ll(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, NULL, sql, 0, NULL);
	long long v = -1;

	if (res != NULL && PQntuples(res) == 1)
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		fprintf(stderr, "bench_report: %s\n  %s\n", sql, db_detail(db));
	PQclear(res);
	return v;
}

/* The 20 days: 2025-01-08 and every 18 days after. */
static void
day_of(int i, char out[11])
{
	struct tm tm = { .tm_year = 125, .tm_mon = 0, .tm_mday = 8 + 18 * i, .tm_hour = 12 };

	mktime(&tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int
generate(struct db *db)
{
	const char *scale = getenv("YC_BENCH_SCALE");
	char *sql, *set;
	double t0;

	if (query_ll(db, "SELECT count(*) FROM yc.ticket WHERE office_code = '360981101'") > 0) {
		printf("bench_report: history already present\n");
		return 0;
	}
	if (scale == NULL || *scale == '\0')
		scale = "1";
	if (strspn(scale, "0123456789.") != strlen(scale)) {
		fprintf(stderr, "bench_report: YC_BENCH_SCALE must be a number\n");
		return -1;
	}
	if ((sql = file_read("bench/history.sql", 1 << 20, NULL)) == NULL) {
		perror("bench_report: bench/history.sql");
		return -1;
	}
	set = NULL;
	if (asprintf(&set, "SET client_min_messages = warning; SET yc_bench.scale = '%s'", scale) < 0)
		abort();
	t0 = now_ms();
	if (db_script(db, set) != DB_OK || db_script(db, sql) != DB_OK) {
		fprintf(stderr, "bench_report: history.sql: %s\n", db_detail(db));
		free(set);
		free(sql);
		return -1;
	}
	printf("bench_report: history at scale %s written in %.1f s\n", scale, (now_ms() - t0) / 1e3);
	free(set);
	free(sql);
	return 0;
}

/* Both queries of one report; ms, or -1. */
static double
one_report(struct db *db, const char *office, const char *day)
{
	const char *params[2] = { office, day };
	double t0 = now_ms();
	PGresult *a = db_query(db, NULL, staff_sql, 2, params);
	PGresult *b = a != NULL ? db_query(db, NULL, types_sql, 2, params) : NULL;
	double t = now_ms() - t0;

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
	qsort(ms, (size_t)n, sizeof *ms, cmp_double);
	printf("bench_report: %-40s median %.1f ms (min %.1f, max %.1f) over %d days\n", what,
	    ms[n / 2], ms[0], ms[n - 1], n);
}

static char plans[1 << 16];

static void
collect_notice(void *arg, const char *msg)
{
	size_t len = strlen(plans);

	(void)arg;
	snprintf(plans + len, sizeof plans - len, "%s", msg);
}

/* The plans of the statements inside the report functions (auto_explain,
 * nested statements, sent to this client): prints whether a history table
 * is read by a sequential scan. */
static void
check_plans(const char *office, const char *day)
{
	static const char *const tables[] = { "ticket", "service_case", "notice", "rating", "staff_session" };
	const char *params[2] = { office, day };
	PGconn *c = PQconnectdb("");
	PGresult *res;
	int seq = 0;

	PQsetNoticeProcessor(c, collect_notice, NULL);
	PQclear(PQexec(c, "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; "
	    "SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice; "
	    "SET client_min_messages = notice"));
	plans[0] = '\0';
	res = PQexecParams(c, staff_sql, 2, NULL, params, NULL, NULL, 0);
	PQclear(res);
	res = PQexecParams(c, types_sql, 2, NULL, params, NULL, NULL, 0);
	PQclear(res);
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		char pat[64];

		snprintf(pat, sizeof pat, "Seq Scan on %s ", tables[t]);
		if (strstr(plans, pat) != NULL) {
			printf("bench_report: the plan reads %s sequentially\n", tables[t]);
			seq++;
		}
	}
	if (plans[0] == '\0')
		printf("bench_report: plans not available (auto_explain)\n");
	else if (seq == 0)
		printf("bench_report: plans read the history by index only (no sequential scan)\n");
	if (getenv("YC_BENCH_PLANS") != NULL)
		fputs(plans, stdout);
	PQfinish(c);
}

static double
run_cli(const char *bin, const char *office, const char *day)
{
	double t0 = now_ms();
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execl(bin, bin, "report", "daily", "--office", office, "--date", day, "--to", "file:/dev/null",
		    (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return now_ms() - t0;
}

int
main(void)
{
	static const char *const offices[] = { "360981", "360981101" };
	const char *bin = getenv("YC_TEST_BIN");
	struct db *db;
	double ms[DAYS];
	char day[11];

	if (getenv("PGHOST") == NULL && getenv("PGHOSTADDR") == NULL &&
	    getenv("PGDATABASE") == NULL && getenv("PGSERVICE") == NULL) {
		printf("bench_report: skipped (no database in the libpq environment)\n");
		return 0;
	}
	db = db_open("");
	if (!db_connected(db)) {
		fprintf(stderr, "bench_report: %s\n", db_detail(db));
		return 1;
	}
	if (generate(db) != 0)
		return 1;
	printf("bench_report: %lld tickets, %lld cases, %lld notices, %lld ratings\n",
	    query_ll(db, "SELECT count(*) FROM yc.ticket"), query_ll(db, "SELECT count(*) FROM yc.service_case"),
	    query_ll(db, "SELECT count(*) FROM yc.notice"), query_ll(db, "SELECT count(*) FROM yc.rating"));
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
