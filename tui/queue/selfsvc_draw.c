/*
 * The self-service terminal's screens (see queue/selfsvc.c): the header
 * and footer, the start, the menu, the person's cases, the documents, the
 * 备案's type and place, the filings to revoke; only what is dirty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "queue/selfsvc_int.h"
#include "ui/fullscreen.h"
#include "util/xalloc.h"

/* ---- drawing ------------------------------------------------------------ */

static void
sst_draw_header(struct sst *t)
{
	fs_draw_header(t->office_name[0] != '\0' ? t->office_name : t->opt->office, _("Self-service terminal"));
}

static void
sst_draw_footer(struct sst *t)
{
	int rows = term_rows(), cols = term_cols();
	const char *hint = NULL;

	if (rows < 4)
		return;
	term_fill(rows - 1, 0, cols, TS_NORMAL);
	switch (t->screen) {
	case SST_START:
	case SST_PLACE:
		hint = _("Enter: confirm   Backspace: correct   Esc: back");
		break;
	case SST_MENU:
		hint = _("Press a number key   Esc: finish");
		break;
	case SST_CASES:
		hint = _("↑↓: more   Esc: back to the menu");
		break;
	case SST_INSURANCE:
		hint = _("1: print the certificate   ↑↓: more   Esc: back to the menu");
		break;
	case SST_KIND:
	case SST_REVOKE:
		hint = _("Press a number key   Esc: back to the menu");
		break;
	case SST_PREVIEW:
		hint = _("↑↓ PgUp PgDn: read   Enter: I confirm and file   Esc: back");
		break;
	case SST_DONE:
		if (fs_now_ms() - t->shown_at >= SST_GUARD_MS)
			hint = _("Press any key to return to the menu");
		break;
	case SST_PAUSED:
		break;
	}
	if (hint != NULL)
		fs_center(rows - 1, cols, TS_DIM, hint);
}

/* The message line, when there is one and room. */
static void
sst_draw_message(struct sst *t, int y, int bottom, int cols)
{
	if (t->message != NULL && y < bottom)
		fs_center(y, cols, t->message_style, t->message);
}

static void
sst_draw_start(struct sst *t, int top, int rows, int cols)
{
	int y = top + (rows >= 12 ? rows / 5 : 0);

	fs_center(y++, cols, TS_TITLE, _("Self-service: progress, insurance record, filing for "
	    "treatment elsewhere"));
	if (rows >= 10)
		y++;
	fs_center(y++, cols, TS_TITLE, _("Swipe your ID card or type the ID number"));
	if (rows >= 10)
		y++;
	y = fs_draw_input(y, rows, cols, t->input, t->len, true);
	if (rows >= 10)
		y++;
	sst_draw_message(t, y, top + rows, cols);
}

/* The person's line at the top of every screen after the start. */
static int
sst_draw_who(struct sst *t, int y, int cols, const char *title)
{
	char *who = xasprintf(_("%s   ID number %s"), t->person.name_masked, t->person.id_masked);

	fs_center(y++, cols, TS_DIM, who);
	free(who);
	fs_center(y++, cols, TS_TITLE, title);
	return y;
}

static void
sst_draw_menu(struct sst *t, int top, int rows, int cols)
{
	const char *labels[4] = { _("Case progress"), _("Insurance record"),
	    _("Filing for treatment elsewhere"), _("Revoke a filing") };
	const char *notes[4] = { _("your open and recent cases"), _("and the insurance certificate"),
	    _("by pledge, done at once"), _("a filing in force") };
	const char *digits[4] = { "1", "2", "3", "4" };
	int y = sst_draw_who(t, top, cols, _("Please choose a service"));

	if (cols >= 60 && rows >= 16) {
		int gap = 2, w = (cols - 4 - gap) / 2, h = (top + rows - y - 2 - gap / 2) / 2, x0;

		if (w > 36)
			w = 36;
		if (h > 9)
			h = 9;
		x0 = (cols - 2 * w - gap) / 2;
		y++;
		for (int i = 0; i < 4; i++)
			fs_draw_option(y + (i / 2) * h, x0 + (i % 2) * (w + gap), h, w, t->ink, digits[i],
			    labels[i], h >= 7 ? notes[i] : NULL);
		y += 2 * h;
	} else
		for (int i = 0; i < 4 && y < top + rows; i++) {
			char *line = xasprintf("%s  %s", digits[i], labels[i]);

			fs_center(y++, cols, TS_TITLE, line);
			free(line);
		}
	sst_draw_message(t, y, top + rows, cols);
}

/* Lines of text from t->lines (scrolled), from y to bottom. */
static int
sst_draw_lines(struct sst *t, int y, int bottom, int cols)
{
	int w = sst_screen_width(), x = (cols - w) / 2;

	if (t->scroll > t->nlines - (bottom - y))
		t->scroll = t->nlines - (bottom - y);
	if (t->scroll < 0)
		t->scroll = 0;
	for (int i = t->scroll; i < t->nlines && y < bottom; i++)
		term_print(y++, x, w, TS_NORMAL, t->lines[i]);
	return y;
}

static void
sst_draw_cases(struct sst *t, int top, int rows, int cols)
{
	int y = sst_draw_who(t, top, cols, _("Your cases")), bottom = top + rows - 1;
	int w = cols >= 84 ? 80 : cols - 2, x = (cols - w) / 2;

	y++;
	if (t->cases.n == 0) {
		fs_center(y, cols, TS_NORMAL, _("You have no open or recent cases."));
		return;
	}
	if (t->scroll >= t->cases.n)
		t->scroll = t->cases.n - 1;
	for (int i = t->scroll; i < t->cases.n && y + 1 < bottom; i++) {
		const struct selfsvc_case *c = &t->cases.rows[i];
		char *l1 = xasprintf("%d. %s", i + 1, c->type_name);
		char *l2 = xasprintf(_("   %s   promised by %s   case %s"), c->stage,
		    c->promised[0] != '\0' ? c->promised : "—", c->case_no);

		term_print(y++, x, w, TS_TITLE, l1);
		term_print(y++, x, w, TS_NORMAL, l2);
		free(l1);
		free(l2);
	}
	sst_draw_message(t, bottom, top + rows, cols);
}

static void
sst_draw_doc(struct sst *t, int top, int rows, int cols, const char *title)
{
	int y = sst_draw_who(t, top, cols, title), bottom = top + rows - 1;

	sst_draw_lines(t, y, bottom, cols);
	sst_draw_message(t, bottom, top + rows, cols);
}

static void
sst_draw_kind(struct sst *t, int top, int rows, int cols)
{
	int y = sst_draw_who(t, top, cols, _("Filing for treatment elsewhere (pledge): choose the type"));

	y++;
	for (int i = 0; i < SST_NKINDS && y < top + rows; i++) {
		char *line = xasprintf("%d  %s", i + 1, _(sst_kinds[i].label));

		fs_center(y++, cols, TS_TITLE, line);
		free(line);
		if (rows >= 16)
			y++;
	}
	sst_draw_message(t, y, top + rows, cols);
}

static void
sst_draw_place(struct sst *t, int top, int rows, int cols)
{
	int y = sst_draw_who(t, top, cols, _("Where will you be treated? Type its number and Enter"));
	int ncol = cols >= 78 ? 4 : cols >= 58 ? 3 : 2, cw = (cols - 2) / ncol;
	int per = (SST_NPLACES + ncol - 1) / ncol;

	for (int i = 0; i < SST_NPLACES; i++) {
		char *s = xasprintf("%2d %s", i + 1, sst_places[i]);
		int r = y + i % per;

		if (r < top + rows - 2)
			term_print(r, 1 + (i / per) * cw, cw - 1, TS_NORMAL, s);
		free(s);
	}
	y += per;
	if (y < top + rows - 1) {
		char shown[32];

		snprintf(shown, sizeof shown, "%s", t->len > 0 ? t->input : "_");
		{
			char *s = xasprintf(_("Number: %s"), shown);

			fs_center(y++, cols, TS_FIELD, s);
			free(s);
		}
	}
	sst_draw_message(t, y, top + rows, cols);
}

static void
sst_draw_done(struct sst *t, int top, int rows, int cols)
{
	int y = sst_draw_who(t, top, cols, _("Your filing is done")) + 1;
	char *s = xasprintf(_("Case %s: accepted and finished by the system"), t->case_no);

	fs_center(y++, cols, TS_OK, s);
	free(s);
	if (t->print_error != NULL) {
		fs_center(y++, cols, TS_ERROR, _("The documents could not be printed: please note the "
		    "case number, or ask at the guide desk"));
		if (y < top + rows)
			fs_center(y++, cols, TS_DIM, t->print_error);
	} else
		fs_center(y++, cols, TS_NORMAL, _("The filing form and the letter of pledge have been "
		    "printed: please take them."));
	if (y < top + rows)
		fs_center(y++, cols, TS_DIM, _("You can revoke the filing here (4 on the menu)."));
}

static void
sst_draw_revoke(struct sst *t, int top, int rows, int cols)
{
	int y = sst_draw_who(t, top, cols, _("Choose the filing to revoke")) + 1, n = 0;

	for (int i = 0; i < t->cases.n && y < top + rows - 1; i++) {
		const struct selfsvc_case *c = &t->cases.rows[i];
		char *s;

		if (!c->revocable)
			continue;
		s = xasprintf(_("%d  %s  case %s, filed %s"), ++n, c->type_name, c->case_no,
		    c->accepted);
		fs_center(y++, cols, TS_TITLE, s);
		free(s);
	}
	if (n == 0)
		fs_center(y++, cols, TS_NORMAL, _("You have no filing in force."));
	sst_draw_message(t, y + 1, top + rows, cols);
}

void
sst_draw(struct sst *t)
{
	int rows = term_rows(), cols = term_cols(), top = 1, body = rows - 2;

	if (t->dirty == 0)
		return;
	if (t->dirty & SD_HEADER)
		sst_draw_header(t);
	if (t->dirty & SD_BODY) {
		for (int y = 1; y < rows; y++)
			term_fill(y, 0, cols, TS_NORMAL);
		if (body > 0) {
			switch (t->screen) {
			case SST_START:
				sst_draw_start(t, top, body, cols);
				break;
			case SST_MENU:
				sst_draw_menu(t, top, body, cols);
				break;
			case SST_CASES:
				sst_draw_cases(t, top, body, cols);
				break;
			case SST_INSURANCE:
				sst_draw_doc(t, top, body, cols, _("Your insurance record"));
				break;
			case SST_KIND:
				sst_draw_kind(t, top, body, cols);
				break;
			case SST_PLACE:
				sst_draw_place(t, top, body, cols);
				break;
			case SST_PREVIEW:
				sst_draw_doc(t, top, body, cols, _("Please read the filing form and the letter "
				    "of pledge"));
				break;
			case SST_DONE:
				sst_draw_done(t, top, body, cols);
				break;
			case SST_REVOKE:
				sst_draw_revoke(t, top, body, cols);
				break;
			case SST_PAUSED:
				fs_center(top + body / 2 - 1, cols, TS_ERROR,
				    _("Self-service paused: please go to the guide desk"));
				fs_center(top + body / 2 + 1, cols, TS_DIM, _("Reconnecting to the database…"));
				break;
			}
		}
		sst_draw_footer(t);
	}
	term_cursor(0, 0, false);
	term_flush();
	t->dirty = 0;
}
