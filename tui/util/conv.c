/* iconv at the edge between UTF-8 and the terminal codeset; see conv.h. */
#include "util/conv.h"

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

static char conv_cs[64] = "UTF-8";

void
conv_init(void)
{
	const char *cs = nl_langinfo(CODESET);

	if (cs == NULL || *cs == '\0' || strcmp(cs, "ANSI_X3.4-1968") == 0)
		cs = "UTF-8";
	snprintf(conv_cs, sizeof conv_cs, "%s", cs);
}

const char *
conv_codeset(void)
{
	return conv_cs;
}

bool
conv_is_utf8(void)
{
	return strcasecmp(conv_cs, "UTF-8") == 0 || strcasecmp(conv_cs, "UTF8") == 0;
}

/* Converts in into a malloc'd string; bad input bytes become '?' when lossy,
 * otherwise the conversion fails and NULL is returned. */
static char *
conv_run(const char *to, const char *from, const char *in, bool lossy)
{
	iconv_t cd = iconv_open(to, from);
	size_t inleft = strlen(in), cap = inleft * 4 + 16, outleft = cap;
	char *inp = (char *)in, *out = xmalloc(cap + 1), *outp = out;

	if (cd == (iconv_t)-1) {
		memcpy(out, in, inleft + 1);
		return out;
	}
	while (inleft > 0) {
		if (iconv(cd, &inp, &inleft, &outp, &outleft) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(outp - out);

			cap *= 2;
			out = xrealloc(out, cap + 1);
			outp = out + used;
			outleft = cap - used;
			continue;
		}
		if (!lossy) {
			free(out);
			iconv_close(cd);
			return NULL;
		}
		/* EILSEQ or EINVAL: skip one input byte, emit '?'. */
		if (outleft == 0)
			break;
		*outp++ = '?';
		outleft--;
		inp++;
		inleft--;
	}
	iconv(cd, NULL, NULL, &outp, &outleft);
	iconv_close(cd);
	*outp = '\0';
	return out;
}

char *
conv_to(const char *codeset, const char *utf8)
{
	iconv_t cd = iconv_open(codeset, "UTF-8");

	if (cd == (iconv_t)-1)
		return NULL;
	iconv_close(cd);
	return conv_run(codeset, "UTF-8", utf8, true);
}

char *
conv_from(const char *codeset, const char *bytes)
{
	iconv_t cd = iconv_open("UTF-8", codeset);

	if (cd == (iconv_t)-1)
		return NULL;
	iconv_close(cd);
	return conv_run("UTF-8", codeset, bytes, false);
}

char *
conv_to_terminal(const char *utf8)
{
	if (conv_is_utf8())
		return xstrdup(utf8);
	return conv_run(conv_cs, "UTF-8", utf8, true);
}

char *
conv_from_terminal(const char *bytes)
{
	if (conv_is_utf8())
		return xstrdup(bytes);
	return conv_run("UTF-8", conv_cs, bytes, false);
}

void
conv_fprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	char *s, *t;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	t = conv_to_terminal(s);
	fputs(t, fp);
	free(t);
	free(s);
}
