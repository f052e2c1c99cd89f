/*
 * The self-service terminal's calls (db/functions/selfservice.sql), made
 * as the kiosk role. Every call takes the terminal's office and the
 * citizen's ID number and returns that person's data only; the server
 * never returns the ID number whole. Callers clear what they got with the
 * _free functions, which zero it first (nothing personal stays in memory
 * after the terminal returns to its start).
 */
#ifndef YC_STORE_SELFSVC_H
#define YC_STORE_SELFSVC_H

#include <stdbool.h>

#include "store/db.h"

enum selfsvc_result {
	SELFSVC_OK,
	SELFSVC_UNKNOWN_OFFICE,
	SELFSVC_BAD_ID,			/* not a valid ID number */
	SELFSVC_NOT_FOUND,		/* no such person, or no such 备案 of this person */
	SELFSVC_NO_INSURANCE,		/* no insurance record: no 参保凭证 */
	SELFSVC_BAD_INPUT,
	SELFSVC_NO_PHONE,		/* no phone registered: the 备案 needs one */
	SELFSVC_ALREADY_FILED,		/* a 备案 of the person is in force */
	SELFSVC_ALREADY_REVOKED,
	SELFSVC_NOT_ALLOWED,		/* the item is not offered at this office */
	SELFSVC_UNAVAILABLE,		/* anything else the citizen cannot correct */
	SELFSVC_DB_LOST,
	SELFSVC_DB_ERROR
};

struct selfsvc_person {
	char name_masked[96];		/* 张*明 */
	char id_masked[24];
	int idle_seconds;		/* setting selfservice_idle_seconds */
};

struct selfsvc_case {
	char case_no[32];
	char type_name[160];
	char stage[192];		/* status, with the stage when in progress */
	char accepted[11];		/* YYYY-MM-DD or "" */
	char promised[11];
	char finished[11];
	bool revocable;			/* a 备案 in force */
};

struct selfsvc_cases {
	struct selfsvc_case *rows;
	int n;
};

/* The translated sentence for a citizen. */
const char *selfsvc_result_message(enum selfsvc_result r);

/* The person of id at office into out. */
enum selfsvc_result selfsvc_person(struct db *db, const char *office, const char *id,
    struct selfsvc_person *out);
/* The person's open and recent cases (at most 50, newest first). */
enum selfsvc_result selfsvc_cases(struct db *db, const char *office, const char *id,
    struct selfsvc_cases *out);
void selfsvc_cases_free(struct selfsvc_cases *c);
/* The 参保凭证 data (JSON text, malloc'd) with SELFSVC_OK, else NULL;
 * print: the citizen prints it now (audited). */
char *selfsvc_insurance(struct db *db, const char *office, const char *id, bool print,
    enum selfsvc_result *res);
/* 异地就医备案（承诺制）of kind in place: the preview (confirm false: nothing
 * kept, case_no "") or the filing itself. On SELFSVC_OK the JSON data of
 * the 备案登记表 and the 承诺书 (malloc'd; freed by the caller). */
enum selfsvc_result selfsvc_filing(struct db *db, const char *office, const char *id,
    const char *kind, const char *place, bool confirm, char case_no[32], char **form_json,
    char **pledge_json);
/* 撤销 of the person's 备案 case_no. */
enum selfsvc_result selfsvc_revoke(struct db *db, const char *office, const char *id,
    const char *case_no);
/* Zeroes and frees a string the calls above returned; NULLs *s. */
void selfsvc_text_free(char **s);

#endif
