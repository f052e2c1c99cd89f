/*
 * The 事项 catalogue: reading, validating and checking forms/<code>.xml.
 *
 * Pipeline for one definition (cat_parse):
 *   1. size limit (CAT_MAX_BYTES) and "schema loaded" checks;
 *   2. well-formedness with libxml2: no network, no entity substitution,
 *      no DTD loading, and any DOCTYPE stops the parser at once ("DOCTYPE
 *      not allowed"), so neither internal nor external entities are ever
 *      declared, let alone expanded;
 *   3. RELAX NG validation against the loaded schema;
 *   4. only when 2 and 3 passed: building the struct cat_def from the tree
 *      (the schema guarantees its shape) and checking the rules the schema
 *      cannot express (check_rules). Every error of the file is collected.
 *
 * libxml2 reports through handlers we install for the duration of each call
 * (and restore afterwards): nothing reaches stderr; each message becomes a
 * cat_diag with the line libxml2 gives. Those messages come from libxml2 in
 * English; our own messages go through _().
 *
 * Not thread-safe: the schema and the error sink are process-wide.
 */
#include "model/catalogue.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "model/i18n.h"
#include "model/text.h"
#include "model/validate.h"
#include "util/file.h"
#include "util/xalloc.h"

/* Larger files are refused before parsing (the messages say "1 MiB"). */
#define CAT_MAX_BYTES (1u << 20)
/* At most this many libxml2 diagnostics per parse; then one "too many". */
#define CAT_MAX_XML_DIAGS 50
/* Upper bound of every integer attribute (days, months, lengths, revision). */
#define CAT_MAX_NUMBER 100000
/* Upper bound of the estimated size of a compiled field pattern (see
 * pattern_small). */

#define CAT_NS "urn:yichuang:case-type:1"

/* Options for every definition: no network, and deliberately neither
 * XML_PARSE_NOENT nor XML_PARSE_DTDLOAD / DTDATTR / DTDVALID. */
#define CAT_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

#if LIBXML_VERSION >= 21200
typedef const xmlError *cat_xml_error;
#else
typedef xmlErrorPtr cat_xml_error;
#endif

const char *const cat_known_documents[] = {
	"guide", "supplement-notice", "acceptance-notice", "deferred-notice",
	"commitment", "rejection-notice", "receipt", "certificate",
	"completion-notice", "extension-notice", "withdrawal-notice", "termination-notice", "pledge", NULL
};

static xmlRelaxNGPtr schema;
static xmlRelaxNGValidCtxtPtr vctxt;

/* ---- diagnostics ------------------------------------------------------- */

/* Appends {file, line, msg}; msg is taken over (freed by cat_diags_free). */
static void
diag_take(struct cat_diags *ds, const char *file, int line, char *msg)
{
	ds->d = xreallocarray(ds->d, ds->n + 1, sizeof *ds->d);
	ds->d[ds->n].file = xstrdup(file ? file : "");
	ds->d[ds->n].line = line < 0 ? 0 : line;
	ds->d[ds->n].message = msg;
	ds->n++;
}

/* Appends a copy of the already translated message msg. */
static void
diag_add(struct cat_diags *ds, const char *file, int line, const char *msg)
{
	diag_take(ds, file, line, xstrdup(msg));
}

/* Appends a message formatted from the translated format fmt. */
static void __attribute__((format(printf, 4, 5)))
diag_addf(struct cat_diags *ds, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_take(ds, file, line, xvasprintf(fmt, ap));
	va_end(ap);
}

void
cat_diags_free(struct cat_diags *diags)
{
	size_t i;

	if (!diags)
		return;
	for (i = 0; i < diags->n; i++) {
		free(diags->d[i].file);
		free(diags->d[i].message);
	}
	free(diags->d);
	diags->d = NULL;
	diags->n = 0;
}

/* Stable sort of ds->d[from..] by line (insertion sort: few elements,
 * already nearly in order). */
static void
diags_sort_from(struct cat_diags *ds, size_t from)
{
	size_t i, j;

	for (i = from + 1; i < ds->n; i++) {
		struct cat_diag t = ds->d[i];

		for (j = i; j > from && ds->d[j - 1].line > t.line; j--)
			ds->d[j] = ds->d[j - 1];
		ds->d[j] = t;
	}
}

/* ---- capturing libxml2's errors ----------------------------------------- */

/* Where libxml2's errors go during one of our calls. */
struct sink {
	struct cat_diags *diags;
	const char *file;	/* names the diagnostics; NULL: xmlError.file */
	size_t first;		/* diags->n when the capture began */
	int taken;		/* libxml2 errors seen so far */
	bool doctype;		/* a DOCTYPE stopped the parser: ignore the rest */
};

struct saved_handlers {
	xmlStructuredErrorFunc serror;
	void *sctx;
	xmlGenericErrorFunc gerror;
	void *gctx;
};

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy of s[0..len) without leading and trailing XML white space. */
static char *
trimmed(const char *s, size_t len)
{
	while (len > 0 && is_space((unsigned char)*s))
		s++, len--;
	while (len > 0 && is_space((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* Structured handler for the parser, the RELAX NG parser and validator.
 * Warnings are dropped; errors become diagnostics, at most
 * CAT_MAX_XML_DIAGS per capture, consecutive duplicates merged. */
static void
on_xml_error(void *ctx, cat_xml_error e)
{
	struct sink *s = ctx;
	const char *file;
	char *msg;
	struct cat_diag *last;

	if (!s || !e || e->level < XML_ERR_ERROR || s->doctype)
		return;
	file = s->file ? s->file : e->file;
	if (s->taken++ == CAT_MAX_XML_DIAGS) {
		diag_add(s->diags, file, 0, _("too many errors; the rest are not shown"));
		return;
	}
	if (s->taken > CAT_MAX_XML_DIAGS)
		return;
	msg = e->message ? trimmed(e->message, strlen(e->message)) : xstrdup("");
	last = s->diags->n > s->first ? &s->diags->d[s->diags->n - 1] : NULL;
	if (last && last->line == e->line && strcmp(last->message, msg) == 0 &&
	    strcmp(last->file, file ? file : "") == 0) {
		free(msg);
		return;
	}
	diag_take(s->diags, file, e->line, msg);
}

/* Generic (unstructured) messages would go to stderr: drop them. Everything
 * we need arrives through the structured handler. */
static void
on_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static void
capture_begin(struct sink *s, struct cat_diags *diags, const char *file,
	      struct saved_handlers *saved)
{
	s->diags = diags;
	s->file = file;
	s->first = diags->n;
	s->taken = 0;
	s->doctype = false;
	saved->serror = xmlStructuredError;
	saved->sctx = xmlStructuredErrorContext;
	saved->gerror = xmlGenericError;
	saved->gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(s, on_xml_error);
	xmlSetGenericErrorFunc(NULL, on_generic_error);
}

static void
capture_end(const struct saved_handlers *saved)
{
	xmlSetStructuredErrorFunc(saved->sctx, saved->serror);
	xmlSetGenericErrorFunc(saved->gctx, saved->gerror);
}

/* ---- schema ------------------------------------------------------------- */

bool
cat_schema_load(const char *rng_path, struct cat_diags *diags)
{
	struct sink s;
	struct saved_handlers saved;
	xmlRelaxNGParserCtxtPtr pctxt;
	xmlRelaxNGPtr rng = NULL;
	xmlRelaxNGValidCtxtPtr v = NULL;
	size_t first = diags->n;

	xmlInitParser();
	if (access(rng_path, R_OK) != 0) {
		diag_addf(diags, rng_path, 0, _("cannot read the schema: %s"), strerror(errno));
		return false;
	}
	capture_begin(&s, diags, NULL, &saved);
	pctxt = xmlRelaxNGNewParserCtxt(rng_path);
	if (pctxt) {
		xmlRelaxNGSetParserStructuredErrors(pctxt, on_xml_error, &s);
		rng = xmlRelaxNGParse(pctxt);
		xmlRelaxNGFreeParserCtxt(pctxt);
	}
	if (rng)
		v = xmlRelaxNGNewValidCtxt(rng);
	capture_end(&saved);
	/* libxml2 names the file as it opened it; use the caller's name for
	 * messages about the schema file itself. */
	for (size_t i = first; i < diags->n; i++)
		if (diags->d[i].file[0] == '\0') {
			free(diags->d[i].file);
			diags->d[i].file = xstrdup(rng_path);
		}
	if (!rng || !v) {
		if (v)
			xmlRelaxNGFreeValidCtxt(v);
		if (rng)
			xmlRelaxNGFree(rng);
		diag_add(diags, rng_path, 0, _("the schema could not be loaded"));
		return false;
	}
	cat_schema_free();
	schema = rng;
	vctxt = v;
	return true;
}

void
cat_schema_free(void)
{
	if (vctxt)
		xmlRelaxNGFreeValidCtxt(vctxt);
	if (schema)
		xmlRelaxNGFree(schema);
	vctxt = NULL;
	schema = NULL;
}

/* ---- reading the tree --------------------------------------------------- */

/* SAX internalSubset callback: any <!DOCTYPE ...> ends the parse before its
 * internal subset (and so any entity declaration) is read. */
static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id, const xmlChar *sys_id)
{
	xmlParserCtxtPtr p = ctx;
	struct sink *s = p->_private;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	if (!s->doctype) {
		diag_add(s->diags, s->file, p->input ? p->input->line : 0,
			 _("DOCTYPE not allowed"));
		s->doctype = true;
	}
	xmlStopParser(p);
}

/* Parses len bytes into a tree; NULL (with diagnostics) when not
 * well-formed or when it has a DOCTYPE. Errors are being captured. */
static xmlDocPtr
read_doc(struct sink *s, const char *xml, size_t len)
{
	xmlParserCtxtPtr p;
	xmlDocPtr doc;
	size_t before = s->diags->n;

	p = xmlNewParserCtxt();
	if (!p) {
		diag_add(s->diags, s->file, 0, _("out of memory"));
		return NULL;
	}
	p->_private = s;
	p->sax->internalSubset = on_doctype;
	doc = xmlCtxtReadMemory(p, len ? xml : "", (int)len, NULL, NULL, CAT_XML_OPTIONS);
	xmlFreeParserCtxt(p);
	if (doc && (s->doctype || !xmlDocGetRootElement(doc))) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (!doc && s->diags->n == before)
		diag_add(s->diags, s->file, 0, _("not well-formed XML"));
	return doc;
}

/* Building context: the file and where its diagnostics go, plus lines of
 * elements the struct does not keep but the rules report at. */
struct build {
	const char *file;
	struct cat_diags *diags;
	int root_line, name_line, tiers_line, limit_line, stages_line, proxy_line;
	int *doc_lines;		/* one per def->documents[] */
};

static bool
is_el(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, CAT_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

static int
line_of(const xmlNode *n)
{
	long l = xmlGetLineNo(n);

	return l < 0 ? 0 : l > INT_MAX ? INT_MAX : (int)l;
}

/* Attribute value, trimmed; NULL when absent. */
static char *
attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *r;

	if (!v)
		return NULL;
	r = trimmed((const char *)v, strlen((const char *)v));
	xmlFree(v);
	return r;
}

/* Text content of an element, trimmed. */
static char *
text(const xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *r;

	if (!v)
		return xstrdup("");
	r = trimmed((const char *)v, strlen((const char *)v));
	xmlFree(v);
	return r;
}

/* XSD boolean: "true"/"1" or "false"/"0"; dflt when absent. */
static bool
bool_attr(const xmlNode *n, const char *name, bool dflt)
{
	char *v = attr(n, name);
	bool r = dflt;

	if (v)
		r = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
	free(v);
	return r;
}

/* Non-negative integer attribute, at most CAT_MAX_NUMBER; dflt when absent;
 * 0 with a diagnostic when out of range. */
static int
num_attr(struct build *b, const xmlNode *n, const char *name, int dflt)
{
	char *v = attr(n, name);
	const char *p;
	long long x = 0;

	if (!v)
		return dflt;
	p = v;
	if (*p == '+')
		p++;
	if (!*p)
		x = -1;
	for (; *p && x >= 0; p++) {
		if (*p < '0' || *p > '9')
			x = -1;
		else if ((x = x * 10 + (*p - '0')) > CAT_MAX_NUMBER)
			break;
	}
	if (x < 0 || x > CAT_MAX_NUMBER) {
		diag_addf(b->diags, b->file, line_of(n),
			  _("%s=\"%s\" is not a number from 0 to %d"), name, v, CAT_MAX_NUMBER);
		x = 0;
	}
	free(v);
	return (int)x;
}

static enum cat_form
form_parse(const char *s)
{
	if (s && strcmp(s, "copy") == 0)
		return CAT_COPY;
	if (s && strcmp(s, "shown") == 0)
		return CAT_SHOWN;
	return CAT_ORIGINAL;
}

/* The when="…" of element n: its text in *text (NULL when absent) and the
 * parsed condition (NULL when absent, or with a diagnostic when it does
 * not parse). */
static struct cond *
when_attr(struct build *b, const xmlNode *n, char **text)
{
	char err[256];
	struct cond *c;

	*text = attr(n, "when");
	if (*text == NULL)
		return NULL;
	c = cond_parse(*text, err, sizeof err);
	if (c == NULL)
		diag_addf(b->diags, b->file, line_of(n), _("when=\"%s\": %s"), *text, err);
	return c;
}

static void
read_material(struct build *b, const xmlNode *n, struct cat_material *m)
{
	char *f = attr(n, "form");

	m->id = attr(n, "id");
	if (!m->id)
		m->id = xstrdup("");
	m->name = text(n);
	m->note = attr(n, "note");
	m->form = form_parse(f);
	free(f);
	m->key = bool_attr(n, "key", false);
	m->defer_days = num_attr(b, n, "defer-days", 0);
	m->pledge = bool_attr(n, "pledge", false);
	m->when = when_attr(b, n, &m->when_text);
	m->line = line_of(n);
}

static void
read_materials(struct build *b, const xmlNode *parent, struct cat_def *d)
{
	const xmlNode *n, *c;

	for (n = parent->children; n; n = n->next) {
		struct cat_item *it;

		if (!is_el(n, "material") && !is_el(n, "any-of"))
			continue;
		d->items = xreallocarray(d->items, d->nitems + 1, sizeof *d->items);
		it = &d->items[d->nitems++];
		memset(it, 0, sizeof *it);
		it->line = line_of(n);
		if (is_el(n, "material")) {
			it->m = xcalloc(1, sizeof *it->m);
			it->nm = 1;
			read_material(b, n, it->m);
			continue;
		}
		it->any_of = true;
		it->group_id = attr(n, "id");
		if (!it->group_id)
			it->group_id = xstrdup("");
		it->note = attr(n, "note");
		it->when = when_attr(b, n, &it->when_text);
		for (c = n->children; c; c = c->next) {
			if (!is_el(c, "material"))
				continue;
			it->m = xreallocarray(it->m, it->nm + 1, sizeof *it->m);
			read_material(b, c, &it->m[it->nm++]);
		}
	}
}

static enum cat_field_type
field_type_parse(const char *s)
{
	static const char *const names[] = {
		"text", "idno", "date", "money", "phone", "bankcard", "choice"
	};
	static const enum cat_field_type types[] = {
		CAT_TEXT, CAT_IDNO, CAT_DATE, CAT_MONEY, CAT_PHONE, CAT_BANKCARD, CAT_CHOICE
	};
	size_t i;

	for (i = 0; s && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0)
			return types[i];
	return CAT_TEXT;
}

static void
read_fields(struct build *b, const xmlNode *parent, struct cat_def *d)
{
	const xmlNode *n, *c;

	for (n = parent->children; n; n = n->next) {
		struct cat_field *f;
		char *t;

		if (!is_el(n, "field"))
			continue;
		d->fields = xreallocarray(d->fields, d->nfields + 1, sizeof *d->fields);
		f = &d->fields[d->nfields++];
		memset(f, 0, sizeof *f);
		f->id = attr(n, "id");
		if (!f->id)
			f->id = xstrdup("");
		f->label = attr(n, "label");
		if (!f->label)
			f->label = xstrdup("");
		f->help = attr(n, "help");
		/* A pattern is kept exactly as written: spaces may matter. */
		{
			xmlChar *p = xmlGetNoNsProp(n, (const xmlChar *)"pattern");

			if (p) {
				f->pattern = xstrdup((const char *)p);
				xmlFree(p);
			}
		}
		t = attr(n, "type");
		f->type = field_type_parse(t);
		free(t);
		f->required = bool_attr(n, "required", false);
		f->min_len = num_attr(b, n, "min-length", 0);
		f->max_len = num_attr(b, n, "max-length", 0);
		f->line = line_of(n);
		for (c = n->children; c; c = c->next) {
			struct cat_option *o;

			if (!is_el(c, "option"))
				continue;
			f->opts = xreallocarray(f->opts, f->nopts + 1, sizeof *f->opts);
			o = &f->opts[f->nopts++];
			o->value = attr(c, "value");
			if (!o->value)
				o->value = xstrdup("");
			o->label = text(c);
		}
	}
}

/* One <limit>: appended to d->limits; the default (no when=) is also
 * d->limit_*. */
static void
read_limit(struct build *b, const xmlNode *n, struct cat_def *d)
{
	char *kind = attr(n, "kind");
	struct cat_limit *l;

	d->limits = xreallocarray(d->limits, d->nlimits + 1, sizeof *d->limits);
	l = &d->limits[d->nlimits++];
	memset(l, 0, sizeof *l);
	l->line = line_of(n);
	if (kind && strcmp(kind, "workdays") == 0) {
		l->kind = CAT_WORKDAYS;
		l->days = num_attr(b, n, "days", 0);
		l->special_days = num_attr(b, n, "special-days", 0);
	} else if (kind && strcmp(kind, "months") == 0) {
		l->kind = CAT_MONTHS;
		l->months = num_attr(b, n, "months", 0);
	} else {
		l->kind = CAT_IMMEDIATE;
	}
	free(kind);
	l->when = when_attr(b, n, &l->when_text);
	if (l->when_text == NULL && b->limit_line == 0) {
		b->limit_line = l->line;
		d->limit_kind = l->kind;
		d->limit_days = l->days;
		d->special_days = l->special_days;
		d->limit_months = l->months;
	}
}

static void
read_stages(struct build *b, const xmlNode *parent, struct cat_def *d)
{
	const xmlNode *n;

	b->stages_line = line_of(parent);
	for (n = parent->children; n; n = n->next) {
		struct cat_stage *st;
		char *t;

		if (!is_el(n, "stage"))
			continue;
		d->stages = xreallocarray(d->stages, d->nstages + 1, sizeof *d->stages);
		st = &d->stages[d->nstages++];
		st->name = text(n);
		t = attr(n, "tier");
		st->tier = t ? cat_tiers_parse(t) : 0;
		free(t);
		st->days = num_attr(b, n, "days", 0);
		st->when = when_attr(b, n, &st->when_text);
		st->line = line_of(n);
	}
}

static void
read_proxy(struct build *b, const xmlNode *parent, struct cat_def *d)
{
	const xmlNode *n;

	b->proxy_line = line_of(parent);
	d->proxy_allowed = bool_attr(parent, "allowed", false);
	for (n = parent->children; n; n = n->next) {
		if (!is_el(n, "material"))
			continue;
		d->proxy = xreallocarray(d->proxy, d->nproxy + 1, sizeof *d->proxy);
		read_material(b, n, &d->proxy[d->nproxy++]);
	}
}

/* Appends the text of every child element called name to *list. */
static void
read_texts(const xmlNode *parent, const char *name, char ***list, size_t *n)
{
	const xmlNode *c;

	for (c = parent->children; c; c = c->next) {
		if (!is_el(c, name))
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = text(c);
	}
}

static void
read_documents(struct build *b, const xmlNode *parent, struct cat_def *d)
{
	const xmlNode *c;

	for (c = parent->children; c; c = c->next) {
		char *t;

		if (!is_el(c, "document"))
			continue;
		t = attr(c, "template");
		d->documents = xreallocarray(d->documents, d->ndocuments + 1, sizeof *d->documents);
		b->doc_lines = xreallocarray(b->doc_lines, d->ndocuments + 1, sizeof *b->doc_lines);
		b->doc_lines[d->ndocuments] = line_of(c);
		d->documents[d->ndocuments++] = t ? t : xstrdup("");
	}
}

/* Builds the definition from a schema-valid tree. */
static struct cat_def *
build_def(struct build *b, const xmlNode *root, const char *xml, size_t len)
{
	struct cat_def *d = xcalloc(1, sizeof *d);
	const xmlNode *n;
	char *t;

	d->file = xstrdup(b->file);
	d->xml = xmalloc(len + 1);
	memcpy(d->xml, xml, len);
	d->xml[len] = '\0';
	b->root_line = line_of(root);
	d->code = attr(root, "code");
	if (!d->code)
		d->code = xstrdup("");
	d->revision = num_attr(b, root, "revision", 0);
	d->local = bool_attr(root, "local", false);
	for (n = root->children; n; n = n->next) {
		if (is_el(n, "name")) {
			b->name_line = line_of(n);
			d->name = text(n);
			d->sms_name = attr(n, "short");
		} else if (is_el(n, "category")) {
			d->category = text(n);
			d->category_pinyin = attr(n, "pinyin");
		} else if (is_el(n, "pinyin")) {
			d->pinyin = text(n);
		} else if (is_el(n, "tiers")) {
			b->tiers_line = line_of(n);
			t = text(n);
			d->tiers = cat_tiers_parse(t);
			free(t);
		} else if (is_el(n, "limit")) {
			read_limit(b, n, d);
		} else if (is_el(n, "stages")) {
			read_stages(b, n, d);
		} else if (is_el(n, "fields")) {
			read_fields(b, n, d);
		} else if (is_el(n, "materials")) {
			read_materials(b, n, d);
		} else if (is_el(n, "proxy")) {
			read_proxy(b, n, d);
		} else if (is_el(n, "policy")) {
			d->policy_rule = attr(n, "rule");
		} else if (is_el(n, "documents")) {
			read_documents(b, n, d);
		} else if (is_el(n, "refusals")) {
			read_texts(n, "reason", &d->refusals, &d->nrefusals);
			read_texts(n, "forbid", &d->forbidden, &d->nforbidden);
		} else if (is_el(n, "steps")) {
			read_texts(n, "step", &d->steps, &d->nsteps);
		} else if (is_el(n, "standard")) {
			d->standard = text(n);
		} else if (is_el(n, "source")) {
			d->source = text(n);
		}
	}
	/* Required strings are never NULL, even if the schema changes. */
	if (!d->name)
		d->name = xstrdup("");
	if (!d->category)
		d->category = xstrdup("");
	if (!d->category_pinyin)
		d->category_pinyin = xstrdup("");
	if (!d->pinyin)
		d->pinyin = xstrdup("");
	if (!d->source)
		d->source = xstrdup("");
	return d;
}

/* ---- the rules the schema cannot express -------------------------------- */

struct idref {
	const char *id;
	int line;
	size_t seq;
};

static int
idref_cmp(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Reports every id after its first occurrence, naming the first line.
 * fmt has a %s (the id) and a %d (the first line). */
static void
check_unique(struct build *b, struct idref *refs, size_t n, const char *fmt)
{
	size_t i, first = 0;

	qsort(refs, n, sizeof *refs, idref_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(refs[i].id, refs[first].id) != 0) {
			first = i;
			continue;
		}
		diag_addf(b->diags, b->file, refs[i].line, fmt, refs[i].id, refs[first].line);
	}
}

/* Rule 3 for one material. */
/* Whether a note cites materials by number ("第2、3项"): the numbers a
 * notice or guide prints are the program's, not the notice's, so such a
 * note would point at other materials (an any-of group is one item). */
static bool
cites_item_number(const char *note)
{
	const char *p = note;

	while (p != NULL && (p = strstr(p, "第")) != NULL) {
		const char *q = p + strlen("第");
		bool digit = false;

		for (;;) {
			if (*q >= '0' && *q <= '9') {
				digit = true;
				q++;
			} else if (strncmp(q, "、", strlen("、")) == 0) {
				q += strlen("、");
			} else if (*q == ',' || *q == '-') {
				q++;
			} else {
				break;
			}
		}
		if (digit && strncmp(q, "项", strlen("项")) == 0)
			return true;
		p = q;
	}
	return false;
}

static void
check_material(struct build *b, const struct cat_material *m)
{
	if (m->key && m->defer_days > 0)
		diag_addf(b->diags, b->file, m->line,
			  _("key material \"%s\" cannot be deferred (defer-days)"), m->id);
	if (m->note != NULL && cites_item_number(m->note))
		diag_addf(b->diags, b->file, m->line,
			  _("the note of material \"%s\" cites item numbers (第…项), which the printed list "
			    "numbers otherwise"), m->id);
}

/* 承诺制 in one line of the checklist: a pledge stands only inside an
 * any-of group, beside the proofs it replaces, at most one per group; it
 * is signed at the counter (an original, never key, never deferred) and
 * never replaces a key material (identity is always presented). */
static void
check_pledge_item(struct build *b, const struct cat_item *it)
{
	const struct cat_material *p = NULL;
	size_t j;

	for (j = 0; j < it->nm; j++) {
		const struct cat_material *m = &it->m[j];

		if (!m->pledge)
			continue;
		if (!it->any_of) {
			diag_addf(b->diags, b->file, m->line,
				  _("pledge \"%s\" must be a member of an any-of group, beside the proofs it "
				    "replaces"), m->id);
			continue;
		}
		if (p != NULL)
			diag_addf(b->diags, b->file, m->line,
				  _("any-of group \"%s\" has a second pledge \"%s\" (first on line %d)"),
				  it->group_id, m->id, p->line);
		else
			p = m;
		if (m->key)
			diag_addf(b->diags, b->file, m->line,
				  _("pledge \"%s\" cannot be a key material"), m->id);
		if (m->defer_days > 0)
			diag_addf(b->diags, b->file, m->line,
				  _("pledge \"%s\" cannot be deferred: it is signed at the counter"), m->id);
		if (m->form != CAT_ORIGINAL)
			diag_addf(b->diags, b->file, m->line,
				  _("pledge \"%s\" is signed at the counter: its form must be \"original\""),
				  m->id);
	}
	if (p == NULL)
		return;
	for (j = 0; j < it->nm; j++)
		if (!it->m[j].pledge && it->m[j].key)
			diag_addf(b->diags, b->file, it->m[j].line,
				  _("pledge \"%s\" cannot replace key material \"%s\""), p->id, it->m[j].id);
}

static void
check_fields(struct build *b, const struct cat_def *d)
{
	struct idref *refs = xcalloc(d->nfields + 1, sizeof *refs);
	size_t i;

	for (i = 0; i < d->nfields; i++) {
		const struct cat_field *f = &d->fields[i];

		refs[i] = (struct idref){ f->id, f->line, i };
		if (f->type == CAT_CHOICE && f->nopts < 2)
			diag_addf(b->diags, b->file, f->line,
				  _("choice field \"%s\" needs at least two options"), f->id);
		if (f->type != CAT_CHOICE && f->nopts > 0)
			diag_addf(b->diags, b->file, f->line,
				  _("field \"%s\" is not a choice field but has options"), f->id);
		if (f->max_len > 0 && f->min_len > f->max_len)
			diag_addf(b->diags, b->file, f->line,
				  _("field \"%s\": min-length %d is greater than max-length %d"),
				  f->id, f->min_len, f->max_len);
		/* One notion of a valid pattern: the one the window matches with. */
		if (f->pattern && !val_pattern_valid(f->pattern))
			diag_addf(b->diags, b->file, f->line,
				  _("field \"%s\": pattern is not a valid regular expression"), f->id);
	}
	check_unique(b, refs, d->nfields, _("duplicate field id \"%s\" (first on line %d)"));
	free(refs);
}

static void
check_materials(struct build *b, const struct cat_def *d)
{
	size_t i, j, n = d->nproxy;
	struct idref *refs;

	for (i = 0; i < d->nitems; i++)
		n += d->items[i].nm + (d->items[i].any_of ? 1 : 0);
	refs = xcalloc(n + 1, sizeof *refs);
	n = 0;
	for (i = 0; i < d->nitems; i++) {
		const struct cat_item *it = &d->items[i];

		if (it->any_of) {
			refs[n] = (struct idref){ it->group_id, it->line, n };
			n++;
			if (it->nm < 2)
				diag_addf(b->diags, b->file, it->line,
					  _("any-of group \"%s\" needs at least two materials"),
					  it->group_id);
			if (it->note != NULL && cites_item_number(it->note))
				diag_addf(b->diags, b->file, it->line,
					  _("the note of any-of group \"%s\" cites item numbers (第…项), which "
					    "the printed list numbers otherwise"), it->group_id);
		}
		for (j = 0; j < it->nm; j++) {
			refs[n] = (struct idref){ it->m[j].id, it->m[j].line, n };
			n++;
			check_material(b, &it->m[j]);
		}
		check_pledge_item(b, it);
	}
	for (i = 0; i < d->nproxy; i++) {
		refs[n] = (struct idref){ d->proxy[i].id, d->proxy[i].line, n };
		n++;
		check_material(b, &d->proxy[i]);
		if (d->proxy[i].pledge)
			diag_addf(b->diags, b->file, d->proxy[i].line,
				  _("pledge \"%s\" must be a member of an any-of group, beside the proofs it "
				    "replaces"), d->proxy[i].id);
	}
	check_unique(b, refs, n, _("duplicate material id \"%s\" (first on line %d)"));
	free(refs);

	if (!d->proxy_allowed && d->nproxy > 0)
		diag_add(b->diags, b->file, b->proxy_line,
			 _("proxy allowed=\"false\" must list no materials"));
	if (d->proxy_allowed && d->nproxy == 0)
		diag_add(b->diags, b->file, b->proxy_line,
			 _("proxy allowed=\"true\" must list at least one material"));
}

/* cat_when_check's report: a diagnostic of the file being built. */
static void
report_take(void *ctx, int line, char *msg)
{
	struct build *b = ctx;

	diag_take(b->diags, b->file, line, msg);
}

static void
check_limit_and_stages(struct build *b, const struct cat_def *d)
{
	size_t i;

	/* The county (or a level above it) accepts every case type: the
	 * offices below it forward what they cannot finish to it. */
	if (!(d->tiers & (CAT_PROVINCE | CAT_PREFECTURE | CAT_COUNTY)))
		diag_add(b->diags, b->file, b->tiers_line,
			 _("tiers must include county or a level above it"));
	for (i = 0; i < d->nlimits; i++) {
		const struct cat_limit *l = &d->limits[i];

		if (l->kind == CAT_WORKDAYS && l->special_days && l->special_days <= l->days)
			diag_addf(b->diags, b->file, l->line,
				  _("special-days (%d) must be greater than days (%d)"),
				  l->special_days, l->days);
	}
	for (i = 0; i < d->nstages; i++) {
		const struct cat_stage *st = &d->stages[i];

		/* A stage is worked by the case's office cut to the stage's
		 * level, or by that office itself when the stage is below it;
		 * a stage below every accepting level would never be worked
		 * there. One above them is worked higher up (a prefecture may
		 * do the 复核 of its counties' cases). */
		if (cat_tier_depth(st->tier) < 0 ||
		    cat_tier_depth(st->tier) > cat_tier_depth(cat_tier_lowest(d->tiers)))
			diag_addf(b->diags, b->file, st->line,
				  _("stage tier \"%s\" is below every tier that accepts this case type "
				    "(the lowest is %s)"),
				  cat_tier_name(st->tier), cat_tier_name(cat_tier_lowest(d->tiers)));
	}
	/* the conditions, and the stages against the limit on every path */
	cat_when_check(d, b->stages_line, report_take, b);
}

static void
check_documents(struct build *b, const struct cat_def *d)
{
	size_t i, k;
	bool pledge_doc = false, pledge = cat_def_has_pledge(d);

	for (i = 0; i < d->ndocuments; i++) {
		for (k = 0; cat_known_documents[k]; k++)
			if (strcmp(d->documents[i], cat_known_documents[k]) == 0)
				break;
		if (!cat_known_documents[k])
			diag_addf(b->diags, b->file, b->doc_lines[i],
				  _("unknown document template \"%s\""), d->documents[i]);
		if (strcmp(d->documents[i], "pledge") == 0) {
			pledge_doc = true;
			if (!pledge)
				diag_add(b->diags, b->file, b->doc_lines[i],
					 _("document template \"pledge\" needs a material with pledge=\"true\""));
		}
	}
	/* the 承诺书 the pledge path prints for signature */
	for (i = 0; pledge && !pledge_doc && i < d->nitems; i++) {
		const struct cat_material *p = cat_item_pledge(&d->items[i]);

		if (p != NULL)
			diag_addf(b->diags, b->file, p->line,
				  _("pledge \"%s\" needs the pledge document among the documents "
				    "(<document template=\"pledge\"/>)"), p->id);
	}
}

/* A text message to the citizen names the item in at most CAT_SMS_NAME_MAX
 * characters (model/sms.h counts on it): a longer name needs a short one. */
static void
check_sms_name(struct build *b, const struct cat_def *d)
{
	size_t n = text_chars(cat_sms_name(d));

	if (n > CAT_SMS_NAME_MAX && d->sms_name == NULL)
		diag_addf(b->diags, b->file, b->name_line,
			  _("the name has %zu characters, more than the %d a text message gives it: "
			    "add a shorter one as <name short=\"…\">"), n, CAT_SMS_NAME_MAX);
	else if (n > CAT_SMS_NAME_MAX)
		diag_addf(b->diags, b->file, b->name_line,
			  _("the short name has %zu characters, more than %d"), n, CAT_SMS_NAME_MAX);
}

/* All rules; their diagnostics are sorted by line. */
static void
check_rules(struct build *b, const struct cat_def *d)
{
	size_t first = b->diags->n;

	check_sms_name(b, d);
	check_limit_and_stages(b, d);
	check_fields(b, d);
	check_materials(b, d);
	check_documents(b, d);
	diags_sort_from(b->diags, first);
}

/* ---- one definition ----------------------------------------------------- */

/* cat_parse, also giving the line of the root element (for cross-file
 * rules). */
static struct cat_def *
parse_one(const char *file, const char *xml, size_t len, struct cat_diags *diags,
	  int *root_line)
{
	struct sink s;
	struct saved_handlers saved;
	struct build b;
	struct cat_def *d = NULL;
	xmlDocPtr doc;
	size_t first = diags->n;
	int rc;

	*root_line = 0;
	if (!file)
		file = "";
	if (len > CAT_MAX_BYTES) {
		diag_add(diags, file, 0, _("file is larger than 1 MiB"));
		return NULL;
	}
	if (!schema) {
		diag_add(diags, file, 0, _("no schema loaded"));
		return NULL;
	}
	capture_begin(&s, diags, file, &saved);
	doc = read_doc(&s, xml, len);
	if (!doc) {
		capture_end(&saved);
		return NULL;
	}
	xmlRelaxNGSetValidStructuredErrors(vctxt, on_xml_error, &s);
	rc = xmlRelaxNGValidateDoc(vctxt, doc);
	xmlRelaxNGSetValidStructuredErrors(vctxt, NULL, NULL);
	if (rc != 0 && diags->n == first)
		diag_add(diags, file, 0, _("the file does not match the schema"));
	if (rc == 0) {
		memset(&b, 0, sizeof b);
		b.file = file;
		b.diags = diags;
		d = build_def(&b, xmlDocGetRootElement(doc), xml, len);
		check_rules(&b, d);
		*root_line = b.root_line;
		free(b.doc_lines);
	}
	xmlFreeDoc(doc);
	capture_end(&saved);
	if (diags->n > first)
		cat_def_free(&d);
	return d;
}

struct cat_def *
cat_parse(const char *file, const char *xml, size_t len, struct cat_diags *diags)
{
	int root_line;

	return parse_one(file, xml, len, diags, &root_line);
}

static void
material_free(struct cat_material *m)
{
	free(m->id);
	free(m->name);
	free(m->note);
	free(m->when_text);
	cond_free(&m->when);
}

void
cat_def_free(struct cat_def **def)
{
	struct cat_def *d;
	size_t i, j;

	if (!def || !*def)
		return;
	d = *def;
	free(d->file);
	free(d->code);
	free(d->name);
	free(d->sms_name);
	free(d->category);
	free(d->category_pinyin);
	free(d->pinyin);
	for (i = 0; i < d->nstages; i++) {
		free(d->stages[i].name);
		free(d->stages[i].when_text);
		cond_free(&d->stages[i].when);
	}
	free(d->stages);
	for (i = 0; i < d->nlimits; i++) {
		free(d->limits[i].when_text);
		cond_free(&d->limits[i].when);
	}
	free(d->limits);
	for (i = 0; i < d->nfields; i++) {
		struct cat_field *f = &d->fields[i];

		free(f->id);
		free(f->label);
		free(f->help);
		free(f->pattern);
		for (j = 0; j < f->nopts; j++) {
			free(f->opts[j].value);
			free(f->opts[j].label);
		}
		free(f->opts);
	}
	free(d->fields);
	for (i = 0; i < d->nitems; i++) {
		for (j = 0; j < d->items[i].nm; j++)
			material_free(&d->items[i].m[j]);
		free(d->items[i].m);
		free(d->items[i].group_id);
		free(d->items[i].note);
		free(d->items[i].when_text);
		cond_free(&d->items[i].when);
	}
	free(d->items);
	for (i = 0; i < d->nproxy; i++)
		material_free(&d->proxy[i]);
	free(d->proxy);
	for (i = 0; i < d->ndocuments; i++)
		free(d->documents[i]);
	free(d->documents);
	for (i = 0; i < d->nsteps; i++)
		free(d->steps[i]);
	free(d->steps);
	for (i = 0; i < d->nrefusals; i++)
		free(d->refusals[i]);
	free(d->refusals);
	for (i = 0; i < d->nforbidden; i++)
		free(d->forbidden[i]);
	free(d->forbidden);
	free(d->standard);
	free(d->policy_rule);
	free(d->source);
	free(d->xml);
	free(d);
	*def = NULL;
}

/* ---- a directory -------------------------------------------------------- */

static char *
path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n == 0)
		return xstrdup(name);
	return xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

/* Reads a regular file of at most CAT_MAX_BYTES; NULL with a diagnostic
 * otherwise. The buffer is NUL-terminated (not counted in *len). */
static char *
read_file(const char *path, size_t *len, struct cat_diags *diags)
{
	char *buf = file_read(path, CAT_MAX_BYTES, len);

	if (buf == NULL && errno == EINVAL)
		diag_add(diags, path, 0, _("not a regular file"));
	else if (buf == NULL && errno == EFBIG)
		diag_add(diags, path, 0, _("file is larger than 1 MiB"));
	else if (buf == NULL)
		diag_addf(diags, path, 0, _("cannot read the file: %s"), strerror(errno));
	return buf;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
def_cmp(const void *a, const void *b)
{
	const struct cat_def *x = *(struct cat_def *const *)a;
	const struct cat_def *y = *(struct cat_def *const *)b;

	return strcmp(x->code, y->code);
}

/* Names of DIR's *.xml entries (hidden ones excluded), sorted bytewise. */
static char **
list_xml(const char *dir, size_t *n, struct cat_diags *diags)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **names = NULL;

	*n = 0;
	if (!dp) {
		diag_addf(diags, dir, 0, _("cannot open the directory: %s"), strerror(errno));
		return NULL;
	}
	while ((e = readdir(dp)) != NULL) {
		size_t l = strlen(e->d_name);

		if (e->d_name[0] == '.' || l <= 4 || strcmp(e->d_name + l - 4, ".xml") != 0)
			continue;
		names = xreallocarray(names, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(dp);
	if (*n > 1)
		qsort(names, *n, sizeof *names, name_cmp);
	return names;
}

struct catalogue *
cat_load_dir(const char *dir, struct cat_diags *diags)
{
	struct catalogue *cat = xcalloc(1, sizeof *cat);
	char **names;
	size_t nnames, i, k;

	if (!schema) {
		char *rng = path_join(dir, "case-type.rng");
		bool ok = cat_schema_load(rng, diags);

		free(rng);
		if (!ok)
			return cat;
	}
	names = list_xml(dir, &nnames, diags);
	for (i = 0; i < nnames; i++) {
		char *path = path_join(dir, names[i]);
		size_t len;
		char *buf = read_file(path, &len, diags);
		struct cat_def *d = NULL;
		int root_line = 0;

		if (buf)
			d = parse_one(path, buf, len, diags, &root_line);
		free(buf);
		free(path);
		if (!d)
			continue;
		if (strncmp(names[i], d->code, strlen(d->code)) != 0 ||
		    strcmp(names[i] + strlen(d->code), ".xml") != 0)
			diag_addf(diags, d->file, root_line,
				  _("the file should be named %s.xml"), d->code);
		for (k = 0; k < cat->n; k++)
			if (strcmp(cat->defs[k]->code, d->code) == 0)
				break;
		if (k < cat->n) {
			diag_addf(diags, d->file, root_line,
				  _("code %s is already used by %s"), d->code, cat->defs[k]->file);
			cat_def_free(&d);
			continue;
		}
		cat->defs = xreallocarray(cat->defs, cat->n + 1, sizeof *cat->defs);
		cat->defs[cat->n++] = d;
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (cat->n > 1)
		qsort(cat->defs, cat->n, sizeof *cat->defs, def_cmp);
	return cat;
}

void
cat_free(struct catalogue **cat)
{
	size_t i;

	if (!cat || !*cat)
		return;
	for (i = 0; i < (*cat)->n; i++)
		cat_def_free(&(*cat)->defs[i]);
	free((*cat)->defs);
	free(*cat);
	*cat = NULL;
}

/* ---- 承诺制 ------------------------------------------------------------ */

const struct cat_material *
cat_item_pledge(const struct cat_item *it)
{
	if (it == NULL || !it->any_of)
		return NULL;
	for (size_t j = 0; j < it->nm; j++)
		if (it->m[j].pledge)
			return &it->m[j];
	return NULL;
}

bool
cat_def_has_pledge(const struct cat_def *d)
{
	for (size_t i = 0; d != NULL && i < d->nitems; i++)
		if (cat_item_pledge(&d->items[i]) != NULL)
			return true;
	return false;
}

int
cat_def_field(const struct cat_def *d, const char *id)
{
	for (size_t i = 0; d != NULL && i < d->nfields; i++)
		if (strcmp(d->fields[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* ---- names -------------------------------------------------------------- */

const char *
cat_sms_name(const struct cat_def *d)
{
	return d->sms_name != NULL ? d->sms_name : d->name;
}

char *
cat_limit_text(enum cat_limit_kind kind, int days, int special_days, int months)
{
	switch (kind) {
	case CAT_WORKDAYS:
		if (special_days > 0)
			return xasprintf(_("%d working days (special cases up to %d)"),
					 days, special_days);
		return xasprintf(_("%d working days"), days);
	case CAT_MONTHS:
		return xasprintf(_("%d months"), months);
	case CAT_IMMEDIATE:
	default:
		return xstrdup(_("immediate"));
	}
}

const char *
cat_form_name(enum cat_form form)
{
	switch (form) {
	case CAT_ORIGINAL:
		return _("original");
	case CAT_COPY:
		return _("copy");
	case CAT_SHOWN:
		return _("shown only");
	}
	return "";
}

/* The levels highest first: the word of the XML and the database, and the
 * msgid of the localised name. */
static const struct {
	unsigned tier;
	const char *word, *name;
} cat_tiers[] = {
	{ CAT_PROVINCE, "province", N_("province") },
	{ CAT_PREFECTURE, "prefecture", N_("prefecture") },
	{ CAT_COUNTY, "county", N_("county") },
	{ CAT_TOWNSHIP, "township", N_("township") },
	{ CAT_VILLAGE, "village", N_("village") },
};
#define CAT_NTIERS (sizeof cat_tiers / sizeof cat_tiers[0])

int
cat_tier_depth(unsigned tier)
{
	for (size_t i = 0; i < CAT_NTIERS; i++)
		if (cat_tiers[i].tier == tier)
			return (int)i;
	return -1;
}

const char *
cat_tier_name(unsigned tier)
{
	int i = cat_tier_depth(tier);

	return i < 0 ? "" : _(cat_tiers[i].name);
}

const char *
cat_tier_word(unsigned tier)
{
	int i = cat_tier_depth(tier);

	return i < 0 ? NULL : cat_tiers[i].word;
}

unsigned
cat_tier_lowest(unsigned mask)
{
	for (size_t i = CAT_NTIERS; i-- > 0;)
		if (mask & cat_tiers[i].tier)
			return cat_tiers[i].tier;
	return 0;
}

char *
cat_tiers_text(unsigned mask)
{
	char *out = xstrdup("");

	for (size_t i = 0; i < CAT_NTIERS; i++) {
		char *t;

		if (!(mask & cat_tiers[i].tier))
			continue;
		t = xasprintf("%s%s%s", out, out[0] != '\0' ? "、" : "", _(cat_tiers[i].name));
		free(out);
		out = t;
	}
	return out;
}

unsigned
cat_tiers_parse(const char *list)
{
	unsigned mask = 0;
	const char *p = list;

	if (!p)
		return 0;
	for (;;) {
		size_t l, i;

		while (is_space((unsigned char)*p))
			p++;
		if (!*p)
			break;
		for (l = 0; p[l] && !is_space((unsigned char)p[l]); l++)
			;
		for (i = 0; i < CAT_NTIERS; i++)
			if (strlen(cat_tiers[i].word) == l && memcmp(cat_tiers[i].word, p, l) == 0)
				break;
		if (i == CAT_NTIERS)
			return 0;
		mask |= cat_tiers[i].tier;
		p += l;
	}
	return mask;
}
