/*
 * 生育津贴“免申即享” (db/functions/proactive.sql): one run of the job that
 * opens the 生育津贴支付 cases itself, the month after a 生育医疗费支付
 * case was finished, through yc.proactive_run on the job's connection (the
 * role yichuang_jobs). The whole run is one transaction on the server,
 * under its advisory lock: a second run at the same time waits for it and
 * then finds nothing left to do.
 */
#ifndef YC_STORE_PROACTIVE_H
#define YC_STORE_PROACTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

enum proactive_outcome {
	PRO_OPENED,		/* the 津贴 case was opened */
	PRO_NO_INSURANCE,	/* no employee insurance at the delivery: no case, decided */
	PRO_DUPLICATE,		/* a 津贴 case of that delivery exists (case_no): decided */
	PRO_NO_OFFICE,		/* no office at or above the source's offers the type */
	PRO_UNKNOWN_TYPE,	/* the catalogue lacks 002036007004 */
	PRO_CALENDAR,		/* the promised date lies beyond the loaded calendar */
	PRO_NUMBERS,		/* the office's case numbers of the day are used up */
	PRO_OTHER		/* an outcome this build does not know */
};

/* One source case the run decided on or was refused for. Texts are ""
 * when absent. */
struct proactive_row {
	enum proactive_outcome outcome;
	char source_case[32];
	char id_masked[24];
	char case_no[32], office[16];	/* the case opened (PRO_DUPLICATE: the unit's) */
	char unit_name[256];
	char promised[11];		/* YYYY-MM-DD */
	bool provisional;		/* promised lies in a provisional calendar year */
};

enum proactive_result {
	PROACTIVE_OK,
	PROACTIVE_FUTURE,	/* the day is after the server's today: nothing done */
	PROACTIVE_DB_LOST,
	PROACTIVE_DB_ERROR	/* db_detail() says what */
};

/*
 * Runs the job for day (YYYY-MM-DD; NULL: the server's today): *rows (a
 * malloc'd array the caller frees; NULL when none) and *n the source cases
 * decided or refused, in the order of their 办结. On anything but
 * PROACTIVE_OK, *rows is NULL and *n 0.
 */
enum proactive_result proactive_run(struct db *db, const char *day, struct proactive_row **rows,
    size_t *n);

/* Whether an outcome counts as a failure of the run (the source case is
 * tried again by the next run). */
bool proactive_failed(enum proactive_outcome o);

#endif
