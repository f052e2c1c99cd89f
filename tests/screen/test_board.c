/*
 * The calling board through a real terminal: a ticket issued and called
 * by `yichuang ticket issue` / `ticket call` in child processes shows on
 * the board within moments by LISTEN/NOTIFY ("请 A023 号到 3 号窗口办理",
 * number and window in large type), the waiting counts follow, and an
 * update writes few bytes. Also: the command line's refusals and the
 * password never taken from argv.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/bigfont.h"
#include "model/i18n.h"
#include "model/text.h"
#include "screen/ws.h"
#include "store/auth.h"
#include "store/queue.h"
#include "util/xalloc.h"

/* An update of the board (new latest call, recent list, counts) must stay
 * well under this many bytes on the wire. */
#define BOARD_UPDATE_MAX_BYTES 1500

/*
 * Runs yichuang with argv (NULL-terminated, after the binary) and env
 * additions (NULL-terminated "NAME=value", may be NULL), stdin from
 * input (may be NULL: /dev/null). Returns the exit status; *out gets
 * the first line of standard output (malloc'd, may be "").
 */
static int
run(const char *const *args, const char *const *env, const char *input, char **out)
{
	const char *bin = getenv("YC_TEST_BIN");
	int po[2], pi[2], status;
	char buf[4096];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	assert_non_null(bin);
	assert_int_equal(pipe(po), 0);
	assert_int_equal(pipe(pi), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *argv[16];
		int k = 0;

		argv[k++] = bin;
		for (int i = 0; args[i] != NULL && k < 15; i++)
			argv[k++] = args[i];
		argv[k] = NULL;
		for (int i = 0; env != NULL && env[i] != NULL; i++)
			putenv((char *)env[i]);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("LC_ALL");
		dup2(pi[0], 0);
		dup2(po[1], 1);
		close(pi[0]);
		close(pi[1]);
		close(po[0]);
		close(po[1]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(pi[0]);
	close(po[1]);
	if (input != NULL && write(pi[1], input, strlen(input)) < 0)
		fail_msg("cannot write to the child");
	close(pi[1]);
	while ((n = read(po[0], buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)n;
	close(po[0]);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	waitpid(pid, &status, 0);
	*out = xstrdup(buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Issues a normal ticket for 360981; returns its number (malloc'd). */
static char *
issue(void)
{
	const char *args[] = { "ticket", "issue", "--office", "360981", NULL };
	char *num;

	assert_int_equal(run(args, NULL, NULL, &num), 0);
	assert_int_equal(strlen(num), 4);
	return num;
}

/* clerk2 calls the next ticket at window 3; returns its number. */
static char *
call_window3(void)
{
	const char *args[] = { "ticket", "call", "--office", "360981", "--window", "3", "--staff",
	    "clerk2", NULL };
	const char *env[] = { "YICHUANG_PASSWORD=Demo-1234", NULL };
	char *line, *num;

	ws_reset_staff("clerk2");
	assert_int_equal(run(args, env, NULL, &line), 0);
	/* "A023 → 3号窗口" */
	assert_non_null(strstr(line, "3"));
	num = xstrndup(line, strcspn(line, " "));
	assert_int_equal(strlen(num), 4);
	free(line);
	return num;
}

/* The row where text stands in large type (any size) drawn with ink, or
 * -1. */
static int
big_row_ink(struct vt *vt, const char *text, enum bigfont_ink ink)
{
	for (int sz = BF_HALF; sz < BF_NSIZES; sz++) {
		struct bigfont b;
		int row = -1;

		if (!bigfont_render(text, (enum bigfont_size)sz, ink, &b)) {
			bigfont_free(&b);
			continue;
		}
		for (int r = 0; row < 0 && r + b.rows <= vt_rows(vt); r++)
			for (int c = 0; row < 0 && c + b.width <= vt_cols(vt); c++)
				if (ws_big_at(vt, &b, r, c))
					row = r;
		bigfont_free(&b);
		if (row >= 0)
			return row;
	}
	return -1;
}

static int
big_row(struct vt *vt, const char *text)
{
	return big_row_ink(vt, text, BF_INK_HALF);
}

/* The waiting count of cls as the board shows it ("普通 … 7 人"), or -1. */
static int
count_of(struct vt *vt, enum queue_class cls)
{
	const char *name = queue_class_name(cls);
	int r, c, v = -1;

	if (!vt_find(vt, name, &r, &c))
		return -1;
	char *row = vt_row_text(vt, r), *p = strstr(row, name);

	if (p != NULL) {
		p += strlen(name);
		while (*p == ' ')
			p++;
		if (*p >= '0' && *p <= '9')
			v = atoi(p);
	}
	free(row);
	return v;
}

static int
total_waiting(struct vt *vt)
{
	int t = 0;

	for (int i = 0; i < QC_COUNT; i++) {
		int n = count_of(vt, (enum queue_class)i);

		if (n < 0)
			return -1;
		t += n;
	}
	return t;
}

/* Pumps until the total waiting count is want, or timeout_ms passes. */
static bool
expect_total(struct vt *vt, int want, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		if (total_waiting(vt) == want)
			return true;
		vt_settle(vt, 50, 50);
	}
	fprintf(stderr, "board: waiting total %d, expected %d\n", total_waiting(vt), want);
	vt_dump(vt, stderr);
	return false;
}

/* Pumps until text is on screen in large type, or timeout_ms passes. */
static bool
expect_big(struct vt *vt, const char *text, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		if (big_row(vt, text) >= 0)
			return true;
		vt_settle(vt, 50, 50);
	}
	fprintf(stderr, "board: %s not in large type\n", text);
	vt_dump(vt, stderr);
	return false;
}

static struct vt *
start_board(void)
{
	const char *args[] = { "board", "--office", "360981", NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);

	assert_true(vt_expect(vt, _("Calling board"), WS_WAIT));
	assert_true(vt_expect(vt, _("Waiting now"), WS_WAIT));
	assert_true(vt_expect(vt, queue_class_name(QC_NORMAL), WS_WAIT));
	return vt;
}

static int
setup(void **state)
{
	const char *bin = getenv("YC_TEST_BIN");
	char *mo;

	(void)state;
	if (bin == NULL || strrchr(bin, '/') == NULL)
		return -1;
	mo = xasprintf("%.*s/locale/zh_CN/LC_MESSAGES/yichuang.mo", (int)(strrchr(bin, '/') - bin), bin);
	if (i18n_load(mo) != 0) {
		fprintf(stderr, "cannot load %s\n", mo);
		free(mo);
		return -1;
	}
	free(mo);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ws_drain_office();
	return 0;
}

/* Issue, then call at window 3: the board shows the call and the counts
 * within moments, and the update is a few hundred bytes. */
static void
test_call_shows_on_board(void **state)
{
	struct vt *vt = start_board();
	char *num, *called;
	int total, r_num, r_win, r_phrase;
	size_t before, bytes;

	(void)state;
	vt_settle(vt, 300, 2000);
	total = total_waiting(vt);
	assert_true(total >= 0);
	num = issue();
	assert_true(expect_total(vt, total + 1, 3000));

	vt_settle(vt, 300, 2000);
	before = vt_bytes_received(vt);
	called = call_window3();
	/* The number and the window in large type on the same rows, the
	 * words of the sentence between and after them. */
	assert_true(expect_big(vt, called, 3000));
	assert_true(expect_total(vt, total, 3000));
	vt_settle(vt, 300, 2000);
	bytes = vt_bytes_received(vt) - before;
	r_num = big_row(vt, called);
	r_win = big_row(vt, "3");
	assert_int_equal(r_num, r_win);
	assert_true(vt_find(vt, "号到", &r_phrase, NULL));
	assert_true(r_phrase >= r_num && r_phrase < r_num + BIGFONT_MAX_ROWS);
	assert_true(vt_find(vt, "号窗口办理", &r_phrase, NULL));
	assert_true(r_phrase >= r_num && r_phrase < r_num + BIGFONT_MAX_ROWS);
	assert_true(vt_find(vt, "请", &r_phrase, NULL));
	assert_true(r_phrase >= r_num && r_phrase < r_num + BIGFONT_MAX_ROWS);
	fprintf(stderr, "# board update after one call: %zu bytes\n", bytes);
	assert_true(bytes > 0);
	assert_true(bytes < BOARD_UPDATE_MAX_BYTES);

	/* A second call moves the first into the recent list. */
	free(num);
	num = issue();
	{
		char *recent = xasprintf(_("%s → window %d"), called, 3);
		char *next = call_window3();

		assert_true(vt_expect(vt, recent, 3000));
		assert_true(expect_big(vt, next, 3000));
		free(recent);
		free(called);
		called = next;
	}
	free(num);
	free(called);
	vt_free(&vt);
}

/* Nothing personal: the board never shows an ID number or a name, even
 * for a ticket issued with an ID number. */
static void
test_no_personal_data(void **state)
{
	char id[19];
	const char *args[] = { "ticket", "issue", "--office", "360981", "--id", id, NULL };
	struct vt *vt = start_board();
	char *num, *called;

	(void)state;
	ws_idno("36098119900615003", id);
	assert_int_equal(run(args, NULL, NULL, &num), 0);
	for (int i = 0; i < 50; i++) {
		called = call_window3();
		bool done = strcmp(called, num) == 0;

		free(called);
		if (done)
			break;
	}
	assert_true(vt_expect(vt, "号窗口办理", 3000));
	assert_false(vt_find(vt, id, NULL, NULL));
	assert_false(vt_find(vt, "19900615", NULL, NULL));
	assert_false(vt_find(vt, "王芳", NULL, NULL));
	free(num);
	vt_free(&vt);
}

/* The command line: green tickets refused, an unknown office refused,
 * the password from standard input, a wrong password refused, and no
 * --password option at all. */
static void
test_ticket_command(void **state)
{
	const char *green[] = { "ticket", "issue", "--office", "360981", "--class", "green", NULL };
	const char *unknown[] = { "ticket", "issue", "--office", "999999", NULL };
	const char *call[] = { "ticket", "call", "--office", "360981", "--window", "3", "--staff",
	    "clerk2", NULL };
	const char *argvpw[] = { "ticket", "call", "--office", "360981", "--window", "3", "--staff",
	    "clerk2", "--password", "Demo-1234", NULL };
	const char *noenv[] = { "YICHUANG_PASSWORD=", NULL };
	char *out, *num;

	(void)state;
	assert_int_equal(run(green, NULL, NULL, &out), 1);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(run(unknown, NULL, NULL, &out), 1);
	free(out);
	num = issue();
	free(num);
	ws_reset_staff("clerk2");
	assert_int_equal(run(call, noenv, "Demo-1234\n", &out), 0);
	assert_non_null(strstr(out, "→"));
	free(out);
	assert_int_equal(run(call, noenv, "wrong\n", &out), 1);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(run(argvpw, NULL, NULL, &out), 2);
	free(out);
	ws_reset_staff("clerk2");
	/* Signed out again after each call. */
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.staff_session WHERE staff_no = 'clerk2' "
	    "AND ended_at IS NULL", 0, NULL), 0);
}

/* The server drops the board's connection: the header says so, the
 * board reconnects by itself, listens again and follows the next issue.
 * On the private cluster the board connects as the kiosk role
 * (yichuang_kiosk), not as the workstations' yichuang_app. */
static void
test_reconnects_and_listens_again(void **state)
{
	struct vt *vt = start_board();
	char *num;
	int total;

	(void)state;
	vt_settle(vt, 300, 2000);
	total = total_waiting(vt);
	assert_true(total >= 0);
	assert_true(ws_sql_long("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	    "WHERE usename = 'yichuang_kiosk' AND application_name = 'yichuang'", 0, NULL) >= 1);
	assert_true(vt_expect(vt, _("Connection lost, reconnecting…"), WS_WAIT));
	assert_true(vt_expect_gone(vt, _("Connection lost, reconnecting…"), 15000));
	num = issue();
	assert_true(expect_total(vt, total + 1, 3000));
	free(num);
	vt_free(&vt);
}

/* --font ascii on a vt100: the call in '#' characters. */
static void
test_ascii_board(void **state)
{
	const char *args[] = { "board", "--office", "360981", "--font", "ascii", NULL };
	const char *env[] = { "TERM=vt100", NULL };
	struct vt *vt = ws_start(24, 80, env, args, NULL);
	char *num, *called;
	int found = -1;

	(void)state;
	assert_true(vt_expect(vt, _("Calling board"), WS_WAIT));
	num = issue();
	called = call_window3();
	for (int i = 0; i < 60 && (found = big_row_ink(vt, called, BF_INK_ASCII)) < 0; i++)
		vt_settle(vt, 50, 50);
	if (found < 0)
		vt_dump(vt, stderr);
	assert_true(found >= 0);
	assert_false(vt_find(vt, "█", NULL, NULL));
	free(num);
	free(called);
	vt_free(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_shows_on_board),
		cmocka_unit_test(test_no_personal_data),
		cmocka_unit_test(test_ticket_command),
		cmocka_unit_test(test_ascii_board),
		cmocka_unit_test(test_reconnects_and_listens_again),
	};

	return cmocka_run_group_tests_name("screen: board", tests, setup, teardown);
}
