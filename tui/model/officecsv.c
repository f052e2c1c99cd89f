/* The office import file; see officecsv.h. */
#include "model/officecsv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/i18n.h"
#include "model/text.h"
#include "util/xalloc.h"

enum { OC_CODE, OC_NAME, OC_PARENT, OC_TIER, OC_ADDRESS, OC_PHONE, OC_NCOLS };

static const char *const officecsv_cols[OC_NCOLS] = {
	"code", "name", "parent", "tier", "address", "phone"
};

/* The fields of one record. */
struct oc_fields {
	char **v;
	size_t n, cap;
};

/* Appends the len bytes at s, trimmed of spaces and tabs. */
static void
oc_push(struct oc_fields *f, const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (f->n == f->cap) {
		f->cap = f->cap > 0 ? f->cap * 2 : 8;
		f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	f->v[f->n++] = xstrndup(s, len);
}

static void
oc_fields_clear(struct oc_fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	f->n = 0;
}

/* Adds an error (msg is taken). */
static void
oc_error(struct officecsv *c, int line, char *msg)
{
	c->errors = xreallocarray(c->errors, c->nerrors + 1, sizeof *c->errors);
	c->errors[c->nerrors].line = line;
	c->errors[c->nerrors].message = msg;
	c->nerrors++;
}

/* Moves *i past the end of the physical line it is on (and *line on). */
static void
oc_skip_line(const char *t, size_t len, size_t *i, int *line)
{
	while (*i < len && t[*i] != '\n')
		(*i)++;
	if (*i < len) {
		(*i)++;
		(*line)++;
	}
}

/*
 * Reads the record at *pos into f (cleared first), moving *pos past it
 * and *line on by the line ends it held. 0: read; -1: a bad record (its
 * error added; *pos at the next line); -2: the rest of the file cannot be
 * read (a quoted field never closed).
 */
static int
oc_record(struct officecsv *c, const char *t, size_t len, size_t *pos, int *line, struct oc_fields *f)
{
	size_t i = *pos, bl = 0, bcap = 64;
	int start = *line, rc = 0;
	char *buf = xmalloc(bcap);

	oc_fields_clear(f);
	for (;;) {
		size_t j = i;

		while (j < len && (t[j] == ' ' || t[j] == '\t'))
			j++;
		if (j < len && t[j] == '"') {
			i = j + 1;
			bl = 0;
			for (;;) {
				if (i >= len) {
					oc_error(c, start, xstrdup(_("a quoted field is not closed")));
					i = len;
					rc = -2;
					goto out;
				}
				if (t[i] == '"') {
					if (i + 1 < len && t[i + 1] == '"')
						i++;
					else {
						i++;
						break;
					}
				} else if (t[i] == '\n')
					(*line)++;
				if (bl + 1 >= bcap)
					buf = xrealloc(buf, bcap *= 2);
				buf[bl++] = t[i++];
			}
			while (i < len && (t[i] == ' ' || t[i] == '\t'))
				i++;
			oc_push(f, buf, bl);
			if (i >= len)
				goto out;
			if (t[i] == ',') {
				i++;
				continue;
			}
			if (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n')
				i++;
			if (t[i] == '\n') {
				i++;
				(*line)++;
				goto out;
			}
			oc_error(c, *line, xstrdup(_("text after the closing quote of a field")));
			oc_skip_line(t, len, &i, line);
			rc = -1;
			goto out;
		} else {
			size_t s = i, e;

			while (i < len && t[i] != ',' && t[i] != '\n') {
				if (t[i] == '"') {
					oc_error(c, *line, xstrdup(_("a double quote inside a field that does "
					    "not start with one")));
					oc_skip_line(t, len, &i, line);
					rc = -1;
					goto out;
				}
				i++;
			}
			e = i;
			if (e > s && t[e - 1] == '\r' && (i >= len || t[i] == '\n'))
				e--;
			oc_push(f, t + s, e - s);
			if (i >= len)
				goto out;
			if (t[i] == ',') {
				i++;
				continue;
			}
			i++;
			(*line)++;
			goto out;
		}
	}
out:
	free(buf);
	*pos = i;
	return rc;
}

/* Whether every field of f is empty (a blank line, or only commas). */
static bool
oc_blank(const struct oc_fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i][0] != '\0')
			return false;
	return true;
}

/* Checks the text line by line: UTF-8, no NUL. false (error added) at the
 * first line that is not. */
static bool
oc_text_ok(struct officecsv *c, const char *t, size_t len)
{
	int line = 1;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - (t + i)) : len - i;

		if (memchr(t + i, '\0', n) != NULL) {
			oc_error(c, line, xstrdup(_("a NUL byte: this is not a text file")));
			return false;
		}
		if (!text_valid(t + i, n)) {
			oc_error(c, line, xstrdup(_("not UTF-8 text (save the file as CSV UTF-8)")));
			return false;
		}
		i += n + 1;
		line++;
	}
	return true;
}

/* Maps the header's fields to columns: col[k] the field index of column
 * k (-1: absent). false (error added) when the header is not one. */
static bool
oc_header(struct officecsv *c, const struct oc_fields *f, int line, int col[OC_NCOLS])
{
	for (int k = 0; k < OC_NCOLS; k++)
		col[k] = -1;
	for (size_t i = 0; i < f->n; i++) {
		int k;

		for (k = 0; k < OC_NCOLS; k++)
			if (strcasecmp(f->v[i], officecsv_cols[k]) == 0)
				break;
		if (k == OC_NCOLS) {
			oc_error(c, line, xasprintf(_("unknown column \"%s\" (the columns are code, name, parent, "
			    "tier, address, phone)"), f->v[i]));
			return false;
		}
		if (col[k] >= 0) {
			oc_error(c, line, xasprintf(_("column \"%s\" appears twice"), officecsv_cols[k]));
			return false;
		}
		col[k] = (int)i;
	}
	for (int k = OC_CODE; k <= OC_TIER; k++)
		if (col[k] < 0) {
			oc_error(c, line, xasprintf(_("the header has no column \"%s\" (it names the columns: "
			    "code,name,parent,tier and optionally address,phone)"), officecsv_cols[k]));
			return false;
		}
	return true;
}

struct officecsv *
officecsv_parse(const char *text, size_t len)
{
	struct officecsv *c = xcalloc(1, sizeof *c);
	struct oc_fields f = { 0 };
	int col[OC_NCOLS], line = 1;
	size_t pos = 0;
	bool have_header = false;

	if (text == NULL)
		len = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	if (!oc_text_ok(c, text, len))
		goto out;
	while (pos < len) {
		int at = line, rc = oc_record(c, text, len, &pos, &line, &f);

		if (rc == -2 || (rc < 0 && !have_header))
			break;
		if (rc < 0 || oc_blank(&f))
			continue;
		if (!have_header) {
			if (!oc_header(c, &f, at, col))
				goto out;
			have_header = true;
			continue;
		}
		{
			size_t want = 0;

			for (int k = 0; k < OC_NCOLS; k++)
				if (col[k] >= 0)
					want++;
			if (f.n != want) {
				oc_error(c, at, xasprintf(_("%zu fields, but the header names %zu columns"), f.n,
				    want));
				continue;
			}
		}
		{
			struct officecsv_row *r;

			c->rows = xreallocarray(c->rows, c->nrows + 1, sizeof *c->rows);
			r = &c->rows[c->nrows++];
			r->line = at;
			r->code = xstrdup(f.v[col[OC_CODE]]);
			r->name = xstrdup(f.v[col[OC_NAME]]);
			r->parent = xstrdup(f.v[col[OC_PARENT]]);
			r->tier = xstrdup(f.v[col[OC_TIER]]);
			r->address = col[OC_ADDRESS] >= 0 ? xstrdup(f.v[col[OC_ADDRESS]]) : NULL;
			r->phone = col[OC_PHONE] >= 0 ? xstrdup(f.v[col[OC_PHONE]]) : NULL;
		}
	}
	if (!have_header && c->nerrors == 0)
		oc_error(c, 1, xstrdup(_("the file is empty: its first line names the columns "
		    "code,name,parent,tier")));
out:
	oc_fields_clear(&f);
	free(f.v);
	return c;
}

void
officecsv_free(struct officecsv **cp)
{
	struct officecsv *c = *cp;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nrows; i++) {
		struct officecsv_row *r = &c->rows[i];

		free(r->code);
		free(r->name);
		free(r->parent);
		free(r->tier);
		free(r->address);
		free(r->phone);
	}
	free(c->rows);
	for (size_t i = 0; i < c->nerrors; i++)
		free(c->errors[i].message);
	free(c->errors);
	free(c);
	*cp = NULL;
}
