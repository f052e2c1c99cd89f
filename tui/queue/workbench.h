/*
 * The workbench (tui/queue/workbench.c, registered as AV_WORKBENCH): the
 * clerk's home after sign-in, running the window's queue. It keeps
 * app->ticket_id, the ticket the window is serving.
 */
#ifndef YC_QUEUE_WORKBENCH_H
#define YC_QUEUE_WORKBENCH_H

#include "ui/app.h"

extern const struct view_ops workbench_view_ops;

#endif
