/*
 * Opening hours on the shared database, through the functions of
 * db/functions/hours.sql: what the kiosk, the board and the console show
 * (public: no session), and the changes an administrator makes.
 *
 * Changes take the session of a signed-in administrator (who may change
 * the office's hours and those of the offices below it), or session 0 on
 * the database owner's own connection (the first set-up: the server
 * refuses session 0 on any other connection with HS_NO_SESSION). Each
 * change is one transaction on the server, audited with before and after
 * and announced on the office's channels (queue_channel, and
 * yc_hours_<office>, which hourstore_listen listens on).
 */
#ifndef YC_HOURSTORE_H
#define YC_HOURSTORE_H

#include <stdbool.h>
#include <time.h>

#include "model/hours.h"
#include "store/db.h"

enum hourstore_result {
	HS_OK,
	HS_NO_SESSION,		/* no open session (or session 0 off the owner's connection) */
	HS_NOT_ALLOWED,		/* not an administrator, or an office outside the jurisdiction */
	HS_UNKNOWN_OFFICE,
	HS_BAD_DAY,		/* not a day of the week (1..8), or no date */
	HS_PAST_DAY,		/* an exception for a day already past */
	HS_BAD_TIME,
	HS_BAD_ORDER,
	HS_BAD_NOON,
	HS_BAD_NOTE,		/* an exception's note: 1 to 40 characters */
	HS_NOT_FOUND,		/* no exception on that day */
	HS_DB_LOST,
	HS_DB_ERROR
};

/* Today at an office and the hall's state now (yc.hours_today). */
struct hourstore_today {
	char day[11];			/* YYYY-MM-DD, the server's today */
	char kind[12];			/* workday makeup weekend holiday */
	char label[128];		/* the holiday's name or the exception's note; "" */
	char source[12];		/* exception office sunday default */
	struct hours_day hours;
	enum hours_state state;
	time_t next_open;		/* closed: the next opening; 0 otherwise or unknown */
	int changes_in;			/* seconds until the state or the day changes */
	time_t server_now;
};
enum hourstore_result hourstore_today(struct db *db, const char *office, struct hourstore_today *out);

/* The weekly schedule as it applies (yc.hours_week): out[0..7] for dow 1
 * Monday … 7 Sunday, 8 the days off of the calendar. */
struct hourstore_week_day {
	int dow;
	char source[12];		/* office default sunday */
	struct hours_day hours;
	char updated_by[64];
};
enum hourstore_result hourstore_week(struct db *db, const char *office,
    struct hourstore_week_day out[8]);

/* One dated exception, or one day as it will be (hourstore_days). */
struct hourstore_date {
	char day[11];
	char kind[12];			/* what the calendar makes of the day */
	char label[128];		/* exceptions: the note; days: the holiday's name or the note */
	char holiday[64];		/* exceptions: the calendar's name of the day */
	char source[12];		/* days only */
	struct hours_day hours;
};
/* The exceptions of an office from day from (YYYY-MM-DD; NULL: all), at
 * most max; how many, or -1 with *r saying why. */
int hourstore_exceptions(struct db *db, const char *office, const char *from,
    struct hourstore_date *out, int max, enum hourstore_result *r);
/* The hours of n days from day from (NULL: today), at most max. */
int hourstore_days(struct db *db, const char *office, const char *from, int n,
    struct hourstore_date *out, int max, enum hourstore_result *r);

/* The same hours for the days of the week dows[0..n) (1..8); all or none. */
enum hourstore_result hourstore_set_days(struct db *db, long long session, const char *office,
    const int *dows, int n, const struct hours_day *d);
/* Those days back to the default. */
enum hourstore_result hourstore_clear_days(struct db *db, long long session, const char *office,
    const int *dows, int n);
/* The hours of one date (today or later) with a note; replaces one there. */
enum hourstore_result hourstore_set_exception(struct db *db, long long session, const char *office,
    const char *day, const struct hours_day *d, const char *note);
enum hourstore_result hourstore_drop_exception(struct db *db, long long session,
    const char *office, const char *day);

/* LISTEN on yc_hours_<office> (only changes of its hours arrive there). */
enum db_status hourstore_listen(struct db *db, const char *office);

/* One sentence per result (translated). */
const char *hourstore_result_message(enum hourstore_result r);
/* Whether r is a refusal of what was typed (the commands exit with 2). */
bool hourstore_bad_input(enum hourstore_result r);

/* What the hall says while closed, from the next opening (0: unknown)
 * and the server's today (YYYY-MM-DD, may be NULL): "本厅今日已停止取号，
 * 下次开放：12月4日（周五）08:30", or, when it opens again later today,
 * "本厅暂停取号，今天 14:30 恢复取号". malloc'd, translated. */
char *hourstore_closed_message(time_t next_open, const char *today);

#endif
