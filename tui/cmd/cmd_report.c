/*
 * yichuang report daily --office CODE --date YYYY-MM-DD [--format text|csv]
 *     [--encoding utf-8|gb18030] [--to file:PATH|-]
 * The daily report (日报) of one office (not the offices below it): per
 * clerk and per case type, as the server computes them
 * (db/migrations/0008_reports.sql defines every figure).
 *
 * text: two titled tables laid out by display width in 80 columns; to a
 * terminal in its codeset, to a file in UTF-8, or in --encoding.
 * csv: RFC 4180 records ending CRLF, for Excel on a Chinese Windows: in
 * GB18030 with --encoding gb18030, otherwise UTF-8 with a byte-order mark
 * (Excel reads a BOM-less UTF-8 CSV as the ANSI code page).
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
#include "model/text.h"
#include "util/conv.h"
#include "util/xalloc.h"

#define REPORT_WIDTH 80

struct report_opts {
	const char *office, *date, *format, *encoding, *to;
	bool csv, gb18030;
};

static const char *const report_staff_sql =
    "SELECT is_total, staff_no, staff_name, served, no_show, avg_wait_s, avg_service_s, "
    "grade1, grade2, grade3, grade4, grade5 FROM yc.report_daily_staff($1, $2::date)";
static const char *const report_types_sql =
    "SELECT is_total, case_type_code, case_type_name, accepted, immediate, finished, overdue, "
    "supplement, deferred FROM yc.report_daily_types($1, $2::date)";

static int
cmd_report_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang report daily --office CODE --date YYYY-MM-DD "
	    "[--format text|csv] [--encoding utf-8|gb18030] [--to file:PATH|-]"));
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

static void
cmd_report_rows_free(struct report_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

/* A figure of the result: the number, or "" (csv) / "-" (text) for NULL. */
static char *
cmd_report_num(PGresult *res, int r, int c, bool csv)
{
	return xstrdup(PQgetisnull(res, r, c) ? (csv ? "" : "-") : PQgetvalue(res, r, c));
}

static char *
cmd_report_seconds(PGresult *res, int r, int c, bool csv)
{
	if (PQgetisnull(res, r, c))
		return xstrdup(csv ? "" : "-");
	return csv ? xstrdup(PQgetvalue(res, r, c)) : report_duration(atol(PQgetvalue(res, r, c)));
}

/* The clerk rows: csv has the staff number and the name apart, text one
 * column "name staff_no". */
static void
cmd_report_staff_rows(PGresult *res, bool csv, struct report_table *t)
{
	t->nrows = (size_t)PQntuples(res);
	t->rows = xcalloc(t->nrows + 1, sizeof *t->rows);
	for (int r = 0; r < PQntuples(res); r++) {
		char **row = t->rows[r] = xcalloc(t->ncols, sizeof *row);
		bool total = PQgetvalue(res, r, 0)[0] == 't';
		const char *no = PQgetvalue(res, r, 1), *name = PQgetvalue(res, r, 2);
		size_t c = 0;

		if (csv)
			row[c++] = xstrdup(total ? "" : no);
		if (total)
			row[c++] = xstrdup(_("Total"));
		else if (PQgetisnull(res, r, 1))
			row[c++] = xstrdup(_("(unidentified)"));
		else if (csv || PQgetisnull(res, r, 2))
			row[c++] = xstrdup(PQgetisnull(res, r, 2) ? no : name);
		else
			row[c++] = xasprintf("%s %s", name, no);
		row[c++] = cmd_report_num(res, r, 3, csv);
		row[c++] = cmd_report_num(res, r, 4, csv);
		row[c++] = cmd_report_seconds(res, r, 5, csv);
		row[c++] = cmd_report_seconds(res, r, 6, csv);
		for (int g = 7; g <= 11; g++)
			row[c++] = cmd_report_num(res, r, g, csv);
	}
}

static void
cmd_report_type_rows(PGresult *res, bool csv, struct report_table *t)
{
	t->nrows = (size_t)PQntuples(res);
	t->rows = xcalloc(t->nrows + 1, sizeof *t->rows);
	for (int r = 0; r < PQntuples(res); r++) {
		char **row = t->rows[r] = xcalloc(t->ncols, sizeof *row);
		bool total = PQgetvalue(res, r, 0)[0] == 't';
		const char *code = PQgetvalue(res, r, 1);
		size_t c = 0;

		if (csv)
			row[c++] = xstrdup(total ? "" : code);
		row[c++] = xstrdup(total ? _("Total") : PQgetisnull(res, r, 2) ? code : PQgetvalue(res, r, 2));
		for (int k = 3; k <= 8; k++)
			row[c++] = cmd_report_num(res, r, k, csv);
	}
}

/* The whole report in UTF-8 (NULL with *why and *status when the database
 * fails or the office is unknown). */
static char *
cmd_report_build(struct db *db, const struct report_opts *o, char **why)
{
	const char *params[2] = { o->office, o->date };
	const char *staff_text[] = { _("Clerk"), _("Served"), _("No-shows"), _("Avg wait"),
	    _("Avg service"), "1", "2", "3", "4", "5" };
	const char *staff_csv[] = { _("Staff no."), _("Clerk"), _("Served"), _("No-shows"),
	    _("Avg wait (s)"), _("Avg service (s)"), _("Very satisfied"), _("Satisfied"),
	    _("Basically satisfied"), _("Dissatisfied"), _("Very dissatisfied") };
	const char *types_text[] = { _("Case type"), _("Acceptances"), _("At once"), _("Completions"),
	    _("Overdue"), _("Notices"), _("Deferred") };
	const char *types_csv[] = { _("Case type code"), _("Case type"), _("Acceptances"), _("At once"),
	    _("Completions"), _("Overdue"), _("Notices"), _("Deferred") };
	struct report_table staff = { 0 }, types = { 0 };
	PGresult *office = NULL, *rs = NULL, *rt = NULL;
	char *out = NULL, *a = NULL, *b = NULL, *title = NULL, *legend = NULL;
	enum db_status st;

	office = db_query(db, &st, "SELECT name FROM yc.office WHERE code = $1", 1, params);
	if (office != NULL && PQntuples(office) == 0) {
		*why = xasprintf("%s: %s", _("unknown office"), o->office);
		goto out;
	}
	if (office != NULL)
		rs = db_query(db, &st, report_staff_sql, 2, params);
	if (rs != NULL)
		rt = db_query(db, &st, report_types_sql, 2, params);
	if (rt == NULL) {
		*why = xstrdup(st == DB_LOST ? _("The database connection was lost. Try again in a moment.") :
		    _("The database refused the request. Call the administrator."));
		goto out;
	}
	staff.ncols = o->csv ? 11 : 10;
	staff.headers = o->csv ? staff_csv : staff_text;
	types.ncols = o->csv ? 8 : 7;
	types.headers = o->csv ? types_csv : types_text;
	cmd_report_staff_rows(rs, o->csv, &staff);
	cmd_report_type_rows(rt, o->csv, &types);
	if (o->csv) {
		char *f[3] = { report_csv_field(_("Daily report")), report_csv_field(PQgetvalue(office, 0, 0)),
		    report_csv_field(_("Window service by clerk")) };
		char *g = report_csv_field(_("Case handling by type"));

		a = report_table_csv(&staff);
		b = report_table_csv(&types);
		out = xasprintf("%s,%s,%s,%s\r\n\r\n%s\r\n%s\r\n%s\r\n%s", f[0], o->office, f[1], o->date,
		    f[2], a, g, b);
		for (int i = 0; i < 3; i++)
			free(f[i]);
		free(g);
	} else {
		char *t = xasprintf(_("%s (%s) daily report, %s"), PQgetvalue(office, 0, 0), o->office, o->date);

		title = text_wrap(t, REPORT_WIDTH);
		free(t);
		a = report_table_text(&staff, REPORT_WIDTH);
		b = report_table_text(&types, REPORT_WIDTH);
		legend = text_wrap(_("Ratings: 1 very satisfied, 2 satisfied, 3 basically satisfied, "
		    "4 dissatisfied, 5 very dissatisfied"), REPORT_WIDTH);
		out = xasprintf("%s\n%s\n%s%s\n%s\n%s", title, _("1. Window service by clerk"), a,
		    legend, _("2. Case handling by type"), b);
	}
out:
	cmd_report_rows_free(&staff);
	cmd_report_rows_free(&types);
	free(a);
	free(b);
	free(title);
	free(legend);
	PQclear(office);
	PQclear(rs);
	PQclear(rt);
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
	char *doc, *bytes, *why = NULL;
	size_t len;
	int rc;

	if (argc < 1 || strcmp(argv[0], "daily") != 0)
		return cmd_report_usage();
	for (int i = 1; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--office") == 0 ? &o.office :
		    strcmp(argv[i], "--date") == 0 ? &o.date :
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

	if ((db = cmd_open_admin(ctx)) == NULL)
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
	.usage = N_("yichuang report daily --office CODE --date YYYY-MM-DD [--format text|csv] "
	    "[--encoding utf-8|gb18030] [--to file:PATH|-]"),
	.exec = cmd_report_exec,
};
