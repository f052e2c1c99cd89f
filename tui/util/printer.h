/*
 * Print channels: where a printed document (a ticket slip, a receipt)
 * goes. A channel is named by a string:
 *
 *   file:PATH     appends the document to PATH, creating it (and missing
 *                 parent directories, 0700) when needed; always available.
 *                 The file is made 0600 whatever the umask (documents
 *                 carry names and phone numbers), and each document goes
 *                 in whole or not at all: one writer at a time (flock),
 *                 and a write that fails (a full disk, a size limit) is
 *                 cut off again, leaving the file as it was
 *   lp            pipes it to `lp -s` (the CUPS default destination)
 *   lp:QUEUE      pipes it to `lp -s -d QUEUE`
 *   passthrough   CSI 5 i, the document, CSI 4 i written to the terminal
 *                 itself: a printer attached to the terminal prints it
 *                 (printer controller mode) and the screen does not show it
 *
 * Documents are UTF-8 text, lines separated by '\n'. Whatever a value in
 * them holds, no control character, bidirectional override or invalid
 * UTF-8 reaches a channel (util/safetext.h: dropped; a tab becomes a
 * space), so a stored name cannot end a pass-through print early nor
 * clear the clerk's screen. file and lp get them
 * as UTF-8 ('\n' lines); passthrough converts them to the terminal's
 * codeset (conv_to_terminal) with "\r\n" line ends. lp runs by fork and
 * exec (found in PATH), never through a shell; its output is discarded.
 * A process using passthrough under curses must repaint the whole screen
 * afterwards (a terminal without a printer may show the text).
 *
 * Errors come back as a malloc'd sentence in *why (the caller frees it),
 * translated by the function given to printer_open: util does not know
 * the message catalogues, so callers pass i18n_get (model/i18n.h), and
 * NULL gives the English msgids. SIGPIPE and SIGXFSZ are ignored while
 * writing.
 */
#ifndef YC_PRINTER_H
#define YC_PRINTER_H

#include <stdbool.h>

enum printer_kind { PRINTER_FILE, PRINTER_LP, PRINTER_PASSTHROUGH };

struct printer;

/* Translates a msgid (i18n_get); returns msgid itself when it has none. */
typedef const char *printer_tr_fn(const char *msgid);

/* Parses a channel name; NULL with *why when it is not one of the above
 * (an empty PATH or QUEUE, or a QUEUE starting with '-', is refused).
 * tr (NULL: English) translates this and every later error of p. */
struct printer *printer_open(const char *spec, printer_tr_fn *tr, char **why);
void printer_free(struct printer **p);
enum printer_kind printer_kind(const struct printer *p);
/* The channel as given to printer_open. */
const char *printer_spec(const struct printer *p);
/* passthrough writes to fd (default 1, the terminal). */
void printer_set_fd(struct printer *p, int fd);
/* The NULL-terminated argv that lp runs with (NULL for other kinds);
 * owned by p. */
const char *const *printer_lp_argv(const struct printer *p);
/* The encoding documents are sent in: NULL (the default) means UTF-8 for
 * file and lp and the terminal's codeset for passthrough; otherwise an
 * iconv name such as "GB18030" for every kind. false when iconv does not
 * know it. */
bool printer_set_encoding(struct printer *p, const char *codeset);
/* Prints doc; 0 on success, -1 with *why. Waits for lp to finish. */
int printer_print(struct printer *p, const char *doc, char **why);

/*
 * The channel of a default spool file, "file:VAR/print/NAME" (malloc'd),
 * after making VAR/print a private directory: created 0700 when missing,
 * and made 0700 again when it exists with other bits (an older version
 * made it 0755), whatever the umask.
 */
char *printer_spool(const char *var, const char *name);

#endif
