/* Unit tests for ui/keyin: terminal bytes to keys, sequences read whole,
 * burst and paste marks, the Esc wait. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/keyin.h"

static struct keyin ki;

/* Feeds s as one read at now; the keys that came out into out (at most
 * max); returns how many. */
static size_t
feed(const char *s, long long now, struct term_key *out, size_t max)
{
	size_t n = 0;

	keyin_feed(&ki, s, strlen(s), now);
	while (n < max && keyin_next(&ki, &out[n]))
		n++;
	return n;
}

/* The single key s gives (fed alone). */
static enum term_keycode
one(const char *s)
{
	struct term_key k[4];

	keyin_init(&ki);
	if (feed(s, 0, k, 4) != 1)
		return K_NONE;
	assert_false(k[0].burst);
	return k[0].code;
}

static void
test_plain_and_controls(void **state)
{
	struct term_key k[16];

	(void)state;
	keyin_init(&ki);
	assert_int_equal(feed("a", 0, k, 16), 1);
	assert_int_equal(k[0].code, K_CHAR);
	assert_int_equal(k[0].ch, 'a');
	assert_false(k[0].burst);
	assert_false(k[0].pasted);
	assert_int_equal(feed("x\r\t\x7f\x15\x03y", 10, k, 16), 6);	/* Ctrl-C does nothing */
	assert_int_equal(k[0].ch, 'x');
	assert_int_equal(k[1].code, K_ENTER);
	assert_int_equal(k[2].code, K_TAB);
	assert_int_equal(k[3].code, K_BACKSPACE);
	assert_int_equal(k[4].code, K_CTRL_U);
	assert_int_equal(k[5].ch, 'y');
	for (int i = 0; i < 6; i++)
		assert_true(k[i].burst);
	assert_int_equal(keyin_wait(&ki, 20), 0);
}

/* The probe's reproduction: a clear-screen sequence in typing is one
 * unknown key, its bytes never keys. */
static void
test_unknown_sequence_whole(void **state)
{
	struct term_key k[16];
	const char *want = "ABC?DEF";

	(void)state;
	keyin_init(&ki);
	assert_int_equal(feed("ABC\033[2JDEF", 0, k, 16), 7);
	for (int i = 0; i < 7; i++) {
		assert_true(k[i].burst);
		if (want[i] == '?')
			assert_int_equal(k[i].code, K_UNKNOWN);
		else {
			assert_int_equal(k[i].code, K_CHAR);
			assert_int_equal(k[i].ch, (uint32_t)want[i]);
		}
	}
	assert_int_equal(one("\033[12;40R"), K_UNKNOWN);	/* a cursor report */
	assert_int_equal(one("\033[?1;2c"), K_UNKNOWN);	/* a device attribute reply */
	assert_int_equal(one("\033[<0;3;4M"), K_UNKNOWN);	/* a mouse report */
	assert_int_equal(one("\033[99~"), K_UNKNOWN);
}

/* What xterm, vt220, PuTTY, rxvt and the Linux console send, whatever
 * terminfo says. */
static void
test_known_sequences(void **state)
{
	static const struct {
		const char *seq;
		enum term_keycode code;
	} t[] = {
		{ "\033OP", K_F1 }, { "\033OS", K_F4 }, { "\033[11~", K_F1 }, { "\033[15~", K_F5 },
		{ "\033[17~", K_F6 }, { "\033[21~", K_F10 }, { "\033[24~", K_F12 }, { "\033[[A", K_F1 },
		{ "\033[[E", K_F5 }, { "\033[1;2P", K_F1 }, { "\033[A", K_UP }, { "\033OB", K_DOWN },
		{ "\033[1;5C", K_RIGHT }, { "\033OD", K_LEFT }, { "\033[H", K_HOME }, { "\033[1~", K_HOME },
		{ "\033OF", K_END }, { "\033[4~", K_END }, { "\033[5~", K_PGUP }, { "\033[6~", K_PGDN },
		{ "\033[3~", K_DELETE }, { "\033[Z", K_BTAB }, { "\033OM", K_ENTER },
	};
	struct term_key k[4];

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(one(t[i].seq), t[i].code);
	keyin_init(&ki);
	assert_int_equal(feed("\033[2~", 0, k, 4), 0);		/* Insert: nothing */
	assert_int_equal(keyin_wait(&ki, 0), 0);
	assert_int_equal(feed("\033Oq", 10, k, 4), 1);		/* the application keypad's 1 */
	assert_int_equal(k[0].code, K_CHAR);
	assert_int_equal(k[0].ch, '1');
	/* terminfo first: vt100's F6 is ESC O u */
	keyin_init(&ki);
	assert_true(keyin_terminfo(&ki, "\033Ou", K_F6));
	assert_false(keyin_terminfo(&ki, "\010", K_BACKSPACE));
	assert_int_equal(feed("\033Ou", 0, k, 4), 1);
	assert_int_equal(k[0].code, K_F6);
}

/* F10 and a digit in one read: both burst. */
static void
test_burst(void **state)
{
	struct term_key k[4];

	(void)state;
	keyin_init(&ki);
	assert_int_equal(feed("\033[21~2", 0, k, 4), 2);
	assert_int_equal(k[0].code, K_F10);
	assert_true(k[0].burst);
	assert_int_equal(k[1].ch, '2');
	assert_true(k[1].burst);
	assert_int_equal(feed("2", 100, k, 4), 1);
	assert_false(k[0].burst);
}

/* Esc then a digit is the F-key, typed apart or together; a lone Esc
 * waits, then is Esc. */
static void
test_esc(void **state)
{
	struct term_key k[4];

	(void)state;
	keyin_init(&ki);
	assert_int_equal(feed("\033", 0, k, 4), 0);
	assert_int_equal(keyin_wait(&ki, 400), KEYIN_WAIT_MS - 400);
	assert_int_equal(feed("6", 400, k, 4), 1);
	assert_int_equal(k[0].code, K_F6);
	assert_false(k[0].burst);
	assert_int_equal(feed("\0330", 500, k, 4), 1);
	assert_int_equal(k[0].code, K_F10);

	assert_int_equal(feed("\033", 1000, k, 4), 0);
	assert_false(keyin_timeout(&ki, 1999));
	assert_int_equal(keyin_wait(&ki, 2000), 1);
	assert_true(keyin_timeout(&ki, 2000));
	assert_true(keyin_next(&ki, &k[0]));
	assert_int_equal(k[0].code, K_ESC);
	assert_false(k[0].burst);
	assert_int_equal(keyin_wait(&ki, 2000), 0);

	/* Esc then a letter: Esc and the letter */
	assert_int_equal(feed("\033", 3000, k, 4), 0);
	assert_int_equal(feed("x", 3100, k, 4), 2);
	assert_int_equal(k[0].code, K_ESC);
	assert_int_equal(k[1].ch, 'x');
	/* text, then an Esc at the end of the read: burst too */
	assert_int_equal(feed("ab\033", 4000, k, 4), 2);
	assert_true(keyin_timeout(&ki, 5000));
	assert_true(keyin_next(&ki, &k[0]));
	assert_int_equal(k[0].code, K_ESC);
	assert_true(k[0].burst);
}

/* A sequence cut by the end of a read is finished by the next; one that
 * never ends is dropped when its time comes. */
static void
test_split(void **state)
{
	struct term_key k[4];
	char longseq[128] = "\033[";

	(void)state;
	keyin_init(&ki);
	assert_int_equal(feed("\033[1", 0, k, 4), 0);
	assert_int_equal(feed("7~", 10, k, 4), 1);
	assert_int_equal(k[0].code, K_F6);
	assert_false(k[0].burst);
	assert_int_equal(feed("\033[1", 20, k, 4), 0);
	assert_true(keyin_timeout(&ki, 20 + KEYIN_WAIT_MS));
	assert_true(keyin_next(&ki, &k[0]));
	assert_int_equal(k[0].code, K_UNKNOWN);
	/* too long: one unknown key */
	memset(longseq + 2, '1', 100);
	longseq[102] = '\0';
	assert_int_equal(feed(longseq, 3000, k, 4), 1);
	assert_int_equal(k[0].code, K_UNKNOWN);
	assert_int_equal(keyin_wait(&ki, 3000), 0);
	/* a character split in two reads */
	assert_int_equal(feed("\xe6\xb5", 4000, k, 4), 0);
	assert_int_equal(feed("\x8b", 4010, k, 4), 1);
	assert_int_equal(k[0].code, K_CHAR);
	assert_int_equal(k[0].ch, 0x6d4b);	/* 测 */
}

/* Bracketed paste: characters only, marked pasted; lines join with a
 * space; keys in it do nothing; a lost end marker ends with a pause. */
static void
test_paste(void **state)
{
	struct term_key k[16];
	const char *want = "a2 b c?";

	(void)state;
	keyin_init(&ki);
	assert_int_equal(feed("\033[200~a2\r\nb\tc\033[21~\0332\033\033[2J\033[201~", 0, k, 16), 7);
	for (int i = 0; i < 7; i++) {
		assert_true(k[i].pasted);
		if (want[i] == '?')
			assert_int_equal(k[i].code, K_UNKNOWN);
		else {
			assert_int_equal(k[i].code, K_CHAR);
			assert_int_equal(k[i].ch, (uint32_t)want[i]);
		}
	}
	assert_int_equal(feed("2", 10, k, 16), 1);
	assert_false(k[0].pasted);
	assert_false(k[0].burst);
	assert_int_equal(feed("\033[200~xy", 100, k, 16), 2);
	assert_true(k[1].pasted);
	assert_int_equal(feed("\r", 100 + KEYIN_WAIT_MS, k, 16), 1);
	assert_int_equal(k[0].code, K_ENTER);
	assert_false(k[0].pasted);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_controls),
		cmocka_unit_test(test_unknown_sequence_whole),
		cmocka_unit_test(test_known_sequences),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_esc),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_paste),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 1;
	return cmocka_run_group_tests_name("keyin", tests, NULL, NULL);
}
