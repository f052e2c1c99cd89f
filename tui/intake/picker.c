/*
 * Choosing a case type: a list of the latest catalogue, limited to what the
 * clerk's office tier may accept, filtered as the clerk types (code prefix,
 * pinyin initials, or part of the Chinese name), with the time limit beside
 * each. Enter opens the 办事指南, F2 the intake; Esc goes back.
 */
#include "intake/picker.h"

#include <stdlib.h>
#include <string.h>

#include "intake/counter.h"
#include "intake/guide.h"
#include "model/catalogue.h"
#include "model/i18n.h"
#include "model/search.h"
#include "model/text.h"
#include "store/catstore.h"
#include "ui/app.h"
#include "ui/field.h"
#include "util/xalloc.h"

struct picker {
	struct cat_summary *all;
	int nall;
	int *shown;		/* indices into all matching the query */
	int nshown;
	int sel, top;
	int page;		/* list rows at the last draw */
	struct field query;
	bool loaded;
};

/* The level of the session's office as a mask ("county" → CAT_COUNTY);
 * 0 (the whole catalogue: the database still refuses what the office may
 * not accept) when the session has none or a word the catalogue does not
 * know. */
static unsigned
picker_tier(const struct app *app)
{
	const char *t = app->session.office_tier;

	if (t == NULL)
		return 0;
	return cat_tiers_parse(t);
}

static void
picker_filter(struct picker *p)
{
	p->nshown = 0;
	for (int i = 0; i < p->nall; i++)
		if (search_match(&p->all[i], field_text(&p->query)))
			p->shown[p->nshown++] = i;
	if (p->sel >= p->nshown)
		p->sel = p->nshown > 0 ? p->nshown - 1 : 0;
	if (p->sel < p->top || p->top >= p->nshown)
		p->top = p->sel;
}

static void
picker_load(struct app *app, struct picker *p)
{
	enum db_status st;

	catstore_list_free(&p->all, p->nall);
	free(p->shown);
	p->shown = NULL;
	p->nall = 0;
	if (!app_db_ensure(app)) {
		app_message(app, TS_ERROR, _("Cannot connect to the database. Retrying; "
		    "if this persists, call the administrator."));
		return;
	}
	p->nall = catstore_list(app->db, picker_tier(app), &p->all, &st);
	if (p->nall < 0) {
		p->nall = 0;
		if (st == DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, _("The case types could not be read. Call the administrator."));
		return;
	}
	if (p->nall == 0)
		app_message(app, TS_ERROR, _("No catalogue is loaded. Ask the administrator to run "
		    "`yichuang forms load`."));
	p->shown = xcalloc((size_t)(p->nall > 0 ? p->nall : 1), sizeof *p->shown);
	p->loaded = true;
	picker_filter(p);
}

static void
picker_enter(struct app *app, struct view *v)
{
	struct picker *p = v->data;

	if (p == NULL) {
		p = v->data = xcalloc(1, sizeof *p);
		field_init(&p->query, 40, false, false);
	}
	if (!p->loaded)
		picker_load(app, p);
}

static void
picker_draw(struct app *app, struct view *v, int top, int rows)
{
	struct picker *p = v->data;
	int cols = term_cols(), y = top, lw = cols >= 70 ? 26 : cols >= 50 ? 14 : 0;
	int codew = cols >= 60 ? 14 : 0, namew = cols - 2 - codew - lw - 1;
	const char *label = _("Case type: ");
	char *count;
	int cx;

	term_print(y, 1, cols - 2, TS_TITLE, label);
	cx = field_draw(&p->query, y, 1 + text_width(label), 24, true);
	app->cursor_y = y;
	app->cursor_x = cx;
	count = xasprintf(_("%d of %d"), p->nshown, p->nall);
	term_print(y, 1 + text_width(label) + 26, cols, TS_DIM, count);
	free(count);
	y += 2;
	p->page = top + rows - y;
	if (p->page < 1)
		p->page = 1;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + p->page)
		p->top = p->sel - p->page + 1;
	for (int r = 0; r < p->page && p->top + r < p->nshown; r++) {
		const struct cat_summary *s = &p->all[p->shown[p->top + r]];
		bool cur = p->top + r == p->sel;
		enum term_style st = cur ? TS_FIELD_ACTIVE : TS_NORMAL;
		char *name = text_ellipsize(s->name, namew);
		int x = 1;

		term_fill(y + r, 0, cols, st);
		if (codew > 0) {
			term_print(y + r, x, codew, st, s->code);
			x += codew;
		}
		term_print(y + r, x, namew, st, name);
		if (lw > 0) {
			char *lim = text_ellipsize(s->limit, lw);

			term_print(y + r, cols - 1 - lw, lw, cur ? st : TS_DIM, lim);
			free(lim);
		}
		free(name);
	}
	if (p->nshown == 0 && p->nall > 0)
		term_print(y, 2, cols - 4, TS_DIM, _("Nothing matches. Type a code, pinyin initials "
		    "(e.g. mzfybx) or part of the name."));
}

static int
picker_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct picker *p = v->data;

	switch (k->code) {
	case K_ESC:
		if (p->query.len > 0) {
			field_clear(&p->query);
			picker_filter(p);
			return VF_REDRAW;
		}
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_F5:
		picker_load(app, p);
		return VF_REDRAW;
	case K_UP:
		if (p->sel > 0)
			p->sel--;
		return VF_REDRAW;
	case K_DOWN:
		if (p->sel + 1 < p->nshown)
			p->sel++;
		return VF_REDRAW;
	case K_PGUP:
		p->sel = p->sel > p->page ? p->sel - p->page : 0;
		return VF_REDRAW;
	case K_PGDN:
		p->sel = p->sel + p->page < p->nshown ? p->sel + p->page : (p->nshown > 0 ? p->nshown - 1 : 0);
		return VF_REDRAW;
	case K_ENTER:
		if (p->nshown > 0)
			guide_open(app, p->all[p->shown[p->sel]].code);
		return VF_HANDLED;
	case K_F2:
		if (p->nshown > 0)
			counter_open(app, p->all[p->shown[p->sel]].code);
		return VF_HANDLED;
	case K_F10:
		app_logout(app, "user", TS_OK, _("Signed out."));
		return VF_HANDLED;
	default:
		if (!field_key(&p->query, k))
			return VF_IGNORED;
		p->sel = 0;
		p->top = 0;
		picker_filter(p);
		return VF_REDRAW;
	}
}

static void
picker_free(struct view *v)
{
	struct picker *p = v->data;

	catstore_list_free(&p->all, p->nall);
	free(p->shown);
	free(p);
	v->data = NULL;
}

static const struct bar_item picker_bar_items[] = {
	{ K_F1, N_("Help") },
	{ K_F2, N_("Intake") },
	{ K_ENTER, N_("Guide") },
	{ K_F5, N_("Refresh") },
	{ K_ESC, N_("Back") },
	{ K_F10, N_("Sign out") },
};

const struct view_ops picker_view_ops = {
	.enter = picker_enter,
	.draw = picker_draw,
	.key = picker_key,
	.bar = picker_bar_items,
	.nbar = sizeof picker_bar_items / sizeof picker_bar_items[0],
	.free = picker_free,
};
