/* 参保测算; see policyview.h. */
#include "intake/policyview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/counter.h"
#include "model/i18n.h"
#include "model/policy.h"
#include "model/text.h"
#include "store/insstore.h"
#include "ui/field.h"
#include "util/xalloc.h"

#define PV_MAX_PAYBACK 10

enum pv_row { PV_ID, PV_PAYBACK, PV_AID, PV_NROWS };

struct policyview {
	struct field id;
	int payback;
	bool aid_late;
	enum pv_row cur;
	enum app_view back;
	bool from_counter;
	bool have;		/* figures computed for the ID shown */
	struct policy p;
	char **lines;		/* the explanation, then the history */
	size_t nlines;
	int top;
};

static struct policyview *
pv_of(struct app *app)
{
	struct view *v = &app->views[AV_POLICY];

	if (v->data == NULL) {
		struct policyview *pv = xcalloc(1, sizeof *pv);

		field_init(&pv->id, 18, false, false);
		v->data = pv;
	}
	return v->data;
}

static void
pv_clear(struct policyview *pv)
{
	for (size_t i = 0; i < pv->nlines; i++)
		free(pv->lines[i]);
	free(pv->lines);
	pv->lines = NULL;
	pv->nlines = 0;
	pv->top = 0;
	pv->have = false;
	memset(&pv->p, 0, sizeof pv->p);
}

static void
pv_append(struct policyview *pv, char **more, size_t n)
{
	pv->lines = xreallocarray(pv->lines, pv->nlines + n, sizeof *pv->lines);
	memcpy(pv->lines + pv->nlines, more, n * sizeof *more);
	pv->nlines += n;
	free(more);
}

/* Asks the server for the figures of the ID typed. */
static void
pv_compute(struct app *app, struct policyview *pv)
{
	enum ins_result r;
	size_t n;
	char **l;

	pv_clear(pv);
	if (field_text(&pv->id)[0] == '\0')
		return;
	r = app->db_lost ? INS_DB_LOST : insstore_preview(app->db, app->session.id, field_text(&pv->id), NULL,
	    pv->payback, pv->aid_late, &pv->p);
	if (r != INS_OK) {
		if (r == INS_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, insstore_result_message(r));
		return;
	}
	pv->have = true;
	if (pv->p.payback_over) {
		char *msg = xasprintf(_("The gap is %d year(s): at most %d year(s) can be paid back."),
		    pv->p.payback_max, pv->p.payback_max);

		app_message(app, TS_WARN, msg);
		free(msg);
	} else {
		app_message(app, TS_NORMAL, NULL);
	}
	l = policy_explain(&pv->p, &n);
	pv_append(pv, l, n);
	l = xcalloc(1, sizeof *l);
	l[0] = xstrdup(_("Insurance history (the provincial export):"));
	pv_append(pv, l, 1);
	l = policy_history(&pv->p, &n);
	pv_append(pv, l, n);
}

void
policyview_open(struct app *app, const char *id_no, int payback, bool aid_late, enum app_view back,
    bool from_counter)
{
	struct policyview *pv = pv_of(app);

	field_set(&pv->id, id_no != NULL ? id_no : "");
	pv->payback = payback >= 0 && payback <= PV_MAX_PAYBACK ? payback : 0;
	pv->aid_late = aid_late;
	pv->back = back;
	pv->from_counter = from_counter;
	pv->cur = id_no != NULL && id_no[0] != '\0' ? PV_PAYBACK : PV_ID;
	pv_compute(app, pv);
	app_switch(app, AV_POLICY);
}

void
policyview_hook_open(struct app *app, const char *id_no)
{
	policyview_open(app, id_no, 0, false, app->active, false);
}

/* The lines from pv->top (a screen row of the wrapped text) into body
 * rows from y; pv->top stops at the last row. */
static void
pv_draw_lines(struct policyview *pv, int y, int body, int cols)
{
	int row = 0, shown = 0;

	for (size_t i = 0; i < pv->nlines; i++) {
		char *w = text_wrap(pv->lines[i], cols - 4), *s = w, *nl;

		for (; *s != '\0'; s = nl + 1, row++) {
			nl = strchr(s, '\n');
			*nl = '\0';
			if (row >= pv->top && shown < body)
				term_print(y + shown++, 2, cols - 4, i == 0 ? TS_OK : TS_NORMAL, s);
		}
		free(w);
	}
	if (pv->top >= row)
		pv->top = row > 0 ? row - 1 : 0;
}

static void
pv_draw(struct app *app, struct view *v, int top, int rows)
{
	struct policyview *pv = v->data;
	int cols = term_cols(), y = top, body;
	char *line;

	app->cursor_y = app->cursor_x = -1;
	if (pv == NULL || rows < 5)
		return;
	term_print(y++, 1, cols - 2, TS_TITLE, _("参保测算: waiting period, benefits and the 大病 cap (seed 003)"));
	term_print(y, 2, 16, TS_NORMAL, _("ID number"));
	if (pv->cur == PV_ID) {
		app->cursor_x = field_draw(&pv->id, y, 20, 20, true);
		app->cursor_y = y;
	} else {
		field_draw(&pv->id, y, 20, 20, false);
	}
	y++;
	line = pv->payback == 0 ? xstrdup(_("< none >")) : xasprintf(_("< %d year(s) >"), pv->payback);
	term_print(y, 2, 16, TS_NORMAL, _("Pay back"));
	term_print(y, 20, cols - 22, pv->cur == PV_PAYBACK ? TS_FIELD_ACTIVE : TS_NORMAL, line);
	free(line);
	if (pv->have && pv->p.contribution > 0 && pv->payback > 0) {
		line = xasprintf(_("%d yuan"), pv->payback * pv->p.contribution);
		term_print(y, 40, cols - 42, TS_DIM, line);
		free(line);
	}
	y++;
	term_print(y, 2, 16, TS_NORMAL, _("困难人口 (late)"));
	term_print(y, 20, cols - 22, pv->cur == PV_AID ? TS_FIELD_ACTIVE : TS_NORMAL,
	    pv->aid_late ? _("< yes: identified after the 集中参保期 >") : _("< no >"));
	y++;
	body = top + rows - y;
	if (!pv->have && pv->nlines == 0) {
		term_print(y + 1, 2, cols - 4, TS_DIM, _("Type the ID number and press Enter."));
		return;
	}
	pv_draw_lines(pv, y, body, cols);
}

static int
pv_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct policyview *pv = v->data;

	switch (k->code) {
	case K_ESC:
	case K_F10:
		app_switch(app, pv->back);
		return VF_HANDLED;
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_F6:
		if (!pv->from_counter) {
			app_message(app, TS_ERROR, _("F6 applies the figures to an intake: open this from the "
			    "intake (F9) to use it."));
			return VF_REDRAW;
		}
		counter_policy_apply(app, pv->payback, pv->aid_late);
		app_switch(app, AV_COUNTER);
		return VF_HANDLED;
	case K_UP:
	case K_BTAB:
		pv->cur = (enum pv_row)((pv->cur + PV_NROWS - 1) % PV_NROWS);
		return VF_REDRAW;
	case K_DOWN:
	case K_TAB:
		if (pv->cur == PV_ID)
			pv_compute(app, pv);
		pv->cur = (enum pv_row)((pv->cur + 1) % PV_NROWS);
		return VF_REDRAW;
	case K_ENTER:
		pv_compute(app, pv);
		return VF_REDRAW;
	case K_PGDN:
		pv->top += 8;
		return VF_REDRAW;
	case K_PGUP:
		pv->top = pv->top > 8 ? pv->top - 8 : 0;
		return VF_REDRAW;
	default:
		break;
	}
	if (pv->cur == PV_PAYBACK && (k->code == K_LEFT || k->code == K_RIGHT ||
	    (k->code == K_CHAR && k->ch == ' '))) {
		pv->payback = (pv->payback + (k->code == K_LEFT ? PV_MAX_PAYBACK : 1)) % (PV_MAX_PAYBACK + 1);
		pv_compute(app, pv);
		return VF_REDRAW;
	}
	if (pv->cur == PV_AID && (k->code == K_LEFT || k->code == K_RIGHT || (k->code == K_CHAR && k->ch == ' '))) {
		pv->aid_late = !pv->aid_late;
		pv_compute(app, pv);
		return VF_REDRAW;
	}
	if (pv->cur == PV_ID && field_key(&pv->id, k))
		return VF_REDRAW;
	return VF_IGNORED;
}

static void
pv_free(struct view *v)
{
	struct policyview *pv = v->data;

	if (pv == NULL)
		return;
	pv_clear(pv);
	field_clear(&pv->id);
	free(pv);
	v->data = NULL;
}

static const struct bar_item pv_bar[] = {
	{ K_F1, N_("Help") }, { K_F6, N_("Apply to the form") }, { K_F10, N_("Back") },
};
static const struct bar_item pv_bar_plain[] = {
	{ K_F1, N_("Help") }, { K_F10, N_("Back") },
};

static const struct bar_item *
pv_bar_fn(struct app *app, struct view *v, size_t *n)
{
	const struct policyview *pv = v->data;

	(void)app;
	if (pv != NULL && pv->from_counter) {
		*n = sizeof pv_bar / sizeof pv_bar[0];
		return pv_bar;
	}
	*n = sizeof pv_bar_plain / sizeof pv_bar_plain[0];
	return pv_bar_plain;
}

const struct view_ops policyview_view_ops = {
	.draw = pv_draw,
	.key = pv_key,
	.bar = pv_bar_plain,
	.nbar = sizeof pv_bar_plain / sizeof pv_bar_plain[0],
	.bar_fn = pv_bar_fn,
	.free = pv_free,
};
