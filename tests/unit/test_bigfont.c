/*
 * Unit tests for model/bigfont: glyph coverage, sizes and widths, the
 * rendered rows (spelled out by hand for one digit at every size), ink
 * choices, fitting into a box and the fall-back to normal text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/bigfont.h"
#include "model/text.h"

static void
test_supported(void **state)
{
	(void)state;
	assert_true(bigfont_supported(""));
	assert_true(bigfont_supported("0123456789"));
	assert_true(bigfont_supported("ABGY"));
	assert_true(bigfont_supported("abgy"));
	assert_true(bigfont_supported("A023 → 3"));
	assert_true(bigfont_supported("12:30-1.5>"));
	assert_false(bigfont_supported("C"));
	assert_false(bigfont_supported("号"));
	assert_false(bigfont_supported("A\xff"));
	assert_false(bigfont_supported(NULL));
}

static void
test_heights_and_widths(void **state)
{
	(void)state;
	assert_int_equal(bigfont_height(BF_TEXT), 1);
	assert_int_equal(bigfont_height(BF_HALF), 4);
	assert_int_equal(bigfont_height(BF_SMALL), 7);
	assert_int_equal(bigfont_height(BF_LARGE), 7);
	assert_int_equal(bigfont_height(BF_HUGE), 14);
	/* Four 5-pixel glyphs and three 1-pixel gaps: 23 pixels. */
	assert_int_equal(bigfont_width("A023", BF_HALF), 23);
	assert_int_equal(bigfont_width("A023", BF_SMALL), 23);
	assert_int_equal(bigfont_width("A023", BF_LARGE), 46);
	assert_int_equal(bigfont_width("A023", BF_HUGE), 92);
	assert_int_equal(bigfont_width("A023", BF_TEXT), 4);
	assert_int_equal(bigfont_width("号", BF_TEXT), 2);
	assert_int_equal(bigfont_width("号", BF_SMALL), -1);
	assert_int_equal(bigfont_width("", BF_LARGE), 0);
	/* Narrow separators: ':' is one pixel, ' ' three. */
	assert_int_equal(bigfont_width("1:2", BF_SMALL), 5 + 1 + 1 + 1 + 5);
	assert_int_equal(bigfont_width("1 2", BF_SMALL), 5 + 1 + 3 + 1 + 5);
}

/* The rows of "1" at each size, spelled out. */
static void
test_render_one(void **state)
{
	static const char *const small[] = {
		"  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "
	};
	static const char *const half[] = { " ▄█  ", "  █  ", "  █  ", " ▀▀▀ " };
	struct bigfont b;

	(void)state;
	assert_true(bigfont_render("1", BF_SMALL, BF_INK_ASCII, &b));
	assert_int_equal(b.size, BF_SMALL);
	assert_int_equal(b.rows, 7);
	assert_int_equal(b.width, 5);
	for (int i = 0; i < 7; i++)
		assert_string_equal(b.line[i], small[i]);
	assert_null(b.line[7]);
	bigfont_free(&b);

	assert_true(bigfont_render("1", BF_HALF, BF_INK_HALF, &b));
	assert_int_equal(b.rows, 4);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(b.line[i], half[i]);
		assert_int_equal(text_width(b.line[i]), 5);
	}
	bigfont_free(&b);

	assert_true(bigfont_render("1", BF_LARGE, BF_INK_FULL, &b));
	assert_int_equal(b.rows, 7);
	assert_int_equal(b.width, 10);
	assert_string_equal(b.line[0], "    ██    ");
	assert_string_equal(b.line[6], "  ██████  ");
	bigfont_free(&b);

	assert_true(bigfont_render("1", BF_HUGE, BF_INK_ASCII, &b));
	assert_int_equal(b.rows, 14);
	assert_int_equal(b.width, 20);
	assert_string_equal(b.line[0], "        ####        ");
	assert_string_equal(b.line[1], "        ####        ");
	assert_string_equal(b.line[2], "    ########        ");
	assert_string_equal(b.line[13], "    ############    ");
	bigfont_free(&b);
}

/* Every row of a rendering has the announced width; glyphs are one
 * pixel apart; lower-case letters render as upper-case. */
static void
test_render_rows(void **state)
{
	struct bigfont a, b;

	(void)state;
	for (int sz = BF_HALF; sz < BF_NSIZES; sz++) {
		assert_true(bigfont_render("B017-Y", (enum bigfont_size)sz, BF_INK_HALF, &a));
		assert_int_equal(a.rows, bigfont_height((enum bigfont_size)sz));
		assert_int_equal(a.width, bigfont_width("B017-Y", (enum bigfont_size)sz));
		for (int i = 0; i < a.rows; i++)
			assert_int_equal(text_width(a.line[i]), a.width);
		bigfont_free(&a);
	}
	assert_true(bigfont_render("11", BF_SMALL, BF_INK_ASCII, &a));
	assert_string_equal(a.line[6], " ###   ### ");
	bigfont_free(&a);
	assert_true(bigfont_render("gy", BF_SMALL, BF_INK_ASCII, &a));
	assert_true(bigfont_render("GY", BF_SMALL, BF_INK_ASCII, &b));
	for (int i = 0; i < 7; i++)
		assert_string_equal(a.line[i], b.line[i]);
	bigfont_free(&a);
	bigfont_free(&b);
	/* ASCII ink uses nothing but '#' and spaces. */
	assert_true(bigfont_render("A023", BF_LARGE, BF_INK_ASCII, &a));
	for (int i = 0; i < a.rows; i++)
		for (const char *p = a.line[i]; *p != '\0'; p++)
			assert_true(*p == '#' || *p == ' ');
	bigfont_free(&a);
}

/* Wide ink: one █ per two columns; the line's text_width is half the
 * display width. */
static void
test_wide(void **state)
{
	struct bigfont b;

	(void)state;
	assert_true(bigfont_render("1", BF_LARGE, BF_INK_WIDE, &b));
	assert_int_equal(b.width, 10);
	assert_string_equal(b.line[0], "    █    ");
	assert_string_equal(b.line[6], "  ███  ");
	bigfont_free(&b);
	assert_true(bigfont_render("1", BF_HUGE, BF_INK_WIDE, &b));
	assert_int_equal(b.width, 20);
	assert_string_equal(b.line[13], "    ██████    ");
	bigfont_free(&b);
	assert_false(bigfont_render("1", BF_SMALL, BF_INK_WIDE, &b));
	assert_int_equal(b.size, BF_TEXT);
	bigfont_free(&b);
}

/* Unsupported characters and sizes the ink cannot draw fall back to the
 * text itself. */
static void
test_fallback(void **state)
{
	struct bigfont b;

	(void)state;
	assert_false(bigfont_render("号", BF_LARGE, BF_INK_HALF, &b));
	assert_int_equal(b.size, BF_TEXT);
	assert_int_equal(b.rows, 1);
	assert_int_equal(b.width, 2);
	assert_string_equal(b.line[0], "号");
	bigfont_free(&b);
	assert_false(bigfont_render("A1", BF_HALF, BF_INK_FULL, &b));
	assert_int_equal(b.size, BF_TEXT);
	assert_string_equal(b.line[0], "A1");
	bigfont_free(&b);
	assert_true(bigfont_render("A1", BF_TEXT, BF_INK_HALF, &b));
	assert_string_equal(b.line[0], "A1");
	bigfont_free(&b);
	/* Freeing twice is harmless: the struct is zeroed. */
	bigfont_free(&b);
}

static void
test_fit(void **state)
{
	(void)state;
	/* "A023" is 23 pixels wide. */
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 200, 40, BF_HUGE), BF_HUGE);
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 91, 40, BF_HUGE), BF_LARGE);
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 200, 13, BF_HUGE), BF_LARGE);
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 200, 40, BF_LARGE), BF_LARGE);
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 45, 7, BF_HUGE), BF_SMALL);
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 45, 6, BF_HUGE), BF_HALF);
	assert_int_equal(bigfont_fit("A023", BF_INK_ASCII, 45, 6, BF_HUGE), BF_TEXT);
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 22, 40, BF_HUGE), BF_TEXT);
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 23, 4, BF_HUGE), BF_HALF);
	assert_int_equal(bigfont_fit("号", BF_INK_HALF, 200, 40, BF_HUGE), BF_TEXT);
	assert_int_equal(bigfont_fit("A023", BF_INK_HALF, 0, 0, BF_HUGE), BF_TEXT);
}

static void
test_ink(void **state)
{
	(void)state;
	assert_int_equal(bigfont_ink_for("UTF-8"), BF_INK_HALF);
	assert_int_equal(bigfont_ink_for("utf8"), BF_INK_HALF);
	assert_int_equal(bigfont_ink_for("GB18030"), BF_INK_ASCII);
	assert_int_equal(bigfont_ink_for("GBK"), BF_INK_ASCII);
	assert_int_equal(bigfont_ink_for("GB2312"), BF_INK_ASCII);
	assert_int_equal(bigfont_ink_for("ANSI_X3.4-1968"), BF_INK_ASCII);
	assert_int_equal(bigfont_ink_for(NULL), BF_INK_ASCII);
	assert_true(bigfont_size_ok(BF_HALF, BF_INK_HALF));
	assert_false(bigfont_size_ok(BF_HALF, BF_INK_FULL));
	assert_false(bigfont_size_ok(BF_HALF, BF_INK_ASCII));
	assert_true(bigfont_size_ok(BF_LARGE, BF_INK_ASCII));
	assert_true(bigfont_size_ok(BF_TEXT, BF_INK_ASCII));
	assert_false(bigfont_size_ok(BF_NSIZES, BF_INK_HALF));
	assert_false(bigfont_size_ok(BF_HALF, BF_INK_WIDE));
	assert_false(bigfont_size_ok(BF_SMALL, BF_INK_WIDE));
	assert_true(bigfont_size_ok(BF_LARGE, BF_INK_WIDE));
	assert_true(bigfont_size_ok(BF_HUGE, BF_INK_WIDE));
	assert_true(bigfont_size_ok(BF_TEXT, BF_INK_WIDE));
	assert_int_equal(bigfont_fit("A023", BF_INK_WIDE, 45, 7, BF_HUGE), BF_TEXT);
	assert_int_equal(bigfont_fit("A023", BF_INK_WIDE, 46, 7, BF_HUGE), BF_LARGE);
}

/* A string longer than the font's limit (32 glyphs) is refused rather
 * than cut. */
static void
test_long(void **state)
{
	char s[64];
	struct bigfont b;

	(void)state;
	memset(s, '8', 40);
	s[40] = '\0';
	assert_false(bigfont_supported(s));
	assert_false(bigfont_render(s, BF_SMALL, BF_INK_HALF, &b));
	assert_string_equal(b.line[0], s);
	bigfont_free(&b);
	s[32] = '\0';
	assert_true(bigfont_render(s, BF_SMALL, BF_INK_HALF, &b));
	assert_int_equal(b.width, 32 * 6 - 1);
	bigfont_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supported),
		cmocka_unit_test(test_heights_and_widths),
		cmocka_unit_test(test_render_one),
		cmocka_unit_test(test_render_rows),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_ink),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests_name("bigfont", tests, NULL, NULL);
}
