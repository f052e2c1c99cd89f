/*
 * What the hall's full-screen programs share: the ticket kiosk and the
 * calling board (tui/queue/kiosk.h, tui/queue/board.h). Each is one small
 * loop in the manner of app.c: poll() on the keyboard and the database
 * socket with a timeout for its next timer, redraw only what a key, a
 * notification or a timer made dirty, never busy-wait. SIGHUP, SIGTERM,
 * SIGINT and a terminal that goes away (POLLHUP) end them; keys never do
 * (they run unattended).
 *
 * The shared drawing helpers below are static inline: this header is
 * their only home, used by kiosk.c, board.c and selfsvc.c (the
 * self-service terminal: the options in large type, the ID number field
 * and its keys are the ticket kiosk's).
 */
#ifndef YC_FULLSCREEN_H
#define YC_FULLSCREEN_H

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "model/bigfont.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/text.h"
#include "ui/term.h"
#include "util/conv.h"
#include "util/xalloc.h"

/* Seconds between reconnection attempts while the database is lost. */
#define FS_RETRY_SECONDS 5

/* Which characters draw large type: "auto" (by the terminal's codeset),
 * "blocks" or "ascii". */
enum fs_font { FS_FONT_AUTO, FS_FONT_BLOCKS, FS_FONT_ASCII };

/* Whether the terminal's codeset can encode the UTF-8 text s. */
static inline bool
fs_encodable(const char *s)
{
	char *t = conv_to_terminal(s);
	bool ok = strchr(t, '?') == NULL;

	free(t);
	return ok;
}

/*
 * The ink for large type on this terminal. auto: block characters on
 * UTF-8 terminals, '#' elsewhere (GB18030 and GBK terminals do not agree
 * on the width of █). blocks: █ ▀ ▄ when the codeset has them, █ alone
 * when it has only that, and the wide form where the C library (and so
 * curses) counts █ as two columns.
 */
static inline enum bigfont_ink
fs_ink(enum fs_font font)
{
	if (font == FS_FONT_ASCII)
		return BF_INK_ASCII;
	if (font == FS_FONT_AUTO)
		return conv_is_utf8() ? BF_INK_HALF : bigfont_ink_for(conv_codeset());
	if (!fs_encodable("█"))
		return BF_INK_ASCII;
	if (wcwidth(0x2588) == 2)
		return BF_INK_WIDE;
	return fs_encodable("▀▄") ? BF_INK_HALF : BF_INK_FULL;
}

/* Draws b with its top-left corner at (y, x). */
static inline void
fs_draw_big(int y, int x, const struct bigfont *b, enum term_style st)
{
	for (int i = 0; i < b->rows; i++)
		term_print(y + i, x, b->width, st, b->line[i]);
}

/* Draws text centred on row y across cols columns (ellipsized when too
 * wide); returns the column it starts at. */
static inline int
fs_center(int y, int cols, enum term_style st, const char *text)
{
	char *t = text_ellipsize(text, cols);
	int w = text_width(t), x = (cols - w) / 2;

	term_print(y, x, w, st, t);
	free(t);
	return x;
}

/* "HH:MM" or, with room, "YYYY-MM-DD HH:MM", of now in China. */
static inline void
fs_clock(char *buf, size_t n, bool date)
{
	struct tm tm;

	cal_tm_cn(time(NULL), &tm);
	if (date)
		strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
	else
		strftime(buf, n, "%H:%M", &tm);
}

/* Milliseconds from now until the next full minute (the clock's timer). */
static inline int
fs_ms_to_minute(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int)((60 - ts.tv_sec % 60) * 1000 - ts.tv_nsec / 1000000);
}

/* Monotonic milliseconds, for timers. */
static inline long long
fs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Installs handler for the signals that end a full-screen program. */
static inline void
fs_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* The top line of the kiosk and the self-service terminal: the office
 * (its name, else its code) and what the terminal is, the clock at the
 * right. */
static inline void
fs_draw_header(const char *office, const char *what)
{
	int cols = term_cols(), cw;
	char clock[32], *name;

	fs_clock(clock, sizeof clock, cols >= 60);
	cw = text_width(clock) + 1;
	term_fill(0, 0, cols, TS_STATUS);
	name = xasprintf(" %s  %s", office, what);
	if (cols - cw > 4) {
		char *t = text_ellipsize(name, cols - cw - 1);

		term_print(0, 0, cols - cw, TS_STATUS, t);
		free(t);
		term_print(0, cols - cw, cw, TS_STATUS, clock);
	} else
		term_print(0, 0, cols, TS_STATUS, clock);
	free(name);
}

/* One option of a start or menu screen in a box at (y, x), h x w: the
 * digit in large type (ink), the label under it, a note (may be NULL)
 * under that. */
static inline void
fs_draw_option(int y, int x, int h, int w, enum bigfont_ink ink, const char *digit,
    const char *label, const char *note)
{
	enum bigfont_size sz = bigfont_fit(digit, ink, w - 4, h - 4, BF_LARGE);
	struct bigfont b;
	int by;

	term_box(y, x, h, w, TS_NORMAL);
	bigfont_render(digit, sz, ink, &b);
	by = y + 1 + (h - 3 - b.rows - (note != NULL ? 1 : 0)) / 2;
	fs_draw_big(by, x + (w - b.width) / 2, &b, TS_TITLE);
	bigfont_free(&b);
	term_print(by + bigfont_height(sz), x + 1 + (w - 2 - text_width(label)) / 2, w - 2, TS_TITLE,
	    label);
	if (note != NULL)
		term_print(by + bigfont_height(sz) + 1, x + 1 + (w - 2 - text_width(note)) / 2, w - 2,
		    TS_DIM, note);
}

/* The input field at row y (a box when rows allow) of the text typed so
 * far (len bytes). idno: an ID number, whose characters after the sixth
 * show as '*', with the count of 18 under it. Returns the row after. */
static inline int
fs_draw_input(int y, int rows, int cols, const char *input, size_t len, bool idno)
{
	char shown[40];
	int w = cols >= 40 ? 36 : cols - 2, x = (cols - w) / 2;

	if (len >= sizeof shown)
		len = sizeof shown - 1;
	memcpy(shown, input, len);
	shown[len] = '\0';
	if (idno)
		for (size_t i = 6; i < len; i++)
			shown[i] = '*';
	if (rows >= 8 && w >= 4) {
		term_box(y, x, 3, w, TS_NORMAL);
		term_fill(y + 1, x + 1, w - 2, TS_FIELD);
		term_print(y + 1, x + 2, w - 4, TS_FIELD, shown);
		y += 3;
	} else
		term_print(y++, x, w, TS_FIELD, shown[0] != '\0' ? shown : "_");
	if (idno) {
		char *count = xasprintf(_("%zu of 18 characters"), len);

		fs_center(y++, cols, TS_DIM, count);
		free(count);
	}
	memset(shown, 0, sizeof shown);
	return y;
}

/* What a key did to an input field (fs_input_key). */
enum fs_input { FS_IN_NONE, FS_IN_CHANGED, FS_IN_ENTER, FS_IN_ESC };

/* Edits the field buf (len bytes, at most max) by key: Backspace, Ctrl-U,
 * and the characters allowed: an ID number's digits and X (x made X) when
 * idno, else digits, ASCII letters and '-'; digits only when digits. */
static inline enum fs_input
fs_input_key(char *buf, size_t *len, size_t max, const struct term_key *key, bool idno,
    bool digits)
{
	uint32_t c = key->ch;
	bool ok;

	switch (key->code) {
	case K_ESC:
		return FS_IN_ESC;
	case K_ENTER:
		return FS_IN_ENTER;
	case K_BACKSPACE:
		if (*len > 0)
			buf[--*len] = '\0';
		return FS_IN_CHANGED;
	case K_CTRL_U:
		*len = 0;
		buf[0] = '\0';
		return FS_IN_CHANGED;
	case K_CHAR:
		ok = (c >= '0' && c <= '9') ||
		    (idno ? (c == 'X' || c == 'x') :
		    !digits && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'));
		if (!ok || *len >= max)
			return FS_IN_NONE;
		if (idno && c == 'x')
			c = 'X';
		buf[(*len)++] = (char)c;
		buf[*len] = '\0';
		return FS_IN_CHANGED;
	default:
		return FS_IN_NONE;
	}
}

#endif
