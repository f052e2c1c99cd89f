/*
 * Opening hours through db/functions/hours.sql; see hourstore.h. Each
 * function is one parameterised query; the server decides, audits and
 * notifies, and answers with a result word mapped to enum hourstore_result.
 */
#include "store/hourstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/calendar.h"
#include "model/i18n.h"
#include "util/xalloc.h"

static enum hourstore_result
hourstore_parse(const char *r)
{
	static const struct {
		const char *name;
		enum hourstore_result result;
	} map[] = {
		{ "ok", HS_OK },
		{ "no_session", HS_NO_SESSION },
		{ "not_allowed", HS_NOT_ALLOWED },
		{ "unknown_office", HS_UNKNOWN_OFFICE },
		{ "bad_day", HS_BAD_DAY },
		{ "past_day", HS_PAST_DAY },
		{ "bad_time", HS_BAD_TIME },
		{ "bad_order", HS_BAD_ORDER },
		{ "bad_noon", HS_BAD_NOON },
		{ "bad_note", HS_BAD_NOTE },
		{ "not_found", HS_NOT_FOUND },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(r, map[i].name) == 0)
			return map[i].result;
	return HS_DB_ERROR;
}

/* The result of a query whose first column is the result word (res NULL:
 * the query failed with st). */
static enum hourstore_result
hourstore_result_of(const PGresult *res, enum db_status st, int min_cols)
{
	if (res == NULL)
		return st == DB_LOST ? HS_DB_LOST : HS_DB_ERROR;
	if (PQntuples(res) < 1 || PQnfields(res) < min_cols || PQgetisnull(res, 0, 0))
		return HS_DB_ERROR;
	return hourstore_parse(PQgetvalue(res, 0, 0));
}

/* Four "HH:MM" columns from col and the noon flag after them. */
static void
hourstore_day_from(const PGresult *res, int row, int col, struct hours_day *d)
{
	d->open1 = hours_minutes(PQgetvalue(res, row, col));
	d->close1 = hours_minutes(PQgetvalue(res, row, col + 1));
	d->open2 = hours_minutes(PQgetvalue(res, row, col + 2));
	d->close2 = hours_minutes(PQgetvalue(res, row, col + 3));
	d->noon = PQgetvalue(res, row, col + 4)[0] == 't';
}

enum hourstore_result
hourstore_today(struct db *db, const char *office, struct hourstore_today *out)
{
	const char *p[] = { office };
	enum db_status st;
	PGresult *res = db_query(db, &st, "SELECT result, day, kind, label, source, morning_open, "
	    "morning_close, afternoon_open, afternoon_close, noon, state, next_open, changes_in, "
	    "server_now FROM yc.hours_today($1)", 1, p);
	enum hourstore_result r = hourstore_result_of(res, st, 14);

	memset(out, 0, sizeof *out);
	hours_day_closed(&out->hours);
	out->state = HOURS_CLOSED;
	if (r == HS_OK) {
		DB_COPY(out->day, res, 0, 1);
		DB_COPY(out->kind, res, 0, 2);
		DB_COPY(out->label, res, 0, 3);
		DB_COPY(out->source, res, 0, 4);
		hourstore_day_from(res, 0, 5, &out->hours);
		out->state = hours_state_parse(PQgetvalue(res, 0, 10));
		out->next_open = (time_t)db_ll(res, 0, 11);
		out->changes_in = db_int(res, 0, 12);
		out->server_now = (time_t)db_ll(res, 0, 13);
	}
	PQclear(res);
	return r;
}

enum hourstore_result
hourstore_week(struct db *db, const char *office, struct hourstore_week_day out[8])
{
	const char *p[] = { office };
	enum db_status st;
	PGresult *res = db_query(db, &st, "SELECT result, dow, source, morning_open, morning_close, "
	    "afternoon_open, afternoon_close, noon, updated_by FROM yc.hours_week($1) ORDER BY dow", 1, p);
	enum hourstore_result r = hourstore_result_of(res, st, 9);

	memset(out, 0, 8 * sizeof out[0]);
	for (int i = 0; i < 8; i++) {
		out[i].dow = i + 1;
		hours_day_closed(&out[i].hours);
	}
	if (r == HS_OK && PQntuples(res) != 8)
		r = HS_DB_ERROR;
	for (int i = 0; r == HS_OK && i < 8; i++) {
		out[i].dow = db_int(res, i, 1);
		DB_COPY(out[i].source, res, i, 2);
		hourstore_day_from(res, i, 3, &out[i].hours);
		DB_COPY(out[i].updated_by, res, i, 8);
	}
	PQclear(res);
	return r;
}

int
hourstore_exceptions(struct db *db, const char *office, const char *from,
    struct hourstore_date *out, int max, enum hourstore_result *r)
{
	const char *p[] = { office, from };
	enum db_status st;
	PGresult *res = db_query(db, &st, "SELECT result, day, kind, holiday, morning_open, "
	    "morning_close, afternoon_open, afternoon_close, noon, note FROM yc.hours_exceptions($1, $2::date)",
	    2, p);
	int n = 0;

	if (res != NULL && PQntuples(res) == 0) {
		*r = PQnfields(res) == 10 ? HS_OK : HS_DB_ERROR;
		PQclear(res);
		return *r == HS_OK ? 0 : -1;
	}
	*r = hourstore_result_of(res, st, 10);
	for (int i = 0; *r == HS_OK && i < PQntuples(res) && n < max; i++, n++) {
		struct hourstore_date *x = &out[n];

		memset(x, 0, sizeof *x);
		DB_COPY(x->day, res, i, 1);
		DB_COPY(x->kind, res, i, 2);
		DB_COPY(x->holiday, res, i, 3);
		hourstore_day_from(res, i, 4, &x->hours);
		DB_COPY(x->label, res, i, 9);
		snprintf(x->source, sizeof x->source, "exception");
	}
	PQclear(res);
	return *r == HS_OK ? n : -1;
}

int
hourstore_days(struct db *db, const char *office, const char *from, int ndays,
    struct hourstore_date *out, int max, enum hourstore_result *r)
{
	char days[16];
	const char *p[] = { office, from, days };
	enum db_status st;
	PGresult *res;
	int n = 0;

	snprintf(days, sizeof days, "%d", ndays);
	res = db_query(db, &st, "SELECT result, day, kind, label, source, morning_open, morning_close, "
	    "afternoon_open, afternoon_close, noon FROM yc.hours_days($1, $2::date, $3::int)", 3, p);
	*r = hourstore_result_of(res, st, 10);
	for (int i = 0; *r == HS_OK && i < PQntuples(res) && n < max; i++, n++) {
		struct hourstore_date *x = &out[n];

		memset(x, 0, sizeof *x);
		DB_COPY(x->day, res, i, 1);
		DB_COPY(x->kind, res, i, 2);
		DB_COPY(x->label, res, i, 3);
		DB_COPY(x->source, res, i, 4);
		hourstore_day_from(res, i, 5, &x->hours);
	}
	PQclear(res);
	return *r == HS_OK ? n : -1;
}

/* Where the change was made, for the audit trail: host and terminal. */
static char *
hourstore_client(void)
{
	char host[64] = "";
	const char *tty = ttyname(0);

	gethostname(host, sizeof host - 1);
	return xasprintf("%s %s", host, tty != NULL ? tty : "-");
}

/* "{1,2,3}" of n days. */
static void
hourstore_array(const int *dows, int n, char out[64])
{
	size_t len = 0;

	out[len++] = '{';
	for (int i = 0; i < n && i < 16 && len < 56; i++)
		len += (size_t)snprintf(out + len, 64 - len, i > 0 ? ",%d" : "%d", dows[i]);
	out[len++] = '}';
	out[len] = '\0';
}

/* Runs a change returning one result word. */
static enum hourstore_result
hourstore_change(struct db *db, const char *sql, int n, const char *const *p)
{
	enum db_status st;
	PGresult *res = db_query(db, &st, sql, n, p);
	enum hourstore_result r = hourstore_result_of(res, st, 1);

	PQclear(res);
	return r;
}

/* The text parameters of a day's hours: four times (NULL: none), noon. */
struct hourstore_times {
	char t[4][6];
	const char *p[5];
};

static void
hourstore_times(const struct hours_day *d, struct hourstore_times *x)
{
	const int m[4] = { d->open1, d->close1, d->open2, d->close2 };

	for (int i = 0; i < 4; i++) {
		hours_hhmm(m[i], x->t[i]);
		x->p[i] = m[i] >= 0 ? x->t[i] : NULL;
	}
	x->p[4] = d->noon ? "true" : "false";
}

enum hourstore_result
hourstore_set_days(struct db *db, long long session, const char *office, const int *dows, int n,
    const struct hours_day *d)
{
	char sid[24], days[64], *client = hourstore_client();
	struct hourstore_times x;
	enum hourstore_result r;

	db_id(sid, session);
	hourstore_array(dows, n, days);
	hourstore_times(d, &x);
	const char *p[] = { session != 0 ? sid : NULL, office, days, x.p[0], x.p[1], x.p[2], x.p[3],
		x.p[4], client };

	r = hourstore_change(db, "SELECT yc.hours_set_days($1::bigint, $2, $3::int[], $4, $5, $6, $7, "
	    "$8::boolean, $9)", 9, p);
	free(client);
	return r;
}

enum hourstore_result
hourstore_clear_days(struct db *db, long long session, const char *office, const int *dows, int n)
{
	char sid[24], days[64], *client = hourstore_client();
	enum hourstore_result r;

	db_id(sid, session);
	hourstore_array(dows, n, days);
	const char *p[] = { session != 0 ? sid : NULL, office, days, client };

	r = hourstore_change(db, "SELECT yc.hours_clear_days($1::bigint, $2, $3::int[], $4)", 4, p);
	free(client);
	return r;
}

enum hourstore_result
hourstore_set_exception(struct db *db, long long session, const char *office, const char *day,
    const struct hours_day *d, const char *note)
{
	char sid[24], *client = hourstore_client();
	struct hourstore_times x;
	enum hourstore_result r;

	db_id(sid, session);
	hourstore_times(d, &x);
	const char *p[] = { session != 0 ? sid : NULL, office, day, x.p[0], x.p[1], x.p[2], x.p[3],
		x.p[4], note, client };

	r = hourstore_change(db, "SELECT yc.hours_set_exception($1::bigint, $2, $3::date, $4, $5, $6, "
	    "$7, $8::boolean, $9, $10)", 10, p);
	free(client);
	return r;
}

enum hourstore_result
hourstore_drop_exception(struct db *db, long long session, const char *office, const char *day)
{
	char sid[24], *client = hourstore_client();
	enum hourstore_result r;

	db_id(sid, session);
	const char *p[] = { session != 0 ? sid : NULL, office, day, client };

	r = hourstore_change(db, "SELECT yc.hours_drop_exception($1::bigint, $2, $3::date, $4)", 4, p);
	free(client);
	return r;
}

enum db_status
hourstore_listen(struct db *db, const char *office)
{
	return db_listen(db, "yc_hours_", office);
}

const char *
hourstore_result_message(enum hourstore_result r)
{
	switch (r) {
	case HS_OK:
		return _("Done.");
	case HS_NO_SESSION:
		return _("No administrator is signed in: sign in again (commands: --staff STAFFNO, or "
		    "--as-owner on the database owner's connection).");
	case HS_NOT_ALLOWED:
		return _("Only an administrator may change opening hours, and only for their own office "
		    "and the offices below it.");
	case HS_UNKNOWN_OFFICE:
		return _("There is no office with that code.");
	case HS_BAD_DAY:
		return _("Give the day: mon, tue, wed, thu, fri, sat, sun, holiday (or workdays, weekend, "
		    "all), or a date YYYY-MM-DD.");
	case HS_PAST_DAY:
		return _("That day is past: only today and later days can be changed.");
	case HS_BAD_TIME:
		return hours_error_message(HOURS_BAD_TIME);
	case HS_BAD_ORDER:
		return hours_error_message(HOURS_BAD_ORDER);
	case HS_BAD_NOON:
		return hours_error_message(HOURS_BAD_NOON);
	case HS_BAD_NOTE:
		return _("Say why in a note of 1 to 40 characters, without control characters (e.g. 春节值班, 停电检修).");
	case HS_NOT_FOUND:
		return _("There are no special hours on that day.");
	case HS_DB_LOST:
		return _("The database connection was lost. Try again in a moment.");
	case HS_DB_ERROR:
		return _("The database refused the request. Call the administrator.");
	}
	return "";
}

bool
hourstore_bad_input(enum hourstore_result r)
{
	return r == HS_BAD_DAY || r == HS_PAST_DAY || r == HS_BAD_TIME || r == HS_BAD_ORDER ||
	    r == HS_BAD_NOON || r == HS_BAD_NOTE || r == HS_NOT_FOUND;
}

char *
hourstore_closed_message(time_t next_open, const char *today)
{
	char *when, *msg;
	struct cal_date d;
	char ymd[11];

	if (next_open <= 0)
		return xstrdup(_("Tickets are not being issued now: please ask at the guide desk."));
	d = cal_date_cn(next_open);
	cal_date_format(d, ymd);
	when = hours_when(next_open, today);
	if (today != NULL && strcmp(today, ymd) == 0)
		msg = xasprintf(_("Tickets are paused; they resume %s."), when);
	else
		msg = xasprintf(_("No more tickets today. Next opening: %s"), when);
	free(when);
	return msg;
}
