/*
 * Tab-separated facts files (model part): the line and field machinery
 * shared by model/calendar (cn-workday-calendar.tsv) and model/holiday
 * (cn-statutory-dates.tsv).
 *
 * A file is a sequence of lines separated by LF; the last line need not
 * end in one, a trailing CR is ignored, and a line holding nothing but
 * spaces and tabs, or whose first byte other than those is '#', is blank
 * or a comment and skipped. Every other line is a row of fields
 * separated by single tabs. Lines count from 1, blank and comment lines
 * included.
 *
 * Error messages are malloc'd English "line N: <what>" strings (from
 * util/xalloc.h, never NULL) the caller frees with free(). Plain C: no
 * curses, no database.
 */
#ifndef YC_MODEL_TSV_H
#define YC_MODEL_TSV_H

#include <stdbool.h>
#include <stddef.h>

#include "model/calendar.h"

/* The most fields a row may be asked to have. */
#define TSV_MAX_FIELDS 8

/* One field of a row: len bytes at p, inside the parsed text (not
 * NUL-terminated, never containing a tab, a LF or a NUL). */
struct tsv_field {
	const char *p;
	size_t len;
};

/*
 * Called with the nfields fields of each row, in file order, and its line
 * number. Returns NULL to go on, or an error message (malloc'd, e.g. from
 * tsv_errf) that stops the parse.
 */
typedef char *tsv_row_fn(void *ctx, const struct tsv_field *f, size_t line);

/*
 * Walks the len bytes of text (need not be NUL-terminated; text may be
 * NULL, which reads as empty) line by line and calls row for every row
 * that holds exactly nfields fields, none empty (1 <= nfields <=
 * TSV_MAX_FIELDS, or abort()). Stops at the first error, the one on the
 * lowest line, and returns it: what row returned, or one of
 *     line N: NUL byte                a NUL byte in the row's line
 *     line N: too many fields         more than nfields fields
 *     line N: missing field           fewer than nfields, or one empty
 * checked in that order. Returns NULL when every line went through (an
 * empty file, or one of only blank and comment lines, calls row never).
 */
char *tsv_parse(const char *text, size_t len, size_t nfields,
		tsv_row_fn *row, void *ctx);

/* "line N: " followed by fmt formatted with the arguments, as printf. */
char *tsv_errf(size_t line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * tsv_errf(line, fmt, S) where fmt holds exactly one "%s" (and no other
 * conversion) and S is f quoted for the message: at most its first 24
 * bytes, cut back to the start of a UTF-8 character (a byte that is not
 * 10xxxxxx) so the message stays valid UTF-8 when the field was.
 */
char *tsv_bad_field(size_t line, const char *fmt, struct tsv_field f);

/* True, with the date in *out, when f is exactly a date cal_date_parse
 * accepts ("YYYY-MM-DD"); false, *out untouched, otherwise. */
bool tsv_field_date(struct tsv_field f, struct cal_date *out);

#endif
