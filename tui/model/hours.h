/*
 * Opening hours of a hall (营业时间) as the screens show them and as an
 * administrator types them. Plain C, no curses, no libpq. Which day has
 * which hours (weekly rows, holidays, exceptions, the default) and when the
 * hall is open is decided by the database (db/functions/hours.sql); this
 * module reads and writes one day's sessions as text and makes the
 * sentences of the kiosk, the board, the console and the commands.
 *
 * A day has a morning session and an afternoon session, each optional (a
 * single session is the morning one), and noon service (午间延时服务): the
 * hall stays open between them. Times are minutes after midnight, 0 to
 * 1440 (24:00), Asia/Shanghai.
 */
#ifndef YC_MODEL_HOURS_H
#define YC_MODEL_HOURS_H

#include <stdbool.h>
#include <time.h>

struct hours_day {
	int open1, close1;	/* the morning session; -1 when none */
	int open2, close2;	/* the afternoon session; -1 when none */
	bool noon;		/* open between the two sessions */
};

/* The hall's state, as yc.hours_at names it: open | noon | closed. */
enum hours_state { HOURS_OPEN, HOURS_NOON, HOURS_CLOSED };

enum hours_error {
	HOURS_OK,
	HOURS_BAD_TIME,		/* not HH:MM from 00:00 to 24:00, or a range without its end */
	HOURS_BAD_ORDER,	/* a session ends before it begins, or the second begins before the first ends */
	HOURS_TOO_MANY,		/* more than two sessions */
	HOURS_BAD_NOON		/* noon service needs two sessions */
};

/* A closed day: no session, no noon service. */
void hours_day_closed(struct hours_day *d);
bool hours_is_closed(const struct hours_day *d);

/* "HH:MM" (00:00 … 23:59, and 24:00; also H:MM) as minutes; -1 for
 * anything else, NULL and "" included. */
int hours_minutes(const char *s);
/* Minutes as "HH:MM" (-1: ""). */
void hours_hhmm(int minutes, char out[6]);

/*
 * What an administrator types for a day's sessions: one or two ranges
 * "HH:MM-HH:MM" (also "~" or "–" between the times), separated by a comma
 * (, or ，), a semicolon or spaces; the first is the morning session.
 * "", "-", "closed" and "休息" are a closed day. d->noon is kept as it was
 * (and cleared for fewer than two sessions); on an error *d is unchanged.
 */
enum hours_error hours_parse(const char *text, struct hours_day *d);
/* Checks a day as the database will: the order of the times, noon
 * service only with two sessions. */
enum hours_error hours_check(const struct hours_day *d);
/* One sentence saying what is wrong (translated). */
const char *hours_error_message(enum hours_error e);

/* The sessions for the public: "08:30-12:00 14:30-17:30", with noon
 * service "08:30-17:30 (open at noon)", or "closed" (translated). malloc'd. */
char *hours_day_text(const struct hours_day *d);
/* The form hours_parse reads back: "08:30-12:00,14:30-17:30"; "" when
 * closed. malloc'd. */
char *hours_day_spec(const struct hours_day *d);

/* The state of the hall at minute m of a day with hours d (m 0..1439), as
 * yc.hours_at decides it. */
enum hours_state hours_state_at(const struct hours_day *d, int minute);
/* "open" | "noon" | "closed" → the state; HOURS_CLOSED for anything else. */
enum hours_state hours_state_parse(const char *s);

/* The name of a day of the week, 1 Monday … 7 Sunday, and 8 the days off
 * of the calendar (节假日); "" otherwise (translated). */
const char *hours_dow_name(int dow);
/* The short weekday of the ISO day (1 Monday … 7 Sunday): "Mon", 周一. */
const char *hours_weekday_short(int isodow);
/* The kind of a day as the database names it (workday, makeup, weekend,
 * holiday), translated: 工作日, 调休上班, 双休日, 节假日. */
const char *hours_kind_name(const char *kind);
/* The hall's state in words, as the console, the hours screen and
 * `hours show` say it (kind: the day's kind, "weekend", "holiday", …):
 * 营业中, 午间延时服务, 双休日延时服务, 节假日延时服务, 已停止取号. */
const char *hours_state_name(enum hours_state st, const char *kind);
/* "2027-02-06 周六" of a YYYY-MM-DD date (the text itself when it is not
 * one); malloc'd. */
char *hours_date_label(const char *ymd);
/* The day and time of t in China: "12月4日（周五）08:30" (translated
 * pattern); when today (YYYY-MM-DD, may be NULL) is that day, "今天 14:30".
 * malloc'd. */
char *hours_when(time_t t, const char *today);

#endif
