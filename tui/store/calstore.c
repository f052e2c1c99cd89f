/* The working-day calendar in the database; see calstore.h. */
#include "store/calstore.h"

#include <stdlib.h>
#include <string.h>

#include "model/calendar.h"
#include "model/holiday.h"
#include "store/migrate.h"
#include "util/xalloc.h"

/* Rolls back the transaction; -1 with *err saying what failed and why. */
static int
calstore_fail(struct db *db, char **err, const char *what)
{
	if (strcmp(db_sqlstate(db), "YC002") == 0)
		*err = xasprintf("%s: official years come first: %s", what, db_detail(db));
	else
		*err = xasprintf("%s: %s", what, db_detail(db));
	db_exec(db, "ROLLBACK", 0, NULL);
	return -1;
}

/* Recomputes the open cases counted through year (yc.calendar_recompute)
 * and adds how many changed to *moved; DB_OK or the failure. */
static enum db_status
calstore_recompute(struct db *db, const char *year, int *moved)
{
	PGresult *res = db_query(db, NULL, "SELECT yc.calendar_recompute($1::int)", 1,
	    (const char *[]){ year });

	if (res == NULL)
		return DB_ERROR;
	*moved += db_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}

static enum db_status
calstore_audit(struct db *db, const char *action, int years, int moved, const char *path)
{
	char n[16], m[16];

	snprintf(n, sizeof n, "%d", years);
	snprintf(m, sizeof m, "%d", moved);
	return db_exec(db, "SELECT yc.audit_write('000000', current_user, NULL, $1, 'calendar', NULL, "
	    "jsonb_build_object('years', $2::int, 'cases_moved', $3::int, 'source', $4::text), NULL)",
	    4, (const char *[]){ action, n, m, path });
}

/* Empties a year's adjustments and writes its row of yc.calendar_year. */
static enum db_status
calstore_year(struct db *db, const char *year, const char *basis, const char *source)
{
	if (db_exec(db, "INSERT INTO yc.calendar_year (year, source, basis) VALUES ($1::int, $2, $3) "
	    "ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, basis = EXCLUDED.basis, "
	    "loaded_at = now()", 3, (const char *[]){ year, source, basis }) != DB_OK)
		return DB_ERROR;
	return db_exec(db, "DELETE FROM yc.workday_adjustment "
	    "WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)",
	    1, (const char *[]){ year });
}

static enum db_status
calstore_day(struct db *db, struct cal_date d, const char *kind, const char *name)
{
	char day[11];

	cal_date_format(d, day);
	return db_exec(db, "INSERT INTO yc.workday_adjustment (day, kind, name) VALUES ($1::date, $2, $3)",
	    3, (const char *[]){ day, kind, name });
}

/* The basis of a loaded year, locked: "official", "provisional" or "". */
static int
calstore_basis(struct db *db, const char *year, char basis[16])
{
	PGresult *res = db_query(db, NULL, "SELECT basis FROM yc.calendar_year WHERE year = $1::int "
	    "FOR UPDATE", 1, (const char *[]){ year });

	if (res == NULL)
		return -1;
	basis[0] = '\0';
	if (PQntuples(res) > 0)
		db_copy(basis, 16, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* NULL when every year of cal gives all its statutory days off (see
 * calstore_load), else the malloc'd reason. */
static char *
calstore_incomplete(const struct calendar *cal, const char *path, const char *statutory)
{
	size_t len;
	char *why = NULL, *text = migrate_read(statutory, &len, &why);
	struct holiday_table *t;
	int last = 0;

	if (text == NULL)
		return why;
	t = holiday_parse(text, len, &why);
	free(text);
	if (t == NULL) {
		char *msg = xasprintf("%s: %s", statutory, why);

		free(why);
		return msg;
	}
	for (size_t i = 0; why == NULL && i < cal_count(cal); i++) {
		const struct cal_entry *e = cal_entry_at(cal, i);
		struct cal_date d;
		const char *name;
		char day[11];

		if (e->day.y == last)
			continue;
		last = e->day.y;
		if (!holiday_official_complete(t, cal, last, &d, &name)) {
			cal_date_format(d, day);
			why = xasprintf("%s: %d is not a whole year: %s (%s) is not a day off. An official "
			    "calendar lists every statutory holiday of its year; nothing was loaded.",
			    path, last, day, name);
		}
	}
	holiday_free(&t);
	return why;
}

int
calstore_load(struct db *db, const char *path, const char *statutory, bool only_new, int *moved,
    char **err)
{
	size_t len;
	char *text = migrate_read(path, &len, err), *perr = NULL;
	struct calendar *cal;
	int years = 0, last = 0, changed = 0, nredo = 0, *redo = NULL;
	bool skip = false;

	if (moved != NULL)
		*moved = 0;
	if (text == NULL)
		return -1;
	cal = cal_parse(text, len, &perr);
	free(text);
	if (cal == NULL) {
		*err = xasprintf("%s: %s", path, perr);
		free(perr);
		return -1;
	}
	if ((*err = calstore_incomplete(cal, path, statutory)) != NULL) {
		cal_free(&cal);
		return -1;
	}
	if (db_exec(db, "BEGIN", 0, NULL) != DB_OK)
		goto fail;
	for (size_t i = 0; i < cal_count(cal); i++) {
		const struct cal_entry *e = cal_entry_at(cal, i);

		if (e->day.y != last) {
			char year[8], basis[16];

			last = e->day.y;
			snprintf(year, sizeof year, "%d", last);
			if (calstore_basis(db, year, basis) != 0)
				goto fail;
			skip = only_new && strcmp(basis, "official") == 0;
			if (skip)
				continue;
			if (calstore_year(db, year, "official", path) != DB_OK)
				goto fail;
			years++;
			if (strcmp(basis, "provisional") == 0) {
				redo = xreallocarray(redo, (size_t)nredo + 1, sizeof *redo);
				redo[nredo++] = last;
			}
		}
		if (!skip && calstore_day(db, e->day, e->kind == 'w' ? "work" : "off", e->name) != DB_OK)
			goto fail;
	}
	cal_free(&cal);
	/* every day of the file is in: now the cases counted through the
	 * years that were provisional */
	for (int k = 0; k < nredo; k++) {
		char year[8];

		snprintf(year, sizeof year, "%d", redo[k]);
		if (calstore_recompute(db, year, &changed) != DB_OK) {
			free(redo);
			return calstore_fail(db, err, "cannot recompute the cases of the year");
		}
	}
	free(redo);
	if (years > 0 && calstore_audit(db, "calendar_load", years, changed, path) != DB_OK)
		return calstore_fail(db, err, "cannot audit the calendar load");
	if (db_exec(db, "COMMIT", 0, NULL) != DB_OK)
		return calstore_fail(db, err, "cannot load the calendar");
	if (moved != NULL)
		*moved = changed;
	return years;
fail:
	cal_free(&cal);
	free(redo);
	return calstore_fail(db, err, "cannot load the calendar");
}

/* The stored days of a loaded year as "YYYY-MM-DD name,..." (malloc'd), or
 * NULL when it cannot be read. */
static char *
calstore_days_text(struct db *db, const char *year)
{
	PGresult *res = db_query(db, NULL, "SELECT coalesce(string_agg(day || ' ' || kind || ' ' || name, ',' "
	    "ORDER BY day), '') FROM yc.workday_adjustment "
	    "WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)",
	    1, (const char *[]){ year });
	char *text;

	if (res == NULL)
		return NULL;
	text = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return text;
}

/* The same for the days the rules give. */
static char *
calstore_rule_text(const struct holiday_day *days, int n)
{
	char *text = xstrdup(""), *next, day[11];

	for (int k = 0; k < n; k++) {
		cal_date_format(days[k].day, day);
		next = xasprintf("%s%s%s off %s", text, k > 0 ? "," : "", day, days[k].name);
		free(text);
		text = next;
	}
	return text;
}

/* Writes one provisional year (new, or replacing a provisional one whose
 * days differ from the rules'); 1 written, 0 already so, -1 failure. The
 * cases a replaced year moves are added to *moved. */
static int
calstore_provisional_year(struct db *db, const struct holiday_table *t, int y, const char *path,
    int *moved)
{
	struct holiday_day days[HOLIDAY_MAX_DAYS];
	char year[8], basis[16], *have, *want;
	int n = holiday_year(t, y, days, HOLIDAY_MAX_DAYS), same;

	if (n < 0)
		return 0;
	snprintf(year, sizeof year, "%d", y);
	if (calstore_basis(db, year, basis) != 0)
		return -1;
	if (strcmp(basis, "official") == 0)
		return 0;
	if (basis[0] != '\0') {
		if ((have = calstore_days_text(db, year)) == NULL)
			return -1;
		want = calstore_rule_text(days, n);
		same = strcmp(have, want) == 0;
		free(have);
		free(want);
		if (same)
			return 0;
	}
	if (calstore_year(db, year, "provisional", path) != DB_OK)
		return -1;
	for (int k = 0; k < n; k++)
		if (calstore_day(db, days[k].day, "off", days[k].name) != DB_OK)
			return -1;
	if (basis[0] != '\0' && calstore_recompute(db, year, moved) != DB_OK)
		return -1;
	return 1;
}

int
calstore_provisional(struct db *db, const char *path, int *moved, char **err)
{
	size_t len;
	char *text = migrate_read(path, &len, err), *perr = NULL;
	struct holiday_table *t;
	PGresult *res;
	int years = 0, from, changed = 0;

	if (moved != NULL)
		*moved = 0;
	if (text == NULL)
		return -1;
	t = holiday_parse(text, len, &perr);
	free(text);
	if (t == NULL) {
		*err = xasprintf("%s: %s", path, perr);
		free(perr);
		return -1;
	}
	if (db_exec(db, "BEGIN", 0, NULL) != DB_OK ||
	    (res = db_query(db, NULL, "SELECT coalesce(max(year), 0) + 1 FROM yc.calendar_year "
	    "WHERE basis = 'official'", 0, NULL)) == NULL)
		goto fail;
	from = db_int(res, 0, 0);
	PQclear(res);
	for (int y = from > holiday_first_year(t) ? from : holiday_first_year(t);
	     y <= holiday_last_year(t); y++) {
		int r = calstore_provisional_year(db, t, y, path, &changed);

		if (r < 0)
			goto fail;
		years += r;
	}
	holiday_free(&t);
	if (years > 0 && calstore_audit(db, "calendar_provisional", years, changed, path) != DB_OK)
		return calstore_fail(db, err, "cannot audit the provisional calendar");
	if (db_exec(db, "COMMIT", 0, NULL) != DB_OK)
		return calstore_fail(db, err, "cannot load the provisional calendar");
	if (moved != NULL)
		*moved = changed;
	return years;
fail:
	holiday_free(&t);
	return calstore_fail(db, err, "cannot load the provisional calendar");
}

/* The one integer a query returns (SQL NULL: 0), -1 when it fails. */
static int
calstore_int(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, NULL, sql, 0, NULL);
	int v;

	if (res == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		return -1;
	}
	v = db_int(res, 0, 0);
	PQclear(res);
	return v;
}

int
calstore_provisional_from(struct db *db)
{
	return calstore_int(db, "SELECT min(year) FROM yc.calendar_year WHERE basis = 'provisional'");
}

int
calstore_missing(struct db *db)
{
	return calstore_int(db, "SELECT yc.calendar_missing()");
}
