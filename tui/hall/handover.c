/*
 * The end-of-shift handover note (交接班) of a window; see hall.h. The
 * sign-out of a clerk at a window passes through this small view: one
 * input field over the work area. The note is stored by
 * yc.handover_write (audited) and shown to the next clerk who signs in at
 * the same window (handover_for_login).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall/hall.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/hall.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

#define HANDOVER_CHARS 160

struct handover {
	struct prompt prompt;
};

static struct handover *
handover_data(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct handover));
	return v->data;
}

static void
handover_enter(struct app *app, struct view *v)
{
	struct handover *h = handover_data(v);

	(void)app;
	prompt_field(&h->prompt, 1, _("Handover note for the next clerk at this window (Enter signs "
	    "out; empty: no note; Esc stays):"), HANDOVER_CHARS, false);
}

void
handover_prompt(struct app *app)
{
	if (app->session.window_no <= 0) {
		app_logout(app, "user", TS_OK, _("Signed out."));
		return;
	}
	app_switch(app, AV_HANDOVER);
}

static void
handover_draw(struct app *app, struct view *v, int top, int rows)
{
	struct handover *h = handover_data(v);
	char *line = xasprintf(_("Signing out at window %d."), app->session.window_no);

	term_print(top + 1, 2, term_cols() - 4, TS_TITLE, line);
	free(line);
	if (prompt_active(&h->prompt))
		prompt_draw(&h->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

static int
handover_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct handover *h = handover_data(v);
	int choice = 0;
	enum hall_result r;
	char note[FIELD_BYTES];

	switch (prompt_key(&h->prompt, k, &choice)) {
	case PR_PENDING:
		return VF_REDRAW;
	case PR_CANCEL:
		app_message(app, TS_NORMAL, NULL);
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	case PR_DONE:
		break;
	}
	snprintf(note, sizeof note, "%s", field_text(&h->prompt.field));
	field_clear(&h->prompt.field);
	if (note[0] == '\0') {
		app_logout(app, "user", TS_OK, _("Signed out."));
		return VF_HANDLED;
	}
	r = app->db_lost ? HALL_DB_LOST : hall_handover_write(app->db, app->session.id, note);
	if (r == HALL_OK) {
		app_logout(app, "user", TS_OK, _("Signed out. The handover note was saved for the next "
		    "clerk."));
		return VF_HANDLED;
	}
	if (r == HALL_DB_LOST)
		app_db_lost(app);
	/* Keep what was typed; the clerk may try again or clear it. */
	handover_enter(app, v);
	field_set(&h->prompt.field, note);
	app_message(app, TS_ERROR, r == HALL_BAD_INPUT ? hall_result_message(r) :
	    _("The note could not be saved. Enter tries again; clear it to sign out without a note."));
	return VF_REDRAW;
}

static void
handover_free(struct view *v)
{
	struct handover *h = v->data;

	prompt_close(&h->prompt);
	free(h);
	v->data = NULL;
}

static const struct bar_item handover_bar[] = {
	{ K_ENTER, N_("Sign out") }, { K_ESC, N_("Back") },
};

const struct view_ops handover_view_ops = {
	.enter = handover_enter,
	.draw = handover_draw,
	.key = handover_key,
	.bar = handover_bar,
	.nbar = sizeof handover_bar / sizeof handover_bar[0],
	.free = handover_free,
};

char *
handover_for_login(struct app *app)
{
	struct hall_handover *ho;
	char when[32] = "", *line = NULL;
	struct tm tm;

	if (app->db == NULL || app->db_lost || app->session.id == 0 || app->session.window_no <= 0)
		return NULL;
	ho = xcalloc(1, sizeof *ho);
	if (hall_handover_latest(app->db, app->session.id, ho) == HALL_OK) {
		for (char *p = ho->note; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		if (ho->written_at > 0) {
			cal_tm_cn(ho->written_at, &tm);
			strftime(when, sizeof when, "%m-%d %H:%M", &tm);
		}
		line = xasprintf(_("Handover from %s (%s), %s: %s"), ho->staff_name, ho->staff_no, when,
		    ho->note);
	}
	free(ho);
	return line;
}
