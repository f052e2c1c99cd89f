/*
 * The catalogue's levels in the database (tui/store/catstore.c): the
 * tiers of every loaded definition come back from yc.case_type.tiers
 * (text[]) as the mask forms/ gives them, and the list the window offers
 * an office of each level of GB/T 2260 holds exactly the case types whose
 * tiers name that level: a prefecture office gets every item a county
 * office does, a village station only the 附件2 items and those of
 * 荆医保发〔2023〕18号 item 19, a province office none of the shipped
 * ones; several levels at once get those of any of them.
 *
 * Environment as for every db suite (tests/run.sh): the latest catalogue
 * version is forms/ as `forms load` wrote it; nothing is written. Run
 * from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/dbt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "model/catalogue.h"
#include "model/search.h"
#include "store/catstore.h"
#include "store/db.h"

static PGconn *su;
static struct db *dsu;
static struct catalogue *cat;

static int group_setup(void **state)
{
	struct cat_diags diags = { 0 };

	(void)state;
	if (dbt_connect(&su, NULL, &dsu) != 0)
		return -1;
	cat = cat_load_dir("forms", &diags);
	if (cat == NULL || diags.n > 0) {
		fprintf(stderr, "forms/ does not load: %s\n", diags.n > 0 ? diags.d[0].message : "");
		cat_diags_free(&diags);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	cat_free(&cat);
	return dbt_disconnect(&su, NULL, &dsu, NULL);
}

/* The definition of forms/ with code. */
static const struct cat_def *def_of(const char *code)
{
	for (size_t i = 0; i < cat->n; i++)
		if (strcmp(cat->defs[i]->code, code) == 0)
			return cat->defs[i];
	fail_msg("%s is not in forms/", code);
	return NULL;
}

static bool listed(const struct cat_summary *list, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i].code, code) == 0)
			return true;
	return false;
}

/* Every case type comes back with the tiers of its file, the five levels
 * read from their words. */
static void test_tiers_round_trip(void **state)
{
	struct cat_summary *list;
	enum db_status st;
	int n;

	(void)state;
	n = catstore_list(dsu, 0, &list, &st);
	assert_int_equal(n, (int)cat->n);
	for (int i = 0; i < n; i++) {
		const struct cat_def *d = def_of(list[i].code);

		if (list[i].tiers != d->tiers)
			print_message("%s: tiers %u in the database, %u in forms/\n", d->code,
			    list[i].tiers, d->tiers);
		assert_int_equal(list[i].tiers, d->tiers);
	}
	/* 门诊费用报销 at every level below the province; 单位参保登记 at the
	 * county and the prefecture only */
	assert_int_equal(def_of("002036006001")->tiers,
	    CAT_PREFECTURE | CAT_COUNTY | CAT_TOWNSHIP | CAT_VILLAGE);
	assert_int_equal(def_of("002036001001")->tiers, CAT_PREFECTURE | CAT_COUNTY);
	/* the database holds the words themselves */
	dbt_assert_query(su, "{prefecture,county,township,village}",
	    "SELECT tiers::text FROM yc.case_type WHERE code = '002036006001'"
	    " AND version = (SELECT max(version) FROM yc.catalogue_version)", 0, NULL);
	catstore_list_free(&list, n);
}

/* What each level is offered: exactly the case types whose tiers name it
 * (a mask of several levels: any of them). */
static void test_list_by_level(void **state)
{
	static const unsigned masks[] = {
		CAT_PROVINCE, CAT_PREFECTURE, CAT_COUNTY, CAT_TOWNSHIP, CAT_VILLAGE,
		CAT_TOWNSHIP | CAT_VILLAGE, CAT_PROVINCE | CAT_VILLAGE,
	};

	(void)state;
	for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
		struct cat_summary *list;
		enum db_status st;
		int n = catstore_list(dsu, masks[m], &list, &st), want = 0;

		assert_true(n >= 0);
		for (size_t i = 0; i < cat->n; i++) {
			bool offered = (cat->defs[i]->tiers & masks[m]) != 0;

			want += offered;
			if (listed(list, n, cat->defs[i]->code) != offered)
				fail_msg("mask %u: %s %s", masks[m], cat->defs[i]->code,
				    offered ? "missing" : "listed");
		}
		assert_int_equal(n, want);
		/* sorted by code */
		for (int i = 1; i < n; i++)
			assert_true(strcmp(list[i - 1].code, list[i].code) < 0);
		switch (masks[m]) {
		case CAT_PROVINCE:
			assert_int_equal(n, 0);
			break;
		case CAT_PREFECTURE:
		case CAT_COUNTY:
			assert_int_equal(n, (int)cat->n);
			break;
		case CAT_VILLAGE:
			assert_true(listed(list, n, "002036006001"));	/* 附件2 */
			assert_true(listed(list, n, "002036004008"));	/* item 19 */
			assert_false(listed(list, n, "002036001001"));	/* 单位参保登记 */
			assert_false(listed(list, n, "002036005001"));	/* 意外伤害: township */
			break;
		case CAT_TOWNSHIP:
			assert_true(listed(list, n, "002036005001"));
			assert_false(listed(list, n, "002036001001"));
			break;
		}
		catstore_list_free(&list, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiers_round_trip),
		cmocka_unit_test(test_list_by_level),
	};

	return cmocka_run_group_tests_name("db: catstore", tests, group_setup, group_teardown);
}
