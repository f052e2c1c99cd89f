/*
 * Printing from the workstation: documents rendered for the window's print
 * channel (a file, lp, or pass-through to the terminal's own printer), in
 * the window's encoding and width. Each comes from the command line
 * (--printer, --print-encoding, --print-width), else from the window's
 * settings in the database (yc.service_window, read at sign-in), else
 * the default: a file under var/print named by office and window, UTF-8,
 * 80 columns. The last document printed is kept for a reprint (F8) until
 * sign-out.
 */
#ifndef YC_PRINTOUT_H
#define YC_PRINTOUT_H

#include <stdbool.h>

#include "model/mustache.h"
#include "ui/app.h"

/* The document template rendered against data at the window's print
 * width: malloc'd, or NULL with *why (malloc'd). */
char *printout_render(struct app *app, const char *template, const struct mu_value *data, char **why);
/* The same with the data of a case or notice from the database. */
char *printout_case(struct app *app, const char *template, const char *key, char **why);
/* The translated name of a document template ("supplement-notice" →
 * 一次性告知书); the template name itself when unknown. */
const char *printout_document_name(const char *template);
/* Says on the message line that printing failed and why (why is freed;
 * may be NULL). */
void printout_failed(struct app *app, char *why);
/* Prints doc (what names it in the message line, translated); true when
 * it went out. The document becomes the one F8 reprints. */
bool printout_send(struct app *app, const char *doc, const char *what);
/* Prints the last document again; false (with a message) when none. */
bool printout_reprint(struct app *app);
/* Forgets the last document (sign-out). */
void printout_forget(struct app *app);
/* Reads the print settings of the signed-in window from the database
 * (at sign-in); when its channel is what printing uses, says on the
 * message line where the window prints. */
void printout_window_load(struct app *app);
/* Forgets them (sign-out). */
void printout_window_forget(struct app *app);
/* The page width documents are laid out for (80 or 40). */
int printout_width(const struct app *app);

#endif
