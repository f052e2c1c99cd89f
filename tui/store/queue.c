/*
 * The hall queue through the server-side functions of
 * db/functions/queue.sql; see queue.h. Every function here is one
 * parameterised query; the server decides, locks, audits and notifies, and
 * answers with a result text that is mapped to enum queue_result.
 */
#include "store/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/i18n.h"
#include "util/xalloc.h"

/* The columns of yc.queue_ticket_info, in order, as "(x.tk).*" expands. */
#define QUEUE_TICKET_COLS 11

static const char *const queue_keys[QC_COUNT] = {
	[QC_NORMAL] = "normal",
	[QC_PRIORITY] = "priority",
	[QC_GREEN] = "green",
	[QC_APPOINTMENT] = "appointment",
};

static enum queue_result
queue_parse_result(const char *r)
{
	static const struct {
		const char *name;
		enum queue_result result;
	} map[] = {
		{ "ok", QUEUE_OK },
		{ "empty", QUEUE_EMPTY },
		{ "paused", QUEUE_PAUSED },
		{ "busy", QUEUE_BUSY },
		{ "no_ticket", QUEUE_NO_TICKET },
		{ "not_called", QUEUE_NOT_CALLED },
		{ "unknown_office", QUEUE_UNKNOWN_OFFICE },
		{ "unknown_window", QUEUE_UNKNOWN_WINDOW },
		{ "bad_id", QUEUE_BAD_ID },
		{ "bad_appointment", QUEUE_BAD_APPOINTMENT },
		{ "not_allowed", QUEUE_NOT_ALLOWED },
		{ "no_session", QUEUE_NO_SESSION },
		{ "bad_window", QUEUE_BAD_WINDOW },
		{ "window_closed", QUEUE_WINDOW_CLOSED },
		{ "closed", QUEUE_CLOSED },
		{ "appointment_early", QUEUE_APPOINTMENT_EARLY },
		{ "appointment_missed", QUEUE_APPOINTMENT_MISSED },
		{ "bad_text", QUEUE_BAD_TEXT },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(r, map[i].name) == 0)
			return map[i].result;
	return QUEUE_DB_ERROR;
}

static enum queue_result
queue_status(enum db_status st)
{
	return st == DB_LOST ? QUEUE_DB_LOST : QUEUE_DB_ERROR;
}

/* Reads the QUEUE_TICKET_COLS ticket columns starting at col; all NULL
 * (no ticket) gives a zeroed ticket. */
static void
queue_ticket_from(const PGresult *res, int row, int col, struct queue_ticket *t)
{
	memset(t, 0, sizeof *t);
	if (PQgetisnull(res, row, col))
		return;
	t->id = db_ll(res, row, col);
	db_copy(t->number, sizeof t->number, PQgetvalue(res, row, col + 1));
	if (!queue_class_parse(PQgetvalue(res, row, col + 2), &t->cls))
		t->cls = QC_NORMAL;
	db_copy(t->status, sizeof t->status, PQgetvalue(res, row, col + 3));
	t->window_no = (int)db_ll(res, row, col + 4);
	t->issued_at = (time_t)db_ll(res, row, col + 5);
	t->called_at = (time_t)db_ll(res, row, col + 6);
	t->started_at = (time_t)db_ll(res, row, col + 7);
	t->finished_at = (time_t)db_ll(res, row, col + 8);
	t->recalls = (int)db_ll(res, row, col + 9);
	t->has_id = strcmp(PQgetvalue(res, row, col + 10), "t") == 0;
}

/*
 * The result of a query whose first column is the result text. A missing
 * or malformed answer (no row, too few columns) is QUEUE_DB_ERROR. res may
 * be NULL (the query failed with st).
 */
static enum queue_result
queue_result_of(const PGresult *res, enum db_status st, int min_cols)
{
	if (res == NULL)
		return queue_status(st);
	if (PQntuples(res) < 1 || PQnfields(res) < min_cols || PQgetisnull(res, 0, 0))
		return QUEUE_DB_ERROR;
	return queue_parse_result(PQgetvalue(res, 0, 0));
}

/* Where a ticket was issued, for the audit trail: host and terminal. */
static char *
queue_client(void)
{
	char host[64] = "";
	const char *tty = ttyname(0);

	gethostname(host, sizeof host - 1);
	return xasprintf("%s %s", host, tty != NULL ? tty : "-");
}

/* Runs "SELECT result, (r.tk).* FROM yc.<fn>(...) r" and fills out (may be
 * NULL) with the ticket. */
static enum queue_result
queue_ticket_call(struct db *db, const char *sql, int n, const char *const *p,
    struct queue_ticket *out)
{
	enum db_status st;
	PGresult *res = db_query(db, &st, sql, n, p);
	enum queue_result r = queue_result_of(res, st, 1 + QUEUE_TICKET_COLS);

	if (out != NULL) {
		memset(out, 0, sizeof *out);
		if (r == QUEUE_OK)
			queue_ticket_from(res, 0, 1, out);
	}
	PQclear(res);
	return r;
}

/* Runs a query returning one result text. */
static enum queue_result
queue_text_call(struct db *db, const char *sql, int n, const char *const *p)
{
	enum db_status st;
	PGresult *res = db_query(db, &st, sql, n, p);
	enum queue_result r = queue_result_of(res, st, 1);

	PQclear(res);
	return r;
}

/* yc.queue_issue with its window (0: none); see queue_issue, queue_issue_green. */
static enum queue_result
queue_issue_at(struct db *db, const char *office, enum queue_class cls, const char *id_no,
    const char *appointment, long long session_id, int window, struct queue_issue *out)
{
	char sid[24], win[16], *client = queue_client();
	const char *p[] = {
		office, queue_class_key(cls),
		id_no != NULL && *id_no != '\0' ? id_no : NULL,
		appointment != NULL && *appointment != '\0' ? appointment : NULL,
		session_id > 0 ? sid : NULL, client, window != 0 ? win : NULL,
	};
	enum db_status st;
	PGresult *res;
	enum queue_result r;

	db_id(sid, session_id);
	snprintf(win, sizeof win, "%d", window);
	memset(out, 0, sizeof *out);
	if ((unsigned)cls >= QC_COUNT) {
		free(client);
		return QUEUE_DB_ERROR;
	}
	res = db_query(db, &st, "SELECT r.result, (r.tk).*, r.ahead, r.est_wait_minutes, "
	    "r.office_name, r.placed, r.to_window, r.opens_at "
	    "FROM yc.queue_issue($1, $2, $3, $4, $5::bigint, $6, $7::int) r", 7, p);
	free(client);
	r = queue_result_of(res, st, 1 + QUEUE_TICKET_COLS + 6);
	if (r == QUEUE_CLOSED || r == QUEUE_APPOINTMENT_EARLY)
		out->opens_at = (time_t)db_ll(res, 0, 6 + QUEUE_TICKET_COLS);
	if (r == QUEUE_OK) {
		const char *placed = PQgetvalue(res, 0, 4 + QUEUE_TICKET_COLS);

		queue_ticket_from(res, 0, 1, &out->t);
		out->ahead = (int)db_ll(res, 0, 1 + QUEUE_TICKET_COLS);
		out->est_wait_minutes = (int)db_ll(res, 0, 2 + QUEUE_TICKET_COLS);
		db_copy(out->office_name, sizeof out->office_name,
		    PQgetvalue(res, 0, 3 + QUEUE_TICKET_COLS));
		out->placed = strcmp(placed, "window") == 0 ? QP_WINDOW :
		    strcmp(placed, "reserved") == 0 ? QP_RESERVED :
		    strcmp(placed, "queue") == 0 ? QP_QUEUE : QP_NONE;
		out->to_window = (int)db_ll(res, 0, 5 + QUEUE_TICKET_COLS);
	}
	PQclear(res);
	return r;
}

enum queue_result
queue_issue(struct db *db, const char *office, enum queue_class cls, const char *id_no,
    const char *appointment, long long session_id, struct queue_issue *out)
{
	return queue_issue_at(db, office, cls, id_no, appointment, session_id, 0, out);
}

enum queue_result
queue_issue_green(struct db *db, const char *office, const char *id_no, long long session_id,
    int window, struct queue_issue *out)
{
	return queue_issue_at(db, office, QC_GREEN, id_no, NULL, session_id, window, out);
}

char *
queue_green_placed_message(const struct queue_issue *is)
{
	switch (is->placed) {
	case QP_WINDOW:
		return xasprintf(_("Green channel %s went to window %d."), is->t.number, is->to_window);
	case QP_RESERVED:
		return xasprintf(_("Green channel %s went to window %d: it is next there (the window is "
		    "busy or paused)."), is->t.number, is->to_window);
	case QP_QUEUE:
	case QP_NONE:
		break;
	}
	return xasprintf(_("Green channel %s: no window is free; it is first for the next window "
	    "that calls."), is->t.number);
}

enum queue_result
queue_office_guide_desk(struct db *db, const char *office, bool *out)
{
	const char *p[] = { office };
	enum db_status st;
	PGresult *res = db_query(db, &st, "SELECT guide_desk FROM yc.office WHERE code = $1", 1, p);
	enum queue_result r;

	*out = false;
	if (res == NULL)
		return queue_status(st);
	r = PQntuples(res) == 1 && PQnfields(res) == 1 ? QUEUE_OK : QUEUE_UNKNOWN_OFFICE;
	if (r == QUEUE_OK)
		*out = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return r;
}

enum queue_result
queue_call_next(struct db *db, long long session_id, struct queue_ticket *out)
{
	char sid[24];
	const char *p[] = { sid };

	enum db_status st;
	PGresult *res;
	enum queue_result r;

	db_id(sid, session_id);
	/* The board learns of the call after its commit, in the same round
	 * trip (see yc.queue_call_announce); the call stands whether or not
	 * the announcement gets through. */
	res = db_query_then(db, &st, "SELECT r.result, (r.tk).* FROM yc.queue_call_next($1::bigint) r",
	    1, p, "SELECT yc.queue_call_announce()", 0, NULL);
	r = queue_result_of(res, st, 1 + QUEUE_TICKET_COLS);
	if (out != NULL) {
		memset(out, 0, sizeof *out);
		if (r == QUEUE_OK)
			queue_ticket_from(res, 0, 1, out);
	}
	PQclear(res);
	return r;
}

enum queue_result
queue_recall(struct db *db, long long session_id, struct queue_ticket *out)
{
	char sid[24];
	const char *p[] = { sid };

	db_id(sid, session_id);
	return queue_ticket_call(db, "SELECT r.result, (r.tk).* FROM yc.queue_recall($1::bigint) r",
	    1, p, out);
}

enum queue_result
queue_start(struct db *db, long long session_id, struct queue_ticket *out)
{
	char sid[24];
	const char *p[] = { sid };

	db_id(sid, session_id);
	return queue_ticket_call(db, "SELECT r.result, (r.tk).* FROM yc.queue_start($1::bigint) r",
	    1, p, out);
}

enum queue_result
queue_finish(struct db *db, long long session_id, bool served)
{
	char sid[24];
	const char *p[] = { sid, served ? "true" : "false" };

	db_id(sid, session_id);
	return queue_text_call(db, "SELECT yc.queue_finish($1::bigint, $2::boolean)", 2, p);
}

enum queue_result
queue_transfer(struct db *db, long long session_id, int to_window)
{
	char sid[24], win[16];
	const char *p[] = { sid, to_window > 0 ? win : NULL };

	db_id(sid, session_id);
	snprintf(win, sizeof win, "%d", to_window);
	return queue_text_call(db, "SELECT yc.queue_transfer($1::bigint, $2::int)", 2, p);
}

enum queue_result
queue_hold(struct db *db, long long session_id)
{
	char sid[24];
	const char *p[] = { sid };

	db_id(sid, session_id);
	return queue_text_call(db, "SELECT yc.queue_hold($1::bigint)", 1, p);
}

enum queue_result
queue_resume_held(struct db *db, long long session_id, long long ticket_id,
    struct queue_ticket *out)
{
	char sid[24], tid[24];
	const char *p[] = { sid, tid };

	db_id(sid, session_id);
	db_id(tid, ticket_id);
	return queue_ticket_call(db,
	    "SELECT r.result, (r.tk).* FROM yc.queue_resume_held($1::bigint, $2::bigint) r", 2, p, out);
}

enum queue_result
queue_pause(struct db *db, long long session_id, const char *reason)
{
	char sid[24];
	const char *p[] = { sid, reason };

	db_id(sid, session_id);
	return queue_text_call(db, "SELECT yc.queue_pause($1::bigint, $2)", 2, p);
}

enum queue_result
queue_resume(struct db *db, long long session_id)
{
	char sid[24];
	const char *p[] = { sid };

	db_id(sid, session_id);
	return queue_text_call(db, "SELECT yc.queue_resume($1::bigint)", 1, p);
}

enum queue_result
queue_window_state(struct db *db, long long session_id, struct queue_window *out)
{
	char sid[24];
	const char *p[] = { sid };
	enum db_status st;
	PGresult *res;
	enum queue_result r;

	db_id(sid, session_id);
	memset(out, 0, sizeof *out);
	res = db_query(db, &st, "SELECT r.result, r.kind, r.paused, r.reason, (r.tk).* "
	    "FROM yc.queue_window_state($1::bigint) r", 1, p);
	r = queue_result_of(res, st, 4 + QUEUE_TICKET_COLS);
	for (int i = 0; r == QUEUE_OK && i < PQntuples(res); i++) {
		const char *kind = PQgetvalue(res, i, 1);

		if (strcmp(kind, "window") == 0) {
			out->paused = strcmp(PQgetvalue(res, i, 2), "t") == 0;
			db_copy(out->pause_reason, sizeof out->pause_reason, PQgetvalue(res, i, 3));
		} else if (strcmp(kind, "current") == 0) {
			queue_ticket_from(res, i, 4, &out->current);
		} else if (strcmp(kind, "held") == 0 &&
		    out->nheld < (int)(sizeof out->held / sizeof out->held[0])) {
			queue_ticket_from(res, i, 4, &out->held[out->nheld++]);
		}
	}
	PQclear(res);
	return r;
}

enum queue_result
queue_counts(struct db *db, const char *office, struct queue_counts *out)
{
	const char *p[] = { office };
	enum db_status st;
	PGresult *res;
	enum queue_result r;

	memset(out, 0, sizeof *out);
	res = db_query(db, &st, "SELECT result, class, waiting, longest_wait_seconds, "
	    "target_minutes, office_name FROM yc.queue_counts($1)", 1, p);
	r = queue_result_of(res, st, 6);
	for (int i = 0; r == QUEUE_OK && i < PQntuples(res); i++) {
		enum queue_class c;

		if (!queue_class_parse(PQgetvalue(res, i, 1), &c))
			continue;
		out->waiting[c] = (int)db_ll(res, i, 2);
		out->longest_wait_seconds[c] = (int)db_ll(res, i, 3);
		out->target_minutes = (int)db_ll(res, i, 4);
		db_copy(out->office_name, sizeof out->office_name, PQgetvalue(res, i, 5));
	}
	PQclear(res);
	return r;
}

int
queue_recent_calls(struct db *db, const char *office, struct queue_call *out, int max,
    enum queue_result *res_out)
{
	char lim[16];
	const char *p[] = { office, lim };
	enum db_status st;
	PGresult *res;
	enum queue_result r;
	int n = 0;

	if (max <= 0) {
		if (res_out != NULL)
			*res_out = QUEUE_OK;
		return 0;
	}
	snprintf(lim, sizeof lim, "%d", max);
	res = db_query(db, &st, "SELECT result, number, window_no, called_at "
	    "FROM yc.queue_recent_calls($1, $2::int)", 2, p);
	if (res != NULL && PQntuples(res) == 0 && PQnfields(res) >= 4)
		r = QUEUE_OK;	/* no call yet today */
	else
		r = queue_result_of(res, st, 4);
	for (int i = 0; r == QUEUE_OK && i < PQntuples(res) && n < max; i++) {
		db_copy(out[n].number, sizeof out[n].number, PQgetvalue(res, i, 1));
		out[n].window_no = (int)db_ll(res, i, 2);
		out[n].called_at = (time_t)db_ll(res, i, 3);
		n++;
	}
	PQclear(res);
	if (res_out != NULL)
		*res_out = r;
	return n;
}

void
queue_channel(const char *office, char out[40])
{
	snprintf(out, 40, "yc_queue_%s", office != NULL ? office : "");
}

enum queue_result
queue_listen(struct db *db, const char *office)
{
	enum db_status st;

	if (!db_office_code_ok(office))
		return QUEUE_UNKNOWN_OFFICE;
	st = db_listen(db, "yc_queue_", office);
	return st == DB_OK ? QUEUE_OK : queue_status(st);
}

const char *
queue_class_name(enum queue_class cls)
{
	switch (cls) {
	case QC_NORMAL:
		return _("Normal");
	case QC_PRIORITY:
		return _("Priority");
	case QC_GREEN:
		return _("Green channel");
	case QC_APPOINTMENT:
		return _("Appointment");
	case QC_COUNT:
		break;
	}
	return "";
}

char
queue_class_letter(enum queue_class cls)
{
	static const char letters[QC_COUNT] = { 'A', 'B', 'G', 'Y' };

	return (unsigned)cls < QC_COUNT ? letters[cls] : '?';
}

bool
queue_class_parse(const char *s, enum queue_class *out)
{
	for (int i = 0; s != NULL && i < QC_COUNT; i++)
		if (strcmp(s, queue_keys[i]) == 0) {
			*out = (enum queue_class)i;
			return true;
		}
	return false;
}

const char *
queue_class_key(enum queue_class cls)
{
	return (unsigned)cls < QC_COUNT ? queue_keys[cls] : "";
}

const char *
queue_result_message(enum queue_result r)
{
	switch (r) {
	case QUEUE_OK:
		return _("Done.");
	case QUEUE_EMPTY:
		return _("Nobody is waiting.");
	case QUEUE_PAUSED:
		return _("This window is paused; resume it first.");
	case QUEUE_BUSY:
		return _("This window still has a current ticket; finish, transfer or hold it first.");
	case QUEUE_NO_TICKET:
		return _("This window has no current ticket.");
	case QUEUE_NOT_CALLED:
		return _("Only a called ticket whose service has not started can be marked as a no-show.");
	case QUEUE_UNKNOWN_OFFICE:
		return _("Unknown or deactivated office.");
	case QUEUE_UNKNOWN_WINDOW:
		return _("That window is not open; choose another window of this office.");
	case QUEUE_BAD_ID:
		return _("The ID number is not valid; check it and try again.");
	case QUEUE_BAD_APPOINTMENT:
		return _("The appointment code is unknown, already used, not for today or not for this office.");
	case QUEUE_NOT_ALLOWED:
		return _("Green-channel tickets are issued by the guide desk or the shift supervisor.");
	case QUEUE_NO_SESSION:
		return _("Your session has ended; sign in again.");
	case QUEUE_BAD_WINDOW:
		return _("There is no such window at this office.");
	case QUEUE_WINDOW_CLOSED:
		return _("Nobody is signed in at that window; choose another, or Enter for the next free one.");
	case QUEUE_CLOSED:
		return _("The hall is closed now: no tickets outside the opening hours.");
	case QUEUE_APPOINTMENT_EARLY:
		return _("It is too early to check in for this appointment.");
	case QUEUE_APPOINTMENT_MISSED:
		return _("The time of this appointment has passed: it is recorded as missed. "
		    "Take a normal ticket, or book again.");
	case QUEUE_BAD_TEXT:
		return _("A text holds a control character or a direction override (pasted from elsewhere?): "
		    "nothing was saved. Type it again.");
	case QUEUE_DB_LOST:
		return _("The connection to the database is lost; nothing was changed.");
	case QUEUE_DB_ERROR:
		return _("The database refused the operation; please tell the administrator.");
	}
	return "";
}
