/*
 * Text-message templates: the kinds, their variables and the check; see
 * sms.h. The tags are read here (only the allowed ones pass); the longest
 * message is then rendered by the Mustache engine itself, with every
 * variable a string of its maximum length and the section on (there are
 * no inverted sections, so a section only ever adds text).
 */
#include "model/sms.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/mustache.h"
#include "model/text.h"
#include "util/file.h"
#include "util/xalloc.h"

/* A template file larger than this is refused unread (one SMS is 70
 * characters; this leaves room for nothing but mistakes). */
#define SMS_MAX_FILE 4096

const struct sms_var sms_vars[] = {
	{ "item", CAT_SMS_NAME_MAX, "the item's name in text messages (<name short=\"…\">, else the name)" },
	{ "case_no", 24, "the case number (office code of up to 12 digits, yyyymmdd, 4 digits)" },
	{ "date", 11, "the day the message is written, as 2026年11月23日" },
	{ "promised", 11, "the promised date of 办结" },
	{ "notice_no", 25, "the number of the notice (一次性告知书, 容缺受理通知书)" },
	{ "count", 2, "how many checklist lines are missing (supplement) or deferred" },
	{ "due", 11, "the earliest supply-by date of the deferred materials" },
	{ "result", 20, "the 办结 result as the back office typed it (cut)" },
	{ "card", 6, "尾号1234, or 登记 when the card number has fewer than 4 digits" },
	{ "reason", 30, "the reason of 终止 or 撤回 (cut)" },
	{ "code", 8, "the appointment code (8 digits)" },
	{ "slot", 17, "the appointment's slot, as 12月25日09:00-09:30" },
	{ NULL, 0, NULL },
};

const char *const sms_common_vars[] = { "item", "case_no", "date", NULL };

static const char *const sms_accepted[] = { "promised", NULL };
static const char *const sms_none[] = { NULL };
static const char *const sms_supplement[] = { "notice_no", "count", NULL };
static const char *const sms_deferred[] = { "notice_no", "promised", "due", "count", NULL };
static const char *const sms_reminder[] = { "due", "count", NULL };
static const char *const sms_finished[] = { "result", "card", NULL };
static const char *const sms_reason[] = { "reason", NULL };
static const char *const sms_appointment[] = { "code", "slot", NULL };

const struct sms_kind sms_kinds[] = {
	{ "accepted", sms_accepted, NULL },
	{ "supplement", sms_supplement, NULL },
	{ "deferred", sms_deferred, NULL },
	{ "deferred_reminder", sms_reminder, NULL },
	{ "finished_now", sms_none, NULL },
	{ "finished", sms_finished, "pays" },
	{ "terminated", sms_reason, NULL },
	{ "withdrawn", sms_reason, NULL },
	{ "appointment_booked", sms_appointment, NULL },
	{ "appointment_changed", sms_appointment, NULL },
	{ "appointment_cancelled", sms_appointment, NULL },
	{ "proactive", sms_accepted, NULL },
	{ NULL, NULL, NULL },
};

const struct sms_kind *
sms_kind_find(const char *name)
{
	for (const struct sms_kind *k = sms_kinds; name != NULL && k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

int
sms_var_max(const char *name)
{
	for (const struct sms_var *v = sms_vars; name != NULL && v->name != NULL; v++)
		if (strcmp(v->name, name) == 0)
			return v->max;
	return -1;
}

static bool
sms_in(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

bool
sms_kind_has(const struct sms_kind *k, const char *name)
{
	return sms_in(sms_common_vars, name) || sms_in(k->vars, name);
}

/* "item, case_no, date, promised": the variables of k, for messages. */
static char *
sms_var_list(const struct sms_kind *k)
{
	char *out = xstrdup(""), *next;

	for (int pass = 0; pass < 2; pass++)
		for (const char *const *v = pass == 0 ? sms_common_vars : k->vars; *v != NULL; v++) {
			next = xasprintf("%s%s%s", out, *out != '\0' ? ", " : "", *v);
			free(out);
			out = next;
		}
	return out;
}

char *
sms_vars_json(const struct sms_kind *k)
{
	char *out = xstrdup("{"), *next;

	for (int pass = 0; pass < 2; pass++)
		for (const char *const *v = pass == 0 ? sms_common_vars : k->vars; *v != NULL; v++) {
			next = xasprintf("%s%s\"%s\":%d", out, out[1] != '\0' ? "," : "", *v,
			    sms_var_max(*v));
			free(out);
			out = next;
		}
	next = xasprintf("%s}", out);
	free(out);
	return next;
}

/* ---- diagnostics ------------------------------------------------------- */

static void __attribute__((format(printf, 4, 5)))
sms_diag(struct cat_diags *ds, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	ds->d = xreallocarray(ds->d, ds->n + 1, sizeof *ds->d);
	ds->d[ds->n].file = xstrdup(file != NULL ? file : "");
	ds->d[ds->n].line = line;
	va_start(ap, fmt);
	ds->d[ds->n].message = xvasprintf(fmt, ap);
	va_end(ap);
	ds->n++;
}

/* ---- one template ------------------------------------------------------ */

/* The line (from 1) of byte pos of text. */
static int
sms_line_at(const char *text, size_t pos)
{
	int line = 1;

	for (size_t i = 0; i < pos; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static bool
sms_name_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* The text of the first n bytes of s, spaces and tabs around it removed. */
static char *
sms_trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/* Line breaks (other than the final one) and control characters. */
static void
sms_check_chars(const char *file, const char *text, size_t blen, struct cat_diags *diags)
{
	int line = 1;

	for (size_t i = 0; i < blen; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			sms_diag(diags, file, line + 1,
			    _("a text message is one line: nothing may follow the first line break"));
			return;
		}
		if (c < 0x20 || c == 0x7f) {
			sms_diag(diags, file, line, _("control character U+%04X in the message"), (unsigned)c);
			return;
		}
	}
}

/* One tag, inner the text between its braces. *open is the section open
 * (NULL when none), *open_line its line. */
static void
sms_check_tag(const char *file, const struct sms_kind *k, const char *inner, size_t n, int line,
    char **open, int *open_line, struct cat_diags *diags)
{
	char *tag = sms_trimmed(inner, n), *name;
	char sigil = tag[0];

	if (sigil == '#' || sigil == '/') {
		name = sms_trimmed(tag + 1, strlen(tag + 1));
		if (!sms_name_ok(name, strlen(name)))
			sms_diag(diags, file, line, _("tag {{%s}} is not allowed: a text message uses only "
			    "{{name}} variables and its kind's one section"), tag);
		else if (sigil == '#' && (k->section == NULL || strcmp(name, k->section) != 0))
			sms_diag(diags, file, line, k->section == NULL ?
			    _("section {{#%s}} is not allowed: %s messages have no section") :
			    _("section {{#%s}} is not allowed: %s messages have only {{#pays}}"),
			    name, k->name);
		else if (sigil == '#' && *open != NULL)
			sms_diag(diags, file, line, _("section {{#%s}} inside {{#%s}}: sections do not nest"),
			    name, *open);
		else if (sigil == '#') {
			*open = xstrdup(name);
			*open_line = line;
		} else if (*open == NULL || strcmp(*open, name) != 0)
			sms_diag(diags, file, line, _("{{/%s}} closes no open section"), name);
		else {
			free(*open);
			*open = NULL;
		}
		free(name);
	} else if (!sms_name_ok(tag, strlen(tag))) {
		sms_diag(diags, file, line, _("tag {{%s}} is not allowed: a text message uses only "
		    "{{name}} variables and its kind's one section"), tag);
	} else if (!sms_kind_has(k, tag)) {
		char *known = sms_var_list(k);

		sms_diag(diags, file, line, _("unknown variable {{%s}}: %s messages know %s"), tag,
		    k->name, known);
		free(known);
	}
	free(tag);
}

/* The tags of the message; false when one is refused. */
static bool
sms_check_tags(const char *file, const struct sms_kind *k, const char *text, size_t blen,
    struct cat_diags *diags)
{
	size_t first = diags->n, pos = 0;
	char *open = NULL;
	int open_line = 0;

	while (pos < blen) {
		const char *q = memmem(text + pos, blen - pos, "{{", 2), *r;
		size_t at;

		if (q == NULL)
			break;
		at = (size_t)(q - text);
		r = memmem(q + 2, blen - at - 2, "}}", 2);
		if (r == NULL) {
			sms_diag(diags, file, sms_line_at(text, at), _("unclosed tag: {{ without }}"));
			break;
		}
		/* {{{x}}}: the third brace belongs to the tag */
		if ((size_t)(r + 2 - text) < blen && r[2] == '}')
			r++;
		sms_check_tag(file, k, q + 2, (size_t)(r - q - 2), sms_line_at(text, at), &open,
		    &open_line, diags);
		pos = (size_t)(r + 2 - text);
	}
	if (open != NULL) {
		sms_diag(diags, file, open_line, _("section {{#%s}} is not closed"), open);
		free(open);
	}
	return diags->n == first;
}

/* A string of n characters (字), the longest value of a variable. */
static struct mu_value *
sms_longest_value(int n)
{
	char *s = xmalloc((size_t)(n > 0 ? n : 0) * 3 + 1);
	struct mu_value *v;

	s[0] = '\0';
	for (int i = 0; i < n; i++)
		memcpy(s + (size_t)i * 3, "字", 4);
	v = mu_str(s);
	free(s);
	return v;
}

/* The longest message of a template whose tags passed, or -1 (with a
 * diagnostic) when the engine refuses it. */
static int
sms_longest(const char *file, const struct sms_kind *k, const char *body, struct cat_diags *diags)
{
	struct mu_value *d = mu_map();
	char *out, *err = NULL;
	int n = -1;

	for (int pass = 0; pass < 2; pass++)
		for (const char *const *v = pass == 0 ? sms_common_vars : k->vars; *v != NULL; v++)
			mu_map_set(d, *v, sms_longest_value(sms_var_max(*v)));
	if (k->section != NULL)
		mu_map_set(d, k->section, mu_bool(true));
	out = mu_render(body, d, NULL, false, &err);
	if (out == NULL) {
		sms_diag(diags, file, 1, "%s", err != NULL ? err : "");
	} else {
		n = (int)text_chars(out);
	}
	free(out);
	free(err);
	mu_value_free(&d);
	return n;
}

bool
sms_check(const char *file, const struct sms_kind *k, const char *text, size_t len,
    struct cat_diags *diags, char **body, int *longest)
{
	size_t first = diags->n, blen = len;
	char *b;
	int n;

	if (body != NULL)
		*body = NULL;
	if (!text_valid(text, len)) {
		size_t i = 0;
		uint32_t cp;
		int step;

		while ((step = text_decode(text + i, len - i, &cp)) > 0)
			i += (size_t)step;
		sms_diag(diags, file, sms_line_at(text, i), _("not valid UTF-8"));
		return false;
	}
	if (blen > 0 && text[blen - 1] == '\n')
		blen--;
	if (blen > 0 && text[blen - 1] == '\r')
		blen--;
	sms_check_chars(file, text, blen, diags);
	if (blen < strlen(SMS_SIGNATURE) || memcmp(text, SMS_SIGNATURE, strlen(SMS_SIGNATURE)) != 0)
		sms_diag(diags, file, 1, _("a text message begins with the signature %s"), SMS_SIGNATURE);
	if (!sms_check_tags(file, k, text, blen, diags) || diags->n > first)
		return false;
	b = xstrndup(text, blen);
	n = sms_longest(file, k, b, diags);
	if (n > SMS_MAX_CHARS)
		sms_diag(diags, file, 1, _("the longest message is %d characters (every variable at its "
		    "longest), more than the %d of one text message"), n, SMS_MAX_CHARS);
	if (diags->n > first) {
		free(b);
		return false;
	}
	if (longest != NULL)
		*longest = n;
	if (body != NULL)
		*body = b;
	else
		free(b);
	return true;
}

/* ---- the directory ----------------------------------------------------- */

#define SMS_EXT ".mustache"

static char *
sms_path(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return xasprintf("%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", name);
}

/* Every DIR/NAME.mustache must be of a kind. */
static void
sms_check_names(const char *dir, struct cat_diags *diags)
{
	DIR *dp = opendir(dir);
	struct dirent *e;

	if (dp == NULL) {
		sms_diag(diags, dir, 0, _("cannot open the directory: %s"), strerror(errno));
		return;
	}
	while ((e = readdir(dp)) != NULL) {
		size_t l = strlen(e->d_name), x = strlen(SMS_EXT);
		char *kind, *path;

		if (e->d_name[0] == '.' || l <= x || strcmp(e->d_name + l - x, SMS_EXT) != 0)
			continue;
		kind = xstrndup(e->d_name, l - x);
		if (sms_kind_find(kind) == NULL) {
			char *kinds = xstrdup(""), *next;

			for (const struct sms_kind *k = sms_kinds; k->name != NULL; k++) {
				next = xasprintf("%s%s%s", kinds, *kinds != '\0' ? ", " : "", k->name);
				free(kinds);
				kinds = next;
			}
			path = sms_path(dir, e->d_name);
			sms_diag(diags, path, 0, _("no text message is called \"%s\" (the kinds: %s)"), kind,
			    kinds);
			free(path);
			free(kinds);
		}
		free(kind);
	}
	closedir(dp);
}

struct sms_set *
sms_load_dir(const char *dir, struct cat_diags *diags)
{
	struct sms_set *set = xcalloc(1, sizeof *set);
	size_t first = diags->n;

	sms_check_names(dir, diags);
	if (diags->n > first) {
		sms_set_free(&set);
		return NULL;
	}
	for (const struct sms_kind *k = sms_kinds; k->name != NULL; k++) {
		char *name = xasprintf("%s%s", k->name, SMS_EXT), *path = sms_path(dir, name);
		size_t len;
		char *text = file_read(path, SMS_MAX_FILE, &len), *body = NULL;
		int longest = 0;

		free(name);
		if (text == NULL && errno == ENOENT)
			sms_diag(diags, path, 0, _("missing: every kind of text message needs its template"));
		else if (text == NULL && errno == EFBIG)
			sms_diag(diags, path, 0, _("file is larger than %d bytes"), SMS_MAX_FILE);
		else if (text == NULL)
			sms_diag(diags, path, 0, _("cannot read the file: %s"), strerror(errno));
		if (text != NULL && sms_check(path, k, text, len, diags, &body, &longest)) {
			set->t = xreallocarray(set->t, set->n + 1, sizeof *set->t);
			set->t[set->n++] = (struct sms_template){ k, path, text, body, longest };
			continue;
		}
		free(text);
		free(path);
	}
	if (diags->n > first)
		sms_set_free(&set);
	return set;
}

void
sms_set_free(struct sms_set **set)
{
	if (set == NULL || *set == NULL)
		return;
	for (size_t i = 0; i < (*set)->n; i++) {
		free((*set)->t[i].file);
		free((*set)->t[i].text);
		free((*set)->t[i].body);
	}
	free((*set)->t);
	free(*set);
	*set = NULL;
}
