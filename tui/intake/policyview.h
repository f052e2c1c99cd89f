/*
 * 参保测算: the 参保 figures of one person (db/functions/policy.sql: the
 * waiting period and when benefits start, what paying back gap years
 * changes and costs, the year's 大病保险 cap, each with its rule) and the
 * person's insurance history. Opened from the intake (F9, with the
 * applicant and the form's answers; F6 there puts the payback chosen into
 * the form) and, through app->hooks->policy_open, from the workbench and
 * the case view (I).
 *
 * Keys: Tab/↑↓ between the ID number, the years paid back (←→) and
 * 困难人口 identified late (Space); Enter computes; PgUp/PgDn scroll;
 * F6 applies (from the intake); F10/Esc back.
 */
#ifndef YC_INTAKE_POLICYVIEW_H
#define YC_INTAKE_POLICYVIEW_H

#include <stdbool.h>

#include "ui/app.h"

extern const struct view_ops policyview_view_ops;

/* Opens the view for id_no ("" or NULL: the clerk types it) with payback
 * and aid_late preset; back: where F10 returns; from_counter: F6 applies
 * the answers to the intake's form. */
void policyview_open(struct app *app, const char *id_no, int payback, bool aid_late, enum app_view back,
    bool from_counter);

/* app->hooks->policy_open: opens the view for id_no, back to the view on
 * screen. */
void policyview_hook_open(struct app *app, const char *id_no);

#endif
