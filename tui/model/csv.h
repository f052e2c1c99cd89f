/*
 * CSV import files (model part: plain C, no curses, no database), shared by
 * the import commands (model/officecsv.h, model/inscsv.h).
 *
 * CSV as RFC 4180 writes it: fields separated by commas; a field that
 * starts with a double quote runs to the matching quote and may hold
 * commas, doubled quotes ("") and line breaks; records end in LF or CRLF,
 * the last one need not. UTF-8, with or without a byte-order mark (as
 * spreadsheet programs save "CSV UTF-8"). Lines count from 1, physical
 * lines: a record's line is the one it starts on.
 *
 * The first record that is not blank is the header: column names from
 * the file's spec, in any order, matched without regard to case and
 * surrounding spaces. A record of nothing but spaces is skipped. Fields
 * are trimmed of surrounding spaces (and tabs).
 *
 * Errors are translated sentences (model/i18n.h) with their line; the
 * parse goes on after a bad record, so every one is reported. A bad
 * header (or a file that is not UTF-8) stops it: no record is read.
 */
#ifndef YC_MODEL_CSV_H
#define YC_MODEL_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* The columns a file may have: the first nrequired of cols must be in
 * its header. hint names them for the messages, e.g. "code,name and
 * optionally phone" (translated). */
struct csv_spec {
	const char *const *cols;
	int ncols, nrequired;
	const char *hint;
};

struct csv_error {
	int line;
	char *message;
};

/* One record: v[k] the field of column k of the spec, NULL when the
 * header has no such column. */
struct csv_row {
	int line;
	char **v;
};

struct csv {
	struct csv_row *rows;
	size_t nrows;
	int ncols;
	struct csv_error *errors;
	size_t nerrors;
};

/* Reads the len bytes at text (need not be NUL-terminated; NULL reads as
 * empty). Never NULL; the rows of the records that could be read, and an
 * error for every one that could not (in line order). */
struct csv *csv_parse(const char *text, size_t len, const struct csv_spec *spec);
/* Adds an error at line (msg is taken). */
void csv_error(struct csv *c, int line, char *msg);
/* Frees *c and sets it to NULL; NULL is fine. */
void csv_free(struct csv **c);

#endif
