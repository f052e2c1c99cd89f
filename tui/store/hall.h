/*
 * The shift supervisor's view of the hall (值班长) and the handover notes of
 * windows, through the server-side functions of
 * db/functions/supervision.sql. Each call is one parameterised query run
 * as the staff session: the server checks the role (supervisor for the
 * hall and the 差评; any session at a window for handover notes), reads
 * only the office asked for when it is the session's office or one below
 * it (office NULL: the session's own; anything else HALL_OUT_OF_JURISDICTION),
 * audits every change and announces it on the office's channels.
 *
 * Results: HALL_OK, or why not (each maps to one message for the user,
 * hall_result_message()); HALL_DB_LOST / HALL_DB_ERROR when the database
 * failed (db_detail()). Functions filling a list return how many rows
 * were written (≤ max), or -1 with *res saying why.
 */
#ifndef YC_HALL_H
#define YC_HALL_H

#include <stdbool.h>
#include <time.h>

#include "store/db.h"
#include "store/queue.h"

enum hall_result {
	HALL_OK,
	HALL_NO_SESSION,	/* the staff session is closed */
	HALL_NOT_ALLOWED,	/* not a supervisor / not at a window */
	HALL_NOT_FOUND,		/* no such ticket, rating or note */
	HALL_NOT_WAITING,	/* re-route of a ticket that is no longer waiting */
	HALL_UNKNOWN_WINDOW,	/* re-route to a window that is not active */
	HALL_HANDLED,		/* the 差评 was followed up already */
	HALL_BAD_INPUT,		/* an empty or too long note */
	HALL_CALENDAR,		/* a due date beyond the loaded working-day calendar */
	HALL_OUT_OF_JURISDICTION,	/* an office neither the supervisor's nor below it */
	HALL_UNKNOWN_OFFICE,	/* no office has that code */
	HALL_BAD_TEXT,		/* a note with a control character (util/safetext.h) */
	HALL_DB_LOST,
	HALL_DB_ERROR
};

enum hall_window_state { HW_IDLE, HW_CALLED, HW_SERVING, HW_PAUSED, HW_LOGGED_OUT };

/* A window of the office as the console shows it. */
struct hall_window {
	int window_no;
	char label[48];
	char staff_no[36];		/* "" when nobody is signed in there */
	char staff_name[64];
	enum hall_window_state state;
	char pause_reason[64];
	char ticket[8];			/* the current ticket, "" when none */
	enum queue_class cls;
	time_t since;			/* serving: service start; called: the call;
					 * paused: the pause; 0 otherwise */
};
int hall_windows(struct db *db, long long session, const char *office, struct hall_window *out,
    int max, enum hall_result *res);

/* The office's queue now and today's service level, per class. */
struct hall_queue {
	int waiting[QC_COUNT];
	int longest_wait_seconds[QC_COUNT];	/* 0 when none waits */
	int level_within[QC_COUNT];		/* called within the target */
	int level_base[QC_COUNT];		/* called, or waiting beyond it */
	int target_minutes;
};
enum hall_result hall_queue(struct db *db, long long session, const char *office,
    struct hall_queue *out);
/* The service level in percent (rounded down) of class cls, or of all
 * classes when cls is QC_COUNT; -1 when nothing counts yet. */
int hall_service_level(const struct hall_queue *q, enum queue_class cls);

/* Tickets issued today per hour (0..23). */
enum hall_result hall_hourly(struct db *db, long long session, const char *office, int out[24]);

/* The waits of the tickets called today, in minutes: 0–5, 5–10, 10–15,
 * 15–20, 20–30, 30–45, 45–60, 60 and more. */
#define HALL_WAIT_BUCKETS 8
enum hall_result hall_waits(struct db *db, long long session, const char *office,
    int out[HALL_WAIT_BUCKETS]);
/* The label of bucket i ("0-5" … "60+"; ASCII). */
const char *hall_wait_label(int i);

/* A waiting ticket of the office today. */
struct hall_ticket {
	long long id;
	char number[8];
	enum queue_class cls;
	time_t issued_at;
	int transfer_to;		/* the window it was sent to; 0: in the queue */
};
/* The waiting ticket numbered number (e.g. "A012", any case) of the office
 * today: HALL_OK, or HALL_NOT_FOUND when no such ticket waits. */
enum hall_result hall_find_waiting(struct db *db, long long session, const char *office,
    const char *number, struct hall_ticket *out);
/* Sends waiting ticket ticket_id of the office to window (it is called
 * there next), or back into the queue in its original place (window 0). */
enum hall_result hall_reroute(struct db *db, long long session, const char *office,
    long long ticket_id, int window);

/* A 差评 waiting for the supervisor's follow-up. */
struct hall_rating {
	char office_code[16];
	long long id;
	char office_name[128];
	time_t rated_at;
	int grade;			/* 4 不满意, 5 非常不满意 */
	char staff_no[36];
	char staff_name[64];
	int window_no;			/* 0 when none */
	char case_no[32];		/* "" when the rating has no case */
	char type_name[128];
	char ticket[8];			/* "" when the rating has no ticket */
};
/* The 差评 of the office and the offices below it, oldest first. */
int hall_ratings(struct db *db, long long session, struct hall_rating *out, int max,
    enum hall_result *res);
/* Writes the follow-up note of a 差评 and marks it handled. */
enum hall_result hall_follow_up(struct db *db, long long session, const char *office,
    long long rating_id, const char *note);

/* A near-due or overdue date of an open case of the office or an office
 * below it (yc.hall_due): overdue, or at most 3 working days or 20 % of the
 * limit left. */
enum hall_due_kind { HD_CASE, HD_STAGE, HD_MATERIAL };
struct hall_due {
	char office_code[16];
	char office_name[128];
	char case_no[32];
	char type_name[128];
	char person_name[64];
	enum hall_due_kind kind;	/* the case's promise, its stage, a 容缺 material */
	char label[128];		/* the stage or material name; "" for the case */
	char due[11];			/* YYYY-MM-DD */
	int remaining;			/* working days left; negative: overdue */
	int limit_days;
};
/* Of the office and the offices below it, the most urgent first (fewest
 * working days left), at most max (≤ 200). */
int hall_due(struct db *db, long long session, const char *office, struct hall_due *out, int max,
    enum hall_result *res);

/* An office of the supervisor's jurisdiction with its hall now
 * (yc.hall_offices): its own figures, not those of the offices below. */
struct hall_office {
	char code[16];
	char name[128];
	char tier[16];			/* province … village */
	int depth;			/* 0: the supervisor's office, 1: right below, … */
	int windows_active;		/* 0: no hall to show */
	int windows_open;		/* of those, with a clerk signed in */
	int waiting;
	int longest_wait_seconds;	/* 0 when none waits */
	int target_minutes;
	int served_today;
	int overdue, near_due;		/* open cases overdue, and the other urgent ones */
	bool due_more;			/* many due dates: the counts may be higher */
};
/* The supervisor's office and every office below it in tree order (a
 * parent before its offices), at most max (≤ 500). */
int hall_offices(struct db *db, long long session, struct hall_office *out, int max,
    enum hall_result *res);
/* LISTENs on the queue channels (yc_queue_<code>) of the offices in add and
 * UNLISTENs those in drop, in one round trip; codes that are not office
 * codes are skipped. HALL_OK, or HALL_DB_LOST / HALL_DB_ERROR. */
enum hall_result hall_listen(struct db *db, const char *const *add, int nadd,
    const char *const *drop, int ndrop);

/* End-of-shift handover notes of the session's window. */
struct hall_handover {
	time_t written_at;
	char staff_no[36];
	char staff_name[64];
	char note[3072];
};
enum hall_result hall_handover_write(struct db *db, long long session, const char *note);
/* The newest note of the window of the last 7 days when someone else wrote
 * it: HALL_OK, or HALL_NOT_FOUND. */
enum hall_result hall_handover_latest(struct db *db, long long session, struct hall_handover *out);

/* The translated message for a result. */
const char *hall_result_message(enum hall_result r);

#endif
