/* Opening hours as text; see hours.h. */
#include "model/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/calendar.h"
#include "model/i18n.h"
#include "util/xalloc.h"

void
hours_day_closed(struct hours_day *d)
{
	d->open1 = d->close1 = d->open2 = d->close2 = -1;
	d->noon = false;
}

bool
hours_is_closed(const struct hours_day *d)
{
	return d->open1 < 0 && d->open2 < 0;
}

int
hours_minutes(const char *s)
{
	char t[6];
	int h, m;

	if (s == NULL || (strlen(s) != 5 && strlen(s) != 4))
		return -1;
	snprintf(t, sizeof t, "%s%s", strlen(s) == 4 ? "0" : "", s);	/* 9:00 is 09:00 */
	if (t[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (t[i] < '0' || t[i] > '9'))
			return -1;
	h = (t[0] - '0') * 10 + (t[1] - '0');
	m = (t[3] - '0') * 10 + (t[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

void
hours_hhmm(int minutes, char out[6])
{
	if (minutes < 0 || minutes > 1440) {
		out[0] = '\0';
		return;
	}
	out[0] = (char)('0' + minutes / 600);
	out[1] = (char)('0' + minutes / 60 % 10);
	out[2] = ':';
	out[3] = (char)('0' + minutes % 60 / 10);
	out[4] = (char)('0' + minutes % 10);
	out[5] = '\0';
}

enum hours_error
hours_check(const struct hours_day *d)
{
	if ((d->open1 < 0) != (d->close1 < 0) || (d->open2 < 0) != (d->close2 < 0) ||
	    (d->open1 < 0 && d->open2 >= 0))
		return HOURS_BAD_TIME;
	if ((d->open1 >= 0 && d->open1 >= d->close1) ||
	    (d->open2 >= 0 && (d->open2 < d->close1 || d->open2 >= d->close2)))
		return HOURS_BAD_ORDER;
	if (d->noon && d->open2 < 0)
		return HOURS_BAD_NOON;
	return HOURS_OK;
}

/* The next token of s at *pos: a run of characters up to a separator
 * (spaces, ',', ';', '，' or '；'); false at the end. */
static bool
hours_token(const char *s, size_t *pos, char *out, size_t size)
{
	size_t i = *pos, n = 0;

	for (;;) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == ',' || s[i] == ';')
			i++;
		else if (strncmp(s + i, "，", 3) == 0 || strncmp(s + i, "；", 3) == 0)
			i += 3;
		else
			break;
	}
	if (s[i] == '\0')
		return false;
	while (s[i] != '\0' && s[i] != ' ' && s[i] != '\t' && s[i] != ',' && s[i] != ';' &&
	    strncmp(s + i, "，", 3) != 0 && strncmp(s + i, "；", 3) != 0) {
		if (n + 1 < size)
			out[n++] = s[i];
		i++;
	}
	out[n] = '\0';
	*pos = i;
	return true;
}

/* "HH:MM-HH:MM" (or with ~ or –) into two minute values. */
static bool
hours_range(const char *t, int *open, int *close)
{
	char a[8], b[8];
	const char *dash = NULL;
	size_t skip = 1;

	if ((dash = strchr(t, '-')) == NULL && (dash = strchr(t, '~')) == NULL) {
		dash = strstr(t, "–");
		skip = 3;
	}
	if (dash == NULL || (size_t)(dash - t) >= sizeof a || strlen(dash + skip) >= sizeof b)
		return false;
	memcpy(a, t, (size_t)(dash - t));
	a[dash - t] = '\0';
	strcpy(b, dash + skip);
	*open = hours_minutes(a);
	*close = hours_minutes(b);
	return *open >= 0 && *close >= 0;
}

enum hours_error
hours_parse(const char *text, struct hours_day *d)
{
	struct hours_day n;
	char tok[64];
	size_t pos = 0;
	int k = 0;
	enum hours_error e;

	hours_day_closed(&n);
	n.noon = d->noon;
	if (text == NULL)
		text = "";
	while (hours_token(text, &pos, tok, sizeof tok)) {
		char rest[64];
		size_t after = pos;

		if (k == 0 && (strcmp(tok, "-") == 0 || strcmp(tok, "closed") == 0 ||
		    strcmp(tok, "休息") == 0) && !hours_token(text, &after, rest, sizeof rest)) {
			n.noon = false;
			*d = n;
			return HOURS_OK;
		}
		if (k == 2)
			return HOURS_TOO_MANY;
		if (!hours_range(tok, k == 0 ? &n.open1 : &n.open2, k == 0 ? &n.close1 : &n.close2))
			return HOURS_BAD_TIME;
		k++;
	}
	if (k < 2)
		n.noon = false;
	if ((e = hours_check(&n)) != HOURS_OK)
		return e;
	*d = n;
	return HOURS_OK;
}

const char *
hours_error_message(enum hours_error e)
{
	switch (e) {
	case HOURS_OK:
		return _("Done.");
	case HOURS_BAD_TIME:
		return _("Write each session as HH:MM-HH:MM (00:00 to 24:00), e.g. 08:30-12:00,14:30-17:30.");
	case HOURS_BAD_ORDER:
		return _("Each session must end after it begins, and the afternoon session begin after "
		    "the morning one ends.");
	case HOURS_TOO_MANY:
		return _("A day has at most two sessions (morning and afternoon).");
	case HOURS_BAD_NOON:
		return _("Noon service needs a morning and an afternoon session.");
	}
	return "";
}

char *
hours_day_text(const struct hours_day *d)
{
	char a[6], b[6], c[6], e[6];

	if (hours_is_closed(d))
		return xstrdup(_("closed"));
	hours_hhmm(d->open1, a);
	hours_hhmm(d->close1, b);
	hours_hhmm(d->open2, c);
	hours_hhmm(d->close2, e);
	if (d->open2 < 0)
		return xasprintf("%s-%s", a, b);
	if (d->noon)
		return xasprintf(_("%s-%s (open at noon)"), a, e);
	return xasprintf("%s-%s %s-%s", a, b, c, e);
}

char *
hours_day_spec(const struct hours_day *d)
{
	char a[6], b[6], c[6], e[6];

	if (hours_is_closed(d))
		return xstrdup("");
	hours_hhmm(d->open1, a);
	hours_hhmm(d->close1, b);
	if (d->open2 < 0)
		return xasprintf("%s-%s", a, b);
	hours_hhmm(d->open2, c);
	hours_hhmm(d->close2, e);
	return xasprintf("%s-%s,%s-%s", a, b, c, e);
}

enum hours_state
hours_state_at(const struct hours_day *d, int m)
{
	if (d->open1 >= 0 && m >= d->open1 && m < d->close1)
		return HOURS_OPEN;
	if (d->noon && d->open2 >= 0 && m >= d->close1 && m < d->open2)
		return HOURS_NOON;
	if (d->open2 >= 0 && m >= d->open2 && m < d->close2)
		return HOURS_OPEN;
	return HOURS_CLOSED;
}

enum hours_state
hours_state_parse(const char *s)
{
	if (s != NULL && strcmp(s, "open") == 0)
		return HOURS_OPEN;
	if (s != NULL && strcmp(s, "noon") == 0)
		return HOURS_NOON;
	return HOURS_CLOSED;
}

const char *
hours_dow_name(int dow)
{
	static const char *const names[] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"),
		N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"), N_("Holidays") };

	return dow >= 1 && dow <= 8 ? _(names[dow - 1]) : "";
}

const char *
hours_weekday_short(int isodow)
{
	static const char *const names[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"),
		N_("Sat"), N_("Sun") };

	return isodow >= 1 && isodow <= 7 ? _(names[isodow - 1]) : "";
}

const char *
hours_state_name(enum hours_state st, const char *kind)
{
	switch (st) {
	case HOURS_OPEN:
		if (kind != NULL && strcmp(kind, "weekend") == 0)
			return _("weekend service");
		if (kind != NULL && strcmp(kind, "holiday") == 0)
			return _("holiday service");
		return _("open");
	case HOURS_NOON:
		return _("noon service");
	case HOURS_CLOSED:
		break;
	}
	return _("no more tickets");
}

char *
hours_date_label(const char *ymd)
{
	struct cal_date d;
	int wd;

	if (!cal_date_parse(ymd, &d))
		return xstrdup(ymd);
	wd = cal_weekday(d);
	return xasprintf("%s %s", ymd, hours_weekday_short(wd == 0 ? 7 : wd));
}

const char *
hours_kind_name(const char *kind)
{
	if (kind == NULL)
		return "";
	if (strcmp(kind, "workday") == 0)
		return _("working day");
	if (strcmp(kind, "makeup") == 0)
		return _("make-up working day");
	if (strcmp(kind, "weekend") == 0)
		return _("weekend");
	if (strcmp(kind, "holiday") == 0)
		return _("holiday");
	return "";
}

char *
hours_when(time_t t, const char *today)
{
	struct tm tm;
	char ymd[11], hm[6];
	int wd;

	cal_tm_cn(t, &tm);
	cal_date_format(cal_date_cn(t), ymd);
	hours_hhmm(tm.tm_hour * 60 + tm.tm_min, hm);
	if (today != NULL && strcmp(today, ymd) == 0)
		return xasprintf(_("today %s"), hm);
	wd = tm.tm_wday == 0 ? 7 : tm.tm_wday;
	/* TRANSLATORS: month, day, short weekday, HH:MM */
	return xasprintf(_("%d/%d (%s) %s"), tm.tm_mon + 1, tm.tm_mday, hours_weekday_short(wd), hm);
}
