/* Working-day calendar: date arithmetic and the facts file; see calendar.h. */
#include "model/calendar.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/text.h"
#include "model/tsv.h"
#include "util/safetext.h"
#include "util/xalloc.h"

#define MAX_RANGE_DAYS 366
#define NFIELDS        4

struct item {
	struct cal_entry e;     /* must stay first: handed out by cal_entry_at */
	long key;               /* cal_days(e.day) */
	size_t line;
};

struct calendar {
	struct item *items;
	size_t n, cap;
	int *years;             /* loaded years, increasing */
	size_t nyears;
};

/* ---- dates ------------------------------------------------------------ */

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

bool
cal_date_valid(struct cal_date d)
{
	return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 &&
	       d.d >= 1 && d.d <= month_days(d.y, d.m);
}

static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
cal_date_parse(const char *s, struct cal_date *out)
{
	struct cal_date d;

	if (s == NULL || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	d.y = digits(s, 4);
	d.m = digits(s + 5, 2);
	d.d = digits(s + 8, 2);
	if (d.y < 0 || d.m < 0 || d.d < 0 || !cal_date_valid(d))
		return false;
	*out = d;
	return true;
}

void
cal_date_format(struct cal_date d, char out[11])
{
	int v[3], w[3] = { 4, 2, 2 }, f, i, pos = 0;

	if (!cal_date_valid(d)) {
		memcpy(out, "?\?\?\?-?\?-?\?", 11);
		return;
	}
	v[0] = d.y;
	v[1] = d.m;
	v[2] = d.d;
	for (f = 0; f < 3; f++) {
		if (f > 0)
			out[pos++] = '-';
		for (i = w[f] - 1; i >= 0; i--) {
			out[pos + i] = (char)('0' + v[f] % 10);
			v[f] /= 10;
		}
		pos += w[f];
	}
	out[pos] = '\0';
}

/* Days from 0001-01-01 to the first of January of year y (y >= 1). */
static long
days_before_year(long y)
{
	y -= 1;
	return 365 * y + y / 4 - y / 100 + y / 400;
}

#define DAYS_1970 719162L       /* days_before_year(1970) */
#define DAYS_400Y 146097L
#define DAYS_100Y 36524L
#define DAYS_4Y   1461L

long
cal_days(struct cal_date d)
{
	long doy = d.d - 1;
	int m;

	for (m = 1; m < d.m; m++)
		doy += month_days(d.y, m);
	return days_before_year(d.y) + doy - DAYS_1970;
}

struct cal_date
cal_from_days(long days)
{
	long n = days + DAYS_1970, q, r, c, f, yy;
	struct cal_date d;

	/* floor division into 400-year cycles starting at 0001-01-01 */
	q = n / DAYS_400Y;
	r = n % DAYS_400Y;
	if (r < 0) {
		r += DAYS_400Y;
		q--;
	}
	c = r / DAYS_100Y;
	if (c == 4)             /* last day of a 400-year cycle */
		c = 3;
	r -= c * DAYS_100Y;
	f = r / DAYS_4Y;
	r -= f * DAYS_4Y;
	yy = r / 365;
	if (yy == 4)            /* last day of a 4-year cycle */
		yy = 3;
	r -= yy * 365;
	d.y = (int)(1 + 400 * q + 100 * c + 4 * f + yy);
	d.m = 1;
	while (r >= month_days(d.y, d.m)) {
		r -= month_days(d.y, d.m);
		d.m++;
	}
	d.d = (int)r + 1;
	return d;
}

int
cal_weekday(struct cal_date d)
{
	long w = (cal_days(d) + 4) % 7;     /* 1970-01-01 was a Thursday */

	return (int)(w < 0 ? w + 7 : w);
}

/* ---- parsing ---------------------------------------------------------- */

static void
push(struct calendar *cal, struct cal_date day, char kind,
     struct tsv_field name, size_t line)
{
	struct item *it;

	if (cal->n == cal->cap) {
		cal->cap = cal->cap ? cal->cap * 2 : 64;
		cal->items = xreallocarray(cal->items, cal->cap,
					   sizeof(*cal->items));
	}
	it = &cal->items[cal->n++];
	it->e.day = day;
	it->e.kind = kind;
	it->e.name = xstrndup(name.p, name.len);
	it->key = cal_days(day);
	it->line = line;
}

/* Takes one row (tsv_row_fn); returns NULL or an error. */
static char *
parse_row(void *ctx, const struct tsv_field *f, size_t line)
{
	struct calendar *cal = ctx;
	struct cal_date from, to;
	char kind, date[11];
	long a, b, k;

	if (!tsv_field_date(f[0], &from))
		return tsv_bad_field(line, "bad date '%s'", f[0]);
	if (!tsv_field_date(f[1], &to))
		return tsv_bad_field(line, "bad date '%s'", f[1]);
	a = cal_days(from);
	b = cal_days(to);
	if (b < a)
		return tsv_errf(line, "to before from");
	if (b - a + 1 > MAX_RANGE_DAYS)
		return tsv_errf(line, "range longer than 366 days");
	if (f[2].len == 3 && memcmp(f[2].p, "off", 3) == 0) {
		kind = 'o';
	} else if (f[2].len == 4 && memcmp(f[2].p, "work", 4) == 0) {
		kind = 'w';
	} else {
		return tsv_bad_field(line, "unknown kind '%s'", f[2]);
	}
	if (!text_valid(f[3].p, f[3].len))
		return tsv_errf(line, "name is not valid UTF-8");
	{
		char *name = xstrndup(f[3].p, f[3].len);
		size_t chars = 0;
		bool safe = safetext_ok(name);

		for (const char *s = name; *s != '\0'; s++)
			chars += ((unsigned char)*s & 0xc0) != 0x80;
		free(name);
		if (!safe)
			return tsv_errf(line, "name holds a control character");
		if (chars > CAL_NAME_MAX)
			return tsv_errf(line, "name longer than %d characters", CAL_NAME_MAX);
	}
	for (k = a; k <= b; k++) {
		struct cal_date d = cal_from_days(k);
		int wd = cal_weekday(d);

		if (kind == 'w' && wd != 0 && wd != 6) {
			cal_date_format(d, date);
			return tsv_errf(line, "%s is not a weekend", date);
		}
	}
	for (k = a; k <= b; k++)
		push(cal, cal_from_days(k), kind, f[3], line);
	return NULL;
}

static int
item_cmp(const void *va, const void *vb)
{
	const struct item *a = va, *b = vb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return 0;
}

struct calendar *
cal_parse(const char *text, size_t len, char **err)
{
	struct calendar *cal = xcalloc(1, sizeof(*cal));
	char *msg, date[11];
	size_t i, dup = 0;

	if (err != NULL)
		*err = NULL;
	msg = tsv_parse(text, len, NFIELDS, parse_row, cal);

	/* Sorted by day, equal days by line: a duplicate's second listing
	 * follows its first. Report the duplicate found on the lowest line,
	 * which is always below the syntax error's line (parsing stopped
	 * there), so it is the first error of the file. */
	if (cal->n > 0)
		qsort(cal->items, cal->n, sizeof(*cal->items), item_cmp);
	for (i = 1; i < cal->n; i++)
		if (cal->items[i].key == cal->items[i - 1].key &&
		    (dup == 0 || cal->items[i].line < cal->items[dup].line))
			dup = i;
	if (dup != 0) {
		cal_date_format(cal->items[dup].e.day, date);
		free(msg);
		msg = tsv_errf(cal->items[dup].line, "%s listed twice (line %zu)",
			       date, cal->items[dup - 1].line);
	}
	if (msg != NULL) {
		if (err != NULL)
			*err = msg;
		else
			free(msg);
		cal_free(&cal);
		return NULL;
	}

	for (i = 0; i < cal->n; i++) {
		int y = cal->items[i].e.day.y;

		if (cal->nyears == 0 || cal->years[cal->nyears - 1] != y) {
			cal->years = xreallocarray(cal->years, cal->nyears + 1,
						   sizeof(*cal->years));
			cal->years[cal->nyears++] = y;
		}
	}
	return cal;
}

void
cal_free(struct calendar **cal)
{
	size_t i;

	if (cal == NULL || *cal == NULL)
		return;
	for (i = 0; i < (*cal)->n; i++)
		free((*cal)->items[i].e.name);
	free((*cal)->items);
	free((*cal)->years);
	free(*cal);
	*cal = NULL;
}

/* ---- queries ---------------------------------------------------------- */

size_t
cal_count(const struct calendar *cal)
{
	return cal != NULL ? cal->n : 0;
}

const struct cal_entry *
cal_entry_at(const struct calendar *cal, size_t i)
{
	if (cal == NULL || i >= cal->n)
		return NULL;
	return &cal->items[i].e;
}

bool
cal_year_loaded(const struct calendar *cal, int year)
{
	size_t i;

	if (cal == NULL)
		return false;
	for (i = 0; i < cal->nyears; i++)
		if (cal->years[i] == year)
			return true;
	return false;
}

static const struct item *
find(const struct calendar *cal, long key)
{
	size_t lo = 0, hi = cal->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key < cal->items[mid].key)
			hi = mid;
		else if (key > cal->items[mid].key)
			lo = mid + 1;
		else
			return &cal->items[mid];
	}
	return NULL;
}

int
cal_is_workday(const struct calendar *cal, struct cal_date d)
{
	const struct item *it;
	int wd;

	if (cal == NULL || !cal_date_valid(d) || !cal_year_loaded(cal, d.y))
		return -1;
	it = find(cal, cal_days(d));
	if (it != NULL)
		return it->e.kind == 'w';
	wd = cal_weekday(d);
	return wd != 0 && wd != 6;
}

int
cal_add_workdays(const struct calendar *cal, struct cal_date from, int n,
		 struct cal_date *out)
{
	long k, step = n < 0 ? -1 : 1;
	long left = n < 0 ? -(long)n : n;

	if (cal == NULL || !cal_date_valid(from))
		return -1;
	k = cal_days(from);
	while (left > 0) {
		struct cal_date d;
		int w;

		k += step;
		d = cal_from_days(k);
		w = cal_is_workday(cal, d);
		if (w < 0)
			return -1;
		left -= w;
	}
	*out = cal_from_days(k);
	return 0;
}

void
cal_tm_cn(time_t t, struct tm *out)
{
	time_t cn = t + 8 * 3600;

	gmtime_r(&cn, out);
}

struct cal_date
cal_date_cn(time_t t)
{
	struct tm tm;

	cal_tm_cn(t, &tm);
	return (struct cal_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}
