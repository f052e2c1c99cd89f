/*
 * yichuang forms check|load|list: the 事项 catalogue.
 *   check [DIR]               validate every definition; "file:line: message"
 *                             per problem, exit 1 on any, 0 when clean
 *   load [DIR] [--if-changed] [--force]
 *                             load as a new catalogue version, all or nothing;
 *                             a directory without definitions is refused, and
 *                             so is one that would remove more than half of
 *                             the loaded case types, unless --force
 *   list                      code, name, tiers and limit of the loaded version
 * DIR defaults to the installed forms/ directory.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/catalogue.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/catstore.h"
#include "util/conv.h"
#include "util/paths.h"
#include "util/xalloc.h"

/* Loads and checks DIR against the installed schema, printing every
 * problem; NULL when there were any. */
static struct catalogue *
cmd_forms_read(const char *dir)
{
	struct cat_diags diags = { 0 };
	char *rng = paths_join(paths_datadir(), "forms/case-type.rng");
	struct catalogue *cat = NULL;

	/* The schema is the program's own, whichever directory is checked. */
	if (cat_schema_load(rng, &diags))
		cat = cat_load_dir(dir, &diags);
	free(rng);

	for (size_t i = 0; i < diags.n; i++) {
		if (diags.d[i].line > 0)
			conv_fprintf(stdout, "%s:%d: %s\n", diags.d[i].file, diags.d[i].line,
			    diags.d[i].message);
		else
			conv_fprintf(stdout, "%s: %s\n", diags.d[i].file, diags.d[i].message);
	}
	/* a catalogue of no case type would stop every intake */
	if (cat != NULL && cat->n == 0) {
		conv_fprintf(stdout, "%s: %s\n", dir, _("no case type definition (CODE.xml) in this directory"));
		conv_fprintf(stdout, _("%zu problem(s) found; nothing was loaded.\n"), (size_t)1);
		cat_free(&cat);
	} else if (diags.n > 0) {
		conv_fprintf(stdout, _("%zu problem(s) found; nothing was loaded.\n"), diags.n);
		cat_free(&cat);
	}
	cat_diags_free(&diags);
	return cat;
}

static char *
cmd_forms_dir(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (argv[i][0] != '-')
			return xstrdup(argv[i]);
	return paths_join(paths_datadir(), "forms");
}

static int
cmd_forms_check(int argc, char **argv)
{
	char *dir = cmd_forms_dir(argc, argv);
	struct catalogue *cat = cmd_forms_read(dir);
	int rc = cat != NULL ? 0 : 1;

	if (cat != NULL)
		conv_fprintf(stdout, _("%zu definition(s) in %s: no problems.\n"), cat->n, dir);
	cat_free(&cat);
	cat_schema_free();
	free(dir);
	return rc;
}

static int
cmd_forms_load(const struct cmd_ctx *ctx, int argc, char **argv)
{
	char *dir = cmd_forms_dir(argc, argv), *err = NULL;
	bool if_changed = false, force = false;
	struct catstore_removal rm;
	struct catalogue *cat;
	struct passwd *pw = getpwuid(getuid());
	struct db *db;
	int version = 0, rc = 1;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--if-changed") == 0)
			if_changed = true;
		else if (strcmp(argv[i], "--force") == 0)
			force = true;
		else if (argv[i][0] == '-') {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown option"), argv[i]);
			free(dir);
			return 2;
		}
	}
	cat = cmd_forms_read(dir);
	free(dir);
	cat_schema_free();
	if (cat == NULL)
		return 1;
	db = cmd_open_admin(ctx);
	if (db != NULL) {
		switch (catstore_load(db, cat, pw != NULL ? pw->pw_name : "?", if_changed, force, &version,
		    &rm, &err)) {
		case CATSTORE_LOADED:
			conv_fprintf(stdout, _("Catalogue version %d loaded: %zu definition(s).\n"),
			    version, cat->n);
			if (rm.removed > 0)
				conv_fprintf(stdout, _("%d case type(s) of version %d are no longer offered: %s\n"),
				    rm.removed, version - 1, rm.codes);
			rc = 0;
			break;
		case CATSTORE_REFUSED:
			conv_fprintf(stderr, _("yichuang: refused: this catalogue would remove %d of the %d case "
			    "types of version %d (%s), and no intake could take them any more. Nothing was "
			    "loaded. Check the directory; to remove them on purpose, load with --force.\n"),
			    rm.removed, rm.current, version, rm.codes);
			break;
		case CATSTORE_UNCHANGED:
			conv_fprintf(stdout, _("Catalogue unchanged: version %d is current.\n"), version);
			rc = 0;
			break;
		case CATSTORE_FAILED:
			conv_fprintf(stderr, "yichuang: %s\n", err);
			free(err);
			break;
		}
		db_close(&db);
	}
	cat_free(&cat);
	return rc;
}

static int
cmd_forms_list(const struct cmd_ctx *ctx)
{
	struct db *db = cmd_open_admin(ctx);
	struct cat_summary *list;
	enum db_status st;
	int n;

	if (db == NULL)
		return 1;
	n = catstore_list(db, 0, &list, &st);
	if (n < 0) {
		conv_fprintf(stderr, "yichuang: %s\n", db_detail(db));
		db_close(&db);
		return 1;
	}
	if (n == 0)
		conv_fprintf(stdout, "%s\n", _("No catalogue is loaded: run `yichuang forms load`."));
	for (int i = 0; i < n; i++) {
		char *tiers = cat_tiers_text(list[i].tiers);
		char *name = text_pad(list[i].name, 40, -1);
		char *tiercol = text_pad(tiers, 40, -1);

		conv_fprintf(stdout, "%s  %s  %s  %s\n", list[i].code, name, tiercol, list[i].limit);
		free(tiercol);
		free(tiers);
		free(name);
	}
	catstore_list_free(&list, n);
	db_close(&db);
	return 0;
}

static int
cmd_forms_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "check") == 0)
		return cmd_forms_check(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "load") == 0)
		return cmd_forms_load(ctx, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return cmd_forms_list(ctx);
	conv_fprintf(stderr, "%s\n", _("usage: yichuang forms check [DIR] | load [DIR] [--if-changed] [--force] | list"));
	return 2;
}

const struct cmd_entry cmd_forms_entry = {
	.name = "forms",
	.usage = N_("yichuang forms check [DIR] | load [DIR] [--if-changed] [--force] | list"),
	.exec = cmd_forms_exec,
};
