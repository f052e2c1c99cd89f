/*
 * The shift supervisor's console; see hall.h. Three modes on one view: the
 * live hall of one office (windows, queue, charts), the list of 差评
 * waiting for follow-up (F4), and the offices of the jurisdiction with
 * their figures (辖区各厅, F9). Everything shown is read again when the
 * database announces a change (the notify op): the workbench LISTENs on
 * the own office's queue channel, the console on the channel of the other
 * office whose hall it shows, or of every office the list shows, and
 * UNLISTENs them when it shows something else. The list is read again at
 * most every HALL_LIST_SECONDS (a NOTIFY within that time is kept for the
 * tick op). The service times tick every second from the start times read
 * then. This file reads the data and handles the keys and prompts;
 * hall_draw.c draws, and hall_report.c makes the daily report (F8).
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

bool
hall_elsewhere(const struct app *app, const struct hall *h)
{
	return h->office[0] != '\0' && strcmp(h->office, app->session.office_code) != 0;
}

/* The mode whose channels count: the 差评 list keeps those of the mode
 * it was opened from. */
static enum hall_mode
hall_base_mode(const struct hall *h)
{
	return h->mode == HM_RATINGS ? h->ratings_from : h->mode;
}

/* Whether code is in list[0..n). */
static bool
hall_has(char (*list)[16], int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], code) == 0)
			return true;
	return false;
}

/*
 * Makes the console LISTEN on exactly the queue channels of what it shows
 * (none when on is false: the console is left) besides the own office's,
 * which the workbench keeps: the other office whose hall is shown, or the
 * offices of the list that have windows. again: LISTEN on all of them once
 * more (a new connection has none).
 */
static void
hall_listen_sync(struct app *app, struct hall *h, bool on, bool again)
{
	char want[HALL_MAX_OFFICES][16];
	const char *add[HALL_MAX_OFFICES], *drop[HALL_MAX_OFFICES];
	int nwant = 0, nadd = 0, ndrop = 0;

	if (on && hall_base_mode(h) == HM_CONSOLE && hall_elsewhere(app, h))
		snprintf(want[nwant++], 16, "%s", h->office);
	else if (on && hall_base_mode(h) == HM_OFFICES)
		for (int i = 0; i < h->noff && nwant < HALL_MAX_OFFICES; i++)
			if (h->off[i].windows_active > 0 &&
			    strcmp(h->off[i].code, app->session.office_code) != 0)
				snprintf(want[nwant++], 16, "%s", h->off[i].code);
	for (int i = 0; i < h->nlisten; i++)
		if (!hall_has(want, nwant, h->listen[i]))
			drop[ndrop++] = h->listen[i];
	for (int i = 0; i < nwant; i++)
		if (again || !hall_has(h->listen, h->nlisten, want[i]))
			add[nadd++] = want[i];
	if ((nadd > 0 || ndrop > 0) && !app->db_lost && app->db != NULL &&
	    hall_listen(app->db, add, nadd, drop, ndrop) == HALL_DB_LOST)
		app_db_lost(app);
	memcpy(h->listen, want, sizeof want[0] * (size_t)nwant);
	h->nlisten = nwant;
}

/* Reads the offices of the jurisdiction on db; keeps the chosen one chosen. */
static enum hall_result
hall_read_offices(struct app *app, struct hall *h, struct db *db)
{
	enum hall_result r;
	char keep[16];
	int n;

	snprintf(keep, sizeof keep, "%s", h->osel < h->noff ? h->off[h->osel].code : "");
	n = hall_offices(db, app->session.id, h->off, HALL_MAX_OFFICES, &r);
	h->noff = n < 0 ? 0 : n;
	h->offices_read = time(NULL);
	h->offices_pending = false;
	h->below = false;
	h->own_hall = false;
	for (int i = 0; i < h->noff; i++) {
		if (h->off[i].depth > 0 && h->off[i].windows_active > 0)
			h->below = true;
		if (h->off[i].depth == 0 && h->off[i].windows_active > 0)
			h->own_hall = true;
		if (keep[0] != '\0' && strcmp(h->off[i].code, keep) == 0)
			h->osel = i;
	}
	if (h->osel >= h->noff)
		h->osel = h->noff > 0 ? h->noff - 1 : 0;
	return r;
}

/*
 * Reads on db what the current mode shows and the standby can answer (all
 * but today's appointments, whose reading sweeps missed ones: always the
 * primary's).
 */
static enum hall_result
hall_read_mode(struct app *app, struct hall *h, struct db *db)
{
	enum hall_result r = HALL_OK;
	int n;

	if (h->mode == HM_RATINGS) {
		n = hall_ratings(db, app->session.id, h->rt, HALL_MAX_RATINGS, &r);
		h->nrt = n < 0 ? 0 : n;
		if (h->rsel >= h->nrt)
			h->rsel = h->nrt > 0 ? h->nrt - 1 : 0;
		return r;
	}
	if (h->mode == HM_OFFICES) {
		r = hall_read_offices(app, h, db);
		if (r == HALL_OK && h->show_due) {
			/* everything below the supervisor's own office */
			n = hall_due(db, app->session.id, NULL, h->due, HALL_MAX_DUE, &r);
			h->ndue = n < 0 ? 0 : n;
		}
		return r;
	}
	n = hall_windows(db, app->session.id, h->office, h->win, HALL_MAX_WINDOWS, &r);
	h->nwin = n < 0 ? 0 : n;
	if (r == HALL_OK) {
		r = hall_queue(db, app->session.id, h->office, &h->q);
		h->have_queue = r == HALL_OK;
		h->q_at = time(NULL);
	}
	if (r == HALL_OK) {
		enum hourstore_result hr = hourstore_today(db, h->office, &h->hours);

		h->have_hours = hr == HS_OK;
		h->hours_read = time(NULL);
		h->hours_due = h->hours_read + h->hours.changes_in;
		if (hr == HS_DB_LOST)
			r = HALL_DB_LOST;
	}
	if (r == HALL_OK)
		r = hall_hourly(db, app->session.id, h->office, h->hourly);
	if (r == HALL_OK)
		r = hall_waits(db, app->session.id, h->office, h->waits);
	if (r == HALL_OK && h->show_due) {
		n = hall_due(db, app->session.id, h->office, h->due, HALL_MAX_DUE, &r);
		h->ndue = n < 0 ? 0 : n;
	}
	return r;
}

/* Reads everything the current mode shows: on the hot standby when
 * hall_read_db offers it, again on the primary when that read failed. */
static void
hall_refresh(struct app *app, struct hall *h)
{
	enum hall_result r;
	struct db *db;

	if (app->db_lost || app->db == NULL || !hall_supervisor(app))
		return;
	if (h->office[0] == '\0') {
		snprintf(h->office, sizeof h->office, "%s", app->session.office_code);
		snprintf(h->office_name, sizeof h->office_name, "%s", app->session.office_name);
	}
	db = hall_read_db(app, h);
	r = hall_read_mode(app, h, db);
	if (db != app->db && r != HALL_OK) {
		hall_read_failed(h);
		r = hall_read_mode(app, h, app->db);
	}
	if (h->mode == HM_OFFICES)
		hall_listen_sync(app, h, true, false);
	if (r == HALL_OK && h->mode == HM_CONSOLE && h->show_appt) {
		enum appt_result ar;

		appt_hall_free(&h->appts);
		ar = apptstore_hall(app->db, app->session.id, h->office, &h->appts);
		if (ar == APPT_DB_LOST)
			r = HALL_DB_LOST;
		else if (ar != APPT_OK)
			app_message(app, TS_ERROR, appt_message(ar));
	}
	if (h->mode == HM_CONSOLE && h->sel >= h->nwin)
		h->sel = h->nwin > 0 ? h->nwin - 1 : 0;
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
	/* back from help, a preview or the lock screen: the connection may be
	 * a new one meanwhile */
	hall_listen_sync(app, h, true, true);
	hall_refresh(app, h);
}

static void
hall_notify(struct app *app, struct view *v, bool fresh)
{
	struct hall *h = hall_data(v);

	if (app->active != AV_HALL)
		return;
	/* the workbench LISTENs again on the own office's channel */
	if (fresh)
		hall_listen_sync(app, h, true, true);
	if (h->mode == HM_OFFICES && !fresh && time(NULL) - h->offices_read < HALL_LIST_SECONDS) {
		h->offices_pending = true;	/* read at the next tick */
		return;
	}
	hall_refresh(app, h);
}

static void
hall_tick(struct app *app, struct view *v)
{
	struct hall *h = hall_data(v);

	if (h->mode == HM_OFFICES && h->offices_pending &&
	    time(NULL) - h->offices_read >= HALL_LIST_SECONDS)
		hall_refresh(app, h);
}

/* The console is left (to the workbench, or the session ends): no
 * channel of another office stays. */
static void
hall_leave(struct app *app, struct hall *h)
{
	hall_listen_sync(app, h, false, false);
}

static void
hall_save(struct app *app, struct view *v)
{
	if (v->data != NULL)
		hall_leave(app, v->data);
}

/* Shows the hall of office code (named name) in HM_CONSOLE. */
static void
hall_show_office(struct app *app, struct hall *h, const char *code, const char *name)
{
	if (strcmp(h->office, code) != 0) {
		h->nwin = 0;
		h->have_queue = false;
		h->have_hours = false;
		h->sel = h->top = 0;
	}
	snprintf(h->office, sizeof h->office, "%s", code);
	snprintf(h->office_name, sizeof h->office_name, "%s", name);
	h->mode = HM_CONSOLE;
	app_dirty(app, AD_BAR);
	hall_listen_sync(app, h, true, false);
	hall_refresh(app, h);
}

/* Shows the list of offices, the office whose hall was shown chosen. */
static void
hall_show_offices(struct app *app, struct hall *h)
{
	h->mode = HM_OFFICES;
	for (int i = 0; i < h->noff; i++)
		if (strcmp(h->off[i].code, h->office) == 0)
			h->osel = i;
	app_dirty(app, AD_BAR);
	hall_refresh(app, h);
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
	snprintf(h->office, sizeof h->office, "%s", app->session.office_code);
	snprintf(h->office_name, sizeof h->office_name, "%s", app->session.office_name);
	h->mode = HM_CONSOLE;
	h->sel = h->top = 0;
	h->osel = h->otop = 0;
	/* A supervisor with no hall of their own (a prefecture, a province)
	 * over offices that have one starts from the list. */
	if (!app->db_lost && app->db != NULL && hall_read_offices(app, h, app->db) == HALL_OK && h->below &&
	    !h->own_hall)
		h->mode = HM_OFFICES;
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
		enum queue_result r = queue_issue_green(app->db, h->office,
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
		if (hall_ok(app, hall_find_waiting(app->db, app->session.id, h->office, text,
		    &h->reroute))) {
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
		if (hall_ok(app, hall_reroute(app->db, app->session.id, h->office, h->reroute.id, to)))
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
		field_set(&h->prompt.field, h->report_office);
		free(msg);
		return;
	case HP_REPORT_OFFICE: {
		/* An office with offices below: ask whether to include them
		 * (first, the default: yes); otherwise its daily report. */
		const char *labels[2];
		int below;

		if (text[0] != '\0')
			snprintf(h->report_office, sizeof h->report_office, "%s", text);
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
		h->mode = h->ratings_from;
		app_dirty(app, AD_BAR);
		hall_refresh(app, h);
		return VF_REDRAW;
	default:
		return VF_IGNORED;
	}
}

/* F4 from the hall or the list: the 差评 of the jurisdiction. */
static int
hall_open_ratings(struct app *app, struct hall *h)
{
	h->ratings_from = h->mode;
	h->mode = HM_RATINGS;
	h->rsel = h->rtop = 0;
	app_dirty(app, AD_BAR);
	hall_refresh(app, h);
	return VF_REDRAW;
}

/* F6 from the hall or the list: whose open cases go to another clerk. */
static int
hall_ask_reassign(struct hall *h, const char *prefill)
{
	prompt_field(&h->prompt, HP_REASSIGN_FROM, _("Reassign the open cases of staff no.:"), 32,
	    false);
	if (prefill != NULL && prefill[0] != '\0')
		field_set(&h->prompt.field, prefill);
	return VF_REDRAW;
}

/* F8 from the hall or the list: the daily report, of office by default. */
static int
hall_ask_report(struct hall *h, const char *office)
{
	snprintf(h->report_office, sizeof h->report_office, "%s", office);
	hall_report_today(h->report_date);
	hall_report_ask(h);
	field_set(&h->prompt.field, h->report_date);
	return VF_REDRAW;
}

/* Back to the workbench. */
static int
hall_back(struct app *app, struct hall *h)
{
	hall_leave(app, h);
	app->tick_seconds = false;
	app_message(app, TS_NORMAL, NULL);
	app_switch(app, AV_WORKBENCH);
	return VF_HANDLED;
}

/* The offices of the jurisdiction (辖区各厅). */
static int
hall_key_offices(struct app *app, struct hall *h, const struct term_key *k)
{
	const struct hall_office *o = h->osel < h->noff ? &h->off[h->osel] : NULL;

	switch (k->code) {
	case K_UP:
		h->osel = h->osel > 0 ? h->osel - 1 : 0;
		return VF_REDRAW;
	case K_DOWN:
		h->osel = h->osel + 1 < h->noff ? h->osel + 1 : h->osel;
		return VF_REDRAW;
	case K_PGUP:
		h->osel = h->osel > 10 ? h->osel - 10 : 0;
		return VF_REDRAW;
	case K_PGDN:
		h->osel = h->osel + 10 < h->noff ? h->osel + 10 : (h->noff > 0 ? h->noff - 1 : 0);
		return VF_REDRAW;
	case K_ENTER: {
		char *msg;

		if (o == NULL)
			return VF_HANDLED;
		if (o->windows_active > 0) {
			app_message(app, TS_NORMAL, NULL);
			hall_show_office(app, h, o->code, o->name);
			return VF_REDRAW;
		}
		msg = xasprintf(_("%s has no active window: there is no hall to show."), o->name);
		app_message(app, TS_ERROR, msg);
		free(msg);
		return VF_HANDLED;
	}
	case K_F4:
		return hall_open_ratings(app, h);
	case K_F6:
		return hall_ask_reassign(h, NULL);
	case K_F7:
		h->show_due = !h->show_due;
		hall_refresh(app, h);
		return VF_REDRAW;
	case K_F8:
		return hall_ask_report(h, o != NULL ? o->code : app->session.office_code);
	case K_ESC:
	case K_F10:
		/* up the tree: the own hall, where there is one */
		if (h->own_hall) {
			hall_show_office(app, h, app->session.office_code, app->session.office_name);
			return VF_REDRAW;
		}
		return hall_back(app, h);
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
	if (h->mode == HM_OFFICES)
		return hall_key_offices(app, h, k);
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
		return hall_open_ratings(app, h);
	case K_F6:
		return hall_ask_reassign(h, h->sel < h->nwin ? h->win[h->sel].staff_no : NULL);
	case K_F7:
		/* the charts, the due cases, today's appointments, in turn */
		if (h->show_due) {
			h->show_due = false;
			h->show_appt = true;
		} else if (h->show_appt)
			h->show_appt = false;
		else
			h->show_due = true;
		hall_refresh(app, h);
		return VF_REDRAW;
	case K_F8:
		return hall_ask_report(h, h->office);
	case K_F9:
		if (!h->below && !hall_elsewhere(app, h))
			return VF_IGNORED;
		hall_show_offices(app, h);
		return VF_REDRAW;
	case K_ESC:
	case K_F10:
		/* another office's hall: back to the list it was chosen from */
		if (hall_elsewhere(app, h)) {
			hall_show_offices(app, h);
			return VF_REDRAW;
		}
		return hall_back(app, h);
	default:
		return VF_IGNORED;
	}
}

static const struct bar_item hall_console_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Green ticket") }, { K_F3, N_("Re-route") },
	{ K_F4, N_("Poor ratings") }, { K_F5, N_("Refresh") }, { K_F6, N_("Reassign") },
	{ K_F7, N_("Due/appts") }, { K_F8, N_("Daily report") }, { K_F10, N_("Back") },
};

/* With offices below: F9 takes the place of F5 (which still refreshes),
 * so that the bar fits 80 columns. */
static const struct bar_item hall_console_below_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Green ticket") }, { K_F3, N_("Re-route") },
	{ K_F4, N_("Poor ratings") }, { K_F6, N_("Reassign") }, { K_F7, N_("Due/appts") },
	{ K_F8, N_("Daily report") }, { K_F9, N_("Halls below") }, { K_F10, N_("Back") },
};

static const struct bar_item hall_offices_bar[] = {
	{ K_F1, N_("Help") }, { K_ENTER, N_("Live hall") }, { K_F4, N_("Poor ratings") },
	{ K_F5, N_("Refresh") }, { K_F6, N_("Reassign") }, { K_F7, N_("Due cases") },
	{ K_F8, N_("Daily report") }, { K_F10, N_("Back") },
};

static const struct bar_item hall_ratings_bar[] = {
	{ K_F1, N_("Help") }, { K_ENTER, N_("Follow up") }, { K_F5, N_("Refresh") },
	{ K_F10, N_("Back") },
};

static const struct bar_item *
hall_bar(struct app *app, struct view *v, size_t *n)
{
	struct hall *h = hall_data(v);

	if (h->mode == HM_RATINGS) {
		*n = sizeof hall_ratings_bar / sizeof hall_ratings_bar[0];
		return hall_ratings_bar;
	}
	if (h->mode == HM_OFFICES) {
		*n = sizeof hall_offices_bar / sizeof hall_offices_bar[0];
		return hall_offices_bar;
	}
	if (h->below || hall_elsewhere(app, h)) {
		*n = sizeof hall_console_below_bar / sizeof hall_console_below_bar[0];
		return hall_console_below_bar;
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
	appt_hall_free(&h->appts);
	hall_read_close(h);
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
	.save = hall_save,
	.tick = hall_tick,
};
