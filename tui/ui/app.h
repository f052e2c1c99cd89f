/*
 * The workstation application: one loop that waits on the keyboard, the
 * database socket and timers, hands keys to the active view, and redraws
 * what is dirty.
 *
 * Screen layout: row 0 the status line, rows 1..rows-3 the view's body,
 * row rows-2 the message line, row rows-1 the F-key bar.
 */
#ifndef YC_APP_H
#define YC_APP_H

#include <stdbool.h>
#include <time.h>

#include "store/auth.h"
#include "ui/term.h"

struct app;
struct view;

/* What a key handler asks of the loop. */
enum view_flags {
	VF_IGNORED = 0,
	VF_HANDLED = 1 << 0,
	VF_REDRAW = 1 << 1
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
};

struct view {
	const struct view_ops *ops;
	void *data;
};

enum app_view {
	AV_LOGIN, AV_WORKBENCH, AV_LOCK, AV_HELP, AV_PICKER, AV_GUIDE, AV_COUNTER, AV_PREVIEW,
	AV_CASES, AV_CASE, AV_HALL, AV_HANDOVER, AV_COUNT
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
	const char *config_error; /* why nothing is configured */
	int idle_lock_seconds;	/* < 0: the database setting */
	const char *printer;	/* print channel; NULL: a file under ./var/print */
	const char *print_encoding; /* NULL: UTF-8 (file, lp) / the terminal's */
	int print_width;	/* 80 or 40 */
};

struct app {
	struct db *db;
	bool db_lost;
	time_t next_retry;
	bool reconnecting;	/* a background attempt is in progress */
	enum db_step reconnect_wait;	/* what its socket waits for */
	time_t reconnect_began;
	struct auth_session session;
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
	int cal_provisional_from;	/* first provisional calendar year; 0: none */
};

/* Runs the workstation until the user leaves; returns the exit status. */
int app_run(const struct app_options *opt);

/* For views. */
void app_switch(struct app *app, enum app_view v);
/* Sets the message line (a translated string, copied); NULL clears it. */
void app_message(struct app *app, enum term_style st, const char *text);
void app_dirty(struct app *app, unsigned what);
/* Marks the connection lost: the status line says so and retries begin. */
void app_db_lost(struct app *app);
/* Hands a NOTIFY (or, fresh, a new connection) to the signed-in workbench. */
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
/* A date "YYYY-MM-DD" as shown: with the provisional mark (预计) when it
 * lies in a provisional calendar year. malloc'd. */
char *app_date(const struct app *app, const char *ymd);
/* The warning for administrators and supervisors when an official
 * calendar is missing (this year, or next year from 1 November), as a
 * malloc'd message; NULL when there is nothing to say. */
char *app_calendar_warning(struct app *app);
/* Localised role name. */
const char *app_role_name(const char *role);

/* Opens the 办事指南 of case type code (latest catalogue version). */
void guide_open(struct app *app, const char *code);

/* The id of the ticket the window is serving (0: none). */
long long workbench_ticket(struct app *app);

extern const struct view_ops login_view_ops, workbench_view_ops, lock_view_ops, help_view_ops,
    picker_view_ops, guide_view_ops, counter_view_ops, preview_view_ops, cases_view_ops, case_view_ops,
    hall_view_ops, handover_view_ops;

#endif
