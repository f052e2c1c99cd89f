/* Printing from the workstation; see printout.h. */
#include "ui/printout.h"

#include <stdlib.h>
#include <string.h>

#include "model/document.h"
#include "model/i18n.h"
#include "model/json.h"
#include "store/cases.h"
#include "store/cluster.h"
#include "store/offices.h"
#include "util/paths.h"
#include "util/printer.h"
#include "util/xalloc.h"

const char *
printout_document_name(const char *template)
{
	static const struct {
		const char *template, *name;
	} names[] = {
		{ "acceptance-notice", N_("Acceptance notice") },
		{ "receipt", N_("Receipt") },
		{ "certificate", N_("Insurance certificate") },
		{ "supplement-notice", N_("One-time notice") },
		{ "deferred-notice", N_("Deferred-acceptance notice") },
		{ "commitment", N_("Letter of commitment") },
		{ "rejection-notice", N_("Refusal notice") },
		{ "completion-notice", N_("Completion notice") },
		{ "extension-notice", N_("Extension notice") },
		{ "withdrawal-notice", N_("Withdrawal confirmation") },
		{ "termination-notice", N_("Termination notice") },
		{ "pledge", N_("Letter of pledge (承诺制)") },
		{ "appointment-slip", N_("Appointment slip") },
		{ "daily-report", N_("Daily report") },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].template, template) == 0)
			return _(names[i].name);
	return template;
}

void
printout_failed(struct app *app, char *why)
{
	char *msg = xasprintf(_("Printing failed: %s"), why != NULL ? why : "");

	app_message(app, TS_ERROR, msg);
	free(msg);
	free(why);
}

char *
printout_render(struct app *app, const char *template, const struct mu_value *data, char **why)
{
	char *dir = paths_join(paths_datadir(), "print_templates");
	char *doc = document_render(dir, template, data, printout_width(app), why);

	free(dir);
	return doc;
}

char *
printout_case(struct app *app, const char *template, const char *key, char **why)
{
	enum cases_result r;
	char *text = cases_document(app->db, key, template, &r), *doc = NULL;
	struct json *j;
	struct mu_value *data;

	if (text == NULL) {
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		*why = xstrdup(cases_result_message(r));
		return NULL;
	}
	j = json_parse(text, why);
	free(text);
	if (j == NULL)
		return NULL;
	data = json_to_mu(j);
	json_free(&j);
	doc = printout_render(app, template, data, why);
	mu_value_free(&data);
	return doc;
}

int
printout_width(const struct app *app)
{
	if (app->opt->print_width > 0)
		return app->opt->print_width;
	return app->win_print_width == 40 ? 40 : 80;
}

/* The window's encoding: --print-encoding, else the window's (NULL: the
 * channel's default). */
static const char *
printout_encoding(const struct app *app)
{
	return app->opt->print_encoding != NULL ? app->opt->print_encoding : app->win_encoding;
}

void
printout_window_forget(struct app *app)
{
	free(app->win_printer);
	free(app->win_encoding);
	app->win_printer = app->win_encoding = NULL;
	app->win_print_width = 0;
}

void
printout_window_load(struct app *app)
{
	struct offices_printer p;

	printout_window_forget(app);
	if (app->session.window_no <= 0 ||
	    !offices_window_printer(app->db, app->session.office_code, app->session.window_no, &p))
		return;
	if (p.channel[0] != '\0')
		app->win_printer = xstrdup(p.channel);
	if (p.encoding[0] != '\0')
		app->win_encoding = xstrdup(p.encoding);
	app->win_print_width = p.width;
	if (app->win_printer != NULL && app->opt->printer == NULL) {
		char *msg = xasprintf(_("Window %d prints to %s (the window's setting)."),
		    app->session.window_no, app->win_printer);

		app_message(app, TS_NORMAL, msg);
		free(msg);
	}
}

/* The window's print channel: --printer, else the window's, else a file
 * per office and window. */
static char *
printout_spec(struct app *app)
{
	char *var, *spec, *name;

	if (app->opt->printer != NULL)
		return xstrdup(app->opt->printer);
	if (app->win_printer != NULL)
		return xstrdup(app->win_printer);
	var = cluster_default_var();
	name = xasprintf("%s-%d.txt", app->session.office_code, app->session.window_no);
	spec = printer_spool(var, name);
	free(name);
	free(var);
	return spec;
}

static bool
printout_out(struct app *app, const char *doc, const char *what)
{
	char *why = NULL, *spec = printout_spec(app);
	struct printer *p = printer_open(spec, i18n_get, &why);
	bool ok = false;

	if (p != NULL && !printer_set_encoding(p, printout_encoding(app)))
		why = xasprintf(_("Unknown encoding: %s"), printout_encoding(app));
	if (p != NULL && why == NULL && printer_print(p, doc, &why) == 0) {
		char *msg = xasprintf(_("%s printed (%s)."), what, printer_spec(p));

		app_message(app, TS_OK, msg);
		ok = true;
		free(msg);
	} else {
		printout_failed(app, why);
	}
	/* Pass-through output may have shown on a terminal without a printer. */
	if (p != NULL && printer_kind(p) == PRINTER_PASSTHROUGH)
		app_dirty(app, AD_ALL);
	printer_free(&p);
	free(spec);
	return ok;
}

bool
printout_send(struct app *app, const char *doc, const char *what)
{
	if (app->last_doc != doc) {
		printout_forget(app);
		app->last_doc = xstrdup(doc);
		app->last_doc_what = xstrdup(what);
	}
	return printout_out(app, doc, what);
}

bool
printout_reprint(struct app *app)
{
	if (app->last_doc == NULL) {
		app_message(app, TS_NORMAL, _("Nothing has been printed yet."));
		return false;
	}
	return printout_out(app, app->last_doc, app->last_doc_what);
}

void
printout_forget(struct app *app)
{
	free(app->last_doc);
	free(app->last_doc_what);
	app->last_doc = app->last_doc_what = NULL;
}
