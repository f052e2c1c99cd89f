/*
 * Who the administrative commands (yichuang staff, office, window, hours,
 * setting) act
 * as. Exactly one of:
 *
 *   --staff STAFFNO  a signed-in administrator: STAFFNO is signed in
 *                    without a window (yc.login: the password checked,
 *                    failures counted, the sign-in audited) on the
 *                    application connection, and signed out at the end.
 *                    The password comes from YICHUANG_PASSWORD or, when
 *                    that is unset, from the first line of standard input
 *                    (not echoed on a terminal), never from the command
 *                    line, as `ticket call` reads it. Like every sign-in,
 *                    it ends another open session of the same staff.
 *   --as-owner       the database owner, for the first set-up (before any
 *                    administrator exists): the administrative connection
 *                    of cmd_open_admin (the private cluster's superuser,
 *                    or --db / the PG* environment as given). The server
 *                    accepts it only from a trusted connection (a
 *                    superuser, or a role outside yichuang_app).
 *
 * The server functions then decide what that person may do
 * (db/functions/offices.sql).
 */
#ifndef YC_CMD_ASADMIN_H
#define YC_CMD_ASADMIN_H

#include <stdbool.h>

#include "cmd/cmd.h"
#include "store/auth.h"

struct cmd_asadmin {
	const char *staff;	/* --staff, or NULL */
	bool owner;		/* --as-owner */
	struct db *db;
	struct auth_session s;	/* the administrator's session (s.id 0: the owner) */
};

/* Takes --staff STAFFNO and --as-owner out of argv (the rest keeps its
 * order; *argc shrinks). false after saying why (a --staff without a
 * value). */
bool cmd_asadmin_args(struct cmd_asadmin *a, int *argc, char **argv);
/* Connects and signs in. 0, or the exit status after saying why on
 * stderr: 2 when neither or both were given, 1 when the sign-in or the
 * connection failed or the staff is not an administrator. */
int cmd_asadmin_open(struct cmd_ctx *ctx, struct cmd_asadmin *a);
/* cmd_asadmin_open for a command that read the two options itself. */
int cmd_asadmin_as(struct cmd_ctx *ctx, const char *staff, bool owner, struct cmd_asadmin *a);
/* The session to pass to the server: the administrator's, 0 for the owner. */
long long cmd_asadmin_session(const struct cmd_asadmin *a);
/* Signs out (an administrator) and closes the connection. */
void cmd_asadmin_close(struct cmd_asadmin *a);

#endif
