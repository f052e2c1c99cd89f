/*
 * Staff sign-in, screen lock and sign-out, through the server-side
 * functions yc.login, yc.screen_lock, yc.screen_unlock and yc.logout (which
 * check the password hashes, count failures, lock accounts and write the
 * audit rows; the client never sees a hash).
 */
#ifndef YC_AUTH_H
#define YC_AUTH_H

#include <time.h>

#include "store/db.h"

enum auth_result {
	AUTH_OK,
	AUTH_BAD_CREDENTIALS,	/* unknown staff number or wrong password */
	AUTH_LOCKED,		/* too many failures; see locked_until */
	AUTH_DISABLED,
	AUTH_WINDOW_REQUIRED,	/* clerks must give their window */
	AUTH_UNKNOWN_WINDOW,
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

/* window 0 means none given. Fills s on AUTH_OK. */
void auth_login(struct db *db, const char *staff_no, const char *password, int window,
    struct auth_session *s, struct auth_outcome *o);
void auth_unlock(struct db *db, const struct auth_session *s, const char *password,
    struct auth_outcome *o);
enum db_status auth_lock(struct db *db, const struct auth_session *s);
enum db_status auth_logout(struct db *db, const struct auth_session *s, const char *reason);
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
