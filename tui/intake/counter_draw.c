/*
 * Drawing the intake (see counter.h, counter_int.h): the title, the
 * applicant line, the rows with the editor on the current one, the
 * materials summary at the foot and the prompt over it all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/counter_int.h"
#include "model/i18n.h"
#include "model/intake.h"
#include "model/text.h"
#include "util/xalloc.h"

static const char *const counter_heads[] = {
	N_("Applicant"), N_("Application"), N_("Materials (Space ticks what was presented)")
};

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
		snprintf(no, sizeof no, "%d%c.", intake_line_no(c->in, k), 'a' + (int)(im->m - im->item->m));
	else
		snprintf(no, sizeof no, "%d.", intake_line_no(c->in, k));
	if (im->m->pledge && im->item != NULL && im->item->any_of) {
		char *others = counter_pledge_replaces(c, k), *text;

		text = xasprintf(_("%s %s Pledge (承诺制): %s signed here in place of %s"), mark, no, im->m->name, others);
		free(others);
		return text;
	}
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
	case R_MAIL_ADDRESS:
		*label = _("Return address");
		break;
	case R_MAIL_TRACKING:
		*label = _("Waybill no.");
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

void
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
		/* the limit of the path the answers give (when= of <limit>) */
		const struct cat_limit *l = intake_limit(c->in);
		char *lim = cat_limit_text(l->kind, l->days, l->special_days, l->months);

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
	body = rows - 3 - (c->policy_line != NULL);
	if (c->policy_line != NULL)
		term_print(top + rows - 2, 2, cols - 4, TS_OK, c->policy_line);
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
	if (c->unsaved) {
		free(line);
		line = xstrdup(_("The draft is not saved: neither this machine nor the database can keep it."));
	}
	term_print(top + rows - 1, 2, cols - 4, c->unsaved ? TS_ERROR : m.items == 0 ? TS_OK : TS_WARN, line);
	free(line);
	if (prompt_active(&c->prompt))
		prompt_draw(&c->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}
