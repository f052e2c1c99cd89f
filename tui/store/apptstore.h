/*
 * Appointments (预约办, 电话办) in the database: the slots of a day, booking,
 * moving and cancelling, the lookup by ID number or code, today's
 * appointments per slot for the console. Every call is one of the
 * SECURITY DEFINER functions of db/functions/appoint.sql on the staff
 * session given; the server decides everything (slots, places, the lead
 * time, misses and the block) and the result says why it refused.
 * Check-in is the kiosk's (store/queue.h, class QC_APPOINTMENT).
 */
#ifndef YC_APPTSTORE_H
#define YC_APPTSTORE_H
#include <stdbool.h>
#include <stddef.h>

struct db;

enum appt_result {
	APPT_OK,
	APPT_NO_SESSION,
	APPT_NOT_ALLOWED,	/* not a clerk, guide or supervisor of the office */
	APPT_BAD_ID,
	APPT_BAD_PHONE,
	APPT_UNKNOWN_ITEM,	/* no such 事项, or not taken at the office */
	APPT_BAD_INPUT,
	APPT_TOO_FAR,		/* a past day, or beyond appointment_days_ahead */
	APPT_CLOSED,		/* the hall has no slot that day */
	APPT_NO_SLOT,		/* not a slot of the day */
	APPT_TOO_LATE,		/* the slot begins within the lead time, or has begun */
	APPT_FULL,
	APPT_GROUP_FULL,
	APPT_DUPLICATE,		/* the person has an open one for the 事项 (returned) */
	APPT_BLOCKED,		/* too many misses: blocked_until */
	APPT_NOT_FOUND,		/* no booked appointment of that code still to come */
	APPT_BAD_QUERY,
	APPT_UNKNOWN_OFFICE,
	APPT_DB_LOST,
	APPT_DB_ERROR,
};

enum appt_slot_state { APPT_SLOT_OPEN, APPT_SLOT_FULL, APPT_SLOT_GROUP_FULL, APPT_SLOT_CLOSED };

struct appt_slot {
	long long start, end;		/* epoch seconds */
	char label[40];			/* 12月5日09:00-09:30 */
	int capacity, booked;
	int group_capacity, group_booked;	/* group_capacity -1: no limit of its own */
	enum appt_slot_state state;
};

struct appt_day {
	size_t n;
	struct appt_slot *slots;
};

struct appt_booking {
	char code[33];
	long long start, end;
	char label[40];
	long long blocked_until;	/* APPT_BLOCKED: epoch seconds */
};

enum appt_status { APPT_BOOKED, APPT_USED, APPT_MISSED, APPT_CANCELLED };

struct appt_row {
	char code[33];
	long long start, end;
	char label[40];
	char id_masked[24], phone_masked[16];
	char type[64];
	char item[160];
	enum appt_status status;
	char channel[8];
	bool changeable;		/* booked by staff, still to come */
};

struct appt_list {
	size_t n;
	struct appt_row *rows;
};

struct appt_hall_slot {
	long long start, end;
	char label[16];			/* 09:00-09:30 */
	int capacity, booked, checked_in, missed, cancelled;
};

struct appt_hall {
	size_t n;
	struct appt_hall_slot *slots;
};

/* Today (China) by the server's clock, as days since 1970-01-01; false
 * when it cannot be read. */
bool apptstore_today(struct db *db, long *days);

/* The slots of day (YYYY-MM-DD) at office for the 事项 type. */
enum appt_result apptstore_day(struct db *db, long long session, const char *office,
    const char *day, const char *type, struct appt_day *out);
void appt_day_free(struct appt_day *d);

/* Books slot (its start) for the person; channel "phone" or "desk". On
 * APPT_OK (and APPT_DUPLICATE: the open one) out has the code and slot. */
enum appt_result apptstore_book(struct db *db, long long session, const char *office,
    const char *id_no, const char *phone, const char *type, long long slot,
    const char *channel, const char *client, struct appt_booking *out);
enum appt_result apptstore_move(struct db *db, long long session, const char *office,
    const char *code, long long slot, const char *client, struct appt_booking *out);
enum appt_result apptstore_cancel(struct db *db, long long session, const char *office,
    const char *code, const char *client);

/* The appointments at office of an ID number, or the one of a code. */
enum appt_result apptstore_find(struct db *db, long long session, const char *office,
    const char *query, struct appt_list *out);
void appt_list_free(struct appt_list *l);

/* Today's appointments of office per slot (a supervisor's session). */
enum appt_result apptstore_hall(struct db *db, long long session, const char *office,
    struct appt_hall *out);
void appt_hall_free(struct appt_hall *h);

/* The places of office's slots: grp "*" the slot as a whole, else a 事项
 * group; per_slot -1 removes the office's own number. An administrator's
 * session (0: the owner's own connection). */
enum appt_result apptstore_capacity_set(struct db *db, long long session, const char *office,
    const char *grp, int per_slot);
struct appt_capacity {
	char grp[64];
	int per_slot;
	bool from_setting;	/* "*" without a row of the office: the setting */
};
/* The office's places (the whole slot first); how many, -1 on failure. */
int apptstore_capacity_list(struct db *db, const char *office, struct appt_capacity *out, int max);

/* What a clerk reads for a result (Chinese through the catalogue). */
const char *appt_message(enum appt_result r);
const char *appt_status_name(enum appt_status s);
#endif
