/*
 * Horizontal bar charts as lines of text, for terminals: one line per item
 * of a series, "label  bar  value", each line exactly the given number of
 * display columns (CJK labels count two per character).
 *
 * Bars are scaled so that the largest value fills the bar area. With
 * CHART_BLOCKS a bar is drawn in eighths of a column with the Unicode block
 * elements █ (full) and ▏▎▍▌▋▊▉ (1/8 … 7/8); with CHART_ASCII in whole
 * columns of '#'. A value above zero always shows at least the smallest
 * mark; zero (or a negative value, taken as zero) shows none. A series
 * whose values are all zero gives empty bars.
 *
 * Plain C: no curses, no locale dependence. Strings are UTF-8 and
 * malloc'd (util/xalloc.h, never NULL).
 */
#ifndef YC_MODEL_CHART_H
#define YC_MODEL_CHART_H

#include <stdbool.h>

enum chart_ink {
	CHART_BLOCKS,		/* Unicode block elements, eighths of a column */
	CHART_ASCII		/* '#', whole columns */
};

struct chart {
	char **lines;		/* n lines, each exactly width columns */
	int n;
};

/*
 * Lays out n items (labels[i] may be NULL: empty) into lines of width
 * columns. The label column is as wide as the widest label, at most a
 * third of width (longer labels are cut); the value column as wide as the
 * widest number. When too narrow for a bar of at least one column the
 * values go and the bar takes their room; when still too narrow, lines
 * hold what fits (labels first). width < 1 or n < 1 gives no lines.
 * Returns out->n.
 */
int chart_render(struct chart *out, const char *const *labels, const long *values, int n, int width,
    enum chart_ink ink);
/* Frees the lines and zeroes *c (a zeroed struct is accepted). */
void chart_free(struct chart *c);

/*
 * Whether block elements can be drawn: the terminal's codeset (as
 * nl_langinfo(CODESET) names it) is UTF-8 or GB18030, and TERM is not a
 * plain DEC terminal or the Linux console (vt100, vt102, vt220, linux …)
 * unless locale_env (the first non-empty of LC_ALL, LC_CTYPE, LANG; may be
 * NULL) names UTF-8. NULL arguments count as unknown (codeset NULL: no).
 */
bool chart_blocks_ok(const char *codeset, const char *term, const char *locale_env);

#endif
