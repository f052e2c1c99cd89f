/*
 * yichuang calendar add-workdays DATE N | load FILE
 *   add-workdays  the date N working days after DATE by the official
 *                 calendar in the database (DATE itself not counted); a
 *                 date beyond the loaded years is an error, never a guess
 *   load          add or replace the years a file lists (the format of
 *                 db/calendar/cn-workday-calendar.tsv), all or nothing,
 *                 audited
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "store/migrate.h"
#include "util/conv.h"
#include "util/xalloc.h"

static int
cmd_calendar_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang calendar add-workdays YYYY-MM-DD N | load FILE"));
	return 2;
}

static int
cmd_calendar_add(const struct cmd_ctx *ctx, const char *date, const char *count)
{
	struct cal_date d;
	char *end;
	long n = strtol(count, &end, 10);
	struct db *db;
	PGresult *res;
	enum db_status st;
	int rc = 1;

	if (!cal_date_parse(date, &d)) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", _("not a date (YYYY-MM-DD)"), date);
		return 2;
	}
	if (*count == '\0' || *end != '\0' || n < 0 || n > 3650) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", _("the number of working days must be 0 to 3650"),
		    count);
		return 2;
	}
	if ((db = cmd_open_app(ctx)) == NULL)
		return 1;
	res = db_query(db, &st, "SELECT yc.add_workdays($1::date, $2::int)", 2,
	    (const char *[]){ date, count });
	if (res != NULL) {
		conv_fprintf(stdout, "%s\n", PQgetvalue(res, 0, 0));
		PQclear(res);
		rc = 0;
	} else if (strcmp(db_sqlstate(db), "YC001") == 0)
		conv_fprintf(stderr, "yichuang: %s\n", _("the result lies beyond the loaded working-day "
		    "calendar; load that year first (yichuang calendar load FILE)"));
	else
		conv_fprintf(stderr, "yichuang: %s\n", db_detail(db));
	db_close(&db);
	return rc;
}

static int
cmd_calendar_load(const struct cmd_ctx *ctx, const char *path)
{
	struct db *db = cmd_open_admin(ctx);
	char *err = NULL;
	int years;

	if (db == NULL)
		return 1;
	years = migrate_calendar(db, path, 0, &err);
	db_close(&db);
	if (years < 0) {
		conv_fprintf(stderr, "yichuang: %s\n", err);
		free(err);
		return 1;
	}
	conv_fprintf(stdout, _("Working-day calendar: %d year(s) loaded from %s.\n"), years, path);
	return 0;
}

static int
cmd_calendar_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[0], "add-workdays") == 0)
		return cmd_calendar_add(ctx, argv[1], argv[2]);
	if (argc == 2 && strcmp(argv[0], "load") == 0)
		return cmd_calendar_load(ctx, argv[1]);
	return cmd_calendar_usage();
}

const struct cmd_entry cmd_calendar_entry = {
	.name = "calendar",
	.usage = N_("yichuang calendar add-workdays YYYY-MM-DD N | load FILE"),
	.exec = cmd_calendar_exec,
};
