/*
 * Layout of the daily report: text tables by display width, CSV by
 * RFC 4180. See report.h.
 */
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/report.h"
#include "model/text.h"
#include "util/xalloc.h"

struct report_buf {
	char *s;
	size_t len, cap;
};

static void
report_put(struct report_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static const char *
report_cell(const struct report_table *t, size_t r, size_t c)
{
	const char *s = t->rows[r][c];

	return s != NULL ? s : "";
}

char *
report_table_text(const struct report_table *t, int width)
{
	struct report_buf b = { 0 };
	int *w = xcalloc(t->ncols > 0 ? t->ncols : 1, sizeof *w);
	int used = 0, first_max;

	report_put(&b, "");
	if (t->ncols == 0)
		goto out;
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = text_width(t->headers[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			int cw = text_width(report_cell(t, r, c));

			if (cw > w[c])
				w[c] = cw;
		}
		if (c > 0)
			used += w[c] + 1;
	}
	first_max = width - used;
	if (first_max < text_width(t->headers[0]))
		first_max = text_width(t->headers[0]);
	if (w[0] > first_max)
		w[0] = first_max;
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = r == 0 ? t->headers[c] : report_cell(t, r - 1, c);
			char *fit = c == 0 ? text_ellipsize(s, w[0]) : xstrdup(s);
			char *cell = text_pad(fit, w[c], c == 0 ? TEXT_LEFT : TEXT_RIGHT);

			if (c > 0)
				report_put(&b, " ");
			report_put(&b, cell);
			free(cell);
			free(fit);
		}
		while (b.len > 0 && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
		report_put(&b, "\n");
	}
out:
	free(w);
	return b.s;
}

char *
report_csv_field(const char *s)
{
	struct report_buf b = { 0 };
	size_t n;

	if (s == NULL)
		s = "";
	n = strlen(s);
	if (strpbrk(s, ",\"\r\n") == NULL && (n == 0 || (s[0] != ' ' && s[n - 1] != ' ')))
		return xstrdup(s);
	report_put(&b, "\"");
	for (const char *p = s; *p != '\0'; p++)
		report_put(&b, *p == '"' ? "\"\"" : (char[]){ *p, '\0' });
	report_put(&b, "\"");
	return b.s;
}

char *
report_table_csv(const struct report_table *t)
{
	struct report_buf b = { 0 };

	report_put(&b, "");
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			char *f = report_csv_field(r == 0 ? t->headers[c] : report_cell(t, r - 1, c));

			if (c > 0)
				report_put(&b, ",");
			report_put(&b, f);
			free(f);
		}
		report_put(&b, "\r\n");
	}
	return b.s;
}

char *
report_duration(long seconds)
{
	if (seconds < 0)
		return xstrdup("");
	return xasprintf(_("%ld min %02ld s"), seconds / 60, seconds % 60);
}
