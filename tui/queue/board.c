/*
 * The calling board (叫号屏) of a hall: the latest call in large type
 * ("请 A023 号到 3 号窗口办理": number and window large, the words around
 * them in normal text), the calls before it, and how many wait per class.
 * Nothing personal is shown: the queue API gives numbers and windows only.
 *
 * Updates come by LISTEN/NOTIFY on the office's channel: LISTEN first,
 * then the first query, then every notification re-reads the recent calls
 * and the counts (two bounded, indexed queries). A notification that
 * arrives while those queries run is counted by the db_consume() after
 * them and causes one more reading, so no change is missed. The only
 * timer is the clock (once a minute) and, while the database is lost,
 * the reconnection attempt.
 *
 * The bottom line shows today's opening hours (db/functions/hours.sql),
 * read with the rest on every notification (a change of the hours is
 * announced on the same channel) and again when the server says they
 * change (midnight, the end of a session).
 *
 * With a read connection (--read-db, a hot standby: board_options.read_
 * conninfo) the board still LISTENs on its ordinary connection (a standby
 * takes no LISTEN) but reads the calls, counts and hours on the standby:
 * on a notification it takes the primary's WAL position and reads once the
 * standby has replayed up to it, looking again every BOARD_CATCHUP_MS
 * while it has not (the only other timer, and only while the standby lags;
 * a paused standby keeps the board on what it shows). While the read
 * connection is lost the board reads on the ordinary one and tries the
 * read connection again every FS_RETRY_SECONDS, without blocking.
 *
 * Regions (header, latest call, recent calls, counts) are redrawn only
 * when their data changed; the latest call's area has a fixed height for
 * a given screen size, so a new call never moves the rest of the board.
 */
#include "queue/board.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "store/hourstore.h"
#include "store/queue.h"
#include "ui/fullscreen.h"
#include "util/xalloc.h"

#define BOARD_MAX_CALLS 48
#define BOARD_MIN_LOWER 4	/* rows kept for the recent calls and counts */
#define BOARD_CATCHUP_MS 200	/* a lagging standby is asked again that often */

enum board_dirty {
	BD_HEADER = 1 << 0,
	BD_LATEST = 1 << 1,
	BD_RECENT = 1 << 2,
	BD_COUNTS = 1 << 3,
	BD_FOOTER = 1 << 4,
	BD_ALL = 0x1f
};

struct board {
	const struct board_options *opt;
	struct db *db;			/* LISTEN, and reads when there is no rdb */
	struct db *rdb;			/* the read connection, or NULL */
	long long rdb_retry_at;		/* when to reconnect it, while lost */
	bool rdb_connecting;		/* an attempt is in progress ... */
	enum db_step rdb_step;		/* ... waiting for this */
	long long rdb_deadline;		/* ... given up then */
	char lsn[32];			/* the primary's position rdb must reach */
	long long catchup_at;		/* when to ask rdb again (0: not waiting) */
	bool lost;
	long long retry_at;
	bool owed;			/* a notification is not yet read */
	struct queue_call calls[BOARD_MAX_CALLS];
	int ncalls;
	bool recalled;			/* the latest call repeats the one before */
	struct queue_counts counts;
	bool have_counts;
	char office_name[128];
	enum bigfont_ink ink;
	unsigned dirty;
	long minute;
	struct hours_day today;		/* today's opening hours */
	bool have_hours;
	long long hours_due;		/* when to read them again (monotonic ms) */
};

/* The phrase around the number and the window, from one translated
 * message so that translators keep the whole sentence. */
struct board_phrase {
	char part[3][64];		/* before, between, after */
	bool window_first;		/* %2$s comes before %1$s */
};

static volatile sig_atomic_t board_signal;

static void
board_on_signal(int sig)
{
	board_signal = sig;
}

static void
board_phrase(struct board_phrase *p)
{
	const char *fmt = _("Number %1$s to window %2$s");
	const char *a = strstr(fmt, "%1$s"), *b = strstr(fmt, "%2$s");

	memset(p, 0, sizeof p->part);
	if (a == NULL || b == NULL) {
		fmt = "%1$s → %2$s";
		a = strstr(fmt, "%1$s");
		b = strstr(fmt, "%2$s");
	}
	p->window_first = b < a;
	const char *first = p->window_first ? b : a, *second = p->window_first ? a : b;

	snprintf(p->part[0], sizeof p->part[0], "%.*s", (int)(first - fmt), fmt);
	snprintf(p->part[1], sizeof p->part[1], "%.*s", (int)(second - first - 4), first + 4);
	snprintf(p->part[2], sizeof p->part[2], "%s", second + 4);
	/* The gaps around the large type are the board's own. */
	for (int i = 0; i < 3; i++) {
		char *s = p->part[i];
		size_t n = strlen(s), lead = 0;

		while (n > 0 && s[n - 1] == ' ')
			s[--n] = '\0';
		while (s[lead] == ' ')
			lead++;
		memmove(s, s + lead, n - lead + 1);
	}
}

/* ---- data ---------------------------------------------------------------- */

static bool
board_call_eq(const struct queue_call *a, const struct queue_call *b)
{
	return strcmp(a->number, b->number) == 0 && a->window_no == b->window_no &&
	    a->called_at == b->called_at;
}

/* Where reads go: the read connection while it is up, else the ordinary. */
static struct db *
board_reader(struct board *b)
{
	return b->rdb != NULL && db_connected(b->rdb) ? b->rdb : b->db;
}

/* The read connection is gone: read on the ordinary one at once and try
 * it again later. */
static void
board_read_lost(struct board *b)
{
	b->rdb_retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	b->catchup_at = 0;
	b->lsn[0] = '\0';
	b->owed = true;
}

/* While the read connection is down: starts an attempt when one is due
 * and gives up on one that takes longer than FS_RETRY_SECONDS (libpq's
 * connect_timeout holds only for blocking connections). */
static void
board_read_retry(struct board *b)
{
	long long now = fs_now_ms();

	if (b->rdb == NULL || db_connected(b->rdb))
		return;
	if (b->rdb_connecting && now >= b->rdb_deadline) {
		db_reconnect_abandon(b->rdb);
		b->rdb_connecting = false;
	}
	if (!b->rdb_connecting && now >= b->rdb_retry_at) {
		b->rdb_retry_at = now + FS_RETRY_SECONDS * 1000LL;
		b->rdb_deadline = b->rdb_retry_at;
		b->rdb_connecting = db_reconnect_start(b->rdb);
		b->rdb_step = DB_STEP_WRITE;	/* libpq's first poll waits to write */
	}
}

/* The attempt's socket is ready for what it waited for; once connected,
 * everything is read there afresh. */
static void
board_read_step(struct board *b)
{
	b->rdb_step = db_reconnect_step(b->rdb);
	if (b->rdb_step == DB_STEP_DONE || b->rdb_step == DB_STEP_FAILED)
		b->rdb_connecting = false;
	if (b->rdb_step == DB_STEP_DONE)
		b->owed = true;
}

static void
board_lost(struct board *b)
{
	if (!b->lost) {
		b->lost = true;
		b->retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
		b->dirty |= BD_HEADER;
	}
}

/* Reads today's hours; false when the connection is lost. */
static bool
board_hours(struct board *b)
{
	struct hourstore_today h;
	struct db *rd = board_reader(b);
	enum hourstore_result r = hourstore_today(rd, b->opt->office, &h);

	if (r == HS_DB_LOST) {
		if (rd != b->db)
			board_read_lost(b);
		else
			board_lost(b);
		return false;
	}
	b->hours_due = fs_now_ms() + (r == HS_OK && h.changes_in > 0 ? h.changes_in : 60) * 1000LL;
	if (r == HS_OK && (!b->have_hours || memcmp(&h.hours, &b->today, sizeof h.hours) != 0)) {
		b->today = h.hours;
		b->have_hours = true;
		b->dirty |= BD_FOOTER;
	}
	return true;
}

/*
 * Reads the recent calls and the counts, marks what changed, and reads
 * again while notifications arrived meanwhile (at most four times; more
 * leaves b->owed for the next turn of the loop). On a read connection to
 * a standby that has not replayed what the primary had written when the
 * notification came, reads nothing and sets b->catchup_at.
 */
static void
board_refresh(struct board *b)
{
	struct db *rd = board_reader(b);

	b->catchup_at = 0;
	if (rd != b->db) {
		if (b->lsn[0] == '\0')
			db_wal_lsn(b->db, b->lsn);
		if (!db_caught_up(rd, b->lsn)) {
			if (!db_connected(rd))
				board_read_lost(b);
			else
				b->catchup_at = fs_now_ms() + BOARD_CATCHUP_MS;
			return;
		}
		b->lsn[0] = '\0';
	}
	if (!board_hours(b))
		return;
	for (int pass = 0; pass < 4; pass++) {
		struct queue_call calls[BOARD_MAX_CALLS];
		struct queue_counts c;
		enum queue_result r;
		int n, more;

		n = queue_recent_calls(rd, b->opt->office, calls, BOARD_MAX_CALLS, &r);
		if (r == QUEUE_OK)
			r = queue_counts(rd, b->opt->office, &c);
		if (r == QUEUE_DB_LOST && rd != b->db) {
			board_read_lost(b);
			return;
		}
		if (r == QUEUE_DB_LOST) {
			board_lost(b);
			return;
		}
		if (r != QUEUE_OK)
			break;
		if (n < 0)
			n = 0;
		if (n != b->ncalls || (n > 0 && !board_call_eq(&calls[0], &b->calls[0]))) {
			/* Called again: the same number at the same window was on
			 * the board before (a recall moves it to the top). */
			b->recalled = false;
			for (int i = 0; n > 0 && i < b->ncalls; i++)
				if (strcmp(calls[0].number, b->calls[i].number) == 0 &&
				    calls[0].window_no == b->calls[i].window_no)
					b->recalled = true;
			b->dirty |= BD_LATEST;
		}
		for (int i = 1; i < n || i < b->ncalls; i++)
			if (i >= n || i >= b->ncalls || !board_call_eq(&calls[i], &b->calls[i])) {
				b->dirty |= BD_RECENT;
				break;
			}
		memcpy(b->calls, calls, (size_t)n * sizeof calls[0]);
		b->ncalls = n;
		if (!b->have_counts || memcmp(c.waiting, b->counts.waiting, sizeof c.waiting) != 0)
			b->dirty |= BD_COUNTS;
		if (strcmp(c.office_name, b->office_name) != 0) {
			snprintf(b->office_name, sizeof b->office_name, "%s", c.office_name);
			b->dirty |= BD_HEADER;
		}
		b->counts = c;
		b->have_counts = true;
		more = db_consume(b->db);
		if (more < 0) {
			board_lost(b);
			return;
		}
		b->owed = more > 0;
		if (!b->owed || rd != b->db)
			return;	/* a standby waits for the new position first */
	}
}

/* Reconnects, listens again and reads everything afresh. */
static void
board_retry(struct board *b)
{
	b->retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	if (!db_connected(b->db) && !db_reconnect(b->db))
		return;
	if (queue_listen(b->db, b->opt->office) != QUEUE_OK)
		return;
	b->lost = false;
	b->dirty |= BD_HEADER;
	board_refresh(b);
}

/* ---- layout -------------------------------------------------------------- */

struct board_layout {
	int latest_y, latest_h;		/* the latest call's rows */
	int big_rows;			/* the tallest large type they take */
	int lower_y, lower_h;		/* recent calls and counts */
	int list_x, list_w;		/* recent calls */
	int counts_x, counts_y, counts_w;
	bool counts_inline;		/* counts on one line above the list */
	int footer_y;
};

/* Display width of the latest call at size, for number and window. */
static int
board_phrase_width(const struct board_phrase *p, const char *number, const char *window,
    enum bigfont_size sz)
{
	int wn = bigfont_width(number, sz), ww = bigfont_width(window, sz);

	if (wn < 0 || ww < 0)
		return -1;
	return text_width(p->part[0]) + text_width(p->part[1]) + text_width(p->part[2]) + wn + ww + 4;
}

/* Display width of the widest class name. */
static int
board_label_w(void)
{
	int w = 0;

	for (int i = 0; i < QC_COUNT; i++)
		if (text_width(queue_class_name((enum queue_class)i)) > w)
			w = text_width(queue_class_name((enum queue_class)i));
	return w;
}

static void
board_layout(struct board *b, struct board_layout *l)
{
	int rows = term_rows(), cols = term_cols();
	struct board_phrase p;

	memset(l, 0, sizeof *l);
	board_phrase(&p);
	l->footer_y = rows >= 8 ? rows - 1 : -1;
	l->latest_y = 1;
	l->big_rows = 1;
	l->latest_h = 1;
	/* The area is sized for a typical widest call ("A000" at window 00),
	 * so that it does not change height from one call to the next. */
	for (int sz = BF_HUGE; sz > BF_TEXT; sz--) {
		int h = bigfont_height((enum bigfont_size)sz) + 2;

		if (!bigfont_size_ok((enum bigfont_size)sz, b->ink))
			continue;
		if (board_phrase_width(&p, "A000", "00", (enum bigfont_size)sz) <= cols &&
		    1 + h + BOARD_MIN_LOWER + (l->footer_y >= 0) <= rows) {
			l->big_rows = h - 2;
			l->latest_h = h;
			break;
		}
	}
	if (l->big_rows == 1 && rows >= 6)
		l->latest_h = 3;
	l->lower_y = l->latest_y + l->latest_h;
	l->lower_h = (l->footer_y >= 0 ? l->footer_y : rows) - l->lower_y;
	if (cols >= 60) {
		char *probe = xasprintf(_("%s %3d people"), "", 999);

		/* The counts column: the widest class name and "999 人". */
		l->counts_w = board_label_w() + text_width(probe) + 2;
		if (l->counts_w < text_width(_("Waiting now")) + 2)
			l->counts_w = text_width(_("Waiting now")) + 2;
		if (l->counts_w > cols / 2)
			l->counts_w = cols / 2;
		free(probe);
		l->counts_x = cols - l->counts_w;
		l->counts_y = l->lower_y;
		l->list_x = 1;
		l->list_w = l->counts_x - 2;
	} else {
		l->counts_inline = true;
		l->counts_x = 1;
		l->counts_y = l->lower_y;
		l->counts_w = cols - 2;
		l->list_x = 1;
		l->list_w = cols - 2;
		l->lower_y++;
		l->lower_h--;
	}
}

/* ---- drawing ------------------------------------------------------------- */

static void
board_draw_header(struct board *b)
{
	int cols = term_cols(), rw;
	char clock[32], *left, *right, *t;

	fs_clock(clock, sizeof clock, cols >= 60);
	right = b->lost ? xasprintf("%s  %s ", _("Connection lost, reconnecting…"), clock) :
	    xasprintf("%s ", clock);
	rw = text_width(right);
	if (rw > cols) {
		free(right);
		right = xasprintf("%s ", clock);
		rw = text_width(right);
	}
	term_fill(0, 0, cols, TS_STATUS);
	left = xasprintf(" %s  %s", b->office_name[0] != '\0' ? b->office_name : b->opt->office,
	    _("Calling board"));
	t = text_ellipsize(left, cols - rw - 1);
	term_print(0, 0, cols - rw, TS_STATUS, t);
	term_print(0, cols - rw, rw, TS_STATUS, right);
	free(t);
	free(left);
	free(right);
}

static void
board_draw_latest(struct board *b, const struct board_layout *l)
{
	int cols = term_cols();
	const struct queue_call *c = &b->calls[0];
	struct board_phrase p;
	char window[16];
	enum bigfont_size sz;
	int x, y, mid, h;

	for (int i = 0; i < l->latest_h; i++)
		term_fill(l->latest_y + i, 0, cols, TS_NORMAL);
	if (b->ncalls == 0) {
		fs_center(l->latest_y + (l->latest_h - 1) / 2, cols, TS_TITLE,
		    _("Welcome. Please wait for your number to be called"));
		return;
	}
	board_phrase(&p);
	snprintf(window, sizeof window, "%d", c->window_no);
	/* The largest size that fits: a two-digit window may need a smaller
	 * one than a one-digit window in the same rows. */
	sz = BF_HUGE;
	while (sz > BF_TEXT && (!bigfont_size_ok(sz, b->ink) || bigfont_height(sz) > l->big_rows ||
	    board_phrase_width(&p, c->number, window, sz) < 0 ||
	    board_phrase_width(&p, c->number, window, sz) > cols))
		sz--;
	h = bigfont_height(sz);
	y = l->latest_y + (l->latest_h - h) / 2;
	if (sz == BF_TEXT) {
		char *s = xasprintf("%s %s %s %s %s", p.part[0], p.window_first ? window : c->number,
		    p.part[1], p.window_first ? c->number : window, p.part[2]);

		fs_center(y, cols, TS_TITLE, s);
		free(s);
	} else {
		struct bigfont bn, bw;
		const struct bigfont *first, *second;

		bigfont_render(c->number, sz, b->ink, &bn);
		bigfont_render(window, sz, b->ink, &bw);
		first = p.window_first ? &bw : &bn;
		second = p.window_first ? &bn : &bw;
		x = (cols - board_phrase_width(&p, c->number, window, sz)) / 2;
		mid = y + (h - 1) / 2;
		x += term_print(mid, x, cols - x, TS_NORMAL, p.part[0]) + 1;
		fs_draw_big(y, x, first, TS_TITLE);
		x += first->width + 1;
		x += term_print(mid, x, cols - x, TS_NORMAL, p.part[1]) + 1;
		fs_draw_big(y, x, second, TS_TITLE);
		x += second->width + 1;
		term_print(mid, x, cols - x, TS_NORMAL, p.part[2]);
		bigfont_free(&bn);
		bigfont_free(&bw);
	}
	if (b->recalled && l->latest_h >= h + 2)
		fs_center(l->latest_y + l->latest_h - 1, cols, TS_DIM, _("(called again)"));
}

static void
board_draw_recent(struct board *b, const struct board_layout *l)
{
	const int item_w = 20;
	int ncol, y0 = l->lower_y, h = l->lower_h - 1;

	for (int i = 0; i < l->lower_h; i++)
		term_fill(l->lower_y + i, l->list_x, l->list_w, TS_NORMAL);
	if (l->lower_h < 1)
		return;
	term_print(y0, l->list_x, l->list_w, TS_TITLE, _("Recent calls"));
	if (h < 1)
		return;
	ncol = l->list_w / item_w;
	if (ncol < 1)
		ncol = 1;
	for (int i = 1; i < b->ncalls && (i - 1) < ncol * h; i++) {
		int k = i - 1, col = k / h, row = k % h;
		char *s = xasprintf(_("%s → window %d"), b->calls[i].number, b->calls[i].window_no);

		term_print(y0 + 1 + row, l->list_x + col * item_w, item_w - 1, TS_NORMAL, s);
		free(s);
	}
}

static void
board_draw_counts(struct board *b, const struct board_layout *l)
{
	static const enum queue_class order[] = { QC_NORMAL, QC_PRIORITY, QC_APPOINTMENT, QC_GREEN };
	int y = l->counts_y;

	if (l->counts_inline) {
		char line[256] = "";
		size_t len = 0;

		term_fill(y, 0, term_cols(), TS_NORMAL);
		len += (size_t)snprintf(line, sizeof line, "%s", _("Waiting:"));
		for (size_t i = 0; i < sizeof order / sizeof order[0] && len < sizeof line; i++)
			len += (size_t)snprintf(line + len, sizeof line - len, " %s %d",
			    queue_class_name(order[i]), b->counts.waiting[order[i]]);
		term_print(y, l->counts_x, l->counts_w, TS_NORMAL, line);
		return;
	}
	for (int i = 0; i < l->lower_h; i++)
		term_fill(l->lower_y + i, l->counts_x - 1, l->counts_w + 1, TS_NORMAL);
	if (l->lower_h < 1)
		return;
	term_print(y++, l->counts_x, l->counts_w, TS_TITLE, _("Waiting now"));
	for (size_t i = 0; i < sizeof order / sizeof order[0] && y < l->lower_y + l->lower_h; i++) {
		char *label = text_pad(queue_class_name(order[i]), board_label_w(), TEXT_LEFT);
		char *s = xasprintf(_("%s %3d people"), label, b->counts.waiting[order[i]]);

		term_print(y++, l->counts_x, l->counts_w, TS_NORMAL, s);
		free(s);
		free(label);
	}
}

static void
board_draw(struct board *b)
{
	struct board_layout l;

	if (b->dirty == 0)
		return;
	board_layout(b, &l);
	if (b->dirty & BD_HEADER)
		board_draw_header(b);
	if (b->dirty & BD_LATEST)
		board_draw_latest(b, &l);
	if (b->dirty & BD_RECENT)
		board_draw_recent(b, &l);
	if ((b->dirty & BD_COUNTS) && b->have_counts)
		board_draw_counts(b, &l);
	if ((b->dirty & BD_FOOTER) && l.footer_y >= 0) {
		const char *hint = _("Please go to the window when your number is called; missed numbers: "
		    "ask at the guide desk");
		char *today = b->have_hours ? hours_day_text(&b->today) : NULL;
		char *line = today != NULL ? xasprintf(_("Today %s · %s"), today, hint) : xstrdup(hint);

		term_fill(l.footer_y, 0, term_cols(), TS_NORMAL);
		fs_center(l.footer_y, term_cols(), TS_DIM, line);
		free(line);
		free(today);
	}
	term_cursor(0, 0, false);
	term_flush();
	b->dirty = 0;
}

/* ---- the loop ------------------------------------------------------------ */

static int
board_timeout(struct board *b, int esc_wait)
{
	int ms = fs_ms_to_minute();

	if (b->owed)
		return 0;
	if (b->catchup_at > 0) {
		long long r = b->catchup_at - fs_now_ms();

		if (r < ms)
			ms = r < 0 ? 0 : (int)r;
	}
	if (b->rdb != NULL && !db_connected(b->rdb)) {
		long long r = (b->rdb_connecting ? b->rdb_deadline : b->rdb_retry_at) - fs_now_ms();

		if (r < ms)
			ms = r < 0 ? 0 : (int)r;
	}
	if (esc_wait > 0 && esc_wait < ms)
		ms = esc_wait;
	if (b->lost) {
		long long r = b->retry_at - fs_now_ms();

		if (r < ms)
			ms = r < 0 ? 0 : (int)r;
	} else if (b->hours_due > 0) {
		long long r = b->hours_due - fs_now_ms();

		if (r < ms)
			ms = r < 0 ? 0 : (int)r;
	}
	return ms;
}

int
board_run(const struct board_options *opt)
{
	struct board b;
	int esc_wait = 0;

	memset(&b, 0, sizeof b);
	b.opt = opt;
	if (opt->conninfo == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", opt->config_error);
		return 1;
	}
	b.db = db_open(opt->conninfo);
	if (db_connected(b.db)) {
		enum queue_result r = queue_counts(b.db, opt->office, &b.counts);

		if (r == QUEUE_UNKNOWN_OFFICE) {
			conv_fprintf(stderr, "yichuang: %s: %s\n", queue_result_message(r), opt->office);
			db_close(&b.db);
			return 1;
		}
	}
	if (opt->read_conninfo != NULL) {
		b.rdb = db_open_read(opt->read_conninfo);
		b.rdb_retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	}
	b.ink = fs_ink(opt->font);
	b.minute = (long)(time(NULL) / 60);
	fs_signals(board_on_signal);
	term_start();
	b.lost = true;
	board_retry(&b);
	if (b.lost)
		b.retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	b.dirty = BD_ALL;
	term_erase();

	while (!board_signal) {
		struct pollfd fds[3] = { { .fd = 0, .events = POLLIN }, { .fd = -1, .events = POLLIN },
			{ .fd = -1, .events = POLLIN } };
		struct term_key key;
		int r, n;

		board_draw(&b);
		fds[1].fd = !b.lost ? db_socket(b.db) : -1;
		if (b.rdb_connecting) {
			fds[2].fd = db_connecting_socket(b.rdb);
			fds[2].events = b.rdb_step == DB_STEP_READ ? POLLIN : POLLOUT;
		}
		r = poll(fds, 3, board_timeout(&b, esc_wait));
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;
		if (r > 0 && fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = db_consume(b.db);
			if (n < 0)
				board_lost(&b);
			else if (n > 0) {
				b.owed = true;
				b.lsn[0] = '\0';	/* wait for the newest position */
			}
		}
		if (r > 0 && fds[2].fd >= 0 && fds[2].revents != 0)
			board_read_step(&b);
		if (b.owed && !b.lost) {
			b.owed = false;
			board_refresh(&b);
		}
		/* Keys do nothing but a resize; they are read so none pile up. */
		while (!board_signal && term_read_key(&key, &esc_wait))
			if (key.code == K_RESIZE) {
				term_erase();
				b.dirty = BD_ALL;
			}
		if (esc_wait == 1)
			term_key_timeout(&key);
		if ((long)(time(NULL) / 60) != b.minute) {
			b.minute = (long)(time(NULL) / 60);
			b.dirty |= BD_HEADER;
		}
		board_read_retry(&b);
		if (b.lost && fs_now_ms() >= b.retry_at)
			board_retry(&b);
		else if (!b.lost && b.catchup_at > 0 && fs_now_ms() >= b.catchup_at)
			board_refresh(&b);
		else if (!b.lost && b.hours_due > 0 && fs_now_ms() >= b.hours_due)
			board_hours(&b);
	}
	term_stop();
	db_close(&b.rdb);
	db_close(&b.db);
	return 0;
}
