/*
 * Choosing a new password: the signed-in user's own change (the view
 * AV_PASSWORD, password.c, reached with P from the workbench of every
 * role) and the change the sign-in screen asks for after a reset or when
 * the password has expired (login.c). Both show the policy's rules and,
 * when the database refuses a new password, the sentence naming the rule
 * it broke (store/auth.h).
 */
#ifndef YC_UI_PASSWORD_H
#define YC_UI_PASSWORD_H

#include "ui/term.h"

/* Draws text wrapped to w columns from (y, x), at most max_rows rows;
 * returns the rows used. */
int password_draw_wrapped(int y, int x, int w, int max_rows, enum term_style st, const char *text);
/* How many rows text takes wrapped to w columns. */
int password_text_rows(const char *text, int w);

#endif
