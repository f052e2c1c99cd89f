/*
 * Commands of the yichuang binary. Each command is one descriptor in its
 * own file; main() looks the first argument up in cmd_table. Commands
 * print their own messages (UTF-8, converted to the terminal's codeset)
 * and return the process exit status.
 */
#ifndef YC_CMD_H
#define YC_CMD_H

#include <stdbool.h>

#include "store/db.h"

struct cmd_ctx {
	const char *db;		/* --db CONNINFO, or NULL */
	const char *read_db;	/* --read-db CONNINFO, or NULL */
	const char *lang;	/* --lang, or NULL */
	const char *argv0;
};

struct cmd_entry {
	const char *name;
	const char *usage;	/* msgid */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

extern const struct cmd_entry cmd_workstation_entry, cmd_db_entry, cmd_forms_entry, cmd_queue_entry,
    cmd_calendar_entry, cmd_print_entry;
extern const struct cmd_entry cmd_kiosk_entry, cmd_board_entry, cmd_wscreen_entry, cmd_ticket_entry;
extern const struct cmd_entry cmd_staff_entry;
extern const struct cmd_entry cmd_hours_entry, cmd_setting_entry, cmd_insurance_entry;
extern const struct cmd_entry cmd_jobs_entry;

/* Who a command connects as on the private cluster. */
enum cmd_role {
	CMD_APP,	/* yichuang_app: the workstations, staff sign-ins */
	CMD_ADMIN,	/* the cluster's superuser: migrations, owner commands */
	CMD_KIOSK,	/* yichuang_kiosk: kiosks, boards, ticket hardware (tickets only) */
	CMD_JOBS	/* yichuang_jobs: the periodic job (yichuang jobs run) */
};

/*
 * The connection string to use: --db, else the libpq environment (PGHOST,
 * PGHOSTADDR, PGDATABASE, PGSERVICE), else the private cluster as the
 * login role of role. NULL with a translated *why when no database is
 * configured.
 */
char *cmd_conninfo(const struct cmd_ctx *ctx, enum cmd_role role, const char **why);
/* An administrative connection (see cmd_conninfo), or NULL after printing
 * why not. */
struct db *cmd_open_admin(const struct cmd_ctx *ctx);
/* The same as the application role (what the windows use). */
struct db *cmd_open_app(const struct cmd_ctx *ctx);
/* Either, by admin. */
struct db *cmd_open(const struct cmd_ctx *ctx, bool admin);
/* The same as the login role of role (see cmd_conninfo). */
struct db *cmd_open_as(const struct cmd_ctx *ctx, enum cmd_role role);
/*
 * The connection string for reads only (a hot standby's): --read-db, else
 * the environment variable YICHUANG_READ_DB; NULL when neither is given
 * (the feature then reads on its ordinary connection).
 */
const char *cmd_read_conninfo(const struct cmd_ctx *ctx);
/*
 * A connection for a command that only reads: the read database
 * (db_open_read) when one is given and reachable; otherwise, after
 * saying so on stderr, the ordinary connection of role (cmd_open_as).
 * NULL after printing why when neither connects.
 */
struct db *cmd_open_read(const struct cmd_ctx *ctx, enum cmd_role role);
/* Whether the terminal can show the screens (ui/term.h term_usable);
 * when not, says why on stderr. The full-screen commands exit 2 then. */
bool cmd_terminal_ok(void);
/* true when the libpq environment names a server. */
bool cmd_env_configured(void);
/* A staff member's password for a command that signs in: the environment
 * variable YICHUANG_PASSWORD or, when that is unset, the first line of
 * standard input (not echoed on a terminal); never the command line,
 * where other users could read it. malloc'd (the caller wipes and frees
 * it); NULL when none could be read. */
char *cmd_password(void);

#endif
