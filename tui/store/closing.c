/*
 * Withdrawal and termination through yc.case_withdraw and
 * yc.case_terminate (db/functions/closing.sql); see closing.h. One
 * parameterised query each, run as the staff session.
 */
#include "store/closing.h"

#include <string.h>

/* The result texts of the two functions. */
static const struct {
	const char *text;
	enum cases_result r;
} closing_results[] = {
	{ "ok", CASES_OK },
	{ "no_session", CASES_NO_SESSION },
	{ "not_allowed", CASES_NOT_ALLOWED },
	{ "not_found", CASES_NOT_FOUND },
	{ "closed", CASES_CLOSED },
	{ "not_pending", CASES_NOT_PENDING },
	{ "not_overdue", CASES_NOT_OVERDUE },
	{ "bad_input", CASES_BAD_INPUT },
	{ "numbers_exhausted", CASES_NUMBERS_EXHAUSTED },
	{ "bad_text", CASES_BAD_TEXT },
};

/* Runs sql ($1 session, $2 case, $3 reason) returning (result,
 * notice_no); copies the number into notice_no when ok. */
static enum cases_result
closing_call(struct db *db, const char *sql, long long session, const char *case_no,
    const char *reason, char notice_no[32])
{
	char sid[24];
	const char *p[] = { sid, case_no, reason != NULL && *reason != '\0' ? reason : NULL };
	enum db_status st;
	enum cases_result r = CASES_DB_ERROR;
	PGresult *res;

	if (notice_no != NULL)
		notice_no[0] = '\0';
	db_id(sid, session);
	res = db_query(db, &st, sql, 3, p);
	if (res == NULL)
		return st == DB_LOST ? CASES_DB_LOST : CASES_DB_ERROR;
	if (PQntuples(res) == 1 && PQnfields(res) == 2 && !PQgetisnull(res, 0, 0)) {
		for (size_t i = 0; i < sizeof closing_results / sizeof closing_results[0]; i++)
			if (strcmp(PQgetvalue(res, 0, 0), closing_results[i].text) == 0)
				r = closing_results[i].r;
	}
	if (r == CASES_OK && notice_no != NULL)
		db_copy(notice_no, 32, PQgetvalue(res, 0, 1));
	PQclear(res);
	return r;
}

enum cases_result
closing_withdraw(struct db *db, long long session, const char *case_no, const char *reason,
    char notice_no[32])
{
	return closing_call(db, "SELECT result, notice_no FROM yc.case_withdraw($1::bigint, $2, $3)",
	    session, case_no, reason, notice_no);
}

enum cases_result
closing_terminate(struct db *db, long long session, const char *case_no, const char *reason,
    char notice_no[32])
{
	return closing_call(db, "SELECT result, notice_no FROM yc.case_terminate($1::bigint, $2, $3)",
	    session, case_no, reason, notice_no);
}
