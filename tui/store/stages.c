/*
 * The back office through the server-side functions of
 * db/migrations/0007_backoffice.sql; see stages.h. Every function here is
 * one parameterised query run as the staff session; the server checks who
 * may act, computes the dates from the official calendar, audits and
 * announces, and answers with a result text mapped to enum cases_result.
 * The calls that change a stage pass no stage number (the server then acts
 * on the case's current stage).
 */
#include "store/stages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The result texts of the 0007 functions. */
static const struct {
	const char *text;
	enum cases_result r;
} stages_results[] = {
	{ "ok", CASES_OK },
	{ "no_session", CASES_NO_SESSION },
	{ "not_found", CASES_NOT_FOUND },
	{ "not_allowed", CASES_NOT_ALLOWED },
	{ "not_pending", CASES_NOT_PENDING },
	{ "bad_input", CASES_BAD_INPUT },
	{ "reason_needed", CASES_REASON_NEEDED },
	{ "numbers_exhausted", CASES_NUMBERS_EXHAUSTED },
	{ "calendar", CASES_CALENDAR },
	{ "deferred_missing", CASES_DEFERRED_MISSING },
	{ "bad_tracking", CASES_BAD_TRACKING },
	{ "address_needed", CASES_ADDRESS_NEEDED },
	{ "bad_text", CASES_BAD_TEXT },
};

#define STAGES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The result of a query whose first column is the result text: the
 * database status when it failed (res NULL); CASES_DB_ERROR for too few
 * columns, a NULL or unknown text, or no row (unless empty_ok: an empty
 * list is CASES_OK).
 */
static enum cases_result
stages_result_of(const PGresult *res, enum db_status st, int min_cols, bool empty_ok)
{
	if (res == NULL)
		return st == DB_LOST ? CASES_DB_LOST : CASES_DB_ERROR;
	if (PQnfields(res) < min_cols)
		return CASES_DB_ERROR;
	if (PQntuples(res) == 0)
		return empty_ok ? CASES_OK : CASES_DB_ERROR;
	if (PQgetisnull(res, 0, 0))
		return CASES_DB_ERROR;
	for (size_t i = 0; i < STAGES_COUNT(stages_results); i++)
		if (strcmp(PQgetvalue(res, 0, 0), stages_results[i].text) == 0)
			return stages_results[i].r;
	return CASES_DB_ERROR;
}

/* The stage number argument: NULL (not checked) when negative. */
static const char *
stages_stage(char buf[16], int stage_no)
{
	if (stage_no < 0)
		return NULL;
	snprintf(buf, 16, "%d", stage_no);
	return buf;
}

/* NULL for NULL or "": an optional text argument. */
static const char *
stages_opt(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* Runs a query returning one result text (and maybe more columns): the
 * result, and the first row in *out (PQclear it) when CASES_OK. */
static enum cases_result
stages_call(struct db *db, const char *sql, int n, const char *const *p, int cols, PGresult **out)
{
	enum db_status st;
	PGresult *res = db_query(db, &st, sql, n, p);
	enum cases_result r = stages_result_of(res, st, cols, false);

	if (r == CASES_OK && out != NULL) {
		*out = res;
		return r;
	}
	PQclear(res);
	return r;
}

static void
stages_item_from(const PGresult *res, int row, struct stage_item *it)
{
	memset(it, 0, sizeof *it);
	DB_COPY(it->office_code, res, row, 1);
	DB_COPY(it->case_no, res, row, 2);
	DB_COPY(it->type_name, res, row, 3);
	DB_COPY(it->person_name, res, row, 4);
	it->stage_no = db_int(res, row, 5);
	it->nstages = db_int(res, row, 6);
	DB_COPY(it->stage_name, res, row, 7);
	DB_COPY(it->tier, res, row, 8);
	DB_COPY(it->started, res, row, 9);
	DB_COPY(it->due, res, row, 10);
	it->remaining = db_int(res, row, 11);
	it->days = db_int(res, row, 12);
	DB_COPY(it->promised, res, row, 13);
}

int
stages_queue(struct db *db, long long session, struct stage_item *out, int max,
    enum cases_result *res_out)
{
	char sid[24], lim[16];
	const char *p[] = { sid, lim };
	enum db_status st;
	PGresult *res;
	enum cases_result r;
	int n = 0;

	db_id(sid, session);
	snprintf(lim, sizeof lim, "%d", max > 0 ? max : 1);
	res = db_query(db, &st, "SELECT result, office_code, case_no, type_name, person_name, "
	    "stage_no, nstages, stage_name, tier, started, due, remaining, days, promised "
	    "FROM yc.stage_queue($1::bigint, $2::int)", 2, p);
	r = stages_result_of(res, st, 14, true);
	for (int i = 0; r == CASES_OK && i < PQntuples(res) && n < max; i++)
		stages_item_from(res, i, &out[n++]);
	PQclear(res);
	if (res_out != NULL)
		*res_out = r;
	return r == CASES_OK ? n : -1;
}

char *
stages_case(struct db *db, long long session, const char *case_no, enum cases_result *res_out)
{
	char sid[24];
	const char *p[] = { sid, case_no };
	PGresult *res = NULL;
	enum cases_result r;
	char *json = NULL;

	db_id(sid, session);
	r = stages_call(db, "SELECT result, body::text FROM yc.stage_case($1::bigint, $2)", 2, p, 2,
	    &res);
	if (r == CASES_OK) {
		if (PQgetisnull(res, 0, 1))
			r = CASES_DB_ERROR;
		else
			json = xstrdup(PQgetvalue(res, 0, 1));
		PQclear(res);
	}
	if (res_out != NULL)
		*res_out = r;
	return json;
}

enum cases_result
stages_complete(struct db *db, long long session, const char *case_no, int stage_no, const char *note)
{
	char sid[24], sno[16];
	const char *p[] = { sid, case_no, stages_opt(note), stages_stage(sno, stage_no) };

	db_id(sid, session);
	return stages_call(db, "SELECT yc.stage_complete($1::bigint, $2, $3, $4::int)", 4, p, 1, NULL);
}

enum cases_result
stages_return(struct db *db, long long session, const char *case_no, int stage_no, bool to_citizen,
    const char *reason, char notice_no[32])
{
	char sid[24], sno[16];
	const char *p[] = { sid, case_no, to_citizen ? "true" : "false", stages_opt(reason),
		stages_stage(sno, stage_no) };
	PGresult *res = NULL;
	enum cases_result r;

	db_id(sid, session);
	if (notice_no != NULL)
		notice_no[0] = '\0';
	r = stages_call(db, "SELECT result, notice_no "
	    "FROM yc.stage_return($1::bigint, $2, $3::boolean, $4, $5::int)", 5, p, 2, &res);
	if (r == CASES_OK) {
		if (notice_no != NULL)
			db_copy(notice_no, 32, PQgetvalue(res, 0, 1));
		PQclear(res);
	}
	return r;
}

enum cases_result
stages_finish(struct db *db, long long session, const char *case_no, int stage_no, const char *result)
{
	char sid[24], sno[16];
	const char *p[] = { sid, case_no, stages_opt(result), stages_stage(sno, stage_no) };

	db_id(sid, session);
	return stages_call(db, "SELECT yc.stage_finish($1::bigint, $2, $3, $4::int)", 4, p, 1, NULL);
}

enum cases_result
stages_extend(struct db *db, long long session, const char *case_no, int limit_days,
    const char *reason, char promised[11])
{
	char sid[24], lim[16];
	const char *p[] = { sid, case_no, lim, stages_opt(reason) };
	PGresult *res = NULL;
	enum cases_result r;

	db_id(sid, session);
	snprintf(lim, sizeof lim, "%d", limit_days);
	if (promised != NULL)
		promised[0] = '\0';
	r = stages_call(db, "SELECT result, promised "
	    "FROM yc.stage_extend($1::bigint, $2, $3::int, $4)", 4, p, 2, &res);
	if (r == CASES_OK) {
		if (promised != NULL)
			db_copy(promised, 11, PQgetvalue(res, 0, 1));
		PQclear(res);
	}
	return r;
}

enum cases_result
stages_mail_out(struct db *db, long long session, const char *case_no, const char *tracking,
    const char *contents, const char *address)
{
	char sid[24];
	const char *p[] = { sid, case_no, stages_opt(tracking), stages_opt(contents), stages_opt(address) };

	db_id(sid, session);
	return stages_call(db, "SELECT result FROM yc.case_mail_out($1::bigint, $2, $3, $4, $5)", 5, p, 1,
	    NULL);
}

enum cases_result
stages_reassign(struct db *db, long long session, const char *from_staff, const char *to_staff,
    int *moved)
{
	char sid[24];
	const char *p[] = { sid, from_staff, to_staff };
	PGresult *res = NULL;
	enum cases_result r;

	db_id(sid, session);
	if (moved != NULL)
		*moved = 0;
	r = stages_call(db, "SELECT result, moved FROM yc.stage_reassign($1::bigint, $2, $3)", 3, p,
	    2, &res);
	if (r == CASES_OK) {
		if (moved != NULL)
			*moved = db_int(res, 0, 1);
		PQclear(res);
	}
	return r;
}
