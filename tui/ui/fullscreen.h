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
 * their only home, used by kiosk.c and board.c.
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
#include "model/text.h"
#include "ui/term.h"
#include "util/conv.h"

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

#endif
