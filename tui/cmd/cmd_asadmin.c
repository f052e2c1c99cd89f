/* Who the administrative commands act as; see cmd_asadmin.h. */
#include "cmd/cmd_asadmin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/conv.h"
#include "util/xalloc.h"

bool
cmd_asadmin_args(struct cmd_asadmin *a, int *argc, char **argv)
{
	int n = 0;

	memset(a, 0, sizeof *a);
	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--as-owner") == 0) {
			a->owner = true;
		} else if (strcmp(argv[i], "--staff") == 0) {
			if (i + 1 >= *argc) {
				conv_fprintf(stderr, "yichuang: %s\n", _("--staff takes a staff number."));
				return false;
			}
			a->staff = argv[++i];
		} else {
			argv[n++] = argv[i];
		}
	}
	*argc = n;
	return true;
}

static int
cmd_asadmin_fail(struct cmd_asadmin *a, const char *msg)
{
	conv_fprintf(stderr, "yichuang: %s\n", msg);
	cmd_asadmin_close(a);
	return 1;
}

/* Why a sign-in failed. */
static const char *
cmd_asadmin_auth_message(enum auth_result r)
{
	switch (r) {
	case AUTH_BAD_CREDENTIALS:
		return _("Wrong staff number or password.");
	case AUTH_LOCKED:
		return _("The account is locked after too many failed sign-ins.");
	case AUTH_DISABLED:
		return _("The account is disabled.");
	case AUTH_PASSWORD_RESET:
	case AUTH_PASSWORD_EXPIRED:
		return _("The password must be changed first: sign in at the workstation and choose a new one.");
	case AUTH_DB_LOST:
		return _("The database connection was lost. Try again in a moment.");
	default:
		return _("The database refused the request. Call the administrator.");
	}
}

/* Whether the connection is one the server trusts as the owner's. */
static bool
cmd_asadmin_trusted(struct db *db)
{
	PGresult *res = db_query(db, NULL, "SELECT coalesce(bool_or(r.rolsuper OR NOT EXISTS ("
	    "SELECT 1 FROM pg_catalog.pg_roles g WHERE g.rolname IN ('yichuang_app', 'yichuang_kiosk') "
	    "AND pg_catalog.pg_has_role(r.oid, g.oid, 'MEMBER'))), false) "
	    "FROM pg_catalog.pg_roles r WHERE r.rolname = session_user", 0, NULL);
	bool ok = res != NULL && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;

	PQclear(res);
	return ok;
}

int
cmd_asadmin_open(struct cmd_ctx *ctx, struct cmd_asadmin *a)
{
	struct auth_outcome o;
	char *pw;

	if ((a->staff == NULL) == !a->owner) {
		conv_fprintf(stderr, "yichuang: %s\n", _("Say who acts: --staff STAFFNO (an administrator; the "
		    "password in YICHUANG_PASSWORD or on standard input) or --as-owner (the database owner)."));
		return 2;
	}
	if (a->owner) {
		if ((a->db = cmd_open_admin(ctx)) == NULL)
			return 1;
		if (!cmd_asadmin_trusted(a->db))
			return cmd_asadmin_fail(a, _("--as-owner: this connection is not the database owner's "
			    "(connect as the role that owns the schema, or use --staff)."));
		return 0;
	}
	if ((pw = cmd_password()) == NULL)
		return cmd_asadmin_fail(a, _("No password: set YICHUANG_PASSWORD or give it on standard input."));
	if ((a->db = cmd_open_app(ctx)) == NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
		return 1;
	}
	auth_login(a->db, a->staff, pw, 0, &a->s, &o);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	if (o.result != AUTH_OK && o.result != AUTH_WINDOW_REQUIRED)	/* a counter clerk: not an admin */
		return cmd_asadmin_fail(a, cmd_asadmin_auth_message(o.result));
	if (o.result != AUTH_OK || a->s.role == NULL || strcmp(a->s.role, "admin") != 0) {
		char *msg = xasprintf(_("%s is not an administrator."), a->staff);
		int rc = cmd_asadmin_fail(a, msg);

		free(msg);
		return rc;
	}
	return 0;
}

int
cmd_asadmin_as(struct cmd_ctx *ctx, const char *staff, bool owner, struct cmd_asadmin *a)
{
	memset(a, 0, sizeof *a);
	a->staff = staff;
	a->owner = owner;
	return cmd_asadmin_open(ctx, a);
}

long long
cmd_asadmin_session(const struct cmd_asadmin *a)
{
	return a->owner ? 0 : a->s.id;
}

void
cmd_asadmin_close(struct cmd_asadmin *a)
{
	if (a->db != NULL && a->s.id != 0)
		auth_logout(a->db, &a->s, "command");
	auth_session_clear(&a->s);
	db_close(&a->db);
}
