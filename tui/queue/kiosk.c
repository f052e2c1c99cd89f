/*
 * The ticket kiosk (取号机): an unattended full-screen terminal at the hall
 * entrance, keys only (a numeric keypad and an ID reader that types the
 * number are enough).
 *
 * Screens: start (1 普通取号, 2 预约取号, 3 刷身份证取号), the appointment
 * code, the ID number, the new ticket, and "paused" while the database is
 * unreachable. The new ticket shows the number in large type with the
 * people ahead and the estimated wait; its slip goes to the printer
 * channel; after result_seconds (or any key, once a short guard against
 * double presses has passed) the start screen returns. An input screen
 * left alone for a minute returns to the start too.
 *
 * Outside the opening hours (db/functions/hours.sql) the start screen
 * says so instead of offering tickets: no more tickets today, or paused
 * until later today, with the next opening (its time in large type) and
 * today's hours; a key still asks the server, which refuses (and says the
 * same). Open, the bottom line shows today's hours. The hours are read at
 * start, when the server says they change (a timer), after a refusal, and
 * when an administrator changes them (LISTEN yc_hours_<office>).
 *
 * The ID number is never shown whole: while typed only its first six
 * characters are visible, afterwards the val_mask_idno form. Whether the
 * holder is a senior (priority class) is decided by the server.
 *
 * No key ends the kiosk (curses raw mode: Ctrl-C and Ctrl-Z are plain
 * keys); SIGTERM, SIGHUP, SIGINT or the terminal going away do.
 */
#include "queue/kiosk.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "model/calendar.h"
#include "model/i18n.h"
#include "model/validate.h"
#include "store/hourstore.h"
#include "store/queue.h"
#include "ui/fullscreen.h"
#include "util/printer.h"
#include "util/xalloc.h"

#define KIOSK_GUARD_MS 1000		/* keys ignored after a ticket appears */
#define KIOSK_INPUT_IDLE_MS 60000	/* an abandoned input screen */
#define KIOSK_APPT_MAX 32

enum kiosk_screen { KS_START, KS_APPOINTMENT, KS_IDNO, KS_RESULT, KS_PAUSED };

enum kiosk_dirty { KD_HEADER = 1, KD_BODY = 2, KD_ALL = 3 };

struct kiosk {
	const struct kiosk_options *opt;
	struct db *db;
	bool lost;
	long long retry_at;
	enum kiosk_screen screen;
	char input[KIOSK_APPT_MAX + 1];
	size_t len;
	const char *message;		/* translated, static; NULL for none */
	enum term_style message_style;
	struct queue_issue issued;
	char masked_id[24];
	char *print_error;		/* why the slip did not print, or NULL */
	long long shown_at;		/* when the result or input screen began */
	long long last_key;
	char office_name[128];
	enum bigfont_ink ink;
	unsigned dirty;
	long minute;
	struct hourstore_today hours;	/* today's hours and the state, from the server */
	bool have_hours;
	long long hours_due;		/* when to read them again (monotonic ms) */
	char refusal[256];		/* the message of a refusal outside the hours */
};

static volatile sig_atomic_t kiosk_signal;

static void
kiosk_on_signal(int sig)
{
	kiosk_signal = sig;
}

static void
kiosk_go(struct kiosk *k, enum kiosk_screen s)
{
	k->screen = s;
	k->len = 0;
	memset(k->input, 0, sizeof k->input);
	k->message = NULL;
	k->shown_at = k->last_key = fs_now_ms();
	k->dirty = KD_ALL;
}

static void
kiosk_lost(struct kiosk *k)
{
	if (!k->lost) {
		k->lost = true;
		k->retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	}
	kiosk_go(k, KS_PAUSED);
}

/* Reads today's hours and the hall's state again; false when the
 * database is unreachable. */
static bool
kiosk_hours(struct kiosk *k)
{
	struct hourstore_today h;
	enum hourstore_result r = hourstore_today(k->db, k->opt->office, &h);

	if (r == HS_DB_LOST)
		return false;
	k->have_hours = r == HS_OK;
	if (r == HS_OK) {
		k->hours = h;
		k->hours_due = fs_now_ms() + (h.changes_in > 0 ? h.changes_in : 60) * 1000LL;
		if (h.state != HOURS_CLOSED && k->message == k->refusal)
			k->message = NULL;
	} else
		k->hours_due = fs_now_ms() + 60000;
	k->dirty |= KD_BODY;
	return true;
}

static bool
kiosk_closed(const struct kiosk *k)
{
	return k->have_hours && k->hours.state == HOURS_CLOSED;
}

/* Reconnects, listens for changes of the hours and checks the office;
 * back to the start screen when up. */
static void
kiosk_retry(struct kiosk *k)
{
	struct queue_counts c;

	k->retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	if (k->db == NULL || (!db_connected(k->db) && !db_reconnect(k->db)))
		return;
	if (hourstore_listen(k->db, k->opt->office) != DB_OK ||
	    queue_counts(k->db, k->opt->office, &c) != QUEUE_OK || !kiosk_hours(k))
		return;
	snprintf(k->office_name, sizeof k->office_name, "%s", c.office_name);
	k->lost = false;
	kiosk_go(k, KS_START);
}

/* ---- drawing ------------------------------------------------------------ */

static void
kiosk_draw_header(struct kiosk *k)
{
	fs_draw_header(k->office_name[0] != '\0' ? k->office_name : k->opt->office, _("Ticket machine"));
}

/* The bottom line: the keys of the current screen. */
static void
kiosk_draw_footer(struct kiosk *k)
{
	int rows = term_rows(), cols = term_cols();
	const char *hint = NULL;

	if (rows < 4)
		return;
	term_fill(rows - 1, 0, cols, TS_NORMAL);
	switch (k->screen) {
	case KS_START:
		if (k->have_hours) {
			char *today = hours_day_text(&k->hours.hours);
			char *line = kiosk_closed(k) ? xasprintf(_("Today's hours: %s"), today) :
			    xasprintf(_("%s · today's hours: %s"), _("Press a number key to take a ticket"),
			    today);

			fs_center(rows - 1, cols, TS_DIM, line);
			free(line);
			free(today);
			return;
		}
		hint = _("Press a number key to take a ticket");
		break;
	case KS_APPOINTMENT:
	case KS_IDNO:
		hint = _("Enter: confirm   Backspace: correct   Esc: back");
		break;
	case KS_RESULT:
		if (fs_now_ms() - k->shown_at >= KIOSK_GUARD_MS)
			hint = _("Press any key to return");
		break;
	case KS_PAUSED:
		break;
	}
	if (hint != NULL)
		fs_center(rows - 1, cols, TS_DIM, hint);
}

/* The start screen outside the opening hours: why no ticket, the next
 * opening with its time in large type. */
static void
kiosk_draw_closed(struct kiosk *k, int top, int rows, int cols)
{
	const struct hourstore_today *h = &k->hours;
	bool later_today = false;
	char ymd[11], hm[6] = "", *when = NULL, *line;
	struct bigfont b = { 0 };
	enum bigfont_size sz = BF_TEXT;
	int y, need;

	if (h->next_open > 0) {
		struct tm tm;

		cal_date_format(cal_date_cn(h->next_open), ymd);
		later_today = strcmp(ymd, h->day) == 0;
		cal_tm_cn(h->next_open, &tm);
		hours_hhmm(tm.tm_hour * 60 + tm.tm_min, hm);
		when = hours_when(h->next_open, h->day);
		sz = bigfont_fit(hm, k->ink, cols - 2, rows - 5, BF_HUGE);
		bigfont_render(hm, sz, k->ink, &b);
	}
	need = 2 + (when != NULL ? 2 + (sz != BF_TEXT ? b.rows : 0) : 0) + (k->message != NULL ? 2 : 0);
	y = top + (rows > need ? (rows - need) / 2 : 0);
	fs_center(y++, cols, TS_ERROR, h->next_open <= 0 ? _("Tickets are not being issued now") :
	    later_today ? _("Tickets are paused") : _("No more tickets today"));
	if (rows >= 10)
		y++;
	if (when != NULL && y < top + rows) {
		line = xasprintf(_("Next opening: %s"), when);
		fs_center(y++, cols, TS_TITLE, line);
		free(line);
		if (sz != BF_TEXT && y + b.rows <= top + rows) {
			fs_draw_big(y + (rows >= 12), (cols - b.width) / 2, &b, TS_OK);
			y += b.rows + (rows >= 12) * 2;
		}
	} else if (y < top + rows)
		fs_center(y++, cols, TS_TITLE, _("Please ask at the guide desk"));
	if (k->message != NULL && y < top + rows)
		fs_center(y, cols, k->message_style, k->message);
	bigfont_free(&b);
	free(when);
}

static void
kiosk_draw_start(struct kiosk *k, int top, int rows, int cols)
{
	const char *labels[3] = { _("Normal ticket"), _("Appointment ticket"),
	    _("Ticket by ID card") };
	const char *notes[3] = { _("walk-in"), _("check in with the code or ID number"),
	    _("seniors go first") };
	const char *digits[3] = { "1", "2", "3" };
	int y = top;

	fs_center(y++, cols, TS_TITLE, _("Welcome! Please take a ticket"));
	if (rows >= 14)
		y++;
	if (cols >= 54 && rows >= 12) {
		int gap = 2, w = (cols - 2 * 2 - 2 * gap) / 3, h = top + rows - y - 1, x0;

		if (w > 30)
			w = 30;
		if (h > 14)
			h = 14;
		x0 = (cols - 3 * w - 2 * gap) / 2;

		for (int i = 0; i < 3; i++)
			fs_draw_option(y, x0 + i * (w + gap), h, w, k->ink, digits[i], labels[i],
			    h >= 8 ? notes[i] : NULL);
		y += h;
	} else {
		for (int i = 0; i < 3 && y < top + rows; i++) {
			char *line = xasprintf("%s  %s", digits[i], labels[i]);

			fs_center(y++, cols, TS_TITLE, line);
			free(line);
		}
	}
	if (k->message != NULL && y < top + rows)
		fs_center(y, cols, k->message_style, k->message);
}

/* The appointment code or the ID number being typed. */
static void
kiosk_draw_input(struct kiosk *k, int top, int rows, int cols)
{
	bool id = k->screen == KS_IDNO;
	const char *title = id ? _("Swipe your ID card or type the ID number") :
	    _("Type your appointment code, or your ID number");
	int y = top + (rows >= 12 ? rows / 4 : 0);

	fs_center(y++, cols, TS_TITLE, title);
	if (rows >= 10)
		y++;
	/* an ID number typed for an appointment is masked as well */
	y = fs_draw_input(y, rows, cols, k->input, k->len, id || k->len > 8);
	if (rows >= 10)
		y++;
	if (k->message != NULL)
		fs_center(y, cols, k->message_style, k->message);
}

static void
kiosk_draw_result(struct kiosk *k, int top, int rows, int cols)
{
	const struct queue_issue *is = &k->issued;
	int lines = 4 + (k->masked_id[0] != '\0') + 2 * (k->print_error != NULL);
	enum bigfont_size sz = bigfont_fit(is->t.number, k->ink, cols - 2, rows - lines - 1, BF_HUGE);
	struct bigfont b;
	char *s;
	int y;

	bigfont_render(is->t.number, sz, k->ink, &b);
	y = top + (rows - lines - b.rows - 1) / 2;
	if (y < top)
		y = top;
	fs_center(y++, cols, TS_NORMAL, _("Your number"));
	fs_draw_big(y, (cols - b.width) / 2, &b, TS_OK);
	y += b.rows + 1;
	bigfont_free(&b);
	s = xasprintf(_("%s ticket   %d ahead of you   estimated wait about %d minutes"),
	    queue_class_name(is->t.cls), is->ahead, is->est_wait_minutes);
	fs_center(y++, cols, TS_TITLE, s);
	free(s);
	if (k->masked_id[0] != '\0') {
		s = xasprintf(_("ID number %s"), k->masked_id);
		fs_center(y++, cols, TS_DIM, s);
		free(s);
	}
	if (k->print_error != NULL) {
		fs_center(y++, cols, TS_ERROR, _("The slip could not be printed: please note your "
		    "number, or ask at the guide desk"));
		if (y < top + rows)
			fs_center(y++, cols, TS_DIM, k->print_error);	/* for the technician */
	} else
		fs_center(y++, cols, TS_NORMAL, _("Please take your slip and watch the calling board"));
}

static void
kiosk_draw_paused(struct kiosk *k, int top, int rows, int cols)
{
	(void)k;
	fs_center(top + rows / 2 - 1, cols, TS_ERROR, _("Tickets paused: please go to the guide desk"));
	fs_center(top + rows / 2 + 1, cols, TS_DIM, _("Reconnecting to the database…"));
}

static void
kiosk_draw(struct kiosk *k)
{
	int rows = term_rows(), cols = term_cols(), top = 1, body = rows - 2;

	if (k->dirty == 0)
		return;
	if (k->dirty & KD_HEADER)
		kiosk_draw_header(k);
	if (k->dirty & KD_BODY) {
		for (int y = 1; y < rows; y++)
			term_fill(y, 0, cols, TS_NORMAL);
		if (body > 0) {
			switch (k->screen) {
			case KS_START:
				if (kiosk_closed(k))
					kiosk_draw_closed(k, top, body, cols);
				else
					kiosk_draw_start(k, top, body, cols);
				break;
			case KS_APPOINTMENT:
			case KS_IDNO:
				kiosk_draw_input(k, top, body, cols);
				break;
			case KS_RESULT:
				kiosk_draw_result(k, top, body, cols);
				break;
			case KS_PAUSED:
				kiosk_draw_paused(k, top, body, cols);
				break;
			}
		}
		kiosk_draw_footer(k);
	}
	term_cursor(0, 0, false);
	term_flush();
	k->dirty = 0;
}

/* ---- tickets ------------------------------------------------------------ */

static char *
kiosk_slip(struct kiosk *k)
{
	const struct queue_issue *is = &k->issued;
	char when[32], *l1, *l2, *l3, *l4, *l5, *doc;
	struct tm tm;
	time_t t = is->t.issued_at != 0 ? is->t.issued_at : time(NULL);

	cal_tm_cn(t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	l1 = xasprintf(_("Number: %s"), is->t.number);
	l2 = xasprintf(_("Class: %s"), queue_class_name(is->t.cls));
	l3 = xasprintf(_("Issued: %s"), when);
	l4 = xasprintf(_("%d ahead of you"), is->ahead);
	l5 = xasprintf(_("Estimated wait: about %d minutes"), is->est_wait_minutes);
	doc = xasprintf("%s\n================================\n%s\n%s\n%s\n%s\n%s\n%s\n"
	    "================================\n\n",
	    is->office_name[0] != '\0' ? is->office_name : k->office_name, l1, l2, l3, l4, l5,
	    _("Please watch the calling board"));

	free(l1);
	free(l2);
	free(l3);
	free(l4);
	free(l5);
	return doc;
}

static void
kiosk_print(struct kiosk *k)
{
	struct printer *p = k->opt->printer;
	char *doc = kiosk_slip(k), *why = NULL;
	bool pass = printer_kind(p) == PRINTER_PASSTHROUGH;

	XFREE(&k->print_error);
	if (pass)
		term_stop();	/* the next refresh repaints the whole screen */
	if (printer_print(p, doc, &why) != 0)
		k->print_error = why;
	free(doc);
}

/* Issues a ticket of cls; on success shows it and prints the slip. */
static void
kiosk_issue(struct kiosk *k, enum queue_class cls, const char *id_no, const char *appointment)
{
	enum queue_result r;
	int rows = term_rows(), cols = term_cols();

	term_fill(rows - 1, 0, cols, TS_NORMAL);
	fs_center(rows - 1, cols, TS_TITLE, _("Issuing your ticket, please wait…"));
	term_flush();
	r = queue_issue(k->db, k->opt->office, cls, id_no, appointment, 0, &k->issued);
	switch (r) {
	case QUEUE_OK:
		if (k->issued.office_name[0] != '\0')
			snprintf(k->office_name, sizeof k->office_name, "%s", k->issued.office_name);
		kiosk_print(k);
		kiosk_go(k, KS_RESULT);
		return;
	case QUEUE_DB_LOST:
		kiosk_lost(k);
		return;
	case QUEUE_CLOSED: {
		char *msg;

		if (!kiosk_hours(k)) {
			kiosk_lost(k);
			return;
		}
		msg = hourstore_closed_message(k->issued.opens_at, k->have_hours ? k->hours.day : NULL);
		snprintf(k->refusal, sizeof k->refusal, "%s", msg);
		free(msg);
		kiosk_go(k, KS_START);
		k->message = k->refusal;
		k->message_style = TS_ERROR;
		return;
	}
	case QUEUE_APPOINTMENT_EARLY: {
		char at[8];
		struct tm tm;

		cal_tm_cn(k->issued.opens_at, &tm);
		strftime(at, sizeof at, "%H:%M", &tm);
		snprintf(k->refusal, sizeof k->refusal, _("Too early to check in: check-in opens at %s."), at);
		k->message = k->refusal;
		break;
	}
	case QUEUE_BAD_ID:
	case QUEUE_BAD_APPOINTMENT:
	case QUEUE_APPOINTMENT_MISSED:
	case QUEUE_NOT_ALLOWED:
		k->message = queue_result_message(r);
		break;
	case QUEUE_EMPTY:
	case QUEUE_PAUSED:
	case QUEUE_BUSY:
	case QUEUE_NO_TICKET:
	case QUEUE_NOT_CALLED:
	case QUEUE_UNKNOWN_OFFICE:
	case QUEUE_UNKNOWN_WINDOW:
	case QUEUE_NO_SESSION:
	case QUEUE_BAD_WINDOW:
	case QUEUE_WINDOW_CLOSED:
	case QUEUE_BAD_TEXT:
	case QUEUE_DB_ERROR:
		/* Nothing a citizen can correct. */
		k->message = _("Tickets paused: please go to the guide desk");
		break;
	}
	memset(k->input, 0, sizeof k->input);
	k->len = 0;
	k->message_style = TS_ERROR;
	k->dirty |= KD_BODY;
}

static void
kiosk_submit_id(struct kiosk *k)
{
	static char message[VAL_MSG_MAX];
	struct val_result vr;
	struct val_idno v;
	char *masked;

	if (!val_idno(k->input, cal_date_cn(time(NULL)), &v, &vr)) {
		snprintf(message, sizeof message, "%s", vr.message);
		k->len = 0;
		k->input[0] = '\0';
		k->message = message;
		k->message_style = TS_ERROR;
		k->dirty |= KD_BODY;
		return;
	}
	masked = val_mask_idno(v.id);
	snprintf(k->masked_id, sizeof k->masked_id, "%s", masked);
	free(masked);
	memset(k->input, 0, sizeof k->input);
	k->len = 0;
	kiosk_issue(k, QC_NORMAL, v.id, NULL);
	memset(&v, 0, sizeof v);
}

/* An appointment's check-in: by its code, or (18 characters ending in a
 * digit or X, as an ID number is) by the person's appointment of today. */
static void
kiosk_submit_appointment(struct kiosk *k)
{
	char code[KIOSK_APPT_MAX + 1];
	size_t digits = strspn(k->input, "0123456789");

	memcpy(code, k->input, k->len + 1);
	memset(k->input, 0, sizeof k->input);
	k->len = 0;
	if (strlen(code) == 18 && (digits == 18 || (digits == 17 && (code[17] == 'X' || code[17] == 'x')))) {
		code[17] = (char)toupper((unsigned char)code[17]);
		kiosk_issue(k, QC_APPOINTMENT, code, NULL);
	} else
		kiosk_issue(k, QC_APPOINTMENT, NULL, code);
	memset(code, 0, sizeof code);
}

/* ---- keys --------------------------------------------------------------- */

static void
kiosk_key_input(struct kiosk *k, const struct term_key *key)
{
	bool id = k->screen == KS_IDNO;

	switch (fs_input_key(k->input, &k->len, id ? 18 : KIOSK_APPT_MAX, key, id, false)) {
	case FS_IN_ESC:
		kiosk_go(k, KS_START);
		return;
	case FS_IN_ENTER:
		if (k->len == 0) {
			k->message = id ? _("Please type the 18-character ID number.") :
			    _("Please type your appointment code.");
			k->message_style = TS_ERROR;
		} else if (id)
			kiosk_submit_id(k);
		else {
			kiosk_submit_appointment(k);
		}
		k->dirty |= KD_BODY;
		return;
	case FS_IN_CHANGED:
		if (key->code == K_CHAR)
			k->message = NULL;
		break;
	case FS_IN_NONE:
		return;
	}
	k->dirty |= KD_BODY;
}

static void
kiosk_key(struct kiosk *k, const struct term_key *key)
{
	long long now = fs_now_ms();

	k->last_key = now;
	if (key->code == K_RESIZE) {
		k->dirty = KD_ALL;
		return;
	}
	switch (k->screen) {
	case KS_START:
		if (key->code != K_CHAR)
			return;
		k->masked_id[0] = '\0';
		if (key->ch == '1')
			kiosk_issue(k, QC_NORMAL, NULL, NULL);
		else if (key->ch == '2')
			kiosk_go(k, KS_APPOINTMENT);
		else if (key->ch == '3')
			kiosk_go(k, KS_IDNO);
		return;
	case KS_APPOINTMENT:
	case KS_IDNO:
		kiosk_key_input(k, key);
		return;
	case KS_RESULT:
		if (now - k->shown_at >= KIOSK_GUARD_MS)
			kiosk_go(k, KS_START);
		return;
	case KS_PAUSED:
		return;
	}
}

/* ---- the loop ----------------------------------------------------------- */

/* Milliseconds until the next timer. */
static int
kiosk_timeout(struct kiosk *k, int esc_wait)
{
	long long now = fs_now_ms(), next = now + fs_ms_to_minute();

	if (k->lost && k->retry_at < next)
		next = k->retry_at;
	if (k->screen == KS_RESULT) {
		long long guard = k->shown_at + KIOSK_GUARD_MS;
		long long end = k->shown_at + k->opt->result_seconds * 1000LL;

		if (now < guard && guard < next)
			next = guard;
		if (end < next)
			next = end;
	}
	if ((k->screen == KS_APPOINTMENT || k->screen == KS_IDNO) &&
	    k->last_key + KIOSK_INPUT_IDLE_MS < next)
		next = k->last_key + KIOSK_INPUT_IDLE_MS;
	if (!k->lost && k->hours_due > 0 && k->hours_due < next)
		next = k->hours_due;
	if (esc_wait > 0 && now + esc_wait < next)
		next = now + esc_wait;
	return next <= now ? 0 : (int)(next - now);
}

static void
kiosk_timers(struct kiosk *k)
{
	long long now = fs_now_ms();
	long minute = (long)(time(NULL) / 60);

	if (minute != k->minute) {
		k->minute = minute;
		k->dirty |= KD_HEADER;
	}
	if (k->lost && now >= k->retry_at)
		kiosk_retry(k);
	if (!k->lost && k->hours_due > 0 && now >= k->hours_due && !kiosk_hours(k))
		kiosk_lost(k);
	if (k->screen == KS_RESULT) {
		if (now >= k->shown_at + k->opt->result_seconds * 1000LL)
			kiosk_go(k, KS_START);
		else if (now >= k->shown_at + KIOSK_GUARD_MS && now < k->shown_at + KIOSK_GUARD_MS + 1000)
			k->dirty |= KD_BODY;	/* the "any key" hint appears */
	}
	if ((k->screen == KS_APPOINTMENT || k->screen == KS_IDNO) &&
	    now >= k->last_key + KIOSK_INPUT_IDLE_MS)
		kiosk_go(k, KS_START);
}

int
kiosk_run(const struct kiosk_options *opt)
{
	struct kiosk k;
	struct queue_counts c;
	int esc_wait = 0;

	memset(&k, 0, sizeof k);
	k.opt = opt;
	if (opt->conninfo == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", opt->config_error);
		return 1;
	}
	k.db = db_open(opt->conninfo);
	if (db_connected(k.db)) {
		enum queue_result r = queue_counts(k.db, opt->office, &c);

		if (r == QUEUE_UNKNOWN_OFFICE) {
			conv_fprintf(stderr, "yichuang: %s: %s\n", queue_result_message(r), opt->office);
			db_close(&k.db);
			return 1;
		}
		if (r == QUEUE_OK && hourstore_listen(k.db, opt->office) == DB_OK && kiosk_hours(&k))
			snprintf(k.office_name, sizeof k.office_name, "%s", c.office_name);
		else
			k.lost = true;
	} else
		k.lost = true;
	k.ink = fs_ink(opt->font);
	k.minute = (long)(time(NULL) / 60);
	fs_signals(kiosk_on_signal);
	term_start();
	if (k.lost) {
		k.lost = false;
		kiosk_lost(&k);
	} else
		kiosk_go(&k, KS_START);

	while (!kiosk_signal) {
		struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = -1, .events = POLLIN } };
		struct term_key key;
		int r;

		kiosk_draw(&k);
		fds[1].fd = !k.lost ? db_socket(k.db) : -1;
		r = poll(fds, fds[1].fd >= 0 ? 2 : 1, kiosk_timeout(&k, esc_wait));
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;
		if (r > 0 && fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			int n = db_consume(k.db);

			/* only changes of the office's hours are listened for */
			if (n < 0 || (n > 0 && !kiosk_hours(&k)))
				kiosk_lost(&k);
		}
		while (!kiosk_signal && term_read_key(&key, &esc_wait))
			kiosk_key(&k, &key);
		if (esc_wait == 1 && term_key_timeout(&key)) {
			esc_wait = 0;
			kiosk_key(&k, &key);
		}
		kiosk_timers(&k);
	}
	term_stop();
	free(k.print_error);
	db_close(&k.db);
	return 0;
}
