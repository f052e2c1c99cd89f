/*
 * Unit tests for model/sms: the text-message templates of
 * print_templates/sms/ and the check `db migrate` runs before loading them
 * (only {{name}} variables of the kind and its one section; one line, the
 * signature; the longest message at most 70 characters, every variable at
 * its declared maximum), and the catalogue's cap on the names they carry.
 *
 * Run from the repository root (tests/run.sh does): reads print_templates/sms/,
 * forms/ and writes temporary directories under /tmp. No message catalogue
 * is loaded, so every message is the English msgid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "model/catalogue.h"
#include "model/sms.h"
#include "model/text.h"
#include "util/xalloc.h"

#define SHIPPED "print_templates/sms"

/* ---- helpers ------------------------------------------------------------ */

/* Checks text as a template of kind; the diagnostics as "line: message"
 * lines (malloc'd, "" when it passed), *longest when it passed. */
static char *
check(const char *kind, const char *text, int *longest)
{
	struct cat_diags ds = { 0 };
	const struct sms_kind *k = sms_kind_find(kind);
	char *body = NULL, *out = xstrdup(""), *next;
	int n = -1;
	bool ok;

	assert_non_null(k);
	ok = sms_check("t.mustache", k, text, strlen(text), &ds, &body, &n);
	assert_true(ok == (ds.n == 0));
	assert_true(ok == (body != NULL));
	for (size_t i = 0; i < ds.n; i++) {
		assert_string_equal(ds.d[i].file, "t.mustache");
		next = xasprintf("%s%d: %s\n", out, ds.d[i].line, ds.d[i].message);
		free(out);
		out = next;
	}
	if (longest != NULL)
		*longest = n;
	free(body);
	cat_diags_free(&ds);
	return out;
}

/* Fails unless text of kind is refused at line with a message containing sub. */
static void
refused(const char *kind, const char *text, int line, const char *sub)
{
	char *d = check(kind, text, NULL), want[32];

	snprintf(want, sizeof want, "%d: ", line);
	if (strncmp(d, want, strlen(want)) != 0 || strstr(d, sub) == NULL)
		fail_msg("%s template \"%s\": want line %d \"%s\", got \"%s\"", kind, text, line, sub, d);
	free(d);
}

static void
passes(const char *kind, const char *text, int longest)
{
	int n;
	char *d = check(kind, text, &n);

	if (*d != '\0')
		fail_msg("%s template \"%s\" refused: %s", kind, text, d);
	assert_int_equal(n, longest);
	free(d);
}

static char tmpdir[64];

/* A copy of the shipped templates in a fresh directory. */
static int
copy_shipped(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/yc-sms-unit.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	for (const struct sms_kind *k = sms_kinds; k->name != NULL; k++) {
		char src[256], dst[256], buf[4096];
		FILE *in, *out;
		size_t n;

		snprintf(src, sizeof src, SHIPPED "/%s.mustache", k->name);
		snprintf(dst, sizeof dst, "%s/%s.mustache", tmpdir, k->name);
		in = fopen(src, "rb");
		out = fopen(dst, "wb");
		if (in == NULL || out == NULL)
			return -1;
		n = fread(buf, 1, sizeof buf, in);
		fwrite(buf, 1, n, out);
		fclose(in);
		fclose(out);
	}
	return 0;
}

static int
remove_copy(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The diagnostics of loading tmpdir, as "file:line: message" lines. */
static char *
load_copy(bool *loaded)
{
	struct cat_diags ds = { 0 };
	struct sms_set *set = sms_load_dir(tmpdir, &ds);
	char *out = xstrdup(""), *next;

	*loaded = set != NULL;
	for (size_t i = 0; i < ds.n; i++) {
		const char *file = ds.d[i].file;

		if (strncmp(file, tmpdir, strlen(tmpdir)) == 0)
			file += strlen(tmpdir) + 1;
		next = xasprintf("%s%s:%d: %s\n", out, file, ds.d[i].line, ds.d[i].message);
		free(out);
		out = next;
	}
	sms_set_free(&set);
	cat_diags_free(&ds);
	return out;
}

/* ---- the shipped templates ---------------------------------------------- */

static void
test_shipped(void **state)
{
	struct cat_diags ds = { 0 };
	struct sms_set *set = sms_load_dir(SHIPPED, &ds);
	size_t nkinds = 0;

	(void)state;
	for (size_t i = 0; i < ds.n; i++)
		print_error("%s:%d: %s\n", ds.d[i].file, ds.d[i].line, ds.d[i].message);
	assert_int_equal(ds.n, 0);
	assert_non_null(set);
	while (sms_kinds[nkinds].name != NULL)
		nkinds++;
	assert_int_equal(nkinds, 12);
	assert_int_equal(set->n, nkinds);
	for (size_t i = 0; i < set->n; i++) {
		assert_ptr_equal(set->t[i].kind, &sms_kinds[i]);
		assert_true(set->t[i].longest <= SMS_MAX_CHARS);
		assert_true(strncmp(set->t[i].body, SMS_SIGNATURE, strlen(SMS_SIGNATURE)) == 0);
		/* the body is the line without its line break */
		assert_null(strchr(set->t[i].body, '\n'));
		assert_non_null(strchr(set->t[i].text, '\n'));
	}
	/* 受理, counted by hand: 23 characters of text, item 16, case number
	 * 24, promised date 11 (2026年11月23日) */
	assert_string_equal(set->t[0].body, "【医保】您的{{item}}已受理，编号{{case_no}}，承诺{{promised}}前办结。");
	assert_int_equal(set->t[0].longest, 4 + 2 + 16 + 4 + 2 + 24 + 1 + 2 + 11 + 4);
	/* 办结 with the bank-card sentence in: 30 + result 20 + 19 */
	assert_string_equal(set->t[5].kind->name, "finished");
	assert_int_equal(set->t[5].longest, 69);
	sms_set_free(&set);
	assert_null(set);
	cat_diags_free(&ds);
}

static void
test_kinds_and_vars(void **state)
{
	char *json;

	(void)state;
	assert_null(sms_kind_find("rejected"));
	assert_null(sms_kind_find(NULL));
	assert_string_equal(sms_kind_find("finished")->section, "pays");
	assert_null(sms_kind_find("accepted")->section);
	assert_int_equal(sms_var_max("item"), CAT_SMS_NAME_MAX);
	assert_int_equal(sms_var_max("case_no"), 24);
	assert_int_equal(sms_var_max("notice_no"), 25);
	assert_int_equal(sms_var_max("nope"), -1);
	assert_true(sms_kind_has(sms_kind_find("terminated"), "reason"));
	assert_true(sms_kind_has(sms_kind_find("terminated"), "case_no"));
	assert_false(sms_kind_has(sms_kind_find("accepted"), "result"));
	json = sms_vars_json(sms_kind_find("accepted"));
	assert_string_equal(json, "{\"item\":16,\"case_no\":24,\"date\":11,\"promised\":11}");
	free(json);
	json = sms_vars_json(sms_kind_find("finished_now"));
	assert_string_equal(json, "{\"item\":16,\"case_no\":24,\"date\":11}");
	free(json);
}

/* ---- the check ------------------------------------------------------------ */

static void
test_length(void **state)
{
	(void)state;
	/* 70 is one SMS; "办件编号" instead of "编号" makes the 受理 text 72 */
	passes("accepted", "【医保】您的{{item}}已受理，编号{{case_no}}，承诺{{promised}}前办结。\n", 70);
	refused("accepted", "【医保】您的{{item}}已受理，办件编号{{case_no}}，承诺{{promised}}前办结。\n", 1,
	    "the longest message is 72 characters");
	/* characters, not bytes: these 70 characters are 210 bytes */
	{
		char text[400] = SMS_SIGNATURE;

		for (int i = 0; i < 66; i++)
			strcat(text, "字");
		assert_int_equal(strlen(text), 4 * 3 + 66 * 3);
		passes("withdrawn", text, 70);
		strcat(text, "字");
		refused("withdrawn", text, 1, "the longest message is 71 characters");
	}
	/* the section counts in */
	passes("finished", "【医保】{{result}}", 24);
	passes("finished", "【医保】{{result}}{{#pays}}{{card}}{{/pays}}", 30);
	refused("finished", "【医保】您的{{item}}已办结，结果：{{result}}。{{#pays}}应付款项将转入您{{card}}的银行卡，"
	    "请留意到账。{{/pays}}", 1, "the longest message is 75 characters");
	/* spaces inside the braces are the same variable */
	passes("accepted", "【医保】{{ item }}", 20);
	/* a final CRLF is allowed too */
	passes("accepted", "【医保】{{item}}\r\n", 20);
	passes("accepted", "【医保】", 4);
}

static void
test_unknown_variable(void **state)
{
	(void)state;
	refused("accepted", "【医保】{{name}}，您的{{item}}已受理。\n", 1,
	    "unknown variable {{name}}: accepted messages know item, case_no, date, promised");
	/* a variable of another kind */
	refused("accepted", "【医保】结果：{{result}}\n", 1, "unknown variable {{result}}");
	refused("withdrawn", "【医保】{{Item}}\n", 1, "tag {{Item}} is not allowed");
	/* a section name is no variable */
	refused("finished", "【医保】{{pays}}\n", 1, "unknown variable {{pays}}");
}

static void
test_unknown_tags(void **state)
{
	static const char *const tags[] = {
		"【医保】{{{item}}}", "【医保】{{&item}}", "【医保】{{^pays}}x{{/pays}}",
		"【医保】{{! a comment }}", "【医保】{{> header}}", "【医保】{{=<% %>=}}",
		"【医保】{{}}", "【医保】{{item.name}}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		refused("finished", tags[i], 1, "is not allowed: a text message uses only {{name}} variables");
	refused("finished", "【医保】您的{{item", 1, "unclosed tag");
}

static void
test_sections(void **state)
{
	(void)state;
	refused("accepted", "【医保】{{#pays}}款项{{/pays}}", 1,
	    "section {{#pays}} is not allowed: accepted messages have no section");
	refused("finished", "【医保】{{#item}}x{{/item}}", 1,
	    "section {{#item}} is not allowed: finished messages have only {{#pays}}");
	refused("finished", "【医保】{{#pays}}{{#pays}}x{{/pays}}{{/pays}}", 1, "sections do not nest");
	refused("finished", "【医保】{{#pays}}款项", 1, "section {{#pays}} is not closed");
	refused("finished", "【医保】款项{{/pays}}", 1, "{{/pays}} closes no open section");
	passes("finished", "【医保】{{#pays}}甲{{/pays}}乙{{#pays}}丙{{/pays}}", 7);
}

static void
test_one_line_and_signature(void **state)
{
	(void)state;
	refused("accepted", "【医保】您的{{item}}已受理\n编号{{case_no}}\n", 2, "one line");
	/* an error in a later line names that line */
	refused("accepted", "【医保】您的\n{{item}}\n{{nope}}", 2, "one line");
	{
		char *d = check("accepted", "【医保】\n\n{{nope}}\n", NULL);

		assert_non_null(strstr(d, "2: a text message is one line"));
		assert_non_null(strstr(d, "3: unknown variable {{nope}}"));
		free(d);
	}
	refused("accepted", "【医保】\t{{item}}", 1, "control character U+0009");
	refused("accepted", "您的{{item}}已受理。", 1, "begins with the signature 【医保】");
	refused("accepted", "", 1, "begins with the signature");
	refused("accepted", "【医保】\xe5\xad", 1, "not valid UTF-8");
}

/* ---- the directory -------------------------------------------------------- */

static void
test_dir_shipped_copy(void **state)
{
	bool loaded;
	char *d;

	(void)state;
	d = load_copy(&loaded);
	assert_string_equal(d, "");
	assert_true(loaded);
	free(d);
	/* a README or another file beside them is no template */
	write_file("README.md", "# notes\n");
	d = load_copy(&loaded);
	assert_string_equal(d, "");
	assert_true(loaded);
	free(d);
}

static void
test_dir_refused(void **state)
{
	bool loaded;
	char *d, path[256];

	(void)state;
	/* one bad template: the set is refused, with its file and line */
	write_file("terminated.mustache", "【医保】您的{{item}}已终止办理。\n{{nope}}\n");
	d = load_copy(&loaded);
	assert_false(loaded);
	assert_non_null(strstr(d, "terminated.mustache:2: a text message is one line"));
	assert_non_null(strstr(d, "terminated.mustache:2: unknown variable {{nope}}"));
	free(d);
	write_file("terminated.mustache", "【医保】您的{{item}}已终止办理，原因：{{reason}}。\n");
	/* a file of no kind */
	write_file("rejected.mustache", "【医保】不予受理。\n");
	d = load_copy(&loaded);
	assert_false(loaded);
	assert_string_equal(d, "rejected.mustache:0: no text message is called \"rejected\" (the kinds: "
	    "accepted, supplement, deferred, deferred_reminder, finished_now, finished, terminated, "
	    "withdrawn, appointment_booked, appointment_changed, appointment_cancelled, proactive)\n");
	free(d);
	snprintf(path, sizeof path, "%s/rejected.mustache", tmpdir);
	assert_int_equal(unlink(path), 0);
	/* a kind without its file */
	snprintf(path, sizeof path, "%s/withdrawn.mustache", tmpdir);
	assert_int_equal(unlink(path), 0);
	d = load_copy(&loaded);
	assert_false(loaded);
	assert_string_equal(d, "withdrawn.mustache:0: missing: every kind of text message needs its template\n");
	free(d);
	/* no directory at all */
	{
		struct cat_diags ds = { 0 };

		assert_null(sms_load_dir("/nonexistent/yc-sms", &ds));
		assert_true(ds.n >= 1);
		assert_non_null(strstr(ds.d[0].message, "cannot open the directory"));
		cat_diags_free(&ds);
	}
}

/* ---- the catalogue's cap -------------------------------------------------- */

static void
test_catalogue_names(void **state)
{
	struct cat_diags ds = { 0 };
	struct catalogue *cat;

	(void)state;
	assert_true(cat_schema_load("forms/case-type.rng", &ds));
	cat = cat_load_dir("forms", &ds);
	for (size_t i = 0; i < ds.n; i++)
		print_error("%s:%d: %s\n", ds.d[i].file, ds.d[i].line, ds.d[i].message);
	assert_int_equal(ds.n, 0);
	assert_int_equal(cat->n, 37);
	/* every shipped name fits a message: three by their short name */
	size_t shorts = 0;
	for (size_t i = 0; i < cat->n; i++) {
		const struct cat_def *d = cat->defs[i];

		assert_true(text_chars(cat_sms_name(d)) <= CAT_SMS_NAME_MAX);
		if (d->sms_name != NULL) {
			shorts++;
			assert_true(text_chars(d->name) > CAT_SMS_NAME_MAX);
		} else {
			assert_ptr_equal(cat_sms_name(d), d->name);
		}
		if (strcmp(d->code, "002036008001") == 0)
			assert_string_equal(cat_sms_name(d), "救助对象参保个人缴费补贴");
		if (strcmp(d->code, "002036006001") == 0)
			assert_string_equal(cat_sms_name(d), "门诊费用报销");
	}
	assert_int_equal(shorts, 3);
	cat_free(&cat);
	cat_schema_free();
	cat_diags_free(&ds);
	assert_int_equal(text_chars("【医保】a"), 5);
	assert_int_equal(text_chars(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_kinds_and_vars),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_unknown_variable),
		cmocka_unit_test(test_unknown_tags),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_one_line_and_signature),
		cmocka_unit_test_setup_teardown(test_dir_shipped_copy, copy_shipped, remove_copy),
		cmocka_unit_test_setup_teardown(test_dir_refused, copy_shipped, remove_copy),
		cmocka_unit_test(test_catalogue_names),
	};
	int rc = cmocka_run_group_tests_name("sms", tests, NULL, NULL);

	xmlCleanupParser();
	return rc;
}
