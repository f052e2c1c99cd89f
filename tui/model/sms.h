/*
 * Text messages to citizens: the templates print_templates/sms/<kind>.mustache
 * and the check `yichuang db migrate` runs before loading them into the
 * database (yc.sms_template), where the server renders them into
 * yc.outbox in the transaction of each outcome (db/functions/outbox.sql).
 *
 * The template language is a small part of Mustache, so that the SQL
 * renderer stays a few lines and the longest message can be known before
 * any is sent:
 *   - one message per file, on one line (a final line break is allowed),
 *     beginning with the signature 【医保】;
 *   - {{name}} variables (names [a-z][a-z0-9_]*, spaces inside the braces
 *     allowed), each one the kind declares (sms_kinds); values are never
 *     HTML-escaped;
 *   - at most the one section the kind declares, {{#pays}} … {{/pays}} of
 *     finished (the bank-card sentence), not nested: its text is there when
 *     the value is true;
 *   - no other tag: no {{{x}}}, {{&x}}, {{^x}}, {{!x}}, {{>x}}, {{=x=}}.
 * Every variable has a maximum length in characters (struct sms_var.max):
 * the data guarantees some (a case number has at most 24 characters, the
 * catalogue's SMS name of an item CAT_SMS_NAME_MAX), and the server cuts a
 * longer value to max - 1 characters and "…" (the 办结 result, a reason).
 * The longest message — every variable at its maximum, the section in —
 * must be at most SMS_MAX_CHARS characters: one SMS. Characters are
 * Unicode code points (a character beyond the BMP, rare in names, would
 * take two of an SMS's 70).
 *
 * Diagnostics are struct cat_diag (file, line, translated message), as
 * `forms check` prints them: "file:line: message".
 */
#ifndef YC_MODEL_SMS_H
#define YC_MODEL_SMS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/catalogue.h"

/* One SMS in UCS-2: what every message must fit. */
#define SMS_MAX_CHARS 70
/* The sender's signature every message begins with. */
#define SMS_SIGNATURE "【医保】"

struct sms_var {
	const char *name;
	int max;			/* characters at most (the server cuts longer values) */
	const char *what;		/* what it holds, for documentation */
};

struct sms_kind {
	const char *name;		/* the file's name, yc.outbox.kind */
	const char *const *vars;	/* its own variables besides sms_common_vars, NULL-ended */
	const char *section;		/* the one section allowed, or NULL */
};

/* Every variable a template may name, NULL-ended (name NULL). */
extern const struct sms_var sms_vars[];
/* The variables every kind has (item, case_no, date), NULL-ended. */
extern const char *const sms_common_vars[];
/* The kinds, NULL-ended (name NULL): accepted, supplement, deferred,
 * deferred_reminder, finished_now, finished, terminated, withdrawn,
 * appointment_booked, appointment_changed, appointment_cancelled,
 * proactive. */
extern const struct sms_kind sms_kinds[];

/* The kind of that name, or NULL. */
const struct sms_kind *sms_kind_find(const char *name);
/* The maximum length of a variable, or -1 when there is none of that name. */
int sms_var_max(const char *name);
/* Whether the kind k has the variable name. */
bool sms_kind_has(const struct sms_kind *k, const char *name);
/* The variables of k and their maximum lengths as a JSON object
 * ({"item":16,...}), what the server cuts values to. Malloc'd. */
char *sms_vars_json(const struct sms_kind *k);

/*
 * Checks the template text (len bytes, need not be NUL-terminated) of kind
 * k; file names it in diagnostics, each appended to diags with its line.
 * On success returns true, *body (may be NULL) gets the message template
 * without its final line break (malloc'd) and *longest (may be NULL) the
 * length of the longest message it can give. On failure *body is NULL.
 */
bool sms_check(const char *file, const struct sms_kind *k, const char *text, size_t len,
    struct cat_diags *diags, char **body, int *longest);

struct sms_template {
	const struct sms_kind *kind;
	char *file;			/* the path it was read from */
	char *text;			/* the file as read */
	char *body;			/* the message template (sms_check) */
	int longest;
};

struct sms_set {
	struct sms_template *t;		/* in the order of sms_kinds */
	size_t n;
};

/*
 * Reads DIR/<kind>.mustache for every kind and checks each (sms_check); a
 * missing kind, a file DIR/NAME.mustache of no kind or one that cannot be
 * read is a diagnostic too. Returns the set of all kinds, or NULL when
 * there is any diagnostic.
 */
struct sms_set *sms_load_dir(const char *dir, struct cat_diags *diags);
void sms_set_free(struct sms_set **set);

#endif
