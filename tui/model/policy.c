/* The 参保 figures in sentences; see policy.h. */
#include "model/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

static int
policy_int(const struct json *o, const char *key)
{
	const struct json *v = json_get(o, key);

	return v != NULL && v->kind == JSON_NUMBER ? atoi(v->text) : 0;
}

static bool
policy_bool(const struct json *o, const char *key)
{
	const struct json *v = json_get(o, key);

	return v != NULL && v->kind == JSON_BOOL && v->b;
}

static void
policy_str(const struct json *o, const char *key, char *out, size_t size)
{
	const struct json *v = json_get(o, key);

	snprintf(out, size, "%s", v != NULL && v->kind == JSON_STRING ? v->text : "");
}

void
policy_year_read(const struct json *h, struct policy_year *y)
{
	char scheme[16];

	policy_str(h, "scheme", scheme, sizeof scheme);
	y->year = policy_int(h, "year");
	y->employee = strcmp(scheme, "employee") == 0;
	y->insured = policy_bool(h, "insured");
	y->central = policy_bool(h, "central");
	y->fund_paid = policy_bool(h, "fund_paid");
	y->reward_used = policy_bool(h, "reward_used");
}

char *
policy_year_line(const struct policy_year *y)
{
	return xasprintf("%d %s %s%s%s", y->year, y->employee ? _("employee") : _("resident"),
	    y->insured ? _("insured") : _("not insured"),
	    y->insured && !y->employee ? (y->fund_paid ? _(" · reimbursed") : _(" · zero reimbursement")) : "",
	    y->reward_used ? _(" · reward used") : "");
}

bool
policy_read(const struct json *j, struct policy *p)
{
	const struct json *opts, *hist, *rules;

	memset(p, 0, sizeof *p);
	if (j == NULL || j->kind != JSON_OBJECT || json_get(j, "refused") != NULL || json_get(j, "year") == NULL)
		return false;
	p->year = policy_int(j, "year");
	p->inside_central = policy_bool(j, "inside_central");
	p->already = policy_bool(j, "already");
	policy_str(j, "exempt", p->exempt, sizeof p->exempt);
	p->gap = policy_int(j, "gap");
	p->gap_total = policy_int(j, "gap_total");
	p->fixed = policy_int(j, "fixed");
	p->variable = policy_int(j, "variable");
	p->payback = policy_int(j, "payback");
	p->payback_max = policy_int(j, "payback_max");
	p->payback_over = policy_bool(j, "payback_over");
	p->variable_after = policy_int(j, "variable_after");
	p->wait = policy_int(j, "wait");
	p->floored = policy_bool(j, "floored");
	policy_str(j, "start", p->start, sizeof p->start);
	p->contribution = policy_int(j, "contribution");
	p->payback_cost = policy_int(j, "payback_cost");
	p->cap_base = policy_int(j, "cap_base");
	p->streak = policy_int(j, "streak");
	p->raise_continuous = policy_int(j, "raise_continuous");
	p->zero_years = policy_int(j, "zero_years");
	p->zero_cleared = policy_int(j, "zero_cleared");
	p->raise_zero = policy_int(j, "raise_zero");
	p->raise = policy_int(j, "raise");
	p->raise_capped = policy_bool(j, "raise_capped");
	p->cut = policy_int(j, "cut");
	p->cut_capped = policy_bool(j, "cut_capped");
	p->cap = policy_int(j, "cap");
	if ((opts = json_get(j, "options")) != NULL && opts->kind == JSON_ARRAY)
		for (size_t i = 0; i < opts->n && p->noptions < POLICY_MAX_OPTIONS; i++) {
			struct policy_option *o = &p->options[p->noptions++];

			o->payback = policy_int(opts->items[i], "payback");
			o->wait = policy_int(opts->items[i], "wait");
			o->cost = policy_int(opts->items[i], "cost");
			policy_str(opts->items[i], "start", o->start, sizeof o->start);
		}
	if ((hist = json_get(j, "history")) != NULL && hist->kind == JSON_ARRAY) {
		size_t from = hist->n > POLICY_MAX_YEARS ? hist->n - POLICY_MAX_YEARS : 0;

		for (size_t i = from; i < hist->n; i++)
			policy_year_read(hist->items[i], &p->years[p->nyears++]);
	}
	rules = json_get(j, "rules");
	p->step = policy_int(rules, "step_yuan");
	p->continuous_years = policy_int(rules, "continuous_years");
	p->raise_percent = policy_int(rules, "raise_cap_percent");
	p->cut_percent = policy_int(rules, "cut_cap_percent");
	p->floor_months = policy_int(rules, "wait_floor_months");
	p->floor_gap_years = policy_int(rules, "wait_floor_gap_years");
	return true;
}

void
policy_date(const char *iso, char out[48])
{
	int y, m, d;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		out[0] = '\0';
		return;
	}
	snprintf(out, 48, _("%d-%d-%d"), y, m, d);
}

/* The lines being built. */
struct policy_lines {
	char **v;
	size_t n;
};

static void
policy_add(struct policy_lines *l, char *line)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = line;
}

/* The waiting period's sentences. */
static void
policy_explain_wait(const struct policy *p, struct policy_lines *l)
{
	char start[48];

	policy_date(p->start, start);
	if (p->already) {
		policy_add(l, xasprintf(_("Already insured for %d: nothing to register, benefits as usual."), p->year));
		return;
	}
	if (strcmp(p->exempt, "newborn") == 0) {
		policy_add(l, xasprintf(_("Newborn: no waiting period, benefits from birth (%s) (seed 003: "
		    "newborns and other special groups are exempt)."), start));
		return;
	}
	if (strcmp(p->exempt, "aid_late") == 0) {
		policy_add(l, xasprintf(_("困难人口 identified after the 集中参保期: insured at any time, no "
		    "waiting period, benefits from %s (seed 000 item 1)."), start));
		return;
	}
	if (strcmp(p->exempt, "central") == 0) {
		policy_add(l, xasprintf(_("Continuously insured and paid inside the 集中参保期: no waiting "
		    "period, benefits from %s."), start));
		return;
	}
	policy_add(l, xasprintf(_("Waiting period %d month(s) (fixed %d + variable %d); benefits from %s."),
	    p->wait, p->fixed, p->variable_after, start));
	if (p->gap > 0)
		policy_add(l, xasprintf(_("Not insured continuously (a gap of %d year(s)): fixed waiting "
		    "period of %d months (seed 003)."), p->gap, p->fixed));
	else
		policy_add(l, xasprintf(_("Not paid inside the 集中参保期: fixed waiting period of %d months "
		    "(seed 003)."), p->fixed));
	if (p->variable > 0)
		policy_add(l, xasprintf(_("Each further year of gap adds one month: %d year(s) of gap, "
		    "variable waiting period %d month(s)."), p->gap, p->variable));
	if (p->payback > 0)
		policy_add(l, xasprintf(_("Paying back %d year(s) at this year's contribution of %d yuan "
		    "(%d yuan in all) removes %d month(s) of the variable period."), p->payback,
		    p->contribution, p->payback_cost, p->variable - p->variable_after));
	if (p->floored)
		policy_add(l, xasprintf(_("A gap of %d years or more: after repair the waiting period is "
		    "never less than %d months."), p->floor_gap_years, p->floor_months));
	for (int i = 0; i < p->noptions && p->noptions > 1; i++) {
		char s[48];

		policy_date(p->options[i].start, s);
		policy_add(l, xasprintf(_("  paying back %d year(s), %d yuan: waiting %d month(s), benefits "
		    "from %s"), p->options[i].payback, p->options[i].cost, p->options[i].wait, s));
	}
	if (p->payback_max > 0)
		policy_add(l, xstrdup(_("Paying back repairs only the variable waiting period: the gap and "
		    "the 大病 cap stay as they are.")));
}

/* The 大病 cap's sentences. */
static void
policy_explain_cap(const struct policy *p, struct policy_lines *l)
{
	policy_add(l, xasprintf(_("大病保险 cap %d: %d yuan = original %d + raised %d - reduced %d."),
	    p->year, p->cap, p->cap_base, p->raise, p->cut));
	if (p->raise_continuous > 0)
		policy_add(l, xasprintf(_("Continuous insurance: after %d full years each further year "
		    "adds %d yuan: %d yuan (insured %d year(s) in a row up to %d)."), p->continuous_years,
		    p->step, p->raise_continuous, p->streak, p->year));
	else if (p->streak > 0)
		policy_add(l, xasprintf(_("Insured %d year(s) in a row up to %d: from the year after %d full "
		    "years each further year adds %d yuan."), p->streak, p->year, p->continuous_years, p->step));
	if (p->zero_years > 0)
		policy_add(l, xasprintf(_("Zero reimbursement: %d year(s) without fund reimbursement, each "
		    "adding %d yuan the next year: %d yuan."), p->zero_years, p->step, p->raise_zero));
	if (p->zero_cleared > 0)
		policy_add(l, xasprintf(_("A 大病 reimbursement of %d used reward amounts: the zero-"
		    "reimbursement credit before it was cleared."), p->zero_cleared));
	if (p->raise_capped)
		policy_add(l, xasprintf(_("The increases together are limited to %d%% of the original cap."),
		    p->raise_percent));
	if (p->cut > 0)
		policy_add(l, xasprintf(_("Gap: %d year(s) not insured since the rules began, %d yuan less "
		    "each: %d yuan%s."), p->gap_total, p->step, p->cut, p->cut_capped ?
		    _(" (limited to the percentage of the original cap)") : ""));
}

char **
policy_explain(const struct policy *p, size_t *n)
{
	struct policy_lines l = { 0 };

	policy_add(&l, xasprintf(p->inside_central ? _("Insurance year %d, paid inside the 集中参保期.") :
	    _("Insurance year %d, paid outside the 集中参保期."), p->year));
	policy_explain_wait(p, &l);
	policy_explain_cap(p, &l);
	*n = l.n;
	return l.v;
}

char **
policy_history(const struct policy *p, size_t *n)
{
	struct policy_lines l = { 0 };

	for (int i = 0; i < p->nyears; i++)
		policy_add(&l, policy_year_line(&p->years[i]));
	if (l.n == 0)
		policy_add(&l, xstrdup(_("No insurance history is recorded for this person.")));
	*n = l.n;
	return l.v;
}

char *
policy_summary(const struct policy *p)
{
	char start[48];

	if (p->already)
		return xasprintf(_("参保测算: %d already insured · 大病 cap %d yuan (F9 details)"), p->year, p->cap);
	policy_date(p->start, start);
	return xasprintf(_("参保测算: benefits from %s · waiting %d month(s) · 大病 cap %d yuan (F9 details)"),
	    start, p->wait, p->cap);
}
