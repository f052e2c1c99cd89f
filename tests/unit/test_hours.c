/*
 * Opening hours as text (tui/model/hours.c): what an administrator types
 * for a day's sessions, read and refused as the database would; the
 * sentences the kiosk, the board and the commands show; the hall's state
 * at a minute of the day; the next opening's day and time in China. No
 * catalogue is loaded: the messages are their English msgids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/hours.h"

static void
test_minutes(void **state)
{
	char out[6];

	(void)state;
	assert_int_equal(hours_minutes("08:30"), 510);
	assert_int_equal(hours_minutes("8:30"), 510);
	assert_int_equal(hours_minutes("00:00"), 0);
	assert_int_equal(hours_minutes("24:00"), 1440);
	assert_int_equal(hours_minutes("24:01"), -1);
	assert_int_equal(hours_minutes("23:60"), -1);
	assert_int_equal(hours_minutes("25:00"), -1);
	assert_int_equal(hours_minutes("0830"), -1);
	assert_int_equal(hours_minutes("8:3"), -1);
	assert_int_equal(hours_minutes(""), -1);
	assert_int_equal(hours_minutes(NULL), -1);
	hours_hhmm(510, out);
	assert_string_equal(out, "08:30");
	hours_hhmm(1440, out);
	assert_string_equal(out, "24:00");
	hours_hhmm(-1, out);
	assert_string_equal(out, "");
}

static void
test_parse(void **state)
{
	struct hours_day d;

	(void)state;
	hours_day_closed(&d);
	d.noon = true;
	assert_int_equal(hours_parse("08:30-12:00,14:30-17:30", &d), HOURS_OK);
	assert_int_equal(d.open1, 510);
	assert_int_equal(d.close1, 720);
	assert_int_equal(d.open2, 870);
	assert_int_equal(d.close2, 1050);
	assert_true(d.noon);	/* kept with two sessions */
	assert_int_equal(hours_parse(" 9:00~12:00，14:00–17:00 ", &d), HOURS_OK);
	assert_int_equal(d.open1, 540);
	assert_int_equal(d.close2, 1020);
	assert_int_equal(hours_parse("09:00-12:00", &d), HOURS_OK);
	assert_int_equal(d.open2, -1);
	assert_false(d.noon);	/* cleared with one session */
	assert_int_equal(hours_parse("00:00-24:00", &d), HOURS_OK);
	assert_int_equal(d.close1, 1440);
	assert_int_equal(hours_parse("", &d), HOURS_OK);
	assert_true(hours_is_closed(&d));
	assert_int_equal(hours_parse("休息", &d), HOURS_OK);
	assert_true(hours_is_closed(&d));
	assert_int_equal(hours_parse("closed", &d), HOURS_OK);

	/* refusals leave the day as it was */
	assert_int_equal(hours_parse("08:30-12:00", &d), HOURS_OK);
	assert_int_equal(hours_parse("8-12", &d), HOURS_BAD_TIME);
	assert_int_equal(hours_parse("08:30", &d), HOURS_BAD_TIME);
	assert_int_equal(hours_parse("08:30-25:00", &d), HOURS_BAD_TIME);
	assert_int_equal(hours_parse("12:00-08:30", &d), HOURS_BAD_ORDER);
	assert_int_equal(hours_parse("08:30-12:00,11:00-17:00", &d), HOURS_BAD_ORDER);
	assert_int_equal(hours_parse("08:00-09:00,10:00-11:00,12:00-13:00", &d), HOURS_TOO_MANY);
	assert_int_equal(hours_parse("closed 08:00-09:00", &d), HOURS_BAD_TIME);
	assert_int_equal(d.open1, 510);
	assert_int_equal(d.close1, 720);
	d.noon = true;
	assert_int_equal(hours_check(&d), HOURS_BAD_NOON);
	assert_non_null(strstr(hours_error_message(HOURS_BAD_NOON), "Noon service"));
}

static void
test_text(void **state)
{
	struct hours_day d;
	char *s;

	(void)state;
	hours_day_closed(&d);
	assert_int_equal(hours_parse("08:30-12:00,14:30-17:30", &d), HOURS_OK);
	s = hours_day_text(&d);
	assert_string_equal(s, "08:30-12:00 14:30-17:30");
	free(s);
	s = hours_day_spec(&d);
	assert_string_equal(s, "08:30-12:00,14:30-17:30");
	free(s);
	d.noon = true;
	s = hours_day_text(&d);
	assert_string_equal(s, "08:30-17:30 (open at noon)");
	free(s);
	hours_day_closed(&d);
	s = hours_day_text(&d);
	assert_string_equal(s, "closed");
	free(s);
	s = hours_day_spec(&d);
	assert_string_equal(s, "");
	free(s);
	assert_string_equal(hours_dow_name(1), "Monday");
	assert_string_equal(hours_dow_name(8), "Holidays");
	assert_string_equal(hours_dow_name(9), "");
	assert_string_equal(hours_kind_name("makeup"), "make-up working day");
}

static void
test_state(void **state)
{
	struct hours_day d;

	(void)state;
	hours_day_closed(&d);
	assert_int_equal(hours_parse("08:30-12:00,14:30-17:30", &d), HOURS_OK);
	assert_int_equal(hours_state_at(&d, 509), HOURS_CLOSED);
	assert_int_equal(hours_state_at(&d, 510), HOURS_OPEN);
	assert_int_equal(hours_state_at(&d, 720), HOURS_CLOSED);
	assert_int_equal(hours_state_at(&d, 870), HOURS_OPEN);
	assert_int_equal(hours_state_at(&d, 1050), HOURS_CLOSED);
	d.noon = true;
	assert_int_equal(hours_state_at(&d, 720), HOURS_NOON);
	assert_int_equal(hours_state_at(&d, 869), HOURS_NOON);
	assert_int_equal(hours_state_parse("noon"), HOURS_NOON);
	assert_int_equal(hours_state_parse("open"), HOURS_OPEN);
	assert_int_equal(hours_state_parse("what"), HOURS_CLOSED);
}

static void
test_when(void **state)
{
	char *s;

	(void)state;
	s = hours_when(1796603400, "2026-12-05");	/* 2026-12-07 08:30+08, a Monday */
	assert_string_equal(s, "12/7 (Mon) 08:30");
	free(s);
	s = hours_when(1796603400, "2026-12-07");
	assert_string_equal(s, "today 08:30");
	free(s);
	s = hours_when(1796603400, NULL);
	assert_string_equal(s, "12/7 (Mon) 08:30");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minutes),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_when),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
