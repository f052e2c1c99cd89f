/* The code-point regular expression engine; see regex.h. */
#include "model/regex.h"

#include <stdlib.h>
#include <string.h>

#include "model/text.h"
#include "util/xalloc.h"

/*
 * The pattern is parsed into a tree, the tree compiled into a program for
 * a Pike VM (Thompson NFA simulation: time O(text * program), no
 * backtracking), and the program run on the whole text.
 */
#define RE_DUP_LIMIT  255
#define RE_DEPTH      64
#define RE_PROG_LIMIT 20000
#define RE_MAX_LEN    1000

enum re_class {
	RC_DIGIT = 1 << 0, RC_ALPHA = 1 << 1, RC_ALNUM = 1 << 2, RC_UPPER = 1 << 3,
	RC_LOWER = 1 << 4, RC_SPACE = 1 << 5, RC_BLANK = 1 << 6, RC_XDIGIT = 1 << 7,
	RC_PUNCT = 1 << 8, RC_CNTRL = 1 << 9, RC_PRINT = 1 << 10, RC_GRAPH = 1 << 11,
};

struct re_range {
	uint32_t lo, hi;
};

struct re_set {
	bool neg;
	unsigned classes;
	struct re_range *r;
	size_t nr, cap;
};

enum re_kind { N_EMPTY, N_CHAR, N_ANY, N_SET, N_BOL, N_EOL, N_CAT, N_ALT, N_REP };

struct re_node {
	enum re_kind kind;
	uint32_t cp;            /* N_CHAR */
	size_t set;             /* N_SET: index into sets */
	size_t a, b;            /* children (N_CAT, N_ALT; N_REP uses a) */
	int min, max;           /* N_REP; max -1 = unbounded */
};

enum re_op { I_CHAR, I_ANY, I_SET, I_SPLIT, I_JMP, I_BOL, I_EOL, I_MATCH };

struct re_inst {
	enum re_op op;
	uint32_t cp;
	size_t x, y;            /* I_SET: x = set; I_SPLIT: x, y; I_JMP: x */
};

struct re {
	const char *p;          /* parse position */
	const char *end;
	bool err;
	int depth;
	struct re_node *nodes;
	size_t nn, ncap;
	struct re_set *sets;
	size_t ns, scap;
	struct re_inst *prog;
	size_t np;
};

static void
re_free(struct re *re)
{
	size_t i;

	for (i = 0; i < re->ns; i++)
		free(re->sets[i].r);
	free(re->sets);
	free(re->nodes);
	free(re->prog);
}

static size_t
re_node(struct re *re, enum re_kind kind)
{
	if (re->nn == re->ncap) {
		re->ncap = re->ncap ? 2 * re->ncap : 16;
		re->nodes = xreallocarray(re->nodes, re->ncap, sizeof *re->nodes);
	}
	memset(&re->nodes[re->nn], 0, sizeof re->nodes[re->nn]);
	re->nodes[re->nn].kind = kind;
	return re->nn++;
}

static size_t
re_pair(struct re *re, enum re_kind kind, size_t a, size_t b)
{
	size_t n = re_node(re, kind);

	re->nodes[n].a = a;
	re->nodes[n].b = b;
	return n;
}

/* Next code point of the pattern, advancing; invalid UTF-8 is an error. */
static uint32_t
re_getc(struct re *re)
{
	uint32_t cp = 0;
	int k = text_decode(re->p, (size_t)(re->end - re->p), &cp);

	if (k < 0) {
		re->err = true;
		re->p = re->end;
		return 0;
	}
	re->p += k;
	return cp;
}

static bool
re_at_end(const struct re *re)
{
	return re->p >= re->end;
}

static bool
ascii_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
set_add(struct re_set *set, uint32_t lo, uint32_t hi)
{
	if (set->nr == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 4;
		set->r = xreallocarray(set->r, set->cap, sizeof *set->r);
	}
	set->r[set->nr].lo = lo;
	set->r[set->nr].hi = hi;
	set->nr++;
}

static unsigned
class_bit(const char *name, size_t len)
{
	static const struct {
		const char *name;
		unsigned bit;
	} classes[] = {
		{ "digit", RC_DIGIT }, { "alpha", RC_ALPHA }, { "alnum", RC_ALNUM },
		{ "upper", RC_UPPER }, { "lower", RC_LOWER }, { "space", RC_SPACE },
		{ "blank", RC_BLANK }, { "xdigit", RC_XDIGIT }, { "punct", RC_PUNCT },
		{ "cntrl", RC_CNTRL }, { "print", RC_PRINT }, { "graph", RC_GRAPH },
	};
	size_t i;

	for (i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
			return classes[i].bit;
	return 0;
}

static bool
class_has(unsigned classes, uint32_t c)
{
	bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
	bool digit = c >= '0' && c <= '9';
	bool graph = c >= 0x21 && c <= 0x7E;

	return ((classes & RC_DIGIT) && digit) ||
	       ((classes & RC_ALPHA) && (upper || lower)) ||
	       ((classes & RC_ALNUM) && (upper || lower || digit)) ||
	       ((classes & RC_UPPER) && upper) ||
	       ((classes & RC_LOWER) && lower) ||
	       ((classes & RC_SPACE) && (c == ' ' || (c >= '\t' && c <= '\r'))) ||
	       ((classes & RC_BLANK) && (c == ' ' || c == '\t')) ||
	       ((classes & RC_XDIGIT) && (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) ||
	       ((classes & RC_PUNCT) && graph && !upper && !lower && !digit) ||
	       ((classes & RC_CNTRL) && (c < 0x20 || c == 0x7F)) ||
	       ((classes & RC_PRINT) && (graph || c == ' ')) ||
	       ((classes & RC_GRAPH) && graph);
}

static bool
set_has(const struct re_set *set, uint32_t c)
{
	bool in = class_has(set->classes, c);
	size_t i;

	for (i = 0; i < set->nr && !in; i++)
		in = c >= set->r[i].lo && c <= set->r[i].hi;
	return in != set->neg;
}

/* Bracket expression; re->p is just after '['. */
static size_t
re_bracket(struct re *re)
{
	struct re_set set = { 0 };
	size_t n;
	bool first = true;

	if (!re_at_end(re) && *re->p == '^') {
		set.neg = true;
		re->p++;
	}
	for (;;) {
		uint32_t lo, hi;

		if (re_at_end(re)) {
			re->err = true;
			break;
		}
		if (*re->p == ']' && !first) {
			re->p++;
			break;
		}
		first = false;
		if (*re->p == '[' && re->p + 1 < re->end &&
		    (re->p[1] == ':' || re->p[1] == '=' || re->p[1] == '.')) {
			const char *name = re->p + 2, *close;
			unsigned bit;

			if (re->p[1] != ':') {          /* [= =] and [. .] unsupported */
				re->err = true;
				break;
			}
			for (close = name; close + 1 < re->end; close++)
				if (close[0] == ':' && close[1] == ']')
					break;
			if (close + 1 >= re->end)
				close = NULL;
			bit = close ? class_bit(name, (size_t)(close - name)) : 0;
			if (bit == 0) {
				re->err = true;
				break;
			}
			set.classes |= bit;
			re->p = close + 2;
			continue;
		}
		lo = re_getc(re);
		hi = lo;
		if (re->p + 1 < re->end && *re->p == '-' && re->p[1] != ']') {
			re->p++;
			if (*re->p == '[') {            /* [a-[:digit:]] */
				re->err = true;
				break;
			}
			hi = re_getc(re);
			if (hi < lo)
				re->err = true;
		}
		if (re->err)
			break;
		set_add(&set, lo, hi);
	}
	if (re->err) {
		free(set.r);
		return 0;
	}
	if (re->ns == re->scap) {
		re->scap = re->scap ? 2 * re->scap : 4;
		re->sets = xreallocarray(re->sets, re->scap, sizeof *re->sets);
	}
	re->sets[re->ns] = set;
	n = re_node(re, N_SET);
	re->nodes[n].set = re->ns++;
	return n;
}

static size_t re_alt(struct re *re);

static size_t
re_atom(struct re *re)
{
	uint32_t c = re_getc(re);
	size_t n;

	switch (c) {
	case '(':
		if (++re->depth > RE_DEPTH) {
			re->err = true;
			return 0;
		}
		n = re_alt(re);
		re->depth--;
		if (re_at_end(re) || *re->p != ')')
			re->err = true;
		else
			re->p++;
		return n;
	case '.':
		return re_node(re, N_ANY);
	case '^':
		return re_node(re, N_BOL);
	case '$':
		return re_node(re, N_EOL);
	case '[':
		return re_bracket(re);
	case '\\':
		if (re_at_end(re)) {
			re->err = true;
			return 0;
		}
		c = re_getc(re);
		if (ascii_alnum(c))             /* \d, \w, \1 ...: not ERE */
			re->err = true;
		break;
	case '*': case '+': case '?': case '{': case ')': case '|':
		re->err = true;                 /* nothing to repeat, or stray */
		return 0;
	default:
		break;
	}
	n = re_node(re, N_CHAR);
	re->nodes[n].cp = c;
	return n;
}

/* Reads a bound 0..RE_DUP_LIMIT; -1 when there are no digits. */
static int
re_bound(struct re *re)
{
	int v = 0, nd = 0;

	while (!re_at_end(re) && (*re->p >= '0' && *re->p <= '9')) {
		v = v * 10 + (*re->p++ - '0');
		if (++nd > 3 || v > RE_DUP_LIMIT) {
			re->err = true;
			return -1;
		}
	}
	return nd ? v : -1;
}

static size_t
re_piece(struct re *re)
{
	enum re_kind k;
	size_t n = re_atom(re);

	if (re->err)
		return n;
	k = re->nodes[n].kind;
	while (!re_at_end(re) && !re->err &&
	       (*re->p == '*' || *re->p == '+' || *re->p == '?' || *re->p == '{')) {
		int min = 0, max = -1;
		char q = *re->p++;
		size_t rep;

		if (k == N_BOL || k == N_EOL) {
			re->err = true;
			break;
		}
		if (q == '+')
			min = 1;
		else if (q == '?')
			max = 1;
		else if (q == '{') {
			min = re_bound(re);
			max = min;
			if (!re_at_end(re) && *re->p == ',') {
				re->p++;
				max = re_bound(re);
			}
			if (min < 0 || re_at_end(re) || *re->p != '}' ||
			    (max >= 0 && max < min)) {
				re->err = true;
				break;
			}
			re->p++;
		}
		rep = re_node(re, N_REP);
		re->nodes[rep].a = n;
		re->nodes[rep].min = min;
		re->nodes[rep].max = max;
		n = rep;
	}
	return n;
}

static size_t
re_concat(struct re *re)
{
	size_t n = re_node(re, N_EMPTY);

	while (!re_at_end(re) && !re->err && *re->p != '|' && *re->p != ')')
		n = re_pair(re, N_CAT, n, re_piece(re));
	return n;
}

static size_t
re_alt(struct re *re)
{
	size_t n = re_concat(re);

	while (!re_at_end(re) && !re->err && *re->p == '|') {
		re->p++;
		n = re_pair(re, N_ALT, n, re_concat(re));
	}
	return n;
}

/* Program size of node n, saturating above RE_PROG_LIMIT. */
static size_t
re_size(const struct re *re, size_t n)
{
	const struct re_node *nd = &re->nodes[n];
	size_t a, total;

	switch (nd->kind) {
	case N_EMPTY:
		return 0;
	case N_CAT:
		total = re_size(re, nd->a) + re_size(re, nd->b);
		break;
	case N_ALT:
		total = re_size(re, nd->a) + re_size(re, nd->b) + 2;
		break;
	case N_REP:
		a = re_size(re, nd->a);
		if (nd->max < 0)
			total = a * (size_t)nd->min + a + 2;
		else
			total = a * (size_t)nd->max + (size_t)(nd->max - nd->min);
		break;
	default:
		return 1;
	}
	return total > RE_PROG_LIMIT ? RE_PROG_LIMIT + 1 : total;
}

static size_t
emit(struct re *re, enum re_op op)
{
	memset(&re->prog[re->np], 0, sizeof re->prog[re->np]);
	re->prog[re->np].op = op;
	return re->np++;
}

static void
re_emit(struct re *re, size_t n)
{
	const struct re_node *nd = &re->nodes[n];
	size_t split, jmp;
	int k;

	switch (nd->kind) {
	case N_EMPTY:
		break;
	case N_CHAR:
		re->prog[emit(re, I_CHAR)].cp = nd->cp;
		break;
	case N_ANY:
		emit(re, I_ANY);
		break;
	case N_SET:
		re->prog[emit(re, I_SET)].x = nd->set;
		break;
	case N_BOL:
		emit(re, I_BOL);
		break;
	case N_EOL:
		emit(re, I_EOL);
		break;
	case N_CAT:
		re_emit(re, nd->a);
		re_emit(re, nd->b);
		break;
	case N_ALT:
		split = emit(re, I_SPLIT);
		re->prog[split].x = re->np;
		re_emit(re, nd->a);
		jmp = emit(re, I_JMP);
		re->prog[split].y = re->np;
		re_emit(re, nd->b);
		re->prog[jmp].x = re->np;
		break;
	case N_REP:
		for (k = 0; k < nd->min; k++)
			re_emit(re, nd->a);
		if (nd->max < 0) {
			split = emit(re, I_SPLIT);
			re->prog[split].x = re->np;
			re_emit(re, nd->a);
			re->prog[emit(re, I_JMP)].x = split;
			re->prog[split].y = re->np;
		} else {
			for (k = nd->min; k < nd->max; k++) {
				split = emit(re, I_SPLIT);
				re->prog[split].x = re->np;
				re_emit(re, nd->a);
				re->prog[split].y = re->np;
			}
		}
		break;
	}
}

/* Parses and compiles pattern into *re; false (re freed) when invalid. */
static bool
re_compile(struct re *re, const char *pattern)
{
	size_t root, size;

	memset(re, 0, sizeof *re);
	if (strlen(pattern) > RE_MAX_LEN)
		return false;                   /* bounds the recursion depth */
	re->p = pattern;
	re->end = pattern + strlen(pattern);
	root = re_alt(re);
	if (!re->err && !re_at_end(re))
		re->err = true;                 /* unbalanced ')' */
	if (!re->err) {
		size = re_size(re, root);
		if (size > RE_PROG_LIMIT)
			re->err = true;
		else {
			re->prog = xreallocarray(NULL, size + 1, sizeof *re->prog);
			re_emit(re, root);
			emit(re, I_MATCH);
		}
	}
	if (re->err) {
		re_free(re);
		return false;
	}
	return true;
}

struct re_list {
	size_t *pc;
	size_t n;
};

/* Adds pc and everything reachable from it without consuming input to
 * list, following the assertions at position pos of n. */
static void
re_add(const struct re *re, struct re_list *list, size_t pc, unsigned *mark,
       unsigned gen, size_t *stack, size_t pos, size_t n)
{
	size_t sp = 0;

	stack[sp++] = pc;
	while (sp > 0) {
		const struct re_inst *in;

		pc = stack[--sp];
		if (mark[pc] == gen)
			continue;
		mark[pc] = gen;
		in = &re->prog[pc];
		switch (in->op) {
		case I_JMP:
			stack[sp++] = in->x;
			break;
		case I_SPLIT:
			stack[sp++] = in->y;
			stack[sp++] = in->x;
			break;
		case I_BOL:
			if (pos == 0)
				stack[sp++] = pc + 1;
			break;
		case I_EOL:
			if (pos == n)
				stack[sp++] = pc + 1;
			break;
		default:
			list->pc[list->n++] = pc;
			break;
		}
	}
}

/* True when the program matches all of text[0..n-1]. */
static bool
re_run(const struct re *re, const uint32_t *text, size_t n)
{
	size_t np = re->np, pos, i;
	unsigned *mark = xcalloc(np, sizeof *mark);
	size_t *stack = xreallocarray(NULL, 2 * np + 2, sizeof *stack);
	struct re_list a, b, *cur = &a, *next = &b, *tmp;
	unsigned gen = 1;
	bool matched = false;

	a.pc = xreallocarray(NULL, np, sizeof *a.pc);
	b.pc = xreallocarray(NULL, np, sizeof *b.pc);
	a.n = b.n = 0;
	re_add(re, cur, 0, mark, gen, stack, 0, n);
	for (pos = 0;; pos++) {
		if (pos == n) {
			for (i = 0; i < cur->n; i++)
				if (re->prog[cur->pc[i]].op == I_MATCH)
					matched = true;
			break;
		}
		if (cur->n == 0)
			break;
		gen++;
		next->n = 0;
		for (i = 0; i < cur->n; i++) {
			const struct re_inst *in = &re->prog[cur->pc[i]];
			bool step = (in->op == I_CHAR && in->cp == text[pos]) ||
				    in->op == I_ANY ||
				    (in->op == I_SET && set_has(&re->sets[in->x], text[pos]));

			if (step)
				re_add(re, next, cur->pc[i] + 1, mark, gen, stack, pos + 1, n);
		}
		tmp = cur;
		cur = next;
		next = tmp;
	}
	free(a.pc);
	free(b.pc);
	free(stack);
	free(mark);
	return matched;
}

struct rx {
	struct re re;
};

struct rx *
rx_compile(const char *pattern)
{
	struct rx *rx = xcalloc(1, sizeof *rx);

	if (!re_compile(&rx->re, pattern)) {
		free(rx);
		return NULL;
	}
	return rx;
}

bool
rx_match(const struct rx *rx, const uint32_t *text, size_t n)
{
	return re_run(&rx->re, text, n);
}

void
rx_free(struct rx **rx)
{
	if (*rx == NULL)
		return;
	re_free(&(*rx)->re);
	free(*rx);
	*rx = NULL;
}
