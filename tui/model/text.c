/* UTF-8 decoding and display width, independent of the locale; see text.h. */
#include "model/text.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct cp_range {
	uint32_t lo, hi;
};

/*
 * Zero-width code points: controls, combining marks (Mn/Me) of the scripts
 * we may meet, Hangul medial/final jamo, and format characters (Cf).
 * Sorted, non-overlapping. Checked before the wide table, so a combining
 * mark inside a wide block (U+302A..302D, U+3099..309A) is 0.
 */
static const struct cp_range zero_ranges[] = {
	{ 0x00000, 0x0001F }, { 0x0007F, 0x0009F }, { 0x00300, 0x0036F },
	{ 0x00483, 0x00489 }, { 0x00591, 0x005BD }, { 0x005BF, 0x005BF },
	{ 0x005C1, 0x005C2 }, { 0x005C4, 0x005C5 }, { 0x005C7, 0x005C7 },
	{ 0x00610, 0x0061A }, { 0x0061C, 0x0061C }, { 0x0064B, 0x0065F },
	{ 0x00670, 0x00670 }, { 0x006D6, 0x006DC }, { 0x006DF, 0x006E4 },
	{ 0x006E7, 0x006E8 }, { 0x006EA, 0x006ED }, { 0x00E31, 0x00E31 },
	{ 0x00E34, 0x00E3A }, { 0x00E47, 0x00E4E }, { 0x01160, 0x011FF },
	{ 0x0180B, 0x0180F }, { 0x01AB0, 0x01AFF }, { 0x01DC0, 0x01DFF },
	{ 0x0200B, 0x0200F }, { 0x02028, 0x0202E }, { 0x02060, 0x02064 },
	{ 0x02066, 0x0206F }, { 0x020D0, 0x020FF }, { 0x0302A, 0x0302D },
	{ 0x03099, 0x0309A }, { 0x0FE00, 0x0FE0F }, { 0x0FE20, 0x0FE2F },
	{ 0x0FEFF, 0x0FEFF }, { 0x0FFF9, 0x0FFFB }, { 0x1D167, 0x1D169 },
	{ 0x1D173, 0x1D182 }, { 0xE0001, 0xE0001 }, { 0xE0020, 0xE007F },
	{ 0xE0100, 0xE01EF },
};

/* East Asian Wide (W) and Fullwidth (F) blocks. Sorted, non-overlapping. */
static const struct cp_range wide_ranges[] = {
	{ 0x01100, 0x0115F }, { 0x0231A, 0x0231B }, { 0x02329, 0x0232A },
	{ 0x02E80, 0x0303E }, { 0x03041, 0x033FF }, { 0x03400, 0x04DBF },
	{ 0x04E00, 0x09FFF }, { 0x0A000, 0x0A4CF }, { 0x0A960, 0x0A97F },
	{ 0x0AC00, 0x0D7A3 }, { 0x0F900, 0x0FAFF }, { 0x0FE10, 0x0FE19 },
	{ 0x0FE30, 0x0FE4F }, { 0x0FE50, 0x0FE6B }, { 0x0FF00, 0x0FF60 },
	{ 0x0FFE0, 0x0FFE6 }, { 0x1B000, 0x1B2FF }, { 0x1F300, 0x1F64F },
	{ 0x1F680, 0x1F6C5 }, { 0x1F900, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
	{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};

static bool
in_table(uint32_t cp, const struct cp_range *t, size_t n)
{
	size_t lo = 0, hi = n;

	if (n == 0 || cp < t[0].lo || cp > t[n - 1].hi)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < t[mid].lo)
			hi = mid;
		else if (cp > t[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int (*text_width_override)(uint32_t cp);

void
text_set_width_override(int (*fn)(uint32_t cp))
{
	text_width_override = fn;
}

int
text_cp_width(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	if (text_width_override != NULL && cp >= 0x80) {
		int w = text_width_override(cp);

		if (w >= 0)
			return w;
	}
	if (in_table(cp, zero_ranges, NELEM(zero_ranges)))
		return 0;
	if (in_table(cp, wide_ranges, NELEM(wide_ranges)))
		return 2;
	return 1;
}

int
text_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t v, min;
	size_t need, i;

	if (len == 0)
		return -1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		need = 2;
		v = u[0] & 0x1F;
		min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		need = 3;
		v = u[0] & 0x0F;
		min = 0x800;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		need = 4;
		v = u[0] & 0x07;
		min = 0x10000;
	} else {
		/* continuation byte, C0/C1 (always overlong), F5..FF */
		return -1;
	}
	if (len < need)
		return -1;
	for (i = 1; i < need; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (u[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*cp = v;
	return (int)need;
}

size_t
text_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

bool
text_valid(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		int n = text_decode(s + i, len - i, &cp);

		if (n < 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

/*
 * One step over the NUL-terminated string at s (which must not be at its
 * NUL): stores the character's width in *w and returns its byte length.
 * Only looks at bytes up to the terminating NUL: a NUL inside a would-be
 * sequence makes it invalid, and strnlen bounds the look-ahead.
 */
static size_t
step(const char *s, int *w)
{
	uint32_t cp;
	int n = text_decode(s, strnlen(s, 4), &cp);

	if (n < 0) {
		*w = 1;
		return 1;
	}
	*w = text_cp_width(cp);
	return (size_t)n;
}

size_t
text_chars(const char *s)
{
	size_t n = 0;

	while (s != NULL && *s != '\0') {
		int w;

		s += step(s, &w);
		n++;
	}
	return n;
}

int
text_width(const char *s)
{
	int total = 0;

	if (s == NULL)
		return 0;
	while (*s != '\0') {
		int w;

		s += step(s, &w);
		total += w;
	}
	return total;
}

size_t
text_fit(const char *s, int cols, int *used)
{
	size_t pos = 0;
	int width = 0;

	if (cols < 0)
		cols = 0;
	if (s != NULL) {
		while (s[pos] != '\0') {
			int w;
			size_t n = step(s + pos, &w);

			if (width + w > cols)
				break;
			width += w;
			pos += n;
		}
	}
	if (used != NULL)
		*used = width;
	return pos;
}

char *
text_pad(const char *s, int cols, int align)
{
	int used, pad, left;
	size_t n;
	char *out;

	if (s == NULL)
		s = "";
	if (cols < 0)
		cols = 0;
	n = text_fit(s, cols, &used);
	pad = cols - used;
	if (align < 0)
		left = 0;
	else if (align == 0)
		left = pad / 2;
	else
		left = pad;
	out = xmalloc(n + (size_t)pad + 1);
	memset(out, ' ', (size_t)left);
	memcpy(out + left, s, n);
	memset(out + left + n, ' ', (size_t)(pad - left));
	out[n + (size_t)pad] = '\0';
	return out;
}

char *
text_ellipsize(const char *s, int cols)
{
	static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026 */
	size_t n;
	char *out;

	if (s == NULL || cols <= 0)
		return xstrdup("");
	n = text_fit(s, cols, NULL);
	if (s[n] == '\0')
		return xstrdup(s);
	/* The ellipsis is one column, or two where the terminal draws it so. */
	n = text_fit(s, cols - text_cp_width(0x2026), NULL);
	out = xmalloc(n + sizeof(ellipsis));
	memcpy(out, s, n);
	memcpy(out + n, ellipsis, sizeof(ellipsis));
	return out;
}

size_t
text_prev(const char *s, size_t pos)
{
	size_t start;
	uint32_t cp;

	if (pos == 0)
		return 0;
	start = pos - 1;
	while (start > 0 && pos - start < 4 &&
	       ((unsigned char)s[start] & 0xC0) == 0x80)
		start--;
	if (text_decode(s + start, pos - start, &cp) == (int)(pos - start))
		return start;
	return pos - 1;
}

/* Whether the character at s is one of list[0..n-1]. */
static bool
text_starts_with_one_of(const char *s, const uint32_t *list, size_t n)
{
	uint32_t cp;

	if (text_decode(s, strlen(s), &cp) <= 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (list[i] == cp)
			return true;
	return false;
}

/* Closing punctuation: never begins a line. */
static bool
text_no_line_start(const char *s)
{
	static const uint32_t closing[] = {
		',', '.', ')', ']', '}', '%', ';', ':', '!', '?',
		0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0xFF09, 0xFF3D,
		0x300D, 0x300F, 0x300B, 0x3009, 0x3011, 0x3015, 0x3017, 0x2026, 0x2019, 0x201D,
	};

	return text_starts_with_one_of(s, closing, sizeof closing / sizeof closing[0]);
}

/* Opening brackets: never end a line. */
static bool
text_is_opening(const char *s)
{
	static const uint32_t opening[] = {
		'(', '[', '{', 0xFF08, 0xFF3B, 0x300C, 0x300E, 0x300A, 0x3008, 0x3010, 0x3014, 0x3016,
		0x2018, 0x201C,
	};

	return text_starts_with_one_of(s, opening, sizeof opening / sizeof opening[0]);
}

/* Columns of a line's leading spaces and list marker ("12. ", "a) ", "· "). */
static int
text_hang(const char *line, size_t len)
{
	size_t i = 0, j;

	while (i < len && line[i] == ' ')
		i++;
	j = i;
	while (j < len && line[j] >= '0' && line[j] <= '9')
		j++;
	if (j > i && j + 1 < len && line[j] == '.' && line[j + 1] == ' ')
		return (int)(j + 2);
	if (i + 2 < len && line[i] >= 'a' && line[i] <= 'z' && line[i + 1] == ')' && line[i + 2] == ' ')
		return (int)(i + 3);
	if (i + 2 < len && strncmp(line + i, "\xC2\xB7 ", 3) == 0)	/* "· " */
		return (int)i + text_cp_width(0xB7) + 1;
	return (int)i;
}

char *
text_wrap(const char *text, int cols)
{
	size_t cap = strlen(text) * 2 + 16, n = 0;
	char *out = xmalloc(cap);
	const char *line = text;

	if (cols < 8)
		cols = 8;
	while (*line != '\0') {
		const char *eol = strchr(line, '\n');
		size_t len = eol != NULL ? (size_t)(eol - line) : strlen(line);
		char *one = xstrndup(line, len), *s = one;
		int hang = text_hang(one, len);
		bool first = true;

		if (cols - hang < 8)
			hang = 0;
		do {
			int room = first ? cols : cols - hang;
			size_t k = text_fit(s, room, NULL), need;

			/* 禁则: closing punctuation never starts a line; the character
			 * before it goes down with it. */
			if (k > 0 && s[k] != '\0' && text_no_line_start(s + k)) {
				size_t back = text_prev(s, k);

				if (back > 0)
					k = back;
			}
			/* ... and an opening bracket never ends one. */
			if (k > 0 && s[k] != '\0') {
				size_t last = text_prev(s, k);

				if (last > 0 && text_is_opening(s + last))
					k = last;
			}
			if (k == 0 && *s != '\0') {
				uint32_t cp;
				int d = text_decode(s, strlen(s), &cp);

				k = d > 0 ? (size_t)d : 1;	/* wider than the room: never loop */
			}
			need = (first ? 0 : (size_t)hang) + k + 2;
			if (n + need >= cap) {
				cap = (n + need) * 2;
				out = xrealloc(out, cap);
			}
			if (!first) {
				memset(out + n, ' ', (size_t)hang);
				n += (size_t)hang;
			}
			memcpy(out + n, s, k);
			n += k;
			out[n++] = '\n';
			s += k;
			while (*s == ' ')	/* a break at a space: the space goes */
				s++;
			first = false;
		} while (*s != '\0');
		free(one);
		line = eol != NULL ? eol + 1 : line + len;
	}
	out[n] = '\0';
	return out;
}
