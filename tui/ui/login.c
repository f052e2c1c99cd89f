/*
 * The login screen: staff number, password (not echoed), window number;
 * the demo accounts when the database holds demo data. When the password
 * is right but temporary (an administrator added the account or reset
 * it) or expired, the database opens no session: the same screen asks for
 * a new password twice, with the policy's rules, and signs in with it
 * (yc.login_change_password); a refused one is named by the rule it broke.
 */
#include <stdlib.h>
#include <string.h>

#include "model/calendar.h"
#include "model/i18n.h"
#include "model/text.h"
#include "ui/app.h"
#include "ui/field.h"
#include "ui/printout.h"
#include "ui/password.h"
#include "util/xalloc.h"

enum { LF_STAFF, LF_PASSWORD, LF_WINDOW, LF_COUNT };
enum { LN_NEW, LN_REPEAT, LN_COUNT };

struct login {
	struct field f[LF_COUNT];
	int active;
	struct auth_demo *demo;
	size_t ndemo;
	bool demo_loaded;
	/* Choosing a new password before the session opens: why
	 * (AUTH_PASSWORD_RESET or AUTH_PASSWORD_EXPIRED; AUTH_OK when not),
	 * the sign-in it completes (the current password is kept until then
	 * and wiped after), the two new fields. */
	enum auth_result changing;
	char old_password[FIELD_BYTES], staff_name[64];
	int window;
	struct field nf[LN_COUNT];
	int nactive;
	struct auth_policy policy;
};

static const char *const login_labels[LF_COUNT] = {
	N_("Staff no."), N_("Password"), N_("Window no.")
};

static const char *const login_new_labels[LN_COUNT] = {
	N_("New password"), N_("New password again")
};

/* Back to the plain sign-in: the kept password and the new ones wiped. */
static void
login_change_end(struct login *l)
{
	l->changing = AUTH_OK;
	explicit_bzero(l->old_password, sizeof l->old_password);
	for (int i = 0; i < LN_COUNT; i++)
		field_init(&l->nf[i], 64, true, false);
	l->nactive = LN_NEW;
}

static void
login_enter(struct app *app, struct view *v)
{
	struct login *l = v->data;

	if (l == NULL) {
		l = v->data = xcalloc(1, sizeof *l);
		field_init(&l->f[LF_STAFF], 32, false, false);
		field_init(&l->f[LF_WINDOW], 3, false, true);
	}
	/* A new login never starts with someone else's password. */
	field_init(&l->f[LF_PASSWORD], 64, true, false);
	login_change_end(l);
	l->active = l->f[LF_STAFF].len > 0 ? LF_PASSWORD : LF_STAFF;
	if (!l->demo_loaded && app->db != NULL && !app->db_lost) {
		l->ndemo = auth_demo_accounts(app->db, &l->demo);
		l->demo_loaded = true;
	}
}

/* The box asking for the new password. */
static void
login_draw_change(struct app *app, struct login *l, int top, int rows)
{
	int cols = term_cols(), bw = cols < 62 ? cols - 2 : 60, bx = (cols - bw) / 2;
	int y = top + (rows >= 18 ? 1 : 0), lw = 0, used, h;
	const char *title = _("Choose a new password");
	char *why = l->changing == AUTH_PASSWORD_RESET ?
	    xasprintf(_("%s: your password is a temporary one. Choose your own before you start."),
	    l->staff_name) :
	    xasprintf(_("%s: your password is older than %d days. Choose a new one before you "
	    "start."), l->staff_name, l->policy.max_age_days);
	char *rules = auth_policy_text(&l->policy);

	for (int i = 0; i < LN_COUNT; i++)
		if (text_width(_(login_new_labels[i])) > lw)
			lw = text_width(_(login_new_labels[i]));
	/* borders, a blank row, why, a blank row, the fields, a blank row, the rules, a blank row */
	h = 6 + LN_COUNT + password_text_rows(why, bw - 6) + password_text_rows(rules, bw - 6);
	if (h > rows - (y - top))
		h = rows - (y - top);
	term_box(y, bx, h, bw, TS_NORMAL);
	term_print(y, bx + (bw - text_width(title)) / 2, bw - 2, TS_TITLE, title);
	used = password_draw_wrapped(y + 2, bx + 3, bw - 6, 2, TS_NORMAL, why);
	for (int i = 0; i < LN_COUNT; i++) {
		int fy = y + 3 + used + i, fx = bx + 3 + lw + 2, fw = bx + bw - 3 - fx, cx;

		term_print(fy, bx + 3, lw, TS_NORMAL, _(login_new_labels[i]));
		term_print(fy, bx + 3 + lw, 2, TS_NORMAL, "：");
		cx = field_draw(&l->nf[i], fy, fx, fw, i == l->nactive);
		if (i == l->nactive) {
			app->cursor_y = fy;
			app->cursor_x = cx;
		}
	}
	password_draw_wrapped(y + 4 + used + LN_COUNT, bx + 3, bw - 6, h - 5 - used - LN_COUNT,
	    TS_DIM, rules);
	free(rules);
	free(why);
}

static void
login_draw(struct app *app, struct view *v, int top, int rows)
{
	struct login *l = v->data;
	int cols = term_cols(), bw = cols < 46 ? cols - 2 : 44, bx = (cols - bw) / 2;
	int y = top + (rows >= 18 ? 1 : 0), lw = 0;
	const char *title = _("Staff sign-in");

	if (l->changing != AUTH_OK) {
		login_draw_change(app, l, top, rows);
		return;
	}
	term_box(y, bx, 7, bw, TS_NORMAL);
	term_print(y, bx + (bw - text_width(title)) / 2, bw - 2, TS_TITLE, title);
	for (int i = 0; i < LF_COUNT; i++)
		if (text_width(_(login_labels[i])) > lw)
			lw = text_width(_(login_labels[i]));
	for (int i = 0; i < LF_COUNT; i++) {
		int fy = y + 2 + i, fx = bx + 3 + lw + 2, fw = bx + bw - 3 - fx;
		int cx;

		term_print(fy, bx + 3, lw, TS_NORMAL, _(login_labels[i]));
		term_print(fy, bx + 3 + lw, 2, TS_NORMAL, "：");
		if (i == LF_WINDOW && fw > 6)
			fw = 6;
		cx = field_draw(&l->f[i], fy, fx, fw, i == l->active);
		if (i == l->active) {
			app->cursor_y = fy;
			app->cursor_x = cx;
		}
	}
	y += 8;
	if (l->ndemo > 0 && y + 2 < top + rows) {
		char *head = xasprintf(_("Demo accounts (password %s):"), "Demo-1234");

		term_print(y++, bx, cols - bx, TS_DIM, head);
		free(head);
		for (size_t i = 0; i < l->ndemo && y < top + rows; i++, y++) {
			char *name = text_pad(l->demo[i].name, 10, -1);
			char *role = text_pad(app_role_name(l->demo[i].role), 10, -1);
			char *line = xasprintf("%-9s %s %s %s", l->demo[i].staff_no, name, role,
			    l->demo[i].office);
			char *shown = text_ellipsize(line, cols - bx - 3);

			free(name);
			free(role);

			term_print(y, bx + 2, cols - bx - 2, TS_DIM, shown);
			free(shown);
			free(line);
		}
	}
}

static void
login_fail(struct app *app, struct login *l, int field, const char *msg)
{
	l->active = field;
	app_message(app, TS_ERROR, msg);
}

/* Acts on the answer to a sign-in or to the sign-in with a new password
 * (window: the number typed). */
static void
login_result(struct app *app, struct login *l, const struct auth_outcome *o, int window)
{
	char *msg = auth_rule_message(o->result, &l->policy);

	if (msg != NULL) {
		/* the new password broke a rule: another one, twice */
		field_clear(&l->nf[LN_NEW]);
		field_clear(&l->nf[LN_REPEAT]);
		l->nactive = LN_NEW;
		app_message(app, TS_ERROR, msg);
		free(msg);
		return;
	}
	switch (o->result) {
	case AUTH_OK:
		if (!l->demo_loaded) {
			l->ndemo = auth_demo_accounts(app->db, &l->demo);
			l->demo_loaded = true;
		}
		app->idle_lock_seconds = app->idle_override >= 0 ? app->idle_override :
		    auth_setting_int(app->db, "idle_lock_minutes", 10) * 60;
		app_message(app, TS_NORMAL, NULL);
		printout_window_load(app);	/* may say where this window prints */
		if (l->changing != AUTH_OK)
			app_message(app, TS_OK, _("Your new password is set."));
		login_change_end(l);
		app_switch(app, AV_WORKBENCH);
		return;
	case AUTH_PASSWORD_RESET:
	case AUTH_PASSWORD_EXPIRED:
		/* the password was right: kept for the sign-in with the new one */
		if (l->changing == AUTH_OK) {
			db_copy(l->old_password, sizeof l->old_password, field_text(&l->f[LF_PASSWORD]));
			db_copy(l->staff_name, sizeof l->staff_name, field_text(&l->f[LF_STAFF]));
			l->window = window;
			auth_policy_read(app->db, &l->policy);
		}
		l->changing = o->result;
		l->nactive = LN_NEW;
		app_dirty(app, AD_ALL);	/* another box, another bar */
		app_message(app, TS_WARN, o->result == AUTH_PASSWORD_RESET ?
		    _("Choose your own password and type it twice.") :
		    _("Your password has expired: type a new one twice."));
		return;
	default:
		break;
	}
	/* anything else ends the change: back to the sign-in fields */
	login_change_end(l);
	app_dirty(app, AD_ALL);
	switch (o->result) {
	case AUTH_BAD_CREDENTIALS:
		if (o->failures_left > 0 && o->failures_left <= 3)
			msg = xasprintf(_("Wrong staff number or password. %d more failures will lock "
			    "the account."), o->failures_left);
		else
			msg = xstrdup(_("Wrong staff number or password."));
		login_fail(app, l, LF_PASSWORD, msg);
		break;
	case AUTH_LOCKED: {
		struct tm tm;
		char hm[8] = "";

		cal_tm_cn(o->locked_until, &tm);
		strftime(hm, sizeof hm, "%H:%M", &tm);
		msg = xasprintf(_("Too many failed sign-ins: the account is locked until %s. "
		    "Ask the shift supervisor if you need it sooner."), hm);
		login_fail(app, l, LF_PASSWORD, msg);
		break;
	}
	case AUTH_DISABLED:
		login_fail(app, l, LF_STAFF, _("This account is disabled. Ask the administrator."));
		break;
	case AUTH_WINDOW_REQUIRED:
		login_fail(app, l, LF_WINDOW, _("Counter clerks must enter their window number."));
		break;
	case AUTH_UNKNOWN_WINDOW:
		msg = xasprintf(_("Window %d does not exist in your office."), window);
		login_fail(app, l, LF_WINDOW, msg);
		break;
	case AUTH_DB_LOST:
		app_db_lost(app);
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		break;
	default:
		app_message(app, TS_ERROR, _("The database refused the request. Call the administrator."));
		break;
	}
	free(msg);
}

static bool
login_connected(struct app *app)
{
	if (app_db_ensure(app))
		return true;
	app_message(app, TS_ERROR, app->db == NULL ? _("No database is configured.") :
	    _("Cannot connect to the database. Retrying; if this persists, call the administrator."));
	return false;
}

static void
login_submit(struct app *app, struct login *l)
{
	struct auth_outcome o;
	int window = atoi(field_text(&l->f[LF_WINDOW]));

	if (l->f[LF_STAFF].len == 0) {
		login_fail(app, l, LF_STAFF, _("Enter your staff number."));
		return;
	}
	if (l->f[LF_PASSWORD].len == 0) {
		login_fail(app, l, LF_PASSWORD, _("Enter your password."));
		return;
	}
	if (l->f[LF_WINDOW].len > 0 && (window < 1 || window > 999)) {
		login_fail(app, l, LF_WINDOW, _("The window number must be between 1 and 999."));
		return;
	}
	if (!login_connected(app))
		return;
	auth_login(app->db, field_text(&l->f[LF_STAFF]), field_text(&l->f[LF_PASSWORD]), window,
	    &app->session, &o);
	login_result(app, l, &o, window);
	field_clear(&l->f[LF_PASSWORD]);
}

/* The new password, twice: the sign-in completed with it. */
static void
login_submit_change(struct app *app, struct login *l)
{
	struct auth_outcome o;

	if (l->nf[LN_NEW].len == 0) {
		l->nactive = LN_NEW;
		app_message(app, TS_ERROR, _("Enter the new password."));
		return;
	}
	if (strcmp(field_text(&l->nf[LN_NEW]), field_text(&l->nf[LN_REPEAT])) != 0) {
		field_clear(&l->nf[LN_REPEAT]);
		l->nactive = LN_REPEAT;
		app_message(app, TS_ERROR, _("The two new passwords differ. Type the new password "
		    "again."));
		return;
	}
	if (!login_connected(app))
		return;
	auth_login_change(app->db, field_text(&l->f[LF_STAFF]), l->old_password,
	    field_text(&l->nf[LN_NEW]), l->window, &app->session, &o);
	login_result(app, l, &o, l->window);
}

/* Keys while the new password is asked for: Esc (or F10) gives up and
 * goes back to the sign-in. */
static int
login_key_change(struct app *app, struct login *l, const struct term_key *k)
{
	switch (k->code) {
	case K_ESC:
	case K_F10:
		login_change_end(l);
		l->active = LF_PASSWORD;
		app_dirty(app, AD_ALL);
		app_message(app, TS_NORMAL, _("Not signed in: the password was not changed."));
		return VF_REDRAW;
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_ENTER:
		if (l->nactive == LN_NEW && l->nf[LN_NEW].len > 0 && l->nf[LN_REPEAT].len == 0)
			l->nactive = LN_REPEAT;
		else
			login_submit_change(app, l);
		return VF_REDRAW;
	case K_TAB:
	case K_DOWN:
	case K_BTAB:
	case K_UP:
		l->nactive = (l->nactive + 1) % LN_COUNT;
		return VF_REDRAW;
	default:
		return field_key(&l->nf[l->nactive], k) ? VF_REDRAW : VF_IGNORED;
	}
}

static int
login_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct login *l = v->data;

	if (l->changing != AUTH_OK)
		return login_key_change(app, l, k);
	switch (k->code) {
	case K_F10:
		app->quit = true;
		return VF_HANDLED;
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_ENTER:
		if (l->active == LF_STAFF && l->f[LF_STAFF].len > 0 && l->f[LF_PASSWORD].len == 0)
			l->active = LF_PASSWORD;
		else if (l->active == LF_PASSWORD && l->f[LF_WINDOW].len == 0)
			l->active = LF_WINDOW;
		else
			login_submit(app, l);
		return VF_REDRAW;
	case K_TAB:
	case K_DOWN:
		l->active = (l->active + 1) % LF_COUNT;
		return VF_REDRAW;
	case K_BTAB:
	case K_UP:
		l->active = (l->active + LF_COUNT - 1) % LF_COUNT;
		return VF_REDRAW;
	case K_ESC:
		app_message(app, TS_NORMAL, NULL);
		return VF_HANDLED;
	default:
		return field_key(&l->f[l->active], k) ? VF_REDRAW : VF_IGNORED;
	}
}

static void
login_free(struct view *v)
{
	struct login *l = v->data;

	auth_demo_free(&l->demo, l->ndemo);
	explicit_bzero(l, sizeof *l);
	free(l);
	v->data = NULL;
}

static const struct bar_item login_bar_items[] = {
	{ K_F1, N_("Help") },
	{ K_ENTER, N_("Sign in") },
	{ K_TAB, N_("Next field") },
	{ K_F10, N_("Quit") },
};

static const struct bar_item login_change_bar_items[] = {
	{ K_F1, N_("Help") },
	{ K_ENTER, N_("Sign in") },
	{ K_TAB, N_("Next field") },
	{ K_ESC, N_("Back") },
};

static const struct bar_item *
login_bar(struct app *app, struct view *v, size_t *n)
{
	const struct login *l = v->data;

	(void)app;
	if (l != NULL && l->changing != AUTH_OK) {
		*n = sizeof login_change_bar_items / sizeof login_change_bar_items[0];
		return login_change_bar_items;
	}
	*n = sizeof login_bar_items / sizeof login_bar_items[0];
	return login_bar_items;
}

const struct view_ops login_view_ops = {
	.enter = login_enter,
	.draw = login_draw,
	.key = login_key,
	.bar_fn = login_bar,
	.free = login_free,
};
