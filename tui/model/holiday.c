/* Statutory holidays by the law and their 补假; see holiday.h. */
#include "model/holiday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define NFIELDS   5
#define NANCHORS  4             /* spring, qingming, dragon, midautumn */
#define NHOLIDAYS 7

struct row {
	int year;
	struct cal_date anchor[NANCHORS];
	size_t line;
};

struct holiday_table {
	struct row *rows;       /* increasing year */
	size_t n, cap;
};

/* The columns after the year, with where each date can fall (MMDD). */
static const struct {
	const char *name;
	int lo, hi;
} columns[NANCHORS] = {
	{ "spring", 115, 225 },
	{ "qingming", 403, 406 },
	{ "dragon", 520, 701 },
	{ "midautumn", 901, 1015 },
};

enum { SPRING, QINGMING, DRAGON, MIDAUTUMN };

/* ---- parsing ---------------------------------------------------------- */

struct field {
	const char *p;
	size_t len;
};

static char *
errf(size_t line, const char *what)
{
	return xasprintf("line %zu: %s", line, what);
}

static bool
blank_or_comment(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i == len || p[i] == '#';
}

/* A field for an error message: at most 24 bytes, cut at a character
 * boundary so the message stays valid UTF-8 when the field was. */
static char *
quote(struct field f)
{
	size_t n = f.len;

	if (n > 24) {
		n = 24;
		while (n > 0 && ((unsigned char)f.p[n] & 0xC0) == 0x80)
			n--;
	}
	return xstrndup(f.p, n);
}

static char *
bad_field(size_t line, const char *fmt, struct field f)
{
	char *q = quote(f);
	char *what = xasprintf(fmt, q);
	char *msg = errf(line, what);

	free(what);
	free(q);
	return msg;
}

static bool
field_year(struct field f, int *out)
{
	int v = 0;
	size_t i;

	if (f.len != 4)
		return false;
	for (i = 0; i < 4; i++) {
		if (f.p[i] < '0' || f.p[i] > '9')
			return false;
		v = v * 10 + (f.p[i] - '0');
	}
	if (v < 1)
		return false;
	*out = v;
	return true;
}

static bool
field_date(struct field f, struct cal_date *out)
{
	char buf[11];

	if (f.len != 10)
		return false;
	memcpy(buf, f.p, 10);
	buf[10] = '\0';
	return cal_date_parse(buf, out);
}

/* Parses one non-blank, non-comment line into *r; NULL or an error. */
static char *
parse_line(const char *p, size_t len, size_t line, struct row *r)
{
	struct field f[NFIELDS];
	size_t nf = 0, start = 0, i;
	char date[11], *what, *msg;

	if (memchr(p, '\0', len) != NULL)
		return errf(line, "NUL byte");
	for (i = 0; i <= len; i++) {
		if (i < len && p[i] != '\t')
			continue;
		if (nf == NFIELDS)
			return errf(line, "too many fields");
		f[nf].p = p + start;
		f[nf].len = i - start;
		nf++;
		start = i + 1;
	}
	if (nf < NFIELDS)
		return errf(line, "missing field");
	for (i = 0; i < nf; i++)
		if (f[i].len == 0)
			return errf(line, "missing field");
	if (!field_year(f[0], &r->year))
		return bad_field(line, "bad year '%s'", f[0]);
	for (i = 0; i < NANCHORS; i++) {
		struct cal_date *d = &r->anchor[i];
		int mmdd;

		if (!field_date(f[i + 1], d))
			return bad_field(line, "bad date '%s'", f[i + 1]);
		cal_date_format(*d, date);
		mmdd = d->m * 100 + d->d;
		if (d->y != r->year)
			what = xasprintf("%s %s is not in year %d",
					 columns[i].name, date, r->year);
		else if (mmdd < columns[i].lo || mmdd > columns[i].hi)
			what = xasprintf("%s %s is not between %02d-%02d and %02d-%02d",
					 columns[i].name, date,
					 columns[i].lo / 100, columns[i].lo % 100,
					 columns[i].hi / 100, columns[i].hi % 100);
		else
			continue;
		msg = errf(line, what);
		free(what);
		return msg;
	}
	r->line = line;
	return NULL;
}

/* Appends r, or returns an error when its year is not after the last. */
static char *
append(struct holiday_table *t, const struct row *r)
{
	char *what, *msg;
	size_t i;

	if (t->n > 0 && r->year <= t->rows[t->n - 1].year) {
		for (i = 0; i < t->n && t->rows[i].year != r->year; i++)
			;
		if (i < t->n)
			what = xasprintf("year %d listed twice (line %zu)",
					 r->year, t->rows[i].line);
		else
			what = xasprintf("year %d out of order (after %d)",
					 r->year, t->rows[t->n - 1].year);
		msg = errf(r->line, what);
		free(what);
		return msg;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 128;
		t->rows = xreallocarray(t->rows, t->cap, sizeof(*t->rows));
	}
	t->rows[t->n++] = *r;
	return NULL;
}

struct holiday_table *
holiday_parse(const char *text, size_t len, char **err)
{
	struct holiday_table *t = xcalloc(1, sizeof(*t));
	char *msg = NULL;
	size_t pos = 0, line = 0;

	if (err != NULL)
		*err = NULL;
	if (text == NULL)
		len = 0;
	while (pos < len && msg == NULL) {
		const char *p = text + pos;
		const char *nl = memchr(p, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - p) : len - pos;
		struct row r;

		pos += n + (nl != NULL);
		line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (blank_or_comment(p, n))
			continue;
		msg = parse_line(p, n, line, &r);
		if (msg == NULL)
			msg = append(t, &r);
	}
	if (msg != NULL) {
		if (err != NULL)
			*err = msg;
		else
			free(msg);
		holiday_free(&t);
		return NULL;
	}
	return t;
}

void
holiday_free(struct holiday_table **t)
{
	if (t == NULL || *t == NULL)
		return;
	free((*t)->rows);
	free(*t);
	*t = NULL;
}

/* ---- queries ---------------------------------------------------------- */

int
holiday_first_year(const struct holiday_table *t)
{
	return t != NULL && t->n > 0 ? t->rows[0].year : 0;
}

int
holiday_last_year(const struct holiday_table *t)
{
	return t != NULL && t->n > 0 ? t->rows[t->n - 1].year : 0;
}

static const struct row *
find_row(const struct holiday_table *t, int year)
{
	size_t lo = 0, hi;

	if (t == NULL)
		return NULL;
	hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->rows[mid].year < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->rows[lo].year == year ? &t->rows[lo] : NULL;
}

bool
holiday_has_year(const struct holiday_table *t, int year)
{
	return find_row(t, year) != NULL;
}

/* One holiday of the year: days first..last (cal_days), in law order. */
struct span {
	const char *name, *makeup_name;
	long first, last;
};

/* A day off being collected: day (cal_days), the span it belongs to. */
struct off {
	long day;
	int span;
	bool makeup;
};

struct days_off {
	struct off d[HOLIDAY_MAX_DAYS];
	int n;
};

static int
find_off(const struct days_off *o, long day)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (o->d[i].day == day)
			return i;
	return -1;
}

static void
add_off(struct days_off *o, long day, int span, bool makeup)
{
	if (o->n == HOLIDAY_MAX_DAYS)   /* cannot happen: 13 + 13 days */
		abort();
	o->d[o->n].day = day;
	o->d[o->n].span = span;
	o->d[o->n].makeup = makeup;
	o->n++;
}

static bool
is_weekend(long day)
{
	int wd = cal_weekday(cal_from_days(day));

	return wd == 0 || wd == 6;
}

static long
day_of(int y, int m, int d)
{
	struct cal_date c = { y, m, d };

	return cal_days(c);
}

/* The seven holidays of r, in law order (Article 2). */
static void
spans_of(const struct row *r, struct span s[NHOLIDAYS])
{
	long spring = cal_days(r->anchor[SPRING]);
	int y = r->year, i = 0;

	s[i++] = (struct span){ "元旦", "元旦补假", day_of(y, 1, 1), day_of(y, 1, 1) };
	s[i++] = (struct span){ "春节", "春节补假", spring - 1, spring + 2 };
	s[i++] = (struct span){ "清明节", "清明节补假",
		cal_days(r->anchor[QINGMING]), cal_days(r->anchor[QINGMING]) };
	s[i++] = (struct span){ "劳动节", "劳动节补假", day_of(y, 5, 1), day_of(y, 5, 2) };
	s[i++] = (struct span){ "端午节", "端午节补假",
		cal_days(r->anchor[DRAGON]), cal_days(r->anchor[DRAGON]) };
	s[i++] = (struct span){ "中秋节", "中秋节补假",
		cal_days(r->anchor[MIDAUTUMN]), cal_days(r->anchor[MIDAUTUMN]) };
	s[i++] = (struct span){ "国庆节", "国庆节补假", day_of(y, 10, 1), day_of(y, 10, 3) };
}

/* True when span a is taken before span b: earlier first day, then the
 * longer one, then law order (a < b in the array). */
static bool
taken_before(const struct span *s, int a, int b)
{
	if (s[a].first != s[b].first)
		return s[a].first < s[b].first;
	if (s[a].last != s[b].last)
		return s[a].last > s[b].last;
	return a < b;
}

static int
off_cmp(const void *va, const void *vb)
{
	const struct off *a = va, *b = vb;

	return a->day < b->day ? -1 : a->day > b->day;
}

int
holiday_year(const struct holiday_table *t, int year,
	     struct holiday_day *out, int max)
{
	const struct row *r = find_row(t, year);
	struct span s[NHOLIDAYS];
	int order[NHOLIDAYS], i, j, k;
	struct days_off o;

	if (r == NULL)
		return -1;
	spans_of(r, s);
	for (i = 0; i < NHOLIDAYS; i++) {     /* insertion sort, 7 items */
		for (j = i; j > 0 && taken_before(s, i, order[j - 1]); j--)
			order[j] = order[j - 1];
		order[j] = i;
	}

	/* Every statutory day first, owned by the first holiday taking it. */
	o.n = 0;
	for (i = 0; i < NHOLIDAYS; i++) {
		const struct span *h = &s[order[i]];
		long d;

		for (d = h->first; d <= h->last; d++)
			if (find_off(&o, d) < 0)
				add_off(&o, d, order[i], false);
	}

	/* Then the 补假, holiday by holiday in the same order. */
	for (i = 0; i < NHOLIDAYS; i++) {
		const struct span *h = &s[order[i]];
		long d, next = h->last + 1;

		for (d = h->first; d <= h->last; d++) {
			if (!is_weekend(d) && o.d[find_off(&o, d)].span == order[i])
				continue;
			while (is_weekend(next) || find_off(&o, next) >= 0)
				next++;
			add_off(&o, next, order[i], true);
		}
	}

	qsort(o.d, (size_t)o.n, sizeof(o.d[0]), off_cmp);
	for (k = 0; k < o.n && k < max; k++) {
		const struct span *h = &s[o.d[k].span];

		out[k].day = cal_from_days(o.d[k].day);
		out[k].makeup = o.d[k].makeup;
		out[k].name = o.d[k].makeup ? h->makeup_name : h->name;
	}
	return o.n;
}
