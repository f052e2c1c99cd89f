/*
 * The shift supervisor's console; see hall.h. Two modes on one view: the
 * live hall (windows, queue, charts) and the list of 差评 waiting for
 * follow-up (F4). Everything shown is read again when the database
 * announces a change of the office (the notify op), and the service times
 * tick every second from the start times read then.
 *
 * Rows, top down, each part drawn only while room is left: the summary
 * line, the queue table (4 rows), the windows (scrolling with the
 * selection), then the two charts. Charts go first on a small terminal;
 * the windows table shrinks last.
 */
#include "ui/hall.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/chart.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/hall.h"
#include "store/queue.h"
#include "store/stages.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

#define HALL_MAX_WINDOWS 200
#define HALL_MAX_RATINGS 100
#define HALL_MAX_DUE 50		/* near-due and overdue dates shown (F7) */
#define HALL_CHART_WIDE 90	/* from this many columns the charts sit side by side */

enum hall_mode { HM_CONSOLE, HM_RATINGS };

enum hall_prompt {
	HP_GREEN_ID = 1, HP_REROUTE_TICKET, HP_REROUTE_WINDOW, HP_FOLLOW_UP, HP_REASSIGN_FROM,
	HP_REASSIGN_TO, HP_REPORT_DATE, HP_REPORT_OFFICE
};

struct hall {
	enum hall_mode mode;
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
	struct hall_due due[HALL_MAX_DUE];
	int ndue;
	int sel, top;		/* the chosen window, the first shown */
	int rsel, rtop;		/* the same in the 差评 list */
	struct hall_ticket reroute;	/* the ticket being re-routed */
	char from_staff[40];	/* reassign: whose cases */
	char report_date[11];	/* F8: the day of the report, YYYY-MM-DD */
	enum chart_ink ink;
	struct prompt prompt;
};

static bool
hall_supervisor(const struct app *app)
{
	return app_role_is(app, "supervisor");
}

static struct hall *
hall_data(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct hall));
	return v->data;
}

/* Shows why a call failed; true when it was HALL_OK. */
static bool
hall_ok(struct app *app, enum hall_result r)
{
	if (r == HALL_OK)
		return true;
	if (r == HALL_DB_LOST)
		app_db_lost(app);
	app_message(app, TS_ERROR, hall_result_message(r));
	return false;
}

/*
 * A notification that arrived while the refresh queries ran was read from
 * the socket by libpq and waits in its queue: poll() will not report it.
 * Hand it on now (as the calling board does), a few rounds at most.
 */
static void
hall_drain(struct app *app)
{
	static int depth;
	int more;

	if (app->db_lost || app->db == NULL || depth >= 4)
		return;
	more = db_consume(app->db);
	if (more < 0) {
		app_db_lost(app);
	} else if (more > 0) {
		depth++;
		app_notify(app, false);
		depth--;
	}
}

/* Reads everything the current mode shows. */
static void
hall_refresh(struct app *app, struct hall *h)
{
	enum hall_result r = HALL_OK;
	int n;

	if (app->db_lost || app->db == NULL || !hall_supervisor(app))
		return;
	if (h->mode == HM_RATINGS) {
		n = hall_ratings(app->db, app->session.id, h->rt, HALL_MAX_RATINGS, &r);
		h->nrt = n < 0 ? 0 : n;
		if (h->rsel >= h->nrt)
			h->rsel = h->nrt > 0 ? h->nrt - 1 : 0;
	} else {
		n = hall_windows(app->db, app->session.id, h->win, HALL_MAX_WINDOWS, &r);
		h->nwin = n < 0 ? 0 : n;
		if (r == HALL_OK) {
			r = hall_queue(app->db, app->session.id, &h->q);
			h->have_queue = r == HALL_OK;
			h->q_at = time(NULL);
		}
		if (r == HALL_OK)
			r = hall_hourly(app->db, app->session.id, h->hourly);
		if (r == HALL_OK)
			r = hall_waits(app->db, app->session.id, h->waits);
		if (r == HALL_OK && h->show_due) {
			n = hall_due(app->db, app->session.id, h->due, HALL_MAX_DUE, &r);
			h->ndue = n < 0 ? 0 : n;
		}
		if (h->sel >= h->nwin)
			h->sel = h->nwin > 0 ? h->nwin - 1 : 0;
	}
	hall_ok(app, r);
	app_dirty(app, AD_BODY);
	hall_drain(app);
}

/* Block characters only where the terminal can show them. */
static enum chart_ink
hall_ink(void)
{
	const char *env = getenv("LC_ALL");

	if (env == NULL || env[0] == '\0')
		env = getenv("LC_CTYPE");
	if (env == NULL || env[0] == '\0')
		env = getenv("LANG");
	return chart_blocks_ok(nl_langinfo(CODESET), getenv("TERM"), env) ? CHART_BLOCKS : CHART_ASCII;
}

static void
hall_enter(struct app *app, struct view *v)
{
	struct hall *h = hall_data(v);

	h->ink = hall_ink();
	app->tick_seconds = true;
	hall_refresh(app, h);
}

static void
hall_notify(struct app *app, struct view *v, bool fresh)
{
	(void)fresh;	/* the workbench LISTENs again on a new connection */
	if (app->active == AV_HALL)
		hall_refresh(app, hall_data(v));
}

void
hall_open(struct app *app)
{
	struct hall *h;

	if (!hall_supervisor(app)) {
		app_message(app, TS_ERROR, hall_result_message(HALL_NOT_ALLOWED));
		return;
	}
	h = hall_data(&app->views[AV_HALL]);
	h->mode = HM_CONSOLE;
	app_switch(app, AV_HALL);
}

/* "mm:ss" or "h:mm:ss" of s seconds; "" for a negative s. */
static void
hall_duration(long s, char out[32])
{
	if (s < 0)
		out[0] = '\0';
	else if (s >= 3600)
		snprintf(out, 32, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, 32, "%02ld:%02ld", s / 60, s % 60);
}

static void
hall_percent(int level, char out[16])
{
	if (level < 0)
		snprintf(out, 16, "-");
	else
		snprintf(out, 16, "%d%%", level);
}

/* Writes cells (each padded to its width) from (y, x) in style st. */
static void
hall_cells(int y, int x, int cols, enum term_style st, const char *const *cells, const int *w, int n)
{
	for (int i = 0; i < n && x < cols; i++) {
		char *cell = text_pad(cells[i], w[i], i == 0 ? TEXT_LEFT : TEXT_RIGHT);

		term_print(y, x, cols - x, st, cell);
		x += w[i];
		free(cell);
	}
}

/* The summary line. */
static int
hall_draw_summary(struct app *app, struct hall *h, int y, int cols)
{
	int waiting = 0;
	char level[16], *line, *shown;

	for (int c = 0; c < QC_COUNT; c++)
		waiting += h->q.waiting[c];
	hall_percent(hall_service_level(&h->q, QC_COUNT), level);
	line = xasprintf(_("Hall now · %s · %d waiting · service level today %s (called within %d min)"),
	    app->session.office_name, waiting, level, h->q.target_minutes);
	shown = text_ellipsize(line, cols - 2);
	term_print(y, 1, cols - 2, TS_TITLE, shown);
	free(shown);
	free(line);
	return y + 1;
}

/* The queue per class: waiting, longest wait, service level; 4 rows. */
static int
hall_draw_queue(struct hall *h, int y, int bottom, int cols)
{
	const char *cells[QC_COUNT + 2];
	char num[QC_COUNT + 1][32];
	int w[QC_COUNT + 2], total = 0, head = 14, cw = 10;

	if (cols < head + (QC_COUNT + 1) * cw + 2) {
		head = 10;
		cw = (cols - 2 - head) / (QC_COUNT + 1);
		if (cw < 5)
			cw = 5;
	}
	w[0] = head;
	for (int i = 1; i < QC_COUNT + 2; i++)
		w[i] = cw;
	cells[0] = _("Queue");
	for (int c = 0; c < QC_COUNT; c++)
		cells[c + 1] = queue_class_name((enum queue_class)c);
	cells[QC_COUNT + 1] = _("Total");
	if (y < bottom)
		hall_cells(y++, 1, cols - 1, TS_TITLE, cells, w, QC_COUNT + 2);

	cells[0] = _("Waiting");
	for (int c = 0; c < QC_COUNT; c++) {
		snprintf(num[c], sizeof num[c], "%d", h->q.waiting[c]);
		cells[c + 1] = num[c];
		total += h->q.waiting[c];
	}
	snprintf(num[QC_COUNT], sizeof num[QC_COUNT], "%d", total);
	cells[QC_COUNT + 1] = num[QC_COUNT];
	if (y < bottom)
		hall_cells(y++, 1, cols - 1, TS_NORMAL, cells, w, QC_COUNT + 2);

	if (y < bottom) {
		int x = 1 + w[0];
		char *cell = text_pad(_("Longest wait"), w[0], TEXT_LEFT);

		term_print(y, 1, cols - 2, TS_NORMAL, cell);
		free(cell);
		for (int c = 0; c < QC_COUNT && x < cols; c++, x += cw) {
			long s = h->q.waiting[c] > 0 ?
			    h->q.longest_wait_seconds[c] + (long)(time(NULL) - h->q_at) : -1;
			bool late = s >= 0 && h->q.target_minutes > 0 && s > h->q.target_minutes * 60L;

			hall_duration(s, num[c]);
			cell = text_pad(s >= 0 ? num[c] : "-", cw, TEXT_RIGHT);
			term_print(y, x, cols - x, late ? TS_ERROR : TS_NORMAL, cell);
			free(cell);
		}
		y++;
	}

	cells[0] = _("Service level");
	for (int c = 0; c <= QC_COUNT; c++) {
		hall_percent(hall_service_level(&h->q, (enum queue_class)c), num[c]);
		cells[c + 1] = num[c];
	}
	if (y < bottom)
		hall_cells(y++, 1, cols - 1, TS_NORMAL, cells, w, QC_COUNT + 2);
	return y;
}

static const char *
hall_state_text(const struct hall_window *w, char buf[128])
{
	switch (w->state) {
	case HW_SERVING:
		return _("Serving");
	case HW_CALLED:
		return _("Called, waiting for the citizen");
	case HW_PAUSED:
		if (w->pause_reason[0] != '\0') {
			snprintf(buf, 128, _("Paused: %s"), w->pause_reason);
			return buf;
		}
		return _("Paused");
	case HW_LOGGED_OUT:
		return _("Signed out");
	case HW_IDLE:
		break;
	}
	return _("Idle");
}

static enum term_style
hall_state_style(const struct hall_window *w)
{
	switch (w->state) {
	case HW_PAUSED:
		return TS_WARN;
	case HW_LOGGED_OUT:
		return TS_DIM;
	default:
		return TS_NORMAL;
	}
}

/* The windows table: a header and up to bottom - y - 1 windows. */
static int
hall_draw_windows(struct hall *h, int y, int bottom, int cols)
{
	int lw = 8, cw = 18, tw = 7, dw = 9, sw;

	for (int i = 0; i < h->nwin; i++)
		if (text_width(h->win[i].label) + 2 > lw)
			lw = text_width(h->win[i].label) + 2;
	if (lw > 12)
		lw = 12;
	sw = cols - 2 - lw - cw - tw - dw;
	if (sw < 12) {
		cw = 12;
		sw = cols - 2 - lw - cw - tw - dw;
		if (sw < 8)
			sw = 8;
	}
	if (y >= bottom)
		return y;
	{
		const char *cells[] = { _("Window"), _("Clerk"), _("State"), _("Ticket"), _("Time") };
		int x = 1, w[] = { lw, cw, sw, tw, dw };

		for (int i = 0; i < 5 && x < cols - 1; i++) {
			char *cell = text_pad(cells[i], w[i], i < 3 ? TEXT_LEFT : TEXT_RIGHT);

			term_print(y, x, cols - 1 - x, TS_TITLE, cell);
			x += w[i];
			free(cell);
		}
		y++;
	}
	if (h->nwin == 0 && y < bottom) {
		term_print(y++, 2, cols - 4, TS_DIM, _("This office has no active window."));
		return y;
	}
	if (h->sel < h->top)
		h->top = h->sel;
	if (bottom - y > 0 && h->sel >= h->top + (bottom - y))
		h->top = h->sel - (bottom - y) + 1;
	for (int i = h->top; i < h->nwin && y < bottom; i++, y++) {
		const struct hall_window *w = &h->win[i];
		char state[128], el[32], *who, *cell, *line, *shown;
		enum term_style st = i == h->sel ? TS_FIELD_ACTIVE : hall_state_style(w);
		char *c[5];

		who = w->staff_no[0] != '\0' ? xasprintf("%s %s", w->staff_name, w->staff_no) : xstrdup("-");
		hall_duration(w->since > 0 ? (long)(time(NULL) - w->since) : -1, el);
		if (w->since > 0 && el[0] == '\0')
			snprintf(el, sizeof el, "00:00");
		c[0] = text_pad(w->label, lw, TEXT_LEFT);
		cell = text_ellipsize(who, cw - 1);
		c[1] = text_pad(cell, cw, TEXT_LEFT);
		free(cell);
		cell = text_ellipsize(hall_state_text(w, state), sw - 1);
		c[2] = text_pad(cell, sw, TEXT_LEFT);
		free(cell);
		c[3] = text_pad(w->ticket, tw, TEXT_RIGHT);
		c[4] = text_pad(el, dw, TEXT_RIGHT);
		line = xasprintf("%s%s%s%s%s", c[0], c[1], c[2], c[3], c[4]);
		shown = text_ellipsize(line, cols - 2);
		term_fill(y, 1, cols - 2, st);
		term_print(y, 1, cols - 2, st, shown);
		for (int k = 0; k < 5; k++)
			free(c[k]);
		free(shown);
		free(line);
		free(who);
	}
	return y;
}

/* A chart with its title from (y, x): at most rows rows (title included)
 * of width columns; returns the rows used. */
static int
hall_draw_chart(struct hall *h, const char *title, const char *const *labels, const long *values,
    int n, int y, int x, int width, int rows)
{
	struct chart c;
	int first = 0;

	if (rows < 2 || width < 10 || n < 1)
		return 0;
	term_print(y, x, width, TS_TITLE, title);
	if (n > rows - 1)
		first = n - (rows - 1);	/* the latest items */
	chart_render(&c, labels + first, values + first, n - first, width, h->ink);
	for (int i = 0; i < c.n; i++)
		term_print(y + 1 + i, x, width, TS_NORMAL, c.lines[i]);
	chart_free(&c);
	return 1 + (n - first);
}

/* The hourly and the wait charts in rows [y, bottom), when they fit. */
static void
hall_draw_charts(struct hall *h, int y, int bottom, int cols)
{
	char hl[24][8];
	const char *hlabels[24], *wlabels[HALL_WAIT_BUCKETS];
	long hvals[24], wvals[HALL_WAIT_BUCKETS];
	int lo = 8, hi, nh, avail = bottom - y;
	/* The hour now where the database counts days and hours: Asia/Shanghai,
	 * UTC+8 all year (yc.queue_day). */
	int now_hour = (int)((time(NULL) + 8 * 3600L) / 3600 % 24);

	hi = now_hour;
	for (int i = 0; i < 24; i++)
		if (h->hourly[i] > 0) {
			if (i < lo)
				lo = i;
			if (i > hi)
				hi = i;
		}
	if (hi < lo)
		hi = lo;
	nh = hi - lo + 1;
	for (int i = 0; i < nh; i++) {
		snprintf(hl[i], sizeof hl[i], "%02d:00", lo + i);
		hlabels[i] = hl[i];
		hvals[i] = h->hourly[lo + i];
	}
	for (int i = 0; i < HALL_WAIT_BUCKETS; i++) {
		wlabels[i] = hall_wait_label(i);
		wvals[i] = h->waits[i];
	}
	if (avail < 6)
		return;
	if (cols >= HALL_CHART_WIDE) {
		int half = (cols - 4) / 2;

		hall_draw_chart(h, _("Tickets issued per hour today"), hlabels, hvals, nh, y, 1, half,
		    avail);
		hall_draw_chart(h, _("Waits today (minutes)"), wlabels, wvals, HALL_WAIT_BUCKETS, y,
		    2 + half + 1, half, avail);
		return;
	}
	if (avail >= 2 * (1 + HALL_WAIT_BUCKETS) || avail >= 1 + nh + 1 + HALL_WAIT_BUCKETS) {
		int used = hall_draw_chart(h, _("Tickets issued per hour today"), hlabels, hvals, nh, y, 1,
		    cols - 2, avail - (1 + HALL_WAIT_BUCKETS));

		hall_draw_chart(h, _("Waits today (minutes)"), wlabels, wvals, HALL_WAIT_BUCKETS,
		    y + used, 1, cols - 2, 1 + HALL_WAIT_BUCKETS);
	} else {
		hall_draw_chart(h, _("Waits today (minutes)"), wlabels, wvals, HALL_WAIT_BUCKETS, y, 1,
		    cols - 2, avail);
	}
}

static const char *
hall_grade_name(int grade)
{
	static const char *const names[] = {
		N_("Very satisfied"), N_("Satisfied"), N_("Basically satisfied"), N_("Dissatisfied"),
		N_("Very dissatisfied")
	};

	return grade >= 1 && grade <= 5 ? _(names[grade - 1]) : "";
}

static char *
hall_rating_text(const struct app *app, const struct hall_rating *g)
{
	char when[32] = "", win[32] = "", *what, *line;
	struct tm tm;

	if (g->rated_at > 0 && localtime_r(&g->rated_at, &tm) != NULL)
		strftime(when, sizeof when, "%m-%d %H:%M", &tm);
	if (g->window_no > 0)
		snprintf(win, sizeof win, _("window %d"), g->window_no);
	what = g->case_no[0] != '\0' ? xasprintf("%s %s", g->case_no, g->type_name) :
	    g->ticket[0] != '\0' ? xasprintf(_("ticket %s"), g->ticket) : xstrdup("");
	line = xasprintf("%s  %s  %s %s%s%s%s%s%s%s", when, hall_grade_name(g->grade), g->staff_name,
	    g->staff_no, win[0] != '\0' ? " · " : "", win, what[0] != '\0' ? " · " : "", what,
	    strcmp(g->office_code, app->session.office_code) != 0 ? " · " : "",
	    strcmp(g->office_code, app->session.office_code) != 0 ? g->office_name : "");
	free(what);
	return line;
}

static void
hall_draw_ratings(struct app *app, struct hall *h, int top, int rows)
{
	int cols = term_cols(), y = top, bottom = top + rows;
	char *title = xasprintf(_("Poor ratings (差评) waiting for follow-up: %d · Enter writes the "
	    "follow-up note · Esc back to the hall"), h->nrt);
	char *shown = text_ellipsize(title, cols - 2);

	term_print(y++, 1, cols - 2, TS_TITLE, shown);
	free(shown);
	free(title);
	y++;
	if (h->nrt == 0 && y < bottom) {
		term_print(y, 2, cols - 4, TS_DIM, _("No poor rating is waiting for follow-up."));
		return;
	}
	if (h->rsel < h->rtop)
		h->rtop = h->rsel;
	if (bottom - y > 0 && h->rsel >= h->rtop + (bottom - y))
		h->rtop = h->rsel - (bottom - y) + 1;
	for (int i = h->rtop; i < h->nrt && y < bottom; i++, y++) {
		char *line = hall_rating_text(app, &h->rt[i]);
		enum term_style st = i == h->rsel ? TS_FIELD_ACTIVE : h->rt[i].grade >= 5 ? TS_ERROR : TS_WARN;

		shown = text_ellipsize(line, cols - 4);
		term_fill(y, 1, cols - 2, i == h->rsel ? TS_FIELD_ACTIVE : TS_NORMAL);
		term_print(y, 2, cols - 4, st, shown);
		free(shown);
		free(line);
	}
}

/* The near-due and overdue dates of the office and the offices below it
 * in rows [y, bottom): red when overdue, yellow otherwise. */
static void
hall_draw_due(struct hall *h, int y, int bottom, int cols)
{
	char *title;

	if (y >= bottom)
		return;
	title = xasprintf(_("Near-due and overdue cases of this office and the offices below: %d"), h->ndue);
	term_print(y++, 1, cols - 2, TS_TITLE, title);
	free(title);
	if (h->ndue == 0 && y < bottom) {
		term_print(y, 2, cols - 4, TS_DIM, _("No case is near its due date."));
		return;
	}
	for (int i = 0; i < h->ndue && y < bottom; i++, y++) {
		const struct hall_due *d = &h->due[i];
		const char *what = d->kind == HD_CASE ? _("promised date") : d->label;
		char *left = d->remaining < 0
		    ? xasprintf(_("overdue %d working days"), -d->remaining)
		    : xasprintf(_("%d working days left"), d->remaining);
		char *line = xasprintf("%s  %s  %s  %s  %s %s  %s", d->office_name, d->case_no, d->type_name,
		    d->person_name, what, d->due, left);
		char *shown = text_ellipsize(line, cols - 4);

		term_print(y, 2, cols - 4, d->remaining < 0 ? TS_ERROR : TS_WARN, shown);
		free(shown);
		free(line);
		free(left);
	}
}

static void
hall_draw(struct app *app, struct view *v, int top, int rows)
{
	struct hall *h = hall_data(v);
	int cols = term_cols(), y = top, bottom = top + rows, need;

	if (!hall_supervisor(app))
		return;
	if (h->mode == HM_RATINGS) {
		hall_draw_ratings(app, h, top, rows);
	} else {
		y = hall_draw_summary(app, h, y, cols);
		if (rows >= 12)
			y++;
		y = hall_draw_queue(h, y, bottom, cols);
		if (rows >= 14)
			y++;
		/* The windows get every row they need; the charts what is left. */
		need = 1 + h->nwin;
		if (y + need + 1 < bottom) {
			int end = hall_draw_windows(h, y, y + need, cols);

			if (h->show_due)
				hall_draw_due(h, end + 1, bottom, cols);
			else
				hall_draw_charts(h, end + 1, bottom, cols);
		} else {
			hall_draw_windows(h, y, bottom, cols);
		}
	}
	if (prompt_active(&h->prompt))
		prompt_draw(&h->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

/* Asks for the day of the daily report (h->report_date: today). */
static void
hall_report_ask(struct hall *h)
{
	prompt_field(&h->prompt, HP_REPORT_DATE, _("Daily report: which day? (Enter: today)"), 11,
	    false);
}

/* Acts on a prompt's answer. */
static void
hall_answer(struct app *app, struct hall *h, int tag)
{
	const char *text = field_text(&h->prompt.field);
	char *msg = NULL;

	switch (tag) {
	case HP_GREEN_ID: {
		struct queue_issue is;
		enum queue_result r = queue_issue(app->db, app->session.office_code, QC_GREEN,
		    text[0] != '\0' ? text : NULL, NULL, app->session.id, &is);

		if (r == QUEUE_OK)
			msg = xasprintf(_("Green-channel ticket %s: take the citizen to the next free "
			    "window; it is called before anyone else."), is.t.number);
		else {
			if (r == QUEUE_DB_LOST)
				app_db_lost(app);
			app_message(app, TS_ERROR, queue_result_message(r));
		}
		break;
	}
	case HP_REROUTE_TICKET:
		if (text[0] == '\0')
			break;
		if (hall_ok(app, hall_find_waiting(app->db, app->session.id, text, &h->reroute))) {
			char *title = xasprintf(_("Re-route %s to window number (0: back to the queue):"),
			    h->reroute.number);

			prompt_field(&h->prompt, HP_REROUTE_WINDOW, title, 3, true);
			free(title);
			if (h->sel < h->nwin) {
				char no[16];

				snprintf(no, sizeof no, "%d", h->win[h->sel].window_no);
				field_set(&h->prompt.field, no);
			}
			return;
		}
		break;
	case HP_REROUTE_WINDOW: {
		int to = atoi(text);

		if (text[0] == '\0')
			break;
		if (hall_ok(app, hall_reroute(app->db, app->session.id, h->reroute.id, to)))
			msg = to > 0 ? xasprintf(_("Ticket %s goes to window %d: that window calls it next."),
			    h->reroute.number, to) :
			    xasprintf(_("Ticket %s is back in the queue in its original place."),
			    h->reroute.number);
		break;
	}
	case HP_FOLLOW_UP:
		if (h->rsel < h->nrt && hall_ok(app, hall_follow_up(app->db, app->session.id,
		    h->rt[h->rsel].office_code, h->rt[h->rsel].id, text)))
			msg = xstrdup(_("The follow-up note was saved; the rating is marked as handled."));
		break;
	case HP_REASSIGN_FROM:
		if (text[0] == '\0')
			break;
		snprintf(h->from_staff, sizeof h->from_staff, "%s", text);
		msg = xasprintf(_("Give the open cases of %s to staff no.:"), h->from_staff);
		prompt_field(&h->prompt, HP_REASSIGN_TO, msg, 32, false);
		free(msg);
		return;
	case HP_REASSIGN_TO: {
		int moved = 0;
		enum cases_result r;

		if (text[0] == '\0')
			break;
		r = stages_reassign(app->db, app->session.id, h->from_staff, text, &moved);
		if (r == CASES_OK)
			msg = xasprintf(_("%d open case(s) of %s now belong to %s."), moved, h->from_staff,
			    text);
		else if (r == CASES_NOT_FOUND || (r == CASES_NOT_ALLOWED && hall_supervisor(app))) {
			char *why = r == CASES_NOT_FOUND
			    ? xasprintf(_("No staff has the number %s or %s; check both numbers."),
			    h->from_staff, text)
			    : xasprintf(_("%s cannot take the cases: they go only to an active counter clerk "
			    "of this office or an office below it."), text);

			app_message(app, TS_ERROR, why);
			free(why);
		} else {
			if (r == CASES_DB_LOST)
				app_db_lost(app);
			app_message(app, TS_ERROR, cases_result_message(r));
		}
		break;
	}
	case HP_REPORT_DATE:
		if (!hall_report_date(app, text[0] != '\0' ? text : h->report_date, h->report_date)) {
			char *typed = xstrdup(text);

			hall_report_ask(h);	/* the reason stays on the message line */
			field_set(&h->prompt.field, typed);
			free(typed);
			return;
		}
		msg = xasprintf(_("Daily report of %s: office code (Enter: this office, or an office "
		    "below it):"), h->report_date);
		prompt_field(&h->prompt, HP_REPORT_OFFICE, msg, 12, true);
		field_set(&h->prompt.field, app->session.office_code);
		free(msg);
		return;
	case HP_REPORT_OFFICE:
		hall_report_open(app, text[0] != '\0' ? text : app->session.office_code, h->report_date);
		field_clear(&h->prompt.field);
		return;
	}
	if (msg != NULL) {
		app_message(app, TS_OK, msg);
		free(msg);
	}
	field_clear(&h->prompt.field);
	hall_refresh(app, h);
}

static int
hall_key_ratings(struct app *app, struct hall *h, const struct term_key *k)
{
	char *title;

	switch (k->code) {
	case K_UP:
		h->rsel = h->rsel > 0 ? h->rsel - 1 : 0;
		return VF_REDRAW;
	case K_DOWN:
		h->rsel = h->rsel + 1 < h->nrt ? h->rsel + 1 : h->rsel;
		return VF_REDRAW;
	case K_ENTER:
		if (h->nrt == 0)
			return VF_HANDLED;
		title = xasprintf(_("Follow-up of the rating \"%s\" of %s: what was done?"),
		    hall_grade_name(h->rt[h->rsel].grade), h->rt[h->rsel].staff_name);
		prompt_field(&h->prompt, HP_FOLLOW_UP, title, 160, false);
		free(title);
		return VF_REDRAW;
	case K_ESC:
	case K_F4:
	case K_F10:
		h->mode = HM_CONSOLE;
		hall_refresh(app, h);
		return VF_REDRAW;
	default:
		return VF_IGNORED;
	}
}

static int
hall_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct hall *h = hall_data(v);

	if (prompt_active(&h->prompt)) {
		int tag = h->prompt.tag, choice = 0;
		enum prompt_outcome o = prompt_key(&h->prompt, k, &choice);

		if (o == PR_DONE)
			hall_answer(app, h, tag);
		return VF_REDRAW;
	}
	if (k->code == K_F1) {
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	}
	if (k->code == K_F5) {
		hall_refresh(app, h);
		return VF_REDRAW;
	}
	if (app->db_lost && (k->code == K_F2 || k->code == K_F3 || k->code == K_F6 || k->code == K_F8 ||
	    (k->code == K_ENTER && h->mode == HM_RATINGS))) {
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return VF_HANDLED;
	}
	if (h->mode == HM_RATINGS)
		return hall_key_ratings(app, h, k);
	switch (k->code) {
	case K_UP:
		h->sel = h->sel > 0 ? h->sel - 1 : 0;
		return VF_REDRAW;
	case K_DOWN:
		h->sel = h->sel + 1 < h->nwin ? h->sel + 1 : h->sel;
		return VF_REDRAW;
	case K_PGUP:
		h->sel = h->sel > 10 ? h->sel - 10 : 0;
		return VF_REDRAW;
	case K_PGDN:
		h->sel = h->sel + 10 < h->nwin ? h->sel + 10 : (h->nwin > 0 ? h->nwin - 1 : 0);
		return VF_REDRAW;
	case K_F2:
		prompt_field(&h->prompt, HP_GREEN_ID, _("Green channel: ID number (optional, Enter to skip)"),
		    18, false);
		return VF_REDRAW;
	case K_F3:
		prompt_field(&h->prompt, HP_REROUTE_TICKET, _("Re-route a waiting ticket: its number "
		    "(e.g. A012):"), 6, false);
		return VF_REDRAW;
	case K_F4:
		h->mode = HM_RATINGS;
		h->rsel = h->rtop = 0;
		hall_refresh(app, h);
		return VF_REDRAW;
	case K_F6:
		prompt_field(&h->prompt, HP_REASSIGN_FROM, _("Reassign the open cases of staff no.:"), 32,
		    false);
		if (h->sel < h->nwin && h->win[h->sel].staff_no[0] != '\0')
			field_set(&h->prompt.field, h->win[h->sel].staff_no);
		return VF_REDRAW;
	case K_F7:
		h->show_due = !h->show_due;
		hall_refresh(app, h);
		return VF_REDRAW;
	case K_F8:
		hall_report_today(h->report_date);
		hall_report_ask(h);
		field_set(&h->prompt.field, h->report_date);
		return VF_REDRAW;
	case K_ESC:
	case K_F10:
		app->tick_seconds = false;
		app_message(app, TS_NORMAL, NULL);
		app_switch(app, AV_WORKBENCH);
		return VF_HANDLED;
	default:
		return VF_IGNORED;
	}
}

static const struct bar_item hall_console_bar[] = {
	{ K_F1, N_("Help") }, { K_F2, N_("Green ticket") }, { K_F3, N_("Re-route") },
	{ K_F4, N_("Poor ratings") }, { K_F5, N_("Refresh") }, { K_F6, N_("Reassign") },
	{ K_F7, N_("Due cases") }, { K_F8, N_("Daily report") }, { K_F10, N_("Back") },
};

static const struct bar_item hall_ratings_bar[] = {
	{ K_F1, N_("Help") }, { K_ENTER, N_("Follow up") }, { K_F5, N_("Refresh") },
	{ K_F10, N_("Back") },
};

static const struct bar_item *
hall_bar(struct app *app, struct view *v, size_t *n)
{
	struct hall *h = hall_data(v);

	(void)app;
	if (h->mode == HM_RATINGS) {
		*n = sizeof hall_ratings_bar / sizeof hall_ratings_bar[0];
		return hall_ratings_bar;
	}
	*n = sizeof hall_console_bar / sizeof hall_console_bar[0];
	return hall_console_bar;
}

static void
hall_free(struct view *v)
{
	struct hall *h = v->data;

	prompt_close(&h->prompt);
	free(h);
	v->data = NULL;
}

const struct view_ops hall_view_ops = {
	.enter = hall_enter,
	.draw = hall_draw,
	.key = hall_key,
	.bar_fn = hall_bar,
	.free = hall_free,
	.notify = hall_notify,
};
