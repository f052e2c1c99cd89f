/* Modal menu or input field; see prompt.h. */
#include "ui/prompt.h"

#include <stdio.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"

void
prompt_menu(struct prompt *p, int tag, const char *title, const char *const *labels, int n)
{
	memset(p, 0, sizeof *p);
	p->kind = PROMPT_MENU;
	p->tag = tag;
	snprintf(p->title, sizeof p->title, "%s", title);
	p->nitems = n < PROMPT_ITEMS ? n : PROMPT_ITEMS;
	for (int i = 0; i < p->nitems; i++)
		snprintf(p->items[i], sizeof p->items[i], "%d  %s", i + 1, labels[i]);
}

void
prompt_field(struct prompt *p, int tag, const char *title, int max_chars, bool digits)
{
	memset(p, 0, sizeof *p);
	p->kind = PROMPT_FIELD;
	p->tag = tag;
	snprintf(p->title, sizeof p->title, "%s", title);
	field_init(&p->field, max_chars, false, digits);
}

bool
prompt_active(const struct prompt *p)
{
	return p->kind != PROMPT_NONE;
}

void
prompt_close(struct prompt *p)
{
	field_clear(&p->field);
	p->kind = PROMPT_NONE;
}

enum prompt_outcome
prompt_key(struct prompt *p, const struct term_key *k, int *choice)
{
	if (k->code == K_ESC) {
		prompt_close(p);
		return PR_CANCEL;
	}
	if (p->kind == PROMPT_FIELD) {
		if (k->code == K_ENTER) {
			p->kind = PROMPT_NONE;	/* the field keeps its text for the caller */
			return PR_DONE;
		}
		field_key(&p->field, k);
		return PR_PENDING;
	}
	if ((k->burst || k->pasted) && (k->code == K_ENTER || k->code == K_CHAR)) {
		p->refused = true;
		return PR_PENDING;
	}
	switch (k->code) {
	case K_UP:
		p->sel = (p->sel + p->nitems - 1) % p->nitems;
		return PR_PENDING;
	case K_DOWN:
		p->sel = (p->sel + 1) % p->nitems;
		return PR_PENDING;
	case K_ENTER:
		*choice = p->sel;
		prompt_close(p);
		return PR_DONE;
	case K_CHAR:
		if (k->ch >= '1' && k->ch < (uint32_t)('1' + p->nitems)) {
			*choice = (int)(k->ch - '1');
			prompt_close(p);
			return PR_DONE;
		}
		return PR_PENDING;
	default:
		return PR_PENDING;
	}
}

void
prompt_draw(const struct prompt *p, int top, int rows, int *cy, int *cx)
{
	int cols = term_cols(), h = p->kind == PROMPT_MENU ? p->nitems + 4 + (p->refused ? 1 : 0) : 5;
	const char *refused = _("Pasted keys do not choose: press the number key.");
	int w = text_width(p->title) + 6, y, x;

	*cy = *cx = -1;
	for (int i = 0; i < p->nitems; i++)
		if (text_width(p->items[i]) + 6 > w)
			w = text_width(p->items[i]) + 6;
	if (p->refused && text_width(refused) + 6 > w)
		w = text_width(refused) + 6;
	if (w < 30)
		w = 30;
	if (w > cols - 2)
		w = cols - 2;
	if (h > rows)
		h = rows;
	y = top + (rows - h) / 2;
	x = (cols - w) / 2;
	for (int i = 0; i < h; i++)
		term_fill(y + i, x, w, TS_NORMAL);
	term_box(y, x, h, w, TS_NORMAL);
	term_print(y, x + 2, w - 4, TS_TITLE, p->title);
	if (p->kind == PROMPT_FIELD) {
		*cy = y + 2;
		*cx = field_draw(&p->field, y + 2, x + 2, w - 4, true);
		return;
	}
	for (int i = 0; i < p->nitems && i + 2 < h - 1; i++)
		term_print(y + 2 + i, x + 2, w - 4, i == p->sel ? TS_FIELD_ACTIVE : TS_NORMAL, p->items[i]);
	if (p->refused && p->nitems + 3 < h - 1)
		term_print(y + p->nitems + 3, x + 2, w - 4, TS_WARN, refused);
}
