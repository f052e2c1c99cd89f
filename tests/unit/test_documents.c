/*
 * The printed case documents (受理通知书, 一次性告知书, 容缺受理通知书, 承诺书,
 * 不予受理通知书, 办结回执, 参保凭证, 办结通知, 延期办理告知书, 撤回申请确认书,
 * 终止办理告知书, the 承诺制 个人承诺书) rendered from sample data
 * shaped exactly like yc.case_document's output (tests/unit/data/NAME.json,
 * taken from the function on a test database), through model/json.h and
 * the document pipeline, on an 80-column page and a 40-column receipt:
 * every line within the width in display columns; the office, the date,
 * the case or notice number and the masked ID present, never a full ID;
 * the promised date, each material with its form, any-of groups as
 * alternatives, supply-by dates, stages, the reason, the insurance rows,
 * the 办结 result, an extension's old and new promised dates and reason,
 * a withdrawal's reason and signature line, a termination's overdue
 * materials with their dates, its 容缺受理通知书 and the day of the 承诺书;
 * the proofs a pledge replaces, its commitment and signature lines;
 * GB18030 output decoding back to the same text.
 *
 * Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/document.h"
#include "model/json.h"
#include "model/mustache.h"
#include "model/text.h"
#include "util/conv.h"
#include "util/xalloc.h"

#define DATA_DIR "tests/unit/data"
#define TEMPLATE_DIR "print_templates"

/* A sample: the data file and the template it is for. */
struct sample {
	const char *file, *template;
};

static const struct sample samples[] = {
	{ "acceptance-notice", "acceptance-notice" },
	{ "supplement-notice", "supplement-notice" },
	{ "deferred-notice", "deferred-notice" },
	{ "commitment", "commitment" },
	{ "rejection-notice", "rejection-notice" },
	{ "receipt", "receipt" },
	{ "certificate", "certificate" },
	{ "completion-notice", "completion-notice" },
	{ "extension-notice", "extension-notice" },
	{ "withdrawal-notice", "withdrawal-notice" },
	{ "termination-notice", "termination-notice" },
	{ "pledge", "pledge" },
};

/* The full ID numbers of the people in the samples: never printed. */
static const char *const full_ids[] = {
	"360981199003070021", "360981198506120014", "36098119600101003X",
};

static struct json *
load(const char *file)
{
	char *path = xasprintf("%s/%s.json", DATA_DIR, file), *err = NULL;
	struct json *j = json_load(path, &err);

	if (j == NULL)
		print_error("# %s\n", err);
	free(err);
	free(path);
	return j;
}

static const char *
str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v != NULL && v->kind == JSON_STRING ? v->text : NULL;
}

static bool
flag(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v != NULL && v->kind == JSON_BOOL && v->b;
}

static char *
render(const struct json *j, const char *template, int width)
{
	struct mu_value *data = json_to_mu(j);
	char *err = NULL, *doc = document_render(TEMPLATE_DIR, template, data, width, &err);

	if (doc == NULL)
		print_error("# %s\n", err);
	free(err);
	mu_value_free(&data);
	return doc;
}

/* The document with wrapped lines joined again (line breaks and the
 * hanging indent after them removed), for finding text that may wrap. */
static char *
flatten(const char *doc)
{
	char *flat = xstrdup(doc), *w = flat;

	for (const char *r = doc; *r != '\0'; r++) {
		if (*r == '\n') {
			while (r[1] == ' ')
				r++;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
	return flat;
}

static void
assert_lines_fit(const char *doc, int width, const char *what)
{
	char *copy = xstrdup(doc), *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save))
		if (text_width(l) > width) {
			print_error("# %s: %d columns > %d: %s\n", what, text_width(l), width, l);
			fail();
		}
	free(copy);
}

static void
assert_has(const char *flat, const char *text, const char *what)
{
	if (text == NULL || strstr(flat, text) == NULL) {
		print_error("# %s: \"%s\" missing\n", what, text != NULL ? text : "(null)");
		fail();
	}
}

/* Every string under key of every element of the list obj[list]. */
static void
assert_each(const char *flat, const struct json *obj, const char *list, const char *key,
    const char *what)
{
	const struct json *l = json_get(obj, list);

	assert_non_null(l);
	assert_int_equal(l->kind, JSON_ARRAY);
	for (size_t i = 0; i < l->n; i++)
		assert_has(flat, str(l->items[i], key), what);
}

static bool
is(const char *template, const char *name)
{
	return strcmp(template, name) == 0;
}

/* Every sample, both widths: renders; lines fit; what the document must say. */
static void
test_every_document(void **state)
{
	(void)state;
	for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
		const char *t = samples[s].template;
		struct json *j = load(samples[s].file);

		assert_non_null(j);
		for (int width = 40; width <= 80; width += 40) {
			char *doc = render(j, t, width), *flat, what[96];

			snprintf(what, sizeof what, "%s at %d", samples[s].file, width);
			assert_non_null(doc);
			assert_lines_fit(doc, width, what);
			flat = flatten(doc);
			assert_has(flat, str(j, "office_name"), what);
			assert_has(flat, str(j, "date"), what);
			assert_has(flat, str(j, "case_no"), what);
			if (flag(j, "has_notice"))
				assert_has(flat, str(j, "notice_no"), what);
			assert_has(flat, str(j, "id_masked"), what);
			for (size_t k = 0; k < sizeof full_ids / sizeof full_ids[0]; k++)
				assert_null(strstr(doc, full_ids[k]));
			if (flag(j, "has_agent") && !is(t, "certificate"))
				assert_has(flat, str(j, "agent_id_masked"), what);
			if (flag(j, "has_mail")) {	/* 邮寄办: the package and the return address */
				assert_has(flat, str(j, "mail_in"), what);
				assert_has(flat, str(j, "mail_address"), what);
			}
			if (is(t, "acceptance-notice") || is(t, "deferred-notice") || is(t, "completion-notice")) {
				assert_true(flag(j, "has_promised"));
				assert_has(flat, str(j, "promised"), what);
			}
			if (is(t, "acceptance-notice")) {
				/* the definition's own title (seed 002's 受理单) */
				assert_true(flag(j, "has_title"));
				assert_has(flat, str(j, "title"), what);
				assert_null(strstr(doc, "受理通知书"));
				assert_each(flat, j, "stages", "name", what);
				assert_each(flat, j, "stages", "due", what);
				assert_has(flat, str(j, "clerk"), what);
				assert_has(flat, str(j, "window"), what);
				assert_has(flat, str(j, "progress"), what);
			}
			if (is(t, "acceptance-notice") || is(t, "supplement-notice") ||
			    is(t, "deferred-notice") || is(t, "receipt"))
				assert_each(flat, j, "received", "name", what);
			if (is(t, "acceptance-notice") || is(t, "deferred-notice") || is(t, "commitment")) {
				assert_true(flag(j, "has_deferred"));
				assert_each(flat, j, "deferred", "name", what);
				assert_each(flat, j, "deferred", "due", what);
			}
			if (is(t, "commitment"))
				assert_has(flat, "申请人（签字）", what);
			/* 承诺制: the title, every proof it replaces, the commitment,
			 * that the office may verify it, the signatures */
			if (is(t, "pledge")) {
				assert_true(flag(j, "has_title"));
				assert_has(flat, str(j, "title"), what);
				assert_true(flag(j, "has_replaced"));
				assert_each(flat, j, "replaced", "name", what);
				assert_has(flat, "以本承诺书代替下列证明材料", what);
				assert_has(flat, "本人承诺所填报信息真实、准确", what);
				assert_has(flat, "如有虚假，愿承担相应责任", what);
				assert_has(flat, "经办机构对承诺内容进行核查", what);
				assert_has(flat, "申请人（签字）", what);
				assert_has(flat, "委托代办人（签字）", what);
				assert_has(flat, "日期：　　　　年　　月　　日", what);
				assert_each(flat, j, "fields", "value", what);
			}
			/* a date in a provisional calendar year: one line says so */
			if (flag(j, "calendar_provisional")) {
				assert_has(flat, str(j, "calendar_years"), what);
				assert_has(flat, "按《全国年节及纪念日放假办法》规定的法定节假日推算", what);
				assert_has(flat, "以国务院办公厅公布的当年节假日安排为准", what);
			} else {
				assert_null(strstr(flat, "法定节假日推算"));
			}
			if (is(t, "rejection-notice"))
				assert_has(flat, str(j, "reason"), what);
			if (is(t, "completion-notice") && flag(j, "has_result"))
				assert_has(flat, str(j, "result"), what);
			if (is(t, "extension-notice")) {
				assert_has(flat, "延期办理告知书", what);
				assert_has(flat, "特殊情况延长办理时限", what);
				assert_true(flag(j, "has_old_promised"));
				assert_has(flat, str(j, "old_promised"), what);
				assert_has(flat, str(j, "new_promised"), what);
				assert_has(flat, str(j, "extension_reason"), what);
				assert_has(flat, str(j, "extended"), what);
				assert_has(flat, str(j, "supervisor"), what);
			}
			if (is(t, "withdrawal-notice")) {
				assert_has(flat, "撤回申请确认书", what);
				assert_has(flat, str(j, "closing_reason"), what);
				assert_has(flat, str(j, "notice_date"), what);
				assert_has(flat, "申请材料退还申请人", what);
				assert_has(flat, "重新申请", what);
				assert_has(flat, "申请人（签字）", what);
			}
			if (is(t, "termination-notice")) {
				assert_has(flat, "终止办理告知书", what);
				assert_true(flag(j, "has_deferred_notice"));
				assert_has(flat, str(j, "deferred_notice_no"), what);
				assert_has(flat, str(j, "commitment_date"), what);
				assert_each(flat, j, "overdue", "name", what);
				assert_each(flat, j, "overdue", "due", what);
				assert_has(flat, "如未能按期补交上述材料，本人同意经办机构终止办理本事项", what);
				assert_has(flat, str(j, "closing_reason"), what);
				assert_has(flat, "备齐全部申请材料", what);
			}
			/* the server gives no 参保凭证 without a record (no_insurance),
			 * so none ever says there is none */
			if (is(t, "certificate")) {
				assert_true(flag(j, "has_insurance"));
				assert_each(flat, j, "insurance", "scheme", what);
				assert_each(flat, j, "insurance", "status", what);
				assert_each(flat, j, "insurance", "since", what);
				assert_null(strstr(flat, "未查询到参保记录"));
			}
			free(flat);
			free(doc);
		}
		json_free(&j);
	}
}

/* The 一次性告知书: numbered, every missing material with its form and
 * note, an any-of group as lettered alternatives, continue anywhere. */
static void
test_supplement_notice(void **state)
{
	struct json *j = load("supplement-notice");
	const struct json *missing;
	bool any_of = false;

	(void)state;
	assert_non_null(j);
	missing = json_get(j, "missing");
	assert_non_null(missing);
	assert_true(missing->n >= 2);
	for (int width = 40; width <= 80; width += 40) {
		char *doc = render(j, "supplement-notice", width), *flat;

		assert_non_null(doc);
		flat = flatten(doc);
		assert_has(flat, "一次性告知书", "title");
		assert_has(flat, "告知书编号：N360981202611200001", "number");
		for (size_t i = 0; i < missing->n; i++) {
			const struct json *m = missing->items[i], *opts = json_get(m, "options");
			char *line;

			if (!flag(m, "any_of")) {
				line = xasprintf("%s（%s）", str(m, "name"), str(m, "form"));
				assert_has(flat, line, "missing material");
				free(line);
				continue;
			}
			any_of = true;
			assert_has(flat, "以下材料具备其一即可", "any-of group");
			assert_has(flat, str(m, "note"), "any-of note");
			assert_true(opts->n >= 2);
			for (size_t k = 0; k < opts->n; k++) {
				/* Each alternative on its own lettered line. */
				line = xasprintf("\n    %s) %s（%s）", str(opts->items[k], "letter"),
				    str(opts->items[k], "name"), str(opts->items[k], "form"));
				assert_has(doc, line, "any-of alternative");
				free(line);
			}
		}
		assert_has(flat, "补齐后可到全市任一医保经办窗口凭本告知书编号或身份证号继续办理", "continue");
		assert_has(flat, "不会再要求您提供其他材料", "nothing else");
		free(flat);
		free(doc);
	}
	assert_true(any_of);
	json_free(&j);
}

/* The 办结通知书 prints the result when there is one, and no 办理结果 line
 * without. */
static void
test_completion_result(void **state)
{
	struct json *j = load("completion-notice");
	char *doc, *err = NULL;

	(void)state;
	assert_non_null(j);
	assert_true(flag(j, "has_result"));
	for (int width = 40; width <= 80; width += 40) {
		char *flat, *line;

		doc = render(j, "completion-notice", width);
		assert_non_null(doc);
		flat = flatten(doc);
		line = xasprintf("办理结果：%s", str(j, "result"));
		assert_has(flat, line, "result");
		free(line);
		free(flat);
		free(doc);
	}
	json_free(&j);
	/* the same without a result */
	j = json_parse("{\"office_name\": \"丰城市医疗保障服务中心\", \"type_name\": \"生育医疗费支付\","
	    " \"has_result\": false, \"result\": \"\"}", &err);
	free(err);
	assert_non_null(j);
	doc = render(j, "completion-notice", 80);
	assert_non_null(doc);
	assert_non_null(strstr(doc, "已办理完结"));
	assert_null(strstr(doc, "办理结果"));
	free(doc);
	json_free(&j);
}

/* The 延期办理告知书: the limit before and after, both promised dates on
 * lines of their own, the reason. */
static void
test_extension_notice(void **state)
{
	struct json *j = load("extension-notice");

	(void)state;
	assert_non_null(j);
	for (int width = 40; width <= 80; width += 40) {
		char *doc = render(j, "extension-notice", width), *flat, *line;

		assert_non_null(doc);
		flat = flatten(doc);
		line = xasprintf("由%s个工作日延长至%s个工作日", "10", "20");
		assert_has(flat, line, "limits");
		free(line);
		line = xasprintf("\n原承诺办结日期：%s\n", str(j, "old_promised"));
		assert_has(doc, line, "old promised");
		free(line);
		line = xasprintf("\n延期后承诺办结日期：%s\n", str(j, "new_promised"));
		assert_has(doc, line, "new promised");
		free(line);
		line = xasprintf("延期理由：%s", str(j, "extension_reason"));
		assert_has(flat, line, "reason");
		free(line);
		assert_has(flat, "身份证号码：360981********0021", "masked ID");
		free(flat);
		free(doc);
	}
	json_free(&j);
}

/* GB18030 (the Chinese printers' codeset) and back gives the same text. */
static void
test_gb18030_round_trip(void **state)
{
	(void)state;
	for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
		struct json *j = load(samples[s].file);
		char *doc, *gb, *back;

		assert_non_null(j);
		doc = render(j, samples[s].template, 40);
		assert_non_null(doc);
		gb = conv_to("GB18030", doc);
		assert_non_null(gb);
		assert_true(strcmp(gb, doc) != 0);
		assert_null(strchr(gb, '?'));	/* nothing unrepresentable */
		back = conv_from("GB18030", gb);
		assert_non_null(back);
		assert_string_equal(back, doc);
		free(back);
		free(gb);
		free(doc);
		json_free(&j);
	}
}

/* json_to_mu: maps in document order, lists, numbers as written, booleans,
 * null; the values templates see. */
static void
test_json_to_mu(void **state)
{
	char *err = NULL, *out;
	struct json *j = json_parse("{\"b\": 1.50, \"a\": [true, false, null, \"文\"], \"n\": {}}", &err);
	struct mu_value *v;
	const struct mu_value *a;

	(void)state;
	assert_non_null(j);
	v = json_to_mu(j);
	assert_int_equal(mu_kind(v), MU_MAP);
	assert_int_equal(mu_len(v), 3);
	assert_string_equal(mu_text(mu_map_get(v, "b")), "1.50");
	assert_int_equal(mu_kind(mu_map_get(v, "b")), MU_NUMBER);
	a = mu_map_get(v, "a");
	assert_int_equal(mu_kind(a), MU_LIST);
	assert_int_equal(mu_len(a), 4);
	assert_int_equal(mu_kind(mu_list_at(a, 0)), MU_BOOL);
	assert_int_equal(mu_kind(mu_list_at(a, 2)), MU_NULL);
	assert_string_equal(mu_text(mu_list_at(a, 3)), "文");
	assert_int_equal(mu_kind(mu_map_get(v, "n")), MU_MAP);
	out = mu_render("{{b}}|{{#a}}{{.}},{{/a}}|{{#n}}map{{/n}}", v, NULL, false, &err);
	assert_non_null(out);
	assert_string_equal(out, "1.50|true,false,,文,|map");
	free(out);
	mu_value_free(&v);
	json_free(&j);
	v = json_to_mu(NULL);
	assert_int_equal(mu_kind(v), MU_NULL);
	mu_value_free(&v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_document),
		cmocka_unit_test(test_supplement_notice),
		cmocka_unit_test(test_completion_result),
		cmocka_unit_test(test_extension_notice),
		cmocka_unit_test(test_gb18030_round_trip),
		cmocka_unit_test(test_json_to_mu),
	};

	return cmocka_run_group_tests_name("documents", tests, NULL, NULL);
}
