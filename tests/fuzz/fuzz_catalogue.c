/*
 * libFuzzer target: cat_parse on arbitrary bytes.
 *
 * The schema is loaded once, from $YC_FUZZ_SCHEMA or else
 * forms/case-type.rng relative to the current directory (the repository
 * root; tests/fuzz/run.sh runs from there). Any crash, sanitizer report,
 * leak or hang is a bug in the catalogue code (or in libxml2 as we use it).
 * cat_parse must also keep its contract: a definition or at least one
 * diagnostic, never both.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/catalogue.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *rng = getenv("YC_FUZZ_SCHEMA");
	struct cat_diags ds = { 0 };

	(void)argc;
	(void)argv;
	if (!rng || !*rng)
		rng = "forms/case-type.rng";
	if (!cat_schema_load(rng, &ds)) {
		for (size_t i = 0; i < ds.n; i++)
			fprintf(stderr, "%s:%d: %s\n", ds.d[i].file, ds.d[i].line, ds.d[i].message);
		abort();
	}
	cat_diags_free(&ds);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_diags ds = { 0 };
	struct cat_def *def = cat_parse("fuzz.xml", (const char *)data, size, &ds);

	if ((def != NULL) == (ds.n > 0))
		abort();
	for (size_t i = 0; i < ds.n; i++)
		if (!ds.d[i].file || !ds.d[i].message || ds.d[i].line < 0)
			abort();
	if (def) {
		/* touch what a caller would use */
		char *t = cat_limit_text(def->limit_kind, def->limit_days, def->special_days,
					 def->limit_months);

		free(t);
		for (size_t i = 0; i < def->nitems; i++)
			if (def->items[i].nm == 0 || (def->items[i].any_of && def->items[i].nm < 2))
				abort();
	}
	cat_def_free(&def);
	cat_diags_free(&ds);
	return 0;
}
