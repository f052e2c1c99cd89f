/* One-line input field; see field.h. */
#include "ui/field.h"

#include <string.h>

#include "model/text.h"

void
field_init(struct field *f, int max_chars, bool masked, bool digits)
{
	memset(f, 0, sizeof *f);
	f->max_chars = max_chars;
	f->masked = masked;
	f->digits = digits;
}

static int
field_chars(const struct field *f)
{
	int n = 0;

	for (size_t i = 0; i < f->len; i++)
		if (((unsigned char)f->buf[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static size_t
field_next(const struct field *f, size_t pos)
{
	uint32_t cp;
	int k;

	if (pos >= f->len)
		return f->len;
	k = text_decode(f->buf + pos, f->len - pos, &cp);
	return pos + (size_t)(k > 0 ? k : 1);
}

bool
field_key(struct field *f, const struct term_key *k)
{
	char enc[4];
	size_t n, at;

	switch (k->code) {
	case K_CHAR:
		if (f->digits && (k->ch < '0' || k->ch > '9'))
			return true;
		if (k->ch < 0x20 || (k->ch >= 0x7f && k->ch < 0xa0))
			return true;
		n = text_encode(k->ch, enc);
		if (n == 0 || f->len + n >= FIELD_BYTES || field_chars(f) >= f->max_chars)
			return true;
		memmove(f->buf + f->cur + n, f->buf + f->cur, f->len - f->cur);
		memcpy(f->buf + f->cur, enc, n);
		f->len += n;
		f->cur += n;
		f->buf[f->len] = '\0';
		f->changes++;
		return true;
	case K_BACKSPACE:
		if (f->cur == 0)
			return true;
		at = text_prev(f->buf, f->cur);
		memmove(f->buf + at, f->buf + f->cur, f->len - f->cur);
		f->len -= f->cur - at;
		f->cur = at;
		f->buf[f->len] = '\0';
		f->changes++;
		return true;
	case K_DELETE:
		if (f->cur >= f->len)
			return true;
		at = field_next(f, f->cur);
		memmove(f->buf + f->cur, f->buf + at, f->len - at);
		f->len -= at - f->cur;
		f->buf[f->len] = '\0';
		f->changes++;
		return true;
	case K_LEFT:
		if (f->cur > 0)
			f->cur = text_prev(f->buf, f->cur);
		return true;
	case K_RIGHT:
		f->cur = field_next(f, f->cur);
		return true;
	case K_HOME:
		f->cur = 0;
		return true;
	case K_END:
		f->cur = f->len;
		return true;
	case K_CTRL_U:
		if (f->len > 0)
			f->changes++;
		field_clear(f);
		return true;
	default:
		return false;
	}
}

int
field_draw(const struct field *f, int y, int x, int w, bool active)
{
	enum term_style st = active ? TS_FIELD_ACTIVE : TS_FIELD;
	char shown[FIELD_BYTES];
	int curcol;

	term_fill(y, x, w, st);
	if (f->masked) {
		int n = field_chars(f), upto = 0;

		if (n > w - 1)
			n = w - 1;
		memset(shown, '*', (size_t)n);
		shown[n] = '\0';
		for (size_t i = 0; i < f->cur; i++)
			if (((unsigned char)f->buf[i] & 0xc0) != 0x80)
				upto++;
		term_print(y, x, w, st, shown);
		curcol = upto < w - 1 ? upto : w - 1;
	} else {
		/* Scroll so the cursor stays visible. */
		size_t start = 0;

		memcpy(shown, f->buf, f->cur);
		shown[f->cur] = '\0';
		while (text_width(shown + start) > w - 1)
			start = field_next(f, start);
		curcol = text_width(shown + start);
		term_print(y, x, w, st, f->buf + start);
	}
	return x + curcol;
}

void
field_clear(struct field *f)
{
	explicit_bzero(f->buf, sizeof f->buf);
	f->len = f->cur = 0;
}

const char *
field_text(const struct field *f)
{
	return f->buf;
}

void
field_set(struct field *f, const char *text)
{
	struct term_key k = { .code = K_CHAR };
	uint32_t cp;
	int n;

	field_clear(f);
	for (const char *s = text; *s != '\0'; s += n > 0 ? n : 1) {
		n = text_decode(s, strlen(s), &cp);
		if (n <= 0)
			continue;	/* not UTF-8: never stored */
		k.ch = cp;
		field_key(f, &k);
	}
}
