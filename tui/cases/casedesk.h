/*
 * F7, the case desk (tui/cases/casedesk.c, registered as AV_CASES): a
 * saved intake to go on with, a case lookup, the stage work and the
 * deadline board; a case opens in the case view (caseview.h).
 */
#ifndef YC_CASES_CASEDESK_H
#define YC_CASES_CASEDESK_H

#include "ui/app.h"

extern const struct view_ops cases_view_ops;

#endif
