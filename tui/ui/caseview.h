/* One case with its stages, materials, notices and history; see caseview.c. */
#ifndef YC_CASEVIEW_H
#define YC_CASEVIEW_H

#include "ui/app.h"

/* Shows case case_no (when the session may see it); Esc goes back to back. */
void caseview_open(struct app *app, const char *case_no, enum app_view back);

#endif
