/*
 * The system settings screen of administrators; see sysconf.h. One row
 * per known setting: what it does, the value, the default, the range; the
 * chosen row's key and whether this administrator may change it under the
 * table. Read when the screen opens and after each change.
 */
#include "admin/sysconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "store/settings.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

#define SC_MAX 48

struct sysconf {
	struct settings_row rows[SC_MAX];
	int n, sel;
	bool loaded;
	struct prompt prompt;
};

static struct sysconf *
sc_data(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct sysconf));
	return v->data;
}

static void
sc_load(struct app *app, struct sysconf *s)
{
	enum settings_result r;
	int n;

	if (app->db_lost || app->db == NULL)
		return;
	n = settings_list(app->db, app->session.id, s->rows, SC_MAX, &r);
	if (n < 0) {
		struct settings_change c = { .key = "" };
		char *msg = settings_message(r, &c);

		if (r == SET_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, msg);
		free(msg);
		return;
	}
	s->n = n;
	if (s->sel >= n)
		s->sel = n > 0 ? n - 1 : 0;
	s->loaded = true;
	app_dirty(app, AD_BODY);
}

static void
sc_enter(struct app *app, struct view *v)
{
	sc_load(app, sc_data(v));
}

static void
sc_draw(struct app *app, struct view *v, int top, int rows)
{
	struct sysconf *s = sc_data(v);
	int cols = term_cols(), y = top, bottom = top + rows - 2, vw = 10, dw = 10, rw = 17, dx;
	char *t;

	term_print(y++, 1, cols - 2, TS_TITLE, _("System settings (for every office)"));
	y++;
	dx = cols - 2 - vw - dw - rw;
	if (dx < 10)
		dx = 10;
	if (s->loaded && y < bottom) {
		const char *hd[] = { _("What it does"), _("Value"), _("Default"), _("Range") };
		int x = 2;

		for (int i = 0; i < 4; i++) {
			int w = i == 0 ? dx - 1 : i == 1 ? vw : i == 2 ? dw : rw;

			t = text_pad(hd[i], w, i == 0 || i == 3 ? TEXT_LEFT : TEXT_RIGHT);
			term_print(y, x, cols - 1 - x, TS_TITLE, t);
			free(t);
			x += w + (i == 0 ? 1 : 0) + (i == 2 ? 1 : 0);
		}
		y++;
	}
	for (int i = 0; s->loaded && i < s->n && y < bottom; i++, y++) {
		const struct settings_row *r = &s->rows[i];
		enum term_style st = i == s->sel ? TS_FIELD_ACTIVE : TS_NORMAL;
		char *range = settings_range(r->type, r->min, r->max, r->choices);
		char *c0 = text_ellipsize(r->description, dx - 1), *c0p = text_pad(c0, dx - 1, TEXT_LEFT);
		char *c1 = text_pad(r->value, vw, TEXT_RIGHT), *c2 = text_pad(r->def, dw, TEXT_RIGHT);
		char *c3 = text_pad(range, rw, TEXT_LEFT);

		t = xasprintf("%s %s%s %s", c0p, c1, c2, c3);
		term_fill(y, 1, cols - 2, st);
		term_print(y, 1, 1, st, i == s->sel ? ">" : " ");
		term_print(y, 2, cols - 3, st, t);
		free(t);
		free(c0);
		free(c0p);
		free(c1);
		free(c2);
		free(c3);
		free(range);
	}
	if (s->loaded && s->n > 0 && top + rows - 1 > y) {
		const struct settings_row *r = &s->rows[s->sel];
		char *line = xasprintf(r->may_change ? _("%s · Enter changes it") :
		    _("%s · only an administrator of a county-level office or above may change it"), r->key);

		t = text_ellipsize(line, cols - 4);
		term_print(top + rows - 1, 2, cols - 4, TS_DIM, t);
		free(t);
		free(line);
	}
	if (prompt_active(&s->prompt))
		prompt_draw(&s->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

static int
sc_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct sysconf *s = sc_data(v);
	int choice = 0;

	if (prompt_active(&s->prompt)) {
		if (prompt_key(&s->prompt, k, &choice) == PR_DONE) {
			struct settings_change c;
			char value[64];
			enum settings_result r;
			char *msg;

			snprintf(value, sizeof value, "%s", field_text(&s->prompt.field));
			field_clear(&s->prompt.field);
			r = settings_set(app->db, app->session.id, s->rows[s->sel].key, value, &c);
			if (r == SET_DB_LOST)
				app_db_lost(app);
			msg = settings_message(r, &c);
			app_message(app, r == SET_OK ? TS_OK : r == SET_UNCHANGED ? TS_NORMAL : TS_ERROR, msg);
			free(msg);
			sc_load(app, s);
		}
		return VF_REDRAW;
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
		if (s->sel > 0)
			s->sel--;
		return VF_REDRAW;
	case K_DOWN:
		if (s->sel + 1 < s->n)
			s->sel++;
		return VF_REDRAW;
	case K_ENTER: {
		const struct settings_row *r;
		char *range, *title;

		if (!s->loaded || s->n == 0)
			return VF_IGNORED;
		if (app->db_lost) {
			app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
			return VF_HANDLED;
		}
		r = &s->rows[s->sel];
		range = settings_range(r->type, r->min, r->max, r->choices);
		title = xasprintf(_("%s (%s; default %s):"), r->description, range, r->def);
		prompt_field(&s->prompt, 1, title, 10, false);
		field_set(&s->prompt.field, r->value);
		free(title);
		free(range);
		return VF_REDRAW;
	}
	default:
		break;
	}
	return VF_IGNORED;
}

static void
sc_free(struct view *v)
{
	struct sysconf *s = v->data;

	prompt_close(&s->prompt);
	free(s);
	v->data = NULL;
}

static const struct bar_item sc_bar[] = {
	{ K_F1, N_("Help") }, { K_ENTER, N_("Change") }, { K_ESC, N_("Back") },
};

const struct view_ops sysconf_view_ops = {
	.enter = sc_enter,
	.draw = sc_draw,
	.key = sc_key,
	.bar = sc_bar,
	.nbar = sizeof sc_bar / sizeof sc_bar[0],
	.free = sc_free,
};
