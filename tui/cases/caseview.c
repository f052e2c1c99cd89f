/*
 * One case, all of it: where it stands and by when, its stages with their
 * due dates, the form, the materials, the notices and the full history
 * (网上查进度, at the window). Staff who work the current stage act here:
 * F2 completes the stage, F3 sends it back (to the previous stage, or to
 * the citizen for 补正), F6 finishes it (办结, then the 办结通知 can be
 * printed), F9 extends the limit (supervisors). Clerks and supervisors
 * withdraw an open case at the citizen's request with F4 (撤回: the
 * reason, then an explicit yes; the 撤回申请确认书 is shown for printing);
 * supervisors end one with a deferred (容缺) material past its date with
 * F5 (终止办理, offered only then; the 终止办理告知书). F8 prints the
 * case's last document again: the 撤回申请确认书 or 终止办理告知书 of a
 * closed case, else the 办结通知. F7 records documents mailed to the
 * citizen (邮寄办: waybill, contents, address). Esc goes back.
 */
#include "cases/caseview.h"

#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/intake.h"
#include "model/json.h"
#include "model/policy.h"
#include "model/text.h"
#include "store/closing.h"
#include "store/stages.h"
#include "ui/app.h"
#include "ui/preview.h"
#include "ui/printout.h"
#include "ui/prompt.h"
#include "util/xalloc.h"

enum cv_prompt { CV_RETURN = 1, CV_REASON_PREV, CV_REASON_CITIZEN, CV_RESULT, CV_EXTEND_DAYS,
	CV_EXTEND_REASON, CV_PRINT, CV_WITHDRAW_REASON, CV_WITHDRAW_CONFIRM, CV_TERMINATE_REASON,
	CV_TERMINATE_CONFIRM, CV_MAIL_TRACK, CV_MAIL_WHAT, CV_MAIL_ADDRESS };

struct caseview {
	char case_no[32];
	int stage_no;		/* the stage shown (0: waiting for 办结) */
	char **lines;
	enum term_style *styles;
	size_t n;
	int top, page, built_cols;
	struct json *data;
	struct prompt prompt;
	int extend_days;
	char reason[256];	/* 撤回 / 终止办理: typed before the confirmation */
	char *mail_track, *mail_what;	/* F7, between its questions */
	enum app_view back;
};

static const char *
cv_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v != NULL && (v->kind == JSON_STRING || v->kind == JSON_NUMBER) ? v->text : "";
}

/* Whether the case shown is open (waiting for 补正, accepted, in progress). */
static bool
cv_open_case(const struct caseview *c)
{
	const char *st = cv_str(json_get(c->data, "case"), "status");

	return strcmp(st, "pending_supplement") == 0 || strcmp(st, "accepted") == 0 ||
	    strcmp(st, "in_progress") == 0;
}

/* 撤回: an open case, for the roles that take cases. */
static bool
cv_may_withdraw(const struct app *app, const struct caseview *c)
{
	return c->data != NULL && cv_open_case(c) && app_takes_cases(app);
}

/* How many deferred materials of the case are past their date (server's day). */
static int
cv_overdue(const struct caseview *c)
{
	return atoi(cv_str(json_get(c->data, "case"), "overdue_deferred"));
}

/* 终止办理: supervisors, an open case with a deferred material overdue. */
static bool
cv_may_terminate(const struct app *app, const struct caseview *c)
{
	return c->data != NULL && cv_open_case(c) && app_role_is(app, "supervisor") && cv_overdue(c) > 0;
}

static void
cv_clear(struct caseview *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->lines[i]);
	free(c->lines);
	free(c->styles);
	c->lines = NULL;
	c->styles = NULL;
	c->n = 0;
}

static void
cv_push(struct caseview *c, enum term_style st, char *line)
{
	c->lines = xreallocarray(c->lines, c->n + 1, sizeof *c->lines);
	c->styles = xreallocarray(c->styles, c->n + 1, sizeof *c->styles);
	c->lines[c->n] = line;
	c->styles[c->n++] = st;
}

/* Adds text wrapped to cols, continuation lines indented by indent. */
static void
cv_wrap(struct caseview *c, enum term_style st, int cols, int indent, const char *text)
{
	const char *s = text;
	bool first = true;

	do {
		int room = first ? cols : cols - indent, used;
		size_t n = text_fit(s, room > 4 ? room : 4, &used);

		if (n == 0 && *s != '\0')
			n = 1;
		cv_push(c, st, xasprintf("%*s%.*s", first ? 0 : indent, "", (int)n, s));
		s += n;
		first = false;
	} while (*s != '\0');
}

static void
cv_list(const struct app *app, struct caseview *c, int cols, const char *title,
    const struct json *arr, char *(*fmt)(const struct app *, const struct json *))
{
	if (arr == NULL || arr->kind != JSON_ARRAY || arr->n == 0)
		return;
	cv_push(c, TS_NORMAL, xstrdup(""));
	cv_push(c, TS_TITLE, xstrdup(title));
	for (size_t i = 0; i < arr->n; i++) {
		char *line = fmt(app, arr->items[i]);

		cv_wrap(c, TS_NORMAL, cols, 4, line);
		free(line);
	}
}

static char *
cv_fmt_stage(const struct app *app, const struct json *s)
{
	const char *fin = cv_str(s, "finished"), *start = cv_str(s, "started");
	char *due = app_date(app, cv_str(s, "due"), fin[0] == '\0'), *line;

	line = xasprintf(_(" %s. %s (%s, %s working days) started %s, due %s%s%s"), cv_str(s, "no"),
	    cv_str(s, "name"), cv_str(s, "tier_name"), cv_str(s, "days"), start[0] ? start : "—",
	    due, fin[0] ? _(", done ") : "", fin);
	free(due);
	return line;
}

static char *
cv_fmt_field(const struct app *app, const struct json *f)
{
	(void)app;
	return xasprintf(" %s：%s", cv_str(f, "label"), cv_str(f, "value"));
}

static char *
cv_fmt_material(const struct app *app, const struct json *m)
{
	/* only a material still deferred has a date that matters */
	char *due = app_date(app, cv_str(m, "due"), strcmp(cv_str(m, "state"), "deferred") == 0), *line;

	line = xasprintf(" %s. %s（%s）%s%s%s", cv_str(m, "no"), cv_str(m, "name"), cv_str(m, "form_name"),
	    cv_str(m, "state_name"), due[0] ? " " : "", due);
	free(due);
	return line;
}

static char *
cv_fmt_notice(const struct app *app, const struct json *n)
{
	/* a notice of kind K is printed with the template K-notice */
	char *tpl = xasprintf("%s-notice", cv_str(n, "kind")), *line;

	(void)app;
	const char *name = printout_document_name(tpl);

	line = xasprintf(" %s %s %s", cv_str(n, "notice_no"), name != tpl ? name : cv_str(n, "kind"),
	    cv_str(n, "issued"));
	free(tpl);
	return line;
}

static char *
cv_fmt_event(const struct app *app, const struct json *e)
{
	const char *text = cv_str(e, "text");

	(void)app;
	return xasprintf(" %s %s %s", cv_str(e, "at"), cv_str(e, "staff"), text[0] ? text : cv_str(e, "kind"));
}

static char *
cv_fmt_mail(const struct app *app, const struct json *m)
{
	(void)app;
	return xasprintf(strcmp(cv_str(m, "direction"), "in") == 0 ?
	    _(" %s received %s, waybill %s · return address %s · %s") :
	    _(" %s mailed %s, waybill %s · to %s · %s"), cv_str(m, "day"), cv_str(m, "contents"),
	    cv_str(m, "tracking_no"), cv_str(m, "address"), cv_str(m, "staff"));
}

static char *
cv_fmt_insurance(const struct app *app, const struct json *h)
{
	struct policy_year y;

	(void)app;
	policy_year_read(h, &y);
	return policy_year_line(&y);
}

/* What the 参保 rules told the citizen when the case was finished
 * (service_case.policy, db/functions/policy.sql). */
static void
cv_policy(struct caseview *c, int cols)
{
	const struct json *j = json_get(c->data, "policy");
	const struct json *kind = json_get(j, "kind");
	struct policy p;
	char *line = NULL, day[48];

	if (kind != NULL && kind->kind == JSON_STRING && strcmp(kind->text, "transfer") == 0) {
		policy_date(cv_str(j, "start"), day);
		line = xasprintf(_("参保: no waiting period after the payback; benefits from %s, the break's "
		    "benefits retroactive (seed 000 item 2)."), day);
	} else if (policy_read(j, &p)) {
		line = policy_summary(&p);
	}
	if (line != NULL) {
		cv_wrap(c, TS_OK, cols, 2, line);
		free(line);
	}
}

static void
cv_build(const struct app *app, struct caseview *c, int cols)
{
	const struct json *k = json_get(c->data, "case");
	char *line, *promised;

	cv_clear(c);
	c->built_cols = cols;
	line = xasprintf("%s %s（%s）", cv_str(k, "case_no"), cv_str(k, "type_name"), cv_str(k, "type_code"));
	cv_wrap(c, TS_TITLE, cols, 2, line);
	free(line);
	promised = app_date(app, cv_str(k, "promised"), cv_str(k, "finished")[0] == '\0');
	line = cv_str(k, "limit")[0] != '\0' ?
	    xasprintf(_("Status: %s · limit %s working days · accepted %s · promised %s"),
	    cv_str(k, "status_name"), cv_str(k, "limit"), cv_str(k, "accepted"), promised) :
	    xasprintf(_("Status: %s"), cv_str(k, "status_name"));
	cv_wrap(c, TS_NORMAL, cols, 2, line);
	free(line);
	free(promised);
	if (strcmp(cv_str(k, "status"), "in_progress") == 0 && c->stage_no == 0)
		cv_wrap(c, TS_WARN, cols, 2, _("Every stage is done: waiting for completion (F6)."));
	if (strcmp(cv_str(k, "closed_as"), "withdrawn") == 0) {
		line = xasprintf(_("Withdrawn at the citizen's request on %s: %s"), cv_str(k, "closed"),
		    cv_str(k, "closed_reason"));
		cv_wrap(c, TS_WARN, cols, 2, line);
		free(line);
	} else if (strcmp(cv_str(k, "closed_as"), "terminated") == 0) {
		line = xasprintf(_("Ended (终止办理) on %s, deferred materials overdue: %s"), cv_str(k, "closed"),
		    cv_str(k, "closed_reason"));
		cv_wrap(c, TS_WARN, cols, 2, line);
		free(line);
	} else if (cv_overdue(c) > 0 && cv_open_case(c)) {
		cv_wrap(c, TS_ERROR, cols, 2, app_role_is(app, "supervisor") ?
		    _("Deferred material overdue (容缺逾期): F5 ends the case as the 承诺书 allows.") :
		    _("Deferred material overdue (容缺逾期): a supervisor may end the case."));
	}
	line = xasprintf(_("Applicant %s %s · %s · first clerk %s (%s) · %s"), cv_str(k, "person_name"),
	    cv_str(k, "id_no"), cv_str(k, "channel_name"), cv_str(k, "clerk"), cv_str(k, "window"),
	    cv_str(k, "office_name"));
	cv_wrap(c, TS_NORMAL, cols, 2, line);
	free(line);
	if (cv_str(k, "result")[0] != '\0') {
		line = xasprintf(_("Result: %s (finished %s)"), cv_str(k, "result"), cv_str(k, "finished"));
		cv_wrap(c, TS_OK, cols, 2, line);
		free(line);
	}
	cv_policy(c, cols);
	cv_list(app, c, cols, _("By mail"), json_get(c->data, "mail"), cv_fmt_mail);
	cv_list(app, c, cols, _("Stages"), json_get(c->data, "stages"), cv_fmt_stage);
	cv_list(app, c, cols, _("Form"), json_get(c->data, "form"), cv_fmt_field);
	cv_list(app, c, cols, _("Materials"), json_get(c->data, "materials"), cv_fmt_material);
	cv_list(app, c, cols, _("Notices"), json_get(c->data, "notices"), cv_fmt_notice);
	cv_list(app, c, cols, _("History"), json_get(c->data, "events"), cv_fmt_event);
	cv_list(app, c, cols, _("Insurance history (I: 参保测算)"), json_get(c->data, "insurance"),
	    cv_fmt_insurance);
}

/* Reads the case again; false (with a message) when it cannot. */
static bool
cv_load(struct app *app, struct caseview *c)
{
	enum cases_result r;
	char *text = stages_case(app->db, app->session.id, c->case_no, &r), *err = NULL;

	if (text == NULL) {
		if (r == CASES_DB_LOST)
			app_db_lost(app);
		app_message(app, TS_ERROR, cases_result_message(r));
		return false;
	}
	app_calendar_refresh(app);
	json_free(&c->data);
	c->data = json_parse(text, &err);
	free(text);
	free(err);
	c->built_cols = 0;
	app_dirty(app, AD_BAR);		/* 撤回 and 终止办理 come and go with the case */
	if (c->data != NULL) {
		const struct json *k = json_get(c->data, "case"), *s = json_get(k, "stage_no");

		c->stage_no = s != NULL && s->kind == JSON_NUMBER ? atoi(s->text) : 0;
	}
	return c->data != NULL;
}

void
caseview_open(struct app *app, const char *case_no, enum app_view back)
{
	struct view *v = &app->views[AV_CASE];
	struct caseview *c = v->data;

	if (c == NULL)
		c = v->data = xcalloc(1, sizeof *c);
	snprintf(c->case_no, sizeof c->case_no, "%s", case_no);
	c->back = back;
	c->top = 0;
	if (cv_load(app, c))
		app_switch(app, AV_CASE);
}

static void
cv_draw(struct app *app, struct view *v, int top, int rows)
{
	struct caseview *c = v->data;
	int cols = term_cols();

	app->cursor_y = app->cursor_x = -1;
	if (c == NULL || c->data == NULL)
		return;
	if (c->built_cols != cols - 4)
		cv_build(app, c, cols - 4);
	c->page = rows;
	for (int r = 0; r < rows && c->top + r < (int)c->n; r++)
		term_print(top + r, 2, cols - 4, c->styles[c->top + r], c->lines[c->top + r]);
	if (prompt_active(&c->prompt))
		prompt_draw(&c->prompt, top, rows, &app->cursor_y, &app->cursor_x);
}

/* Reports r; on success reloads the case and says ok_msg. A case that
 * moved on meanwhile (a second key press, a colleague who was faster) is
 * shown as it is now, with who did what. */
static void
cv_done(struct app *app, struct caseview *c, enum cases_result r, const char *ok_msg)
{
	if (r == CASES_NOT_PENDING) {
		char *msg = cases_moved_on_message(app->db, app->session.id, c->case_no, r);

		cv_load(app, c);
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
	cv_load(app, c);
	app_message(app, TS_OK, ok_msg);
}

/* Opens the preview of document template of the case, named what
 * (translated), coming back to the case view. */
static void
cv_preview(struct app *app, struct caseview *c, const char *template)
{
	char *why = NULL, *doc = printout_case(app, template, c->case_no, &why);
	const char *what = printout_document_name(template);

	if (doc == NULL) {
		printout_failed(app, why);
		return;
	}
	preview_open(app, &doc, &what, 1, AV_CASE);
}

/* Records the package of F7 (address NULL: the one recorded). */
static void
cv_mail_out(struct app *app, struct caseview *c, const char *address)
{
	cv_done(app, c, stages_mail_out(app->db, app->session.id, c->case_no, c->mail_track, c->mail_what,
	    address), _("Recorded: the documents were mailed to the citizen."));
}

static void
cv_answer(struct app *app, struct caseview *c, int tag, int choice)
{
	const char *text = field_text(&c->prompt.field);
	char notice[32] = "", promised[11] = "", *msg;

	switch (tag) {
	case CV_RETURN:
		prompt_field(&c->prompt, choice == 0 ? CV_REASON_PREV : CV_REASON_CITIZEN,
		    _("Reason for sending it back:"), 60, false);
		break;
	case CV_REASON_PREV:
	case CV_REASON_CITIZEN: {
		enum cases_result r = stages_return(app->db, app->session.id, c->case_no,
		    c->stage_no, tag == CV_REASON_CITIZEN, text, notice);

		msg = tag == CV_REASON_CITIZEN ? xasprintf(_("Sent back to the citizen: notice %s."), notice) :
		    xstrdup(_("Sent back to the previous stage."));
		cv_done(app, c, r, msg);
		free(msg);
		break;
	}
	case CV_RESULT: {
		enum cases_result r = stages_finish(app->db, app->session.id, c->case_no, c->stage_no, text);
		const char *labels[] = { _("Print the completion notice"), _("Not now") };

		cv_done(app, c, r, _("The case is finished (办结); the citizen is notified."));
		if (r == CASES_OK)
			prompt_menu(&c->prompt, CV_PRINT, _("Print the completion notice?"), labels, 2);
		break;
	}
	case CV_PRINT:
		if (choice == 0)
			cv_preview(app, c, "completion-notice");
		break;
	case CV_WITHDRAW_REASON:
	case CV_TERMINATE_REASON: {
		const char *labels[2];
		bool w = tag == CV_WITHDRAW_REASON;

		snprintf(c->reason, sizeof c->reason, "%s", text);
		labels[0] = w ? _("Yes, withdraw it") : _("Yes, end it");
		labels[1] = _("No");
		/* what will happen, then the explicit question */
		app_message(app, TS_WARN, w ? _("Withdrawal closes the case and its stages; the 撤回申请确认书 is "
		    "printed for signature.") :
		    _("Ending closes the case as the 承诺书 says; the 终止办理告知书 is "
		    "printed."));
		prompt_menu(&c->prompt, w ? CV_WITHDRAW_CONFIRM : CV_TERMINATE_CONFIRM,
		    w ? _("Withdraw the case?") : _("End the case (终止办理)?"), labels, 2);
		break;
	}
	case CV_WITHDRAW_CONFIRM:
	case CV_TERMINATE_CONFIRM: {
		bool w = tag == CV_WITHDRAW_CONFIRM;
		enum cases_result r;

		if (choice != 0) {
			app_message(app, TS_NORMAL, _("Nothing was changed."));
			break;
		}
		r = w ? closing_withdraw(app->db, app->session.id, c->case_no, c->reason, notice) :
		    closing_terminate(app->db, app->session.id, c->case_no, c->reason, notice);
		msg = xasprintf(w ? _("Withdrawn: confirmation %s.") : _("The case is ended: notice %s."),
		    notice);
		cv_done(app, c, r, msg);
		free(msg);
		if (r == CASES_OK)
			cv_preview(app, c, w ? "withdrawal-notice" : "termination-notice");
		break;
	}
	case CV_MAIL_TRACK:
		intake_set(&c->mail_track, text);
		prompt_field(&c->prompt, CV_MAIL_WHAT, _("What the package holds (Enter: 办理文书):"), 60,
		    false);
		break;
	case CV_MAIL_WHAT: {
		const struct json *rows = json_get(c->data, "mail");

		intake_set(&c->mail_what, text);
		/* the address is asked only when the case has none recorded */
		if (rows == NULL || rows->kind != JSON_ARRAY || rows->n == 0)
			prompt_field(&c->prompt, CV_MAIL_ADDRESS, _("Address to mail to:"), 200, false);
		else
			cv_mail_out(app, c, NULL);
		break;
	}
	case CV_MAIL_ADDRESS:
		cv_mail_out(app, c, text);
		break;
	case CV_EXTEND_DAYS:
		c->extend_days = atoi(text);
		prompt_field(&c->prompt, CV_EXTEND_REASON, _("Reason for the extension:"), 60, false);
		break;
	case CV_EXTEND_REASON: {
		enum cases_result r = stages_extend(app->db, app->session.id, c->case_no, c->extend_days,
		    text, promised);

		char *date = app_date(app, promised, true);

		msg = xasprintf(_("Extended: promised by %s."), date);
		cv_done(app, c, r, msg);
		free(date);
		free(msg);
		/* the new promised date, printed for the citizen */
		if (r == CASES_OK)
			cv_preview(app, c, "extension-notice");
		break;
	}
	}
}

static int
cv_key(struct app *app, struct view *v, const struct term_key *k)
{
	struct caseview *c = v->data;
	int max = (int)c->n - c->page > 0 ? (int)c->n - c->page : 0, choice = 0;

	if (prompt_active(&c->prompt)) {
		int tag = c->prompt.tag;

		if (prompt_key(&c->prompt, k, &choice) == PR_DONE)
			cv_answer(app, c, tag, choice);
		return VF_REDRAW;
	}
	if (app->db_lost && k->code >= K_F2 && k->code <= K_F9) {
		app_message(app, TS_ERROR, _("The database connection was lost. Try again in a moment."));
		return VF_REDRAW;
	}
	switch (k->code) {
	case K_ESC:
	case K_F10:
		app_switch(app, c->back);
		return VF_HANDLED;
	case K_F1:
		app_switch(app, AV_HELP);
		return VF_HANDLED;
	case K_F2:
		/* a stage is done by one deliberate key: two F2 in one read (a
		 * double press on a slow line, a paste) would complete the next
		 * stage unseen */
		if (k->burst || k->pasted) {
			app_message(app, TS_ERROR, _("Keys that arrived together do nothing here: press F2 once, "
			    "on its own."));
			return VF_REDRAW;
		}
		cv_done(app, c, stages_complete(app->db, app->session.id, c->case_no, c->stage_no, NULL),
		    _("Stage completed; the case moved on."));
		return VF_REDRAW;
	case K_F3: {
		const char *labels[] = { _("To the previous stage"), _("To the citizen for materials (补正)") };

		prompt_menu(&c->prompt, CV_RETURN, _("Send the case back:"), labels, 2);
		return VF_REDRAW;
	}
	case K_F4:
		if (!app_takes_cases(app))
			app_message(app, TS_ERROR, cases_result_message(CASES_NOT_ALLOWED));
		else if (!cv_open_case(c))
			app_message(app, TS_ERROR, cases_result_message(CASES_CLOSED));
		else
			prompt_field(&c->prompt, CV_WITHDRAW_REASON,
			    _("Reason for the withdrawal (optional; Enter: 申请人主动申请撤回):"), 60, false);
		return VF_REDRAW;
	case K_F5:
		if (!app_role_is(app, "supervisor"))
			app_message(app, TS_ERROR, cases_result_message(CASES_NOT_ALLOWED));
		else if (!cv_open_case(c))
			app_message(app, TS_ERROR, cases_result_message(CASES_CLOSED));
		else if (cv_overdue(c) == 0)
			app_message(app, TS_ERROR, cases_result_message(CASES_NOT_OVERDUE));
		else
			prompt_field(&c->prompt, CV_TERMINATE_REASON,
			    _("Reason for ending the case (optional; Enter: the default):"), 60, false);
		return VF_REDRAW;
	case K_F6:
		prompt_field(&c->prompt, CV_RESULT, _("Result of the case (办结):"), 60, false);
		return VF_REDRAW;
	case K_F7:
		prompt_field(&c->prompt, CV_MAIL_TRACK, _("Waybill no. of the package mailed to the citizen:"),
		    40, false);
		return VF_REDRAW;
	case K_F8: {
		const char *closed = cv_str(json_get(c->data, "case"), "closed_as");

		cv_preview(app, c, strcmp(closed, "withdrawn") == 0 ? "withdrawal-notice" :
		    strcmp(closed, "terminated") == 0 ? "termination-notice" : "completion-notice");
		return VF_HANDLED;
	}
	case K_F9:
		prompt_field(&c->prompt, CV_EXTEND_DAYS, _("Extend the limit to how many working days?"), 3,
		    true);
		return VF_REDRAW;
	case K_UP:
		c->top = c->top > 0 ? c->top - 1 : 0;
		return VF_REDRAW;
	case K_DOWN:
		c->top = c->top < max ? c->top + 1 : max;
		return VF_REDRAW;
	case K_PGUP:
		c->top = c->top > c->page ? c->top - c->page : 0;
		return VF_REDRAW;
	case K_PGDN:
		c->top = c->top + c->page < max ? c->top + c->page : max;
		return VF_REDRAW;
	case K_CHAR:
		if (k->ch == 'i' || k->ch == 'I') {
			app->hooks->policy_open(app, cv_str(json_get(c->data, "case"), "id_no"));
			return VF_HANDLED;
		}
		return VF_IGNORED;
	default:
		return VF_IGNORED;
	}
}

static void
cv_free(struct view *v)
{
	struct caseview *c = v->data;

	cv_clear(c);
	json_free(&c->data);
	prompt_close(&c->prompt);
	free(c->mail_track);
	free(c->mail_what);
	free(c);
	v->data = NULL;
}

/* The keys of the case: 撤回 and 终止办理 only when the case allows them. */
static const struct bar_item *
cv_bar(struct app *app, struct view *v, size_t *n)
{
	static struct bar_item bar[10];
	const struct caseview *c = v->data;
	size_t k = 0;

	bar[k++] = (struct bar_item){ K_F1, N_("Help") };
	bar[k++] = (struct bar_item){ K_F2, N_("Stage done") };
	bar[k++] = (struct bar_item){ K_F3, N_("Send back") };
	if (c != NULL && cv_may_withdraw(app, c))
		bar[k++] = (struct bar_item){ K_F4, N_("Withdraw") };
	if (c != NULL && cv_may_terminate(app, c))
		bar[k++] = (struct bar_item){ K_F5, N_("End case") };
	bar[k++] = (struct bar_item){ K_F6, N_("Finish") };
	/* F7 works on every case; it is shown where the case came by post */
	if (c != NULL && strcmp(cv_str(json_get(c->data, "case"), "channel"), "mail") == 0)
		bar[k++] = (struct bar_item){ K_F7, N_("Mailed") };
	bar[k++] = (struct bar_item){ K_F8, N_("Print") };
	bar[k++] = (struct bar_item){ K_F9, N_("Extend") };
	bar[k++] = (struct bar_item){ K_ESC, N_("Back") };
	*n = k;
	return bar;
}

const struct view_ops case_view_ops = {
	.draw = cv_draw,
	.key = cv_key,
	.bar_fn = cv_bar,
	.free = cv_free,
};
