/*
 * F8 in the supervisor's console: the daily report (日报) of the office, or
 * of an office below it, or (asked when the office has offices below it,
 * default yes) one row per office of it and below and the total, previewed and then printed on the window's
 * channel like any document. The server decides who may read which office
 * (db/migrations/0013_report_console.sql); the layout is the one of
 * `yichuang report daily` (model/report.c), always 80 columns: the report
 * is an A4 page even where the window's receipts print at 40.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hall/hall.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/report.h"
#include "model/validate.h"
#include "store/daily.h"
#include "ui/preview.h"
#include "ui/printout.h"
#include "util/xalloc.h"

#define HALL_REPORT_WIDTH 80

static struct cal_date
hall_report_day(void)
{
	return cal_date_cn(time(NULL));
}

void
hall_report_today(char out[11])
{
	cal_date_format(hall_report_day(), out);
}

bool
hall_report_date(struct app *app, const char *typed, char out[11])
{
	struct cal_date d;
	struct val_result vr;

	if (!val_date(typed, hall_report_day(), false, &d, &vr)) {
		app_message(app, TS_ERROR, vr.message);
		return false;
	}
	cal_date_format(d, out);
	return true;
}

/* The page: the report, then who printed it and the signature line. */
static void
hall_report_preview(struct app *app, char *body)
{
	struct tm tm;
	char *doc;
	const char *what = printout_document_name("daily-report");

	cal_tm_cn(time(NULL), &tm);
	doc = xasprintf(_("%s\nPrinted %04d-%02d-%02d %02d:%02d by %s (%s)\nShift supervisor "
	    "(signature): ____________\n"), body, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, app->session.staff_name, app->session.staff_no);
	free(body);
	app_message(app, TS_NORMAL, NULL);
	preview_open(app, &doc, &what, 1, AV_HALL);
}

/* The per-office rows as the session, or NULL with the reason shown. */
static bool
hall_report_offices(struct app *app, const char *office, const char *date, struct report_offices *ro)
{
	enum daily_result r = daily_offices_fetch(app->db, app->session.id, office, date, false, true, ro);

	if (r != DAILY_OK) {
		if (r == DAILY_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, daily_result_message(r));
		return false;
	}
	return true;
}

int
hall_report_has_below(struct app *app, const char *office, const char *date)
{
	struct report_offices ro;
	int below;

	if (!hall_report_offices(app, office, date, &ro))
		return -1;
	below = ro.nrows > 2;	/* the office, the total, and more */
	report_offices_free(&ro);
	return below;
}

void
hall_report_open_below(struct app *app, const char *office, const char *date)
{
	struct report_offices ro;

	if (!hall_report_offices(app, office, date, &ro))
		return;
	hall_report_preview(app, report_offices_text(&ro, HALL_REPORT_WIDTH));
	report_offices_free(&ro);
}

void
hall_report_open(struct app *app, const char *office, const char *date)
{
	struct report_daily d;
	enum daily_result r = daily_fetch(app->db, app->session.id, office, date, &d);

	if (r != DAILY_OK) {
		if (r == DAILY_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, daily_result_message(r));
		return;
	}
	hall_report_preview(app, report_daily_text(&d, HALL_REPORT_WIDTH));
	report_daily_free(&d);
}
