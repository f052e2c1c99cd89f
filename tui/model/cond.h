/*
 * Conditions on form answers: the when="…" of a material, an any-of
 * group, a stage or an alternative limit of a case-type definition.
 * Plain C: no curses, no libpq, no libxml2.
 *
 * Grammar (words are separated by white space; "=", "!=", "(" and ")"
 * need none around them):
 *   cond  := conj { "or" conj }
 *   conj  := atom { "and" atom }
 *   atom  := FIELD "=" VALUE | FIELD "!=" VALUE | FIELD "in" "(" VALUE { VALUE } ")"
 *   FIELD, VALUE := [a-z][a-z0-9_-]*   (a field id and one of its option values)
 * "and" binds tighter than "or"; there are no parentheses for grouping.
 * A field left blank has the value "": field=v and field in (…) are false
 * for it, field!=v is true. forms/case-type.rng checks the same syntax;
 * db/functions/intake.sql (yc.case_when) evaluates it the same way.
 *
 * Ownership: a struct cond owns its strings; cond_free frees it.
 */
#ifndef YC_COND_H
#define YC_COND_H

#include <stdbool.h>
#include <stddef.h>

enum cond_op { COND_EQ, COND_NE, COND_IN };

struct cond_atom {
	char *field;
	enum cond_op op;
	char **values;		/* 1 for = and !=, 1 or more for in */
	size_t nvalues;
	bool or_before;		/* begins a new conjunction (an "or" precedes it) */
};

struct cond {
	struct cond_atom *atoms;	/* at least one */
	size_t natoms;
};

/* Parses text; NULL when it is not a condition, with a translated reason
 * in err (errlen bytes). */
struct cond *cond_parse(const char *text, char *err, size_t errlen);
void cond_free(struct cond **c);

/* The answer to a field, "" when it has none; must not return NULL. */
typedef const char *cond_get_fn(const char *field, void *ctx);

/* Whether c holds for the answers get gives; a NULL condition always holds. */
bool cond_eval(const struct cond *c, cond_get_fn *get, void *ctx);

#endif
