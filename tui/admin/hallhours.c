/*
 * The opening hours screen of administrators; see hallhours.h. The rows
 * are the eight days of the week (the days off of the calendar last),
 * then the special days; ↑ ↓ choose one. Everything shown is read again
 * after each change and when the database announces a change of the
 * office's hours (LISTEN yc_hours_<office>).
 */
#include "admin/hallhours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/calendar.h"
#include "model/hours.h"
#include "model/i18n.h"
#include "model/text.h"
#include "model/validate.h"
#include "store/hourstore.h"
#include "store/queue.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

#define HH_MAX_EX 60

enum hh_prompt { HHP_EDIT = 1, HHP_NEW_DATE, HHP_NEW_HOURS, HHP_NEW_NOTE, HHP_REMOVE, HHP_OFFICE };

struct hallhours {
	char office[16], office_name[128];
	struct hourstore_today today;
	struct hourstore_week_day week[8];
	struct hourstore_date ex[HH_MAX_EX];
	int nex;
	bool loaded;
	int sel, ex_top;		/* the chosen row (0..7 the week, then the special days) */
	char new_date[11];		/* F2: the date typed, until the hours and note are */
	struct hours_day new_hours;
	struct prompt prompt;
};

static struct hallhours *
hh_data(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct hallhours));
	return v->data;
}

/* Shows why a call failed; true on HS_OK. */
static bool
hh_ok(struct app *app, enum hourstore_result r)
{
	if (r == HS_OK)
		return true;
	if (r == HS_DB_LOST)
		app_db_lost(app);
	app_message(app, TS_ERROR, hourstore_result_message(r));
	return false;
}

/* Reads the office's name, today, the week and the special days. */
static bool
hh_load(struct app *app, struct hallhours *h)
{
	struct queue_counts qc;
	enum queue_result qr;
	enum hourstore_result r;
	int n;

	if (app->db_lost || app->db == NULL)
		return false;
	qr = queue_counts(app->db, h->office, &qc);
	if (qr != QUEUE_OK) {
		if (qr == QUEUE_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, queue_result_message(qr));
		return false;
	}
	if (!hh_ok(app, hourstore_today(app->db, h->office, &h->today)) ||
	    !hh_ok(app, hourstore_week(app->db, h->office, h->week)))
		return false;
	n = hourstore_exceptions(app->db, h->office, h->today.day, h->ex, HH_MAX_EX, &r);
	if (n < 0)
		return hh_ok(app, r);
	snprintf(h->office_name, sizeof h->office_name, "%s", qc.office_name);
	h->nex = n;
	if (h->sel >= 8 + h->nex)
		h->sel = 8 + h->nex - 1;
	h->loaded = true;
	app_dirty(app, AD_BODY);
	return true;
}

/* Shows another office (the administrator's own at first). */
static void
hh_open_office(struct app *app, struct hallhours *h, const char *office)
{
	struct hallhours keep = *h;

	snprintf(h->office, sizeof h->office, "%s", office);
	h->sel = h->ex_top = 0;
	if (!hh_load(app, h)) {
		*h = keep;	/* the office shown before stays */
		return;
	}
	if (!app->db_lost && hourstore_listen(app->db, h->office) == DB_LOST)
		app_db_lost(app);
}

static void
hh_enter(struct app *app, struct view *v)
{
	struct hallhours *h = hh_data(v);

	if (!h->loaded || strcmp(h->office, app->session.office_code) != 0)
		hh_open_office(app, h, app->session.office_code);
	else
		hh_load(app, h);
}

static void
hh_notify(struct app *app, struct view *v, bool fresh)
{
	struct hallhours *h = hh_data(v);

	if (app->active != AV_HOURS || !h->loaded)
		return;
	if (fresh && hourstore_listen(app->db, h->office) == DB_LOST) {
		app_db_lost(app);
		return;
	}
	hh_load(app, h);
}

/* A day's sessions as the week table shows them: "08:30-12:00 14:30-17:30". */
static char *
hh_sessions(const struct hours_day *d)
{
	char *s, *p;

	if (hours_is_closed(d))
		return xstrdup(_("closed"));
	s = hours_day_spec(d);
	if ((p = strchr(s, ',')) != NULL)
		*p = ' ';
	return s;
}

/* One row of the table: day, sessions, noon, where they come from. */
static void
hh_row(int y, int cols, bool chosen, const char *day, const struct hours_day *d, const char *from)
{
	const int w[] = { 18, 26, 12 };
	char *cells[3], *s = hh_sessions(d);
	enum term_style st = chosen ? TS_FIELD_ACTIVE : TS_NORMAL;
	int x = 2;

	cells[0] = text_pad(day, w[0], TEXT_LEFT);
	cells[1] = text_pad(s, w[1], TEXT_LEFT);
	cells[2] = text_pad(d->noon ? _("noon service") : "-", w[2], TEXT_LEFT);
	term_fill(y, 1, cols - 2, st);
	term_print(y, 1, 1, st, chosen ? ">" : " ");
	for (int i = 0; i < 3 && x < cols - 1; i++) {
		term_print(y, x, cols - 1 - x, st, cells[i]);
		x += w[i];
		free(cells[i]);
	}
	if (x < cols - 1) {
		char *f = text_ellipsize(from, cols - 1 - x);

		term_print(y, x, cols - 1 - x, st, f);
		free(f);
	}
	free(s);
}

static void
hh_draw(struct app *app, struct view *v, int top, int rows)
{
	struct hallhours *h = hh_data(v);
	int cols = term_cols(), y = top, bottom = top + rows;
	char *line, *s, *d;

	if (!h->loaded || rows < 4) {
		if (prompt_active(&h->prompt))
			prompt_draw(&h->prompt, top, rows, &app->cursor_y, &app->cursor_x);
		return;
	}
	line = xasprintf(_("Opening hours · %s (%s)"), h->office_name, h->office);
	s = text_ellipsize(line, cols - 2);
	term_print(y++, 1, cols - 2, TS_TITLE, s);
	free(s);
	free(line);
	s = hours_day_text(&h->today.hours);
	d = hours_date_label(h->today.day);
	line = xasprintf(_("Today %s (%s): %s · %s"), d, h->today.label[0] != '\0' ? h->today.label :
	    hours_kind_name(h->today.kind), hours_state_name(h->today.state, h->today.kind), s);
	free(s);
	free(d);
	s = text_ellipsize(line, cols - 2);
	term_print(y++, 1, cols - 2, h->today.state == HOURS_CLOSED ? TS_WARN : TS_OK, s);
	free(s);
	free(line);
	y++;
	if (y < bottom) {
		const char *hd[] = { _("Day"), _("Sessions"), _("Noon"), _("Set by") };
		const int w[] = { 18, 26, 12 };
		int x = 2;

		for (int i = 0; i < 4 && x < cols - 1; i++) {
			s = i < 3 ? text_pad(hd[i], w[i], TEXT_LEFT) : xstrdup(hd[i]);
			term_print(y, x, cols - 1 - x, TS_TITLE, s);
			x += i < 3 ? w[i] : 0;
			free(s);
		}
		y++;
	}
	for (int i = 0; i < 8 && y < bottom; i++, y++) {
		const struct hourstore_week_day *w = &h->week[i];
		char *from = strcmp(w->source, "default") == 0 ? xstrdup(_("default")) :
		    strcmp(w->source, "sunday") == 0 ? xstrdup(_("as on Sunday")) :
		    xasprintf(_("this office (%s)"), w->updated_by);

		hh_row(y, cols, h->sel == i, hours_dow_name(w->dow), &w->hours, from);
		free(from);
	}
	if (++y < bottom)
		term_print(y++, 1, cols - 2, TS_TITLE, _("Special days from today"));
	if (h->nex == 0 && y < bottom)
		term_print(y++, 2, cols - 3, TS_DIM, _("(none) F2 adds one: a holiday duty day, a closure."));
	if (h->sel >= 8) {
		int room = bottom - y;

		if (h->sel - 8 < h->ex_top)
			h->ex_top = h->sel - 8;
		if (room > 0 && h->sel - 8 >= h->ex_top + room)
			h->ex_top = h->sel - 8 - room + 1;
	}
	for (int i = h->ex_top; i < h->nex && y < bottom; i++, y++) {
		char *note = h->ex[i].holiday[0] != '\0' ?
		    xasprintf("%s (%s)", h->ex[i].label, h->ex[i].holiday) : xstrdup(h->ex[i].label);

		d = hours_date_label(h->ex[i].day);
		hh_row(y, cols, h->sel == 8 + i, d, &h->ex[i].hours, note);
		free(d);
		free(note);
	}
	if (prompt_active(&h->prompt))
		prompt_draw(&h->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

/* The hours of the chosen row. */
static struct hours_day
hh_chosen(const struct hallhours *h)
{
	return h->sel < 8 ? h->week[h->sel].hours : h->ex[h->sel - 8].hours;
}

/* Saves new hours d for the chosen row; true when done. */
static bool
hh_save(struct app *app, struct hallhours *h, const struct hours_day *d)
{
	enum hourstore_result r;

	if (h->sel < 8) {
		int dow = h->week[h->sel].dow;

		r = hourstore_set_days(app->db, app->session.id, h->office, &dow, 1, d);
	} else
		r = hourstore_set_exception(app->db, app->session.id, h->office, h->ex[h->sel - 8].day, d,
		    h->ex[h->sel - 8].label);
	if (!hh_ok(app, r))
		return false;
	app_message(app, TS_OK, _("Saved: the kiosk and the board show the new hours."));
	hh_load(app, h);
	return true;
}

static void
hh_answer(struct app *app, struct hallhours *h, int tag, int choice)
{
	const char *text = field_text(&h->prompt.field);
	struct hours_day d;
	enum hours_error e;
	struct cal_date cd;
	struct val_result vr;

	switch (tag) {
	case HHP_EDIT:
		d = hh_chosen(h);
		if ((e = hours_parse(text, &d)) != HOURS_OK) {
			app_message(app, TS_ERROR, hours_error_message(e));
			break;
		}
		hh_save(app, h, &d);
		break;
	case HHP_NEW_DATE:
		if (!val_date(text, cal_date_cn(time(NULL)), true, &cd, &vr)) {
			app_message(app, TS_ERROR, vr.message);
			break;
		}
		cal_date_format(cd, h->new_date);
		prompt_field(&h->prompt, HHP_NEW_HOURS, _("Sessions that day (e.g. 09:00-12:00; empty: "
		    "closed):"), 40, false);
		return;
	case HHP_NEW_HOURS:
		hours_day_closed(&h->new_hours);
		if ((e = hours_parse(text, &h->new_hours)) != HOURS_OK) {
			app_message(app, TS_ERROR, hours_error_message(e));
			break;
		}
		prompt_field(&h->prompt, HHP_NEW_NOTE, _("Why (e.g. 春节值班, 停电检修):"), 40, false);
		return;
	case HHP_NEW_NOTE:
		if (hh_ok(app, hourstore_set_exception(app->db, app->session.id, h->office, h->new_date,
		    &h->new_hours, text))) {
			app_message(app, TS_OK, _("Saved: the kiosk and the board show the new hours."));
			hh_load(app, h);
		}
		break;
	case HHP_REMOVE:
		if (choice != 0)
			break;
		if (h->sel < 8) {
			int dow = h->week[h->sel].dow;

			if (!hh_ok(app, hourstore_clear_days(app->db, app->session.id, h->office, &dow, 1)))
				break;
			app_message(app, TS_OK, _("The day has the default hours again."));
		} else {
			if (!hh_ok(app, hourstore_drop_exception(app->db, app->session.id, h->office,
			    h->ex[h->sel - 8].day)))
				break;
			app_message(app, TS_OK, _("The special day was removed: the weekly hours apply."));
		}
		hh_load(app, h);
		break;
	case HHP_OFFICE:
		if (text[0] != '\0')
			hh_open_office(app, h, text);
		break;
	}
	field_clear(&h->prompt.field);
}

static int
hh_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct hallhours *h = hh_data(v);
	int choice = 0, n = 8 + h->nex;
	struct hours_day d;
	char *spec, *title;

	if (prompt_active(&h->prompt)) {
		int tag = h->prompt.tag;

		if (prompt_key(&h->prompt, k, &choice) == PR_DONE)
			hh_answer(app, h, tag, choice);
		return VF_REDRAW;
	}
	switch (k->code) {
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_ESC:
	case K_F10:
		app_message(app, TS_NORMAL, NULL);
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	case K_UP:
		if (h->sel > 0)
			h->sel--;
		return VF_REDRAW;
	case K_DOWN:
		if (h->sel + 1 < n)
			h->sel++;
		return VF_REDRAW;
	default:
		break;
	}
	if (!h->loaded)
		return VF_IGNORED;
	if (app->db_lost && k->code >= K_F2 && k->code <= K_F9) {
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return VF_HANDLED;
	}
	switch (k->code) {
	case K_ENTER:
		d = hh_chosen(h);
		spec = hours_day_spec(&d);
		title = h->sel < 8 ?
		    xasprintf(_("%s: sessions (e.g. 08:30-12:00,14:30-17:30; empty: closed):"),
		    hours_dow_name(h->week[h->sel].dow)) :
		    xasprintf(_("%s: sessions (e.g. 09:00-12:00; empty: closed):"), h->ex[h->sel - 8].day);
		prompt_field(&h->prompt, HHP_EDIT, title, 40, false);
		field_set(&h->prompt.field, spec);
		free(title);
		free(spec);
		return VF_REDRAW;
	case K_F3:
		d = hh_chosen(h);
		d.noon = !d.noon;
		if (hours_check(&d) != HOURS_OK) {
			app_message(app, TS_ERROR, hours_error_message(hours_check(&d)));
			return VF_HANDLED;
		}
		hh_save(app, h, &d);
		return VF_REDRAW;
	case K_F2:
		prompt_field(&h->prompt, HHP_NEW_DATE, _("Special day: the date (e.g. 2027-02-06):"), 11,
		    false);
		return VF_REDRAW;
	case K_F5:
		prompt_field(&h->prompt, HHP_OFFICE, _("Office code (this office or one below it):"), 12, true);
		return VF_REDRAW;
	case K_F8: {
		const char *labels[2];

		if (h->sel < 8 && strcmp(h->week[h->sel].source, "office") != 0) {
			app_message(app, TS_NORMAL, _("The day has the default hours already."));
			return VF_HANDLED;
		}
		labels[0] = h->sel < 8 ? _("Back to the default hours") : _("Remove the special day");
		labels[1] = _("Keep it");
		title = h->sel < 8 ? xasprintf(_("%s: back to the default hours?"),
		    hours_dow_name(h->week[h->sel].dow)) :
		    xasprintf(_("%s: remove the special day?"), h->ex[h->sel - 8].day);
		prompt_menu(&h->prompt, HHP_REMOVE, title, labels, 2);
		free(title);
		return VF_REDRAW;
	}
	default:
		break;
	}
	return VF_IGNORED;
}

static void
hh_free(struct view *v)
{
	struct hallhours *h = v->data;

	prompt_close(&h->prompt);
	free(h);
	v->data = NULL;
}

static const struct bar_item hh_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Special day") }, { K_F3, N_("Noon") },
	{ K_F5, N_("Office") }, { K_F8, N_("Remove") }, { K_ENTER, N_("Change") },
	{ K_ESC, N_("Back") },
};

const struct view_ops hallhours_view_ops = {
	.enter = hh_enter,
	.draw = hh_draw,
	.key = hh_key,
	.bar = hh_bar,
	.nbar = sizeof hh_bar / sizeof hh_bar[0],
	.free = hh_free,
	.notify = hh_notify,
};
