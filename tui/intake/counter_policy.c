/*
 * The 参保测算 of the intake (see counter_int.h): for a case type with
 * <policy rule="resident"> (城乡居民参保登记) a line under the form says when
 * the applicant's benefits would start, the waiting period and the 大病
 * cap, from the form's answers (payback, aid_category, aid_late); F9
 * opens the whole explanation (intake/policyview.h) for any case type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/counter_int.h"
#include "intake/policyview.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/policy.h"
#include "model/validate.h"
#include "store/insstore.h"
#include "util/xalloc.h"

static const char *
counter_policy_answer(const struct counter *c, const char *id)
{
	int i = cat_def_field(c->def, id);

	return i >= 0 && c->in->values[i] != NULL ? c->in->values[i] : "";
}

/* The form's answers: years paid back ("n<N>") and 困难人口 identified late. */
static void
counter_policy_answers(const struct counter *c, int *payback, bool *aid_late)
{
	const char *pb = counter_policy_answer(c, "payback"), *cat = counter_policy_answer(c, "aid_category");

	*payback = pb[0] == 'n' ? atoi(pb + 1) : 0;
	*aid_late = strcmp(counter_policy_answer(c, "aid_late"), "yes") == 0 && cat[0] != '\0' &&
	    strcmp(cat, "none") != 0;
}

static bool
counter_policy_resident(const struct counter *c)
{
	return c->def != NULL && c->def->policy_rule != NULL && strcmp(c->def->policy_rule, "resident") == 0;
}

/* 职工医保转移接续中断缴费补缴 (rule transfer, seed 000 item 2): the form
 * allows at most 3 months, so benefits start the day after payment. */
static char *
counter_policy_transfer(void)
{
	char iso[11], day[48];

	cal_date_format(cal_from_days(cal_days(counter_today()) + 1), iso);
	policy_date(iso, day);
	return xasprintf(_("参保测算: no waiting period after this payback; benefits from %s (the day after "
	    "payment), the break's benefits retroactive"), day);
}

void
counter_policy_refresh(struct app *app, struct counter *c)
{
	struct val_result vr;
	struct policy p;
	enum ins_result r;
	int payback;
	bool aid_late;

	free(c->policy_line);
	c->policy_line = NULL;
	if (c->def != NULL && c->def->policy_rule != NULL && strcmp(c->def->policy_rule, "transfer") == 0) {
		c->policy_line = counter_policy_transfer();
		return;
	}
	if (!counter_policy_resident(c) || app->db_lost || !val_idno(c->in->id_no, counter_today(), NULL, &vr))
		return;
	counter_policy_answers(c, &payback, &aid_late);
	r = insstore_preview(app->db, app->session.id, vr.normalised, NULL, payback, aid_late, &p);
	if (r == INS_OK)
		c->policy_line = policy_summary(&p);
	else if (r == INS_DB_LOST)
		app_db_lost(app);
}

void
counter_policy_open(struct app *app, struct counter *c)
{
	int payback = 0;
	bool aid_late = false;

	if (counter_policy_resident(c))
		counter_policy_answers(c, &payback, &aid_late);
	policyview_open(app, c->in->id_no, payback, aid_late, AV_COUNTER, counter_policy_resident(c));
}

void
counter_policy_apply(struct app *app, int payback, bool aid_late)
{
	struct counter *c = app->views[AV_COUNTER].data;
	int pb, late, cat;
	char value[8];

	if (c == NULL || c->def == NULL || c->in == NULL || !counter_policy_resident(c))
		return;
	pb = cat_def_field(c->def, "payback");
	late = cat_def_field(c->def, "aid_late");
	cat = cat_def_field(c->def, "aid_category");
	if (pb >= 0) {
		snprintf(value, sizeof value, "n%d", payback);
		intake_set(&c->in->values[pb], value);
	}
	if (late >= 0)
		intake_set(&c->in->values[late], aid_late ? "yes" : "no");
	if (aid_late && cat >= 0 && (c->in->values[cat] == NULL || c->in->values[cat][0] == '\0' ||
	    strcmp(c->in->values[cat], "none") == 0))
		app_message(app, TS_WARN, _("困难人口: choose the 资助类别 too, or the waiting period applies."));
	counter_changed(app, c, true);
	counter_policy_refresh(app, c);
}
