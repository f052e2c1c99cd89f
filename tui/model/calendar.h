/*
 * Official working-day calendar (model part).
 *
 * Facts come from db/calendar/cn-workday-calendar.tsv, one line per
 * adjustment published by the State Council:
 *
 *     YYYY-MM-DD <TAB> YYYY-MM-DD <TAB> off|work <TAB> name
 *
 * from <= to (an inclusive range), '#' starts a comment line, blank lines
 * are allowed, a trailing CR is ignored. kind "off" is a statutory holiday
 * (no work whatever the weekday); kind "work" is a make-up working day
 * (调休上班) and must fall on a Saturday or Sunday. Any date not listed:
 * Monday-Friday working, Saturday-Sunday not. A year counts as loaded when
 * at least one listed day falls in it; questions about other years are
 * answered with -1, never guessed.
 *
 * Dates are proleptic Gregorian civil dates: no time zone, no locale.
 */
#ifndef YC_MODEL_CALENDAR_H
#define YC_MODEL_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct cal_date {
	int y, m, d;
};

/*
 * Parses exactly "YYYY-MM-DD" (four, two and two ASCII digits, nothing
 * before or after) naming a real date, years 0001..9999, leap years
 * honoured. Returns false (out untouched) otherwise. s may be NULL.
 */
bool cal_date_parse(const char *s, struct cal_date *out);

/* True when d is a real date with 1 <= y <= 9999. */
bool cal_date_valid(struct cal_date d);

/* Writes "YYYY-MM-DD" and a NUL into out. A date for which cal_date_valid
 * is false is written as "????-??-??". */
void cal_date_format(struct cal_date d, char out[11]);

/* The date of t in China (Asia/Shanghai: UTC+8, no daylight saving since
 * 1991), where the database counts days, deadlines and reports, whatever
 * the time zone of the host the workstation runs on. */
struct cal_date cal_date_cn(time_t t);
/* The broken-down time of t in China likewise (for clocks and times shown
 * or printed: the status line, tickets, notes, ratings). */
void cal_tm_cn(time_t t, struct tm *out);

/* Day of the week of a valid date: 0 = Sunday .. 6 = Saturday. */
int cal_weekday(struct cal_date d);

/* Days since 1970-01-01 (negative before) of a valid date; cal_from_days
 * is its inverse (for any long whose year fits in an int). */
long cal_days(struct cal_date d);
struct cal_date cal_from_days(long days);

/* The longest name of a listed day, in characters (yc.workday_adjustment). */
#define CAL_NAME_MAX 40

struct cal_entry {
	struct cal_date day;
	char kind;          /* 'o' off (holiday) or 'w' work (make-up day) */
	char *name;         /* UTF-8, owned by the calendar */
};

struct calendar;

/*
 * Parses a whole calendar file: text holds len bytes (need not be
 * NUL-terminated). On success returns a new calendar (free with cal_free)
 * and sets *err to NULL if err is non-NULL. On the first error returns
 * NULL and, if err is non-NULL, sets *err to a malloc'd English message
 * the caller frees, of the form "line N: <what>", N counting from 1;
 * <what> is one of:
 *     missing field                      fewer than 4 fields or one empty
 *     too many fields
 *     bad date 'S'                       S not a valid YYYY-MM-DD
 *     to before from
 *     range longer than 366 days
 *     unknown kind 'S'                   S not "off" or "work"
 *     NUL byte                           a NUL byte in a non-comment line
 *     name is not valid UTF-8
 *     name holds a control character     or a bidirectional override
 *                                        (util/safetext.h)
 *     name longer than 40 characters     CAL_NAME_MAX, as the database
 *                                        allows
 *     YYYY-MM-DD is not a weekend        a "work" day on Monday-Friday
 *     YYYY-MM-DD listed twice (line M)   M is the earlier line
 * "The first error" is the one on the lowest line (for a day listed twice,
 * the line where it appears the second time).
 * An empty file (or only comments) is valid: no entries, no year loaded.
 */
struct calendar *cal_parse(const char *text, size_t len, char **err);

/* Frees *cal (may be NULL) with its entries and sets *cal to NULL. */
void cal_free(struct calendar **cal);

/* Number of listed days: each range is expanded to one entry per day. */
size_t cal_count(const struct calendar *cal);

/* Entry i (0 <= i < cal_count), in increasing day order; NULL when i is
 * out of range. Owned by the calendar, valid until cal_free. */
const struct cal_entry *cal_entry_at(const struct calendar *cal, size_t i);

/* True when at least one listed day falls in year. */
bool cal_year_loaded(const struct calendar *cal, int year);

/* 1 when d is a working day, 0 when not, -1 when d's year is not loaded
 * (or d is not a valid date, or cal is NULL). */
int cal_is_workday(const struct calendar *cal, struct cal_date d);

/*
 * The n-th working day after from (from itself is not counted; from may
 * be any day, working or not) into *out. n < 0 counts backwards (the
 * |n|-th working day before from); n == 0 gives from. Returns 0, or -1
 * (*out untouched) when a day that must be examined lies in a year that
 * is not loaded, when from is not a valid date, or cal is NULL.
 */
int cal_add_workdays(const struct calendar *cal, struct cal_date from, int n,
		     struct cal_date *out);

#endif
