/*
 * The form of 人员管理 that adds an account (staff number, name, role,
 * office) or edits one (its staff number fixed). Role and office are
 * choices (Space or ← → changes them; the offices are the
 * administrator's own and those below it). F2, or Enter on the last row,
 * saves: the database checks every value again and refuses, naming what
 * is wrong, without changing anything. A new account's temporary password
 * is shown once.
 */
#include <stdlib.h>
#include <string.h>

#include "admin/staff_int.h"
#include "model/i18n.h"
#include "model/text.h"
#include "util/xalloc.h"

static const char *const staff_form_labels[SF_COUNT] = {
	N_("Staff no."), N_("Name"), N_("Role"), N_("Office")
};

void
staff_form_open(struct app *app, struct staff *s, const struct staffstore_row *row)
{
	struct staff_form *f = &s->form;

	memset(f, 0, sizeof *f);
	field_init(&f->no, 32, false, false);
	field_init(&f->name, 40, false, false);
	f->editing = row != NULL;
	f->row = row != NULL ? SF_NAME : SF_NO;
	if (row != NULL) {
		field_set(&f->no, row->staff_no);
		field_set(&f->name, row->name);
		for (size_t i = 0; i < staff_nroles; i++)
			if (strcmp(staff_roles[i], row->role) == 0)
				f->role = (int)i;
		for (int i = 0; i < s->noffices; i++)
			if (strcmp(s->offices[i].code, row->office_code) == 0)
				f->office = i;
	}
	s->mode = SM_FORM;
	app_message(app, TS_NORMAL, row != NULL ? NULL :
	    _("A temporary password is made for the new account and shown once."));
}

void
staff_form_draw(struct app *app, struct staff *s, int top, int rows)
{
	struct staff_form *f = &s->form;
	int cols = term_cols(), bw = cols - 4 < 64 ? cols - 4 : 64, bx = (cols - bw) / 2;
	int y = top + (rows >= 16 ? 1 : 0), lw = 0;
	const char *title = f->editing ? _("Edit the account") : _("Add an account");

	for (int i = 0; i < SF_COUNT; i++)
		if (text_width(_(staff_form_labels[i])) > lw)
			lw = text_width(_(staff_form_labels[i]));
	term_box(y, bx, SF_COUNT + 5, bw, TS_NORMAL);
	term_print(y, bx + (bw - text_width(title)) / 2, bw - 2, TS_TITLE, title);
	for (int i = 0; i < SF_COUNT; i++) {
		int fy = y + 2 + i, fx = bx + 3 + lw + 2, fw = bx + bw - 3 - fx, cx = fx;
		bool on = i == f->row;
		char *choice = NULL;

		term_print(fy, bx + 3, lw, TS_NORMAL, _(staff_form_labels[i]));
		term_print(fy, bx + 3 + lw, 2, TS_NORMAL, "：");
		switch (i) {
		case SF_NO:
			if (f->editing)
				term_print(fy, fx, fw, TS_NORMAL, field_text(&f->no));
			else
				cx = field_draw(&f->no, fy, fx, fw > 34 ? 34 : fw, on);
			break;
		case SF_NAME:
			cx = field_draw(&f->name, fy, fx, fw > 42 ? 42 : fw, on);
			break;
		case SF_ROLE:
			choice = xasprintf("‹ %s ›", app_role_name(staff_roles[f->role]));
			break;
		case SF_OFFICE:
			choice = s->noffices > 0 ? xasprintf("‹ %s %s ›", s->offices[f->office].code,
			    s->offices[f->office].name) : xstrdup("-");
			break;
		}
		if (choice != NULL) {
			char *shown = text_ellipsize(choice, fw);

			term_fill(fy, fx, text_width(shown), on ? TS_FIELD_ACTIVE : TS_FIELD);
			term_print(fy, fx, fw, on ? TS_FIELD_ACTIVE : TS_FIELD, shown);
			free(shown);
			free(choice);
		}
		if (on) {
			app->cursor_y = choice == NULL && (i != SF_NO || !f->editing) ? fy : -1;
			app->cursor_x = cx;
		}
	}
	term_print(y + 2 + SF_COUNT + 1, bx + 3, bw - 6, TS_DIM,
	    _("Space or ← → changes a choice; F2 saves, Esc cancels."));
}

/* Saves the form: adds or edits the account. */
static void
staff_form_save(struct app *app, struct staff *s)
{
	struct staff_form *f = &s->form;
	const char *office = s->noffices > 0 ? s->offices[f->office].code : "";
	char temp[64], *line;
	enum staffstore_result r;

	if (!f->editing) {
		r = staffstore_add(app->db, app->session.id, field_text(&f->no), field_text(&f->name),
		    staff_roles[f->role], office, temp);
		if (!staff_report(app, r)) {
			f->row = r == SS_BAD_NAME ? SF_NAME : r == SS_BAD_ROLE ? SF_ROLE :
			    r == SS_UNKNOWN_OFFICE || r == SS_OUT_OF_JURISDICTION ? SF_OFFICE : SF_NO;
			return;
		}
		line = xasprintf(_("%s (%s) is added as %s."), field_text(&f->name), field_text(&f->no),
		    app_role_name(staff_roles[f->role]));
		staff_show_temp(app, s, line, temp);
		free(line);
		staff_reload(app, s);
		return;
	}
	r = staffstore_edit(app->db, app->session.id, field_text(&f->no), field_text(&f->name),
	    staff_roles[f->role], office);
	if (r == SS_UNCHANGED) {
		s->mode = SM_LIST;
		app_message(app, TS_NORMAL, staffstore_message(r));
		return;
	}
	if (!staff_report(app, r)) {
		f->row = r == SS_BAD_NAME ? SF_NAME : r == SS_SELF || r == SS_LAST_ADMIN ? SF_ROLE :
		    r == SS_UNKNOWN_OFFICE || r == SS_OUT_OF_JURISDICTION ? SF_OFFICE : f->row;
		return;
	}
	line = xasprintf(_("The account %s is saved."), field_text(&f->no));
	app_message(app, TS_OK, line);
	free(line);
	s->mode = SM_LIST;
	staff_reload(app, s);
}

/* Moves a choice by delta (wrapping). */
static void
staff_form_choose(struct staff *s, int delta)
{
	struct staff_form *f = &s->form;

	if (f->row == SF_ROLE)
		f->role = (f->role + (int)staff_nroles + delta) % (int)staff_nroles;
	else if (f->row == SF_OFFICE && s->noffices > 0)
		f->office = (f->office + s->noffices + delta) % s->noffices;
}

int
staff_form_key(struct app *app, struct staff *s, const struct term_key *k)
{
	struct staff_form *f = &s->form;
	int first = f->editing ? SF_NAME : SF_NO;

	switch (k->code) {
	case K_ESC:
		s->mode = SM_LIST;
		app_message(app, TS_NORMAL, _("Nothing was changed."));
		return VF_REDRAW;
	case K_F2:
		staff_form_save(app, s);
		return VF_REDRAW;
	case K_ENTER:
		if (f->row == SF_OFFICE)
			staff_form_save(app, s);
		else
			f->row++;
		return VF_REDRAW;
	case K_TAB:
	case K_DOWN:
		f->row = f->row + 1 < SF_COUNT ? f->row + 1 : first;
		return VF_REDRAW;
	case K_BTAB:
	case K_UP:
		f->row = f->row > first ? f->row - 1 : SF_COUNT - 1;
		return VF_REDRAW;
	case K_LEFT:
	case K_RIGHT:
		if (f->row != SF_ROLE && f->row != SF_OFFICE)
			break;
		staff_form_choose(s, k->code == K_LEFT ? -1 : 1);
		return VF_REDRAW;
	case K_CHAR:
		if (k->ch == ' ' && (f->row == SF_ROLE || f->row == SF_OFFICE)) {
			staff_form_choose(s, 1);
			return VF_REDRAW;
		}
		break;
	default:
		break;
	}
	if (f->row == SF_NO && !f->editing)
		return field_key(&f->no, k) ? VF_REDRAW : VF_IGNORED;
	if (f->row == SF_NAME)
		return field_key(&f->name, k) ? VF_REDRAW : VF_IGNORED;
	return VF_IGNORED;
}
