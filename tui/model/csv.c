/* CSV import files; see csv.h. */
#include "model/csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/i18n.h"
#include "model/text.h"
#include "util/xalloc.h"

/* The fields of one record. */
struct csv_fields {
	char **v;
	size_t n, cap;
};

/* Appends the len bytes at s, trimmed of spaces and tabs. */
static void
csv_push(struct csv_fields *f, const char *s, size_t len)
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
csv_fields_clear(struct csv_fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	f->n = 0;
}

/* Moves *i past the end of the physical line it is on (and *line on). */
static void
csv_skip_line(const char *t, size_t len, size_t *i, int *line)
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
csv_record(struct csv *c, const char *t, size_t len, size_t *pos, int *line, struct csv_fields *f)
{
	size_t i = *pos, bl = 0, bcap = 64;
	int start = *line, rc = 0;
	char *buf = xmalloc(bcap);

	csv_fields_clear(f);
	for (;;) {
		size_t j = i;

		while (j < len && (t[j] == ' ' || t[j] == '\t'))
			j++;
		if (j < len && t[j] == '"') {
			i = j + 1;
			bl = 0;
			for (;;) {
				if (i >= len) {
					csv_error(c, start, xstrdup(_("a quoted field is not closed")));
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
			csv_push(f, buf, bl);
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
			csv_error(c, *line, xstrdup(_("text after the closing quote of a field")));
			csv_skip_line(t, len, &i, line);
			rc = -1;
			goto out;
		} else {
			size_t s = i, e;

			while (i < len && t[i] != ',' && t[i] != '\n') {
				if (t[i] == '"') {
					csv_error(c, *line, xstrdup(_("a double quote inside a field that does "
					    "not start with one")));
					csv_skip_line(t, len, &i, line);
					rc = -1;
					goto out;
				}
				i++;
			}
			e = i;
			if (e > s && t[e - 1] == '\r' && (i >= len || t[i] == '\n'))
				e--;
			csv_push(f, t + s, e - s);
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
csv_blank(const struct csv_fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i][0] != '\0')
			return false;
	return true;
}

/* Checks the text line by line: UTF-8, no NUL. false (error added) at the
 * first line that is not. */
static bool
csv_text_ok(struct csv *c, const char *t, size_t len)
{
	int line = 1;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - (t + i)) : len - i;

		if (memchr(t + i, '\0', n) != NULL) {
			csv_error(c, line, xstrdup(_("a NUL byte: this is not a text file")));
			return false;
		}
		if (!text_valid(t + i, n)) {
			csv_error(c, line, xstrdup(_("not UTF-8 text (save the file as CSV UTF-8)")));
			return false;
		}
		i += n + 1;
		line++;
	}
	return true;
}

/* Maps the header's fields to the spec's columns: col[k] the field index
 * of column k (-1: absent). false (error added) when the header is not one. */
static bool
csv_header(struct csv *c, const struct csv_fields *f, int line, const struct csv_spec *s, int *col)
{
	for (int k = 0; k < s->ncols; k++)
		col[k] = -1;
	for (size_t i = 0; i < f->n; i++) {
		int k;

		for (k = 0; k < s->ncols; k++)
			if (strcasecmp(f->v[i], s->cols[k]) == 0)
				break;
		if (k == s->ncols) {
			char *all = NULL;

			for (int j = 0; j < s->ncols; j++) {
				char *t = xasprintf("%s%s%s", all != NULL ? all : "", j > 0 ? ", " : "", s->cols[j]);

				free(all);
				all = t;
			}
			csv_error(c, line, xasprintf(_("unknown column \"%s\" (the columns are %s)"), f->v[i], all));
			free(all);
			return false;
		}
		if (col[k] >= 0) {
			csv_error(c, line, xasprintf(_("column \"%s\" appears twice"), s->cols[k]));
			return false;
		}
		col[k] = (int)i;
	}
	for (int k = 0; k < s->nrequired; k++)
		if (col[k] < 0) {
			csv_error(c, line, xasprintf(_("the header has no column \"%s\" (it names the columns: %s)"),
			    s->cols[k], s->hint));
			return false;
		}
	return true;
}

struct csv *
csv_parse(const char *text, size_t len, const struct csv_spec *spec)
{
	struct csv *c = xcalloc(1, sizeof *c);
	struct csv_fields f = { 0 };
	int *col = xcalloc((size_t)spec->ncols, sizeof *col), line = 1;
	size_t pos = 0, want = 0;
	bool have_header = false;

	c->ncols = spec->ncols;
	if (text == NULL)
		len = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	if (!csv_text_ok(c, text, len))
		goto out;
	while (pos < len) {
		int at = line, rc = csv_record(c, text, len, &pos, &line, &f);
		struct csv_row *r;

		if (rc == -2 || (rc < 0 && !have_header))
			break;
		if (rc < 0 || csv_blank(&f))
			continue;
		if (!have_header) {
			if (!csv_header(c, &f, at, spec, col))
				goto out;
			have_header = true;
			for (int k = 0; k < spec->ncols; k++)
				if (col[k] >= 0)
					want++;
			continue;
		}
		if (f.n != want) {
			csv_error(c, at, xasprintf(_("%zu fields, but the header names %zu columns"), f.n, want));
			continue;
		}
		c->rows = xreallocarray(c->rows, c->nrows + 1, sizeof *c->rows);
		r = &c->rows[c->nrows++];
		r->line = at;
		r->v = xcalloc((size_t)spec->ncols, sizeof *r->v);
		for (int k = 0; k < spec->ncols; k++)
			r->v[k] = col[k] >= 0 ? xstrdup(f.v[col[k]]) : NULL;
	}
	if (!have_header && c->nerrors == 0)
		csv_error(c, 1, xasprintf(_("the file is empty: its first line names the columns %s"), spec->hint));
out:
	csv_fields_clear(&f);
	free(f.v);
	free(col);
	return c;
}

void
csv_error(struct csv *c, int line, char *msg)
{
	c->errors = xreallocarray(c->errors, c->nerrors + 1, sizeof *c->errors);
	c->errors[c->nerrors].line = line;
	c->errors[c->nerrors].message = msg;
	c->nerrors++;
}

void
csv_free(struct csv **cp)
{
	struct csv *c = *cp;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nrows; i++) {
		for (int k = 0; k < c->ncols; k++)
			free(c->rows[i].v[k]);
		free(c->rows[i].v);
	}
	free(c->rows);
	for (size_t i = 0; i < c->nerrors; i++)
		free(c->errors[i].message);
	free(c->errors);
	free(c);
	*cp = NULL;
}
