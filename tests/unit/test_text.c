/* Unit tests for model/text: UTF-8 decoding and display width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/text.h"

/* Decodes a byte string written with explicit length. */
static int
dec(const char *s, size_t len, uint32_t *cp)
{
	*cp = 0xDEADBEEF;
	return text_decode(s, len, cp);
}

static void
test_decode_valid(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(dec("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(dec("\0", 1, &cp), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(dec("\xC2\x80", 2, &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(dec("\xC3\xA9x", 3, &cp), 2);        /* é */
	assert_int_equal(cp, 0xE9);
	assert_int_equal(dec("欧阳", 6, &cp), 3);
	assert_int_equal(cp, 0x6B27);
	assert_int_equal(dec("\xEF\xBF\xBF", 3, &cp), 3);
	assert_int_equal(cp, 0xFFFF);
	assert_int_equal(dec("\xF0\x9F\x98\x80", 4, &cp), 4);  /* 😀 */
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(dec("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
}

static void
test_decode_invalid(void **state)
{
	uint32_t cp;

	(void)state;
	/* overlong forms */
	assert_int_equal(dec("\xC0\x80", 2, &cp), -1);
	assert_int_equal(dec("\xC1\xBF", 2, &cp), -1);
	assert_int_equal(dec("\xE0\x80\x80", 3, &cp), -1);
	assert_int_equal(dec("\xE0\x9F\xBF", 3, &cp), -1);
	assert_int_equal(dec("\xF0\x8F\xBF\xBF", 4, &cp), -1);
	/* surrogates */
	assert_int_equal(dec("\xED\xA0\x80", 3, &cp), -1);
	assert_int_equal(dec("\xED\xBF\xBF", 3, &cp), -1);
	/* beyond U+10FFFF */
	assert_int_equal(dec("\xF4\x90\x80\x80", 4, &cp), -1);
	assert_int_equal(dec("\xF5\x80\x80\x80", 4, &cp), -1);
	assert_int_equal(dec("\xFF", 1, &cp), -1);
	/* lone continuation byte, bad continuation */
	assert_int_equal(dec("\x80", 1, &cp), -1);
	assert_int_equal(dec("\xE6\xAC" "A", 3, &cp), -1);
	/* truncated: the length given is what counts, not the buffer */
	assert_int_equal(dec("\xE6\xAC\xA7", 2, &cp), -1);
	assert_int_equal(dec("\xF0\x9F\x98\x80", 3, &cp), -1);
	assert_int_equal(dec("A", 0, &cp), -1);
	/* NUL in the middle of a sequence */
	assert_int_equal(dec("\xE6\x00\xA7", 3, &cp), -1);
	assert_int_equal(cp, 0xDEADBEEF);   /* untouched on error */
}

static void
test_encode(void **state)
{
	char out[4];
	uint32_t cps[] = { 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0x5A1C, 0xFFFD,
			   0x10000, 0x1F600, 0x10FFFF };
	size_t i;

	(void)state;
	assert_int_equal(text_encode(0x5A1C, out), 3);     /* 娜 */
	assert_memory_equal(out, "娜", 3);
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		uint32_t back = 0;
		size_t n = text_encode(cps[i], out);

		assert_true(n >= 1 && n <= 4);
		assert_int_equal(text_decode(out, n, &back), (int)n);
		assert_int_equal(back, cps[i]);
	}
	assert_int_equal(text_encode(0xD800, out), 0);
	assert_int_equal(text_encode(0xDFFF, out), 0);
	assert_int_equal(text_encode(0x110000, out), 0);
}

static void
test_valid(void **state)
{
	(void)state;
	assert_true(text_valid("", 0));
	assert_true(text_valid("欧阳娜娜 A023号", strlen("欧阳娜娜 A023号")));
	assert_false(text_valid("ab\xC0\x80", 4));
	assert_false(text_valid("欧阳", 5));                 /* cut inside 阳 */
	assert_true(text_valid("欧阳", 3));
	assert_false(text_valid("\xED\xA0\x80", 3));
}

static void
test_cp_width(void **state)
{
	(void)state;
	assert_int_equal(text_cp_width('A'), 1);
	assert_int_equal(text_cp_width(' '), 1);
	assert_int_equal(text_cp_width(0x00), 0);
	assert_int_equal(text_cp_width('\t'), 0);
	assert_int_equal(text_cp_width(0x7F), 0);
	assert_int_equal(text_cp_width(0x9B), 0);
	assert_int_equal(text_cp_width(0xE9), 1);           /* é */
	assert_int_equal(text_cp_width(0xB7), 1);           /* · in names */
	assert_int_equal(text_cp_width(0x2026), 1);         /* … */
	assert_int_equal(text_cp_width(0x0301), 0);         /* combining acute */
	assert_int_equal(text_cp_width(0x0300), 0);
	assert_int_equal(text_cp_width(0x036F), 0);
	assert_int_equal(text_cp_width(0x0370), 1);
	assert_int_equal(text_cp_width(0x200B), 0);
	assert_int_equal(text_cp_width(0x200D), 0);
	assert_int_equal(text_cp_width(0xFE0F), 0);
	assert_int_equal(text_cp_width(0xFEFF), 0);
	assert_int_equal(text_cp_width(0x1100), 2);         /* Hangul jamo */
	assert_int_equal(text_cp_width(0x1160), 0);
	assert_int_equal(text_cp_width(0x3000), 2);         /* ideographic space */
	assert_int_equal(text_cp_width(0x3001), 2);         /* 、 */
	assert_int_equal(text_cp_width(0x302A), 0);         /* tone mark */
	assert_int_equal(text_cp_width(0x303F), 1);
	assert_int_equal(text_cp_width(0x3099), 0);
	assert_int_equal(text_cp_width(0x3042), 2);         /* あ */
	assert_int_equal(text_cp_width(0x3400), 2);
	assert_int_equal(text_cp_width(0x4E00), 2);
	assert_int_equal(text_cp_width(0x9FFF), 2);
	assert_int_equal(text_cp_width(0xA000), 2);
	assert_int_equal(text_cp_width(0xAC00), 2);
	assert_int_equal(text_cp_width(0xD7A3), 2);
	assert_int_equal(text_cp_width(0xD7A4), 1);
	assert_int_equal(text_cp_width(0xF900), 2);
	assert_int_equal(text_cp_width(0xFE30), 2);
	assert_int_equal(text_cp_width(0xFF21), 2);         /* Ａ */
	assert_int_equal(text_cp_width(0xFF60), 2);
	assert_int_equal(text_cp_width(0xFF61), 1);         /* halfwidth 。 */
	assert_int_equal(text_cp_width(0xFFE5), 2);         /* ￥ */
	assert_int_equal(text_cp_width(0xFFE8), 1);
	assert_int_equal(text_cp_width(0x1F600), 2);
	assert_int_equal(text_cp_width(0x1F900), 2);
	assert_int_equal(text_cp_width(0x20000), 2);
	assert_int_equal(text_cp_width(0x2FFFD), 2);
	assert_int_equal(text_cp_width(0x30000), 2);
	assert_int_equal(text_cp_width(0x3FFFE), 1);
	assert_int_equal(text_cp_width(0xE0100), 0);
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width(NULL), 0);
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("hello"), 5);
	assert_int_equal(text_width("欧阳娜娜"), 8);
	assert_int_equal(text_width("A023号"), 6);
	assert_int_equal(text_width("ＡＢＣ"), 6);           /* fullwidth */
	assert_int_equal(text_width("e\xCC\x81"), 1);         /* e + U+0301 */
	assert_int_equal(text_width("Jose\xCC\x81 欧"), 7);
	assert_int_equal(text_width("￥12.50"), 7);
	/* invalid bytes are one column each; a truncated sequence at the end
	 * does not read past the NUL */
	assert_int_equal(text_width("a\xC0\x80z"), 4);
	assert_int_equal(text_width("a\xE6\xAC"), 3);
	assert_int_equal(text_width("\xED\xA0\x80"), 3);
}

static void
test_fit(void **state)
{
	int used = -1;

	(void)state;
	/* never splits 娜: 5 columns hold 欧阳 (6 bytes, 4 columns) */
	assert_int_equal(text_fit("欧阳娜娜", 5, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(text_fit("欧阳娜娜", 6, &used), 9);
	assert_int_equal(used, 6);
	assert_int_equal(text_fit("欧阳娜娜", 8, &used), 12);
	assert_int_equal(used, 8);
	assert_int_equal(text_fit("欧阳娜娜", 100, &used), 12);
	assert_int_equal(used, 8);
	assert_int_equal(text_fit("欧阳娜娜", 1, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(text_fit("欧阳娜娜", -3, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(text_fit("A023号", 5, &used), 4);
	assert_int_equal(used, 4);
	assert_int_equal(text_fit("abc", 2, NULL), 2);
	/* a combining mark stays with its base */
	assert_int_equal(text_fit("e\xCC\x81x", 1, &used), 3);
	assert_int_equal(used, 1);
	/* invalid bytes: one column each */
	assert_int_equal(text_fit("\xFF\xFFz", 2, &used), 2);
	assert_int_equal(used, 2);
}

static void
check_pad(const char *s, int cols, int align, const char *want)
{
	char *got = text_pad(s, cols, align);

	assert_string_equal(got, want);
	assert_int_equal(text_width(got), cols < 0 ? 0 : cols);
	free(got);
}

static void
test_pad(void **state)
{
	(void)state;
	check_pad("ab", 5, TEXT_LEFT, "ab   ");
	check_pad("ab", 5, TEXT_RIGHT, "   ab");
	check_pad("ab", 5, TEXT_CENTRE, " ab  ");
	check_pad("ab", 6, TEXT_CENTRE, "  ab  ");
	check_pad("欧阳娜娜", 10, TEXT_LEFT, "欧阳娜娜  ");
	check_pad("欧阳娜娜", 10, TEXT_RIGHT, "  欧阳娜娜");
	check_pad("欧阳娜娜", 8, TEXT_CENTRE, "欧阳娜娜");
	/* truncation that would split 娜: a space takes its column */
	check_pad("欧阳娜娜", 5, TEXT_LEFT, "欧阳 ");
	check_pad("欧阳娜娜", 5, TEXT_RIGHT, " 欧阳");
	check_pad("欧阳娜娜", 6, TEXT_LEFT, "欧阳娜");
	check_pad("A023号", 5, TEXT_LEFT, "A023 ");
	check_pad("hello world", 5, TEXT_LEFT, "hello");
	check_pad("", 3, TEXT_LEFT, "   ");
	check_pad(NULL, 2, TEXT_RIGHT, "  ");
	check_pad("abc", 0, TEXT_LEFT, "");
	check_pad("abc", -4, TEXT_LEFT, "");
	check_pad("ab", 4, 7, "  ab");          /* align taken by its sign */
}

static void
check_ell(const char *s, int cols, const char *want)
{
	char *got = text_ellipsize(s, cols);

	assert_string_equal(got, want);
	assert_true(text_width(got) <= (cols < 0 ? 0 : cols));
	free(got);
}

static void
test_ellipsize(void **state)
{
	(void)state;
	check_ell("欧阳娜娜", 8, "欧阳娜娜");
	check_ell("欧阳娜娜", 20, "欧阳娜娜");
	check_ell("欧阳娜娜", 7, "欧阳娜…");
	check_ell("欧阳娜娜", 6, "欧阳…");      /* 5 columns: 娜 does not fit */
	check_ell("欧阳娜娜", 2, "…");
	check_ell("欧阳娜娜", 1, "…");
	check_ell("欧阳娜娜", 0, "");
	check_ell("hello world", 6, "hello…");
	check_ell("hello", 5, "hello");
	check_ell("hello", 4, "hel…");
	check_ell(NULL, 4, "");
}

static void
test_prev(void **state)
{
	const char *s = "a欧\xF0\x9F\x98\x80" "b";      /* a, 欧, 😀, b */
	const char *bad = "x\x80\x80";

	(void)state;
	assert_int_equal(text_prev(s, 0), 0);
	assert_int_equal(text_prev(s, 1), 0);
	assert_int_equal(text_prev(s, 4), 1);
	assert_int_equal(text_prev(s, 8), 4);
	assert_int_equal(text_prev(s, 9), 8);
	/* inside a code point or over invalid bytes: one byte back */
	assert_int_equal(text_prev(s, 3), 2);
	assert_int_equal(text_prev(bad, 3), 2);
	assert_int_equal(text_prev(bad, 2), 1);
	assert_int_equal(text_prev("\xC0\x80", 2), 1);
	/* backspacing through a whole string reaches 0 in characters */
	{
		const char *t = "欧阳娜娜A";
		size_t pos = strlen(t);
		int steps = 0;

		while (pos > 0) {
			pos = text_prev(t, pos);
			steps++;
		}
		assert_int_equal(steps, 5);
	}
}

/* A GB18030 terminal draws … and │ two columns wide: with the C library's
 * width installed, layout counts them so; without it, one column. */
static int
fake_gb_width(uint32_t cp)
{
	return cp == 0x2026 || cp == 0x2502 ? 2 : -1;
}

static void
test_width_override(void **state)
{
	(void)state;
	assert_int_equal(text_width("a…b│"), 4);
	text_set_width_override(fake_gb_width);
	assert_int_equal(text_width("a…b│"), 6);
	/* Other characters fall back to the table. */
	assert_int_equal(text_width("欧阳é"), 5);
	/* Shortening leaves room for an ellipsis of the terminal's width. */
	{
		char *e = text_ellipsize("abcdefgh", 6);

		assert_string_equal(e, "abcd…");
		assert_int_equal(text_width(e), 6);
		free(e);
	}
	text_set_width_override(NULL);
	assert_int_equal(text_width("a…b│"), 4);
}

/* Wrapping for printed pages: by columns, never splitting a character,
 * continuation lines hanging under the item's text. */
static void
test_wrap(void **state)
{
	char *w;

	(void)state;
	w = text_wrap("短行\n", 10);
	assert_string_equal(w, "短行\n");
	free(w);
	/* 10 CJK characters in 10 columns: 5 per line. */
	w = text_wrap("一二三四五六七八九十", 10);
	assert_string_equal(w, "一二三四五\n六七八九十\n");
	free(w);
	/* A numbered item hangs under its text. */
	w = text_wrap(" 1. 医保电子凭证或有效身份证件", 16);
	assert_string_equal(w, " 1. 医保电子凭证\n    或有效身份证\n    件\n");
	free(w);
	/* A break at a space does not start the next line with it. */
	w = text_wrap("Ratings: 1  very satisfied", 10);
	assert_string_equal(w, "Ratings: 1\nvery satis\nfied\n");
	free(w);
	/* An odd column count never cuts a wide character in half. */
	w = text_wrap("甲乙丙", 5);
	assert_string_equal(w, "甲乙丙\n");
	free(w);
	w = text_wrap("甲乙丙丁戊己", 9);
	assert_string_equal(w, "甲乙丙丁\n戊己\n");
	free(w);
	/* Closing punctuation never starts a line: the character before it
	 * moves down too. */
	w = text_wrap("一二三四五。六", 10);
	assert_string_equal(w, "一二三四\n五。六\n");
	free(w);
	w = text_wrap("(a) 甲乙丙丁）", 12);
	assert_string_equal(w, "(a) 甲乙丙\n丁）\n");
	free(w);
	/* An opening bracket never ends a line. */
	w = text_wrap("甲乙丙丁（戊）", 10);
	assert_string_equal(w, "甲乙丙丁\n（戊）\n");
	free(w);
	/* Every output line fits. */
	w = text_wrap("  a) 出院记录（原件；可容缺，5个工作日内补交）", 20);
	for (char *l = strtok(w, "\n"); l != NULL; l = strtok(NULL, "\n"))
		assert_true(text_width(l) <= 20);
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_override),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_cp_width),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_ellipsize),
		cmocka_unit_test(test_prev),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
