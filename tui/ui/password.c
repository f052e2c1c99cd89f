/*
 * The signed-in user changes their own password (any role): the current
 * password, the new one twice. The database checks the current one (a
 * wrong one counts towards the account lock) and the policy, and stores
 * only a hash (yc.password_change); the screen says which rule a refused
 * password broke. Esc goes back to the workbench unchanged.
 */
#include "ui/password.h"

#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "store/auth.h"
#include "ui/app.h"
#include "ui/field.h"
#include "util/xalloc.h"

enum { PF_CURRENT, PF_NEW, PF_REPEAT, PF_COUNT };

struct password {
	struct field f[PF_COUNT];
	int active;
	struct auth_policy policy;
	bool have_policy;
};

static const char *const password_labels[PF_COUNT] = {
	N_("Current password"), N_("New password"), N_("New password again")
};

int
password_draw_wrapped(int y, int x, int w, int max_rows, enum term_style st, const char *text)
{
	char *wrapped = text_wrap(text, w), *line = wrapped, *nl;
	int n = 0;

	while (n < max_rows && *line != '\0' && (nl = strchr(line, '\n')) != NULL) {
		*nl = '\0';
		term_print(y + n++, x, w, st, line);
		line = nl + 1;
	}
	free(wrapped);
	return n;
}

int
password_text_rows(const char *text, int w)
{
	char *wrapped = text_wrap(text, w);
	int n = 0;

	for (const char *c = wrapped; *c != '\0'; c++)
		n += *c == '\n';
	free(wrapped);
	return n;
}

static void
password_wipe(struct password *p)
{
	for (int i = 0; i < PF_COUNT; i++)
		field_init(&p->f[i], 64, true, false);
	p->active = PF_CURRENT;
}

static void
password_enter(struct app *app, struct view *v)
{
	struct password *p = v->data;

	if (p == NULL)
		p = v->data = xcalloc(1, sizeof *p);
	password_wipe(p);
	if (!p->have_policy)
		p->have_policy = auth_policy_read(app->db_lost ? NULL : app->db, &p->policy);
}

static void
password_draw(struct app *app, struct view *v, int top, int rows)
{
	struct password *p = v->data;
	int cols = term_cols(), bw = cols < 62 ? cols - 2 : 60, bx = (cols - bw) / 2;
	int y = top + (rows >= 18 ? 1 : 0), lw = 0, h;
	const char *title = _("Change my password");
	char *rules = auth_policy_text(&p->policy);

	for (int i = 0; i < PF_COUNT; i++)
		if (text_width(_(password_labels[i])) > lw)
			lw = text_width(_(password_labels[i]));
	/* borders, a blank row, the fields, a blank row, the rules, a blank row */
	h = 7 + password_text_rows(rules, bw - 6);
	if (h > rows - (y - top))
		h = rows - (y - top);
	term_box(y, bx, h, bw, TS_NORMAL);
	term_print(y, bx + (bw - text_width(title)) / 2, bw - 2, TS_TITLE, title);
	for (int i = 0; i < PF_COUNT; i++) {
		int fy = y + 2 + i, fx = bx + 3 + lw + 2, fw = bx + bw - 3 - fx, cx;

		term_print(fy, bx + 3, lw, TS_NORMAL, _(password_labels[i]));
		term_print(fy, bx + 3 + lw, 2, TS_NORMAL, "：");
		cx = field_draw(&p->f[i], fy, fx, fw, i == p->active);
		if (i == p->active) {
			app->cursor_y = fy;
			app->cursor_x = cx;
		}
	}
	password_draw_wrapped(y + 6, bx + 3, bw - 6, h - 7, TS_DIM, rules);
	free(rules);
}

/* The answer of the database to a change. */
static void
password_result(struct app *app, struct password *p, const struct auth_outcome *o)
{
	char *msg = auth_rule_message(o->result, &p->policy);

	if (msg != NULL) {
		/* a rule broken: the current password was right and stays */
		field_clear(&p->f[PF_NEW]);
		field_clear(&p->f[PF_REPEAT]);
		p->active = PF_NEW;
		app_message(app, TS_ERROR, msg);
		free(msg);
		return;
	}
	switch (o->result) {
	case AUTH_OK:
		password_wipe(p);
		app_switch(app, AV_WORKBENCH);
		app_message(app, TS_OK, _("Your password has been changed."));
		return;
	case AUTH_BAD_CREDENTIALS:
		if (o->failures_left > 0 && o->failures_left <= 3)
			msg = xasprintf(_("The current password is wrong. %d more failures will lock the "
			    "account."), o->failures_left);
		else
			msg = xstrdup(_("The current password is wrong."));
		password_wipe(p);	/* all three again, from the current one */
		app_message(app, TS_ERROR, msg);
		free(msg);
		return;
	case AUTH_LOCKED:
		app_logout(app, "locked", TS_ERROR, _("Too many failed attempts: the account is "
		    "locked and you have been signed out."));
		return;
	case AUTH_NO_SESSION:
		app_logout(app, "no_session", TS_ERROR, _("Your session has ended. Sign in again."));
		return;
	case AUTH_DB_LOST:
		app_db_lost(app);
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return;
	default:
		app_message(app, TS_ERROR, _("The database refused the request. Call the administrator."));
		return;
	}
}

static void
password_submit(struct app *app, struct password *p)
{
	struct auth_outcome o;

	if (p->f[PF_CURRENT].len == 0) {
		p->active = PF_CURRENT;
		app_message(app, TS_ERROR, _("Enter your current password."));
		return;
	}
	if (p->f[PF_NEW].len == 0) {
		p->active = PF_NEW;
		app_message(app, TS_ERROR, _("Enter the new password."));
		return;
	}
	if (strcmp(field_text(&p->f[PF_NEW]), field_text(&p->f[PF_REPEAT])) != 0) {
		field_clear(&p->f[PF_REPEAT]);
		p->active = PF_REPEAT;
		app_message(app, TS_ERROR, _("The two new passwords differ. Type the new password "
		    "again."));
		return;
	}
	if (!app_db_ensure(app)) {
		app_message(app, TS_ERROR, _("Cannot connect to the database. Retrying; "
		    "if this persists, call the administrator."));
		return;
	}
	auth_password_change(app->db, &app->session, field_text(&p->f[PF_CURRENT]),
	    field_text(&p->f[PF_NEW]), &o);
	password_result(app, p, &o);
}

static int
password_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct password *p = v->data;

	switch (k->code) {
	case K_ESC:
		password_wipe(p);
		app_message(app, TS_NORMAL, _("The password was not changed."));
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_ENTER:
		if (p->active < PF_REPEAT && p->f[p->active].len > 0)
			p->active++;
		else
			password_submit(app, p);
		return VF_REDRAW;
	case K_TAB:
	case K_DOWN:
		p->active = (p->active + 1) % PF_COUNT;
		return VF_REDRAW;
	case K_BTAB:
	case K_UP:
		p->active = (p->active + PF_COUNT - 1) % PF_COUNT;
		return VF_REDRAW;
	default:
		return field_key(&p->f[p->active], k) ? VF_REDRAW : VF_IGNORED;
	}
}

static void
password_free(struct view *v)
{
	struct password *p = v->data;

	explicit_bzero(p, sizeof *p);
	free(p);
	v->data = NULL;
}

static const struct bar_item password_bar_items[] = {
	{ K_F1, N_("Help") },
	{ K_ENTER, N_("Change") },
	{ K_TAB, N_("Next field") },
	{ K_ESC, N_("Back") },
};

const struct view_ops password_view_ops = {
	.enter = password_enter,
	.draw = password_draw,
	.key = password_key,
	.bar = password_bar_items,
	.nbar = sizeof password_bar_items / sizeof password_bar_items[0],
	.free = password_free,
};
