/*
 * The known settings through yc.setting_list and yc.setting_set; see
 * settings.h.
 */
#include "store/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/i18n.h"
#include "util/xalloc.h"

static enum settings_result
settings_parse(const char *r)
{
	static const struct {
		const char *name;
		enum settings_result result;
	} map[] = {
		{ "ok", SET_OK },
		{ "unchanged", SET_UNCHANGED },
		{ "no_session", SET_NO_SESSION },
		{ "not_allowed", SET_NOT_ALLOWED },
		{ "unknown_setting", SET_UNKNOWN },
		{ "bad_value", SET_BAD_VALUE },
		{ "out_of_range", SET_OUT_OF_RANGE },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(r, map[i].name) == 0)
			return map[i].result;
	return SET_DB_ERROR;
}

static enum settings_result
settings_result_of(const PGresult *res, enum db_status st, int ncols)
{
	if (res == NULL)
		return st == DB_LOST ? SET_DB_LOST : SET_DB_ERROR;
	if (PQntuples(res) < 1 || PQnfields(res) != ncols || PQgetisnull(res, 0, 0))
		return SET_DB_ERROR;
	return settings_parse(PQgetvalue(res, 0, 0));
}

int
settings_list(struct db *db, long long session, struct settings_row *out, int max,
    enum settings_result *r)
{
	char sid[24];
	/* TRANSLATORS: not shown: the column of yc.setting whose description
	 * this language shows, "description" (English) or "description_zh". */
	const char *column = _("yc.setting.description");
	const char *p[] = { session != 0 ? sid : NULL, strcmp(column, "description_zh") == 0 ? "zh" : "en" };
	enum db_status st;
	PGresult *res;
	int n = 0;

	db_id(sid, session);
	res = db_query(db, &st, "SELECT result, key, value, default_value, value_type, min_value, "
	    "max_value, CASE WHEN $2 = 'zh' THEN description_zh ELSE description END, may_change, "
	    "coalesce(array_to_string(choices, '|'), '') FROM yc.setting_list($1::bigint)", 2, p);
	*r = settings_result_of(res, st, 10);
	for (int i = 0; *r == SET_OK && i < PQntuples(res) && n < max; i++, n++) {
		struct settings_row *s = &out[n];

		memset(s, 0, sizeof *s);
		DB_COPY(s->key, res, i, 1);
		DB_COPY(s->value, res, i, 2);
		DB_COPY(s->def, res, i, 3);
		DB_COPY(s->type, res, i, 4);
		s->min = db_int(res, i, 5);
		s->max = db_int(res, i, 6);
		DB_COPY(s->description, res, i, 7);
		s->may_change = PQgetvalue(res, i, 8)[0] == 't';
		DB_COPY(s->choices, res, i, 9);
	}
	PQclear(res);
	return *r == SET_OK ? n : -1;
}

enum settings_result
settings_set(struct db *db, long long session, const char *key, const char *value,
    struct settings_change *out)
{
	char sid[24], host[64] = "", *client;
	const char *tty = ttyname(0);
	enum db_status st;
	PGresult *res;
	enum settings_result r;

	gethostname(host, sizeof host - 1);
	client = xasprintf("%s %s", host, tty != NULL ? tty : "-");
	db_id(sid, session);
	const char *p[] = { session != 0 ? sid : NULL, key, value, client };

	memset(out, 0, sizeof *out);
	snprintf(out->key, sizeof out->key, "%s", key);
	res = db_query(db, &st, "SELECT result, key, old_value, new_value, value_type, min_value, "
	    "max_value, coalesce(array_to_string(choices, '|'), '') "
	    "FROM yc.setting_set($1::bigint, $2, $3, $4)", 4, p);
	free(client);
	r = settings_result_of(res, st, 8);
	if (r != SET_DB_LOST && r != SET_DB_ERROR) {
		DB_COPY(out->old_value, res, 0, 2);
		DB_COPY(out->new_value, res, 0, 3);
		DB_COPY(out->type, res, 0, 4);
		out->min = db_int(res, 0, 5);
		out->max = db_int(res, 0, 6);
		DB_COPY(out->choices, res, 0, 7);
	}
	PQclear(res);
	return r;
}

char *
settings_range(const char *type, int min, int max, const char *choices)
{
	if (strcmp(type, "mmdd") == 0)
		return xstrdup(_("MM-DD"));
	if (strcmp(type, "choice") == 0)
		return xstrdup(choices);
	return xasprintf("%d-%d", min, max);
}

char *
settings_message(enum settings_result r, const struct settings_change *c)
{
	switch (r) {
	case SET_OK:
		return xasprintf(_("%s: %s → %s"), c->key, c->old_value, c->new_value);
	case SET_UNCHANGED:
		return xasprintf(_("%s is %s already: nothing changed."), c->key, c->old_value);
	case SET_NO_SESSION:
		return xstrdup(_("No administrator is signed in: sign in again (commands: --staff STAFFNO, "
		    "or --as-owner on the database owner's connection)."));
	case SET_NOT_ALLOWED:
		return xstrdup(_("Only an administrator of a county-level office or above may change the "
		    "settings (they hold for every office)."));
	case SET_UNKNOWN:
		return xasprintf(_("There is no setting %s (`yichuang setting show` lists them)."), c->key);
	case SET_BAD_VALUE:
	case SET_OUT_OF_RANGE:
		if (strcmp(c->type, "mmdd") == 0)
			return xasprintf(_("%s takes a day of the year as MM-DD, e.g. 11-01."), c->key);
		if (strcmp(c->type, "choice") == 0)
			return xasprintf(_("%s takes one of: %s."), c->key, c->choices);
		if (strcmp(c->key, "audit_retention_months") == 0)
			return xasprintf(_("%s takes a whole number from %d to %d: the law keeps network "
			    "logs at least six months (网络安全法 第二十一条)."), c->key, c->min, c->max);
		return xasprintf(_("%s takes a whole number from %d to %d."), c->key, c->min, c->max);
	case SET_DB_LOST:
		return xstrdup(_("The database connection was lost. Try again in a moment."));
	case SET_DB_ERROR:
		break;
	}
	return xstrdup(_("The database refused the request. Call the administrator."));
}
