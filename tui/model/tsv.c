/* Tab-separated facts files: lines, fields, error messages; see tsv.h. */
#include "model/tsv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

char *
tsv_errf(size_t line, const char *fmt, ...)
{
	va_list ap;
	char *what, *msg;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	msg = xasprintf("line %zu: %s", line, what);
	free(what);
	return msg;
}

char *
tsv_bad_field(size_t line, const char *fmt, struct tsv_field f)
{
	size_t n = f.len;
	char *q, *what, *msg;

	if (n > 24) {
		n = 24;
		while (n > 0 && ((unsigned char)f.p[n] & 0xC0) == 0x80)
			n--;
	}
	q = xstrndup(f.p, n);
	what = xasprintf(fmt, q);
	msg = tsv_errf(line, "%s", what);
	free(what);
	free(q);
	return msg;
}

bool
tsv_field_date(struct tsv_field f, struct cal_date *out)
{
	char buf[11];

	if (f.len != 10)
		return false;
	memcpy(buf, f.p, 10);
	buf[10] = '\0';
	return cal_date_parse(buf, out);
}

static bool
blank_or_comment(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i == len || p[i] == '#';
}

/* Splits one non-blank, non-comment line into exactly nf fields. */
static char *
split(const char *p, size_t len, size_t line, struct tsv_field *f, size_t nf)
{
	size_t n = 0, start = 0, i;

	if (memchr(p, '\0', len) != NULL)
		return tsv_errf(line, "NUL byte");
	for (i = 0; i <= len; i++) {
		if (i < len && p[i] != '\t')
			continue;
		if (n == nf)
			return tsv_errf(line, "too many fields");
		f[n].p = p + start;
		f[n].len = i - start;
		n++;
		start = i + 1;
	}
	if (n < nf)
		return tsv_errf(line, "missing field");
	for (i = 0; i < n; i++)
		if (f[i].len == 0)
			return tsv_errf(line, "missing field");
	return NULL;
}

char *
tsv_parse(const char *text, size_t len, size_t nfields,
	  tsv_row_fn *row, void *ctx)
{
	struct tsv_field f[TSV_MAX_FIELDS];
	char *msg = NULL;
	size_t pos = 0, line = 0;

	if (nfields < 1 || nfields > TSV_MAX_FIELDS)
		abort();
	if (text == NULL)
		len = 0;
	while (pos < len && msg == NULL) {
		const char *p = text + pos;
		const char *nl = memchr(p, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - p) : len - pos;

		pos += n + (nl != NULL);
		line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (blank_or_comment(p, n))
			continue;
		msg = split(p, n, line, f, nfields);
		if (msg == NULL)
			msg = row(ctx, f, line);
	}
	return msg;
}
