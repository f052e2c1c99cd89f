/*
 * yichuang office add|list|import|disable|enable: the office tree, for an
 * administrator (--staff STAFFNO) or the database owner (--as-owner); see
 * cmd/cmd_asadmin.h.
 *
 *   add CODE [NAME] [--parent CODE] [--tier LEVEL]
 *       [--address TEXT] [--phone PHONE]
 *       Adds the office, or, when it exists, changes its name, address
 *       and phone (what is given; "" clears the address or the phone);
 *       says which (added / updated / unchanged). A new office needs its
 *       name; its code says its level and parent (GB/T 2260: 2 digits a
 *       province, 4 a prefecture, 6 a county, 9 a township, 12 a
 *       village), --parent and --tier are checked against it.
 *   list
 *       The offices of the jurisdiction in tree order: code, tier, state,
 *       active/all windows, name, 咨询电话, address.
 *   import FILE
 *       A CSV of offices (model/officecsv.h: header code,name,parent,tier
 *       [,address][,phone]), all or nothing in one server call
 *       (yc.office_import). Every refused line as FILE:LINE: message;
 *       nothing is stored then. Otherwise the lines that changed an
 *       existing office are named (FILE:LINE: CODE updated.) and the
 *       counts printed.
 *   disable CODE | enable CODE
 *       Deactivates an office below one's own (refused while an office
 *       below it, staff of it or open cases of it are active), or
 *       activates it again.
 *
 * Exit status: 0 done; 2 bad usage or bad input (nothing changed); 1
 * refused (not allowed, outside the jurisdiction, the state forbids it)
 * or failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/cmd_asadmin.h"
#include "model/i18n.h"
#include "model/officecsv.h"
#include "model/text.h"
#include "store/offices.h"
#include "util/conv.h"
#include "util/file.h"
#include "util/xalloc.h"

#define CMD_OFFICE_MAX_FILE (16u << 20)

static int
cmd_office_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang office add CODE [NAME] [--parent CODE] "
	    "[--tier province|prefecture|county|township|village] [--address TEXT] [--phone PHONE] | "
	    "office list | "
	    "office import FILE | office disable CODE | office enable CODE; each with --staff STAFFNO "
	    "(password in YICHUANG_PASSWORD or on standard input) or --as-owner"));
	return 2;
}

/* Says r about code on stderr (or, for a success, stdout); the exit status. */
static int
cmd_office_report(struct db *db, enum offices_result r, const char *code, const char *detail)
{
	char *msg = offices_result_message(r, code, detail);

	if (offices_result_ok(r)) {
		conv_fprintf(stdout, "%s\n", msg);
		free(msg);
		return 0;
	}
	conv_fprintf(stderr, "yichuang: %s\n", msg);
	if (r == OFFICES_DB_ERROR || r == OFFICES_DB_LOST)
		conv_fprintf(stderr, "%s\n", db_detail(db));
	free(msg);
	return offices_result_input(r) ? 2 : 1;
}

enum office_sub { OS_ADD, OS_LIST, OS_IMPORT, OS_DISABLE, OS_ENABLE, OS_COUNT };

/* What was asked, read before anyone signs in. */
struct office_req {
	enum office_sub sub;
	const char *code, *name, *parent, *tier, *address, *phone;
	const char *file;
	struct officecsv *csv;
};

/* Reads the arguments of add into q; 0, or the exit status. */
static int
cmd_office_parse_add(struct office_req *q, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--parent") == 0 ? &q->parent :
		    strcmp(argv[i], "--tier") == 0 ? &q->tier :
		    strcmp(argv[i], "--address") == 0 ? &q->address :
		    strcmp(argv[i], "--phone") == 0 ? &q->phone : NULL;

		if (slot != NULL) {
			if (i + 1 >= argc)
				return cmd_office_usage();
			*slot = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown option"), argv[i]);
			return 2;
		} else if (q->code == NULL) {
			q->code = argv[i];
		} else if (q->name == NULL) {
			q->name = argv[i];
		} else {
			return cmd_office_usage();
		}
	}
	return q->code == NULL ? cmd_office_usage() : 0;
}

/* Reads and checks the import file (every error as FILE:LINE: message);
 * 0, or the exit status. */
static int
cmd_office_read(struct office_req *q)
{
	size_t len;
	char *text;

	if ((text = file_read(q->file, CMD_OFFICE_MAX_FILE, &len)) == NULL) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", q->file, errno == EFBIG ?
		    _("the file is too large") : strerror(errno));
		return 2;
	}
	q->csv = officecsv_parse(text, len);
	free(text);
	if (q->csv->nerrors > 0) {
		for (size_t i = 0; i < q->csv->nerrors; i++)
			conv_fprintf(stderr, "%s:%d: %s\n", q->file, q->csv->errors[i].line,
			    q->csv->errors[i].message);
		conv_fprintf(stderr, _("%zu error(s) in %s: nothing was imported.\n"), q->csv->nerrors, q->file);
		return 2;
	}
	if (q->csv->nrows == 0) {
		conv_fprintf(stderr, _("%s: no office after the header line: nothing was imported.\n"), q->file);
		return 2;
	}
	return 0;
}

static int
cmd_office_parse(struct office_req *q, int argc, char **argv)
{
	switch (q->sub) {
	case OS_ADD:
		return cmd_office_parse_add(q, argc, argv);
	case OS_LIST:
		return argc == 0 ? 0 : cmd_office_usage();
	case OS_IMPORT:
		if (argc != 1 || argv[0][0] == '-')
			return cmd_office_usage();
		q->file = argv[0];
		return cmd_office_read(q);
	case OS_DISABLE:
	case OS_ENABLE:
	case OS_COUNT:
		break;
	}
	if (argc != 1 || argv[0][0] == '-')
		return cmd_office_usage();
	q->code = argv[0];
	return 0;
}

static int
cmd_office_add(struct cmd_asadmin *a, const struct office_req *q)
{
	char detail[32];
	enum offices_result r = offices_save(a->db, cmd_asadmin_session(a), q->code, q->name, q->parent,
	    q->tier, q->address, q->phone, detail);

	return cmd_office_report(a->db, r, q->code, detail);
}

static int
cmd_office_state(struct cmd_asadmin *a, const struct office_req *q)
{
	bool active = q->sub == OS_ENABLE;
	char detail[32];
	enum offices_result r = offices_set_active(a->db, cmd_asadmin_session(a), q->code, active, detail);

	if (r == OFFICES_OK || r == OFFICES_UNCHANGED) {
		char *msg = xasprintf(r == OFFICES_OK ? (active ? _("%s is active again.") : _("%s is deactivated.")) :
		    (active ? _("%s is already active.") : _("%s is already deactivated.")), q->code);

		conv_fprintf(stdout, "%s\n", msg);
		free(msg);
		return 0;
	}
	return cmd_office_report(a->db, r, q->code, detail);
}

static int
cmd_office_list(struct cmd_asadmin *a)
{
	struct offices_office *list;
	enum db_status st = DB_OK;
	size_t n = offices_list(a->db, cmd_asadmin_session(a), &list, &st);

	if (st != DB_OK)
		return cmd_office_report(a->db, st == DB_LOST ? OFFICES_DB_LOST : OFFICES_DB_ERROR, NULL, NULL);
	int tw = 0, sw = 0;

	for (size_t i = 0; i < 5; i++) {
		static const char *const tiers[] = { "province", "prefecture", "county", "township", "village" };
		int w = text_width(offices_tier_name(tiers[i]));

		tw = w > tw ? w : tw;
	}
	sw = text_width(_("active")) > text_width(_("deactivated")) ? text_width(_("active")) :
	    text_width(_("deactivated"));
	for (size_t i = 0; i < n; i++) {
		const struct offices_office *o = &list[i];
		int indent = (int)(strlen(o->code) - 6) / 3 * 2;
		char *code = xasprintf("%*s%s", indent, "", o->code);
		char *c = text_pad(code, 16, TEXT_LEFT);
		char *t = text_pad(offices_tier_name(o->tier), tw, TEXT_LEFT);
		char *s = text_pad(o->active ? _("active") : _("deactivated"), sw, TEXT_LEFT);
		char *nm = text_pad(o->name, 28, TEXT_LEFT);
		char *ph = text_pad(o->phone, 14, TEXT_LEFT);
		char *line = xasprintf("%s %s %s %3d/%-3d %s %s %s", c, t, s, o->windows_active, o->windows, nm,
		    ph, o->address);

		/* no trailing blanks when phone or address is empty */
		for (size_t e = strlen(line); e > 0 && line[e - 1] == ' '; e--)
			line[e - 1] = '\0';
		conv_fprintf(stdout, "%s\n", line);
		free(line);
		free(code);
		free(c);
		free(t);
		free(s);
		free(nm);
		free(ph);
	}
	free(list);
	return 0;
}

static int
cmd_office_import(struct cmd_asadmin *a, const struct office_req *q)
{
	const struct officecsv *csv = q->csv;
	struct offices_row *rows = xcalloc(csv->nrows, sizeof *rows);
	struct offices_line *lines = NULL;
	size_t nlines = 0, added = 0, updated = 0, same = 0;
	enum offices_result r;
	int rc;

	for (size_t i = 0; i < csv->nrows; i++) {
		const struct officecsv_row *c = &csv->rows[i];

		rows[i] = (struct offices_row){ c->line, c->code, c->name, c->parent, c->tier, c->address,
			c->phone };
	}
	r = offices_import(a->db, cmd_asadmin_session(a), rows, csv->nrows, &lines, &nlines);
	if (r == OFFICES_OK) {
		for (size_t i = 0; i < nlines; i++) {
			if (lines[i].r == OFFICES_ADDED) {
				added++;
			} else if (lines[i].r == OFFICES_UPDATED) {
				char *msg = offices_result_message(lines[i].r, lines[i].code, NULL);

				conv_fprintf(stdout, "%s:%d: %s\n", q->file, lines[i].line, msg);
				free(msg);
				updated++;
			} else {
				same++;
			}
		}
		conv_fprintf(stdout, _("%s: %zu office(s) imported: %zu added, %zu updated, %zu unchanged.\n"),
		    q->file, nlines, added, updated, same);
		rc = 0;
	} else if (r == OFFICES_BAD_INPUT && nlines > 0) {
		for (size_t i = 0; i < nlines; i++) {
			char *msg = offices_result_message(lines[i].r, lines[i].code, lines[i].detail);

			conv_fprintf(stderr, "%s:%d: %s\n", q->file, lines[i].line, msg);
			free(msg);
		}
		conv_fprintf(stderr, _("%zu error(s) in %s: nothing was imported.\n"), nlines, q->file);
		rc = 2;
	} else {
		rc = cmd_office_report(a->db, r, NULL, NULL);
	}
	free(lines);
	free(rows);
	return rc;
}

static int
cmd_office_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const subs[OS_COUNT] = { "add", "list", "import", "disable", "enable" };
	struct office_req q = { 0 };
	struct cmd_asadmin a;
	int rc, k;

	if (argc < 1)
		return cmd_office_usage();
	for (k = 0; k < OS_COUNT; k++)
		if (strcmp(argv[0], subs[k]) == 0)
			break;
	if (k == OS_COUNT)
		return cmd_office_usage();
	q.sub = (enum office_sub)k;
	argc--;
	argv++;
	if (!cmd_asadmin_args(&a, &argc, argv))
		return 2;
	if ((rc = cmd_office_parse(&q, argc, argv)) != 0 || (rc = cmd_asadmin_open(ctx, &a)) != 0) {
		officecsv_free(&q.csv);
		return rc;
	}
	switch (q.sub) {
	case OS_ADD: rc = cmd_office_add(&a, &q); break;
	case OS_LIST: rc = cmd_office_list(&a); break;
	case OS_IMPORT: rc = cmd_office_import(&a, &q); break;
	case OS_DISABLE:
	case OS_ENABLE:
	case OS_COUNT: rc = cmd_office_state(&a, &q); break;
	}
	cmd_asadmin_close(&a);
	officecsv_free(&q.csv);
	return rc;
}

const struct cmd_entry cmd_office_entry = {
	.name = "office",
	.usage = N_("yichuang office add|list|import|disable|enable ... (--staff STAFFNO | --as-owner)"),
	.exec = cmd_office_exec,
};
