/*
 * UTF-8 text and terminal display width.
 *
 * All text inside yichuang is UTF-8. Layout is done in display columns,
 * never in bytes: a CJK ideograph takes 2 columns ("欧阳娜娜" is 8 columns,
 * 12 bytes), combining marks and control characters take 0.
 *
 * Nothing here depends on the C library locale (no mbrtowc, no wcwidth):
 * results are identical under LANG=C and LANG=zh_CN.UTF-8. The width table
 * is our own, built from the East Asian Width property (W and F) plus the
 * zero-width general categories Mn/Me/Cf that matter for our data.
 *
 * Invalid input never crashes and never reads past the given length or the
 * terminating NUL: each byte that does not start a valid, shortest-form
 * sequence is taken as a single 1-column character (shown as U+FFFD by
 * the UI). Functions that return strings return malloc'd memory (from
 * util/xalloc.h, never NULL) which the caller frees with free().
 */
#ifndef YC_MODEL_TEXT_H
#define YC_MODEL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Alignment values for text_pad(). */
#define TEXT_LEFT   (-1)
#define TEXT_CENTRE 0
#define TEXT_RIGHT  1

/*
 * Decodes one code point from the len bytes at s into *cp.
 * Returns the number of bytes consumed (1..4). Returns -1, leaving *cp
 * unchanged, when len is 0, the sequence is truncated (fewer than len
 * bytes needed are available), has a bad continuation byte, is overlong
 * (e.g. C0 80), encodes a surrogate (U+D800..U+DFFF, e.g. ED A0 80) or a
 * value above U+10FFFF. Callers then consume one byte as U+FFFD.
 * A NUL byte decodes as U+0000 (1 byte); s is not assumed NUL-terminated.
 */
int text_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Encodes cp into out (not NUL-terminated). Returns the bytes written
 * (1..4), or 0 (out untouched) for a surrogate or a value above U+10FFFF.
 */
size_t text_encode(uint32_t cp, char out[4]);

/* True when the len bytes at s are entirely valid UTF-8 (len 0 is valid). */
bool text_valid(const char *s, size_t len);

/*
 * Display columns of one code point: 0 for C0/C1 controls, DEL, combining
 * marks and zero-width format characters (U+0300..036F, U+200B..200F,
 * U+FE00..FE0F, ...); 2 for East Asian Wide/Fullwidth; 1 otherwise
 * (including surrogates and out-of-range values, which the UI shows as
 * U+FFFD).
 */
/*
 * Replaces the width of non-ASCII code points (a negative result falls back
 * to the built-in table). The program installs the C library's wcwidth
 * when the terminal's codeset is GB18030 or GBK: such terminals draw every
 * character with a two-byte GBK encoding (… · │ → α) two columns wide, and
 * curses counts the same way, so layout must too. NULL restores the table.
 */
void text_set_width_override(int (*fn)(uint32_t cp));
int text_cp_width(uint32_t cp);

/* Display columns of the NUL-terminated string s (invalid bytes: 1 each).
 * s == NULL gives 0. */
int text_width(const char *s);
/* Characters (code points) of the NUL-terminated string s, as a text
 * message counts them (invalid bytes: 1 each). s == NULL gives 0. */
size_t text_chars(const char *s);

/*
 * Byte length of the longest prefix of the NUL-terminated s whose width is
 * <= cols (cols < 0 is taken as 0). Never splits a code point and never
 * includes half of a wide character. Zero-width characters directly after
 * the last fitting character are included (they belong to it). If used is
 * non-NULL it receives the prefix's width, which may be cols - 1 when the
 * next character is wide.
 */
size_t text_fit(const char *s, int cols, int *used);

/*
 * Returns a malloc'd copy of s fitted to exactly max(cols, 0) columns:
 * truncated (plainly, as text_fit) when too wide, then padded with spaces
 * according to align (TEXT_LEFT: text on the left; TEXT_CENTRE: extra
 * space on the right when odd; TEXT_RIGHT: text on the right; any other
 * value is treated as its sign). When truncation stops before a wide
 * character the missing column becomes a space. Invalid bytes are copied
 * as they are. s == NULL is taken as "".
 */
char *text_pad(const char *s, int cols, int align);

/*
 * Returns a malloc'd copy of s that fits in max(cols, 0) columns: s itself
 * when it fits, otherwise the longest prefix that fits in cols - 1 columns
 * followed by "…" (U+2026, 1 column). Not padded: the result's width is
 * <= cols (cols - 1 possible when a wide character did not fit).
 * cols <= 0 gives "". s == NULL is taken as "".
 */
char *text_ellipsize(const char *s, int cols);

/*
 * Byte offset of the start of the code point that ends at pos in s (for
 * backspace / cursor-left in an edit field). pos == 0 gives 0. When the
 * bytes before pos are not a valid sequence ending exactly at pos, gives
 * pos - 1 (one invalid byte is one character, consistent with
 * text_decode). Reads only s[0..pos-1].
 */
size_t text_prev(const char *s, size_t pos);

/*
 * Wraps every line of text to at most cols display columns (CJK two wide;
 * breaks anywhere between characters, since Chinese has no spaces).
 * Continuation lines are indented under the start of the line's text: past
 * its leading spaces and a list marker ("12. ", "a) ", "· "). A line whose
 * indent leaves fewer than 8 columns is not indented further. Spaces at a
 * break are dropped (they would start the continuation). Malloc'd; lines
 * end with '\n'.
 */
char *text_wrap(const char *text, int cols);

#endif
