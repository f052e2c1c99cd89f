/*
 * Finding a case type at the window as the clerk types. A query of digits
 * matches code prefixes ("002036006"); a query of Latin letters matches the
 * pinyin initials of the name or of its category anywhere ("ydjy" finds
 * the 异地就医备案 items, "fybx" 费用报销); anything else is a substring
 * of the Chinese name or category. Case and surrounding spaces do not
 * matter; an empty query matches everything.
 */
#ifndef YC_SEARCH_H
#define YC_SEARCH_H

#include <stdbool.h>

struct cat_summary {
	char *code, *name, *category, *pinyin, *category_pinyin;
	unsigned tiers;			/* mask of enum cat_tier */
	char *limit;			/* display text of the time limit */
};

bool search_match(const struct cat_summary *s, const char *query);
void search_summary_clear(struct cat_summary *s);

#endif
