/*
 * libFuzzer target for the office import file (model/officecsv.h,
 * `office import FILE`). Nothing may crash, leak or hang; what is read
 * must be consistent: rows and errors in line order within the file's
 * lines, every field valid UTF-8 without a NUL, address and phone either
 * present in every row or in none.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/officecsv.h"
#include "model/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_field(const char *f)
{
	if (f != NULL && !text_valid(f, strlen(f)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct officecsv *c = officecsv_parse((const char *)data, size);
	int lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (size_t i = 0; i < c->nrows; i++) {
		const struct officecsv_row *r = &c->rows[i];

		if (r->line < 2 || r->line > lines || (i > 0 && r->line <= c->rows[i - 1].line))
			abort();
		if ((r->address == NULL) != (c->rows[0].address == NULL) ||
		    (r->phone == NULL) != (c->rows[0].phone == NULL))
			abort();
		fuzz_field(r->code);
		fuzz_field(r->name);
		fuzz_field(r->parent);
		fuzz_field(r->tier);
		fuzz_field(r->address);
		fuzz_field(r->phone);
	}
	for (size_t i = 0; i < c->nerrors; i++)
		if (c->errors[i].line < 1 || c->errors[i].line > lines ||
		    (i > 0 && c->errors[i].line <= c->errors[i - 1].line) || c->errors[i].message == NULL)
			abort();
	officecsv_free(&c);
	return 0;
}
