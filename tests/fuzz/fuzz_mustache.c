/*
 * libFuzzer target for the template engine: the input is a template
 * rendered against a small fixed data tree with partials, one of which
 * includes itself, escaping on and off. Nothing may crash, leak or hang;
 * every failure must come back as an error message. The same input is
 * checked as a text-message template of every kind (model/sms.h): refused
 * with at least one diagnostic, or accepted with a body whose longest
 * message fits one SMS.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/mustache.h"
#include "model/sms.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tpl = xstrndup((const char *)data, size), *out, *err = NULL;
	struct mu_value *d = mu_map(), *parts = mu_map(), *list, *item;
	struct mu_partials p = { mu_partials_from_map, parts };

	mu_map_set(d, "name", mu_str("欧阳娜娜"));
	mu_map_set(d, "html", mu_str("<a & \"b\">"));
	mu_map_set(d, "yes", mu_bool(true));
	mu_map_set(d, "no", mu_bool(false));
	mu_map_set(d, "n", mu_int(0));
	list = mu_map_set(d, "items", mu_list());
	for (int i = 0; i < 3; i++) {
		item = mu_list_push(list, mu_map());
		mu_map_set(item, "no", mu_int(i + 1));
		mu_map_set(item, "items", mu_list());
	}
	mu_map_set(parts, "p", mu_str("[{{name}}]"));
	mu_map_set(parts, "self", mu_str("{{>self}}"));
	mu_map_set(parts, "input", mu_str(tpl));
	for (int esc = 0; esc < 2; esc++) {
		out = mu_render(tpl, d, &p, esc == 1, &err);
		if ((out == NULL) == (err == NULL))
			abort();	/* exactly one of output or error */
		free(out);
		free(err);
		err = NULL;
	}
	mu_value_free(&d);
	mu_value_free(&parts);
	for (const struct sms_kind *k = sms_kinds; k->name != NULL; k++) {
		struct cat_diags ds = { 0 };
		char *body = NULL;
		int longest = -1;
		bool ok = sms_check("fuzz", k, (const char *)data, size, &ds, &body, &longest);

		if (ok != (ds.n == 0) || ok != (body != NULL) || (ok && (longest < 0 || longest > SMS_MAX_CHARS)))
			abort();
		for (size_t i = 0; i < ds.n; i++) {
			free(ds.d[i].file);
			free(ds.d[i].message);
		}
		free(ds.d);
		free(body);
	}
	free(tpl);
	return 0;
}
