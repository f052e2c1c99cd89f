/*
 * Unit tests for model/validate. No catalogue is loaded, so the messages
 * are the English msgids. ID numbers and card numbers below were computed
 * independently (ISO 7064 MOD 11-2, Luhn) outside this code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/calendar.h"
#include "model/validate.h"

static const struct cal_date today = { 2026, 11, 22 };

/* The verdict, r->ok and normalised value of a successful validation
 * (macros, so that a failure reports the line of the call). */
#define check_ok(call, r, norm) do {					\
		bool ret_ = (call);					\
		assert_true(ret_);					\
		assert_true((r)->ok);					\
		assert_string_equal((r)->message, "");			\
		assert_string_equal((r)->normalised, (norm));		\
	} while (0)

/* The verdict, r->ok and message of a refused value. */
#define check_bad(call, r, msg) do {					\
		bool ret_ = (call);					\
		assert_false(ret_);					\
		assert_false((r)->ok);					\
		assert_string_equal((r)->message, (msg));		\
		assert_string_equal((r)->normalised, "");		\
	} while (0)

/* ---- ID numbers ------------------------------------------------------- */

static bool
idno(const char *s, struct val_idno *out, struct val_result *r)
{
	return val_idno(s, today, out, r);
}

static void
test_idno_valid(void **state)
{
	struct val_result r;
	struct val_idno v;

	(void)state;
	check_ok(idno("360981198001010012", &v, &r), &r, "360981198001010012");
	assert_string_equal(v.id, "360981198001010012");
	assert_int_equal(v.birth.y, 1980);
	assert_int_equal(v.birth.m, 1);
	assert_int_equal(v.birth.d, 1);
	assert_int_equal(v.age, 46);
	assert_int_equal(v.sex, 'M');           /* 17th digit 1 */

	/* published sample number ending in X; lower-case x normalised */
	check_ok(idno("11010519491231002x", &v, &r), &r, "11010519491231002X");
	assert_string_equal(v.id, "11010519491231002X");
	assert_int_equal(v.sex, 'F');           /* 17th digit 2 */
	assert_int_equal(v.age, 76);

	check_ok(idno("32010219850715018X", NULL, &r), &r, "32010219850715018X");
	/* 29 February of a leap year, X */
	check_ok(idno("36098119800229001X", &v, &r), &r, "36098119800229001X");
	/* surrounding blanks, inner spaces, ideographic space */
	check_ok(idno("  360981 19800101 0012\t", NULL, &r), &r, "360981198001010012");
	check_ok(idno("\xE3\x80\x80" "360981198001010012" "\xE3\x80\x80", NULL, &r), &r,
		 "360981198001010012");
	/* full-width digits and Ｘ */
	check_ok(idno("１１０１０５１９４９１２３１００２Ｘ", &v, &r), &r, "11010519491231002X");
	assert_string_equal(v.id, "11010519491231002X");
	/* other provinces: 53 Yunnan, 62 Gansu, 71 Taiwan, 83 residence permit */
	check_ok(idno("530102193005050038", NULL, &r), &r, "530102193005050038");
	check_ok(idno("620102198906040042", NULL, &r), &r, "620102198906040042");
	check_ok(idno("710101198001010012", NULL, &r), &r, "710101198001010012");
	check_ok(idno("83010119800101001X", NULL, &r), &r, "83010119800101001X");
	/* the oldest accepted birth date */
	check_ok(idno("110105189001010011", NULL, &r), &r, "110105189001010011");
	/* NULL result: only the verdict */
	assert_true(idno("360981198001010012", NULL, NULL));
	assert_false(idno("360981198001010013", NULL, NULL));
}

static void
test_idno_age_sex(void **state)
{
	struct val_result r;
	struct val_idno v;

	(void)state;
	/* birthday today: 26 */
	check_ok(idno("110105200011220113", &v, &r), &r, "110105200011220113");
	assert_int_equal(v.age, 26);
	assert_int_equal(v.sex, 'M');
	/* birthday tomorrow: still 25 */
	check_ok(idno("110105200011230020", &v, &r), &r, "110105200011230020");
	assert_int_equal(v.age, 25);
	assert_int_equal(v.sex, 'F');
	/* born today: 0 */
	check_ok(idno("11010520261122001X", &v, &r), &r, "11010520261122001X");
	assert_int_equal(v.age, 0);
	assert_int_equal(v.birth.d, 22);
	/* born 29 February 2000: a year older on 1 March in a common year */
	assert_true(val_idno("110105200002290216", (struct cal_date){ 2027, 2, 28 }, &v, &r));
	assert_int_equal(v.age, 26);
	assert_true(val_idno("110105200002290216", (struct cal_date){ 2027, 3, 1 }, &v, &r));
	assert_int_equal(v.age, 27);
	assert_true(val_idno("110105200002290216", (struct cal_date){ 2028, 2, 29 }, &v, &r));
	assert_int_equal(v.age, 28);
}

static void
test_idno_invalid(void **state)
{
	struct val_result r;
	struct val_idno v = { .id = "untouched", .age = -7 };

	(void)state;
	check_bad(idno("", &v, &r), &r, "Please enter the ID number");
	check_bad(idno(NULL, &v, &r), &r, "Please enter the ID number");
	check_bad(idno("   ", &v, &r), &r, "Please enter the ID number");
	/* wrong check digit (last digit changed) */
	check_bad(idno("360981198001010013", &v, &r), &r,
		  "The check digit is wrong; please check the number");
	check_bad(idno("110105194912310021", &v, &r), &r,
		  "The check digit is wrong; please check the number");
	/* one digit of the sequence changed */
	check_bad(idno("360981198001010022", &v, &r), &r,
		  "The check digit is wrong; please check the number");
	/* 1980-02-30 does not exist (check digit right for it) */
	check_bad(idno("360981198002300011", &v, &r), &r,
		  "The date of birth does not exist: 1980-02-30");
	check_bad(idno("360981198013020015", &v, &r), &r,
		  "The date of birth does not exist: 1980-13-02");
	/* born tomorrow */
	check_bad(idno("110105202611230015", &v, &r), &r,
		  "The date of birth is later than today");
	/* before 1890 */
	check_bad(idno("110105188912310010", &v, &r), &r,
		  "The date of birth is before 1890-01-01; please check the number");
	/* area codes: leading 0, 9 (foreigner), unassigned province 19 */
	check_bad(idno("010101198001010017", &v, &r), &r,
		  "The area code at the start of the ID number is not valid: 010101");
	check_bad(idno("91010119800101001X", &v, &r), &r,
		  "The area code at the start of the ID number is not valid: 910101");
	check_bad(idno("190101198001010012", &v, &r), &r,
		  "The area code at the start of the ID number is not valid: 190101");
	/* lengths */
	check_bad(idno("36098119800101001", &v, &r), &r,
		  "The ID number must have 18 characters; it has 17");
	check_bad(idno("3609811980010100122", &v, &r), &r,
		  "The ID number must have 18 characters; it has 19");
	check_bad(idno("36098119800101X", &v, &r), &r,
		  "The ID number must have 18 characters; it has 15");
	/* characters */
	check_bad(idno("36098119800101001A", &v, &r), &r,
		  "The ID number may contain only digits, with X allowed as the last character");
	check_bad(idno("3609811980010100X2", &v, &r), &r,
		  "The ID number may contain only digits, with X allowed as the last character");
	check_bad(idno("360981-19800101-0012", &v, &r), &r,
		  "The ID number may contain only digits, with X allowed as the last character");
	check_bad(idno("36098119800101001\xFF", &v, &r), &r,
		  "The ID number may contain only digits, with X allowed as the last character");
	/* legacy 15-digit number */
	check_bad(idno("360981800101001", &v, &r), &r,
		  "This is an old 15-digit ID number; please use the 18-digit ID number");
	check_bad(idno("３６０９８１８００１０１００１", &v, &r), &r,
		  "This is an old 15-digit ID number; please use the 18-digit ID number");
	/* out untouched on failure */
	assert_string_equal(v.id, "untouched");
	assert_int_equal(v.age, -7);
}

static void
test_idno_upgrade15(void **state)
{
	char out[19];
	struct val_result r;

	(void)state;
	assert_true(val_idno_upgrade15("360981800101001", out));
	assert_string_equal(out, "360981198001010012");
	/* the upgraded number is accepted */
	check_ok(idno(out, NULL, &r), &r, "360981198001010012");
	assert_true(val_idno_upgrade15(" 110105491231002 ", out));
	assert_string_equal(out, "11010519491231002X");
	assert_true(val_idno_upgrade15("１１０１０５４９１２３１００２", out));
	assert_string_equal(out, "11010519491231002X");
	/* refused: wrong length, letters, impossible 1900-02-29 */
	memcpy(out, "garbage", 8);
	assert_false(val_idno_upgrade15("36098180010100", out));
	assert_string_equal(out, "");
	assert_false(val_idno_upgrade15("36098180010100X", out));
	assert_false(val_idno_upgrade15("360981000229001", out));
	assert_false(val_idno_upgrade15("360981198001010012", out));
	assert_false(val_idno_upgrade15(NULL, out));
	/* 1900-02-28 is fine */
	assert_true(val_idno_upgrade15("360981000228001", out));
	assert_memory_equal(out, "36098119000228001", 17);
}

/* ---- dates ------------------------------------------------------------ */

static void
test_date_formats(void **state)
{
	static const char *const good[] = {
		"2024-03-05", "2024-3-5", "20240305", "2024/03/05", "2024/3/05",
		"2024.03.05", "2024.3.5", "2024年3月5日", "2024年03月05日",
		"2024年3月5", " 2024-03-05 ", "２０２４－０３－０５",
		"２０２４年３月５日", "\xE3\x80\x80" "2024/03/05",
	};
	struct val_result r;
	struct cal_date d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		memset(&d, 0, sizeof d);
		check_ok(val_date(good[i], today, false, &d, &r), &r, "2024-03-05");
		assert_int_equal(d.y, 2024);
		assert_int_equal(d.m, 3);
		assert_int_equal(d.d, 5);
	}
	check_ok(val_date("2024-02-29", today, false, &d, &r), &r, "2024-02-29");
	check_ok(val_date("2026-11-22", today, false, &d, &r), &r, "2026-11-22");
	check_ok(val_date("0001-01-01", today, false, NULL, &r), &r, "0001-01-01");
	/* the future, when allowed */
	check_ok(val_date("2027年1月1日", today, true, &d, &r), &r, "2027-01-01");
	assert_int_equal(d.y, 2027);
}

static void
test_date_invalid(void **state)
{
	static const char *const bad_format[] = {
		"2024-03", "24-03-05", "2024-03-05-", "2024-03/05", "2024--03-05",
		"2024-003-05", "2024 03 05", "240305", "202403051", "2024年3月",
		"2024年3月5日日", "5.3.2024", "2024-03-05T00:00",
		"abcd-ef-gh", "2024年3月5号", "+2024-03-05", "2024-3-5\xFF",
	};
	const char *fmt = "Enter the date as year-month-day, for example 2024-03-05";
	struct val_result r;
	struct cal_date d = { 1, 2, 3 };
	size_t i;

	(void)state;
	check_bad(val_date("", today, false, &d, &r), &r, "Please enter a date");
	check_bad(val_date(NULL, today, true, &d, &r), &r, "Please enter a date");
	for (i = 0; i < sizeof bad_format / sizeof bad_format[0]; i++)
		check_bad(val_date(bad_format[i], today, false, &d, &r), &r, fmt);
	check_bad(val_date("2023-02-29", today, false, &d, &r), &r,
		  "The date does not exist: 2023-02-29");
	check_bad(val_date("19800230", today, false, &d, &r), &r,
		  "The date does not exist: 1980-02-30");
	check_bad(val_date("2024/4/31", today, false, &d, &r), &r,
		  "The date does not exist: 2024-04-31");
	check_bad(val_date("2024年13月1日", today, false, &d, &r), &r,
		  "The date does not exist: 2024-13-01");
	check_bad(val_date("0000-01-01", today, false, &d, &r), &r,
		  "The date does not exist: 0000-01-01");
	check_bad(val_date("2026-11-23", today, false, &d, &r), &r,
		  "The date is later than today");
	check_bad(val_date("2027.1.1", today, false, &d, &r), &r,
		  "The date is later than today");
	/* out untouched */
	assert_int_equal(d.y, 1);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 3);
}

/* ---- money ------------------------------------------------------------ */

static void
money_ok(const char *s, long long want, const char *norm)
{
	struct val_result r;
	long long fen = -1;

	check_ok(val_money(s, &fen, &r), &r, norm);
	assert_int_equal(fen, want);
}

static void
money_bad(const char *s, const char *message)
{
	struct val_result r;
	long long fen = -1;

	check_bad(val_money(s, &fen, &r), &r, message);
	assert_int_equal(fen, -1);
}

static void
test_money(void **state)
{
	const char *fmt = "Enter the amount in yuan as digits, for example 1234.56";

	(void)state;
	money_ok("0", 0, "0.00");
	money_ok("0.01", 1, "0.01");
	money_ok("0.1", 10, "0.10");
	money_ok("123", 12300, "123.00");
	money_ok("123.4", 12340, "123.40");
	money_ok("123.45", 12345, "123.45");
	money_ok("1,234.56", 123456, "1,234.56");
	money_ok("1234.56", 123456, "1,234.56");
	money_ok("1,234,567", 123456700, "1,234,567.00");
	money_ok("¥12.30", 1230, "12.30");
	money_ok("￥12.30", 1230, "12.30");
	money_ok("12.30元", 1230, "12.30");
	money_ok("¥ 12.30 元", 1230, "12.30");
	money_ok("  7  ", 700, "7.00");
	money_ok("007.50", 750, "7.50");
	money_ok("１，２３４．５６", 123456, "1,234.56");
	money_ok("99999999.99", 9999999999LL, "99,999,999.99");
	money_ok("99,999,999.99", VAL_MONEY_MAX_FEN, "99,999,999.99");
	money_ok("00000000000000000001", 100, "1.00");

	money_bad("", "Please enter an amount");
	money_bad(NULL, "Please enter an amount");
	money_bad("   ", "Please enter an amount");
	money_bad("1.234", "The amount can have at most two decimal places");
	money_bad("0.001", "The amount can have at most two decimal places");
	money_bad("1.230", "The amount can have at most two decimal places");
	money_bad("-1", "The amount cannot be negative");
	money_bad("-0.01", "The amount cannot be negative");
	money_bad("－５", "The amount cannot be negative");
	money_bad("¥-5", "The amount cannot be negative");
	money_bad("100000000", "The amount exceeds the limit of 99,999,999.99 yuan");
	money_bad("100,000,000.00", "The amount exceeds the limit of 99,999,999.99 yuan");
	money_bad("99999999999999999999999999", "The amount exceeds the limit of 99,999,999.99 yuan");
	money_bad("12.3.4", fmt);
	money_bad("1e5", fmt);
	money_bad("1E5", fmt);
	money_bad("12.", fmt);
	money_bad(".5", fmt);
	money_bad("+5", fmt);
	money_bad("1 234", fmt);
	money_bad("1,23", fmt);
	money_bad("1234,567", fmt);
	money_bad(",123", fmt);
	money_bad("1,,234", fmt);
	money_bad("1,234,", fmt);
	money_bad("1,234.5,6", fmt);
	money_bad("abc", fmt);
	money_bad("¥", fmt);
	money_bad("元", fmt);
	money_bad("12元5", fmt);
	money_bad("$12", fmt);
	money_bad("1.2\xFF", fmt);
	assert_true(val_money("5", NULL, NULL));
	assert_false(val_money("5.555", NULL, NULL));
}

static void
test_money_format(void **state)
{
	char out[32];

	(void)state;
	val_money_format(0, out);
	assert_string_equal(out, "0.00");
	val_money_format(5, out);
	assert_string_equal(out, "0.05");
	val_money_format(100, out);
	assert_string_equal(out, "1.00");
	val_money_format(99999, out);
	assert_string_equal(out, "999.99");
	val_money_format(100000, out);
	assert_string_equal(out, "1,000.00");
	val_money_format(123456, out);
	assert_string_equal(out, "1,234.56");
	val_money_format(VAL_MONEY_MAX_FEN, out);
	assert_string_equal(out, "99,999,999.99");
	val_money_format(-150, out);
	assert_string_equal(out, "-1.50");
	val_money_format(9223372036854775807LL, out);
	assert_string_equal(out, "92,233,720,368,547,758.07");
	val_money_format(-9223372036854775807LL - 1, out);
	assert_string_equal(out, "-92,233,720,368,547,758.08");
}

/* ---- phone numbers ---------------------------------------------------- */

static void
test_phone(void **state)
{
	struct val_result r;

	(void)state;
	check_ok(val_phone("13812345678", &r), &r, "13812345678");
	check_ok(val_phone("19912345678", &r), &r, "19912345678");
	check_ok(val_phone("138 1234 5678", &r), &r, "13812345678");
	check_ok(val_phone("138-1234-5678", &r), &r, "13812345678");
	check_ok(val_phone("+86 138 1234 5678", &r), &r, "13812345678");
	check_ok(val_phone("+8613812345678", &r), &r, "13812345678");
	check_ok(val_phone("8613812345678", &r), &r, "13812345678");
	check_ok(val_phone("0086 13812345678", &r), &r, "13812345678");
	check_ok(val_phone("＋８６　１３８１２３４５６７８", &r), &r, "13812345678");
	check_ok(val_phone(" １３８１２３４５６７８ ", &r), &r, "13812345678");
	/* landlines */
	check_ok(val_phone("0795-6412345", &r), &r, "0795-6412345");
	check_ok(val_phone("07956412345", &r), &r, "0795-6412345");
	/* a local number may not start with 0 or 1 */
	check_bad(val_phone("010-12345678", &r), &r,
		  "A landline number is an area code and a 7- or 8-digit number, for example 0795-6412345");
	check_ok(val_phone("010-62345678", &r), &r, "010-62345678");
	check_ok(val_phone("021 6234 5678", &r), &r, "021-62345678");
	check_ok(val_phone("0791-86123456", &r), &r, "0791-86123456");
	check_ok(val_phone("+86 795 6412345", &r), &r, "0795-6412345");
	check_ok(val_phone("+86 10 62345678", &r), &r, "010-62345678");

	check_bad(val_phone("", &r), &r, "Please enter a phone number");
	check_bad(val_phone(NULL, &r), &r, "Please enter a phone number");
	check_bad(val_phone("1381234567", &r), &r, "The mobile number must have 11 digits; it has 10");
	check_bad(val_phone("138123456789", &r), &r, "The mobile number must have 11 digits; it has 12");
	check_bad(val_phone("+86 138 1234 567", &r), &r, "The mobile number must have 11 digits; it has 10");
	check_bad(val_phone("12812345678", &r), &r, "A mobile number must begin with 13 to 19");
	check_bad(val_phone("10812345678", &r), &r, "A mobile number must begin with 13 to 19");
	check_bad(val_phone("23812345678", &r), &r, "A mobile number must begin with 13 to 19");
	check_bad(val_phone("138l2345678", &r), &r,
		  "The phone number may contain only digits, spaces and hyphens");
	check_bad(val_phone("(0795)6412345", &r), &r,
		  "The phone number may contain only digits, spaces and hyphens");
	check_bad(val_phone("138+12345678", &r), &r,
		  "The phone number may contain only digits, spaces and hyphens");
	check_bad(val_phone("+1 415 555 0100", &r), &r, "Only mainland China numbers (+86) are accepted");
	check_bad(val_phone("00852 12345678", &r), &r, "Only mainland China numbers (+86) are accepted");
	check_bad(val_phone("6412345", &r), &r,
		  "A landline number needs its area code, for example 0795-6412345");
	check_bad(val_phone("62345678", &r), &r,
		  "A landline number needs its area code, for example 0795-6412345");
	check_bad(val_phone("0795-641234", &r), &r,
		  "A landline number is an area code and a 7- or 8-digit number, for example 0795-6412345");
	check_bad(val_phone("0795-641234567", &r), &r,
		  "A landline number is an area code and a 7- or 8-digit number, for example 0795-6412345");
	check_bad(val_phone("0795-0412345", &r), &r,
		  "A landline number is an area code and a 7- or 8-digit number, for example 0795-6412345");
	check_bad(val_phone("011-62345678", &r), &r,
		  "A landline number is an area code and a 7- or 8-digit number, for example 0795-6412345");
}

/* ---- bank cards ------------------------------------------------------- */

static void
test_bankcard(void **state)
{
	struct val_result r;

	(void)state;
	check_ok(val_bankcard("4111111111111111", &r), &r, "4111111111111111");
	check_ok(val_bankcard("6022330000000002", &r), &r, "6022330000000002");
	check_ok(val_bankcard("6225 8812 3456 7898", &r), &r, "6225881234567898");
	check_ok(val_bankcard("622848000000000007", &r), &r, "622848000000000007");
	check_ok(val_bankcard("6222021001123456789", &r), &r, "6222021001123456789");
	check_ok(val_bankcard("6217-0000-0000-0000-004", &r), &r, "6217000000000000004");
	check_ok(val_bankcard("６２１７００００００００００００００４", &r), &r,
		 "6217000000000000004");

	check_bad(val_bankcard("", &r), &r, "Please enter the bank card number");
	check_bad(val_bankcard(" - ", &r), &r, "Please enter the bank card number");
	/* one digit changed */
	check_bad(val_bankcard("6222021001123456788", &r), &r,
		  "The card number fails its check; please check it");
	check_bad(val_bankcard("6222021001124456789", &r), &r,
		  "The card number fails its check; please check it");
	check_bad(val_bankcard("4111111111111112", &r), &r,
		  "The card number fails its check; please check it");
	/* two adjacent digits swapped */
	check_bad(val_bankcard("6225881234567988", &r), &r,
		  "The card number fails its check; please check it");
	check_bad(val_bankcard("411111111111111", &r), &r,
		  "The bank card number must have 16 to 19 digits; it has 15");
	check_bad(val_bankcard("41111111111111111111", &r), &r,
		  "The bank card number must have 16 to 19 digits; it has 20");
	check_bad(val_bankcard("6225 8812 3456 789A", &r), &r,
		  "The bank card number may contain only digits");
	check_bad(val_bankcard("6225.8812.3456.7898", &r), &r,
		  "The bank card number may contain only digits");
}

/* ---- choices ---------------------------------------------------------- */

static void
test_choice(void **state)
{
	static const char *const values[] = { "01", "02", NULL, "门诊", "住院" };
	static const char *const with_empty[] = { "", "A" };
	struct val_result r;

	(void)state;
	check_ok(val_choice("01", values, 5, &r), &r, "01");
	check_ok(val_choice(" 住院 ", values, 5, &r), &r, "住院");
	check_ok(val_choice("０２", values, 5, &r), &r, "02");
	check_bad(val_choice("03", values, 5, &r), &r, "Please choose one of the listed values");
	check_bad(val_choice("1", values, 5, &r), &r, "Please choose one of the listed values");
	check_bad(val_choice("住", values, 5, &r), &r, "Please choose one of the listed values");
	/* only the first n values count */
	check_bad(val_choice("门诊", values, 2, &r), &r, "Please choose one of the listed values");
	check_bad(val_choice("", values, 5, &r), &r, "Please choose a value");
	check_bad(val_choice(NULL, values, 5, &r), &r, "Please choose a value");
	check_bad(val_choice("01", NULL, 0, &r), &r, "Please choose one of the listed values");
	check_ok(val_choice("  ", with_empty, 2, &r), &r, "");
}

/* ---- free text -------------------------------------------------------- */

static void
test_text_length(void **state)
{
	struct val_result r;

	(void)state;
	/* 4 characters, 12 bytes */
	check_ok(val_text("欧阳娜娜", 2, 4, NULL, &r), &r, "欧阳娜娜");
	check_bad(val_text("欧阳娜娜", 2, 3, NULL, &r), &r, "Enter at most 3 characters; there are 4");
	check_bad(val_text("王", 2, 20, NULL, &r), &r, "Enter at least 2 characters; there are 1");
	check_ok(val_text("  王芳  ", 2, 2, NULL, &r), &r, "王芳");
	check_ok(val_text("\xE3\x80\x80王芳\xE3\x80\x80", 2, 2, NULL, &r), &r, "王芳");
	check_ok(val_text("买买提·艾力", 1, 6, NULL, &r), &r, "买买提·艾力");
	/* inner spaces and full-width punctuation are kept */
	check_ok(val_text("南昌市 红谷滩区（一号楼）", 0, 0, NULL, &r), &r,
		 "南昌市 红谷滩区（一号楼）");
	/* empty */
	check_ok(val_text("", 0, 10, NULL, &r), &r, "");
	check_ok(val_text(NULL, 0, 0, NULL, &r), &r, "");
	check_bad(val_text("  ", 1, 10, NULL, &r), &r, "Please fill in this field");
	/* invalid UTF-8, control characters */
	check_bad(val_text("abc\xFF", 0, 0, NULL, &r), &r,
		  "The text contains characters that are not allowed");
	check_bad(val_text("\xE6\xAC", 0, 0, NULL, &r), &r,
		  "The text contains characters that are not allowed");
	check_bad(val_text("a\tb", 0, 0, NULL, &r), &r,
		  "The text contains characters that are not allowed");
	check_bad(val_text("a\x1B[2Jb", 0, 0, NULL, &r), &r,
		  "The text contains characters that are not allowed");
	check_bad(val_text("a\xC2\x9B" "b", 0, 0, NULL, &r), &r,
		  "The text contains characters that are not allowed");
	/* too long for the result */
	{
		size_t n = 400 * 3;
		char *big = malloc(n + 1);
		size_t i;

		assert_non_null(big);
		for (i = 0; i < n; i += 3)
			memcpy(big + i, "娜", 3);
		big[n] = '\0';
		check_bad(val_text(big, 0, 500, NULL, &r), &r, "The text is too long");
		check_bad(val_text(big, 0, 300, NULL, &r), &r,
			  "Enter at most 300 characters; there are 400");
		big[1020] = '\0';       /* 340 characters, 1020 bytes */
		check_ok(val_text(big, 0, 500, NULL, &r), &r, big);
		free(big);
	}
}

static void
test_text_pattern(void **state)
{
	struct val_result r;
	const char *fmt = "The text does not have the required format";

	(void)state;
	check_ok(val_text("330106", 0, 0, "[0-9]{6}", &r), &r, "330106");
	check_bad(val_text("33010", 0, 0, "[0-9]{6}", &r), &r, fmt);
	check_bad(val_text("3301066", 0, 0, "[0-9]{6}", &r), &r, fmt);     /* whole value */
	check_bad(val_text("３３０１０６", 0, 0, "[0-9]{6}", &r), &r, fmt); /* not folded */
	check_ok(val_text("欧阳娜娜", 0, 0, "[一-龥]{2,4}", &r), &r, "欧阳娜娜");
	check_bad(val_text("欧阳娜娜A", 0, 0, "[一-龥]{2,4}", &r), &r, fmt);
	check_ok(val_text("买买提·艾力", 0, 0, "[一-龥]+(·[一-龥]+)*", &r), &r, "买买提·艾力");
	check_ok(val_text("ab-12", 0, 0, "^[a-z][a-z0-9_-]{0,39}$", &r), &r, "ab-12");
	check_bad(val_text("1ab", 0, 0, "[a-z][a-z0-9_-]{0,39}", &r), &r, fmt);
	check_ok(val_text("cat", 0, 0, "dog|cat|bird", &r), &r, "cat");
	check_bad(val_text("ca", 0, 0, "dog|cat|bird", &r), &r, fmt);
	check_ok(val_text("a.b", 0, 0, "a\\.b", &r), &r, "a.b");
	check_bad(val_text("axb", 0, 0, "a\\.b", &r), &r, fmt);
	check_ok(val_text("axb", 0, 0, "a.b", &r), &r, "axb");
	check_ok(val_text("a娜b", 0, 0, "a.b", &r), &r, "a娜b");       /* . is one code point */
	check_ok(val_text("X9", 0, 0, "[[:upper:]][[:digit:]]", &r), &r, "X9");
	check_bad(val_text("x9", 0, 0, "[[:upper:]][[:digit:]]", &r), &r, fmt);
	check_ok(val_text("q", 0, 0, "[^0-9]", &r), &r, "q");
	check_bad(val_text("5", 0, 0, "[^0-9]", &r), &r, fmt);
	check_ok(val_text("]", 0, 0, "[]a]", &r), &r, "]");
	check_ok(val_text("-", 0, 0, "[a-]", &r), &r, "-");
	check_ok(val_text("abab", 0, 0, "(ab)+", &r), &r, "abab");
	check_ok(val_text("ac", 0, 0, "ab?c", &r), &r, "ac");
	check_ok(val_text("abbbc", 0, 0, "ab*c", &r), &r, "abbbc");
	check_ok(val_text("aaa", 0, 0, "a{2,}", &r), &r, "aaa");
	check_bad(val_text("a", 0, 0, "a{2,}", &r), &r, fmt);
	check_bad(val_text("aaaa", 0, 0, "a{1,3}", &r), &r, fmt);
	check_ok(val_text("x", 0, 0, "()x()*", &r), &r, "x");
	check_ok(val_text("x", 0, 0, "(a*)*x", &r), &r, "x");
	check_bad(val_text("ab", 0, 0, "a^b", &r), &r, fmt);
	/* pathological for a backtracking matcher; linear here */
	check_bad(val_text("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 0, 0,
			   "(a|aa)*(a*)*c", &r), &r, fmt);
	/* length is checked before the pattern */
	check_bad(val_text("1234567", 0, 6, "[0-9]{6}", &r), &r, "Enter at most 6 characters; there are 7");
	/* an invalid pattern refuses every value */
	check_bad(val_text("abc", 0, 0, "(abc", &r), &r,
		  "The form definition has an invalid pattern for this field");
}

static void
test_pattern_valid(void **state)
{
	static const char *const good[] = {
		"", "[0-9]{12}", "[a-z][a-z0-9_-]{0,39}", "[a-z]{1,40}", "a|b|",
		"(a(b(c)))", "[[:alpha:][:digit:]_]+", "x{0}", "x{255}", "\\(\\)",
		"}", "]", "[一-龥]", "^a$", "a**",
	};
	static const char *const bad[] = {
		"(", ")", "a)", "[a", "[z-a]", "*a", "a|*", "+", "?", "{1}",
		"a{", "a{1", "a{2,1}", "a{256}", "a{1,256}", "\\d", "\\1", "a\\",
		"[[:word:]]", "[[=a=]]", "[[.a.]]", "^*", "(x{255}){255}",
		"((a{100}){100}){100}", "\xFF", "[\xFF]",
	};
	size_t i;
	char long_pat[1100], nest[200];

	(void)state;
	assert_true(val_pattern_valid(NULL));
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!val_pattern_valid(good[i]))
			fail_msg("refused: %s", good[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (val_pattern_valid(bad[i]))
			fail_msg("accepted: %s", bad[i]);
	}
	/* parentheses nested 64 deep are fine, 65 are not */
	memset(nest, '(', 64);
	nest[64] = 'a';
	memset(nest + 65, ')', 64);
	nest[129] = '\0';
	assert_true(val_pattern_valid(nest));
	memset(nest, '(', 65);
	nest[65] = 'a';
	memset(nest + 66, ')', 65);
	nest[131] = '\0';
	assert_false(val_pattern_valid(nest));
	memset(long_pat, 'a', sizeof long_pat - 1);
	long_pat[sizeof long_pat - 1] = '\0';
	assert_false(val_pattern_valid(long_pat));
	long_pat[1000] = '\0';
	assert_true(val_pattern_valid(long_pat));
}

/* ---- masks and blanks ------------------------------------------------- */

static void
test_masks(void **state)
{
	char *m;

	(void)state;
	m = val_mask_idno("360981198001011234");
	assert_string_equal(m, "360981********1234");
	free(m);
	m = val_mask_idno(" 11010519491231002X ");
	assert_string_equal(m, "110105********002X");
	free(m);
	m = val_mask_idno("360981800101001");
	assert_string_equal(m, "360981*****1001");
	free(m);
	m = val_mask_idno("12345678901");
	assert_string_equal(m, "123456*8901");
	free(m);
	m = val_mask_idno("1234567890");
	assert_string_equal(m, "**********");
	free(m);
	m = val_mask_idno(NULL);
	assert_string_equal(m, "");
	free(m);

	m = val_mask_name("欧阳娜娜");
	assert_string_equal(m, "欧***");
	free(m);
	m = val_mask_name("王芳");
	assert_string_equal(m, "王*");
	free(m);
	m = val_mask_name("  李  ");
	assert_string_equal(m, "李");
	free(m);
	m = val_mask_name("买买提·艾力");
	assert_string_equal(m, "买*****");
	free(m);
	m = val_mask_name("Li Lei");
	assert_string_equal(m, "L*****");
	free(m);
	m = val_mask_name("\xFF" "ab");
	assert_string_equal(m, "\xEF\xBF\xBD**");
	free(m);
	m = val_mask_name("");
	assert_string_equal(m, "");
	free(m);
	m = val_mask_name(NULL);
	assert_string_equal(m, "");
	free(m);
}

static void
test_blank(void **state)
{
	(void)state;
	assert_true(val_blank(NULL));
	assert_true(val_blank(""));
	assert_true(val_blank(" \t\r\n"));
	assert_true(val_blank("\xE3\x80\x80\xC2\xA0"));
	assert_false(val_blank(" a "));
	assert_false(val_blank("\xFF"));
}

/* The normalised value is bounded by VAL_NORM_MAX. */
static void
test_result_bounds(void **state)
{
	struct val_result r;
	char *v = malloc(VAL_NORM_MAX + 10);
	const char *values[1];

	(void)state;
	assert_non_null(v);
	memset(v, 'a', VAL_NORM_MAX + 9);
	v[VAL_NORM_MAX + 9] = '\0';
	values[0] = v;
	/* a value too long for the result can never match */
	check_bad(val_choice(v, values, 1, &r), &r, "Please choose one of the listed values");
	v[VAL_NORM_MAX - 1] = '\0';
	check_ok(val_choice(v, values, 1, &r), &r, v);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idno_valid),
		cmocka_unit_test(test_idno_age_sex),
		cmocka_unit_test(test_idno_invalid),
		cmocka_unit_test(test_idno_upgrade15),
		cmocka_unit_test(test_date_formats),
		cmocka_unit_test(test_date_invalid),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_bankcard),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_text_length),
		cmocka_unit_test(test_text_pattern),
		cmocka_unit_test(test_pattern_valid),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_result_bounds),
	};

	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
