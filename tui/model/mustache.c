/*
 * Mustache engine; see mustache.h for the contract.
 *
 * A template is first parsed whole into a tree of nodes (text, variable,
 * section, inverted section, partial) whose strings point into the
 * template text, then the tree is rendered against a context stack.
 * Comments and set-delimiter tags leave no node. Standalone lines (a
 * section, inverted, closing, comment, partial or set-delimiter tag alone
 * on its line with only spaces and tabs around it) are removed whole while
 * parsing, so rendering never has to look at whitespace.
 *
 * Partials are parsed when they are rendered, with the indentation of a
 * standalone partial tag prepended to each line of the partial text first.
 */
#include "model/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* ------------------------------------------------------------------ */
/* Values                                                              */

struct mu_value {
	enum mu_kind kind;
	bool owned;                 /* attached to a list or map */
	bool b;                     /* MU_BOOL */
	char *text;                 /* MU_STRING, MU_NUMBER */
	size_t n, cap;              /* MU_LIST, MU_MAP: elements / keys */
	struct mu_value **items;    /* list elements, or map values */
	char **keys;                /* MU_MAP keys, parallel to items */
};

/* A contract violation by the caller: a programming error, not data. */
static void __attribute__((noreturn))
mu_misuse(const char *what)
{
	fprintf(stderr, "yichuang: mustache: %s\n", what);
	abort();
}

static struct mu_value *
new_value(enum mu_kind kind)
{
	struct mu_value *v = xcalloc(1, sizeof *v);

	v->kind = kind;
	return v;
}

struct mu_value *
mu_null(void)
{
	return new_value(MU_NULL);
}

struct mu_value *
mu_bool(bool b)
{
	struct mu_value *v = new_value(MU_BOOL);

	v->b = b;
	return v;
}

struct mu_value *
mu_str(const char *s)
{
	struct mu_value *v = new_value(MU_STRING);

	v->text = xstrdup(s ? s : "");
	return v;
}

struct mu_value *
mu_num_text(const char *text)
{
	struct mu_value *v = new_value(MU_NUMBER);

	v->text = xstrdup(text ? text : "");
	return v;
}

struct mu_value *
mu_int(long long n)
{
	struct mu_value *v = new_value(MU_NUMBER);

	v->text = xasprintf("%lld", n);
	return v;
}

struct mu_value *
mu_list(void)
{
	return new_value(MU_LIST);
}

struct mu_value *
mu_map(void)
{
	return new_value(MU_MAP);
}

/* Frees v and everything it owns, owned or not itself. */
static void
free_tree(struct mu_value *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free_tree(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
	free(v);
}

/* Makes room for one more element in a list or map. */
static void
grow(struct mu_value *c)
{
	if (c->n < c->cap)
		return;
	c->cap = c->cap ? c->cap * 2 : 4;
	c->items = xreallocarray(c->items, c->cap, sizeof *c->items);
	if (c->kind == MU_MAP)
		c->keys = xreallocarray(c->keys, c->cap, sizeof *c->keys);
}

/* Checks that v can be handed to a container, and marks it owned. */
static void
adopt(struct mu_value *v)
{
	if (v == NULL)
		mu_misuse("NULL value added to a list or map");
	if (v->owned)
		mu_misuse("value added to two lists or maps");
	v->owned = true;
}

struct mu_value *
mu_list_push(struct mu_value *list, struct mu_value *v)
{
	if (list == NULL || list->kind != MU_LIST)
		mu_misuse("mu_list_push on a value that is not a list");
	adopt(v);
	grow(list);
	list->items[list->n++] = v;
	return v;
}

/* Index of key (len bytes, not NUL-terminated) in map, or -1. */
static ptrdiff_t
map_find(const struct mu_value *map, const char *key, size_t len)
{
	for (size_t i = 0; i < map->n; i++)
		if (strlen(map->keys[i]) == len && memcmp(map->keys[i], key, len) == 0)
			return (ptrdiff_t)i;
	return -1;
}

struct mu_value *
mu_map_set(struct mu_value *map, const char *key, struct mu_value *v)
{
	ptrdiff_t i;

	if (map == NULL || map->kind != MU_MAP)
		mu_misuse("mu_map_set on a value that is not a map");
	if (key == NULL)
		mu_misuse("mu_map_set with a NULL key");
	if (v == map)
		mu_misuse("map set as a value of itself");
	adopt(v);
	i = map_find(map, key, strlen(key));
	if (i >= 0) {
		free_tree(map->items[i]);
		map->items[i] = v;
		return v;
	}
	grow(map);
	map->keys[map->n] = xstrdup(key);
	map->items[map->n++] = v;
	return v;
}

enum mu_kind
mu_kind(const struct mu_value *v)
{
	return v ? v->kind : MU_NULL;
}

const struct mu_value *
mu_map_get(const struct mu_value *map, const char *key)
{
	ptrdiff_t i;

	if (map == NULL || map->kind != MU_MAP || key == NULL)
		return NULL;
	i = map_find(map, key, strlen(key));
	return i >= 0 ? map->items[i] : NULL;
}

const char *
mu_text(const struct mu_value *v)
{
	if (v && (v->kind == MU_STRING || v->kind == MU_NUMBER))
		return v->text;
	return NULL;
}

size_t
mu_len(const struct mu_value *v)
{
	if (v && (v->kind == MU_LIST || v->kind == MU_MAP))
		return v->n;
	return 0;
}

const struct mu_value *
mu_list_at(const struct mu_value *v, size_t i)
{
	if (v == NULL || v->kind != MU_LIST || i >= v->n)
		return NULL;
	return v->items[i];
}

void
mu_value_free(struct mu_value **pv)
{
	if (*pv == NULL)
		return;
	if ((*pv)->owned)
		mu_misuse("mu_value_free on a value owned by a list or map");
	free_tree(*pv);
	*pv = NULL;
}

const char *
mu_partials_from_map(const void *closure, const char *name)
{
	const struct mu_value *v = mu_map_get(closure, name);

	return v && v->kind == MU_STRING ? v->text : NULL;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL };

struct node;

struct nodes {
	struct node *v;
	size_t n, cap;
};

struct node {
	enum node_kind kind;
	int line;               /* line of the tag in its template */
	const char *s;          /* N_TEXT: the text; otherwise the name */
	size_t len;
	bool escape;            /* N_VAR: {{name}} rather than {{{name}}} */
	const char *indent;     /* N_PARTIAL: indentation of a standalone tag */
	size_t indent_len;
	struct nodes body;      /* N_SECTION, N_INVERTED */
};

struct parser {
	const char *tpl;        /* the whole template */
	const char *end;        /* its terminating NUL */
	const char *p;          /* where parsing continues */
	const char *open, *close;   /* current delimiters (not NUL-terminated) */
	size_t olen, clen;
	const char *mark;       /* line_of() has counted lines up to here */
	int mark_line;
	char *err;
};

static void
nodes_free(struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		nodes_free(&ns->v[i].body);
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->cap = 0;
}

static struct node *
nodes_add(struct nodes *ns, enum node_kind kind, int line)
{
	struct node *nd;

	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 8;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
	}
	nd = &ns->v[ns->n++];
	memset(nd, 0, sizeof *nd);
	nd->kind = kind;
	nd->line = line;
	return nd;
}

static void
add_text(struct nodes *ns, const char *s, size_t len)
{
	struct node *nd;

	if (len == 0)
		return;
	nd = nodes_add(ns, N_TEXT, 0);
	nd->s = s;
	nd->len = len;
}

/* The 1-based line number of position x in the template. */
static int
line_of(struct parser *ps, const char *x)
{
	if (x < ps->mark) {
		ps->mark = ps->tpl;
		ps->mark_line = 1;
	}
	for (; ps->mark < x; ps->mark++)
		if (*ps->mark == '\n')
			ps->mark_line++;
	return ps->mark_line;
}

static int __attribute__((format(printf, 3, 4)))
parse_error(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	ps->err = xasprintf("line %d: %s", line_of(ps, at), what);
	free(what);
	return -1;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * First occurrence of the close delimiter at or after from whose preceding
 * byte is pre (a byte at or after from), or NULL. pre 0 means no
 * requirement. Used for "}}}" and "=}}" with any close delimiter.
 */
static const char *
find_close(const struct parser *ps, const char *from, char pre)
{
	const char *s = from;

	for (;;) {
		const char *q = memmem(s, (size_t)(ps->end - s), ps->close, ps->clen);

		if (q == NULL)
			return NULL;
		if (pre == 0)
			return q;
		if (q > from && q[-1] == pre)
			return q;
		s = q + 1;
	}
}

/* Trims spaces around [*s, *s + *len). */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

/* Checks a tag name: not empty, no whitespace inside. */
static int
check_name(struct parser *ps, const char *tag, const char *name, size_t len)
{
	if (len == 0)
		return parse_error(ps, tag, "empty tag %.*s%.*s", (int)ps->olen, ps->open,
		                   (int)ps->clen, ps->close);
	for (size_t i = 0; i < len; i++)
		if (is_space(name[i]))
			return parse_error(ps, tag, "tag name \"%.*s\" contains a space",
			                   (int)len, name);
	return 0;
}

/* Handles the content of {{=open close=}}: exactly two words. */
static int
set_delimiters(struct parser *ps, const char *tag, const char *s, size_t len)
{
	const char *e, *o, *c;
	size_t ol, cl;

	trim(&s, &len);
	e = s + len;
	o = s;
	while (s < e && !is_space(*s))
		s++;
	ol = (size_t)(s - o);
	while (s < e && is_space(*s))
		s++;
	c = s;
	while (s < e && !is_space(*s))
		s++;
	cl = (size_t)(s - c);
	if (ol == 0 || cl == 0 || s != e)
		return parse_error(ps, tag, "bad set-delimiter tag: "
		                   "expected two delimiters separated by a space");
	ps->open = o;
	ps->olen = ol;
	ps->close = c;
	ps->clen = cl;
	return 0;
}

/*
 * Parses nodes into out until the end of the template (sec == NULL) or the
 * closing tag of the section named sec (sec_len bytes, opened on line
 * sec_line, nested depth deep). Returns 0, or -1 with ps->err set.
 */
static int
parse_block(struct parser *ps, struct nodes *out, const char *sec, size_t sec_len,
            int sec_line, int depth)
{
	for (;;) {
		const char *tag, *c, *q, *after, *name, *ls, *e;
		size_t len;
		char sigil;
		bool standalone = false;
		struct node *nd;

		tag = memmem(ps->p, (size_t)(ps->end - ps->p), ps->open, ps->olen);
		if (tag == NULL) {
			add_text(out, ps->p, (size_t)(ps->end - ps->p));
			ps->p = ps->end;
			if (sec)
				return parse_error(ps, sec, "section \"%.*s\" is not closed",
				                   (int)sec_len, sec);
			return 0;
		}

		/* Find the tag's content [name, name + len) and its end. */
		c = tag + ps->olen;
		sigil = *c;
		switch (sigil) {
		case '{':
			q = find_close(ps, c + 1, '}');
			if (q == NULL)
				return parse_error(ps, tag, "unclosed tag: no \"}%.*s\" after \"%.*s{\"",
				                   (int)ps->clen, ps->close, (int)ps->olen, ps->open);
			name = c + 1;
			len = (size_t)(q - 1 - name);
			break;
		case '=':
			q = find_close(ps, c + 1, '=');
			if (q == NULL)
				return parse_error(ps, tag, "unclosed set-delimiter tag: no \"=%.*s\"",
				                   (int)ps->clen, ps->close);
			name = c + 1;
			len = (size_t)(q - 1 - name);
			break;
		case '!': case '#': case '^': case '/': case '>': case '&':
			q = find_close(ps, c + 1, 0);
			name = c + 1;
			len = q ? (size_t)(q - name) : 0;
			break;
		default:
			sigil = 0;
			q = find_close(ps, c, 0);
			name = c;
			len = q ? (size_t)(q - name) : 0;
			break;
		}
		if (q == NULL)
			return parse_error(ps, tag, "unclosed tag: no \"%.*s\" after \"%.*s\"",
			                   (int)ps->clen, ps->close, (int)ps->olen, ps->open);
		after = q + ps->clen;
		if (sigil != '!' && sigil != '=')
			trim(&name, &len);

		/* A standalone tag takes its whole line with it. */
		ls = tag;
		e = after;
		if (sigil && sigil != '{' && sigil != '&') {
			while (ls > ps->p && is_blank(ls[-1]))
				ls--;
			while (is_blank(*e))
				e++;
			if (ls == ps->tpl || ls[-1] == '\n') {
				if (*e == '\n') {
					standalone = true;
					e++;
				} else if (e[0] == '\r' && e[1] == '\n') {
					standalone = true;
					e += 2;
				} else if (*e == '\0') {
					standalone = true;
				}
			}
		}
		if (standalone) {
			add_text(out, ps->p, (size_t)(ls - ps->p));
			ps->p = e;
		} else {
			add_text(out, ps->p, (size_t)(tag - ps->p));
			ps->p = after;
		}

		switch (sigil) {
		case '!':
			break;
		case '=':
			if (set_delimiters(ps, tag, name, len) < 0)
				return -1;
			break;
		case '#':
		case '^':
			if (check_name(ps, tag, name, len) < 0)
				return -1;
			if (depth >= MU_MAX_SECTION_DEPTH)
				return parse_error(ps, tag, "sections nested deeper than %d",
				                   MU_MAX_SECTION_DEPTH);
			nd = nodes_add(out, sigil == '#' ? N_SECTION : N_INVERTED,
			               line_of(ps, tag));
			nd->s = name;
			nd->len = len;
			/* nd may move when out grows, but not while its body is parsed. */
			if (parse_block(ps, &nd->body, name, len, nd->line, depth + 1) < 0)
				return -1;
			break;
		case '/':
			if (check_name(ps, tag, name, len) < 0)
				return -1;
			if (sec == NULL)
				return parse_error(ps, tag, "closing tag \"%.*s\" without an open section",
				                   (int)len, name);
			if (len != sec_len || memcmp(name, sec, len) != 0)
				return parse_error(ps, tag, "closing tag \"%.*s\" does not match "
				                   "section \"%.*s\" opened on line %d",
				                   (int)len, name, (int)sec_len, sec, sec_line);
			return 0;
		case '>':
			if (check_name(ps, tag, name, len) < 0)
				return -1;
			nd = nodes_add(out, N_PARTIAL, line_of(ps, tag));
			nd->s = name;
			nd->len = len;
			if (standalone) {
				nd->indent = ls;
				nd->indent_len = (size_t)(tag - ls);
			}
			break;
		default:        /* 0, '{', '&' */
			if (check_name(ps, tag, name, len) < 0)
				return -1;
			nd = nodes_add(out, N_VAR, line_of(ps, tag));
			nd->s = name;
			nd->len = len;
			nd->escape = sigil == 0;
			break;
		}
	}
}

/*
 * Parses the NUL-terminated template tpl into out (which the caller frees
 * with nodes_free() whatever the result). Returns 0, or -1 with *err set
 * to a malloc'd "line N: what".
 */
static int
parse(const char *tpl, struct nodes *out, char **err)
{
	struct parser ps = {
		.tpl = tpl, .end = tpl + strlen(tpl), .p = tpl,
		.open = "{{", .olen = 2, .close = "}}", .clen = 2,
		.mark = tpl, .mark_line = 1,
	};

	memset(out, 0, sizeof *out);
	if (parse_block(&ps, out, NULL, 0, 0, 0) < 0) {
		*err = ps.err;
		return -1;
	}
	*err = NULL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */

struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap - b->len <= n) {
			if (cap > SIZE_MAX / 2)
				mu_misuse("output too large");
			cap *= 2;
		}
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

struct renderer {
	struct buf out;
	const struct mu_value **stack;  /* context stack, top last */
	size_t n, cap;
	const struct mu_partials *partials;
	bool escape;
	int partial_depth;
	char *deep_name;        /* set when MU_MAX_PARTIAL_DEPTH was exceeded */
	char *err;
};

static void
push(struct renderer *r, const struct mu_value *v)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->stack = xreallocarray(r->stack, r->cap, sizeof *r->stack);
	}
	r->stack[r->n++] = v;
}

/* Resolves a tag name against the context stack; NULL when missing. */
static const struct mu_value *
lookup(const struct renderer *r, const char *name, size_t len)
{
	const struct mu_value *v = NULL;
	const char *dot, *end = name + len;
	size_t part;

	if (len == 1 && name[0] == '.')
		return r->n ? r->stack[r->n - 1] : NULL;
	dot = memchr(name, '.', len);
	part = dot ? (size_t)(dot - name) : len;
	for (size_t i = r->n; i-- > 0;) {
		const struct mu_value *ctx = r->stack[i];
		ptrdiff_t k;

		if (ctx->kind != MU_MAP)
			continue;
		k = map_find(ctx, name, part);
		if (k >= 0) {
			v = ctx->items[k];
			break;
		}
	}
	/* Any further parts resolve inside the value found, and only there. */
	while (v && dot) {
		ptrdiff_t k;

		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		part = dot ? (size_t)(dot - name) : (size_t)(end - name);
		if (v->kind != MU_MAP)
			return NULL;
		k = map_find(v, name, part);
		v = k >= 0 ? v->items[k] : NULL;
	}
	return v;
}

static bool
falsey(const struct mu_value *v)
{
	if (v == NULL)
		return true;
	switch (v->kind) {
	case MU_NULL:
		return true;
	case MU_BOOL:
		return !v->b;
	case MU_STRING:
		return v->text[0] == '\0';
	case MU_LIST:
		return v->n == 0;
	case MU_NUMBER:
	case MU_MAP:
		break;
	}
	return false;
}

static void
put_escaped(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '"': rep = "&quot;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		default: continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_add(b, rep, strlen(rep));
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
}

static void
put_value(struct renderer *r, const struct mu_value *v, bool escape)
{
	const char *s = "";

	if (v == NULL)
		return;
	switch (v->kind) {
	case MU_BOOL:
		s = v->b ? "true" : "false";
		break;
	case MU_STRING:
	case MU_NUMBER:
		s = v->text;
		break;
	case MU_NULL:
	case MU_LIST:
	case MU_MAP:
		return;
	}
	if (escape)
		put_escaped(&r->out, s);
	else
		buf_add(&r->out, s, strlen(s));
}

/* Copies text with indent put before every line (none after a final \n). */
static char *
indent_text(const char *text, const char *indent, size_t indent_len)
{
	struct buf b = { 0 };

	buf_add(&b, "", 0);
	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		const char *next = nl ? nl + 1 : s + strlen(s);

		buf_add(&b, indent, indent_len);
		buf_add(&b, s, (size_t)(next - s));
		s = next;
	}
	return b.s;
}

static int render_nodes(struct renderer *r, const struct nodes *ns);

static int
render_partial(struct renderer *r, const struct node *nd)
{
	char *name = xstrndup(nd->s, nd->len);
	const char *text = NULL;
	char *indented = NULL, *perr = NULL;
	struct nodes tree;
	int rc = 0;

	if (r->partials && r->partials->lookup)
		text = r->partials->lookup(r->partials->closure, name);
	if (text == NULL) {
		free(name);
		return 0;
	}
	if (r->partial_depth >= MU_MAX_PARTIAL_DEPTH) {
		r->deep_name = name;
		r->err = xasprintf("line %d: partials nested deeper than %d "
		                   "(does partial \"%s\" include itself?)",
		                   nd->line, MU_MAX_PARTIAL_DEPTH, name);
		return -1;
	}
	if (nd->indent_len > 0)
		text = indented = indent_text(text, nd->indent, nd->indent_len);
	if (parse(text, &tree, &perr) < 0) {
		r->err = xasprintf("line %d: in partial \"%s\": %s", nd->line, name, perr);
		free(perr);
		rc = -1;
	} else {
		r->partial_depth++;
		rc = render_nodes(r, &tree);
		r->partial_depth--;
		if (rc < 0) {
			char *inner = r->err;

			/* Report a runaway recursion at the outermost tag only. */
			if (r->deep_name)
				r->err = xasprintf("line %d: partials nested deeper than %d "
				                   "(does partial \"%s\" include itself?)",
				                   nd->line, MU_MAX_PARTIAL_DEPTH, r->deep_name);
			else
				r->err = xasprintf("line %d: in partial \"%s\": %s",
				                   nd->line, name, inner);
			free(inner);
		}
	}
	nodes_free(&tree);
	free(indented);
	free(name);
	return rc;
}

static int
render_nodes(struct renderer *r, const struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		const struct node *nd = &ns->v[i];
		const struct mu_value *v;

		switch (nd->kind) {
		case N_TEXT:
			buf_add(&r->out, nd->s, nd->len);
			break;
		case N_VAR:
			put_value(r, lookup(r, nd->s, nd->len), nd->escape && r->escape);
			break;
		case N_SECTION:
			v = lookup(r, nd->s, nd->len);
			if (falsey(v))
				break;
			if (v->kind == MU_LIST) {
				for (size_t k = 0; k < v->n; k++) {
					push(r, v->items[k]);
					if (render_nodes(r, &nd->body) < 0)
						return -1;
					r->n--;
				}
			} else {
				push(r, v);
				if (render_nodes(r, &nd->body) < 0)
					return -1;
				r->n--;
			}
			break;
		case N_INVERTED:
			if (falsey(lookup(r, nd->s, nd->len)) &&
			    render_nodes(r, &nd->body) < 0)
				return -1;
			break;
		case N_PARTIAL:
			if (render_partial(r, nd) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

char *
mu_render(const char *template, const struct mu_value *data,
          const struct mu_partials *partials, bool escape_html, char **err)
{
	static const struct mu_value empty = { .kind = MU_MAP };
	struct renderer r = { .partials = partials, .escape = escape_html };
	struct nodes tree;
	char *perr = NULL;

	if (err)
		*err = NULL;
	if (template == NULL)
		template = "";
	if (parse(template, &tree, &perr) < 0) {
		nodes_free(&tree);
		if (err)
			*err = perr;
		else
			free(perr);
		return NULL;
	}
	buf_add(&r.out, "", 0);
	push(&r, data ? data : &empty);
	if (render_nodes(&r, &tree) < 0) {
		if (err)
			*err = r.err;
		else
			free(r.err);
		free(r.out.s);
		r.out.s = NULL;
	}
	free(r.deep_name);
	free(r.stack);
	nodes_free(&tree);
	return r.out.s;
}
