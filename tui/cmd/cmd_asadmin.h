/*
 * Who an administrative command (hours, setting) acts as, one of:
 *
 *   --staff STAFFNO  a signed-in administrator: STAFFNO signs in without a
 *                    window on the application connection (yc.login: the
 *                    password checked, failures counted, the sign-in
 *                    audited), the command works as that session (the
 *                    database checks the role and the jurisdiction), and
 *                    the session is signed out at the end. The password
 *                    comes from YICHUANG_PASSWORD or, when that is unset,
 *                    the first line of standard input (not echoed on a
 *                    terminal), never from the command line, as for
 *                    `ticket call`. Like any sign-in, it ends a session
 *                    of STAFFNO still open elsewhere.
 *   --as-owner       the database owner (the administrative connection of
 *                    cmd_open_admin: --db, the libpq environment, or the
 *                    private cluster's superuser), for the first set-up
 *                    before any administrator exists; the database accepts
 *                    it only on the owner's own connection.
 */
#ifndef YC_CMD_ASADMIN_H
#define YC_CMD_ASADMIN_H

#include <stdbool.h>

#include "cmd/cmd.h"
#include "store/auth.h"

struct cmd_asadmin {
	struct db *db;
	struct auth_session s;	/* s.id 0 with --as-owner */
};


/* Connects and signs in as staff (NULL with as_owner). 0 on success;
 * otherwise the exit status after saying why on stderr: 2 for neither or
 * both ways given, 1 for a refused sign-in, a staff member who is not an
 * administrator, or no database. */
int cmd_asadmin_open(struct cmd_ctx *ctx, const char *staff, bool as_owner, struct cmd_asadmin *a);
/* Signs out (reason for the audit trail) and closes the connection. */
void cmd_asadmin_close(struct cmd_asadmin *a, const char *reason);

#endif
