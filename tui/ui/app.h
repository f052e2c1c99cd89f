/*
 * The workstation application: one loop that waits on the keyboard, the
 * database socket and timers, hands keys to the active view, and redraws
 * what is dirty.
 *
 * Screen layout: row 0 the status line, rows 1..rows-3 the view's body,
 * row rows-2 the message line, row rows-1 the F-key bar.
 *
 * The loop knows the framework's own views (login, lock, help, preview);
 * the features' views reach it through a table of views given to app_run
 * (struct app_features, filled in by tui/cmd/cmd_workstation.c), and the
 * features reach one another through the hooks of that table, never by
 * including one another's headers.
 */
#ifndef YC_APP_H
#define YC_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "store/auth.h"
#include "ui/term.h"

struct app;
struct app_hooks;
struct cases_found;
struct view;

/* What a key handler asks of the loop. */
enum view_flags {
	VF_IGNORED = 0,
	VF_HANDLED = 1 << 0,
	VF_REDRAW = 1 << 1
};

/* Why a view is asked to write what it holds back (view_ops.flush). */
enum view_flush {
	VFL_DUE,	/* the time it asked for (app_flush_later) has come */
	VFL_NOW,	/* the active view changes, the screen locks, the session
			 * ends or the program exits: write it now */
	VFL_DB_BACK	/* the connection is back: give the database what it missed */
};

struct bar_item {
	enum term_keycode key;
	const char *label;	/* msgid; translated when drawn */
};

struct view_ops {
	/* Called when the view becomes active. */
	void (*enter)(struct app *app, struct view *v);
	/* Draws the body rows [top, top + rows). */
	void (*draw)(struct app *app, struct view *v, int top, int rows);
	int (*key)(struct app *app, struct view *v, const struct term_key *k);
	/* The F-key bar while this view is active; bar_fn, when set, chooses
	 * one at run time (e.g. by role). */
	const struct bar_item *bar;
	size_t nbar;
	const struct bar_item *(*bar_fn)(struct app *app, struct view *v, size_t *n);
	/* Releases v->data (may be NULL: then free() is used). */
	void (*free)(struct view *v);
	/* The database announced a change (NOTIFY), or the connection was
	 * re-established (fresh: LISTEN again). May be NULL. */
	void (*notify)(struct app *app, struct view *v, bool fresh);
	/* The session is ending (sign-out, hang-up, the process told to
	 * stop): keep what must outlive it, before the views are released.
	 * Called for every view that has it, active or not. May be NULL. */
	void (*save)(struct app *app, struct view *v);
	/* About once a second while app->tick_seconds is set and the view is
	 * on screen (after its body was marked dirty), for work a view
	 * postponed (e.g. a refresh it holds back to at most one every few
	 * seconds). May be NULL. */
	void (*tick)(struct app *app, struct view *v);
	/* Writes what the view holds back to spare the disk and the
	 * database while the clerk types (the intake's draft); see enum
	 * view_flush. Called for every view that has it. May be NULL. */
	void (*flush)(struct app *app, struct view *v, enum view_flush why);
};

struct view {
	const struct view_ops *ops;
	void *data;
};

enum app_view {
	AV_LOGIN, AV_WORKBENCH, AV_LOCK, AV_HELP, AV_PICKER, AV_GUIDE, AV_COUNTER, AV_PREVIEW,
	AV_CASES, AV_CASE, AV_HALL, AV_HANDOVER,
	AV_OFFICES,
	AV_PASSWORD,		/* ui/password.c: the user changes their own password */
	AV_STAFF,		/* admin/staff.c: 人员管理, the administrator's staff accounts */
	AV_HOURS, AV_SETTINGS,
	AV_APPOINT,		/* queue/appoint.c: 预约办, 电话办 */
	AV_POLICY,		/* intake/policyview.c: 参保测算 */
	AV_COUNT
};

enum app_dirty {
	AD_STATUS = 1 << 0,
	AD_BODY = 1 << 1,
	AD_MESSAGE = 1 << 2,
	AD_BAR = 1 << 3,
	AD_ALL = 0xff
};

struct app_options {
	const char *conninfo;	/* NULL: nothing configured */
	const char *read_conninfo;	/* reads of the console on a hot standby; NULL: none */
	const char *config_error; /* why nothing is configured */
	int idle_lock_seconds;	/* < 0: the database setting */
	const char *printer;	/* print channel; NULL: a file under ./var/print */
	const char *print_encoding; /* NULL: UTF-8 (file, lp) / the terminal's */
	int print_width;	/* 80 or 40; 0: the window's (ui/printout.h) */
};

struct app {
	struct db *db;
	bool db_lost;
	time_t next_retry;
	bool reconnecting;	/* a background attempt is in progress */
	enum db_step reconnect_wait;	/* what its socket waits for */
	time_t reconnect_began;
	struct auth_session session;
	long long watched;	/* the session whose channel is LISTENed to (yc_session_ID) */
	int idle_lock_seconds;	/* 0 disables the lock */
	int idle_override;
	time_t last_input;
	struct view views[AV_COUNT];
	enum app_view active, under_help;
	unsigned dirty;
	char *message;
	enum term_style message_style;
	int cursor_y, cursor_x;	/* where views want the cursor; -1 hidden */
	bool quit;
	long last_minute;
	const struct app_options *opt;
	bool tick_seconds;	/* a view shows a live timer: redraw every second */
	time_t last_tick;
	char *last_doc, *last_doc_what;	/* the last document printed (F8 reprints) */
	char *win_printer, *win_encoding; int win_print_width;	/* the window's print settings in the database (NULL, 0: none; ui/printout.h) */
	int cal_provisional_from;	/* first provisional calendar year; 0: none */
	long long ticket_id;	/* the ticket the window is serving (0: none); kept by
				 * the workbench, read by the intake; 0 after sign-out */
	const struct app_hooks *hooks;	/* see struct app_features */
	long long flush_due_ms;	/* CLOCK_MONOTONIC ms when the views' flush is due; 0: none */
};

/* One row of the table of views: the view and its function table. */
struct app_view_row {
	enum app_view id;
	const struct view_ops *ops;
};

/*
 * What one feature offers the others. A feature calls another only
 * through these (app->hooks->…), never through its headers; the owner of
 * the table of views sets every member to the feature's function of the
 * same name.
 */
struct app_hooks {
	/* The intake (tui/intake/counter.h): go on with a case waiting for
	 * 补正; the signed-in clerk's saved draft: find it (true with a
	 * one-line description), open it, throw it away. */
	void (*counter_continue)(struct app *app, const struct cases_found *c);
	bool (*counter_draft_find)(struct app *app, char *desc, size_t size);
	void (*counter_draft_resume)(struct app *app);
	void (*counter_draft_discard)(struct app *app);
	/* The supervisor's console and the handover note (tui/hall/hall.h). */
	void (*hall_open)(struct app *app);
	void (*handover_prompt)(struct app *app);
	char *(*handover_for_login)(struct app *app);
	/* 参保测算 of a person (tui/intake/policyview.h); id_no NULL: the
	 * clerk types it. */
	void (*policy_open)(struct app *app, const char *id_no);
};

/*
 * The features of the workstation: a row for every view of enum app_view
 * except the framework's own (AV_LOGIN, AV_LOCK, AV_HELP, AV_PREVIEW,
 * AV_PASSWORD),
 * each once, and the hooks. app_run keeps pointers into it: it must
 * outlive the call (static data of the caller).
 */
struct app_features {
	const struct app_view_row *views;
	size_t nviews;
	const struct app_hooks *hooks;
};

/* Runs the workstation until the user leaves; returns the exit status.
 * A table that leaves out a view, names one twice or names one of the
 * framework's own is a programming error: app_run aborts before it
 * touches the terminal. */
int app_run(const struct app_options *opt, const struct app_features *features);

/* For views. */
void app_switch(struct app *app, enum app_view v);
/* Sets the message line (a translated string, copied); NULL clears it. */
void app_message(struct app *app, enum term_style st, const char *text);
void app_dirty(struct app *app, unsigned what);
/* Asks for the views' flush (VFL_DUE) in ms milliseconds at the latest. */
void app_flush_later(struct app *app, int ms);
/* Marks the connection lost: the status line says so and retries begin. */
void app_db_lost(struct app *app);
/* Hands a NOTIFY (or, fresh, a new connection) to the signed-in workbench
 * (AV_WORKBENCH) and to the view on screen. */
void app_notify(struct app *app, bool fresh);
/* Tries to reconnect now if the connection is down; true when up. */
bool app_db_ensure(struct app *app);
/* Signs the session out (reason for the audit) and shows the login screen
 * with message (may be NULL). */
void app_logout(struct app *app, const char *reason, enum term_style st, const char *message);
/* Whether the signed-in staff has role ("clerk", "supervisor", …). */
bool app_role_is(const struct app *app, const char *role);
/* Who takes cases at the counter: clerks (with or without a window:
 * 帮办代办) and supervisors. */
bool app_takes_cases(const struct app *app);
/* Reads again which calendar years are provisional (at sign-in and when a
 * view showing due dates refreshes). */
void app_calendar_refresh(struct app *app);
/* A date "YYYY-MM-DD" as shown: with the provisional mark (预计) when
 * counted (a due date still open that was counted in working days) and it
 * lies in a provisional calendar year; else as it is. malloc'd. */
char *app_date(const struct app *app, const char *ymd, bool counted);
/* The warning for administrators and supervisors when an official
 * calendar is missing (this year, or next year from 1 November), as a
 * malloc'd message; NULL when there is nothing to say. */
char *app_calendar_warning(struct app *app);
/* Localised role name. */
const char *app_role_name(const char *role);

/* The framework's own views (login.c, lock.c, help.c, preview.c,
 * password.c), which app_run registers itself. */
extern const struct view_ops login_view_ops, lock_view_ops, help_view_ops, preview_view_ops;
extern const struct view_ops password_view_ops;

#endif
