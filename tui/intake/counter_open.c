/*
 * Starting the intake (see counter.h): a new case of a type, or the 补正
 * of a case waiting for materials. Resuming a draft is in counter_draft.c.
 */
#include <string.h>

#include "intake/counter_int.h"
#include "model/i18n.h"
#include "model/intake.h"
#include "store/catstore.h"
#include "util/xalloc.h"

static struct counter *
counter_data(struct app *app)
{
	struct view *v = &app->views[AV_COUNTER];

	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct counter));
	return v->data;
}

/* Starts the screen on def (taken over) with a new intake. */
struct counter *
counter_begin(struct app *app, struct cat_def *def, int version)
{
	struct counter *c = counter_data(app);

	counter_reset(c);
	c->def = def;
	c->in = intake_new(def, version);
	c->in->ticket_id = app->ticket_id;
	return c;
}

struct cat_def *
counter_load_def(struct app *app, const char *code, int *version)
{
	enum db_status st;
	bool damaged;
	struct cat_def *def = catstore_def(app->db, code, version, &st, &damaged);

	if (def == NULL) {
		if (st == DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, damaged ?
		    _("The case type definition is damaged. Call the administrator.") :
		    _("The case type could not be read. Call the administrator."));
	}
	return def;
}

void
counter_open(struct app *app, const char *code)
{
	struct cat_def *def;
	struct counter *c;
	int version = 0;

	if (!app_takes_cases(app)) {
		app_message(app, TS_ERROR, _("Only counter clerks and supervisors take cases."));
		return;
	}
	if (app->db_lost) {
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return;
	}
	if ((def = counter_load_def(app, code, &version)) == NULL)
		return;
	c = counter_begin(app, def, version);
	counter_build_rows(c);
	counter_changed(app, c, true);
	app_message(app, TS_NORMAL, _("Type the applicant's ID number; Tab moves on, Space ticks."));
	app_switch(app, AV_COUNTER);
}

void
counter_continue(struct app *app, const struct cases_found *f)
{
	struct cases_material mats[64];
	enum cases_result r;
	struct cat_def *def;
	struct counter *c;
	char **ids = NULL, **vals = NULL;
	size_t nform = 0;
	int version = f->version, n;

	if ((def = counter_load_def(app, f->type_code, &version)) == NULL)
		return;
	c = counter_begin(app, def, version);
	intake_set(&c->in->continue_case, f->case_no);
	intake_set(&c->in->id_no, f->id_no);
	intake_set(&c->in->name, f->person_name);
	c->in->person_known = true;
	c->in->channel = (enum intake_channel)f->channel;
	c->in->proxy = f->agent_id_no[0] != '\0';
	intake_set(&c->in->agent_id, f->agent_id_no);
	intake_set(&c->in->agent_name, f->agent_name);
	n = cases_materials(app->db, app->session.id, f->case_no, mats, 64, &r);
	/* a material the case has no row of (not on its path) is never asked for */
	for (size_t k = 0; k < c->in->nmats; k++)
		c->in->mats[k].st = IM_NOT_ASKED;
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < c->in->nmats; k++)
			if (strcmp(c->in->mats[k].m->id, mats[i].id) == 0)
				c->in->mats[k].st = strcmp(mats[i].state, "missing") == 0 && mats[i].noticed ?
				    IM_MISSING : strcmp(mats[i].state, "missing") == 0 ||
				    strcmp(mats[i].state, "not_needed") == 0 ? IM_NOT_ASKED : IM_DONE;
	if (n >= 0 && cases_form(app->db, app->session.id, f->case_no, &ids, &vals, &nform) == CASES_OK) {
		for (size_t i = 0; i < nform; i++) {
			int j = cat_def_field(def, ids[i]);

			if (j >= 0)
				intake_set(&c->in->values[j], vals[i]);
		}
		cases_form_free(ids, vals, nform);
	}
	if (n < 0) {
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, cases_result_message(r));
		counter_reset(c);
		return;
	}
	counter_build_rows(c);
	counter_changed(app, c, true);
	app_message(app, TS_NORMAL, _("Tick what the citizen brought now; only what the notice listed "
	    "can be asked for."));
	app_switch(app, AV_COUNTER);
}
