/*
 * The intake at the counter (综合柜员制): one case of any type from the
 * applicant's ID to the printed paper, ending in 受理, 即时办结, 一次性告知,
 * 容缺受理 or 不予受理, then the citizen's 好差评. What the clerk types is
 * kept as a draft (a local file within COUNTER_FLUSH_MS of a change, the
 * database as the clerk moves on, both before anything that could lose
 * them), so a dropped line, a crash or a lost connection loses nothing:
 * the next sign-in offers it back. When neither copy can be written the
 * screen says so, and the database gets it once the connection is back.
 */
#ifndef YC_INTAKE_COUNTER_H
#define YC_INTAKE_COUNTER_H

#include <stdbool.h>
#include <stddef.h>

#include "store/cases.h"
#include "ui/app.h"

/* The screen (registered as AV_COUNTER). Its save op keeps the intake on
 * screen, if any, in the database when the session ends (sign-out,
 * hang-up); its flush op writes the held-back draft (see view_ops.flush),
 * and, the connection back with no intake on screen, gives the database a
 * draft kept only on this machine. */
extern const struct view_ops counter_view_ops;

/* Starts an intake of case type code (latest catalogue version), for the
 * ticket the window is serving if any (app->ticket_id). */
void counter_open(struct app *app, const char *code);
/* Goes on with a case waiting for 补正 (found by lookup). */
void counter_continue(struct app *app, const struct cases_found *c);
/* A saved draft of the signed-in clerk, from the database or this
 * machine, whichever is newer: true with a one-line description. */
bool counter_draft_find(struct app *app, char *desc, size_t size);
/* Opens the saved draft / throws it away. */
void counter_draft_resume(struct app *app);
void counter_draft_discard(struct app *app);
/* 参保测算's F6 (intake/policyview.h): puts payback years and 困难人口
 * identified late into the form of the intake on hand, when its type
 * has those answers (model/catalogue.h, <policy rule="resident">). */
void counter_policy_apply(struct app *app, int payback, bool aid_late);

#endif
