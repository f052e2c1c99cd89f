/*
 * The calling board (叫号屏) of a hall, a full-screen program of its own
 * (yichuang board, tui/cmd/cmd_board.c); see board.c for what it shows and
 * ui/fullscreen.h for the loop it shares with the ticket kiosk.
 */
#ifndef YC_QUEUE_BOARD_H
#define YC_QUEUE_BOARD_H

#include "ui/fullscreen.h"

struct board_options {
	const char *conninfo;		/* LISTEN (and reads without read_conninfo) */
	const char *read_conninfo;	/* reads only (a hot standby), or NULL */
	const char *config_error;
	const char *office;
	enum fs_font font;
};

/* Runs the calling board until a signal or hangup. */
int board_run(const struct board_options *opt);

#endif
