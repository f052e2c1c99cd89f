/*
 * The daily report (日报) of one office from the database, into the plain
 * struct the model lays out (model/report.h).
 *
 * Two ways in: an administrator's connection reads any office through the
 * functions of db/migrations/0008_reports.sql (session 0); a staff session
 * on the application role reads through those of 0013_report_console.sql,
 * which the server allows only to a supervisor and only for the session's
 * office or an office below it.
 */
#ifndef YC_DAILY_H
#define YC_DAILY_H

#include "model/report.h"
#include "store/db.h"

enum daily_result {
	DAILY_OK,
	DAILY_NO_SESSION,	/* the staff session is closed */
	DAILY_NOT_ALLOWED,	/* not a supervisor, or an office outside the jurisdiction */
	DAILY_UNKNOWN_OFFICE,
	DAILY_NOT_BEGUN,	/* monthly: the month lies after today */
	DAILY_DB_LOST,
	DAILY_DB_ERROR
};

/* Fills *out (report_daily_free frees it) with the report of office on
 * date (YYYY-MM-DD, checked by the caller) as session, or as the
 * connection's own role when session is 0. On anything but DAILY_OK *out
 * is left empty. */
enum daily_result daily_fetch(struct db *db, long long session, const char *office,
    const char *date, struct report_daily *out);

/* Fills *out (report_offices_free frees it) with the per-office report
 * (yc.report_offices) of office, alone or with below the offices below
 * it: monthly false, the day from (YYYY-MM-DD); monthly true, the month
 * starting on from (YYYY-MM-01) up to its last day or today (Asia/Shanghai),
 * whichever comes first. DAILY_NOT_BEGUN: the month starts after today.
 * session as for daily_fetch. On anything but DAILY_OK *out is empty. */
enum daily_result daily_offices_fetch(struct db *db, long long session, const char *office,
    const char *from, bool monthly, bool below, struct report_offices *out);

/* One message for the user per result (translated). */
const char *daily_result_message(enum daily_result r);

#endif
