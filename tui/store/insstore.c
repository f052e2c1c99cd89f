/* Insurance history and the 参保 rules; see insstore.h. */
#include "store/insstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "model/i18n.h"
#include "model/json.h"
#include "store/db.h"
#include "util/xalloc.h"

const char *
insstore_result_message(enum ins_result r)
{
	switch (r) {
	case INS_OK:
		return _("Done.");
	case INS_NO_SESSION:
		return _("Your session has ended; sign in again.");
	case INS_NOT_ALLOWED:
		return _("Your role may not do this.");
	case INS_BAD_ID:
		return _("The ID number is not valid; check it and try again.");
	case INS_BAD_INPUT:
		return _("The request was incomplete or inconsistent; nothing was changed. Please tell the administrator.");
	case INS_REFUSED_LINES:
		return _("Some lines were refused: nothing was imported.");
	case INS_DB_LOST:
		return _("The connection to the database is lost; nothing was changed.");
	case INS_DB_ERROR:
		return _("The database refused the operation; please tell the administrator.");
	}
	return "";
}

static enum ins_result
insstore_word(const char *w)
{
	static const struct { const char *w; enum ins_result r; } words[] = {
		{ "no_session", INS_NO_SESSION }, { "not_allowed", INS_NOT_ALLOWED },
		{ "bad_id", INS_BAD_ID }, { "bad_input", INS_BAD_INPUT },
	};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(w, words[i].w) == 0)
			return words[i].r;
	return INS_DB_ERROR;
}

enum ins_result
insstore_preview(struct db *db, long long session, const char *id_no, const char *on, int payback,
    bool aid_late, struct policy *out)
{
	char sid[24], pb[16];
	const char *p[5];
	enum db_status st;
	enum ins_result r = INS_DB_ERROR;
	struct json *j;
	PGresult *res;
	char *err = NULL;

	memset(out, 0, sizeof *out);
	db_id(sid, session);
	snprintf(pb, sizeof pb, "%d", payback);
	p[0] = sid;
	p[1] = id_no;
	p[2] = on;
	p[3] = pb;
	p[4] = aid_late ? "t" : "f";
	res = db_query(db, &st, "SELECT yc.policy_preview($1::bigint, $2, $3::date, $4::int, $5::boolean)", 5, p);
	if (res == NULL)
		return st == DB_LOST ? INS_DB_LOST : INS_DB_ERROR;
	if (PQntuples(res) == 1 && (j = json_parse(PQgetvalue(res, 0, 0), &err)) != NULL) {
		const struct json *why = json_get(j, "refused");

		if (why != NULL && why->kind == JSON_STRING)
			r = insstore_word(why->text);
		else if (policy_read(j, out))
			r = INS_OK;
		json_free(&j);
	}
	free(err);
	PQclear(res);
	return r;
}

enum ins_result
insstore_import(struct db *db, long long session, const struct ins_row *rows, size_t n, size_t counts[3],
    struct ins_line **lines, size_t *nlines)
{
	const char **cols[8];
	char sid[24], *arr[8], (*nums)[16] = xcalloc(n > 0 ? n : 1, sizeof *nums);
	const char *p[9];
	enum db_status st;
	enum ins_result r = INS_DB_ERROR;
	PGresult *res;

	*lines = NULL;
	*nlines = 0;
	counts[0] = counts[1] = counts[2] = 0;
	for (int k = 0; k < 8; k++)
		cols[k] = xcalloc(n > 0 ? n : 1, sizeof **cols);
	for (size_t i = 0; i < n; i++) {
		snprintf(nums[i], sizeof nums[i], "%d", rows[i].line);
		cols[0][i] = nums[i];
		cols[1][i] = rows[i].id_no;
		cols[2][i] = rows[i].year;
		cols[3][i] = rows[i].scheme;
		cols[4][i] = rows[i].insured;
		cols[5][i] = rows[i].central;
		cols[6][i] = rows[i].fund_paid;
		cols[7][i] = rows[i].reward_used;
	}
	for (int k = 0; k < 8; k++)
		p[k + 1] = arr[k] = db_text_array(cols[k], n);
	p[0] = session > 0 ? (db_id(sid, session), sid) : NULL;
	res = db_query(db, &st, "SELECT line, result, detail FROM yc.insurance_import($1::bigint,"
	    " (SELECT coalesce(jsonb_agg(jsonb_build_object('line', u.l::int, 'id_no', u.i, 'year', u.y,"
	    " 'scheme', u.s, 'insured', u.a::boolean, 'central', u.c::boolean, 'fund_paid', u.f::boolean,"
	    " 'reward_used', u.r::boolean) ORDER BY u.l::int), '[]')"
	    " FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
	    " $9::text[]) AS u(l, i, y, s, a, c, f, r)))", 9, p);
	for (int k = 0; k < 8; k++) {
		free(arr[k]);
		free(cols[k]);
	}
	free(nums);
	if (res == NULL)
		return st == DB_LOST ? INS_DB_LOST : INS_DB_ERROR;
	if (PQntuples(res) == 1 && db_int(res, 0, 0) == 0) {
		const char *w = PQgetvalue(res, 0, 1);

		if (strcmp(w, "ok") == 0 && sscanf(PQgetvalue(res, 0, 2), "%zu %zu %zu", &counts[0], &counts[1],
		    &counts[2]) == 3)
			r = INS_OK;
		else
			r = insstore_word(w);
	} else if (PQntuples(res) > 0) {
		*nlines = (size_t)PQntuples(res);
		*lines = xcalloc(*nlines, sizeof **lines);
		for (size_t i = 0; i < *nlines; i++) {
			(*lines)[i].line = db_int(res, (int)i, 0);
			DB_COPY((*lines)[i].why, res, (int)i, 1);
			(*lines)[i].first = db_int(res, (int)i, 2);
		}
		r = INS_REFUSED_LINES;
	}
	PQclear(res);
	return r;
}

char *
insstore_line_message(const struct ins_line *l)
{
	if (strcmp(l->why, "bad_id") == 0)
		return xstrdup(_("not a valid ID number (GB 11643: check the digits and the check character)"));
	if (strcmp(l->why, "bad_year") == 0)
		return xstrdup(_("not a year the person can have been insured in (before their birth, or "
		    "outside 1998 to 2200)"));
	if (strcmp(l->why, "bad_scheme") == 0)
		return xstrdup(_("the scheme is resident (居民) or employee (职工)"));
	if (strcmp(l->why, "bad_facts") == 0)
		return xstrdup(_("the facts contradict each other: a year not insured has no premium, "
		    "reimbursement or reward; a reward is used by a reimbursement; an employee year has no "
		    "集中参保期 and no 大病 reward"));
	if (strcmp(l->why, "duplicate") == 0)
		return xasprintf(_("the same person, year and scheme as line %d"), l->first);
	return xstrdup(l->why);
}
