/* Staff administration through db/functions/admin.sql; see staffstore.h. */
#include "store/staffstore.h"

#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

static const struct {
	const char *text;
	enum staffstore_result r;
	const char *msg;
} staffstore_results[] = {
	{ "ok", SS_OK, N_("Done.") },
	{ "no_session", SS_NO_SESSION, N_("Your session has ended. Sign in again.") },
	{ "not_allowed", SS_NOT_ALLOWED, N_("Only an administrator may manage staff accounts "
	    "(sign in as one, or run the command as the database owner).") },
	{ "out_of_jurisdiction", SS_OUT_OF_JURISDICTION, N_("That account or office is outside "
	    "your office and the offices below it.") },
	{ "not_found", SS_NOT_FOUND, N_("There is no staff member with that staff number.") },
	{ "exists", SS_EXISTS, N_("That staff number is already taken.") },
	{ "bad_staff_no", SS_BAD_STAFF_NO, N_("A staff number has 3 to 32 small letters, digits "
	    "or underscores.") },
	{ "bad_name", SS_BAD_NAME, N_("Enter the name (at most 40 characters).") },
	{ "bad_role", SS_BAD_ROLE, N_("The role is one of clerk, reviewer, supervisor, admin, "
	    "guide.") },
	{ "unknown_office", SS_UNKNOWN_OFFICE, N_("There is no office with that code.") },
	{ "bad_input", SS_BAD_INPUT, N_("The state is one of all, active, disabled, locked, "
	    "must_change.") },
	{ "self", SS_SELF, N_("Not your own account: another administrator disables, moves or "
	    "resets it; change your own password with P on the workbench.") },
	{ "last_admin", SS_LAST_ADMIN, N_("This is the last administrator of the office (a county or "
	    "above): add or enable another administrator there first.") },
	{ "unchanged", SS_UNCHANGED, N_("Nothing to change: the account is already so.") },
	{ "not_locked", SS_NOT_LOCKED, N_("The account is not locked.") },
};

const char *
staffstore_message(enum staffstore_result r)
{
	if (r == SS_DB_LOST)
		return _("The database connection was lost. Try again in a moment.");
	for (size_t i = 0; i < sizeof staffstore_results / sizeof staffstore_results[0]; i++)
		if (staffstore_results[i].r == r)
			return _(staffstore_results[i].msg);
	return _("The database refused the request. Call the administrator.");
}

static enum staffstore_result
staffstore_parse(const char *text)
{
	for (size_t i = 0; i < sizeof staffstore_results / sizeof staffstore_results[0]; i++)
		if (strcmp(text, staffstore_results[i].text) == 0)
			return staffstore_results[i].r;
	return SS_DB_ERROR;
}

bool
staffstore_role_ok(const char *role)
{
	static const char *const roles[] = { "clerk", "reviewer", "supervisor", "admin", "guide" };

	for (size_t i = 0; role != NULL && i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(role, roles[i]) == 0)
			return true;
	return false;
}

/* The session as a parameter: NULL for 0 (the database owner). */
static const char *
staffstore_session(char buf[24], long long session)
{
	if (session == 0)
		return NULL;
	db_id(buf, session);
	return buf;
}

/* Runs a function whose first column is the result; *res is kept for the
 * caller (NULL unless SS_OK or a row came back). */
static enum staffstore_result
staffstore_call(struct db *db, const char *sql, int n, const char *const *p, PGresult **res)
{
	enum db_status st;
	PGresult *r = db_query(db, &st, sql, n, p);
	enum staffstore_result out;

	*res = NULL;
	if (r == NULL)
		return st == DB_LOST ? SS_DB_LOST : SS_DB_ERROR;
	if (PQntuples(r) < 1 || PQgetisnull(r, 0, 0)) {
		PQclear(r);
		return SS_DB_ERROR;
	}
	out = staffstore_parse(PQgetvalue(r, 0, 0));
	*res = r;
	return out;
}

enum staffstore_result
staffstore_list(struct db *db, long long session, const struct staffstore_filter *f,
    struct staffstore_row **rows, size_t *n)
{
	char sid[24];
	const char *p[] = { staffstore_session(sid, session), f->office, f->role, f->state, f->text };
	enum db_status st;
	PGresult *res = db_query(db, &st, "SELECT result, staff_no, name, role, office_code, "
	    "office_name, active, extract(epoch FROM locked_until)::bigint, must_change_password, "
	    "password_expired, to_char(password_changed_at AT TIME ZONE 'Asia/Shanghai', "
	    "'YYYY-MM-DD HH24:MI'), open_cases, signed_in "
	    "FROM yc.staff_list($1::bigint, $2, $3, $4, $5)", 5, p);
	enum staffstore_result r = SS_OK;
	int count;

	*rows = NULL;
	*n = 0;
	if (res == NULL)
		return st == DB_LOST ? SS_DB_LOST : SS_DB_ERROR;
	count = PQntuples(res);
	if (count == 1 && strcmp(PQgetvalue(res, 0, 0), "ok") != 0) {
		r = staffstore_parse(PQgetvalue(res, 0, 0));
		PQclear(res);
		return r;
	}
	*rows = xcalloc((size_t)(count > 0 ? count : 1), sizeof **rows);
	for (int i = 0; i < count; i++) {
		struct staffstore_row *w = &(*rows)[i];

		DB_COPY(w->staff_no, res, i, 1);
		DB_COPY(w->name, res, i, 2);
		DB_COPY(w->role, res, i, 3);
		DB_COPY(w->office_code, res, i, 4);
		DB_COPY(w->office_name, res, i, 5);
		w->active = PQgetvalue(res, i, 6)[0] == 't';
		w->locked_until = (time_t)db_ll(res, i, 7);
		w->must_change = PQgetvalue(res, i, 8)[0] == 't';
		w->expired = PQgetvalue(res, i, 9)[0] == 't';
		DB_COPY(w->changed_at, res, i, 10);
		w->open_cases = db_int(res, i, 11);
		w->signed_in = PQgetvalue(res, i, 12)[0] == 't';
	}
	*n = (size_t)count;
	PQclear(res);
	return r;
}

/* A call returning (result, temporary_password): the password into temp. */
static enum staffstore_result
staffstore_with_password(struct db *db, const char *sql, int n, const char *const *p, char temp[64])
{
	PGresult *res;
	enum staffstore_result r = staffstore_call(db, sql, n, p, &res);

	temp[0] = '\0';
	if (r == SS_OK && PQnfields(res) == 2 && !PQgetisnull(res, 0, 1))
		db_copy(temp, 64, PQgetvalue(res, 0, 1));
	else if (r == SS_OK)
		r = SS_DB_ERROR;
	if (res != NULL && PQnfields(res) == 2)
		explicit_bzero(PQgetvalue(res, 0, 1), strlen(PQgetvalue(res, 0, 1)));
	PQclear(res);
	return r;
}

enum staffstore_result
staffstore_add(struct db *db, long long session, const char *staff_no, const char *name,
    const char *role, const char *office, char temp[64])
{
	char sid[24];
	const char *p[] = { staffstore_session(sid, session), staff_no, name, role, office };

	return staffstore_with_password(db, "SELECT result, temporary_password "
	    "FROM yc.staff_add($1::bigint, $2, $3, $4, $5)", 5, p, temp);
}

enum staffstore_result
staffstore_reset_password(struct db *db, long long session, const char *staff_no, char temp[64])
{
	char sid[24];
	const char *p[] = { staffstore_session(sid, session), staff_no };

	return staffstore_with_password(db, "SELECT result, temporary_password "
	    "FROM yc.staff_reset_password($1::bigint, $2)", 2, p, temp);
}

/* A call returning one result word. */
static enum staffstore_result
staffstore_word(struct db *db, const char *sql, int n, const char *const *p)
{
	PGresult *res;
	enum staffstore_result r = staffstore_call(db, sql, n, p, &res);

	PQclear(res);
	return r;
}

enum staffstore_result
staffstore_edit(struct db *db, long long session, const char *staff_no, const char *name,
    const char *role, const char *office)
{
	char sid[24];
	const char *p[] = { staffstore_session(sid, session), staff_no, name, role, office };

	return staffstore_word(db, "SELECT yc.staff_edit($1::bigint, $2, $3, $4, $5)", 5, p);
}

enum staffstore_result
staffstore_unlock(struct db *db, long long session, const char *staff_no)
{
	char sid[24];
	const char *p[] = { staffstore_session(sid, session), staff_no };

	return staffstore_word(db, "SELECT yc.staff_unlock($1::bigint, $2)", 2, p);
}

enum staffstore_result
staffstore_set_active(struct db *db, long long session, const char *staff_no, bool active,
    int *open_cases)
{
	char sid[24];
	const char *p[] = { staffstore_session(sid, session), staff_no, active ? "true" : "false" };
	PGresult *res;
	enum staffstore_result r = staffstore_call(db, "SELECT result, open_cases "
	    "FROM yc.staff_set_active($1::bigint, $2, $3::boolean)", 3, p, &res);

	if (open_cases != NULL)
		*open_cases = res != NULL && PQnfields(res) == 2 ? db_int(res, 0, 1) : 0;
	PQclear(res);
	return r;
}

enum staffstore_result
staffstore_open_cases(struct db *db, long long session, const char *staff_no,
    struct staffstore_case **cases, size_t *n)
{
	char sid[24];
	const char *p[] = { staffstore_session(sid, session), staff_no };
	enum db_status st;
	PGresult *res = db_query(db, &st, "SELECT result, case_no, office_code, case_type_name, "
	    "status, promised_date::text FROM yc.staff_open_cases($1::bigint, $2)", 2, p);
	enum staffstore_result r;
	int count;

	*cases = NULL;
	*n = 0;
	if (res == NULL)
		return st == DB_LOST ? SS_DB_LOST : SS_DB_ERROR;
	count = PQntuples(res);
	if (count == 1 && strcmp(PQgetvalue(res, 0, 0), "ok") != 0) {
		r = staffstore_parse(PQgetvalue(res, 0, 0));
		PQclear(res);
		return r;
	}
	*cases = xcalloc((size_t)(count > 0 ? count : 1), sizeof **cases);
	for (int i = 0; i < count; i++) {
		struct staffstore_case *c = &(*cases)[i];

		DB_COPY(c->case_no, res, i, 1);
		DB_COPY(c->office_code, res, i, 2);
		DB_COPY(c->type_name, res, i, 3);
		DB_COPY(c->status, res, i, 4);
		DB_COPY(c->promised, res, i, 5);
	}
	*n = (size_t)count;
	PQclear(res);
	return SS_OK;
}

int
staffstore_offices(struct db *db, const char *under, struct staffstore_office **out)
{
	const char *p[] = { under != NULL ? under : "" };
	PGresult *res = db_query(db, NULL, "SELECT code, name FROM yc.office "
	    "WHERE left(code, length($1)) = $1 ORDER BY code", 1, p);
	int count;

	*out = NULL;
	if (res == NULL)
		return -1;
	count = PQntuples(res);
	*out = xcalloc((size_t)(count > 0 ? count : 1), sizeof **out);
	for (int i = 0; i < count; i++) {
		DB_COPY((*out)[i].code, res, i, 0);
		DB_COPY((*out)[i].name, res, i, 1);
	}
	PQclear(res);
	return count;
}
