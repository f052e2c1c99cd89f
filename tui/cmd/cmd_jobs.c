/*
 * yichuang jobs run [--date YYYY-MM-DD]: the periodic job, for cron or a
 * systemd timer (README: 定时任务), on the job's connection (the role
 * yichuang_jobs; --db or the libpq environment elsewhere).
 *
 * 生育津贴“免申即享” (seed 001 item 23, db/functions/proactive.sql): the
 * 生育医疗费支付 cases finished in the month before the day (default
 * today, in China) get their 生育津贴支付 case, opened by the system. One
 * line per source case decided: the case opened (number, office, unit,
 * promised date), or why none was (no employee insurance, or a 生育津贴
 * case for that delivery exists already: the unit applied at a window, or
 * another source case of the delivery had it opened; decided, never tried
 * again); a line on stderr for each one refused (tried again by the
 * next run); then the summary. Running it again, or twice at once, opens
 * nothing twice.
 *
 * Then, in a transaction of its own, the history (db/functions/history.sql):
 * the monthly partitions of the audit log and the case events for the
 * day's month and the three after it, rows that landed in a DEFAULT
 * partition moved to their months, and the audit months older than
 * audit_retention_months dropped (never fewer than 6; a smaller stored
 * value is said on stderr and 6 kept). One line per partition created,
 * move and drop, then its summary. A failure of one step does not stop
 * the other.
 *
 * Exit status: 0 done (also when there was nothing to do); 1 a source case
 * refused, the day after today, or the database failed in either step
 * (nothing of that step kept); 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "store/history.h"
#include "store/proactive.h"
#include "util/conv.h"

static int
cmd_jobs_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang jobs run [--date YYYY-MM-DD]"));
	return 2;
}

/* Why a source case was refused, in one phrase. */
static const char *
cmd_jobs_refusal(enum proactive_outcome o)
{
	switch (o) {
	case PRO_NO_OFFICE:
		return _("no office at or above its office offers 生育津贴支付");
	case PRO_UNKNOWN_TYPE:
		return _("the catalogue lacks 生育津贴支付 (002036007004): run yichuang forms load");
	case PRO_CALENDAR:
		return _("the promised date lies beyond the loaded calendar");
	case PRO_NUMBERS:
		return _("the office's case numbers of the day are used up");
	case PRO_OPENED:
	case PRO_NO_INSURANCE:
	case PRO_DUPLICATE:
	case PRO_OTHER:
		break;
	}
	return _("an outcome this version does not know");
}

static void
cmd_jobs_line(const struct proactive_row *r)
{
	if (r->outcome == PRO_OPENED)
		conv_fprintf(stdout, _("Opened 生育津贴支付 %s at %s for %s (from 生育医疗费 case %s), "
		    "unit %s, promised by %s%s\n"), r->case_no, r->office, r->id_masked, r->source_case,
		    r->unit_name, r->promised, r->provisional ? _(" (provisional calendar)") : "");
	else if (r->outcome == PRO_NO_INSURANCE)
		conv_fprintf(stdout, _("No case for %s (from 生育医疗费 case %s): no employee insurance "
		    "at the delivery, no 生育津贴\n"), r->id_masked, r->source_case);
	else if (r->outcome == PRO_DUPLICATE)
		conv_fprintf(stdout, _("No case for %s (from 生育医疗费 case %s): 生育津贴支付 %s for that "
		    "delivery exists already\n"), r->id_masked, r->source_case, r->case_no);
	else
		conv_fprintf(stderr, _("yichuang: not opened for %s (from 生育医疗费 case %s): %s\n"),
		    r->id_masked, r->source_case, cmd_jobs_refusal(r->outcome));
}

/* 免申即享: 0 done, 1 a case refused or the database failed, -1 stop
 * (the day is after today, or the connection is gone). */
static int
cmd_jobs_proactive(struct db *db, const char *day)
{
	struct proactive_row *rows;
	size_t n, opened = 0, none = 0, failed = 0;
	enum proactive_result r;

	r = proactive_run(db, day, &rows, &n);
	if (r == PROACTIVE_FUTURE) {
		conv_fprintf(stderr, _("yichuang: %s is after today: a run opens cases as of a day that "
		    "has come\n"), day);
		return -1;
	}
	if (r != PROACTIVE_OK) {
		conv_fprintf(stderr, "yichuang: %s\n%s\n", r == PROACTIVE_DB_LOST ?
		    _("the connection to the database was lost; nothing of the run was kept") :
		    _("the database refused the run; nothing of it was kept:"), db_detail(db));
		return r == PROACTIVE_DB_LOST ? -1 : 1;
	}
	for (size_t i = 0; i < n; i++) {
		cmd_jobs_line(&rows[i]);
		if (rows[i].outcome == PRO_OPENED)
			opened++;
		else if (proactive_failed(rows[i].outcome))
			failed++;
		else
			none++;
	}
	conv_fprintf(stdout, _("免申即享 %s: %zu 生育津贴 case(s) opened, %zu not (no employee insurance, "
	    "or one for the delivery exists), %zu failed\n"), day, opened, none, failed);
	free(rows);
	return failed > 0 ? 1 : 0;
}

static void
cmd_jobs_history_line(const struct history_row *r)
{
	switch (r->action) {
	case HIST_CREATED:
		conv_fprintf(stdout, _("History: created partition %s of %s for %s\n"), r->part, r->table,
		    r->month);
		break;
	case HIST_MOVED:
		conv_fprintf(stdout, _("History: moved %lld row(s) of %s from its DEFAULT partition into their "
		    "months\n"), r->rows, r->table);
		break;
	case HIST_KEPT:
		conv_fprintf(stderr, _("yichuang: %lld row(s) of %s stay in its DEFAULT partition and their "
		    "months get no partition: moving them needs the owner to be a superuser (README "
		    "\"Partitioned history and retention\")\n"), r->rows, r->table);
		break;
	case HIST_DROPPED:
		conv_fprintf(stdout, _("History: dropped audit partition %s (%s, %lld row(s)): older than the "
		    "retention\n"), r->part, r->month, r->rows);
		break;
	case HIST_CLAMPED:
		conv_fprintf(stderr, _("yichuang: audit_retention_months is %lld, fewer than the 6 months "
		    "the law requires (网络安全法 第二十一条): %d months are kept; set it to 6 or more\n"),
		    r->rows, r->months);
		break;
	case HIST_OTHER:
		conv_fprintf(stdout, "%s\n", _("(an action this version does not know)"));
		break;
	}
}

/* The history: 0 done, 1 failed (nothing of it kept). */
static int
cmd_jobs_history(struct db *db, const char *day)
{
	struct history_result h;
	size_t created = 0, dropped = 0;
	long long moved = 0;
	enum history_status r = history_run(db, day, &h);

	switch (r) {
	case HISTORY_OK:
		break;
	case HISTORY_FUTURE:
		conv_fprintf(stderr, _("yichuang: %s is after today: a run opens cases as of a day that "
		    "has come\n"), day);
		return 1;
	case HISTORY_LOCKED:
		conv_fprintf(stderr, "yichuang: %s\n", _("history: a table stayed locked for more than "
		    "10 seconds (a long query?); nothing of the step was kept, the next run does it"));
		return 1;
	case HISTORY_DB_LOST:
	case HISTORY_DB_ERROR:
		conv_fprintf(stderr, "yichuang: %s\n%s\n", r == HISTORY_DB_LOST ?
		    _("history: the connection to the database was lost; nothing of the step was kept") :
		    _("history: the database refused the step; nothing of it was kept:"), db_detail(db));
		return 1;
	}
	for (size_t i = 0; i < h.n; i++) {
		cmd_jobs_history_line(&h.rows[i]);
		if (h.rows[i].action == HIST_CREATED)
			created++;
		else if (h.rows[i].action == HIST_MOVED)
			moved += h.rows[i].rows;
		else if (h.rows[i].action == HIST_DROPPED)
			dropped++;
	}
	conv_fprintf(stdout, _("History %s: %zu partition(s) created, %lld row(s) moved from DEFAULT, "
	    "%zu audit partition(s) dropped; the audit log keeps %d months (months ending by %s "
	    "dropped)\n"), day, created, moved, dropped, h.months, h.cutoff);
	free(h.rows);
	return 0;
}

static int
cmd_jobs_run(struct cmd_ctx *ctx, const char *day)
{
	struct db *db;
	int rp, rh;

	if ((db = cmd_open_as(ctx, CMD_JOBS)) == NULL)
		return 1;
	rp = cmd_jobs_proactive(db, day);
	rh = rp < 0 ? 1 : cmd_jobs_history(db, day);
	db_close(&db);
	return rp != 0 || rh != 0 ? 1 : 0;
}

static int
cmd_jobs_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cal_date d = cal_date_cn(time(NULL));
	char day[11];

	if (argc < 1 || strcmp(argv[0], "run") != 0)
		return cmd_jobs_usage();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
			if (!cal_date_parse(argv[++i], &d)) {
				conv_fprintf(stderr, "yichuang: %s: %s\n", _("not a date (YYYY-MM-DD)"), argv[i]);
				return 2;
			}
		} else {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown option"), argv[i]);
			return cmd_jobs_usage();
		}
	}
	cal_date_format(d, day);
	return cmd_jobs_run(ctx, day);
}

const struct cmd_entry cmd_jobs_entry = {
	.name = "jobs",
	.usage = N_("yichuang jobs run [--date YYYY-MM-DD]"),
	.exec = cmd_jobs_exec,
};
