/*
 * The shift supervisor's console (值班长) and the end-of-shift handover
 * note of a window.
 *
 * hall_view_ops (tui/hall/hall.c, registered as AV_HALL): the live hall of
 * the supervisor's office, or of an office below it: every window with its
 * clerk, state, current ticket and the service time ticking; the queue per
 * class with the count, the longest wait and today's service level; on a
 * tall enough terminal the tickets issued per hour and the distribution of
 * waits as bar charts (Unicode blocks, or '#' where the terminal cannot
 * show them). Refreshed through the view's notify op on every NOTIFY of
 * the office shown (app_notify; the console LISTENs on another office's
 * channel itself), never polled. Keys: ↑ ↓ choose a window, F2 a 绿色通道
 * ticket, F3 re-route a waiting ticket to a window, F4 the 差评 waiting
 * for follow-up (Enter writes the note and marks it handled), F5 refresh,
 * F6 reassign the open cases of an absent clerk, F7 the near-due and
 * overdue cases, F8 the daily report (date, then office), F9 the halls of
 * the offices below (辖区各厅: ↑ ↓, Enter opens one; where a supervisor
 * without windows of their own starts), Esc / F10 back up: another
 * office's hall → the list → the own hall → the workbench.
 *
 * handover_view_ops (tui/hall/handover.c, registered as AV_HANDOVER): the
 * sign-out of a clerk at a window asking for the handover note.
 */
#ifndef YC_HALL_HALL_H
#define YC_HALL_HALL_H

#include "ui/app.h"

extern const struct view_ops hall_view_ops, handover_view_ops;

/* Opens the console (supervisors only: others get a message and stay). */
void hall_open(struct app *app);

/*
 * The daily report from the console (tui/hall/hall_report.c). Today's date
 * in Asia/Shanghai as YYYY-MM-DD; a typed date (the usual Chinese forms,
 * not after today) as YYYY-MM-DD, false with the reason on the message
 * line; and the report of an office and date opened in the preview (F6
 * prints it), or the reason on the message line when the server refuses
 * (not a supervisor, an office outside the jurisdiction, unknown office).
 */
void hall_report_today(char out[11]);
bool hall_report_date(struct app *app, const char *typed, char out[11]);
void hall_report_open(struct app *app, const char *office, const char *date);
/* The per-office report of the office and the offices below it that day
 * (yc.report_session_offices), previewed like the daily report. */
void hall_report_open_below(struct app *app, const char *office, const char *date);
/* Whether the office has offices below it that the session may read: 1
 * yes, 0 no, -1 refused or failed (the reason on the message line). */
int hall_report_has_below(struct app *app, const char *office, const char *date);

/*
 * F10 at a window: asks for the handover note for the next clerk at this
 * window. Enter with a note saves it and signs out; Enter on an empty field
 * signs out without a note; Esc goes back to the workbench, still signed
 * in. The caller checks first that the window has no current ticket; it
 * does nothing after the call (the sign-out, when it comes, is done here
 * with app_logout(app, "user", …)).
 */
void handover_prompt(struct app *app);

/*
 * The newest handover note of the signed-in clerk's window of the last 7
 * days, written by someone else, as one line ready to show ("Handover from
 * 王芳 (clerk2), 06-12 17:31: …"); malloc'd, or NULL when there is none,
 * the session has no window, or the database cannot be reached.
 */
char *handover_for_login(struct app *app);

#endif
