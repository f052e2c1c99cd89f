/*
 * Mustache templates: the engine that fills print_templates/ documents.
 *
 * Implements the core Mustache specification (comments, set delimiters,
 * interpolation, inverted sections, partials, sections; not lambdas and not
 * the optional inheritance/dynamic-name extensions), checked against the
 * specification's own test cases in tests/mustache-spec/.
 *
 * The application builds a value tree (struct mu_value) from its data and
 * renders a template against it:
 *
 *     struct mu_value *d = mu_map();
 *     mu_map_set(d, "name", mu_str("张三"));
 *     struct mu_value *items = mu_map_set(d, "items", mu_list());
 *     struct mu_value *it = mu_list_push(items, mu_map());
 *     mu_map_set(it, "no", mu_int(1));
 *     char *err;
 *     char *out = mu_render(tpl, d, NULL, false, &err);
 *     ...
 *     free(out);
 *     mu_value_free(&d);
 *
 * Semantics chosen where the specification leaves room:
 *   - Falsey values: missing names, null, false, the empty list and the
 *     empty string. Everything else is truthy, including the number 0 and
 *     empty maps (so an amount of "0" still prints inside its section).
 *   - Interpolation: null and missing names give ""; booleans give "true" or
 *     "false"; strings and numbers give their text; lists and maps give "".
 *   - Names are looked up by exact byte comparison (UTF-8 names such as
 *     {{姓名}} work). Map lookup is linear in the number of keys.
 *
 * All text is UTF-8 and passes through byte for byte. Every function that
 * allocates uses util/xalloc.h and so never returns NULL for lack of memory.
 * Nothing here uses curses, libpq or the C library locale.
 */
#ifndef YC_MODEL_MUSTACHE_H
#define YC_MODEL_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

/* Partials may include partials at most this deep; deeper is an error. */
#define MU_MAX_PARTIAL_DEPTH 64
/* Sections may nest at most this deep inside one template (or partial). */
#define MU_MAX_SECTION_DEPTH 100

enum mu_kind {
	MU_NULL,
	MU_BOOL,
	MU_STRING,   /* UTF-8 text, NUL-terminated */
	MU_NUMBER,   /* kept as the text it prints as, e.g. "85", "1.21" */
	MU_LIST,
	MU_MAP,      /* string keys, insertion order kept */
};

/* A node of a value tree. Opaque: build with the constructors below. */
struct mu_value;

/*
 * Constructors. Each returns a new, unowned value (never NULL) that the
 * caller either frees with mu_value_free() or hands to mu_list_push() /
 * mu_map_set(), which take ownership of it.
 */
struct mu_value *mu_null(void);
struct mu_value *mu_bool(bool b);
/* Copies the NUL-terminated UTF-8 string s (NULL is taken as ""). */
struct mu_value *mu_str(const char *s);
/*
 * A number printed exactly as text (copied) is written, e.g. "1.21", "85",
 * "12.50". The text is not checked: the caller formats it.
 */
struct mu_value *mu_num_text(const char *text);
/* A number printed in decimal, e.g. mu_int(-3) prints "-3". */
struct mu_value *mu_int(long long n);
struct mu_value *mu_list(void);
struct mu_value *mu_map(void);

/*
 * Appends v to list and takes ownership of v. Returns v, so that a nested
 * container can be filled after it is attached. list must be an MU_LIST
 * and v a value not owned by any other container (both not NULL);
 * otherwise the program aborts.
 */
struct mu_value *mu_list_push(struct mu_value *list, struct mu_value *v);

/*
 * Sets map[key] = v, copying key and taking ownership of v. A key already
 * present keeps its position and its old value is freed. Returns v.
 * map must be an MU_MAP, key not NULL, v unowned and not NULL; otherwise
 * the program aborts. v must not contain map (a tree, never a cycle).
 */
struct mu_value *mu_map_set(struct mu_value *map, const char *key,
                            struct mu_value *v);

/* The kind of v; MU_NULL for a NULL pointer. */
enum mu_kind mu_kind(const struct mu_value *v);
/* map[key], or NULL when map is not a map (or NULL) or has no such key. */
const struct mu_value *mu_map_get(const struct mu_value *map, const char *key);
/* The text of a string or number, or NULL for every other kind. */
const char *mu_text(const struct mu_value *v);
/* The number of elements of a list, or of keys of a map; 0 otherwise. */
size_t mu_len(const struct mu_value *v);
/* Element i of a list, or NULL when v is not a list or i is out of range. */
const struct mu_value *mu_list_at(const struct mu_value *v, size_t i);

/*
 * Frees *v and everything it owns, and sets *v to NULL. NULL *v is fine.
 * *v must not be owned by a list or map (free the root instead); the
 * program aborts if it is.
 */
void mu_value_free(struct mu_value **v);

/*
 * Where partials ({{> name}}) come from. lookup returns the template text
 * of the partial called name, or NULL when there is none (the tag then
 * renders as nothing, as the specification requires). The returned text
 * must stay valid until mu_render() returns. closure is passed through.
 */
struct mu_partials {
	const char *(*lookup)(const void *closure, const char *name);
	const void *closure;
};

/*
 * A ready-made lookup: closure is a const struct mu_value * map from
 * partial name to an MU_STRING template. Keys whose value is not a string
 * count as missing. Use as
 *     struct mu_partials p = { mu_partials_from_map, map };
 */
const char *mu_partials_from_map(const void *closure, const char *name);

/*
 * Renders template (NUL-terminated UTF-8) against data.
 *
 * data is the bottom of the context stack; NULL renders against an empty
 * map. partials may be NULL (every partial is then missing). escape_html
 * turns on HTML escaping of {{name}} interpolations (& " < > become &amp;
 * &quot; &lt; &gt;); {{{name}}} and {{& name}} never escape. Documents are
 * rendered with escape_html false.
 *
 * Returns the malloc'd output, and sets *err to NULL, on success. For a
 * malformed template returns NULL and sets *err to a malloc'd message of
 * the form "line N: what" (N counts from 1 in the template passed in),
 * e.g. an unclosed tag or section, a closing tag that does not match the
 * open section, a bad set-delimiter tag, an empty tag, sections nested
 * deeper than MU_MAX_SECTION_DEPTH. An error inside a partial reads
 * "line N: in partial \"name\": line M: what" with N the line of the
 * partial tag. Partials nested deeper than MU_MAX_PARTIAL_DEPTH (e.g. a
 * partial that includes itself unconditionally) are an error too.
 * A partial is parsed only when it is rendered, so errors in partials
 * that are never reached are not reported. err may be NULL.
 */
char *mu_render(const char *template, const struct mu_value *data,
                const struct mu_partials *partials, bool escape_html,
                char **err);

#endif
