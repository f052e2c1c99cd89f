/*
 * yichuang print --template guide --type CODE [--office CODE]
 *     [--to file:PATH|lp[:PRINTER]|term|-] [--encoding utf-8|gb18030] [--width 40|80]
 * Renders a document and sends it to a print channel ("term" is the
 * printer attached to this terminal, by pass-through; "-" standard
 * output). The case documents come with the intake.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "model/catalogue.h"
#include "model/docdata.h"
#include "model/document.h"
#include "model/i18n.h"
#include "store/catstore.h"
#include "util/conv.h"
#include "util/paths.h"
#include "util/printer.h"
#include "util/xalloc.h"

struct print_opts {
	const char *template, *type, *office, *to, *encoding, *width;
};

static int
cmd_print_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang print --template guide --type CODE [--office CODE] "
	    "[--to file:PATH|lp[:PRINTER]|term|-] [--encoding utf-8|gb18030] [--width 40|80]"));
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
		    strcmp(argv[i], "--office") == 0 ? &o.office :
		    strcmp(argv[i], "--to") == 0 ? &o.to :
		    strcmp(argv[i], "--encoding") == 0 ? &o.encoding :
		    strcmp(argv[i], "--width") == 0 ? &o.width : NULL;

		if (slot == NULL || i + 1 >= argc)
			return cmd_print_usage();
		*slot = argv[++i];
	}
	width = atoi(o.width);
	if (o.template == NULL || strcmp(o.template, "guide") != 0 || o.type == NULL ||
	    (width != 40 && width != 80))
		return cmd_print_usage();
	if ((db = cmd_open_app(ctx)) == NULL)
		return 1;
	data = cmd_print_guide(db, &o, &why);
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
		char *out = o.encoding != NULL ? conv_to(o.encoding, doc) : conv_to_terminal(doc);

		if (out == NULL) {
			free(doc);
			return cmd_print_fail(xasprintf(_("Unknown encoding: %s"), o.encoding));
		}
		fputs(out, stdout);
		free(out);
	} else {
		struct printer *p = printer_open(strcmp(o.to, "term") == 0 ? "passthrough" : o.to, &why);

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
	.usage = N_("yichuang print --template guide --type CODE [--office CODE] "
	    "[--to file:PATH|lp[:PRINTER]|term|-] [--encoding utf-8|gb18030] [--width 40|80]"),
	.exec = cmd_print_exec,
};
