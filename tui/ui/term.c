/* curses behind a small interface; see term.h. */
#include "ui/term.h"

#include <curses.h>
#include <term.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "model/i18n.h"
#include "model/text.h"
#include "util/safetext.h"
#include "util/xalloc.h"

#define TERM_ESC_MS 1000

static bool term_colors;
static bool term_esc_pending;

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
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(200);
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
	if (!isendwin())
		endwin();
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

/* Maps a curses function key to ours. */
static enum term_keycode
term_map(int c)
{
	if (c >= KEY_F(1) && c <= KEY_F(12))
		return (enum term_keycode)(K_F1 + (c - KEY_F(1)));
	switch (c) {
	case KEY_ENTER: return K_ENTER;
	case KEY_BACKSPACE: return K_BACKSPACE;
	case KEY_DC: return K_DELETE;
	case KEY_LEFT: return K_LEFT;
	case KEY_RIGHT: return K_RIGHT;
	case KEY_UP: return K_UP;
	case KEY_DOWN: return K_DOWN;
	case KEY_HOME: return K_HOME;
	case KEY_END: return K_END;
	case KEY_PPAGE: return K_PGUP;
	case KEY_NPAGE: return K_PGDN;
	case KEY_BTAB: return K_BTAB;
	case KEY_RESIZE: return K_RESIZE;
	default: return K_NONE;
	}
}

/* Maps a plain character (not a function key). */
static void
term_char(wint_t c, struct term_key *k)
{
	k->ch = 0;
	switch (c) {
	case '\r': case '\n': k->code = K_ENTER; break;
	case '\t': k->code = K_TAB; break;
	case 0x7f: case 0x08: k->code = K_BACKSPACE; break;
	case 0x15: k->code = K_CTRL_U; break;
	case 0x1b: k->code = K_ESC; break;
	default:
		if (c < 0x20) {
			k->code = K_NONE;
		} else {
			k->code = K_CHAR;
			k->ch = (uint32_t)c;
		}
	}
}

bool
term_read_key(struct term_key *k, int *esc_wait_ms)
{
	static struct timespec esc_at;
	wint_t c;
	int r;

	for (;;) {
		r = get_wch(&c);
		if (r == ERR) {
			if (term_esc_pending) {
				struct timespec now;
				long ms;

				clock_gettime(CLOCK_MONOTONIC, &now);
				ms = (now.tv_sec - esc_at.tv_sec) * 1000 + (now.tv_nsec - esc_at.tv_nsec) / 1000000;
				*esc_wait_ms = ms >= TERM_ESC_MS ? 1 : (int)(TERM_ESC_MS - ms);
			} else
				*esc_wait_ms = 0;
			return false;
		}
		if (r == KEY_CODE_YES) {
			k->code = term_map((int)c);
			k->ch = 0;
		} else
			term_char(c, k);
		if (k->code == K_NONE)
			continue;
		if (term_esc_pending) {
			term_esc_pending = false;
			if (k->code == K_CHAR && k->ch >= '0' && k->ch <= '9') {
				k->code = k->ch == '0' ? K_F10 : (enum term_keycode)(K_F1 + (k->ch - '1'));
				k->ch = 0;
			} else if (k->code != K_ESC) {
				/* The Esc was alone: deliver it now and the key after it next. */
				if (r == KEY_CODE_YES)
					ungetch((int)c);
				else
					unget_wch((wchar_t)c);
				k->code = K_ESC;
				k->ch = 0;
			}
			*esc_wait_ms = 0;
			return true;
		}
		if (k->code == K_ESC) {
			term_esc_pending = true;
			clock_gettime(CLOCK_MONOTONIC, &esc_at);
			continue;
		}
		*esc_wait_ms = 0;
		return true;
	}
}

bool
term_key_timeout(struct term_key *k)
{
	if (!term_esc_pending)
		return false;
	term_esc_pending = false;
	k->code = K_ESC;
	k->ch = 0;
	return true;
}
