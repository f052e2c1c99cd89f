/* The catalogue in the database; see catstore.h. */
#include "store/catstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/paths.h"
#include "util/xalloc.h"

static const char *
catstore_kind(enum cat_limit_kind k)
{
	return k == CAT_WORKDAYS ? "workdays" : k == CAT_MONTHS ? "months" : "immediate";
}

/* The text[] literal of a mask of levels, "{prefecture,county,township}"
 * (highest first; "{}" for none). out holds at least 64 bytes. */
static void
catstore_tiers(unsigned mask, char *out, size_t size)
{
	size_t n = 0;

	n += (size_t)snprintf(out + n, size - n, "{");
	for (unsigned t = CAT_TIER_FIRST; t <= CAT_TIER_LAST && n < size; t <<= 1)
		if (mask & t)
			n += (size_t)snprintf(out + n, size - n, "%s%s", n > 1 ? "," : "",
			    cat_tier_word(t));
	if (n < size)
		snprintf(out + n, size - n, "}");
}

/* true when the latest version holds exactly cat's definitions. */
static bool
catstore_same(struct db *db, const struct catalogue *cat, int latest)
{
	char v[16];
	const char *p[] = { v };
	PGresult *res;
	bool same;

	snprintf(v, sizeof v, "%d", latest);
	res = db_query(db, NULL, "SELECT code, definition FROM yc.case_type WHERE version = $1::int "
	    "ORDER BY code", 1, p);
	if (res == NULL)
		return false;
	same = (size_t)PQntuples(res) == cat->n;
	for (size_t i = 0; same && i < cat->n; i++)
		same = strcmp(PQgetvalue(res, (int)i, 0), cat->defs[i]->code) == 0 &&
		    strcmp(PQgetvalue(res, (int)i, 1), cat->defs[i]->xml) == 0;
	PQclear(res);
	return same;
}

/* What loading cat after version latest would remove (see
 * catstore_removal); false when it cannot be read. */
static bool
catstore_removal(struct db *db, const struct catalogue *cat, int latest, struct catstore_removal *rm)
{
	char v[16], *codes = xstrdup("{"), *next;
	PGresult *res;

	memset(rm, 0, sizeof *rm);
	for (size_t i = 0; i < cat->n; i++) {
		next = xasprintf("%s%s\"%s\"", codes, i > 0 ? "," : "", cat->defs[i]->code);
		free(codes);
		codes = next;
	}
	next = xasprintf("%s}", codes);
	free(codes);
	codes = next;
	snprintf(v, sizeof v, "%d", latest);
	res = db_query(db, NULL, "SELECT count(*), count(*) FILTER (WHERE NOT code = ANY ($2::text[])), "
	    "coalesce(array_to_string((array_agg(code ORDER BY code) FILTER (WHERE NOT code = ANY ($2::text[])))"
	    "[1:3], ', ') || CASE WHEN count(*) FILTER (WHERE NOT code = ANY ($2::text[])) > 3 "
	    "THEN ', …' ELSE '' END, '') "
	    "FROM yc.case_type WHERE version = $1::int", 2, (const char *[]){ v, codes });
	free(codes);
	if (res == NULL)
		return false;
	rm->current = db_int(res, 0, 0);
	rm->removed = db_int(res, 0, 1);
	DB_COPY(rm->codes, res, 0, 2);
	PQclear(res);
	return true;
}

static enum catstore_load_result
catstore_fail(struct db *db, char **err, const char *what)
{
	*err = xasprintf("%s: %s", what, db_detail(db));
	db_exec(db, "ROLLBACK", 0, NULL);
	return CATSTORE_FAILED;
}

static bool
catstore_insert(struct db *db, const struct cat_def *d, const char *version)
{
	char tiers[64], rev[16], days[16], special[16], months[16];
	const char *p[] = {
		d->code, version, d->name, d->category, d->pinyin, tiers, d->xml, rev,
		d->local ? "true" : "false", d->category_pinyin, catstore_kind(d->limit_kind),
		d->limit_kind == CAT_WORKDAYS ? days : NULL,
		d->limit_kind == CAT_WORKDAYS && d->special_days > 0 ? special : NULL,
		d->limit_kind == CAT_MONTHS ? months : NULL,
	};

	catstore_tiers(d->tiers, tiers, sizeof tiers);
	snprintf(rev, sizeof rev, "%d", d->revision);
	snprintf(days, sizeof days, "%d", d->limit_days);
	snprintf(special, sizeof special, "%d", d->special_days);
	snprintf(months, sizeof months, "%d", d->limit_months);
	return db_exec(db, "INSERT INTO yc.case_type (code, version, name, category, pinyin, tiers, "
	    "definition, revision, local, category_pinyin, limit_kind, limit_days, special_days, "
	    "limit_months) VALUES ($1, $2::int, $3, $4, $5, $6::text[], $7, $8::int, $9::boolean, "
	    "$10, $11, $12::int, $13::int, $14::int)", 14, p) == DB_OK;
}

enum catstore_load_result
catstore_load(struct db *db, const struct catalogue *cat, const char *loaded_by, bool if_changed,
    bool force, int *version, struct catstore_removal *rm_out, char **err)
{
	char v[16], count[16], removed[16];
	struct catstore_removal rm;
	PGresult *res;
	int latest;

	*err = NULL;
	if (rm_out != NULL)
		memset(rm_out, 0, sizeof *rm_out);
	if (db_exec(db, "BEGIN", 0, NULL) != DB_OK ||
	    db_exec(db, "LOCK TABLE yc.catalogue_version IN EXCLUSIVE MODE", 0, NULL) != DB_OK)
		return catstore_fail(db, err, "cannot start loading the catalogue");
	res = db_query(db, NULL, "SELECT coalesce(max(version), 0) FROM yc.catalogue_version", 0, NULL);
	if (res == NULL)
		return catstore_fail(db, err, "cannot read the catalogue version");
	latest = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (if_changed && latest > 0 && catstore_same(db, cat, latest)) {
		db_exec(db, "ROLLBACK", 0, NULL);
		*version = latest;
		return CATSTORE_UNCHANGED;
	}
	if (!catstore_removal(db, cat, latest, &rm))
		return catstore_fail(db, err, "cannot compare with the loaded catalogue");
	if (rm_out != NULL)
		*rm_out = rm;
	if (!force && rm.removed * 2 > rm.current) {
		db_exec(db, "ROLLBACK", 0, NULL);
		*version = latest;
		return CATSTORE_REFUSED;
	}
	snprintf(v, sizeof v, "%d", latest + 1);
	snprintf(count, sizeof count, "%zu", cat->n);
	snprintf(removed, sizeof removed, "%d", rm.removed);
	if (db_exec(db, "INSERT INTO yc.catalogue_version (version, loaded_by, file_count) "
	    "VALUES ($1::int, $2, $3::int)", 3, (const char *[]){ v, loaded_by, count }) != DB_OK)
		return catstore_fail(db, err, "cannot record the catalogue version");
	for (size_t i = 0; i < cat->n; i++)
		if (!catstore_insert(db, cat->defs[i], v)) {
			char *what = xasprintf("cannot load %s", cat->defs[i]->file);
			enum catstore_load_result r = catstore_fail(db, err, what);

			free(what);
			return r;
		}
	if (db_exec(db, "SELECT yc.audit_write('000000', $1, NULL, 'catalogue_load', "
	    "'catalogue_version:' || $2, NULL, jsonb_build_object('version', $2::int, "
	    "'definitions', $3::int, 'removed', $4::int, 'forced', $5::boolean), NULL)", 5,
	    (const char *[]){ loaded_by, v, count, removed, force ? "true" : "false" }) != DB_OK)
		return catstore_fail(db, err, "cannot audit the catalogue load");
	if (db_exec(db, "COMMIT", 0, NULL) != DB_OK)
		return catstore_fail(db, err, "cannot commit the catalogue");
	*version = latest + 1;
	return CATSTORE_LOADED;
}

/* The mask of a text[] of levels as PostgreSQL prints it,
 * "{prefecture,county}"; words it does not know are ignored. */
static unsigned
catstore_tier_mask(const char *arr)
{
	unsigned mask = 0;
	char *copy = xstrdup(arr), *p, *save = NULL;

	for (p = copy; *p != '\0'; p++)
		if (*p == '{' || *p == '}' || *p == ',' || *p == '"')
			*p = ' ';
	for (p = strtok_r(copy, " ", &save); p != NULL; p = strtok_r(NULL, " ", &save))
		mask |= cat_tiers_parse(p);
	free(copy);
	return mask;
}

int
catstore_list(struct db *db, unsigned tiers, struct cat_summary **out, enum db_status *st)
{
	char arr[64];
	const char *p[] = { NULL };
	PGresult *res;
	int n;

	*out = NULL;
	if ((tiers & CAT_TIERS_ALL) != 0) {
		catstore_tiers(tiers & CAT_TIERS_ALL, arr, sizeof arr);
		p[0] = arr;
	}
	res = db_query(db, st, "SELECT code, name, coalesce(category, ''), pinyin, category_pinyin, "
	    "tiers::text, limit_kind, coalesce(limit_days, 0), coalesce(special_days, 0), "
	    "coalesce(limit_months, 0), xpath_exists('/c:case-type/c:limit[@when]', definition::xml, "
	    "ARRAY[ARRAY['c', 'urn:yichuang:case-type:1']]) FROM yc.case_type "
	    "WHERE version = (SELECT max(version) FROM yc.catalogue_version) "
	    "AND ($1::text[] IS NULL OR tiers && $1::text[]) ORDER BY code LIMIT 2000", 1, p);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	*out = n > 0 ? xcalloc((size_t)n, sizeof **out) : NULL;
	for (int i = 0; i < n; i++) {
		struct cat_summary *s = &(*out)[i];
		const char *kind = PQgetvalue(res, i, 6);

		s->code = xstrdup(PQgetvalue(res, i, 0));
		s->name = xstrdup(PQgetvalue(res, i, 1));
		s->category = xstrdup(PQgetvalue(res, i, 2));
		s->pinyin = xstrdup(PQgetvalue(res, i, 3));
		s->category_pinyin = xstrdup(PQgetvalue(res, i, 4));
		s->tiers = catstore_tier_mask(PQgetvalue(res, i, 5));
		s->limit = cat_limit_text(strcmp(kind, "workdays") == 0 ? CAT_WORKDAYS :
		    strcmp(kind, "months") == 0 ? CAT_MONTHS : CAT_IMMEDIATE,
		    atoi(PQgetvalue(res, i, 7)), atoi(PQgetvalue(res, i, 8)), atoi(PQgetvalue(res, i, 9)));
		/* the default limit; another applies on some answers (when=) */
		if (strcmp(PQgetvalue(res, i, 10), "t") == 0) {
			char *t = xasprintf(_("%s, or another by the case"), s->limit);

			free(s->limit);
			s->limit = t;
		}
	}
	PQclear(res);
	return n;
}

void
catstore_list_free(struct cat_summary **list, int n)
{
	for (int i = 0; i < n; i++)
		search_summary_clear(&(*list)[i]);
	free(*list);
	*list = NULL;
}

char *
catstore_definition(struct db *db, const char *code, int *version, enum db_status *st)
{
	const char *p[] = { code };
	PGresult *res = db_query(db, st, "SELECT definition, version FROM yc.case_type "
	    "WHERE code = $1 AND version = (SELECT max(version) FROM yc.catalogue_version)", 1, p);
	char *xml = NULL;

	if (res != NULL && PQntuples(res) == 1) {
		xml = xstrdup(PQgetvalue(res, 0, 0));
		if (version != NULL)
			*version = atoi(PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return xml;
}

struct cat_def *
catstore_def(struct db *db, const char *code, int *version, enum db_status *st, bool *damaged)
{
	char vs[16], *xml = NULL, *rng;
	struct cat_diags diags = { 0 };
	struct cat_def *def = NULL;
	PGresult *res;

	*damaged = false;
	snprintf(vs, sizeof vs, "%d", *version);
	res = db_query(db, st, "SELECT definition, version FROM yc.case_type WHERE code = $1 AND "
	    "version = CASE WHEN $2::int > 0 THEN $2::int ELSE "
	    "(SELECT max(version) FROM yc.catalogue_version) END", 2, (const char *[]){ code, vs });
	if (res != NULL && PQntuples(res) == 1) {
		xml = xstrdup(PQgetvalue(res, 0, 0));
		*version = atoi(PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	if (xml == NULL)
		return NULL;
	rng = paths_join(paths_datadir(), "forms/case-type.rng");
	if (cat_schema_load(rng, &diags))
		def = cat_parse(code, xml, strlen(xml), &diags);
	free(rng);
	free(xml);
	cat_diags_free(&diags);
	*damaged = def == NULL;
	return def;
}
