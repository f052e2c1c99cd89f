/*
 * Self-test of the screen-test harness (vt.c), not part of the product suite.
 * Runs small /bin/sh children in a pty and checks what the harness reports.
 * Exit status 0 when every check passes, 1 otherwise; failed checks are
 * printed to stderr with their line. Intentional failures (the timeout
 * checks) also print a screen dump to stderr; that is expected.
 */
#include "screen/vt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#define WAIT_MS 5000

static int failures;

#define CHECK(cond)                                                              \
	do {                                                                         \
		if (!(cond)) {                                                           \
			fprintf(stderr, "selftest_vt.c:%d: check failed: %s\n", __LINE__, #cond); \
			failures++;                                                          \
		}                                                                        \
	} while (0)

#define CHECK_STR(got, want)                                                     \
	do {                                                                         \
		char *got_ = (got);                                                      \
		if (strcmp(got_, (want)) != 0) {                                         \
			fprintf(stderr, "selftest_vt.c:%d: got \"%s\", want \"%s\"\n",      \
			        __LINE__, got_, (want));                                     \
			failures++;                                                          \
		}                                                                        \
		free(got_);                                                              \
	} while (0)

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Spawns `sh -c script` in a rows x cols pty. */
static struct vt *
sh(const char *script, int rows, int cols, const char *charset)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct vt *vt = vt_spawn(argv, NULL, rows, cols, charset);

	if (vt == NULL) {
		fprintf(stderr, "selftest_vt: cannot spawn %s\n", script);
		exit(1);
	}
	return vt;
}

static void
test_ascii_positions(void)
{
	struct vt *vt = sh("printf 'hello\\r\\n  world\\033[5;10Hxyz'", 10, 40, NULL);
	int row = -1, col = -1;

	CHECK(vt_expect(vt, "xyz", WAIT_MS));
	CHECK(vt_find(vt, "world", &row, &col) && row == 1 && col == 2);
	CHECK(vt_find(vt, "xyz", &row, &col) && row == 4 && col == 9);
	CHECK(!vt_find(vt, "absent", &row, &col));
	CHECK_STR(vt_row_text(vt, 0), "hello");
	CHECK_STR(vt_row_text(vt, 1), "  world");
	CHECK_STR(vt_row_text(vt, 99), "");
	vt_cursor(vt, &row, &col);
	CHECK(row == 4 && col == 12);
	CHECK(vt_wait_exit(vt, WAIT_MS) == 0);
	/* + 1: the tty's ONLCR turns the "\n" into "\r\n". */
	CHECK(vt_bytes_received(vt) == strlen("hello\r\n  world\033[5;10Hxyz") + 1);
	CHECK_STR(vt_screen_text(vt), "hello\n  world\n\n\n         xyz\n\n\n\n\n");
	vt_free(&vt);
	CHECK(vt == NULL);
}

static void
test_cjk_width(void)
{
	struct vt *vt = sh("printf 'ab欧阳娜娜X'", 5, 30, NULL);
	struct vt_cell_info ci;
	int row = -1, col = -1, xcol = -1;

	CHECK(vt_expect(vt, "欧阳娜娜X", WAIT_MS));
	CHECK(vt_find(vt, "欧阳娜娜", &row, &col) && row == 0 && col == 2);
	CHECK(vt_find(vt, "X", NULL, &xcol) && xcol == col + 8);
	CHECK(vt_find(vt, "娜X", NULL, &xcol) && xcol == 8);
	CHECK_STR(vt_row_text(vt, 0), "ab欧阳娜娜X");
	CHECK(vt_cell(vt, 0, 2, &ci) && ci.width == 2 && strcmp(ci.text, "欧") == 0);
	CHECK(vt_cell(vt, 0, 3, &ci) && ci.width == 0 && strcmp(ci.text, "") == 0);
	CHECK(vt_cell(vt, 0, 11, &ci) && ci.width == 1 && strcmp(ci.text, " ") == 0);
	CHECK(!vt_cell(vt, 0, 30, &ci) && !vt_cell(vt, 5, 0, &ci) && !vt_cell(vt, -1, 0, &ci));
	vt_cursor(vt, &row, &col);
	CHECK(row == 0 && col == 11);
	vt_free(&vt);
}

static void
test_gb18030_output(void)
{
	/* 你好 in GB18030 is C4E3 BAC3; the first byte arrives alone, so the
	 * converter must keep the incomplete sequence between reads. */
	struct vt *vt = sh("printf '\\304'; sleep 0.3; printf '\\343\\272\\303!'", 5, 20, "GB18030");
	int row = -1, col = -1;

	CHECK(vt_expect(vt, "你好!", WAIT_MS));
	CHECK(vt_find(vt, "!", &row, &col) && row == 0 && col == 4);
	CHECK(vt_wait_exit(vt, WAIT_MS) == 0);
	CHECK(vt_bytes_received(vt) == 5);
	vt_free(&vt);

	/* An invalid byte becomes U+FFFD instead of stalling the stream. */
	vt = sh("printf 'a\\377b'", 5, 20, "GB18030");
	CHECK(vt_expect(vt, "a\xef\xbf\xbd" "b", WAIT_MS));
	vt_free(&vt);
}

static void
test_gb18030_send(void)
{
	struct vt *vt = sh("read x; printf '%s' \"$x\" | od -An -tx1", 5, 40, "GB18030");

	vt_send(vt, "你好\r");
	CHECK(vt_expect(vt, "c4 e3 ba c3", WAIT_MS));
	CHECK(vt_expect(vt, "你好", WAIT_MS));     /* the tty's echo, converted back */
	CHECK(vt_wait_exit(vt, WAIT_MS) == 0);
	vt_free(&vt);

	vt = sh("read x; printf '%s' \"$x\" | od -An -tx1", 5, 40, NULL);
	vt_send(vt, "你好\r");
	CHECK(vt_expect(vt, "e4 bd a0 e5 a5 bd", WAIT_MS));
	vt_free(&vt);
}

static void
test_resize(void)
{
	struct vt *vt = sh("stty size; read x; stty size", 24, 80, NULL);

	CHECK(vt_expect(vt, "24 80", WAIT_MS));
	vt_resize(vt, 30, 100);
	CHECK(vt_rows(vt) == 30 && vt_cols(vt) == 100);
	vt_send(vt, "\r");
	CHECK(vt_expect(vt, "30 100", WAIT_MS));
	CHECK(vt_wait_exit(vt, WAIT_MS) == 0);
	vt_free(&vt);

	/* The child is told by SIGWINCH. */
	vt = sh("trap 'stty size' WINCH; echo ready; while :; do sleep 1 & wait $!; done", 24, 80,
	        NULL);
	CHECK(vt_expect(vt, "ready", WAIT_MS));
	vt_resize(vt, 20, 50);
	CHECK(vt_expect(vt, "20 50", WAIT_MS));
	vt_free(&vt);   /* still running: SIGTERM */
}

static void
test_timeouts(void)
{
	struct vt *vt = sh("printf 'gone'; sleep 0.3; printf '\\033[2J'; sleep 10", 5, 20, NULL);
	long long t0;

	CHECK(vt_expect(vt, "gone", WAIT_MS));
	CHECK(vt_expect_gone(vt, "gone", WAIT_MS));
	fprintf(stderr, "selftest_vt: the next failure and dump are intended:\n");
	t0 = now_ms();
	CHECK(!vt_expect(vt, "absent", 300));
	CHECK(now_ms() - t0 >= 300 && now_ms() - t0 < 2000);
	CHECK(vt_wait_exit(vt, 200) == -1);
	vt_free(&vt);

	/* Once the child closed the pty the screen cannot change: fail at once. */
	vt = sh("printf 'done'", 5, 20, NULL);
	fprintf(stderr, "selftest_vt: the next failure and dump are intended:\n");
	t0 = now_ms();
	CHECK(!vt_expect(vt, "absent", WAIT_MS));
	CHECK(now_ms() - t0 < 2000);
	CHECK(vt_find(vt, "done", NULL, NULL));
	vt_free(&vt);
}

static void
test_settle(void)
{
	struct vt *vt = sh("for i in 1 2 3; do printf \"$i\"; sleep 0.1; done; sleep 10", 5, 20,
	                   NULL);

	vt_settle(vt, 400, WAIT_MS);
	CHECK_STR(vt_row_text(vt, 0), "123");
	vt_free(&vt);
}

static void
test_exit_status(void)
{
	const char *argv[] = { "/nonexistent/program", NULL };
	struct vt *vt = sh("exit 7", 5, 20, NULL);

	CHECK(vt_wait_exit(vt, WAIT_MS) == 7);
	CHECK(vt_wait_exit(vt, 0) == 7);
	vt_free(&vt);

	vt = sh("kill -TERM $$", 5, 20, NULL);
	CHECK(vt_wait_exit(vt, WAIT_MS) == 128 + 15);
	vt_free(&vt);

	vt = vt_spawn(argv, NULL, 5, 60, NULL);
	CHECK(vt != NULL);
	CHECK(vt_wait_exit(vt, WAIT_MS) == 127);
	CHECK(vt_find(vt, "cannot execute", NULL, NULL));
	vt_free(&vt);

	/* A child that ignores SIGTERM is killed by vt_free all the same. */
	vt = sh("trap '' TERM; echo ready; while :; do sleep 1; done", 5, 20, NULL);
	CHECK(vt_expect(vt, "ready", WAIT_MS));
	vt_free(&vt);
}

static void
test_colours(void)
{
	struct vt *vt = sh("printf '\\033[31mRED\\033[0m \\033[1;4;7;38;5;200;48;5;21mX\\033[0m "
	                   "\\033[38;2;1;2;3mY\\033[0m\\033[38;2;205;0;0mZ'", 5, 30, NULL);
	struct vt_cell_info ci;

	CHECK(vt_expect(vt, "RED X YZ", WAIT_MS));
	CHECK(vt_cell(vt, 0, 0, &ci) && ci.fg_index == 1 && ci.bg_index == VT_COLOR_DEFAULT &&
	      !ci.bold && !ci.reverse && !ci.underline && ci.width == 1 &&
	      strcmp(ci.text, "R") == 0);
	CHECK(vt_cell(vt, 0, 3, &ci) && ci.fg_index == VT_COLOR_DEFAULT);
	CHECK(vt_cell(vt, 0, 4, &ci) && ci.fg_index == 200 && ci.bg_index == 21 && ci.bold &&
	      ci.underline && ci.reverse);
	CHECK(vt_cell(vt, 0, 6, &ci) && ci.fg_index == VT_COLOR_RGB && ci.fg_rgb == 0x010203);
	/* 205,0,0 is palette entry 1 in libvterm's default palette. */
	CHECK(vt_cell(vt, 0, 7, &ci) && (ci.fg_index == 1 || ci.fg_index == VT_COLOR_RGB));
	vt_free(&vt);
}

static void
test_keys_and_replies(void)
{
	struct vt *vt = sh("stty raw -echo; echo ready; head -c 13 | od -An -tx1", 5, 60, NULL);

	CHECK(vt_expect(vt, "ready", WAIT_MS));
	vt_key(vt, VT_KEY_ENTER);
	vt_key(vt, VT_KEY_BACKSPACE);
	vt_key(vt, VT_KEY_BTAB);
	vt_key(vt, VT_KEY_F1);
	vt_key(vt, VT_KEY_F10);
	CHECK(vt_expect(vt, "0d 7f 1b 5b 5a 1b 4f 50 1b 5b 32 31 7e", WAIT_MS));
	vt_free(&vt);

	vt = sh("stty raw -echo; echo ready; head -c 10 | od -An -tx1", 5, 60, NULL);
	CHECK(vt_expect(vt, "ready", WAIT_MS));
	vt_key(vt, VT_KEY_UP);
	vt_key(vt, VT_KEY_F5);
	vt_key(vt, VT_KEY_HOME);
	CHECK(vt_expect(vt, "1b 5b 41 1b 5b 31 35 7e 1b 5b", WAIT_MS));
	vt_free(&vt);

	/* In application cursor mode (DECCKM, as ncurses keypad() sets) the
	 * arrows are ESC O x. */
	vt = sh("stty raw -echo; printf '\\033[?1hready'; head -c 6 | od -An -tx1", 5, 60, NULL);
	CHECK(vt_expect(vt, "ready", WAIT_MS));
	vt_key(vt, VT_KEY_UP);
	vt_key(vt, VT_KEY_END);
	CHECK(vt_expect(vt, "1b 4f 41 1b 4f 46", WAIT_MS));
	vt_free(&vt);

	/* A cursor position query is answered by the terminal: ESC [ 1 ; 3 R. */
	vt = sh("stty raw -echo; printf 'ab\\033[6n'; head -c 6 | od -An -tx1", 5, 60, NULL);
	CHECK(vt_expect(vt, "1b 5b 31 3b 33 52", WAIT_MS));
	vt_free(&vt);
}

static void
test_env(void)
{
	const char *argv[] = { "/bin/sh", "-c", "echo \"[$TERM][$YC_X][${YC_GONE-unset}]\"", NULL };
	const char *env1[] = { "YC_X=1", "YC_GONE", NULL };
	const char *env2[] = { "TERM=vt100", NULL };
	struct vt *vt;

	setenv("YC_GONE", "set", 1);
	vt = vt_spawn(argv, env1, 5, 40, NULL);
	CHECK(vt_expect(vt, "[xterm-256color][1][unset]", WAIT_MS));
	vt_free(&vt);
	vt = vt_spawn(argv, env2, 5, 40, NULL);
	CHECK(vt_expect(vt, "[vt100][][set]", WAIT_MS));
	vt_free(&vt);
	unsetenv("YC_GONE");
}

static void
test_volume(void)
{
	/* A child writing far more than the pty buffer holds is pumped to the
	 * end while vt_wait_exit waits. */
	struct vt *vt = sh("head -c 300000 /dev/zero | tr '\\0' x; echo; echo END", 24, 80, NULL);
	char *big;

	CHECK(vt_wait_exit(vt, 20000) == 0);
	CHECK(vt_bytes_received(vt) >= 300000);
	CHECK(vt_find(vt, "END", NULL, NULL));
	vt_free(&vt);

	/* A large vt_send to a child that echoes it back. */
	vt = sh("stty raw; echo ready; head -c 20000 >/dev/null; printf '\\r\\ngot\\r\\n'", 24, 80,
	        NULL);
	big = malloc(20001);
	memset(big, 'a', 20000);
	big[20000] = '\0';
	CHECK(vt_expect(vt, "ready", WAIT_MS));     /* stty has run */
	vt_send(vt, big);
	free(big);
	CHECK(vt_expect(vt, "got", 20000));
	vt_free(&vt);
}

/* Only when VT_SELFTEST_LOCPATH names a directory made by
 * tests/tools/mklocale.sh: a child running in the GB18030 locale. */
static void
test_gb18030_locale(void)
{
	const char *locpath = getenv("VT_SELFTEST_LOCPATH");
	const char *argv[] = { "/bin/sh", "-c", "locale charmap; date -d 2024-01-01 +%A", NULL };
	char *lp;
	struct vt *vt;

	if (locpath == NULL || *locpath == '\0')
		return;
	lp = malloc(strlen(locpath) + sizeof "LOCPATH=");
	strcpy(lp, "LOCPATH=");
	strcat(lp, locpath);
	{
		const char *env[] = { lp, "LANG=zh_CN.GB18030", "LC_ALL", NULL };

		vt = vt_spawn(argv, env, 5, 40, "GB18030");
	}
	CHECK(vt_expect(vt, "GB18030", WAIT_MS));
	CHECK(vt_expect(vt, "星期一", WAIT_MS));
	vt_free(&vt);
	free(lp);
}

int
main(void)
{
	test_ascii_positions();
	test_cjk_width();
	test_gb18030_output();
	test_gb18030_send();
	test_resize();
	test_timeouts();
	test_settle();
	test_exit_status();
	test_colours();
	test_keys_and_replies();
	test_env();
	test_volume();
	test_gb18030_locale();

	/* Every child was reaped: no zombies left behind. */
	errno = 0;
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);

	if (failures > 0) {
		fprintf(stderr, "selftest_vt: %d check(s) failed\n", failures);
		return 1;
	}
	printf("selftest_vt: all checks passed\n");
	return 0;
}
