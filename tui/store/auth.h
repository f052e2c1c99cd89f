/*
 * Staff sign-in, screen lock and sign-out, through the server-side
 * functions yc.login, yc.screen_lock, yc.screen_unlock and yc.logout (which
 * check the password hashes, count failures, lock accounts and write the
 * audit rows; the client never sees a hash).
 */
#ifndef YC_AUTH_H
#define YC_AUTH_H

#include <stdbool.h>
#include <time.h>

#include "store/db.h"

enum auth_result {
	AUTH_OK,
	AUTH_BAD_CREDENTIALS,	/* unknown staff number or wrong password */
	AUTH_LOCKED,		/* too many failures; see locked_until */
	AUTH_DISABLED,
	AUTH_WINDOW_REQUIRED,	/* clerks must give their window */
	AUTH_UNKNOWN_WINDOW,
	AUTH_PASSWORD_RESET,	/* right password, but temporary: no session until changed */
	AUTH_PASSWORD_EXPIRED,	/* right password, but older than the policy allows: the same */
	AUTH_NO_SESSION,	/* a password change of a session that is no longer open */
	/* A new password refused by the policy (yc.password_rule_broken): */
	AUTH_RULE_TOO_SHORT,
	AUTH_RULE_TOO_LONG,	/* over 72 bytes */
	AUTH_RULE_BAD_CHARACTERS,	/* control characters */
	AUTH_RULE_TOO_FEW_CLASSES,
	AUTH_RULE_CONTAINS_STAFF_NO,
	AUTH_RULE_REUSED,	/* the current password or one of the last ones */
	AUTH_DB_LOST,		/* connection down: nothing happened */
	AUTH_DB_ERROR		/* unexpected server error (see db_detail) */
};

struct auth_session {
	long long id;		/* 0 when signed out */
	char *staff_no, *staff_name, *role;
	char *office_code, *office_name, *office_tier;
	int window_no;		/* 0 when the staff has no window */
};

struct auth_outcome {
	enum auth_result result;
	time_t locked_until;	/* for AUTH_LOCKED */
	int failures_left;	/* for AUTH_BAD_CREDENTIALS, -1 when unknown */
};

/* window 0 means none given. Fills s on AUTH_OK. AUTH_PASSWORD_RESET and
 * AUTH_PASSWORD_EXPIRED open no session: the user chooses a new password
 * (auth_login_change). */
void auth_login(struct db *db, const char *staff_no, const char *password, int window,
    struct auth_session *s, struct auth_outcome *o);
/* The sign-in of a user with a temporary or expired password, with the new
 * one (yc.login_change_password): the current password is checked as by
 * auth_login; then the new one must keep the policy (AUTH_RULE_*: nothing
 * changed); AUTH_OK when it was stored and the session opened (s filled). */
void auth_login_change(struct db *db, const char *staff_no, const char *password,
    const char *new_password, int window, struct auth_session *s, struct auth_outcome *o);
/* The signed-in user changes their own password (yc.password_change):
 * AUTH_OK; AUTH_BAD_CREDENTIALS (the current password is wrong; counted
 * as a failed sign-in), AUTH_LOCKED (and the session has ended),
 * AUTH_NO_SESSION, AUTH_RULE_*, AUTH_DB_LOST, AUTH_DB_ERROR. */
void auth_password_change(struct db *db, const struct auth_session *s, const char *password,
    const char *new_password, struct auth_outcome *o);

/* The password policy (yc.password_policy, settings of 0021). */
struct auth_policy {
	int min_length, min_classes, history, max_age_days;
};
/* Reads it (db may be NULL); false, and the defaults 8, 3, 5, 90, when it
 * cannot be read. */
bool auth_policy_read(struct db *db, struct auth_policy *p);
/* One line stating the policy, for the screens that ask for a new
 * password (malloc'd, translated). */
char *auth_policy_text(const struct auth_policy *p);
/* The sentence naming the rule a new password broke (r one of
 * AUTH_RULE_*), with the policy's figures; malloc'd, translated. NULL for
 * any other result. */
char *auth_rule_message(enum auth_result r, const struct auth_policy *p);
void auth_unlock(struct db *db, const struct auth_session *s, const char *password,
    struct auth_outcome *o);
enum db_status auth_lock(struct db *db, const struct auth_session *s);
enum db_status auth_logout(struct db *db, const struct auth_session *s, const char *reason);
/* Whether the session is still open on this connection
 * (yc.session_check): AUTH_OK; AUTH_NO_SESSION when it has ended (replaced
 * by a sign-in elsewhere, ended by an administrator) or is not this
 * connection's; AUTH_DB_LOST, AUTH_DB_ERROR when that cannot be told. */
enum auth_result auth_session_check(struct db *db, const struct auth_session *s);
/* The sign-out of a session while the connection is lost: done on the
 * server as soon as the connection is back (the session resumed with its
 * token, then ended with reason offline_logout), so that the window does
 * not look occupied meanwhile. A sign-in before then replaces it. */
void auth_logout_later(struct db *db);
/* Frees the fields and zeroes s. */
void auth_session_clear(struct auth_session *s);

/* An integer setting from yc.setting, or def when missing or unreachable. */
int auth_setting_int(struct db *db, const char *key, int def);

struct auth_demo {
	char *staff_no, *name, *role, *office;
};
/* The demo accounts when the database holds demo data; *out malloc'd. */
size_t auth_demo_accounts(struct db *db, struct auth_demo **out);
void auth_demo_free(struct auth_demo **list, size_t n);

#endif
