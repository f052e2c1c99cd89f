/*
 * libFuzzer target for the readers of text the program gets from outside
 * its own code: the JSON reader (documents' data from the database) with
 * the conversion to template values and a render, and the header of an
 * intake draft (a file in var/drafts or a database row). Nothing may
 * crash, leak or hang; bad input comes back as an error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/intake.h"
#include "model/json.h"
#include "model/mustache.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *err = NULL, *out, code[16], name[128];
	struct json *j = json_parse(text, &err);
	int version;

	if ((j == NULL) == (err == NULL))
		abort();	/* exactly one of a tree or an error */
	if (j != NULL) {
		struct mu_value *v = json_to_mu(j);

		out = mu_render("{{#case_no}}{{case_no}}{{/case_no}}{{#missing}}{{no}}. {{name}}{{/missing}}",
		    v, NULL, false, &err);
		free(out);
		mu_value_free(&v);
		json_free(&j);
	}
	free(err);
	if (intake_draft_type(text, code, &version) && (code[15] != '\0' || version <= 0))
		abort();
	intake_draft_saved(text);
	intake_draft_name(text, name);
	if (memchr(name, '\0', sizeof name) == NULL)
		abort();
	free(text);
	return 0;
}
