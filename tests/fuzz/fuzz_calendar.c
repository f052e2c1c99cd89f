/*
 * libFuzzer target for the calendar files an administrator loads: the
 * official calendar (model/calendar.h, `calendar load FILE`) and the
 * statutory table (model/holiday.h). Nothing may crash, leak or hang; a
 * parsed file must answer consistently: the days off of a year sorted,
 * weekdays for every 补假, working days counted forward and back again.
 */
#include <stdint.h>
#include <stdlib.h>

#include "model/calendar.h"
#include "model/holiday.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_holidays(const struct holiday_table *t)
{
	struct holiday_day days[HOLIDAY_MAX_DAYS];

	for (int y = holiday_first_year(t); y > 0 && y <= holiday_last_year(t); y++) {
		int n = holiday_year(t, y, days, HOLIDAY_MAX_DAYS);

		if (n < 0 ? holiday_has_year(t, y) : !holiday_has_year(t, y) || n > HOLIDAY_MAX_DAYS)
			abort();
		for (int k = 0; k < n; k++) {
			if (days[k].day.y != y || (k > 0 && cal_days(days[k].day) <= cal_days(days[k - 1].day)))
				abort();
			if (days[k].makeup && (cal_weekday(days[k].day) == 0 || cal_weekday(days[k].day) == 6))
				abort();
		}
	}
}

static void
fuzz_workdays(const struct calendar *cal)
{
	struct cal_date from, to, back;

	if (cal_count(cal) == 0)
		return;
	from = cal_entry_at(cal, 0)->day;
	if (cal_add_workdays(cal, from, 10, &to) == 0 && cal_is_workday(cal, to) == 1 &&
	    cal_add_workdays(cal, to, -10, &back) == 0 && cal_days(back) > cal_days(from))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	struct calendar *cal = cal_parse((const char *)data, size, &err);
	struct holiday_table *t;

	if ((cal == NULL) == (err == NULL))
		abort();
	free(err);
	if (cal != NULL)
		fuzz_workdays(cal);
	cal_free(&cal);
	err = NULL;
	t = holiday_parse((const char *)data, size, &err);
	if ((t == NULL) == (err == NULL))
		abort();
	free(err);
	if (t != NULL)
		fuzz_holidays(t);
	holiday_free(&t);
	return 0;
}
