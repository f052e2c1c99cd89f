/*
 * The intake at the counter; see counter.h. One screen of rows: the
 * channel, the applicant (ID number, then the name when the register does
 * not know them), 委托办理 and the agent, the typed fields of the
 * definition, and the materials checklist (Space ticks). Up/Down/Tab move,
 * every move checks the row left (a message, never a cleared field). F6
 * ends the intake with one of the outcomes the checklist allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/i18n.h"
#include "model/intake.h"
#include "model/text.h"
#include "store/catstore.h"
#include "store/cluster.h"
#include "ui/counter.h"
#include "ui/field.h"
#include "ui/preview.h"
#include "ui/printout.h"
#include "ui/prompt.h"
#include "util/file.h"
#include "util/xalloc.h"

enum row_kind { R_HEAD, R_CHANNEL, R_ID, R_NAME, R_PHONE, R_PROXY, R_AGENT_ID, R_AGENT_NAME, R_FIELD, R_MAT };

struct row {
	enum row_kind kind;
	size_t idx;		/* R_FIELD: field; R_MAT: material; R_HEAD: heading msgid index */
};

enum counter_phase { PH_EDIT, PH_RATE };
enum counter_prompt { CP_OUTCOME = 1, CP_REASON, CP_LEAVE, CP_RATE };

struct counter {
	struct cat_def *def;
	struct intake *in;
	struct row *rows;
	size_t nrows, cur;
	int top;
	struct field field;	/* editor of the current text row */
	struct prompt prompt;
	unsigned outcome_of[PROMPT_ITEMS];	/* outcome behind each menu line */
	enum counter_phase phase;
	char person[160];	/* "女 · 45岁 · 已登记" */
	char dup_case[32];	/* an open case of this type for the applicant */
	char case_no[32];	/* the case just recorded (rating) */
	char *done_msg;		/* what to tell the clerk after the rating */
	bool db_dirty;		/* changed since saved to the database */
};

static const char *const counter_heads[] = {
	N_("Applicant"), N_("Application"), N_("Materials (Space ticks what was presented)")
};

static struct counter *
counter_data(struct app *app)
{
	struct view *v = &app->views[AV_COUNTER];

	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct counter));
	return v->data;
}

static struct cal_date
counter_today(void)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	return (struct cal_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

static void
counter_reset(struct counter *c)
{
	intake_free(&c->in);
	cat_def_free(&c->def);
	free(c->rows);
	free(c->done_msg);
	prompt_close(&c->prompt);
	field_clear(&c->field);
	memset(c, 0, sizeof *c);
}

/* ---- drafts ------------------------------------------------------------ */

static char *
counter_draft_path(struct app *app)
{
	char *var = cluster_default_var(), *p = xasprintf("%s/drafts/%s.draft", var, app->session.staff_no);

	free(var);
	return p;
}

/* Writes the draft file atomically (0600 in a 0700 directory). */
static void
counter_draft_write(struct app *app, const char *text)
{
	char *path = counter_draft_path(app), *dir = xstrdup(path), *tmp;
	int fd;

	*strrchr(dir, '/') = '\0';
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		char *var = xstrdup(dir);

		*strrchr(var, '/') = '\0';
		mkdir(var, 0700);
		mkdir(dir, 0700);
		free(var);
	}
	tmp = xasprintf("%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		size_t len = strlen(text);
		bool ok = write(fd, text, len) == (ssize_t)len;

		if (close(fd) == 0 && ok)
			rename(tmp, path);
		else
			unlink(tmp);
	}
	free(tmp);
	free(dir);
	free(path);
}

static void
counter_draft_remove(struct app *app)
{
	char *path = counter_draft_path(app);

	unlink(path);
	free(path);
	if (!app->db_lost && cases_draft_clear(app->db, app->session.id) == CASES_DB_LOST)
		app_db_lost(app);
}

/* Saves the intake: the local file always, the database when asked. */
static void
counter_save(struct app *app, struct counter *c, bool to_db)
{
	char *text;

	if (c->in == NULL)
		return;
	text = intake_serialise(c->in, time(NULL));
	counter_draft_write(app, text);
	c->db_dirty = true;
	if (to_db && !app->db_lost) {
		enum cases_result r = cases_draft_save(app->db, app->session.id, text);

		if (r == CASES_OK)
			c->db_dirty = false;
		else if (r == CASES_DB_LOST)
			app_db_lost(app);
	}
	free(text);
}

void
counter_save_now(struct app *app)
{
	struct counter *c = app->views[AV_COUNTER].data;

	if (c != NULL && c->in != NULL && c->phase == PH_EDIT)
		counter_save(app, c, true);
}

/* The newer of the database's and this machine's draft (malloc'd). */
static char *
counter_draft_text(struct app *app)
{
	char *path = counter_draft_path(app), *local, *remote = NULL;
	enum cases_result r = CASES_NOT_FOUND;
	time_t at = 0;
	size_t len;

	local = file_read(path, 65536, &len);
	free(path);
	if (!app->db_lost)
		remote = cases_draft_get(app->db, app->session.id, &at, &r);
	if (r == CASES_DB_LOST)
		app_db_lost(app);
	if (local != NULL && remote != NULL) {
		if (intake_draft_saved(local) >= intake_draft_saved(remote)) {
			free(remote);
			return local;
		}
		free(local);
		return remote;
	}
	return local != NULL ? local : remote;
}

/* ---- rows --------------------------------------------------------------- */

static void
counter_push(struct counter *c, enum row_kind kind, size_t idx)
{
	c->rows = xreallocarray(c->rows, c->nrows + 1, sizeof *c->rows);
	c->rows[c->nrows++] = (struct row){ kind, idx };
}

static bool
counter_editable(const struct counter *c, const struct row *r)
{
	if (r->kind == R_HEAD)
		return false;
	if (c->in->continue_case != NULL)	/* 补正: only what the notice listed */
		return r->kind == R_MAT && (c->in->mats[r->idx].st == IM_MISSING ||
		    c->in->mats[r->idx].st == IM_SEEN);
	return r->kind != R_NAME || !c->in->person_known;
}

static bool
counter_is_text(const struct counter *c, const struct row *r)
{
	return r->kind == R_ID || r->kind == R_NAME || r->kind == R_PHONE || r->kind == R_AGENT_ID ||
	    r->kind == R_AGENT_NAME ||
	    (r->kind == R_FIELD && c->def->fields[r->idx].type != CAT_CHOICE);
}

static char **
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
	else if (r->kind == R_FIELD && c->def->fields[r->idx].max_len > 0)
		max = c->def->fields[r->idx].max_len;
	field_init(&c->field, max, false, false);
	if (counter_is_text(c, r))
		field_set(&c->field, *counter_slot(c, r));
}

static void
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
static void
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
	if (c->dup_case[0] != '\0') {
		char *msg = xasprintf(_("This person already has an open case of this type: %s. "
		    "Check before making a second one."), c->dup_case);

		app_message(app, TS_ERROR, msg);
		free(msg);
	}
}

/* Checks the row being left; true when it is fine. */
static bool
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
	counter_save(app, c, true);
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

/* ---- drawing ------------------------------------------------------------ */

static const char *
counter_choice_label(const struct cat_field *f, const char *value)
{
	for (size_t k = 0; k < f->nopts; k++)
		if (strcmp(f->opts[k].value, value) == 0)
			return f->opts[k].label;
	return value[0] != '\0' ? value : "—";
}

static char *
counter_mat_text(const struct counter *c, size_t k)
{
	const struct intake_mat *im = &c->in->mats[k];
	const char *mark = im->st == IM_SEEN ? "[√]" : im->st == IM_DONE ? _("[had]") :
	    im->st == IM_NOT_ASKED ? "[ - ]" : "[  ]";
	char no[16], extra[96] = "";

	if (im->item != NULL && im->item->any_of)
		snprintf(no, sizeof no, "%d%c.", im->item_no, 'a' + (int)(im->m - im->item->m));
	else
		snprintf(no, sizeof no, "%d.", im->item_no);
	if (im->m->defer_days > 0 && !im->m->key)
		snprintf(extra, sizeof extra, _(", may be deferred %d working days"), im->m->defer_days);
	return xasprintf(_("%s %s %s (%s%s)%s"), mark, no, im->m->name, cat_form_name(im->m->form), extra,
	    im->item != NULL && im->item->any_of ? _(" — any one of the group") : "");
}

/* The label and, for non-text rows, the value of row r. */
static void
counter_row_text(const struct counter *c, const struct row *r, const char **label, char **value)
{
	const struct intake *in = c->in;

	*value = NULL;
	*label = NULL;
	switch (r->kind) {
	case R_HEAD:
		*label = _(counter_heads[r->idx]);
		break;
	case R_CHANNEL:
		*label = _("Channel");
		*value = xasprintf("< %s >", intake_channel_name(in->channel));
		break;
	case R_ID:
		*label = _("ID number");
		break;
	case R_NAME:
		*label = _("Name");
		if (in->person_known)
			*value = xasprintf(_("%s (registered)"), in->name);
		break;
	case R_PHONE:
		*label = _("Phone");
		break;
	case R_PROXY:
		*label = _("Agent (proxy)");
		*value = xasprintf("< %s >", in->proxy ? _("yes") : _("no"));
		break;
	case R_AGENT_ID:
		*label = _("Agent ID number");
		break;
	case R_AGENT_NAME:
		*label = _("Agent name");
		break;
	case R_FIELD:
		*label = c->def->fields[r->idx].label;
		if (c->def->fields[r->idx].type == CAT_CHOICE)
			*value = xasprintf("< %s >", counter_choice_label(&c->def->fields[r->idx],
			    in->values[r->idx]));
		break;
	case R_MAT:
		*label = NULL;
		*value = counter_mat_text(c, r->idx);
		break;
	}
}

static void
counter_draw_row(struct app *app, struct counter *c, size_t i, int y, int cols)
{
	const struct row *r = &c->rows[i];
	bool active = i == c->cur && !prompt_active(&c->prompt);
	const char *label;
	char *value, *padded;
	int lw = cols >= 60 ? 18 : 12, x = 2;

	counter_row_text(c, r, &label, &value);
	if (r->kind == R_HEAD) {
		term_print(y, 1, cols - 2, TS_TITLE, label);
		return;
	}
	if (label != NULL) {
		bool req = r->kind == R_FIELD && c->def->fields[r->idx].required;
		char *l = xasprintf("%s%s", label, req ? "*" : "");

		padded = text_pad(l, lw, TEXT_RIGHT);
		term_print(y, x, lw, TS_NORMAL, padded);
		free(padded);
		free(l);
		x += lw + 1;
	}
	if (counter_is_text(c, r) && counter_editable(c, r)) {
		if (active) {
			app->cursor_x = field_draw(&c->field, y, x, cols - x - 2, true);
			app->cursor_y = y;
		} else {
			struct field f;

			field_init(&f, 1000, false, false);
			field_set(&f, *counter_slot(c, r));
			field_draw(&f, y, x, cols - x - 2, false);
		}
	} else {
		enum term_style st = active ? TS_FIELD_ACTIVE : r->kind == R_MAT &&
		    c->in->mats[r->idx].st == IM_NOT_ASKED ? TS_DIM : TS_NORMAL;
		const char *text = value != NULL ? value : *counter_slot(c, r);

		term_print(y, x, cols - x - 1, st, text);
		if (active) {
			app->cursor_y = y;
			app->cursor_x = x;
		}
	}
	free(value);
}

static void
counter_draw(struct app *app, struct view *v, int top, int rows)
{
	struct counter *c = v->data;
	struct intake_missing m;
	int cols = term_cols(), body;
	char *line;

	app->cursor_y = app->cursor_x = -1;
	if (c == NULL || c->in == NULL || rows < 4)
		return;
	if (c->in->continue_case != NULL) {
		line = xasprintf(_("Supplement to case %s · %s (%s)"), c->in->continue_case, c->def->name,
		    c->def->code);
	} else {
		char *lim = cat_limit_text(c->def->limit_kind, c->def->limit_days, c->def->special_days,
		    c->def->limit_months);

		line = xasprintf(_("Intake: %s (%s) · limit %s"), c->def->name, c->def->code, lim);
		free(lim);
	}
	term_print(top, 1, cols - 2, TS_TITLE, line);
	free(line);
	if (c->person[0] != '\0' || c->in->person_known) {
		line = xasprintf("%s %s%s", c->in->person_known ? c->in->name : "", c->person,
		    c->dup_case[0] != '\0' ? _(" · has an open case of this type") : "");
		term_print(top + 1, 4, cols - 6, c->dup_case[0] != '\0' ? TS_ERROR : TS_DIM, line);
		free(line);
	}
	body = rows - 3;
	if ((int)c->cur < c->top)
		c->top = (int)c->cur;
	if ((int)c->cur >= c->top + body)
		c->top = (int)c->cur - body + 1;
	for (int i = 0; i < body && c->top + i < (int)c->nrows; i++)
		counter_draw_row(app, c, (size_t)(c->top + i), top + 2 + i, cols);
	m = intake_missing(c->in);
	line = m.items == 0 ? xstrdup(_("Materials complete. F6 to finish.")) :
	    xasprintf(m.all_deferrable ? _("%d item(s) missing, all of them deferrable. F6 to finish.") :
	    _("%d item(s) missing. F6 to finish: the one-time notice lists them."), m.items);
	term_print(top + rows - 1, 2, cols - 4, m.items == 0 ? TS_OK : TS_WARN, line);
	free(line);
	if (prompt_active(&c->prompt))
		prompt_draw(&c->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

/* ---- outcomes ------------------------------------------------------------- */

static const char *const counter_grades[] = {
	N_("Very satisfied"), N_("Satisfied"), N_("Basically satisfied"), N_("Dissatisfied"),
	N_("Very dissatisfied"), N_("Skip (no rating)")
};

static void
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

/* The documents an outcome prints: template names and the key to read. */
static int
counter_documents(const struct counter *c, enum cases_outcome o, const struct cases_intake_out *out,
    const char *tpl[3], const char **key)
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
	return n;
}

static char *
counter_done_text(enum cases_outcome o, const struct cases_intake_out *out)
{
	switch (o) {
	case CO_ACCEPT:
	case CO_DEFER:
		return xasprintf(_("Case %s accepted; promised by %s."), out->case_no, out->promised);
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
	const char *tpl[3], *key, *whats[3];
	char *docs[3], *why = NULL;
	const char **ids;
	enum cases_result r = CASES_OK;
	int n, nd = 0;

	if (!app_db_ensure(app)) {
		app_message(app, TS_ERROR, _("The database is not reachable. Everything is kept on this "
		    "machine; press F6 again when the connection is back."));
		return;
	}
	if (in->continue_case == NULL && !in->person_known)
		r = cases_person_register(app->db, app->session.id, in->id_no, in->name, in->phone);
	if (in->proxy) {
		req.agent_id_no = in->agent_id;
		req.agent_name = in->agent_name;
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
	if (r != CASES_OK) {
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, cases_result_message(r));
		return;
	}
	counter_draft_remove(app);
	snprintf(c->case_no, sizeof c->case_no, "%s", out.case_no);
	free(c->done_msg);
	c->done_msg = counter_done_text(o, &out);
	c->phase = PH_RATE;
	n = counter_documents(c, o, &out, tpl, &key);
	for (int i = 0; i < n; i++) {
		char *doc = printout_case(app, tpl[i], key, &why);

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

static void
counter_finish(struct app *app, struct counter *c)
{
	char *msg = c->done_msg != NULL ? xstrdup(c->done_msg) : NULL;

	counter_reset(c);
	app_switch(app, AV_WORKBENCH);
	if (msg != NULL)
		app_message(app, TS_OK, msg);
	free(msg);
}

static void
counter_answer(struct app *app, struct counter *c, int tag, int choice)
{
	static const enum cases_outcome map[] = { CO_ACCEPT, CO_IMMEDIATE, CO_SUPPLEMENT, CO_DEFER, CO_REJECT };

	switch (tag) {
	case CP_OUTCOME: {
		unsigned o = c->outcome_of[choice];
		int bit = 0;

		while ((1u << bit) != o)
			bit++;
		if (map[bit] == CO_REJECT)
			prompt_field(&c->prompt, CP_REASON, _("Reason for refusing (printed on the notice):"),
			    60, false);
		else
			counter_submit(app, c, map[bit], NULL);
		break;
	}
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
			counter_save(app, c, true);
			counter_reset(c);
			app_switch(app, AV_WORKBENCH);
			app_message(app, TS_OK, _("The intake was kept as a draft; F7 opens it again."));
		} else if (choice == 1) {
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

/* ---- keys ------------------------------------------------------------------ */

static void
counter_cycle(struct app *app, struct counter *c, int dir)
{
	const struct row *r = &c->rows[c->cur];
	struct intake *in = c->in;

	if (r->kind == R_CHANNEL) {
		in->channel = (enum intake_channel)((in->channel + IC_COUNT + dir) % IC_COUNT);
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
	} else if (r->kind == R_MAT) {
		if (!intake_toggle(in, r->idx))
			app_message(app, TS_NORMAL, _("Presented before: stays ticked."));
	} else {
		return;
	}
	counter_save(app, c, true);
}

static int
counter_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct counter *c = v->data;
	const struct row *r;
	int choice = 0;

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
	case K_F6:
		counter_ask_outcome(app, c);
		return VF_REDRAW;
	case K_F8:
		printout_reprint(app);
		return VF_REDRAW;
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
	if (!counter_editable(c, r) || !field_key(&c->field, k))
		return VF_IGNORED;
	intake_set(counter_slot(c, r), field_text(&c->field));
	if (r->kind == R_ID)
		c->in->person_known = false;
	counter_save(app, c, false);
	return VF_REDRAW;
}

static void
counter_enter(struct app *app, struct view *v)
{
	struct counter *c = v->data;

	if (c != NULL && c->phase == PH_RATE && !prompt_active(&c->prompt)) {
		const char *labels[6];

		for (int i = 0; i < 6; i++)
			labels[i] = _(counter_grades[i]);
		prompt_menu(&c->prompt, CP_RATE, _("Please ask the citizen to rate this service (1-5):"),
		    labels, 6);
	}
	(void)app;
}

static void
counter_free(struct view *v)
{
	counter_reset(v->data);
	free(v->data);
	v->data = NULL;
}

static const struct bar_item counter_bar[] = {
	{ K_F1, N_("Help") }, { K_F6, N_("Finish") }, { K_F8, N_("Reprint") }, { K_F10, N_("Leave") },
};

const struct view_ops counter_view_ops = {
	.enter = counter_enter,
	.draw = counter_draw,
	.key = counter_key,
	.bar = counter_bar,
	.nbar = sizeof counter_bar / sizeof counter_bar[0],
	.free = counter_free,
};

/* ---- entry points ----------------------------------------------------------- */

/* Starts the screen on def (taken over) with a new intake. */
static struct counter *
counter_begin(struct app *app, struct cat_def *def, int version)
{
	struct counter *c = counter_data(app);

	counter_reset(c);
	c->def = def;
	c->in = intake_new(def, version);
	c->in->ticket_id = workbench_ticket(app);
	return c;
}

static struct cat_def *
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
	counter_save(app, c, true);
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
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < c->in->nmats; k++)
			if (strcmp(c->in->mats[k].m->id, mats[i].id) == 0)
				c->in->mats[k].st = strcmp(mats[i].state, "missing") == 0 && mats[i].noticed ?
				    IM_MISSING : strcmp(mats[i].state, "missing") == 0 ||
				    strcmp(mats[i].state, "not_needed") == 0 ? IM_NOT_ASKED : IM_DONE;
	if (n >= 0 && cases_form(app->db, app->session.id, f->case_no, &ids, &vals, &nform) == CASES_OK) {
		for (size_t i = 0; i < nform; i++)
			for (size_t j = 0; j < def->nfields; j++)
				if (strcmp(def->fields[j].id, ids[i]) == 0)
					intake_set(&c->in->values[j], vals[i]);
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
	counter_save(app, c, true);
	app_message(app, TS_NORMAL, _("Tick what the citizen brought now; only what the notice listed "
	    "can be asked for."));
	app_switch(app, AV_COUNTER);
}

bool
counter_draft_find(struct app *app, char *desc, size_t size)
{
	char *text = counter_draft_text(app), code[16], when[16] = "", name[128];
	time_t at;
	struct tm tm;
	int version;

	if (text == NULL || !intake_draft_type(text, code, &version)) {
		free(text);
		return false;
	}
	at = intake_draft_saved(text);
	if (at > 0 && localtime_r(&at, &tm) != NULL)
		strftime(when, sizeof when, "%m-%d %H:%M", &tm);
	intake_draft_name(text, name);
	snprintf(desc, size, _("%s, saved %s"), name[0] != '\0' ? name : code, when);
	free(text);
	return true;
}

void
counter_draft_resume(struct app *app)
{
	char *text = counter_draft_text(app), code[16];
	struct cat_def *def;
	struct counter *c;
	int version;

	if (text == NULL || !intake_draft_type(text, code, &version) ||
	    (def = counter_load_def(app, code, &version)) == NULL) {
		free(text);
		return;
	}
	c = counter_begin(app, def, version);
	intake_restore(c->in, text);
	free(text);
	if (c->in->id_no[0] != '\0')
		counter_applicant(app, c);
	counter_build_rows(c);
	app_message(app, TS_OK, _("The saved intake is back as it was left."));
	app_switch(app, AV_COUNTER);
}

void
counter_draft_discard(struct app *app)
{
	counter_draft_remove(app);
	app_message(app, TS_NORMAL, _("The intake was discarded."));
}
