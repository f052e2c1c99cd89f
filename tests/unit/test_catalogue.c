/*
 * Unit tests for model/catalogue: the 事项 definitions in forms/ (one XML file per case type).
 *
 * Run from the repository root (tests/run.sh does): reads
 * forms/002036006001.xml, forms/case-type.rng and tests/forms-bad/; the
 * 承诺制 of the 异地就医备案 items and the tiers of the 高频事项 (荆医保发
 * 〔2023〕18号 item 19) from their own files.
 * No message catalogue is loaded, so every message is the English msgid.
 * The whole of forms/ is deliberately not validated here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "model/catalogue.h"
#include "util/xalloc.h"

#define SCHEMA "forms/case-type.rng"
#define EXAMPLE "forms/002036006001.xml"
#define BAD_DIR "tests/forms-bad"

/* ---- helpers ------------------------------------------------------------ */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		fail_msg("cannot open %s", path);
	do {
		cap = cap ? 2 * cap : 65536;
		buf = xrealloc(buf, cap + 1);
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (n == cap);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
copy_file(const char *from, const char *to)
{
	size_t len;
	char *buf = slurp(from, &len);

	write_file(to, buf, len);
	free(buf);
}

static char *
make_tmpdir(void)
{
	char *dir = xstrdup("/tmp/yc-cat.XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_tree(char **dir)
{
	nftw(*dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	XFREE(dir);
}

static void
print_diags(const struct cat_diags *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		print_message("  %s:%d: %s\n", ds->d[i].file, ds->d[i].line, ds->d[i].message);
}

/* Asserts that ds->d[i] is at file:line and its message contains sub. */
static void
assert_diag(const struct cat_diags *ds, size_t i, const char *file, int line, const char *sub)
{
	if (i >= ds->n || strcmp(ds->d[i].file, file) != 0 || ds->d[i].line != line ||
	    !strstr(ds->d[i].message, sub)) {
		print_message("expected diagnostic %zu: %s:%d: ...%s...\ngot:\n", i, file, line, sub);
		print_diags(ds);
		fail();
	}
}

/* Copy of s with its first occurrence of from replaced by to. */
static char *
replaced(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);

	assert_non_null(at);
	return xasprintf("%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

static struct cat_def *
parse_str(const char *name, const char *xml, struct cat_diags *ds)
{
	return cat_parse(name, xml, strlen(xml), ds);
}

/* A valid definition: months limit, any-of group, choice field with a
 * pattern-checked text field, no stages, no proxy, no standard. */
static const char months_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<case-type xmlns=\"urn:yichuang:case-type:1\" code=\"900000000010\" revision=\"3\" local=\"true\">\n"
	"  <name>  定点医药机构评估  </name>\n"
	"  <category pinyin=\"ddgl\">定点管理</category>\n"
	"  <pinyin>ddyyjgpg</pinyin>\n"
	"  <tiers>\n    county\n  </tiers>\n"
	"  <limit kind=\"months\" months=\"3\"/>\n"
	"  <fields>\n"
	"    <field id=\"kind\" type=\"choice\" label=\"机构类型\" required=\"1\">\n"
	"      <option value=\"hospital\">医疗机构</option>\n"
	"      <option value=\"pharmacy\">零售药店</option>\n"
	"    </field>\n"
	"    <field id=\"licence\" type=\"text\" label=\"许可证号\" min-length=\"6\" max-length=\"20\" pattern=\"[A-Z0-9]{6,20}\"/>\n"
	"  </fields>\n"
	"  <materials>\n"
	"    <material id=\"application\" form=\"original\">申请表</material>\n"
	"    <any-of id=\"licence_doc\" note=\"具备一项即可\">\n"
	"      <material id=\"practice\" form=\"copy\" defer-days=\"5\" note=\"加盖公章\">执业许可证</material>\n"
	"      <material id=\"business\" form=\"copy\">营业执照</material>\n"
	"    </any-of>\n"
	"  </materials>\n"
	"  <proxy allowed=\"false\"/>\n"
	"  <documents><document template=\"guide\"/><document template=\"receipt\"/></documents>\n"
	"  <steps><step>受理</step><step>评估</step></steps>\n"
	"  <source>测试 &amp; 示例</source>\n"
	"</case-type>\n";

static void
assert_str_or_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_material_equal(const struct cat_material *a, const struct cat_material *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->name, b->name);
	assert_str_or_null(a->note, b->note);
	assert_int_equal(a->form, b->form);
	assert_int_equal(a->key, b->key);
	assert_int_equal(a->defer_days, b->defer_days);
	assert_int_equal(a->pledge, b->pledge);
	assert_int_equal(a->line, b->line);
}

/* Every member of two definitions is equal (file aside). */
static void
assert_def_equal(const struct cat_def *a, const struct cat_def *b)
{
	size_t i, j;

	assert_string_equal(a->code, b->code);
	assert_int_equal(a->revision, b->revision);
	assert_int_equal(a->local, b->local);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->category, b->category);
	assert_string_equal(a->category_pinyin, b->category_pinyin);
	assert_string_equal(a->pinyin, b->pinyin);
	assert_int_equal(a->tiers, b->tiers);
	assert_int_equal(a->limit_kind, b->limit_kind);
	assert_int_equal(a->limit_days, b->limit_days);
	assert_int_equal(a->special_days, b->special_days);
	assert_int_equal(a->limit_months, b->limit_months);
	assert_int_equal(a->nstages, b->nstages);
	for (i = 0; i < a->nstages; i++) {
		assert_string_equal(a->stages[i].name, b->stages[i].name);
		assert_int_equal(a->stages[i].tier, b->stages[i].tier);
		assert_int_equal(a->stages[i].days, b->stages[i].days);
		assert_int_equal(a->stages[i].line, b->stages[i].line);
	}
	assert_int_equal(a->nfields, b->nfields);
	for (i = 0; i < a->nfields; i++) {
		const struct cat_field *f = &a->fields[i], *g = &b->fields[i];

		assert_string_equal(f->id, g->id);
		assert_string_equal(f->label, g->label);
		assert_str_or_null(f->help, g->help);
		assert_str_or_null(f->pattern, g->pattern);
		assert_int_equal(f->type, g->type);
		assert_int_equal(f->required, g->required);
		assert_int_equal(f->min_len, g->min_len);
		assert_int_equal(f->max_len, g->max_len);
		assert_int_equal(f->line, g->line);
		assert_int_equal(f->nopts, g->nopts);
		for (j = 0; j < f->nopts; j++) {
			assert_string_equal(f->opts[j].value, g->opts[j].value);
			assert_string_equal(f->opts[j].label, g->opts[j].label);
		}
	}
	assert_int_equal(a->nitems, b->nitems);
	for (i = 0; i < a->nitems; i++) {
		assert_int_equal(a->items[i].any_of, b->items[i].any_of);
		assert_str_or_null(a->items[i].group_id, b->items[i].group_id);
		assert_str_or_null(a->items[i].note, b->items[i].note);
		assert_int_equal(a->items[i].line, b->items[i].line);
		assert_int_equal(a->items[i].nm, b->items[i].nm);
		for (j = 0; j < a->items[i].nm; j++)
			assert_material_equal(&a->items[i].m[j], &b->items[i].m[j]);
	}
	assert_int_equal(a->proxy_allowed, b->proxy_allowed);
	assert_int_equal(a->nproxy, b->nproxy);
	for (i = 0; i < a->nproxy; i++)
		assert_material_equal(&a->proxy[i], &b->proxy[i]);
	assert_int_equal(a->ndocuments, b->ndocuments);
	for (i = 0; i < a->ndocuments; i++)
		assert_string_equal(a->documents[i], b->documents[i]);
	assert_int_equal(a->nsteps, b->nsteps);
	for (i = 0; i < a->nsteps; i++)
		assert_string_equal(a->steps[i], b->steps[i]);
	assert_str_or_null(a->standard, b->standard);
	assert_string_equal(a->source, b->source);
	assert_string_equal(a->xml, b->xml);
}

/* ---- fixtures ----------------------------------------------------------- */

static int
load_schema(void **state)
{
	struct cat_diags ds = { 0 };

	(void)state;
	if (!cat_schema_load(SCHEMA, &ds)) {
		print_diags(&ds);
		cat_diags_free(&ds);
		return -1;
	}
	cat_diags_free(&ds);
	return 0;
}

static int
free_schema(void **state)
{
	(void)state;
	cat_schema_free();
	return 0;
}

/* ---- the example -------------------------------------------------------- */

static void
test_example(void **state)
{
	struct cat_diags ds = { 0 };
	size_t len;
	char *xml = slurp(EXAMPLE, &len);
	struct cat_def *d;
	const char *docs[] = { "guide", "supplement-notice", "acceptance-notice",
			       "deferred-notice", "commitment", "rejection-notice",
			       "completion-notice" };
	size_t i;

	(void)state;
	d = cat_parse(EXAMPLE, xml, len, &ds);
	print_diags(&ds);
	assert_int_equal(ds.n, 0);
	assert_non_null(d);
	assert_string_equal(d->file, EXAMPLE);
	assert_string_equal(d->code, "002036006001");
	assert_int_equal(d->revision, 5);
	assert_false(d->local);
	assert_string_equal(d->name, "门诊费用报销");
	/* the reasons the counter offers, and what no refusal may give */
	assert_int_equal(d->nrefusals, 2);
	assert_string_equal(d->refusals[0], "不属于本统筹区参保人员");
	assert_int_equal(d->nforbidden, 3);
	assert_string_equal(d->forbidden[0], "超过申报时限");
	assert_string_equal(d->category, "零星报销");
	assert_string_equal(d->category_pinyin, "lxbx");
	assert_string_equal(d->pinyin, "mzfybx");
	assert_int_equal(d->tiers, CAT_PREFECTURE | CAT_COUNTY | CAT_TOWNSHIP | CAT_VILLAGE);
	assert_int_equal(d->limit_kind, CAT_WORKDAYS);
	assert_int_equal(d->limit_days, 30);
	assert_int_equal(d->special_days, 40);

	assert_int_equal(d->nstages, 3);
	assert_int_equal(d->stages[0].days, 20);
	assert_int_equal(d->stages[1].days, 5);
	assert_int_equal(d->stages[2].days, 5);
	assert_int_equal(d->stages[0].tier, CAT_TOWNSHIP);
	assert_int_equal(d->stages[1].tier, CAT_COUNTY);
	assert_int_equal(d->stages[2].tier, CAT_COUNTY);
	assert_string_equal(d->stages[0].name, "乡镇（街道）初审");
	assert_int_equal(d->stages[0].line, 9);
	assert_int_equal(d->stages[2].line, 11);

	assert_int_equal(d->nfields, 6);
	assert_string_equal(d->fields[0].id, "id_no");
	assert_int_equal(d->fields[0].type, CAT_IDNO);
	assert_true(d->fields[0].required);
	assert_null(d->fields[0].help);
	assert_string_equal(d->fields[1].help, "用于告知办理进度");
	assert_int_equal(d->fields[1].type, CAT_PHONE);
	assert_int_equal(d->fields[2].type, CAT_MONEY);
	assert_int_equal(d->fields[3].type, CAT_DATE);
	assert_int_equal(d->fields[4].type, CAT_BANKCARD);
	assert_int_equal(d->fields[5].type, CAT_CHOICE);
	assert_int_equal(d->fields[5].nopts, 3);
	assert_string_equal(d->fields[5].opts[0].value, "offsite");
	assert_string_equal(d->fields[5].opts[2].label, "其他原因");
	assert_int_equal(d->fields[5].line, 19);

	assert_int_equal(d->nitems, 4);
	for (i = 0; i < 4; i++) {
		assert_false(d->items[i].any_of);
		assert_int_equal(d->items[i].nm, 1);
		assert_null(d->items[i].group_id);
	}
	assert_string_equal(d->items[0].m->id, "credential");
	assert_int_equal(d->items[0].m->form, CAT_SHOWN);
	assert_true(d->items[0].m->key);
	assert_int_equal(d->items[0].m->defer_days, 0);
	assert_int_equal(d->items[1].m->form, CAT_ORIGINAL);
	assert_false(d->items[1].m->key);
	assert_string_equal(d->items[2].m->name, "费用清单");
	assert_string_equal(d->items[2].m->note, "加盖医院公章");
	assert_null(d->items[1].m->note);
	assert_string_equal(d->items[3].m->id, "chronic_cert");
	assert_int_equal(d->items[3].m->form, CAT_COPY);
	assert_int_equal(d->items[3].m->defer_days, 10);
	assert_int_equal(d->items[3].line, 29);
	assert_int_equal(d->items[3].m->line, 29);

	assert_true(d->proxy_allowed);
	assert_int_equal(d->nproxy, 3);
	assert_string_equal(d->proxy[2].id, "authorization");
	assert_int_equal(d->proxy[2].form, CAT_ORIGINAL);
	assert_true(d->proxy[2].key);

	assert_int_equal(d->ndocuments, 7);
	for (i = 0; i < 7; i++)
		assert_string_equal(d->documents[i], docs[i]);
	assert_int_equal(d->nsteps, 6);
	assert_string_equal(d->steps[5], "大病保险、医疗救助等同步一站式完成。");
	assert_string_equal(d->standard, "不超过30个工作日办结；材料不全一次性告知到位。");
	assert_string_equal(d->source, "丰府办明〔2022〕12号 附件1 第10项、附件2 第8项；洪医保发〔2022〕83号 第（十七）项；"
	    "延期参照国家医保经办政务服务事项清单第19项（10个工作日，特殊情况不超过20个工作日：可再延长10个工作日）");
	assert_int_equal(strlen(d->xml), len);
	assert_memory_equal(d->xml, xml, len);

	cat_def_free(&d);
	assert_null(d);
	cat_def_free(&d);	/* harmless twice */
	free(xml);
	cat_diags_free(&ds);
}

/* The input need not be NUL-terminated: an exact-size heap copy lets ASan
 * catch any read past the end. */
static void
test_not_terminated(void **state)
{
	struct cat_diags ds = { 0 };
	size_t len = strlen(months_xml);
	char *exact = xmalloc(len);
	struct cat_def *d;

	(void)state;
	memcpy(exact, months_xml, len);
	d = cat_parse("exact.xml", exact, len, &ds);
	print_diags(&ds);
	assert_non_null(d);
	assert_string_equal(d->xml, months_xml);
	cat_def_free(&d);
	/* a truncated copy is simply malformed */
	d = cat_parse("cut.xml", exact, len / 2, &ds);
	assert_null(d);
	assert_true(ds.n >= 1);
	assert_string_equal(ds.d[0].file, "cut.xml");
	assert_true(ds.d[0].line > 0);
	free(exact);
	cat_diags_free(&ds);
}

static void
test_other_shapes(void **state)
{
	struct cat_diags ds = { 0 };
	struct cat_def *d;
	char *xml;

	(void)state;
	d = parse_str("months.xml", months_xml, &ds);
	print_diags(&ds);
	assert_non_null(d);
	assert_string_equal(d->code, "900000000010");
	assert_int_equal(d->revision, 3);
	assert_true(d->local);
	assert_string_equal(d->name, "定点医药机构评估");	/* trimmed */
	assert_int_equal(d->tiers, CAT_COUNTY);
	assert_int_equal(d->limit_kind, CAT_MONTHS);
	assert_int_equal(d->limit_months, 3);
	assert_int_equal(d->nstages, 0);
	assert_null(d->stages);
	assert_int_equal(d->nfields, 2);
	assert_true(d->fields[0].required);	/* XSD "1" */
	assert_int_equal(d->fields[1].min_len, 6);
	assert_int_equal(d->fields[1].max_len, 20);
	assert_string_equal(d->fields[1].pattern, "[A-Z0-9]{6,20}");
	assert_int_equal(d->fields[1].nopts, 0);
	assert_int_equal(d->nitems, 2);
	assert_false(d->items[0].any_of);
	assert_true(d->items[1].any_of);
	assert_string_equal(d->items[1].group_id, "licence_doc");
	assert_string_equal(d->items[1].note, "具备一项即可");
	assert_int_equal(d->items[1].line, 19);
	assert_int_equal(d->items[1].nm, 2);
	assert_string_equal(d->items[1].m[0].id, "practice");
	assert_int_equal(d->items[1].m[0].defer_days, 5);
	assert_string_equal(d->items[1].m[0].note, "加盖公章");
	assert_int_equal(d->items[1].m[1].line, 21);
	assert_false(d->proxy_allowed);
	assert_int_equal(d->nproxy, 0);
	assert_int_equal(d->ndocuments, 2);
	assert_int_equal(d->nsteps, 2);
	assert_null(d->standard);
	assert_string_equal(d->source, "测试 & 示例");
	cat_def_free(&d);

	/* workdays with a special limit; immediate */
	xml = replaced(months_xml, "<limit kind=\"months\" months=\"3\"/>",
		       "<limit kind=\"workdays\" days=\"10\" special-days=\"20\"/>");
	d = parse_str("special.xml", xml, &ds);
	print_diags(&ds);
	assert_non_null(d);
	assert_int_equal(d->limit_kind, CAT_WORKDAYS);
	assert_int_equal(d->limit_days, 10);
	assert_int_equal(d->special_days, 20);
	cat_def_free(&d);
	free(xml);
	assert_int_equal(ds.n, 0);
	cat_diags_free(&ds);
}

/* ---- the bad examples --------------------------------------------------- */

struct expect {
	char *file;		/* relative to BAD_DIR */
	int line;
	char *sub;
	bool seen;
};

static struct expect *
read_expected(size_t *n)
{
	size_t len;
	char *text = slurp(BAD_DIR "/EXPECTED", &len), *line, *save = NULL;
	struct expect *ex = NULL;

	*n = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon, *end;
		long l;

		if (line[0] == '#' || line[0] == '\0')
			continue;
		colon = strchr(line, ':');
		if (!colon)
			fail_msg("EXPECTED: no file in \"%s\"", line);
		l = strtol(colon + 1, &end, 10);
		if (end == colon + 1 || strncmp(end, ": ", 2) != 0 || end[2] == '\0')
			fail_msg("EXPECTED: want FILE:LINE: TEXT, got \"%s\"", line);
		ex = xreallocarray(ex, *n + 1, sizeof *ex);
		ex[*n].file = xstrndup(line, (size_t)(colon - line));
		ex[*n].line = (int)l;
		ex[*n].sub = xstrdup(end + 2);
		ex[*n].seen = false;
		(*n)++;
	}
	free(text);
	return ex;
}

static bool
expected_for(const struct expect *ex, size_t n, const char *rel, bool dir)
{
	size_t l = strlen(rel);

	for (size_t i = 0; i < n; i++)
		if (dir ? strncmp(ex[i].file, rel, l) == 0 && ex[i].file[l] == '/'
			: strcmp(ex[i].file, rel) == 0)
			return true;
	return false;
}

static void
test_forms_bad(void **state)
{
	struct cat_diags ds = { 0 };
	size_t nex, i, k, problems = 0, nfiles = 0;
	struct expect *ex = read_expected(&nex);
	const char *prefix = BAD_DIR "/";
	struct dirent **ents;
	int nents;

	(void)state;
	nents = scandir(BAD_DIR, &ents, NULL, alphasort);
	assert_true(nents > 0);
	for (int e = 0; e < nents; e++) {
		const char *name = ents[e]->d_name;
		char *path = xasprintf("%s%s", prefix, name);
		struct stat st;
		size_t l = strlen(name);

		assert_int_equal(stat(path, &st), 0);
		if (name[0] == '.') {
			/* skip */
		} else if (S_ISDIR(st.st_mode)) {
			struct catalogue *cat = cat_load_dir(path, &ds);

			assert_non_null(cat);
			cat_free(&cat);
			if (!expected_for(ex, nex, name, true)) {
				print_message("no expectation for directory %s\n", name);
				problems++;
			}
			nfiles++;
		} else if (l > 4 && strcmp(name + l - 4, ".xml") == 0) {
			size_t len;
			char *xml = slurp(path, &len);
			size_t before = ds.n;
			struct cat_def *d = cat_parse(path, xml, len, &ds);

			if (d || ds.n == before) {
				print_message("%s was accepted\n", name);
				problems++;
			}
			cat_def_free(&d);
			free(xml);
			if (!expected_for(ex, nex, name, false)) {
				print_message("no expectation for %s\n", name);
				problems++;
			}
			nfiles++;
		}
		free(path);
		free(ents[e]);
	}
	free(ents);
	assert_true(nfiles >= 20);

	/* Each diagnostic must match one distinct expectation. */
	for (i = 0; i < ds.n; i++) {
		const char *file = ds.d[i].file;

		if (strncmp(file, prefix, strlen(prefix)) == 0)
			file += strlen(prefix);
		for (k = 0; k < nex; k++)
			if (!ex[k].seen && strcmp(ex[k].file, file) == 0 &&
			    ex[k].line == ds.d[i].line && strstr(ds.d[i].message, ex[k].sub))
				break;
		if (k < nex) {
			ex[k].seen = true;
		} else {
			print_message("unexpected: %s:%d: %s\n", file, ds.d[i].line, ds.d[i].message);
			problems++;
		}
	}
	for (k = 0; k < nex; k++) {
		if (!ex[k].seen) {
			print_message("missing: %s:%d: %s\n", ex[k].file, ex[k].line, ex[k].sub);
			problems++;
		}
		free(ex[k].file);
		free(ex[k].sub);
	}
	free(ex);
	cat_diags_free(&ds);
	assert_int_equal(problems, 0);
}

/* ---- directories -------------------------------------------------------- */

static void
test_load_dir_roundtrip(void **state)
{
	struct cat_diags ds = { 0 };
	char *dir = make_tmpdir();
	char *p;
	struct catalogue *cat;
	size_t len;
	char *example = slurp(EXAMPLE, &len);
	const char *texts[2] = { example, months_xml };

	(void)state;
	/* the schema comes from DIR/case-type.rng when none is loaded */
	cat_schema_free();
	p = xasprintf("%s/case-type.rng", dir);
	copy_file(SCHEMA, p);
	free(p);
	p = xasprintf("%s/900000000010.xml", dir);
	write_file(p, months_xml, strlen(months_xml));
	free(p);
	p = xasprintf("%s/002036006001.xml", dir);
	write_file(p, example, len);
	free(p);
	/* not *.xml, hidden: ignored */
	p = xasprintf("%s/notes.txt", dir);
	write_file(p, "x", 1);
	free(p);
	p = xasprintf("%s/.900000000011.xml", dir);
	write_file(p, "<", 1);
	free(p);

	p = xasprintf("%s/", dir);	/* a trailing slash is fine */
	cat = cat_load_dir(p, &ds);
	free(p);
	print_diags(&ds);
	assert_int_equal(ds.n, 0);
	assert_int_equal(cat->n, 2);
	assert_string_equal(cat->defs[0]->code, "002036006001");	/* sorted by code */
	assert_string_equal(cat->defs[1]->code, "900000000010");
	for (size_t i = 0; i < 2; i++) {
		struct cat_def *again;
		char *want = xasprintf("%s/%s.xml", dir, cat->defs[i]->code);

		assert_string_equal(cat->defs[i]->file, want);
		free(want);
		assert_string_equal(cat->defs[i]->xml, texts[i]);
		/* what was loaded parses again into the same definition */
		again = cat_parse("again.xml", cat->defs[i]->xml, strlen(cat->defs[i]->xml), &ds);
		assert_non_null(again);
		assert_def_equal(cat->defs[i], again);
		cat_def_free(&again);
	}
	cat_free(&cat);
	assert_null(cat);
	cat_free(&cat);
	cat_diags_free(&ds);
	free(example);
	rm_tree(&dir);
}

static void
test_duplicate_code(void **state)
{
	struct cat_diags ds = { 0 };
	char *dir = make_tmpdir();
	char *a = xasprintf("%s/002036006001.xml", dir);
	char *b = xasprintf("%s/copy.xml", dir);
	char *msg;
	struct catalogue *cat;

	(void)state;
	copy_file(EXAMPLE, a);
	copy_file(EXAMPLE, b);
	cat = cat_load_dir(dir, &ds);
	/* the second file (in name order) gets both cross-file errors, at the
	 * line of its root element */
	assert_int_equal(ds.n, 2);
	assert_diag(&ds, 0, b, 2, "the file should be named 002036006001.xml");
	msg = xasprintf("code 002036006001 is already used by %s", a);
	assert_diag(&ds, 1, b, 2, msg);
	free(msg);
	assert_int_equal(cat->n, 1);
	assert_string_equal(cat->defs[0]->file, a);
	cat_free(&cat);
	cat_diags_free(&ds);
	free(a);
	free(b);
	rm_tree(&dir);
}

/* Files over 1 MiB are refused; exactly 1 MiB is read. */
static void
test_size_limit(void **state)
{
	struct cat_diags ds = { 0 };
	size_t elen, limit = 1u << 20, pad;
	char *example = slurp(EXAMPLE, &elen);
	char *big = xmalloc(limit + 2);
	char *dir = make_tmpdir(), *p;
	struct cat_def *d;
	struct catalogue *cat;

	(void)state;
	/* the example followed by a comment, exactly limit bytes */
	memcpy(big, example, elen);
	pad = limit - elen;
	memcpy(big + elen, "<!--", 4);
	memset(big + elen + 4, 'x', pad - 7);
	memcpy(big + limit - 3, "-->", 3);
	d = cat_parse("exact.xml", big, limit, &ds);
	print_diags(&ds);
	assert_non_null(d);
	cat_def_free(&d);
	big[limit] = '\n';
	d = cat_parse("big.xml", big, limit + 1, &ds);
	assert_null(d);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, "big.xml", 0, "larger than");

	p = xasprintf("%s/002036006001.xml", dir);
	write_file(p, big, limit + 1);
	cat = cat_load_dir(dir, &ds);
	assert_int_equal(cat->n, 0);
	assert_int_equal(ds.n, 2);
	assert_diag(&ds, 1, p, 0, "larger than");
	cat_free(&cat);
	free(p);
	free(big);
	free(example);
	cat_diags_free(&ds);
	rm_tree(&dir);
}

static void
test_load_dir_missing(void **state)
{
	struct cat_diags ds = { 0 };
	struct catalogue *cat;
	char *dir = make_tmpdir(), *p;

	(void)state;
	/* a missing directory: an empty catalogue and a diagnostic */
	cat = cat_load_dir("/nonexistent/yc-forms", &ds);
	assert_non_null(cat);
	assert_int_equal(cat->n, 0);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, "/nonexistent/yc-forms", 0, "cannot open the directory");
	cat_free(&cat);
	cat_diags_free(&ds);

	/* no schema loaded and none in the directory */
	cat_schema_free();
	p = xasprintf("%s/case-type.rng", dir);
	cat = cat_load_dir(dir, &ds);
	assert_int_equal(cat->n, 0);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, p, 0, "cannot read the schema");
	cat_free(&cat);
	cat_diags_free(&ds);

	/* a directory named *.xml is reported, not parsed */
	assert_int_equal(load_schema(NULL), 0);
	free(p);
	p = xasprintf("%s/sub.xml", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	cat = cat_load_dir(dir, &ds);
	assert_int_equal(cat->n, 0);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, p, 0, "not a regular file");
	cat_free(&cat);
	cat_diags_free(&ds);
	free(p);
	rm_tree(&dir);
}

/* ---- schema ------------------------------------------------------------- */

static void
test_schema(void **state)
{
	struct cat_diags ds = { 0 };
	char *dir = make_tmpdir();
	char *rng = xasprintf("%s/bad.rng", dir);
	struct cat_def *d;

	(void)state;
	/* without a schema nothing parses */
	cat_schema_free();
	cat_schema_free();
	d = parse_str("m.xml", months_xml, &ds);
	assert_null(d);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, "m.xml", 0, "no schema loaded");
	cat_diags_free(&ds);

	assert_int_equal(load_schema(NULL), 0);
	/* a failed load keeps the schema that was loaded */
	{
		const char *bad = "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n"
				  "  <start><bogus/></start>\n</grammar>\n";

		write_file(rng, bad, strlen(bad));
	}
	assert_false(cat_schema_load(rng, &ds));
	assert_true(ds.n >= 2);
	assert_diag(&ds, 0, rng, 2, "bogus");
	assert_diag(&ds, ds.n - 1, rng, 0, "the schema could not be loaded");
	cat_diags_free(&ds);
	write_file(rng, "<grammar", 8);	/* not even XML */
	assert_false(cat_schema_load(rng, &ds));
	assert_true(ds.n >= 2);
	assert_string_equal(ds.d[0].file, rng);
	assert_int_equal(ds.d[0].line, 1);
	cat_diags_free(&ds);
	assert_false(cat_schema_load("/nonexistent.rng", &ds));
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, "/nonexistent.rng", 0, "cannot read the schema");
	cat_diags_free(&ds);

	d = parse_str("m.xml", months_xml, &ds);
	assert_non_null(d);
	cat_def_free(&d);
	/* loading again replaces the schema */
	assert_int_equal(load_schema(NULL), 0);
	d = parse_str("m.xml", months_xml, &ds);
	assert_non_null(d);
	cat_def_free(&d);
	assert_int_equal(ds.n, 0);
	free(rng);
	rm_tree(&dir);
}

/* libxml2 never writes to stderr, and our handlers do not outlive a call. */
static void
test_quiet(void **state)
{
	struct cat_diags ds = { 0 };
	char *dir = make_tmpdir();
	char *log = xasprintf("%s/stderr", dir);
	int saved = dup(2), fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	xmlStructuredErrorFunc before = xmlStructuredError;
	struct stat st;
	struct catalogue *cat;

	(void)state;
	assert_true(saved >= 0 && fd >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
	assert_null(parse_str("a.xml", "<case-type><x></case-type>", &ds));
	assert_null(parse_str("b.xml", "<!DOCTYPE x SYSTEM \"http://example.com/x.dtd\"><x/>", &ds));
	assert_null(parse_str("c.xml", "<case-type xmlns=\"urn:yichuang:case-type:1\"/>", &ds));
	assert_null(cat_parse("d.xml", "\xff\xfe<\0x\0", 6, &ds));
	assert_null(cat_parse("e.xml", "", 0, &ds));
	assert_false(cat_schema_load(EXAMPLE, &ds));	/* not a schema */
	cat = cat_load_dir(BAD_DIR, &ds);
	cat_free(&cat);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	assert_int_equal(stat(log, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_ptr_equal(xmlStructuredError, before);
	/* each of them said something, with the file named */
	for (const char *f = "abcde"; *f; f++) {
		char name[8];
		size_t i;

		snprintf(name, sizeof name, "%c.xml", *f);
		for (i = 0; i < ds.n; i++)
			if (strcmp(ds.d[i].file, name) == 0)
				break;
		assert_true(i < ds.n);
	}
	assert_true(ds.n > 20);
	cat_diags_free(&ds);
	free(log);
	rm_tree(&dir);
}

/* ---- names -------------------------------------------------------------- */

static void
test_names(void **state)
{
	char *s;

	(void)state;
	s = cat_limit_text(CAT_IMMEDIATE, 0, 0, 0);
	assert_string_equal(s, "immediate");
	free(s);
	s = cat_limit_text(CAT_WORKDAYS, 30, 0, 0);
	assert_string_equal(s, "30 working days");
	free(s);
	s = cat_limit_text(CAT_WORKDAYS, 10, 20, 0);
	assert_string_equal(s, "10 working days (special cases up to 20)");
	free(s);
	s = cat_limit_text(CAT_MONTHS, 0, 0, 3);
	assert_string_equal(s, "3 months");
	free(s);

	assert_string_equal(cat_form_name(CAT_ORIGINAL), "original");
	assert_string_equal(cat_form_name(CAT_COPY), "copy");
	assert_string_equal(cat_form_name(CAT_SHOWN), "shown only");
	assert_string_equal(cat_tier_name(CAT_PROVINCE), "province");
	assert_string_equal(cat_tier_name(CAT_PREFECTURE), "prefecture");
	assert_string_equal(cat_tier_name(CAT_COUNTY), "county");
	assert_string_equal(cat_tier_name(CAT_TOWNSHIP), "township");
	assert_string_equal(cat_tier_name(CAT_VILLAGE), "village");
	assert_string_equal(cat_tier_name(0), "");
	assert_string_equal(cat_tier_name(CAT_COUNTY | CAT_VILLAGE), "");
	assert_string_equal(cat_tier_name(32), "");
	assert_string_equal(cat_tier_word(CAT_PREFECTURE), "prefecture");
	assert_string_equal(cat_tier_word(CAT_COUNTY), "county");
	assert_null(cat_tier_word(0));
	assert_null(cat_tier_word(CAT_COUNTY | CAT_TOWNSHIP));

	/* the levels highest first */
	assert_int_equal(cat_tier_depth(CAT_PROVINCE), 0);
	assert_int_equal(cat_tier_depth(CAT_PREFECTURE), 1);
	assert_int_equal(cat_tier_depth(CAT_COUNTY), 2);
	assert_int_equal(cat_tier_depth(CAT_TOWNSHIP), 3);
	assert_int_equal(cat_tier_depth(CAT_VILLAGE), 4);
	assert_int_equal(cat_tier_depth(0), -1);
	assert_int_equal(cat_tier_depth(CAT_PROVINCE | CAT_COUNTY), -1);
	assert_int_equal(cat_tier_lowest(CAT_PREFECTURE | CAT_COUNTY | CAT_TOWNSHIP), CAT_TOWNSHIP);
	assert_int_equal(cat_tier_lowest(CAT_PROVINCE | CAT_VILLAGE), CAT_VILLAGE);
	assert_int_equal(cat_tier_lowest(CAT_PREFECTURE), CAT_PREFECTURE);
	assert_int_equal(cat_tier_lowest(0), 0);
	s = cat_tiers_text(CAT_VILLAGE | CAT_COUNTY | CAT_PREFECTURE);
	assert_string_equal(s, "prefecture、county、village");
	free(s);
	s = cat_tiers_text(CAT_PROVINCE);
	assert_string_equal(s, "province");
	free(s);
	s = cat_tiers_text(0);
	assert_string_equal(s, "");
	free(s);

	assert_int_equal(cat_tiers_parse("county"), CAT_COUNTY);
	assert_int_equal(cat_tiers_parse(" province\tprefecture\r\ncounty township village "),
			 CAT_PROVINCE | CAT_PREFECTURE | CAT_COUNTY | CAT_TOWNSHIP | CAT_VILLAGE);
	assert_int_equal(cat_tiers_parse("village county village"), CAT_COUNTY | CAT_VILLAGE);
	/* the old word of the county level is no longer one */
	assert_int_equal(cat_tiers_parse("city"), 0);
	assert_int_equal(cat_tiers_parse("county city"), 0);
	assert_int_equal(cat_tiers_parse("county town"), 0);
	assert_int_equal(cat_tiers_parse("countyx"), 0);
	assert_int_equal(cat_tiers_parse("County"), 0);
	assert_int_equal(cat_tiers_parse(""), 0);
	assert_int_equal(cat_tiers_parse(NULL), 0);
}

/* ---- the levels of tiers and stages -------------------------------------- */

/* months_xml with its tiers replaced, and with stages of the given levels
 * (each 2 working days, within a limit of 20) when stage_tiers is not NULL. */
static char *
tiers_xml(const char *tiers, const char *const *stage_tiers)
{
	char *t = xasprintf("  <tiers>%s</tiers>\n", tiers);
	char *xml = replaced(months_xml, "  <tiers>\n    county\n  </tiers>\n", t), *x2;

	free(t);
	if (stage_tiers != NULL) {
		char *stages = xstrdup("<limit kind=\"workdays\" days=\"20\"/>\n  <stages>\n");

		for (size_t i = 0; stage_tiers[i] != NULL; i++) {
			t = xasprintf("%s    <stage tier=\"%s\" days=\"2\">第%zu步</stage>\n", stages,
				      stage_tiers[i], i + 1);
			free(stages);
			stages = t;
		}
		t = xasprintf("%s  </stages>", stages);
		free(stages);
		x2 = replaced(xml, "<limit kind=\"months\" months=\"3\"/>", t);
		free(t);
		free(xml);
		xml = x2;
	}
	return xml;
}

/* Parses tiers_xml(tiers, stage_tiers): NULL with every diagnostic in ds
 * when refused. */
static struct cat_def *
parse_tiers(const char *tiers, const char *const *stage_tiers, struct cat_diags *ds)
{
	char *xml = tiers_xml(tiers, stage_tiers);
	struct cat_def *d = parse_str("tiers.xml", xml, ds);

	free(xml);
	return d;
}

/* A county or a level above it accepts every case type; a stage may be at
 * any level from the top down to the lowest level that accepts the case
 * type (a prefecture may do the 复核 of its counties' cases), never below
 * it (nobody would work it there). */
static void
test_tier_rules(void **state)
{
	static const char *const county_prefecture[] = { "county", "prefecture", NULL };
	static const char *const township_county[] = { "township", "county", NULL };
	static const char *const village_township[] = { "village", "township", "county", NULL };
	static const char *const all_levels[] = { "village", "township", "county", "prefecture",
						  "province", NULL };
	struct cat_diags ds = { 0 };
	struct cat_def *d;

	(void)state;
	/* the accepting levels */
	d = parse_tiers("province", NULL, &ds);
	print_diags(&ds);
	assert_non_null(d);
	assert_int_equal(d->tiers, CAT_PROVINCE);
	cat_def_free(&d);
	d = parse_tiers("prefecture village", NULL, &ds);
	print_diags(&ds);
	assert_non_null(d);
	assert_int_equal(d->tiers, CAT_PREFECTURE | CAT_VILLAGE);
	cat_def_free(&d);
	assert_int_equal(ds.n, 0);
	d = parse_tiers("township village", NULL, &ds);
	assert_null(d);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, "tiers.xml", 6, "tiers must include county or a level above it");
	cat_diags_free(&ds);
	/* the old word is refused by the schema */
	d = parse_tiers("city township", NULL, &ds);
	assert_null(d);
	assert_true(ds.n >= 1);
	assert_int_equal(ds.d[0].line, 6);
	cat_diags_free(&ds);

	/* a prefecture stage on a county case type: the prefecture reviews */
	d = parse_tiers("county", county_prefecture, &ds);
	print_diags(&ds);
	assert_non_null(d);
	assert_int_equal(d->nstages, 2);
	assert_int_equal(d->stages[0].tier, CAT_COUNTY);
	assert_int_equal(d->stages[1].tier, CAT_PREFECTURE);
	cat_def_free(&d);
	/* every level down to the lowest accepting one */
	d = parse_tiers("province county township village", all_levels, &ds);
	print_diags(&ds);
	assert_non_null(d);
	assert_int_equal(d->stages[0].tier, CAT_VILLAGE);
	assert_int_equal(d->stages[4].tier, CAT_PROVINCE);
	cat_def_free(&d);
	/* a township stage below the township that accepts it too */
	d = parse_tiers("prefecture county township", township_county, &ds);
	print_diags(&ds);
	assert_non_null(d);
	cat_def_free(&d);
	assert_int_equal(ds.n, 0);

	/* a township stage on a county-only case type: refused */
	d = parse_tiers("county", township_county, &ds);
	assert_null(d);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, "tiers.xml", 9,
		    "stage tier \"township\" is below every tier that accepts this case type "
		    "(the lowest is county)");
	cat_diags_free(&ds);
	/* a village stage where the lowest accepting level is the township */
	d = parse_tiers("prefecture county township", village_township, &ds);
	assert_null(d);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, "tiers.xml", 9,
		    "stage tier \"village\" is below every tier that accepts this case type "
		    "(the lowest is township)");
	cat_diags_free(&ds);
	/* both rules at once: each said once */
	d = parse_tiers("township", village_township, &ds);
	assert_null(d);
	assert_int_equal(ds.n, 2);
	assert_diag(&ds, 0, "tiers.xml", 6, "tiers must include county or a level above it");
	assert_diag(&ds, 1, "tiers.xml", 9, "stage tier \"village\" is below every tier");
	cat_diags_free(&ds);
	/* the old word on a stage is refused by the schema */
	{
		static const char *const old[] = { "city", NULL };

		d = parse_tiers("county", old, &ds);
		assert_null(d);
		assert_true(ds.n >= 1);
		cat_diags_free(&ds);
	}
}

static void
test_known_documents(void **state)
{
	size_t n = 0;

	(void)state;
	while (cat_known_documents[n])
		n++;
	assert_int_equal(n, 13);
	assert_string_equal(cat_known_documents[0], "guide");
	assert_string_equal(cat_known_documents[9], "extension-notice");
	assert_string_equal(cat_known_documents[10], "withdrawal-notice");
	assert_string_equal(cat_known_documents[11], "termination-notice");
	assert_string_equal(cat_known_documents[12], "pledge");
}

/* ---- 承诺制 ------------------------------------------------------------ */

static struct cat_def *
parse_file(const char *path)
{
	struct cat_diags ds = { 0 };
	size_t len;
	char *xml = slurp(path, &len);
	struct cat_def *d = cat_parse(path, xml, len, &ds);

	print_diags(&ds);
	assert_int_equal(ds.n, 0);
	assert_non_null(d);
	cat_diags_free(&ds);
	free(xml);
	return d;
}

/* pledge="true": the member of an any-of group a signed 个人承诺书
 * stands for, read from the shipped 异地长期居住人员备案 (洪医保发〔2022〕83号
 * 第（七）项); definitions without one have none. */
static void
test_pledge(void **state)
{
	struct cat_diags ds = { 0 };
	struct cat_def *d;
	const struct cat_material *p;
	const struct cat_item *it;
	bool doc = false;
	char *xml;

	(void)state;
	d = parse_file("forms/002036004002.xml");
	assert_true(cat_def_has_pledge(d));
	assert_int_equal(d->revision, 4);
	assert_int_equal(d->tiers, CAT_PREFECTURE | CAT_COUNTY | CAT_TOWNSHIP | CAT_VILLAGE);
	it = &d->items[1];
	assert_true(it->any_of);
	assert_string_equal(it->group_id, "residence_proof");
	assert_int_equal(it->nm, 3);
	assert_false(it->m[0].pledge);
	assert_false(it->m[1].pledge);
	p = cat_item_pledge(it);
	assert_ptr_equal(p, &it->m[2]);
	assert_string_equal(p->id, "pledge");
	assert_string_equal(p->name, "《异地就医备案个人承诺书》");
	assert_int_equal(p->form, CAT_ORIGINAL);
	assert_false(p->key);
	assert_int_equal(p->defer_days, 0);
	/* the identity line has none */
	assert_null(cat_item_pledge(&d->items[2]));
	assert_true(d->items[2].m[0].key);
	assert_null(cat_item_pledge(&d->items[0]));
	for (size_t i = 0; i < d->ndocuments; i++)
		doc = doc || strcmp(d->documents[i], "pledge") == 0;
	assert_true(doc);
	cat_def_free(&d);

	/* 异地转诊人员备案: the 转诊转院证明 became a group with the pledge */
	d = parse_file("forms/002036004004.xml");
	assert_string_equal(d->items[2].group_id, "referral_proof");
	assert_string_equal(d->items[2].m[0].id, "referral");
	assert_non_null(cat_item_pledge(&d->items[2]));
	cat_def_free(&d);

	/* none in the example nor in a definition without the attribute */
	d = parse_file(EXAMPLE);
	assert_false(cat_def_has_pledge(d));
	cat_def_free(&d);
	d = parse_str("months.xml", months_xml, &ds);
	assert_non_null(d);
	assert_false(cat_def_has_pledge(d));
	assert_null(cat_item_pledge(&d->items[1]));
	cat_def_free(&d);
	assert_false(cat_def_has_pledge(NULL));
	assert_null(cat_item_pledge(NULL));

	/* pledge="1" is XSD true; pledge="false" is no pledge (and then the
	 * pledge document has nothing to print) */
	xml = replaced(months_xml, "<material id=\"business\" form=\"copy\">",
		       "<material id=\"business\" form=\"original\" pledge=\"1\">");
	{
		char *x2 = replaced(xml, "<document template=\"receipt\"/>",
				    "<document template=\"receipt\"/><document template=\"pledge\"/>");

		free(xml);
		xml = x2;
	}
	d = parse_str("pledge1.xml", xml, &ds);
	print_diags(&ds);
	assert_non_null(d);
	assert_true(d->items[1].m[1].pledge);
	assert_ptr_equal(cat_item_pledge(&d->items[1]), &d->items[1].m[1]);
	cat_def_free(&d);
	{
		char *x2 = replaced(xml, "pledge=\"1\"", "pledge=\"false\"");

		d = parse_str("pledge0.xml", x2, &ds);
		free(x2);
	}
	assert_null(d);
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, "pledge0.xml", 25, "document template \"pledge\" needs a material");
	cat_diags_free(&ds);
	/* the schema knows no other value */
	{
		char *x2 = replaced(xml, "pledge=\"1\"", "pledge=\"yes\"");

		d = parse_str("pledge-yes.xml", x2, &ds);
		free(x2);
	}
	assert_null(d);
	assert_true(ds.n >= 1);
	cat_diags_free(&ds);
	free(xml);
}

/* The nine 高频事项 that 荆医保发〔2023〕18号 item 19 puts at township and
 * village offices: each is offered at every tier. */
static void
test_item19_tiers(void **state)
{
	static const char *const codes[] = {
		"002036001003",	/* 城乡居民参保登记 */
		"002036001006",	/* 城乡居民参保信息变更登记 */
		"002036004001",	/* 异地安置退休人员备案 */
		"002036004002",	/* 异地长期居住人员备案 */
		"002036004003",	/* 常驻异地工作人员备案 */
		"002036004004",	/* 异地转诊人员备案 */
		"002036004008",	/* 其他临时外出就医人员备案 */
		"002036009001",	/* 门诊慢特病病种待遇认定 */
		"002036008002",	/* 医疗救助对象手工（零星）报销 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		char *path = xasprintf("forms/%s.xml", codes[i]);
		struct cat_def *d = parse_file(path);

		if (d->tiers != (CAT_PREFECTURE | CAT_COUNTY | CAT_TOWNSHIP | CAT_VILLAGE))
			print_message("%s (%s): tiers %u\n", codes[i], d->name, d->tiers);
		assert_int_equal(d->tiers, CAT_PREFECTURE | CAT_COUNTY | CAT_TOWNSHIP | CAT_VILLAGE);
		cat_def_free(&d);
		free(path);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_not_terminated),
		cmocka_unit_test(test_other_shapes),
		cmocka_unit_test(test_forms_bad),
		cmocka_unit_test_setup(test_load_dir_roundtrip, load_schema),
		cmocka_unit_test_setup(test_duplicate_code, load_schema),
		cmocka_unit_test_setup(test_size_limit, load_schema),
		cmocka_unit_test_setup(test_load_dir_missing, load_schema),
		cmocka_unit_test_setup(test_schema, load_schema),
		cmocka_unit_test_setup(test_quiet, load_schema),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_tier_rules),
		cmocka_unit_test(test_known_documents),
		cmocka_unit_test(test_pledge),
		cmocka_unit_test(test_item19_tiers),
	};
	int rc = cmocka_run_group_tests_name("catalogue", tests, load_schema, free_schema);

	xmlCleanupParser();
	return rc;
}
