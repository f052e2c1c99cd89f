/*
 * The self-service terminal (自助服务终端, issue 16): `yichuang kiosk
 * --self-service` (tui/cmd/cmd_kiosk.c), a full-screen program of its own
 * on the loop and helpers of ui/fullscreen.h, as the kiosk role; see
 * selfsvc.c for its screens and store/selfsvc.h for its calls.
 */
#ifndef YC_QUEUE_SELFSVC_H
#define YC_QUEUE_SELFSVC_H

#include "ui/fullscreen.h"

struct printer;

struct selfsvc_options {
	const char *conninfo;		/* NULL: nothing configured */
	const char *config_error;	/* why nothing is configured */
	const char *office;
	struct printer *printer;	/* where documents go; owned by the caller */
	int idle_seconds;		/* 0: the setting selfservice_idle_seconds */
	enum fs_font font;
};

/* Runs the terminal until a signal or hangup; returns the exit status. */
int selfsvc_terminal_run(const struct selfsvc_options *opt);

#endif
