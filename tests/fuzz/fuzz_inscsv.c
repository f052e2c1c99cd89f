/*
 * libFuzzer target for the insurance history export (model/inscsv.h,
 * `insurance import FILE`). Nothing may crash, leak or hang; what is read
 * must be consistent: rows and errors in line order within the file's
 * lines, every row normalised (an ID of 17 digits and a digit or X, a
 * four-digit year, a known scheme, "t"/"f" answers).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/inscsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_yes_no(const char *v)
{
	if (v == NULL || (strcmp(v, "t") != 0 && strcmp(v, "f") != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inscsv *c = inscsv_parse((const char *)data, size);
	int lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (size_t i = 0; i < c->nrows; i++) {
		const struct inscsv_row *r = &c->rows[i];

		if (r->line < 2 || r->line > lines || (i > 0 && r->line <= c->rows[i - 1].line))
			abort();
		if (strlen(r->id_no) != 18 || strspn(r->id_no, "0123456789") < 17 ||
		    strchr("0123456789X", r->id_no[17]) == NULL || strspn(r->year, "0123456789") != 4)
			abort();
		if (r->scheme == NULL || (strcmp(r->scheme, "resident") != 0 && strcmp(r->scheme, "employee") != 0))
			abort();
		fuzz_yes_no(r->insured);
		fuzz_yes_no(r->central);
		fuzz_yes_no(r->fund_paid);
		fuzz_yes_no(r->reward_used);
	}
	for (size_t i = 0; i < c->nerrors; i++)
		if (c->errors[i].line < 1 || c->errors[i].line > lines ||
		    (i > 0 && c->errors[i].line <= c->errors[i - 1].line) || c->errors[i].message == NULL)
			abort();
	inscsv_free(&c);
	return 0;
}
