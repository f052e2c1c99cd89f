/*
 * The preview of documents before printing: the pages as they will be
 * printed, scrolled with the arrows and page keys. F6 prints them all, F8
 * reprints the last document; Esc (twice when nothing was printed) or
 * Enter after printing goes back to the view that opened the preview.
 */
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "ui/app.h"
#include "ui/preview.h"
#include "ui/printout.h"
#include "util/xalloc.h"

struct preview {
	char **docs, **whats;
	size_t ndocs;
	char **lines;		/* every document's lines, a rule between them */
	size_t nlines;
	int top, page;
	bool printed, warned;
	enum app_view back;
};

static void
preview_reset(struct preview *p)
{
	for (size_t i = 0; i < p->ndocs; i++) {
		free(p->docs[i]);
		free(p->whats[i]);
	}
	for (size_t i = 0; i < p->nlines; i++)
		free(p->lines[i]);
	free(p->docs);
	free(p->whats);
	free(p->lines);
	memset(p, 0, sizeof *p);
}

static void
preview_add_line(struct preview *p, char *line)
{
	p->lines = xreallocarray(p->lines, p->nlines + 1, sizeof *p->lines);
	p->lines[p->nlines++] = line;
}

void
preview_open(struct app *app, char **docs, const char *const *whats, size_t n, enum app_view back)
{
	struct view *v = &app->views[AV_PREVIEW];
	struct preview *p = v->data;

	if (p == NULL)
		p = v->data = xcalloc(1, sizeof *p);
	preview_reset(p);
	p->back = back;
	p->docs = xcalloc(n, sizeof *p->docs);
	p->whats = xcalloc(n, sizeof *p->whats);
	for (size_t i = 0; i < n; i++) {
		const char *s = docs[i];

		p->docs[i] = docs[i];
		p->whats[i] = xstrdup(whats[i]);
		if (i > 0)
			preview_add_line(p, xasprintf("──── %s ────", whats[i]));
		while (*s != '\0') {
			const char *nl = strchr(s, '\n');
			size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);

			preview_add_line(p, xstrndup(s, len));
			s += len + (nl != NULL);
		}
	}
	p->ndocs = n;
	app_switch(app, AV_PREVIEW);
}

static void
preview_draw(struct app *app, struct view *v, int top, int rows)
{
	struct preview *p = v->data;
	int cols = term_cols(), x;
	char *head;

	if (rows < 2)
		return;
	head = xasprintf(_("Preview (%zu document(s)) · F6 print · arrows and PgUp/PgDn scroll"), p->ndocs);
	term_print(top, 1, cols - 2, TS_TITLE, head);
	free(head);
	p->page = rows - 1;
	/* the page as printed: an 80-column page fills an 80-column screen */
	x = cols > printout_width(app) ? (cols - printout_width(app)) / 2 : 0;
	for (int r = 0; r < rows - 1 && p->top + r < (int)p->nlines; r++)
		term_print(top + 1 + r, x, cols - x, TS_NORMAL, p->lines[p->top + r]);
}

static void
preview_leave(struct app *app, struct preview *p)
{
	enum app_view back = p->back;

	preview_reset(p);
	p->back = back;
	app_switch(app, back);
}

static int
preview_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct preview *p = v->data;
	int max = (int)p->nlines - p->page > 0 ? (int)p->nlines - p->page : 0;

	switch (k->code) {
	case K_F6:
		p->printed = true;
		for (size_t i = 0; i < p->ndocs; i++)
			if (!printout_send(app, p->docs[i], p->whats[i]))
				p->printed = false;
		return VF_REDRAW;
	case K_F8:
		printout_reprint(app);
		return VF_REDRAW;
	case K_ENTER:
	case K_ESC:
		if (!p->printed && !p->warned) {
			p->warned = true;
			app_message(app, TS_ERROR, _("Not printed yet: F6 prints; Esc again leaves without "
			    "printing."));
			return VF_REDRAW;
		}
		preview_leave(app, p);
		return VF_HANDLED;
	case K_UP:
		p->top = p->top > 0 ? p->top - 1 : 0;
		break;
	case K_DOWN:
		p->top = p->top < max ? p->top + 1 : max;
		break;
	case K_PGUP:
		p->top = p->top > p->page ? p->top - p->page : 0;
		break;
	case K_PGDN:
	case K_CHAR:
		if (k->code == K_CHAR && k->ch != ' ')
			return VF_IGNORED;
		p->top = p->top + p->page < max ? p->top + p->page : max;
		break;
	case K_HOME:
		p->top = 0;
		break;
	case K_END:
		p->top = max;
		break;
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	default:
		return VF_IGNORED;
	}
	return VF_REDRAW;
}

static void
preview_free(struct view *v)
{
	preview_reset(v->data);
	free(v->data);
	v->data = NULL;
}

static const struct bar_item preview_bar[] = {
	{ K_F1, N_("Help") }, { K_F6, N_("Print") }, { K_F8, N_("Reprint") }, { K_ESC, N_("Back") },
};

const struct view_ops preview_view_ops = {
	.draw = preview_draw,
	.key = preview_key,
	.bar = preview_bar,
	.nbar = sizeof preview_bar / sizeof preview_bar[0],
	.free = preview_free,
};
