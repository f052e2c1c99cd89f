/*
 * 机构与窗口, the administrator's offices and windows; see offices.h.
 * The lists come from yc.office_list and yc.window_list (the server
 * gives only the administrator's jurisdiction); every change goes through
 * store/offices.h and is followed by a fresh read.
 */
#include "admin/offices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "store/offices.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

enum offs_prompt {
	OP_ADD_CODE = 1, OP_ADD_NAME, OP_RENAME, OP_ADDRESS, OP_PHONE, OP_WIN_NO, OP_WIN_LABEL,
	OP_PRN_CHANNEL, OP_PRN_ENCODING, OP_PRN_WIDTH, OP_CONFIRM
};

struct offs {
	struct offices_office *o;
	size_t no, sel, top;
	struct offices_window *w;
	size_t nw, wsel, wtop;
	bool on_windows;	/* the keys move in the windows of the office */
	char sel_code[16];	/* the office selected, kept across reads */
	/* what a chain of prompts is putting together */
	char code[16];
	char text[FIELD_BYTES];
	char channel[FIELD_BYTES];
	char encoding[16];
	int window;
	bool confirm_window;	/* OP_CONFIRM is about the window (else the office) */
	struct prompt prompt;
};

static struct offs *
offs_data(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct offs));
	return v->data;
}

static const struct offices_office *
offs_office(const struct offs *d)
{
	return d->sel < d->no ? &d->o[d->sel] : NULL;
}

static const struct offices_window *
offs_window(const struct offs *d)
{
	return d->wsel < d->nw ? &d->w[d->wsel] : NULL;
}

/* Reads the windows of the selected office again. */
static void
offs_load_windows(struct app *app, struct offs *d)
{
	const struct offices_office *o = offs_office(d);
	enum db_status st = DB_OK;
	int keep = offs_window(d) != NULL ? offs_window(d)->no : 0;

	free(d->w);
	d->w = NULL;
	d->nw = 0;
	if (o != NULL)
		d->nw = offices_windows(app->db, app->session.id, o->code, &d->w, &st);
	if (st == DB_LOST)
		app_db_lost(app);
	d->wsel = 0;
	for (size_t i = 0; i < d->nw; i++)
		if (d->w[i].no == keep)
			d->wsel = i;
	if (d->nw == 0)
		d->on_windows = false;
}

/* Reads the offices (keeping the selection on the same code) and the
 * windows of the selected one. */
static void
offs_load(struct app *app, struct offs *d)
{
	enum db_status st = DB_OK;

	if (app->db == NULL || app->db_lost)
		return;
	free(d->o);
	d->o = NULL;
	d->no = offices_list(app->db, app->session.id, &d->o, &st);
	if (st == DB_LOST)
		app_db_lost(app);
	d->sel = 0;
	for (size_t i = 0; i < d->no; i++)
		if (strcmp(d->o[i].code, d->sel_code) == 0)
			d->sel = i;
	if (offs_office(d) != NULL)
		snprintf(d->sel_code, sizeof d->sel_code, "%s", offs_office(d)->code);
	offs_load_windows(app, d);
	app_dirty(app, AD_BODY);
}

static void
offs_enter(struct app *app, struct view *v)
{
	struct offs *d = offs_data(v);

	if (!app_role_is(app, "admin")) {
		app_message(app, TS_ERROR, _("Only administrators keep offices and windows."));
		app_switch(app, AV_WORKBENCH);
		return;
	}
	offs_load(app, d);
}

static void
offs_notify(struct app *app, struct view *v, bool fresh)
{
	(void)fresh;	/* the workbench LISTENs again on a new connection */
	if (app->active == AV_OFFICES && !prompt_active(&offs_data(v)->prompt))
		offs_load(app, offs_data(v));
}

/* Draws one list line, highlighted when chosen. */
static void
offs_line(int y, int cols, bool chosen, bool focus, enum term_style st, const char *text)
{
	char *t = xstrdup(text), *shown;

	for (size_t n = strlen(t); n > 0 && t[n - 1] == ' '; n--)
		t[n - 1] = '\0';		/* the padding of the last columns */
	shown = text_ellipsize(t, cols - 4);
	free(t);

	if (chosen && focus) {
		term_fill(y, 1, cols - 2, TS_FIELD_ACTIVE);
		st = TS_FIELD_ACTIVE;
	}
	term_print(y, 1, 1, TS_NORMAL, chosen && !focus ? ">" : " ");
	term_print(y, 2, cols - 4, st, shown);
	free(shown);
}

/* Keeps *top so that sel is within rows lines of it. */
static void
offs_scroll(size_t sel, size_t *top, int rows)
{
	size_t r = rows > 0 ? (size_t)rows : 1;

	if (sel < *top)
		*top = sel;
	if (sel >= *top + r)
		*top = sel - r + 1;
}

/* The widths of the columns that hold translated words. */
struct offs_cols {
	int tier, state, enc, width;
};

static int
offs_max(int a, const char *s)
{
	int w = text_width(s);

	return w > a ? w : a;
}

static struct offs_cols
offs_cols(void)
{
	static const char *const levels[] = { "province", "prefecture", "county", "township", "village" };
	struct offs_cols c = { 0, 0, 8, 0 };

	c.tier = offs_max(0, _("Tier"));
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
		c.tier = offs_max(c.tier, offices_tier_name(levels[i]));
	c.state = offs_max(offs_max(offs_max(0, _("active")), _("deactivated")), _("State"));
	c.enc = offs_max(offs_max(8, _("default")), _("Encoding"));
	c.width = offs_max(offs_max(3, _("default")), _("Width"));
	return c;
}

/* s fitted to cols columns, then a space. */
static void
offs_cell(char *line, size_t size, const char *s, int cols)
{
	char *p = text_pad(s, cols, TEXT_LEFT);
	size_t n = strlen(line);

	snprintf(line + n, size - n, "%s ", p);
	free(p);
}

static char *
offs_office_text(const struct offices_office *o, const struct offs_cols *c)
{
	char line[1024] = "", code[32], win[16];

	snprintf(code, sizeof code, "%*s%s", (int)(strlen(o->code) - 6) / 3 * 2, "", o->code);
	snprintf(win, sizeof win, "%d/%d", o->windows_active, o->windows);
	offs_cell(line, sizeof line, code, 14);
	offs_cell(line, sizeof line, o->name, 20);
	offs_cell(line, sizeof line, offices_tier_name(o->tier), c->tier);
	offs_cell(line, sizeof line, o->active ? _("active") : _("deactivated"), c->state);
	offs_cell(line, sizeof line, win, 7);
	offs_cell(line, sizeof line, o->phone, 14);
	return xstrdup(line);
}

static char *
offs_office_head(const struct offs_cols *c)
{
	char line[1024] = "";

	offs_cell(line, sizeof line, _("Code"), 14);
	offs_cell(line, sizeof line, _("Office name"), 20);
	offs_cell(line, sizeof line, _("Tier"), c->tier);
	offs_cell(line, sizeof line, _("State"), c->state);
	offs_cell(line, sizeof line, _("Windows"), 7);
	offs_cell(line, sizeof line, _("Consultation phone"), 14);
	return xstrdup(line);
}

static char *
offs_window_text(const struct offices_window *w, const struct offs_cols *c)
{
	char line[1024] = "", no[16], width[16], who[128] = "";

	snprintf(no, sizeof no, "%3d", w->no);
	if (w->width > 0)
		snprintf(width, sizeof width, "%d", w->width);
	else
		snprintf(width, sizeof width, "%s", _("default"));
	if (w->staff_no[0] != '\0')
		snprintf(who, sizeof who, "%s (%s)", w->staff_name, w->staff_no);
	offs_cell(line, sizeof line, no, 3);
	offs_cell(line, sizeof line, w->label, 10);
	offs_cell(line, sizeof line, w->active ? _("active") : _("deactivated"), c->state);
	offs_cell(line, sizeof line, w->channel[0] != '\0' ? w->channel : _("default"), 26);
	offs_cell(line, sizeof line, w->encoding[0] != '\0' ? w->encoding : _("default"), c->enc);
	offs_cell(line, sizeof line, width, c->width);
	offs_cell(line, sizeof line, who, 30);
	return xstrdup(line);
}

static char *
offs_window_head(const struct offs_cols *c)
{
	char line[1024] = "";

	offs_cell(line, sizeof line, _("No."), 3);
	offs_cell(line, sizeof line, _("Label"), 10);
	offs_cell(line, sizeof line, _("State"), c->state);
	offs_cell(line, sizeof line, _("Print channel"), 26);
	offs_cell(line, sizeof line, _("Encoding"), c->enc);
	offs_cell(line, sizeof line, _("Width"), c->width);
	offs_cell(line, sizeof line, _("Signed in"), 30);
	return xstrdup(line);
}

static void
offs_draw(struct app *app, struct view *v, int top, int rows)
{
	struct offs *d = offs_data(v);
	const struct offices_office *o = offs_office(d);
	struct offs_cols c = offs_cols();
	int cols = term_cols(), y = top, orows, wrows;
	char *line;

	line = xasprintf(_("Offices and windows: %s %s and the offices below it"), app->session.office_code,
	    app->session.office_name);
	offs_line(y++, cols, false, false, TS_TITLE, line);
	free(line);
	/* the offices take about half, at least 3 lines; the windows the rest */
	orows = (rows - 4) / 2;
	if (orows < 3)
		orows = 3;
	if ((size_t)orows > d->no)
		orows = d->no > 0 ? (int)d->no : 1;
	wrows = rows - 4 - orows;
	line = offs_office_head(&c);
	offs_line(y++, cols, false, false, TS_DIM, line);
	free(line);
	offs_scroll(d->sel, &d->top, orows);
	for (int i = 0; i < orows && y < top + rows; i++, y++) {
		size_t k = d->top + (size_t)i;

		if (k >= d->no) {
			if (d->no == 0 && i == 0)
				offs_line(y, cols, false, false, TS_DIM, _("No office (or the server refused the list)."));
			continue;
		}
		line = offs_office_text(&d->o[k], &c);
		offs_line(y, cols, k == d->sel, !d->on_windows, d->o[k].active ? TS_NORMAL : TS_DIM, line);
		free(line);
	}
	if (o == NULL || y >= top + rows)
		goto prompt;
	line = o->address[0] != '\0' ? xasprintf(_("Windows of %s %s (address: %s)"), o->code, o->name,
	    o->address) : xasprintf(_("Windows of %s %s"), o->code, o->name);
	offs_line(y++, cols, false, false, TS_TITLE, line);
	free(line);
	if (y < top + rows) {
		line = offs_window_head(&c);
		offs_line(y++, cols, false, false, TS_DIM, line);
		free(line);
	}
	offs_scroll(d->wsel, &d->wtop, wrows);
	for (int i = 0; i < wrows && y < top + rows; i++, y++) {
		size_t k = d->wtop + (size_t)i;

		if (k >= d->nw) {
			if (d->nw == 0 && i == 0)
				offs_line(y, cols, false, false, TS_DIM, _("No windows: F5 adds one."));
			continue;
		}
		line = offs_window_text(&d->w[k], &c);
		offs_line(y, cols, k == d->wsel, d->on_windows, d->w[k].active ? TS_NORMAL : TS_DIM, line);
		free(line);
	}
prompt:
	if (prompt_active(&d->prompt))
		prompt_draw(&d->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

/* Says a result on the message line (and reads the lists again when
 * something changed); true when it was a success. */
static bool
offs_result(struct app *app, struct offs *d, enum offices_result r, const char *what, const char *detail)
{
	char *msg = offices_result_message(r, what, detail);
	bool ok = offices_result_ok(r);

	if (r == OFFICES_DB_LOST)
		app_db_lost(app);
	app_message(app, ok ? TS_OK : TS_ERROR, msg);
	free(msg);
	if (ok)
		offs_load(app, d);
	return ok;
}

/* Opens an input field with text already in it. */
static void
offs_ask(struct offs *d, int tag, const char *title, int max, bool digits, const char *text)
{
	prompt_field(&d->prompt, tag, title, max, digits);
	if (text != NULL)
		field_set(&d->prompt.field, text);
}

/* The next window number not yet used at the office. */
static int
offs_next_window(const struct offs *d)
{
	int n = 1;

	for (size_t i = 0; i < d->nw; i++)
		if (d->w[i].no >= n)
			n = d->w[i].no + 1;
	return n <= 999 ? n : 999;
}

static void
offs_answer(struct app *app, struct offs *d, int tag, int choice)
{
	const char *text = field_text(&d->prompt.field);
	const struct offices_office *o = offs_office(d);
	char detail[32], *title, buf[32];
	enum offices_result r;

	switch (tag) {
	case OP_ADD_CODE:
		snprintf(d->code, sizeof d->code, "%s", text);
		title = xasprintf(_("Name of the new office %s:"), d->code);
		offs_ask(d, OP_ADD_NAME, title, 60, false, NULL);
		free(title);
		return;
	case OP_ADD_NAME:
		r = offices_save(app->db, app->session.id, d->code, text, NULL, NULL, NULL, NULL, detail);
		if (offices_result_ok(r))
			snprintf(d->sel_code, sizeof d->sel_code, "%s", d->code);
		offs_result(app, d, r, d->code, detail);
		break;
	case OP_RENAME:
		if (o == NULL)
			break;
		snprintf(d->code, sizeof d->code, "%s", o->code);
		r = offices_save(app->db, app->session.id, d->code, text, NULL, NULL, NULL, NULL, detail);
		offs_result(app, d, r, d->code, detail);
		break;
	case OP_ADDRESS:
		if (o == NULL)
			break;
		snprintf(d->text, sizeof d->text, "%s", text);
		title = xasprintf(_("Phone (咨询电话) of %s (empty: none):"), o->code);
		offs_ask(d, OP_PHONE, title, 20, false, o->phone);
		free(title);
		return;
	case OP_PHONE:
		if (o == NULL)
			break;
		snprintf(d->code, sizeof d->code, "%s", o->code);
		r = offices_save(app->db, app->session.id, d->code, NULL, NULL, NULL, d->text, text, detail);
		offs_result(app, d, r, d->code, detail);
		break;
	case OP_WIN_NO:
		d->window = atoi(text);
		/* the label the server gives a window by default (data, not a message) */
		snprintf(buf, sizeof buf, "%d号窗口", d->window);
		title = xasprintf(_("Label of window %d:"), d->window);
		offs_ask(d, OP_WIN_LABEL, title, 20, false, buf);
		free(title);
		return;
	case OP_WIN_LABEL:
		if (o == NULL)
			break;
		snprintf(d->code, sizeof d->code, "%s", o->code);
		r = offices_window_save(app->db, app->session.id, d->code, d->window, text, NULL, NULL, -1,
		    detail);
		{
			char *what = xasprintf(_("Window %d of %s"), d->window, d->code);

			offs_result(app, d, r, what, detail);
			free(what);
		}
		break;
	case OP_PRN_CHANNEL: {
		const char *labels[] = { _("default (UTF-8; the terminal's for passthrough)"), "UTF-8",
			"GB18030" };

		snprintf(d->channel, sizeof d->channel, "%s", text);
		prompt_menu(&d->prompt, OP_PRN_ENCODING, _("Print encoding:"), labels, 3);
		return;
	}
	case OP_PRN_ENCODING: {
		const char *labels[] = { _("default (80 columns)"), _("80 columns"), _("40 columns (receipt printer)") };
		static const char *const enc[] = { "", "utf-8", "gb18030" };

		snprintf(d->encoding, sizeof d->encoding, "%s", enc[choice >= 0 && choice < 3 ? choice : 0]);
		prompt_menu(&d->prompt, OP_PRN_WIDTH, _("Print width:"), labels, 3);
		return;
	}
	case OP_PRN_WIDTH: {
		static const int width[] = { 0, 80, 40 };
		char *what;

		if (o == NULL)
			break;
		snprintf(d->code, sizeof d->code, "%s", o->code);
		r = offices_window_save(app->db, app->session.id, d->code, d->window, NULL, d->channel,
		    d->encoding, width[choice >= 0 && choice < 3 ? choice : 0], detail);
		what = xasprintf(_("Window %d of %s"), d->window, d->code);
		offs_result(app, d, r, what, detail);
		free(what);
		break;
	}
	case OP_CONFIRM: {
		const struct offices_window *w = offs_window(d);
		bool was;
		char *msg;

		if (choice != 0 || o == NULL || (d->confirm_window && w == NULL))
			break;
		snprintf(d->code, sizeof d->code, "%s", o->code);
		if (d->confirm_window) {
			int no = w->no;

			was = w->active;
			r = offices_window_set_active(app->db, app->session.id, d->code, no, !was, detail);
			msg = r == OFFICES_OK ? xasprintf(was ? _("Window %d of %s is deactivated.") :
			    _("Window %d of %s is active again."), no, d->code) :
			    xasprintf(_("Window %d of %s"), no, d->code);
		} else {
			was = o->active;
			r = offices_set_active(app->db, app->session.id, d->code, !was, detail);
			msg = r == OFFICES_OK ? xasprintf(was ? _("%s is deactivated.") : _("%s is active again."),
			    d->code) : xstrdup(d->code);
		}
		if (r == OFFICES_OK) {
			offs_load(app, d);
			app_message(app, TS_OK, msg);
		} else {
			offs_result(app, d, r, msg, detail);
		}
		free(msg);
		break;
	}
	}
	field_clear(&d->prompt.field);
}

static int
offs_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct offs *d = offs_data(v);
	const struct offices_office *o = offs_office(d);
	const struct offices_window *w = offs_window(d);
	char *title;
	int choice = 0;

	if (prompt_active(&d->prompt)) {
		int tag = d->prompt.tag;

		if (prompt_key(&d->prompt, k, &choice) == PR_DONE)
			offs_answer(app, d, tag, choice);
		return VF_REDRAW;
	}
	if (app->db_lost && k->code >= K_F2 && k->code <= K_F9) {
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return VF_HANDLED;
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
	case K_DOWN: {
		size_t *sel = d->on_windows ? &d->wsel : &d->sel, n = d->on_windows ? d->nw : d->no;

		if (n == 0)
			return VF_HANDLED;
		if (k->code == K_UP && *sel > 0)
			(*sel)--;
		else if (k->code == K_DOWN && *sel + 1 < n)
			(*sel)++;
		if (!d->on_windows) {
			snprintf(d->sel_code, sizeof d->sel_code, "%s", d->o[d->sel].code);
			d->wsel = d->wtop = 0;
			offs_load_windows(app, d);
		}
		return VF_REDRAW;
	}
	case K_TAB:
	case K_BTAB:
		d->on_windows = !d->on_windows && d->nw > 0;
		return VF_REDRAW;
	case K_F2:
		if (o == NULL)
			return VF_HANDLED;
		if (offices_child_len(o->code) == 0) {
			app_message(app, TS_ERROR, _("A village is the lowest tier: no office can be added below it."));
			return VF_HANDLED;
		}
		title = xasprintf(_("New office below %s: its code (%zu digits):"), o->code,
		    offices_child_len(o->code));
		offs_ask(d, OP_ADD_CODE, title, 12, true, o->code);
		free(title);
		return VF_REDRAW;
	case K_F3:
		if (o == NULL)
			return VF_HANDLED;
		title = xasprintf(_("New name of %s:"), o->code);
		offs_ask(d, OP_RENAME, title, 60, false, o->name);
		free(title);
		return VF_REDRAW;
	case K_F4:
		if (o == NULL)
			return VF_HANDLED;
		title = xasprintf(_("Address of %s (empty: none):"), o->code);
		offs_ask(d, OP_ADDRESS, title, 200, false, o->address);
		free(title);
		return VF_REDRAW;
	case K_F5: {
		char no[16];

		if (o == NULL)
			return VF_HANDLED;
		snprintf(no, sizeof no, "%d", offs_next_window(d));
		title = xasprintf(_("New window of %s: its number (1-999):"), o->code);
		offs_ask(d, OP_WIN_NO, title, 3, true, no);
		free(title);
		return VF_REDRAW;
	}
	case K_F6:
		if (w == NULL) {
			app_message(app, TS_ERROR, _("The office has no window: F5 adds one."));
			return VF_HANDLED;
		}
		d->window = w->no;
		title = xasprintf(_("Window %d prints to (file:PATH, lp, lp:QUEUE, passthrough; empty: the default "
		    "file):"), w->no);
		offs_ask(d, OP_PRN_CHANNEL, title, 250, false, w->channel);
		free(title);
		return VF_REDRAW;
	case K_F8: {
		const char *labels[2];

		if (o == NULL || (d->on_windows && w == NULL))
			return VF_HANDLED;
		d->confirm_window = d->on_windows;
		if (d->on_windows)
			title = xasprintf(w->active ? _("Deactivate window %d of %s?") : _("Activate window %d of %s again?"),
			    w->no, o->code);
		else
			title = xasprintf(o->active ? _("Deactivate %s %s?") : _("Activate %s %s again?"), o->code,
			    o->name);
		labels[0] = (d->on_windows ? w->active : o->active) ? _("Yes, deactivate") : _("Yes, activate");
		labels[1] = _("No");
		prompt_menu(&d->prompt, OP_CONFIRM, title, labels, 2);
		free(title);
		return VF_REDRAW;
	}
	default:
		return VF_IGNORED;
	}
}

static void
offs_free(struct view *v)
{
	struct offs *d = v->data;

	prompt_close(&d->prompt);
	free(d->o);
	free(d->w);
	free(d);
	v->data = NULL;
}

static const struct bar_item offs_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("New office") }, { K_F3, N_("Rename") }, { K_F4, N_("Address") },
	{ K_F5, N_("New window") }, { K_F6, N_("Printer") }, { K_F8, N_("On/off") }, { K_F10, N_("Back") },
};

const struct view_ops offices_view_ops = {
	.enter = offs_enter,
	.draw = offs_draw,
	.key = offs_key,
	.bar = offs_bar,
	.nbar = sizeof offs_bar / sizeof offs_bar[0],
	.free = offs_free,
	.notify = offs_notify,
};
