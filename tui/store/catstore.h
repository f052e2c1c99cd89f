/*
 * The catalogue in the database. A load writes every definition as one new
 * catalogue version in one transaction (all or nothing); loaded versions
 * never change, so a case keeps the version it was accepted under. The
 * window reads the latest version.
 */
#ifndef YC_CATSTORE_H
#define YC_CATSTORE_H

#include <stdbool.h>

#include "model/catalogue.h"
#include "model/search.h"
#include "store/db.h"

enum catstore_load_result { CATSTORE_LOADED, CATSTORE_UNCHANGED, CATSTORE_REFUSED, CATSTORE_FAILED };

/* What a load would take out of the catalogue: of the current case types
 * of the latest version, how many the new one no longer has, and the
 * first few of their codes ("002036001001, 002036001002, …"). */
struct catstore_removal {
	int current, removed;
	char codes[128];
};

/*
 * Loads cat as a new version (loaded_by is recorded and audited). With
 * if_changed, nothing is written when the latest version holds exactly
 * the same definitions. *version gets the new or current version. A load
 * that would remove more than half of the latest version's case types
 * (every one of them included: intake would stop for every type it
 * drops) is refused unless force, nothing written (CATSTORE_REFUSED);
 * *rm (may be NULL) says what it would remove either way, and a forced
 * removal is in the audit row. On CATSTORE_FAILED *err is a malloc'd
 * message.
 */
enum catstore_load_result catstore_load(struct db *db, const struct catalogue *cat,
    const char *loaded_by, bool if_changed, bool force, int *version, struct catstore_removal *rm,
    char **err);

/* The latest version's case types that an office of one of the levels of
 * the mask tiers may accept (a mask of enum cat_tier; 0: all), sorted by
 * code. *out malloc'd; returns the count, or -1 with the database status
 * in *st. */
int catstore_list(struct db *db, unsigned tiers, struct cat_summary **out, enum db_status *st);
void catstore_list_free(struct cat_summary **list, int n);

/* The XML of code in the latest version (malloc'd), or NULL. */
char *catstore_definition(struct db *db, const char *code, int *version, enum db_status *st);

/* The parsed definition of code in catalogue version *version (0: the
 * latest; *version gets the version read). NULL when it is not loaded
 * (*st DB_OK), damaged (*st DB_OK, *damaged true) or the database failed. */
struct cat_def *catstore_def(struct db *db, const char *code, int *version, enum db_status *st,
    bool *damaged);

#endif
