/*
 * The terminal: the only module that talks to curses directly, besides the
 * drawing helpers views get from here. Text passed in is UTF-8; it is
 * written as wide characters, so the C library converts it to the
 * terminal's codeset (UTF-8, GB18030, GBK). All positions and widths are in
 * display columns.
 */
#ifndef YC_TERM_H
#define YC_TERM_H

#include <stdbool.h>
#include <stdint.h>

enum term_style {
	TS_NORMAL,
	TS_STATUS,	/* the status line */
	TS_KEY,		/* an F-key name in the bar */
	TS_LABEL,	/* an F-key label in the bar */
	TS_TITLE,
	TS_FIELD,	/* an input field */
	TS_FIELD_ACTIVE,
	TS_ERROR,
	TS_OK,
	TS_DIM,
	TS_WARN,	/* near a deadline: yellow (underlined in monochrome) */
	TS_COUNT
};

enum term_keycode {
	K_NONE, K_CHAR, K_ENTER, K_TAB, K_BTAB, K_BACKSPACE, K_DELETE,
	K_LEFT, K_RIGHT, K_UP, K_DOWN, K_HOME, K_END, K_PGUP, K_PGDN,
	K_ESC, K_CTRL_U, K_RESIZE,
	K_F1, K_F2, K_F3, K_F4, K_F5, K_F6, K_F7, K_F8, K_F9, K_F10, K_F11, K_F12,
	K_UNKNOWN	/* an escape sequence this layer does not know: dropped (say so) */
};

struct term_key {
	enum term_keycode code;
	uint32_t ch;		/* the character, for K_CHAR */
	/* The key came in one read with other input (a paste without
	 * brackets, a burst on a slow line) or inside a bracketed paste
	 * (pasted): it never chooses a menu item (ui/prompt.h). */
	bool burst, pasted;
};

/*
 * Whether the terminal TERM names can show a full-screen program: a
 * terminfo description with cursor addressing (cup) and a way to clear
 * the screen (clear). TERM=dumb (an editor's shell buffer, a console set
 * up as a printing terminal), an unset TERM or one the system has no
 * description of cannot: the screens would be unusable. false then, with
 * a malloc'd translated sentence for standard error in *why (what is
 * wrong and what to use instead). Call before term_start.
 */
bool term_usable(char **why);
void term_start(void);
void term_stop(void);
int term_rows(void);
int term_cols(void);
bool term_has_colors(void);

void term_erase(void);
/* Fills cols columns from (y, x) with spaces in style. */
void term_fill(int y, int x, int cols, enum term_style st);
/* Writes text at (y, x), at most maxcols columns and never past the right
 * edge; returns the columns written. A wide character that does not fit
 * is not written. */
int term_print(int y, int x, int maxcols, enum term_style st, const char *utf8);
/* A box outline from (y, x), h rows by w columns. */
void term_box(int y, int x, int h, int w, enum term_style st);
void term_cursor(int y, int x, bool visible);
void term_flush(void);

/*
 * Reads one key if one is waiting (the caller poll()s fd 0 first). The
 * terminal's bytes are read here, not by curses: at most one read() per
 * round, so a caller that loops until false gets the keys of one read and
 * can redraw before the next (a large paste never starves the screen).
 *
 * Every escape sequence is read whole: CSI (ESC [ ... final byte) and SS3
 * (ESC O ...) are matched against the terminal's terminfo keys, then the
 * sequences xterm, vt220, the Linux console, PuTTY and rxvt send (F1-F12,
 * arrows, Home, End, PgUp, PgDn, Delete, Insert, Shift-Tab, whatever TERM
 * says); any other sequence is one K_UNKNOWN, never its bytes as keys.
 * Esc followed by 1-9, 0 (typed apart within a second, or together as
 * Alt-digit sends them) is F1-F10. Bracketed paste (ESC [ 200 ~ ... ESC
 * [ 201 ~, enabled by term_start) delivers its text as characters with
 * pasted set (newlines and tabs as spaces, keys and controls dropped).
 *
 * Returns false at the end of a round. esc_wait_ms is set to how long a
 * pending lone Esc (or an incomplete sequence) may still wait, 0 when
 * none is pending, 1 when its time has passed: then call
 * term_key_timeout().
 */
bool term_read_key(struct term_key *k, int *esc_wait_ms);
/* Delivers what was pending when its time has passed: a lone Esc as
 * K_ESC, an incomplete sequence as K_UNKNOWN; false if nothing is due. */
bool term_key_timeout(struct term_key *k);

#endif
