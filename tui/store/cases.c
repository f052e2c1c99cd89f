/*
 * Cases through the server-side functions of db/migrations/0005_intake.sql;
 * see cases.h. Every function here is one parameterised query run as the
 * staff session; the server checks, numbers, dates, audits and announces,
 * and answers with a result text that is mapped to enum cases_result.
 * cases_document() lives in casedoc.c.
 */
#include "store/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

static const char *const cases_result_names[] = {
	[CASES_OK] = "ok",
	[CASES_NOT_FOUND] = "not_found",
	[CASES_NO_SESSION] = "no_session",
	[CASES_NOT_ALLOWED] = "not_allowed",
	[CASES_BAD_INPUT] = "bad_input",
	[CASES_BAD_ID] = "bad_id",
	[CASES_UNKNOWN_TYPE] = "unknown_type",
	[CASES_INCOMPLETE] = "incomplete",
	[CASES_NOTHING_MISSING] = "nothing_missing",
	[CASES_NOT_DEFERRABLE] = "not_deferrable",
	[CASES_NOT_ON_NOTICE] = "not_on_notice",
	[CASES_NOT_IMMEDIATE] = "not_immediate",
	[CASES_NOT_PENDING] = "not_pending",
	[CASES_REASON_NEEDED] = "reason_needed",
	[CASES_NUMBERS_EXHAUSTED] = "numbers_exhausted",
	[CASES_CALENDAR] = "calendar",
	[CASES_FORM_INCOMPLETE] = "form_incomplete",
	[CASES_NO_INSURANCE] = "no_insurance",
	[CASES_DEFERRED_MISSING] = "deferred_missing",
	[CASES_REASON_FORBIDDEN] = "reason_forbidden",
	[CASES_MAIL_NEEDED] = "mail_needed",
	[CASES_BAD_TRACKING] = "bad_tracking",
	[CASES_ADDRESS_NEEDED] = "address_needed",
	[CASES_BAD_TEXT] = "bad_text",
	[CASES_PAYBACK_OVER] = "payback_over",
	[CASES_ALREADY_INSURED] = "already_insured",
	[CASES_NOT_TRANSFER] = "not_transfer",
};

static const char *const cases_channel_keys[] = {
	[CH_WINDOW] = "window",
	[CH_PROXY] = "proxy",
	[CH_MAIL] = "mail",
};

static const char *const cases_outcome_keys[] = {
	[CO_ACCEPT] = "accept",
	[CO_IMMEDIATE] = "immediate",
	[CO_SUPPLEMENT] = "supplement",
	[CO_DEFER] = "defer",
	[CO_REJECT] = "reject",
};

#define CASES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A result text of the server; an unknown one is CASES_DB_ERROR. */
static enum cases_result
cases_parse_result(const char *r)
{
	for (size_t i = 0; i < CASES_COUNT(cases_result_names); i++)
		if (cases_result_names[i] != NULL && strcmp(r, cases_result_names[i]) == 0)
			return (enum cases_result)i;
	return CASES_DB_ERROR;
}

static enum cases_result
cases_status(enum db_status st)
{
	return st == DB_LOST ? CASES_DB_LOST : CASES_DB_ERROR;
}

/*
 * The result of a query whose first column is the result text. A query
 * that failed (res NULL) gives the database status; no row, too few
 * columns or a NULL result is CASES_DB_ERROR. With empty_ok, no row at
 * all means CASES_OK (a list with nothing in it).
 */
static enum cases_result
cases_result_of(const PGresult *res, enum db_status st, int min_cols, bool empty_ok)
{
	if (res == NULL)
		return cases_status(st);
	if (PQnfields(res) < min_cols)
		return CASES_DB_ERROR;
	if (PQntuples(res) == 0)
		return empty_ok ? CASES_OK : CASES_DB_ERROR;
	if (PQgetisnull(res, 0, 0))
		return CASES_DB_ERROR;
	return cases_parse_result(PQgetvalue(res, 0, 0));
}

static bool
cases_bool(const PGresult *res, int row, int col)
{
	return strcmp(PQgetvalue(res, row, col), "t") == 0;
}

/* NULL for NULL or "": an optional text argument. */
static const char *
cases_opt(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* Runs a query returning one result text. */
static enum cases_result
cases_text_call(struct db *db, const char *sql, int n, const char *const *p)
{
	enum db_status st;
	PGresult *res = db_query(db, &st, sql, n, p);
	enum cases_result r = cases_result_of(res, st, 1, false);

	PQclear(res);
	return r;
}

/* ---- persons ---------------------------------------------------------- */

enum cases_result
cases_person_find(struct db *db, long long session, const char *id_no, struct cases_person *out)
{
	char sid[24];
	const char *p[] = { sid, id_no };
	enum db_status st;
	PGresult *res;
	enum cases_result r;

	db_id(sid, session);
	memset(out, 0, sizeof *out);
	res = db_query(db, &st, "SELECT result, id_no, name, phone FROM yc.person_find($1::bigint, $2)",
	    2, p);
	r = cases_result_of(res, st, 4, false);
	if (r == CASES_OK) {
		DB_COPY(out->id_no, res, 0, 1);
		DB_COPY(out->name, res, 0, 2);
		DB_COPY(out->phone, res, 0, 3);
	}
	PQclear(res);
	return r;
}

enum cases_result
cases_person_register(struct db *db, long long session, const char *id_no, const char *name,
    const char *phone)
{
	char sid[24];
	const char *p[] = { sid, id_no, name, cases_opt(phone) };

	db_id(sid, session);
	return cases_text_call(db, "SELECT yc.person_register($1::bigint, $2, $3, $4)", 4, p);
}

/* ---- intake ----------------------------------------------------------- */

/* The text[] literals of an intake request, malloc'd (cases_arrays_free). */
struct cases_arrays {
	char *ids, *values, *seen, *deferred;
};

static void
cases_arrays_make(const struct cases_intake_req *q, struct cases_arrays *a)
{
	a->ids = db_text_array(q->field_ids, q->field_ids != NULL ? q->nfields : 0);
	a->values = db_text_array(q->field_values, q->field_values != NULL ? q->nfields : 0);
	a->seen = db_text_array(q->seen, q->seen != NULL ? q->nseen : 0);
	a->deferred = db_text_array(q->deferred, q->deferred != NULL ? q->ndeferred : 0);
}

static void
cases_arrays_free(struct cases_arrays *a)
{
	XFREE(&a->ids);
	XFREE(&a->values);
	XFREE(&a->seen);
	XFREE(&a->deferred);
}

static void
cases_intake_from(const PGresult *res, struct cases_intake_out *out)
{
	DB_COPY(out->case_no, res, 0, 1);
	DB_COPY(out->notice_no, res, 0, 2);
	DB_COPY(out->status, res, 0, 3);
	DB_COPY(out->accepted, res, 0, 4);
	DB_COPY(out->promised, res, 0, 5);
}

enum cases_result
cases_intake(struct db *db, long long session, const struct cases_intake_req *req,
    struct cases_intake_out *out)
{
	char sid[24], ver[16], tid[24];
	struct cases_arrays a;
	enum db_status st;
	PGresult *res;
	enum cases_result r;

	memset(out, 0, sizeof *out);
	if ((unsigned)req->channel >= CASES_COUNT(cases_channel_keys) ||
	    (unsigned)req->outcome >= CASES_COUNT(cases_outcome_keys) ||
	    (req->nfields > 0 && (req->field_ids == NULL || req->field_values == NULL)))
		return CASES_BAD_INPUT;
	db_id(sid, session);
	snprintf(ver, sizeof ver, "%d", req->version);
	db_id(tid, req->ticket_id);
	cases_arrays_make(req, &a);
	const char *p[] = {
		sid, cases_opt(req->continue_case), cases_opt(req->type_code), ver,
		cases_opt(req->id_no), cases_channel_keys[req->channel],
		cases_opt(req->agent_id_no), cases_opt(req->agent_name), a.ids, a.values,
		req->ticket_id > 0 ? tid : NULL, a.seen, a.deferred,
		cases_outcome_keys[req->outcome], cases_opt(req->reason),
		cases_opt(req->mail_address), cases_opt(req->mail_tracking),
	};
	res = db_query(db, &st, "SELECT result, case_no, notice_no, status, accepted, promised "
	    "FROM yc.case_intake($1::bigint, $2, $3, $4::int, $5, $6, $7, $8, $9::text[], "
	    "$10::text[], $11::bigint, $12::text[], $13::text[], $14, $15, $16, $17)", 17, p);
	cases_arrays_free(&a);
	r = cases_result_of(res, st, 6, false);
	if (r == CASES_OK)
		cases_intake_from(res, out);
	PQclear(res);
	return r;
}

/* ---- finding cases ------------------------------------------------------ */

static enum cases_channel
cases_channel_parse(const char *s)
{
	for (size_t i = 0; i < CASES_COUNT(cases_channel_keys); i++)
		if (strcmp(s, cases_channel_keys[i]) == 0)
			return (enum cases_channel)i;
	return CH_WINDOW;
}

static void
cases_found_from(const PGresult *res, int row, struct cases_found *f)
{
	memset(f, 0, sizeof *f);
	DB_COPY(f->office_code, res, row, 1);
	DB_COPY(f->office_name, res, row, 2);
	DB_COPY(f->case_no, res, row, 3);
	DB_COPY(f->type_code, res, row, 4);
	f->version = db_int(res, row, 5);
	DB_COPY(f->type_name, res, row, 6);
	DB_COPY(f->id_no, res, row, 7);
	DB_COPY(f->person_name, res, row, 8);
	DB_COPY(f->status, res, row, 9);
	DB_COPY(f->notice_no, res, row, 10);
	DB_COPY(f->created, res, row, 11);
	DB_COPY(f->promised, res, row, 12);
	f->channel = cases_channel_parse(PQgetvalue(res, row, 13));
	DB_COPY(f->agent_id_no, res, row, 14);
	DB_COPY(f->agent_name, res, row, 15);
}

/* Sets *res_out (may be NULL) and returns n. */
static int
cases_done(enum cases_result r, enum cases_result *res_out, int n)
{
	if (res_out != NULL)
		*res_out = r;
	return n;
}

int
cases_lookup(struct db *db, long long session, const char *key, struct cases_found *out, int max,
    enum cases_result *res_out)
{
	char sid[24];
	const char *p[] = { sid, key };
	enum db_status st;
	PGresult *res;
	enum cases_result r;
	int n = 0;

	db_id(sid, session);
	res = db_query(db, &st, "SELECT result, office_code, office_name, case_no, type_code, "
	    "version, type_name, id_no, person_name, status, notice_no, created, promised, "
	    "channel, agent_id_no, agent_name FROM yc.case_lookup($1::bigint, $2)", 2, p);
	r = cases_result_of(res, st, 16, false);
	for (int i = 0; r == CASES_OK && i < PQntuples(res) && n < max; i++)
		cases_found_from(res, i, &out[n++]);
	PQclear(res);
	return cases_done(r, res_out, n);
}

enum cases_result
cases_open_same(struct db *db, long long session, const char *id_no, const char *type_code,
    char case_no[32])
{
	char sid[24];
	const char *p[] = { sid, id_no, type_code };
	enum db_status st;
	PGresult *res;
	enum cases_result r;

	db_id(sid, session);
	case_no[0] = '\0';
	res = db_query(db, &st, "SELECT result, case_no FROM yc.case_open_same($1::bigint, $2, $3)",
	    3, p);
	r = cases_result_of(res, st, 2, false);
	if (r == CASES_OK)
		db_copy(case_no, 32, PQgetvalue(res, 0, 1));
	PQclear(res);
	return r;
}

static void
cases_material_from(const PGresult *res, int row, struct cases_material *m)
{
	memset(m, 0, sizeof *m);
	DB_COPY(m->id, res, row, 1);
	m->item_no = db_int(res, row, 2);
	DB_COPY(m->group_id, res, row, 3);
	DB_COPY(m->name, res, row, 4);
	DB_COPY(m->form, res, row, 5);
	m->key = cases_bool(res, row, 6);
	m->proxy = cases_bool(res, row, 7);
	m->noticed = cases_bool(res, row, 8);
	m->defer_days = db_int(res, row, 9);
	DB_COPY(m->state, res, row, 10);
	DB_COPY(m->due, res, row, 11);
}

int
cases_materials(struct db *db, long long session, const char *case_no,
    struct cases_material *out, int max, enum cases_result *res_out)
{
	char sid[24];
	const char *p[] = { sid, case_no };
	enum db_status st;
	PGresult *res;
	enum cases_result r;
	int n = 0;

	db_id(sid, session);
	res = db_query(db, &st, "SELECT result, material_id, item_no, group_id, name, form, key, "
	    "proxy, noticed, defer_days, state, due FROM yc.case_materials($1::bigint, $2)", 2, p);
	r = cases_result_of(res, st, 12, true);
	for (int i = 0; r == CASES_OK && i < PQntuples(res) && n < max; i++)
		cases_material_from(res, i, &out[n++]);
	PQclear(res);
	return cases_done(r, res_out, n);
}

enum cases_result
cases_form(struct db *db, long long session, const char *case_no, char ***ids, char ***values,
    size_t *n)
{
	char sid[24];
	const char *p[] = { sid, case_no };
	enum db_status st;
	PGresult *res;
	enum cases_result r;

	db_id(sid, session);
	*ids = NULL;
	*values = NULL;
	*n = 0;
	res = db_query(db, &st, "SELECT result, field_id, value FROM yc.case_form($1::bigint, $2)",
	    2, p);
	r = cases_result_of(res, st, 3, true);
	if (r == CASES_OK) {
		size_t rows = (size_t)PQntuples(res);

		*ids = xcalloc(rows + 1, sizeof **ids);
		*values = xcalloc(rows + 1, sizeof **values);
		for (size_t i = 0; i < rows; i++) {
			(*ids)[i] = xstrdup(PQgetvalue(res, (int)i, 1));
			(*values)[i] = xstrdup(PQgetvalue(res, (int)i, 2));
		}
		*n = rows;
	}
	PQclear(res);
	return r;
}

void
cases_form_free(char **ids, char **values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ids != NULL)
			free(ids[i]);
		if (values != NULL)
			free(values[i]);
	}
	free(ids);
	free(values);
}

/* ---- after acceptance --------------------------------------------------- */

enum cases_result
cases_supply(struct db *db, long long session, const char *case_no, const char *material_id)
{
	char sid[24];
	const char *p[] = { sid, case_no, material_id };

	db_id(sid, session);
	return cases_text_call(db, "SELECT yc.case_supply($1::bigint, $2, $3)", 3, p);
}

static enum cases_due_kind
cases_due_kind_parse(const char *s)
{
	if (strcmp(s, "stage") == 0)
		return DUE_STAGE;
	if (strcmp(s, "material") == 0)
		return DUE_MATERIAL;
	return DUE_CASE;
}

static void
cases_deadline_from(const PGresult *res, int row, struct cases_deadline *d)
{
	memset(d, 0, sizeof *d);
	DB_COPY(d->case_no, res, row, 1);
	DB_COPY(d->type_name, res, row, 2);
	DB_COPY(d->person_name, res, row, 3);
	DB_COPY(d->staff_no, res, row, 4);
	DB_COPY(d->status, res, row, 5);
	d->kind = cases_due_kind_parse(PQgetvalue(res, row, 6));
	DB_COPY(d->label, res, row, 7);
	DB_COPY(d->material_id, res, row, 8);
	DB_COPY(d->due, res, row, 9);
	d->remaining = db_int(res, row, 10);
	d->limit_days = db_int(res, row, 11);
	DB_COPY(d->adjusted, res, row, 12);
}

int
cases_deadlines(struct db *db, long long session, bool office_wide, struct cases_deadline *out,
    int max, enum cases_result *res_out)
{
	char sid[24], lim[16];
	const char *p[] = { sid, office_wide ? "true" : "false", lim };
	enum db_status st;
	PGresult *res;
	enum cases_result r;
	int n = 0;

	if (max <= 0)
		return cases_done(CASES_OK, res_out, 0);
	db_id(sid, session);
	snprintf(lim, sizeof lim, "%d", max);
	res = db_query(db, &st, "SELECT result, case_no, type_name, person_name, staff_no, status, "
	    "kind, label, material_id, due, remaining, limit_days, adjusted "
	    "FROM yc.case_deadlines($1::bigint, $2::boolean, $3::int)", 3, p);
	r = cases_result_of(res, st, 13, true);
	for (int i = 0; r == CASES_OK && i < PQntuples(res) && n < max; i++)
		cases_deadline_from(res, i, &out[n++]);
	PQclear(res);
	return cases_done(r, res_out, n);
}

/* ---- 好差评 and drafts -------------------------------------------------- */

enum cases_result
cases_rate(struct db *db, long long session, const char *case_no, long long ticket_id, int grade)
{
	char sid[24], tid[24], g[16];
	const char *p[] = { sid, cases_opt(case_no), ticket_id > 0 ? tid : NULL, g };

	db_id(sid, session);
	db_id(tid, ticket_id);
	snprintf(g, sizeof g, "%d", grade);
	return cases_text_call(db, "SELECT yc.rating_record($1::bigint, $2, $3::bigint, $4::int)",
	    4, p);
}

bool
cases_window_screen(struct db *db, long long session)
{
	char sid[24];
	const char *p[] = { sid };
	PGresult *res;
	bool on;

	db_id(sid, session);
	res = db_query(db, NULL, "SELECT yc.window_screen_present($1::bigint)", 1, p);
	if (res == NULL)
		return false;
	on = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) && cases_bool(res, 0, 0);
	PQclear(res);
	return on;
}

enum cases_result
cases_draft_save(struct db *db, long long session, const char *body)
{
	char sid[24];
	const char *p[] = { sid, body };

	db_id(sid, session);
	return cases_text_call(db, "SELECT yc.draft_save($1::bigint, $2)", 2, p);
}

char *
cases_draft_get(struct db *db, long long session, time_t *saved_at, enum cases_result *res_out)
{
	char sid[24];
	const char *p[] = { sid };
	enum db_status st;
	PGresult *res;
	enum cases_result r;
	char *body = NULL;

	db_id(sid, session);
	if (saved_at != NULL)
		*saved_at = 0;
	res = db_query(db, &st, "SELECT result, saved_at, body FROM yc.draft_get($1::bigint)", 1, p);
	r = cases_result_of(res, st, 3, false);
	if (r == CASES_OK) {
		body = xstrdup(PQgetvalue(res, 0, 2));
		if (saved_at != NULL)
			*saved_at = (time_t)strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	}
	PQclear(res);
	if (res_out != NULL)
		*res_out = r;
	return body;
}

enum cases_result
cases_draft_clear(struct db *db, long long session)
{
	char sid[24];
	const char *p[] = { sid };

	db_id(sid, session);
	return cases_text_call(db, "SELECT yc.draft_clear($1::bigint)", 1, p);
}

enum cases_result
cases_last_change(struct db *db, long long session, const char *case_no, struct cases_change *out)
{
	char sid[24];
	const char *p[] = { sid, case_no };
	enum db_status st;
	PGresult *res;
	enum cases_result r;

	memset(out, 0, sizeof *out);
	db_id(sid, session);
	res = db_query(db, &st, "SELECT result, staff_no, staff_name, office_name, at, what "
	    "FROM yc.case_last_change($1::bigint, $2)", 2, p);
	r = cases_result_of(res, st, 6, false);
	if (r == CASES_OK) {
		DB_COPY(out->staff_no, res, 0, 1);
		DB_COPY(out->staff_name, res, 0, 2);
		DB_COPY(out->office_name, res, 0, 3);
		DB_COPY(out->at, res, 0, 4);
		DB_COPY(out->what, res, 0, 5);
	}
	PQclear(res);
	return r;
}

char *
cases_moved_on_message(struct db *db, long long session, const char *case_no, enum cases_result r)
{
	struct cases_change ch;

	if (cases_last_change(db, session, case_no, &ch) != CASES_OK || ch.staff_name[0] == '\0')
		return xstrdup(cases_result_message(r));
	if (ch.office_name[0] != '\0')
		return xasprintf(_("Already handled by %s (%s): %s (%s); nothing was changed."),
		    ch.staff_name, ch.office_name, ch.what, ch.at);
	return xasprintf(_("Already handled by %s: %s (%s); nothing was changed."), ch.staff_name, ch.what,
	    ch.at);
}

/* ---- announcements ------------------------------------------------------ */

void
cases_channel(const char *office, char out[40])
{
	snprintf(out, 40, "yc_case_%s", office != NULL ? office : "");
}

enum cases_result
cases_listen(struct db *db, const char *office)
{
	enum db_status st;

	if (!db_office_code_ok(office))
		return CASES_BAD_INPUT;
	st = db_listen(db, "yc_case_", office);
	return st == DB_OK ? CASES_OK : cases_status(st);
}

/* ---- names and messages ------------------------------------------------- */

const char *
cases_status_name(const char *status)
{
	static const struct {
		const char *key, *name;
	} names[] = {
		{ "draft", N_("Draft") },
		{ "pending_supplement", N_("Waiting for materials") },
		{ "accepted", N_("Accepted") },
		{ "in_progress", N_("In progress") },
		{ "finished", N_("Finished") },
		{ "rejected", N_("Not accepted") },
		{ "cancelled", N_("Withdrawn or ended") },
	};

	for (size_t i = 0; status != NULL && i < CASES_COUNT(names); i++)
		if (strcmp(status, names[i].key) == 0)
			return _(names[i].name);
	return status != NULL ? status : "";
}

const char *
cases_result_message(enum cases_result r)
{
	switch (r) {
	case CASES_OK:
		return _("Done.");
	case CASES_NOT_FOUND:
		return _("Nothing was found; check the number and try again.");
	case CASES_NO_SESSION:
		return _("Your session has ended; sign in again.");
	case CASES_NOT_ALLOWED:
		return _("Not allowed here: this office does not handle the case type, or your role may not do this.");
	case CASES_BAD_INPUT:
		return _("The request was incomplete or inconsistent; nothing was changed. Please tell the administrator.");
	case CASES_BAD_ID:
		return _("The ID number is not valid; check it and try again.");
	case CASES_UNKNOWN_TYPE:
		return _("This case type is not in the loaded catalogue; open the case types again.");
	case CASES_INCOMPLETE:
		return _("Materials are missing: accept or finish at once needs every material.");
	case CASES_NOTHING_MISSING:
		return _("No material is missing: accept the case instead.");
	case CASES_NOT_DEFERRABLE:
		return _("A missing material cannot be deferred (key materials never can); issue a notice of what is missing instead.");
	case CASES_NOT_ON_NOTICE:
		return _("That material is not on the notice; only what the notice lists may be asked for.");
	case CASES_NOT_IMMEDIATE:
		return _("This case type has a time limit and cannot be finished at once; accept it.");
	case CASES_NOT_PENDING:
		return _("This case is not waiting for materials, or not for this one.");
	case CASES_REASON_NEEDED:
		return _("Give the reason for not accepting the case.");
	case CASES_NUMBERS_EXHAUSTED:
		return _("This office has used all 9999 case or notice numbers of today.");
	case CASES_CALENDAR:
		return _("The due date lies beyond the loaded working-day calendar; ask the administrator to load the next year.");
	case CASES_FORM_INCOMPLETE:
		return _("A required field of the form is empty: fill in every field marked * first.");
	case CASES_NO_INSURANCE:
		return _("No insurance record of this person was found: no 参保凭证 can be issued. Check the ID "
		    "number, or direct the person to the office where they are insured.");
	case CASES_DEFERRED_MISSING:
		return _("A deferred (容缺) material has not been supplied yet: no payment and no completion "
		    "until it is, as the 承诺书 says.");
	case CASES_REASON_FORBIDDEN:
		return _("This case type may not be refused for that reason (the rules forbid it, e.g. late "
		    "filing of a reimbursement): accept it, or give another reason.");
	case CASES_MAIL_NEEDED:
		return _("A case by mail needs the address to send the documents back to and the waybill "
		    "number of the package it came in.");
	case CASES_BAD_TRACKING:
		return _("That is not a waybill number: 8 to 30 letters and digits, as printed on the waybill.");
	case CASES_ADDRESS_NEEDED:
		return _("Give the address to mail to (5 to 200 characters): none is recorded for this case.");
	case CASES_CLOSED:
		return _("This case is already closed (finished, not accepted, withdrawn or ended); nothing "
		    "was changed.");
	case CASES_NOT_OVERDUE:
		return _("No deferred (容缺) material of this case is past its supply-by date yet: the case "
		    "cannot be ended.");
	case CASES_BAD_TEXT:
		return _("A text holds a control character or a direction override (pasted from elsewhere?): "
		    "nothing was saved. Type it again.");
	case CASES_PAYBACK_OVER:
		return _("More years are to be paid back than the person's gap has: choose at most as many "
		    "years as the 参保测算 (F9) shows.");
	case CASES_ALREADY_INSURED:
		return _("This person is already insured for that year: no new registration is needed (see "
		    "the 参保测算, F9).");
	case CASES_NOT_TRANSFER:
		return _("A break of more than the allowed months is not paid back this way: no waiting-free "
		    "payback (seed 000 item 2 allows at most 3 months).");
	case CASES_DB_LOST:
		return _("The connection to the database is lost; nothing was changed.");
	case CASES_DB_ERROR:
		return _("The database refused the operation; please tell the administrator.");
	}
	return "";
}
