/*
 * The screen lock: after the idle time (or F8) the work area is hidden and
 * only the signed-in clerk's password opens it again. Failures count
 * towards the account lock like sign-in failures.
 */
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "ui/app.h"
#include "ui/field.h"
#include "util/xalloc.h"

static void
lock_enter(struct app *app, struct view *v)
{
	(void)app;
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct field));
	field_init(v->data, 64, true, false);
}

static void
lock_draw(struct app *app, struct view *v, int top, int rows)
{
	int cols = term_cols(), bw = cols < 46 ? cols - 2 : 44, bx = (cols - bw) / 2;
	int y = top + (rows > 10 ? 2 : 0), cx;
	const char *title = _("Screen locked");
	char *who = xasprintf(_("%s (%s): enter your password"), app->session.staff_name,
	    app->session.staff_no);
	char *shown = text_ellipsize(who, bw - 4);

	term_box(y, bx, 6, bw, TS_NORMAL);
	term_print(y, bx + (bw - text_width(title)) / 2, bw - 2, TS_TITLE, title);
	term_print(y + 2, bx + 2, bw - 4, TS_NORMAL, shown);
	cx = field_draw(v->data, y + 3, bx + 2, bw - 4, true);
	app->cursor_y = y + 3;
	app->cursor_x = cx;
	free(shown);
	free(who);
}

static void
lock_submit(struct app *app, struct field *f)
{
	struct auth_outcome o;
	char *msg = NULL;

	if (f->len == 0) {
		app_message(app, TS_ERROR, _("Enter your password."));
		return;
	}
	if (!app_db_ensure(app)) {
		app_message(app, TS_ERROR, _("Cannot connect to the database. Retrying; "
		    "if this persists, call the administrator."));
		return;
	}
	auth_unlock(app->db, &app->session, field_text(f), &o);
	field_clear(f);
	switch (o.result) {
	case AUTH_OK:
		app_message(app, TS_NORMAL, NULL);
		app_switch(app, AV_WORKBENCH);
		break;
	case AUTH_LOCKED:
		auth_session_clear(&app->session);
		app_logout(app, "locked", TS_ERROR, _("Too many failed attempts: the account is "
		    "locked and you have been signed out."));
		break;
	case AUTH_DB_LOST:
		app_db_lost(app);
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		break;
	default:
		if (o.failures_left > 0 && o.failures_left <= 3)
			msg = xasprintf(_("Wrong password. %d more failures will lock the account."),
			    o.failures_left);
		else
			msg = xstrdup(_("Wrong password."));
		app_message(app, TS_ERROR, msg);
		free(msg);
		break;
	}
}

static int
lock_key(struct app *app, struct view *v, const struct term_key *k)
{
	switch (k->code) {
	case K_ENTER:
		lock_submit(app, v->data);
		return VF_REDRAW;
	case K_F10:
		app_logout(app, "user", TS_OK, _("Signed out."));
		return VF_HANDLED;
	default:
		return field_key(v->data, k) ? VF_REDRAW : VF_IGNORED;
	}
}

static void
lock_free(struct view *v)
{
	field_clear(v->data);
	free(v->data);
	v->data = NULL;
}

static const struct bar_item lock_bar_items[] = {
	{ K_ENTER, N_("Unlock") },
	{ K_F10, N_("Sign out") },
};

const struct view_ops lock_view_ops = {
	.enter = lock_enter,
	.draw = lock_draw,
	.key = lock_key,
	.bar = lock_bar_items,
	.nbar = sizeof lock_bar_items / sizeof lock_bar_items[0],
	.free = lock_free,
};
