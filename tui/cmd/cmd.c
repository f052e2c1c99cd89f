/* Shared helpers for commands; see cmd.h. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "model/i18n.h"
#include "store/cluster.h"
#include "ui/term.h"
#include "util/conv.h"
#include "util/xalloc.h"

bool
cmd_env_configured(void)
{
	static const char *const vars[] = { "PGHOST", "PGHOSTADDR", "PGDATABASE", "PGSERVICE" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return true;
	}
	return false;
}

char *
cmd_conninfo(const struct cmd_ctx *ctx, enum cmd_role role, const char **why)
{
	char *var, *ci = NULL;

	if (ctx->db != NULL)
		return xstrdup(ctx->db);
	if (cmd_env_configured())
		return xstrdup("");
	var = cluster_default_var();
	if (cluster_exists(var))
		ci = cluster_conninfo(var, role == CMD_ADMIN ? "postgres" :
		    role == CMD_KIOSK ? "yichuang_kiosk" : role == CMD_JOBS ? "yichuang_jobs" :
		    "yichuang_app");
	else
		*why = _("No database is configured: run `make run` (or `yichuang db up`) to create "
		    "the private one, set PGHOST/PGSERVICE, or pass --db CONNINFO.");
	free(var);
	return ci;
}

struct db *
cmd_open(const struct cmd_ctx *ctx, bool admin)
{
	return cmd_open_as(ctx, admin ? CMD_ADMIN : CMD_APP);
}

struct db *
cmd_open_as(const struct cmd_ctx *ctx, enum cmd_role role)
{
	const char *why = NULL;
	char *ci = cmd_conninfo(ctx, role, &why);
	struct db *db;

	if (ci == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", why);
		return NULL;
	}
	db = db_open(ci);
	free(ci);
	if (!db_connected(db)) {
		conv_fprintf(stderr, "yichuang: %s\n%s", _("cannot connect to the database:"),
		    db_detail(db));
		db_close(&db);
	}
	return db;
}

const char *
cmd_read_conninfo(const struct cmd_ctx *ctx)
{
	const char *env = getenv("YICHUANG_READ_DB");

	if (ctx->read_db != NULL)
		return ctx->read_db;
	return env != NULL && *env != '\0' ? env : NULL;
}

struct db *
cmd_open_read(const struct cmd_ctx *ctx, enum cmd_role role)
{
	const char *ci = cmd_read_conninfo(ctx);
	struct db *db;

	if (ci == NULL)
		return cmd_open_as(ctx, role);
	db = db_open_read(ci);
	if (db_connected(db))
		return db;
	conv_fprintf(stderr, "yichuang: %s\n%s", _("cannot connect to the read database; reading from "
	    "the primary instead:"), db_detail(db));
	db_close(&db);
	return cmd_open_as(ctx, role);
}

struct db *
cmd_open_admin(const struct cmd_ctx *ctx)
{
	return cmd_open(ctx, true);
}

struct db *
cmd_open_app(const struct cmd_ctx *ctx)
{
	return cmd_open(ctx, false);
}

char *
cmd_password(void)
{
	const char *env = getenv("YICHUANG_PASSWORD");
	struct termios old, quiet;
	bool tty = isatty(0) && tcgetattr(0, &old) == 0;
	char buf[256];
	char *got;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (tty) {
		conv_fprintf(stderr, "%s", _("Password: "));
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	got = fgets(buf, sizeof buf, stdin);
	if (tty) {
		tcsetattr(0, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (got == NULL)
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	got = xstrdup(buf);
	explicit_bzero(buf, sizeof buf);
	return got;
}

bool
cmd_terminal_ok(void)
{
	char *why = NULL;

	if (term_usable(&why))
		return true;
	conv_fprintf(stderr, "yichuang: %s\n", why);
	free(why);
	return false;
}
