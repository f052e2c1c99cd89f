/* Horizontal bar charts as text; see chart.h. */
#include "model/chart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/text.h"
#include "util/xalloc.h"

#define CHART_FULL 0x2588u	/* █ */

/* Block elements for 1/8 … 7/8 of a column: U+258F ▏ down to U+2589 ▉. */
static const char *const chart_eighths[8] = {
	"", "\u258F", "\u258E", "\u258D", "\u258C", "\u258B", "\u258A", "\u2589"
};

/* A growing string. */
struct chart_buf {
	char *s;
	size_t len, cap;
};

static void
chart_put(struct chart_buf *b, const char *s, int times)
{
	size_t k = strlen(s);

	for (int i = 0; i < times; i++) {
		if (b->len + k + 1 > b->cap) {
			b->cap = (b->len + k + 1) * 2;
			b->s = xrealloc(b->s, b->cap);
		}
		memcpy(b->s + b->len, s, k);
		b->len += k;
		b->s[b->len] = '\0';
	}
}

/* The bar of value v (of the largest max) in cols columns, padded to cols. */
static void
chart_bar(struct chart_buf *b, long v, long max, int cols, enum chart_ink ink)
{
	long units = ink == CHART_BLOCKS ? (long)cols * 8 : cols, len = 0;

	if (v > 0 && max > 0) {
		len = (long)((double)v * (double)units / (double)max + 0.5);
		if (len < 1)
			len = 1;
		if (len > units)
			len = units;
	}
	if (ink == CHART_BLOCKS) {
		chart_put(b, "\u2588", (int)(len / 8));
		chart_put(b, chart_eighths[len % 8], 1);
		chart_put(b, " ", cols - (int)(len / 8) - (len % 8 != 0 ? 1 : 0));
	} else {
		chart_put(b, "#", (int)len);
		chart_put(b, " ", cols - (int)len);
	}
}

int
chart_render(struct chart *out, const char *const *labels, const long *values, int n, int width,
    enum chart_ink ink)
{
	int lw = 0, vw = 0, bw, prefix;
	long max = 0;
	bool show_values = true;
	char num[32];

	memset(out, 0, sizeof *out);
	if (n < 1 || width < 1)
		return 0;
	/* Blocks drawn two columns wide (some GB18030 terminals) would break
	 * every line: whole columns of '#' then. */
	if (ink == CHART_BLOCKS && text_cp_width(CHART_FULL) != 1)
		ink = CHART_ASCII;
	for (int i = 0; i < n; i++) {
		long v = values[i] > 0 ? values[i] : 0;
		int w = text_width(labels != NULL ? labels[i] : NULL);

		if (w > lw)
			lw = w;
		snprintf(num, sizeof num, "%ld", v);
		if ((int)strlen(num) > vw)
			vw = (int)strlen(num);
		if (v > max)
			max = v;
	}
	if (lw > width / 3)
		lw = width / 3;
	prefix = lw > 0 ? lw + 1 : 0;
	bw = width - prefix - 1 - vw;
	if (bw < 1) {
		show_values = false;
		bw = width - prefix;
	}
	out->lines = xcalloc((size_t)n, sizeof *out->lines);
	out->n = n;
	for (int i = 0; i < n; i++) {
		long v = values[i] > 0 ? values[i] : 0;
		struct chart_buf b = { 0 };
		char *cell;

		if (bw < 1) {
			out->lines[i] = text_pad(labels != NULL ? labels[i] : NULL, width, TEXT_LEFT);
			continue;
		}
		chart_put(&b, "", 1);
		if (lw > 0) {
			cell = text_pad(labels != NULL ? labels[i] : NULL, lw, TEXT_LEFT);
			chart_put(&b, cell, 1);
			chart_put(&b, " ", 1);
			free(cell);
		}
		chart_bar(&b, v, max, bw, ink);
		if (show_values) {
			snprintf(num, sizeof num, "%ld", v);
			cell = text_pad(num, vw, TEXT_RIGHT);
			chart_put(&b, " ", 1);
			chart_put(&b, cell, 1);
			free(cell);
		}
		out->lines[i] = b.s;
	}
	return n;
}

void
chart_free(struct chart *c)
{
	for (int i = 0; c->lines != NULL && i < c->n; i++)
		free(c->lines[i]);
	free(c->lines);
	memset(c, 0, sizeof *c);
}

/* Whether s names UTF-8 ("UTF-8", "utf8", "en_US.UTF-8" …). */
static bool
chart_names_utf8(const char *s)
{
	return s != NULL && (strcasestr(s, "utf-8") != NULL || strcasestr(s, "utf8") != NULL);
}

bool
chart_blocks_ok(const char *codeset, const char *term, const char *locale_env)
{
	static const char *const plain[] = { "vt52", "vt100", "vt102", "vt220", "vt320", "linux",
		"dumb", "ansi" };

	if (codeset == NULL || (!chart_names_utf8(codeset) && strcasecmp(codeset, "GB18030") != 0))
		return false;
	for (size_t i = 0; term != NULL && i < sizeof plain / sizeof plain[0]; i++) {
		size_t k = strlen(plain[i]);

		if (strncmp(term, plain[i], k) == 0 && (term[k] == '\0' || term[k] == '-'))
			return chart_names_utf8(locale_env);
	}
	return true;
}
