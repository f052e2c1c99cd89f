/*
 * Schema migrations, the server functions and the demo data (the calendar:
 * store/calstore.h).
 *
 * Migrations are the files DIR/NNNN_name.sql, applied in name order, each
 * once, each in its own transaction, recorded in public.schema_migrations.
 * Concurrent migrators serialise on an advisory lock. Errors: -1 with a
 * malloc'd English message in *err (for administrators).
 */
#ifndef YC_MIGRATE_H
#define YC_MIGRATE_H

#include <stdio.h>

#include "store/db.h"

/* Applies pending migrations; returns how many were applied, or -1. */
int migrate_apply(struct db *db, const char *dir, FILE *out, char **err);
/*
 * Applies the function files of dir (db/functions: the files its ORDER
 * lists, in that order) in one transaction, with function bodies checked
 * when called rather than when created, unless the database has them
 * already: the checksum of their text is recorded in
 * public.schema_migrations (version 'functions'). Returns 1 applied, 0
 * unchanged, or -1. Run after migrate_apply: migrations must not call
 * these functions (a signature change is a DROP FUNCTION IF EXISTS in a
 * migration, then the new definition in its file).
 */
int migrate_functions(struct db *db, const char *dir, FILE *out, char **err);
/* A whole file of ours (SQL, calendar; 64 MiB at most); NULL with *err
 * saying which file and why. Malloc'd; *len (may be NULL) its length. */
char *migrate_read(const char *path, size_t *len, char **err);
/* Runs a SQL file in one transaction (the demo data). */
int migrate_script(struct db *db, const char *path, char **err);

#endif
