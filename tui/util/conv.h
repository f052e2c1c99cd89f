/*
 * The character-set edge. Text inside the program is UTF-8; the terminal
 * may be GB18030 or GBK. Curses output goes through wide characters (the
 * C library converts); plain stdout/stderr output goes through these.
 */
#ifndef YC_CONV_H
#define YC_CONV_H

#include <stdbool.h>
#include <stdio.h>

/* Call after setlocale(): records the locale's codeset. */
void conv_init(void);
/* The terminal's codeset name as nl_langinfo(CODESET) reported it. */
const char *conv_codeset(void);
bool conv_is_utf8(void);
/* Malloc'd conversion of UTF-8 text to the terminal codeset (unrepresentable
 * characters become '?'). Never NULL. */
char *conv_to_terminal(const char *utf8);
/* Malloc'd conversion of UTF-8 text to codeset (e.g. "GB18030"),
 * unrepresentable characters becoming '?'. NULL when iconv does not know
 * the codeset. */
char *conv_to(const char *codeset, const char *utf8);
/* Malloc'd conversion of text in codeset to UTF-8, or NULL when it is not
 * valid there. */
char *conv_from(const char *codeset, const char *bytes);
/* Malloc'd conversion of terminal-codeset text to UTF-8, or NULL if the
 * input is not valid in that codeset. */
char *conv_from_terminal(const char *bytes);
/* printf of UTF-8 text to a stream, converted to the terminal codeset. */
void conv_fprintf(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
