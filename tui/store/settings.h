/*
 * The known settings of the database (yc.setting with a type: idle lock,
 * lockout, password policy, wait target, senior age, calendar warning),
 * through yc.setting_list and yc.setting_set (db/functions/hours.sql).
 *
 * Reading them takes an administrator's session, changing them an
 * administrator of a centre (an office of county level or above; they hold for the whole
 * database); session 0 is the database owner's own connection (first
 * set-up). The server checks every value against the setting's type and
 * range and audits each change with before and after.
 */
#ifndef YC_SETTINGS_H
#define YC_SETTINGS_H

#include <stdbool.h>

#include "store/db.h"

enum settings_result {
	SET_OK,
	SET_UNCHANGED,		/* the setting had that value already */
	SET_NO_SESSION,
	SET_NOT_ALLOWED,	/* not an administrator; changing: not of a centre */
	SET_UNKNOWN,		/* no known setting of that name */
	SET_BAD_VALUE,		/* not of the setting's type (a whole number, MM-DD, a word) */
	SET_OUT_OF_RANGE,
	SET_DB_LOST,
	SET_DB_ERROR
};

struct settings_row {
	char key[48];
	char value[32], def[32];
	char type[8];			/* int | mmdd | choice */
	int min, max;			/* int only */
	char choices[64];		/* choice only: the words, "prefecture|county" */
	char description[256];		/* in the language of the screen */
	bool may_change;		/* for this session */
};

/* The known settings in their order, at most max; how many, or -1 with
 * *r saying why. */
int settings_list(struct db *db, long long session, struct settings_row *out, int max,
    enum settings_result *r);

/* What a change found: the setting's type and range, its value before and
 * after (for the message of a refusal and the confirmation). */
struct settings_change {
	char key[48];
	char old_value[32], new_value[32];
	char type[8];
	int min, max;
	char choices[64];
};
enum settings_result settings_set(struct db *db, long long session, const char *key,
    const char *value, struct settings_change *out);

/* One sentence for a result (translated; malloc'd): for SET_OUT_OF_RANGE
 * and SET_BAD_VALUE it names the setting and what it takes, for SET_OK the
 * change ("idle_lock_minutes: 10 → 15"). */
char *settings_message(enum settings_result r, const struct settings_change *c);
/* The range of a row as shown: "1–120", "MM-DD", "prefecture|county".
 * malloc'd. */
char *settings_range(const char *type, int min, int max, const char *choices);

#endif
