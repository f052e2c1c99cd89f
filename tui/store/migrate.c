/* Migrations and SQL scripts; see migrate.h. */
#include "store/migrate.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/conv.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/xalloc.h"

char *
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

/* The file names db/functions/ORDER lists, in its order ('#' comments and
 * blank lines skipped); NULL with *err set when it cannot be read. */
static char **
migrate_order(const char *dir, size_t *n, char **err)
{
	char *path = xasprintf("%s/ORDER", dir), *text = migrate_read(path, NULL, err), *line, *save = NULL;
	char **names = NULL;

	free(path);
	*n = 0;
	if (text == NULL)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		names = xreallocarray(names, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(line);
	}
	free(text);
	return names;
}

/* Reads the n files into sql[]; false (with *err) when one cannot be. */
static bool
migrate_read_all(const char *dir, char **names, size_t n, char **sql, char **err)
{
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);

		sql[i] = migrate_read(path, NULL, err);
		free(path);
		if (sql[i] == NULL)
			return false;
	}
	return true;
}

/* The text the checksum covers: each file behind a line naming it. */
static char *
migrate_functions_text(char **names, char **sql, size_t n)
{
	char *all = xstrdup(""), *next;

	for (size_t i = 0; i < n; i++) {
		next = xasprintf("%s-- file %s\n%s\n", all, names[i], sql[i]);
		free(all);
		all = next;
	}
	return all;
}

/* In the open transaction: the recorded checksum differs from the text's;
 * sum gets the text's. 1 differs, 0 same, -1 (rolled back). */
static int
migrate_functions_changed(struct db *db, const char *all, char sum[72], char **err)
{
	PGresult *res;
	int changed;

	if (db_exec(db, "ALTER TABLE public.schema_migrations ADD COLUMN IF NOT EXISTS checksum text", 0,
	    NULL) != DB_OK ||
	    (res = db_query(db, NULL, "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex'), "
	    "(SELECT checksum FROM public.schema_migrations WHERE version = 'functions')",
	    1, (const char *[]){ all })) == NULL)
		return migrate_fail(db, err, "cannot read the functions' checksum");
	db_copy(sum, 72, PQgetvalue(res, 0, 0));
	changed = strcmp(sum, PQgetvalue(res, 0, 1)) != 0;
	PQclear(res);
	return changed;
}

int
migrate_functions(struct db *db, const char *dir, FILE *out, char **err)
{
	size_t n;
	char **names = migrate_order(dir, &n, err), **sql, *all = NULL, sum[72];
	int rc = -1;

	if (names == NULL && *err != NULL)
		return -1;
	sql = xcalloc(n + 1, sizeof *sql);
	if (!migrate_read_all(dir, names, n, sql, err))
		goto out;
	all = migrate_functions_text(names, sql, n);
	if (db_exec(db, "BEGIN", 0, NULL) != DB_OK ||
	    db_exec(db, "SELECT pg_advisory_xact_lock(7312024)", 0, NULL) != DB_OK) {
		rc = migrate_fail(db, err, "cannot start applying the functions");
		goto out;
	}
	if ((rc = migrate_functions_changed(db, all, sum, err)) <= 0) {
		if (rc == 0)
			db_exec(db, "ROLLBACK", 0, NULL);
		goto out;
	}
	if (out != NULL)
		conv_fprintf(out, _("yichuang: applying the functions (db/functions, %zu files)\n"), n);
	/* a body may call a function of a later file: checked when called */
	if (db_exec(db, "SET LOCAL check_function_bodies = off", 0, NULL) != DB_OK) {
		rc = migrate_fail(db, err, "cannot apply the functions");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (db_script(db, sql[i]) != DB_OK) {
			char *what = xasprintf(_("functions %s failed"), names[i]);

			rc = migrate_fail(db, err, what);
			free(what);
			goto out;
		}
	}
	if (db_exec(db, "INSERT INTO public.schema_migrations (version, checksum) VALUES ('functions', $1) "
	    "ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()",
	    1, (const char *[]){ sum }) != DB_OK || db_exec(db, "COMMIT", 0, NULL) != DB_OK)
		rc = migrate_fail(db, err, "cannot record the functions");
	else
		rc = 1;
out:
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		free(sql[i]);
	}
	free(names);
	free(sql);
	free(all);
	return rc;
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
