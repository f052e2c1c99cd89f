/*
 * Offices and windows kept by administrators, through the server-side
 * functions of db/functions/offices.sql: yc.office_save,
 * yc.office_set_active, yc.office_import, yc.office_list, yc.window_save,
 * yc.window_set_active, yc.window_list. Each change is one call, run as
 * an administrator's staff session (session > 0, bound to the
 * connection) or, with session 0, as the database owner (a trusted
 * connection; the server refuses anyone else). The server keeps an
 * administrator to their own office and the offices below it, audits
 * every change with before and after, and announces it (NOTIFY).
 *
 * Results: the server's word as an enum; offices_result_message() says
 * it as one sentence for the user, with the office code and the detail
 * the server gave (the parent an office must have, a staff number, a
 * count). OFFICES_DB_LOST / OFFICES_DB_ERROR when the database failed
 * (db_detail()).
 *
 * The print settings of the window a workstation signs in at are read
 * with offices_window_printer (a plain SELECT the application role may
 * make).
 */
#ifndef YC_STORE_OFFICES_H
#define YC_STORE_OFFICES_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

enum offices_result {
	OFFICES_ADDED, OFFICES_UPDATED, OFFICES_UNCHANGED, OFFICES_OK,
	OFFICES_NO_SESSION, OFFICES_NOT_ALLOWED, OFFICES_OUT_OF_JURISDICTION,
	OFFICES_BAD_CODE, OFFICES_BAD_TIER, OFFICES_TIER_MISMATCH, OFFICES_ROOT_PARENT,
	OFFICES_PARENT_REQUIRED, OFFICES_BAD_PARENT, OFFICES_PARENT_TIER, OFFICES_UNKNOWN_PARENT,
	OFFICES_PARENT_INACTIVE, OFFICES_PARENT_REFUSED, OFFICES_DUPLICATE,
	OFFICES_BAD_NAME, OFFICES_BAD_ADDRESS, OFFICES_BAD_PHONE,
	OFFICES_UNKNOWN_OFFICE, OFFICES_OWN_OFFICE, OFFICES_ACTIVE_BELOW, OFFICES_ACTIVE_STAFF,
	OFFICES_OPEN_CASES, OFFICES_OFFICE_INACTIVE,
	OFFICES_BAD_WINDOW, OFFICES_BAD_LABEL, OFFICES_BAD_CHANNEL, OFFICES_BAD_ENCODING,
	OFFICES_BAD_WIDTH, OFFICES_UNKNOWN_WINDOW, OFFICES_IN_USE, OFFICES_OPEN_TICKETS,
	OFFICES_BAD_INPUT, OFFICES_DB_LOST, OFFICES_DB_ERROR
};

/* Whether r says the change was made (or there was nothing to change). */
bool offices_result_ok(enum offices_result r);
/* Whether r refuses what was asked for as bad input (a code, tier,
 * parent, name, address, phone, label, channel, encoding, width or
 * window number the rules do not allow, an unknown office or window, a
 * duplicate): the commands exit with 2 for these, 1 for the others. */
bool offices_result_input(enum offices_result r);
/* One translated sentence for r, about office code (may be NULL) and the
 * server's detail (may be NULL or ""); malloc'd. */
char *offices_result_message(enum offices_result r, const char *code, const char *detail);

/* Add or change an office: name, address, phone NULL keep (a new office
 * needs a name); "" clears address or phone. parent NULL: the code's;
 * "" none (a province). tier NULL: the code's. detail (may be NULL, 32
 * bytes) gets the server's detail. */
enum offices_result offices_save(struct db *db, long long session, const char *code, const char *name,
    const char *parent, const char *tier, const char *address, const char *phone, char detail[32]);
/* Deactivate (active false) or activate an office. */
enum offices_result offices_set_active(struct db *db, long long session, const char *code, bool active,
    char detail[32]);

/* One row of an import file (the fields as read; address and phone NULL
 * when the file has no such column). */
struct offices_row {
	int line;
	const char *code, *name, *parent, *tier, *address, *phone;
};
/* What the server said of one line. */
struct offices_line {
	int line;
	char code[24];
	enum offices_result r;
	char detail[32];
};
/*
 * Imports rows all or nothing. OFFICES_OK with every line's result in
 * *out (malloc'd, *nout entries; the caller frees *out) when all went
 * in; OFFICES_BAD_INPUT with only the refused lines when any was refused
 * (nothing stored); the refusal of the whole (OFFICES_NOT_ALLOWED,
 * OFFICES_NO_SESSION, OFFICES_DB_*) with *nout 0.
 */
enum offices_result offices_import(struct db *db, long long session, const struct offices_row *rows,
    size_t n, struct offices_line **out, size_t *nout);

struct offices_office {
	char code[16], name[192], tier[12], parent[16];
	char address[608], phone[24];
	bool active;
	int windows, windows_active;
};
/* The offices of the session's jurisdiction (session 0: the owner's, all),
 * parents before the offices below them; how many (0 with *out NULL
 * when none or on failure; st, may be NULL, says which). */
size_t offices_list(struct db *db, long long session, struct offices_office **out, enum db_status *st);

struct offices_window {
	int no;
	char label[64];
	bool active;
	char channel[256], encoding[16];
	int width;		/* 0: not set */
	char staff_no[40], staff_name[64];	/* who is signed in there; "" */
};
/* The windows of an office of the jurisdiction, by number. */
size_t offices_windows(struct db *db, long long session, const char *office, struct offices_window **out,
    enum db_status *st);
/* Add or change a window: label, channel, encoding NULL keep ("" clears
 * channel and encoding); width -1 keeps, 0 clears. */
enum offices_result offices_window_save(struct db *db, long long session, const char *office, int window,
    const char *label, const char *channel, const char *encoding, int width, char detail[32]);
enum offices_result offices_window_set_active(struct db *db, long long session, const char *office,
    int window, bool active, char detail[32]);

/* The print settings stored for a window: channel and encoding ("" when
 * none), width (0 when none). false when the window is unknown or the
 * database could not be read (*out is then all empty). */
struct offices_printer {
	char channel[256], encoding[16];
	int width;
};
bool offices_window_printer(struct db *db, const char *office, int window, struct offices_printer *out);

/* The translated name of a level ("county" → 县级); an unknown word is
 * returned as it is. */
const char *offices_tier_name(const char *tier);
/* The level an office code's length gives (GB/T 2260: 2 province, 4
 * prefecture, 6 county, 9 township, 12 village; "" for any other). */
const char *offices_code_tier(const char *code);
/* How many digits the offices right below code have (0: a village, or not
 * a code). */
size_t offices_child_len(const char *code);
/* How many digits of code its parent has (0: a province or not a code). */
size_t offices_parent_len(const char *code);

#endif
