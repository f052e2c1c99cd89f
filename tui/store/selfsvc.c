/*
 * The self-service terminal's calls (store/selfsvc.h): one query each of
 * db/functions/selfservice.sql, values as parameters.
 */
#include "store/selfsvc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

static enum selfsvc_result
selfsvc_result_of(const char *s)
{
	static const struct {
		const char *text;
		enum selfsvc_result r;
	} map[] = {
		{ "ok", SELFSVC_OK }, { "unknown_office", SELFSVC_UNKNOWN_OFFICE },
		{ "bad_id", SELFSVC_BAD_ID }, { "not_found", SELFSVC_NOT_FOUND },
		{ "no_insurance", SELFSVC_NO_INSURANCE }, { "bad_input", SELFSVC_BAD_INPUT },
		{ "no_phone", SELFSVC_NO_PHONE }, { "already_filed", SELFSVC_ALREADY_FILED },
		{ "already_revoked", SELFSVC_ALREADY_REVOKED }, { "not_allowed", SELFSVC_NOT_ALLOWED },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].text) == 0)
			return map[i].r;
	return SELFSVC_UNAVAILABLE;
}

static enum selfsvc_result
selfsvc_status(enum db_status st)
{
	return st == DB_LOST ? SELFSVC_DB_LOST : SELFSVC_DB_ERROR;
}

const char *
selfsvc_result_message(enum selfsvc_result r)
{
	switch (r) {
	case SELFSVC_OK:
		return _("Done.");
	case SELFSVC_UNKNOWN_OFFICE:
		return _("Unknown or deactivated office.");
	case SELFSVC_BAD_ID:
		return _("The ID number is not valid; check it and try again.");
	case SELFSVC_NOT_FOUND:
		return _("No record was found for this ID number; please ask at the guide desk.");
	case SELFSVC_NO_INSURANCE:
		return _("There is no insurance record for this ID number: no certificate can be printed.");
	case SELFSVC_BAD_INPUT:
		return _("Please choose again.");
	case SELFSVC_NO_PHONE:
		return _("No phone number is registered for you: please file at a window.");
	case SELFSVC_ALREADY_FILED:
		return _("You already have a filing in force: revoke it first (4 on the menu).");
	case SELFSVC_ALREADY_REVOKED:
		return _("This filing has already been revoked.");
	case SELFSVC_NOT_ALLOWED:
		return _("This service is not offered at this terminal; please go to a window.");
	case SELFSVC_UNAVAILABLE:
	case SELFSVC_DB_ERROR:
		return _("This service is not available now; please go to a window.");
	case SELFSVC_DB_LOST:
		return _("Reconnecting to the database…");
	}
	return "";
}

enum selfsvc_result
selfsvc_person(struct db *db, const char *office, const char *id, struct selfsvc_person *out)
{
	const char *p[] = { office, id };
	enum db_status st;
	enum selfsvc_result r;
	PGresult *res;

	memset(out, 0, sizeof *out);
	res = db_query(db, &st, "SELECT result, name_masked, id_masked, idle_seconds"
	    " FROM yc.selfsvc_person($1, $2)", 2, p);
	if (res == NULL)
		return selfsvc_status(st);
	if (PQntuples(res) != 1 || PQnfields(res) != 4) {
		PQclear(res);
		return SELFSVC_DB_ERROR;
	}
	r = selfsvc_result_of(PQgetvalue(res, 0, 0));
	out->idle_seconds = db_int(res, 0, 3);
	if (r == SELFSVC_OK) {
		DB_COPY(out->name_masked, res, 0, 1);
		DB_COPY(out->id_masked, res, 0, 2);
	}
	PQclear(res);
	return r;
}

enum selfsvc_result
selfsvc_cases(struct db *db, const char *office, const char *id, struct selfsvc_cases *out)
{
	const char *p[] = { office, id };
	enum db_status st;
	PGresult *res;
	int n;

	memset(out, 0, sizeof *out);
	res = db_query(db, &st, "SELECT case_no, type_name, stage, coalesce(accepted::text, ''),"
	    " coalesce(promised::text, ''), coalesce(finished::text, ''), revocable"
	    " FROM yc.selfsvc_cases($1, $2)", 2, p);
	if (res == NULL)
		return selfsvc_status(st);
	if (PQnfields(res) != 7) {
		PQclear(res);
		return SELFSVC_DB_ERROR;
	}
	n = PQntuples(res);
	out->rows = n > 0 ? xcalloc((size_t)n, sizeof *out->rows) : NULL;
	for (int i = 0; i < n; i++) {
		struct selfsvc_case *c = &out->rows[i];

		DB_COPY(c->case_no, res, i, 0);
		DB_COPY(c->type_name, res, i, 1);
		DB_COPY(c->stage, res, i, 2);
		DB_COPY(c->accepted, res, i, 3);
		DB_COPY(c->promised, res, i, 4);
		DB_COPY(c->finished, res, i, 5);
		c->revocable = strcmp(PQgetvalue(res, i, 6), "t") == 0;
	}
	out->n = n;
	PQclear(res);
	return SELFSVC_OK;
}

void
selfsvc_cases_free(struct selfsvc_cases *c)
{
	if (c->rows != NULL)
		memset(c->rows, 0, (size_t)c->n * sizeof *c->rows);
	free(c->rows);
	c->rows = NULL;
	c->n = 0;
}

void
selfsvc_text_free(char **s)
{
	if (*s != NULL) {
		memset(*s, 0, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

char *
selfsvc_insurance(struct db *db, const char *office, const char *id, bool print,
    enum selfsvc_result *res)
{
	const char *p[] = { office, id, print ? "true" : "false" };
	enum db_status st;
	PGresult *r;
	char *doc = NULL;

	r = db_query(db, &st, "SELECT d ->> 'refused', d::text"
	    " FROM yc.selfsvc_insurance($1, $2, $3::boolean) AS d", 3, p);
	if (r == NULL) {
		*res = selfsvc_status(st);
		return NULL;
	}
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 1))
		*res = SELFSVC_NOT_FOUND;
	else if (!PQgetisnull(r, 0, 0))
		*res = selfsvc_result_of(PQgetvalue(r, 0, 0));
	else {
		*res = SELFSVC_OK;
		doc = xstrdup(PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return doc;
}

enum selfsvc_result
selfsvc_filing(struct db *db, const char *office, const char *id, const char *kind,
    const char *place, bool confirm, char case_no[32], char **form_json, char **pledge_json)
{
	const char *p[] = { office, id, kind, place, confirm ? "true" : "false" };
	enum db_status st;
	enum selfsvc_result r;
	PGresult *res;

	case_no[0] = '\0';
	*form_json = *pledge_json = NULL;
	res = db_query(db, &st, "SELECT result, coalesce(case_no, ''), filing_form::text, pledge::text"
	    " FROM yc.selfsvc_filing($1, $2, $3, $4, $5::boolean)", 5, p);
	if (res == NULL)
		return selfsvc_status(st);
	if (PQntuples(res) != 1 || PQnfields(res) != 4) {
		PQclear(res);
		return SELFSVC_DB_ERROR;
	}
	r = selfsvc_result_of(PQgetvalue(res, 0, 0));
	if (r == SELFSVC_OK && (PQgetisnull(res, 0, 2) || PQgetisnull(res, 0, 3)))
		r = SELFSVC_UNAVAILABLE;
	if (r == SELFSVC_OK) {
		db_copy(case_no, 32, PQgetvalue(res, 0, 1));
		*form_json = xstrdup(PQgetvalue(res, 0, 2));
		*pledge_json = xstrdup(PQgetvalue(res, 0, 3));
	}
	PQclear(res);
	return r;
}

enum selfsvc_result
selfsvc_revoke(struct db *db, const char *office, const char *id, const char *case_no)
{
	const char *p[] = { office, id, case_no };
	enum db_status st;
	enum selfsvc_result r;
	PGresult *res;

	res = db_query(db, &st, "SELECT yc.selfsvc_revoke($1, $2, $3)", 3, p);
	if (res == NULL)
		return selfsvc_status(st);
	r = PQntuples(res) == 1 ? selfsvc_result_of(PQgetvalue(res, 0, 0)) : SELFSVC_DB_ERROR;
	PQclear(res);
	return r;
}
