/*
 * Conditional paths of a definition (see catalogue.h, cond.h): which
 * materials, stages and limit apply to a case's answers, a condition in
 * words, and the checks `forms check` makes of the conditions.
 */
#include "model/catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

/* More combinations of answers than this are not walked by the checks. */
#define CATWHEN_MAX_COMBOS 4096

struct catwhen_answers {
	const struct cat_def *d;
	const char *const *values;
};

static const char *
catwhen_get(const char *field, void *ctx)
{
	const struct catwhen_answers *a = ctx;
	int i = cat_def_field(a->d, field);

	return i >= 0 && a->values != NULL && a->values[i] != NULL ? a->values[i] : "";
}

static bool
catwhen_holds(const struct cat_def *d, const struct cond *c, const char *const *values)
{
	struct catwhen_answers a = { d, values };

	return cond_eval(c, catwhen_get, &a);
}

bool
cat_material_applies(const struct cat_def *d, const struct cat_item *it, const struct cat_material *m,
    const char *const *values)
{
	if (it != NULL && it->any_of && !catwhen_holds(d, it->when, values))
		return false;
	return catwhen_holds(d, m->when, values);
}

bool
cat_item_applies(const struct cat_def *d, const struct cat_item *it, const char *const *values)
{
	for (size_t j = 0; j < it->nm; j++)
		if (cat_material_applies(d, it, &it->m[j], values))
			return true;
	return false;
}

bool
cat_stage_applies(const struct cat_def *d, const struct cat_stage *st, const char *const *values)
{
	return catwhen_holds(d, st->when, values);
}

const struct cat_limit *
cat_limit_for(const struct cat_def *d, const char *const *values)
{
	const struct cat_limit *dflt = NULL;

	for (size_t i = 0; i < d->nlimits; i++) {
		const struct cat_limit *l = &d->limits[i];

		if (l->when_text == NULL) {
			if (dflt == NULL)
				dflt = l;
		} else if (l->when != NULL && catwhen_holds(d, l->when, values)) {
			return l;
		}
	}
	return dflt != NULL ? dflt : d->nlimits > 0 ? &d->limits[0] : NULL;
}

bool
cat_def_conditional(const struct cat_def *d)
{
	for (size_t i = 0; i < d->nlimits; i++)
		if (d->limits[i].when_text != NULL)
			return true;
	for (size_t i = 0; i < d->nstages; i++)
		if (d->stages[i].when_text != NULL)
			return true;
	for (size_t i = 0; i < d->nitems; i++) {
		if (d->items[i].when_text != NULL)
			return true;
		for (size_t j = 0; j < d->items[i].nm; j++)
			if (d->items[i].m[j].when_text != NULL)
				return true;
	}
	for (size_t i = 0; i < d->nproxy; i++)
		if (d->proxy[i].when_text != NULL)
			return true;
	return false;
}

/* ---- in words ------------------------------------------------------------ */

static const struct cat_field *
catwhen_field(const struct cat_def *d, const char *id)
{
	int i = cat_def_field(d, id);

	return i >= 0 ? &d->fields[i] : NULL;
}

static const char *
catwhen_option(const struct cat_field *f, const char *value)
{
	for (size_t k = 0; f != NULL && k < f->nopts; k++)
		if (strcmp(f->opts[k].value, value) == 0)
			return f->opts[k].label;
	return value;
}

static void
catwhen_append(char **out, const char *s)
{
	char *t = xasprintf("%s%s", *out, s);

	free(*out);
	*out = t;
}

char *
cat_when_words(const struct cat_def *d, const struct cond *c)
{
	char *out = xstrdup("");

	for (size_t i = 0; c != NULL && i < c->natoms; i++) {
		const struct cond_atom *a = &c->atoms[i];
		const struct cat_field *f = catwhen_field(d, a->field);
		char *vals = xstrdup(""), *one;

		for (size_t j = 0; j < a->nvalues; j++) {
			if (j > 0)
				catwhen_append(&vals, _(" or "));
			catwhen_append(&vals, catwhen_option(f, a->values[j]));
		}
		if (i > 0)
			catwhen_append(&out, a->or_before ? _("; or ") : _(" and "));
		one = xasprintf(a->op == COND_NE ? _("%s is not %s") : _("%s is %s"),
		    f != NULL ? f->label : a->field, vals);
		catwhen_append(&out, one);
		free(one);
		free(vals);
	}
	return out;
}

char *
cat_limits_text(const struct cat_def *d)
{
	const struct cat_limit *dflt = NULL;
	char *out;

	for (size_t i = 0; i < d->nlimits && dflt == NULL; i++)
		if (d->limits[i].when_text == NULL)
			dflt = &d->limits[i];
	out = dflt != NULL ? cat_limit_text(dflt->kind, dflt->days, dflt->special_days, dflt->months) :
	    xstrdup("");

	for (size_t i = 0; i < d->nlimits; i++) {
		const struct cat_limit *l = &d->limits[i];
		char *lt, *w, *t;

		if (l->when == NULL)
			continue;
		lt = cat_limit_text(l->kind, l->days, l->special_days, l->months);
		w = cat_when_words(d, l->when);
		t = xasprintf(_("%s; where %s: %s"), out, w, lt);
		free(out);
		free(lt);
		free(w);
		out = t;
	}
	return out;
}

char *
cat_material_when_text(const struct cat_def *d, const struct cat_item *it, const struct cat_material *m)
{
	const struct cond *g = it != NULL && it->any_of ? it->when : NULL;
	char *a, *b, *t;

	if (g == NULL && m->when == NULL)
		return NULL;
	a = cat_when_words(d, g != NULL ? g : m->when);
	if (g != NULL && m->when != NULL) {
		b = cat_when_words(d, m->when);
		t = xasprintf(_("(only where %s, and %s)"), a, b);
		free(b);
	} else {
		t = xasprintf(_("(only where %s)"), a);
	}
	free(a);
	return t;
}

char *
cat_stage_when_text(const struct cat_def *d, const struct cat_stage *st)
{
	char *w, *t;

	if (st->when == NULL)
		return NULL;
	w = cat_when_words(d, st->when);
	t = xasprintf(_("(only where %s)"), w);
	free(w);
	return t;
}

/* ---- checks --------------------------------------------------------------- */

struct catwhen_check {
	const struct cat_def *d;
	void (*report)(void *, int, char *);
	void *ctx;
	size_t used[64];	/* the choice fields conditions name */
	size_t nused;
};

static void
catwhen_use(struct catwhen_check *k, size_t field)
{
	for (size_t i = 0; i < k->nused; i++)
		if (k->used[i] == field)
			return;
	if (k->nused < sizeof k->used / sizeof k->used[0])
		k->used[k->nused++] = field;
}

/* One condition at line: every field a choice field of the form, every
 * value one of its options. */
static void
catwhen_check_cond(struct catwhen_check *k, const struct cond *c, int line)
{
	for (size_t i = 0; c != NULL && i < c->natoms; i++) {
		const struct cond_atom *a = &c->atoms[i];
		const struct cat_field *f = catwhen_field(k->d, a->field);

		if (f == NULL) {
			k->report(k->ctx, line, xasprintf(_("the condition names \"%s\", which is no field of "
			    "this form"), a->field));
			continue;
		}
		if (f->type != CAT_CHOICE) {
			k->report(k->ctx, line, xasprintf(_("the condition names field \"%s\", which is not a "
			    "choice field"), a->field));
			continue;
		}
		catwhen_use(k, (size_t)(f - k->d->fields));
		for (size_t j = 0; j < a->nvalues; j++) {
			size_t o;

			for (o = 0; o < f->nopts; o++)
				if (strcmp(f->opts[o].value, a->values[j]) == 0)
					break;
			if (o == f->nopts)
				k->report(k->ctx, line, xasprintf(_("the condition gives \"%s\", which is not an "
				    "option of field \"%s\""), a->values[j], a->field));
		}
	}
}

static void
catwhen_check_limits(struct catwhen_check *k)
{
	const struct cat_def *d = k->d;
	int first = 0;

	for (size_t i = 0; i < d->nlimits; i++) {
		catwhen_check_cond(k, d->limits[i].when, d->limits[i].line);
		if (d->limits[i].when_text != NULL)
			continue;
		if (first == 0)
			first = d->limits[i].line;
		else
			k->report(k->ctx, d->limits[i].line, xasprintf(_("a second default limit (a <limit> "
			    "without when=; the first is on line %d)"), first));
	}
	if (first == 0 && d->nlimits > 0)
		k->report(k->ctx, d->limits[0].line, xstrdup(_("no default limit: one <limit> must have no "
		    "when=, for the answers no condition matches")));
}

/* The stage rules on one combination of answers: no stage with an
 * immediate limit, the stages' days within a limit in working days. Each
 * line is reported once (seen[] per stage; *immediate for the first). */
static void
catwhen_check_path(struct catwhen_check *k, const char *const *values, int stages_line, bool *immediate,
    bool *seen)
{
	const struct cat_def *d = k->d;
	const struct cat_limit *l = cat_limit_for(d, values);
	long long sum = 0;

	if (l == NULL)
		return;
	for (size_t i = 0; i < d->nstages; i++) {
		const struct cat_stage *st = &d->stages[i];

		if (!cat_stage_applies(d, st, values))
			continue;
		if (l->kind == CAT_IMMEDIATE) {
			if (!*immediate)
				k->report(k->ctx, stages_line != 0 ? stages_line : st->line,
				    xstrdup(_("stages are not allowed with an immediate limit")));
			*immediate = true;
			return;
		}
		sum += st->days;
		if (l->kind == CAT_WORKDAYS && sum > l->days) {
			if (!seen[i])
				k->report(k->ctx, st->line, xasprintf(_("stage days add up to %lld, more than the "
				    "limit of %d working days"), sum, l->days));
			seen[i] = true;
			return;
		}
	}
}

/* Walks every combination of answers to the fields the conditions name
 * (each option, and blank). */
static void
catwhen_check_paths(struct catwhen_check *k, int stages_line)
{
	const struct cat_def *d = k->d;
	const char **values = xcalloc(d->nfields + 1, sizeof *values);
	size_t pos[64] = { 0 }, combos = 1;
	bool immediate = false, *seen = xcalloc(d->nstages + 1, sizeof *seen);

	for (size_t i = 0; i < k->nused && combos <= CATWHEN_MAX_COMBOS; i++)
		combos *= d->fields[k->used[i]].nopts + 1;
	if (combos > CATWHEN_MAX_COMBOS)
		k->nused = 0;	/* too many: the path of blank answers only */
	for (size_t i = 0; i < d->nfields; i++)
		values[i] = "";
	for (;;) {
		size_t i;

		for (i = 0; i < k->nused; i++) {
			const struct cat_field *f = &d->fields[k->used[i]];

			values[k->used[i]] = pos[i] == 0 ? "" : f->opts[pos[i] - 1].value;
		}
		catwhen_check_path(k, values, stages_line, &immediate, seen);
		for (i = 0; i < k->nused; i++) {
			if (++pos[i] <= d->fields[k->used[i]].nopts)
				break;
			pos[i] = 0;
		}
		if (i == k->nused)
			break;
	}
	free(seen);
	free(values);
}

void
cat_when_check(const struct cat_def *d, int stages_line, void (*report)(void *, int, char *), void *ctx)
{
	struct catwhen_check k = { .d = d, .report = report, .ctx = ctx };

	catwhen_check_limits(&k);
	for (size_t i = 0; i < d->nstages; i++)
		catwhen_check_cond(&k, d->stages[i].when, d->stages[i].line);
	for (size_t i = 0; i < d->nitems; i++) {
		catwhen_check_cond(&k, d->items[i].when, d->items[i].line);
		for (size_t j = 0; j < d->items[i].nm; j++)
			catwhen_check_cond(&k, d->items[i].m[j].when, d->items[i].m[j].line);
	}
	for (size_t i = 0; i < d->nproxy; i++)
		catwhen_check_cond(&k, d->proxy[i].when, d->proxy[i].line);
	catwhen_check_paths(&k, stages_line);
}
