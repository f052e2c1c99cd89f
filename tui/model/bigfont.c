/* Large type from a 5×7 bitmap font; see bigfont.h. */
#include "model/bigfont.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/text.h"
#include "util/xalloc.h"

#define BF_GLYPH_ROWS 7
#define BF_MAX_GLYPHS 32	/* longer strings are cut */

struct bf_glyph {
	uint32_t cp;
	int w;				/* pixels */
	const char *px[BF_GLYPH_ROWS];	/* '#' is ink */
};

static const struct bf_glyph bf_glyphs[] = {
	{ '0', 5, { " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### " } },
	{ '1', 5, { "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### " } },
	{ '2', 5, { " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####" } },
	{ '3', 5, { " ### ", "#   #", "    #", "  ## ", "    #", "#   #", " ### " } },
	{ '4', 5, { "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # " } },
	{ '5', 5, { "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### " } },
	{ '6', 5, { "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### " } },
	{ '7', 5, { "#####", "    #", "   # ", "  #  ", "  #  ", "  #  ", "  #  " } },
	{ '8', 5, { " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### " } },
	{ '9', 5, { " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  " } },
	{ 'A', 5, { " ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #" } },
	{ 'B', 5, { "#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### " } },
	{ 'G', 5, { " ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####" } },
	{ 'Y', 5, { "#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  " } },
	{ '-', 4, { "    ", "    ", "    ", "####", "    ", "    ", "    " } },
	{ ':', 1, { " ", " ", "#", " ", "#", " ", " " } },
	{ '.', 1, { " ", " ", " ", " ", " ", " ", "#" } },
	{ ' ', 3, { "   ", "   ", "   ", "   ", "   ", "   ", "   " } },
	{ 0x2192, 5, { "     ", "  #  ", "   # ", "#####", "   # ", "  #  ", "     " } },
};

static const struct {
	int px_w, px_h;		/* columns and rows per pixel */
	bool half;		/* two pixel rows per text row */
} bf_sizes[BF_NSIZES] = {
	[BF_TEXT] = { 0, 0, false },
	[BF_HALF] = { 1, 1, true },
	[BF_SMALL] = { 1, 1, false },
	[BF_LARGE] = { 2, 1, false },
	[BF_HUGE] = { 4, 2, false },
};

static const struct bf_glyph *
bf_lookup(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		cp -= 'a' - 'A';
	if (cp == '>')
		cp = 0x2192;
	for (size_t i = 0; i < sizeof bf_glyphs / sizeof bf_glyphs[0]; i++)
		if (bf_glyphs[i].cp == cp)
			return &bf_glyphs[i];
	return NULL;
}

/* The glyphs of s into g (at most BF_MAX_GLYPHS); -1 when one is missing. */
static int
bf_glyphs_of(const char *s, const struct bf_glyph **g)
{
	size_t len = strlen(s), i = 0;
	int n = 0;

	while (i < len) {
		uint32_t cp;
		int k = text_decode(s + i, len - i, &cp);

		if (k < 0)
			return -1;
		if (n == BF_MAX_GLYPHS)
			return -1;
		if ((g[n] = bf_lookup(cp)) == NULL)
			return -1;
		n++;
		i += (size_t)k;
	}
	return n;
}

bool
bigfont_supported(const char *s)
{
	const struct bf_glyph *g[BF_MAX_GLYPHS];

	return s != NULL && bf_glyphs_of(s, g) >= 0;
}

int
bigfont_height(enum bigfont_size size)
{
	if (size <= BF_TEXT || size >= BF_NSIZES)
		return 1;
	if (bf_sizes[size].half)
		return (BF_GLYPH_ROWS + 1) / 2;
	return BF_GLYPH_ROWS * bf_sizes[size].px_h;
}

/* Width in pixels (glyphs plus one-pixel gaps) of n glyphs. */
static int
bf_pixels(const struct bf_glyph *const *g, int n)
{
	int w = 0;

	for (int i = 0; i < n; i++)
		w += g[i]->w + (i > 0 ? 1 : 0);
	return w;
}

int
bigfont_width(const char *s, enum bigfont_size size)
{
	const struct bf_glyph *g[BF_MAX_GLYPHS];
	int n;

	if (s == NULL)
		s = "";
	if (size <= BF_TEXT || size >= BF_NSIZES)
		return text_width(s);
	if ((n = bf_glyphs_of(s, g)) < 0)
		return -1;
	return bf_pixels(g, n) * bf_sizes[size].px_w;
}

bool
bigfont_size_ok(enum bigfont_size size, enum bigfont_ink ink)
{
	if (size < BF_TEXT || size >= BF_NSIZES)
		return false;
	if (ink == BF_INK_WIDE)
		return size == BF_TEXT || size == BF_LARGE || size == BF_HUGE;
	return size != BF_HALF || ink == BF_INK_HALF;
}

enum bigfont_size
bigfont_fit(const char *s, enum bigfont_ink ink, int max_cols, int max_rows, enum bigfont_size max)
{
	if (max >= BF_NSIZES)
		max = BF_NSIZES - 1;
	for (int sz = max; sz > BF_TEXT; sz--) {
		int w;

		if (!bigfont_size_ok((enum bigfont_size)sz, ink))
			continue;
		w = bigfont_width(s, (enum bigfont_size)sz);
		if (w < 0)
			return BF_TEXT;
		if (w <= max_cols && bigfont_height((enum bigfont_size)sz) <= max_rows)
			return (enum bigfont_size)sz;
	}
	return BF_TEXT;
}

/* Appends n copies of the UTF-8 string ink to the growing line. */
static void
bf_put(char **buf, size_t *len, size_t *cap, const char *ink, int n)
{
	size_t k = strlen(ink);

	for (int i = 0; i < n; i++) {
		if (*len + k + 1 > *cap) {
			*cap = (*cap + k + 1) * 2;
			*buf = xrealloc(*buf, *cap);
		}
		memcpy(*buf + *len, ink, k);
		*len += k;
	}
	(*buf)[*len] = '\0';
}

/* Whether pixel (row, col) of the rendered string is ink; rows outside
 * the glyph height are blank. */
static bool
bf_pixel(const struct bf_glyph *const *g, int n, int row, int col)
{
	if (row < 0 || row >= BF_GLYPH_ROWS)
		return false;
	for (int i = 0; i < n; i++) {
		if (i > 0) {
			if (col == 0)
				return false;	/* the gap */
			col--;
		}
		if (col < g[i]->w)
			return g[i]->px[row][col] == '#';
		col -= g[i]->w;
	}
	return false;
}

static void
bf_text(const char *s, struct bigfont *out)
{
	out->size = BF_TEXT;
	out->rows = 1;
	out->line[0] = xstrdup(s);
	out->width = text_width(s);
}

bool
bigfont_render(const char *s, enum bigfont_size size, enum bigfont_ink ink, struct bigfont *out)
{
	const struct bf_glyph *g[BF_MAX_GLYPHS];
	const char *full = ink == BF_INK_ASCII ? "#" : "█";
	int n, px, pw;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		s = "";
	if (size == BF_TEXT) {
		bf_text(s, out);
		return true;
	}
	n = bf_glyphs_of(s, g);
	if (n < 0 || !bigfont_size_ok(size, ink)) {
		bf_text(s, out);
		return false;
	}
	px = bf_pixels(g, n);
	pw = bf_sizes[size].px_w;
	out->size = size;
	out->rows = bigfont_height(size);
	out->width = px * pw;
	for (int r = 0; r < out->rows; r++) {
		size_t len = 0, cap = (size_t)out->width * 3 + 1;
		char *buf = xmalloc(cap);

		buf[0] = '\0';
		for (int c = 0; c < px; c++) {
			if (bf_sizes[size].half) {
				bool top = bf_pixel(g, n, 2 * r, c), bot = bf_pixel(g, n, 2 * r + 1, c);

				bf_put(&buf, &len, &cap, top && bot ? "█" : top ? "▀" : bot ? "▄" : " ", 1);
			} else {
				bool on = bf_pixel(g, n, r / bf_sizes[size].px_h, c);

				if (on && ink == BF_INK_WIDE)
					bf_put(&buf, &len, &cap, full, pw / 2);
				else
					bf_put(&buf, &len, &cap, on ? full : " ", pw);
			}
		}
		out->line[r] = buf;
	}
	return true;
}

void
bigfont_free(struct bigfont *b)
{
	for (int i = 0; i < BIGFONT_MAX_ROWS; i++)
		free(b->line[i]);
	memset(b, 0, sizeof *b);
}

enum bigfont_ink
bigfont_ink_for(const char *codeset)
{
	if (codeset == NULL)
		return BF_INK_ASCII;
	if (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0)
		return BF_INK_HALF;
	return BF_INK_ASCII;
}
