/*
 * Large type for the hall: ticket numbers and window numbers on the kiosk
 * and the calling board, drawn with text characters.
 *
 * Plain C: no curses, no iconv, no locale. The font is one 5×7 bitmap per
 * glyph for 0-9, A, B, G, Y (a b g y are folded), '-', ':', '.', ' ' and an
 * arrow ('>' or U+2192 →). Rendering turns a string into rows of UTF-8
 * text of equal display width; the caller draws them (term_print) and
 * owns the result (bigfont_free).
 *
 * Sizes, from the smallest (all glyph pixels are square on a terminal
 * whose cells are about twice as tall as wide, except BF_SMALL):
 *   BF_TEXT   the string itself, one row (what is left when nothing fits)
 *   BF_HALF   4 rows; a pixel is one column by half a row (▀ ▄ █)
 *   BF_SMALL  7 rows; a pixel is one column by one row (condensed)
 *   BF_LARGE  7 rows; a pixel is two columns by one row
 *   BF_HUGE  14 rows; a pixel is four columns by two rows
 * Glyphs are separated by one pixel of space; nothing trails the last.
 *
 * Ink: which characters draw a pixel, and how wide the terminal shows
 * them. BF_INK_HALF (█ ▀ ▄, one column each, as UTF-8 terminals show
 * them) allows every size; BF_INK_FULL (█ only, one column) and
 * BF_INK_ASCII ('#') all but BF_HALF. BF_INK_WIDE is █ on a terminal that
 * shows it two columns wide, as GB18030 and GBK terminals (and the C
 * library's wcwidth in those locales) do with East Asian "ambiguous"
 * characters: only BF_LARGE (one █ per pixel) and BF_HUGE (two); there a
 * line's text_width() is half its display width (out->width).
 */
#ifndef YC_MODEL_BIGFONT_H
#define YC_MODEL_BIGFONT_H

#include <stdbool.h>

#define BIGFONT_MAX_ROWS 14

enum bigfont_size { BF_TEXT, BF_HALF, BF_SMALL, BF_LARGE, BF_HUGE, BF_NSIZES };

enum bigfont_ink { BF_INK_ASCII, BF_INK_FULL, BF_INK_HALF, BF_INK_WIDE };

struct bigfont {
	enum bigfont_size size;
	int rows;			/* lines used in line[] */
	int width;			/* display columns of every line */
	char *line[BIGFONT_MAX_ROWS];	/* malloc'd UTF-8; NULL past rows */
};

/* True when every character of s (UTF-8) has a glyph; "" is true. */
bool bigfont_supported(const char *s);
/* Rows a size takes (BF_TEXT: 1). */
int bigfont_height(enum bigfont_size size);
/* Display columns of s at size; -1 when s has a character without a
 * glyph and size is not BF_TEXT. */
int bigfont_width(const char *s, enum bigfont_size size);
/* Whether ink can draw size (BF_HALF needs BF_INK_HALF; BF_INK_WIDE only
 * draws BF_LARGE and BF_HUGE). */
bool bigfont_size_ok(enum bigfont_size size, enum bigfont_ink ink);
/* The largest size no bigger than max (BF_NSIZES - 1 for any) that ink
 * can draw, s supports, and that fits in max_cols × max_rows; BF_TEXT
 * when none does (BF_TEXT itself may still be wider than max_cols). */
enum bigfont_size bigfont_fit(const char *s, enum bigfont_ink ink, int max_cols, int max_rows,
    enum bigfont_size max);
/*
 * Renders s at size into *out (overwritten; free with bigfont_free). When
 * s has a character without a glyph, or ink cannot draw size, renders
 * BF_TEXT instead (out->size tells) and returns false; true otherwise.
 */
bool bigfont_render(const char *s, enum bigfont_size size, enum bigfont_ink ink,
    struct bigfont *out);
/* Frees the lines and zeroes *b. Accepts a zeroed struct. */
void bigfont_free(struct bigfont *b);
/* The ink that is safe for a codeset name as nl_langinfo(CODESET) gives
 * it: UTF-8 → BF_INK_HALF; anything else → BF_INK_ASCII (GB18030 and GBK
 * have █ but terminals disagree on its width there; choose BF_INK_WIDE
 * deliberately where they show it two columns wide). */
enum bigfont_ink bigfont_ink_for(const char *codeset);

#endif
