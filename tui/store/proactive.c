/* 生育津贴“免申即享”: the job's run through yc.proactive_run; see proactive.h. */
#include "store/proactive.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static enum proactive_outcome
proactive_outcome_parse(const char *s)
{
	static const struct {
		const char *name;
		enum proactive_outcome outcome;
	} map[] = {
		{ "opened", PRO_OPENED },
		{ "no_insurance", PRO_NO_INSURANCE },
		{ "duplicate", PRO_DUPLICATE },
		{ "no_office", PRO_NO_OFFICE },
		{ "unknown_type", PRO_UNKNOWN_TYPE },
		{ "calendar", PRO_CALENDAR },
		{ "numbers_exhausted", PRO_NUMBERS },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].name) == 0)
			return map[i].outcome;
	return PRO_OTHER;
}

bool
proactive_failed(enum proactive_outcome o)
{
	return o != PRO_OPENED && o != PRO_NO_INSURANCE && o != PRO_DUPLICATE;
}

enum proactive_result
proactive_run(struct db *db, const char *day, struct proactive_row **rows, size_t *n)
{
	const char *p[] = { day };
	enum db_status st;
	PGresult *res;
	int count;

	*rows = NULL;
	*n = 0;
	res = db_query(db, &st, "SELECT outcome, source_case, id_masked, case_no, office_code, unit_name, "
	    "coalesce(to_char(promised, 'YYYY-MM-DD'), ''), coalesce(provisional, false) "
	    "FROM yc.proactive_run($1::date)", 1, p);
	if (res == NULL)
		return st == DB_LOST ? PROACTIVE_DB_LOST : PROACTIVE_DB_ERROR;
	count = PQntuples(res);
	if (PQnfields(res) != 8) {
		PQclear(res);
		return PROACTIVE_DB_ERROR;
	}
	if (count == 1 && strcmp(PQgetvalue(res, 0, 0), "future") == 0) {
		PQclear(res);
		return PROACTIVE_FUTURE;
	}
	if (count > 0)
		*rows = xcalloc((size_t)count, sizeof **rows);
	for (int i = 0; i < count; i++) {
		struct proactive_row *r = &(*rows)[i];

		r->outcome = proactive_outcome_parse(PQgetvalue(res, i, 0));
		DB_COPY(r->source_case, res, i, 1);
		DB_COPY(r->id_masked, res, i, 2);
		DB_COPY(r->case_no, res, i, 3);
		DB_COPY(r->office, res, i, 4);
		DB_COPY(r->unit_name, res, i, 5);
		DB_COPY(r->promised, res, i, 6);
		r->provisional = PQgetvalue(res, i, 7)[0] == 't';
	}
	*n = (size_t)count;
	PQclear(res);
	return PROACTIVE_OK;
}
