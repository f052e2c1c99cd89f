/*
 * Drawing the supervisor's console (hall.c reads the data and handles the
 * keys). The hall, rows top down, each part drawn only while room is left:
 * the summary line, the queue table (4 rows), the windows (scrolling with
 * the selection), then the two charts or, after F7, the near-due cases.
 * Charts go first on a small terminal; the windows table shrinks last.
 * The list of offices (辖区各厅): the title, a header and one row per
 * office, indented by its depth, with its figures; after F7 the near-due
 * cases below it, each part half the rows when both need more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hall/hall_int.h"
#include "model/calendar.h"
#include "model/chart.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/queue.h"
#include "util/xalloc.h"

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

/* Whether the hall is open: 营业中, 午间延时服务, 双休日 or 节假日延时服务,
 * 已停止取号. */
static const char *
hall_state_name(const struct hall *h)
{
	if (!h->have_hours)
		return "-";
	return hours_state_name(hall_hours_state(h), h->hours.kind);
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
	line = xasprintf(_("Hall now · %s · %s · %d waiting · service level today %s (called within %d min)"),
	    hall_state_name(h), h->office_name[0] != '\0' ? h->office_name : app->session.office_name,
	    waiting, level, h->q.target_minutes);
	shown = text_ellipsize(line, cols - 2);
	term_print(y, 1, cols - 2, TS_TITLE, shown);
	free(shown);
	free(line);
	if (h->calendar_warning != NULL) {
		shown = text_ellipsize(h->calendar_warning, cols - 2);
		term_print(++y, 1, cols - 2, TS_WARN, shown);
		free(shown);
	}
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
	struct tm now;

	cal_tm_cn(time(NULL), &now);	/* the hour where the database counts them */
	hi = now.tm_hour;
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

const char *
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

	if (g->rated_at > 0) {
		cal_tm_cn(g->rated_at, &tm);
		strftime(when, sizeof when, "%m-%d %H:%M", &tm);
	}
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
 * in rows [y, bottom): red when overdue, yellow otherwise; a deferred
 * material past its date is marked 容缺逾期 (the case may be ended). */
static void
hall_draw_due(const struct app *app, struct hall *h, int y, int bottom, int cols)
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
		char *what = d->kind == HD_CASE ? xstrdup(_("promised date")) :
		    d->kind == HD_MATERIAL && d->remaining < 0 ?
		    xasprintf(_("deferred, overdue (容缺逾期): %s"), d->label) : xstrdup(d->label);
		char *left = d->remaining < 0
		    ? xasprintf(_("overdue %d working days"), -d->remaining)
		    : xasprintf(_("%d working days left"), d->remaining);
		/* a promise in months (limit 0 here) is not counted in working days */
		char *due = app_date(app, d->due, d->kind != HD_CASE || d->limit_days != 0);
		char *line = xasprintf("%s  %s  %s  %s  %s %s  %s", d->office_name, d->case_no, d->type_name,
		    d->person_name, what, due, left);
		char *shown = text_ellipsize(line, cols - 4);

		term_print(y, 2, cols - 4, d->remaining < 0 ? TS_ERROR : TS_WARN, shown);
		free(shown);
		free(line);
		free(left);
		free(due);
		free(what);
	}
}

/* A count of due cases: "N", or "N+" when more may exist. */
static void
hall_count(int n, bool more, char out[16])
{
	snprintf(out, 16, more ? "%d+" : "%d", n);
}

/* One office of the list at row y: the name indented by depth, then the
 * figures in columns of w[1..6]; selected: highlighted. */
static void
hall_draw_office_row(const struct hall *h, const struct hall_office *o, bool selected, int y,
    const int *w, int cols)
{
	enum term_style base = selected ? TS_FIELD_ACTIVE : o->windows_active > 0 ? TS_NORMAL : TS_DIM;
	char num[6][32], *name, *cell;
	enum term_style st[6];
	int indent = o->depth > 4 ? 8 : o->depth * 2, x = 1;
	long wait = -1;

	term_fill(y, 1, cols - 2, base);
	name = xasprintf("%*s%s", indent, "", o->name);
	cell = text_ellipsize(name, w[0] - 1);
	term_print(y, x, w[0], base, cell);
	free(cell);
	free(name);
	x += w[0];
	for (int i = 0; i < 6; i++)
		st[i] = base;
	if (o->windows_active > 0) {
		snprintf(num[0], sizeof num[0], "%d/%d", o->windows_open, o->windows_active);
		snprintf(num[1], sizeof num[1], "%d", o->waiting);
		if (o->waiting > 0)
			wait = o->longest_wait_seconds + (long)(time(NULL) - h->offices_read);
		hall_duration(wait, num[2]);
		if (wait < 0)
			snprintf(num[2], sizeof num[2], "-");
		else if (!selected && o->target_minutes > 0 && wait > o->target_minutes * 60L)
			st[2] = TS_ERROR;
		snprintf(num[3], sizeof num[3], "%d", o->served_today);
	} else {
		for (int i = 0; i < 4; i++)
			snprintf(num[i], sizeof num[i], "-");
	}
	hall_count(o->overdue, o->due_more, num[4]);
	hall_count(o->near_due, o->due_more, num[5]);
	if (!selected && o->overdue > 0)
		st[4] = TS_ERROR;
	if (!selected && o->near_due > 0)
		st[5] = TS_WARN;
	for (int i = 0; i < 6 && x < cols - 1; i++) {
		cell = text_pad(num[i], w[i + 1], TEXT_RIGHT);
		term_print(y, x, cols - 1 - x, st[i], cell);
		free(cell);
		x += w[i + 1];
	}
}

/* The offices of the jurisdiction in rows [y, bottom); returns the row
 * after the last one drawn. */
static int
hall_draw_office_list(struct hall *h, int y, int bottom, int cols)
{
	int w[7] = { 0, 10, 6, 10, 10, 6, 6 }, fixed = 0;
	const char *heads[7] = { _("Office"), _("On duty/windows"), _("Waiting"), _("Longest wait"),
		_("Served today"), _("Overdue"), _("Near due") };

	for (int i = 1; i < 7; i++)
		fixed += w[i];
	w[0] = cols - 2 - fixed;
	if (w[0] < 12)
		w[0] = 12;
	if (y >= bottom)
		return y;
	for (int i = 0, x = 1; i < 7 && x < cols - 1; x += w[i], i++) {
		char *cell = text_pad(heads[i], w[i], i == 0 ? TEXT_LEFT : TEXT_RIGHT);

		term_print(y, x, cols - 1 - x, TS_TITLE, cell);
		free(cell);
	}
	y++;
	if (h->osel < h->otop)
		h->otop = h->osel;
	if (bottom - y > 0 && h->osel >= h->otop + (bottom - y))
		h->otop = h->osel - (bottom - y) + 1;
	for (int i = h->otop; i < h->noff && y < bottom; i++, y++)
		hall_draw_office_row(h, &h->off[i], i == h->osel, y, w, cols);
	return y;
}

/* The list of offices (辖区各厅) and, after F7, the due cases below it. */
static void
hall_draw_offices(struct app *app, struct hall *h, int top, int rows)
{
	int cols = term_cols(), y = top, bottom = top + rows;
	char count[16], *title, *shown;

	/* a full list may have been cut at HALL_MAX_OFFICES */
	snprintf(count, sizeof count, h->noff >= HALL_MAX_OFFICES ? "%d+" : "%d", h->noff);
	title = xasprintf(_("Halls of the jurisdiction · %s · %s offices · Enter: the live hall of the "
	    "office"), app->session.office_name, count);
	shown = text_ellipsize(title, cols - 2);

	term_print(y++, 1, cols - 2, TS_TITLE, shown);
	free(shown);
	free(title);
	if (h->calendar_warning != NULL && y < bottom) {
		shown = text_ellipsize(h->calendar_warning, cols - 2);
		term_print(y++, 1, cols - 2, TS_WARN, shown);
		free(shown);
	}
	if (rows >= 12)
		y++;
	if (h->show_due) {
		int need = 1 + h->noff, half = (bottom - y) / 2;
		int end = hall_draw_office_list(h, y, y + (need < half ? need : half), cols);

		hall_draw_due(app, h, end + 1, bottom, cols);
	} else {
		hall_draw_office_list(h, y, bottom, cols);
	}
}

void
hall_draw_appointments(struct hall *h, int y, int bottom, int cols)
{
	int per = cols >= 80 ? 2 : 1, w = (cols - 2) / per;
	int booked = 0, in = 0, missed = 0;
	char *head;

	for (size_t i = 0; i < h->appts.n; i++) {
		booked += h->appts.slots[i].booked;
		in += h->appts.slots[i].checked_in;
		missed += h->appts.slots[i].missed;
	}
	if (y >= bottom)
		return;
	head = xasprintf(_("Today's appointments: to come %d, checked in %d, missed %d"), booked, in,
	    missed);
	term_print(y++, 1, cols - 2, TS_TITLE, head);
	free(head);
	if (h->appts.n == 0 && y < bottom)
		term_print(y, 1, cols - 2, TS_DIM, _("No appointment slots today."));
	for (size_t i = 0; i < h->appts.n && y < bottom; i += (size_t)per, y++)
		for (int c = 0; c < per && i + (size_t)c < h->appts.n; c++) {
			const struct appt_hall_slot *s = &h->appts.slots[i + (size_t)c];
			char *line = xasprintf(_("%s  booked %d  in %d  missed %d  cancelled %d"), s->label,
			    s->booked, s->checked_in, s->missed, s->cancelled);

			term_print(y, 1 + c * w, w - 1, s->missed > 0 ? TS_WARN :
			    s->booked + s->checked_in > 0 ? TS_NORMAL : TS_DIM, line);
			free(line);
		}
}

void
hall_draw(struct app *app, struct view *v, int top, int rows)
{
	struct hall *h = hall_data(v);
	int cols = term_cols(), y = top, bottom = top + rows, need;

	if (!hall_supervisor(app))
		return;
	if (h->mode == HM_RATINGS) {
		hall_draw_ratings(app, h, top, rows);
	} else if (h->mode == HM_OFFICES) {
		hall_draw_offices(app, h, top, rows);
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
				hall_draw_due(app, h, end + 1, bottom, cols);
			else if (h->show_appt)
				hall_draw_appointments(h, end + 1, bottom, cols);
			else
				hall_draw_charts(h, end + 1, bottom, cols);
		} else {
			hall_draw_windows(h, y, bottom, cols);
		}
	}
	if (prompt_active(&h->prompt))
		prompt_draw(&h->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

