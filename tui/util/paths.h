/*
 * Where the program finds its data: SQL, calendar, forms, templates and
 * compiled message catalogues.
 *
 * Run from a build directory inside the source tree (build/yichuang), the
 * data is the source tree itself and catalogues are in build/locale.
 * Installed, both live under YC_DATADIR ($(PREFIX)/share/yichuang).
 * YICHUANG_DATADIR in the environment overrides both.
 */
#ifndef YC_PATHS_H
#define YC_PATHS_H

/* Resolves the directories once; call before the other functions. */
void paths_init(void);
/* Directory holding db/, forms/, print_templates/. Never NULL after init. */
const char *paths_datadir(void);
/* Directory holding <lang>/LC_MESSAGES/yichuang.mo. */
const char *paths_localedir(void);
/* Malloc'd "a/b". */
char *paths_join(const char *a, const char *b);
/* Malloc'd absolute form of path (relative to the working directory). */
char *paths_absolute(const char *path);

#endif
