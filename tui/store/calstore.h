/*
 * The working-day calendar in the database (db/migrations/0001_core.sql,
 * 0015_calendar_provisional.sql): official years loaded from the State
 * Council's notices, provisional years computed from the statutory rules
 * (model/holiday.h) for the years after the last official one, and what
 * the screens and commands ask of it.
 *
 * Loading functions run as the administrator (they write the calendar and
 * the cases an official year moves), each in one transaction: all or
 * nothing. Errors: -1 with a malloc'd English message in *err (for
 * administrators).
 */
#ifndef YC_STORE_CALSTORE_H
#define YC_STORE_CALSTORE_H

#include <stdbool.h>

#include "store/db.h"

/*
 * Loads an official calendar file (format of
 * db/calendar/cn-workday-calendar.tsv). Each year of the file replaces what
 * the database had for it, except that with only_new a year already
 * official is left as it is. A year that was provisional becomes official
 * and the open cases whose dates were counted through it are recomputed
 * (yc.calendar_recompute); *moved (may be NULL) gets how many had a date
 * changed. An official year after a year still provisional is refused,
 * and so is a year that does not give every statutory day of it off
 * (holiday_official_complete, by the statutory table at statutory, the
 * format of db/calendar/cn-statutory-dates.tsv): one line of a year is
 * not that year's calendar. Returns the number of years written, or -1.
 */
int calstore_load(struct db *db, const char *path, const char *statutory, bool only_new, int *moved,
    char **err);

/*
 * Writes the provisional years of the statutory table at path (format of
 * db/calendar/cn-statutory-dates.tsv): every year of the table after the
 * last official year, with its statutory days and 补假 (model/holiday.h),
 * when it is not loaded yet, or when it is provisional with other days
 * than the rules now give (a corrected table or rule): then the open cases
 * counted through it are recomputed as for an official year, and *moved
 * (may be NULL) gets how many had a date changed. Returns how many years
 * were written, or -1.
 */
int calstore_provisional(struct db *db, const char *path, int *moved, char **err);

/* The first provisional year in the database (every later loaded year is
 * provisional too), 0 when there is none, -1 when it cannot be read. */
int calstore_provisional_from(struct db *db);

/* The year whose official calendar is missing and wanted now
 * (yc.calendar_missing: this year, or next year from calendar_warn_from),
 * 0 when none, -1 when it cannot be read. */
int calstore_missing(struct db *db);

#endif
