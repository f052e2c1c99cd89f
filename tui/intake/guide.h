/*
 * The 办事指南 of one case type (tui/intake/guide.c, registered as
 * AV_GUIDE); F2 there starts the intake of that type.
 */
#ifndef YC_INTAKE_GUIDE_H
#define YC_INTAKE_GUIDE_H

#include "ui/app.h"

extern const struct view_ops guide_view_ops;

/* Opens the 办事指南 of case type code (latest catalogue version). */
void guide_open(struct app *app, const char *code);

#endif
