/*
 * The 办事指南 of one case type: limit, stages, the 承诺制 path and the
 * proofs it replaces, every material with its form and notes (the 一次告知
 * checklist a clerk reads out), proxy handling, steps, standard and
 * source. Read-only; scrolls with the
 * arrows and page keys; Esc goes back to the list.
 */
#include "intake/guide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intake/counter.h"
#include "model/catalogue.h"
#include "model/docdata.h"
#include "model/document.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/catstore.h"
#include "store/cluster.h"
#include "ui/app.h"
#include "ui/printout.h"
#include "util/xalloc.h"

struct guide_line {
	char *text;
	enum term_style style;
};

struct guide {
	struct cat_def *def;
	int version;
	struct guide_line *lines;
	size_t n, cap;
	int built_cols;		/* width the lines were wrapped for */
	int top, page;
};

static void
guide_clear_lines(struct guide *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->lines[i].text);
	g->n = 0;
}

static void
guide_push(struct guide *g, enum term_style st, char *text)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->lines = xreallocarray(g->lines, g->cap, sizeof *g->lines);
	}
	g->lines[g->n].text = text;
	g->lines[g->n].style = st;
	g->n++;
}

/* Adds text wrapped to width columns; continuation lines get indent. */
static void
guide_wrap(struct guide *g, enum term_style st, int width, int indent, const char *text)
{
	const char *s = text;
	bool first = true;

	if (width < indent + 4)
		width = indent + 4;
	do {
		int room = first ? width : width - indent, used;
		size_t n = text_fit(s, room, &used);

		if (n == 0 && *s != '\0')
			n = 1;	/* a character wider than the room: never loop */
		guide_push(g, st, xasprintf("%*s%.*s", first ? 0 : indent, "", (int)n, s));
		s += n;
		first = false;
	} while (*s != '\0');
}

static char *
guide_material(const struct cat_def *d, const struct cat_item *it, const struct cat_material *m)
{
	char *extra, *line, *when = cat_material_when_text(d, it, m);

	if (m->defer_days > 0)
		extra = xasprintf(_("%s; may be supplied within %d working days (容缺)"),
		    cat_form_name(m->form), m->defer_days);
	else if (m->key)
		extra = xasprintf(_("%s; key material"), cat_form_name(m->form));
	else
		extra = xstrdup(cat_form_name(m->form));
	line = m->note != NULL ? xasprintf("%s（%s）— %s", m->name, extra, m->note) :
	    xasprintf("%s（%s）", m->name, extra);
	free(extra);
	if (when != NULL) {
		char *t = xasprintf("%s %s", line, when);

		free(line);
		line = t;
		free(when);
	}
	return line;
}

/* The letters of the members of group it other than its pledge: "a、b". */
static char *
guide_pledge_letters(const struct cat_item *it)
{
	char buf[64] = "";

	for (size_t j = 0; j < it->nm; j++) {
		char one[8];

		if (it->m[j].pledge)
			continue;
		snprintf(one, sizeof one, "%s%c", buf[0] != '\0' ? "、" : "", (int)('a' + j));
		strncat(buf, one, sizeof buf - strlen(buf) - 1);
	}
	return xstrdup(buf);
}

/* 承诺制: one line saying so, then the proofs the pledge replaces. */
static void
guide_pledge(struct guide *g, int w)
{
	const struct cat_def *d = g->def;
	const struct cat_material *p = NULL;
	char *s;

	for (size_t i = 0; i < d->nitems && p == NULL; i++)
		p = cat_item_pledge(&d->items[i]);
	if (p == NULL)
		return;
	s = xasprintf(_("Pledge (承诺制): the applicant may sign %s at the counter instead of these proofs:"),
	    p->name);
	guide_wrap(g, TS_OK, w, 2, s);
	free(s);
	for (size_t i = 0; i < d->nitems; i++) {
		const struct cat_item *it = &d->items[i];

		if (cat_item_pledge(it) == NULL)
			continue;
		for (size_t j = 0; j < it->nm; j++) {
			if (it->m[j].pledge)
				continue;
			s = xasprintf("    · %s", it->m[j].name);
			guide_wrap(g, TS_NORMAL, w, 6, s);
			free(s);
		}
	}
}

static void
guide_build(struct guide *g, int cols)
{
	const struct cat_def *d = g->def;
	int w = cols - 4;
	char *s, *tiers;

	guide_clear_lines(g);
	g->built_cols = cols;
	s = xasprintf("%s  %s%s", d->name, d->code, d->local ? _(" (local code)") : "");
	guide_wrap(g, TS_TITLE, w, 2, s);
	free(s);
	tiers = cat_tiers_text(d->tiers);
	s = xasprintf(_("Category: %s    Accepted at: %s"), d->category, tiers);
	guide_wrap(g, TS_NORMAL, w, 2, s);
	free(s);
	free(tiers);
	{
		char *lim = cat_limits_text(d);

		s = xasprintf(_("Time limit: %s"), lim);
		guide_wrap(g, TS_NORMAL, w, 2, s);
		free(s);
		free(lim);
	}
	for (size_t i = 0; i < d->nstages; i++) {
		char *when = cat_stage_when_text(d, &d->stages[i]);

		s = xasprintf(_("  Stage %zu: %s (%s, %d working days)"), i + 1, d->stages[i].name,
		    cat_tier_name(d->stages[i].tier), d->stages[i].days);
		if (when != NULL) {
			char *t = xasprintf("%s %s", s, when);

			free(s);
			s = t;
		}
		guide_wrap(g, TS_NORMAL, w, 4, s);
		free(s);
		free(when);
	}
	guide_pledge(g, w);
	guide_push(g, TS_NORMAL, xstrdup(""));
	guide_wrap(g, TS_TITLE, w, 2, _("Materials (tell the citizen all of them at once):"));
	for (size_t i = 0; i < d->nitems; i++) {
		const struct cat_item *it = &d->items[i];

		if (!it->any_of) {
			char *m = guide_material(d, it, &it->m[0]);

			s = xasprintf("%2zu. %s", i + 1, m);
			guide_wrap(g, TS_NORMAL, w, 4, s);
			free(s);
			free(m);
			continue;
		}
		s = xasprintf(_("%2zu. One of the following is enough:"), i + 1);
		guide_wrap(g, TS_NORMAL, w, 4, s);
		free(s);
		for (size_t j = 0; j < it->nm; j++) {
			char *m = guide_material(d, it, &it->m[j]);

			if (it->m[j].pledge) {
				char *letters = guide_pledge_letters(it), *p;

				p = xasprintf(_("Pledge (承诺制): %s, in place of %s"), m, letters);
				free(m);
				free(letters);
				m = p;
			}
			s = xasprintf("      %c) %s", (int)('a' + j), m);
			guide_wrap(g, TS_NORMAL, w, 9, s);
			free(s);
			free(m);
		}
	}
	if (d->proxy_allowed) {
		guide_wrap(g, TS_NORMAL, w, 2, _("Handling by an agent (委托办理) is allowed; it adds:"));
		for (size_t i = 0; i < d->nproxy; i++) {
			char *m = guide_material(d, NULL, &d->proxy[i]);

			s = xasprintf("    · %s", m);
			guide_wrap(g, TS_NORMAL, w, 6, s);
			free(s);
			free(m);
		}
	} else
		guide_wrap(g, TS_NORMAL, w, 2, _("Handling by an agent (委托办理) is not allowed."));
	guide_push(g, TS_NORMAL, xstrdup(""));
	guide_wrap(g, TS_TITLE, w, 2, _("Steps:"));
	for (size_t i = 0; i < d->nsteps; i++) {
		s = xasprintf("%2zu. %s", i + 1, d->steps[i]);
		guide_wrap(g, TS_NORMAL, w, 4, s);
		free(s);
	}
	if (d->standard != NULL) {
		s = xasprintf(_("Standard: %s"), d->standard);
		guide_wrap(g, TS_NORMAL, w, 2, s);
		free(s);
	}
	s = xasprintf(_("Source: %s (catalogue version %d)"), d->source, g->version);
	guide_wrap(g, TS_DIM, w, 2, s);
	free(s);
}

static void
guide_reset(struct guide *g)
{
	guide_clear_lines(g);
	cat_def_free(&g->def);
	g->top = 0;
	g->built_cols = 0;
}

void
guide_open(struct app *app, const char *code)
{
	struct view *v = &app->views[AV_GUIDE];
	struct guide *g = v->data;
	enum db_status st;
	bool damaged;

	if (g == NULL)
		g = v->data = xcalloc(1, sizeof *g);
	guide_reset(g);
	g->version = 0;
	g->def = catstore_def(app->db, code, &g->version, &st, &damaged);
	if (g->def == NULL) {
		if (st == DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, damaged ?
		    _("The case type definition is damaged. Call the administrator.") :
		    _("The case type could not be read. Call the administrator."));
		return;
	}
	app_message(app, TS_NORMAL, NULL);
	app_switch(app, AV_GUIDE);
}

static void
guide_draw(struct app *app, struct view *v, int top, int rows)
{
	struct guide *g = v->data;
	int cols = term_cols();

	(void)app;
	if (g->built_cols != cols)
		guide_build(g, cols);
	g->page = rows;
	if (g->top > (int)g->n - rows)
		g->top = (int)g->n - rows > 0 ? (int)g->n - rows : 0;
	for (int r = 0; r < rows && g->top + r < (int)g->n; r++)
		term_print(top + r, 2, cols - 4, g->lines[g->top + r].style, g->lines[g->top + r].text);
}

/* Prints the guide on the window's channel (the screen was the preview). */
static void
guide_print(struct app *app, struct guide *g)
{
	char date[64], *why = NULL, *doc;
	struct mu_value *data;

	docdata_date(time(NULL), date);
	data = docdata_guide(g->def, g->version, app->session.office_name, date);
	doc = printout_render(app, "guide", data, &why);
	mu_value_free(&data);
	if (doc != NULL)
		printout_send(app, doc, _("The guide"));
	else
		printout_failed(app, why);
	free(doc);
}

static int
guide_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct guide *g = v->data;
	int max = (int)g->n - g->page > 0 ? (int)g->n - g->page : 0;

	switch (k->code) {
	case K_ESC:
	case K_ENTER:
		app_switch(app, AV_PICKER);
		return VF_HANDLED;
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_F6:
		guide_print(app, g);
		return VF_HANDLED;
	case K_F2:
		counter_open(app, g->def->code);
		return VF_HANDLED;
	case K_UP:
		g->top = g->top > 0 ? g->top - 1 : 0;
		return VF_REDRAW;
	case K_DOWN:
		g->top = g->top < max ? g->top + 1 : max;
		return VF_REDRAW;
	case K_PGUP:
		g->top = g->top > g->page ? g->top - g->page : 0;
		return VF_REDRAW;
	case K_PGDN:
		g->top = g->top + g->page < max ? g->top + g->page : max;
		return VF_REDRAW;
	case K_HOME:
		g->top = 0;
		return VF_REDRAW;
	case K_END:
		g->top = max;
		return VF_REDRAW;
	case K_F10:
		app_logout(app, "user", TS_OK, _("Signed out."));
		return VF_HANDLED;
	default:
		return VF_IGNORED;
	}
}

static void
guide_free(struct view *v)
{
	struct guide *g = v->data;

	guide_reset(g);
	free(g->lines);
	free(g);
	v->data = NULL;
}

static const struct bar_item guide_bar_items[] = {
	{ K_F1, N_("Help") },
	{ K_F2, N_("Intake") },
	{ K_F6, N_("Print") },
	{ K_PGDN, N_("Scroll") },
	{ K_ESC, N_("Back") },
	{ K_F10, N_("Sign out") },
};

const struct view_ops guide_view_ops = {
	.draw = guide_draw,
	.key = guide_key,
	.bar = guide_bar_items,
	.nbar = sizeof guide_bar_items / sizeof guide_bar_items[0],
	.free = guide_free,
};
