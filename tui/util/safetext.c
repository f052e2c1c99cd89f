/* Controls and bidirectional overrides kept out of texts; see safetext.h. */
#include "util/safetext.h"

#include <stdint.h>
#include <string.h>

#include "util/xalloc.h"

/*
 * The length of the valid UTF-8 sequence at s (1..4) with its code point
 * in *cp, or 0 when s does not start one (a stray continuation byte, an
 * overlong form, a surrogate, beyond U+10FFFF, cut short).
 */
static size_t
safetext_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool
safetext_forbidden(uint32_t c)
{
	return (c >= 0x01 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e ||
	    c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x2028 || c == 0x2029;
}

static bool
safetext_check(const char *s, bool lines)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL)
		return true;
	while (*p != '\0') {
		uint32_t c;
		size_t n = safetext_decode(p, &c);

		if (n == 0 || (safetext_forbidden(c) && !(lines && c == '\n')))
			return false;
		p += n;
	}
	return true;
}

bool
safetext_ok(const char *s)
{
	return safetext_check(s, false);
}

bool
safetext_ok_lines(const char *s)
{
	return safetext_check(s, true);
}

char *
safetext_strip(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	char *out = xmalloc(strlen((const char *)p) + 1), *o = out;

	while (*p != '\0') {
		uint32_t c;
		size_t n = safetext_decode(p, &c);

		if (n == 0) {
			p++;
			continue;
		}
		if (c == '\n' || !safetext_forbidden(c)) {
			memcpy(o, p, n);
			o += n;
		} else if (c == '\t') {
			*o++ = ' ';
		}
		p += n;
	}
	*o = '\0';
	return out;
}
