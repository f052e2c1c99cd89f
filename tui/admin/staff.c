/*
 * 人员管理: the list of the accounts an administrator administers and the
 * keys that change them; see staff.h. Every change is one call of a
 * server function (store/staffstore.h), which checks the jurisdiction and
 * writes the audit row; the list is read again after it, and when the
 * database announces a change of an account of the office or below
 * (yc_staff_CODE), not by polling.
 */
#include "admin/staff.h"

#include <stdlib.h>
#include <string.h>

#include "admin/staff_int.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/cases.h"
#include "util/xalloc.h"

const char *const staff_roles[] = { "clerk", "reviewer", "supervisor", "guide", "admin" };
const size_t staff_nroles = sizeof staff_roles / sizeof staff_roles[0];

/* F9 cycles through these (the state filter of yc.staff_list). */
static const struct {
	const char *state, *label;
} staff_states[] = {
	{ "all", N_("all") }, { "active", N_("in use") }, { "disabled", N_("disabled") },
	{ "locked", N_("locked") }, { "must_change", N_("password to change") },
};
#define STAFF_NSTATES (sizeof staff_states / sizeof staff_states[0])

static struct staff *
staff_data(struct view *v)
{
	struct staff *s = v->data;

	if (s == NULL) {
		s = v->data = xcalloc(1, sizeof *s);
		field_init(&s->query, 32, false, false);
	}
	return s;
}

bool
staff_report(struct app *app, enum staffstore_result r)
{
	if (r == SS_OK)
		return true;
	if (r == SS_DB_LOST)
		app_db_lost(app);
	if (r == SS_NO_SESSION) {
		app_logout(app, "no_session", TS_ERROR, staffstore_message(r));
		return false;
	}
	app_message(app, r == SS_UNCHANGED || r == SS_NOT_LOCKED ? TS_NORMAL : TS_ERROR,
	    staffstore_message(r));
	return false;
}

/* Whether a row is in the chosen state. */
static bool
staff_in_state(const struct staffstore_row *w, int state)
{
	const char *st = staff_states[state].state;

	if (strcmp(st, "active") == 0)
		return w->active;
	if (strcmp(st, "disabled") == 0)
		return !w->active;
	if (strcmp(st, "locked") == 0)
		return w->locked_until > time(NULL);
	if (strcmp(st, "must_change") == 0)
		return w->must_change || w->expired;
	return true;
}

/* Whether needle (lower case ASCII compared without case) is in hay. */
static bool
staff_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return true;
	for (const char *h = hay; *h != '\0'; h++)
		if (strncasecmp(h, needle, n) == 0)
			return true;
	return false;
}

static void
staff_filter(struct staff *s)
{
	const char *q = field_text(&s->query);

	s->nshown = 0;
	for (size_t i = 0; i < s->nrows; i++)
		if (staff_in_state(&s->rows[i], s->state) &&
		    (staff_contains(s->rows[i].staff_no, q) || staff_contains(s->rows[i].name, q)))
			s->shown[s->nshown++] = i;
	if (s->sel >= s->nshown)
		s->sel = s->nshown > 0 ? s->nshown - 1 : 0;
	if (s->top > s->sel)
		s->top = s->sel;
}

const struct staffstore_row *
staff_selected(const struct staff *s)
{
	return s->nshown > 0 ? &s->rows[s->shown[s->sel]] : NULL;
}

void
staff_reload(struct app *app, struct staff *s)
{
	struct staffstore_filter f = { 0 };
	struct staffstore_row *rows;
	const struct staffstore_row *cur = staff_selected(s);
	char keep[40] = "";
	size_t n;
	enum staffstore_result r;

	if (cur != NULL)
		db_copy(keep, sizeof keep, cur->staff_no);
	if (!app_db_ensure(app)) {
		app_message(app, TS_ERROR, _("Cannot connect to the database. Retrying; "
		    "if this persists, call the administrator."));
		return;
	}
	if (s->offices == NULL) {
		s->noffices = staffstore_offices(app->db, app->session.office_code, &s->offices);
		if (s->noffices < 0)
			s->noffices = 0;
	}
	r = staffstore_list(app->db, app->session.id, &f, &rows, &n);
	if (!staff_report(app, r))
		return;
	free(s->rows);
	free(s->shown);
	s->rows = rows;
	s->nrows = n;
	s->shown = xcalloc(n > 0 ? n : 1, sizeof *s->shown);
	s->loaded = true;
	staff_filter(s);
	for (size_t i = 0; keep[0] != '\0' && i < s->nshown; i++)
		if (strcmp(s->rows[s->shown[i]].staff_no, keep) == 0)
			s->sel = i;
	app_dirty(app, AD_BODY);
}

static void
staff_notify(struct app *app, struct view *v, bool fresh)
{
	struct staff *s = staff_data(v);

	if (fresh && db_listen(app->db, "yc_staff_", app->session.office_code) == DB_LOST) {
		app_db_lost(app);
		return;
	}
	if (s->mode == SM_LIST || s->mode == SM_CASES)
		staff_reload(app, s);
}

static void
staff_enter(struct app *app, struct view *v)
{
	struct staff *s = staff_data(v);

	/* a temporary password is shown once: not again after the screen lock */
	if (s->mode == SM_TEMP) {
		explicit_bzero(s->temp, sizeof s->temp);
		s->mode = SM_LIST;
	}
	if (!s->loaded) {
		if (app->db != NULL && !app->db_lost &&
		    db_listen(app->db, "yc_staff_", app->session.office_code) == DB_LOST)
			app_db_lost(app);
		staff_reload(app, s);
	}
}

/* What the state column says of an account. */
static const char *
staff_state_text(const struct staffstore_row *w, char buf[64])
{
	if (!w->active)
		return _("disabled");
	if (w->locked_until > time(NULL)) {
		struct tm tm;
		char hm[8];

		cal_tm_cn(w->locked_until, &tm);
		strftime(hm, sizeof hm, "%H:%M", &tm);
		snprintf(buf, 64, _("locked until %s"), hm);
		return buf;
	}
	if (w->must_change)
		return _("temporary password");
	if (w->expired)
		return _("password expired");
	if (w->signed_in)
		return _("signed in");
	return _("in use");
}

static void
staff_draw_list(struct app *app, struct staff *s, int top, int rows)
{
	int cols = term_cols(), y = top, x, cx;
	int now = 12, namew = 10, rolew = cols >= 70 ? 12 : 0, statew = 14, casew = cols >= 76 ? 5 : 0;
	int officew = cols - 1 - now - namew - rolew - statew - casew - 1;
	const char *label = _("Find: ");
	char *line;

	line = xasprintf(_("Staff of %s and the offices below"), app->session.office_name);
	term_print(y, 1, cols - 2, TS_TITLE, line);
	free(line);
	y++;
	x = 1 + term_print(y, 1, cols - 2, TS_NORMAL, label);
	cx = field_draw(&s->query, y, x, 16, true);
	app->cursor_y = y;
	app->cursor_x = cx;
	line = xasprintf(_("showing: %s (F9) · %zu of %zu"), _(staff_states[s->state].label), s->nshown,
	    s->nrows);
	term_print(y, x + 18, cols - x - 19, TS_DIM, line);
	free(line);
	y += 2;
	if (officew < 8) {
		officew += rolew;
		rolew = 0;
	}
	x = 1;
	x += term_print(y, x, now, TS_DIM, _("Staff no."));
	x = 1 + now;
	term_print(y, x, namew, TS_DIM, _("Name"));
	x += namew;
	if (rolew > 0)
		term_print(y, x, rolew, TS_DIM, _("Role"));
	x += rolew;
	term_print(y, x, officew, TS_DIM, _("Office"));
	x += officew + 1;
	term_print(y, x, statew, TS_DIM, _("State"));
	if (casew > 0)
		term_print(y, x + statew, casew, TS_DIM, _("Open"));
	y++;
	s->page = top + rows - y;
	if (s->page < 1)
		s->page = 1;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + (size_t)s->page)
		s->top = s->sel - (size_t)s->page + 1;
	for (int r = 0; r < s->page && s->top + (size_t)r < s->nshown; r++) {
		const struct staffstore_row *w = &s->rows[s->shown[s->top + (size_t)r]];
		bool cur = s->top + (size_t)r == s->sel;
		enum term_style st = cur ? TS_FIELD_ACTIVE : !w->active ? TS_DIM : TS_NORMAL;
		char buf[64], *office = xasprintf("%s %s", w->office_code, w->office_name);
		char *shown = text_ellipsize(office, officew);
		const char *state = staff_state_text(w, buf);

		term_fill(y + r, 0, cols, st);
		term_print(y + r, 1, now, st, w->staff_no);
		x = 1 + now;
		line = text_ellipsize(w->name, namew - 1);
		term_print(y + r, x, namew, st, line);
		free(line);
		x += namew;
		if (rolew > 0) {
			line = text_ellipsize(app_role_name(w->role), rolew - 1);
			term_print(y + r, x, rolew, st, line);
			free(line);
		}
		x += rolew;
		term_print(y + r, x, officew, st, shown);
		x += officew + 1;
		line = text_ellipsize(state, statew - 1);
		term_print(y + r, x, statew, !w->active || w->locked_until > time(NULL) ||
		    w->must_change || w->expired ? (cur ? st : TS_WARN) : st, line);
		free(line);
		if (casew > 0 && w->open_cases > 0) {
			snprintf(buf, sizeof buf, "%d", w->open_cases);
			term_print(y + r, x + statew, casew, st, buf);
		}
		free(shown);
		free(office);
	}
	if (s->nshown == 0 && s->loaded)
		term_print(y, 2, cols - 4, TS_DIM, _("Nobody matches. Type part of a staff number or a "
		    "name; F9 changes which accounts are shown."));
}

/* A box of text lines centred in the work area. */
static void
staff_draw_box(int top, int rows, const char *title, const char *const *lines, int n,
    const enum term_style *styles)
{
	int cols = term_cols(), w = cols - 4 < 66 ? cols - 4 : 66, h = n + 4 < rows ? n + 4 : rows;
	int y = top + (rows - h) / 2, x = (cols - w) / 2;

	for (int i = 0; i < h; i++)
		term_fill(y + i, x, w, TS_NORMAL);
	term_box(y, x, h, w, TS_NORMAL);
	term_print(y, x + (w - text_width(title)) / 2, w - 2, TS_TITLE, title);
	for (int i = 0; i < n && i + 2 < h - 1; i++) {
		char *shown = text_ellipsize(lines[i], w - 4);

		term_print(y + 2 + i, x + 2, w - 4, styles[i], shown);
		free(shown);
	}
}

static void
staff_draw_temp(struct app *app, struct staff *s, int top, int rows)
{
	char *pw = xasprintf(_("Temporary password: %s"), s->temp);
	const char *lines[] = { s->temp_for, "", pw, "",
		_("It is shown only this once: tell it to the person themselves."),
		_("At the first sign-in they must choose their own password."),
		_("Enter closes this box.") };
	const enum term_style st[] = { TS_NORMAL, TS_NORMAL, TS_TITLE, TS_NORMAL, TS_NORMAL, TS_NORMAL,
		TS_DIM };

	(void)app;
	staff_draw_box(top, rows, _("Temporary password"), lines, 7, st);
	explicit_bzero(pw, strlen(pw));
	free(pw);
}

static void
staff_draw_cases(struct app *app, struct staff *s, int top, int rows)
{
	int cols = term_cols(), y = top;

	(void)app;
	term_print(y++, 1, cols - 2, TS_TITLE, s->cases_for);
	term_print(y++, 1, cols - 2, TS_DIM, _("The shift supervisor hands them to another clerk: "
	    "the hall (F4), then F6."));
	y++;
	for (size_t i = 0; i < s->ncases && y < top + rows - 1; i++, y++) {
		const struct staffstore_case *c = &s->cases[i];
		char *line = xasprintf("%-18s %s  %s  %s", c->case_no, cases_status_name(c->status),
		    c->promised[0] != '\0' ? c->promised : "-", c->type_name);
		char *shown = text_ellipsize(line, cols - 2);

		term_print(y, 1, cols - 2, TS_NORMAL, shown);
		free(shown);
		free(line);
	}
	if (y < top + rows)
		term_print(top + rows - 1, 1, cols - 2, TS_DIM, _("Enter or Esc: back to the list."));
}

static void
staff_draw(struct app *app, struct view *v, int top, int rows)
{
	struct staff *s = staff_data(v);

	switch (s->mode) {
	case SM_LIST:
		staff_draw_list(app, s, top, rows);
		break;
	case SM_FORM:
		staff_form_draw(app, s, top, rows);
		break;
	case SM_TEMP:
		app->cursor_y = -1;
		staff_draw_temp(app, s, top, rows);
		break;
	case SM_CASES:
		app->cursor_y = -1;
		staff_draw_cases(app, s, top, rows);
		break;
	}
	if (prompt_active(&s->prompt))
		prompt_draw(&s->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

void
staff_show_temp(struct app *app, struct staff *s, const char *sentence, char temp[64])
{
	db_copy(s->temp, sizeof s->temp, temp);
	explicit_bzero(temp, 64);
	db_copy(s->temp_for, sizeof s->temp_for, sentence);
	s->mode = SM_TEMP;
	app_message(app, TS_NORMAL, NULL);
	app_dirty(app, AD_ALL);
}

/* Shows the open cases of an account (after disabling it, or F7). */
static void
staff_show_cases(struct app *app, struct staff *s, const struct staffstore_row *w, bool disabled)
{
	struct staffstore_case *cases;
	size_t n;
	enum staffstore_result r = staffstore_open_cases(app->db, app->session.id, w->staff_no,
	    &cases, &n);
	char *line;

	if (!staff_report(app, r))
		return;
	if (n == 0) {
		free(cases);
		line = xasprintf(disabled ? _("%s (%s) is disabled and has no open cases.") :
		    _("%s (%s) has no open cases."), w->name, w->staff_no);
		app_message(app, TS_OK, line);
		free(line);
		return;
	}
	free(s->cases);
	s->cases = cases;
	s->ncases = n;
	line = xasprintf(disabled ? _("%s (%s) is disabled; %zu open cases of theirs (首问负责) need "
	    "another clerk:") : _("%s (%s) is 首问负责 of %zu open cases:"), w->name, w->staff_no, n);
	db_copy(s->cases_for, sizeof s->cases_for, line);
	free(line);
	s->mode = SM_CASES;
	app_message(app, TS_NORMAL, NULL);
}

/* Acts on the answer to a confirmation. */
static void
staff_answer(struct app *app, struct staff *s, int tag, int choice)
{
	const struct staffstore_row *w = staff_selected(s);
	struct staffstore_row copy;
	char temp[64], *line;
	int open = 0;

	if (w == NULL || choice != 0)
		return;
	copy = *w;
	if (tag == SP_DISABLE) {
		if (!staff_report(app, staffstore_set_active(app->db, app->session.id, copy.staff_no,
		    false, &open)))
			return;
		staff_reload(app, s);
		staff_show_cases(app, s, &copy, true);
	} else if (tag == SP_RESET) {
		if (!staff_report(app, staffstore_reset_password(app->db, app->session.id,
		    copy.staff_no, temp)))
			return;
		line = xasprintf(_("The password of %s (%s) is reset; the account is unlocked."),
		    copy.name, copy.staff_no);
		staff_show_temp(app, s, line, temp);
		free(line);
		staff_reload(app, s);
	}
}

static void
staff_confirm(struct staff *s, int tag, const char *fmt, const struct staffstore_row *w,
    const char *yes)
{
	char *title = xasprintf(fmt, w->name, w->staff_no);
	const char *labels[] = { yes, _("Cancel") };

	prompt_menu(&s->prompt, tag, title, labels, 2);
	free(title);
}

static int
staff_list_key(struct app *app, struct staff *s, const struct term_key *k)
{
	const struct staffstore_row *w = staff_selected(s);
	char *line;

	switch (k->code) {
	case K_ESC:
		if (s->query.len > 0) {
			field_clear(&s->query);
			staff_filter(s);
			return VF_REDRAW;
		}
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	case K_F2:
		staff_form_open(app, s, NULL);
		return VF_REDRAW;
	case K_F3:
		if (w != NULL)
			staff_form_open(app, s, w);
		return VF_REDRAW;
	case K_F4:
		if (w == NULL)
			return VF_HANDLED;
		if (w->active) {
			staff_confirm(s, SP_DISABLE, _("Disable %s (%s)? They can no longer sign in."), w,
			    _("Disable the account"));
			return VF_REDRAW;
		}
		if (staff_report(app, staffstore_set_active(app->db, app->session.id, w->staff_no, true,
		    NULL))) {
			line = xasprintf(_("%s (%s) can sign in again."), w->name, w->staff_no);
			app_message(app, TS_OK, line);
			free(line);
			staff_reload(app, s);
		}
		return VF_REDRAW;
	case K_F5:
		if (w != NULL)
			staff_confirm(s, SP_RESET, _("Reset the password of %s (%s)? A temporary one is "
			    "shown once."), w, _("Reset the password"));
		return VF_REDRAW;
	case K_F6:
		if (w != NULL && staff_report(app, staffstore_unlock(app->db, app->session.id,
		    w->staff_no))) {
			line = xasprintf(_("%s (%s) is unlocked."), w->name, w->staff_no);
			app_message(app, TS_OK, line);
			free(line);
			staff_reload(app, s);
		}
		return VF_REDRAW;
	case K_F7:
		if (w != NULL) {
			struct staffstore_row copy = *w;

			staff_show_cases(app, s, &copy, false);
		}
		return VF_REDRAW;
	case K_F9:
		s->state = (s->state + 1) % (int)STAFF_NSTATES;
		s->sel = s->top = 0;
		staff_filter(s);
		return VF_REDRAW;
	case K_UP:
		if (s->sel > 0)
			s->sel--;
		return VF_REDRAW;
	case K_DOWN:
		if (s->sel + 1 < s->nshown)
			s->sel++;
		return VF_REDRAW;
	case K_PGUP:
		s->sel = s->sel > (size_t)s->page ? s->sel - (size_t)s->page : 0;
		return VF_REDRAW;
	case K_PGDN:
		s->sel = s->sel + (size_t)s->page < s->nshown ? s->sel + (size_t)s->page :
		    (s->nshown > 0 ? s->nshown - 1 : 0);
		return VF_REDRAW;
	default:
		if (!field_key(&s->query, k))
			return VF_IGNORED;
		s->sel = s->top = 0;
		staff_filter(s);
		return VF_REDRAW;
	}
}

static int
staff_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct staff *s = staff_data(v);
	int choice = 0;

	if (prompt_active(&s->prompt)) {
		int tag = s->prompt.tag;

		if (prompt_key(&s->prompt, k, &choice) == PR_DONE)
			staff_answer(app, s, tag, choice);
		return VF_REDRAW;
	}
	if (k->code == K_F1) {
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	}
	if (k->code == K_F10) {
		app_logout(app, "user", TS_OK, _("Signed out."));
		return VF_HANDLED;
	}
	if (app->db_lost && k->code >= K_F2 && k->code <= K_F9) {
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return VF_HANDLED;
	}
	switch (s->mode) {
	case SM_LIST:
		return staff_list_key(app, s, k);
	case SM_FORM:
		return staff_form_key(app, s, k);
	case SM_TEMP:
		if (k->code != K_ENTER && k->code != K_ESC)
			return VF_IGNORED;
		explicit_bzero(s->temp, sizeof s->temp);
		s->mode = SM_LIST;
		app_message(app, TS_NORMAL, NULL);
		return VF_REDRAW;
	case SM_CASES:
		if (k->code != K_ENTER && k->code != K_ESC)
			return VF_IGNORED;
		s->mode = SM_LIST;
		staff_reload(app, s);
		return VF_REDRAW;
	}
	return VF_IGNORED;
}

static void
staff_free(struct view *v)
{
	struct staff *s = v->data;

	prompt_close(&s->prompt);
	free(s->rows);
	free(s->shown);
	free(s->offices);
	free(s->cases);
	explicit_bzero(s, sizeof *s);
	free(s);
	v->data = NULL;
}

static const struct bar_item staff_list_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Add") }, { K_F3, N_("Edit") }, { K_F4, N_("Disable/enable") },
	{ K_F5, N_("Reset password") }, { K_F6, N_("Unlock") }, { K_F7, N_("Open cases") },
	{ K_F9, N_("Show") }, { K_ESC, N_("Back") }, { K_F10, N_("Sign out") },
};

static const struct bar_item staff_form_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Save") }, { K_TAB, N_("Next field") },
	{ K_ESC, N_("Cancel") }, { K_F10, N_("Sign out") },
};

static const struct bar_item staff_close_bar[] = {
	{ K_ENTER, N_("Close") }, { K_F10, N_("Sign out") },
};

static const struct bar_item *
staff_bar(struct app *app, struct view *v, size_t *n)
{
	const struct staff *s = staff_data(v);

	(void)app;
	switch (s->mode) {
	case SM_FORM:
		*n = sizeof staff_form_bar / sizeof staff_form_bar[0];
		return staff_form_bar;
	case SM_TEMP:
	case SM_CASES:
		*n = sizeof staff_close_bar / sizeof staff_close_bar[0];
		return staff_close_bar;
	case SM_LIST:
		break;
	}
	*n = sizeof staff_list_bar / sizeof staff_list_bar[0];
	return staff_list_bar;
}

const struct view_ops staff_view_ops = {
	.enter = staff_enter,
	.draw = staff_draw,
	.key = staff_key,
	.bar_fn = staff_bar,
	.free = staff_free,
	.notify = staff_notify,
};
