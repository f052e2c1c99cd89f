/*
 * What the console's files share (hall.c, hall_draw.c): the view's state
 * and the few functions one file calls in the other. Not for other views.
 *
 * Three modes: the live hall of one office (HM_CONSOLE: the supervisor's
 * own, or one below it picked in the list), the 差评 list (HM_RATINGS),
 * and the offices of the jurisdiction with their figures (HM_OFFICES,
 * 辖区各厅: F9, and where a prefecture or province supervisor lands).
 */
#ifndef YC_HALL_HALL_INT_H
#define YC_HALL_HALL_INT_H

#include <stdbool.h>
#include <time.h>

#include "model/chart.h"
#include "store/apptstore.h"
#include "store/hall.h"
#include "store/hourstore.h"
#include "ui/app.h"
#include "ui/prompt.h"

#define HALL_MAX_WINDOWS 200
#define HALL_MAX_RATINGS 100
#define HALL_MAX_DUE 50		/* near-due and overdue dates shown (F7) */
#define HALL_CHART_WIDE 90	/* from this many columns the charts sit side by side */
#define HALL_MAX_OFFICES 100	/* offices listed (HM_OFFICES) */
#define HALL_LIST_SECONDS 2	/* the list is read again at most this often on NOTIFY */

enum hall_mode { HM_CONSOLE, HM_RATINGS, HM_OFFICES };

/* The console's connection to a hot standby (hall_read.c). */
struct hall_rd {
	struct db *db;		/* NULL until first needed (and without --read-db) */
	bool connecting;	/* an attempt is in progress ... */
	enum db_step step;	/* ... waiting for this */
	long long retry_at, deadline;	/* CLOCK_MONOTONIC ms: next attempt; give up this one */
	long long pass_session;	/* the session whose read pass is set on it (0: none) */
	long long pass_renew;	/* ask for a new pass from then */
	long long avoid_until;	/* after a failed read: the primary until then */
};

enum hall_prompt {
	HP_GREEN_ID = 1, HP_GREEN_WINDOW, HP_REROUTE_TICKET, HP_REROUTE_WINDOW, HP_FOLLOW_UP,
	HP_REASSIGN_FROM, HP_REASSIGN_TO, HP_REPORT_DATE, HP_REPORT_OFFICE,
	HP_REPORT_BELOW
};

struct hall {
	enum hall_mode mode;
	enum hall_mode ratings_from;	/* where Esc in the 差评 list goes back to */
	char office[16];	/* the office whose hall HM_CONSOLE shows */
	char office_name[128];
	struct hall_office off[HALL_MAX_OFFICES];	/* HM_OFFICES, tree order */
	int noff;
	int osel, otop;		/* the chosen office, the first shown */
	bool below;		/* offices below the own office have windows: F9 lists them */
	bool own_hall;		/* the own office has active windows */
	time_t offices_read;	/* when off[] was read: waits grow from there */
	bool offices_pending;	/* a NOTIFY came within HALL_LIST_SECONDS of the last read */
	char listen[HALL_MAX_OFFICES][16];	/* the queue channels the console LISTENs
						 * on (never the own office: the workbench's) */
	int nlisten;
	struct hall_window win[HALL_MAX_WINDOWS];
	int nwin;
	struct hall_queue q;
	time_t q_at;		/* when q was read: waits grow from there */
	bool have_queue;
	int hourly[24];
	int waits[HALL_WAIT_BUCKETS];
	struct hall_rating rt[HALL_MAX_RATINGS];
	int nrt;
	bool show_due;		/* F7: the near-due and overdue list instead of the charts */
	bool show_appt;		/* F7 again (console): today's appointments per slot */
	struct appt_hall appts;
	struct hall_due due[HALL_MAX_DUE];
	int ndue;
	int sel, top;		/* the chosen window, the first shown */
	int rsel, rtop;		/* the same in the 差评 list */
	struct hall_ticket reroute;	/* the ticket being re-routed */
	char from_staff[40];	/* reassign: whose cases */
	char green_id[24];	/* green ticket: the ID number typed, until its window is asked */
	char report_date[11];	/* F8: the day of the report, YYYY-MM-DD */
	char report_office[16];	/* F8: the office of the report */
	enum chart_ink ink;
	struct prompt prompt;
	char *calendar_warning;	/* an official calendar is missing (NULL: none) */
	struct hourstore_today hours;	/* today's hours and the hall's state when read */
	bool have_hours;
	time_t hours_read, hours_due;	/* when read; when the server said the state changes */
	struct hall_rd rd;	/* reads on a hot standby (--read-db) */
};

/*
 * Where the console's next refresh reads (hall_read.c): the hot standby
 * of --read-db when it is connected, holds a read pass of the session and
 * has replayed everything the primary had written now; else app->db.
 * Waits at most 0.1 s for it. hall_read_failed: a read there failed (the
 * caller reads the primary); hall_read_close: the connection goes.
 */
struct db *hall_read_db(struct app *app, struct hall *h);
void hall_read_failed(struct hall *h);
void hall_read_close(struct hall *h);

/* Whether the signed-in staff is a supervisor (the console is theirs). */
bool hall_supervisor(const struct app *app);
/* The console's state, made on first use. */
struct hall *hall_data(struct view *v);
/* The translated name of a 好差评 grade 1..5 ("" otherwise). */
const char *hall_grade_name(int grade);
/* The hall's state now: as read, or past the change the server
 * announced, worked out from today's hours on the server's clock. */
enum hours_state hall_hours_state(const struct hall *h);
/* Whether the console shows the hall of an office other than the own. */
bool hall_elsewhere(const struct app *app, const struct hall *h);
/* The view's draw op. */
void hall_draw(struct app *app, struct view *v, int top, int rows);

/* Today's appointments per slot in rows [y, bottom) (hall_draw.c). */
void hall_draw_appointments(struct hall *h, int y, int bottom, int cols);
#endif
