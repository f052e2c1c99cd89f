/*
 * The daily report from the database; see daily.h. Four parameterised
 * queries: the office's name, the clerk rows, the case-type rows, the
 * tickets and 延时服务 (db/functions/hours.sql).
 */
#include "store/daily.h"

#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

/* Columns after the result column (session) or from the first (admin). */
static const char *const daily_staff_sql[2] = {
	"SELECT 'ok', is_total, staff_no, staff_name, served, no_show, avg_wait_s, avg_service_s, "
	"grade1, grade2, grade3, grade4, grade5 FROM yc.report_daily_staff($1, $2::date)",
	"SELECT result, is_total, staff_no, staff_name, served, no_show, avg_wait_s, avg_service_s, "
	"grade1, grade2, grade3, grade4, grade5 FROM yc.report_session_staff($3::bigint, $1, $2::date)",
};
static const char *const daily_types_sql[2] = {
	"SELECT 'ok', is_total, case_type_code, case_type_name, accepted, immediate, finished, "
	"overdue, supplement, deferred, withdrawn, terminated FROM yc.report_daily_types($1, $2::date)",
	"SELECT result, is_total, case_type_code, case_type_name, accepted, immediate, finished, "
	"overdue, supplement, deferred, withdrawn, terminated "
	"FROM yc.report_session_types($3::bigint, $1, $2::date)",
};

static const char *const daily_tickets_sql[2] = {
	"SELECT 'ok', issued, extended, noon, offday FROM yc.report_daily_tickets($1, $2::date)",
	"SELECT result, issued, extended, noon, offday "
	"FROM yc.report_session_tickets($3::bigint, $1, $2::date)",
};

static const char *const daily_appointments_sql[2] = {
	"SELECT 'ok', booked, checked_in, missed, cancelled, by_phone "
	"FROM yc.report_daily_appointments($1, $2::date)",
	"SELECT result, booked, checked_in, missed, cancelled, by_phone "
	"FROM yc.report_session_appointments($3::bigint, $1, $2::date)",
};

static enum daily_result
daily_result_of(const PGresult *res, enum db_status st, int ncols)
{
	const char *t;

	if (res == NULL)
		return st == DB_LOST ? DAILY_DB_LOST : DAILY_DB_ERROR;
	if (PQnfields(res) != ncols || PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		return DAILY_DB_ERROR;
	t = PQgetvalue(res, 0, 0);
	return strcmp(t, "ok") == 0 ? DAILY_OK :
	    strcmp(t, "no_session") == 0 ? DAILY_NO_SESSION :
	    strcmp(t, "not_allowed") == 0 ? DAILY_NOT_ALLOWED :
	    strcmp(t, "unknown_office") == 0 ? DAILY_UNKNOWN_OFFICE : DAILY_DB_ERROR;
}

static char *
daily_text(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? NULL : xstrdup(PQgetvalue(res, r, c));
}

static long
daily_num(const PGresult *res, int r, int c, long none)
{
	return PQgetisnull(res, r, c) ? none : strtol(PQgetvalue(res, r, c), NULL, 10);
}

static void
daily_staff_rows(const PGresult *res, struct report_daily *out)
{
	out->nstaff = (size_t)PQntuples(res);
	out->staff = xcalloc(out->nstaff + 1, sizeof *out->staff);
	for (int r = 0; r < PQntuples(res); r++) {
		struct report_staff_row *s = &out->staff[r];

		s->total = PQgetvalue(res, r, 1)[0] == 't';
		s->staff_no = daily_text(res, r, 2);
		s->name = daily_text(res, r, 3);
		s->served = (int)daily_num(res, r, 4, 0);
		s->no_show = (int)daily_num(res, r, 5, 0);
		s->avg_wait_s = daily_num(res, r, 6, -1);
		s->avg_service_s = daily_num(res, r, 7, -1);
		for (int g = 0; g < 5; g++)
			s->grades[g] = (int)daily_num(res, r, 8 + g, 0);
	}
}

static void
daily_type_rows(const PGresult *res, struct report_daily *out)
{
	out->ntypes = (size_t)PQntuples(res);
	out->types = xcalloc(out->ntypes + 1, sizeof *out->types);
	for (int r = 0; r < PQntuples(res); r++) {
		struct report_type_row *y = &out->types[r];
		int *n[] = { &y->accepted, &y->immediate, &y->finished, &y->overdue, &y->supplement,
		    &y->deferred, &y->withdrawn, &y->terminated };

		y->total = PQgetvalue(res, r, 1)[0] == 't';
		y->code = daily_text(res, r, 2);
		if (y->code == NULL)
			y->code = xstrdup("");
		y->name = daily_text(res, r, 3);
		for (size_t k = 0; k < sizeof n / sizeof n[0]; k++)
			*n[k] = (int)daily_num(res, r, 4 + (int)k, 0);
	}
}

enum daily_result
daily_fetch(struct db *db, long long session, const char *office, const char *date,
    struct report_daily *out)
{
	char sid[24];
	const char *params[3] = { office, date, sid };
	int as_session = session != 0, np = as_session ? 3 : 2;
	PGresult *name, *rs = NULL, *rt = NULL, *rk = NULL, *ra = NULL;
	enum daily_result r;
	enum db_status st;

	memset(out, 0, sizeof *out);
	db_id(sid, session);
	name = db_query(db, &st, "SELECT name FROM yc.office WHERE code = $1", 1, params);
	if (name == NULL)
		return st == DB_LOST ? DAILY_DB_LOST : DAILY_DB_ERROR;
	if (PQntuples(name) == 0) {
		PQclear(name);
		return DAILY_UNKNOWN_OFFICE;
	}
	rs = db_query(db, &st, daily_staff_sql[as_session], np, params);
	r = daily_result_of(rs, st, 13);
	if (r == DAILY_OK) {
		rt = db_query(db, &st, daily_types_sql[as_session], np, params);
		r = daily_result_of(rt, st, 12);
	}
	if (r == DAILY_OK) {
		rk = db_query(db, &st, daily_tickets_sql[as_session], np, params);
		r = daily_result_of(rk, st, 5);
	}
	if (r == DAILY_OK) {
		ra = db_query(db, &st, daily_appointments_sql[as_session], np, params);
		r = daily_result_of(ra, st, 6);
	}
	if (r == DAILY_OK) {
		out->have_appointments = true;
		out->appt_booked = (int)daily_num(ra, 0, 1, 0);
		out->appt_checked_in = (int)daily_num(ra, 0, 2, 0);
		out->appt_missed = (int)daily_num(ra, 0, 3, 0);
		out->appt_cancelled = (int)daily_num(ra, 0, 4, 0);
		out->appt_phone = (int)daily_num(ra, 0, 5, 0);
		out->have_tickets = true;
		out->issued = (int)daily_num(rk, 0, 1, 0);
		out->extended = (int)daily_num(rk, 0, 2, 0);
		out->extended_noon = (int)daily_num(rk, 0, 3, 0);
		out->extended_offday = (int)daily_num(rk, 0, 4, 0);
		out->office_code = xstrdup(office);
		out->office_name = xstrdup(PQgetvalue(name, 0, 0));
		out->date = xstrdup(date);
		daily_staff_rows(rs, out);
		daily_type_rows(rt, out);
	}
	PQclear(name);
	PQclear(rs);
	PQclear(rt);
	PQclear(rk);
	PQclear(ra);
	return r;
}

static const char *const daily_offices_sql[2] = {
	"SELECT 'ok', is_total, office_code, office_name, depth, issued, served, no_show, avg_wait_s, "
	"accepted, finished, in_time, rated, rated_good, rated_bad "
	"FROM yc.report_offices($1, $2::date, $3::date, $4::boolean)",
	"SELECT result, is_total, office_code, office_name, depth, issued, served, no_show, avg_wait_s, "
	"accepted, finished, in_time, rated, rated_good, rated_bad "
	"FROM yc.report_session_offices($5::bigint, $1, $2::date, $3::date, $4::boolean)",
};

enum daily_result
daily_offices_fetch(struct db *db, long long session, const char *office, const char *from,
    bool monthly, bool below, struct report_offices *out)
{
	char sid[24];
	const char *params[5] = { office, from, monthly ? "t" : "f", below ? "t" : "f", sid };
	int as_session = session != 0;
	PGresult *name, *res;
	enum daily_result r;
	enum db_status st;

	memset(out, 0, sizeof *out);
	db_id(sid, session);
	/* The office's name and the last day: the day itself, or the end of
	 * the month or today, whichever is first. */
	name = db_query(db, &st, "SELECT name, CASE WHEN $3::boolean THEN least("
	    "(date_trunc('month', $2::date) + interval '1 month' - interval '1 day')::date, "
	    "(now() AT TIME ZONE 'Asia/Shanghai')::date) ELSE $2::date END "
	    "FROM yc.office WHERE code = $1", 3, params);
	if (name == NULL)
		return st == DB_LOST ? DAILY_DB_LOST : DAILY_DB_ERROR;
	if (PQntuples(name) == 0) {
		PQclear(name);
		return DAILY_UNKNOWN_OFFICE;
	}
	if (strcmp(PQgetvalue(name, 0, 1), from) < 0) {
		PQclear(name);
		return DAILY_NOT_BEGUN;
	}
	params[2] = PQgetvalue(name, 0, 1);
	res = db_query(db, &st, daily_offices_sql[as_session], as_session ? 5 : 4, params);
	r = daily_result_of(res, st, 15);
	if (r == DAILY_OK) {
		out->office_code = xstrdup(office);
		out->office_name = xstrdup(PQgetvalue(name, 0, 0));
		out->period = monthly ? xstrndup(from, 7) : xstrdup(from);
		out->last_day = monthly ? xstrdup(params[2]) : NULL;
		out->monthly = monthly;
		out->below = below;
		out->nrows = (size_t)PQntuples(res);
		out->rows = xcalloc(out->nrows + 1, sizeof *out->rows);
		for (int i = 0; i < PQntuples(res); i++) {
			struct report_office_row *o = &out->rows[i];
			int *n[] = { &o->issued, &o->served, &o->no_show };
			int *m[] = { &o->accepted, &o->finished, &o->in_time, &o->rated, &o->rated_good,
			    &o->rated_bad };

			o->total = PQgetvalue(res, i, 1)[0] == 't';
			o->code = daily_text(res, i, 2);
			o->name = daily_text(res, i, 3);
			o->depth = (int)daily_num(res, i, 4, 0);
			for (int k = 0; k < 3; k++)
				*n[k] = (int)daily_num(res, i, 5 + k, 0);
			o->avg_wait_s = daily_num(res, i, 8, -1);
			for (int k = 0; k < 6; k++)
				*m[k] = (int)daily_num(res, i, 9 + k, 0);
		}
	}
	PQclear(name);
	PQclear(res);
	return r;
}

const char *
daily_result_message(enum daily_result r)
{
	switch (r) {
	case DAILY_OK:
		return _("Done.");
	case DAILY_NO_SESSION:
		return _("Your session has ended; sign in again.");
	case DAILY_NOT_ALLOWED:
		return _("Only the shift supervisor may print the daily report, and only for this office "
		    "and the offices below it.");
	case DAILY_UNKNOWN_OFFICE:
		return _("There is no office with that code.");
	case DAILY_NOT_BEGUN:
		return _("That month has not begun yet.");
	case DAILY_DB_LOST:
		return _("The database connection was lost. Try again in a moment.");
	case DAILY_DB_ERROR:
		return _("The database refused the request. Call the administrator.");
	}
	return "";
}
