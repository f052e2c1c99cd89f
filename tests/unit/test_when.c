/*
 * Unit tests for conditional paths (when=): model/cond (parsing and
 * evaluating conditions, bad ones refused), model/catwhen (what applies to
 * the answers of the shipped forms, the limit of each path, the checks of
 * forms check) and model/intake (the checklist follows the answers and
 * keeps its ticks). Run from the repository root: reads forms/. No message
 * catalogue is loaded: messages are the English msgids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "model/catalogue.h"
#include "model/cond.h"
#include "model/docdata.h"
#include "model/document.h"
#include "model/mustache.h"
#include "model/intake.h"
#include "util/xalloc.h"

#define T_CHRONIC "002036009001"	/* 门诊慢特病病种待遇认定: path filing | admission */
#define T_ORGCHG "002036010003"		/* 定点医药机构基础信息变更: onsite no | yes */
#define T_ACCOUNT "002036011001"	/* 个人账户一次性支取: reason, death_shared */

static struct catalogue *cat;

static int
setup(void **state)
{
	struct cat_diags ds = { 0 };

	(void)state;
	cat = cat_load_dir("forms", &ds);
	for (size_t i = 0; i < ds.n; i++)
		print_message("%s:%d: %s\n", ds.d[i].file, ds.d[i].line, ds.d[i].message);
	assert_int_equal(ds.n, 0);
	cat_diags_free(&ds);
	return cat == NULL;
}

static int
teardown(void **state)
{
	(void)state;
	cat_free(&cat);
	cat_schema_free();
	xmlCleanupParser();
	return 0;
}

static const struct cat_def *
def(const char *code)
{
	for (size_t i = 0; i < cat->n; i++)
		if (strcmp(cat->defs[i]->code, code) == 0)
			return cat->defs[i];
	fail_msg("no %s in forms/", code);
	return NULL;
}

/* ---- model/cond ------------------------------------------------------------ */

/* Answers as "field=value" pairs, NULL-terminated. */
static const char *
get_pairs(const char *field, void *ctx)
{
	const char *const *p = ctx;
	size_t n = strlen(field);

	for (; *p != NULL; p++)
		if (strncmp(*p, field, n) == 0 && (*p)[n] == '=')
			return *p + n + 1;
	return "";
}

static bool
holds(const char *text, const char *const *answers)
{
	char err[256];
	struct cond *c = cond_parse(text, err, sizeof err);
	bool r;

	if (c == NULL)
		fail_msg("\"%s\" does not parse: %s", text, err);
	r = cond_eval(c, get_pairs, (void *)answers);
	cond_free(&c);
	return r;
}

static void
test_cond_parse(void **state)
{
	char err[256];
	struct cond *c;

	(void)state;
	c = cond_parse("reason=death and death_shared!=yes or path in (a b-c d_1)", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->natoms, 3);
	assert_string_equal(c->atoms[0].field, "reason");
	assert_int_equal(c->atoms[0].op, COND_EQ);
	assert_string_equal(c->atoms[0].values[0], "death");
	assert_false(c->atoms[0].or_before);
	assert_int_equal(c->atoms[1].op, COND_NE);
	assert_false(c->atoms[1].or_before);
	assert_int_equal(c->atoms[2].op, COND_IN);
	assert_true(c->atoms[2].or_before);
	assert_int_equal(c->atoms[2].nvalues, 3);
	assert_string_equal(c->atoms[2].values[1], "b-c");
	cond_free(&c);
	assert_null(c);
	/* white space is free around the operators */
	c = cond_parse("  a  =  b  and c!=d and e in(f)  ", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->natoms, 3);
	cond_free(&c);
}

static void
test_cond_bad(void **state)
{
	static const char *const bad[] = {
		"", "   ", "path", "path=", "=filing", "path==filing", "path = = fast", "path in ()",
		"path in (a b", "path in a", "path=filing and", "path=filing or or x=y",
		"path=filing x=y", "Path=filing", "path=Filing", "path=认定", "(path=filing)",
		"path=filing and (x=y or z=w)", "and=x", "x=or", "x in (a and)", "path <> filing",
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cond *c;

		err[0] = '\0';
		c = cond_parse(bad[i], err, sizeof err);
		if (c != NULL)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_true(err[0] != '\0');
	}
	/* too long */
	{
		char *s = xmalloc(1200);

		memset(s, 'a', 1199);
		s[0] = 'x';
		s[1] = '=';
		s[1199] = '\0';
		assert_null(cond_parse(s, err, sizeof err));
		free(s);
	}
}

static void
test_cond_eval(void **state)
{
	const char *const death[] = { "reason=death", "death_shared=", NULL };
	const char *const shared[] = { "reason=death", "death_shared=yes", NULL };
	const char *const other[] = { "reason=emigrate", NULL };
	const char *const none[] = { NULL };

	(void)state;
	assert_true(holds("reason=death", death));
	assert_false(holds("reason=death", other));
	/* a blank answer is "": != holds, = and in do not */
	assert_true(holds("death_shared!=yes", death));
	assert_false(holds("death_shared=no", death));
	assert_false(holds("death_shared in (yes no)", death));
	assert_true(holds("reason=death and death_shared!=yes", death));
	assert_false(holds("reason=death and death_shared!=yes", shared));
	assert_false(holds("reason=death and death_shared!=yes", other));
	assert_true(holds("reason in (emigrate terminate)", other));
	assert_false(holds("reason in (terminate death)", other));
	/* and binds tighter than or */
	assert_true(holds("reason=emigrate or reason=death and death_shared=yes", other));
	assert_true(holds("reason=emigrate or reason=death and death_shared=yes", shared));
	assert_false(holds("reason=emigrate or reason=death and death_shared=yes", death));
	assert_false(holds("reason=death and death_shared=yes or reason=x", death));
	assert_true(holds("x=y or z!=w", none));
	assert_false(holds("x=y or z=w", none));
	/* no condition always holds */
	assert_true(cond_eval(NULL, get_pairs, (void *)none));
}

/* ---- model/catwhen on the shipped forms ------------------------------------ */

/* Answers for d: every field blank but field=value. */
static const char **
answers(const struct cat_def *d, const char *field, const char *value, const char *field2,
    const char *value2)
{
	const char **v = xcalloc(d->nfields + 1, sizeof *v);
	bool found = field == NULL;

	for (size_t i = 0; i < d->nfields; i++) {
		v[i] = "";
		if (field != NULL && strcmp(d->fields[i].id, field) == 0) {
			v[i] = value;
			found = true;
		}
		if (field2 != NULL && strcmp(d->fields[i].id, field2) == 0)
			v[i] = value2;
	}
	assert_true(found);
	return v;
}

static const struct cat_material *
find_mat(const struct cat_def *d, const char *id, const struct cat_item **item)
{
	for (size_t i = 0; i < d->nitems; i++)
		for (size_t j = 0; j < d->items[i].nm; j++)
			if (strcmp(d->items[i].m[j].id, id) == 0) {
				*item = &d->items[i];
				return &d->items[i].m[j];
			}
	fail_msg("no material %s in %s", id, d->code);
	return NULL;
}

static bool
applies(const struct cat_def *d, const char *id, const char **v)
{
	const struct cat_item *it;
	const struct cat_material *m = find_mat(d, id, &it);

	return cat_material_applies(d, it, m, (const char *const *)v);
}

static void
test_chronic_paths(void **state)
{
	const struct cat_def *d = def(T_CHRONIC);
	const char **filing = answers(d, "path", "filing", NULL, NULL);
	const char **adm = answers(d, "path", "admission", NULL, NULL);
	const struct cat_limit *l;
	size_t n = 0;

	(void)state;
	assert_true(cat_def_conditional(d));
	/* 备案: finished at once, no stage, no appraisal materials */
	l = cat_limit_for(d, (const char *const *)filing);
	assert_int_equal(l->kind, CAT_IMMEDIATE);
	for (size_t i = 0; i < d->nstages; i++)
		assert_false(cat_stage_applies(d, &d->stages[i], (const char *const *)filing));
	assert_true(applies(d, "credential", filing));
	assert_true(applies(d, "discharge", filing));
	assert_false(applies(d, "diagnosis", filing));
	assert_false(applies(d, "application", filing));
	/* 准入: 10 working days, the appraisal stages within them */
	l = cat_limit_for(d, (const char *const *)adm);
	assert_int_equal(l->kind, CAT_WORKDAYS);
	assert_int_equal(l->days, 10);
	for (size_t i = 0; i < d->nstages; i++)
		if (cat_stage_applies(d, &d->stages[i], (const char *const *)adm))
			n += (size_t)d->stages[i].days;
	assert_int_equal(n, 10);
	assert_true(applies(d, "diagnosis", adm));
	assert_true(applies(d, "application", adm));
	/* the default is the type's limit (the database's case_type row) */
	assert_int_equal(d->limit_kind, CAT_WORKDAYS);
	assert_int_equal(d->limit_days, 10);
	/* in words: the default first, then the 备案 path's */
	{
		char *text = cat_limits_text(d);

		assert_string_equal(text, "10 working days; where 认定方式 is 备案（可直接认定）: immediate");
		free(text);
	}
	free(filing);
	free(adm);
}

static void
test_orgchange_and_account(void **state)
{
	const struct cat_def *d = def(T_ORGCHG), *a = def(T_ACCOUNT);
	const char **no = answers(d, "onsite", "no", NULL, NULL);
	const char **yes = answers(d, "onsite", "yes", NULL, NULL);
	const char **death = answers(a, "reason", "death", NULL, NULL);
	const char **shared = answers(a, "reason", "death", "death_shared", "yes");
	const char **notshared = answers(a, "reason", "death", "death_shared", "no");
	const char **emigrate = answers(a, "reason", "emigrate", NULL, NULL);
	const char **term = answers(a, "reason", "terminate", NULL, NULL);
	const struct cat_limit *l;
	char *text;

	(void)state;
	assert_int_equal(cat_limit_for(d, (const char *const *)no)->kind, CAT_IMMEDIATE);
	l = cat_limit_for(d, (const char *const *)yes);
	assert_int_equal(l->kind, CAT_WORKDAYS);
	assert_int_equal(l->days, 5);
	assert_int_equal(d->limit_kind, CAT_IMMEDIATE);
	text = cat_limits_text(d);
	assert_non_null(strstr(text, "immediate"));
	assert_non_null(strstr(text, "5 working days"));
	free(text);
	/* the death proof: only for a death not in shared data (blank: not known to be) */
	assert_true(applies(a, "death_cert", death));
	assert_true(applies(a, "death_pledge", notshared));
	assert_false(applies(a, "death_cert", shared));
	assert_false(applies(a, "death_cert", emigrate));
	assert_false(applies(a, "statement", emigrate));
	assert_true(applies(a, "statement", term));
	assert_true(applies(a, "credential", emigrate));
	{
		const struct cat_item *it;
		const struct cat_material *m = find_mat(a, "death_cert", &it);

		text = cat_material_when_text(a, it, m);
		assert_non_null(text);
		assert_non_null(strstr(text, "参保人死亡"));
		free(text);
		m = find_mat(a, "credential", &it);
		assert_null(cat_material_when_text(a, it, m));
	}
	free(no);
	free(yes);
	free(death);
	free(shared);
	free(notshared);
	free(emigrate);
	free(term);
}

/* The printed 办事指南 says which answers each conditional item belongs to. */
static void
test_guide(void **state)
{
	struct mu_value *data = docdata_guide(def(T_CHRONIC), 7, "测试中心", "2026年12月31日");
	char *err = NULL, *doc = document_render("print_templates", "guide", data, 80, &err), *p;

	(void)state;
	if (doc == NULL)
		fail_msg("%s", err);
	/* lines are wrapped at 80 columns: join them again */
	{
		char *o = doc;

		for (const char *q = doc; *q != '\0'; q++) {
			if (*q == '\n') {
				while (q[1] == ' ')
					q++;
				continue;
			}
			*o++ = *q;
		}
		*o = '\0';
	}
	assert_non_null(strstr(doc, "10 working days; where 认定方式 is 备案（可直接认定）: immediate"));
	p = strstr(doc, "疾病诊断证明书");
	assert_non_null(p);
	assert_non_null(strstr(p, "(only where 认定方式 is 准入（需专家鉴定）)"));
	assert_non_null(strstr(doc, "组织专家鉴定 (only where 认定方式 is 准入（需专家鉴定）)"));
	/* an unconditional material says nothing of the kind */
	p = strstr(doc, "门诊病历");
	assert_non_null(p);
	assert_true(strstr(p, "only where") == NULL || strstr(p, "only where") > strstr(p, "疾病诊断证明书"));
	free(doc);
	mu_value_free(&data);
}

/* forms check of conditions on a definition held in memory */
static size_t
check_text(const char *limits, const char *stages, const char *materials, const char *want)
{
	char *xml = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<case-type xmlns=\"urn:yichuang:case-type:1\" code=\"900000000009\" revision=\"1\">"
	    "<name>测试</name><category pinyin=\"cs\">测试</category><pinyin>cs</pinyin>"
	    "<tiers>county</tiers>%s%s<fields>"
	    "<field id=\"path\" type=\"choice\" label=\"方式\"><option value=\"a\">甲</option>"
	    "<option value=\"b\">乙</option></field><field id=\"t\" type=\"text\" label=\"文\"/>"
	    "</fields><materials><material id=\"id\" form=\"shown\" key=\"true\">证件</material>%s"
	    "</materials><proxy allowed=\"false\"/><documents><document template=\"guide\"/></documents>"
	    "<steps><step>受理</step></steps><source>测试</source></case-type>", limits, stages, materials);
	struct cat_diags ds = { 0 };
	struct cat_def *d = cat_parse("t.xml", xml, strlen(xml), &ds);
	size_t n = ds.n;
	bool found = want == NULL;

	for (size_t i = 0; i < ds.n; i++) {
		if (want != NULL && strstr(ds.d[i].message, want) != NULL)
			found = true;
		else
			print_message("t.xml:%d: %s\n", ds.d[i].line, ds.d[i].message);
	}
	assert_true(found);
	assert_true((d == NULL) == (n > 0));
	cat_def_free(&d);
	cat_diags_free(&ds);
	free(xml);
	return n;
}

static void
test_check(void **state)
{
	(void)state;
	/* fine: alternatives before or after the default; stages of one path */
	assert_int_equal(check_text("<limit when=\"path=a\" kind=\"immediate\"/><limit kind=\"workdays\" days=\"5\"/>",
	    "<stages><stage when=\"path!=a\" tier=\"county\" days=\"5\">审</stage></stages>",
	    "<material id=\"x\" form=\"copy\" when=\"path in (b)\">甲</material>", NULL), 0);
	assert_int_equal(check_text("<limit kind=\"workdays\" days=\"5\"/><limit when=\"path=a\" kind=\"months\" months=\"2\"/>",
	    "", "", NULL), 0);
	/* an unknown field, a text field, an unknown value */
	assert_int_equal(check_text("<limit kind=\"immediate\"/>", "",
	    "<material id=\"x\" form=\"copy\" when=\"pth=a\">甲</material>", "which is no field"), 1);
	assert_int_equal(check_text("<limit kind=\"immediate\"/>", "",
	    "<material id=\"x\" form=\"copy\" when=\"t=a\">甲</material>", "not a choice field"), 1);
	assert_int_equal(check_text("<limit kind=\"immediate\"/>", "",
	    "<material id=\"x\" form=\"copy\" when=\"path in (a c)\">甲</material>", "not an option"), 1);
	/* no default limit; two defaults */
	assert_int_equal(check_text("<limit when=\"path=a\" kind=\"immediate\"/>", "", "", "no default limit"), 1);
	assert_int_equal(check_text("<limit kind=\"immediate\"/><limit kind=\"immediate\"/>", "", "",
	    "a second default limit"), 1);
	/* a stage on the immediate path; a path whose stages exceed its limit */
	assert_int_equal(check_text("<limit when=\"path=a\" kind=\"immediate\"/><limit kind=\"workdays\" days=\"5\"/>",
	    "<stages><stage tier=\"county\" days=\"2\">审</stage></stages>", "", "immediate limit"), 1);
	assert_int_equal(check_text("<limit when=\"path=a\" kind=\"workdays\" days=\"3\"/><limit kind=\"workdays\" days=\"9\"/>",
	    "<stages><stage tier=\"county\" days=\"2\">审</stage><stage when=\"path!=b\" tier=\"county\" days=\"2\">复</stage></stages>",
	    "", "add up to 4, more than the limit of 3"), 1);
	/* a syntax error is the schema's */
	assert_true(check_text("<limit kind=\"immediate\"/>", "",
	    "<material id=\"x\" form=\"copy\" when=\"path=a and\">甲</material>", "when") >= 1);
}

/* ---- model/intake ---------------------------------------------------------- */

static size_t
imat(const struct intake *in, const char *id)
{
	for (size_t k = 0; k < in->nmats; k++)
		if (strcmp(in->mats[k].m->id, id) == 0)
			return k;
	fail_msg("no material %s", id);
	return 0;
}

static size_t
ifield(const struct intake *in, const char *id)
{
	for (size_t i = 0; i < in->def->nfields; i++)
		if (strcmp(in->def->fields[i].id, id) == 0)
			return i;
	fail_msg("no field %s", id);
	return 0;
}

static void
test_intake_follows(void **state)
{
	struct intake *in = intake_new(def(T_CHRONIC), 1);
	size_t path = ifield(in, "path"), n;
	const char **ids;

	(void)state;
	intake_set(&in->values[path], "admission");
	assert_true(intake_mat_active(in, imat(in, "diagnosis")));
	assert_int_equal(intake_missing(in).items, 4);
	assert_int_equal(intake_line_no(in, imat(in, "application")), 4);
	assert_true(intake_toggle(in, imat(in, "credential")));
	assert_true(intake_toggle(in, imat(in, "discharge")));
	assert_true(intake_toggle(in, imat(in, "diagnosis")));
	assert_int_equal(intake_missing(in).items, 1);
	ids = intake_missing_ids(in, &n);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], "application");
	free(ids);
	assert_int_equal(intake_outcomes(in) & (IO_ACCEPT | IO_IMMEDIATE | IO_SUPPLEMENT), IO_SUPPLEMENT);
	assert_int_equal(intake_limit(in)->kind, CAT_WORKDAYS);

	/* 备案: the appraisal materials leave the checklist; complete; at once */
	intake_set(&in->values[path], "filing");
	assert_false(intake_mat_active(in, imat(in, "diagnosis")));
	assert_false(intake_toggle(in, imat(in, "application")));
	assert_int_equal(intake_missing(in).items, 0);
	assert_int_equal(intake_outcomes(in) & (IO_ACCEPT | IO_IMMEDIATE), IO_IMMEDIATE);
	ids = intake_seen_ids(in, &n);
	assert_int_equal(n, 2);	/* credential, discharge: not the diagnosis of the other path */
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(ids[i], "diagnosis");
	free(ids);

	/* back to 准入: the diagnosis is still ticked */
	intake_set(&in->values[path], "admission");
	assert_int_equal(in->mats[imat(in, "diagnosis")].st, IM_SEEN);
	assert_int_equal(intake_missing(in).items, 1);
	assert_int_equal(intake_outcomes(in) & (IO_ACCEPT | IO_IMMEDIATE | IO_SUPPLEMENT), IO_SUPPLEMENT);
	intake_free(&in);
}

static void
test_intake_numbers(void **state)
{
	struct intake *in = intake_new(def(T_ACCOUNT), 1);
	size_t reason = ifield(in, "reason");

	(void)state;
	intake_set(&in->values[reason], "terminate");
	/* credential 1, statement 2: the death proof's line is not counted */
	assert_false(intake_mat_active(in, imat(in, "death_cert")));
	assert_int_equal(intake_line_no(in, imat(in, "statement")), 2);
	assert_int_equal(intake_missing(in).items, 2);
	intake_set(&in->values[reason], "death");
	assert_true(intake_mat_active(in, imat(in, "death_cert")));
	assert_true(intake_mat_active(in, imat(in, "death_pledge")));
	assert_false(intake_mat_active(in, imat(in, "statement")));
	assert_int_equal(intake_line_no(in, imat(in, "death_pledge")), 2);
	/* the pledge of a group that applies is taken */
	assert_true(intake_toggle(in, imat(in, "death_pledge")));
	assert_true(intake_pledged(in));
	intake_set(&in->values[ifield(in, "death_shared")], "yes");
	assert_false(intake_pledged(in));
	assert_int_equal(intake_missing(in).items, 1);
	intake_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cond_parse),
		cmocka_unit_test(test_cond_bad),
		cmocka_unit_test(test_cond_eval),
		cmocka_unit_test(test_chronic_paths),
		cmocka_unit_test(test_orgchange_and_account),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_guide),
		cmocka_unit_test(test_intake_follows),
		cmocka_unit_test(test_intake_numbers),
	};

	return cmocka_run_group_tests_name("when", tests, setup, teardown);
}
