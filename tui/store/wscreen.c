#include "store/wscreen.h"

#include <stdio.h>
#include <string.h>

static enum wscreen_result
wscreen_result_of(const char *s)
{
	if (strcmp(s, "ok") == 0)
		return WS_OK;
	if (strcmp(s, "unknown_window") == 0)
		return WS_UNKNOWN_WINDOW;
	if (strcmp(s, "nothing_to_rate") == 0)
		return WS_NOTHING_TO_RATE;
	if (strcmp(s, "bad_input") == 0)
		return WS_BAD_INPUT;
	return WS_DB_ERROR;
}

enum wscreen_result
wscreen_state(struct db *db, const char *office, int window, struct wscreen_state *out)
{
	char w[16];
	const char *p[] = { office, w };
	enum db_status st;
	enum wscreen_result r;
	PGresult *res;

	memset(out, 0, sizeof *out);
	snprintf(w, sizeof w, "%d", window);
	res = db_query(db, &st, "SELECT result, state, staff_no, staff_name, serving, to_rate"
	    " FROM yc.window_screen_state($1, $2::int)", 2, p);
	if (res == NULL)
		return st == DB_LOST ? WS_DB_LOST : WS_DB_ERROR;
	if (PQntuples(res) != 1 || PQnfields(res) != 6) {
		PQclear(res);
		return WS_DB_ERROR;
	}
	r = wscreen_result_of(PQgetvalue(res, 0, 0));
	if (r == WS_OK) {
		db_copy(out->state, sizeof out->state, PQgetvalue(res, 0, 1));
		db_copy(out->staff_no, sizeof out->staff_no, PQgetvalue(res, 0, 2));
		db_copy(out->staff_name, sizeof out->staff_name, PQgetvalue(res, 0, 3));
		db_copy(out->serving, sizeof out->serving, PQgetvalue(res, 0, 4));
		db_copy(out->to_rate, sizeof out->to_rate, PQgetvalue(res, 0, 5));
	}
	PQclear(res);
	return r;
}

enum wscreen_result
wscreen_rate(struct db *db, const char *office, int window, int grade)
{
	char w[16], g[16];
	const char *p[] = { office, w, g };
	enum db_status st;
	enum wscreen_result r;
	PGresult *res;

	snprintf(w, sizeof w, "%d", window);
	snprintf(g, sizeof g, "%d", grade);
	res = db_query(db, &st, "SELECT yc.window_screen_rate($1, $2::int, $3::int)", 3, p);
	if (res == NULL)
		return st == DB_LOST ? WS_DB_LOST : WS_DB_ERROR;
	r = PQntuples(res) == 1 ? wscreen_result_of(PQgetvalue(res, 0, 0)) : WS_DB_ERROR;
	PQclear(res);
	return r;
}
