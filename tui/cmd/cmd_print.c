/*
 * yichuang print --template NAME (--type CODE [--office CODE] | --case NO | --notice NO)
 *     [--to file:PATH|lp[:PRINTER]|term|-] [--encoding utf-8|gb18030] [--width 40|80]
 * Renders a document and sends it to a print channel ("term" is the
 * printer attached to this terminal, by pass-through; "-" standard
 * output). The 办事指南 (guide) is printed for a case type from the
 * catalogue; every other document for a case or a notice, from the data
 * the server gives (store/cases.h: cases_document, JSON made a value tree
 * by model/json.h), on the administrator's connection: the application
 * role is given a case's data only for a staff session signed in on its
 * own connection. Exit status: 0 printed, 1 not (why on stderr), 2 usage.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "model/catalogue.h"
#include "model/docdata.h"
#include "model/document.h"
#include "model/i18n.h"
#include "model/json.h"
#include "store/cases.h"
#include "store/catstore.h"
#include "util/conv.h"
#include "util/paths.h"
#include "util/printer.h"
#include "util/safetext.h"
#include "util/xalloc.h"

struct print_opts {
	const char *template, *type, *case_no, *notice, *office, *to, *encoding, *width;
};

static int
cmd_print_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang print --template NAME (--type CODE [--office CODE] | "
	    "--case NO | --notice NO) [--to file:PATH|lp[:PRINTER]|term|-] [--encoding utf-8|gb18030] "
	    "[--width 40|80]"));
	return 2;
}

/* A refused request that is the caller's mistake: the message, status 2. */
static int
cmd_print_bad(char *why)
{
	conv_fprintf(stderr, "yichuang: %s\n", why);
	free(why);
	return 2;
}

static int
cmd_print_fail(char *why)
{
	conv_fprintf(stderr, "yichuang: %s\n", why);
	free(why);
	return 1;
}

/* The guide's data from the latest catalogue: NULL with *why. */
static struct mu_value *
cmd_print_guide(struct db *db, const struct print_opts *o, char **why)
{
	struct cat_diags diags = { 0 };
	struct cat_def *def = NULL;
	struct mu_value *data = NULL;
	char *xml, *rng, date[64], *office = NULL;
	enum db_status st;
	int version = 0;

	xml = catstore_definition(db, o->type, &version, &st);
	if (xml == NULL) {
		*why = xasprintf(_("no case type %s in the loaded catalogue"), o->type);
		return NULL;
	}
	rng = paths_join(paths_datadir(), "forms/case-type.rng");
	if (cat_schema_load(rng, &diags))
		def = cat_parse(o->type, xml, strlen(xml), &diags);
	free(rng);
	free(xml);
	cat_diags_free(&diags);
	cat_schema_free();
	if (def == NULL) {
		*why = xasprintf(_("the definition of %s is damaged"), o->type);
		return NULL;
	}
	if (o->office != NULL) {
		PGresult *res = db_query(db, NULL, "SELECT name FROM yc.office WHERE code = $1", 1,
		    (const char *[]){ o->office });

		if (res != NULL && PQntuples(res) == 1)
			office = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (office == NULL) {
			*why = xasprintf("%s: %s", _("unknown office"), o->office);
			cat_def_free(&def);
			return NULL;
		}
	}
	docdata_date(time(NULL), date);
	data = docdata_guide(def, version, office, date);
	free(office);
	cat_def_free(&def);
	return data;
}

/* A case document's data from the server: NULL with *why. */
static struct mu_value *
cmd_print_case(struct db *db, const struct print_opts *o, char **why)
{
	const char *key = o->case_no != NULL ? o->case_no : o->notice;
	bool is_notice = key[0] == 'N';
	enum cases_result res = CASES_NOT_FOUND;
	struct mu_value *data = NULL;
	struct json *j;
	char *text = NULL, *err = NULL;

	/* A case number never starts with N, a notice number always does. */
	if (is_notice == (o->notice != NULL))
		text = cases_document(db, key, o->template, &res);
	switch (res) {
	case CASES_OK:
		break;
	case CASES_NOT_FOUND:
		*why = xasprintf(o->notice != NULL ? _("no such notice: %s") : _("no such case: %s"), key);
		return NULL;
	case CASES_BAD_INPUT:
		*why = xasprintf(_("%s: the document %s does not apply to it (another kind of notice, "
		    "or a case not in that state)"), key, o->template);
		return NULL;
	case CASES_DB_LOST:
		*why = xstrdup(_("The database connection was lost. Try again in a moment."));
		return NULL;
	default:
		*why = xstrdup(_("The database refused the request. Call the administrator."));
		return NULL;
	}
	j = json_parse(text, &err);
	if (j == NULL) {
		/* The server's own output: a bug, not the user's mistake. */
		*why = xasprintf("yc.case_document: %s", err);
		free(err);
	} else {
		data = json_to_mu(j);
		json_free(&j);
	}
	free(text);
	return data;
}

/* Whether name is one of the documents a definition may name. */
static bool
cmd_print_known(const char *name)
{
	for (size_t i = 0; cat_known_documents[i] != NULL; i++)
		if (strcmp(cat_known_documents[i], name) == 0)
			return true;
	return false;
}

static int
cmd_print_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct print_opts o = { .to = "-", .width = "80" };
	struct mu_value *data;
	struct db *db;
	char *why = NULL, *doc, *dir;
	int width;

	for (int i = 0; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--template") == 0 ? &o.template :
		    strcmp(argv[i], "--type") == 0 ? &o.type :
		    strcmp(argv[i], "--case") == 0 ? &o.case_no :
		    strcmp(argv[i], "--notice") == 0 ? &o.notice :
		    strcmp(argv[i], "--office") == 0 ? &o.office :
		    strcmp(argv[i], "--to") == 0 ? &o.to :
		    strcmp(argv[i], "--encoding") == 0 ? &o.encoding :
		    strcmp(argv[i], "--width") == 0 ? &o.width : NULL;

		if (slot == NULL || i + 1 >= argc)
			return cmd_print_usage();
		*slot = argv[++i];
	}
	width = atoi(o.width);
	if (o.template == NULL || (o.type != NULL) + (o.case_no != NULL) + (o.notice != NULL) != 1 ||
	    (o.office != NULL && o.type == NULL) || (width != 40 && width != 80))
		return cmd_print_usage();
	if (!cmd_print_known(o.template))
		return cmd_print_bad(xasprintf(_("unknown document template \"%s\""), o.template));
	if (strcmp(o.template, "guide") == 0 && o.type == NULL)
		return cmd_print_bad(xstrdup(_("the guide is printed for a case type: --type CODE")));
	if (strcmp(o.template, "guide") != 0 && o.type != NULL)
		return cmd_print_bad(xasprintf(_("%s is printed for a case: --case NO or --notice NO"),
		    o.template));
	/* A case document carries personal data: the application role gets it
	 * only for a staff session signed in on the same connection
	 * (yc.case_document), which a command does not have; it prints as the
	 * administrator. The guide is public. */
	if ((db = o.type != NULL ? cmd_open_app(ctx) : cmd_open_admin(ctx)) == NULL)
		return 1;
	data = o.type != NULL ? cmd_print_guide(db, &o, &why) : cmd_print_case(db, &o, &why);
	db_close(&db);
	if (data == NULL)
		return cmd_print_fail(why);
	dir = paths_join(paths_datadir(), "print_templates");
	doc = document_render(dir, o.template, data, width, &why);
	free(dir);
	mu_value_free(&data);
	if (doc == NULL)
		return cmd_print_fail(why);
	if (strcmp(o.to, "-") == 0) {
		/* standard output is often the terminal itself: no control
		 * character a stored value holds reaches it (as a channel) */
		char *clean = safetext_strip(doc),
		    *out = o.encoding != NULL ? conv_to(o.encoding, clean) : conv_to_terminal(clean);

		free(clean);
		if (out == NULL) {
			free(doc);
			return cmd_print_fail(xasprintf(_("Unknown encoding: %s"), o.encoding));
		}
		fputs(out, stdout);
		free(out);
	} else {
		struct printer *p = printer_open(strcmp(o.to, "term") == 0 ? "passthrough" : o.to, i18n_get,
		    &why);

		if (p == NULL || !printer_set_encoding(p, o.encoding) || printer_print(p, doc, &why) != 0) {
			if (p != NULL && why == NULL)
				why = xasprintf(_("Unknown encoding: %s"), o.encoding);
			printer_free(&p);
			free(doc);
			return cmd_print_fail(why);
		}
		printer_free(&p);
	}
	free(doc);
	return 0;
}

const struct cmd_entry cmd_print_entry = {
	.name = "print",
	.usage = N_("yichuang print --template NAME (--type CODE [--office CODE] | --case NO | --notice NO) "
	    "[--to file:PATH|lp[:PRINTER]|term|-] [--encoding utf-8|gb18030] [--width 40|80]"),
	.exec = cmd_print_exec,
};
