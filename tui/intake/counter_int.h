/*
 * Private to the intake screen; the public interface is counter.h. The
 * screen is one module over several files, so every function keeps the
 * counter_ prefix:
 *   counter.c          the rows, the checks when leaving a row, the keys,
 *                      the view's function table
 *   counter_draw.c     drawing
 *   counter_draft.c    drafts: var/drafts/STAFF.draft and the database,
 *                      offering a draft back at sign-in
 *   counter_outcome.c  ending the intake: outcome, record, papers, rating
 *   counter_open.c     starting the intake: new case, 补正
 * Only these files include this header.
 */
#ifndef YC_INTAKE_COUNTER_INT_H
#define YC_INTAKE_COUNTER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "intake/counter.h"
#include "model/intake.h"
#include "store/cases.h"
#include "ui/app.h"
#include "ui/field.h"
#include "ui/prompt.h"

enum row_kind { R_HEAD, R_CHANNEL, R_ID, R_NAME, R_PHONE, R_PROXY, R_AGENT_ID, R_AGENT_NAME,
	R_MAIL_ADDRESS, R_MAIL_TRACKING, R_FIELD, R_MAT };

struct row {
	enum row_kind kind;
	size_t idx;		/* R_FIELD: field; R_MAT: material; R_HEAD: heading msgid index */
};

enum counter_phase { PH_EDIT, PH_RATE };
enum counter_prompt { CP_OUTCOME = 1, CP_REASON_PICK, CP_REASON, CP_LEAVE, CP_DISCARD, CP_RATE };

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
	char *policy_line;	/* 参保测算 of the applicant (counter_policy.c), or NULL */
	char *done_msg;		/* what to tell the clerk after the rating */
	/* The draft (counter_draft.c): written at most every
	 * COUNTER_FLUSH_MS, the local file after a change, the database
	 * after a move between rows (or when the local file cannot be
	 * written), both at once before anything that could lose it. */
	bool local_dirty;	/* changed since written to var/drafts */
	bool db_dirty;		/* changed since saved to the database */
	bool db_due;		/* a move asked for the database's copy */
	bool local_failed;	/* the last write of var/drafts failed */
	bool unsaved;		/* neither copy holds the last change (said on screen) */
	long long flushed_ms;	/* when the draft was last written (CLOCK_MONOTONIC) */
};

/* counter.c */
/* Today in China (cal_date_cn), as the server counts it. */
/* counter_policy.c: the 参保测算 line of a type with a resident policy
 * rule, after the ID or an answer changed; F9 opens the whole of it. */
void counter_policy_refresh(struct app *app, struct counter *c);
void counter_policy_open(struct app *app, struct counter *c);
struct cal_date counter_today(void);
/* Frees everything c holds and zeroes it (c itself stays). */
void counter_reset(struct counter *c);
/* Whether row r can be moved to / changed, and whether it is typed text. */
bool counter_editable(const struct counter *c, const struct row *r);
bool counter_is_text(const struct counter *c, const struct row *r);
/* The intake's string behind a text row; NULL for other rows. */
char **counter_slot(struct counter *c, const struct row *r);
/* Rebuilds the rows from def and in, keeping the current row if it is
 * still there, and loads the editor. */
void counter_build_rows(struct counter *c);
/* The applicant's ID was entered: normalise it, look the person up, warn
 * of an open case of the same type, fill the form's own ID field. */
void counter_applicant(struct app *app, struct counter *c);
/* Checks the row being left; true when it is fine (else a message). */
bool counter_check_row(struct app *app, struct counter *c, const struct row *r);

/* 承诺制: the checklist numbers the pledge material k replaces (the other
 * members of its group: "2a、2b"), malloc'd. */
char *counter_pledge_replaces(const struct counter *c, size_t k);
/* F3: ticks the pledge of every group that has one (or unticks them when
 * one is ticked) and moves to it; a message when the type has none. */
void counter_pledge_key(struct app *app, struct counter *c);

/* counter_draw.c */
/* The view's draw function. */
void counter_draw(struct app *app, struct view *v, int top, int rows);

/* counter_draft.c */
#define COUNTER_FLUSH_MS 300
/* The intake changed: its draft is written at the end of this round of
 * keys, or COUNTER_FLUSH_MS after the last write if that is later (the
 * local file; the database too when to_db, a move between rows). */
void counter_changed(struct app *app, struct counter *c, bool to_db);
/* Writes what is held back now (now: the database too; else only what is
 * due, and no sooner than COUNTER_FLUSH_MS after the last write). False,
 * with the reason on the message line and at the foot of the screen,
 * when neither the local file nor the database holds the intake as it
 * is. */
bool counter_flush(struct app *app, struct counter *c, bool now);
/* The view's flush op: the intake on screen as asked; with no intake on
 * screen and the connection back, a draft kept only on this machine goes
 * to the database. */
void counter_flush_op(struct app *app, struct view *v, enum view_flush why);
/* Removes the clerk's draft, local and in the database. */
void counter_draft_remove(struct app *app);
/* The view's save op: the intake on screen (v), if any, to the database
 * now. */
void counter_save_now(struct app *app, struct view *v);

/* counter_outcome.c */
/* F6: checks the form and offers the outcomes the checklist allows. */
void counter_ask_outcome(struct app *app, struct counter *c);
/* Acts on the answer to prompt tag (enum counter_prompt). */
void counter_answer(struct app *app, struct counter *c, int tag, int choice);
/* After the rating: back to the workbench with the outcome's message. */
void counter_finish(struct app *app, struct counter *c);
/* The view's enter function: asks for the rating after recording. */
void counter_enter(struct app *app, struct view *v);

/* counter_open.c */
/* Starts the screen on def (taken over) with a new intake. */
struct counter *counter_begin(struct app *app, struct cat_def *def, int version);
/* The definition of case type code (latest version when *version is 0);
 * NULL with a message to the clerk. */
struct cat_def *counter_load_def(struct app *app, const char *code, int *version);

#endif
