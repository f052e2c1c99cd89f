/*
 * yichuang calendar add-workdays DATE N | load FILE | show YEAR
 *   add-workdays  the date N working days after DATE by the calendar in
 *                 the database (DATE itself not counted), with a note on
 *                 stderr when it lies in a provisional year; a date beyond
 *                 the loaded years is an error, never a guess
 *   load          add or replace the official years a file lists (the
 *                 format of db/calendar/cn-workday-calendar.tsv), all or
 *                 nothing, audited; each year whole (every statutory
 *                 holiday of it a day off); a year that was provisional
 *                 moves the open cases counted through it (store/calstore.h)
 *   show          a year's days off and make-up working days with the
 *                 year's basis (official or provisional)
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "store/calstore.h"
#include "util/conv.h"
#include "util/paths.h"
#include "util/xalloc.h"

static int
cmd_calendar_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang calendar add-workdays YYYY-MM-DD N | load FILE | show YYYY"));
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
	res = db_query(db, &st, "SELECT d, yc.date_provisional(d) FROM yc.add_workdays($1::date, $2::int) d",
	    2, (const char *[]){ date, count });
	if (res != NULL) {
		conv_fprintf(stdout, "%s\n", PQgetvalue(res, 0, 0));
		if (strcmp(PQgetvalue(res, 0, 1), "t") == 0)
			conv_fprintf(stderr, _("yichuang: provisional: %.4s has no official calendar loaded; the date "
			    "follows the statutory holidays, and the State Council's arrangement for that year "
			    "prevails.\n"), PQgetvalue(res, 0, 0));
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
	char *err = NULL, *statutory;
	int years, moved = 0;

	if (db == NULL)
		return 1;
	statutory = paths_join(paths_datadir(), "db/calendar/cn-statutory-dates.tsv");
	years = calstore_load(db, path, statutory, false, &moved, &err);
	free(statutory);
	db_close(&db);
	if (years < 0) {
		conv_fprintf(stderr, "yichuang: %s\n", err);
		free(err);
		return 1;
	}
	conv_fprintf(stdout, _("Working-day calendar: %d year(s) loaded from %s.\n"), years, path);
	conv_fprintf(stdout, _("Open cases whose dates changed: %d.\n"), moved);
	return 0;
}

static const char *const cmd_calendar_wday[] = {
	N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
};

static int
cmd_calendar_show(const struct cmd_ctx *ctx, const char *year)
{
	char *end;
	long y = strtol(year, &end, 10);
	struct db *db;
	PGresult *res;
	int rc = 1;

	if (*year == '\0' || *end != '\0' || y < 1949 || y > 2200) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", _("not a year (1949 to 2200)"), year);
		return 2;
	}
	if ((db = cmd_open_app(ctx)) == NULL)
		return 1;
	res = db_query(db, NULL, "SELECT cy.basis, w.day, w.kind, w.name, extract(dow FROM w.day)::int "
	    "FROM yc.calendar_year cy LEFT JOIN yc.workday_adjustment w "
	    "ON w.day >= make_date(cy.year, 1, 1) AND w.day < make_date(cy.year + 1, 1, 1) "
	    "WHERE cy.year = $1::int ORDER BY w.day", 1, (const char *[]){ year });
	if (res == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", db_detail(db));
	} else if (PQntuples(res) == 0) {
		conv_fprintf(stderr, _("yichuang: no working-day calendar is loaded for %s.\n"), year);
	} else {
		bool prov = strcmp(PQgetvalue(res, 0, 0), "provisional") == 0;

		conv_fprintf(stdout, prov ?
		    _("%s: provisional (the statutory holidays and their make-up days off by law; the State "
		    "Council's arrangement for the year prevails once loaded)\n") :
		    _("%s: official (the State Council's arrangement)\n"), year);
		for (int i = 0; i < PQntuples(res); i++) {
			int wd = db_int(res, i, 4);

			if (PQgetisnull(res, i, 1))
				continue;
			conv_fprintf(stdout, "%s  %s  %s  %s\n", PQgetvalue(res, i, 1),
			    _(cmd_calendar_wday[wd >= 0 && wd < 7 ? wd : 0]),
			    strcmp(PQgetvalue(res, i, 2), "work") == 0 ? _("make-up working day") : _("day off"),
			    PQgetvalue(res, i, 3));
		}
		rc = 0;
	}
	if (res != NULL)
		PQclear(res);
	db_close(&db);
	return rc;
}

static int
cmd_calendar_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[0], "add-workdays") == 0)
		return cmd_calendar_add(ctx, argv[1], argv[2]);
	if (argc == 2 && strcmp(argv[0], "load") == 0)
		return cmd_calendar_load(ctx, argv[1]);
	if (argc == 2 && strcmp(argv[0], "show") == 0)
		return cmd_calendar_show(ctx, argv[1]);
	return cmd_calendar_usage();
}

const struct cmd_entry cmd_calendar_entry = {
	.name = "calendar",
	.usage = N_("yichuang calendar add-workdays YYYY-MM-DD N | load FILE | show YYYY"),
	.exec = cmd_calendar_exec,
};
