/* What the benchmarks share; see benchlib.h. */
#include "benchlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "util/file.h"

static const char *bench_name = "bench";
static char bench_plans[1 << 18];

double
bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void
bench_sort(double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof *ms, bench_cmp_double);
}

long long
bench_query_ll(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, NULL, sql, 0, NULL);
	long long v = -1;

	if (res != NULL && PQntuples(res) == 1)
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		fprintf(stderr, "%s: %s\n  %s\n", bench_name, sql, db_detail(db));
	PQclear(res);
	return v;
}

/* Writes the history with bench/history.sql unless a township of the demo
 * has tickets already; 0, or -1 after saying why. */
static int
bench_generate(struct db *db)
{
	const char *scale = getenv("YC_BENCH_SCALE");
	char *sql, *set;
	double t0;

	if (bench_query_ll(db, "SELECT count(*) FROM yc.ticket WHERE office_code = '360981101'") > 0) {
		printf("%s: history already present\n", bench_name);
		return 0;
	}
	if (scale == NULL || *scale == '\0')
		scale = "1";
	if (strspn(scale, "0123456789.") != strlen(scale)) {
		fprintf(stderr, "%s: YC_BENCH_SCALE must be a number\n", bench_name);
		return -1;
	}
	if ((sql = file_read("bench/history.sql", 1 << 20, NULL)) == NULL) {
		fprintf(stderr, "%s: bench/history.sql: %s\n", bench_name, strerror(errno));
		return -1;
	}
	set = NULL;
	if (asprintf(&set, "SET client_min_messages = warning; SET yc_bench.scale = '%s'", scale) < 0)
		abort();
	t0 = bench_now_ms();
	if (db_script(db, set) != DB_OK || db_script(db, sql) != DB_OK) {
		fprintf(stderr, "%s: history.sql: %s\n", bench_name, db_detail(db));
		free(set);
		free(sql);
		return -1;
	}
	printf("%s: history at scale %s written in %.1f s\n", bench_name, scale,
	    (bench_now_ms() - t0) / 1e3);
	free(set);
	free(sql);
	return 0;
}

struct db *
bench_open(const char *name, int *exit_status)
{
	struct db *db;

	bench_name = name;
	*exit_status = 0;
	if (getenv("PGHOST") == NULL && getenv("PGHOSTADDR") == NULL &&
	    getenv("PGDATABASE") == NULL && getenv("PGSERVICE") == NULL) {
		printf("%s: skipped (no database in the libpq environment)\n", name);
		return NULL;
	}
	*exit_status = 1;
	db = db_open("");
	if (!db_connected(db)) {
		fprintf(stderr, "%s: %s\n", name, db_detail(db));
		db_close(&db);
		return NULL;
	}
	if (bench_generate(db) != 0) {
		db_close(&db);
		return NULL;
	}
	*exit_status = 0;
	return db;
}

static void
bench_collect_notice(void *arg, const char *msg)
{
	size_t len = strlen(bench_plans);

	(void)arg;
	snprintf(bench_plans + len, sizeof bench_plans - len, "%s", msg);
}

PGconn *
bench_plans_open(void)
{
	PGconn *c = PQconnectdb("");

	PQsetNoticeProcessor(c, bench_collect_notice, NULL);
	PQclear(PQexec(c, "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; "
	    "SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice; "
	    "SET client_min_messages = notice"));
	bench_plans[0] = '\0';
	return c;
}

void
bench_plans_report(PGconn *c, const char *const *tables, size_t n)
{
	int seq = 0;

	for (size_t t = 0; t < n; t++) {
		char pat[64];

		snprintf(pat, sizeof pat, "Seq Scan on %s ", tables[t]);
		if (strstr(bench_plans, pat) != NULL) {
			printf("%s: a plan reads %s sequentially\n", bench_name, tables[t]);
			seq++;
		}
	}
	if (bench_plans[0] == '\0')
		printf("%s: plans not available (auto_explain)\n", bench_name);
	else if (seq == 0)
		printf("%s: plans read the history by index only (no sequential scan)\n", bench_name);
	if (getenv("YC_BENCH_PLANS") != NULL)
		fputs(bench_plans, stdout);
	PQfinish(c);
}
