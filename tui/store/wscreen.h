/*
 * The window screen's two calls (db/functions/intake.sql), made as the
 * kiosk role: the window's public state and the citizen's rating of its
 * last service.
 */
#ifndef YC_STORE_WSCREEN_H
#define YC_STORE_WSCREEN_H

#include <stdbool.h>

#include "store/db.h"

enum wscreen_result {
	WS_OK,
	WS_UNKNOWN_WINDOW,		/* no such window of the office */
	WS_NOTHING_TO_RATE,		/* no service to rate (rated, too old, none) */
	WS_BAD_INPUT,
	WS_DB_LOST,
	WS_DB_ERROR
};

struct wscreen_state {
	char state[12];			/* idle | serving | paused */
	char staff_no[40];		/* "" when nobody is signed in */
	char staff_name[96];
	char serving[12];		/* the ticket being served, "" when none */
	char to_rate[12];		/* the service to rate now, "" when none */
};

/* The public state of window of office into out. */
enum wscreen_result wscreen_state(struct db *db, const char *office, int window,
    struct wscreen_state *out);
/* Records grade (1..5) for the window's last service. */
enum wscreen_result wscreen_rate(struct db *db, const char *office, int window, int grade);

#endif
