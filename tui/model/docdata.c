/* Document data from the catalogue; see docdata.h. */
#include "model/docdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/calendar.h"

#include "util/xalloc.h"

/* Sets the keys describing one material on map m. */
static void
docdata_material(struct mu_value *m, const struct cat_def *d, const struct cat_item *it,
    const struct cat_material *mat)
{
	char *when = cat_material_when_text(d, it, mat);

	mu_map_set(m, "name", mu_str(mat->name));
	mu_map_set(m, "form", mu_str(cat_form_name(mat->form)));
	mu_map_set(m, "key", mu_bool(mat->key));
	mu_map_set(m, "deferrable", mu_bool(mat->defer_days > 0));
	mu_map_set(m, "defer_days", mu_int(mat->defer_days));
	/* a material of some answers only says which (when=) */
	if (when != NULL && mat->note != NULL) {
		char *t = xasprintf("%s %s", mat->note, when);

		mu_map_set(m, "note", mu_str(t));
		free(t);
	} else {
		mu_map_set(m, "note", mu_str(when != NULL ? when : mat->note != NULL ? mat->note : ""));
	}
	free(when);
	mu_map_set(m, "pledge", mu_bool(mat->pledge));
}

struct mu_value *
docdata_guide(const struct cat_def *d, int version, const char *office, const char *date)
{
	struct mu_value *g = mu_map(), *list;
	char *s;

	mu_map_set(g, "office", mu_str(office != NULL ? office : ""));
	mu_map_set(g, "date", mu_str(date));
	mu_map_set(g, "version", mu_int(version));
	mu_map_set(g, "code", mu_str(d->code));
	mu_map_set(g, "name", mu_str(d->name));
	mu_map_set(g, "category", mu_str(d->category));
	mu_map_set(g, "local", mu_bool(d->local));
	s = cat_tiers_text(d->tiers);
	mu_map_set(g, "tiers", mu_str(s));
	free(s);
	s = cat_limits_text(d);
	mu_map_set(g, "limit", mu_str(s));
	free(s);
	mu_map_set(g, "has_stages", mu_bool(d->nstages > 0));
	list = mu_map_set(g, "stages", mu_list());
	for (size_t i = 0; i < d->nstages; i++) {
		struct mu_value *st = mu_list_push(list, mu_map());

		mu_map_set(st, "no", mu_int((long long)i + 1));
		s = cat_stage_when_text(d, &d->stages[i]);
		if (s != NULL) {
			char *t = xasprintf("%s %s", d->stages[i].name, s);

			mu_map_set(st, "name", mu_str(t));
			free(t);
		} else {
			mu_map_set(st, "name", mu_str(d->stages[i].name));
		}
		free(s);
		mu_map_set(st, "tier", mu_str(cat_tier_name(d->stages[i].tier)));
		mu_map_set(st, "days", mu_int(d->stages[i].days));
	}
	/* 承诺制: the pledge and every proof it replaces */
	{
		const struct cat_material *p = NULL;

		list = mu_map_set(g, "pledge_replaced", mu_list());
		for (size_t i = 0; i < d->nitems; i++) {
			const struct cat_material *ip = cat_item_pledge(&d->items[i]);

			if (ip == NULL)
				continue;
			if (p == NULL)
				p = ip;
			for (size_t j = 0; j < d->items[i].nm; j++)
				if (!d->items[i].m[j].pledge)
					docdata_material(mu_list_push(list, mu_map()), d, &d->items[i],
					    &d->items[i].m[j]);
		}
		mu_map_set(g, "has_pledge", mu_bool(p != NULL));
		mu_map_set(g, "pledge_name", mu_str(p != NULL ? p->name : ""));
	}
	list = mu_map_set(g, "materials", mu_list());
	for (size_t i = 0; i < d->nitems; i++) {
		const struct cat_item *it = &d->items[i];
		struct mu_value *m = mu_list_push(list, mu_map()), *opts;

		mu_map_set(m, "no", mu_int((long long)i + 1));
		mu_map_set(m, "any_of", mu_bool(it->any_of));
		if (!it->any_of) {
			docdata_material(m, d, it, &it->m[0]);
			continue;
		}
		mu_map_set(m, "note", mu_str(it->note != NULL ? it->note : ""));
		opts = mu_map_set(m, "options", mu_list());
		for (size_t j = 0; j < it->nm; j++) {
			struct mu_value *o = mu_list_push(opts, mu_map());
			char letter[2] = { (char)('a' + j), '\0' }, replaces[64] = "";

			mu_map_set(o, "letter", mu_str(letter));
			docdata_material(o, d, it, &it->m[j]);
			/* a pledge: the letters of the alternatives it replaces */
			for (size_t k = 0; it->m[j].pledge && k < it->nm; k++)
				if (!it->m[k].pledge) {
					char one[8];

					snprintf(one, sizeof one, "%s%c", replaces[0] != '\0' ? "、" : "",
					    (int)('a' + k));
					strncat(replaces, one, sizeof replaces - strlen(replaces) - 1);
				}
			mu_map_set(o, "replaces", mu_str(replaces));
		}
	}
	mu_map_set(g, "proxy_allowed", mu_bool(d->proxy_allowed));
	list = mu_map_set(g, "proxy", mu_list());
	for (size_t i = 0; i < d->nproxy; i++)
		docdata_material(mu_list_push(list, mu_map()), d, NULL, &d->proxy[i]);
	list = mu_map_set(g, "steps", mu_list());
	for (size_t i = 0; i < d->nsteps; i++) {
		struct mu_value *st = mu_list_push(list, mu_map());

		mu_map_set(st, "no", mu_int((long long)i + 1));
		mu_map_set(st, "text", mu_str(d->steps[i]));
	}
	mu_map_set(g, "standard", mu_str(d->standard != NULL ? d->standard : ""));
	mu_map_set(g, "source", mu_str(d->source));
	return g;
}

void
docdata_date(time_t t, char out[64])
{
	struct cal_date d = cal_date_cn(t);

	snprintf(out, 64, "%d年%d月%d日", d.y, d.m, d.d);
}
