/*
 * The window screen (窗口屏 / 评价器) of one service window, a full-screen
 * program of its own (yichuang window-screen, tui/cmd/cmd_wscreen.c); see
 * wscreen.c for what it shows and ui/fullscreen.h for the loop it shares
 * with the kiosk and the calling board.
 */
#ifndef YC_QUEUE_WSCREEN_H
#define YC_QUEUE_WSCREEN_H

struct wscreen_options {
	const char *conninfo;
	const char *config_error;
	const char *office;
	int window;
};

/* Runs the window screen until a signal or hangup. */
int wscreen_run(const struct wscreen_options *opt);

#endif
