/*
 * F7, the case desk: a saved intake to go on with, a lookup of any case of
 * the city by case number, notice number or ID number (a case waiting for
 * 补正 continues here, at any window of any office; any other opens in
 * the case view), the stage work of reviewers and township clerks, and the
 * deadline board: the clerk's open cases (the office's for supervisors;
 * Tab switches) by urgency, in working days left, yellow when 3 or fewer or at
 * most a fifth of the limit remain, red when overdue; a deferred material
 * past its date is marked 容缺逾期 (a supervisor may end the case: F3 or
 * Enter opens it in the case view). Refreshed when the
 * database announces a change of the office's cases, never polled. The
 * drafts and the 补正 are the intake's, reached through app->hooks.
 */
#include "cases/casedesk.h"

#include <stdlib.h>
#include <string.h>

#include "cases/caseview.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/cases.h"
#include "store/stages.h"
#include "ui/app.h"
#include "ui/field.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

#define DESK_FOUND 20
#define DESK_DUE 100

/* What the list shows: the clerk's open cases, the stage work of the
 * session (reviewers, township clerks, supervisors), the office's open
 * cases (supervisors). Tab goes through those the role has. */
enum desk_mode { DM_MINE, DM_STAGES, DM_OFFICE, DM_COUNT };

enum desk_prompt { DP_SUPPLY = 1 };

/* The answers of DP_SUPPLY. */
enum { DS_SUPPLIED, DS_NO, DS_OPEN };

struct desk {
	struct field lookup;
	struct cases_found found[DESK_FOUND];
	int nfound;		/* -1: no lookup shown */
	struct cases_deadline due[DESK_DUE];
	int ndue;
	struct stage_item work[DESK_DUE];
	int nwork;
	enum desk_mode mode;
	bool mode_set;
	bool has_draft;
	char draft[160];
	int sel, top;		/* over the items: [draft] then found or due */
	struct prompt prompt;
};

static bool
desk_mode_ok(const struct app *app, enum desk_mode m)
{
	switch (m) {
	case DM_MINE:
		return !app_role_is(app, "reviewer");
	case DM_STAGES:
		return app_role_is(app, "reviewer") || app_role_is(app, "clerk") || app_role_is(app, "supervisor");
	case DM_OFFICE:
		return app_role_is(app, "supervisor");
	default:
		return false;
	}
}

static int
desk_items(const struct desk *d)
{
	return (d->has_draft ? 1 : 0) + (d->nfound >= 0 ? d->nfound : d->mode == DM_STAGES ? d->nwork :
	    d->ndue);
}

static void
desk_refresh(struct app *app, struct desk *d)
{
	enum cases_result r;

	d->has_draft = app->hooks->counter_draft_find(app, d->draft, sizeof d->draft);
	if (app->db_lost)
		return;
	app_calendar_refresh(app);
	if (d->mode == DM_STAGES) {
		d->nwork = stages_queue(app->db, app->session.id, d->work, DESK_DUE, &r);
		d->ndue = d->nwork < 0 ? -1 : 0;
		d->nwork = d->nwork < 0 ? 0 : d->nwork;
	} else {
		d->ndue = cases_deadlines(app->db, app->session.id, d->mode == DM_OFFICE, d->due, DESK_DUE,
		    &r);
	}
	if (d->ndue < 0) {
		d->ndue = 0;
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, cases_result_message(r));
	}
	if (d->sel >= desk_items(d))
		d->sel = desk_items(d) > 0 ? desk_items(d) - 1 : 0;
	app_dirty(app, AD_BODY);
}

static struct desk *
desk_data(struct view *v)
{
	if (v->data == NULL) {
		struct desk *d = xcalloc(1, sizeof *d);

		field_init(&d->lookup, 20, false, false);
		d->nfound = -1;
		v->data = d;
	}
	return v->data;
}

static void
desk_enter(struct app *app, struct view *v)
{
	struct desk *d = desk_data(v);

	if (!d->mode_set || !desk_mode_ok(app, d->mode)) {
		d->mode = app_role_is(app, "reviewer") ? DM_STAGES : DM_MINE;
		d->mode_set = true;
	}
	desk_refresh(app, d);
}

static void
desk_notify(struct app *app, struct view *v, bool fresh)
{
	(void)fresh;
	if (app->active == AV_CASES)
		desk_refresh(app, desk_data(v));
}

/* "剩5日" or "超期2日", padded to its column. */
static char *
desk_left(int remaining)
{
	char left[48];

	if (remaining < 0)
		snprintf(left, sizeof left, _("%d day(s) overdue"), -remaining);
	else
		snprintf(left, sizeof left, _("%d day(s) left"), remaining);
	return text_pad(left, 10, TEXT_LEFT);
}

/* Red when overdue; yellow with 3 working days or a fifth of the limit left. */
static enum term_style
desk_due_style(int remaining, int limit_days)
{
	if (remaining < 0)
		return TS_ERROR;
	if (remaining <= 3 || remaining * 5 <= limit_days)
		return TS_WARN;
	return TS_NORMAL;
}

/* A due row: days left, the date (marked when provisional; the promised
 * date's row also when an official calendar moved the case's dates), what
 * is due, the case. */
static char *
desk_due_text(const struct app *app, const struct cases_deadline *c)
{
	char *what, *line, *left = desk_left(c->remaining);
	/* a promise in months (limit 0 here) is not counted in working days */
	char *due = app_date(app, c->due, c->kind != DUE_CASE || c->limit_days != 0);

	if (c->kind == DUE_CASE && c->adjusted[0] != '\0') {
		char *moved = xasprintf(_("%s (moved by the official calendar)"), due);

		free(due);
		due = moved;
	}
	what = c->kind == DUE_CASE ? xstrdup(_("promised")) : c->kind == DUE_STAGE ?
	    xstrdup(c->label) : c->remaining < 0 ? xasprintf(_("deferred, overdue (容缺逾期): %s"), c->label) :
	    xasprintf(_("to supply: %s"), c->label);
	line = xasprintf("%s %s  %s · %s %s %s", left, due, what, c->case_no, c->person_name,
	    c->type_name);
	free(left);
	free(due);
	free(what);
	return line;
}

static char *
desk_work_text(const struct app *app, const struct stage_item *w)
{
	char *left = desk_left(w->remaining), *due = app_date(app, w->due, true), *line;

	line = xasprintf(_("%s %s  %s %s · %s (%d/%d) · %s"), left, due, w->case_no, w->person_name,
	    w->stage_name, w->stage_no, w->nstages, w->type_name);
	free(left);
	free(due);
	return line;
}

static char *
desk_found_text(const struct cases_found *f)
{
	return xasprintf("%s  %s  %s %s · %s%s%s", f->case_no, f->created, f->type_name, f->person_name,
	    cases_status_name(f->status), f->notice_no[0] != '\0' ? " · " : "", f->notice_no);
}

static void
desk_draw(struct app *app, struct view *v, int top, int rows)
{
	struct desk *d = desk_data(v);
	int cols = term_cols(), y = top, list, x;
	const char *label = _("Find (case no., notice no., ID no. or waybill no.): ");

	x = 2 + term_print(y, 2, cols - 4, TS_NORMAL, label);
	app->cursor_x = field_draw(&d->lookup, y, x, cols - x - 2 > 22 ? 22 : cols - x - 2, true);
	app->cursor_y = y;
	y += 2;
	term_print(y++, 1, cols - 2, TS_TITLE, d->nfound >= 0 ? _("Cases found (Enter continues a case "
	    "waiting for materials; Esc back to the deadlines)") : d->mode == DM_OFFICE ?
	    _("Open cases of the office, most urgent first") : d->mode == DM_STAGES ?
	    _("Stage work: cases waiting at my stages, earliest due first") :
	    _("My open cases, most urgent first"));
	list = rows - (y - top);
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + list)
		d->top = d->sel - list + 1;
	for (int i = d->top; i < desk_items(d) && y < top + rows; i++, y++) {
		int k = i - (d->has_draft ? 1 : 0);
		enum term_style st = TS_NORMAL;
		char *line, *shown;

		if (k < 0) {
			line = xasprintf(_("Saved intake: %s (Enter goes on with it)"), d->draft);
			st = TS_OK;
		} else if (d->nfound >= 0) {
			line = desk_found_text(&d->found[k]);
		} else if (d->mode == DM_STAGES) {
			line = desk_work_text(app, &d->work[k]);
			st = desk_due_style(d->work[k].remaining, d->work[k].days);
		} else {
			line = desk_due_text(app, &d->due[k]);
			st = desk_due_style(d->due[k].remaining, d->due[k].limit_days);
		}
		shown = text_ellipsize(line, cols - 4);
		term_fill(y, 1, cols - 2, i == d->sel ? TS_FIELD_ACTIVE : TS_NORMAL);
		term_print(y, 2, cols - 4, i == d->sel ? TS_FIELD_ACTIVE : st, shown);
		free(shown);
		free(line);
	}
	if (desk_items(d) == 0 && y < top + rows)
		term_print(y, 2, cols - 4, TS_DIM, d->nfound >= 0 ? _("Nothing found.") :
		    d->mode == DM_STAGES ? _("No case waits at your stages.") : _("No open cases."));
	if (prompt_active(&d->prompt))
		prompt_draw(&d->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

static void
desk_lookup(struct app *app, struct desk *d)
{
	enum cases_result r;
	char *msg;

	d->nfound = cases_lookup(app->db, app->session.id, field_text(&d->lookup), d->found, DESK_FOUND, &r);
	if (d->nfound < 0) {
		d->nfound = -1;
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, cases_result_message(r));
		return;
	}
	d->sel = d->has_draft && d->nfound > 0 ? 1 : 0;
	msg = xasprintf(_("%d case(s) found."), d->nfound);
	app_message(app, TS_NORMAL, msg);
	free(msg);
}

/* The case number of the selected item (NULL: the draft, or nothing). */
static const char *
desk_selected_case(const struct desk *d)
{
	int k = d->sel - (d->has_draft ? 1 : 0);

	if (k < 0)
		return NULL;
	if (d->nfound >= 0)
		return k < d->nfound ? d->found[k].case_no : NULL;
	if (d->mode == DM_STAGES)
		return k < d->nwork ? d->work[k].case_no : NULL;
	return k < d->ndue ? d->due[k].case_no : NULL;
}

/* Enter on item i. */
static void
desk_open(struct app *app, struct desk *d)
{
	int k = d->sel - (d->has_draft ? 1 : 0);
	char *msg;

	if (k < 0) {
		app->hooks->counter_draft_resume(app);
		return;
	}
	if (d->nfound >= 0 && k < d->nfound) {
		const struct cases_found *f = &d->found[k];

		if (strcmp(f->status, "pending_supplement") == 0 && app_takes_cases(app)) {
			app->hooks->counter_continue(app, f);
			return;
		}
		caseview_open(app, f->case_no, AV_CASES);
	} else if (d->nfound < 0 && d->mode == DM_STAGES && k < d->nwork) {
		caseview_open(app, d->work[k].case_no, AV_CASES);
	} else if (d->nfound < 0 && k < d->ndue && d->due[k].kind != DUE_MATERIAL) {
		caseview_open(app, d->due[k].case_no, AV_CASES);
	} else if (d->nfound < 0 && k < d->ndue && d->due[k].kind == DUE_MATERIAL) {
		const char *labels[] = { _("Yes, it was handed in now"), _("No"), _("Open the case") };

		msg = xasprintf(_("Has %s been supplied?"), d->due[k].label);
		prompt_menu(&d->prompt, DP_SUPPLY, msg, labels, 3);
		free(msg);
	}
}

static void
desk_supply(struct app *app, struct desk *d)
{
	int k = d->sel - (d->has_draft ? 1 : 0);
	enum cases_result r;

	if (k < 0 || k >= d->ndue || d->due[k].kind != DUE_MATERIAL)
		return;
	r = cases_supply(app->db, app->session.id, d->due[k].case_no, d->due[k].material_id);
	if (r == CASES_OK)
		app_message(app, TS_OK, _("Recorded as supplied."));
	else {
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, cases_result_message(r));
	}
	desk_refresh(app, d);
}

static int
desk_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct desk *d = desk_data(v);
	int choice = 0;

	if (prompt_active(&d->prompt)) {
		int tag = d->prompt.tag;

		if (prompt_key(&d->prompt, k, &choice) == PR_DONE && tag == DP_SUPPLY) {
			if (choice == DS_SUPPLIED)
				desk_supply(app, d);
			else if (choice == DS_OPEN && desk_selected_case(d) != NULL)
				caseview_open(app, desk_selected_case(d), AV_CASES);
		}
		return VF_REDRAW;
	}
	switch (k->code) {
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_ESC:
		if (d->nfound >= 0 || d->lookup.len > 0) {
			d->nfound = -1;
			field_clear(&d->lookup);
			d->sel = 0;
			return VF_REDRAW;
		}
		/* fall through */
	case K_F7:
	case K_F10:
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	case K_F5:
		desk_refresh(app, d);
		return VF_REDRAW;
	case K_F3:
		/* any item in the case view, a case waiting for 补正 too (撤回) */
		if (app->db_lost)
			app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		else if (desk_selected_case(d) != NULL)
			caseview_open(app, desk_selected_case(d), AV_CASES);
		return VF_REDRAW;
	case K_TAB:
		do
			d->mode = (enum desk_mode)((d->mode + 1) % DM_COUNT);
		while (!desk_mode_ok(app, d->mode));
		d->sel = 0;
		desk_refresh(app, d);
		return VF_REDRAW;
	case K_UP:
		d->sel = d->sel > 0 ? d->sel - 1 : 0;
		return VF_REDRAW;
	case K_DOWN:
		d->sel = d->sel + 1 < desk_items(d) ? d->sel + 1 : d->sel;
		return VF_REDRAW;
	case K_ENTER:
		if (app->db_lost) {
			app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
			return VF_REDRAW;
		}
		if (d->lookup.len > 0 && d->nfound < 0)
			desk_lookup(app, d);
		else if (desk_items(d) > 0)
			desk_open(app, d);
		return VF_REDRAW;
	default:
		break;
	}
	if (field_key(&d->lookup, k)) {
		d->nfound = -1;
		return VF_REDRAW;
	}
	return VF_IGNORED;
}

static void
desk_free(struct view *v)
{
	struct desk *d = v->data;

	prompt_close(&d->prompt);
	free(d);
	v->data = NULL;
}

static const struct bar_item desk_bar[] = {
	{ K_F1, N_("Help") }, { K_ENTER, N_("Find / open") }, { K_F3, N_("Case view") },
	{ K_F5, N_("Refresh") },
	{ K_TAB, N_("Mine / stages / office") }, { K_F10, N_("Back") },
};

const struct view_ops cases_view_ops = {
	.enter = desk_enter,
	.draw = desk_draw,
	.key = desk_key,
	.bar = desk_bar,
	.nbar = sizeof desk_bar / sizeof desk_bar[0],
	.free = desk_free,
	.notify = desk_notify,
};
