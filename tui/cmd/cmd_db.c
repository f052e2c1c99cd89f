/*
 * yichuang db up|down|migrate|demo|status: the database without the UI.
 *   up       create (first time) and start the private cluster under ./var
 *   down     stop it
 *   migrate  check the text-message templates (print_templates/sms: any
 *            error stops it before anything is changed), apply pending
 *            migrations and the server functions when they changed
 *            (db/functions), load the shipped official calendar years and
 *            the provisional years after them, then the templates that
 *            changed
 *   demo     load the demo offices, windows and staff (idempotent)
 *   status   say which database is used, whether it answers, and whether
 *            next year's official calendar is missing
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/i18n.h"
#include "model/sms.h"
#include "store/calstore.h"
#include "store/cluster.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/smsstore.h"
#include "util/conv.h"
#include "util/paths.h"
#include "util/xalloc.h"

static int
cmd_db_fail(const char *what, char *err)
{
	conv_fprintf(stderr, "yichuang: %s: %s\n", what, err != NULL ? err : "");
	free(err);
	return 1;
}

/* The text-message templates of the data directory, checked; NULL (every
 * problem printed as file:line: message) when any is wrong. */
static struct sms_set *
cmd_db_sms(void)
{
	struct cat_diags diags = { 0 };
	char *dir = paths_join(paths_datadir(), "print_templates/sms");
	struct sms_set *set = sms_load_dir(dir, &diags);

	for (size_t i = 0; i < diags.n; i++) {
		if (diags.d[i].line > 0)
			conv_fprintf(stderr, "%s:%d: %s\n", diags.d[i].file, diags.d[i].line,
			    diags.d[i].message);
		else
			conv_fprintf(stderr, "%s: %s\n", diags.d[i].file, diags.d[i].message);
	}
	if (set == NULL)
		conv_fprintf(stderr, _("yichuang: %zu problem(s) in the text-message templates of %s; "
		    "nothing was migrated.\n"), diags.n, dir);
	cat_diags_free(&diags);
	free(dir);
	return set;
}

static int
cmd_db_migrate(struct cmd_ctx *ctx)
{
	struct sms_set *sms = cmd_db_sms();
	struct db *db;
	char *dir, *cal, *statutory, *err = NULL;
	int n, years, moved = 0, pmoved = 0, provisional = 0, texts;

	if (sms == NULL)
		return 1;
	db = cmd_open_admin(ctx);
	if (db == NULL) {
		sms_set_free(&sms);
		return 1;
	}
	dir = paths_join(paths_datadir(), "db/migrations");
	n = migrate_apply(db, dir, stdout, &err);
	free(dir);
	if (n >= 0) {
		dir = paths_join(paths_datadir(), "db/functions");
		if (migrate_functions(db, dir, stdout, &err) < 0)
			n = -1;
		free(dir);
	}
	if (n < 0) {
		db_close(&db);
		sms_set_free(&sms);
		return cmd_db_fail(_("migration failed"), err);
	}
	cal = paths_join(paths_datadir(), "db/calendar/cn-workday-calendar.tsv");
	statutory = paths_join(paths_datadir(), "db/calendar/cn-statutory-dates.tsv");
	years = calstore_load(db, cal, statutory, true, &moved, &err);
	free(cal);
	if (years >= 0) {
		provisional = calstore_provisional(db, statutory, &pmoved, &err);
		moved += pmoved;
	}
	free(statutory);
	if (years < 0 || provisional < 0) {
		db_close(&db);
		sms_set_free(&sms);
		return cmd_db_fail(_("loading the calendar failed"), err);
	}
	texts = smsstore_load(db, sms, &err);
	sms_set_free(&sms);
	db_close(&db);
	if (texts < 0)
		return cmd_db_fail(_("loading the text-message templates failed"), err);
	conv_fprintf(stdout, _("Database up to date: %d migration(s) applied, %d calendar year(s) loaded.\n"),
	    n, years);
	if (provisional > 0)
		conv_fprintf(stdout, _("%d provisional calendar year(s) written from the statutory holidays.\n"),
		    provisional);
	if (moved > 0)
		conv_fprintf(stdout, _("Dates of %d open case(s) recomputed by the official calendar.\n"), moved);
	if (texts > 0)
		conv_fprintf(stdout, _("%d text-message template(s) loaded.\n"), texts);
	return 0;
}

static int
cmd_db_demo(struct cmd_ctx *ctx)
{
	struct db *db = cmd_open_admin(ctx);
	char *path, *err = NULL;
	int rc;

	if (db == NULL)
		return 1;
	path = paths_join(paths_datadir(), "db/demo.sql");
	rc = migrate_script(db, path, &err);
	free(path);
	db_close(&db);
	if (rc != 0)
		return cmd_db_fail(_("loading the demo data failed"), err);
	conv_fprintf(stdout, "%s\n", _("Demo data loaded."));
	return 0;
}

/* What db status says of the calendar: the provisional years, and the
 * official year an administrator should load now. */
static void
cmd_db_calendar_status(struct db *db)
{
	int from = calstore_provisional_from(db), missing = calstore_missing(db);

	if (from > 0)
		conv_fprintf(stdout, _("Working-day calendar: provisional (statutory holidays only) from %d on.\n"),
		    from);
	if (missing > 0)
		conv_fprintf(stdout, _("Warning: the official working-day calendar of %d is not loaded; "
		    "load the State Council's arrangement with: yichuang calendar load FILE\n"), missing);
}

static int
cmd_db_status(struct cmd_ctx *ctx)
{
	struct db *db = cmd_open_admin(ctx);
	PGresult *res;

	if (db == NULL)
		return 1;
	res = db_query(db, NULL, "SELECT current_database(), current_user, "
	    "(SELECT count(*) FROM public.schema_migrations WHERE version ~ '^[0-9]')", 0, NULL);
	if (res == NULL) {
		conv_fprintf(stdout, "%s\n", _("The database answers but has no migrations yet."));
	} else {
		conv_fprintf(stdout, _("Database %s as %s: %s migration(s) applied.\n"),
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
		PQclear(res);
		cmd_db_calendar_status(db);
	}
	db_close(&db);
	return 0;
}

static int
cmd_db_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *var, *err = NULL;
	int rc;

	if (argc < 1) {
		conv_fprintf(stderr, "%s\n", _("usage: yichuang db up|down|migrate|demo|status"));
		return 2;
	}
	if (strcmp(argv[0], "migrate") == 0)
		return cmd_db_migrate(ctx);
	if (strcmp(argv[0], "demo") == 0)
		return cmd_db_demo(ctx);
	if (strcmp(argv[0], "status") == 0)
		return cmd_db_status(ctx);
	if (strcmp(argv[0], "up") != 0 && strcmp(argv[0], "down") != 0) {
		conv_fprintf(stderr, "%s\n", _("usage: yichuang db up|down|migrate|demo|status"));
		return 2;
	}
	var = cluster_default_var();
	rc = strcmp(argv[0], "up") == 0 ? cluster_up(var, stdout, &err) : cluster_down(var, stdout, &err);
	free(var);
	if (rc != 0)
		return cmd_db_fail(_("private database"), err);
	return 0;
}

const struct cmd_entry cmd_db_entry = {
	.name = "db",
	.usage = N_("yichuang db up|down|migrate|demo|status"),
	.exec = cmd_db_exec,
};
