/* curses behind a small interface; see term.h. */
#include "ui/term.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "model/text.h"

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
		if (cp < 0x20 || cp == 0x7f)
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

#define TERM_ESC_MS 1000	/* a lone Esc waits this long for a digit, a sequence for its end */
#define TERM_READ 4096		/* bytes per read() */
#define TERM_SEQ_MAX 64		/* an escape sequence longer than this is dropped */

/* Internal results of the sequence parser besides enum term_keycode. */
enum { TERM_PASTE_ON = K_UNKNOWN + 1, TERM_PASTE_OFF, TERM_MORE };

/* Bytes read but not decoded yet: an incomplete sequence or character,
 * always at the front. */
static unsigned char term_in[TERM_READ + TERM_SEQ_MAX];
static size_t term_in_len;
static bool term_carry_alone;	/* they were all their read() held */
static long long term_carry_ms;	/* when they came */
/* Keys decoded from the last read, not delivered yet. */
static struct term_key term_q[TERM_READ + TERM_SEQ_MAX];
static size_t term_q_head, term_q_len;
static bool term_round_read;	/* this round's read() is done */
static bool term_pasting, term_paste_cr;
static long long term_last_ms;	/* when the last byte came */

/* The terminal's own key strings (terminfo), matched before the usual ones. */
static struct {
	const char *seq;
	enum term_keycode code;
} term_ti[32];
static size_t term_nti;

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

/* Reads terminfo's keys, enables bracketed paste on ANSI terminals and
 * takes SIGWINCH (curses would only see it in getch(), never called). */
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

	term_nti = 0;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char *seq = tigetstr(caps[i].cap);

		if (seq != NULL && seq != (char *)-1 && seq[0] == '\033' && seq[1] != '\0' &&
		    strlen(seq) <= TERM_SEQ_MAX && term_nti < sizeof term_ti / sizeof term_ti[0]) {
			term_ti[term_nti].seq = seq;
			term_ti[term_nti++].code = caps[i].code;
		}
	}
	term_paste_mode = cup != NULL && cup != (char *)-1 && strncmp(cup, "\033[", 2) == 0;
	if (term_paste_mode)
		putp("\033[?2004h");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_on_winch;
	sigaction(SIGWINCH, &sa, NULL);
}

/* Queues a decoded key. Inside a bracketed paste only characters (and
 * the note of a dropped sequence) are kept. */
static void
term_emit(int code, uint32_t ch)
{
	struct term_key *k;

	if (code == K_NONE || (term_pasting && code != K_CHAR && code != K_UNKNOWN))
		return;
	if (code == K_CHAR)
		term_paste_cr = false;
	if (term_q_head + term_q_len >= sizeof term_q / sizeof term_q[0])
		return;
	k = &term_q[term_q_head + term_q_len++];
	k->code = (enum term_keycode)code;
	k->ch = code == K_CHAR ? ch : 0;
	k->burst = false;
	k->pasted = term_pasting;
}

/* A C0 control byte or DEL. */
static void
term_control(unsigned char b)
{
	if (term_pasting) {
		/* pasted lines and tabs join the text with a space */
		if (b == '\n' && term_paste_cr) {
			term_paste_cr = false;
			return;
		}
		if (b == '\r' || b == '\n' || b == '\t')
			term_emit(K_CHAR, ' ');
		term_paste_cr = b == '\r';
		return;
	}
	switch (b) {
	case '\r': case '\n': term_emit(K_ENTER, 0); break;
	case '\t': term_emit(K_TAB, 0); break;
	case 0x7f: case 0x08: term_emit(K_BACKSPACE, 0); break;
	case 0x15: term_emit(K_CTRL_U, 0); break;
	default: break;	/* other controls do nothing */
	}
}

/* The first number of a CSI/SS3 parameter string (0 when none); false
 * when the sequence has private markers or intermediates. */
static bool
term_param(const unsigned char *p, size_t n, int *first)
{
	bool in_first = true;

	*first = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			if (in_first && *first < 10000)
				*first = *first * 10 + (p[i] - '0');
		} else if (p[i] == ';')
			in_first = false;
		else
			return false;
	}
	return true;
}

/* What the complete sequence s (n bytes, from the Esc) means: terminfo's
 * keys first, then what common terminals send. *ch gets the character of
 * an application-keypad key. */
static int
term_sequence(const unsigned char *s, size_t n, uint32_t *ch)
{
	unsigned char fin = s[n - 1];
	int p1;

	*ch = 0;
	for (size_t i = 0; i < term_nti; i++)
		if (strlen(term_ti[i].seq) == n && memcmp(term_ti[i].seq, s, n) == 0)
			return term_ti[i].code;
	if (s[1] == '[' && n == 4 && s[2] == '[')	/* the Linux console's F1-F5 */
		return fin >= 'A' && fin <= 'E' ? K_F1 + (fin - 'A') : K_UNKNOWN;
	if (!term_param(s + 2, n - 3, &p1))
		return K_UNKNOWN;
	switch (fin) {
	case 'A': return K_UP;
	case 'B': return K_DOWN;
	case 'C': return K_RIGHT;
	case 'D': return K_LEFT;
	case 'H': return K_HOME;
	case 'F': return K_END;
	case 'P': case 'Q': case 'R': case 'S':
		/* F1-F4, possibly with modifiers (ESC [ 1 ; 2 P); not a
		 * cursor position report (ESC [ row ; col R) */
		return p1 <= 1 ? K_F1 + (fin - 'P') : K_UNKNOWN;
	default:
		break;
	}
	if (s[1] == '[') {
		if (fin == 'Z')
			return K_BTAB;
		if (fin != '~')
			return K_UNKNOWN;
		switch (p1) {
		case 1: case 7: return K_HOME;
		case 2: return K_NONE;		/* Insert: known, does nothing */
		case 3: return K_DELETE;
		case 4: case 8: return K_END;
		case 5: return K_PGUP;
		case 6: return K_PGDN;
		case 11: case 12: case 13: case 14: case 15: return K_F1 + (p1 - 11);
		case 17: case 18: case 19: case 20: case 21: return K_F6 + (p1 - 17);
		case 23: case 24: return K_F11 + (p1 - 23);
		case 200: return TERM_PASTE_ON;
		case 201: return TERM_PASTE_OFF;
		default: return K_UNKNOWN;
		}
	}
	/* SS3: the application keypad */
	if (fin == 'M')
		return K_ENTER;
	if (fin >= 'p' && fin <= 'y') {
		*ch = '0' + (uint32_t)(fin - 'p');
		return K_CHAR;
	}
	if (fin >= 'j' && fin <= 'o') {
		*ch = (uint32_t)"*+,-./"[fin - 'j'];
		return K_CHAR;
	}
	return K_UNKNOWN;
}

/*
 * Decodes the escape at s (len bytes available). Sets *used and queues
 * the key; TERM_MORE when more bytes are needed (never when final: then
 * what is there is decided).
 */
static int
term_escape(const unsigned char *s, size_t len, bool final, size_t *used)
{
	unsigned char c;
	size_t j;
	uint32_t ch;
	int code;

	if (len == 1) {
		if (!final)
			return TERM_MORE;
		term_emit(K_ESC, 0);
		*used = 1;
		return 0;
	}
	c = s[1];
	if (c >= '0' && c <= '9') {		/* Esc-digit: F1-F10 */
		term_emit(c == '0' ? K_F10 : K_F1 + (c - '1'), 0);
		*used = 2;
		return 0;
	}
	if (c == '[' || c == 'O') {
		j = 2;
		if (c == '[' && len > 2 && s[2] == '[')
			j = 3;			/* ESC [ [ A: one more byte */
		else if (c == '[')
			while (j < len && s[j] >= 0x20 && s[j] <= 0x3f)
				j++;
		else
			while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';'))
				j++;
		if (j >= len) {
			if (!final && len < TERM_SEQ_MAX)
				return TERM_MORE;
			term_emit(K_UNKNOWN, 0);
			*used = len;
			return 0;
		}
		if (s[j] < 0x40 || s[j] > 0x7e) {
			/* cut short by a byte no sequence holds: drop the part */
			term_emit(K_UNKNOWN, 0);
			*used = j;
			return 0;
		}
		*used = j + 1;
		code = term_sequence(s, j + 1, &ch);
		if (code == TERM_PASTE_ON) {
			term_pasting = true;
			term_paste_cr = false;
		} else if (code == TERM_PASTE_OFF)
			term_pasting = false;
		else
			term_emit(code, ch);
		return 0;
	}
	/* A lone Esc, and what follows is keys of its own: Esc then a letter
	 * typed quickly (or Alt-letter) is Esc and the letter, as before. */
	term_emit(K_ESC, 0);
	*used = 1;
	return 0;
}

/* Decodes term_in; what cannot be decided yet stays at its front (unless
 * final). Returns how many keys (dropped ones included) were decoded. */
static size_t
term_decode(bool final)
{
	size_t i = 0, items = 0;

	while (i < term_in_len) {
		unsigned char b = term_in[i];
		mbstate_t st;
		wchar_t wc;
		size_t n;

		if (b == 0x1b) {
			if (term_escape(term_in + i, term_in_len - i, final, &n) == TERM_MORE)
				break;
			i += n;
		} else if (b < 0x20 || b == 0x7f) {
			term_control(b);
			i++;
		} else if (b < 0x80) {
			term_emit(K_CHAR, b);
			i++;
		} else {
			/* a character of the locale's codeset (UTF-8, GB18030, GBK) */
			memset(&st, 0, sizeof st);
			n = mbrtowc(&wc, (const char *)term_in + i, term_in_len - i, &st);
			if (n == (size_t)-2 && !final)
				break;
			if (n == (size_t)-2)
				n = term_in_len - i;
			else if (n == (size_t)-1 || n == 0)
				n = 1;
			else if (wc >= 0xa0 || (wc >= 0x20 && wc < 0x7f))
				term_emit(K_CHAR, (uint32_t)wc);
			i += n;	/* C1 controls and broken bytes are dropped */
		}
		items++;
	}
	memmove(term_in, term_in + i, term_in_len - i);
	term_in_len -= i;
	return items;
}

/* Marks the keys queued from index from on: a key is alone only when
 * its read held nothing else. */
static void
term_mark(size_t from, bool alone)
{
	for (size_t i = from; i < term_q_head + term_q_len; i++)
		term_q[i].burst = !alone;
}

/* One read() of what is waiting on fd 0, decoded into the queue. */
static bool
term_read_chunk(void)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	size_t carried = term_in_len, from = term_q_head + term_q_len, items;
	long long now;
	ssize_t n;

	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
		return false;
	n = read(0, term_in + term_in_len, TERM_READ);
	if (n <= 0)
		return false;
	now = term_now_ms();
	if (term_pasting && now - term_last_ms >= TERM_ESC_MS)
		term_pasting = false;	/* the end of a paste was lost */
	term_last_ms = now;
	term_in_len += (size_t)n;
	items = term_decode(false);
	term_mark(from, items == 1 && term_in_len == 0 && (carried == 0 || term_carry_alone));
	if (term_in_len > 0) {
		term_carry_alone = items == 0 && (carried == 0 || term_carry_alone);
		term_carry_ms = now;
	}
	return true;
}

static void
term_wait(int *wait_ms)
{
	long long left;

	if (term_in_len == 0) {
		*wait_ms = 0;
		return;
	}
	left = term_carry_ms + TERM_ESC_MS - term_now_ms();
	*wait_ms = left <= 1 ? 1 : (int)left;
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
		term_wait(wait_ms);
		return true;
	}
	if (term_q_len == 0) {
		if (term_round_read) {
			term_round_read = false;
			term_wait(wait_ms);
			return false;
		}
		term_q_head = 0;
		term_round_read = true;
		if (!term_read_chunk() || term_q_len == 0) {
			term_round_read = false;
			term_wait(wait_ms);
			return false;
		}
	}
	*k = term_q[term_q_head++];
	term_q_len--;
	term_wait(wait_ms);
	return true;
}

bool
term_key_timeout(struct term_key *k)
{
	size_t from;

	if (term_in_len == 0 || term_now_ms() - term_carry_ms < TERM_ESC_MS)
		return false;
	if (term_q_len == 0)
		term_q_head = 0;
	from = term_q_head + term_q_len;
	term_decode(true);
	term_mark(from, term_carry_alone);
	if (term_q_len == 0)
		return false;
	*k = term_q[term_q_head++];
	term_q_len--;
	return true;
}
