/* The history step of the periodic job through yc.history_run; see history.h. */
#include "store/history.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static enum history_action
history_action_parse(const char *s)
{
	static const struct {
		const char *name;
		enum history_action action;
	} map[] = {
		{ "created", HIST_CREATED },
		{ "moved", HIST_MOVED },
		{ "kept", HIST_KEPT },
		{ "dropped", HIST_DROPPED },
		{ "retention_clamped", HIST_CLAMPED },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].name) == 0)
			return map[i].action;
	return HIST_OTHER;
}

enum history_status
history_run(struct db *db, const char *day, struct history_result *out)
{
	const char *p[] = { day };
	enum db_status st;
	PGresult *res;
	int count;

	memset(out, 0, sizeof *out);
	res = db_query(db, &st, "SELECT action, coalesce('yc.' || tbl, ''), coalesce('yc.' || part, ''), "
	    "coalesce(to_char(month_of, 'YYYY-MM'), ''), coalesce(to_char(month_of, 'YYYY-MM-DD'), ''), "
	    "coalesce(n_rows, 0), coalesce(keep_months, 0) FROM yc.history_run($1::date)", 1, p);
	if (res == NULL) {
		if (st == DB_LOST)
			return HISTORY_DB_LOST;
		return strcmp(db_sqlstate(db), "55P03") == 0 ? HISTORY_LOCKED : HISTORY_DB_ERROR;
	}
	count = PQntuples(res);
	if (PQnfields(res) != 7 || count < 1) {
		PQclear(res);
		return HISTORY_DB_ERROR;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "future") == 0) {
		PQclear(res);
		return HISTORY_FUTURE;
	}
	out->rows = xcalloc((size_t)count, sizeof *out->rows);
	for (int i = 0; i < count; i++) {
		struct history_row *r;

		if (strcmp(PQgetvalue(res, i, 0), "done") == 0) {
			out->months = db_int(res, i, 6);
			DB_COPY(out->cutoff, res, i, 4);
			continue;
		}
		r = &out->rows[out->n++];
		r->action = history_action_parse(PQgetvalue(res, i, 0));
		DB_COPY(r->table, res, i, 1);
		DB_COPY(r->part, res, i, 2);
		DB_COPY(r->month, res, i, 3);
		r->rows = db_ll(res, i, 5);
		r->months = db_int(res, i, 6);
	}
	PQclear(res);
	if (out->n == 0) {
		free(out->rows);
		out->rows = NULL;
	}
	return HISTORY_OK;
}
