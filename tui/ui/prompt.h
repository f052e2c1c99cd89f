/*
 * A small modal question drawn over the work area: either a numbered menu
 * (the digit or Enter on the highlighted line chooses) or one input field
 * (Enter submits). Esc cancels. The caller keeps a tag saying what the
 * answer is for.
 *
 * Only a key typed on its own chooses a menu item: a digit or Enter that
 * came in one read with other input or inside a paste (term_key.burst,
 * .pasted) is refused, and the menu says to press the key itself. A
 * pasted Enter never submits a field either (term.c turns it into a
 * space); a burst Enter does (an ID or barcode reader types the number
 * and Enter in one go).
 */
#ifndef YC_PROMPT_H
#define YC_PROMPT_H

#include <stdbool.h>

#include "ui/field.h"
#include "ui/term.h"

#define PROMPT_ITEMS 9

enum prompt_kind { PROMPT_NONE, PROMPT_MENU, PROMPT_FIELD };
enum prompt_outcome { PR_PENDING, PR_CANCEL, PR_DONE };

struct prompt {
	enum prompt_kind kind;
	int tag;
	char title[160];
	char items[PROMPT_ITEMS][96];
	int nitems, sel;
	bool refused;	/* a pasted key was refused: the menu says so */
	struct field field;
};

/* Opens a menu of n (≤ PROMPT_ITEMS) translated labels. */
void prompt_menu(struct prompt *p, int tag, const char *title, const char *const *labels, int n);
/* Opens an input field. */
void prompt_field(struct prompt *p, int tag, const char *title, int max_chars, bool digits);
bool prompt_active(const struct prompt *p);
void prompt_close(struct prompt *p);
/* Handles a key. On PR_DONE: *choice is the menu index (menus) and the
 * field text is in p->field (fields); the prompt closes on DONE/CANCEL. */
enum prompt_outcome prompt_key(struct prompt *p, const struct term_key *k, int *choice);
/* Draws centred in rows [top, top + rows); *cy, *cx get the cursor (-1
 * when hidden). */
void prompt_draw(const struct prompt *p, int top, int rows, int *cy, int *cx);

#endif
