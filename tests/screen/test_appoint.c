/*
 * Appointments on screen (预约办, 电话办; issue 16), in an office of the
 * test's own, 360981089 (a township of the demo city, window 1, default hours:
 * working days 08:30-12:00 and 14:30-17:30), with the database's clock set
 * through PGOPTIONS on the superuser's connection:
 *
 *   a guide books by phone for Tuesday (Y from the workbench): the code on
 *   screen, the row, the SMS in yc.outbox with code and slot; the same item
 *   again is refused naming the open one; a full slot is refused; a clerk
 *   at a window books for the citizen at the counter and prints the slip
 *   with the code
 *   the kiosk checks the person in by ID number inside the slot's window;
 *   too early says when check-in opens; after the slot's end the
 *   appointment is missed and the code is refused saying so
 *   a person with three misses in 30 days is refused booking, with the day
 *   booking opens again
 *   a bad ID number is refused on the form, nothing booked
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "screen/ws.h"

#define OFFICE "360981089"
#define PHONE "13800138000"

static char dir[64] = "/tmp/yc-appoint-screen.XXXXXX";
static char id1[19], id2[19], id3[19];


static struct vt *
start_kiosk(const char *when)
{
	static char printer[128];
	const char *args[] = { "kiosk", "--office", OFFICE, "--printer", printer, "--result-seconds",
	    "60", NULL };

	snprintf(printer, sizeof printer, "file:%s/slips.txt", dir);
	return ws_start_at(when, args);
}

/* staff signed in (at window, "" none) on the appointment view: Y from
 * the workbench. */
static struct vt *
start_staff(const char *when, const char *staff, const char *window, const char *bar)
{
	static char printer[128];
	const char *args[] = { "--printer", printer, NULL };
	struct vt *vt;

	snprintf(printer, sizeof printer, "file:%s/desk.txt", dir);
	vt = ws_start_at(when, args);
	ws_login(vt, staff, "Demo-1234", window);
	assert_true(vt_expect(vt, bar, WS_WAIT));
	vt_send(vt, "y");
	assert_true(vt_expect(vt, "预约办理", WS_WAIT));
	return vt;
}

/* The guide desk (F3 on its bar). */
static struct vt *
start_guide(const char *when)
{
	return start_staff(when, "tapt_g", "", "F3预约");
}

/* The form filled: ID, phone, item by code, the day days ahead, the way
 * (desk: the second choice), then the slots. */
static void
fill(struct vt *vt, const char *id, const char *item, int days, bool desk)
{
	vt_send(vt, id);
	vt_key(vt, VT_KEY_TAB);
	vt_send(vt, PHONE);
	vt_key(vt, VT_KEY_TAB);
	vt_send(vt, item);
	assert_true(vt_expect(vt, "出具《参保凭证》", WS_WAIT));
	vt_key(vt, VT_KEY_TAB);
	for (int i = 0; i < days; i++)
		vt_key(vt, VT_KEY_RIGHT);
	vt_key(vt, VT_KEY_TAB);
	if (desk)
		vt_key(vt, VT_KEY_RIGHT);
	vt_settle(vt, 50, 300);
	vt_key(vt, VT_KEY_F2);
}

static char *
appointment_of(const char *id, const char *what)
{
	const char *p[] = { id };
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT %s FROM yc.appointment WHERE office_code = '" OFFICE
	    "' AND id_no = $1 ORDER BY created_at DESC LIMIT 1", what);
	return ws_sql_text(sql, 1, p);
}

static int
group_setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	ws_township(OFFICE, "预约画面测试街道");
	ws_staff("tapt_g", "钟敏", "guide", OFFICE);
	ws_staff("tapt_s", "钟华", "supervisor", OFFICE);
	ws_staff("tapt_c", "钟兰", "clerk", OFFICE);
	ws_idno("36098119800101061", id1);
	ws_idno("36098119800101062", id2);
	ws_idno("36098119800101063", id3);
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	/* the other suites see the shipped slot length */
	ws_sql_long("WITH s AS (UPDATE yc.setting SET value = default_value "
	    "WHERE key = 'appointment_slot_minutes' RETURNING 1) SELECT count(*) FROM s", 0, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) != 0 ? -1 : 0;
}

static int
test_setup(void **state)
{
	(void)state;
	ws_sql_long("WITH a AS (DELETE FROM yc.outbox WHERE office_code = '" OFFICE "' RETURNING 1), "
	    "b AS (DELETE FROM yc.appointment WHERE office_code = '" OFFICE "' RETURNING 1), "
	    "c AS (DELETE FROM yc.appointment_capacity WHERE office_code = '" OFFICE "' RETURNING 1) "
	    "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c)",
	    0, NULL);
	ws_sql_long("WITH t AS (DELETE FROM yc.ticket WHERE office_code = '" OFFICE "' RETURNING 1), "
	    "c AS (DELETE FROM yc.ticket_counter WHERE office_code = '" OFFICE "' RETURNING 1) "
	    "SELECT (SELECT count(*) FROM t) + (SELECT count(*) FROM c)", 0, NULL);
	ws_sql_long("WITH s AS (UPDATE yc.setting SET value = default_value "
	    "WHERE key = 'appointment_slot_minutes' RETURNING 1) SELECT count(*) FROM s", 0, NULL);
	ws_sql_long("UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test' "
	    "WHERE staff_no IN ('tapt_g', 'tapt_s', 'tapt_c') AND ended_at IS NULL", 0, NULL);
	return 0;
}

/* By phone on Monday for Tuesday 08:30; the SMS; the same item again; a
 * full slot; at the desk with the slip. */
static void
test_book(void **state)
{
	struct vt *vt = start_guide("2026-12-07T10:00:00+08");
	char *code, *v, *doc, want[64];
	const char *p[1];

	(void)state;
	fill(vt, id1, "002036003001", 1, false);
	assert_true(vt_expect(vt, "12月8日08:30-09:00  已约 0/4  可预约", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "预约成功", WS_WAIT));
	code = appointment_of(id1, "code");
	assert_int_equal(strlen(code), 8);
	snprintf(want, sizeof want, "预约码：%s", code);
	assert_true(vt_expect(vt, want, WS_WAIT));
	v = appointment_of(id1, "concat_ws('|', status, channel, booked_by, phone)");
	assert_string_equal(v, "booked|phone|tapt_g|" PHONE);
	free(v);
	p[0] = code;
	v = ws_sql_text("SELECT concat_ws('|', kind, recipient, body) FROM yc.outbox "
	    "WHERE office_code = '" OFFICE "' AND appointment_code = $1", 1, p);
	assert_non_null(strstr(v, "appointment_booked|" PHONE "|【医保】"));
	assert_non_null(strstr(v, "12月8日08:30-09:00"));
	assert_non_null(strstr(v, code));
	free(v);

	/* the same person and item again: refused, naming the open one */
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "预约办理", WS_WAIT));
	fill(vt, id1, "002036003001", 2, false);
	assert_true(vt_expect(vt, "12月9日08:30-09:00", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	snprintf(want, sizeof want, "此人已预约该事项：预约码 %s", code);
	assert_true(vt_expect(vt, want, WS_WAIT));

	/* Esc: the form keeps what was typed */
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, id1, WS_WAIT));
	vt_free(&vt);

	/* one place per slot: the 08:30 slot is full for another person */
	ws_sql_long("WITH c AS (INSERT INTO yc.appointment_capacity (office_code, grp, per_slot) "
	    "VALUES ('" OFFICE "', '*', 1) RETURNING 1) SELECT count(*) FROM c", 0, NULL);
	/* a clerk at a window, for a citizen at the counter: the slip */
	vt = start_staff("2026-12-07T10:00:00+08", "tapt_c", "1", "F2叫号");
	fill(vt, id2, "002036003001", 1, true);
	assert_true(vt_expect(vt, "12月8日08:30-09:00  已约 1/1  已约满", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);	/* the cursor starts on the first free slot */
	assert_true(vt_expect(vt, "预约成功", WS_WAIT));
	free(code);
	code = appointment_of(id2, "code");
	v = appointment_of(id2, "to_char(slot_start AT TIME ZONE 'Asia/Shanghai', 'HH24:MI')");
	assert_string_equal(v, "09:00");
	free(v);
	doc = ws_printed(dir, "desk");
	assert_non_null(strstr(doc, "预约凭条"));
	assert_non_null(strstr(doc, code));
	assert_non_null(strstr(doc, "12月8日09:00-09:30"));
	assert_null(strstr(doc, id2));
	free(doc);
	free(code);
	vt_free(&vt);
}

/* The kiosk: by ID number inside the window; too early; missed. */
static void
test_checkin(void **state)
{
	struct vt *vt;
	char *code, *v;
	const char *p[1];

	(void)state;
	vt = start_guide("2026-12-07T10:00:00+08");
	fill(vt, id1, "002036003001", 1, false);
	assert_true(vt_expect(vt, "12月8日08:30-09:00", WS_WAIT));
	vt_key(vt, VT_KEY_DOWN);	/* 09:00 */
	vt_key(vt, VT_KEY_DOWN);	/* 09:30 */
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "12月8日09:30-10:00", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	fill(vt, id2, "002036003001", 1, false);
	assert_true(vt_expect(vt, "12月8日08:30-09:00", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "预约成功", WS_WAIT));
	vt_free(&vt);

	/* 08:50: too early for 09:30 (check-in from 09:00) */
	vt = start_kiosk("2026-12-08T08:50:00+08");
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "请输入预约码或身份证号码", WS_WAIT));
	vt_send(vt, id1);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "签到时间未到：09:00 起可签到", WS_WAIT));
	assert_false(vt_find(vt, id1 + 6, NULL, NULL));	/* never whole on screen */
	vt_free(&vt);

	vt = start_kiosk("2026-12-08T09:10:00+08");
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "请输入预约码或身份证号码", WS_WAIT));
	vt_send(vt, id1);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "您的号码", WS_WAIT));
	v = appointment_of(id1, "status");
	assert_string_equal(v, "used");
	free(v);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE
	    "' AND class = 'appointment' AND number = 'Y001'", 0, NULL), 1);
	vt_free(&vt);

	/* id2's 08:30 slot has ended at 09:10: its code is refused as missed */
	code = appointment_of(id2, "code");
	vt = start_kiosk("2026-12-08T09:10:00+08");
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "请输入预约码或身份证号码", WS_WAIT));
	vt_send(vt, code);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "已记为爽约", WS_WAIT));
	p[0] = code;
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.appointment WHERE office_code = '" OFFICE
	    "' AND code = $1 AND status = 'missed'", 1, p), 1);
	free(code);
	vt_free(&vt);

	/* the console: F7 twice shows today's appointments per slot */
	{
		const char *args[] = { NULL };

		vt = ws_start_at("2026-12-08T09:10:00+08", args);
	}
	ws_login(vt, "tapt_s", "Demo-1234", "");
	assert_true(vt_expect(vt, "F4大厅", WS_WAIT));
	vt_key(vt, VT_KEY_F4);
	assert_true(vt_expect(vt, "F7临期预约", WS_WAIT));
	vt_key(vt, VT_KEY_F7);
	vt_settle(vt, 50, 500);
	vt_key(vt, VT_KEY_F7);
	assert_true(vt_expect(vt, "今日预约：待到 0，已签到 1，爽约 1", WS_WAIT));
	assert_true(vt_expect(vt, "08:30-09:00  待到 0  签到 0  爽约 1", WS_WAIT));
	assert_true(vt_expect(vt, "09:30-10:00  待到 0  签到 1  爽约 0", WS_WAIT));
	vt_free(&vt);
}

/* Three misses in 30 days: refused with the day booking opens again; a bad
 * ID number refused before the slots. */
static void
test_block(void **state)
{
	const char *p[] = { id3 };
	char bad[19];
	struct vt *vt;

	(void)state;
	ws_sql_long("WITH a AS (INSERT INTO yc.appointment (office_code, code, slot_start, slot_end, id_no) "
	    "VALUES ('" OFFICE "', 'X1', '2026-11-16 09:00+08', '2026-11-16 09:30+08', $1), "
	    "('" OFFICE "', 'X2', '2026-11-23 09:00+08', '2026-11-23 09:30+08', $1), "
	    "('" OFFICE "', 'X3', '2026-12-02 09:00+08', '2026-12-02 09:30+08', $1) RETURNING 1) "
	    "SELECT count(*) FROM a", 1, p);
	vt = start_guide("2026-12-07T10:00:00+08");
	fill(vt, id3, "002036003001", 1, false);
	assert_true(vt_expect(vt, "12月8日08:30-09:00", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "爽约次数过多：此人自 2027年1月1日 起方可再预约", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.appointment WHERE office_code = '" OFFICE
	    "' AND id_no = $1 AND status = 'booked'", 1, p), 0);
	vt_free(&vt);

	snprintf(bad, sizeof bad, "%.17s%c", id1, id1[17] == '0' ? '1' : '0');
	vt = start_guide("2026-12-07T10:00:00+08");
	vt_send(vt, bad);
	vt_key(vt, VT_KEY_TAB);
	vt_send(vt, PHONE);
	vt_key(vt, VT_KEY_TAB);
	vt_send(vt, "002036003001");
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "12月", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "身份证号码无效", WS_WAIT));
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.appointment WHERE office_code = '" OFFICE
	    "' AND status = 'booked'", 0, NULL), 0);
	vt_free(&vt);
}

/* 10-minute slots make a long day: the list follows the chosen slot. */
static void
test_long_day(void **state)
{
	struct vt *vt;
	char *v;

	(void)state;
	ws_sql_long("WITH s AS (UPDATE yc.setting SET value = '10' "
	    "WHERE key = 'appointment_slot_minutes' RETURNING 1) SELECT count(*) FROM s", 0, NULL);
	vt = start_guide("2026-12-07T10:00:00+08");
	fill(vt, id1, "002036003001", 1, false);
	assert_true(vt_expect(vt, "12月8日08:30-08:40", WS_WAIT));
	assert_false(vt_find(vt, "12月8日16:00-16:10", NULL, NULL));
	for (int i = 0; i < 30; i++)	/* 21 in the morning, then 14:30 … */
		vt_key(vt, VT_KEY_DOWN);
	assert_true(vt_expect(vt, "12月8日16:00-16:10", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, "预约时段：12月8日16:00-16:10", WS_WAIT));
	v = appointment_of(id1, "to_char(slot_start AT TIME ZONE 'Asia/Shanghai', 'HH24:MI')");
	assert_string_equal(v, "16:00");
	free(v);
	vt_free(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_book, test_setup),
		cmocka_unit_test_setup(test_checkin, test_setup),
		cmocka_unit_test_setup(test_block, test_setup),
		cmocka_unit_test_setup(test_long_day, test_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
