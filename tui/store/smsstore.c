/* The text-message templates in the database; see smsstore.h. */
#include "store/smsstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int
smsstore_fail(struct db *db, char **err, const char *what)
{
	*err = xasprintf("%s: %s", what, db_detail(db));
	db_exec(db, "ROLLBACK", 0, NULL);
	return -1;
}

/* Writes one template unless the database has it as it is: 1 written, 0
 * unchanged, -1. */
static int
smsstore_one(struct db *db, const struct sms_template *t, char **err)
{
	char longest[16], *vars = sms_vars_json(t->kind);
	PGresult *res;
	int n;

	snprintf(longest, sizeof longest, "%d", t->longest);
	res = db_query(db, NULL, "INSERT INTO yc.sms_template (kind, body, vars, longest, checksum) "
	    "VALUES ($1, $2, $3::jsonb, $4::int, encode(sha256(convert_to($5, 'UTF8')), 'hex')) "
	    "ON CONFLICT (kind) DO UPDATE SET body = EXCLUDED.body, vars = EXCLUDED.vars, "
	    "longest = EXCLUDED.longest, checksum = EXCLUDED.checksum, loaded_at = now() "
	    "WHERE yc.sms_template.checksum <> EXCLUDED.checksum OR yc.sms_template.vars <> EXCLUDED.vars "
	    "OR yc.sms_template.body <> EXCLUDED.body RETURNING kind",
	    5, (const char *[]){ t->kind->name, t->body, vars, longest, t->text });
	free(vars);
	if (res == NULL) {
		char *what = xasprintf("cannot load %s", t->file);

		n = smsstore_fail(db, err, what);
		free(what);
		return n;
	}
	n = PQntuples(res);
	PQclear(res);
	return n;
}

int
smsstore_load(struct db *db, const struct sms_set *set, char **err)
{
	int written = 0;

	if (db_exec(db, "BEGIN", 0, NULL) != DB_OK ||
	    db_exec(db, "LOCK TABLE yc.sms_template IN EXCLUSIVE MODE", 0, NULL) != DB_OK)
		return smsstore_fail(db, err, "cannot load the text-message templates");
	for (size_t i = 0; i < set->n; i++) {
		int r = smsstore_one(db, &set->t[i], err);

		if (r < 0)
			return -1;
		written += r;
	}
	if (written > 0 && db_exec(db, "SELECT yc.audit_write('000000', current_user, NULL, "
	    "'sms_templates_load', 'sms_template', NULL, (SELECT jsonb_object_agg(kind, checksum) "
	    "FROM yc.sms_template WHERE loaded_at = now()), NULL)", 0, NULL) != DB_OK)
		return smsstore_fail(db, err, "cannot audit the text-message templates");
	if (db_exec(db, "COMMIT", 0, NULL) != DB_OK)
		return smsstore_fail(db, err, "cannot load the text-message templates");
	return written;
}
