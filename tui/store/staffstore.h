/*
 * Staff accounts administered through the server functions of
 * db/functions/admin.sql (yc.staff_list, yc.staff_add, yc.staff_edit,
 * yc.staff_set_active, yc.staff_open_cases, yc.staff_reset_password,
 * yc.staff_unlock). The database decides who may do what: an
 * administrator's session works on its own office and the offices below
 * it; session 0 stands for the database owner (a trusted connection: the
 * first set-up), refused on the application role. Each change is one
 * call, audited by the server with the account before and after. A
 * temporary password comes back once, to be shown once: the caller wipes
 * it (explicit_bzero) when it has been shown.
 */
#ifndef YC_STAFFSTORE_H
#define YC_STAFFSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "store/db.h"

enum staffstore_result {
	SS_OK,
	SS_NO_SESSION,		/* the session has ended (or is not this connection's) */
	SS_NOT_ALLOWED,		/* not an administrator (or no session on the application role) */
	SS_OUT_OF_JURISDICTION,	/* the account or the office is outside the administrator's offices */
	SS_NOT_FOUND,		/* no such staff number */
	SS_EXISTS,		/* the staff number is taken */
	SS_BAD_STAFF_NO,	/* not 3-32 small letters, digits or _ */
	SS_BAD_NAME,		/* empty, over 40 characters, control characters */
	SS_BAD_ROLE,
	SS_UNKNOWN_OFFICE,
	SS_BAD_INPUT,		/* an unknown state of the list filter */
	SS_SELF,		/* one's own account: not disabled, demoted, moved or reset */
	SS_LAST_ADMIN,		/* the last administrator of a centre (county or above) */
	SS_UNCHANGED,		/* nothing to change (already so) */
	SS_NOT_LOCKED,
	SS_DB_LOST,
	SS_DB_ERROR
};

/* A translated sentence saying what the result means. */
const char *staffstore_message(enum staffstore_result r);

struct staffstore_row {
	char staff_no[40], name[128], role[16], office_code[16], office_name[128];
	bool active, must_change, expired, signed_in;
	time_t locked_until;	/* 0 when not locked */
	char changed_at[24];	/* when the password was set, "YYYY-MM-DD HH:MM" in China */
	int open_cases;		/* cases of which the staff is 首问负责, still open */
};

/* What to list; NULL members select everything. state: all, active,
 * disabled, locked, must_change. */
struct staffstore_filter {
	const char *office, *role, *state, *text;
};

/* The accounts the session administers that match f, by office and staff
 * number; *rows malloc'd (free()), *n their number. */
enum staffstore_result staffstore_list(struct db *db, long long session,
    const struct staffstore_filter *f, struct staffstore_row **rows, size_t *n);
/* A new account; temp gets its one-time password on SS_OK. */
enum staffstore_result staffstore_add(struct db *db, long long session, const char *staff_no,
    const char *name, const char *role, const char *office, char temp[64]);
/* Name, role, office (NULL: unchanged). */
enum staffstore_result staffstore_edit(struct db *db, long long session, const char *staff_no,
    const char *name, const char *role, const char *office);
/* Disables (active false) or enables an account; *open_cases (may be
 * NULL) gets how many cases the staff still has open. */
enum staffstore_result staffstore_set_active(struct db *db, long long session,
    const char *staff_no, bool active, int *open_cases);
/* A new one-time password, in temp on SS_OK. */
enum staffstore_result staffstore_reset_password(struct db *db, long long session,
    const char *staff_no, char temp[64]);
enum staffstore_result staffstore_unlock(struct db *db, long long session, const char *staff_no);

struct staffstore_case {
	char case_no[32], office_code[16], type_name[128], status[24], promised[12];
};
/* The open cases of which the staff is 首问负责, most urgent first;
 * *cases malloc'd (free()). */
enum staffstore_result staffstore_open_cases(struct db *db, long long session,
    const char *staff_no, struct staffstore_case **cases, size_t *n);

struct staffstore_office {
	char code[16], name[128];
};
/* The offices whose codes start with under ("": all), by code; *out
 * malloc'd (free()). -1 when they cannot be read. */
int staffstore_offices(struct db *db, const char *under, struct staffstore_office **out);

/* Whether role is one of the roles (clerk, reviewer, supervisor, admin,
 * guide). */
bool staffstore_role_ok(const char *role);

#endif
