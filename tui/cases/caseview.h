/* One case with its stages, materials, notices and history; see caseview.c. */
#ifndef YC_CASES_CASEVIEW_H
#define YC_CASES_CASEVIEW_H

#include "ui/app.h"

/* The view (registered as AV_CASE). */
extern const struct view_ops case_view_ops;

/* Shows case case_no (when the session may see it); Esc goes back to back. */
void caseview_open(struct app *app, const char *case_no, enum app_view back);

#endif
