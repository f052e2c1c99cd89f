/*
 * A small JSON reader (RFC 8259): the data of the printed case documents
 * as the server builds it (yc.case_document, store/cases.h) becomes the
 * value tree of a template (json_to_mu); the unit tests read the Mustache
 * specification's test files and sample document data with it.
 *
 * Strings are decoded to NUL-terminated UTF-8 (\uXXXX escapes, surrogate
 * pairs included); "\u0000" is refused because a C string cannot hold it.
 * Numbers are checked against the JSON grammar and kept as their source
 * text, so 1.21 stays "1.21". Objects keep their keys in document order;
 * a repeated key is refused. Nesting deeper than JSON_MAX_DEPTH is refused.
 * Memory comes from util/xalloc.h (never NULL).
 */
#ifndef YC_MODEL_JSON_H
#define YC_MODEL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "model/mustache.h"

#define JSON_MAX_DEPTH 200

enum json_kind {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_kind kind;
	bool b;                 /* JSON_BOOL */
	char *text;             /* JSON_STRING: decoded; JSON_NUMBER: as written */
	size_t n;               /* JSON_ARRAY elements, JSON_OBJECT members */
	struct json **items;    /* array elements, or member values */
	char **keys;            /* JSON_OBJECT member names, parallel to items */
};

/*
 * Parses the NUL-terminated text as one JSON value (surrounding whitespace
 * allowed). Returns the tree, or NULL with *err set to a malloc'd
 * "line N: what" message.
 */
struct json *json_parse(const char *text, char **err);

/* Reads and parses a file; errors read "PATH: line N: what" or "PATH: why". */
struct json *json_load(const char *path, char **err);

/* Member key of an object, or NULL (also when obj is not an object). */
const struct json *json_get(const struct json *obj, const char *key);

/* Frees *j and all it owns, and sets *j to NULL; NULL *j is fine. */
void json_free(struct json **j);

/*
 * The value tree of j for a template: objects become maps (keys in
 * document order), arrays lists, strings strings, numbers numbers printed
 * as written, booleans and null themselves. NULL j gives null. The caller
 * frees the result with mu_value_free().
 */
struct mu_value *json_to_mu(const struct json *j);

#endif
