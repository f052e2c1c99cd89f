/* GNU .mo catalogue reader, independent of glibc gettext; see i18n.h. */
#include "model/i18n.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/xalloc.h"

#define MO_MAGIC      0x950412deU
#define MO_MAGIC_SWAP 0xde120495U
#define MO_HEADER     28                  /* 7 words up to the hash offset */
#define MO_MAX_SIZE   (64u * 1024 * 1024)

struct catalogue {
	unsigned char *data;
	size_t size;
	bool swap;          /* file byte order differs from ours */
	uint32_t n;         /* number of string pairs */
	uint32_t orig;      /* offset of the originals' (length, offset) table */
	uint32_t trans;     /* offset of the translations' table */
};

static struct catalogue *current;

static uint32_t
word_at(const unsigned char *data, size_t off, bool swap)
{
	uint32_t v;

	memcpy(&v, data + off, sizeof(v));
	return swap ? __builtin_bswap32(v) : v;
}

/* Length and offset of string i of the table at tab (already validated). */
static void
entry(const struct catalogue *c, uint32_t tab, uint32_t i,
      uint32_t *len, uint32_t *off)
{
	size_t at = (size_t)tab + (size_t)i * 8;

	*len = word_at(c->data, at, c->swap);
	*off = word_at(c->data, at + 4, c->swap);
}

static const char *
string_at(const struct catalogue *c, uint32_t tab, uint32_t i)
{
	uint32_t len, off;

	entry(c, tab, i, &len, &off);
	return (const char *)c->data + off;
}

/* True when the table at tab holds n entries inside the file and each of
 * them is a NUL-terminated string inside the file. */
static bool
table_ok(const struct catalogue *c, uint32_t tab)
{
	uint32_t i;

	if ((uint64_t)tab + (uint64_t)c->n * 8 > c->size)
		return false;
	for (i = 0; i < c->n; i++) {
		uint32_t len, off;

		entry(c, tab, i, &len, &off);
		if ((uint64_t)off + len + 1 > c->size)
			return false;
		if (c->data[(size_t)off + len] != '\0')
			return false;
	}
	return true;
}

static bool
validate(struct catalogue *c)
{
	uint32_t magic, rev, i;

	if (c->size < MO_HEADER)
		return false;
	memcpy(&magic, c->data, sizeof(magic));
	if (magic == MO_MAGIC)
		c->swap = false;
	else if (magic == MO_MAGIC_SWAP)
		c->swap = true;
	else
		return false;
	rev = word_at(c->data, 4, c->swap);
	if ((rev >> 16) != 0)
		return false;
	c->n = word_at(c->data, 8, c->swap);
	c->orig = word_at(c->data, 12, c->swap);
	c->trans = word_at(c->data, 16, c->swap);
	if (!table_ok(c, c->orig) || !table_ok(c, c->trans))
		return false;
	/* Binary search needs the originals in strcmp order. */
	for (i = 1; i < c->n; i++)
		if (strcmp(string_at(c, c->orig, i - 1),
			   string_at(c, c->orig, i)) > 0)
			return false;
	return true;
}

int
i18n_load(const char *mo_path)
{
	struct catalogue *c;

	if (mo_path == NULL) {
		errno = EINVAL;
		return -1;
	}
	c = xcalloc(1, sizeof(*c));
	if ((c->data = (unsigned char *)file_read(mo_path, MO_MAX_SIZE, &c->size)) == NULL) {
		free(c);
		return -1;
	}
	if (!validate(c)) {
		free(c->data);
		free(c);
		errno = EINVAL;
		return -1;
	}
	i18n_unload();
	current = c;
	return 0;
}

void
i18n_unload(void)
{
	if (current == NULL)
		return;
	free(current->data);
	free(current);
	current = NULL;
}

const char *
i18n_get(const char *msgid)
{
	const struct catalogue *c = current;
	uint32_t lo = 0, hi;

	if (msgid == NULL)
		return "";
	if (c == NULL || msgid[0] == '\0')
		return msgid;
	hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(msgid, string_at(c, c->orig, mid));

		if (cmp < 0) {
			hi = mid;
		} else if (cmp > 0) {
			lo = mid + 1;
		} else {
			const char *t = string_at(c, c->trans, mid);

			return t[0] != '\0' ? t : msgid;
		}
	}
	return msgid;
}

/* ASCII-only, so the answer does not depend on the C library locale. */
static const char *
lang_of(const char *s)
{
	if ((s[0] == 'e' || s[0] == 'E') && (s[1] == 'n' || s[1] == 'N'))
		return "en";
	return "zh_CN";
}

const char *
i18n_choose_lang(const char *opt)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	size_t i;

	if (opt != NULL)
		return lang_of(opt);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && v[0] != '\0')
			return lang_of(v);
	}
	return "zh_CN";
}
