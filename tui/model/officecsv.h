/*
 * The office import file of `yichuang office import FILE` (model part:
 * plain C, no curses, no database).
 *
 * CSV as model/csv.h reads it.
 *
 * The first record is the header: the column names code, name, parent,
 * tier (required) and address, phone (optional), in any order, matched
 * without regard to case and surrounding spaces. Every later record is
 * one office; a record of nothing but spaces is skipped. Fields are
 * trimmed of surrounding spaces (and tabs). Whether a field's value is a
 * valid code, tier, parent, name, address or phone is for the database to
 * say (yc.office_import); this reader says only what keeps a line from
 * being read.
 *
 * Errors are translated sentences (model/i18n.h) with their line; the
 * parse goes on after a bad record, so every one is reported. A bad
 * header (or a file that is not UTF-8) stops it: no record is read.
 */
#ifndef YC_MODEL_OFFICECSV_H
#define YC_MODEL_OFFICECSV_H

#include <stdbool.h>
#include <stddef.h>

#include "model/csv.h"

struct officecsv_row {
	int line;
	char *code, *name, *parent, *tier;
	char *address, *phone;		/* NULL when the file has no such column */
};

struct officecsv {
	struct officecsv_row *rows;
	size_t nrows;
	struct csv_error *errors;
	size_t nerrors;
};

/* Reads the len bytes at text (need not be NUL-terminated; NULL reads as
 * empty). Never NULL; the rows of the records that could be read, and an
 * error for every one that could not (in line order). */
struct officecsv *officecsv_parse(const char *text, size_t len);
/* Frees *c and sets it to NULL; NULL is fine. */
void officecsv_free(struct officecsv **c);

#endif
