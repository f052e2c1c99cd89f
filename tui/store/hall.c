/*
 * The supervisor's console and handover notes through the server-side
 * functions of db/functions/supervision.sql; see hall.h. Every
 * function here is one parameterised query; the server decides, audits
 * and notifies, and answers with a result text mapped to enum hall_result.
 */
#include "store/hall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

static const struct {
	const char *text;
	enum hall_result r;
} hall_results[] = {
	{ "ok", HALL_OK },
	{ "no_session", HALL_NO_SESSION },
	{ "not_allowed", HALL_NOT_ALLOWED },
	{ "not_found", HALL_NOT_FOUND },
	{ "not_waiting", HALL_NOT_WAITING },
	{ "unknown_window", HALL_UNKNOWN_WINDOW },
	{ "handled", HALL_HANDLED },
	{ "bad_input", HALL_BAD_INPUT },
	{ "calendar", HALL_CALENDAR },
	{ "out_of_jurisdiction", HALL_OUT_OF_JURISDICTION },
	{ "unknown_office", HALL_UNKNOWN_OFFICE },
	{ "bad_text", HALL_BAD_TEXT },
};

/*
 * The result of a query whose first column is the result text: the
 * database status when it failed (res NULL); HALL_DB_ERROR for too few
 * columns, a NULL or unknown text, or no row (unless empty_ok: an empty
 * list is HALL_OK).
 */
static enum hall_result
hall_result_of(const PGresult *res, enum db_status st, int min_cols, bool empty_ok)
{
	if (res == NULL)
		return st == DB_LOST ? HALL_DB_LOST : HALL_DB_ERROR;
	if (PQnfields(res) < min_cols)
		return HALL_DB_ERROR;
	if (PQntuples(res) == 0)
		return empty_ok ? HALL_OK : HALL_DB_ERROR;
	if (PQgetisnull(res, 0, 0))
		return HALL_DB_ERROR;
	for (size_t i = 0; i < sizeof hall_results / sizeof hall_results[0]; i++)
		if (strcmp(PQgetvalue(res, 0, 0), hall_results[i].text) == 0)
			return hall_results[i].r;
	return HALL_DB_ERROR;
}

/* Runs a query returning one result text. */
static enum hall_result
hall_text_call(struct db *db, const char *sql, int n, const char *const *p)
{
	enum db_status st;
	PGresult *res = db_query(db, &st, sql, n, p);
	enum hall_result r = hall_result_of(res, st, 1, false);

	PQclear(res);
	return r;
}

static enum hall_window_state
hall_state_parse(const char *s)
{
	if (strcmp(s, "serving") == 0)
		return HW_SERVING;
	if (strcmp(s, "called") == 0)
		return HW_CALLED;
	if (strcmp(s, "paused") == 0)
		return HW_PAUSED;
	if (strcmp(s, "logged_out") == 0)
		return HW_LOGGED_OUT;
	return HW_IDLE;
}

int
hall_windows(struct db *db, long long session, const char *office, struct hall_window *out,
    int max, enum hall_result *res_out)
{
	char sid[24];
	const char *p[] = { sid, office };
	enum db_status st;
	enum hall_result r;
	PGresult *res;
	int n = 0;

	db_id(sid, session);
	res = db_query(db, &st, "SELECT result, window_no, label, staff_no, staff_name, state, "
	    "pause_reason, ticket_number, ticket_class, since FROM yc.hall_windows($1::bigint, $2)", 2, p);
	r = hall_result_of(res, st, 10, true);
	for (int i = 0; r == HALL_OK && i < PQntuples(res) && n < max; i++) {
		struct hall_window *w = &out[n++];

		memset(w, 0, sizeof *w);
		w->window_no = (int)db_ll(res, i, 1);
		DB_COPY(w->label, res, i, 2);
		DB_COPY(w->staff_no, res, i, 3);
		DB_COPY(w->staff_name, res, i, 4);
		w->state = hall_state_parse(PQgetvalue(res, i, 5));
		DB_COPY(w->pause_reason, res, i, 6);
		DB_COPY(w->ticket, res, i, 7);
		if (!queue_class_parse(PQgetvalue(res, i, 8), &w->cls))
			w->cls = QC_NORMAL;
		w->since = (time_t)db_ll(res, i, 9);
	}
	PQclear(res);
	if (res_out != NULL)
		*res_out = r;
	return r == HALL_OK ? n : -1;
}

enum hall_result
hall_queue(struct db *db, long long session, const char *office, struct hall_queue *out)
{
	char sid[24];
	const char *p[] = { sid, office };
	enum db_status st;
	enum hall_result r;
	PGresult *res;

	db_id(sid, session);
	memset(out, 0, sizeof *out);
	res = db_query(db, &st, "SELECT result, class, waiting, longest_wait_seconds, level_within, "
	    "level_base, target_minutes FROM yc.hall_queue($1::bigint, $2)", 2, p);
	r = hall_result_of(res, st, 7, false);
	for (int i = 0; r == HALL_OK && i < PQntuples(res); i++) {
		enum queue_class c;

		if (!queue_class_parse(PQgetvalue(res, i, 1), &c))
			continue;
		out->waiting[c] = (int)db_ll(res, i, 2);
		out->longest_wait_seconds[c] = (int)db_ll(res, i, 3);
		out->level_within[c] = (int)db_ll(res, i, 4);
		out->level_base[c] = (int)db_ll(res, i, 5);
		out->target_minutes = (int)db_ll(res, i, 6);
	}
	PQclear(res);
	return r;
}

int
hall_service_level(const struct hall_queue *q, enum queue_class cls)
{
	long within = 0, base = 0;

	for (int c = 0; c < QC_COUNT; c++)
		if (cls == QC_COUNT || (int)cls == c) {
			within += q->level_within[c];
			base += q->level_base[c];
		}
	return base > 0 ? (int)(within * 100 / base) : -1;
}

/* Fills out[0..n) from rows (result, index, value): a series by index. */
static enum hall_result
hall_series(struct db *db, long long session, const char *office, const char *sql, int *out, int n)
{
	char sid[24];
	const char *p[] = { sid, office };
	enum db_status st;
	enum hall_result r;
	PGresult *res;

	db_id(sid, session);
	memset(out, 0, sizeof *out * (size_t)n);
	res = db_query(db, &st, sql, 2, p);
	r = hall_result_of(res, st, 3, false);
	for (int i = 0; r == HALL_OK && i < PQntuples(res); i++) {
		long long k = db_ll(res, i, 1);

		if (k >= 0 && k < n)
			out[k] = (int)db_ll(res, i, 2);
	}
	PQclear(res);
	return r;
}

enum hall_result
hall_hourly(struct db *db, long long session, const char *office, int out[24])
{
	return hall_series(db, session, office,
	    "SELECT result, hour, issued FROM yc.hall_hourly($1::bigint, $2)", out, 24);
}

enum hall_result
hall_waits(struct db *db, long long session, const char *office, int out[HALL_WAIT_BUCKETS])
{
	return hall_series(db, session, office,
	    "SELECT result, bucket, tickets FROM yc.hall_waits($1::bigint, $2)", out, HALL_WAIT_BUCKETS);
}

const char *
hall_wait_label(int i)
{
	static const char *const labels[HALL_WAIT_BUCKETS] = {
		"0-5", "5-10", "10-15", "15-20", "20-30", "30-45", "45-60", "60+"
	};

	return i >= 0 && i < HALL_WAIT_BUCKETS ? labels[i] : "";
}

enum hall_result
hall_find_waiting(struct db *db, long long session, const char *office, const char *number,
    struct hall_ticket *out)
{
	char sid[24];
	const char *p[] = { sid, office, number != NULL ? number : "" };
	enum db_status st;
	enum hall_result r;
	PGresult *res;

	db_id(sid, session);
	memset(out, 0, sizeof *out);
	if (number == NULL || number[0] == '\0')
		return HALL_NOT_FOUND;
	res = db_query(db, &st, "SELECT result, ticket_id, number, class, issued_at, transfer_to "
	    "FROM yc.hall_waiting($1::bigint, $2, $3, 1)", 3, p);
	r = hall_result_of(res, st, 6, true);
	if (r == HALL_OK && PQntuples(res) == 0)
		r = HALL_NOT_FOUND;
	if (r == HALL_OK) {
		out->id = db_ll(res, 0, 1);
		DB_COPY(out->number, res, 0, 2);
		if (!queue_class_parse(PQgetvalue(res, 0, 3), &out->cls))
			out->cls = QC_NORMAL;
		out->issued_at = (time_t)db_ll(res, 0, 4);
		out->transfer_to = (int)db_ll(res, 0, 5);
	}
	PQclear(res);
	return r;
}

enum hall_result
hall_reroute(struct db *db, long long session, const char *office, long long ticket_id, int window)
{
	char sid[24], tid[24], win[16];
	const char *p[] = { sid, office, tid, window > 0 ? win : NULL };

	db_id(sid, session);
	db_id(tid, ticket_id);
	snprintf(win, sizeof win, "%d", window);
	return hall_text_call(db, "SELECT yc.hall_reroute($1::bigint, $2, $3::bigint, $4::int)", 4, p);
}

int
hall_ratings(struct db *db, long long session, struct hall_rating *out, int max,
    enum hall_result *res_out)
{
	char sid[24], lim[16];
	const char *p[] = { sid, lim };
	enum db_status st;
	enum hall_result r;
	PGresult *res;
	int n = 0;

	db_id(sid, session);
	snprintf(lim, sizeof lim, "%d", max > 0 ? max : 1);
	res = db_query(db, &st, "SELECT result, office_code, rating_id, office_name, rated_at, grade, "
	    "staff_no, staff_name, window_no, case_no, type_name, ticket_number "
	    "FROM yc.rating_flagged($1::bigint, $2::int)", 2, p);
	r = hall_result_of(res, st, 12, true);
	for (int i = 0; r == HALL_OK && i < PQntuples(res) && n < max; i++) {
		struct hall_rating *g = &out[n++];

		memset(g, 0, sizeof *g);
		DB_COPY(g->office_code, res, i, 1);
		g->id = db_ll(res, i, 2);
		DB_COPY(g->office_name, res, i, 3);
		g->rated_at = (time_t)db_ll(res, i, 4);
		g->grade = (int)db_ll(res, i, 5);
		DB_COPY(g->staff_no, res, i, 6);
		DB_COPY(g->staff_name, res, i, 7);
		g->window_no = (int)db_ll(res, i, 8);
		DB_COPY(g->case_no, res, i, 9);
		DB_COPY(g->type_name, res, i, 10);
		DB_COPY(g->ticket, res, i, 11);
	}
	PQclear(res);
	if (res_out != NULL)
		*res_out = r;
	return r == HALL_OK ? n : -1;
}

int
hall_due(struct db *db, long long session, const char *office, struct hall_due *out, int max,
    enum hall_result *res_out)
{
	char sid[24], lim[16];
	const char *p[] = { sid, office, lim };
	enum db_status st;
	enum hall_result r;
	PGresult *res;
	int n = 0;

	db_id(sid, session);
	snprintf(lim, sizeof lim, "%d", max < 1 ? 1 : max > 200 ? 200 : max);
	res = db_query(db, &st, "SELECT result, office_code, office_name, case_no, type_name, "
	    "person_name, kind, label, due, remaining, limit_days "
	    "FROM yc.hall_due($1::bigint, $2, $3::int)", 3, p);
	r = hall_result_of(res, st, 11, true);
	for (int i = 0; r == HALL_OK && i < PQntuples(res) && n < max; i++) {
		struct hall_due *d = &out[n++];
		const char *kind = PQgetvalue(res, i, 6);

		memset(d, 0, sizeof *d);
		DB_COPY(d->office_code, res, i, 1);
		DB_COPY(d->office_name, res, i, 2);
		DB_COPY(d->case_no, res, i, 3);
		DB_COPY(d->type_name, res, i, 4);
		DB_COPY(d->person_name, res, i, 5);
		d->kind = strcmp(kind, "stage") == 0 ? HD_STAGE
		    : strcmp(kind, "material") == 0 ? HD_MATERIAL : HD_CASE;
		DB_COPY(d->label, res, i, 7);
		DB_COPY(d->due, res, i, 8);
		d->remaining = (int)db_ll(res, i, 9);
		d->limit_days = (int)db_ll(res, i, 10);
	}
	PQclear(res);
	if (res_out != NULL)
		*res_out = r;
	return r == HALL_OK ? n : -1;
}

int
hall_offices(struct db *db, long long session, struct hall_office *out, int max,
    enum hall_result *res_out)
{
	char sid[24], lim[16];
	const char *p[] = { sid, lim };
	enum db_status st;
	enum hall_result r;
	PGresult *res;
	int n = 0;

	db_id(sid, session);
	snprintf(lim, sizeof lim, "%d", max < 1 ? 1 : max > 500 ? 500 : max);
	res = db_query(db, &st, "SELECT result, code, name, tier, depth, windows_active, windows_open, "
	    "waiting, longest_wait_seconds, target_minutes, served_today, overdue, near_due, due_more "
	    "FROM yc.hall_offices($1::bigint, $2::int)", 2, p);
	r = hall_result_of(res, st, 14, true);
	for (int i = 0; r == HALL_OK && i < PQntuples(res) && n < max; i++) {
		struct hall_office *o = &out[n++];

		memset(o, 0, sizeof *o);
		DB_COPY(o->code, res, i, 1);
		DB_COPY(o->name, res, i, 2);
		DB_COPY(o->tier, res, i, 3);
		o->depth = db_int(res, i, 4);
		o->windows_active = db_int(res, i, 5);
		o->windows_open = db_int(res, i, 6);
		o->waiting = db_int(res, i, 7);
		o->longest_wait_seconds = db_int(res, i, 8);
		o->target_minutes = db_int(res, i, 9);
		o->served_today = db_int(res, i, 10);
		o->overdue = db_int(res, i, 11);
		o->near_due = db_int(res, i, 12);
		o->due_more = strcmp(PQgetvalue(res, i, 13), "t") == 0;
	}
	PQclear(res);
	if (res_out != NULL)
		*res_out = r;
	return r == HALL_OK ? n : -1;
}

/* Appends "LISTEN|UNLISTEN yc_queue_<code>;" for each office code of
 * codes to buf at *len (the buffer grows); other codes are skipped. */
static void
hall_listen_add(char **buf, size_t *len, size_t *cap, const char *verb, const char *const *codes,
    int n)
{
	for (int i = 0; i < n; i++) {
		int w;

		if (!db_office_code_ok(codes[i]))
			continue;
		if (*cap - *len < 64) {
			*cap = *cap * 2 + 64;
			*buf = xrealloc(*buf, *cap);
		}
		w = snprintf(*buf + *len, *cap - *len, "%s yc_queue_%s;", verb, codes[i]);
		*len += (size_t)w;
	}
}

/* Channel names cannot be parameters: the statements are built only from
 * codes db_office_code_ok accepts (digits), as db_listen does. */
enum hall_result
hall_listen(struct db *db, const char *const *add, int nadd, const char *const *drop, int ndrop)
{
	size_t len = 0, cap = 256;
	char *sql = xmalloc(cap);
	enum db_status st = DB_OK;

	sql[0] = '\0';
	hall_listen_add(&sql, &len, &cap, "UNLISTEN", drop, ndrop);
	hall_listen_add(&sql, &len, &cap, "LISTEN", add, nadd);
	if (len > 0)
		st = db_script(db, sql);
	free(sql);
	return st == DB_OK ? HALL_OK : st == DB_LOST ? HALL_DB_LOST : HALL_DB_ERROR;
}

enum hall_result
hall_follow_up(struct db *db, long long session, const char *office, long long rating_id,
    const char *note)
{
	char sid[24], rid[24];
	const char *p[] = { sid, office, rid, note };

	db_id(sid, session);
	db_id(rid, rating_id);
	return hall_text_call(db, "SELECT yc.rating_follow_up($1::bigint, $2, $3::bigint, $4)", 4, p);
}

enum hall_result
hall_handover_write(struct db *db, long long session, const char *note)
{
	char sid[24];
	const char *p[] = { sid, note };

	db_id(sid, session);
	return hall_text_call(db, "SELECT yc.handover_write($1::bigint, $2)", 2, p);
}

enum hall_result
hall_handover_latest(struct db *db, long long session, struct hall_handover *out)
{
	char sid[24];
	const char *p[] = { sid };
	enum db_status st;
	enum hall_result r;
	PGresult *res;

	db_id(sid, session);
	memset(out, 0, sizeof *out);
	res = db_query(db, &st, "SELECT result, written_at, staff_no, staff_name, note "
	    "FROM yc.handover_latest($1::bigint)", 1, p);
	r = hall_result_of(res, st, 5, false);
	if (r == HALL_OK) {
		out->written_at = (time_t)db_ll(res, 0, 1);
		DB_COPY(out->staff_no, res, 0, 2);
		DB_COPY(out->staff_name, res, 0, 3);
		DB_COPY(out->note, res, 0, 4);
	}
	PQclear(res);
	return r;
}

const char *
hall_result_message(enum hall_result r)
{
	switch (r) {
	case HALL_OK:
		return _("Done.");
	case HALL_NO_SESSION:
		return _("Your session has ended; sign in again.");
	case HALL_NOT_ALLOWED:
		return _("Only the shift supervisor may do this.");
	case HALL_NOT_FOUND:
		return _("Nothing was found; check the number and try again.");
	case HALL_NOT_WAITING:
		return _("That ticket is no longer waiting; it was called or ended meanwhile.");
	case HALL_UNKNOWN_WINDOW:
		return _("That window is not open; choose another window of this office.");
	case HALL_HANDLED:
		return _("This rating was followed up already.");
	case HALL_BAD_INPUT:
		return _("Write a note (at most 500 characters).");
	case HALL_CALENDAR:
		return _("The due date lies beyond the loaded working-day calendar; ask the administrator to load the next year.");
	case HALL_OUT_OF_JURISDICTION:
		return _("That office is neither yours nor below yours: its hall is not shown to you.");
	case HALL_UNKNOWN_OFFICE:
		return _("There is no office with that code.");
	case HALL_BAD_TEXT:
		return _("A text holds a control character or a direction override (pasted from elsewhere?): "
		    "nothing was saved. Type it again.");
	case HALL_DB_LOST:
		return _("The connection to the database is lost; nothing was changed.");
	case HALL_DB_ERROR:
		return _("The database refused the operation; please tell the administrator.");
	}
	return "";
}
