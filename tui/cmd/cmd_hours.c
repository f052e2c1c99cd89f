/*
 * yichuang hours show|set: an office's opening hours (营业时间), as an
 * administrator (--staff STAFFNO) or the database owner (--as-owner); see
 * cmd_asadmin.h.
 *
 *   show --office CODE [--from YYYY-MM-DD] [--days N]
 *       Today and the hall's state, the weekly schedule (default rows
 *       marked), the special days from today (or --from), and the next N
 *       days (7) as they will be, holidays and exceptions applied.
 *   set --office CODE --day DAYS (--hours RANGES [--noon] | --closed | --default)
 *       The same hours for days of the week: DAYS is mon … sun, holiday
 *       (the days off of the calendar), workdays (mon-fri), weekend
 *       (sat,sun) or all, comma-separated; RANGES one or two sessions
 *       HH:MM-HH:MM[,HH:MM-HH:MM]; --noon keeps the hall open between them
 *       (午间延时服务); --default gives the days back to the default.
 *   set --office CODE --date YYYY-MM-DD (--hours RANGES [--noon] | --closed) --note TEXT
 *       Special hours on one date (a holiday duty day, a closure).
 *   set --office CODE --date YYYY-MM-DD --remove
 *       The date follows the weekly schedule again.
 *   slots --office CODE [--group NAME] (--per-slot N | --default)
 *       Appointments per slot (预约, db/functions/appoint.sql): the slot as
 *       a whole, or with --group one 事项 group (a catalogue category)
 *       inside it; --default gives it back to the setting (a group: no
 *       limit of its own). Prints the office's places after.
 * A change prints what it did, then the office's hours as show does.
 *
 * Exit status: 0 done; 1 refused (not allowed, unknown office, sign-in)
 * or failed; 2 bad usage or a value the hours cannot have, nothing changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/cmd_asadmin.h"
#include "model/calendar.h"
#include "model/hours.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/apptstore.h"
#include "store/hourstore.h"
#include "store/queue.h"
#include "util/conv.h"
#include "util/xalloc.h"

#define CMD_HOURS_DAYS_MAX 62

struct hours_opts {
	const char *office, *day, *date, *hours, *note, *from, *days, *staff, *group, *per_slot;
	bool noon, closed, dflt, remove, as_owner;
};

static int
cmd_hours_usage(void)
{
	conv_fprintf(stderr, "%s\n%s\n%s\n%s\n%s\n",
	    _("usage: yichuang hours show --office CODE [--from YYYY-MM-DD] [--days N] (--staff STAFFNO | --as-owner)"),
	    _("       yichuang hours set --office CODE --day DAYS (--hours HH:MM-HH:MM[,HH:MM-HH:MM] "
	    "[--noon] | --closed | --default) (--staff STAFFNO | --as-owner)"),
	    _("       yichuang hours set --office CODE --date YYYY-MM-DD (--hours RANGES [--noon] | "
	    "--closed) --note TEXT (--staff STAFFNO | --as-owner)"),
	    _("       yichuang hours set --office CODE --date YYYY-MM-DD --remove (--staff STAFFNO | --as-owner)"),
	    _("       yichuang hours slots --office CODE [--group NAME] (--per-slot N | --default) "
	    "(--staff STAFFNO | --as-owner)"));
	return 2;
}

static int
cmd_hours_bad(const char *what, const char *value)
{
	if (value != NULL)
		conv_fprintf(stderr, "yichuang: %s: %s\n", value, what);
	else
		conv_fprintf(stderr, "yichuang: %s\n", what);
	return 2;
}

/* Reads the options; false (after the usage) on anything unknown. */
static bool
cmd_hours_parse(int argc, char **argv, struct hours_opts *o)
{
	static const char *const valued[] = { "--office", "--day", "--date", "--hours", "--note",
	    "--from", "--days", "--staff", "--group", "--per-slot" };
	static const char *const flags[] = { "--noon", "--closed", "--default", "--remove", "--as-owner" };
	const char **vslot[] = { &o->office, &o->day, &o->date, &o->hours, &o->note, &o->from, &o->days,
	    &o->staff, &o->group, &o->per_slot };
	bool *fslot[] = { &o->noon, &o->closed, &o->dflt, &o->remove, &o->as_owner };

	memset(o, 0, sizeof *o);
	for (int i = 0; i < argc; i++) {
		size_t k;

		for (k = 0; k < sizeof flags / sizeof flags[0]; k++)
			if (strcmp(argv[i], flags[k]) == 0)
				break;
		if (k < sizeof flags / sizeof flags[0]) {
			*fslot[k] = true;
			continue;
		}
		for (k = 0; k < sizeof valued / sizeof valued[0]; k++)
			if (strcmp(argv[i], valued[k]) == 0)
				break;
		if (k == sizeof valued / sizeof valued[0] || i + 1 >= argc ||
		    strncmp(argv[i + 1], "--", 2) == 0) {
			conv_fprintf(stderr, "yichuang: %s: %s\n", k < sizeof valued / sizeof valued[0] ?
			    _("a value is missing after") : _("unknown option"), argv[i]);
			return false;
		}
		*vslot[k] = argv[++i];
	}
	return true;
}

/* "mon,sat,holiday", "workdays", "weekend", "all" → days 1..8; how many,
 * 0 on a word that is none of them. */
static int
cmd_hours_days(const char *spec, int out[8])
{
	static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday" };
	bool want[9] = { false };
	char buf[128], *save = NULL, *tok;
	int n = 0;

	snprintf(buf, sizeof buf, "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		int lo = 0, hi = -1;

		for (int i = 0; i < 8; i++)
			if (strcmp(tok, names[i]) == 0)
				lo = hi = i + 1;
		if (strcmp(tok, "workdays") == 0)
			lo = 1, hi = 5;
		else if (strcmp(tok, "weekend") == 0)
			lo = 6, hi = 7;
		else if (strcmp(tok, "all") == 0)
			lo = 1, hi = 8;
		if (hi < 0)
			return 0;
		for (int d = lo; d <= hi; d++)
			want[d] = true;
	}
	for (int d = 1; d <= 8; d++)
		if (want[d])
			out[n++] = d;
	return n;
}

/* Prints the office's hours (see the top); the exit status. */
static int
cmd_hours_print(struct db *db, const char *office, const char *from, int ndays)
{
	struct queue_counts qc;
	struct hourstore_today t;
	struct hourstore_week_day w[8];
	struct hourstore_date x[CMD_HOURS_DAYS_MAX];
	enum hourstore_result r;
	enum queue_result qr = queue_counts(db, office, &qc);
	char *s, *d, *line;
	int n;

	if (qr != QUEUE_OK) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", queue_result_message(qr), office);
		return 1;
	}
	if ((r = hourstore_today(db, office, &t)) != HS_OK || (r = hourstore_week(db, office, w)) != HS_OK) {
		conv_fprintf(stderr, "yichuang: %s\n", hourstore_result_message(r));
		return 1;
	}
	conv_fprintf(stdout, _("%s (%s): opening hours\n"), qc.office_name, office);
	s = hours_day_text(&t.hours);
	d = hours_date_label(t.day);
	line = t.label[0] != '\0' ?
	    xasprintf(_("Today %s (%s, %s): %s; %s"), d, hours_kind_name(t.kind), t.label,
	    hours_state_name(t.state, t.kind), s) :
	    xasprintf(_("Today %s (%s): %s; %s"), d, hours_kind_name(t.kind),
	    hours_state_name(t.state, t.kind), s);
	conv_fprintf(stdout, "%s\n", line);
	free(line);
	free(d);
	free(s);
	if (t.state == HOURS_CLOSED && t.next_open > 0) {
		s = hours_when(t.next_open, t.day);
		conv_fprintf(stdout, _("Next opening: %s\n"), s);
		free(s);
	}

	conv_fprintf(stdout, "%s\n", _("Every week:"));
	for (int i = 0; i < 8; i++) {
		char *name = text_pad(hours_dow_name(w[i].dow), 10, TEXT_LEFT);

		s = hours_day_text(&w[i].hours);
		line = strcmp(w[i].source, "default") == 0 ? xasprintf(_("%s (default)"), s) :
		    strcmp(w[i].source, "sunday") == 0 ? xasprintf(_("%s (as on Sunday)"), s) : xstrdup(s);
		conv_fprintf(stdout, "  %s %s\n", name, line);
		free(line);
		free(s);
		free(name);
	}

	conv_fprintf(stdout, "%s\n", _("Special days:"));
	n = hourstore_exceptions(db, office, from != NULL ? from : t.day, x, CMD_HOURS_DAYS_MAX, &r);
	if (n < 0) {
		conv_fprintf(stderr, "yichuang: %s\n", hourstore_result_message(r));
		return 1;
	}
	if (n == 0)
		conv_fprintf(stdout, "  %s\n", _("(none)"));
	for (int i = 0; i < n; i++) {
		d = hours_date_label(x[i].day);
		s = hours_day_text(&x[i].hours);
		conv_fprintf(stdout, "  %s  %s  %s\n", d, s, x[i].label);
		free(s);
		free(d);
	}

	line = xasprintf(_("The next %d days:"), ndays);
	conv_fprintf(stdout, "%s\n", line);
	free(line);
	n = hourstore_days(db, office, from != NULL ? from : t.day, ndays, x, CMD_HOURS_DAYS_MAX, &r);
	if (n < 0) {
		conv_fprintf(stderr, "yichuang: %s\n", hourstore_result_message(r));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char *kind = text_pad(hours_kind_name(x[i].kind), 12, TEXT_LEFT);

		d = hours_date_label(x[i].day);
		s = hours_day_text(&x[i].hours);
		if (x[i].label[0] != '\0')
			conv_fprintf(stdout, "  %s  %s %s  %s\n", d, kind, s, x[i].label);
		else
			conv_fprintf(stdout, "  %s  %s %s\n", d, kind, s);
		free(s);
		free(d);
		free(kind);
	}
	return 0;
}

/* Reports a result of the server; the exit status. */
static int
cmd_hours_result(enum hourstore_result r)
{
	if (r == HS_OK)
		return 0;
	conv_fprintf(stderr, "yichuang: %s\n", hourstore_result_message(r));
	return hourstore_bad_input(r) ? 2 : 1;
}

static int
cmd_hours_set(struct cmd_ctx *ctx, const struct hours_opts *o)
{
	struct hours_day h;
	struct cmd_asadmin a;
	struct cal_date cd;
	enum hourstore_result r;
	int dows[8], n = 0, rc, what = (o->hours != NULL) + o->closed + o->dflt + o->remove;
	char *msg = NULL;

	hours_day_closed(&h);
	if ((o->day != NULL) == (o->date != NULL))
		return cmd_hours_bad(_("Say which days: --day DAYS (of the week) or --date YYYY-MM-DD."), NULL);
	if (what != 1)
		return cmd_hours_bad(o->date != NULL ?
		    _("Say what the date gets: --hours RANGES, --closed or --remove (one of them).") :
		    _("Say what the days get: --hours RANGES, --closed or --default (one of them)."), NULL);
	if (o->day != NULL && (n = cmd_hours_days(o->day, dows)) == 0)
		return cmd_hours_bad(_("unknown day (mon, tue, wed, thu, fri, sat, sun, holiday, workdays, "
		    "weekend, all)"), o->day);
	if (o->date != NULL && !cal_date_parse(o->date, &cd))
		return cmd_hours_bad(_("not a date (YYYY-MM-DD)"), o->date);
	if (o->dflt && o->date != NULL)
		return cmd_hours_bad(_("--default is for days of the week; a date is given back with --remove."),
		    NULL);
	if (o->remove && o->day != NULL)
		return cmd_hours_bad(_("--remove is for a date; days of the week go back with --default."), NULL);
	if (o->noon && o->hours == NULL)
		return cmd_hours_bad(_("--noon goes with --hours and two sessions."), NULL);
	if (o->date != NULL && !o->remove && (o->note == NULL || o->note[0] == '\0'))
		return cmd_hours_bad(_("Special hours on a date need --note TEXT (why: 春节值班, 停电检修)."), NULL);
	if (o->note != NULL && o->date == NULL)
		return cmd_hours_bad(_("--note goes with --date."), NULL);
	if (o->hours != NULL) {
		enum hours_error e;

		h.noon = o->noon;
		if ((e = hours_parse(o->hours, &h)) != HOURS_OK)
			return cmd_hours_bad(hours_error_message(e), o->hours);
		if (o->noon && !h.noon)
			return cmd_hours_bad(hours_error_message(HOURS_BAD_NOON), o->hours);
	}
	if ((rc = cmd_asadmin_as(ctx, o->staff, o->as_owner, &a)) != 0)
		return rc;
	if (o->day != NULL && o->dflt)
		r = hourstore_clear_days(a.db, a.s.id, o->office, dows, n);
	else if (o->day != NULL)
		r = hourstore_set_days(a.db, a.s.id, o->office, dows, n, &h);
	else if (o->remove)
		r = hourstore_drop_exception(a.db, a.s.id, o->office, o->date);
	else
		r = hourstore_set_exception(a.db, a.s.id, o->office, o->date, &h, o->note);
	rc = cmd_hours_result(r);
	if (rc == 0) {
		char *s = hours_day_text(&h);

		msg = o->dflt ? xasprintf(_("%s: back to the default hours."), o->day) :
		    o->remove ? xasprintf(_("%s: the special hours were removed."), o->date) :
		    xasprintf(_("%s: %s."), o->day != NULL ? o->day : o->date, s);
		free(s);
		conv_fprintf(stdout, "%s\n", msg);
		free(msg);
		rc = cmd_hours_print(a.db, o->office, NULL, 7);
	}
	cmd_asadmin_close(&a);
	return rc;
}

/* The office's appointments per slot. */
static int
cmd_hours_places(struct db *db, const char *office)
{
	struct appt_capacity c[32];
	int n = apptstore_capacity_list(db, office, c, 32);

	if (n < 0) {
		conv_fprintf(stderr, "yichuang: %s\n", appt_message(APPT_DB_ERROR));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char *line = strcmp(c[i].grp, "*") == 0 ?
		    xasprintf(c[i].from_setting ? _("Appointments per slot: %d (the setting)") :
		    _("Appointments per slot: %d"), c[i].per_slot) :
		    xasprintf(_("  of those %s: at most %d"), c[i].grp, c[i].per_slot);

		conv_fprintf(stdout, "%s\n", line);
		free(line);
	}
	return 0;
}

static int
cmd_hours_slots(struct cmd_ctx *ctx, const struct hours_opts *o)
{
	struct cmd_asadmin a;
	enum appt_result r;
	long n = -1;
	int rc;

	if (o->day != NULL || o->date != NULL || o->hours != NULL || o->note != NULL || o->noon ||
	    o->closed || o->remove || o->from != NULL || o->days != NULL ||
	    (o->per_slot != NULL) == o->dflt)
		return cmd_hours_usage();
	if (o->per_slot != NULL) {
		char *end;

		n = strtol(o->per_slot, &end, 10);
		if (*o->per_slot == '\0' || *end != '\0' || n < 0 || n > 200)
			return cmd_hours_bad(_("--per-slot takes a number from 0 to 200"), o->per_slot);
	}
	if ((rc = cmd_asadmin_as(ctx, o->staff, o->as_owner, &a)) != 0)
		return rc;
	r = apptstore_capacity_set(a.db, a.s.id, o->office, o->group != NULL ? o->group : "*", (int)n);
	if (r == APPT_OK)
		rc = cmd_hours_places(a.db, o->office);
	else {
		conv_fprintf(stderr, "yichuang: %s\n", r == APPT_BAD_INPUT ?
		    _("No service item has that group (the catalogue's categories, e.g. 零星报销).") :
		    appt_message(r));
		rc = r == APPT_BAD_INPUT ? 2 : 1;
	}
	cmd_asadmin_close(&a);
	return rc;
}

static int
cmd_hours_show(struct cmd_ctx *ctx, const struct hours_opts *o)
{
	struct cmd_asadmin a;
	struct cal_date cd;
	int ndays = 7, rc;

	if (o->day != NULL || o->date != NULL || o->hours != NULL || o->note != NULL || o->noon ||
	    o->closed || o->dflt || o->remove)
		return cmd_hours_usage();
	if (o->from != NULL && !cal_date_parse(o->from, &cd))
		return cmd_hours_bad(_("not a date (YYYY-MM-DD)"), o->from);
	if (o->days != NULL) {
		char *end;
		long v = strtol(o->days, &end, 10);

		if (*o->days == '\0' || *end != '\0' || v < 1 || v > CMD_HOURS_DAYS_MAX)
			return cmd_hours_bad(_("--days takes a number of days from 1 to 62"), o->days);
		ndays = (int)v;
	}
	if ((rc = cmd_asadmin_as(ctx, o->staff, o->as_owner, &a)) != 0)
		return rc;
	rc = cmd_hours_print(a.db, o->office, o->from, ndays);
	if (rc == 0)
		rc = cmd_hours_places(a.db, o->office);
	cmd_asadmin_close(&a);
	return rc;
}

static int
cmd_hours_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct hours_opts o;

	if (argc < 1 || (strcmp(argv[0], "show") != 0 && strcmp(argv[0], "set") != 0 &&
	    strcmp(argv[0], "slots") != 0))
		return cmd_hours_usage();
	if (!cmd_hours_parse(argc - 1, argv + 1, &o))
		return cmd_hours_usage();
	if (o.office == NULL)
		return cmd_hours_bad(_("--office CODE is required."), NULL);
	if (!db_office_code_ok(o.office))
		return cmd_hours_bad(_("an office code has 2, 4, 6, 9 or 12 digits"), o.office);
	if (strcmp(argv[0], "show") == 0)
		return cmd_hours_show(ctx, &o);
	if (strcmp(argv[0], "slots") == 0)
		return cmd_hours_slots(ctx, &o);
	if (o.from != NULL || o.days != NULL || o.group != NULL || o.per_slot != NULL)
		return cmd_hours_usage();
	return cmd_hours_set(ctx, &o);
}

const struct cmd_entry cmd_hours_entry = {
	.name = "hours",
	.usage = N_("yichuang hours show|set|slots --office CODE ... (--staff STAFFNO | --as-owner)"),
	.exec = cmd_hours_exec,
};
