/* Sign-in and sessions through server-side functions; see auth.h. */
#include "store/auth.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/i18n.h"
#include "util/xalloc.h"

static enum auth_result
auth_parse_result(const char *r)
{
	static const struct {
		const char *name;
		enum auth_result result;
	} map[] = {
		{ "ok", AUTH_OK },
		{ "bad_credentials", AUTH_BAD_CREDENTIALS },
		{ "locked", AUTH_LOCKED },
		{ "disabled", AUTH_DISABLED },
		{ "window_required", AUTH_WINDOW_REQUIRED },
		{ "unknown_window", AUTH_UNKNOWN_WINDOW },
		{ "password_reset", AUTH_PASSWORD_RESET },
		{ "password_expired", AUTH_PASSWORD_EXPIRED },
		{ "no_session", AUTH_NO_SESSION },
		{ "too_short", AUTH_RULE_TOO_SHORT },
		{ "too_long", AUTH_RULE_TOO_LONG },
		{ "bad_characters", AUTH_RULE_BAD_CHARACTERS },
		{ "too_few_classes", AUTH_RULE_TOO_FEW_CLASSES },
		{ "contains_staff_no", AUTH_RULE_CONTAINS_STAFF_NO },
		{ "reused", AUTH_RULE_REUSED },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(r, map[i].name) == 0)
			return map[i].result;
	return AUTH_DB_ERROR;
}

/* Where the clerk sits, for the audit trail: the SSH peer or the tty. */
static char *
auth_client(void)
{
	const char *ssh = getenv("SSH_CLIENT"), *tty = ttyname(0);
	char host[64] = "";

	gethostname(host, sizeof host - 1);
	if (ssh != NULL && *ssh != '\0') {
		char *peer = xstrdup(ssh), *sp = strchr(peer, ' '), *c;

		if (sp != NULL)
			*sp = '\0';
		c = xasprintf("ssh %s -> %s", peer, host);
		free(peer);
		return c;
	}
	return xasprintf("%s %s", host, tty != NULL ? tty : "-");
}

static enum auth_result
auth_status(enum db_status st)
{
	return st == DB_LOST ? AUTH_DB_LOST : AUTH_DB_ERROR;
}

/*
 * Reads the one row a sign-in function returns into o. On a missing or
 * malformed result, o says why, res is freed and false is returned;
 * otherwise the caller still owns res.
 */
static bool
auth_outcome_from(PGresult *res, enum db_status st, int col_result, int col_locked,
    int col_left, struct auth_outcome *o)
{
	memset(o, 0, sizeof *o);
	o->failures_left = -1;
	if (res == NULL || PQntuples(res) != 1) {
		o->result = res == NULL ? auth_status(st) : AUTH_DB_ERROR;
		PQclear(res);
		return false;
	}
	o->result = auth_parse_result(PQgetvalue(res, 0, col_result));
	o->locked_until = PQgetisnull(res, 0, col_locked) ? 0 :
	    (time_t)strtoll(PQgetvalue(res, 0, col_locked), NULL, 10);
	o->failures_left = PQgetisnull(res, 0, col_left) ? -1 : atoi(PQgetvalue(res, 0, col_left));
	return true;
}

/*
 * The server binds a session to the connection that signed in
 * (db/migrations/0009_jurisdiction.sql); a new connection of db, after the
 * old one was lost, is bound again with the session's token, which only db
 * keeps (never shown, never logged).
 */
static void
auth_bind_reconnects(struct db *db, const char *session, const char *token)
{
	const char *p[] = { session, token };

	db_on_connect(db, "SELECT yc.session_resume($1::bigint, $2)", 2, p);
}

/* Runs a sign-in function (sql: the columns of yc.login from the
 * parameters staff, password, window, client and, when new_password is
 * not NULL, the new password) and fills s on AUTH_OK. */
static void
auth_sign_in(struct db *db, const char *sql, const char *staff_no, const char *password,
    const char *new_password, int window, struct auth_session *s, struct auth_outcome *o)
{
	char win[16], *client = auth_client();
	const char *p[] = { staff_no, password, window > 0 ? win : NULL, client, new_password };
	enum db_status st;
	PGresult *res;

	snprintf(win, sizeof win, "%d", window);
	res = db_query(db, &st, sql, new_password != NULL ? 5 : 4, p);
	free(client);
	if (!auth_outcome_from(res, st, 0, 9, 10, o))
		return;
	if (o->result == AUTH_OK) {
		auth_session_clear(s);
		s->id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		s->staff_no = xstrdup(PQgetvalue(res, 0, 2));
		s->staff_name = xstrdup(PQgetvalue(res, 0, 3));
		s->role = xstrdup(PQgetvalue(res, 0, 4));
		s->office_code = xstrdup(PQgetvalue(res, 0, 5));
		s->office_name = xstrdup(PQgetvalue(res, 0, 6));
		s->office_tier = xstrdup(PQgetvalue(res, 0, 7));
		s->window_no = PQgetisnull(res, 0, 8) ? 0 : atoi(PQgetvalue(res, 0, 8));
		auth_bind_reconnects(db, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 11));
		explicit_bzero(PQgetvalue(res, 0, 11), strlen(PQgetvalue(res, 0, 11)));
	}
	PQclear(res);
}

void
auth_login(struct db *db, const char *staff_no, const char *password, int window,
    struct auth_session *s, struct auth_outcome *o)
{
	auth_sign_in(db, "SELECT result, session_id, staff_no, staff_name, role, office_code, "
	    "office_name, office_tier, window_no, extract(epoch FROM locked_until)::bigint, "
	    "failures_left, token FROM yc.login($1, $2, $3::int, $4)", staff_no, password, NULL,
	    window, s, o);
}

void
auth_login_change(struct db *db, const char *staff_no, const char *password,
    const char *new_password, int window, struct auth_session *s, struct auth_outcome *o)
{
	auth_sign_in(db, "SELECT result, session_id, staff_no, staff_name, role, office_code, "
	    "office_name, office_tier, window_no, extract(epoch FROM locked_until)::bigint, "
	    "failures_left, token FROM yc.login_change_password($1, $2, $5, $3::int, $4)",
	    staff_no, password, new_password != NULL ? new_password : "", window, s, o);
}

void
auth_password_change(struct db *db, const struct auth_session *s, const char *password,
    const char *new_password, struct auth_outcome *o)
{
	char id[24];
	const char *p[] = { id, password, new_password };
	enum db_status st;
	PGresult *res;

	db_id(id, s->id);
	res = db_query(db, &st, "SELECT result, extract(epoch FROM locked_until)::bigint, "
	    "failures_left FROM yc.password_change($1::bigint, $2, $3)", 3, p);
	if (auth_outcome_from(res, st, 0, 1, 2, o))
		PQclear(res);
}

bool
auth_policy_read(struct db *db, struct auth_policy *p)
{
	PGresult *res = db == NULL ? NULL : db_query(db, NULL, "SELECT min_length, min_classes, "
	    "history, max_age_days FROM yc.password_policy()", 0, NULL);
	bool ok = res != NULL && PQntuples(res) == 1;

	p->min_length = ok ? db_int(res, 0, 0) : 8;
	p->min_classes = ok ? db_int(res, 0, 1) : 3;
	p->history = ok ? db_int(res, 0, 2) : 5;
	p->max_age_days = ok ? db_int(res, 0, 3) : 90;
	PQclear(res);
	return ok;
}

char *
auth_policy_text(const struct auth_policy *p)
{
	return xasprintf(_("At least %d characters mixing %d of: capital letters, small letters, "
	    "digits, other characters; not containing the staff number; neither the current "
	    "password nor one of the last %d."), p->min_length, p->min_classes, p->history);
}

char *
auth_rule_message(enum auth_result r, const struct auth_policy *p)
{
	switch (r) {
	case AUTH_RULE_TOO_SHORT:
		return xasprintf(_("The new password is too short: it needs at least %d characters."),
		    p->min_length);
	case AUTH_RULE_TOO_LONG:
		return xstrdup(_("The new password is too long: at most 72 bytes (a Chinese character "
		    "takes 3)."));
	case AUTH_RULE_BAD_CHARACTERS:
		return xstrdup(_("The new password contains control characters."));
	case AUTH_RULE_TOO_FEW_CLASSES:
		return xasprintf(_("The new password must mix at least %d of: capital letters, small "
		    "letters, digits, other characters."), p->min_classes);
	case AUTH_RULE_CONTAINS_STAFF_NO:
		return xstrdup(_("The new password must not contain the staff number."));
	case AUTH_RULE_REUSED:
		return xasprintf(_("The new password must differ from the current one and from the "
		    "last %d passwords."), p->history);
	default:
		return NULL;
	}
}

void
auth_unlock(struct db *db, const struct auth_session *s, const char *password,
    struct auth_outcome *o)
{
	char id[24];
	const char *p[] = { id, password };
	enum db_status st;
	PGresult *res;

	snprintf(id, sizeof id, "%lld", s->id);
	res = db_query(db, &st, "SELECT result, extract(epoch FROM locked_until)::bigint, "
	    "failures_left FROM yc.screen_unlock($1::bigint, $2)", 2, p);
	if (auth_outcome_from(res, st, 0, 1, 2, o))
		PQclear(res);
}

enum db_status
auth_lock(struct db *db, const struct auth_session *s)
{
	char id[24];
	const char *p[] = { id };

	snprintf(id, sizeof id, "%lld", s->id);
	return db_exec(db, "SELECT yc.screen_lock($1::bigint)", 1, p);
}

enum db_status
auth_logout(struct db *db, const struct auth_session *s, const char *reason)
{
	char id[24];
	const char *p[] = { id, reason };

	snprintf(id, sizeof id, "%lld", s->id);
	db_on_connect(db, NULL, 0, NULL);
	return db_exec(db, "SELECT yc.logout($1::bigint, $2)", 2, p);
}

enum auth_result
auth_session_check(struct db *db, const struct auth_session *s)
{
	char id[24];
	const char *p[] = { id };
	enum db_status st;
	PGresult *res;
	enum auth_result r;

	db_id(id, s->id);
	res = db_query(db, &st, "SELECT yc.session_check($1::bigint)", 1, p);
	if (res == NULL)
		return auth_status(st);
	r = PQntuples(res) != 1 ? AUTH_DB_ERROR :
	    strcmp(PQgetvalue(res, 0, 0), "open") == 0 ? AUTH_OK :
	    strcmp(PQgetvalue(res, 0, 0), "ended") == 0 ? AUTH_NO_SESSION : AUTH_DB_ERROR;
	PQclear(res);
	return r;
}

void
auth_logout_later(struct db *db)
{
	/* the arguments are evaluated first: resume, then sign out */
	db_on_connect_once(db, "SELECT yc.logout($1::bigint, "
	    "CASE yc.session_resume($1::bigint, $2) WHEN 'ok' THEN 'offline_logout' END)");
}

void
auth_session_clear(struct auth_session *s)
{
	free(s->staff_no);
	free(s->staff_name);
	free(s->role);
	free(s->office_code);
	free(s->office_name);
	free(s->office_tier);
	memset(s, 0, sizeof *s);
}

int
auth_setting_int(struct db *db, const char *key, int def)
{
	const char *p[] = { key };
	PGresult *res = db_query(db, NULL, "SELECT yc.setting_int($1)", 1, p);
	int v = def;

	if (res != NULL && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		v = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

size_t
auth_demo_accounts(struct db *db, struct auth_demo **out)
{
	PGresult *res = db_query(db, NULL,
	    "SELECT staff_no, name, role, office_name FROM yc.demo_accounts()", 0, NULL);
	size_t n = res != NULL ? (size_t)PQntuples(res) : 0;

	*out = n > 0 ? xcalloc(n, sizeof **out) : NULL;
	for (size_t i = 0; i < n; i++) {
		(*out)[i].staff_no = xstrdup(PQgetvalue(res, (int)i, 0));
		(*out)[i].name = xstrdup(PQgetvalue(res, (int)i, 1));
		(*out)[i].role = xstrdup(PQgetvalue(res, (int)i, 2));
		(*out)[i].office = xstrdup(PQgetvalue(res, (int)i, 3));
	}
	PQclear(res);
	return n;
}

void
auth_demo_free(struct auth_demo **list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((*list)[i].staff_no);
		free((*list)[i].name);
		free((*list)[i].role);
		free((*list)[i].office);
	}
	free(*list);
	*list = NULL;
}
