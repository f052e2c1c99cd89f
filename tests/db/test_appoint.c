/*
 * Appointments (预约办, 电话办; db/functions/appoint.sql) through the store
 * (store/apptstore.h) on the test clock:
 *
 *   slots     a working day cut from the default hours, the lead time,
 *             a weekend and a holiday without slots, noon service one
 *             session, a day too far ahead, an item the office does not take
 *   book      the code, the SMS row in yc.outbox with code and slot, the
 *             audit; a second booking for the item returns the open one;
 *             bad phone, bad ID, a slot that is not one, a full slot and a
 *             full group
 *   change    move (the SMS of the change), cancel (its SMS), the code
 *             no longer changeable, a new booking after the cancellation
 *   checkin   the kiosk by ID number inside the slot's window, too early,
 *             missed after the slot's end, misses recorded by the console
 *   block     three misses in 30 days block booking for 30 days from the
 *             last; older misses do not count
 *   yearend   booking on 31 December for the first working day of the
 *             next year, past the official calendar (its provisional
 *             holidays closed)
 *   roles     a reviewer, another office's clerk, no session; the
 *             application role reads no appointment table
 *   report    the daily report's counts and the console's slots
 *
 * Offices 360950 (windows 1-2) and 360951; staff apt_*.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/dbt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/apptstore.h"
#include "store/db.h"
#include "store/queue.h"

#define OFFICE "360950"
#define OTHER "360951"
#define PASSWORD "Apt-Pass-29"
#define ITEM_A "002036003001"	/* 出具《参保凭证》, group 关系转移接续 */
#define ITEM_B "002036006001"	/* 门诊费用报销, group 零星报销 */
#define ITEM_C "002036006002"	/* 住院费用报销, group 零星报销 */
#define PHONE "13912345678"

static PGconn *su, *app;
static struct db *dsu;

static const char *const staff_rows[][3] = {
	{ "apt_clerk", "clerk", OFFICE }, { "apt_guide", "guide", OFFICE },
	{ "apt_sup", "supervisor", OFFICE }, { "apt_rev", "reviewer", OFFICE },
	{ "apt_other", "clerk", OTHER },
};

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, &app, &dsu) != 0)
		return -1;
	dbt_office(su, OFFICE, "预约测试医保中心", 2);
	dbt_office(su, OTHER, "预约测试另一中心", 1);
	dbt_staff(su, PASSWORD, staff_rows, DBT_COUNT(staff_rows));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	dbt_clock(dsu, "");
	return dbt_disconnect(&su, &app, &dsu, "apt");
}

static int test_setup(void **state)
{
	(void)state;
	dbt_close_sessions(su, "apt");
	dbt_exec_ok(su, "DELETE FROM yc.outbox WHERE office_code IN ('" OFFICE "', '" OTHER "')"
	    " AND appointment_code IS NOT NULL", 0, NULL);
	dbt_clear_queue(su, OFFICE);
	dbt_clear_queue(su, OTHER);
	dbt_exec_ok(su, "DELETE FROM yc.appointment_capacity WHERE office_code = '" OFFICE "'", 0, NULL);
	/* the default hours: 08:30-12:00 and 14:30-17:30 on working days */
	dbt_exec_ok(su, "DELETE FROM yc.office_hours WHERE office_code IN ('" OFFICE "', '" OTHER "')",
	    0, NULL);
	return 0;
}

static int test_teardown(void **state)
{
	(void)state;
	dbt_clock(dsu, "");
	dbt_close_sessions(su, "apt");
	return 0;
}

/* The test clock at a Beijing time "YYYY-MM-DD HH:MM". */
static void at(const char *when)
{
	char t[40];

	snprintf(t, sizeof t, "%s+08", when);
	dbt_clock(dsu, t);
}

/* Epoch seconds of a Beijing time. */
static long long epoch(const char *when)
{
	char t[40];
	const char *p[] = { t };

	snprintf(t, sizeof t, "%s+08", when);
	return dbt_query_ll(su, "SELECT extract(epoch FROM $1::timestamptz)::bigint", 1, p);
}

static long long login(const char *staff, int window)
{
	return dbt_login_db(dsu, staff, PASSWORD, window, "tests/db/appoint");
}

static enum appt_result book(long long sid, const char *id, const char *item, const char *slot,
    struct appt_booking *b)
{
	return apptstore_book(dsu, sid, OFFICE, id, PHONE, item, epoch(slot), "phone",
	    "tests/db/appoint", b);
}

/* A booking that must succeed; its code. */
static const char *book_ok(long long sid, const char *id, const char *item, const char *slot)
{
	static char code[4][33];
	static int next;
	struct appt_booking b;
	char *c = code[next++ % 4];

	assert_int_equal(book(sid, id, item, slot, &b), APPT_OK);
	snprintf(c, 33, "%s", b.code);
	return c;
}

static char *query1(const char *sql, const char *a)
{
	const char *p[] = { a };

	return dbt_query_str(su, sql, 1, p);
}

/* ---- slots ---------------------------------------------------------------- */

static void test_slots(void **state)
{
	(void)state;
	struct appt_day d;
	long long sid;

	at("2026-12-07 08:00");	/* a Monday */
	sid = login("apt_clerk", 1);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-07", ITEM_A, &d), APPT_OK);
	assert_int_equal(d.n, 13);	/* 7 in the morning, 6 in the afternoon */
	assert_string_equal(d.slots[0].label, "12月7日08:30-09:00");
	assert_int_equal(d.slots[0].state, APPT_SLOT_CLOSED);	/* within the lead time */
	assert_string_equal(d.slots[1].label, "12月7日09:00-09:30");
	assert_int_equal(d.slots[1].state, APPT_SLOT_OPEN);
	assert_int_equal(d.slots[1].capacity, 4);
	assert_int_equal(d.slots[1].group_capacity, -1);
	assert_string_equal(d.slots[6].label, "12月7日11:30-12:00");
	assert_string_equal(d.slots[7].label, "12月7日14:30-15:00");
	assert_string_equal(d.slots[12].label, "12月7日17:00-17:30");
	appt_day_free(&d);

	/* Saturday: the hall is closed; a day more than a week ahead: too far */
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-12", ITEM_A, &d), APPT_CLOSED);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-15", ITEM_A, &d), APPT_TOO_FAR);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-06", ITEM_A, &d), APPT_TOO_FAR);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-08", "NO-SUCH", &d),
	    APPT_UNKNOWN_ITEM);

	/* noon service: one session 08:30-17:30, 18 slots */
	dbt_exec_ok(su, "INSERT INTO yc.office_hours (office_code, dow, morning_open, morning_close,"
	    " afternoon_open, afternoon_close, noon) VALUES ('" OFFICE "', 2, '08:30', '12:00',"
	    " '14:30', '17:30', true)", 0, NULL);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-08", ITEM_A, &d), APPT_OK);
	assert_int_equal(d.n, 18);
	assert_string_equal(d.slots[7].label, "12月8日12:00-12:30");
	appt_day_free(&d);
	dbt_logout_db(dsu, sid);

	/* 国庆节 (the official calendar): no slots */
	at("2026-09-30 10:00");
	sid = login("apt_clerk", 1);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-10-01", ITEM_A, &d), APPT_CLOSED);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-10-04", ITEM_A, &d), APPT_CLOSED);
	dbt_logout_db(dsu, sid);
	at("2026-10-08 10:00");
	sid = login("apt_clerk", 1);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-10-10", ITEM_A, &d), APPT_OK);
	assert_int_equal(d.n, 13);	/* 调休上班, a Saturday */
	appt_day_free(&d);
	dbt_logout_db(dsu, sid);
}

/* ---- book ----------------------------------------------------------------- */

static void test_book(void **state)
{
	(void)state;
	char id[19], id2[19], id3[19], id4[19], *v;
	struct appt_booking b;
	struct appt_day d;
	long long sid, mark;
	const char *code;

	dbt_make_id(id, "19800101", 501);
	dbt_make_id(id2, "19800101", 502);
	dbt_make_id(id3, "19800101", 503);
	dbt_make_id(id4, "19800101", 504);
	at("2026-12-07 08:00");
	sid = login("apt_clerk", 1);
	mark = dbt_audit_mark(su);
	code = book_ok(sid, id, ITEM_A, "2026-12-08 09:00");
	assert_int_equal(strlen(code), 8);
	assert_int_equal(strspn(code, "0123456789"), 8);
	v = query1("SELECT concat_ws('|', status, channel, booked_by, case_type_code, grp, phone)"
	    " FROM yc.appointment WHERE office_code = '" OFFICE "' AND code = $1", code);
	assert_string_equal(v, "booked|phone|apt_clerk|" ITEM_A "|关系转移接续|" PHONE);
	free(v);
	/* the text message, to the phone given */
	v = query1("SELECT concat_ws('|', kind, channel, recipient, body) FROM yc.outbox"
	    " WHERE office_code = '" OFFICE "' AND appointment_code = $1", code);
	assert_non_null(strstr(v, "appointment_booked|sms|" PHONE "|【医保】"));
	assert_non_null(strstr(v, "12月8日09:00-09:30"));
	assert_non_null(strstr(v, code));
	assert_non_null(strstr(v, "参保凭证"));
	free(v);
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "appointment_book", NULL), 1);

	/* the same item again: the open one */
	assert_int_equal(book(sid, id, ITEM_A, "2026-12-09 10:00", &b), APPT_DUPLICATE);
	assert_string_equal(b.code, code);
	assert_string_equal(b.label, "12月8日09:00-09:30");
	/* another item is another appointment */
	book_ok(sid, id, ITEM_B, "2026-12-08 09:00");

	assert_int_equal(apptstore_book(dsu, sid, OFFICE, id2, "1234", ITEM_A,
	    epoch("2026-12-08 09:00"), "phone", NULL, &b), APPT_BAD_PHONE);
	assert_int_equal(apptstore_book(dsu, sid, OFFICE, "360981198001010000", PHONE, ITEM_A,
	    epoch("2026-12-08 09:00"), "phone", NULL, &b), APPT_BAD_ID);
	assert_int_equal(book(sid, id2, ITEM_A, "2026-12-08 09:10", &b), APPT_NO_SLOT);
	assert_int_equal(book(sid, id2, ITEM_A, "2026-12-08 12:30", &b), APPT_NO_SLOT);
	assert_int_equal(book(sid, id2, ITEM_A, "2026-12-07 08:30", &b), APPT_TOO_LATE);
	assert_int_equal(book(sid, id2, ITEM_A, "2026-12-15 09:00", &b), APPT_TOO_FAR);
	assert_int_equal(apptstore_book(dsu, sid, OFFICE, id2, PHONE, ITEM_A,
	    epoch("2026-12-08 09:00"), "web", NULL, &b), APPT_BAD_INPUT);

	/* two places in the slot: the third is refused; one for 零星报销 */
	dbt_exec_ok(su, "INSERT INTO yc.appointment_capacity (office_code, grp, per_slot) VALUES"
	    " ('" OFFICE "', '*', 3), ('" OFFICE "', '零星报销', 1)", 0, NULL);
	assert_int_equal(book(sid, id2, ITEM_C, "2026-12-08 09:00", &b), APPT_GROUP_FULL);
	book_ok(sid, id2, ITEM_A, "2026-12-08 09:00");
	assert_int_equal(book(sid, id3, ITEM_A, "2026-12-08 09:00", &b), APPT_FULL);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-08", ITEM_C, &d), APPT_OK);
	assert_int_equal(d.slots[1].booked, 3);
	assert_int_equal(d.slots[1].state, APPT_SLOT_FULL);
	assert_int_equal(d.slots[2].state, APPT_SLOT_OPEN);
	appt_day_free(&d);
	book_ok(sid, id3, ITEM_C, "2026-12-08 09:30");
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-08", ITEM_B, &d), APPT_OK);
	assert_int_equal(d.slots[2].group_booked, 1);
	assert_int_equal(d.slots[2].state, APPT_SLOT_GROUP_FULL);
	appt_day_free(&d);
	/* refusals are audited, with nothing booked */
	assert_int_equal(dbt_audit_count(su, mark, OFFICE, "appointment_refused", NULL), 7);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.appointment WHERE office_code = '"
	    OFFICE "'", 0, NULL), 4);
	(void)id4;
	dbt_logout_db(dsu, sid);
}

/* ---- change --------------------------------------------------------------- */

static void test_change(void **state)
{
	(void)state;
	char id[19], *v;
	struct appt_booking b;
	struct appt_list l;
	long long sid;
	const char *code;

	dbt_make_id(id, "19800101", 511);
	at("2026-12-07 08:00");
	sid = login("apt_guide", 0);
	code = book_ok(sid, id, ITEM_A, "2026-12-08 09:00");
	assert_int_equal(apptstore_move(dsu, sid, OFFICE, code, epoch("2026-12-09 15:00"), NULL, &b),
	    APPT_OK);
	assert_string_equal(b.label, "12月9日15:00-15:30");
	v = query1("SELECT body FROM yc.outbox WHERE office_code = '" OFFICE "' AND appointment_code = $1"
	    " AND kind = 'appointment_changed'", code);
	assert_non_null(strstr(v, "12月9日15:00-15:30"));
	free(v);
	assert_int_equal(apptstore_move(dsu, sid, OFFICE, code, epoch("2026-12-09 15:10"), NULL, &b),
	    APPT_NO_SLOT);
	assert_int_equal(apptstore_move(dsu, sid, OFFICE, "99999999", epoch("2026-12-09 15:00"), NULL,
	    &b), APPT_NOT_FOUND);

	/* found by ID number or code, masked */
	assert_int_equal(apptstore_find(dsu, sid, OFFICE, id, &l), APPT_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.rows[0].code, code);
	assert_int_equal(l.rows[0].status, APPT_BOOKED);
	assert_true(l.rows[0].changeable);
	assert_string_equal(l.rows[0].phone_masked, "139****5678");
	assert_null(strstr(l.rows[0].id_masked, id + 6));
	appt_list_free(&l);
	assert_int_equal(apptstore_find(dsu, sid, OFFICE, "not a code!", &l), APPT_BAD_QUERY);

	assert_int_equal(apptstore_cancel(dsu, sid, OFFICE, code, NULL), APPT_OK);
	assert_int_equal(apptstore_cancel(dsu, sid, OFFICE, code, NULL), APPT_NOT_FOUND);
	v = query1("SELECT body FROM yc.outbox WHERE office_code = '" OFFICE "' AND appointment_code = $1"
	    " AND kind = 'appointment_cancelled'", code);
	assert_non_null(strstr(v, "已取消"));
	free(v);
	assert_int_equal(apptstore_find(dsu, sid, OFFICE, code, &l), APPT_OK);
	assert_int_equal(l.rows[0].status, APPT_CANCELLED);
	assert_false(l.rows[0].changeable);
	appt_list_free(&l);
	/* the item may be booked again; the cancelled one took no place */
	book_ok(sid, id, ITEM_A, "2026-12-08 09:00");
	dbt_logout_db(dsu, sid);
}

/* ---- check-in at the kiosk ------------------------------------------------ */

static void test_checkin(void **state)
{
	(void)state;
	char id[19], id2[19], *v;
	struct queue_issue x;
	struct appt_hall h;
	long long sid;
	const char *code, *code2;

	dbt_make_id(id, "19800101", 521);
	dbt_make_id(id2, "19800101", 522);
	at("2026-12-07 08:00");
	sid = login("apt_clerk", 1);
	code = book_ok(sid, id, ITEM_A, "2026-12-08 10:00");
	code2 = book_ok(sid, id2, ITEM_A, "2026-12-08 10:00");
	dbt_logout_db(dsu, sid);

	at("2026-12-08 09:20");	/* check-in opens at 09:30 */
	assert_int_equal(queue_issue(dsu, OFFICE, QC_APPOINTMENT, id, NULL, 0, &x),
	    QUEUE_APPOINTMENT_EARLY);
	assert_int_equal(x.opens_at, epoch("2026-12-08 09:30"));
	at("2026-12-08 09:35");
	assert_int_equal(queue_issue(dsu, OFFICE, QC_APPOINTMENT, id, NULL, 0, &x), QUEUE_OK);
	assert_string_equal(x.t.number, "Y001");
	v = query1("SELECT concat_ws('|', status, checked_in_at = '2026-12-08 09:35+08')"
	    " FROM yc.appointment WHERE office_code = '" OFFICE "' AND code = $1", code);
	assert_string_equal(v, "used|t");
	free(v);
	/* used: by the ID number there is none left today */
	assert_int_equal(queue_issue(dsu, OFFICE, QC_APPOINTMENT, id, NULL, 0, &x),
	    QUEUE_BAD_APPOINTMENT);

	/* the other one comes at the slot's end: missed */
	at("2026-12-08 10:30");
	assert_int_equal(queue_issue(dsu, OFFICE, QC_APPOINTMENT, NULL, code2, 0, &x),
	    QUEUE_APPOINTMENT_MISSED);
	v = query1("SELECT concat_ws('|', status, closed_at = '2026-12-08 10:30+08')"
	    " FROM yc.appointment WHERE office_code = '" OFFICE "' AND code = $1", code2);
	assert_string_equal(v, "missed|t");
	free(v);
	assert_int_equal(queue_issue(dsu, OFFICE, QC_APPOINTMENT, id2, NULL, 0, &x),
	    QUEUE_APPOINTMENT_MISSED);

	/* the console's slots of today */
	sid = login("apt_sup", 0);
	assert_int_equal(apptstore_hall(dsu, sid, OFFICE, &h), APPT_OK);
	assert_int_equal(h.n, 13);
	assert_string_equal(h.slots[3].label, "10:00-10:30");
	assert_int_equal(h.slots[3].checked_in, 1);
	assert_int_equal(h.slots[3].missed, 1);
	assert_int_equal(h.slots[3].booked, 0);
	appt_hall_free(&h);
	dbt_logout_db(dsu, sid);
	sid = login("apt_rev", 0);
	assert_int_equal(apptstore_hall(dsu, sid, OFFICE, &h), APPT_NOT_ALLOWED);
	dbt_logout_db(dsu, sid);
}

/* ---- the block after misses ----------------------------------------------- */

static void test_block(void **state)
{
	(void)state;
	char id[19], old[19];
	struct appt_booking b;
	long long sid;

	dbt_make_id(id, "19800101", 531);
	dbt_make_id(old, "19800101", 532);
	/* three missed slots within 30 days for id, the last on 12月3日;
	 * for old, two of its three are more than 30 days before */
	const char *p[] = { id, old };
	dbt_exec_ok(su, "INSERT INTO yc.appointment (office_code, code, slot_start, slot_end, id_no)"
	    " VALUES ('" OFFICE "', 'M1', '2026-11-10 09:00+08', '2026-11-10 09:30+08', $1),"
	    " ('" OFFICE "', 'M2', '2026-11-20 09:00+08', '2026-11-20 09:30+08', $1),"
	    " ('" OFFICE "', 'M3', '2026-12-03 09:00+08', '2026-12-03 09:30+08', $1),"
	    " ('" OFFICE "', 'O1', '2026-10-01 09:00+08', '2026-10-01 09:30+08', $2),"
	    " ('" OFFICE "', 'O2', '2026-10-20 09:00+08', '2026-10-20 09:30+08', $2),"
	    " ('" OFFICE "', 'O3', '2026-12-01 09:00+08', '2026-12-01 09:30+08', $2)", 2, p);
	at("2026-12-07 08:00");
	sid = login("apt_clerk", 1);
	assert_int_equal(book(sid, id, ITEM_A, "2026-12-08 09:00", &b), APPT_BLOCKED);
	assert_int_equal(b.blocked_until, epoch("2027-01-02 09:30"));
	/* the booking recorded the misses */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.appointment WHERE office_code = '"
	    OFFICE "' AND code LIKE 'M_' AND status = 'missed' AND closed_at = slot_end", 0, NULL), 3);
	book_ok(sid, old, ITEM_A, "2026-12-08 09:00");
	dbt_logout_db(dsu, sid);

	/* the block ends 30 days after the last miss */
	at("2027-01-02 10:00");	/* a Saturday: book for Monday */
	sid = login("apt_clerk", 1);
	book_ok(sid, id, ITEM_A, "2027-01-04 09:00");
	dbt_logout_db(dsu, sid);
}

/* ---- the year's end and the years after the official calendar ------------- */

static void test_yearend(void **state)
{
	(void)state;
	char id[19];
	struct appt_day d;
	struct appt_booking b;
	long long sid;

	dbt_make_id(id, "19800101", 541);
	at("2026-12-31 16:00");
	sid = login("apt_clerk", 1);
	/* 元旦 2027 (the provisional calendar: no notice yet): closed */
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2027-01-01", ITEM_A, &d), APPT_CLOSED);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2027-01-04", ITEM_A, &d), APPT_OK);
	assert_int_equal(d.n, 13);
	assert_string_equal(d.slots[0].label, "1月4日08:30-09:00");
	appt_day_free(&d);
	assert_int_equal(book(sid, id, ITEM_A, "2027-01-04 08:30", &b), APPT_OK);
	assert_int_equal(book(sid, id, ITEM_B, "2026-12-31 16:30", &b), APPT_TOO_LATE);
	dbt_logout_db(dsu, sid);

	/* years on: 2031-12-31, a Wednesday, to the Monday after 元旦 */
	at("2031-12-31 09:00");
	sid = login("apt_clerk", 1);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2032-01-01", ITEM_B, &d), APPT_CLOSED);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2032-01-05", ITEM_B, &d), APPT_OK);
	assert_int_equal(d.n, 13);
	appt_day_free(&d);
	assert_int_equal(book(sid, id, ITEM_B, "2032-01-05 14:30", &b), APPT_OK);
	assert_string_equal(b.label, "1月5日14:30-15:00");
	dbt_logout_db(dsu, sid);
}

/* ---- who may ------------------------------------------------------------- */

static void test_roles(void **state)
{
	(void)state;
	char id[19];
	struct appt_booking b;
	struct appt_day d;
	long long sid;

	dbt_make_id(id, "19800101", 551);
	at("2026-12-07 08:00");
	sid = login("apt_rev", 0);
	assert_int_equal(book(sid, id, ITEM_A, "2026-12-08 09:00", &b), APPT_NOT_ALLOWED);
	assert_int_equal(apptstore_day(dsu, sid, OFFICE, "2026-12-08", ITEM_A, &d), APPT_NOT_ALLOWED);
	dbt_logout_db(dsu, sid);
	sid = login("apt_other", 1);
	assert_int_equal(book(sid, id, ITEM_A, "2026-12-08 09:00", &b), APPT_NOT_ALLOWED);
	dbt_logout_db(dsu, sid);
	assert_int_equal(book(sid, id, ITEM_A, "2026-12-08 09:00", &b), APPT_NO_SESSION);
	sid = login("apt_sup", 0);
	assert_int_equal(book(sid, id, ITEM_A, "2026-12-08 09:00", &b), APPT_OK);
	dbt_logout_db(dsu, sid);
	dbt_expect_sqlstate(app, "42501", "SELECT * FROM yc.appointment_capacity");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.appoint_sweep(NULL, '360950', current_date, NULL)");
	dbt_expect_sqlstate(app, "42501", "SELECT yc.report_daily_appointments('360950', current_date)");
}

/* ---- the daily report ----------------------------------------------------- */

/* The one value of a query on the store's connection (the test clock),
 * with the session as $1 when sid is not 0. */
static const char *report(const char *sql, long long sid)
{
	static char out[128];
	char s[24];
	const char *p[] = { s };
	PGresult *r;

	snprintf(s, sizeof s, "%lld", sid);
	r = db_query(dsu, NULL, sql, sid != 0 ? 1 : 0, p);
	assert_non_null(r);
	assert_int_equal(PQntuples(r), 1);
	snprintf(out, sizeof out, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return out;
}

static void test_report(void **state)
{
	(void)state;
	char id[19], id2[19], id3[19];
	struct queue_issue x;
	long long sid, sid2;
	const char *c3;

	dbt_make_id(id, "19800101", 561);
	dbt_make_id(id2, "19800101", 562);
	dbt_make_id(id3, "19800101", 563);
	at("2026-12-07 08:00");
	sid = login("apt_clerk", 1);
	book_ok(sid, id, ITEM_A, "2026-12-08 09:00");
	book_ok(sid, id2, ITEM_A, "2026-12-08 09:00");
	c3 = book_ok(sid, id3, ITEM_A, "2026-12-08 14:30");
	assert_int_equal(apptstore_cancel(dsu, sid, OFFICE, c3, NULL), APPT_OK);
	dbt_logout_db(dsu, sid);
	at("2026-12-08 09:10");
	assert_int_equal(queue_issue(dsu, OFFICE, QC_APPOINTMENT, id, NULL, 0, &x), QUEUE_OK);
	/* booked (not cancelled), checked in, missed (the 09:00 slot of id2
	 * ended, not yet recorded), cancelled, by phone */
	at("2026-12-08 18:00");
	assert_string_equal(report("SELECT concat_ws('|', booked, checked_in, missed, cancelled,"
	    " by_phone) FROM yc.report_daily_appointments('" OFFICE "', '2026-12-08')", 0), "2|1|1|1|2");
	sid = login("apt_sup", 0);
	assert_string_equal(report("SELECT concat_ws('|', result, booked, checked_in, missed,"
	    " cancelled, by_phone) FROM yc.report_session_appointments($1::bigint, '" OFFICE "',"
	    " '2026-12-08')", sid), "ok|2|1|1|1|2");
	sid2 = login("apt_clerk", 1);
	assert_string_equal(report("SELECT result FROM yc.report_session_appointments($1::bigint, '"
	    OFFICE "', '2026-12-08')", sid2), "not_allowed");
	dbt_logout_db(dsu, sid2);
	dbt_logout_db(dsu, sid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
		T(test_slots),
		T(test_book),
		T(test_change),
		T(test_checkin),
		T(test_block),
		T(test_yearend),
		T(test_roles),
		T(test_report),
#undef T
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
