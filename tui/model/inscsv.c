/* The insurance history export; see inscsv.h. */
#include "model/inscsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/i18n.h"
#include "util/xalloc.h"

enum { IC_ID, IC_YEAR, IC_SCHEME, IC_INSURED, IC_CENTRAL, IC_FUND, IC_REWARD, IC_NCOLS };

static const char *const inscsv_cols[IC_NCOLS] = {
	"id_no", "year", "scheme", "insured", "central", "fund_paid", "reward_used"
};

/* "t", "f", or NULL when v is no yes/no word; empty is "f". */
static const char *
inscsv_bool(const char *v)
{
	static const char *const yes[] = { "1", "是", "y", "yes", "true", "t" };
	static const char *const no[] = { "0", "否", "n", "no", "false", "f", "" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return "t";
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(v, no[i]) == 0)
			return "f";
	return NULL;
}

static const char *
inscsv_scheme(const char *v)
{
	if (strcasecmp(v, "resident") == 0 || strcmp(v, "居民") == 0 || strcmp(v, "城乡居民") == 0)
		return "resident";
	if (strcasecmp(v, "employee") == 0 || strcmp(v, "职工") == 0)
		return "employee";
	return NULL;
}

/* Reads record r into out; false (error added) when it cannot be. */
static bool
inscsv_row(struct csv *c, const struct csv_row *r, struct inscsv_row *out)
{
	const char *id = r->v[IC_ID], *y = r->v[IC_YEAR];
	const char **b[] = { &out->insured, &out->central, &out->fund_paid, &out->reward_used };
	size_t n = strlen(id);

	out->line = r->line;
	if (n != 18 || strspn(id, "0123456789") < 17 || strchr("0123456789Xx", id[17]) == NULL) {
		csv_error(c, r->line, xasprintf(_("id_no \"%s\" is not an ID number (18 characters: 17 digits "
		    "and a digit or X)"), id));
		return false;
	}
	snprintf(out->id_no, sizeof out->id_no, "%.17s%c", id, id[17] == 'x' ? 'X' : id[17]);
	if (strlen(y) != 4 || strspn(y, "0123456789") != 4) {
		csv_error(c, r->line, xasprintf(_("year \"%s\" is not a year (four digits)"), y));
		return false;
	}
	memcpy(out->year, y, 5);
	if ((out->scheme = inscsv_scheme(r->v[IC_SCHEME])) == NULL) {
		csv_error(c, r->line, xasprintf(_("scheme \"%s\" is not resident (居民) or employee (职工)"),
		    r->v[IC_SCHEME]));
		return false;
	}
	for (int k = IC_INSURED; k < IC_NCOLS; k++) {
		const char *v = r->v[k] != NULL ? r->v[k] : "";

		if (k == IC_INSURED && v[0] == '\0') {
			csv_error(c, r->line, xstrdup(_("insured is empty: say 1 or 0 (是 or 否)")));
			return false;
		}
		if ((*b[k - IC_INSURED] = inscsv_bool(v)) == NULL) {
			csv_error(c, r->line, xasprintf(_("%s \"%s\" is not yes or no (1/0, 是/否)"), inscsv_cols[k], v));
			return false;
		}
	}
	return true;
}

struct inscsv *
inscsv_parse(const char *text, size_t len)
{
	struct csv_spec spec = { inscsv_cols, IC_NCOLS, IC_INSURED + 1,
		_("id_no,year,scheme,insured and optionally central,fund_paid,reward_used") };
	struct csv *csv = csv_parse(text, len, &spec);
	struct inscsv *c = xcalloc(1, sizeof *c);

	c->rows = xcalloc(csv->nrows > 0 ? csv->nrows : 1, sizeof *c->rows);
	for (size_t i = 0; i < csv->nrows; i++)
		if (inscsv_row(csv, &csv->rows[i], &c->rows[c->nrows]))
			c->nrows++;
	/* the errors of bad values come after the reader's: back in line order */
	for (size_t i = 1; i < csv->nerrors; i++)
		for (size_t j = i; j > 0 && csv->errors[j - 1].line > csv->errors[j].line; j--) {
			struct csv_error t = csv->errors[j];

			csv->errors[j] = csv->errors[j - 1];
			csv->errors[j - 1] = t;
		}
	c->errors = csv->errors;
	c->nerrors = csv->nerrors;
	csv->errors = NULL;
	csv->nerrors = 0;
	csv_free(&csv);
	return c;
}

void
inscsv_free(struct inscsv **cp)
{
	struct inscsv *c = *cp;

	if (c == NULL)
		return;
	free(c->rows);
	for (size_t i = 0; i < c->nerrors; i++)
		free(c->errors[i].message);
	free(c->errors);
	free(c);
	*cp = NULL;
}
