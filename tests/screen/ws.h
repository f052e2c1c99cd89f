/*
 * Fixtures for screen tests: start the real workstation binary
 * ($YC_TEST_BIN) in a pseudo-terminal, sign in, and inspect or reset the
 * throwaway database through a superuser connection
 * ($YC_TEST_ADMIN_CONNINFO). Failures abort the current cmocka test.
 */
#ifndef YC_TEST_WS_H
#define YC_TEST_WS_H

#include <libpq-fe.h>

#include "model/bigfont.h"
#include "screen/vt.h"

#define WS_WAIT 5000

/* Starts yichuang with args (NULL-terminated, may be NULL) under env
 * (NULL-terminated extra "NAME=value", may be NULL; LANG defaults to
 * C.UTF-8, TERM to xterm-256color). charset as for vt_spawn. */
struct vt *ws_start(int rows, int cols, const char *const *env, const char *const *args,
    const char *charset);
/* yichuang with args (NULL-terminated, at most 13) on the superuser's
 * connection with the database's clock at when (ISO 8601 without spaces,
 * through PGOPTIONS: the application role could not fake it), 24x80. */
struct vt *ws_start_at(const char *when, const char *const *args);
/* Types the three login fields and Enter; window may be "" for none. */
void ws_login(struct vt *vt, const char *staff, const char *password, const char *window);
/* F10 from a signed-in screen: expects the sign-in screen with 已注销, then
 * closes the terminal and frees *vt. */
void ws_sign_out(struct vt **vt);
/* Runs the yichuang binary with args (a fixed string from the test, split
 * by the shell) and returns the first line it printed (malloc'd), failing
 * the test when it exits non-zero. */
char *ws_run(const char *args);
/* What the workstation printed to the file channel DIR/NAME.txt
 * (malloc'd); fails the test when nothing was. */
char *ws_printed(const char *dir, const char *name);
/* Runs SQL as superuser and returns the first column of the first row as
 * a long (0 when there are no rows). */
long ws_sql_long(const char *sql, int n, const char *const *params);
/* The same as text (malloc'd; "" when there are no rows). */
char *ws_sql_text(const char *sql, int n, const char *const *params);
/* How many audit rows staff has with action. */
long ws_count_audit(const char *staff_no, const char *action);
/* Clears failures and locks of a staff account (at every terminal too). */
void ws_reset_staff(const char *staff_no);
/* A township office of the demo city (360981) with window 1, for a
 * suite of its own; kept when it exists. */
void ws_township(const char *code, const char *name);
/* An active staff account with the demo password (Demo-1234), made or
 * set to this role and office. */
void ws_staff(const char *staff_no, const char *name, const char *role, const char *office);
/* Removes a suite's temporary directory: 0, or -1 when it could not. */
int ws_rmdir(const char *dir);

/* An 18-character ID number: 17 digits and their GB 11643 check
 * character (computed here, independently of the validators). */
void ws_idno(const char *digits17, char out[19]);
/* Whether the screen shows the large-type rendering b from (r, c). */
bool ws_big_at(struct vt *vt, const struct bigfont *b, int r, int c);

/* Tab n times, letting each move (and the checks on leaving a row) reach
 * the screen. */
void ws_tabs(struct vt *vt, int n);
/* On the intake screen: F6, then the outcome whose menu line reads
 * "N  label" (fails the test when there is none). */
void ws_choose(struct vt *vt, const char *label);

/* The text of the screen row that contains needle ("" when none;
 * malloc'd). */
char *ws_row_with(struct vt *vt, const char *needle);
/* Waits up to timeout_ms until the row holding key also holds each of
 * want (NULL-ended); on failure says what the row and screen last held. */
bool ws_row_expect(struct vt *vt, const char *key, const char *const *want, int timeout_ms);

/* At the workbench: F7, the key (a case, notice, ID or waybill number)
 * in the finder, Enter; then the screen must show expect (the status of
 * what was found, or 没有找到). */
void ws_find(struct vt *vt, const char *key, const char *expect);

/* At the workbench: F5, 门诊费用报销 (002036006001) by its initials, F2,
 * a new applicant id with name, the whole form, and every material
 * ticked but the last (慢性病证, deferrable) unless all. */
void ws_fill_clinic(struct vt *vt, const char *id, const char *name, bool all);

/* Leaves office 360981 as the demo data has it: nobody waiting, window 3
 * idle. Every waiting ticket is called at window 3 and marked a no-show,
 * as clerk2 through the store API. */
void ws_drain_office(void);

/* The hot standby of tests/standby.sh ($YC_STANDBY_CONNINFO, superuser):
 * whether sql's first value there is true; wait (up to 20 s) until it has
 * replayed the primary's current position; pause or resume its replay,
 * waiting until it has. */
bool ws_standby_true(const char *sql);
void ws_standby_caught_up(void);
void ws_standby_pause(bool pause);

#endif
