/*
 * Ending the intake (see counter.h, counter_int.h): F6 offers the
 * outcomes the checklist allows, the case is recorded, its papers printed
 * and previewed, and the citizen is asked for the 好差评 rating.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/counter_int.h"
#include "model/i18n.h"
#include "model/intake.h"
#include "ui/preview.h"
#include "ui/printout.h"
#include "util/xalloc.h"

static const char *const counter_grades[] = {
	N_("Very satisfied"), N_("Satisfied"), N_("Basically satisfied"), N_("Dissatisfied"),
	N_("Very dissatisfied"), N_("Skip (no rating)")
};

void
counter_ask_outcome(struct app *app, struct counter *c)
{
	static const struct {
		unsigned o;
		const char *label;
	} all[] = {
		{ IO_ACCEPT, N_("Accept") },
		{ IO_IMMEDIATE, N_("Finish at once") },
		{ IO_SUPPLEMENT, N_("One-time notice of the missing materials") },
		{ IO_DEFER, N_("Accept with materials deferred") },
		{ IO_REJECT, N_("Refuse") },
	};
	unsigned open = intake_outcomes(c->in);
	const char *labels[PROMPT_ITEMS];
	char *bad = NULL;
	int n = 0;

	counter_check_row(app, c, &c->rows[c->cur]);
	if (!intake_complete_form(c->in, counter_today(), &bad)) {
		app_message(app, TS_ERROR, bad);
		free(bad);
		return;
	}
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (open & all[i].o) {
			c->outcome_of[n] = all[i].o;
			labels[n++] = _(all[i].label);
		}
	prompt_menu(&c->prompt, CP_OUTCOME, _("End this intake:"), labels, n);
}

/* At most this many documents per outcome. */
#define COUNTER_DOCS 4

/* The documents an outcome prints: template names and the key to read.
 * A case accepted on the 承诺制 path also prints its 个人承诺书 (read by
 * the case number) for signature. */
static int
counter_documents(const struct counter *c, enum cases_outcome o, const struct cases_intake_out *out,
    const char *tpl[COUNTER_DOCS], const char **key)
{
	int n = 0;

	*key = out->notice_no[0] != '\0' ? out->notice_no : out->case_no;
	switch (o) {
	case CO_ACCEPT:
		tpl[n++] = "acceptance-notice";
		*key = out->case_no;
		break;
	case CO_IMMEDIATE:
		tpl[n++] = "receipt";
		for (size_t i = 0; i < c->def->ndocuments; i++)
			if (strcmp(c->def->documents[i], "certificate") == 0)
				tpl[n++] = "certificate";
		*key = out->case_no;
		break;
	case CO_SUPPLEMENT:
		tpl[n++] = "supplement-notice";
		break;
	case CO_DEFER:
		tpl[n++] = "deferred-notice";
		tpl[n++] = "commitment";
		break;
	case CO_REJECT:
		tpl[n++] = "rejection-notice";
		break;
	}
	if ((o == CO_ACCEPT || o == CO_IMMEDIATE || o == CO_DEFER) && intake_pledged(c->in))
		for (size_t i = 0; i < c->def->ndocuments; i++)
			if (strcmp(c->def->documents[i], "pledge") == 0)
				tpl[n++] = "pledge";
	return n;
}

static char *
counter_done_text(const struct app *app, const struct counter *c, enum cases_outcome o,
    const struct cases_intake_out *out)
{
	char *date, *text;

	switch (o) {
	case CO_ACCEPT:
	case CO_DEFER:
		/* a promise in months is not counted in working days */
		date = app_date(app, out->promised, intake_limit(c->in)->kind == CAT_WORKDAYS);
		text = xasprintf(_("Case %s accepted; promised by %s."), out->case_no, date);
		free(date);
		return text;
	case CO_IMMEDIATE:
		return xasprintf(_("Case %s finished at once."), out->case_no);
	case CO_SUPPLEMENT:
		return xasprintf(_("Case %s waits for materials: notice %s."), out->case_no, out->notice_no);
	case CO_REJECT:
		return xasprintf(_("Case %s refused: notice %s."), out->case_no, out->notice_no);
	}
	return xstrdup("");
}

/* Records the intake with outcome o; on success prints and asks for the rating. */
static void
counter_submit(struct app *app, struct counter *c, enum cases_outcome o, const char *reason)
{
	struct intake *in = c->in;
	struct cases_intake_req req = { .type_code = c->def->code, .version = in->version,
		.continue_case = in->continue_case, .id_no = in->id_no,
		.channel = (enum cases_channel)in->channel, .ticket_id = in->ticket_id,
		.outcome = o, .reason = reason };
	struct cases_intake_out out;
	const char *tpl[COUNTER_DOCS], *key, *whats[COUNTER_DOCS];
	char *docs[COUNTER_DOCS], *why = NULL;
	const char **ids;
	enum cases_result r = CASES_OK;
	int n, nd = 0;

	if (!app_db_ensure(app)) {
		if (counter_flush(app, c, true))	/* else it said that nothing is kept */
			app_message(app, TS_ERROR, _("The database is not reachable. Everything is kept on "
			    "this machine; press F6 again when the connection is back."));
		return;
	}
	if (in->continue_case == NULL && !in->person_known)
		r = cases_person_register(app->db, app->session.id, in->id_no, in->name, in->phone);
	if (in->proxy) {
		req.agent_id_no = in->agent_id;
		req.agent_name = in->agent_name;
	}
	if (in->channel == IC_MAIL) {
		req.mail_address = in->mail_address;
		req.mail_tracking = in->mail_tracking;
	}
	ids = xcalloc(c->def->nfields + 1, sizeof *ids);
	for (size_t i = 0; i < c->def->nfields; i++)
		ids[i] = c->def->fields[i].id;
	req.field_ids = ids;
	req.field_values = (const char *const *)in->values;
	req.nfields = c->def->nfields;
	req.seen = intake_seen_ids(in, &req.nseen);
	req.deferred = o == CO_DEFER ? intake_missing_ids(in, &req.ndeferred) : NULL;
	if (r == CASES_OK)
		r = cases_intake(app->db, app->session.id, &req, &out);
	free(ids);
	free((void *)req.seen);
	free((void *)req.deferred);
	if (r != CASES_OK && in->continue_case != NULL && (r == CASES_NOT_PENDING || r == CASES_NOT_FOUND)) {
		/* another window took up the same 补正 first: say who */
		char *msg = cases_moved_on_message(app->db, app->session.id, in->continue_case, r);

		app_message(app, TS_ERROR, msg);
		free(msg);
		return;
	}
	if (r != CASES_OK) {
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, cases_result_message(r));
		return;
	}
	counter_draft_remove(app);
	snprintf(c->case_no, sizeof c->case_no, "%s", out.case_no);
	free(c->done_msg);
	app_calendar_refresh(app);
	c->done_msg = counter_done_text(app, c, o, &out);
	c->phase = PH_RATE;
	n = counter_documents(c, o, &out, tpl, &key);
	for (int i = 0; i < n; i++) {
		/* the 承诺书 belongs to the case, whatever notice came with it */
		char *doc = printout_case(app, tpl[i], strcmp(tpl[i], "pledge") == 0 ? out.case_no : key, &why);

		if (doc == NULL) {
			printout_failed(app, why);
			why = NULL;
			continue;
		}
		whats[nd] = printout_document_name(tpl[i]);
		docs[nd++] = doc;
	}
	app_message(app, TS_OK, c->done_msg);
	if (nd > 0)
		preview_open(app, docs, whats, (size_t)nd, AV_COUNTER);
	else
		app_switch(app, AV_COUNTER);
}

void
counter_finish(struct app *app, struct counter *c)
{
	char *msg = c->done_msg != NULL ? xstrdup(c->done_msg) : NULL;

	counter_reset(c);
	app_switch(app, AV_WORKBENCH);
	if (msg != NULL)
		app_message(app, TS_OK, msg);
	free(msg);
}

/* 不予受理 of a type whose definition lists reasons: those, then one the
 * clerk types (the database refuses one the definition forbids). */
static void
counter_reason_menu(struct counter *c)
{
	const char *labels[PROMPT_ITEMS];
	int n = 0;

	for (size_t i = 0; i < c->def->nrefusals && n < PROMPT_ITEMS - 1; i++)
		labels[n++] = c->def->refusals[i];
	labels[n++] = _("Another reason (type it)");
	prompt_menu(&c->prompt, CP_REASON_PICK, _("Reason for refusing (printed on the notice):"), labels, n);
}

void
counter_answer(struct app *app, struct counter *c, int tag, int choice)
{
	static const enum cases_outcome map[] = { CO_ACCEPT, CO_IMMEDIATE, CO_SUPPLEMENT, CO_DEFER, CO_REJECT };

	switch (tag) {
	case CP_OUTCOME: {
		unsigned o = c->outcome_of[choice];
		int bit = 0;

		while ((1u << bit) != o)
			bit++;
		if (map[bit] == CO_REJECT && c->def->nrefusals > 0)
			counter_reason_menu(c);
		else if (map[bit] == CO_REJECT)
			prompt_field(&c->prompt, CP_REASON, _("Reason for refusing (printed on the notice):"),
			    60, false);
		else
			counter_submit(app, c, map[bit], NULL);
		break;
	}
	case CP_REASON_PICK:
		if ((size_t)choice < c->def->nrefusals)
			counter_submit(app, c, CO_REJECT, c->def->refusals[choice]);
		else
			prompt_field(&c->prompt, CP_REASON, _("Reason for refusing (printed on the notice):"),
			    60, false);
		break;
	case CP_REASON: {
		char *reason = xstrdup(field_text(&c->prompt.field));
		struct val_result vr;

		if (!val_text(reason, 2, 60, NULL, &vr))
			app_message(app, TS_ERROR, _("State the reason for refusing (2 to 60 characters)."));
		else
			counter_submit(app, c, CO_REJECT, vr.normalised);
		free(reason);
		break;
	}
	case CP_LEAVE:
		if (choice == 0) {
			counter_changed(app, c, true);
			if (!counter_flush(app, c, true))
				break;	/* nowhere to keep it: the clerk stays, told why */
			counter_reset(c);
			app_switch(app, AV_WORKBENCH);
			app_message(app, TS_OK, _("The intake was kept as a draft; F7 opens it again."));
		} else if (choice == 1) {
			const char *labels[] = { _("No, go on filling in"), _("Yes, discard it") };

			prompt_menu(&c->prompt, CP_DISCARD, _("Discard this intake? What was typed is deleted, "
			    "here and in the database."), labels, 2);
		}
		break;
	case CP_DISCARD:
		if (choice == 1) {
			counter_draft_remove(app);
			counter_reset(c);
			app_switch(app, AV_WORKBENCH);
			app_message(app, TS_NORMAL, _("The intake was discarded."));
		}
		break;
	case CP_RATE:
		if (choice < 5) {
			enum cases_result r = cases_rate(app->db, app->session.id, c->case_no,
			    c->in != NULL ? c->in->ticket_id : 0, choice + 1);

			if (r != CASES_OK) {
				app_message(app, TS_ERROR, cases_result_message(r));
				return;
			}
		}
		counter_finish(app, c);
		break;
	}
}

void
counter_enter(struct app *app, struct view *v)
{
	struct counter *c = v->data;

	if (c != NULL && c->phase == PH_RATE && !prompt_active(&c->prompt) && c->in != NULL &&
	    c->in->ticket_id > 0 && cases_window_screen(app->db, app->session.id)) {
		/* the window screen asks the citizen once the ticket is finished */
		char *msg = xasprintf("%s %s", c->done_msg != NULL ? c->done_msg : "",
		    _("The citizen rates this service on the window screen."));

		free(c->done_msg);
		c->done_msg = msg;
		counter_finish(app, c);
		return;
	}
	if (c != NULL && c->phase == PH_RATE && !prompt_active(&c->prompt)) {
		const char *labels[6];

		for (int i = 0; i < 6; i++)
			labels[i] = _(counter_grades[i]);
		prompt_menu(&c->prompt, CP_RATE, _("Please ask the citizen to rate this service (1-5):"),
		    labels, 6);
	}
}
