/*
 * yichuang staff add|edit|list|disable|enable|reset-password|unlock: the
 * staff accounts without the screen (db/functions/admin.sql through
 * store/staffstore.h).
 *
 *   list [--office CODE] [--role ROLE] [--state all|active|disabled|locked|must_change]
 *        [--find TEXT]
 *       The accounts, one a line: staff number, name, role, office, state,
 *       open cases (首问负责).
 *   add STAFFNO --name NAME --role ROLE --office CODE
 *       A new account. Prints its one-time temporary password alone on the
 *       first line of standard output (it is shown nowhere else, never
 *       stored in clear), then a sentence; the user must change it at the
 *       first sign-in.
 *   edit STAFFNO [--name NAME] [--role ROLE] [--office CODE]
 *   disable STAFFNO     then lists the staff's open cases, for a
 *                       supervisor to hand to another clerk
 *   enable STAFFNO
 *   reset-password STAFFNO   prints the new temporary password as add does
 *   unlock STAFFNO
 *
 * Each runs as a signed-in administrator with --staff STAFFNO (password
 * from YICHUANG_PASSWORD or standard input, as `ticket call` takes it; the
 * administrator's office and the offices below it, enforced by the
 * database) or with --as-owner as the database owner (the first set-up,
 * every office): cmd_asadmin.h. ROLE is clerk, reviewer, supervisor,
 * admin or guide.
 *
 * Exit status: 0 done (or nothing to do: already so, not locked); 1
 * refused (not an administrator, outside the administrator's offices,
 * one's own account, the last administrator of a city office, a failed
 * sign-in) or the database failed; 2 bad input: a wrong command line or a
 * value the database refuses as such (staff number, name, role, unknown
 * office, unknown staff number, a staff number taken). Always one precise
 * sentence on stderr, and nothing changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/cmd_asadmin.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/auth.h"
#include "store/cases.h"
#include "store/staffstore.h"
#include "ui/app.h"
#include "util/conv.h"
#include "util/xalloc.h"

struct staff_opts {
	const char *verb, *staff_no;
	const char *name, *role, *office, *state, *find;
};

static int
cmd_staff_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang staff list [--office CODE] [--role ROLE] "
	    "[--state all|active|disabled|locked|must_change] [--find TEXT] WHO\n"
	    "       yichuang staff add STAFFNO --name NAME --role ROLE --office CODE WHO\n"
	    "       yichuang staff edit STAFFNO [--name NAME] [--role ROLE] [--office CODE] WHO\n"
	    "       yichuang staff disable|enable|reset-password|unlock STAFFNO WHO\n"
	    "ROLE: clerk, reviewer, supervisor, admin, guide. WHO: --staff STAFFNO signs in as that "
	    "administrator (password in YICHUANG_PASSWORD or on standard input), or --as-owner acts as "
	    "the database owner."));
	return 2;
}

/* A bad command line: the sentence, exit 2. */
static int
cmd_staff_bad(const char *msg, const char *what)
{
	if (what != NULL)
		conv_fprintf(stderr, "yichuang: %s: %s\n", msg, what);
	else
		conv_fprintf(stderr, "yichuang: %s\n", msg);
	return 2;
}

static bool
cmd_staff_no_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 32)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Parses the command line into o; 0, or the exit status of a bad one
 * (its sentence printed). */
static int
cmd_staff_parse(int argc, char **argv, struct staff_opts *o)
{
	static const char *const verbs[] = { "list", "add", "edit", "disable", "enable",
	    "reset-password", "unlock" };
	bool known = false;

	memset(o, 0, sizeof *o);
	if (argc < 1)
		return cmd_staff_usage();
	o->verb = argv[0];
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		known = known || strcmp(o->verb, verbs[i]) == 0;
	if (!known) {
		cmd_staff_bad(_("unknown staff command"), o->verb);
		return cmd_staff_usage();
	}
	for (int i = 1; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--name") == 0 ? &o->name :
		    strcmp(argv[i], "--role") == 0 ? &o->role :
		    strcmp(argv[i], "--office") == 0 ? &o->office :
		    strcmp(argv[i], "--state") == 0 ? &o->state :
		    strcmp(argv[i], "--find") == 0 ? &o->find : NULL;

		if (slot == NULL && argv[i][0] != '-' && o->staff_no == NULL) {
			o->staff_no = argv[i];
			continue;
		}
		if (slot == NULL)
			return cmd_staff_bad(argv[i][0] == '-' ? _("unknown option") :
			    _("one staff number only"), argv[i]);
		if (i + 1 >= argc)
			return cmd_staff_bad(_("this option needs a value"), argv[i]);
		if (*slot != NULL)
			return cmd_staff_bad(_("this option is given twice"), argv[i]);
		*slot = argv[++i];
	}
	return 0;
}

/* Checks what the verb needs before anything connects; 0 or 2. */
static int
cmd_staff_check(const struct staff_opts *o)
{
	bool list = strcmp(o->verb, "list") == 0, add = strcmp(o->verb, "add") == 0;
	bool edit = strcmp(o->verb, "edit") == 0;

	if (list && o->staff_no != NULL)
		return cmd_staff_bad(_("staff list takes no staff number (use --find)"), o->staff_no);
	if (!list && o->staff_no == NULL)
		return cmd_staff_bad(_("the staff number is missing"), o->verb);
	if (!list && !cmd_staff_no_ok(o->staff_no))
		return cmd_staff_bad(_("a staff number has 3 to 32 small letters, digits or "
		    "underscores"), o->staff_no);
	if (!list && (o->state != NULL || o->find != NULL))
		return cmd_staff_bad(_("--state and --find are for staff list"), o->verb);
	if (!add && !edit && !list && (o->name != NULL || o->role != NULL || o->office != NULL))
		return cmd_staff_bad(_("--name, --role and --office are for staff add, edit and list"),
		    o->verb);
	if (list && o->name != NULL)
		return cmd_staff_bad(_("staff list takes --find, not --name"), o->name);
	if (add && (o->name == NULL || o->role == NULL || o->office == NULL))
		return cmd_staff_bad(_("staff add needs --name NAME, --role ROLE and --office CODE"),
		    NULL);
	if (edit && o->name == NULL && o->role == NULL && o->office == NULL)
		return cmd_staff_bad(_("staff edit needs --name, --role or --office"), NULL);
	if (o->name != NULL && (text_width(o->name) == 0 || strspn(o->name, " \t") == strlen(o->name)))
		return cmd_staff_bad(_("the name is empty"), NULL);
	if (o->role != NULL && !staffstore_role_ok(o->role))
		return cmd_staff_bad(_("the role is one of clerk, reviewer, supervisor, admin, guide"),
		    o->role);
	if (o->office != NULL && !db_office_code_ok(o->office))
		return cmd_staff_bad(_("an office code has 2, 4, 6, 9 or 12 digits"), o->office);
	if (o->state != NULL && strcmp(o->state, "all") != 0 && strcmp(o->state, "active") != 0 &&
	    strcmp(o->state, "disabled") != 0 && strcmp(o->state, "locked") != 0 &&
	    strcmp(o->state, "must_change") != 0)
		return cmd_staff_bad(_("the state is one of all, active, disabled, locked, must_change"),
		    o->state);
	return 0;
}

/* The exit status of a refusal, its sentence printed. */
static int
cmd_staff_refused(struct db *db, enum staffstore_result r)
{
	conv_fprintf(stderr, "yichuang: %s\n", staffstore_message(r));
	switch (r) {
	case SS_BAD_STAFF_NO:
	case SS_BAD_NAME:
	case SS_BAD_ROLE:
	case SS_UNKNOWN_OFFICE:
	case SS_BAD_INPUT:
	case SS_NOT_FOUND:
	case SS_EXISTS:
		return 2;
	case SS_DB_LOST:
	case SS_DB_ERROR:
		conv_fprintf(stderr, "%s\n", db_detail(db));
		return 1;
	case SS_OK:
	case SS_NO_SESSION:
	case SS_NOT_ALLOWED:
	case SS_OUT_OF_JURISDICTION:
	case SS_SELF:
	case SS_LAST_ADMIN:
	case SS_UNCHANGED:
	case SS_NOT_LOCKED:
		return 1;
	}
	return 1;
}

static void
cmd_staff_print_list(const struct staffstore_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct staffstore_row *w = &rows[i];
		char *name = text_pad(w->name, 12, -1), *role = text_pad(app_role_name(w->role), 16, -1);
		const char *state = !w->active ? _("disabled") : w->locked_until > time(NULL) ?
		    _("locked") : w->must_change ? _("temporary password") : w->expired ?
		    _("password expired") : _("in use");
		char *st = text_pad(state, 18, -1);

		conv_fprintf(stdout, "%-12s %s %s %-12s %s %d\n", w->staff_no, name, role,
		    w->office_code, st, w->open_cases);
		free(st);
		free(role);
		free(name);
	}
}

/* Prints a temporary password (alone on the first line) and the sentence
 * after it, and wipes it. */
static void
cmd_staff_print_temp(char temp[64], const char *sentence)
{
	conv_fprintf(stdout, "%s\n%s\n", temp, sentence);
	fflush(stdout);
	explicit_bzero(temp, 64);
}

static int
cmd_staff_run(struct db *db, long long session, const struct staff_opts *o)
{
	enum staffstore_result r;
	char temp[64], *line;
	int open = 0;

	if (strcmp(o->verb, "list") == 0) {
		struct staffstore_filter f = { o->office, o->role, o->state, o->find };
		struct staffstore_row *rows;
		size_t n;

		r = staffstore_list(db, session, &f, &rows, &n);
		if (r != SS_OK)
			return cmd_staff_refused(db, r);
		cmd_staff_print_list(rows, n);
		free(rows);
		return 0;
	}
	if (strcmp(o->verb, "add") == 0) {
		r = staffstore_add(db, session, o->staff_no, o->name, o->role, o->office, temp);
		if (r != SS_OK)
			return cmd_staff_refused(db, r);
		line = xasprintf(_("%s (%s) is added as %s at %s. The line above is the temporary "
		    "password, shown only this once: it must be changed at the first sign-in."),
		    o->staff_no, o->name, app_role_name(o->role), o->office);
		cmd_staff_print_temp(temp, line);
		free(line);
		return 0;
	}
	if (strcmp(o->verb, "reset-password") == 0) {
		r = staffstore_reset_password(db, session, o->staff_no, temp);
		if (r != SS_OK)
			return cmd_staff_refused(db, r);
		line = xasprintf(_("The password of %s is reset and the account unlocked. The line "
		    "above is the temporary password, shown only this once: it must be changed at the "
		    "next sign-in."), o->staff_no);
		cmd_staff_print_temp(temp, line);
		free(line);
		return 0;
	}
	if (strcmp(o->verb, "edit") == 0)
		r = staffstore_edit(db, session, o->staff_no, o->name, o->role, o->office);
	else if (strcmp(o->verb, "unlock") == 0)
		r = staffstore_unlock(db, session, o->staff_no);
	else
		r = staffstore_set_active(db, session, o->staff_no, strcmp(o->verb, "enable") == 0, &open);
	if (r == SS_UNCHANGED || r == SS_NOT_LOCKED) {
		conv_fprintf(stdout, "%s\n", staffstore_message(r));
		return 0;
	}
	if (r != SS_OK)
		return cmd_staff_refused(db, r);
	if (strcmp(o->verb, "edit") == 0)
		line = xasprintf(_("The account %s is saved."), o->staff_no);
	else if (strcmp(o->verb, "unlock") == 0)
		line = xasprintf(_("%s is unlocked."), o->staff_no);
	else if (strcmp(o->verb, "enable") == 0)
		line = xasprintf(_("%s can sign in again."), o->staff_no);
	else
		line = xasprintf(_("%s is disabled and can no longer sign in."), o->staff_no);
	conv_fprintf(stdout, "%s\n", line);
	free(line);
	if (strcmp(o->verb, "disable") == 0 && open > 0) {
		struct staffstore_case *cases;
		size_t n;

		conv_fprintf(stdout, _("%d open cases of theirs (首问负责) need another clerk: a shift "
		    "supervisor hands them over in the hall (F4, then F6).\n"), open);
		if (staffstore_open_cases(db, session, o->staff_no, &cases, &n) == SS_OK) {
			for (size_t i = 0; i < n; i++)
				conv_fprintf(stdout, "  %s  %s  %s  %s\n", cases[i].case_no,
				    cases_status_name(cases[i].status),
				    cases[i].promised[0] != '\0' ? cases[i].promised : "-",
				    cases[i].type_name);
			free(cases);
		}
	}
	return 0;
}

static int
cmd_staff_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct staff_opts o;
	struct cmd_asadmin a;
	int rc;

	if (!cmd_asadmin_args(&a, &argc, argv))
		return 2;
	if ((rc = cmd_staff_parse(argc, argv, &o)) != 0 || (rc = cmd_staff_check(&o)) != 0)
		return rc;
	if ((rc = cmd_asadmin_open(ctx, &a)) != 0)
		return rc;
	rc = cmd_staff_run(a.db, cmd_asadmin_session(&a), &o);
	cmd_asadmin_close(&a);
	return rc;
}

const struct cmd_entry cmd_staff_entry = {
	.name = "staff",
	.usage = N_("yichuang staff add|edit|list|disable|enable|reset-password|unlock [STAFFNO] "
	    "[--name NAME] [--role ROLE] [--office CODE] (--staff STAFFNO | --as-owner)"),
	.exec = cmd_staff_exec,
};
