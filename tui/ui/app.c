/* The workstation loop; see app.h. */
#include "ui/app.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "model/calendar.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/calstore.h"
#include "ui/printout.h"
#include "util/xalloc.h"

#define APP_MIN_ROWS 12
#define APP_MIN_COLS 40
#define APP_RETRY_SECONDS 5
#define APP_CONNECT_SECONDS 10	/* a background attempt may take this long */

static volatile sig_atomic_t app_hangup;

static void
app_on_hangup(int sig)
{
	app_hangup = sig;
}

const char *
app_role_name(const char *role)
{
	static const struct {
		const char *role, *name;
	} roles[] = {
		{ "clerk", N_("Counter clerk") },
		{ "reviewer", N_("Reviewer") },
		{ "supervisor", N_("Shift supervisor") },
		{ "admin", N_("Administrator") },
		{ "guide", N_("Guide desk") },
	};

	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (role != NULL && strcmp(role, roles[i].role) == 0)
			return _(roles[i].name);
	return role != NULL ? role : "";
}

bool
app_role_is(const struct app *app, const char *role)
{
	return app->session.role != NULL && strcmp(app->session.role, role) == 0;
}

bool
app_takes_cases(const struct app *app)
{
	return app_role_is(app, "clerk") || app_role_is(app, "supervisor");
}

void
app_calendar_refresh(struct app *app)
{
	int from = app->db != NULL && !app->db_lost ? calstore_provisional_from(app->db) : -1;

	if (from >= 0)
		app->cal_provisional_from = from;
}

char *
app_date(const struct app *app, const char *ymd, bool counted)
{
	struct cal_date d;

	if (counted && app->cal_provisional_from > 0 && cal_date_parse(ymd, &d) &&
	    d.y >= app->cal_provisional_from)
		return xasprintf(_("%s (provisional)"), ymd);
	return xstrdup(ymd);
}

char *
app_calendar_warning(struct app *app)
{
	int year;

	if (!app_role_is(app, "admin") && !app_role_is(app, "supervisor"))
		return NULL;
	if (app->db == NULL || app->db_lost || (year = calstore_missing(app->db)) <= 0)
		return NULL;
	return xasprintf(_("The official working-day calendar of %d is not loaded: its deadlines are "
	    "provisional. Load the State Council's arrangement (yichuang calendar load FILE)."), year);
}

void
app_dirty(struct app *app, unsigned what)
{
	app->dirty |= what;
}

void
app_message(struct app *app, enum term_style st, const char *text)
{
	free(app->message);
	app->message = text != NULL ? xstrdup(text) : NULL;
	app->message_style = st;
	app->dirty |= AD_MESSAGE;
}

static long long
app_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
app_flush_later(struct app *app, int ms)
{
	long long due = app_now_ms() + (ms > 0 ? ms : 0);

	if (app->flush_due_ms == 0 || due < app->flush_due_ms)
		app->flush_due_ms = due;
}

/* Every view writes what it holds back. */
static void
app_flush_views(struct app *app, enum view_flush why)
{
	if (why != VFL_DB_BACK)
		app->flush_due_ms = 0;
	for (int i = 0; i < AV_COUNT; i++)
		if (app->views[i].ops != NULL && app->views[i].ops->flush != NULL)
			app->views[i].ops->flush(app, &app->views[i], why);
}

void
app_switch(struct app *app, enum app_view v)
{
	if (v != app->active)
		app_flush_views(app, VFL_NOW);
	if (v == AV_HELP && app->active != AV_HELP)
		app->under_help = app->active;
	app->active = v;
	if (app->views[v].ops->enter != NULL)
		app->views[v].ops->enter(app, &app->views[v]);
	app->dirty = AD_ALL;
}

void
app_db_lost(struct app *app)
{
	if (!app->db_lost) {
		app->db_lost = true;
		app->next_retry = time(NULL) + APP_RETRY_SECONDS;
		app->dirty |= AD_STATUS;
	}
}

/* Tells the signed-in workbench, and the view on screen if it listens
 * too, that data changed (or, fresh, that the connection is new and the
 * workbench must LISTEN again). */
void
app_notify(struct app *app, bool fresh)
{
	struct view *wb = &app->views[AV_WORKBENCH], *on = &app->views[app->active];

	if (app->session.id == 0)
		return;
	if (wb->ops->notify != NULL)
		wb->ops->notify(app, wb, fresh);
	if (on != wb && on->ops->notify != NULL)
		on->ops->notify(app, on, fresh);
}

/*
 * The signed-in session's channel (yc_session_ID): the database announces
 * on it that the session ended elsewhere (db/functions/auth.sql,
 * yc.session_close): a sign-in of the same staff at another terminal, of
 * someone else at this window, an administrator disabling the account.
 * Listened to from sign-in to sign-out (db.c LISTENs again after a
 * reconnect).
 */
static void
app_session_watch(struct app *app)
{
	char channel[40];

	if (app->db == NULL || app->watched == app->session.id)
		return;
	app->watched = app->session.id;
	if (app->session.id == 0) {
		db_watch(app->db, NULL);
		return;
	}
	snprintf(channel, sizeof channel, "yc_session_%lld", app->session.id);
	db_watch(app->db, channel);
}

/* The screen's session may have ended elsewhere (why: the announcement's
 * payload, NULL after a reconnect): when the database confirms it (anyone
 * may NOTIFY, so the channel alone proves nothing), the clerk is signed
 * out at once and told why. */
static void
app_session_ended(struct app *app, const char *why)
{
	const char *msg;

	if (app->session.id == 0 || auth_session_check(app->db, &app->session) != AUTH_NO_SESSION)
		return;
	if (why != NULL && strcmp(why, "replaced_self") == 0)
		msg = _("Your account signed in at another terminal: this one has been signed out.");
	else if (why != NULL && strcmp(why, "replaced_window") == 0)
		msg = _("Someone else signed in at this window: you have been signed out.");
	else if (why != NULL && strcmp(why, "disabled") == 0)
		msg = _("Your account has been disabled: you have been signed out.");
	else
		msg = _("Your session was ended elsewhere. Sign in again.");
	app_logout(app, "ended_elsewhere", TS_ERROR, msg);
}

/* n notifications arrived: the session's own channel first (it may sign
 * the clerk out), then the views. */
static void
app_db_notified(struct app *app, int n)
{
	char why[64];

	if (app->db != NULL && db_watch_fired(app->db, why, sizeof why))
		app_session_ended(app, why);
	if (n > 0)
		app_notify(app, false);
}

/* The connection is back: LISTEN again, refresh, tell the clerk; a
 * session that ended meanwhile signs out. */
static void
app_db_restored(struct app *app)
{
	bool was_lost = app->db_lost, signed_in = app->session.id != 0;

	app->db_lost = false;
	app->reconnecting = false;
	app->dirty |= AD_STATUS;
	if (signed_in)
		app_session_ended(app, NULL);
	app_notify(app, true);
	if (was_lost && (!signed_in || app->session.id != 0))
		app_message(app, TS_OK, _("Database connection restored."));
	if (app->session.id != 0)
		app_flush_views(app, VFL_DB_BACK);
}

static void
app_db_retry_later(struct app *app)
{
	app->db_lost = true;
	app->reconnecting = false;
	app->next_retry = time(NULL) + APP_RETRY_SECONDS;
	app->dirty |= AD_STATUS;
}

/* The clerk asked for something that needs the database: try now, even
 * if that means waiting up to the connect timeout. */
bool
app_db_ensure(struct app *app)
{
	if (app->db == NULL)
		return false;
	if (!app->db_lost && db_connected(app->db))
		return true;
	db_reconnect_abandon(app->db);
	if (db_reconnect(app->db)) {
		app_db_restored(app);
		return true;
	}
	app_db_retry_later(app);
	return false;
}

/* Background retries never block the screen: a non-blocking attempt is
 * started here and driven by the loop's poll() on its socket. */
static void
app_db_retry(struct app *app)
{
	if (app->db == NULL || !db_reconnect_start(app->db)) {
		app_db_retry_later(app);
		return;
	}
	app->reconnecting = true;
	app->reconnect_wait = DB_STEP_WRITE;
	app->reconnect_began = time(NULL);
}

static void
app_db_retry_step(struct app *app)
{
	switch (app->reconnect_wait = db_reconnect_step(app->db)) {
	case DB_STEP_READ:
	case DB_STEP_WRITE:
		break;
	case DB_STEP_DONE:
		app_db_restored(app);
		break;
	case DB_STEP_FAILED:
		app_db_retry_later(app);
		break;
	}
}

/* The session is ending: every view keeps what must outlive it. */
static void
app_save_views(struct app *app)
{
	app_flush_views(app, VFL_NOW);
	for (int i = 0; i < AV_COUNT; i++)
		if (app->views[i].ops->save != NULL)
			app->views[i].ops->save(app, &app->views[i]);
}

static void
app_view_release(struct view *v)
{
	if (v->ops->free != NULL && v->data != NULL)
		v->ops->free(v);
	else
		free(v->data);
	v->data = NULL;
}

void
app_logout(struct app *app, const char *reason, enum term_style st, const char *message)
{
	app_save_views(app);
	if (app->session.id != 0 && !app->db_lost)
		auth_logout(app->db, &app->session, reason);
	else if (app->session.id != 0)
		auth_logout_later(app->db);
	auth_session_clear(&app->session);
	/* What one clerk looked at is not shown to the next. */
	for (int i = 0; i < AV_COUNT; i++)
		if (i != AV_LOGIN && i != AV_LOCK && i != AV_HELP)
			app_view_release(&app->views[i]);
	printout_forget(app);
	printout_window_forget(app);
	app->ticket_id = 0;
	app->tick_seconds = false;
	app_switch(app, AV_LOGIN);
	app_message(app, st, message);
}

/*
 * The left part of the status line in at most cols columns. Who and which
 * window matter most: the office name is shortened first, then the role
 * dropped.
 */
static char *
app_status_left(struct app *app, int cols)
{
	const struct auth_session *s = &app->session;
	char win[32] = "", *who, *office, *line;
	int room;

	if (s->id == 0) {
		line = xasprintf(" %s", _("Yichuang · medical insurance one-window workstation"));
		office = text_ellipsize(line, cols);
		free(line);
		return office;
	}
	if (s->window_no > 0)
		snprintf(win, sizeof win, _("Window %d"), s->window_no);
	who = xasprintf("%s%s%s %s", win, win[0] != '\0' ? " │ " : "", s->staff_name,
	    app_role_name(s->role));
	if (text_width(who) + 1 > cols) {
		free(who);
		who = xasprintf("%s%s%s", win, win[0] != '\0' ? " │ " : "", s->staff_name);
	}
	room = cols - text_width(who) - 4;
	if (room >= 4) {
		office = text_ellipsize(s->office_name, room);
		line = xasprintf(" %s │ %s", office, who);
		free(office);
	} else
		line = xasprintf(" %s", who);
	free(who);
	office = text_ellipsize(line, cols);
	free(line);
	return office;
}

/* Status line: who and where on the left, date and clock on the right. */
static void
app_draw_status(struct app *app)
{
	static const char *const wd[] = {
		N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat")
	};
	int cols = term_cols(), rw, x;
	time_t now = time(NULL);
	struct tm tm;
	char clock[64], *left;

	cal_tm_cn(now, &tm);
	if (cols >= 60)
		snprintf(clock, sizeof clock, "%04d-%02d-%02d %s %02d:%02d ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, _(wd[tm.tm_wday]), tm.tm_hour, tm.tm_min);
	else
		snprintf(clock, sizeof clock, "%02d:%02d ", tm.tm_hour, tm.tm_min);
	term_fill(0, 0, cols, TS_STATUS);
	rw = text_width(clock);
	if (app->db_lost) {
		const char *lost = _("Database disconnected, reconnecting…");
		int lw = text_width(lost) + 1;

		if (lw + rw < cols) {
			term_print(0, cols - rw - lw, lw, TS_STATUS, lost);
			rw += lw;
		}
	}
	x = cols - rw > 0 ? cols - rw : 0;
	left = app_status_left(app, x - 1);
	term_print(0, 0, x, TS_STATUS, left);
	free(left);
	term_print(0, x, rw, TS_STATUS, clock);
}

static void
app_bar_name(enum term_keycode key, char name[8])
{
	if (key >= K_F1 && key <= K_F12)
		snprintf(name, 8, "F%d", (int)(key - K_F1) + 1);
	else
		snprintf(name, 8, "%s", key == K_ENTER ? "Enter" : key == K_ESC ? "Esc" :
		    key == K_PGDN ? "PgDn" : "Tab");
}

/* Columns an item needs: its key name and its label. */
static int
app_bar_width(const struct bar_item *it)
{
	char name[8];

	app_bar_name(it->key, name);
	return text_width(name) + text_width(_(it->label));
}

/*
 * The F-key bar. When every item fits in an equal slot, equal slots; on a
 * narrower terminal the items are packed and those that still do not fit
 * are left out from the right, except the last one (sign out / quit),
 * which always shows.
 */
static void
app_draw_bar(struct app *app)
{
	struct view *v = &app->views[app->active];
	const struct view_ops *ops = v->ops;
	size_t n = ops->nbar;
	const struct bar_item *items = ops->bar_fn != NULL ? ops->bar_fn(app, v, &n) : ops->bar;
	int cols = term_cols(), row = term_rows() - 1, x = 0, slot, widest = 0, room;

	term_fill(row, 0, cols, TS_NORMAL);
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (app_bar_width(&items[i]) > widest)
			widest = app_bar_width(&items[i]);
	slot = cols / (int)n;
	room = cols - (app_bar_width(&items[n - 1]) + 1);
	for (size_t i = 0; i < n; i++) {
		bool last = i + 1 == n;
		int need = app_bar_width(&items[i]) + 1, w, width;
		char name[8];

		if (slot > widest)
			width = slot;
		else if (last || x + need <= room)
			width = need;
		else
			continue;
		app_bar_name(items[i].key, name);
		w = term_print(row, x, width, TS_KEY, name);
		term_fill(row, x + w, width - w - (last ? 0 : 1), TS_LABEL);
		term_print(row, x + w, width - w - 1 + (last ? 1 : 0), TS_LABEL, _(items[i].label));
		x += width;
	}
}

static void
app_draw(struct app *app)
{
	int rows = term_rows(), cols = term_cols();

	if (app->dirty == 0)
		return;
	if (rows < APP_MIN_ROWS || cols < APP_MIN_COLS) {
		char *msg = xasprintf(_("Window too small: at least %d×%d"), APP_MIN_COLS, APP_MIN_ROWS);

		term_erase();
		term_print(rows / 2, 0, cols, TS_ERROR, msg);
		free(msg);
		term_cursor(0, 0, false);
		term_flush();
		app->dirty = 0;
		return;
	}
	if (app->dirty & AD_STATUS)
		app_draw_status(app);
	if (app->dirty & AD_BODY) {
		struct view *v = &app->views[app->active];

		app->cursor_y = app->cursor_x = -1;
		for (int y = 1; y < rows - 2; y++)
			term_fill(y, 0, cols, TS_NORMAL);
		if (app->active == AV_HELP) {
			struct view *under = &app->views[app->under_help];

			under->ops->draw(app, under, 1, rows - 3);
			app->cursor_y = app->cursor_x = -1;
		}
		v->ops->draw(app, v, 1, rows - 3);
	}
	if (app->dirty & AD_MESSAGE) {
		term_fill(rows - 2, 0, cols, TS_NORMAL);
		if (app->message != NULL)
			term_print(rows - 2, 1, cols - 2, app->message_style, app->message);
	}
	if (app->dirty & AD_BAR)
		app_draw_bar(app);
	term_cursor(app->cursor_y, app->cursor_x, app->cursor_y >= 0);
	term_flush();
	app->dirty = 0;
}

/* Milliseconds until the next timer: clock minute (or second while a view
 * shows a live timer), idle lock, reconnect, Esc. */
static long
app_timeout_ms(struct app *app, int esc_wait_ms)
{
	time_t now = time(NULL);
	long ms = app->tick_seconds ? 1000L : (60 - now % 60) * 1000L;

	if (app->session.id != 0 && app->active != AV_LOCK && app->idle_lock_seconds > 0) {
		long idle = (long)(app->last_input + app->idle_lock_seconds - now) * 1000L;

		if (idle < ms)
			ms = idle < 0 ? 0 : idle;
	}
	if (app->db_lost) {
		long r = (long)((app->reconnecting ? app->reconnect_began + APP_CONNECT_SECONDS :
		    app->next_retry) - now) * 1000L;

		if (r < ms)
			ms = r < 0 ? 0 : r;
	}
	if (esc_wait_ms > 0 && esc_wait_ms < ms)
		ms = esc_wait_ms;
	if (app->flush_due_ms > 0) {
		long long f = app->flush_due_ms - app_now_ms();

		if (f < ms)
			ms = f < 0 ? 0 : (long)f;
	}
	return ms;
}

static void
app_timers(struct app *app)
{
	time_t now = time(NULL);

	if (app->flush_due_ms > 0 && app_now_ms() >= app->flush_due_ms)
		app_flush_views(app, VFL_DUE);
	if (now / 60 != app->last_minute) {
		app->last_minute = now / 60;
		app->dirty |= AD_STATUS;
	}
	if (app->tick_seconds && now != app->last_tick) {
		struct view *v = &app->views[app->active];

		app->last_tick = now;
		app->dirty |= AD_BODY;
		if (v->ops->tick != NULL)
			v->ops->tick(app, v);
	}
	if (app->db_lost && app->reconnecting && now >= app->reconnect_began + APP_CONNECT_SECONDS) {
		db_reconnect_abandon(app->db);
		app_db_retry_later(app);
	} else if (app->db_lost && !app->reconnecting && now >= app->next_retry)
		app_db_retry(app);
	if (app->session.id != 0 && app->idle_lock_seconds > 0 && app->active != AV_LOCK &&
	    now - app->last_input >= app->idle_lock_seconds) {
		if (!app->db_lost && auth_lock(app->db, &app->session) == DB_LOST)
			app_db_lost(app);
		app_switch(app, AV_LOCK);
	}
}

static void
app_key(struct app *app, const struct term_key *k)
{
	struct view *v = &app->views[app->active];
	int r;

	app->last_input = time(NULL);
	if (k->code == K_RESIZE) {
		app->dirty = AD_ALL;
		return;
	}
	if (k->code == K_UNKNOWN) {
		app_message(app, TS_WARN, _("The terminal sent a key sequence this program does not know; "
		    "it was ignored."));
		return;
	}
	r = v->ops->key(app, v, k);
	if (r & VF_REDRAW)
		app->dirty |= AD_BODY;
}

/* Ends the session when the terminal goes away (SSH dropped, window
 * closed) or the process is told to stop. */
static void
app_hangup_now(struct app *app, const char *reason)
{
	app_save_views(app);
	if (app->session.id != 0 && !app->db_lost)
		auth_logout(app->db, &app->session, reason);
	app->quit = true;
}

/* The framework's views, then the features' from the table; aborts on a
 * table that does not name every other view exactly once. */
static void
app_register(struct app *app, const struct app_features *f)
{
	app->views[AV_LOGIN].ops = &login_view_ops;
	app->views[AV_LOCK].ops = &lock_view_ops;
	app->views[AV_HELP].ops = &help_view_ops;
	app->views[AV_PREVIEW].ops = &preview_view_ops;
	app->views[AV_PASSWORD].ops = &password_view_ops;
	for (size_t i = 0; i < f->nviews; i++) {
		const struct app_view_row *row = &f->views[i];

		if ((unsigned)row->id >= AV_COUNT || row->ops == NULL ||
		    app->views[row->id].ops != NULL)
			abort();
		app->views[row->id].ops = row->ops;
	}
	for (int i = 0; i < AV_COUNT; i++)
		if (app->views[i].ops == NULL)
			abort();
	if (f->hooks == NULL)
		abort();
	app->hooks = f->hooks;
}

int
app_run(const struct app_options *opt, const struct app_features *features)
{
	struct app app;
	struct sigaction sa;
	int esc_wait = 0;

	memset(&app, 0, sizeof app);
	app_register(&app, features);
	app.idle_override = opt->idle_lock_seconds;
	app.opt = opt;
	app.last_minute = time(NULL) / 60;
	if (opt->conninfo != NULL) {
		app.db = db_open(opt->conninfo);
		if (!db_connected(app.db))
			app_db_lost(&app);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = app_on_hangup;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	term_start();
	app_switch(&app, AV_LOGIN);
	if (opt->conninfo == NULL)
		app_message(&app, TS_ERROR, opt->config_error);
	else if (app.db_lost)
		app_message(&app, TS_ERROR, _("Cannot connect to the database. Retrying; "
		    "if this persists, call the administrator."));

	while (!app.quit) {
		struct term_key k;
		struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = -1 } };
		int r;

		if (app.reconnecting) {
			fds[1].fd = db_connecting_socket(app.db);
			fds[1].events = app.reconnect_wait == DB_STEP_READ ? POLLIN : POLLOUT;
		} else {
			fds[1].fd = app.db != NULL && !app.db_lost ? db_socket(app.db) : -1;
			fds[1].events = POLLIN;
		}
		app_draw(&app);
		if (app_hangup) {
			app_hangup_now(&app, app_hangup == SIGHUP ? "hangup" : "terminated");
			break;
		}
		r = poll(fds, fds[1].fd >= 0 ? 2 : 1, (int)app_timeout_ms(&app, esc_wait));
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
			app_hangup_now(&app, "hangup");
			break;
		}
		if (r > 0 && app.reconnecting && fds[1].fd >= 0 && fds[1].revents != 0)
			app_db_retry_step(&app);
		else if (r > 0 && fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			int n = db_consume(app.db);

			if (n < 0) {
				app_db_lost(&app);
				app_message(&app, TS_ERROR, _("The database connection was lost. Your "
				    "work on screen is kept; reconnecting…"));
			} else {
				/* A NOTIFY that arrived while a view re-read its data
				 * waits in libpq, unseen by poll(): consume again. */
				for (int round = 0; n > 0 && round < 4; round++) {
					app_db_notified(&app, n);
					n = db_consume(app.db);
				}
				if (n < 0)
					app_db_lost(&app);
			}
		}
		while (term_read_key(&k, &esc_wait)) {
			app_key(&app, &k);
			if (app.quit)
				break;
		}
		if (esc_wait == 1 && term_key_timeout(&k)) {
			esc_wait = 0;
			app_key(&app, &k);
		}
		app_timers(&app);
		/* what arrived during the queries of this round (poll() will
		 * not say so), and the channel of a session just opened */
		if (app.db != NULL && !app.db_lost && !app.reconnecting) {
			int n = db_pending(app.db);

			if (n > 0)
				app_db_notified(&app, n);
		}
		app_session_watch(&app);
	}
	app_flush_views(&app, VFL_NOW);
	term_stop();
	auth_session_clear(&app.session);
	free(app.message);
	printout_forget(&app);
	printout_window_forget(&app);
	for (int i = 0; i < AV_COUNT; i++)
		app_view_release(&app.views[i]);
	db_close(&app.db);
	return 0;
}
