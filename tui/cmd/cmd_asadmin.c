/* Administrative commands as an administrator or the owner; see cmd_asadmin.h. */
#include "cmd/cmd_asadmin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "model/i18n.h"
#include "util/conv.h"
#include "util/xalloc.h"

/* The password from YICHUANG_PASSWORD or the first line of stdin;
 * malloc'd, NULL when none could be read. */
static char *
cmd_asadmin_password(void)
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
	memset(buf, 0, sizeof buf);
	return got;
}

static const char *
cmd_asadmin_refusal(const struct auth_outcome *o)
{
	switch (o->result) {
	case AUTH_OK:
		return "";
	case AUTH_BAD_CREDENTIALS:
		return _("Wrong staff number or password.");
	case AUTH_LOCKED:
		return _("The account is locked after too many failed sign-ins.");
	case AUTH_DISABLED:
		return _("The account is disabled.");
	case AUTH_WINDOW_REQUIRED:	/* handled by the caller */
	case AUTH_UNKNOWN_WINDOW:
	case AUTH_DB_ERROR:
		break;
	case AUTH_DB_LOST:
		return _("The database connection was lost. Try again in a moment.");
	}
	return _("The database refused the request. Call the administrator.");
}

int
cmd_asadmin_open(struct cmd_ctx *ctx, const char *staff, bool as_owner, struct cmd_asadmin *a)
{
	struct auth_outcome o;
	char *pw;

	memset(a, 0, sizeof *a);
	if ((staff == NULL) == !as_owner) {
		conv_fprintf(stderr, "yichuang: %s\n", _("Say who acts: --staff STAFFNO (an administrator; "
		    "password in YICHUANG_PASSWORD or on standard input) or --as-owner (the database "
		    "owner, for the first set-up)."));
		return 2;
	}
	if (as_owner)
		return (a->db = cmd_open_admin(ctx)) != NULL ? 0 : 1;
	if ((pw = cmd_asadmin_password()) == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n",
		    _("No password: set YICHUANG_PASSWORD or give it on standard input."));
		return 1;
	}
	if ((a->db = cmd_open_app(ctx)) == NULL) {
		memset(pw, 0, strlen(pw));
		free(pw);
		return 1;
	}
	auth_login(a->db, staff, pw, 0, &a->s, &o);
	memset(pw, 0, strlen(pw));
	free(pw);
	if (o.result == AUTH_WINDOW_REQUIRED) {	/* a clerk: the right password, not an administrator */
		conv_fprintf(stderr, "yichuang: %s: %s\n", staff,
		    _("not an administrator: only administrators may do this."));
		cmd_asadmin_close(a, NULL);
		return 1;
	}
	if (o.result != AUTH_OK) {
		conv_fprintf(stderr, "yichuang: %s\n", cmd_asadmin_refusal(&o));
		cmd_asadmin_close(a, NULL);
		return 1;
	}
	if (a->s.role == NULL || strcmp(a->s.role, "admin") != 0) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", a->s.staff_no,
		    _("not an administrator: only administrators may do this."));
		cmd_asadmin_close(a, "not_admin");
		return 1;
	}
	return 0;
}

void
cmd_asadmin_close(struct cmd_asadmin *a, const char *reason)
{
	if (a->db != NULL && a->s.id != 0)
		auth_logout(a->db, &a->s, reason != NULL ? reason : "command");
	auth_session_clear(&a->s);
	db_close(&a->db);
}
