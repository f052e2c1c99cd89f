/*
 * The printed 办事指南: rendered for every shipped case type from its
 * definition, on an 80-column page and a 40-column receipt printer, every
 * line within the width (CJK two columns), every material listed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/catalogue.h"
#include "model/docdata.h"
#include "model/document.h"
#include "model/i18n.h"
#include "model/text.h"
#include "util/xalloc.h"

static struct catalogue *cat;

static int
setup(void **state)
{
	struct cat_diags diags = { 0 };

	char exe[512], *mo;
	ssize_t n;

	(void)state;
	/* Documents are Chinese: use the zh_CN catalogue of this build
	 * (BUILD/tests/unit/test_document -> BUILD/locale/...). */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	mo = xasprintf("%s/../../locale/zh_CN/LC_MESSAGES/yichuang.mo", exe);
	if (i18n_load(mo) != 0) {
		print_error("# cannot load %s\n", mo);
		free(mo);
		return -1;
	}
	free(mo);
	cat = cat_load_dir("forms", &diags);
	if (diags.n > 0) {
		print_error("# forms/ has problems: %s:%d: %s\n", diags.d[0].file, diags.d[0].line,
		    diags.d[0].message);
		cat_diags_free(&diags);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cat_free(&cat);
	cat_schema_free();
	i18n_unload();
	return 0;
}

static char *
render(const struct cat_def *d, int width)
{
	struct mu_value *data = docdata_guide(d, 7, "丰城市医疗保障服务中心", "2026年11月22日");
	char *err = NULL, *doc = document_render("print_templates", "guide", data, width, &err);

	if (doc == NULL)
		print_error("# %s\n", err);
	free(err);
	mu_value_free(&data);
	return doc;
}

static void
assert_lines_fit(const char *doc, int width, const char *code)
{
	char *copy = strdup(doc), *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save))
		if (text_width(l) > width) {
			print_error("# %s: %d columns > %d: %s\n", code, text_width(l), width, l);
			fail();
		}
	free(copy);
}

/* Every case type, both widths: renders, fits, names every material. */
static void
test_every_guide_fits_and_lists_materials(void **state)
{
	(void)state;
	assert_true(cat->n >= 30);
	for (size_t i = 0; i < cat->n; i++) {
		const struct cat_def *d = cat->defs[i];

		for (int width = 40; width <= 80; width += 40) {
			char *doc = render(d, width), *flat;

			assert_non_null(doc);
			assert_lines_fit(doc, width, d->code);
			/* Names survive wrapping when lines are joined again. */
			flat = strdup(doc);
			{
				char *w = flat;

				for (char *r = doc; *r != '\0'; r++) {
					if (*r == '\n') {
						while (r[1] == ' ')
							r++;
						continue;
					}
					*w++ = *r;
				}
				*w = '\0';
			}
			assert_non_null(strstr(flat, d->code));
			for (size_t j = 0; j < d->nitems; j++)
				for (size_t k = 0; k < d->items[j].nm; k++)
					if (strstr(flat, d->items[j].m[k].name) == NULL) {
						print_error("# %s: material %s missing\n", d->code,
						    d->items[j].m[k].name);
						fail();
					}
			free(flat);
			free(doc);
		}
	}
}

/* The 门诊费用报销 guide as a citizen reads it. */
static void
test_outpatient_guide_content(void **state)
{
	const struct cat_def *d = NULL;
	char *doc;

	(void)state;
	for (size_t i = 0; i < cat->n; i++)
		if (strcmp(cat->defs[i]->code, "002036006001") == 0)
			d = cat->defs[i];
	assert_non_null(d);
	doc = render(d, 80);
	assert_non_null(doc);
	assert_non_null(strstr(doc, "丰城市医疗保障服务中心\n"));
	assert_non_null(strstr(doc, "事项编码：002036006001\n"));
	/* the levels of GB/T 2260 that accept it and work each stage */
	assert_non_null(strstr(doc, "\n受理层级：设区市级、县级、乡镇（街道）、村（社区）\n"));
	assert_non_null(strstr(doc, " 1. 乡镇（街道）初审（乡镇（街道），20个工作日）\n"));
	assert_non_null(strstr(doc, " 2. 市医保中心复审、录入、复核（县级，5个工作日）\n"));
	assert_non_null(strstr(doc, "医保电子凭证或有效身份证件或社保卡（查看，关键材料）"));
	assert_non_null(strstr(doc, "费用清单（原件）——加盖医院公章"));
	assert_non_null(strstr(doc, "慢性病证（复印件，可容缺，受理后10个工作日内补交）"));
	assert_non_null(strstr(doc, "委托办理：可委托他人办理，另需提供："));
	assert_non_null(strstr(doc, " · 授权委托书（原件，关键材料）"));
	assert_non_null(strstr(doc, "事项目录第7版"));
	/* Plain text: nothing escaped for HTML. */
	assert_null(strstr(doc, "&amp;"));
	free(doc);
}

/* 承诺制 in the guide of 异地长期居住人员备案: the citizen is told the item
 * can be done with a signed pledge and which proofs that replaces; the
 * pledge is the group's last alternative, naming the ones it replaces.
 * A type without a pledge says nothing of it. */
static void
test_pledge_guide_content(void **state)
{
	const struct cat_def *d = NULL, *other = NULL;
	char *doc;

	(void)state;
	for (size_t i = 0; i < cat->n; i++) {
		if (strcmp(cat->defs[i]->code, "002036004002") == 0)
			d = cat->defs[i];
		if (strcmp(cat->defs[i]->code, "002036006001") == 0)
			other = cat->defs[i];
	}
	assert_non_null(d);
	assert_non_null(other);
	for (int width = 40; width <= 80; width += 40) {
		char *flat, *w;

		doc = render(d, width);
		assert_non_null(doc);
		/* the text with every line break and the indent after it removed */
		flat = w = strdup(doc);
		for (char *r = doc; *r != '\0'; r++) {
			if (*r == '\n') {
				while (r[1] == ' ')
					r++;
				continue;
			}
			*w++ = *r;
		}
		*w = '\0';
		if (width == 80) {
			assert_non_null(strstr(doc, "\n承诺制：可在窗口签署《异地就医备案个人承诺书》办理，不再提供下列证明材料：\n"
			    " · 所在单位出具长期安置地工作或学习的证明材料\n · 本人、配偶、子女或其他亲属"));
			assert_non_null(strstr(doc, "\n    c) 承诺制：《异地就医备案个人承诺书》（原件）"));
		}
		assert_non_null(strstr(flat, "承诺制：可在窗口签署《异地就医备案个人承诺书》办理，不再提供下列证明材料："
		    "· 所在单位出具长期安置地工作或学习的证明材料· 本人、配偶、子女或其他亲属"));
		assert_non_null(strstr(flat, "c) 承诺制：《异地就医备案个人承诺书》（原件）——窗口打印，参保人本人签字，"
		    "代替a、b项3. 本人有效身份证件"));
		/* identity is never replaced */
		assert_null(strstr(flat, "· 本人有效身份证件或社会保障卡"));
		free(flat);
		free(doc);
	}
	doc = render(other, 80);
	assert_null(strstr(doc, "承诺制"));
	free(doc);
}

static void
test_unknown_template(void **state)
{
	char *err = NULL;

	(void)state;
	assert_null(document_render("print_templates", "no-such", NULL, 80, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "no-such"));
	free(err);
	assert_null(document_render("print_templates", "../forms/case-type", NULL, 80, &err));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_guide_fits_and_lists_materials),
		cmocka_unit_test(test_outpatient_guide_content),
		cmocka_unit_test(test_pledge_guide_content),
		cmocka_unit_test(test_unknown_template),
	};

	return cmocka_run_group_tests_name("document", tests, setup, teardown);
}
