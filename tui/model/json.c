/* JSON reader; see json.h. Recursive descent. */
#include "model/json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/xalloc.h"

/* A file larger than this is refused by json_load. */
#define JSON_MAX_FILE (16 * 1024 * 1024)

struct jp {
	const char *start;
	const char *p;
	char *err;
};

static struct json *parse_value(struct jp *jp, int depth);

static void * __attribute__((format(printf, 2, 3)))
fail(struct jp *jp, const char *fmt, ...)
{
	va_list ap;
	char *what;
	int line = 1;

	if (jp->err)
		return NULL;
	for (const char *s = jp->start; s < jp->p; s++)
		if (*s == '\n')
			line++;
	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	jp->err = xasprintf("line %d: %s", line, what);
	free(what);
	return NULL;
}

static void
skip_ws(struct jp *jp)
{
	while (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r')
		jp->p++;
}

static struct json *
new_json(enum json_kind kind)
{
	struct json *j = xcalloc(1, sizeof *j);

	j->kind = kind;
	return j;
}

/* Appends one UTF-8 encoded code point to buf at *len (room is ensured). */
static void
put_utf8(char *buf, size_t *len, uint32_t cp)
{
	if (cp < 0x80) {
		buf[(*len)++] = (char)cp;
	} else if (cp < 0x800) {
		buf[(*len)++] = (char)(0xC0 | (cp >> 6));
		buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		buf[(*len)++] = (char)(0xE0 | (cp >> 12));
		buf[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		buf[(*len)++] = (char)(0xF0 | (cp >> 18));
		buf[(*len)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		buf[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* Reads 4 hex digits at jp->p into *v; -1 if they are not there. */
static int
hex4(struct jp *jp, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = jp->p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	jp->p += 4;
	return 0;
}

/* Parses a string starting at the opening quote; returns it malloc'd. */
static char *
parse_string(struct jp *jp)
{
	const char *s = jp->p + 1;
	size_t cap, len = 0;
	char *buf;

	/* The decoded string is never longer than its source text. */
	cap = 1;
	for (const char *t = s; *t && *t != '"'; t++) {
		if (*t == '\\' && t[1])
			t++, cap++;
		cap++;
	}
	buf = xmalloc(cap + 1);
	jp->p = s;
	for (;;) {
		unsigned char c = (unsigned char)*jp->p;
		uint32_t cp, lo;

		if (c == '"') {
			jp->p++;
			break;
		}
		if (c == '\0') {
			free(buf);
			return fail(jp, "unterminated string");
		}
		if (c < 0x20) {
			free(buf);
			return fail(jp, "control character 0x%02x in a string", c);
		}
		if (c != '\\') {
			buf[len++] = (char)c;
			jp->p++;
			continue;
		}
		jp->p++;
		c = (unsigned char)*jp->p++;
		switch (c) {
		case '"': buf[len++] = '"'; break;
		case '\\': buf[len++] = '\\'; break;
		case '/': buf[len++] = '/'; break;
		case 'b': buf[len++] = '\b'; break;
		case 'f': buf[len++] = '\f'; break;
		case 'n': buf[len++] = '\n'; break;
		case 'r': buf[len++] = '\r'; break;
		case 't': buf[len++] = '\t'; break;
		case 'u':
			if (hex4(jp, &cp) < 0) {
				free(buf);
				return fail(jp, "bad \\u escape");
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (jp->p[0] != '\\' || jp->p[1] != 'u') {
					free(buf);
					return fail(jp, "unpaired surrogate \\u%04X", (unsigned)cp);
				}
				jp->p += 2;
				if (hex4(jp, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
					free(buf);
					return fail(jp, "bad low surrogate after \\u%04X", (unsigned)cp);
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				free(buf);
				return fail(jp, "unpaired surrogate \\u%04X", (unsigned)cp);
			} else if (cp == 0) {
				free(buf);
				return fail(jp, "\\u0000 is not supported");
			}
			/* A \uXXXX escape (6 bytes, 12 for a pair) encodes in 1..4. */
			put_utf8(buf, &len, cp);
			break;
		default:
			jp->p--;
			free(buf);
			return fail(jp, "bad escape \\%c", c ? c : '0');
		}
	}
	buf[len] = '\0';
	return buf;
}

/* Checks the number grammar at jp->p and returns its text. */
static struct json *
parse_number(struct jp *jp)
{
	const char *s = jp->p, *t = s;
	struct json *j;

	if (*t == '-')
		t++;
	if (*t == '0') {
		t++;
	} else if (*t >= '1' && *t <= '9') {
		while (*t >= '0' && *t <= '9')
			t++;
	} else {
		return fail(jp, "bad number");
	}
	if (*t == '.') {
		t++;
		if (!(*t >= '0' && *t <= '9'))
			return fail(jp, "bad number: no digit after '.'");
		while (*t >= '0' && *t <= '9')
			t++;
	}
	if (*t == 'e' || *t == 'E') {
		t++;
		if (*t == '+' || *t == '-')
			t++;
		if (!(*t >= '0' && *t <= '9'))
			return fail(jp, "bad number: no digit in exponent");
		while (*t >= '0' && *t <= '9')
			t++;
	}
	j = new_json(JSON_NUMBER);
	j->text = xstrndup(s, (size_t)(t - s));
	jp->p = t;
	return j;
}

static void
append(struct json *j, size_t *cap, char *key, struct json *item)
{
	if (j->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		j->items = xreallocarray(j->items, *cap, sizeof *j->items);
		if (j->kind == JSON_OBJECT)
			j->keys = xreallocarray(j->keys, *cap, sizeof *j->keys);
	}
	if (j->kind == JSON_OBJECT)
		j->keys[j->n] = key;
	j->items[j->n++] = item;
}

/* Parses an array or object starting at its opening bracket. */
static struct json *
parse_container(struct jp *jp, int depth)
{
	bool object = *jp->p == '{';
	char close = object ? '}' : ']';
	struct json *j = new_json(object ? JSON_OBJECT : JSON_ARRAY);
	size_t cap = 0;

	if (depth >= JSON_MAX_DEPTH) {
		json_free(&j);
		return fail(jp, "nested deeper than %d", JSON_MAX_DEPTH);
	}
	jp->p++;
	skip_ws(jp);
	if (*jp->p == close) {
		jp->p++;
		return j;
	}
	for (;;) {
		char *key = NULL;
		struct json *item;

		skip_ws(jp);
		if (object) {
			if (*jp->p != '"') {
				json_free(&j);
				return fail(jp, "expected a member name");
			}
			key = parse_string(jp);
			if (key == NULL) {
				json_free(&j);
				return NULL;
			}
			if (json_get(j, key)) {
				fail(jp, "repeated member \"%s\"", key);
				free(key);
				json_free(&j);
				return NULL;
			}
			skip_ws(jp);
			if (*jp->p != ':') {
				free(key);
				json_free(&j);
				return fail(jp, "expected ':'");
			}
			jp->p++;
		}
		item = parse_value(jp, depth + 1);
		if (item == NULL) {
			free(key);
			json_free(&j);
			return NULL;
		}
		append(j, &cap, key, item);
		skip_ws(jp);
		if (*jp->p == ',') {
			jp->p++;
			continue;
		}
		if (*jp->p == close) {
			jp->p++;
			return j;
		}
		json_free(&j);
		return fail(jp, "expected ',' or '%c'", close);
	}
}

static struct json *
parse_value(struct jp *jp, int depth)
{
	struct json *j;

	skip_ws(jp);
	switch (*jp->p) {
	case '{':
	case '[':
		return parse_container(jp, depth);
	case '"': {
		char *s = parse_string(jp);

		if (s == NULL)
			return NULL;
		j = new_json(JSON_STRING);
		j->text = s;
		return j;
	}
	case 't':
		if (strncmp(jp->p, "true", 4) == 0) {
			jp->p += 4;
			j = new_json(JSON_BOOL);
			j->b = true;
			return j;
		}
		break;
	case 'f':
		if (strncmp(jp->p, "false", 5) == 0) {
			jp->p += 5;
			return new_json(JSON_BOOL);
		}
		break;
	case 'n':
		if (strncmp(jp->p, "null", 4) == 0) {
			jp->p += 4;
			return new_json(JSON_NULL);
		}
		break;
	case '\0':
		return fail(jp, "unexpected end of input");
	default:
		if (*jp->p == '-' || (*jp->p >= '0' && *jp->p <= '9'))
			return parse_number(jp);
		break;
	}
	return fail(jp, "unexpected character '%c'", *jp->p);
}

struct json *
json_parse(const char *text, char **err)
{
	struct jp jp = { .start = text, .p = text };
	struct json *j = parse_value(&jp, 0);

	if (j) {
		skip_ws(&jp);
		if (*jp.p != '\0') {
			json_free(&j);
			fail(&jp, "text after the value");
		}
	}
	*err = jp.err;
	return j;
}

struct json *
json_load(const char *path, char **err)
{
	char *text, *perr = NULL;
	size_t len;
	struct json *j;

	*err = NULL;
	text = file_read(path, JSON_MAX_FILE, &len);
	if (text == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (strlen(text) != len) {
		*err = xasprintf("%s: contains a NUL byte", path);
		free(text);
		return NULL;
	}
	j = json_parse(text, &perr);
	if (j == NULL) {
		*err = xasprintf("%s: %s", path, perr);
		free(perr);
	}
	free(text);
	return j;
}

const struct json *
json_get(const struct json *obj, const char *key)
{
	if (obj == NULL || obj->kind != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

void
json_free(struct json **pj)
{
	struct json *j = *pj;

	if (j == NULL)
		return;
	for (size_t i = 0; i < j->n; i++) {
		json_free(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->text);
	free(j);
	*pj = NULL;
}

struct mu_value *
json_to_mu(const struct json *j)
{
	struct mu_value *v;

	if (j == NULL)
		return mu_null();
	switch (j->kind) {
	case JSON_NULL:
		return mu_null();
	case JSON_BOOL:
		return mu_bool(j->b);
	case JSON_NUMBER:
		return mu_num_text(j->text);
	case JSON_STRING:
		return mu_str(j->text);
	case JSON_ARRAY:
		v = mu_list();
		for (size_t i = 0; i < j->n; i++)
			mu_list_push(v, json_to_mu(j->items[i]));
		return v;
	case JSON_OBJECT:
		v = mu_map();
		for (size_t i = 0; i < j->n; i++)
			mu_map_set(v, j->keys[i], json_to_mu(j->items[i]));
		return v;
	}
	return mu_null();
}
