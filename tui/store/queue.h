/*
 * The hall queue on the shared database. Every operation is one call of a
 * server-side function (one transaction, row locks; call-next claims a
 * ticket with an advisory lock, then locks its row), so many kiosks and
 * windows can act at once: two windows never get the same ticket, a ticket
 * is never lost, a window never holds two current tickets. Every change is
 * audited and announced with NOTIFY on the office's channel
 * (queue_channel()); call-next's announcement comes right after its commit.
 *
 * Ticket numbers are per office, per day (Asia/Shanghai), per class:
 * A001… normal, B001… priority (老年/特殊), G001… 绿色通道, Y001… appointment.
 *
 * Results: QUEUE_OK, or why not (each maps to one message for the user);
 * QUEUE_DB_LOST / QUEUE_DB_ERROR when the database failed (db_detail()).
 */
#ifndef YC_QUEUE_H
#define YC_QUEUE_H

#include <stdbool.h>
#include <time.h>

#include "store/db.h"

enum queue_class { QC_NORMAL, QC_PRIORITY, QC_GREEN, QC_APPOINTMENT, QC_COUNT };

enum queue_result {
	QUEUE_OK,
	QUEUE_EMPTY,			/* call-next: nobody callable is waiting */
	QUEUE_PAUSED,			/* the window is paused */
	QUEUE_BUSY,			/* the window already has a current ticket */
	QUEUE_NO_TICKET,		/* no current ticket to act on */
	QUEUE_NOT_CALLED,		/* no-show needs a called (not yet started) ticket */
	QUEUE_UNKNOWN_OFFICE,
	QUEUE_UNKNOWN_WINDOW,		/* transfer target is not an active window */
	QUEUE_BAD_ID,			/* the ID number is not valid */
	QUEUE_BAD_APPOINTMENT,		/* unknown, used, or another office's code */
	QUEUE_NOT_ALLOWED,		/* e.g. green tickets need a guide or supervisor */
	QUEUE_NO_SESSION,		/* the staff session is closed */
	QUEUE_BAD_WINDOW,		/* green ticket: not an active window of the office */
	QUEUE_WINDOW_CLOSED,		/* green ticket: no clerk is signed in at that window */
	QUEUE_CLOSED,			/* outside the opening hours: no ticket (see opens_at) */
	QUEUE_APPOINTMENT_EARLY,	/* before the appointment's check-in window (opens_at) */
	QUEUE_APPOINTMENT_MISSED,	/* the appointment's slot has ended: missed */
	QUEUE_BAD_TEXT,			/* a pause reason with a control character */
	QUEUE_DB_LOST,
	QUEUE_DB_ERROR
};

struct queue_ticket {
	long long id;			/* 0 when none */
	char number[8];			/* "A023" */
	enum queue_class cls;
	char status[12];		/* waiting called serving held served no_show cancelled */
	int window_no;			/* 0 when none */
	time_t issued_at, called_at, started_at, finished_at;	/* 0 when not yet */
	int recalls;
	bool has_id;			/* an ID number was given (never shown on boards) */
};

/* Where a 绿色通道 ticket went (it is never called). */
enum queue_placed {
	QP_NONE,			/* not a green ticket */
	QP_WINDOW,			/* the current ticket of to_window at once */
	QP_RESERVED,			/* waits for to_window (busy or paused): its next call takes it first */
	QP_QUEUE,			/* no window free: the next window that calls takes it first */
};

struct queue_issue {
	struct queue_ticket t;
	int ahead;			/* people waiting before this ticket */
	int est_wait_minutes;
	char office_name[128];
	enum queue_placed placed;
	int to_window;			/* for QP_WINDOW and QP_RESERVED; 0 otherwise */
	time_t opens_at;		/* QUEUE_CLOSED: the next opening (0: none known);
					 * QUEUE_APPOINTMENT_EARLY: when check-in opens */
};

/* Issues a ticket. Outside the office's opening hours every class but
 * QC_GREEN is refused with QUEUE_CLOSED and out->opens_at, the next
 * opening (db/functions/hours.sql). cls QC_NORMAL with an ID number of a
 * person at or above the office's senior age becomes QC_PRIORITY. QC_GREEN needs session_id of
 * an open session that may issue one (see queue_issue_green); it goes to
 * the next free window. QC_APPOINTMENT needs the appointment code, or with
 * none the ID number (the person's appointment of today at the office); it
 * is checked in from the setting appointment_checkin_minutes before its
 * slot (QUEUE_APPOINTMENT_EARLY before) until the slot's end (then
 * QUEUE_APPOINTMENT_MISSED, recorded as missed). id_no and appointment may
 * be NULL. */
enum queue_result queue_issue(struct db *db, const char *office, enum queue_class cls,
    const char *id_no, const char *appointment, long long session_id, struct queue_issue *out);
/* Issues a 绿色通道 ticket (不用排队、叫号) as session_id: a guide or
 * supervisor of the office, a supervisor of an office above it (from the
 * console's hall of that office), or, where the office has no guide desk,
 * a clerk signed in at one of its windows. It goes straight to window (0:
 * the free window idle longest) as its current ticket, without a call and
 * never on the board; when that window is busy or paused it is the first
 * that window's next call takes; when no window is free, the first the
 * next calling window takes (out->placed, out->to_window). A window that is
 * not one of the office's: QUEUE_BAD_WINDOW; one where no clerk is signed
 * in: QUEUE_WINDOW_CLOSED; nothing is issued then. id_no may be NULL. */
enum queue_result queue_issue_green(struct db *db, const char *office, const char *id_no,
    long long session_id, int window, struct queue_issue *out);
/* What to tell the issuer of a green ticket: where it went (translated,
 * malloc'd). */
char *queue_green_placed_message(const struct queue_issue *is);
/* Whether an office has a guide desk (导服台): its guides issue the green
 * tickets; without one, its clerks at the windows do. */
enum queue_result queue_office_guide_desk(struct db *db, const char *office, bool *out);

/* The window of session_id calls the next ticket by the office's policy:
 * tickets transferred to this window first, then 绿色通道, then
 * appointments whose slot has come, then walk-ins by the policy (strict,
 * ratio N, credit M). A current ticket still being served is finished as
 * served first. Then, in the same round trip and a transaction of its own,
 * the call is announced on the office's channel (yc.queue_call_announce:
 * one notification, after the call's commit). */
enum queue_result queue_call_next(struct db *db, long long session_id, struct queue_ticket *out);
/* Calls the current ticket again (the board shows it again). */
enum queue_result queue_recall(struct db *db, long long session_id, struct queue_ticket *out);
/* The citizen has arrived at the window: serving starts (started_at). */
enum queue_result queue_start(struct db *db, long long session_id, struct queue_ticket *out);
/* Ends the current ticket: served, or a no-show (过号, only if not started). */
enum queue_result queue_finish(struct db *db, long long session_id, bool served);
/* Sends the current ticket to another window (to_window > 0) or back to
 * the queue (0), keeping its number and its original time. */
enum queue_result queue_transfer(struct db *db, long long session_id, int to_window);
/* 挂起: puts the current ticket aside at this window; call it back later. */
enum queue_result queue_hold(struct db *db, long long session_id);
enum queue_result queue_resume_held(struct db *db, long long session_id, long long ticket_id,
    struct queue_ticket *out);
/* Pauses the window with a reason (no ticket may be current) / resumes it. */
enum queue_result queue_pause(struct db *db, long long session_id, const char *reason);
enum queue_result queue_resume(struct db *db, long long session_id);

/* What the window has now: its current ticket (id 0 if none), whether it is
 * paused and why, and up to max held tickets. */
struct queue_window {
	struct queue_ticket current;
	bool paused;
	char pause_reason[64];
	struct queue_ticket held[8];
	int nheld;
};
enum queue_result queue_window_state(struct db *db, long long session_id, struct queue_window *out);

/* The waiting queue of an office today, per class. */
struct queue_counts {
	int waiting[QC_COUNT];
	int longest_wait_seconds[QC_COUNT];	/* 0 when none waiting */
	int target_minutes;			/* the office's wait target (red beyond) */
	char office_name[128];
};
enum queue_result queue_counts(struct db *db, const char *office, struct queue_counts *out);

/* The latest calls of an office today, newest first (number and window
 * only: nothing personal). Returns how many were written (≤ max). */
struct queue_call {
	char number[8];
	int window_no;
	time_t called_at;
};
int queue_recent_calls(struct db *db, const char *office, struct queue_call *out, int max,
    enum queue_result *res);

/* The LISTEN channel of an office ("yc_queue_" + office code). */
void queue_channel(const char *office, char out[40]);
/* LISTEN on the office's channel. */
enum queue_result queue_listen(struct db *db, const char *office);

const char *queue_class_name(enum queue_class cls);	/* translated: 普通, 优先, 绿色通道, 预约 */
char queue_class_letter(enum queue_class cls);		/* A B G Y */
/* "normal" "priority" "green" "appointment" <-> enum; false when unknown. */
bool queue_class_parse(const char *s, enum queue_class *out);
const char *queue_class_key(enum queue_class cls);
/* The translated message for a result. */
const char *queue_result_message(enum queue_result r);

#endif
