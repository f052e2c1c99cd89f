/*
 * A one-line text input field holding UTF-8. Editing never loses what was
 * typed; masked fields draw '*' per character; digits-only fields refuse
 * other characters; control characters (pasted escapes, tabs) are refused
 * in every field. field_clear() wipes the memory (for passwords).
 */
#ifndef YC_FIELD_H
#define YC_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/term.h"

#define FIELD_BYTES 512

struct field {
	char buf[FIELD_BYTES];
	size_t len, cur;	/* bytes */
	int max_chars;
	bool masked, digits;
	unsigned changes;	/* counts the keys that changed the text (a full
				 * field refuses characters without a change) */
};

void field_init(struct field *f, int max_chars, bool masked, bool digits);
/* Applies an editing key; true when the key was consumed. */
bool field_key(struct field *f, const struct term_key *k);
/* Draws into w columns at (y, x); returns the cursor column. */
int field_draw(const struct field *f, int y, int x, int w, bool active);
void field_clear(struct field *f);
/* Replaces the text (cut to the field's limits on a character boundary);
 * the cursor goes to the end. */
void field_set(struct field *f, const char *text);
const char *field_text(const struct field *f);

#endif
