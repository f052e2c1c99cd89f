/* Case-type search at the window; see search.h. */
#include "model/search.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum search_kind { SK_ALL, SK_CODE, SK_INITIALS, SK_TEXT };

/* Trims q into buf (lower-casing Latin letters) and says what it is. */
static enum search_kind
search_classify(const char *q, char *buf, size_t size)
{
	size_t n = 0;
	bool digits = true, letters = true;

	while (*q == ' ')
		q++;
	for (; *q != '\0' && n + 1 < size; q++) {
		unsigned char c = (unsigned char)*q;

		buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	if (n == 0)
		return SK_ALL;
	for (size_t i = 0; i < n; i++) {
		digits &= buf[i] >= '0' && buf[i] <= '9';
		letters &= buf[i] >= 'a' && buf[i] <= 'z';
	}
	return digits ? SK_CODE : letters ? SK_INITIALS : SK_TEXT;
}

static bool
search_has(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

bool
search_match(const struct cat_summary *s, const char *query)
{
	char q[128];

	switch (search_classify(query, q, sizeof q)) {
	case SK_ALL:
		return true;
	case SK_CODE:
		return strncmp(s->code, q, strlen(q)) == 0;
	case SK_INITIALS:
		return search_has(s->pinyin, q) || search_has(s->category_pinyin, q);
	case SK_TEXT:
		return search_has(s->name, q) || search_has(s->category, q);
	}
	return false;
}

void
search_summary_clear(struct cat_summary *s)
{
	free(s->code);
	free(s->name);
	free(s->category);
	free(s->pinyin);
	free(s->category_pinyin);
	free(s->limit);
	memset(s, 0, sizeof *s);
}
