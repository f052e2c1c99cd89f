/*
 * The intake at the counter; see counter.h. One screen of rows: the
 * channel, the applicant (ID number, then the name when the register does
 * not know them), 委托办理 and the agent, the typed fields of the
 * definition, and the materials checklist (Space ticks). Up/Down/Tab move,
 * every move checks the row left (a message, never a cleared field). F6
 * ends the intake with one of the outcomes the checklist allows. Where the
 * type offers 承诺制, its pledge is a line of its group and F3 ticks it.
 *
 * This file holds the rows, the checks and the keys; the rest of the
 * screen is in counter_*.c (see counter_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intake/counter_int.h"
#include "model/i18n.h"
#include "model/intake.h"
#include "ui/printout.h"
#include "util/xalloc.h"

struct cal_date
counter_today(void)
{
	return cal_date_cn(time(NULL));
}

void
counter_reset(struct counter *c)
{
	intake_free(&c->in);
	cat_def_free(&c->def);
	free(c->rows);
	free(c->done_msg);
	free(c->policy_line);
	prompt_close(&c->prompt);
	field_clear(&c->field);
	memset(c, 0, sizeof *c);
}

/* ---- rows --------------------------------------------------------------- */

static void
counter_push(struct counter *c, enum row_kind kind, size_t idx)
{
	c->rows = xreallocarray(c->rows, c->nrows + 1, sizeof *c->rows);
	c->rows[c->nrows++] = (struct row){ kind, idx };
}

bool
counter_editable(const struct counter *c, const struct row *r)
{
	if (r->kind == R_HEAD)
		return false;
	if (c->in->continue_case != NULL)	/* 补正: only what the notice listed, and its package */
		return r->kind == R_MAIL_TRACKING || (r->kind == R_MAT && (c->in->mats[r->idx].st == IM_MISSING ||
		    c->in->mats[r->idx].st == IM_SEEN));
	return r->kind != R_NAME || !c->in->person_known;
}

bool
counter_is_text(const struct counter *c, const struct row *r)
{
	return r->kind == R_ID || r->kind == R_NAME || r->kind == R_PHONE || r->kind == R_AGENT_ID ||
	    r->kind == R_AGENT_NAME || r->kind == R_MAIL_ADDRESS || r->kind == R_MAIL_TRACKING ||
	    (r->kind == R_FIELD && c->def->fields[r->idx].type != CAT_CHOICE);
}

char **
counter_slot(struct counter *c, const struct row *r)
{
	switch (r->kind) {
	case R_ID:
		return &c->in->id_no;
	case R_NAME:
		return &c->in->name;
	case R_PHONE:
		return &c->in->phone;
	case R_AGENT_ID:
		return &c->in->agent_id;
	case R_AGENT_NAME:
		return &c->in->agent_name;
	case R_MAIL_ADDRESS:
		return &c->in->mail_address;
	case R_MAIL_TRACKING:
		return &c->in->mail_tracking;
	case R_FIELD:
		return &c->in->values[r->idx];
	default:
		return NULL;
	}
}

/* Loads the editor with the current row's text. */
static void
counter_load_field(struct counter *c)
{
	const struct row *r = &c->rows[c->cur];
	int max = 60;

	if (r->kind == R_ID || r->kind == R_AGENT_ID)
		max = 22;
	else if (r->kind == R_MAIL_ADDRESS)
		max = 200;
	else if (r->kind == R_MAIL_TRACKING)
		max = 40;
	else if (r->kind == R_FIELD && c->def->fields[r->idx].max_len > 0)
		max = c->def->fields[r->idx].max_len;
	field_init(&c->field, max, false, false);
	if (counter_is_text(c, r))
		field_set(&c->field, *counter_slot(c, r));
}

void
counter_build_rows(struct counter *c)
{
	enum row_kind keep = c->nrows > 0 ? c->rows[c->cur].kind : R_ID;
	size_t keep_idx = c->nrows > 0 ? c->rows[c->cur].idx : 0;

	c->nrows = 0;
	counter_push(c, R_HEAD, 0);
	counter_push(c, R_CHANNEL, 0);
	counter_push(c, R_ID, 0);
	counter_push(c, R_NAME, 0);
	counter_push(c, R_PHONE, 0);
	if (c->def->proxy_allowed)
		counter_push(c, R_PROXY, 0);
	if (c->in->proxy) {
		counter_push(c, R_AGENT_ID, 0);
		counter_push(c, R_AGENT_NAME, 0);
	}
	if (c->in->channel == IC_MAIL) {
		if (c->in->continue_case == NULL)
			counter_push(c, R_MAIL_ADDRESS, 0);
		counter_push(c, R_MAIL_TRACKING, 0);
	}
	if (c->def->nfields > 0)
		counter_push(c, R_HEAD, 1);
	for (size_t i = 0; i < c->def->nfields; i++)
		counter_push(c, R_FIELD, i);
	counter_push(c, R_HEAD, 2);
	for (size_t k = 0; k < c->in->nmats; k++)
		if (intake_mat_active(c->in, k))
			counter_push(c, R_MAT, k);
	c->cur = 0;
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].kind == keep && c->rows[i].idx == keep_idx)
			c->cur = i;
	while (c->cur < c->nrows && !counter_editable(c, &c->rows[c->cur]))
		c->cur++;
	if (c->cur >= c->nrows)
		c->cur = 0;
	counter_load_field(c);
}

/* ---- checks when leaving a row ----------------------------------------- */

/* The applicant's ID was entered: normalise it, look the person up, warn
 * of an open case of the same type, fill the form's own ID field. */
void
counter_applicant(struct app *app, struct counter *c)
{
	struct cases_person p;
	struct val_result vr;
	struct val_idno id;
	enum cases_result r;

	c->person[0] = c->dup_case[0] = '\0';
	if (!val_idno(c->in->id_no, counter_today(), &id, &vr)) {
		c->in->person_known = false;
		return;
	}
	intake_set(&c->in->id_no, vr.normalised);
	snprintf(c->person, sizeof c->person, _("%s · %d years"), id.sex == 'F' ? _("female") : _("male"),
	    id.age);
	r = app->db_lost ? CASES_DB_LOST : cases_person_find(app->db, app->session.id, id.id, &p);
	if (r == CASES_OK) {
		c->in->person_known = true;
		intake_set(&c->in->name, p.name);
		if (val_blank(c->in->phone))
			intake_set(&c->in->phone, p.phone);
	} else {
		c->in->person_known = false;
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		else
			snprintf(c->person + strlen(c->person), sizeof c->person - strlen(c->person), "%s",
			    _(" · not registered yet: type the name"));
	}
	for (size_t i = 0; i < c->def->nfields; i++) {
		if (c->def->fields[i].type == CAT_IDNO && val_blank(c->in->values[i]))
			intake_set(&c->in->values[i], id.id);
		if (c->def->fields[i].type == CAT_PHONE && val_blank(c->in->values[i]))
			intake_set(&c->in->values[i], c->in->phone);
	}
	if (!app->db_lost && cases_open_same(app->db, app->session.id, id.id, c->def->code,
	    c->dup_case) != CASES_OK)
		c->dup_case[0] = '\0';
	counter_policy_refresh(app, c);
	if (c->dup_case[0] != '\0') {
		char *msg = xasprintf(_("This person already has an open case of this type: %s. "
		    "Check before making a second one."), c->dup_case);

		app_message(app, TS_ERROR, msg);
		free(msg);
	}
}

/* Checks the row being left; true when it is fine. */
bool
counter_check_row(struct app *app, struct counter *c, const struct row *r)
{
	struct val_result vr = { .ok = true };
	struct cal_date today = counter_today();

	switch (r->kind) {
	case R_ID:
		counter_applicant(app, c);
		if (c->dup_case[0] != '\0')
			return true;	/* the warning is already shown */
		val_idno(c->in->id_no, today, NULL, &vr);
		break;
	case R_NAME:
		if (!c->in->person_known)
			val_text(c->in->name, 1, 30, NULL, &vr);
		break;
	case R_PHONE:
		if (!val_blank(c->in->phone) && val_phone(c->in->phone, &vr)) {
			intake_set(&c->in->phone, vr.normalised);
			for (size_t i = 0; i < c->def->nfields; i++)
				if (c->def->fields[i].type == CAT_PHONE && val_blank(c->in->values[i]))
					intake_set(&c->in->values[i], vr.normalised);
		}
		break;
	case R_AGENT_ID:
	case R_AGENT_NAME:
		if (!val_blank(*counter_slot(c, r)))
			intake_check_agent(c->in, today, &vr);
		break;
	case R_MAIL_ADDRESS:
	case R_MAIL_TRACKING:
		if (!val_blank(*counter_slot(c, r)) && intake_check_mail(c->in, &vr) &&
		    vr.normalised[0] != '\0')
			intake_set(&c->in->mail_tracking, vr.normalised);
		break;
	case R_FIELD:
		if (intake_check_field(c->in, r->idx, today, &vr) && vr.normalised[0] != '\0')
			intake_set(&c->in->values[r->idx], vr.normalised);
		break;
	default:
		break;
	}
	if (!vr.ok)
		app_message(app, TS_ERROR, vr.message);
	else if (r->kind != R_ID || c->dup_case[0] == '\0')
		app_message(app, TS_NORMAL, NULL);
	return vr.ok;
}

static void
counter_move(struct app *app, struct counter *c, int dir)
{
	size_t i = c->cur;

	counter_check_row(app, c, &c->rows[c->cur]);
	counter_changed(app, c, true);
	for (;;) {
		if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= c->nrows))
			break;
		i = (size_t)((long)i + dir);
		if (counter_editable(c, &c->rows[i])) {
			c->cur = i;
			break;
		}
	}
	counter_load_field(c);
}

/* ---- 承诺制 ------------------------------------------------------------ */

char *
counter_pledge_replaces(const struct counter *c, size_t k)
{
	const struct intake_mat *im = &c->in->mats[k];
	char buf[128] = "";

	for (size_t j = 0; im->item != NULL && j < im->item->nm; j++) {
		char one[24];

		if (im->item->m[j].pledge)
			continue;
		snprintf(one, sizeof one, "%s%d%c", buf[0] != '\0' ? "、" : "", intake_line_no(c->in, k),
		    'a' + (int)j);
		strncat(buf, one, sizeof buf - strlen(buf) - 1);
	}
	return xstrdup(buf);
}

void
counter_pledge_key(struct app *app, struct counter *c)
{
	struct intake *in = c->in;
	bool any = false, ticked = false;
	size_t first = 0;

	for (size_t k = 0; k < in->nitem_mats; k++)
		if (in->mats[k].m->pledge && in->mats[k].item != NULL && in->mats[k].item->any_of &&
		    intake_mat_active(in, k)) {
			if (!any)
				first = k;
			any = true;
			ticked = ticked || in->mats[k].st == IM_SEEN;
		}
	if (!any) {
		app_message(app, TS_NORMAL, _("This case type has no pledge (承诺制) path: the proofs are needed."));
		return;
	}
	for (size_t k = 0; k < in->nitem_mats; k++)
		if (in->mats[k].m->pledge && in->mats[k].item != NULL && in->mats[k].item->any_of &&
		    intake_mat_active(in, k) && in->mats[k].st == (ticked ? IM_SEEN : IM_MISSING)) {
			struct row r = { R_MAT, k };

			if (counter_editable(c, &r))
				intake_toggle(in, k);
		}
	counter_check_row(app, c, &c->rows[c->cur]);
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].kind == R_MAT && c->rows[i].idx == first && counter_editable(c, &c->rows[i]))
			c->cur = i;
	counter_load_field(c);
	if (!ticked && intake_pledged(in)) {
		char *others = counter_pledge_replaces(c, first);
		char *msg = xasprintf(_("Pledge (承诺制) instead of %s: it is printed for the applicant to sign."),
		    others);

		app_message(app, TS_OK, msg);
		free(msg);
		free(others);
	}
	counter_changed(app, c, true);
}

/* ---- keys ------------------------------------------------------------------ */

static void
counter_cycle(struct app *app, struct counter *c, int dir)
{
	const struct row *r = &c->rows[c->cur];
	struct intake *in = c->in;

	if (r->kind == R_CHANNEL) {
		in->channel = (enum intake_channel)((in->channel + IC_COUNT + dir) % IC_COUNT);
		counter_build_rows(c);
	} else if (r->kind == R_PROXY) {
		in->proxy = !in->proxy;
		counter_build_rows(c);
	} else if (r->kind == R_FIELD && c->def->fields[r->idx].type == CAT_CHOICE) {
		const struct cat_field *f = &c->def->fields[r->idx];
		int k = -1;

		for (size_t i = 0; i < f->nopts; i++)
			if (strcmp(f->opts[i].value, in->values[r->idx]) == 0)
				k = (int)i;
		k = k < 0 ? (dir > 0 ? 0 : (int)f->nopts - 1) : (k + (int)f->nopts + dir) % (int)f->nopts;
		intake_set(&in->values[r->idx], f->opts[k].value);
		/* the materials that apply follow the answer (ticks are kept) */
		counter_build_rows(c);
		counter_policy_refresh(app, c);
	} else if (r->kind == R_MAT) {
		if (!intake_toggle(in, r->idx))
			app_message(app, TS_NORMAL, _("Presented before: stays ticked."));
	} else {
		return;
	}
	counter_changed(app, c, true);
}

static int
counter_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct counter *c = v->data;
	const struct row *r;
	int choice = 0;
	unsigned changes;

	if (prompt_active(&c->prompt)) {
		int tag = c->prompt.tag;
		enum prompt_outcome po = prompt_key(&c->prompt, k, &choice);

		if (po == PR_DONE)
			counter_answer(app, c, tag, choice);
		else if (po == PR_CANCEL && tag == CP_RATE)
			counter_finish(app, c);
		return VF_REDRAW;
	}
	r = &c->rows[c->cur];
	switch (k->code) {
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_F3:
		counter_pledge_key(app, c);
		return VF_REDRAW;
	case K_F6:
		counter_ask_outcome(app, c);
		return VF_REDRAW;
	case K_F8:
		printout_reprint(app);
		return VF_REDRAW;
	case K_F9:
		counter_policy_open(app, c);
		return VF_HANDLED;
	case K_ESC:
	case K_F10: {
		const char *labels[] = { _("Keep as a draft and leave"), _("Discard this intake"),
			_("Go on filling in") };

		prompt_menu(&c->prompt, CP_LEAVE, _("Leave the intake?"), labels, 3);
		return VF_REDRAW;
	}
	case K_UP:
	case K_BTAB:
		counter_move(app, c, -1);
		return VF_REDRAW;
	case K_DOWN:
	case K_TAB:
	case K_ENTER:
		counter_move(app, c, 1);
		return VF_REDRAW;
	case K_PGDN:
	case K_PGUP:
		for (int i = 0; i < 8; i++)
			counter_move(app, c, k->code == K_PGDN ? 1 : -1);
		return VF_REDRAW;
	default:
		break;
	}
	if (!counter_is_text(c, r)) {
		if (k->code == K_CHAR && k->ch == ' ')
			counter_cycle(app, c, 1);
		else if (k->code == K_RIGHT || k->code == K_LEFT)
			counter_cycle(app, c, k->code == K_RIGHT ? 1 : -1);
		else
			return VF_IGNORED;
		return VF_REDRAW;
	}
	changes = c->field.changes;
	if (!counter_editable(c, r) || !field_key(&c->field, k))
		return VF_IGNORED;
	if (c->field.changes == changes)	/* a cursor move, or a key a full field refuses */
		return k->code == K_CHAR ? VF_HANDLED : VF_REDRAW;
	intake_set(counter_slot(c, r), field_text(&c->field));
	if (r->kind == R_ID)
		c->in->person_known = false;
	counter_changed(app, c, false);
	return VF_REDRAW;
}

static void
counter_free(struct view *v)
{
	counter_reset(v->data);
	free(v->data);
	v->data = NULL;
}

static const struct bar_item counter_bar[] = {
	{ K_F1, N_("Help") }, { K_F6, N_("Finish") }, { K_F8, N_("Reprint") }, { K_F9, N_("参保测算") },
	{ K_F10, N_("Leave") },
};
static const struct bar_item counter_bar_pledge[] = {
	{ K_F1, N_("Help") }, { K_F3, N_("Pledge") }, { K_F6, N_("Finish") }, { K_F8, N_("Reprint") },
	{ K_F9, N_("参保测算") }, { K_F10, N_("Leave") },
};

/* F3 承诺制 in the bar where the type offers it. */
static const struct bar_item *
counter_bar_fn(struct app *app, struct view *v, size_t *n)
{
	const struct counter *c = v->data;

	(void)app;
	if (c != NULL && c->def != NULL && cat_def_has_pledge(c->def)) {
		*n = sizeof counter_bar_pledge / sizeof counter_bar_pledge[0];
		return counter_bar_pledge;
	}
	*n = sizeof counter_bar / sizeof counter_bar[0];
	return counter_bar;
}

const struct view_ops counter_view_ops = {
	.enter = counter_enter,
	.draw = counter_draw,
	.key = counter_key,
	.bar = counter_bar,
	.nbar = sizeof counter_bar / sizeof counter_bar[0],
	.bar_fn = counter_bar_fn,
	.free = counter_free,
	.save = counter_save_now,
	.flush = counter_flush_op,
};
