/*
 * The back office (前台一窗受理，后台分办联办快办): accepted cases move
 * through the stages of their definition to 办结. Reviewers work the city
 * stages; township clerks work the township stages of the cases of their
 * office and the offices below it; a case accepted at a village or a
 * township goes up to the city when the township finishes its stage.
 *
 * Every operation is one call of a server-side function in
 * db/migrations/0007_backoffice.sql, run as the staff session, in one
 * transaction, audited (who, window, when, before/after) and announced on
 * the case's office channel (cases_channel()). Results as in cases.h.
 */
#ifndef YC_STAGES_H
#define YC_STAGES_H

#include <stdbool.h>

#include "store/cases.h"

/* A case waiting at a stage this session works. */
struct stage_item {
	char office_code[16];
	char case_no[32];
	char type_name[128];
	char person_name[64];
	int stage_no, nstages;
	char stage_name[128];
	char tier[12];			/* city township village */
	char started[11];		/* YYYY-MM-DD: when the stage began */
	char due[11];			/* the stage's due date */
	int remaining;			/* working days to due; < 0 overdue */
	int days;			/* the stage's limit */
	char promised[11];		/* the case's promised date */
};

/* The cases waiting at the stages the session works, earliest due first,
 * at most max; -1 with *res on failure. */
int stages_queue(struct db *db, long long session, struct stage_item *out, int max,
    enum cases_result *res);

/*
 * Everything about one case as JSON (malloc'd), for the case view: keys
 * case {office_name, case_no, type_code, type_name, limit, status,
 * status_name, person_name, id_no, channel, clerk, window, accepted,
 * promised, finished, result, stage_no}, form [{label, value}], materials
 * [{no, name, form, state, state_name, due}], notices [{notice_no, kind,
 * issued}], stages [{no, name, tier, days, started, due, finished}],
 * events [{at, staff, kind, text}] (the full history, oldest first).
 * NULL with *res when not found or not in the session's jurisdiction.
 */
char *stages_case(struct db *db, long long session, const char *case_no, enum cases_result *res);

/*
 * The three actions on the current stage take the stage number the clerk
 * was looking at (stage_no; 0: waiting for 办结 after the last stage; -1:
 * not checked): when the case has moved on
 * meanwhile (a second key press, another reviewer), nothing is done and
 * the result is CASES_NOT_PENDING.
 */

/* The current stage is done: the next one starts today (its due date
 * counted in working days from today), or, after the last stage, the case
 * waits for 办结 at the city. note may be NULL. */
enum cases_result stages_complete(struct db *db, long long session, const char *case_no, int stage_no,
    const char *note);
/* 退回 with a reason: to the previous stage (to_citizen false; from the
 * first stage not allowed), or to the citizen for 补正 (the case waits as
 * pending_supplement with a numbered notice carrying the reason). */
enum cases_result stages_return(struct db *db, long long session, const char *case_no, int stage_no,
    bool to_citizen, const char *reason, char notice_no[32]);
/* 办结 with the result text: finished, every open stage closed, and a row
 * in the notification outbox (yc.outbox) for the SMS / app sender. */
enum cases_result stages_finish(struct db *db, long long session, const char *case_no, int stage_no,
    const char *result);
/* 延期 (supervisors): extends the limit to at most the definition's
 * special limit, with a reason; *promised gets the new promised date. */
enum cases_result stages_extend(struct db *db, long long session, const char *case_no, int limit_days,
    const char *reason, char promised[11]);
/* 邮寄办: documents of a case mailed to the citizen, with the waybill
 * number, what the package holds (NULL: 办理文书) and the address (NULL:
 * the latest recorded for the case). */
enum cases_result stages_mail_out(struct db *db, long long session, const char *case_no,
    const char *tracking, const char *contents, const char *address);
/* Supervisors: the open cases of staff from_staff (首问负责 of an absent
 * clerk) go to to_staff of the same office; *moved gets how many. */
enum cases_result stages_reassign(struct db *db, long long session, const char *from_staff,
    const char *to_staff, int *moved);

#endif
