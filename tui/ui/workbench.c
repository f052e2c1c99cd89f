/*
 * The workbench: the clerk's home after sign-in. For now the work area
 * greets the clerk and says where they are; later issues add the queue,
 * intake and case panels here.
 */
#include <stdlib.h>

#include "model/i18n.h"
#include "model/text.h"
#include "ui/app.h"
#include "util/xalloc.h"

static void
workbench_draw(struct app *app, struct view *v, int top, int rows)
{
	const struct auth_session *s = &app->session;
	int cols = term_cols(), y = top + 1;
	char *line;

	(void)v;
	if (rows < 3)
		return;
	line = xasprintf(_("Welcome, %s."), s->staff_name);
	term_print(y, 2, cols - 4, TS_TITLE, line);
	free(line);
	y += 2;
	if (y < top + rows) {
		line = s->window_no > 0 ?
		    xasprintf(_("Window %d · %s · staff no. %s"), s->window_no, s->office_name, s->staff_no) :
		    xasprintf(_("%s · staff no. %s"), s->office_name, s->staff_no);
		char *shown = text_ellipsize(line, cols - 4);

		term_print(y, 2, cols - 4, TS_NORMAL, shown);
		free(shown);
		free(line);
	}
	y += 2;
	if (y < top + rows) {
		char *shown = text_ellipsize(_("F1 help · F5 case types and guides · F8 lock the screen · "
		    "F10 sign out. Esc then a digit works like the F-key."), cols - 4);

		term_print(y, 2, cols - 4, TS_DIM, shown);
		free(shown);
	}
}

static int
workbench_key(struct app *app, struct view *v, const struct term_key *k)
{
	(void)v;
	switch (k->code) {
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_F5:
		app_switch(app, AV_PICKER);
		return VF_HANDLED;
	case K_F8:
		if (!app->db_lost && auth_lock(app->db, &app->session) == DB_LOST)
			app_db_lost(app);
		app_switch(app, AV_LOCK);
		return VF_HANDLED;
	case K_F10:
		app_logout(app, "user", TS_OK, _("Signed out."));
		return VF_HANDLED;
	case K_ESC:
		app_message(app, TS_NORMAL, NULL);
		return VF_HANDLED;
	default:
		return VF_IGNORED;
	}
}

static const struct bar_item workbench_bar_items[] = {
	{ K_F1, N_("Help") },
	{ K_F5, N_("Case types") },
	{ K_F8, N_("Lock") },
	{ K_F10, N_("Sign out") },
};

const struct view_ops workbench_view_ops = {
	.draw = workbench_draw,
	.key = workbench_key,
	.bar = workbench_bar_items,
	.nbar = sizeof workbench_bar_items / sizeof workbench_bar_items[0],
};
