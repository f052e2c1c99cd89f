/*
 * The history step of the periodic job (db/functions/history.sql): the
 * monthly partitions of yc.audit_log, yc.case_event and yc.ticket made for the day's
 * month and the three after it, the rows that landed in a DEFAULT
 * partition moved to their months, and the audit partitions older than
 * audit_retention_months (never fewer than 6) dropped, each drop audited,
 * through yc.history_run on the job's connection (the role
 * yichuang_jobs). One transaction on the server: a failure keeps nothing
 * of the step, and the next run does it.
 */
#ifndef YC_STORE_HISTORY_H
#define YC_STORE_HISTORY_H

#include <stddef.h>

#include "store/db.h"

enum history_action {
	HIST_CREATED,		/* a month's partition was created (table, part, month) */
	HIST_MOVED,		/* rows of table's DEFAULT partition went to their months */
	HIST_KEPT,		/* tickets (rows) stay in DEFAULT: their months were not made */
	HIST_DROPPED,		/* an audit partition past retention was dropped (part, month, rows) */
	HIST_CLAMPED,		/* the stored setting (rows) is below 6: months were kept instead */
	HIST_OTHER		/* an action this build does not know */
};

/* One thing the step did. Texts are "" when absent. */
struct history_row {
	enum history_action action;
	char table[32];		/* yc.audit_log, yc.case_event, yc.ticket */
	char part[48];		/* yc.audit_log_202612 */
	char month[8];		/* YYYY-MM */
	long long rows;
	int months;
};

/* What the step did as a whole. */
struct history_result {
	struct history_row *rows;	/* malloc'd, the caller frees; NULL when none */
	size_t n;
	int months;			/* months of audit log kept */
	char cutoff[11];		/* YYYY-MM-DD: whole months ending by then were dropped */
};

enum history_status {
	HISTORY_OK,
	HISTORY_FUTURE,		/* the day is after the server's today: nothing done */
	HISTORY_LOCKED,		/* a table lock was not had within the step's lock_timeout */
	HISTORY_DB_LOST,
	HISTORY_DB_ERROR	/* db_detail() says what */
};

/*
 * Runs the step for day (YYYY-MM-DD; NULL: the server's today). On
 * HISTORY_OK, *out holds what was done in order; otherwise out->rows is
 * NULL and out->n 0.
 */
enum history_status history_run(struct db *db, const char *day, struct history_result *out);

#endif
