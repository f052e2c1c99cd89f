/* Rendering print templates; see document.h. */
#include "model/document.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "util/file.h"
#include "util/xalloc.h"

/* Partials read from the template directory, kept until rendering ends. */
struct document_partials {
	const char *dir;
	char *names[32], *texts[32];
	int n;
};

/* Templates are small; a larger file is refused, never cut short. */
static char *
document_read(const char *path)
{
	return file_read(path, 1024 * 1024, NULL);
}

/* A partial name is a plain file name: letters, digits, '-' and '_'. */
static bool
document_name_ok(const char *name)
{
	if (*name == '\0')
		return false;
	for (; *name != '\0'; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9') ||
		    *name == '-' || *name == '_'))
			return false;
	return true;
}

static const char *
document_partial(const void *closure, const char *name)
{
	struct document_partials *p = (struct document_partials *)closure;
	char *path;

	for (int i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return p->texts[i];
	if (!document_name_ok(name) || p->n == 32)
		return NULL;
	path = xasprintf("%s/%s.mustache", p->dir, name);
	p->texts[p->n] = document_read(path);
	free(path);
	if (p->texts[p->n] == NULL)
		return NULL;
	p->names[p->n] = xstrdup(name);
	return p->texts[p->n++];
}

char *
document_render(const char *dir, const char *name, const struct mu_value *data, int width,
    char **err)
{
	struct document_partials parts = { .dir = dir };
	struct mu_partials mp = { document_partial, &parts };
	char *path, *tpl, *out, *merr = NULL, *wrapped = NULL;

	*err = NULL;
	path = xasprintf("%s/%s.mustache", dir, name);
	if (!document_name_ok(name) || (tpl = document_read(path)) == NULL) {
		*err = xasprintf("%s: %s", path, _("no such document template"));
		free(path);
		return NULL;
	}
	out = mu_render(tpl, data, &mp, false, &merr);
	if (out == NULL)
		*err = xasprintf("%s: %s", path, merr);
	else
		wrapped = text_wrap(out, width);
	free(merr);
	free(out);
	free(tpl);
	free(path);
	for (int i = 0; i < parts.n; i++) {
		free(parts.names[i]);
		free(parts.texts[i]);
	}
	return wrapped;
}
