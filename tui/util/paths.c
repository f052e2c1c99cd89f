/* Data directory resolution; see paths.h. */
#include "util/paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

static char *paths_data;
static char *paths_locale;

static int
paths_is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
paths_join(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n > 0 && a[n - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

char *
paths_absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return xstrdup(path);
	if (strcmp(path, ".") == 0)
		return xstrdup(cwd);
	if (strncmp(path, "./", 2) == 0)
		path += 2;
	return paths_join(cwd, path);
}

/*
 * Uses exe/rel as the data directory if it holds db/migrations. Catalogues
 * are in locale_rel under it, or in exe/locale when locale_rel is NULL.
 */
static bool
paths_try(const char *exe, const char *rel, const char *locale_rel)
{
	char *src = paths_join(exe, rel), *probe = paths_join(src, "db/migrations");
	bool found = paths_is_dir(probe);

	if (found) {
		paths_data = realpath(src, NULL);
		if (paths_data == NULL)
			paths_data = xstrdup(src);
		paths_locale = locale_rel != NULL ? paths_join(paths_data, locale_rel) :
		    paths_join(exe, "locale");
	}
	free(probe);
	free(src);
	return found;
}

void
paths_init(void)
{
	char exe[PATH_MAX];
	const char *env = getenv("YICHUANG_DATADIR");
	ssize_t n;

	free(paths_data);
	free(paths_locale);
	if (env != NULL && *env != '\0') {
		paths_data = xstrdup(env);
		paths_locale = paths_join(env, "locale");
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL)
			*slash = '\0';
		/* In the source tree: build/yichuang, catalogues in build/locale. */
		if (paths_try(exe, "..", NULL))
			return;
		/* Installed: PREFIX/bin/yichuang next to PREFIX/share/yichuang, wherever
		 * PREFIX (and DESTDIR) put them. */
		if (paths_try(exe, "../share/yichuang", "locale"))
			return;
	}
	paths_data = xstrdup(YC_DATADIR);
	paths_locale = paths_join(YC_DATADIR, "locale");
}

const char *
paths_datadir(void)
{
	return paths_data;
}

const char *
paths_localedir(void)
{
	return paths_locale;
}
