/*
 * The workbench: the clerk's home after sign-in. At a window it runs the
 * queue: waiting counts per class with the longest wait (red past the
 * office's target), the current ticket with its service time ticking, the
 * tickets on hold, and the pause state; F2 calls the next ticket, F3
 * recalls, F4 marks a no-show, Enter starts serving, F6 finishes, F8
 * transfers or holds, F9 pauses (and locks the screen) or resumes. At the
 * guide desk and for supervisors F2 issues a 绿色通道 ticket, sent to the
 * window they name or the next free one; at an office without a guide desk
 * (townships, villages) the clerk at a window issues one with G (their own
 * window by default). A green ticket is never called: when one arrives as
 * the window's current ticket the message line says so at once. Queue data
 * is refreshed when the database announces a change (LISTEN/NOTIFY), never
 * by polling. The ticket being served is kept in app->ticket_id for the
 * intake. An administrator's workbench is the menu of the administration
 * screens (F2 人员管理, the staff accounts; F3 机构与窗口, offices and windows). P, on every role's workbench
 * (it has no text field), changes the user's own password (also item 7 of
 * the clerk's F8 menu).
 */
#include "queue/workbench.h"

#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "store/queue.h"
#include "store/cases.h"
#include "ui/app.h"
#include "ui/printout.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

enum wb_prompt {
	WP_TRANSFER_MENU = 1, WP_TRANSFER_WINDOW, WP_HOLD_BACK, WP_PAUSE, WP_GREEN_ID, WP_GREEN_WINDOW,
	WP_DRAFT, WP_DRAFT_DISCARD
};

struct workbench {
	struct queue_window win;
	struct queue_counts counts;
	time_t counts_at;	/* when counts were read: waits grow from there */
	bool have_queue;
	bool draft_offered;	/* the saved intake was offered after sign-in */
	bool handover_shown;	/* the window's handover note was shown after sign-in */
	bool guide_desk;	/* the office has a guide desk (else its clerks issue green tickets) */
	long long shown_id;	/* the current ticket the clerk has been told about */
	char green_id[24];	/* the ID number typed for a green ticket, until its window is asked */
	struct prompt prompt;
};

static bool
wb_at_window(const struct app *app)
{
	return app->session.window_no > 0 && app_role_is(app, "clerk");
}

static bool
wb_issues_green(const struct app *app)
{
	return app_role_is(app, "guide") || app_role_is(app, "supervisor");
}

/* A clerk at a window of an office without a guide desk issues green
 * tickets too. */
static bool
wb_clerk_issues_green(const struct app *app, const struct workbench *w)
{
	return wb_at_window(app) && !w->guide_desk;
}

static struct workbench *
wb_data(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct workbench));
	return v->data;
}

/* Reports a queue result: true when it was QUEUE_OK. */
static bool
wb_result(struct app *app, enum queue_result r)
{
	if (r == QUEUE_OK)
		return true;
	if (r == QUEUE_DB_LOST)
		app_db_lost(app);
	app_message(app, r == QUEUE_EMPTY ? TS_NORMAL : TS_ERROR, queue_result_message(r));
	return false;
}

static void wb_announce_call(struct app *app, const struct workbench *w, const struct queue_ticket *t,
    bool again);

/* Reads the window and the office's queue again. announce: a 绿色通道
 * ticket that became the window's current ticket meanwhile (sent by the
 * guide desk or a colleague, never called) is told on the message line. */
static void
wb_refresh(struct app *app, struct workbench *w, bool announce)
{
	enum queue_result r;

	if (app->db_lost || app->db == NULL)
		return;
	if (wb_at_window(app)) {
		r = queue_window_state(app->db, app->session.id, &w->win);
		if (r == QUEUE_DB_LOST)
			app_db_lost(app);
		if (r == QUEUE_OK && announce && w->win.current.id != 0 &&
		    w->win.current.id != w->shown_id && w->win.current.cls == QC_GREEN &&
		    w->win.current.started_at == 0)
			wb_announce_call(app, w, &w->win.current, false);
		if (r == QUEUE_OK)
			w->shown_id = w->win.current.id;
	}
	app->ticket_id = wb_at_window(app) ? w->win.current.id : 0;
	if (wb_at_window(app) || wb_issues_green(app)) {
		r = queue_counts(app->db, app->session.office_code, &w->counts);
		w->have_queue = r == QUEUE_OK;
		w->counts_at = time(NULL);
		if (r == QUEUE_DB_LOST)
			app_db_lost(app);
	}
	app->tick_seconds = w->win.current.id != 0;
	app_dirty(app, AD_BODY);
}

static void
wb_notify(struct app *app, struct view *v, bool fresh)
{
	struct workbench *w = wb_data(v);

	if (fresh && (wb_at_window(app) || wb_issues_green(app)) &&
	    queue_listen(app->db, app->session.office_code) == QUEUE_DB_LOST)
		app_db_lost(app);
	if (fresh && !app->db_lost && cases_listen(app->db, app->session.office_code) == CASES_DB_LOST)
		app_db_lost(app);
	if (fresh && !app->db_lost &&
	    queue_office_guide_desk(app->db, app->session.office_code, &w->guide_desk) == QUEUE_DB_LOST)
		app_db_lost(app);
	wb_refresh(app, w, true);
}

static void
wb_enter(struct app *app, struct view *v)
{
	struct workbench *w = wb_data(v);
	char desc[160], *title;

	if (!w->have_queue)
		wb_notify(app, v, true);
	if (!w->handover_shown) {
		char *note = app->hooks->handover_for_login(app);

		w->handover_shown = true;
		app_calendar_refresh(app);
		if (note != NULL) {
			app_message(app, TS_OK, note);
			free(note);
		} else if ((note = app_calendar_warning(app)) != NULL) {
			app_message(app, TS_WARN, note);
			free(note);
		}
	}
	if (!w->draft_offered && app_takes_cases(app)) {
		w->draft_offered = true;
		if (app->hooks->counter_draft_find(app, desc, sizeof desc)) {
			const char *labels[] = { _("Go on with it now"), _("Discard it"),
				_("Later (F7 keeps it)") };

			title = xasprintf(_("An unfinished intake was saved (%s)."), desc);
			prompt_menu(&w->prompt, WP_DRAFT, title, labels, 3);
			free(title);
		}
	}
}

/* "mm:ss" or "h:mm:ss" since t. */
static void
wb_elapsed(time_t t, char out[32])
{
	long s = t > 0 ? (long)(time(NULL) - t) : 0;

	if (s < 0)
		s = 0;
	if (s >= 3600)
		snprintf(out, 32, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, 32, "%02ld:%02ld", s / 60, s % 60);
}

static int
wb_draw_queue(struct app *app, struct workbench *w, int y, int cols)
{
	const struct queue_counts *c = &w->counts;
	int x = 2, longest = 0;
	char buf[96];

	x += term_print(y, x, cols - x, TS_TITLE, _("Waiting"));
	for (int k = 0; k < QC_COUNT; k++) {
		int wait = c->waiting[k] > 0 ? c->longest_wait_seconds[k] +
		    (int)(time(NULL) - w->counts_at) : 0;

		snprintf(buf, sizeof buf, "  %s %d", queue_class_name((enum queue_class)k), c->waiting[k]);
		x += term_print(y, x, cols - x, TS_NORMAL, buf);
		if (wait > longest)
			longest = wait;
	}
	if (longest >= 60) {
		bool late = c->target_minutes > 0 && longest > c->target_minutes * 60;

		snprintf(buf, sizeof buf, _("   longest wait %d min"), longest / 60);
		term_print(y, x, cols - x, late ? TS_ERROR : TS_NORMAL, buf);
	}
	(void)app;
	return y + 1;
}

static int
wb_draw_current(struct app *app, struct workbench *w, int y, int cols)
{
	const struct queue_ticket *t = &w->win.current;
	char line[160], el[32];

	if (w->win.paused) {
		snprintf(line, sizeof line, _("This window is paused (%s). F9 resumes calling."),
		    w->win.pause_reason);
		term_print(y++, 2, cols - 4, TS_ERROR, line);
	}
	if (t->id == 0) {
		term_print(y++, 2, cols - 4, TS_NORMAL, _("No current ticket. F2 calls the next one."));
	} else if (t->started_at == 0 && t->cls == QC_GREEN) {
		/* 不用排队、叫号: nobody is called, the guide brings them */
		if (w->guide_desk)
			snprintf(line, sizeof line, _("Current %s: green channel, the guide brings the citizen "
			    "to the window (not called). Enter when they arrive."), t->number);
		else
			snprintf(line, sizeof line, _("Current %s: green channel (not called). Enter when the "
			    "citizen arrives."), t->number);
		term_print(y++, 2, cols - 4, TS_TITLE, line);
	} else if (t->started_at == 0) {
		wb_elapsed(t->called_at, el);
		snprintf(line, sizeof line, _("Current %s (%s): called %s ago. Enter when the citizen "
		    "arrives, F3 recall, F4 no-show."), t->number, queue_class_name(t->cls), el);
		term_print(y++, 2, cols - 4, TS_TITLE, line);
	} else {
		wb_elapsed(t->started_at, el);
		snprintf(line, sizeof line, _("Serving %s (%s): %s. F6 when done, F8 transfer or hold."),
		    t->number, queue_class_name(t->cls), el);
		term_print(y++, 2, cols - 4, TS_TITLE, line);
	}
	if (w->win.nheld > 0) {
		int x = 2 + term_print(y, 2, cols - 4, TS_NORMAL, _("On hold:"));

		for (int i = 0; i < w->win.nheld; i++) {
			snprintf(line, sizeof line, " %s", w->win.held[i].number);
			x += term_print(y, x, cols - x, TS_NORMAL, line);
		}
		y++;
	}
	(void)app;
	return y;
}

/* What the administrator's keys open, one line each (the order of the
 * bar, wb_admin_bar). */
static const char *const wb_admin_menu[] = {
	N_("F2  Staff: add, edit, disable or enable an account, reset a password, unlock"),
	N_("F3  Offices and windows: addresses, 咨询电话, windows and their printers"),
	N_("F4  Opening hours: the week, noon and weekend service, special days"),
	N_("F6  Settings: idle lock, sign-in lockout, password policy, wait target"),
};

/* The administrator's menu from row y (rows before end); the next row. */
static int
wb_draw_admin(int y, int end, int cols)
{
	size_t n = sizeof wb_admin_menu / sizeof wb_admin_menu[0];

	if (y < end)
		term_print(y++, 2, cols - 4, TS_TITLE, _("Administration"));
	for (size_t i = 0; i < n && y < end; i++) {
		char *shown = text_ellipsize(_(wb_admin_menu[i]), cols - 6);

		term_print(y++, 4, cols - 6, TS_NORMAL, shown);
		free(shown);
	}
	return y + 1;
}

static void
wb_draw(struct app *app, struct view *v, int top, int rows)
{
	const struct auth_session *s = &app->session;
	struct workbench *w = wb_data(v);
	int cols = term_cols(), y = top + 1;
	char *line, *shown;

	if (rows < 3)
		return;
	line = xasprintf(_("Welcome, %s."), s->staff_name);
	term_print(y, 2, cols - 4, TS_TITLE, line);
	free(line);
	y += 1;
	line = s->window_no > 0 ?
	    xasprintf(_("Window %d · %s · staff no. %s"), s->window_no, s->office_name, s->staff_no) :
	    xasprintf(_("%s · staff no. %s"), s->office_name, s->staff_no);
	shown = text_ellipsize(line, cols - 4);
	term_print(y, 2, cols - 4, TS_NORMAL, shown);
	free(shown);
	free(line);
	y += 2;
	if (w->have_queue && y < top + rows)
		y = wb_draw_queue(app, w, y, cols) + 1;
	if (wb_at_window(app) && y < top + rows)
		y = wb_draw_current(app, w, y, cols) + 1;
	if (app_role_is(app, "admin"))
		y = wb_draw_admin(y, top + rows, cols);
	if (y < top + rows) {
		const char *hint = wb_clerk_issues_green(app, w) ?
		    _("F2 call · G green channel · F5 case types · F9 pause and lock · P my password · "
		    "F10 sign out. Esc then a digit works like the F-key.") : wb_at_window(app) ?
		    _("F2 call · F5 case types and guides · F9 pause and lock · P my password · "
		    "F10 sign out. Esc then a digit works like the F-key.") : wb_issues_green(app) ?
		    _("F2 issues a green-channel ticket · F5 case types and guides · P my password · "
		    "F10 sign out.") : app_role_is(app, "admin") ?
		    _("P changes my password · F8 locks the screen · F10 signs out. "
		    "Esc then a digit works like the F-key.") :
		    _("F1 help · F5 case types and guides · F8 lock the screen · P my password · "
		    "F10 sign out. Esc then a digit works like the F-key.");

		shown = text_ellipsize(hint, cols - 4);
		term_print(y, 2, cols - 4, TS_DIM, shown);
		free(shown);
		if (!app_role_is(app, "admin") && ++y < top + rows)
			term_print(y, 2, cols - 4, TS_DIM, _("I 参保测算: a person's waiting period, benefits and "
			    "大病 cap"));
	}
	if (prompt_active(&w->prompt))
		prompt_draw(&w->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

/* Tells the clerk which ticket the window has now: called, called again,
 * or a green one (not called: the guide brings the citizen; at an office
 * without a guide desk, the citizen comes straight to the window). */
static void
wb_announce_call(struct app *app, const struct workbench *w, const struct queue_ticket *t, bool again)
{
	char *msg = t->cls == QC_GREEN && w->guide_desk ?
	    xasprintf(_("Green channel %s: the guide brings the citizen to window %d."), t->number,
	    app->session.window_no) : t->cls == QC_GREEN ?
	    xasprintf(_("Green channel %s: straight to window %d (not called)."), t->number,
	    app->session.window_no) : again ?
	    xasprintf(_("Calling %s to window %d again."), t->number, app->session.window_no) :
	    xasprintf(_("Calling %s to window %d."), t->number, app->session.window_no);

	app_message(app, TS_OK, msg);
	free(msg);
}

static void
wb_lock(struct app *app)
{
	if (!app->db_lost && auth_lock(app->db, &app->session) == DB_LOST)
		app_db_lost(app);
	app_switch(app, AV_LOCK);
}

static const char *const wb_pause_reasons[] = {
	N_("Break"), N_("Meeting"), N_("Consulting"), N_("System fault"), N_("Other")
};

/* Acts on a prompt's answer. */
static void
wb_answer(struct app *app, struct workbench *w, int tag, int choice)
{
	struct queue_ticket t;
	struct queue_issue is;
	const char *labels[PROMPT_ITEMS];
	int n;

	switch (tag) {
	case WP_TRANSFER_MENU:
		if (choice == 0) {
			prompt_field(&w->prompt, WP_TRANSFER_WINDOW, _("Transfer to window number:"), 3, true);
		} else if (choice == 1 && wb_result(app, queue_transfer(app->db, app->session.id, 0))) {
			app_message(app, TS_OK, _("The ticket went back to the queue in its original place."));
		} else if (choice == 2 && wb_result(app, queue_hold(app->db, app->session.id))) {
			app_message(app, TS_OK, _("The ticket is on hold; F8 calls it back."));
		} else if (choice == 4) {
			printout_reprint(app);
		} else if (choice == 6) {
			app_switch(app, AV_PASSWORD);
			return;
		} else if (choice == 5) {
			if (w->win.current.id != 0)
				app_message(app, TS_ERROR, _("Finish, transfer or hold the current ticket before "
				    "signing out."));
			else
				app->hooks->handover_prompt(app);
			return;
		} else if (choice == 3) {
			for (n = 0; n < w->win.nheld && n < PROMPT_ITEMS; n++)
				labels[n] = w->win.held[n].number;
			if (n == 0)
				app_message(app, TS_NORMAL, _("No ticket is on hold."));
			else
				prompt_menu(&w->prompt, WP_HOLD_BACK, _("Call back which ticket?"), labels, n);
		}
		break;
	case WP_TRANSFER_WINDOW: {
		int to = atoi(field_text(&w->prompt.field));
		char *msg;

		field_clear(&w->prompt.field);
		if (to <= 0 || to == app->session.window_no) {
			app_message(app, TS_ERROR, _("Enter another window of this office."));
			break;
		}
		if (wb_result(app, queue_transfer(app->db, app->session.id, to))) {
			msg = xasprintf(_("The ticket was transferred to window %d."), to);
			app_message(app, TS_OK, msg);
			free(msg);
		}
		break;
	}
	case WP_HOLD_BACK:
		if (choice < w->win.nheld &&
		    wb_result(app, queue_resume_held(app->db, app->session.id, w->win.held[choice].id, &t)))
			wb_announce_call(app, w, &t, false);
		break;
	case WP_PAUSE:
		if (wb_result(app, queue_pause(app->db, app->session.id, _(wb_pause_reasons[choice])))) {
			wb_refresh(app, w, false);
			wb_lock(app);
			return;
		}
		break;
	case WP_DRAFT:
		if (choice == 0) {
			app->hooks->counter_draft_resume(app);
			return;
		}
		if (choice == 1) {
			labels[0] = _("No, keep it");
			labels[1] = _("Yes, discard it");
			prompt_menu(&w->prompt, WP_DRAFT_DISCARD, _("Discard the saved intake? What was typed "
			    "is deleted, here and in the database."), labels, 2);
			return;
		}
		break;
	case WP_DRAFT_DISCARD:
		if (choice == 1)
			app->hooks->counter_draft_discard(app);
		break;
	case WP_GREEN_ID:
		snprintf(w->green_id, sizeof w->green_id, "%s", field_text(&w->prompt.field));
		field_clear(&w->prompt.field);
		prompt_field(&w->prompt, WP_GREEN_WINDOW, wb_at_window(app) ?
		    _("Send to window number (Enter: this window; 0: the next free window)") :
		    _("Send to window number (Enter: the next free window)"), 3, true);
		return;
	case WP_GREEN_WINDOW: {
		const char *no = field_text(&w->prompt.field);
		int to = no[0] != '\0' ? atoi(no) : wb_at_window(app) ? app->session.window_no : 0;

		if (wb_result(app, queue_issue_green(app->db, app->session.office_code,
		    w->green_id[0] != '\0' ? w->green_id : NULL, app->session.id, to, &is))) {
			char *msg = queue_green_placed_message(&is);

			app_message(app, TS_OK, msg);
			free(msg);
		}
		memset(w->green_id, 0, sizeof w->green_id);
		field_clear(&w->prompt.field);
		break;
	}
	}
	wb_refresh(app, w, false);
}

/* Asks for the ID number of a green ticket, then (WP_GREEN_WINDOW) its
 * window. */
static void
wb_green_ask(struct workbench *w)
{
	memset(w->green_id, 0, sizeof w->green_id);
	prompt_field(&w->prompt, WP_GREEN_ID, _("Green channel: ID number (optional, Enter to skip)"),
	    18, false);
}

static int
wb_queue_key(struct app *app, struct workbench *w, const struct term_key *k)
{
	struct queue_ticket t;

	switch (k->code) {
	case K_F2:
		if (wb_result(app, queue_call_next(app->db, app->session.id, &t)))
			wb_announce_call(app, w, &t, false);
		break;
	case K_F3:
		if (wb_result(app, queue_recall(app->db, app->session.id, &t)))
			wb_announce_call(app, w, &t, true);
		break;
	case K_CHAR:
		if (k->ch != 'g' && k->ch != 'G')
			return VF_IGNORED;
		if (!wb_clerk_issues_green(app, w)) {
			app_message(app, TS_ERROR, queue_result_message(QUEUE_NOT_ALLOWED));
			return VF_HANDLED;
		}
		wb_green_ask(w);
		return VF_REDRAW;
	case K_F4:
		if (wb_result(app, queue_finish(app->db, app->session.id, false)))
			app_message(app, TS_NORMAL, _("Marked as a no-show."));
		break;
	case K_ENTER:
		if (w->win.current.id == 0 || w->win.current.started_at != 0)
			return VF_IGNORED;
		if (wb_result(app, queue_start(app->db, app->session.id, &t)))
			app_message(app, TS_NORMAL, NULL);
		break;
	case K_F6:
		if (wb_result(app, queue_finish(app->db, app->session.id, true)))
			app_message(app, TS_OK, _("Service finished."));
		break;
	case K_F8: {
		const char *labels[] = { _("Transfer to another window"), _("Back to the queue"),
			_("Hold"), _("Call back a held ticket"), _("Reprint the last document"),
			_("End of shift: handover note, then sign out"), _("Change my password") };

		prompt_menu(&w->prompt, WP_TRANSFER_MENU, _("Transfer, hold, reprint or hand over"), labels, 7);
		return VF_REDRAW;
	}
	case K_F9:
		if (w->win.paused) {
			if (wb_result(app, queue_resume(app->db, app->session.id)))
				app_message(app, TS_OK, _("The window is open again."));
		} else {
			const char *labels[5];

			for (int i = 0; i < 5; i++)
				labels[i] = _(wb_pause_reasons[i]);
			prompt_menu(&w->prompt, WP_PAUSE, _("Pause the window: why?"), labels, 5);
			return VF_REDRAW;
		}
		break;
	default:
		return VF_IGNORED;
	}
	wb_refresh(app, w, false);
	return VF_REDRAW;
}

/* Who books appointments (预约办, 电话办; the server decides again). */
static bool
wb_books_appointments(const struct app *app)
{
	return app_role_is(app, "clerk") || app_role_is(app, "guide") ||
	    app_role_is(app, "supervisor");
}

static int
wb_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct workbench *w = wb_data(v);
	int choice = 0;

	if (prompt_active(&w->prompt)) {
		int tag = w->prompt.tag;

		if (prompt_key(&w->prompt, k, &choice) == PR_DONE)
			wb_answer(app, w, tag, choice);
		return VF_REDRAW;
	}
	switch (k->code) {
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_F5:
		app_switch(app, AV_PICKER);
		return VF_HANDLED;
	case K_F7:
		app_switch(app, AV_CASES);
		return VF_HANDLED;
	case K_F10:
		if (w->win.current.id != 0) {
			app_message(app, TS_ERROR, _("Finish, transfer or hold the current ticket before "
			    "signing out."));
			return VF_HANDLED;
		}
		app_logout(app, "user", TS_OK, _("Signed out."));
		return VF_HANDLED;
	case K_ESC:
		app_message(app, TS_NORMAL, NULL);
		return VF_HANDLED;
	case K_CHAR:
		if (k->ch == 'p' || k->ch == 'P') {
			app_switch(app, AV_PASSWORD);
			return VF_HANDLED;
		}
		if ((k->ch == 'i' || k->ch == 'I') && !app_role_is(app, "admin")) {
			app->hooks->policy_open(app, NULL);
			return VF_HANDLED;
		}
		if ((k->ch == 'y' || k->ch == 'Y') && wb_books_appointments(app)) {
			app_switch(app, AV_APPOINT);
			return VF_HANDLED;
		}
		break;
	default:
		break;
	}
	if (app->db_lost && k->code >= K_F2 && k->code <= K_F9) {
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return VF_HANDLED;
	}
	if (wb_at_window(app))
		return wb_queue_key(app, w, k);
	if (k->code == K_F2 && wb_issues_green(app)) {
		wb_green_ask(w);
		return VF_REDRAW;
	}
	if (k->code == K_F4 && app_role_is(app, "supervisor")) {
		app->hooks->hall_open(app);
		return VF_HANDLED;
	}
	if (k->code == K_F2 && app_role_is(app, "admin")) {
		app_switch(app, AV_STAFF);
		return VF_HANDLED;
	}
	if (k->code == K_F4 && app_role_is(app, "admin")) {
		app_switch(app, AV_HOURS);
		return VF_HANDLED;
	}
	if (k->code == K_F6 && app_role_is(app, "admin")) {
		app_switch(app, AV_SETTINGS);
		return VF_HANDLED;
	}
	if (k->code == K_F8) {
		wb_lock(app);
		return VF_HANDLED;
	}
	if (k->code == K_F3 && app_role_is(app, "admin")) {
		app_switch(app, AV_OFFICES);
		return VF_HANDLED;
	}
	if (k->code == K_F3 && wb_books_appointments(app)) {
		app_switch(app, AV_APPOINT);
		return VF_HANDLED;
	}
	return VF_IGNORED;
}

static const struct bar_item wb_window_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Call") }, { K_F3, N_("Recall") }, { K_F4, N_("No-show") },
	{ K_F5, N_("Case types") }, { K_F6, N_("Done") }, { K_F7, N_("Cases") }, { K_F8, N_("Transfer") },
	{ K_F9, N_("Pause") }, { K_F10, N_("Sign out") },
};

static const struct bar_item wb_guide_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Green ticket") }, { K_F3, N_("Appointments") },
	{ K_F5, N_("Case types") }, { K_F7, N_("Cases") }, { K_F8, N_("Lock") }, { K_F10, N_("Sign out") },
};

static const struct bar_item wb_super_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Green ticket") }, { K_F3, N_("Appointments") },
	{ K_F4, N_("Hall") }, { K_F5, N_("Case types") }, { K_F7, N_("Cases") }, { K_F8, N_("Lock") },
	{ K_F10, N_("Sign out") },
};

/* The administrator's menu of keys: one line per key (wb_admin_menu says
 * what each opens). */
static const struct bar_item wb_admin_bar[] = {
	{ K_F1, N_("Help") },
	{ K_F2, N_("Staff") },
	{ K_F3, N_("Offices") },
	{ K_F4, N_("Hours") },
	{ K_F5, N_("Case types") },
	{ K_F6, N_("Settings") },
	{ K_F7, N_("Cases") },
	{ K_F8, N_("Lock") },
	{ K_F10, N_("Sign out") },
};

static const struct bar_item wb_plain_bar[] = {
	{ K_F1, N_("Help") }, { K_F5, N_("Case types") }, { K_F7, N_("Cases") }, { K_F8, N_("Lock") }, { K_F10, N_("Sign out") },
};

static const struct bar_item *
wb_bar(struct app *app, struct view *v, size_t *n)
{
	(void)v;
	if (app_role_is(app, "admin")) {
		*n = sizeof wb_admin_bar / sizeof wb_admin_bar[0];
		return wb_admin_bar;
	}
	if (wb_at_window(app)) {
		*n = sizeof wb_window_bar / sizeof wb_window_bar[0];
		return wb_window_bar;
	}
	if (app_role_is(app, "supervisor")) {
		*n = sizeof wb_super_bar / sizeof wb_super_bar[0];
		return wb_super_bar;
	}
	if (wb_issues_green(app)) {
		*n = sizeof wb_guide_bar / sizeof wb_guide_bar[0];
		return wb_guide_bar;
	}
	if (app_role_is(app, "admin")) {
		*n = sizeof wb_admin_bar / sizeof wb_admin_bar[0];
		return wb_admin_bar;
	}
	*n = sizeof wb_plain_bar / sizeof wb_plain_bar[0];
	return wb_plain_bar;
}

static void
wb_free(struct view *v)
{
	struct workbench *w = v->data;

	prompt_close(&w->prompt);
	free(w);
	v->data = NULL;
}

const struct view_ops workbench_view_ops = {
	.enter = wb_enter,
	.draw = wb_draw,
	.key = wb_key,
	.bar_fn = wb_bar,
	.free = wb_free,
	.notify = wb_notify,
};
