/*
 * Choosing a case type (tui/intake/picker.c, registered as AV_PICKER):
 * the first step of the intake, reached with F5 from the workbench. Enter
 * opens the type's 办事指南 (guide.h), F2 its intake (counter.h).
 */
#ifndef YC_INTAKE_PICKER_H
#define YC_INTAKE_PICKER_H

#include "ui/app.h"

extern const struct view_ops picker_view_ops;

#endif
