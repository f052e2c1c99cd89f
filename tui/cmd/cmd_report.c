/*
 * yichuang report daily --office CODE --date YYYY-MM-DD [--with-below]
 *     [--format text|csv] [--encoding utf-8|gb18030] [--to file:PATH|-]
 * yichuang report monthly --office CODE --month YYYY-MM [--with-below] ...
 * The daily report (日报) of one office (not the offices below it): per
 * clerk and per case type, as the server computes them
 * (db/migrations/0008_reports.sql defines every figure).
 *
 * text: two titled tables laid out by display width in 80 columns; to a
 * terminal in its codeset, to a file in UTF-8, or in --encoding.
 * csv: RFC 4180 records ending CRLF, for Excel on a Chinese Windows: in
 * GB18030 with --encoding gb18030, otherwise UTF-8 with a byte-order mark
 * (Excel reads a BOM-less UTF-8 CSV as the ANSI code page).
 * --with-below (daily): instead, one row per office (the office and every
 * office below it, in tree order) and a total row (yc.report_offices):
 * tickets, served, no-shows, wait, cases accepted and finished, the share
 * finished in time, the 好差评 shares; the per-clerk and per-type tables
 * are the single office's and are not part of it (a county supervisor
 * compares offices; an office's clerks are in its own daily report).
 * monthly: the same per-office table for a month (up to today when the
 * month is the current one; a month not begun is refused), the office
 * alone or with --with-below the offices below it.
 * The report only reads: it reads from --read-db (a hot standby) when given.
 * A file given by --to is replaced, not appended to.
 * Exit status: 0 written, 1 not (unknown office, database, file; why on
 * stderr), 2 usage (bad option, date, format or encoding).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/report.h"
#include "store/daily.h"
#include "util/conv.h"
#include "util/xalloc.h"

#define REPORT_WIDTH 80


struct report_opts {
	const char *office, *date, *month, *format, *encoding, *to;
	bool csv, gb18030, below, monthly;
};

static int
cmd_report_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang report daily --office CODE --date YYYY-MM-DD | "
	    "monthly --office CODE --month YYYY-MM [--with-below] [--format text|csv] "
	    "[--encoding utf-8|gb18030] [--to file:PATH|-]"));
	return 2;
}

/* A message and an exit status. */
static int
cmd_report_say(int status, char *why)
{
	conv_fprintf(stderr, "yichuang: %s\n", why);
	free(why);
	return status;
}

/* The whole report in UTF-8 (NULL with *why when the database fails or
 * the office is unknown). */
static char *
cmd_report_build(struct db *db, const struct report_opts *o, char **why)
{
	struct report_daily d;
	enum daily_result r;
	char *out;

	if (o->below || o->monthly) {
		struct report_offices ro;

		r = daily_offices_fetch(db, 0, o->office, o->date, o->monthly, o->below, &ro);
		if (r == DAILY_UNKNOWN_OFFICE) {
			*why = xasprintf("%s: %s", _("unknown office"), o->office);
			return NULL;
		}
		if (r != DAILY_OK) {
			*why = xstrdup(daily_result_message(r));
			return NULL;
		}
		out = o->csv ? report_offices_csv(&ro) : report_offices_text(&ro, REPORT_WIDTH);
		report_offices_free(&ro);
		return out;
	}
	r = daily_fetch(db, 0, o->office, o->date, &d);
	if (r == DAILY_UNKNOWN_OFFICE) {
		*why = xasprintf("%s: %s", _("unknown office"), o->office);
		return NULL;
	}
	if (r != DAILY_OK) {
		*why = xstrdup(daily_result_message(r));
		return NULL;
	}
	out = o->csv ? report_daily_csv(&d) : report_daily_text(&d, REPORT_WIDTH);
	report_daily_free(&d);
	return out;
}

/* Writes the bytes to stdout or replaces the file; 0, or -1 with *why. */
static int
cmd_report_write(const char *to, const char *bytes, size_t len, char **why)
{
	FILE *fp = stdout;
	const char *path = NULL;

	if (strcmp(to, "-") != 0) {
		path = to + 5;
		if ((fp = fopen(path, "wb")) == NULL) {
			*why = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
			return -1;
		}
	}
	if (fwrite(bytes, 1, len, fp) != len || fflush(fp) != 0) {
		*why = xasprintf(_("cannot write %s: %s"), path != NULL ? path : "-", strerror(errno));
		if (path != NULL)
			fclose(fp);
		return -1;
	}
	if (path != NULL && fclose(fp) != 0) {
		*why = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
cmd_report_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct report_opts o = { .format = "text", .to = "-" };
	struct cal_date day;
	struct db *db;
	char *doc, *bytes, *why = NULL, first[16];
	size_t len;
	int rc;

	if (argc < 1 || (strcmp(argv[0], "daily") != 0 && strcmp(argv[0], "monthly") != 0))
		return cmd_report_usage();
	o.monthly = strcmp(argv[0], "monthly") == 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--with-below") == 0) {
			o.below = true;
			continue;
		}
		const char **slot = strcmp(argv[i], "--office") == 0 ? &o.office :
		    !o.monthly && strcmp(argv[i], "--date") == 0 ? &o.date :
		    o.monthly && strcmp(argv[i], "--month") == 0 ? &o.month :
		    strcmp(argv[i], "--format") == 0 ? &o.format :
		    strcmp(argv[i], "--encoding") == 0 ? &o.encoding :
		    strcmp(argv[i], "--to") == 0 ? &o.to : NULL;

		if (slot == NULL) {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown option"), argv[i]);
			return cmd_report_usage();
		}
		if (i + 1 >= argc) {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("option needs a value"), argv[i]);
			return cmd_report_usage();
		}
		*slot = argv[++i];
	}
	if (o.monthly && o.office != NULL && o.month != NULL) {
		snprintf(first, sizeof first, "%.7s-01", o.month);
		if (strlen(o.month) != 7 || !cal_date_parse(first, &day))
			return cmd_report_say(2, xasprintf(_("not a valid month: %s (write YYYY-MM, e.g. "
			    "2026-11)"), o.month));
		o.date = first;
	}
	if (o.office == NULL || o.date == NULL)
		return cmd_report_usage();
	if (!cal_date_parse(o.date, &day))
		return cmd_report_say(2, xasprintf(_("not a valid date: %s (write YYYY-MM-DD, e.g. 2026-11-23)"),
		    o.date));
	if (strcmp(o.format, "csv") == 0)
		o.csv = true;
	else if (strcmp(o.format, "text") != 0)
		return cmd_report_say(2, xasprintf(_("unknown report format: %s (text or csv)"), o.format));
	if (o.encoding != NULL) {
		if (strcasecmp(o.encoding, "gb18030") == 0)
			o.gb18030 = true;
		else if (strcasecmp(o.encoding, "utf-8") != 0 && strcasecmp(o.encoding, "utf8") != 0)
			return cmd_report_say(2, xasprintf(_("Unknown encoding: %s"), o.encoding));
	}
	if (strcmp(o.to, "-") != 0 && (strncmp(o.to, "file:", 5) != 0 || o.to[5] == '\0'))
		return cmd_report_say(2, xasprintf(_("unknown destination: %s (file:PATH or -)"), o.to));
	if (!db_office_code_ok(o.office))
		return cmd_report_say(1, xasprintf("%s: %s", _("unknown office"), o.office));

	if ((db = cmd_open_read(ctx, CMD_ADMIN)) == NULL)
		return 1;
	doc = cmd_report_build(db, &o, &why);
	db_close(&db);
	if (doc == NULL)
		return cmd_report_say(1, why);
	if (o.gb18030)
		bytes = conv_to("GB18030", doc);
	else if (o.encoding == NULL && !o.csv && strcmp(o.to, "-") == 0)
		bytes = conv_to_terminal(doc);
	else if (o.csv)
		bytes = xasprintf("\xEF\xBB\xBF%s", doc);
	else
		bytes = xstrdup(doc);
	free(doc);
	if (bytes == NULL)
		return cmd_report_say(1, xasprintf(_("Unknown encoding: %s"), o.encoding));
	len = strlen(bytes);
	rc = cmd_report_write(o.to, bytes, len, &why);
	free(bytes);
	return rc == 0 ? 0 : cmd_report_say(1, why);
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = N_("yichuang report daily --office CODE --date YYYY-MM-DD | monthly --office CODE "
	    "--month YYYY-MM [--with-below] [--format text|csv] [--encoding utf-8|gb18030] "
	    "[--to file:PATH|-]"),
	.exec = cmd_report_exec,
};
