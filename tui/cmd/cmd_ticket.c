/*
 * yichuang ticket issue|call: the hall queue for scripts and ticket
 * hardware, on the application connection.
 *
 *   issue --office CODE [--class normal|priority|green|appointment]
 *         [--id IDNO] [--appointment CODE]
 *       Prints the ticket number alone on the first line, then the people
 *       ahead and the estimated wait; outside the office's opening hours
 *       it says when the hall opens next and nothing is issued
 *       (db/functions/hours.sql). --appointment alone implies the
 *       appointment class. Green tickets need a guide or supervisor session,
 *       which a script does not have: the server refuses them.
 *
 *   call --office CODE --window N --staff STAFFNO
 *       Signs STAFFNO in at window N (yc.login: the password is checked,
 *       failures counted, the sign-in audited), calls the next ticket,
 *       prints "A023 → 3号窗口" and signs out again. The password comes
 *       from the environment variable YICHUANG_PASSWORD or, when that is
 *       unset, from the first line of standard input (not echoed on a
 *       terminal); never from the command line, where other users could
 *       read it (ps, shell history). Like any sign-in at a window, it ends
 *       a session still open at that window.
 *
 * Exit status: 0 done; 1 refused or failed (one Chinese sentence on
 * stderr); 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/validate.h"
#include "store/auth.h"
#include "store/hourstore.h"
#include "store/queue.h"
#include "util/conv.h"
#include "util/xalloc.h"

struct ticket_opts {
	const char *office, *cls, *id_no, *appointment, *staff;
	int window;
};

static int
cmd_ticket_usage(void)
{
	conv_fprintf(stderr, "%s\n%s\n", _("usage: yichuang ticket issue --office CODE "
	    "[--class normal|priority|green|appointment] [--id IDNO] [--appointment CODE]"),
	    _("       yichuang ticket call --office CODE --window N --staff STAFFNO "
	    "(password in YICHUANG_PASSWORD or on standard input)"));
	return 2;
}

static int
cmd_ticket_fail(const char *msg)
{
	conv_fprintf(stderr, "yichuang: %s\n", msg);
	return 1;
}

/* Reads --name VALUE pairs; false on anything else. */
static bool
cmd_ticket_parse(int argc, char **argv, struct ticket_opts *o)
{
	static const char *const names[] = { "--office", "--class", "--id", "--appointment",
	    "--staff", "--window" };

	memset(o, 0, sizeof *o);
	for (int i = 0; i < argc; i++) {
		size_t k;

		for (k = 0; k < sizeof names / sizeof names[0]; k++)
			if (strcmp(argv[i], names[k]) == 0)
				break;
		if (k == sizeof names / sizeof names[0] || i + 1 >= argc) {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown option"), argv[i]);
			return false;
		}
		const char *v = argv[++i];

		switch (k) {
		case 0: o->office = v; break;
		case 1: o->cls = v; break;
		case 2: o->id_no = v; break;
		case 3: o->appointment = v; break;
		case 4: o->staff = v; break;
		default: {
			char *end;
			long w = strtol(v, &end, 10);

			if (*end != '\0' || w < 1 || w > 999) {
				conv_fprintf(stderr, "yichuang: %s\n", _("--window takes a window number (1-999)."));
				return false;
			}
			o->window = (int)w;
		}
		}
	}
	if (o->office == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", _("--office CODE is required."));
		return false;
	}
	return true;
}

static void
cmd_ticket_db_message(struct db *db, enum queue_result r)
{
	conv_fprintf(stderr, "yichuang: %s\n", queue_result_message(r));
	if (r == QUEUE_DB_ERROR || r == QUEUE_DB_LOST)
		conv_fprintf(stderr, "%s\n", db_detail(db));
}

static int
cmd_ticket_issue(struct cmd_ctx *ctx, const struct ticket_opts *o)
{
	enum queue_class cls = o->appointment != NULL ? QC_APPOINTMENT : QC_NORMAL;
	struct queue_issue out;
	enum queue_result r;
	struct db *db;
	char id[19] = "";

	if (o->cls != NULL && !queue_class_parse(o->cls, &cls)) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown ticket class"), o->cls);
		return 2;
	}
	if (cls == QC_APPOINTMENT && o->appointment == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", _("An appointment ticket needs --appointment CODE."));
		return 2;
	}
	if (o->id_no != NULL) {
		struct val_result vr;
		struct val_idno v;
		if (!val_idno(o->id_no, cal_date_cn(time(NULL)), &v, &vr))
			return cmd_ticket_fail(vr.message);
		memcpy(id, v.id, sizeof id);
	}
	if ((db = cmd_open_as(ctx, CMD_KIOSK)) == NULL)
		return 1;
	r = queue_issue(db, o->office, cls, id[0] != '\0' ? id : NULL, o->appointment, 0, &out);
	if (r == QUEUE_CLOSED) {
		char today[11], *msg;

		cal_date_format(cal_date_cn(time(NULL)), today);
		msg = hourstore_closed_message(out.opens_at, today);

		cmd_ticket_fail(msg);
		free(msg);
		db_close(&db);
		return 1;
	}
	if (r != QUEUE_OK) {
		cmd_ticket_db_message(db, r);
		db_close(&db);
		return 1;
	}
	conv_fprintf(stdout, "%s\n", out.t.number);
	conv_fprintf(stdout, _("%s ticket, %d ahead, estimated wait about %d minutes\n"),
	    queue_class_name(out.t.cls), out.ahead, out.est_wait_minutes);
	db_close(&db);
	return 0;
}

static const char *
cmd_ticket_auth_message(const struct auth_outcome *o)
{
	switch (o->result) {
	case AUTH_OK: return "";
	case AUTH_BAD_CREDENTIALS: return _("Wrong staff number or password.");
	case AUTH_LOCKED: return _("The account is locked after too many failed sign-ins.");
	case AUTH_DISABLED: return _("The account is disabled.");
	case AUTH_WINDOW_REQUIRED: return _("--window N is required.");
	case AUTH_UNKNOWN_WINDOW: return _("There is no such window in the staff's office.");
	case AUTH_PASSWORD_RESET:
	case AUTH_PASSWORD_EXPIRED:
		return _("The password must be changed first: sign in at the workstation and choose a new one.");
	case AUTH_DB_LOST: return queue_result_message(QUEUE_DB_LOST);
	case AUTH_NO_SESSION:
	case AUTH_RULE_TOO_SHORT:
	case AUTH_RULE_TOO_LONG:
	case AUTH_RULE_BAD_CHARACTERS:
	case AUTH_RULE_TOO_FEW_CLASSES:
	case AUTH_RULE_CONTAINS_STAFF_NO:
	case AUTH_RULE_REUSED:
	case AUTH_DB_ERROR: return queue_result_message(QUEUE_DB_ERROR);
	}
	return "";
}

static int
cmd_ticket_call(struct cmd_ctx *ctx, const struct ticket_opts *o)
{
	struct auth_session s = { 0 };
	struct auth_outcome ao;
	struct queue_ticket t;
	enum queue_result r;
	struct db *db;
	char *pw, *line;
	int rc = 1;

	if (o->window == 0 || o->staff == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", _("ticket call needs --window N and --staff STAFFNO."));
		return 2;
	}
	if ((pw = cmd_password()) == NULL)
		return cmd_ticket_fail(_("No password: set YICHUANG_PASSWORD or give it on standard input."));
	if ((db = cmd_open_as(ctx, CMD_APP)) == NULL) {
		free(pw);
		return 1;
	}
	auth_login(db, o->staff, pw, o->window, &s, &ao);
	memset(pw, 0, strlen(pw));
	free(pw);
	if (ao.result != AUTH_OK) {
		cmd_ticket_fail(cmd_ticket_auth_message(&ao));
		goto out;
	}
	if (strcmp(s.office_code, o->office) != 0) {
		cmd_ticket_fail(_("The staff member does not belong to this office."));
		goto out;
	}
	r = queue_call_next(db, s.id, &t);
	if (r != QUEUE_OK) {
		cmd_ticket_db_message(db, r);
		goto out;
	}
	line = xasprintf(_("%s → window %d"), t.number, t.window_no > 0 ? t.window_no : o->window);
	conv_fprintf(stdout, "%s\n", line);
	free(line);
	rc = 0;
out:
	if (s.id != 0)
		auth_logout(db, &s, "ticket call");
	auth_session_clear(&s);
	db_close(&db);
	return rc;
}

static int
cmd_ticket_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ticket_opts o;

	if (argc < 1 || (strcmp(argv[0], "issue") != 0 && strcmp(argv[0], "call") != 0))
		return cmd_ticket_usage();
	if (!cmd_ticket_parse(argc - 1, argv + 1, &o))
		return cmd_ticket_usage();
	if (strcmp(argv[0], "issue") == 0)
		return cmd_ticket_issue(ctx, &o);
	return cmd_ticket_call(ctx, &o);
}

const struct cmd_entry cmd_ticket_entry = {
	.name = "ticket",
	.usage = N_("yichuang ticket issue --office CODE [--class CLASS] [--id IDNO] [--appointment CODE]"
	    " | ticket call --office CODE --window N --staff STAFFNO"),
	.exec = cmd_ticket_exec,
};
