/* curses behind a small interface; see term.h. */
#include "ui/term.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <term.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "model/i18n.h"
#include "model/text.h"
#include "util/safetext.h"
#include "ui/keyin.h"
#include "util/xalloc.h"

static bool term_colors;
static bool term_paste_mode;	/* bracketed paste was asked of the terminal */
static volatile sig_atomic_t term_winch;

static void term_keys_start(void);

static const struct {
	short fg, bg;
	attr_t color_attr, mono_attr;
} term_styles[TS_COUNT] = {
	[TS_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[TS_STATUS] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[TS_KEY] = { COLOR_WHITE, COLOR_BLACK, A_BOLD, A_BOLD },
	[TS_LABEL] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TS_TITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[TS_FIELD] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[TS_FIELD_ACTIVE] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[TS_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[TS_OK] = { COLOR_GREEN, -1, A_BOLD, A_NORMAL },
	[TS_DIM] = { -1, -1, A_DIM, A_NORMAL },
	[TS_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE },
};

bool
term_usable(char **why)
{
	const char *name = getenv("TERM");
	int err = 0;
	bool ok;

	*why = NULL;
	if (name == NULL || *name == '\0') {
		*why = xstrdup(_("TERM is not set, so the workstation cannot draw its screens. Set TERM to "
		    "the terminal's type (xterm, linux, vt100, putty …) and start it again."));
		return false;
	}
	/* unknown, generic, or no terminfo database at all */
	if (setupterm(NULL, 1, &err) != OK || err != 1) {
		*why = xasprintf(_("This system has no description of the terminal type TERM=%s, so the "
		    "workstation cannot draw its screens. Set TERM to a known type (xterm, linux, vt100, "
		    "putty …) and start it again."), name);
		return false;
	}
	ok = tigetstr("cup") != NULL && tigetstr("cup") != (char *)-1 && tigetstr("clear") != NULL &&
	    tigetstr("clear") != (char *)-1;
	if (cur_term != NULL)
		del_curterm(cur_term);
	if (!ok)
		*why = xasprintf(_("This terminal (TERM=%s) cannot move the cursor, so the workstation's "
		    "screens would be unusable. Use a full-screen terminal (xterm, PuTTY, the Linux console, "
		    "vt100) with TERM set to its type."), name);
	return ok;
}

void
term_start(void)
{
	initscr();
	raw();
	noecho();
	nonl();
	nodelay(stdscr, TRUE);
	/* Input is read here, not by curses (see term_read_key): curses must
	 * never hold back a redraw because input is waiting. */
	typeahead(-1);
	term_keys_start();
	term_colors = has_colors();
	if (term_colors) {
		start_color();
		use_default_colors();
		for (int i = 1; i < TS_COUNT; i++)
			init_pair((short)i, term_styles[i].fg, term_styles[i].bg);
	}
	curs_set(0);
}

void
term_stop(void)
{
	if (!isendwin()) {
		if (term_paste_mode)
			putp("\033[?2004l");
		endwin();
	}
}

int
term_rows(void)
{
	return LINES;
}

int
term_cols(void)
{
	return COLS;
}

bool
term_has_colors(void)
{
	return term_colors;
}

static void
term_style(enum term_style st)
{
	if (term_colors)
		attrset(term_styles[st].color_attr | (st ? COLOR_PAIR(st) : 0));
	else
		attrset(term_styles[st].mono_attr);
}

void
term_erase(void)
{
	term_style(TS_NORMAL);
	erase();
}

void
term_fill(int y, int x, int cols, enum term_style st)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + cols > COLS)
		cols = COLS - x;
	term_style(st);
	for (int i = 0; i < cols; i++)
		mvaddch(y, x + i, ' ');
}

int
term_print(int y, int x, int maxcols, enum term_style st, const char *s)
{
	wchar_t buf[256];
	int used = 0, n = 0;
	size_t len = strlen(s), i = 0;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (maxcols > COLS - x)
		maxcols = COLS - x;
	while (i < len && n < (int)(sizeof buf / sizeof buf[0]) - 1) {
		uint32_t cp;
		int k = text_decode(s + i, len - i, &cp), w;

		if (k < 0) {
			cp = 0xFFFD;
			k = 1;
		}
		w = text_cp_width(cp);
		/* controls and bidirectional overrides (util/safetext.h) are
		 * shown, never obeyed */
		if (cp == 0 || safetext_forbidden(cp))
			cp = '?', w = 1;
		if (used + w > maxcols)
			break;
		buf[n++] = (wchar_t)cp;
		used += w;
		i += (size_t)k;
	}
	buf[n] = L'\0';
	term_style(st);
	mvaddnwstr(y, x, buf, n);
	return used;
}

void
term_box(int y, int x, int h, int w, enum term_style st)
{
	if (h < 2 || w < 2)
		return;
	term_style(st);
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
}

void
term_cursor(int y, int x, bool visible)
{
	if (visible && y >= 0 && y < LINES && x >= 0 && x < COLS) {
		move(y, x);
		curs_set(1);
	} else
		curs_set(0);
}

void
term_flush(void)
{
	refresh();
}

/* ---- keys -------------------------------------------------------------- */

static struct keyin term_keys;
static bool term_round_read;	/* this round's read() is done */

static long long
term_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
term_on_winch(int sig)
{
	(void)sig;
	term_winch = 1;
}

/* Gives the decoder terminfo's keys, enables bracketed paste on ANSI
 * terminals and takes SIGWINCH (curses would see it only in getch(),
 * never called). */
static void
term_keys_start(void)
{
	static const struct {
		const char *cap;
		enum term_keycode code;
	} caps[] = {
		{ "kf1", K_F1 }, { "kf2", K_F2 }, { "kf3", K_F3 }, { "kf4", K_F4 }, { "kf5", K_F5 },
		{ "kf6", K_F6 }, { "kf7", K_F7 }, { "kf8", K_F8 }, { "kf9", K_F9 }, { "kf10", K_F10 },
		{ "kf11", K_F11 }, { "kf12", K_F12 }, { "kcuu1", K_UP }, { "kcud1", K_DOWN },
		{ "kcub1", K_LEFT }, { "kcuf1", K_RIGHT }, { "khome", K_HOME }, { "kend", K_END },
		{ "kpp", K_PGUP }, { "knp", K_PGDN }, { "kdch1", K_DELETE }, { "kcbt", K_BTAB },
		{ "kent", K_ENTER }, { "kich1", K_NONE },
	};
	struct sigaction sa;
	const char *cup = tigetstr("cup");

	keyin_init(&term_keys);
	term_round_read = false;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char *seq = tigetstr(caps[i].cap);

		if (seq != (char *)-1)
			keyin_terminfo(&term_keys, seq, caps[i].code);
	}
	term_paste_mode = cup != NULL && cup != (char *)-1 && strncmp(cup, "\033[", 2) == 0;
	if (term_paste_mode)
		putp("\033[?2004h");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_on_winch;
	sigaction(SIGWINCH, &sa, NULL);
}

/* One read() of what is waiting on fd 0, into the decoder. */
static bool
term_read_chunk(void)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	unsigned char buf[KEYIN_READ];
	ssize_t n;

	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
		return false;
	n = read(0, buf, sizeof buf);
	if (n <= 0)
		return false;
	keyin_feed(&term_keys, buf, (size_t)n, term_now_ms());
	return true;
}

bool
term_read_key(struct term_key *k, int *wait_ms)
{
	if (term_winch) {
		struct winsize ws;

		term_winch = 0;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
			resizeterm(ws.ws_row, ws.ws_col);
		memset(k, 0, sizeof *k);
		k->code = K_RESIZE;
		*wait_ms = keyin_wait(&term_keys, term_now_ms());
		return true;
	}
	if (!keyin_next(&term_keys, k)) {
		/* one read() a round: the caller redraws between them */
		if (term_round_read || !term_read_chunk() || !keyin_next(&term_keys, k)) {
			term_round_read = false;
			*wait_ms = keyin_wait(&term_keys, term_now_ms());
			return false;
		}
		term_round_read = true;
	}
	*wait_ms = keyin_wait(&term_keys, term_now_ms());
	return true;
}

bool
term_key_timeout(struct term_key *k)
{
	return keyin_timeout(&term_keys, term_now_ms()) && keyin_next(&term_keys, k);
}
