/*
 * Characters no stored text and no printed document may carry: the C0
 * controls (U+0001..U+001F), DEL and the C1 controls (U+007F..U+009F),
 * the bidirectional formatting characters (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069) and the line and paragraph separators
 * (U+2028, U+2029). A terminal or a printer obeys them (ESC [ 4 i ends a
 * pass-through print, ESC [ 2 J clears the screen) or shows the text in
 * another order than it is stored; the database refuses the same set
 * (yc.text_safe, db/functions/core.sql).
 *
 * Text is UTF-8; a byte that does not begin a valid UTF-8 sequence counts
 * as forbidden too (a lone 0x9B is CSI to an 8-bit terminal).
 */
#ifndef YC_SAFETEXT_H
#define YC_SAFETEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether code point c is one of them (a newline and a tab are). */
bool safetext_forbidden(uint32_t c);
/* True when s (NUL-terminated, NULL allowed) holds none of them. */
bool safetext_ok(const char *s);
/* True when s holds none of them but newlines (a multi-line document). */
bool safetext_ok_lines(const char *s);
/*
 * A malloc'd copy of s without them, for printing: each forbidden
 * character is dropped, a tab becomes a space, newlines stay (CR LF
 * becomes LF). Never NULL; s NULL gives "".
 */
char *safetext_strip(const char *s);

#endif
