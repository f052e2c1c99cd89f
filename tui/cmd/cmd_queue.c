/*
 * yichuang queue config --office CODE [--policy strict|ratio|credit]
 *     [--ratio N] [--credit MINUTES] [--target MINUTES] [--senior-age YEARS]
 * Shows, and with options changes, an office's calling policy, its wait
 * target and the age that gets a priority ticket. Administrative
 * connection; the change is one statement, checked by the table's
 * constraints, and audited.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/i18n.h"
#include "store/db.h"
#include "util/conv.h"

struct queue_opts {
	const char *office, *policy, *ratio, *credit, *target, *senior;
};

static bool
cmd_queue_number(const char *s)
{
	if (s == NULL)
		return true;
	if (*s == '\0' || strlen(s) > 4)
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int
cmd_queue_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang queue config --office CODE [--policy strict|ratio|credit] "
	    "[--ratio N] [--credit MINUTES] [--target MINUTES] [--senior-age YEARS]"));
	return 2;
}

static int
cmd_queue_show(struct db *db, const char *office)
{
	const char *p[] = { office };
	PGresult *res = db_query(db, NULL, "SELECT o.name, coalesce(q.policy, 'credit'), "
	    "coalesce(q.ratio_n, 3), coalesce(q.credit_minutes, 15), "
	    "coalesce(q.target_minutes, yc.setting_int('queue_target_minutes')), "
	    "coalesce(q.senior_age, yc.setting_int('senior_age')) "
	    "FROM yc.office o LEFT JOIN yc.queue_config q ON q.office_code = o.code WHERE o.code = $1",
	    1, p);

	if (res == NULL || PQntuples(res) != 1) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown office"), office);
		PQclear(res);
		return 1;
	}
	conv_fprintf(stdout, _("%s (%s): policy %s, ratio %s, credit %s minutes, wait target %s minutes, "
	    "priority from age %s\n"), PQgetvalue(res, 0, 0), office, PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5));
	PQclear(res);
	return 0;
}

static int
cmd_queue_set(struct db *db, const struct queue_opts *o)
{
	const char *p[] = { o->office, o->policy, o->ratio, o->credit, o->target, o->senior };

	if (db_exec(db, "BEGIN", 0, NULL) != DB_OK ||
	    db_exec(db, "INSERT INTO yc.queue_config (office_code, policy, ratio_n, credit_minutes, "
	    "target_minutes, senior_age) VALUES ($1, coalesce($2, 'credit'), coalesce($3::int, 3), "
	    "coalesce($4::int, 15), $5::int, $6::int) ON CONFLICT (office_code) DO UPDATE SET "
	    "policy = coalesce($2, yc.queue_config.policy), "
	    "ratio_n = coalesce($3::int, yc.queue_config.ratio_n), "
	    "credit_minutes = coalesce($4::int, yc.queue_config.credit_minutes), "
	    "target_minutes = coalesce($5::int, yc.queue_config.target_minutes), "
	    "senior_age = coalesce($6::int, yc.queue_config.senior_age)", 6, p) != DB_OK ||
	    db_exec(db, "SELECT yc.audit_write($1, current_user, NULL, 'queue_config', "
	    "'queue_config:' || $1, NULL, (SELECT to_jsonb(q) FROM yc.queue_config q "
	    "WHERE q.office_code = $1), NULL)", 1, p) != DB_OK ||
	    db_exec(db, "COMMIT", 0, NULL) != DB_OK) {
		conv_fprintf(stderr, "yichuang: %s\n%s", _("the queue settings were not changed:"),
		    db_detail(db));
		db_exec(db, "ROLLBACK", 0, NULL);
		return 1;
	}
	return 0;
}

static int
cmd_queue_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct queue_opts o = { 0 };
	struct db *db;
	int rc;

	if (argc < 1 || strcmp(argv[0], "config") != 0)
		return cmd_queue_usage();
	for (int i = 1; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--office") == 0 ? &o.office :
		    strcmp(argv[i], "--policy") == 0 ? &o.policy :
		    strcmp(argv[i], "--ratio") == 0 ? &o.ratio :
		    strcmp(argv[i], "--credit") == 0 ? &o.credit :
		    strcmp(argv[i], "--target") == 0 ? &o.target :
		    strcmp(argv[i], "--senior-age") == 0 ? &o.senior : NULL;

		if (slot == NULL || i + 1 >= argc)
			return cmd_queue_usage();
		*slot = argv[++i];
	}
	if (o.office == NULL || !cmd_queue_number(o.ratio) || !cmd_queue_number(o.credit) ||
	    !cmd_queue_number(o.target) || !cmd_queue_number(o.senior) ||
	    (o.policy != NULL && strcmp(o.policy, "strict") != 0 && strcmp(o.policy, "ratio") != 0 &&
	    strcmp(o.policy, "credit") != 0))
		return cmd_queue_usage();
	if ((db = cmd_open_admin(ctx)) == NULL)
		return 1;
	rc = 0;
	if (o.policy != NULL || o.ratio != NULL || o.credit != NULL || o.target != NULL || o.senior != NULL)
		rc = cmd_queue_show(db, o.office) != 0 ? 1 : cmd_queue_set(db, &o);
	if (rc == 0)
		rc = cmd_queue_show(db, o.office);
	db_close(&db);
	return rc;
}

const struct cmd_entry cmd_queue_entry = {
	.name = "queue",
	.usage = N_("yichuang queue config --office CODE [--policy strict|ratio|credit] [--ratio N] "
	    "[--credit MINUTES] [--target MINUTES] [--senior-age YEARS]"),
	.exec = cmd_queue_exec,
};
