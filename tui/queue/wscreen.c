/*
 * The window screen (窗口屏 / 评价器) facing the citizen at one window: the
 * window number, the clerk's name and staff number, the ticket being
 * served, 暂停服务 while paused; after a service the 好差评 question, keys
 * 1 (非常满意) to 5 (非常不满意) on its own keypad. The grade goes to
 * yc.window_screen_rate (db/functions/intake.sql), which records it as the
 * clerk's prompt does, once per service and only for a few minutes.
 *
 * Updates come by LISTEN/NOTIFY on the office's queue channel: LISTEN
 * first, then the first reading, then one reading per burst of
 * notifications (a notification arriving during the reading is seen by the
 * db_consume() after it); sign-ins and sign-outs at a window are announced
 * there too (the staff_session trigger of db/functions/supervision.sql).
 * Timers: the clock once a minute (which also ends a rating question that
 * has expired) and, while the database is lost, the reconnection attempt.
 * Connected as the kiosk role, no session.
 */
#include "queue/wscreen.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "store/queue.h"
#include "store/wscreen.h"
#include "ui/fullscreen.h"
#include "util/xalloc.h"

struct wscreen {
	const struct wscreen_options *opt;
	struct db *db;
	bool lost;
	long long retry_at;
	bool owed;			/* a notification is not yet read */
	struct wscreen_state st;
	bool have_state;
	bool thanked;			/* the last grade keyed was recorded */
	bool dirty;
	long minute;
};

static volatile sig_atomic_t wscreen_signal;

static void
wscreen_on_signal(int sig)
{
	wscreen_signal = sig;
}

static void
wscreen_lost(struct wscreen *w)
{
	if (!w->lost) {
		w->lost = true;
		w->retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
		w->dirty = true;
	}
}

/* Reads the window's state, again while notifications came meanwhile. */
static void
wscreen_refresh(struct wscreen *w)
{
	for (int pass = 0; pass < 4; pass++) {
		struct wscreen_state s;
		enum wscreen_result r = wscreen_state(w->db, w->opt->office, w->opt->window, &s);
		int more;

		if (r == WS_DB_LOST) {
			wscreen_lost(w);
			return;
		}
		if (r == WS_OK && (!w->have_state || memcmp(&s, &w->st, sizeof s) != 0)) {
			/* a new service to rate ends the previous thanks */
			if (s.to_rate[0] != '\0')
				w->thanked = false;
			if (strcmp(s.serving, w->st.serving) != 0 && s.serving[0] != '\0')
				w->thanked = false;
			w->st = s;
			w->have_state = true;
			w->dirty = true;
		}
		more = db_consume(w->db);
		if (more < 0) {
			wscreen_lost(w);
			return;
		}
		w->owed = more > 0;
		if (!w->owed)
			return;
	}
}

static void
wscreen_retry(struct wscreen *w)
{
	w->retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	if (!db_connected(w->db) && !db_reconnect(w->db))
		return;
	if (queue_listen(w->db, w->opt->office) != QUEUE_OK)
		return;
	w->lost = false;
	w->dirty = true;
	wscreen_refresh(w);
}

/* The grade of a key, 0 when it is none. */
static int
wscreen_grade(const struct term_key *k)
{
	if (k->code != K_CHAR || k->pasted || k->ch < '1' || k->ch > '5')
		return 0;
	return (int)(k->ch - '0');
}

static void
wscreen_key(struct wscreen *w, int grade)
{
	enum wscreen_result r;

	if (w->lost || w->st.to_rate[0] == '\0')
		return;
	r = wscreen_rate(w->db, w->opt->office, w->opt->window, grade);
	if (r == WS_DB_LOST) {
		wscreen_lost(w);
		return;
	}
	w->thanked = r == WS_OK;
	w->dirty = true;
	wscreen_refresh(w);
}

static void
wscreen_draw(struct wscreen *w)
{
	static const char *const grades[] = {
		N_("1 Very satisfied"), N_("2 Satisfied"), N_("3 Fair"), N_("4 Dissatisfied"),
		N_("5 Very dissatisfied")
	};
	int rows = term_rows(), cols = term_cols(), y;
	char clock[32], *s;

	if (!w->dirty)
		return;
	term_erase();
	fs_clock(clock, sizeof clock, cols >= 40);
	term_fill(0, 0, cols, TS_STATUS);
	s = xasprintf(_(" Window %d"), w->opt->window);
	term_print(0, 0, cols, TS_STATUS, s);
	free(s);
	term_print(0, cols - (int)strlen(clock) - 1, (int)strlen(clock), TS_STATUS, clock);
	y = 2;
	if (w->lost) {
		fs_center(y, cols, TS_DIM, _("Connection lost, reconnecting…"));
	} else if (w->have_state && w->st.staff_no[0] != '\0') {
		s = xasprintf(_("Clerk: %s  Staff no. %s"), w->st.staff_name, w->st.staff_no);
		fs_center(y, cols, TS_NORMAL, s);
		free(s);
	} else {
		fs_center(y, cols, TS_DIM, _("No clerk at this window"));
	}
	y += 2;
	if (w->have_state && strcmp(w->st.state, "paused") == 0)
		fs_center(y, cols, TS_TITLE, _("Service paused"));
	else if (w->have_state && w->st.serving[0] != '\0') {
		s = xasprintf(_("Now serving %s"), w->st.serving);
		fs_center(y, cols, TS_TITLE, s);
		free(s);
	}
	y += 2;
	if (w->have_state && w->st.to_rate[0] != '\0' && !w->lost) {
		s = xasprintf(_("Please rate our service (ticket %s): press a key"), w->st.to_rate);
		fs_center(y++, cols, TS_NORMAL, s);
		free(s);
		for (int i = 0; i < 5 && y < rows; i++)
			fs_center(y++, cols, TS_TITLE, _(grades[i]));
	} else if (w->thanked) {
		fs_center(y, cols, TS_TITLE, _("Thank you for your rating"));
	}
	term_cursor(0, 0, false);
	term_flush();
	w->dirty = false;
}

static int
wscreen_timeout(struct wscreen *w, int esc_wait)
{
	int ms = fs_ms_to_minute();

	if (w->owed)
		return 0;
	if (esc_wait > 0 && esc_wait < ms)
		ms = esc_wait;
	if (w->lost) {
		long long r = w->retry_at - fs_now_ms();

		if (r < ms)
			ms = r < 0 ? 0 : (int)r;
	}
	return ms;
}

int
wscreen_run(const struct wscreen_options *opt)
{
	struct wscreen w;
	int esc_wait = 0;

	memset(&w, 0, sizeof w);
	w.opt = opt;
	if (opt->conninfo == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", opt->config_error);
		return 1;
	}
	w.db = db_open(opt->conninfo);
	if (db_connected(w.db)) {
		struct wscreen_state s;

		if (wscreen_state(w.db, opt->office, opt->window, &s) == WS_UNKNOWN_WINDOW) {
			conv_fprintf(stderr, "yichuang: %s: %s %d\n", _("no such window"), opt->office,
			    opt->window);
			db_close(&w.db);
			return 1;
		}
	}
	w.minute = (long)(time(NULL) / 60);
	fs_signals(wscreen_on_signal);
	term_start();
	w.lost = true;
	wscreen_retry(&w);
	if (w.lost)
		w.retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	w.dirty = true;

	while (!wscreen_signal) {
		struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = -1, .events = POLLIN } };
		struct term_key key;
		int r, n;

		wscreen_draw(&w);
		fds[1].fd = !w.lost ? db_socket(w.db) : -1;
		r = poll(fds, fds[1].fd >= 0 ? 2 : 1, wscreen_timeout(&w, esc_wait));
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;
		if (r > 0 && fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = db_consume(w.db);
			if (n < 0)
				wscreen_lost(&w);
			else if (n > 0)
				w.owed = true;
		}
		if (w.owed && !w.lost) {
			w.owed = false;
			wscreen_refresh(&w);
		}
		while (!wscreen_signal && term_read_key(&key, &esc_wait)) {
			if (key.code == K_RESIZE)
				w.dirty = true;
			else if (wscreen_grade(&key) > 0)
				wscreen_key(&w, wscreen_grade(&key));
		}
		if (esc_wait == 1)
			term_key_timeout(&key);
		if ((long)(time(NULL) / 60) != w.minute) {
			w.minute = (long)(time(NULL) / 60);
			w.dirty = true;
			/* a rating question ends after a few minutes without notice */
			if (!w.lost && w.st.to_rate[0] != '\0')
				wscreen_refresh(&w);
		}
		if (w.lost && fs_now_ms() >= w.retry_at)
			wscreen_retry(&w);
	}
	term_stop();
	db_close(&w.db);
	return 0;
}
