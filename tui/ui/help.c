/* The help overlay: the keys of the screen below it. */
#include <stdlib.h>

#include "model/i18n.h"
#include "model/text.h"
#include "ui/app.h"

static const char *const help_lines[] = {
	N_("F1  (Esc 1)  this help"),
	N_("F2  (Esc 2)  call the next ticket; at the guide desk: issue a green-channel ticket"),
	N_("G            no guide desk: a green-channel ticket · Y  appointments (预约办, 电话办)"),
	N_("F3  (Esc 3)  call the current ticket again      F4  (Esc 4)  no-show (过号)"),
	N_("Enter        the citizen has arrived: start serving"),
	N_("F5  (Esc 5)  case types: type a code, pinyin initials or part of the name; Enter shows the guide"),
	N_("             F2 in the list or the guide starts an intake of that case type"),
	N_("F6  (Esc 6)  service done; in an intake: end it (accept, notice, defer, refuse)"),
	N_("F7  (Esc 7)  cases: a saved intake, find a case, the deadline board"),
	N_("F4  (Esc 4)  supervisors: the live hall; there F9 the halls below, Enter opens one"),
	N_("F8  (Esc 8)  at a window: transfer, back, hold, call back, reprint, handover; elsewhere: lock"),
	N_("Space        in an intake: tick a material, change a choice; F3 ticks the 承诺制 pledge; F10 keeps a draft"),
	N_("In a case    F2 stage done · F3 send back · F6 finish (办结) · F8 print · F9 extend"),
	N_("             F4 withdraw (撤回) · F5 end: 容缺 overdue (终止办理)"),
	N_("F9  (Esc 9)  pause the window (the screen locks) / resume"),
	N_("F10 (Esc 0)  sign out; on the sign-in screen: quit · P on the workbench: my password"),
	N_("Tab, ↑ ↓     move between fields; Enter confirms; Ctrl-U clears the field"),
	N_("If the F-keys do not work on this terminal, press Esc and then the digit."),
};

static void
help_draw(struct app *app, struct view *v, int top, int rows)
{
	int cols = term_cols(), n = (int)(sizeof help_lines / sizeof help_lines[0]);
	int h = n + 4 < rows ? n + 4 : rows, w = cols - 4 < 70 ? cols - 4 : 70;
	int y = top + (rows - h) / 2, x = (cols - w) / 2;
	const char *title = _("Help");

	(void)app;
	(void)v;
	for (int i = 0; i < h; i++)
		term_fill(y + i, x, w, TS_NORMAL);
	term_box(y, x, h, w, TS_NORMAL);
	term_print(y, x + (w - text_width(title)) / 2, w - 2, TS_TITLE, title);
	for (int i = 0; i < n && i + 2 < h - 1; i++) {
		char *shown = text_ellipsize(_(help_lines[i]), w - 4);

		term_print(y + 2 + i, x + 2, w - 4, TS_NORMAL, shown);
		free(shown);
	}
}

static int
help_key(struct app *app, struct view *v, const struct term_key *k)
{
	(void)v;
	if (k->code == K_ESC || k->code == K_F1 || k->code == K_ENTER) {
		app->active = app->under_help;
		app_dirty(app, AD_ALL);
		return VF_HANDLED;
	}
	return VF_IGNORED;
}

static const struct bar_item help_bar_items[] = {
	{ K_ESC, N_("Close") },
};

const struct view_ops help_view_ops = {
	.draw = help_draw,
	.key = help_key,
	.bar = help_bar_items,
	.nbar = sizeof help_bar_items / sizeof help_bar_items[0],
};
