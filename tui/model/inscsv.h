/*
 * The insurance history export of `yichuang insurance import FILE` (model
 * part: plain C, no curses, no database): CSV as model/csv.h reads it,
 * one person, year and scheme per record.
 *
 * Columns (header names, any order): id_no, year, scheme, insured
 * (required) and central, fund_paid, reward_used (optional: absent or
 * empty is "no"). scheme: resident or 居民 / 城乡居民, employee or 职工.
 * A yes/no column: 1 or 0, 是 or 否, y or n, yes or no, true or false
 * (any case). Values come out normalised ("resident", "t"/"f"); whether
 * an ID number's check character is right, a year possible for the
 * person and the facts consistent is for the database to say
 * (yc.insurance_import); this reader says what keeps a line from being read.
 */
#ifndef YC_MODEL_INSCSV_H
#define YC_MODEL_INSCSV_H

#include <stddef.h>

#include "model/csv.h"

struct inscsv_row {
	int line;
	char id_no[19], year[5];
	const char *scheme;		/* "resident" | "employee" */
	const char *insured, *central, *fund_paid, *reward_used;	/* "t" | "f" */
};

struct inscsv {
	struct inscsv_row *rows;
	size_t nrows;
	struct csv_error *errors;
	size_t nerrors;
};

/* Reads the len bytes at text. Never NULL; an error for every record that
 * could not be read (in line order). */
struct inscsv *inscsv_parse(const char *text, size_t len);
/* Frees *c and sets it to NULL; NULL is fine. */
void inscsv_free(struct inscsv **c);

#endif
