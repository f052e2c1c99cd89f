/*
 * The 参保 figures of a person as the server computes them
 * (yc.policy_preview, db/functions/policy.sql: the rules of seed 003 and
 * seed 000), read from its JSON and put into sentences for the clerk, each
 * with the rule that produced it. Plain C: no curses, no database.
 */
#ifndef YC_MODEL_POLICY_H
#define YC_MODEL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "model/json.h"

#define POLICY_MAX_OPTIONS 11
#define POLICY_MAX_YEARS 64

struct policy_option {
	int payback, wait, cost;
	char start[11];			/* YYYY-MM-DD */
};

struct policy_year {
	int year;
	bool employee, insured, central, fund_paid, reward_used;
};

struct policy {
	int year;			/* the year the registration insures */
	bool inside_central, already;
	char exempt[16];		/* "" | newborn | aid_late | central */
	int gap, gap_total, fixed, variable, payback, payback_max, variable_after, wait;
	bool payback_over, floored;
	char start[11];			/* benefits from */
	int contribution, payback_cost;
	struct policy_option options[POLICY_MAX_OPTIONS];
	int noptions;
	int cap_base, streak, raise_continuous, zero_years, zero_cleared, raise_zero, raise, cut, cap;
	bool raise_capped, cut_capped;
	/* the rules' numbers (the preview's "rules") */
	int step, continuous_years, raise_percent, cut_percent, floor_months, floor_gap_years;
	struct policy_year years[POLICY_MAX_YEARS];	/* oldest first (the last ones when more) */
	int nyears;
};

/* One row of a history ({year, scheme, insured, central, fund_paid,
 * reward_used}) and its line "2025 居民 参保 · 基金零报销" (caller frees). */
void policy_year_read(const struct json *h, struct policy_year *y);
char *policy_year_line(const struct policy_year *y);
/* Reads yc.policy_preview's object; false when j is not one (a refusal
 * {"refused": …} included). */
bool policy_read(const struct json *j, struct policy *out);
/* "2027年4月1日" of a "YYYY-MM-DD" (translated pattern); "" stays "". */
void policy_date(const char *iso, char out[48]);
/* The explanation, one translated sentence per line, each naming its
 * rule; *n lines. Caller frees each line and the array. */
char **policy_explain(const struct policy *p, size_t *n);
/* The history as policy_year_line's lines; caller frees. */
char **policy_history(const struct policy *p, size_t *n);
/* One line for the counter: start, waiting period, 大病 cap. Caller frees. */
char *policy_summary(const struct policy *p);

#endif
