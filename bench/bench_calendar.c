/*
 * Loading an official year over open cases counted through it, on one year
 * of history (bench/history.sql: its last month's cases are still open,
 * their dates in the January after).
 *
 * Each run (not timed) makes the year after the history (2026) provisional
 * again, as `db migrate` does when its notice is not loaded: the year's
 * official rows go and the statutory ones come from
 * db/calendar/cn-statutory-dates.tsv. Then (timed) `calendar load` of the
 * official file db/calendar/cn-workday-calendar.tsv as calstore_load does
 * it: the year becomes official and yc.calendar_recompute goes through
 * every open case whose dates may have used it, in one transaction. Prints
 * the cases examined and moved and the time of the whole load.
 *
 * Environment as for bench_report (bench/run.sh prepares it). Without a
 * database prints why and exits 0. Run from the source tree.
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/calstore.h"
#include "store/db.h"

#include "benchlib.h"

#define RUNS 3
#define YEAR "2026"

static const char *const examined_sql =
    "SELECT count(*) FROM yc.service_case sc "
    "WHERE sc.status IN ('accepted', 'in_progress', 'pending_supplement') AND sc.accepted_at IS NOT NULL "
    "AND yc.queue_day(sc.accepted_at) < make_date(" YEAR " + 1, 1, 1) "
    "AND (sc.promised_date >= make_date(" YEAR ", 1, 1) "
    "OR EXISTS (SELECT 1 FROM yc.case_stage st WHERE st.office_code = sc.office_code "
    "AND st.case_no = sc.case_no AND st.finished_at IS NULL AND st.due_date >= make_date(" YEAR ", 1, 1)) "
    "OR EXISTS (SELECT 1 FROM yc.case_material cm WHERE cm.office_code = sc.office_code "
    "AND cm.case_no = sc.case_no AND cm.state = 'deferred' AND cm.due_date >= make_date(" YEAR ", 1, 1)))";

/* The year after the history provisional again; 0, or -1. */
static int
make_provisional(struct db *db)
{
	char *err = NULL;

	if (db_exec(db, "DELETE FROM yc.workday_adjustment WHERE day >= make_date(" YEAR ", 1, 1) "
	    "AND day < make_date(" YEAR " + 1, 1, 1)", 0, NULL) != DB_OK ||
	    db_exec(db, "DELETE FROM yc.calendar_year WHERE year = " YEAR, 0, NULL) != DB_OK ||
	    calstore_provisional(db, "db/calendar/cn-statutory-dates.tsv", NULL, &err) < 1) {
		fprintf(stderr, "bench_calendar: %s\n", err != NULL ? err : db_detail(db));
		free(err);
		return -1;
	}
	return 0;
}

int
main(void)
{
	struct db *db;
	double ms[RUNS];
	long long examined;
	int rc, moved[RUNS];

	if ((db = bench_open("bench_calendar", &rc)) == NULL)
		return rc;
	for (int i = 0; i < RUNS; i++) {
		char *err = NULL;
		double t0;

		if (make_provisional(db) != 0) {
			db_close(&db);
			return 1;
		}
		examined = bench_query_ll(db, examined_sql);
		t0 = bench_now_ms();
		if (calstore_load(db, "db/calendar/cn-workday-calendar.tsv",
		    "db/calendar/cn-statutory-dates.tsv", false, &moved[i], &err) < 0) {
			fprintf(stderr, "bench_calendar: %s\n", err);
			free(err);
			db_close(&db);
			return 1;
		}
		ms[i] = bench_now_ms() - t0;
		printf("bench_calendar: official %s over %lld open cases: %d moved, %.0f ms\n", YEAR, examined,
		    moved[i], ms[i]);
	}
	bench_sort(ms, RUNS);
	printf("bench_calendar: official year load with recompute: median %.0f ms (min %.0f, max %.0f) "
	    "over %d runs, %lld open cases examined\n", ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS, examined);
	db_close(&db);
	return 0;
}
