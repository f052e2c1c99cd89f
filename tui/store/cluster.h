/*
 * The private PostgreSQL cluster under a directory (./var by default):
 * VAR/pgdata (data), VAR/run (the Unix socket; no TCP port), VAR/postgres.log.
 * Nothing outside VAR is touched, no system service is used. When run as
 * root the server runs as Debian's unprivileged `postgres` account.
 *
 * Errors come back as a malloc'd English message in *err (for the
 * administrator's terminal); the functions return 0 on success, -1 on error.
 */
#ifndef YC_CLUSTER_H
#define YC_CLUSTER_H

#include <stdbool.h>
#include <stdio.h>

/* The directory used when none is configured: $YICHUANG_VAR or ./var,
 * made absolute. Malloc'd. */
char *cluster_default_var(void);
bool cluster_exists(const char *var);
bool cluster_running(const char *var);
/* Creates the cluster if missing, starts it if stopped, and makes sure the
 * login roles yichuang_app (workstations) and yichuang_kiosk (kiosks,
 * boards) and the database yichuang exist, the other databases closed to
 * them. Progress lines go to out (may be NULL). */
int cluster_up(const char *var, FILE *out, char **err);
int cluster_down(const char *var, FILE *out, char **err);
/* Malloc'd conninfo for database yichuang as user on the private cluster. */
char *cluster_conninfo(const char *var, const char *user);

#endif
