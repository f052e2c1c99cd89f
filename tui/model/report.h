/*
 * The daily report (日报) laid out as text or CSV. Plain C: the figures come
 * in as strings (the store's text results), the layout counts display
 * columns (model/text.h), the CSV follows RFC 4180. Labels are translated
 * here with _(); every result is malloc'd UTF-8 the caller frees.
 *
 * A table is a header row and data rows of the same number of cells; the
 * first column is text (names), every other one a right-aligned figure.
 */
#ifndef YC_MODEL_REPORT_H
#define YC_MODEL_REPORT_H

#include <stdbool.h>
#include <stddef.h>

struct report_table {
	size_t ncols;
	const char *const *headers;	/* ncols labels, already translated */
	size_t nrows;
	char ***rows;			/* nrows rows of ncols cells (NULL cell: empty) */
};

/*
 * The table in at most width display columns (CJK two): every figure column
 * as wide as its widest cell or header, the columns one space apart, the
 * first column taking what is left (at least its header; longer names
 * ellipsized with "…"). When the figures alone do not leave room for the
 * header of the first column the lines may be wider than width. Lines end
 * with '\n'; trailing spaces are removed.
 */
char *report_table_text(const struct report_table *t, int width);

/* One CSV field: as it is, or in double quotes (inner quotes doubled) when
 * it holds a comma, a quote, CR or LF, or starts or ends with a space. */
char *report_csv_field(const char *s);

/* The table as CSV records ending with CRLF: the header row, then rows. */
char *report_table_csv(const struct report_table *t);

/* Seconds as "M分SS秒" (translated: "%ld min %02ld s"); negative: "". */
char *report_duration(long seconds);

/*
 * The daily report of one office as the database gives it
 * (db/migrations/0008_reports.sql defines every figure): the clerks, then
 * the case types, each list ending with its total row. Strings are
 * malloc'd (report_daily_free frees them).
 */
struct report_staff_row {
	bool total;		/* the office's total */
	char *staff_no;		/* NULL: no clerk signed in at the window (未识别) */
	char *name;		/* NULL: unknown */
	int served, no_show;
	long avg_wait_s, avg_service_s;	/* -1: nobody served */
	int grades[5];		/* 好差评 1 非常满意 … 5 非常不满意 */
};

struct report_type_row {
	bool total;
	char *code;
	char *name;		/* NULL: unknown; the code is shown */
	int accepted, immediate, finished, overdue, supplement, deferred;
	int withdrawn, terminated;	/* 撤回, 终止办理 (closed that day) */
};

struct report_daily {
	char *office_code, *office_name, *date;	/* date YYYY-MM-DD */
	struct report_staff_row *staff;
	size_t nstaff;
	struct report_type_row *types;
	size_t ntypes;
	/* Tickets issued that day and, of those, outside the regular weekday
	 * hours (延时服务: at noon, on a weekend or holiday, earlier or later;
	 * db/functions/hours.sql defines them); only when have_tickets. */
	bool have_tickets;
	int issued, extended, extended_noon, extended_offday;
	/* Appointments of the day's slots (预约办, db/functions/appoint.sql):
	 * booked (not cancelled), of those checked in and missed, cancelled,
	 * and booked by phone (电话办); only when have_appointments. */
	bool have_appointments;
	int appt_booked, appt_checked_in, appt_missed, appt_cancelled, appt_phone;
};

/* The report as a printed page: a title, the clerk table with the rating
 * legend, the case-type table and, with have_tickets, the tickets and
 * 延时服务 line, laid out in width display columns (report_table_text;
 * the report is meant for 80). */
char *report_daily_text(const struct report_daily *r, int width);
/* The report as CSV (CRLF records, no byte-order mark): a title record,
 * then each table under its own title (the tickets and 延时服务 last,
 * with have_tickets), staff number and type code in columns of their own
 * and durations in seconds. */
char *report_daily_csv(const struct report_daily *r);
void report_daily_free(struct report_daily *r);

/*
 * Per office over a span of days (yc.report_offices in
 * db/functions/reports.sql defines every figure): the office, or with
 * below the office and every office below it in tree order, then the
 * total row (the sum of the office rows). For `report daily --with-below`
 * (span: one day) and `report monthly` (span: a month up to today).
 */
struct report_office_row {
	bool total;
	char *code, *name;	/* NULL in the total row */
	int depth;		/* 0 the office asked for, 1 below it, ... */
	int issued, served, no_show;
	long avg_wait_s;	/* -1: nobody served */
	int accepted, finished, in_time;	/* in_time: finished within the limit */
	int rated, rated_good, rated_bad;	/* 好差评: 1-2 good, 4-5 bad */
};

struct report_offices {
	char *office_code, *office_name;
	char *period;		/* "YYYY-MM-DD" (a day) or "YYYY-MM" (a month) */
	char *last_day;		/* monthly: the last day counted (today for this month) */
	bool monthly, below;
	struct report_office_row *rows;
	size_t nrows;		/* the total row last */
};

/* A share as "66.7%" (one decimal, rounded); of 0: "-" (csv: ""). */
char *report_share(int part, int of, bool csv);

/* The per-office report in width display columns: a title and one table
 * (office names indented by depth, ellipsized when long). */
char *report_offices_text(const struct report_offices *r, int width);
/* The same as CSV (CRLF records, no byte-order mark): a title record, then
 * the table with the office code in a column of its own, the wait in
 * seconds and the counts behind each share. */
char *report_offices_csv(const struct report_offices *r);
void report_offices_free(struct report_offices *r);

#endif
