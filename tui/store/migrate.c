/* Migrations and SQL scripts; see migrate.h. */
#include "store/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/conv.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/xalloc.h"

/* Reads a whole file (64 MiB at most); NULL with *err set on failure. */
static char *
migrate_read(const char *path, size_t *len, char **err)
{
	char *buf = file_read(path, 64u << 20, len);

	if (buf == NULL)
		*err = xasprintf("cannot read %s: %s", path, strerror(errno));
	return buf;
}

static int
migrate_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted malloc'd list of *.sql names in dir. */
static char **
migrate_list(const char *dir, size_t *n, char **err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;

	*n = 0;
	if (d == NULL) {
		*err = xasprintf("cannot open %s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len > 4 && strcmp(e->d_name + len - 4, ".sql") == 0 && e->d_name[0] != '.') {
			names = xreallocarray(names, *n + 1, sizeof *names);
			names[(*n)++] = xstrndup(e->d_name, len - 4);
		}
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof *names, migrate_cmp);
	return names;
}

static int
migrate_fail(struct db *db, char **err, const char *what)
{
	*err = xasprintf("%s: %s", what, db_detail(db));
	db_exec(db, "ROLLBACK", 0, NULL);
	return -1;
}

/* Applies one migration unless it is recorded; 1 applied, 0 skipped, -1. */
static int
migrate_one(struct db *db, const char *dir, const char *version, FILE *out, char **err)
{
	const char *p[] = { version };
	char *file = xasprintf("%s/%s.sql", dir, version), *sql;
	PGresult *res;
	int done;

	sql = migrate_read(file, NULL, err);
	free(file);
	if (sql == NULL)
		return -1;
	if (db_exec(db, "BEGIN", 0, NULL) != DB_OK ||
	    db_exec(db, "SELECT pg_advisory_xact_lock(7312024)", 0, NULL) != DB_OK) {
		free(sql);
		return migrate_fail(db, err, "cannot start a migration");
	}
	res = db_query(db, NULL, "SELECT 1 FROM public.schema_migrations WHERE version = $1", 1, p);
	if (res == NULL) {
		free(sql);
		return migrate_fail(db, err, "cannot read schema_migrations");
	}
	done = PQntuples(res) > 0;
	PQclear(res);
	if (done) {
		free(sql);
		db_exec(db, "ROLLBACK", 0, NULL);
		return 0;
	}
	if (out != NULL)
		conv_fprintf(out, _("yichuang: applying migration %s\n"), version);
	if (db_script(db, sql) != DB_OK) {
		char *what = xasprintf(_("migration %s failed"), version);
		int rc = migrate_fail(db, err, what);

		free(what);
		free(sql);
		return rc;
	}
	free(sql);
	if (db_exec(db, "INSERT INTO public.schema_migrations (version) VALUES ($1)", 1, p) != DB_OK ||
	    db_exec(db, "COMMIT", 0, NULL) != DB_OK)
		return migrate_fail(db, err, "cannot record the migration");
	return 1;
}

int
migrate_apply(struct db *db, const char *dir, FILE *out, char **err)
{
	size_t n;
	char **names = migrate_list(dir, &n, err);
	int applied = 0;

	if (names == NULL && *err != NULL)
		return -1;
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
	    "version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
	    0, NULL) != DB_OK) {
		*err = xasprintf("cannot create schema_migrations: %s", db_detail(db));
		applied = -1;
	}
	for (size_t i = 0; i < n && applied >= 0; i++) {
		int r = migrate_one(db, dir, names[i], out, err);

		applied = r < 0 ? -1 : applied + r;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return applied;
}

int
migrate_script(struct db *db, const char *path, char **err)
{
	char *sql = migrate_read(path, NULL, err);

	if (sql == NULL)
		return -1;
	if (db_exec(db, "BEGIN", 0, NULL) != DB_OK || db_script(db, sql) != DB_OK) {
		char *what = xasprintf("%s failed", path);
		int rc = migrate_fail(db, err, what);

		free(what);
		free(sql);
		return rc;
	}
	free(sql);
	if (db_exec(db, "COMMIT", 0, NULL) != DB_OK)
		return migrate_fail(db, err, "cannot commit");
	return 0;
}
