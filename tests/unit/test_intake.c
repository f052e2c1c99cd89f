/*
 * Unit tests for model/intake: the checklist, the outcomes it opens, the
 * field checks and the draft text. Run from the repository root: reads
 * forms/ (the 生育 reimbursement item 002036007001 has an any-of group of
 * deferrable materials and 委托办理; 002036001001 is 即时办结 without
 * proxy). No message catalogue is loaded: messages are the English msgids.
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
#include "model/intake.h"
#include "util/xalloc.h"

static struct catalogue *cat;
static const struct cal_date today = { 2026, 11, 22 };

static int
setup(void **state)
{
	struct cat_diags ds = { 0 };

	(void)state;
	cat = cat_load_dir("forms", &ds);
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

static size_t
mat(const struct intake *in, const char *id)
{
	for (size_t k = 0; k < in->nmats; k++)
		if (strcmp(in->mats[k].m->id, id) == 0)
			return k;
	fail_msg("no material %s", id);
	return 0;
}

/* Ticks every material of the items (not the proxy ones) except skip. */
static void
tick_all_but(struct intake *in, const char *const *skip)
{
	for (size_t k = 0; k < in->nitem_mats; k++) {
		bool skipped = false;

		for (const char *const *s = skip; s != NULL && *s != NULL; s++)
			skipped |= strcmp(in->mats[k].m->id, *s) == 0;
		if (!skipped && in->mats[k].st == IM_MISSING)
			intake_toggle(in, k);
	}
}

static void
test_checklist_lines(void **state)
{
	struct intake *in = intake_new(def("002036007001"), 3);
	struct intake_missing m;

	(void)state;
	/* credential, invoice, bill, {discharge | diagnosis}, application */
	m = intake_missing(in);
	assert_int_equal(m.items, 5);
	assert_false(m.all_deferrable);
	assert_int_equal(in->mats[mat(in, "discharge")].item_no, in->mats[mat(in, "diagnosis")].item_no);
	assert_true(in->nmats > in->nitem_mats);	/* proxy materials follow */
	assert_false(intake_mat_active(in, in->nitem_mats));
	assert_false(intake_toggle(in, in->nitem_mats));

	/* one member of the any-of group satisfies the line */
	tick_all_but(in, (const char *const[]){ "discharge", "diagnosis", NULL });
	assert_int_equal(intake_missing(in).items, 1);
	assert_true(intake_toggle(in, mat(in, "diagnosis")));
	assert_int_equal(intake_missing(in).items, 0);
	assert_int_equal(intake_outcomes(in), IO_ACCEPT | IO_REJECT);
	/* untick: missing again */
	assert_true(intake_toggle(in, mat(in, "diagnosis")));
	assert_int_equal(intake_missing(in).items, 1);
	intake_free(&in);
	assert_null(in);
}

/* 承诺制: the pledge of 异地长期居住人员备案 satisfies its group, so the
 * filing form, the pledge and the ID finish the item at once; the pledge
 * is taken while ticked, or when presented before a 补正. */
static void
test_pledge(void **state)
{
	struct intake *in = intake_new(def("002036004002"), 1);

	(void)state;
	assert_false(intake_pledged(in));
	assert_int_equal(intake_missing(in).items, 3);
	intake_toggle(in, mat(in, "filing_form"));
	intake_toggle(in, mat(in, "id_copy"));
	assert_int_equal(intake_outcomes(in), IO_SUPPLEMENT | IO_REJECT);
	assert_true(intake_toggle(in, mat(in, "pledge")));
	assert_true(intake_pledged(in));
	assert_int_equal(intake_missing(in).items, 0);
	assert_int_equal(intake_outcomes(in), IO_IMMEDIATE | IO_REJECT);
	/* a proof ticked instead: no pledge taken */
	intake_toggle(in, mat(in, "pledge"));
	intake_toggle(in, mat(in, "residence"));
	assert_false(intake_pledged(in));
	assert_int_equal(intake_missing(in).items, 0);
	/* presented before (补正) counts as taken */
	in->mats[mat(in, "pledge")].st = IM_DONE;
	assert_true(intake_pledged(in));
	intake_free(&in);
	/* a type without one never takes it */
	in = intake_new(def("002036007001"), 3);
	tick_all_but(in, NULL);
	assert_false(intake_pledged(in));
	intake_free(&in);
}

static void
test_outcomes(void **state)
{
	struct intake *in = intake_new(def("002036007001"), 3);
	size_t n;
	const char **ids;

	(void)state;
	/* only the deferrable group missing: 容缺 open */
	tick_all_but(in, (const char *const[]){ "discharge", "diagnosis", NULL });
	assert_int_equal(intake_outcomes(in), IO_SUPPLEMENT | IO_DEFER | IO_REJECT);
	ids = intake_missing_ids(in, &n);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], "discharge");
	free(ids);
	/* the key credential missing too: no 容缺 */
	intake_toggle(in, mat(in, "credential"));
	assert_true(intake_missing(in).items == 2);
	assert_int_equal(intake_outcomes(in), IO_SUPPLEMENT | IO_REJECT);
	ids = intake_seen_ids(in, &n);
	assert_int_equal(n, 3);	/* invoice, bill, application */
	free(ids);
	/* 委托办理 adds the proxy materials as missing lines */
	intake_toggle(in, mat(in, "credential"));
	in->proxy = true;
	assert_int_equal(intake_missing(in).items, 1 + (int)(in->nmats - in->nitem_mats));
	assert_false(intake_missing(in).all_deferrable);
	intake_free(&in);

	/* an immediate item: 即时办结 when complete, never 容缺 */
	in = intake_new(def("002036001001"), 3);
	assert_int_equal(intake_outcomes(in), IO_SUPPLEMENT | IO_REJECT);
	tick_all_but(in, NULL);
	assert_int_equal(intake_outcomes(in), IO_IMMEDIATE | IO_REJECT);
	intake_free(&in);
}

static void
test_continuation(void **state)
{
	struct intake *in = intake_new(def("002036007001"), 3);

	(void)state;
	/* 补正: seen before stays; not on the notice is never asked */
	for (size_t k = 0; k < in->nitem_mats; k++)
		in->mats[k].st = IM_DONE;
	in->mats[mat(in, "bill")].st = IM_MISSING;
	in->mats[mat(in, "discharge")].st = IM_NOT_ASKED;
	assert_false(intake_toggle(in, mat(in, "invoice")));
	assert_int_equal(in->mats[mat(in, "invoice")].st, IM_DONE);
	assert_int_equal(intake_missing(in).items, 1);
	assert_true(intake_toggle(in, mat(in, "bill")));
	assert_int_equal(intake_outcomes(in), IO_ACCEPT | IO_REJECT);
	intake_free(&in);
}

static void
test_fields(void **state)
{
	const struct cat_def *d = def("002036007001");
	struct intake *in = intake_new(d, 3);
	struct val_result r;
	char *bad = NULL;
	size_t amount = 0, phone = 0;

	(void)state;
	for (size_t i = 0; i < d->nfields; i++) {
		if (strcmp(d->fields[i].id, "amount") == 0)
			amount = i;
		if (strcmp(d->fields[i].id, "phone") == 0)
			phone = i;
	}
	intake_set(&in->values[amount], "12.345");
	assert_false(intake_check_field(in, amount, today, &r));
	assert_string_not_equal(r.message, "");
	assert_string_equal(in->values[amount], "12.345");	/* never cleared */
	intake_set(&in->values[amount], "1,234.5");
	assert_true(intake_check_field(in, amount, today, &r));
	assert_string_equal(r.normalised, "1,234.50");
	intake_set(&in->values[phone], "1380013800");
	assert_false(intake_check_field(in, phone, today, &r));

	/* the applicant: an unknown person needs a name */
	assert_false(intake_complete_form(in, today, &bad));
	assert_non_null(strstr(bad, "Applicant"));
	free(bad);
	intake_set(&in->id_no, "11010519491231002X");
	assert_false(intake_check_applicant(in, today, &r));
	intake_set(&in->name, "张三");
	assert_true(intake_check_applicant(in, today, &r));
	/* the agent must be another person */
	in->proxy = true;
	intake_set(&in->agent_id, "11010519491231002x");
	intake_set(&in->agent_name, "李四");
	assert_false(intake_check_agent(in, today, &r));
	assert_string_equal(r.message, "The agent must be someone other than the applicant.");
	intake_free(&in);
}

static void
test_draft_roundtrip(void **state)
{
	const struct cat_def *d = def("002036007001");
	struct intake *in = intake_new(d, 7), *back;
	char *text, *again, code[16], name[128];
	int version = 0;

	(void)state;
	intake_set(&in->id_no, "11010519491231002X");
	intake_set(&in->name, "欧阳\\娜娜");
	intake_set(&in->values[2], "line one\nline\ttwo");
	in->channel = IC_MAIL;
	in->proxy = true;
	intake_set(&in->agent_name, "王芳");
	in->ticket_id = 42;
	intake_set(&in->continue_case, "360981202611220001");
	intake_toggle(in, mat(in, "invoice"));
	in->mats[mat(in, "bill")].st = IM_DONE;
	in->mats[mat(in, "discharge")].st = IM_NOT_ASKED;
	text = intake_serialise(in, 1700000000);
	assert_true(intake_draft_type(text, code, &version));
	assert_string_equal(code, "002036007001");
	assert_int_equal(version, 7);
	assert_int_equal(intake_draft_saved(text), 1700000000);
	intake_draft_name(text, name);
	assert_string_equal(name, d->name);

	back = intake_new(d, version);
	assert_true(intake_restore(back, text));
	again = intake_serialise(back, 1700000000);
	assert_string_equal(again, text);
	assert_string_equal(back->name, "欧阳\\娜娜");
	assert_string_equal(back->values[2], "line one\nline\ttwo");
	assert_int_equal(back->channel, IC_MAIL);
	assert_true(back->proxy);
	assert_int_equal(back->ticket_id, 42);
	assert_int_equal(back->mats[mat(back, "invoice")].st, IM_SEEN);
	assert_int_equal(back->mats[mat(back, "bill")].st, IM_DONE);
	assert_int_equal(back->mats[mat(back, "discharge")].st, IM_NOT_ASKED);
	assert_string_equal(back->continue_case, "360981202611220001");
	free(again);
	free(text);
	intake_free(&back);

	/* the channel's key in the draft and its name on screen */
	assert_string_equal(intake_channel_key(IC_MAIL), "mail");
	assert_string_equal(intake_channel_name(IC_PROXY), "Assisted");

	/* not a draft */
	assert_false(intake_draft_type("hello\n", code, &version));
	assert_false(intake_restore(in, "yichuang-draft 2\ntype=x\n"));
	assert_int_equal(intake_draft_saved(""), 0);
	intake_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checklist_lines),
		cmocka_unit_test(test_pledge),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_draft_roundtrip),
	};
	int rc = cmocka_run_group_tests_name("intake", tests, setup, teardown);

	xmlCleanupParser();
	return rc;
}
