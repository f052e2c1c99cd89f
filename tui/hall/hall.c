/*
 * The shift supervisor's console; see hall.h. Two modes on one view: the
 * live hall (windows, queue, charts) and the list of 差评 waiting for
 * follow-up (F4). Everything shown is read again when the database
 * announces a change of the office (the notify op), and the service times
 * tick every second from the start times read then. This file reads the
 * data and handles the keys and prompts; hall_draw.c draws, and
 * hall_report.c makes the daily report (F8).
 */
#include "hall/hall.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall/hall_int.h"
#include "model/calendar.h"
#include "model/chart.h"
#include "model/i18n.h"
#include "store/hall.h"
#include "store/queue.h"
#include "store/stages.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

bool
hall_supervisor(const struct app *app)
{
	return app_role_is(app, "supervisor");
}

struct hall *
hall_data(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct hall));
	return v->data;
}

/* Shows why a call failed; true when it was HALL_OK. */
static bool
hall_ok(struct app *app, enum hall_result r)
{
	if (r == HALL_OK)
		return true;
	if (r == HALL_DB_LOST)
		app_db_lost(app);
	app_message(app, TS_ERROR, hall_result_message(r));
	return false;
}

/*
 * A notification that arrived while the refresh queries ran was read from
 * the socket by libpq and waits in its queue: poll() will not report it.
 * Hand it on now (as the calling board does), a few rounds at most.
 */
static void
hall_drain(struct app *app)
{
	static int depth;
	int more;

	if (app->db_lost || app->db == NULL || depth >= 4)
		return;
	more = db_consume(app->db);
	if (more < 0) {
		app_db_lost(app);
	} else if (more > 0) {
		depth++;
		app_notify(app, false);
		depth--;
	}
}

/* Reads everything the current mode shows. */
static void
hall_refresh(struct app *app, struct hall *h)
{
	enum hall_result r = HALL_OK;
	int n;

	if (app->db_lost || app->db == NULL || !hall_supervisor(app))
		return;
	if (h->mode == HM_RATINGS) {
		n = hall_ratings(app->db, app->session.id, h->rt, HALL_MAX_RATINGS, &r);
		h->nrt = n < 0 ? 0 : n;
		if (h->rsel >= h->nrt)
			h->rsel = h->nrt > 0 ? h->nrt - 1 : 0;
	} else {
		n = hall_windows(app->db, app->session.id, h->win, HALL_MAX_WINDOWS, &r);
		h->nwin = n < 0 ? 0 : n;
		if (r == HALL_OK) {
			r = hall_queue(app->db, app->session.id, &h->q);
			h->have_queue = r == HALL_OK;
			h->q_at = time(NULL);
		}
		if (r == HALL_OK) {
			enum hourstore_result hr = hourstore_today(app->db, app->session.office_code, &h->hours);

			h->have_hours = hr == HS_OK;
			h->hours_read = time(NULL);
			h->hours_due = h->hours_read + h->hours.changes_in;
			if (hr == HS_DB_LOST)
				r = HALL_DB_LOST;
		}
		if (r == HALL_OK)
			r = hall_hourly(app->db, app->session.id, h->hourly);
		if (r == HALL_OK)
			r = hall_waits(app->db, app->session.id, h->waits);
		if (r == HALL_OK && h->show_due) {
			n = hall_due(app->db, app->session.id, h->due, HALL_MAX_DUE, &r);
			h->ndue = n < 0 ? 0 : n;
		}
		if (h->sel >= h->nwin)
			h->sel = h->nwin > 0 ? h->nwin - 1 : 0;
	}
	hall_ok(app, r);
	app_dirty(app, AD_BODY);
	hall_drain(app);
}

enum hours_state
hall_hours_state(const struct hall *h)
{
	time_t now = time(NULL), srv;
	struct tm tm;
	char ymd[11];

	if (now < h->hours_due)
		return h->hours.state;
	srv = h->hours.server_now + (now - h->hours_read);
	cal_date_format(cal_date_cn(srv), ymd);
	if (strcmp(ymd, h->hours.day) != 0)
		return HOURS_CLOSED;	/* past midnight: read again at the next change */
	cal_tm_cn(srv, &tm);
	return hours_state_at(&h->hours.hours, tm.tm_hour * 60 + tm.tm_min);
}

/* Block characters only where the terminal can show them. */
static enum chart_ink
hall_ink(void)
{
	const char *env = getenv("LC_ALL");

	if (env == NULL || env[0] == '\0')
		env = getenv("LC_CTYPE");
	if (env == NULL || env[0] == '\0')
		env = getenv("LANG");
	return chart_blocks_ok(nl_langinfo(CODESET), getenv("TERM"), env) ? CHART_BLOCKS : CHART_ASCII;
}

static void
hall_enter(struct app *app, struct view *v)
{
	struct hall *h = hall_data(v);

	h->ink = hall_ink();
	app->tick_seconds = true;
	free(h->calendar_warning);
	h->calendar_warning = app_calendar_warning(app);
	app_calendar_refresh(app);
	hall_refresh(app, h);
}

static void
hall_notify(struct app *app, struct view *v, bool fresh)
{
	(void)fresh;	/* the workbench LISTENs again on a new connection */
	if (app->active == AV_HALL)
		hall_refresh(app, hall_data(v));
}

void
hall_open(struct app *app)
{
	struct hall *h;

	if (!hall_supervisor(app)) {
		app_message(app, TS_ERROR, hall_result_message(HALL_NOT_ALLOWED));
		return;
	}
	h = hall_data(&app->views[AV_HALL]);
	h->mode = HM_CONSOLE;
	app_switch(app, AV_HALL);
}

/* Asks for the day of the daily report (h->report_date: today). */
static void
hall_report_ask(struct hall *h)
{
	prompt_field(&h->prompt, HP_REPORT_DATE, _("Daily report: which day? (Enter: today)"), 11,
	    false);
}

/* Acts on a prompt's answer. */
static void
hall_answer(struct app *app, struct hall *h, int tag, int choice)
{
	const char *text = field_text(&h->prompt.field);
	char *msg = NULL;

	switch (tag) {
	case HP_GREEN_ID:
		snprintf(h->green_id, sizeof h->green_id, "%s", text);
		field_clear(&h->prompt.field);
		prompt_field(&h->prompt, HP_GREEN_WINDOW,
		    _("Send to window number (Enter: the next free window)"), 3, true);
		return;
	case HP_GREEN_WINDOW: {
		struct queue_issue is;
		enum queue_result r = queue_issue_green(app->db, app->session.office_code,
		    h->green_id[0] != '\0' ? h->green_id : NULL, app->session.id, atoi(text), &is);

		memset(h->green_id, 0, sizeof h->green_id);
		if (r == QUEUE_OK)
			msg = queue_green_placed_message(&is);
		else {
			if (r == QUEUE_DB_LOST)
				app_db_lost(app);
			app_message(app, TS_ERROR, queue_result_message(r));
		}
		break;
	}
	case HP_REROUTE_TICKET:
		if (text[0] == '\0')
			break;
		if (hall_ok(app, hall_find_waiting(app->db, app->session.id, text, &h->reroute))) {
			char *title = xasprintf(_("Re-route %s to window number (0: back to the queue):"),
			    h->reroute.number);

			prompt_field(&h->prompt, HP_REROUTE_WINDOW, title, 3, true);
			free(title);
			if (h->sel < h->nwin) {
				char no[16];

				snprintf(no, sizeof no, "%d", h->win[h->sel].window_no);
				field_set(&h->prompt.field, no);
			}
			return;
		}
		break;
	case HP_REROUTE_WINDOW: {
		int to = atoi(text);

		if (text[0] == '\0')
			break;
		if (hall_ok(app, hall_reroute(app->db, app->session.id, h->reroute.id, to)))
			msg = to > 0 ? xasprintf(_("Ticket %s goes to window %d: that window calls it next."),
			    h->reroute.number, to) :
			    xasprintf(_("Ticket %s is back in the queue in its original place."),
			    h->reroute.number);
		break;
	}
	case HP_FOLLOW_UP:
		if (h->rsel < h->nrt && hall_ok(app, hall_follow_up(app->db, app->session.id,
		    h->rt[h->rsel].office_code, h->rt[h->rsel].id, text)))
			msg = xstrdup(_("The follow-up note was saved; the rating is marked as handled."));
		break;
	case HP_REASSIGN_FROM:
		if (text[0] == '\0')
			break;
		snprintf(h->from_staff, sizeof h->from_staff, "%s", text);
		msg = xasprintf(_("Give the open cases of %s to staff no.:"), h->from_staff);
		prompt_field(&h->prompt, HP_REASSIGN_TO, msg, 32, false);
		free(msg);
		return;
	case HP_REASSIGN_TO: {
		int moved = 0;
		enum cases_result r;

		if (text[0] == '\0')
			break;
		r = stages_reassign(app->db, app->session.id, h->from_staff, text, &moved);
		if (r == CASES_OK)
			msg = xasprintf(_("%d open case(s) of %s now belong to %s."), moved, h->from_staff,
			    text);
		else if (r == CASES_NOT_FOUND || r == CASES_NOT_ALLOWED) {
			char *why = r == CASES_NOT_FOUND
			    ? xasprintf(_("No staff has the number %s or %s; check both numbers."),
			    h->from_staff, text)
			    : xasprintf(_("%s cannot take the cases: they go only to an active counter clerk "
			    "of this office or an office below it."), text);

			app_message(app, TS_ERROR, why);
			free(why);
		} else {
			if (r == CASES_DB_LOST)
				app_db_lost(app);
			app_message(app, TS_ERROR, cases_result_message(r));
		}
		break;
	}
	case HP_REPORT_DATE:
		if (!hall_report_date(app, text[0] != '\0' ? text : h->report_date, h->report_date)) {
			char *typed = xstrdup(text);

			hall_report_ask(h);	/* the reason stays on the message line */
			field_set(&h->prompt.field, typed);
			free(typed);
			return;
		}
		msg = xasprintf(_("Daily report of %s: office code (Enter: this office, or an office "
		    "below it):"), h->report_date);
		prompt_field(&h->prompt, HP_REPORT_OFFICE, msg, 12, true);
		field_set(&h->prompt.field, app->session.office_code);
		free(msg);
		return;
	case HP_REPORT_OFFICE: {
		/* An office with offices below: ask whether to include them
		 * (first, the default: yes); otherwise its daily report. */
		const char *labels[2];
		int below;

		snprintf(h->report_office, sizeof h->report_office, "%s",
		    text[0] != '\0' ? text : app->session.office_code);
		field_clear(&h->prompt.field);
		below = hall_report_has_below(app, h->report_office, h->report_date);
		if (below < 0)
			return;
		if (below == 0) {
			hall_report_open(app, h->report_office, h->report_date);
			return;
		}
		labels[0] = _("With the offices below (one row per office and the total)");
		labels[1] = _("This office only (by clerk and by case type)");
		msg = xasprintf(_("Daily report of %s, %s: include the offices below it?"), h->report_office,
		    h->report_date);
		prompt_menu(&h->prompt, HP_REPORT_BELOW, msg, labels, 2);
		free(msg);
		return;
	}
	case HP_REPORT_BELOW:
		if (choice == 0)
			hall_report_open_below(app, h->report_office, h->report_date);
		else
			hall_report_open(app, h->report_office, h->report_date);
		return;
	}
	if (msg != NULL) {
		app_message(app, TS_OK, msg);
		free(msg);
	}
	field_clear(&h->prompt.field);
	hall_refresh(app, h);
}

static int
hall_key_ratings(struct app *app, struct hall *h, const struct term_key *k)
{
	char *title;

	switch (k->code) {
	case K_UP:
		h->rsel = h->rsel > 0 ? h->rsel - 1 : 0;
		return VF_REDRAW;
	case K_DOWN:
		h->rsel = h->rsel + 1 < h->nrt ? h->rsel + 1 : h->rsel;
		return VF_REDRAW;
	case K_ENTER:
		if (h->nrt == 0)
			return VF_HANDLED;
		title = xasprintf(_("Follow-up of the rating \"%s\" of %s: what was done?"),
		    hall_grade_name(h->rt[h->rsel].grade), h->rt[h->rsel].staff_name);
		prompt_field(&h->prompt, HP_FOLLOW_UP, title, 160, false);
		free(title);
		return VF_REDRAW;
	case K_ESC:
	case K_F4:
	case K_F10:
		h->mode = HM_CONSOLE;
		hall_refresh(app, h);
		return VF_REDRAW;
	default:
		return VF_IGNORED;
	}
}

static int
hall_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct hall *h = hall_data(v);

	if (prompt_active(&h->prompt)) {
		int tag = h->prompt.tag, choice = 0;
		enum prompt_outcome o = prompt_key(&h->prompt, k, &choice);

		if (o == PR_DONE)
			hall_answer(app, h, tag, choice);
		return VF_REDRAW;
	}
	if (k->code == K_F1) {
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	}
	if (k->code == K_F5) {
		hall_refresh(app, h);
		return VF_REDRAW;
	}
	if (app->db_lost && (k->code == K_F2 || k->code == K_F3 || k->code == K_F6 || k->code == K_F8 ||
	    (k->code == K_ENTER && h->mode == HM_RATINGS))) {
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return VF_HANDLED;
	}
	if (h->mode == HM_RATINGS)
		return hall_key_ratings(app, h, k);
	switch (k->code) {
	case K_UP:
		h->sel = h->sel > 0 ? h->sel - 1 : 0;
		return VF_REDRAW;
	case K_DOWN:
		h->sel = h->sel + 1 < h->nwin ? h->sel + 1 : h->sel;
		return VF_REDRAW;
	case K_PGUP:
		h->sel = h->sel > 10 ? h->sel - 10 : 0;
		return VF_REDRAW;
	case K_PGDN:
		h->sel = h->sel + 10 < h->nwin ? h->sel + 10 : (h->nwin > 0 ? h->nwin - 1 : 0);
		return VF_REDRAW;
	case K_F2:
		prompt_field(&h->prompt, HP_GREEN_ID, _("Green channel: ID number (optional, Enter to skip)"),
		    18, false);
		return VF_REDRAW;
	case K_F3:
		prompt_field(&h->prompt, HP_REROUTE_TICKET, _("Re-route a waiting ticket: its number "
		    "(e.g. A012):"), 6, false);
		return VF_REDRAW;
	case K_F4:
		h->mode = HM_RATINGS;
		h->rsel = h->rtop = 0;
		hall_refresh(app, h);
		return VF_REDRAW;
	case K_F6:
		prompt_field(&h->prompt, HP_REASSIGN_FROM, _("Reassign the open cases of staff no.:"), 32,
		    false);
		if (h->sel < h->nwin && h->win[h->sel].staff_no[0] != '\0')
			field_set(&h->prompt.field, h->win[h->sel].staff_no);
		return VF_REDRAW;
	case K_F7:
		h->show_due = !h->show_due;
		hall_refresh(app, h);
		return VF_REDRAW;
	case K_F8:
		hall_report_today(h->report_date);
		hall_report_ask(h);
		field_set(&h->prompt.field, h->report_date);
		return VF_REDRAW;
	case K_ESC:
	case K_F10:
		app->tick_seconds = false;
		app_message(app, TS_NORMAL, NULL);
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	default:
		return VF_IGNORED;
	}
}

static const struct bar_item hall_console_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Green ticket") }, { K_F3, N_("Re-route") },
	{ K_F4, N_("Poor ratings") }, { K_F5, N_("Refresh") }, { K_F6, N_("Reassign") },
	{ K_F7, N_("Due cases") }, { K_F8, N_("Daily report") }, { K_F10, N_("Back") },
};

static const struct bar_item hall_ratings_bar[] = {
	{ K_F1, N_("Help") }, { K_ENTER, N_("Follow up") }, { K_F5, N_("Refresh") },
	{ K_F10, N_("Back") },
};

static const struct bar_item *
hall_bar(struct app *app, struct view *v, size_t *n)
{
	struct hall *h = hall_data(v);

	(void)app;
	if (h->mode == HM_RATINGS) {
		*n = sizeof hall_ratings_bar / sizeof hall_ratings_bar[0];
		return hall_ratings_bar;
	}
	*n = sizeof hall_console_bar / sizeof hall_console_bar[0];
	return hall_console_bar;
}

static void
hall_free(struct view *v)
{
	struct hall *h = v->data;

	if (h == NULL)
		return;
	prompt_close(&h->prompt);
	free(h->calendar_warning);
	free(h);
	v->data = NULL;
}

const struct view_ops hall_view_ops = {
	.enter = hall_enter,
	.draw = hall_draw,
	.key = hall_key,
	.bar_fn = hall_bar,
	.free = hall_free,
	.notify = hall_notify,
};
