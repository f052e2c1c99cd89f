/*
 * The appointment view (see appoint.h). Three screens:
 *
 *   form   ID number, phone, 事项 (typed as a code, pinyin initials or part
 *          of the name: the first match is taken, ← → steps through the
 *          matches), the day (← →, today up to the days ahead the server
 *          allows) and the way (电话办 / 现场); Enter on the last row or
 *          F2 lists the day's slots
 *   slots  the day's slots with their places; ← → another day; Enter
 *          books the chosen slot (or moves the appointment being moved)
 *   found  F4 from the form: the appointments of an ID number or a code;
 *          M moves the chosen one (the slots of its 事项), C cancels it
 *
 * After a booking the code and slot stay on screen; at the desk the slip
 * is printed at once, for a caller F6 prints it. Esc goes back one
 * screen, from the form to the workbench. Nothing typed is lost on a
 * refusal: the message says what to change.
 */
#include "queue/appoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/calendar.h"
#include "model/catalogue.h"
#include "model/docdata.h"
#include "model/i18n.h"
#include "model/search.h"
#include "model/text.h"
#include "store/apptstore.h"
#include "store/catstore.h"
#include "ui/field.h"
#include "ui/printout.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

#define AP_DAYS_MAX 60

enum ap_mode { AP_FORM, AP_SLOTS, AP_DONE, AP_FOUND };
enum ap_row { AR_ID, AR_PHONE, AR_ITEM, AR_DAY, AR_WAY, AR_COUNT };
enum { AP_PROMPT_FIND = 1, AP_PROMPT_CANCEL };

struct appoint {
	enum ap_mode mode;
	int row;
	struct field id, phone, item;
	struct cat_summary *all;
	int nall, match;		/* index into all, -1: none */
	int day;			/* days from today */
	long today;			/* today by the server's clock (days since 1970) */
	int way;			/* 0 phone (电话办), 1 desk (现场) */
	struct appt_day slots;
	int sel;
	char type[64], type_name[160];	/* the 事项 of the slots shown */
	char moving[33];		/* the code being moved ("" when booking) */
	struct appt_booking done;
	struct appt_list found;
	int fsel;
	struct prompt prompt;
};

static const char *const ap_labels[AR_COUNT] = {
	N_("ID number"), N_("Mobile phone"), N_("Service item"), N_("Day"), N_("Booked by")
};

static struct appoint *
ap_data(struct view *v)
{
	if (v->data == NULL) {
		struct appoint *a = xcalloc(1, sizeof *a);

		field_init(&a->id, 18, false, false);
		field_init(&a->phone, 11, false, true);
		field_init(&a->item, 30, false, false);
		a->match = -1;
		v->data = a;
	}
	return v->data;
}

/* The day `off` days from today (China) as YYYY-MM-DD and as shown. */
static void
ap_day(const struct appoint *a, int off, char ymd[11], char shown[48])
{
	static const char *const wd[7] = { N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
		N_("Fri"), N_("Sat") };
	struct cal_date d = cal_from_days(a->today + off);

	cal_date_format(d, ymd);
	snprintf(shown, 48, _("%d-%02d-%02d (%s)"), d.y, d.m, d.d, _(wd[cal_weekday(d)]));
}

/* The first match of the item field from the current one on (step ±1). */
static void
ap_match(struct appoint *a, int from, int step)
{
	const char *q = field_text(&a->item);

	a->match = -1;
	if (*q == '\0' || a->nall <= 0)
		return;
	for (int i = 0; i < a->nall; i++) {
		int j = ((from + step * i) % a->nall + a->nall) % a->nall;

		if (search_match(&a->all[j], q)) {
			a->match = j;
			return;
		}
	}
}

static void
ap_enter(struct app *app, struct view *v)
{
	struct appoint *a = ap_data(v);
	enum db_status st;

	if (!apptstore_today(app->db, &a->today))
		a->today = cal_days(cal_date_cn(time(NULL)));
	if (a->all == NULL) {
		const char *t = app->session.office_tier;

		a->nall = catstore_list(app->db, t != NULL ? cat_tiers_parse(t) : 0, &a->all, &st);
		if (a->nall < 0) {
			a->nall = 0;
			a->all = NULL;
			if (st == DB_LOST)
				app_db_lost(app);
		}
	}
	app_message(app, TS_NORMAL, _("Book an appointment: ID number, phone, service item and day; "
	    "F4 finds one to move or cancel."));
}

/* Says what a refusal means; the duplicate and the block with their facts. */
static void
ap_refused(struct app *app, enum appt_result r, const struct appt_booking *b)
{
	char *msg = NULL;

	if (r == APPT_DB_LOST)
		app_db_lost(app);
	if (r == APPT_DUPLICATE)
		msg = xasprintf(_("The person already has an appointment for this service item: code %s, "
		    "%s. Find it with F4 to move or cancel it."), b->code, b->label);
	else if (r == APPT_BLOCKED) {
		struct cal_date d = cal_date_cn((time_t)b->blocked_until);

		msg = xasprintf(_("Too many missed appointments: this person may book again from "
		    "%d-%02d-%02d."), d.y, d.m, d.d);
	}
	app_message(app, TS_ERROR, msg != NULL ? msg : appt_message(r));
	free(msg);
}

/* Reads the slots of the chosen day for type. */
static void
ap_load_slots(struct app *app, struct appoint *a)
{
	char ymd[11], shown[48];
	enum appt_result r;

	appt_day_free(&a->slots);
	ap_day(a, a->day, ymd, shown);
	r = apptstore_day(app->db, app->session.id, app->session.office_code, ymd, a->type, &a->slots);
	if (r != APPT_OK && r != APPT_CLOSED) {
		if (r == APPT_TOO_FAR && a->day > 0) {
			a->day--;	/* back to the last day that may be booked */
			ap_load_slots(app, a);
		}
		ap_refused(app, r, NULL);
		return;
	}
	a->mode = AP_SLOTS;
	a->sel = 0;
	while ((size_t)a->sel < a->slots.n && a->slots.slots[a->sel].state != APPT_SLOT_OPEN)
		a->sel++;
	if ((size_t)a->sel >= a->slots.n)
		a->sel = 0;
	app_message(app, r == APPT_CLOSED ? TS_ERROR : TS_NORMAL, r == APPT_CLOSED ?
	    appt_message(r) : _("Choose a slot: ↑ ↓, Enter books it; ← → another day; Esc back."));
}

/* The form's check before the slots: what the clerk must still type. */
static void
ap_form_next(struct app *app, struct appoint *a)
{
	if (strlen(field_text(&a->id)) != 18) {
		a->row = AR_ID;
		app_message(app, TS_ERROR, _("Type the 18-character ID number."));
		return;
	}
	if (strlen(field_text(&a->phone)) != 11) {
		a->row = AR_PHONE;
		app_message(app, TS_ERROR, appt_message(APPT_BAD_PHONE));
		return;
	}
	if (a->match < 0) {
		a->row = AR_ITEM;
		app_message(app, TS_ERROR, _("Type a service item: its code, pinyin initials or part of "
		    "its name."));
		return;
	}
	snprintf(a->type, sizeof a->type, "%s", a->all[a->match].code);
	snprintf(a->type_name, sizeof a->type_name, "%s", a->all[a->match].name);
	a->moving[0] = '\0';
	ap_load_slots(app, a);
}

/* The slip for the citizen at the desk. */
static void
ap_print(struct app *app, struct appoint *a)
{
	char date[64], *why = NULL, *doc, *id = NULL;
	struct mu_value *d = mu_map();
	const char *idt = field_text(&a->id);

	docdata_date(time(NULL), date);
	if (strlen(idt) == 18)
		id = xasprintf("%.6s********%s", idt, idt + 14);
	mu_map_set(d, "office_name", mu_str(app->session.office_name));
	mu_map_set(d, "code", mu_str(a->done.code));
	mu_map_set(d, "slot", mu_str(a->done.label));
	mu_map_set(d, "item", mu_str(a->type_name));
	mu_map_set(d, "id_masked", mu_str(id != NULL ? id : ""));
	mu_map_set(d, "clerk", mu_str(app->session.staff_name));
	mu_map_set(d, "has_window", mu_bool(app->session.window_no > 0));
	{
		char w[32];

		snprintf(w, sizeof w, _("window %d"), app->session.window_no);
		mu_map_set(d, "window", mu_str(w));
	}
	mu_map_set(d, "date", mu_str(date));
	doc = printout_render(app, "appointment-slip", d, &why);
	mu_value_free(&d);
	free(id);
	if (doc != NULL)
		printout_send(app, doc, _("The appointment slip"));
	else
		printout_failed(app, why);
	free(doc);
}

static void
ap_book(struct app *app, struct appoint *a)
{
	struct appt_booking b;
	enum appt_result r;
	char *msg;

	if ((size_t)a->sel >= a->slots.n)
		return;
	if (a->moving[0] != '\0') {
		r = apptstore_move(app->db, app->session.id, app->session.office_code, a->moving,
		    a->slots.slots[a->sel].start, NULL, &b);
	} else {
		r = apptstore_book(app->db, app->session.id, app->session.office_code, field_text(&a->id),
		    field_text(&a->phone), a->type, a->slots.slots[a->sel].start,
		    a->way == 0 ? "phone" : "desk", NULL, &b);
	}
	if (r != APPT_OK) {
		if (r == APPT_FULL || r == APPT_GROUP_FULL || r == APPT_TOO_LATE) {
			int keep = a->sel;

			ap_load_slots(app, a);	/* the places as they are now */
			a->sel = keep;
		}
		ap_refused(app, r, &b);
		return;
	}
	a->done = b;
	a->mode = AP_DONE;
	msg = xasprintf(a->moving[0] != '\0' ? _("The appointment %s is moved to %s; the citizen gets a "
	    "text message.") : _("Booked: code %s, %s. The citizen gets it by text message."),
	    b.code, b.label);
	app_message(app, TS_OK, msg);
	free(msg);
	if (a->moving[0] == '\0' && a->way == 1)
		ap_print(app, a);
}

static void
ap_find(struct app *app, struct appoint *a, const char *q)
{
	enum appt_result r;

	appt_list_free(&a->found);
	r = apptstore_find(app->db, app->session.id, app->session.office_code, q, &a->found);
	if (r != APPT_OK) {
		ap_refused(app, r, NULL);
		return;
	}
	a->mode = AP_FOUND;
	a->fsel = 0;
	app_message(app, a->found.n == 0 ? TS_ERROR : TS_NORMAL, a->found.n == 0 ?
	    _("No appointment at this office has that ID number or code.") :
	    _("M moves the chosen appointment, C cancels it; Esc back."));
}

/* ---- drawing ------------------------------------------------------------- */

static void
ap_draw_form(struct app *app, struct appoint *a, int top)
{
	int cols = term_cols(), lw = 0, y = top + 1, x = 2;

	term_print(y, x, cols - 4, TS_TITLE, _("Appointment (预约办 / 电话办)"));
	y += 2;
	for (int i = 0; i < AR_COUNT; i++)
		if (text_width(_(ap_labels[i])) > lw)
			lw = text_width(_(ap_labels[i]));
	for (int i = 0; i < AR_COUNT; i++, y++) {
		int fx = x + lw + 2, fw = cols - fx - 2, cx = fx;
		bool on = a->mode == AP_FORM && i == a->row;
		char ymd[11], shown[48], *choice = NULL;

		term_print(y, x, lw, TS_NORMAL, _(ap_labels[i]));
		term_print(y, x + lw, 2, TS_NORMAL, "：");
		switch (i) {
		case AR_ID:
			cx = field_draw(&a->id, y, fx, 22, on);
			break;
		case AR_PHONE:
			cx = field_draw(&a->phone, y, fx, 15, on);
			break;
		case AR_ITEM:
			cx = field_draw(&a->item, y, fx, 20, on);
			if (a->match >= 0) {
				char *s = xasprintf("%s %s", a->all[a->match].code, a->all[a->match].name);

				term_print(y, fx + 22, fw - 22, TS_OK, s);
				free(s);
			} else if (*field_text(&a->item) != '\0')
				term_print(y, fx + 22, fw - 22, TS_ERROR, _("no such item"));
			break;
		case AR_DAY:
			ap_day(a, a->day, ymd, shown);
			choice = xasprintf("‹ %s ›", shown);
			break;
		case AR_WAY:
			choice = xasprintf("‹ %s ›", a->way == 0 ? _("phone (电话办)") : _("at the desk"));
			break;
		}
		if (choice != NULL) {
			term_print(y, fx, fw, on ? TS_FIELD_ACTIVE : TS_FIELD, choice);
			free(choice);
		}
		if (on) {
			app->cursor_y = choice == NULL ? y : -1;
			app->cursor_x = cx;
		}
	}
	term_print(y + 1, x, cols - 4, TS_DIM, _("↑ ↓ or Tab moves; ← → changes the item, day or way; "
	    "F2 or Enter on the last row shows the slots; F4 finds an appointment."));
}

static void
ap_draw_slots(struct appoint *a, int top, int rows)
{
	int cols = term_cols(), y = top + 1;
	char ymd[11], shown[48], *head;
	size_t skip;

	ap_day(a, a->day, ymd, shown);
	head = a->moving[0] != '\0' ? xasprintf(_("Move %s: %s, %s"), a->moving, a->type_name, shown) :
	    xasprintf("%s, %s", a->type_name, shown);
	term_print(y++, 2, cols - 4, TS_TITLE, head);
	free(head);
	y++;
	/* the chosen slot always on screen (short slots make long days) */
	{
		int room = top + rows - y, first = room > 0 && a->sel >= room ? a->sel - room + 1 : 0;

		skip = first > 0 ? (size_t)first : 0;
	}
	for (size_t i = skip; i < a->slots.n && y < top + rows; i++, y++) {
		const struct appt_slot *s = &a->slots.slots[i];
		const char *state = s->state == APPT_SLOT_OPEN ? _("free") :
		    s->state == APPT_SLOT_FULL ? _("full") :
		    s->state == APPT_SLOT_GROUP_FULL ? _("full for this kind") : _("closed for booking");
		char *line = s->group_capacity >= 0 ?
		    xasprintf(_("%s  booked %d/%d, this kind %d/%d  %s"), s->label, s->booked, s->capacity, s->group_booked, s->group_capacity, state) :
		    xasprintf(_("%s  booked %d/%d  %s"), s->label, s->booked, s->capacity, state);
		bool on = (int)i == a->sel;

		term_print(y, 2, cols - 4, on ? TS_FIELD_ACTIVE :
		    s->state == APPT_SLOT_OPEN ? TS_NORMAL : TS_DIM, line);
		free(line);
	}
}

static void
ap_draw_done(struct appoint *a, int top)
{
	int cols = term_cols(), y = top + 2;
	char *l;

	term_print(y++, 2, cols - 4, TS_TITLE, a->moving[0] != '\0' ? _("Appointment moved") :
	    _("Appointment booked"));
	y++;
	l = xasprintf(_("Appointment code: %s"), a->done.code);
	term_print(y++, 4, cols - 6, TS_OK, l);
	free(l);
	l = xasprintf(_("Slot: %s"), a->done.label);
	term_print(y++, 4, cols - 6, TS_NORMAL, l);
	free(l);
	l = xasprintf(_("Service item: %s"), a->type_name);
	term_print(y++, 4, cols - 6, TS_NORMAL, l);
	free(l);
	y++;
	term_print(y, 4, cols - 6, TS_DIM, _("Check in at the ticket kiosk with the code or the ID number "
	    "inside the slot. F6 prints the slip; Enter or Esc: a new appointment."));
}

static void
ap_draw_found(struct appoint *a, int top, int rows)
{
	int cols = term_cols(), y = top + 1;

	term_print(y++, 2, cols - 4, TS_TITLE, _("Appointments found"));
	y++;
	for (size_t i = 0; i < a->found.n && y < top + rows; i++, y++) {
		const struct appt_row *r = &a->found.rows[i];
		char *line = xasprintf("%s  %s  %s  %s  %s  %s", r->code, r->label, r->item, r->id_masked,
		    r->phone_masked, appt_status_name(r->status));

		term_print(y, 2, cols - 4, (int)i == a->fsel ? TS_FIELD_ACTIVE :
		    r->changeable ? TS_NORMAL : TS_DIM, line);
		free(line);
	}
}

static void
ap_draw(struct app *app, struct view *v, int top, int rows)
{
	struct appoint *a = ap_data(v);
	int cy = -1, cx = -1;

	app->cursor_y = -1;
	switch (a->mode) {
	case AP_FORM:
		ap_draw_form(app, a, top);
		break;
	case AP_SLOTS:
		ap_draw_slots(a, top, rows);
		break;
	case AP_DONE:
		ap_draw_done(a, top);
		break;
	case AP_FOUND:
		ap_draw_found(a, top, rows);
		break;
	}
	if (prompt_active(&a->prompt)) {
		prompt_draw(&a->prompt, top, rows, &cy, &cx);
		app->cursor_y = cy;
		app->cursor_x = cx;
	}
}

/* ---- keys ---------------------------------------------------------------- */

static void
ap_reset(struct appoint *a)
{
	field_clear(&a->id);
	field_clear(&a->phone);
	field_clear(&a->item);
	a->match = -1;
	a->row = AR_ID;
	a->day = 0;
	a->way = 0;
	a->moving[0] = '\0';
	a->mode = AP_FORM;
}

static int
ap_key_form(struct app *app, struct appoint *a, const struct term_key *k)
{
	switch (k->code) {
	case K_ESC:
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	case K_F2:
		ap_form_next(app, a);
		return VF_REDRAW;
	case K_ENTER:
		if (a->row == AR_WAY)
			ap_form_next(app, a);
		else
			a->row++;
		return VF_REDRAW;
	case K_TAB:
	case K_DOWN:
		a->row = (a->row + 1) % AR_COUNT;
		return VF_REDRAW;
	case K_BTAB:
	case K_UP:
		a->row = (a->row + AR_COUNT - 1) % AR_COUNT;
		return VF_REDRAW;
	case K_LEFT:
	case K_RIGHT: {
		int step = k->code == K_LEFT ? -1 : 1;

		if (a->row == AR_DAY) {
			a->day = a->day + step < 0 ? 0 : a->day + step > AP_DAYS_MAX ? AP_DAYS_MAX : a->day + step;
			return VF_REDRAW;
		}
		if (a->row == AR_WAY) {
			a->way = !a->way;
			return VF_REDRAW;
		}
		if (a->row == AR_ITEM && a->match >= 0) {
			ap_match(a, a->match + step, step);
			return VF_REDRAW;
		}
		break;
	}
	default:
		break;
	}
	if (a->row == AR_ID && k->code == K_CHAR && k->ch == 'x') {
		struct term_key up = *k;

		up.ch = 'X';
		return field_key(&a->id, &up) ? VF_REDRAW : VF_IGNORED;
	}
	if (a->row == AR_ID)
		return field_key(&a->id, k) ? VF_REDRAW : VF_IGNORED;
	if (a->row == AR_PHONE)
		return field_key(&a->phone, k) ? VF_REDRAW : VF_IGNORED;
	if (a->row == AR_ITEM && field_key(&a->item, k)) {
		ap_match(a, 0, 1);
		return VF_REDRAW;
	}
	return VF_IGNORED;
}

static int
ap_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct appoint *a = ap_data(v);
	int choice = 0;

	if (prompt_active(&a->prompt)) {
		int tag = a->prompt.tag;

		if (prompt_key(&a->prompt, k, &choice) == PR_DONE) {
			if (tag == AP_PROMPT_FIND)
				ap_find(app, a, field_text(&a->prompt.field));
			else if (tag == AP_PROMPT_CANCEL && choice == 0 && (size_t)a->fsel < a->found.n) {
				char code[33];
				enum appt_result r;

				snprintf(code, sizeof code, "%s", a->found.rows[a->fsel].code);
				r = apptstore_cancel(app->db, app->session.id, app->session.office_code, code, NULL);
				if (r == APPT_OK) {
					char *msg = xasprintf(_("The appointment %s is cancelled; the citizen gets a "
					    "text message."), code);

					ap_find(app, a, code);
					app_message(app, TS_OK, msg);
					free(msg);
				} else
					ap_refused(app, r, NULL);
			}
		}
		return VF_REDRAW;
	}
	if (k->code == K_F1) {
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	}
	if (k->code == K_F4 && a->mode != AP_SLOTS) {
		prompt_field(&a->prompt, AP_PROMPT_FIND, _("Find appointments: ID number or code"), 32, false);
		return VF_REDRAW;
	}
	switch (a->mode) {
	case AP_FORM:
		return ap_key_form(app, a, k);
	case AP_SLOTS:
		if (k->code == K_ESC) {
			a->mode = a->moving[0] != '\0' ? AP_FOUND : AP_FORM;
			app_message(app, TS_NORMAL, NULL);
		} else if (k->code == K_UP && a->sel > 0)
			a->sel--;
		else if (k->code == K_DOWN && (size_t)a->sel + 1 < a->slots.n)
			a->sel++;
		else if (k->code == K_LEFT || k->code == K_RIGHT) {
			a->day += k->code == K_LEFT ? (a->day > 0 ? -1 : 0) : 1;
			ap_load_slots(app, a);
		} else if (k->code == K_ENTER)
			ap_book(app, a);
		else
			return VF_IGNORED;
		return VF_REDRAW;
	case AP_DONE:
		if (k->code == K_F6 && a->moving[0] == '\0') {
			ap_print(app, a);
			return VF_REDRAW;
		}
		if (k->code == K_ENTER || k->code == K_ESC) {
			ap_reset(a);
			app_message(app, TS_NORMAL, NULL);
			return VF_REDRAW;
		}
		return VF_IGNORED;
	case AP_FOUND:
		if (k->code == K_ESC) {
			a->mode = AP_FORM;
			app_message(app, TS_NORMAL, NULL);
		} else if (k->code == K_UP && a->fsel > 0)
			a->fsel--;
		else if (k->code == K_DOWN && (size_t)a->fsel + 1 < a->found.n)
			a->fsel++;
		else if (k->code == K_CHAR && (size_t)a->fsel < a->found.n &&
		    (k->ch == 'c' || k->ch == 'C' || k->ch == 'm' || k->ch == 'M')) {
			const struct appt_row *r = &a->found.rows[a->fsel];

			if (!r->changeable) {
				app_message(app, TS_ERROR, appt_message(APPT_NOT_FOUND));
			} else if (k->ch == 'c' || k->ch == 'C') {
				const char *labels[2] = { _("Yes, cancel it"), _("No") };
				char *t = xasprintf(_("Cancel the appointment %s (%s)?"), r->code, r->label);

				prompt_menu(&a->prompt, AP_PROMPT_CANCEL, t, labels, 2);
				free(t);
			} else {
				snprintf(a->moving, sizeof a->moving, "%s", r->code);
				snprintf(a->type, sizeof a->type, "%s", r->type);
				snprintf(a->type_name, sizeof a->type_name, "%s", r->item);
				ap_load_slots(app, a);
			}
		} else
			return VF_IGNORED;
		return VF_REDRAW;
	}
	return VF_IGNORED;
}

static const struct bar_item ap_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Slots") }, { K_F4, N_("Find") }, { K_F6, N_("Print slip") },
	{ K_ESC, N_("Back") },
};

static void
ap_free(struct view *v)
{
	struct appoint *a = v->data;

	if (a == NULL)
		return;
	catstore_list_free(&a->all, a->nall);
	appt_day_free(&a->slots);
	appt_list_free(&a->found);
	field_clear(&a->id);
	field_clear(&a->phone);
	free(a);
	v->data = NULL;
}

/* Forgets what was typed when the session ends (the next clerk starts
 * with an empty form). */
static void
ap_save(struct app *app, struct view *v)
{
	(void)app;
	ap_free(v);
}

static void
ap_notify(struct app *app, struct view *v, bool fresh)
{
	struct appoint *a = v->data;

	(void)fresh;
	if (a != NULL && a->mode == AP_SLOTS && app->active == AV_APPOINT) {
		int keep = a->sel;

		ap_load_slots(app, a);
		a->sel = keep;
		app_dirty(app, AD_BODY);
	}
}

const struct view_ops appoint_view_ops = {
	.enter = ap_enter,
	.draw = ap_draw,
	.key = ap_key,
	.bar = ap_bar,
	.nbar = sizeof ap_bar / sizeof ap_bar[0],
	.free = ap_free,
	.save = ap_save,
	.notify = ap_notify,
};
