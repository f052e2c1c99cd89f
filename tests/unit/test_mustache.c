/*
 * Unit tests for model/mustache.
 *
 * Every case of the core Mustache specification (tests/mustache-spec/:
 * comments, delimiters, interpolation, inverted, partials, sections) is
 * run as its own cmocka test, named "FILE: Case name", rendered with HTML
 * escaping on as the specification requires. A spec file that cannot be
 * read or holds no case is a failing test of its own. Then come our own
 * tests: escaping off for documents, UTF-8, error messages, limits, and a
 * document-like template.
 *
 * Run from the repository root (the spec files are found relative to it).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/json.h"
#include "model/mustache.h"
#include "util/xalloc.h"

#define SPEC_DIR "tests/mustache-spec"

static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials", "sections",
};

/* One specification case, or a spec file that failed to load. */
struct spec_case {
	char *name;                 /* "sections: Nested (Truthy)" */
	char *load_error;           /* set: the case is this failure */
	char *template;
	char *expected;
	struct mu_value *data;
	struct mu_value *partials;  /* map name -> template, or NULL */
};

/* A C-escaped copy of s for failure messages. */
static char *
show(const char *s)
{
	size_t len = 0;
	char *out;

	if (s == NULL)
		return xstrdup("(null)");
	out = xmalloc(strlen(s) * 4 + 3);
	out[len++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			len += (size_t)sprintf(out + len, "\\n");
		else if (c == '\r')
			len += (size_t)sprintf(out + len, "\\r");
		else if (c == '\t')
			len += (size_t)sprintf(out + len, "\\t");
		else if (c == '"' || c == '\\')
			len += (size_t)sprintf(out + len, "\\%c", c);
		else if (c < 0x20)
			len += (size_t)sprintf(out + len, "\\x%02x", c);
		else
			out[len++] = (char)c;
	}
	out[len++] = '"';
	out[len] = '\0';
	return out;
}

static void
test_spec_case(void **state)
{
	const struct spec_case *c = *state;
	struct mu_partials p = { mu_partials_from_map, c->partials };
	char *err = NULL, *out;

	if (c->load_error) {
		print_error("%s\n", c->load_error);
		fail();
	}
	out = mu_render(c->template, c->data, &p, true, &err);
	if (out == NULL) {
		print_error("%s: mu_render failed: %s\n", c->name, err);
		free(err);
		fail();
	}
	if (strcmp(out, c->expected) != 0) {
		char *t = show(c->template), *e = show(c->expected), *g = show(out);

		print_error("%s\n  template: %s\n  expected: %s\n  got:      %s\n",
		            c->name, t, e, g);
		free(t);
		free(e);
		free(g);
		free(out);
		fail();
	}
	assert_null(err);
	free(out);
}

/* Adds the cases of spec file base to *cases; a load failure adds one. */
static void
load_spec(const char *base, struct spec_case **cases, size_t *n, size_t *cap)
{
	char *path = xasprintf("%s/%s.json", SPEC_DIR, base), *err = NULL;
	struct json *root = json_load(path, &err);
	const struct json *tests = json_get(root, "tests");
	size_t before = *n;

	if (root != NULL && (tests == NULL || tests->kind != JSON_ARRAY || tests->n == 0))
		err = xasprintf("%s: no \"tests\" array with cases", path);
	for (size_t i = 0; err == NULL && i < tests->n; i++) {
		const struct json *t = tests->items[i];
		const struct json *name = json_get(t, "name"), *tpl = json_get(t, "template");
		const struct json *exp = json_get(t, "expected"), *data = json_get(t, "data");
		const struct json *parts = json_get(t, "partials");
		struct spec_case *c;

		if (!name || name->kind != JSON_STRING || !tpl || tpl->kind != JSON_STRING ||
		    !exp || exp->kind != JSON_STRING || !data ||
		    (parts && parts->kind != JSON_OBJECT)) {
			err = xasprintf("%s: test %zu is malformed", path, i);
			break;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*cases = xreallocarray(*cases, *cap, sizeof **cases);
		}
		c = &(*cases)[(*n)++];
		memset(c, 0, sizeof *c);
		c->name = xasprintf("%s: %s", base, name->text);
		c->template = xstrdup(tpl->text);
		c->expected = xstrdup(exp->text);
		c->data = json_to_mu(data);
		c->partials = parts ? json_to_mu(parts) : NULL;
	}
	if (err) {
		/* Drop the cases read so far: the file counts as one failure. */
		while (*n > before) {
			struct spec_case *c = &(*cases)[--(*n)];

			free(c->name);
			free(c->template);
			free(c->expected);
			mu_value_free(&c->data);
			mu_value_free(&c->partials);
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*cases = xreallocarray(*cases, *cap, sizeof **cases);
		}
		memset(&(*cases)[*n], 0, sizeof **cases);
		(*cases)[*n].name = xasprintf("%s: load", base);
		(*cases)[*n].load_error = err;
		(*n)++;
	}
	json_free(&root);
	free(path);
}

/* ------------------------------------------------------------------ */
/* Our own tests                                                       */

/* Renders and checks the output; the error text is printed on failure. */
static void
check_render(const char *tpl, const struct mu_value *data, const struct mu_value *parts,
             bool escape, const char *expected)
{
	struct mu_partials p = { mu_partials_from_map, parts };
	char *err = (char *)"untouched";
	char *out = mu_render(tpl, data, parts ? &p : NULL, escape, &err);

	if (out == NULL)
		print_error("template %s: %s\n", tpl, err);
	assert_non_null(out);
	assert_null(err);
	assert_string_equal(out, expected);
	free(out);
}

/* Renders a malformed template and checks the error message. */
static void
check_error(const char *tpl, const struct mu_value *data, const struct mu_value *parts,
            const char *expected)
{
	struct mu_partials p = { mu_partials_from_map, parts };
	char *err = NULL;
	char *out = mu_render(tpl, data, &p, false, &err);

	if (out)
		print_error("template %s rendered as %s\n", tpl, out);
	assert_null(out);
	assert_non_null(err);
	assert_string_equal(err, expected);
	free(err);
	/* err may be NULL: the message is then dropped. */
	assert_null(mu_render(tpl, data, &p, false, NULL));
}

static void
test_escaping_is_an_option(void **state)
{
	struct mu_value *d = mu_map();

	(void)state;
	mu_map_set(d, "x", mu_str("<a href=\"q\">R&D</a> 'ok'"));
	check_render("{{x}}", d, NULL, false, "<a href=\"q\">R&D</a> 'ok'");
	check_render("{{x}}", d, NULL, true,
	             "&lt;a href=&quot;q&quot;&gt;R&amp;D&lt;/a&gt; 'ok'");
	check_render("{{{x}}}|{{&x}}", d, NULL, true,
	             "<a href=\"q\">R&D</a> 'ok'|<a href=\"q\">R&D</a> 'ok'");
	/* Template text itself is never escaped. */
	check_render("<b>&</b>", d, NULL, true, "<b>&</b>");
	mu_value_free(&d);
	assert_null(d);
}

static void
test_utf8_passes_through(void **state)
{
	struct mu_value *d = mu_map(), *parts = mu_map();
	const char *tpl = "申请人：{{姓名}}\n事项：「{{事项}}」{{! 备注 }}\n{{>页脚}}";
	const char *want = "申请人：欧阳娜娜\n事项：「异地就医备案」\n——宜昌市医疗保障局😀";

	(void)state;
	mu_map_set(d, "姓名", mu_str("欧阳娜娜"));
	mu_map_set(d, "事项", mu_str("异地就医备案"));
	mu_map_set(parts, "页脚", mu_str("——{{机构}}😀"));
	mu_map_set(d, "机构", mu_str("宜昌市医疗保障局"));
	check_render(tpl, d, parts, false, want);
	check_render(tpl, d, parts, true, want);
	/* Multi-byte delimiters. */
	check_render("{{=【 】=}}【姓名】【#事项】：【.】【/事项】", d, NULL, false,
	             "欧阳娜娜：异地就医备案");
	mu_value_free(&parts);
	mu_value_free(&d);
}

static void
test_errors_name_the_line(void **state)
{
	struct mu_value *d = mu_map(), *parts = mu_map();

	(void)state;
	mu_map_set(parts, "bad", mu_str("ok\n{{#s}}\n"));
	mu_map_set(parts, "outer", mu_str("1\n2\n{{>bad}}"));
	check_error("{{#a}}\nx\n", d, NULL, "line 1: section \"a\" is not closed");
	check_error("1\n2\n  {{#a}}\n{{#b}}{{/b}}\n", d, NULL,
	            "line 3: section \"a\" is not closed");
	check_error("a\n{{#a}}\n{{/b}}\n", d, NULL,
	            "line 3: closing tag \"b\" does not match section \"a\" opened on line 2");
	check_error("x\n\n{{/a}}", d, NULL, "line 3: closing tag \"a\" without an open section");
	check_error("{{=<% %>}}", d, NULL, "line 1: unclosed set-delimiter tag: no \"=}}\"");
	check_error("\n{{= a b c =}}", d, NULL,
	            "line 2: bad set-delimiter tag: expected two delimiters separated by a space");
	check_error("{{=a=}}", d, NULL,
	            "line 1: bad set-delimiter tag: expected two delimiters separated by a space");
	check_error("line one\nline {{two\n", d, NULL,
	            "line 2: unclosed tag: no \"}}\" after \"{{\"");
	check_error("{{{x}}", d, NULL, "line 1: unclosed tag: no \"}}}\" after \"{{{\"");
	check_error("{{!never closed", d, NULL, "line 1: unclosed tag: no \"}}\" after \"{{\"");
	check_error("a {{}} b", d, NULL, "line 1: empty tag {{}}");
	check_error("{{# }}{{/ }}", d, NULL, "line 1: empty tag {{}}");
	check_error("{{a b}}", d, NULL, "line 1: tag name \"a b\" contains a space");
	check_error("{{=<% %>=}}\n<%#x%>\n<%/y%>", d, NULL,
	            "line 3: closing tag \"y\" does not match section \"x\" opened on line 2");
	check_error("{{=<% %>=}}\n<%x}}", d, NULL,
	            "line 2: unclosed tag: no \"%>\" after \"<%\"");
	/* A section that is never rendered is still checked. */
	check_error("{{#no}}{{/x}}{{/no}}", d, NULL,
	            "line 1: closing tag \"x\" does not match section \"no\" opened on line 1");
	/* Errors inside partials name the partial tag's line, then their own. */
	check_error("a\n{{>bad}}", d, parts, "line 2: in partial \"bad\": line 2: "
	            "section \"s\" is not closed");
	check_error("{{>outer}}", d, parts, "line 1: in partial \"outer\": line 3: "
	            "in partial \"bad\": line 2: section \"s\" is not closed");
	/* A partial that is never rendered is not parsed. */
	check_render("{{#no}}{{>bad}}{{/no}}", d, parts, false, "");
	mu_value_free(&parts);
	mu_value_free(&d);
}

/*
 * A chain of depth nodes: {content: 1, nodes: [{content: 2, ...}]}; the
 * last has "nodes": [] (without it {{#nodes}} would find its parent's).
 */
static struct mu_value *
chain(int depth)
{
	struct mu_value *root = mu_map(), *m = root;

	for (int i = 1; i <= depth; i++) {
		struct mu_value *nodes;

		mu_map_set(m, "content", mu_int(i));
		nodes = mu_map_set(m, "nodes", mu_list());
		if (i < depth)
			m = mu_list_push(nodes, mu_map());
	}
	return root;
}

static void
test_recursion_limit(void **state)
{
	struct mu_value *parts = mu_map(), *d;
	struct mu_partials p = { mu_partials_from_map, parts };
	char *err = NULL, *out, *tpl;

	(void)state;
	mu_map_set(parts, "self", mu_str("x{{>self}}"));
	mu_map_set(parts, "a", mu_str("a\n  {{>b}}\n"));
	mu_map_set(parts, "b", mu_str("b{{>a}}"));
	mu_map_set(parts, "node", mu_str("{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"));
	check_error("{{>self}}", NULL, parts, "line 1: partials nested deeper than 64 "
	            "(does partial \"self\" include itself?)");
	check_error("\n\n{{>a}}", NULL, parts, "line 3: partials nested deeper than 64 "
	            "(does partial \"a\" include itself?)");

	/* Recursion that ends with the data is fine up to the limit. */
	d = chain(MU_MAX_PARTIAL_DEPTH);
	out = mu_render("{{>node}}", d, &p, false, &err);
	assert_non_null(out);
	assert_null(err);
	assert_true(strncmp(out, "1<2<3<", 6) == 0);
	assert_non_null(strstr(out, "<64<>>"));
	free(out);
	mu_value_free(&d);
	d = chain(MU_MAX_PARTIAL_DEPTH + 1);
	assert_null(mu_render("{{>node}}", d, &p, false, &err));
	assert_string_equal(err, "line 1: partials nested deeper than 64 "
	                    "(does partial \"node\" include itself?)");
	free(err);
	mu_value_free(&d);

	/* Section nesting in one template is limited too. */
	d = mu_map();
	mu_map_set(d, "s", mu_bool(true));
	tpl = xstrdup("");
	for (int i = 0; i < MU_MAX_SECTION_DEPTH; i++) {
		char *t = xasprintf("{{#s}}%s{{/s}}", i == 0 ? "ok" : tpl);

		free(tpl);
		tpl = t;
	}
	check_render(tpl, d, NULL, false, "ok");
	out = xasprintf("{{#s}}%s{{/s}}", tpl);
	check_error(out, d, NULL, "line 1: sections nested deeper than 100");
	free(out);
	free(tpl);
	mu_value_free(&d);
	mu_value_free(&parts);
}

static void
test_values_and_truthiness(void **state)
{
	struct mu_value *d = mu_map(), *l, *old;

	(void)state;
	assert_int_equal(mu_kind(NULL), MU_NULL);
	mu_map_set(d, "a", mu_str("1"));
	old = mu_map_set(d, "b", mu_str("old"));
	mu_map_set(d, "c", mu_str("3"));
	assert_ptr_equal(mu_map_get(d, "b"), old);
	mu_map_set(d, "b", mu_str("new"));          /* replaced in place */
	assert_int_equal(mu_len(d), 3);
	assert_string_equal(mu_text(mu_map_get(d, "b")), "new");
	assert_null(mu_map_get(d, "zz"));
	assert_null(mu_map_get(NULL, "a"));
	l = mu_map_set(d, "list", mu_list());
	mu_list_push(l, mu_int(-3));
	mu_list_push(l, mu_int(LLONG_MIN));
	mu_list_push(l, mu_num_text("12.50"));
	assert_int_equal(mu_len(l), 3);
	assert_int_equal(mu_kind(mu_list_at(l, 0)), MU_NUMBER);
	assert_null(mu_list_at(l, 3));
	assert_string_equal(mu_text(mu_list_at(l, 1)), "-9223372036854775808");
	assert_null(mu_text(l));
	check_render("{{a}}{{b}}{{c}}|{{#list}}[{{.}}]{{/list}}", d, NULL, false,
	             "1new3|[-3][-9223372036854775808][12.50]");

	/* Falsey: missing, null, false, empty list, empty string. */
	mu_map_set(d, "null", mu_null());
	mu_map_set(d, "f", mu_bool(false));
	mu_map_set(d, "t", mu_bool(true));
	mu_map_set(d, "empty", mu_list());
	mu_map_set(d, "es", mu_str(NULL));
	mu_map_set(d, "zero", mu_int(0));
	mu_map_set(d, "em", mu_map());
	check_render("{{#missing}}1{{/missing}}{{#null}}2{{/null}}{{#f}}3{{/f}}"
	             "{{#empty}}4{{/empty}}{{#es}}5{{/es}}", d, NULL, false, "");
	check_render("{{^missing}}1{{/missing}}{{^null}}2{{/null}}{{^f}}3{{/f}}"
	             "{{^empty}}4{{/empty}}{{^es}}5{{/es}}", d, NULL, false, "12345");
	/* Truthy: true, 0, an empty map, a non-empty string. */
	check_render("{{#t}}a{{/t}}{{#zero}}b{{.}}{{/zero}}{{#em}}c{{/em}}{{#a}}d{{/a}}",
	             d, NULL, false, "ab0cd");
	/* Interpolating booleans, null, lists and maps. */
	check_render("[{{t}}|{{f}}|{{null}}|{{list}}|{{em}}|{{es}}]", d, NULL, false,
	             "[true|false||||]");
	/* NULL data is an empty map; NULL partials are all missing. */
	check_render("<{{x}}{{#.}}m{{/.}}{{>p}}>", NULL, NULL, false, "<m>");
	check_render(NULL, d, NULL, false, "");
	mu_value_free(&d);
}

/* A 一次性告知书-like document: nested sections, outer context, indentation. */
static void
test_document(void **state)
{
	static const char tpl[] =
		"{{! 一次性告知书 }}\n"
		"{{office.name}}\n"
		"一次性告知书\n"
		"\n"
		"申请人：{{applicant.name}}（{{applicant.id}}）\n"
		"办理事项：{{item.title}}\n"
		"请提交以下材料：\n"
		"{{#materials}}\n"
		"  {{no}}. {{name}}{{#copies}} ×{{copies}}{{/copies}}\n"
		"  {{#notes}}\n"
		"     - {{.}}（{{item.title}}）\n"
		"  {{/notes}}\n"
		"{{/materials}}\n"
		"{{^materials}}\n"
		"  本事项无需提交材料。\n"
		"{{/materials}}\n"
		"{{#deadline}}\n"
		"请于{{deadline}}前补齐材料。\n"
		"{{/deadline}}\n"
		"    {{>footer}}\n";
	static const char want_full[] =
		"宜昌市医疗保障服务中心\n"
		"一次性告知书\n"
		"\n"
		"申请人：张三（420502********1234）\n"
		"办理事项：异地就医备案\n"
		"请提交以下材料：\n"
		"  1. 身份证复印件（A4纸，正反面） ×2\n"
		"     - 金额 < 1000 元 & 不需原件（异地就医备案）\n"
		"     - 加盖\"公章\"（异地就医备案）\n"
		"  2. 社会保障卡\n"
		"请于2024年6月30日前补齐材料。\n"
		"    电话：0717-1234567\n"
		"    窗口：3号\n";
	static const char want_none[] =
		"宜昌市医疗保障服务中心\n"
		"一次性告知书\n"
		"\n"
		"申请人：张三（420502********1234）\n"
		"办理事项：异地就医备案\n"
		"请提交以下材料：\n"
		"  本事项无需提交材料。\n"
		"    电话：0717-1234567\n"
		"    窗口：3号\n";
	struct mu_value *d = mu_map(), *parts = mu_map(), *m, *office, *mats, *notes;
	static const char *const names[] = { "身份证复印件（A4纸，正反面）", "社会保障卡" };

	(void)state;
	mu_map_set(parts, "footer", mu_str("电话：{{office.phone}}\n窗口：{{window}}号\n"));
	office = mu_map_set(d, "office", mu_map());
	mu_map_set(office, "name", mu_str("宜昌市医疗保障服务中心"));
	mu_map_set(office, "phone", mu_str("0717-1234567"));
	m = mu_map_set(d, "applicant", mu_map());
	mu_map_set(m, "name", mu_str("张三"));
	mu_map_set(m, "id", mu_str("420502********1234"));
	m = mu_map_set(d, "item", mu_map());
	mu_map_set(m, "title", mu_str("异地就医备案"));
	mu_map_set(d, "window", mu_int(3));
	mu_map_set(d, "deadline", mu_str("2024年6月30日"));
	mats = mu_map_set(d, "materials", mu_list());
	for (int i = 0; i < 2; i++) {
		m = mu_list_push(mats, mu_map());
		mu_map_set(m, "no", mu_int(i + 1));     /* index numbers come with the data */
		mu_map_set(m, "name", mu_str(names[i]));
		if (i == 0) {
			mu_map_set(m, "copies", mu_int(2));
			notes = mu_map_set(m, "notes", mu_list());
			mu_list_push(notes, mu_str("金额 < 1000 元 & 不需原件"));
			mu_list_push(notes, mu_str("加盖\"公章\""));
		}
	}
	check_render(tpl, d, parts, false, want_full);

	/* No materials, no deadline. */
	mu_map_set(d, "materials", mu_list());
	mu_map_set(d, "deadline", mu_str(""));
	check_render(tpl, d, parts, false, want_none);
	mu_value_free(&parts);
	mu_value_free(&d);
}

/* ------------------------------------------------------------------ */

int
main(void)
{
	static const struct CMUnitTest own[] = {
		cmocka_unit_test(test_escaping_is_an_option),
		cmocka_unit_test(test_utf8_passes_through),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_recursion_limit),
		cmocka_unit_test(test_values_and_truthiness),
		cmocka_unit_test(test_document),
	};
	struct spec_case *cases = NULL;
	struct CMUnitTest *tests;
	size_t n = 0, cap = 0, nt = 0;
	int rc;

	for (size_t i = 0; i < sizeof spec_files / sizeof *spec_files; i++)
		load_spec(spec_files[i], &cases, &n, &cap);
	tests = xcalloc(n + sizeof own / sizeof *own, sizeof *tests);
	for (size_t i = 0; i < n; i++) {
		tests[nt].name = cases[i].name;
		tests[nt].test_func = test_spec_case;
		tests[nt].initial_state = &cases[i];
		nt++;
	}
	for (size_t i = 0; i < sizeof own / sizeof *own; i++)
		tests[nt++] = own[i];
	rc = _cmocka_run_group_tests("mustache", tests, nt, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		free(cases[i].name);
		free(cases[i].load_error);
		free(cases[i].template);
		free(cases[i].expected);
		mu_value_free(&cases[i].data);
		mu_value_free(&cases[i].partials);
	}
	free(cases);
	free(tests);
	return rc;
}
