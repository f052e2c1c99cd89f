/*
 * The data of a printed case document (store/cases.h: cases_document):
 * one call of yc.case_document (db/functions/documents.sql and
 * jurisdiction.sql), whose comments list the keys the templates in
 * print_templates/ use.
 */
#include <stdlib.h>
#include <string.h>

#include "store/cases.h"
#include "util/xalloc.h"

/*
 * The JSON text (malloc'd) with CASES_OK; otherwise NULL with
 * CASES_NOT_FOUND (no case or notice has that number), CASES_BAD_INPUT
 * (template is not a case document, or this case or notice does not print
 * it), CASES_NO_INSURANCE (a 参保凭证 of a person with no insurance record),
 * CASES_DB_LOST or CASES_DB_ERROR.
 */
char *
cases_document(struct db *db, const char *key, const char *template, enum cases_result *res)
{
	const char *params[] = { key, template };
	enum db_status st;
	PGresult *r;
	char *doc = NULL;

	r = db_query(db, &st,
	    "SELECT d ->> 'refused', d::text FROM yc.case_document($1, $2) AS d", 2, params);
	switch (st) {
	case DB_OK:
		break;
	case DB_LOST:
		*res = CASES_DB_LOST;
		return NULL;
	case DB_ERROR:
		*res = CASES_DB_ERROR;
		return NULL;
	}
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 1))
		*res = CASES_NOT_FOUND;
	else if (!PQgetisnull(r, 0, 0))
		*res = strcmp(PQgetvalue(r, 0, 0), "no_insurance") == 0 ? CASES_NO_INSURANCE : CASES_BAD_INPUT;
	else {
		*res = CASES_OK;
		doc = xstrdup(PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return doc;
}
