/*
 * A case closed before 办结 (db/functions/closing.sql): 撤回, the citizen
 * withdraws their own open case at any window that may see it (clerks and
 * supervisors); 终止办理, a supervisor ends an open case of which a
 * deferred (容缺) material is past its supply-by date, as the 承诺书 says.
 *
 * Each is one call of a server-side function, run as the staff session in
 * one transaction: the case closed (status cancelled, closed as withdrawn
 * or terminated), its open stages closed, its outstanding deferred
 * materials no longer asked for, a numbered notice (the 撤回申请确认书 or
 * the 终止办理告知书, printed with the templates withdrawal-notice and
 * termination-notice), a case event, an audit row and a NOTIFY. Results as
 * in cases.h: CASES_OK; CASES_NOT_ALLOWED (a role that takes no cases;
 * termination: not a supervisor, or a case outside the supervisor's
 * office and the offices below it), CASES_NOT_FOUND (or not visible),
 * CASES_CLOSED, CASES_NOT_PENDING (not open otherwise), CASES_NOT_OVERDUE
 * (termination only), CASES_BAD_INPUT (a reason over 500 characters),
 * CASES_NUMBERS_EXHAUSTED, CASES_NO_SESSION, CASES_DB_LOST, CASES_DB_ERROR.
 */
#ifndef YC_STORE_CLOSING_H
#define YC_STORE_CLOSING_H

#include "store/cases.h"

/* 撤回 with the citizen's reason (NULL or "": the server's default,
 * 申请人主动申请撤回); notice_no (may be NULL) gets the number of the
 * 撤回申请确认书, "" on failure. */
enum cases_result closing_withdraw(struct db *db, long long session, const char *case_no,
    const char *reason, char notice_no[32]);
/* 终止办理 with the reason (NULL or "": the server's default); notice_no
 * as above, the 终止办理告知书's. */
enum cases_result closing_terminate(struct db *db, long long session, const char *case_no,
    const char *reason, char notice_no[32]);

#endif
