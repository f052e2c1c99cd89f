/* Statutory holidays by the law and their 补假; see holiday.h. */
#include "model/holiday.h"

#include <stdlib.h>

#include "model/tsv.h"
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

static bool
field_year(struct tsv_field f, int *out)
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

/* Appends r, or returns an error when its year is not after the last. */
static char *
append(struct holiday_table *t, const struct row *r)
{
	size_t i;

	if (t->n > 0 && r->year <= t->rows[t->n - 1].year) {
		for (i = 0; i < t->n && t->rows[i].year != r->year; i++)
			;
		if (i < t->n)
			return tsv_errf(r->line, "year %d listed twice (line %zu)",
					r->year, t->rows[i].line);
		return tsv_errf(r->line, "year %d out of order (after %d)",
				r->year, t->rows[t->n - 1].year);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 128;
		t->rows = xreallocarray(t->rows, t->cap, sizeof(*t->rows));
	}
	t->rows[t->n++] = *r;
	return NULL;
}

/* Takes one row (tsv_row_fn) into the table; NULL or an error. */
static char *
parse_row(void *ctx, const struct tsv_field *f, size_t line)
{
	struct row r;
	char date[11];
	size_t i;

	if (!field_year(f[0], &r.year))
		return tsv_bad_field(line, "bad year '%s'", f[0]);
	for (i = 0; i < NANCHORS; i++) {
		struct cal_date *d = &r.anchor[i];
		int mmdd;

		if (!tsv_field_date(f[i + 1], d))
			return tsv_bad_field(line, "bad date '%s'", f[i + 1]);
		cal_date_format(*d, date);
		mmdd = d->m * 100 + d->d;
		if (d->y != r.year)
			return tsv_errf(line, "%s %s is not in year %d",
					columns[i].name, date, r.year);
		if (mmdd < columns[i].lo || mmdd > columns[i].hi)
			return tsv_errf(line, "%s %s is not between %02d-%02d and %02d-%02d",
					columns[i].name, date,
					columns[i].lo / 100, columns[i].lo % 100,
					columns[i].hi / 100, columns[i].hi % 100);
	}
	r.line = line;
	return append(ctx, &r);
}

struct holiday_table *
holiday_parse(const char *text, size_t len, char **err)
{
	struct holiday_table *t = xcalloc(1, sizeof(*t));
	char *msg;

	if (err != NULL)
		*err = NULL;
	msg = tsv_parse(text, len, NFIELDS, parse_row, t);
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

bool
holiday_official_complete(const struct holiday_table *t, const struct calendar *cal, int year,
			  struct cal_date *missing, const char **name)
{
	static const struct {
		int m, d;
		const char *name;
		bool revised_only;	/* 2 May: from 2025 */
	} fixed[] = {
		{ 1, 1, "元旦", false }, { 5, 1, "劳动节", false }, { 5, 2, "劳动节", true },
		{ 10, 1, "国庆节", false }, { 10, 2, "国庆节", false }, { 10, 3, "国庆节", false },
	};
	struct holiday_day days[HOLIDAY_MAX_DAYS];
	int n = holiday_year(t, year, days, HOLIDAY_MAX_DAYS);

	if (n >= 0) {
		for (int k = 0; k < n; k++)
			if (!days[k].makeup && cal_is_workday(cal, days[k].day) != 0) {
				*missing = days[k].day;
				*name = days[k].name;
				return false;
			}
		return true;
	}
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
		struct cal_date d = { year, fixed[k].m, fixed[k].d };

		if (fixed[k].revised_only && year < holiday_first_year(t))
			continue;
		if (cal_is_workday(cal, d) != 0) {
			*missing = d;
			*name = fixed[k].name;
			return false;
		}
	}
	return true;
}
