/*
 * The ticket kiosk (取号机) of a hall, a full-screen program of its own
 * (yichuang kiosk, tui/cmd/cmd_kiosk.c); see kiosk.c for its screens and
 * ui/fullscreen.h for the loop it shares with the calling board.
 */
#ifndef YC_QUEUE_KIOSK_H
#define YC_QUEUE_KIOSK_H

#include "ui/fullscreen.h"

struct printer;

struct kiosk_options {
	const char *conninfo;		/* NULL: nothing configured */
	const char *config_error;	/* why nothing is configured */
	const char *office;
	struct printer *printer;	/* where slips go; owned by the caller */
	int result_seconds;		/* how long a new number stays on screen */
	enum fs_font font;
};

/* Runs the kiosk until a signal or hangup; returns the exit status. */
int kiosk_run(const struct kiosk_options *opt);

#endif
