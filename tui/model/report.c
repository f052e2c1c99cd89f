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

static void
report_rows_free(struct report_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
}

/* A duration cell: "-" (text) or "" (csv) when there is none. */
static char *
report_seconds_cell(long s, bool csv)
{
	if (s < 0)
		return xstrdup(csv ? "" : "-");
	return csv ? xasprintf("%ld", s) : report_duration(s);
}

/* The clerk rows: csv has the staff number and the name apart, text one
 * column "name staff_no". */
static void
report_staff_table(const struct report_daily *d, bool csv, struct report_table *t)
{
	t->nrows = d->nstaff;
	t->rows = xcalloc(t->nrows + 1, sizeof *t->rows);
	for (size_t r = 0; r < d->nstaff; r++) {
		const struct report_staff_row *s = &d->staff[r];
		char **row = t->rows[r] = xcalloc(t->ncols, sizeof *row);
		size_t c = 0;

		if (csv)
			row[c++] = xstrdup(s->total || s->staff_no == NULL ? "" : s->staff_no);
		if (s->total)
			row[c++] = xstrdup(_("Total"));
		else if (s->staff_no == NULL)
			row[c++] = xstrdup(_("(unidentified)"));
		else if (csv || s->name == NULL)
			row[c++] = xstrdup(s->name != NULL ? s->name : s->staff_no);
		else
			row[c++] = xasprintf("%s %s", s->name, s->staff_no);
		row[c++] = xasprintf("%d", s->served);
		row[c++] = xasprintf("%d", s->no_show);
		row[c++] = report_seconds_cell(s->avg_wait_s, csv);
		row[c++] = report_seconds_cell(s->avg_service_s, csv);
		for (int g = 0; g < 5; g++)
			row[c++] = xasprintf("%d", s->grades[g]);
	}
}

static void
report_type_table(const struct report_daily *d, bool csv, struct report_table *t)
{
	t->nrows = d->ntypes;
	t->rows = xcalloc(t->nrows + 1, sizeof *t->rows);
	for (size_t r = 0; r < d->ntypes; r++) {
		const struct report_type_row *y = &d->types[r];
		char **row = t->rows[r] = xcalloc(t->ncols, sizeof *row);
		const int n[] = { y->accepted, y->immediate, y->finished, y->overdue, y->supplement,
		    y->deferred, y->withdrawn, y->terminated };
		size_t c = 0;

		if (csv)
			row[c++] = xstrdup(y->total ? "" : y->code);
		row[c++] = xstrdup(y->total ? _("Total") : y->name != NULL ? y->name : y->code);
		for (size_t k = 0; k < sizeof n / sizeof n[0]; k++)
			row[c++] = xasprintf("%d", n[k]);
	}
}

char *
report_daily_text(const struct report_daily *d, int width)
{
	const char *staff_h[] = { _("Clerk"), _("Served"), _("No-shows"), _("Avg wait"),
	    _("Avg service"), "1", "2", "3", "4", "5" };
	const char *types_h[] = { _("Case type"), _("Acceptances"), _("At once"), _("Completions"),
	    _("Overdue"), _("Notices"), _("Deferred"), _("Withdr."), _("Ended") };
	struct report_table staff = { .ncols = 10, .headers = staff_h };
	struct report_table types = { .ncols = 9, .headers = types_h };
	char *t = xasprintf(_("%s (%s) daily report, %s"), d->office_name, d->office_code, d->date);
	char *title = text_wrap(t, width);
	char *legend = text_wrap(_("Ratings: 1 very satisfied, 2 satisfied, 3 basically satisfied, "
	    "4 dissatisfied, 5 very dissatisfied"), width);
	char *a, *b, *out;

	report_staff_table(d, false, &staff);
	report_type_table(d, false, &types);
	a = report_table_text(&staff, width);
	b = report_table_text(&types, width);
	out = xasprintf("%s\n%s\n%s%s\n%s\n%s", title, _("1. Window service by clerk"), a, legend,
	    _("2. Case handling by type"), b);
	if (d->have_tickets) {
		char *l1 = xasprintf(_("Tickets issued %d, outside the regular weekday hours (extended "
		    "service) %d"), d->issued, d->extended);
		char *l2 = xasprintf(_("of those at noon %d, on weekends and holidays %d"), d->extended_noon,
		    d->extended_offday);
		char *w1 = text_wrap(l1, width), *w2 = text_wrap(l2, width), *all;

		all = xasprintf("%s\n%s\n%s%s", out, _("3. Tickets and extended service"), w1, w2);
		free(out);
		out = all;
		free(w1);
		free(w2);
		free(l1);
		free(l2);
	}
	if (d->have_appointments) {
		char *l = xasprintf(_("Appointments %d: checked in %d, missed %d; cancelled %d; "
		    "booked by phone %d"), d->appt_booked, d->appt_checked_in, d->appt_missed,
		    d->appt_cancelled, d->appt_phone);
		char *w = text_wrap(l, width), *all;

		all = xasprintf("%s\n%s\n%s", out, _("4. Appointments"), w);
		free(out);
		out = all;
		free(w);
		free(l);
	}
	report_rows_free(&staff);
	report_rows_free(&types);
	free(a);
	free(b);
	free(t);
	free(title);
	free(legend);
	return out;
}

char *
report_daily_csv(const struct report_daily *d)
{
	const char *staff_h[] = { _("Staff no."), _("Clerk"), _("Served"), _("No-shows"),
	    _("Avg wait (s)"), _("Avg service (s)"), _("Very satisfied"), _("Satisfied"),
	    _("Basically satisfied"), _("Dissatisfied"), _("Very dissatisfied") };
	const char *types_h[] = { _("Case type code"), _("Case type"), _("Acceptances"), _("At once"),
	    _("Completions"), _("Overdue"), _("Notices"), _("Deferred"), _("Withdrawn"), _("Ended") };
	struct report_table staff = { .ncols = 11, .headers = staff_h };
	struct report_table types = { .ncols = 10, .headers = types_h };
	char *f[6] = { report_csv_field(_("Daily report")), report_csv_field(d->office_code),
	    report_csv_field(d->office_name), report_csv_field(d->date),
	    report_csv_field(_("Window service by clerk")), report_csv_field(_("Case handling by type")) };
	char *a, *b, *out;

	report_staff_table(d, true, &staff);
	report_type_table(d, true, &types);
	a = report_table_csv(&staff);
	b = report_table_csv(&types);
	out = xasprintf("%s,%s,%s,%s\r\n\r\n%s\r\n%s\r\n%s\r\n%s", f[0], f[1], f[2], f[3], f[4], a, f[5],
	    b);
	if (d->have_tickets) {
		const char *h[] = { _("Tickets issued"), _("Extended service"), _("At noon"),
		    _("Weekends and holidays") };
		char *t = report_csv_field(_("Tickets and extended service"));
		char *all, *fh[4];

		for (int i = 0; i < 4; i++)
			fh[i] = report_csv_field(h[i]);
		all = xasprintf("%s\r\n%s\r\n%s,%s,%s,%s\r\n%d,%d,%d,%d\r\n", out, t, fh[0], fh[1], fh[2],
		    fh[3], d->issued, d->extended, d->extended_noon, d->extended_offday);
		for (int i = 0; i < 4; i++)
			free(fh[i]);
		free(t);
		free(out);
		out = all;
	}
	if (d->have_appointments) {
		const char *h[] = { _("Appointments"), _("Checked in"), _("Missed"), _("Cancelled"),
		    _("By phone") };
		char *fh[5], *all;

		for (int i = 0; i < 5; i++)
			fh[i] = report_csv_field(h[i]);
		all = xasprintf("%s\r\n%s,%s,%s,%s,%s\r\n%d,%d,%d,%d,%d\r\n", out, fh[0], fh[1], fh[2],
		    fh[3], fh[4], d->appt_booked, d->appt_checked_in, d->appt_missed, d->appt_cancelled,
		    d->appt_phone);
		for (int i = 0; i < 5; i++)
			free(fh[i]);
		free(out);
		out = all;
	}
	report_rows_free(&staff);
	report_rows_free(&types);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		free(f[i]);
	free(a);
	free(b);
	return out;
}

void
report_daily_free(struct report_daily *d)
{
	for (size_t i = 0; i < d->nstaff; i++) {
		free(d->staff[i].staff_no);
		free(d->staff[i].name);
	}
	for (size_t i = 0; i < d->ntypes; i++) {
		free(d->types[i].code);
		free(d->types[i].name);
	}
	free(d->staff);
	free(d->types);
	free(d->office_code);
	free(d->office_name);
	free(d->date);
	memset(d, 0, sizeof *d);
}

char *
report_share(int part, int of, bool csv)
{
	long tenths;

	if (of <= 0)
		return xstrdup(csv ? "" : "-");
	tenths = ((long)part * 2000 + of) / (2L * of);
	return xasprintf("%ld.%ld%%", tenths / 10, tenths % 10);
}

/* The rows of the per-office table; csv: code apart, counts and shares. */
static void
report_offices_table(const struct report_offices *d, bool csv, struct report_table *t)
{
	t->nrows = d->nrows;
	t->rows = xcalloc(t->nrows + 1, sizeof *t->rows);
	for (size_t r = 0; r < d->nrows; r++) {
		const struct report_office_row *o = &d->rows[r];
		char **row = t->rows[r] = xcalloc(t->ncols, sizeof *row);
		size_t c = 0;

		if (csv)
			row[c++] = xstrdup(o->total || o->code == NULL ? "" : o->code);
		if (o->total)
			row[c++] = xstrdup(_("Total"));
		else if (csv)
			row[c++] = xstrdup(o->name != NULL ? o->name : o->code);
		else
			row[c++] = xasprintf("%*s%s", 2 * (o->depth > 0 ? o->depth : 0), "",
			    o->name != NULL ? o->name : o->code);
		row[c++] = xasprintf("%d", o->issued);
		row[c++] = xasprintf("%d", o->served);
		row[c++] = xasprintf("%d", o->no_show);
		row[c++] = report_seconds_cell(o->avg_wait_s, csv);
		row[c++] = xasprintf("%d", o->accepted);
		row[c++] = xasprintf("%d", o->finished);
		if (csv)
			row[c++] = xasprintf("%d", o->in_time);
		row[c++] = report_share(o->in_time, o->finished, csv);
		if (csv) {
			row[c++] = xasprintf("%d", o->rated);
			row[c++] = xasprintf("%d", o->rated_good);
			row[c++] = xasprintf("%d", o->rated_bad);
		}
		row[c++] = report_share(o->rated_good, o->rated, csv);
		row[c++] = report_share(o->rated_bad, o->rated, csv);
	}
}

static char *
report_offices_title(const struct report_offices *d)
{
	if (d->monthly)
		return xasprintf(d->below ? _("%s (%s) and below, monthly report, %s (to %s)") :
		    _("%s (%s) monthly report, %s (to %s)"), d->office_name, d->office_code, d->period,
		    d->last_day != NULL ? d->last_day : "");
	return xasprintf(d->below ? _("%s (%s) and below, daily report, %s") :
	    _("%s (%s) daily report, %s"), d->office_name, d->office_code, d->period);
}

char *
report_offices_text(const struct report_offices *d, int width)
{
	const char *h[] = { _("Office"), _("Issued"), _("Served"), _("No-shows"), _("Avg wait"),
	    _("Acc."), _("Fin."), _("In time"), _("Good"), _("Bad") };
	struct report_table t = { .ncols = 10, .headers = h };
	char *title = report_offices_title(d), *wt = text_wrap(title, width);
	char *legend = text_wrap(_("In time: completions within the promised limit; Good: ratings "
	    "very satisfied or satisfied, Bad: dissatisfied or very dissatisfied, of those rated"), width);
	char *a, *out;

	report_offices_table(d, false, &t);
	a = report_table_text(&t, width);
	out = xasprintf("%s\n%s%s", wt, a, legend);
	report_rows_free(&t);
	free(a);
	free(title);
	free(wt);
	free(legend);
	return out;
}

char *
report_offices_csv(const struct report_offices *d)
{
	const char *h[] = { _("Office code"), _("Office"), _("Issued"), _("Served"), _("No-shows"),
	    _("Avg wait (s)"), _("Acceptances"), _("Completions"), _("Completed in time"),
	    _("Share completed in time"),
	    _("Rated"), _("Rated good"), _("Rated bad"), _("Good"), _("Bad") };
	struct report_table t = { .ncols = 15, .headers = h };
	char *title = report_offices_title(d), *f = report_csv_field(title), *a, *out;

	report_offices_table(d, true, &t);
	a = report_table_csv(&t);
	out = xasprintf("%s\r\n\r\n%s", f, a);
	report_rows_free(&t);
	free(a);
	free(f);
	free(title);
	return out;
}

void
report_offices_free(struct report_offices *d)
{
	for (size_t i = 0; i < d->nrows; i++) {
		free(d->rows[i].code);
		free(d->rows[i].name);
	}
	free(d->rows);
	free(d->office_code);
	free(d->office_name);
	free(d->period);
	free(d->last_day);
	memset(d, 0, sizeof *d);
}
