/*
 * Insurance history and the 参保 rules in the database
 * (db/functions/policy.sql): the figures of a person for the window
 * (yc.policy_preview) and the import of the provincial platform's export
 * (yc.insurance_import, all or nothing). The server computes everything;
 * model/policy.h puts the figures into sentences.
 */
#ifndef YC_INSSTORE_H
#define YC_INSSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/policy.h"

struct db;

enum ins_result {
	INS_OK,
	INS_NO_SESSION,
	INS_NOT_ALLOWED,
	INS_BAD_ID,
	INS_BAD_INPUT,
	INS_REFUSED_LINES,	/* the import refused lines (each in the lines returned) */
	INS_DB_LOST,
	INS_DB_ERROR
};

/* The translated sentence of a result. */
const char *insstore_result_message(enum ins_result r);

/* The figures of id_no for a registration on on ("YYYY-MM-DD", NULL
 * today) paying back payback years; aid_late: 困难人口 identified after the
 * 集中参保期. */
enum ins_result insstore_preview(struct db *db, long long session, const char *id_no, const char *on,
    int payback, bool aid_late, struct policy *out);

/* One row of the export, as model/inscsv.h reads it ("t"/"f" booleans). */
struct ins_row {
	int line;
	const char *id_no, *year, *scheme, *insured, *central, *fund_paid, *reward_used;
};

/* A refused line: what the server said (bad_id, bad_year, bad_scheme,
 * bad_facts, duplicate with the first line in detail). */
struct ins_line {
	int line;
	char why[24];
	int first;		/* duplicate: the earlier line */
};

/* Imports the rows (session 0: the owner). INS_OK with the counts, or
 * INS_REFUSED_LINES with *lines (caller frees) and nothing stored. */
enum ins_result insstore_import(struct db *db, long long session, const struct ins_row *rows, size_t n,
    size_t counts[3], struct ins_line **lines, size_t *nlines);
/* The translated sentence of a refused line. */
char *insstore_line_message(const struct ins_line *l);

#endif
