/* Conditions on form answers; see cond.h. */
#include "model/cond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

/* The longest condition read (an attribute of the schema's text type). */
#define COND_MAX 1000

struct lexer {
	const char *p;
	char tok[COND_MAX + 1];		/* the current token; "" at the end */
};

static bool
cond_is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static bool
cond_is_name_start(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static bool
cond_is_name(char ch)
{
	return cond_is_name_start(ch) || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* Reads the next token into l->tok: a name, "=", "!=", "(", ")", or one
 * other character (which no rule accepts). */
static void
cond_next(struct lexer *l)
{
	size_t n = 0;

	while (cond_is_space(*l->p))
		l->p++;
	if (cond_is_name_start(*l->p)) {
		while (cond_is_name(*l->p) && n < COND_MAX)
			l->tok[n++] = *l->p++;
	} else if (l->p[0] == '!' && l->p[1] == '=') {
		l->tok[n++] = *l->p++;
		l->tok[n++] = *l->p++;
	} else if (*l->p != '\0') {
		/* one whole character, however many bytes it takes */
		do
			l->tok[n++] = *l->p++;
		while (((unsigned char)*l->p & 0xC0) == 0x80 && n < 8);
	}
	l->tok[n] = '\0';
}

static bool
cond_tok_is_name(const struct lexer *l)
{
	return cond_is_name_start(l->tok[0]) && strcmp(l->tok, "and") != 0 &&
	    strcmp(l->tok, "or") != 0 && strcmp(l->tok, "in") != 0;
}

void
cond_free(struct cond **cp)
{
	struct cond *c = *cp;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->natoms; i++) {
		free(c->atoms[i].field);
		for (size_t j = 0; j < c->atoms[i].nvalues; j++)
			free(c->atoms[i].values[j]);
		free(c->atoms[i].values);
	}
	free(c->atoms);
	free(c);
	*cp = NULL;
}

static void
cond_add_value(struct cond_atom *a, const char *v)
{
	a->values = xreallocarray(a->values, a->nvalues + 1, sizeof *a->values);
	a->values[a->nvalues++] = xstrdup(v);
}

/* Reads one atom at l->tok into a; false with err set. */
static bool
cond_atom_parse(struct lexer *l, struct cond_atom *a, char *err, size_t errlen)
{
	if (!cond_tok_is_name(l)) {
		if (l->tok[0] == '\0')
			snprintf(err, errlen, "%s", _("a field id is missing at the end"));
		else
			snprintf(err, errlen, _("a field id was expected, not \"%s\""), l->tok);
		return false;
	}
	a->field = xstrdup(l->tok);
	cond_next(l);
	if (strcmp(l->tok, "=") == 0 || strcmp(l->tok, "!=") == 0) {
		a->op = l->tok[0] == '=' ? COND_EQ : COND_NE;
		cond_next(l);
		if (!cond_tok_is_name(l)) {
			snprintf(err, errlen, _("a value was expected after \"%s\""), a->field);
			return false;
		}
		cond_add_value(a, l->tok);
		cond_next(l);
		return true;
	}
	if (strcmp(l->tok, "in") != 0) {
		snprintf(err, errlen, _("\"=\", \"!=\" or \"in\" was expected after \"%s\""), a->field);
		return false;
	}
	a->op = COND_IN;
	cond_next(l);
	if (strcmp(l->tok, "(") != 0) {
		snprintf(err, errlen, _("\"(\" was expected after \"%s in\""), a->field);
		return false;
	}
	for (cond_next(l); cond_tok_is_name(l); cond_next(l))
		cond_add_value(a, l->tok);
	if (strcmp(l->tok, ")") != 0 || a->nvalues == 0) {
		snprintf(err, errlen, _("\"%s in (…)\" needs one or more values and a \")\""), a->field);
		return false;
	}
	cond_next(l);
	return true;
}

struct cond *
cond_parse(const char *text, char *err, size_t errlen)
{
	struct lexer l = { .p = text != NULL ? text : "" };
	struct cond *c;
	bool or_before = false;

	if (strlen(l.p) > COND_MAX) {
		snprintf(err, errlen, _("a condition has at most %d characters"), COND_MAX);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	cond_next(&l);
	for (;;) {
		struct cond_atom *a;

		c->atoms = xreallocarray(c->atoms, c->natoms + 1, sizeof *c->atoms);
		a = &c->atoms[c->natoms++];
		memset(a, 0, sizeof *a);
		a->or_before = or_before;
		if (!cond_atom_parse(&l, a, err, errlen))
			break;
		if (l.tok[0] == '\0')
			return c;
		if (strcmp(l.tok, "and") != 0 && strcmp(l.tok, "or") != 0) {
			snprintf(err, errlen, _("\"and\" or \"or\" was expected, not \"%s\""), l.tok);
			break;
		}
		or_before = strcmp(l.tok, "or") == 0;
		cond_next(&l);
	}
	cond_free(&c);
	return NULL;
}

static bool
cond_atom_eval(const struct cond_atom *a, cond_get_fn *get, void *ctx)
{
	const char *v = get(a->field, ctx);

	if (v == NULL)
		v = "";
	switch (a->op) {
	case COND_EQ:
		return strcmp(v, a->values[0]) == 0;
	case COND_NE:
		return strcmp(v, a->values[0]) != 0;
	case COND_IN:
		for (size_t i = 0; i < a->nvalues; i++)
			if (strcmp(v, a->values[i]) == 0)
				return true;
		return false;
	}
	return false;
}

bool
cond_eval(const struct cond *c, cond_get_fn *get, void *ctx)
{
	bool all = true;

	if (c == NULL)
		return true;
	for (size_t i = 0; i < c->natoms; i++) {
		if (c->atoms[i].or_before) {
			if (all)
				return true;
			all = true;
		}
		all = all && cond_atom_eval(&c->atoms[i], get, ctx);
	}
	return all;
}
