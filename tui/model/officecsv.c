/* The office import file; see officecsv.h. */
#include "model/officecsv.h"

#include <stdlib.h>

#include "model/i18n.h"
#include "util/xalloc.h"

enum { OC_CODE, OC_NAME, OC_PARENT, OC_TIER, OC_ADDRESS, OC_PHONE, OC_NCOLS };

static const char *const officecsv_cols[OC_NCOLS] = {
	"code", "name", "parent", "tier", "address", "phone"
};

/* Takes the field of column k of r (NULL when absent). */
static char *
officecsv_take(struct csv_row *r, int k)
{
	char *v = r->v[k];

	r->v[k] = NULL;
	return v;
}

struct officecsv *
officecsv_parse(const char *text, size_t len)
{
	struct csv_spec spec = { officecsv_cols, OC_NCOLS, OC_TIER + 1,
		_("code,name,parent,tier and optionally address,phone") };
	struct csv *csv = csv_parse(text, len, &spec);
	struct officecsv *c = xcalloc(1, sizeof *c);

	c->rows = xcalloc(csv->nrows > 0 ? csv->nrows : 1, sizeof *c->rows);
	for (size_t i = 0; i < csv->nrows; i++) {
		struct csv_row *s = &csv->rows[i];
		struct officecsv_row *r = &c->rows[c->nrows++];

		r->line = s->line;
		r->code = officecsv_take(s, OC_CODE);
		r->name = officecsv_take(s, OC_NAME);
		r->parent = officecsv_take(s, OC_PARENT);
		r->tier = officecsv_take(s, OC_TIER);
		r->address = officecsv_take(s, OC_ADDRESS);
		r->phone = officecsv_take(s, OC_PHONE);
	}
	c->errors = csv->errors;
	c->nerrors = csv->nerrors;
	csv->errors = NULL;
	csv->nerrors = 0;
	csv_free(&csv);
	return c;
}

void
officecsv_free(struct officecsv **cp)
{
	struct officecsv *c = *cp;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nrows; i++) {
		struct officecsv_row *r = &c->rows[i];

		free(r->code);
		free(r->name);
		free(r->parent);
		free(r->tier);
		free(r->address);
		free(r->phone);
	}
	free(c->rows);
	for (size_t i = 0; i < c->nerrors; i++)
		free(c->errors[i].message);
	free(c->errors);
	free(c);
	*cp = NULL;
}
