/*
 * Appointments in the database; see apptstore.h. One parameterised call of
 * a db/functions/appoint.sql function per operation.
 */
#include "store/apptstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "store/db.h"
#include "util/xalloc.h"

static const struct {
	const char *word;
	enum appt_result r;
	const char *msg;
} appt_results[] = {
	{ "ok", APPT_OK, N_("Done.") },
	{ "no_session", APPT_NO_SESSION, N_("Your session has ended; sign in again.") },
	{ "not_allowed", APPT_NOT_ALLOWED,
	  N_("Only a clerk, guide or supervisor of this office can book appointments.") },
	{ "bad_id", APPT_BAD_ID, N_("The ID number is not valid.") },
	{ "bad_phone", APPT_BAD_PHONE, N_("The phone number must be an 11-digit mobile number.") },
	{ "unknown_item", APPT_UNKNOWN_ITEM, N_("This office does not take that service item.") },
	{ "bad_input", APPT_BAD_INPUT, N_("The input is not valid.") },
	{ "too_far", APPT_TOO_FAR, N_("Appointments can only be booked for the days ahead allowed.") },
	{ "closed", APPT_CLOSED, N_("The hall is closed that day: no slots.") },
	{ "no_slot", APPT_NO_SLOT, N_("That is not a slot of the day.") },
	{ "too_late", APPT_TOO_LATE, N_("Booking for that slot has closed; choose a later one.") },
	{ "full", APPT_FULL, N_("That slot is full; choose another.") },
	{ "group_full", APPT_GROUP_FULL,
	  N_("That slot is full for this kind of service item; choose another.") },
	{ "duplicate", APPT_DUPLICATE,
	  N_("The person already has an appointment for this service item.") },
	{ "blocked", APPT_BLOCKED,
	  N_("Too many missed appointments: booking is suspended for this person.") },
	{ "not_found", APPT_NOT_FOUND, N_("No booked appointment to come has that code.") },
	{ "bad_query", APPT_BAD_QUERY, N_("Type an ID number or an appointment code.") },
	{ "unknown_office", APPT_UNKNOWN_OFFICE, N_("Unknown office.") },
};

static enum appt_result
appt_result_of(const PGresult *res, int row)
{
	const char *w = PQgetisnull(res, row, 0) ? "" : PQgetvalue(res, row, 0);

	for (size_t i = 0; i < sizeof appt_results / sizeof appt_results[0]; i++)
		if (strcmp(w, appt_results[i].word) == 0)
			return appt_results[i].r;
	return APPT_DB_ERROR;
}

const char *
appt_message(enum appt_result r)
{
	if (r == APPT_DB_LOST)
		return _("The connection to the database is lost; nothing was changed.");
	for (size_t i = 0; i < sizeof appt_results / sizeof appt_results[0]; i++)
		if (appt_results[i].r == r)
			return _(appt_results[i].msg);
	return _("The database refused the operation; please tell the administrator.");
}

const char *
appt_status_name(enum appt_status s)
{
	switch (s) {
	case APPT_BOOKED: return _("booked");
	case APPT_USED: return _("checked in");
	case APPT_MISSED: return _("missed");
	case APPT_CANCELLED: return _("cancelled");
	}
	return "";
}

/* The result of a call returning rows whose first column is the result:
 * NULL with *r set when the call failed or was refused. */
static PGresult *
appt_call(struct db *db, const char *sql, int n, const char *const *p, int ncols,
    enum appt_result *r)
{
	enum db_status st;
	PGresult *res = db_query(db, &st, sql, n, p);

	if (res == NULL) {
		*r = st == DB_LOST ? APPT_DB_LOST : APPT_DB_ERROR;
		return NULL;
	}
	if (PQnfields(res) != ncols) {
		PQclear(res);
		*r = APPT_DB_ERROR;
		return NULL;
	}
	*r = PQntuples(res) == 0 ? APPT_OK : appt_result_of(res, 0);
	if (*r != APPT_OK) {
		PQclear(res);
		return NULL;
	}
	return res;
}

bool
apptstore_today(struct db *db, long *days)
{
	PGresult *res = db_query(db, NULL, "SELECT yc.appoint_today() - date '1970-01-01'", 0, NULL);
	bool ok = res != NULL && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0);

	if (ok)
		*days = (long)db_ll(res, 0, 0);
	PQclear(res);
	return ok;
}

enum appt_result
apptstore_day(struct db *db, long long session, const char *office, const char *day,
    const char *type, struct appt_day *out)
{
	char s[24];
	const char *p[] = { s, office, day, type };
	enum appt_result r;
	PGresult *res;

	memset(out, 0, sizeof *out);
	db_id(s, session);
	res = appt_call(db, "SELECT result, slot_start, slot_end, label, capacity, booked, "
	    "group_capacity, group_booked, state FROM yc.appoint_day($1::bigint, $2, $3::date, $4)",
	    4, p, 9, &r);
	if (res == NULL)
		return r;
	out->n = (size_t)PQntuples(res);
	out->slots = xcalloc(out->n + 1, sizeof *out->slots);
	for (size_t i = 0; i < out->n; i++) {
		struct appt_slot *sl = &out->slots[i];
		const char *state = PQgetvalue(res, (int)i, 8);

		sl->start = db_ll(res, (int)i, 1);
		sl->end = db_ll(res, (int)i, 2);
		DB_COPY(sl->label, res, (int)i, 3);
		sl->capacity = db_int(res, (int)i, 4);
		sl->booked = db_int(res, (int)i, 5);
		sl->group_capacity = PQgetisnull(res, (int)i, 6) ? -1 : db_int(res, (int)i, 6);
		sl->group_booked = db_int(res, (int)i, 7);
		sl->state = strcmp(state, "open") == 0 ? APPT_SLOT_OPEN :
		    strcmp(state, "full") == 0 ? APPT_SLOT_FULL :
		    strcmp(state, "group_full") == 0 ? APPT_SLOT_GROUP_FULL : APPT_SLOT_CLOSED;
	}
	PQclear(res);
	return APPT_OK;
}

void
appt_day_free(struct appt_day *d)
{
	free(d->slots);
	memset(d, 0, sizeof *d);
}

/* Reads code, start, end and label from columns c.. of row 0. */
static void
appt_booking_read(const PGresult *res, int c, struct appt_booking *out)
{
	DB_COPY(out->code, res, 0, c);
	out->start = db_ll(res, 0, c + 1);
	out->end = db_ll(res, 0, c + 2);
	DB_COPY(out->label, res, 0, c + 3);
}

enum appt_result
apptstore_book(struct db *db, long long session, const char *office, const char *id_no,
    const char *phone, const char *type, long long slot, const char *channel, const char *client,
    struct appt_booking *out)
{
	char s[24], t[24];
	const char *p[] = { s, office, id_no, phone, type, t, channel, client };
	enum db_status st;
	enum appt_result r;
	PGresult *res;

	memset(out, 0, sizeof *out);
	db_id(s, session);
	db_id(t, slot);
	res = db_query(db, &st, "SELECT result, code, slot_start, slot_end, label, blocked_until "
	    "FROM yc.appoint_book($1::bigint, $2, $3, $4, $5, $6::bigint, $7, $8)", 8, p);
	if (res == NULL)
		return st == DB_LOST ? APPT_DB_LOST : APPT_DB_ERROR;
	if (PQntuples(res) != 1 || PQnfields(res) != 6) {
		PQclear(res);
		return APPT_DB_ERROR;
	}
	r = appt_result_of(res, 0);
	if (r == APPT_OK || r == APPT_DUPLICATE)
		appt_booking_read(res, 1, out);
	out->blocked_until = db_ll(res, 0, 5);
	PQclear(res);
	return r;
}

enum appt_result
apptstore_move(struct db *db, long long session, const char *office, const char *code,
    long long slot, const char *client, struct appt_booking *out)
{
	char s[24], t[24];
	const char *p[] = { s, office, code, t, client };
	enum appt_result r;
	PGresult *res;

	memset(out, 0, sizeof *out);
	db_id(s, session);
	db_id(t, slot);
	res = appt_call(db, "SELECT result, $3::text, slot_start, slot_end, label "
	    "FROM yc.appoint_move($1::bigint, $2, $3, $4::bigint, $5)", 5, p, 5, &r);
	if (res == NULL)
		return r;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return APPT_DB_ERROR;
	}
	appt_booking_read(res, 1, out);
	PQclear(res);
	return APPT_OK;
}

enum appt_result
apptstore_cancel(struct db *db, long long session, const char *office, const char *code,
    const char *client)
{
	char s[24];
	const char *p[] = { s, office, code, client };
	enum appt_result r;
	PGresult *res;

	db_id(s, session);
	res = appt_call(db, "SELECT yc.appoint_cancel($1::bigint, $2, $3, $4)", 4, p, 1, &r);
	if (res == NULL)
		return r;
	r = PQntuples(res) == 1 ? APPT_OK : APPT_DB_ERROR;
	PQclear(res);
	return r;
}

enum appt_result
apptstore_find(struct db *db, long long session, const char *office, const char *query,
    struct appt_list *out)
{
	char s[24];
	const char *p[] = { s, office, query };
	enum appt_result r;
	PGresult *res;

	memset(out, 0, sizeof *out);
	db_id(s, session);
	res = appt_call(db, "SELECT result, code, slot_start, slot_end, label, id_masked, "
	    "phone_masked, case_type, item, status, channel, changeable "
	    "FROM yc.appoint_find($1::bigint, $2, $3)", 3, p, 12, &r);
	if (res == NULL)
		return r;
	out->n = (size_t)PQntuples(res);
	out->rows = xcalloc(out->n + 1, sizeof *out->rows);
	for (size_t i = 0; i < out->n; i++) {
		struct appt_row *a = &out->rows[i];
		const char *status = PQgetvalue(res, (int)i, 9);

		DB_COPY(a->code, res, (int)i, 1);
		a->start = db_ll(res, (int)i, 2);
		a->end = db_ll(res, (int)i, 3);
		DB_COPY(a->label, res, (int)i, 4);
		DB_COPY(a->id_masked, res, (int)i, 5);
		DB_COPY(a->phone_masked, res, (int)i, 6);
		DB_COPY(a->type, res, (int)i, 7);
		DB_COPY(a->item, res, (int)i, 8);
		a->status = strcmp(status, "used") == 0 ? APPT_USED :
		    strcmp(status, "missed") == 0 ? APPT_MISSED :
		    strcmp(status, "cancelled") == 0 ? APPT_CANCELLED : APPT_BOOKED;
		DB_COPY(a->channel, res, (int)i, 10);
		a->changeable = strcmp(PQgetvalue(res, (int)i, 11), "t") == 0;
	}
	PQclear(res);
	return APPT_OK;
}

void
appt_list_free(struct appt_list *l)
{
	free(l->rows);
	memset(l, 0, sizeof *l);
}

enum appt_result
apptstore_hall(struct db *db, long long session, const char *office, struct appt_hall *out)
{
	char s[24];
	const char *p[] = { s, office };
	enum appt_result r;
	PGresult *res;

	memset(out, 0, sizeof *out);
	db_id(s, session);
	res = appt_call(db, "SELECT result, slot_start, slot_end, label, capacity, booked, "
	    "checked_in, missed, cancelled FROM yc.hall_appointments($1::bigint, $2)", 2, p, 9, &r);
	if (res == NULL)
		return r;
	out->n = (size_t)PQntuples(res);
	out->slots = xcalloc(out->n + 1, sizeof *out->slots);
	for (size_t i = 0; i < out->n; i++) {
		struct appt_hall_slot *h = &out->slots[i];

		h->start = db_ll(res, (int)i, 1);
		h->end = db_ll(res, (int)i, 2);
		DB_COPY(h->label, res, (int)i, 3);
		h->capacity = db_int(res, (int)i, 4);
		h->booked = db_int(res, (int)i, 5);
		h->checked_in = db_int(res, (int)i, 6);
		h->missed = db_int(res, (int)i, 7);
		h->cancelled = db_int(res, (int)i, 8);
	}
	PQclear(res);
	return APPT_OK;
}

void
appt_hall_free(struct appt_hall *h)
{
	free(h->slots);
	memset(h, 0, sizeof *h);
}

enum appt_result
apptstore_capacity_set(struct db *db, long long session, const char *office, const char *grp,
    int per_slot)
{
	char s[24], n[16];
	const char *p[] = { session != 0 ? s : NULL, office, grp, per_slot >= 0 ? n : NULL };
	enum appt_result r;
	PGresult *res;

	db_id(s, session);
	snprintf(n, sizeof n, "%d", per_slot);
	res = appt_call(db, "SELECT yc.appoint_capacity_set($1::bigint, $2, $3, $4::int, NULL)", 4, p, 1,
	    &r);
	if (res == NULL)
		return r;
	PQclear(res);
	return APPT_OK;
}

int
apptstore_capacity_list(struct db *db, const char *office, struct appt_capacity *out, int max)
{
	const char *p[] = { office };
	PGresult *res = db_query(db, NULL, "SELECT grp, per_slot, from_setting "
	    "FROM yc.appoint_capacity_list($1)", 1, p);
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res) < max ? PQntuples(res) : max;
	for (int i = 0; i < n; i++) {
		DB_COPY(out[i].grp, res, i, 0);
		out[i].per_slot = db_int(res, i, 1);
		out[i].from_setting = strcmp(PQgetvalue(res, i, 2), "t") == 0;
	}
	PQclear(res);
	return n;
}
